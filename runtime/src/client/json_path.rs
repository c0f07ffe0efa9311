//! Where in a JSON text a decoding error happened, as a path like `list[3].amount`.
//!
//! serde_json reports the line and column of an error; this module walks the text up to that
//! point and names the enclosing keys and array indices. Doing it after the fact, on error
//! only, keeps decoding to a single serde_json instantiation per payload type: tracking the
//! path during decoding (serde_path_to_error) needs a second, wrapped one.

/// One level of nesting around the error position.
enum Frame {
    Object {
        /// The most recent key; `None` before the first key is read.
        key: Option<String>,
        /// Between `{` or `,` and the next `:`, i.e. a string here is a key.
        expecting_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The path to the value at byte `offset` of `text` (the byte serde_json's line and column
/// point at, included), e.g. `cancel_history[0].amount`; `.` for the top level.
pub(crate) fn json_path_at(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let end = offset.saturating_add(1).min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                expecting_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
            }
            b'"' => {
                let close = string_end(bytes, i);
                if let Some(Frame::Object {
                    key,
                    expecting_key: true,
                }) = stack.last_mut()
                {
                    *key = Some(unescape(&text[i..close.min(bytes.len())]));
                }
                i = close;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    render(&stack)
}

/// The index just past the string starting with the quote at `start` (or the text's end).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The text of a quoted key; a key cut off or malformed is shown as written.
fn unescape(quoted: &str) -> String {
    if !quoted.contains('\\') {
        return quoted.trim_matches('"').to_owned();
    }
    serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.trim_matches('"').to_owned())
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::json_path_at;
    use crate::client::error::offset_of;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Cancel {
        amount: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Payment {
        imp_uid: String,
        cancel_history: Vec<Cancel>,
        tags: Option<Vec<Vec<i64>>>,
    }

    /// The path named for the error serde_json reports while decoding `text` as a `Payment`.
    fn path_of_error(text: &str) -> String {
        let err = serde_json::from_str::<Payment>(text).expect_err("must fail");
        json_path_at(text, offset_of(text, err.line(), err.column()))
    }

    #[test]
    fn type_errors_name_the_value() {
        let text =
            r#"{"imp_uid":"imp_1","cancel_history":[{"amount":1},{"amount":"one thousand"}]}"#;
        assert_eq!(path_of_error(text), "cancel_history[1].amount");
        assert_eq!(
            path_of_error(r#"{"imp_uid": 7, "cancel_history": []}"#),
            "imp_uid"
        );
        assert_eq!(
            path_of_error(r#"{"imp_uid":"a","cancel_history":[],"tags":[[1],[2,"x"]]}"#),
            "tags[1][1]"
        );
        assert_eq!(
            path_of_error(r#"{"imp_uid":"a","cancel_history":{"amount":1}}"#),
            "cancel_history"
        );
    }

    #[test]
    fn a_missing_field_names_the_object_that_lacks_it() {
        let text = r#"{"imp_uid":"a","cancel_history":[{"amount":1},{"other":2}]}"#;
        assert_eq!(path_of_error(text), "cancel_history[1]");
        assert_eq!(path_of_error(r#"{"imp_uid":"a"}"#), ".");
    }

    #[test]
    fn multi_line_text_escaped_keys_and_tricky_strings() {
        let text = "{\n  \"imp_uid\": \"a,[{}]:\\\"\",\n  \"cancel_history\": [\n    {\"amount\": 1},\n    {\"amount\": null}\n  ]\n}";
        assert_eq!(path_of_error(text), "cancel_history[1].amount");
        let escaped = r#"{"imp_uid":"a","cancel\u005fhistory":[{"amount":"x"}]}"#;
        assert_eq!(path_of_error(escaped), "cancel_history[0].amount");
    }

    #[test]
    fn truncated_or_garbage_text_never_panics() {
        for text in [
            "",
            "{",
            "[[[",
            "{\"a",
            "{\"a\":\"\\",
            "]}]}",
            "\"",
            "{\"k\":[1,",
            "\u{1F600}{",
        ] {
            for offset in 0..text.len() + 2 {
                let _ = json_path_at(text, offset);
            }
        }
        assert_eq!(json_path_at("", 0), ".");
    }
}
