//! A notice's body as PortOne sends it: flat string fields, as JSON or as a form.

use crate::exchange::Notice;

/// How a fake sends notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebhookFormat {
    /// `application/json` (the default).
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// The content type and body of a notice as PortOne sends it, in `format`.
pub(super) fn body(notice: &Notice, format: WebhookFormat) -> (&'static str, String) {
    let mut fields = vec![
        ("imp_uid", notice.imp_uid.as_str()),
        ("merchant_uid", notice.merchant_uid.as_str()),
        ("status", notice.status.as_str()),
    ];
    if let Some(id) = &notice.cancellation_id {
        fields.push(("cancellation_id", id));
    }
    match format {
        WebhookFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> = fields
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.into()))
                .collect();
            (
                "application/json",
                serde_json::Value::Object(object).to_string(),
            )
        }
        WebhookFormat::Form => {
            let mut out = form_urlencoded::Serializer::new(String::new());
            out.extend_pairs(fields);
            ("application/x-www-form-urlencoded", out.finish())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_in_both_formats() {
        let notice = Notice {
            notice_url: None,
            imp_uid: "imp_1".into(),
            merchant_uid: "order 1".into(),
            status: "cancelled".into(),
            cancellation_id: Some("c1".into()),
        };
        assert_eq!(
            body(&notice, WebhookFormat::Json),
            (
                "application/json",
                r#"{"cancellation_id":"c1","imp_uid":"imp_1","merchant_uid":"order 1","status":"cancelled"}"#.into()
            )
        );
        assert_eq!(
            body(&notice, WebhookFormat::Form).1,
            "imp_uid=imp_1&merchant_uid=order+1&status=cancelled&cancellation_id=c1"
        );
    }
}
