//! What goes to standard output: JSON, pretty on a terminal and one line when piped (so that
//! `jq` and `grep` get one value per line), with every secret hidden.

use std::io::{IsTerminal, Write};

use portone_v1_runtime::SECRET_KEYS;
use serde_json::Value;

/// What replaces a secret's value.
pub(crate) const MASK: &str = "[redacted]";

/// Hides the value of every key the runtime treats as a secret (`card_number`,
/// `access_token`, `imp_secret`, ...: the spec's `secret: true` fields and the credential
/// headers), at any depth.
pub(crate) fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_secret(key) {
                    if !value.is_null() {
                        *value = Value::String(MASK.to_owned());
                    }
                } else {
                    redact(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Whether values under `key` are secrets (keys compare without regard to case).
pub(crate) fn is_secret(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// Prints `value`, secrets hidden: pretty on a terminal, one line otherwise.
pub(crate) fn print(value: Value) {
    line(&render(value, std::io::stdout().is_terminal()));
}

/// Prints `value` as one line whatever the output is, secrets hidden (streams: one value per
/// line).
pub(crate) fn print_line(value: Value) {
    line(&render(value, false));
}

/// `value` as text, secrets hidden: indented, or on one line.
fn render(mut value: Value, pretty: bool) -> String {
    redact(&mut value);
    let text = if pretty {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    };
    text.unwrap_or_default()
}

/// Writes one line to standard output; a closed pipe (`| head`) ends the output quietly.
fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// A note for the operator on standard error (standard output stays JSON).
pub(crate) fn note(text: &str) {
    eprintln!("{text}");
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pretty_on_a_terminal_one_line_otherwise() {
        let value = json!({"imp_uid": "imp_1", "cancel_history": [{"amount": 1000}]});
        assert_eq!(
            render(value.clone(), false),
            r#"{"cancel_history":[{"amount":1000}],"imp_uid":"imp_1"}"#
        );
        let pretty = render(value, true);
        assert!(pretty.lines().count() > 1, "{pretty}");
        assert!(pretty.contains("\n  \"imp_uid\": \"imp_1\""), "{pretty}");
        assert_eq!(
            render(json!({"access_token": "t"}), false),
            r#"{"access_token":"[redacted]"}"#
        );
    }

    #[test]
    fn secrets_are_hidden_at_any_depth() {
        let mut value = json!({
            "access_token": "t0ken",
            "Card_Number": "4579-7312-3456-1234",
            "cvc": null,
            "list": [{"imp_secret": "s3cret", "amount": 1000}],
            "name": "order"
        });
        redact(&mut value);
        assert_eq!(
            value,
            json!({
                "access_token": MASK,
                "Card_Number": MASK,
                "cvc": null,
                "list": [{"imp_secret": MASK, "amount": 1000}],
                "name": "order"
            })
        );
    }
}
