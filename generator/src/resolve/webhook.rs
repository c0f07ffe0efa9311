//! The `webhook` module: the notification's fields, its formats and the docs of `parse`.

use serde_json::{Map, Value};

use super::features::cfg;
use super::resolver::Resolver;
use crate::checked::{self, BodyFormat, CheckedType};
use crate::model::*;
use crate::naming;
use crate::types_expr::Scalar;

impl Resolver<'_> {
    pub(super) fn webhook(&self, webhook: &checked::Webhook) -> Webhook {
        let type_name = naming::NOTIFICATION.to_owned();
        let formats: Vec<&str> = webhook
            .formats
            .iter()
            .map(|f| match f {
                BodyFormat::Json => "Json",
                BodyFormat::Form => "Form",
            })
            .collect();
        let media_types: Vec<String> = webhook
            .formats
            .iter()
            .map(|f| match f {
                BodyFormat::Json => "`application/json`".to_owned(),
                BodyFormat::Form => "`application/x-www-form-urlencoded`".to_owned(),
            })
            .collect();
        let fields: Vec<WebhookField> = webhook
            .fields
            .iter()
            .map(|f| WebhookField {
                name: f.name.clone(),
                wire: f.wire.clone(),
                ty: self.ty(&f.ty),
                optional: f.optional,
                doc: f.doc.clone(),
            })
            .collect();
        let mut body = Map::new();
        let mut example_check = None;
        for f in webhook.fields.iter().filter(|f| !f.optional) {
            let example = f.example.clone().map(serde_yaml::Value::String);
            let value = self.json_value(&f.ty, example.as_ref(), &f.name, 0, false);
            if let (None, CheckedType::Scalar(Scalar::String), Some(text)) =
                (&example_check, &f.ty, value.as_str())
            {
                example_check = Some((f.name.clone(), text.to_owned()));
            }
            body.insert(f.wire.clone(), value);
        }
        let enums = if fields.iter().any(|f| matches!(f.ty, Ty::Enum(_))) {
            " An enum field keeps a value this version does not know as its `Unknown` variant."
        } else {
            ""
        };
        Webhook {
            module: naming::WEBHOOK_MODULE.to_owned(),
            doc: webhook.doc.clone(),
            cfg: cfg(vec![CfgTerm {
                feature: webhook.category.clone(),
                legacy: false,
            }]),
            parse_doc: format!(
                "Reads a notification from the request body and the value of its `Content-Type` \
                 header.\n\nThe body may be {} (the media type is compared without regard to \
                 case; parameters such as `; charset=utf-8` are ignored). Pass `\"\"` when the \
                 header is missing: a body starting with `{{` or `[` is then read as JSON, any \
                 other as a form. Fields are text: a JSON `null` counts as absent, and a \
                 number, boolean, array or object is refused rather than converted.{enums} A key \
                 given twice, a body that is not UTF-8 and a body over \
                 [`MAX_NOTIFICATION_SIZE`] bytes are refused too; every refusal is a \
                 [`WebhookError`] naming what was wrong, never a panic.",
                media_types.join(" or ")
            ),
            type_doc: format!(
                "A notification PortOne posted to your `notice_url`, read by \
                 [`{type_name}::parse`]. It is a hint, not proof: see the [module \
                 documentation](self)."
            ),
            type_name,
            formats: formats.into_iter().map(str::to_owned).collect(),
            fields,
            extra: naming::NOTIFICATION_EXTRA.to_owned(),
            extra_doc: "Every key of the body that no field above reads, with its value as \
                        received (a form value is a JSON string), so nothing PortOne adds is \
                        lost."
                .to_owned(),
            example_body: webhook
                .formats
                .contains(&BodyFormat::Json)
                .then(|| Value::Object(body).to_string()),
            example_check,
        }
    }
}
