//! Reading the body of a webhook notification into its keys and values, whichever of the two
//! encodings PortOne's console is set to send, and the error that says why a body is refused.
//!
//! Only this generic part lives here; which keys a notification has, and their types, come
//! from the spec and are read by the generated `webhook` module through [`NotificationBody`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The largest notification body read, in bytes. A real notification is a few hundred
/// bytes; anything near this is not one, and refusing it early keeps a handler's memory use
/// bounded by this crate rather than by whoever posts to it.
pub const MAX_NOTIFICATION_SIZE: usize = 64 * 1024;

/// The encodings a notification body comes in (PortOne's console picks one per merchant).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyFormat {
    /// `application/json`: one JSON object.
    Json,
    /// `application/x-www-form-urlencoded`: `key=value` pairs joined by `&`.
    Form,
}

impl BodyFormat {
    /// The media type of the format.
    pub fn media_type(self) -> &'static str {
        match self {
            BodyFormat::Json => "application/json",
            BodyFormat::Form => "application/x-www-form-urlencoded",
        }
    }

    /// The format a `Content-Type` header value names: the media type is compared without
    /// regard to case, and parameters such as `; charset=utf-8` are ignored. `None` for any
    /// other media type.
    pub fn from_content_type(content_type: &str) -> Option<BodyFormat> {
        let media_type = content_type.split(';').next().unwrap_or_default().trim();
        [BodyFormat::Json, BodyFormat::Form]
            .into_iter()
            .find(|f| f.media_type().eq_ignore_ascii_case(media_type))
    }

    /// The format of a body that came without a content type. A form body never holds a raw
    /// `{` or `[` (its encoder escapes both), so a body starting with one is JSON.
    fn sniff(body: &[u8]) -> BodyFormat {
        match body.trim_ascii_start().first() {
            Some(b'{' | b'[') => BodyFormat::Json,
            _ => BodyFormat::Form,
        }
    }
}

impl fmt::Display for BodyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.media_type())
    }
}

/// Why a webhook notification body was refused. Each variant names what was wrong: the
/// content type, the key, or the field.
///
/// It is not a [`crate::Error`]: no call to PortOne was made. A handler usually answers it
/// with HTTP 400, which PortOne does not retry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The content type is neither of the accepted formats (an empty one means the body is
    /// read as the format it looks like, which was not accepted either).
    #[error(
        "webhook body has content type {content_type:?}; a notification is read from {}",
        Formats(accepted)
    )]
    UnsupportedContentType {
        /// The content type as received.
        content_type: String,
        /// The formats the notification is read from.
        accepted: &'static [BodyFormat],
    },
    /// The body is empty or only whitespace.
    #[error("webhook body is empty (content type {content_type:?})")]
    Empty {
        /// The content type as received.
        content_type: String,
    },
    /// The body is larger than [`MAX_NOTIFICATION_SIZE`]; it was not read.
    #[error("webhook body is {len} bytes, over the {limit}-byte limit for a notification")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The body, or a key or value of a form body once percent-decoded, is not UTF-8. A
    /// decoded form value holding U+FFFD is refused too: it is what a failed decoding,
    /// here or before PortOne sent it, leaves behind.
    #[error("{} ({format} body)", NotUtf8(key.as_deref()))]
    NotUtf8 {
        /// The format of the body.
        format: BodyFormat,
        /// The key whose value is not UTF-8; `None` when a key, or the JSON body, is not.
        key: Option<String>,
    },
    /// The JSON body does not parse.
    #[error("webhook body is not valid JSON: {message}")]
    InvalidJson {
        /// What the JSON parser said, with the place.
        message: String,
        /// Line of the problem, from 1.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
    },
    /// The JSON body is valid but not an object (an array, a string, ...).
    #[error("webhook JSON body is {found}, not an object")]
    NotAnObject {
        /// What it is instead ("an array").
        found: &'static str,
    },
    /// A key appears more than once: the two values may differ, and picking one would let
    /// a crafted body say two things.
    #[error("webhook body ({format}) has the key `{key}` more than once")]
    RepeatedKey {
        /// The format of the body.
        format: BodyFormat,
        /// The repeated key.
        key: String,
    },
    /// A required field is absent (or JSON `null`).
    #[error("webhook body ({format}) has no `{field}`")]
    Missing {
        /// The format of the body.
        format: BodyFormat,
        /// The key of the missing field.
        field: &'static str,
    },
    /// A field of a JSON body is not a string. PortOne sends every field as text, so a
    /// number, boolean, array or object there means the body is not what it claims to be;
    /// it is refused rather than converted.
    #[error("webhook field `{field}` is {found} in the JSON body; PortOne sends it as a string")]
    WrongType {
        /// The key of the field.
        field: &'static str,
        /// What it is instead ("a number").
        found: &'static str,
    },
}

/// `a or b` for the message of [`WebhookError::UnsupportedContentType`].
struct Formats(&'static [BodyFormat]);

impl fmt::Display for Formats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, format) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            fmt::Display::fmt(format, f)?;
        }
        Ok(())
    }
}

/// The first half of the message of [`WebhookError::NotUtf8`].
struct NotUtf8<'a>(Option<&'a str>);

impl fmt::Display for NotUtf8<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(key) => write!(f, "webhook field `{key}` is not UTF-8 text"),
            None => f.write_str("webhook body is not UTF-8 text"),
        }
    }
}

/// The keys and values of a notification body, which the generated `Notification::parse`
/// takes its fields from; what it leaves is the notification's `extra`.
#[doc(hidden)]
#[derive(Debug)]
pub struct NotificationBody {
    format: BodyFormat,
    entries: BTreeMap<String, Value>,
}

impl NotificationBody {
    /// Reads `body` in the format its content type names (one of `accepted`), or, when the
    /// content type is empty (the header was missing), in the format the body looks like.
    /// Form values become JSON strings.
    pub fn parse(
        body: &[u8],
        content_type: &str,
        accepted: &'static [BodyFormat],
    ) -> Result<NotificationBody, WebhookError> {
        if body.len() > MAX_NOTIFICATION_SIZE {
            return Err(WebhookError::TooLarge {
                len: body.len(),
                limit: MAX_NOTIFICATION_SIZE,
            });
        }
        let format = if content_type.trim().is_empty() {
            Some(BodyFormat::sniff(body))
        } else {
            BodyFormat::from_content_type(content_type)
        };
        let Some(format) = format.filter(|f| accepted.contains(f)) else {
            return Err(WebhookError::UnsupportedContentType {
                content_type: content_type.to_owned(),
                accepted,
            });
        };
        if body.trim_ascii().is_empty() {
            return Err(WebhookError::Empty {
                content_type: content_type.to_owned(),
            });
        }
        let pairs = match format {
            BodyFormat::Json => json_pairs(body)?,
            BodyFormat::Form => form_pairs(body)?,
        };
        let mut entries = BTreeMap::new();
        for (key, value) in pairs {
            if entries.contains_key(&key) {
                return Err(WebhookError::RepeatedKey { format, key });
            }
            entries.insert(key, value);
        }
        Ok(NotificationBody { format, entries })
    }

    /// Takes a required text field.
    pub fn required(&mut self, field: &'static str) -> Result<String, WebhookError> {
        self.optional(field)?.ok_or(WebhookError::Missing {
            format: self.format,
            field,
        })
    }

    /// Takes an optional text field; absent and JSON `null` are `None`.
    pub fn optional(&mut self, field: &'static str) -> Result<Option<String>, WebhookError> {
        match self.entries.remove(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(WebhookError::WrongType {
                field,
                found: kind(&other),
            }),
        }
    }

    /// Every key no field took, with its value as received.
    pub fn rest(self) -> BTreeMap<String, Value> {
        self.entries
    }
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn json_pairs(body: &[u8]) -> Result<Vec<(String, Value)>, WebhookError> {
    if std::str::from_utf8(body).is_err() {
        return Err(WebhookError::NotUtf8 {
            format: BodyFormat::Json,
            key: None,
        });
    }
    match serde_json::from_slice::<TopLevel>(body) {
        Ok(TopLevel::Object(pairs)) => Ok(pairs),
        Ok(TopLevel::Other(found)) => Err(WebhookError::NotAnObject { found }),
        Err(e) => Err(WebhookError::InvalidJson {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        }),
    }
}

/// Percent-decoding is form_urlencoded's, which replaces bytes that are not UTF-8 with
/// U+FFFD; finding one afterwards is how a bad key or value is told apart.
fn form_pairs(body: &[u8]) -> Result<Vec<(String, Value)>, WebhookError> {
    let mut pairs = Vec::new();
    for (key, value) in form_urlencoded::parse(body) {
        if key.contains(char::REPLACEMENT_CHARACTER) {
            return Err(WebhookError::NotUtf8 {
                format: BodyFormat::Form,
                key: None,
            });
        }
        if value.contains(char::REPLACEMENT_CHARACTER) {
            return Err(WebhookError::NotUtf8 {
                format: BodyFormat::Form,
                key: Some(key.into_owned()),
            });
        }
        pairs.push((key.into_owned(), Value::String(value.into_owned())));
    }
    Ok(pairs)
}

/// A JSON document's top level: an object's entries in order, repeated keys kept (which
/// `serde_json::Map` would silently merge), or what it is instead.
enum TopLevel {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

impl<'de> serde::Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry::<String, Value>()? {
            pairs.push(pair);
        }
        Ok(TopLevel::Object(pairs))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TopLevel, A::Error> {
        // Read to the end, or serde_json reports the unread elements as a syntax error.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TopLevel::Other("an array"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a string"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("a number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Other("null"))
    }
}
