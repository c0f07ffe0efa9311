//! The webhook notification: where it is declared, its content types and its fields.

use std::collections::HashSet;

use super::names::{Name, Wire};
use super::{Validator, all, if_present};
use crate::checked::{BodyFormat, CheckedType, Webhook, WebhookField};
use crate::naming;
use crate::spec;
use crate::types_expr::Scalar;

impl Validator<'_> {
    /// Checks the `webhook:` section: `Some(None)` when the spec has none.
    pub(super) fn webhook(&mut self) -> Option<Option<Webhook>> {
        let loaded = self.loaded;
        let mut declared = loaded
            .spec
            .categories
            .iter()
            .filter_map(|c| Some((c, c.webhook.as_ref()?)));
        let first = declared.next();
        let first_file = first.map(|(c, _)| loaded.sources.name(c.file).to_owned());
        let mut twice = false;
        for (cat, _) in declared {
            twice = true;
            self.err(
                cat.file,
                &["webhook"],
                true,
                "the webhook notification is described twice".into(),
            )
            .hint(format!(
                "{} describes it too; keep one `webhook:` section",
                first_file.as_deref().unwrap_or_default()
            ));
        }
        let checked = first.map(|(cat, webhook)| self.webhook_section(cat, webhook));
        let checked = if_present(checked)?;
        (!twice).then_some(checked)
    }

    fn webhook_section(
        &mut self,
        cat: &spec::CategoryFile,
        webhook: &spec::Webhook,
    ) -> Option<Webhook> {
        let f = cat.file;
        let doc = self.doc(
            f,
            &["webhook"],
            webhook.doc.as_deref(),
            "the webhook notification",
        );
        let formats = self.content_types(f, &webhook.content_types);
        if webhook.fields.is_empty() {
            self.err(
                f,
                &["webhook"],
                true,
                "the webhook notification has no fields".into(),
            )
            .hint("list the keys of the body under `fields:`");
        }
        let mut wires = HashSet::new();
        let mut fields = Vec::new();
        for (name, field) in &webhook.fields {
            let at = ["webhook", "fields", name];
            self.snake(
                f,
                Name::Key(&at),
                name,
                "field",
                Wire::of(field.wire.as_deref()),
            );
            if name == naming::NOTIFICATION_EXTRA {
                self.err(
                    f,
                    &at,
                    true,
                    format!(
                        "a notification field cannot be called `{name}`: it would clash with \
                         the field that keeps the keys the spec does not name"
                    ),
                )
                .hint(match field.wire {
                    Some(_) => "pick another name".to_owned(),
                    None => {
                        format!("pick another name, with `wire: {name}` so the key is still read")
                    }
                });
            }
            let doc = self.doc(
                f,
                &at,
                field.doc.as_deref(),
                &format!("webhook field `{name}`"),
            );
            let wire = field.wire.as_deref().unwrap_or(name);
            if !wires.insert(wire) {
                self.err(
                    f,
                    &at,
                    true,
                    format!("two webhook fields read the key `{wire}`"),
                );
            }
            let ty = self.webhook_field_type(f, name, &field.ty);
            fields.push((|| {
                Some(WebhookField {
                    name: name.clone(),
                    wire: wire.to_owned(),
                    ty: ty?,
                    doc: doc?,
                    optional: field.optional,
                    example: field.example.clone(),
                })
            })());
        }
        let fields = all(fields)?;
        Some(Webhook {
            category: cat.category.clone(),
            doc: doc?,
            formats: formats?,
            fields: (!fields.is_empty()).then_some(fields)?,
        })
    }

    /// The formats of `content_types:`, each known and listed once, at least one.
    fn content_types(&mut self, f: usize, listed: &[String]) -> Option<Vec<BodyFormat>> {
        let hint = "a notification is read from `application/json` and/or \
                    `application/x-www-form-urlencoded`";
        if listed.is_empty() {
            self.err(
                f,
                &["webhook"],
                true,
                "the webhook notification lists no `content_types`".into(),
            )
            .hint(hint);
            return None;
        }
        let mut formats = Vec::new();
        for (i, media_type) in listed.iter().enumerate() {
            let index = i.to_string();
            let at = ["webhook", "content_types", index.as_str()];
            let format = match media_type.as_str() {
                "application/json" => BodyFormat::Json,
                "application/x-www-form-urlencoded" => BodyFormat::Form,
                _ => {
                    self.err(
                        f,
                        &at,
                        false,
                        format!("`{media_type}` is not a content type a notification is read from"),
                    )
                    .hint(hint);
                    formats.push(None);
                    continue;
                }
            };
            if formats.contains(&Some(format)) {
                self.err(f, &at, false, format!("`{media_type}` is listed twice"));
                formats.push(None);
            } else {
                formats.push(Some(format));
            }
        }
        all(formats)
    }

    /// A notification field is text: `string`, or an enum read from its wire value.
    fn webhook_field_type(&mut self, f: usize, name: &str, text: &str) -> Option<CheckedType> {
        let ty = self.type_ref(f, &["webhook", "fields", name, "type"], text)?;
        let text_like = match &ty {
            CheckedType::Scalar(Scalar::String) => true,
            CheckedType::Named(id) => self.is_enum(*id),
            _ => false,
        };
        if !text_like {
            self.err(
                f,
                &["webhook", "fields", name, "type"],
                false,
                format!(
                    "webhook field `{name}` has type `{text}`, but a notification carries only text"
                ),
            )
            .label("not text")
            .hint("use `string`, or an enum type to read the text as one of its values");
            return None;
        }
        Some(ty)
    }
}
