//! What a fake records for assertions: every request it received and every notification it
//! sent, with secrets hidden.

use serde_json::Value;

use crate::fault::FaultKind;
use crate::operation::Operation;

/// What stands in for a hidden secret.
pub const REDACTED: &str = "[redacted]";

/// One request the fake received.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Received {
    /// HTTP method.
    pub method: String,
    /// Path as sent (percent-encoded).
    pub path: String,
    /// Query string as sent, without `?` (empty when there is none).
    pub query: String,
    /// Body as text, `imp_secret` hidden (JSON and form bodies).
    pub body: String,
    /// Headers in order, names lower-case; `authorization` and `x-imptokenheader` hidden.
    pub headers: Vec<(String, String)>,
    /// The endpoint it was routed to.
    pub endpoint: Option<Operation>,
    /// HTTP status of the answer (the one computed, for a reset or stalled answer; 0 when the
    /// call was reset unhandled).
    pub status: u16,
    /// Who answered.
    pub served: Served,
    /// The fault injected into this call, if any.
    pub fault: Option<FaultKind>,
}

/// Who answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Served {
    /// The spec's sample payload: the ledger does not model the call.
    Sample,
    /// The ledger: a payload, or one of its refusals.
    Ledger,
    /// The token issuer: a token, or a 401 for wrong credentials.
    Token,
    /// The server refused it before the ledger: unknown path, wrong method, missing or
    /// expired token, undecodable parameter or body.
    Refused,
    /// An injected 5xx or 429 answered instead; the ledger never saw the call.
    Fault,
    /// A control endpoint under `/__fake/` (for tests driving the binary over HTTP).
    Control,
}

/// One attempt to deliver a notification: the first, or a resend under the retry policy. A
/// duplicate (see [`FakePortOne::set_duplicate_notifications`]) is a notification of its own,
/// with its own first attempt.
///
/// [`FakePortOne::set_duplicate_notifications`]: crate::FakePortOne::set_duplicate_notifications
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Notification {
    /// Where it went.
    pub url: String,
    /// `application/json` or `application/x-www-form-urlencoded`.
    pub content_type: String,
    /// The body sent.
    pub body: String,
    /// 1 for the first attempt, 2 to 5 for resends.
    pub attempt: u32,
    /// When the attempt started, on the fake's clock (UNIX seconds).
    pub sent_at: i64,
    /// The receiver's HTTP status, or why there is none: it could not be reached, it closed
    /// the connection, or it took longer than PortOne waits.
    pub outcome: Result<u16, String>,
    /// When the next attempt is due on the fake's clock; `None` when there is none (the
    /// attempt succeeded or got an answer below 500, resends are off, or this was the fifth).
    pub retry_at: Option<i64>,
}

/// A header value as the record keeps it.
pub(crate) fn header(name: &str, value: &str) -> String {
    if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("x-imptokenheader") {
        REDACTED.to_owned()
    } else {
        value.to_owned()
    }
}

/// A body as the record keeps it: `imp_secret` hidden in a JSON object or a form.
pub(crate) fn body(raw: &[u8], form: bool) -> String {
    let text = String::from_utf8_lossy(raw).into_owned();
    if form {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw).into_owned().collect();
        if pairs.iter().any(|(k, _)| k == "imp_secret") {
            let mut out = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                out.append_pair(k, if k == "imp_secret" { REDACTED } else { v });
            }
            return out.finish();
        }
        return text;
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(mut object)) if object.contains_key("imp_secret") => {
            object.insert("imp_secret".into(), Value::String(REDACTED.into()));
            Value::Object(object).to_string()
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_hidden() {
        assert_eq!(header("Authorization", "Bearer t"), REDACTED);
        assert_eq!(header("X-ImpTokenHeader", "t"), REDACTED);
        assert_eq!(header("content-type", "text/plain"), "text/plain");
        assert_eq!(
            body(br#"{"imp_key":"k","imp_secret":"s"}"#, false),
            r#"{"imp_key":"k","imp_secret":"[redacted]"}"#
        );
        assert_eq!(
            body(b"imp_key=k&imp_secret=s", true),
            "imp_key=k&imp_secret=%5Bredacted%5D"
        );
        assert_eq!(body(b"not json", false), "not json");
    }
}
