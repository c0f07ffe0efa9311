//! Reading PortOne's `{code, message, response}` envelope.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{body_excerpt, excerpt_around, offset_of};
use crate::json_path::json_path_at;
use crate::wire;
use crate::{ApiError, DecodeError, Endpoint, Error};

/// Whether body excerpts may appear in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sensitivity {
    /// Excerpts are fine.
    Normal,
    /// The body holds a secret (token response): never quote it.
    Secret,
}

impl Sensitivity {
    /// The token endpoint (the only one needing no token) answers with a secret.
    pub(crate) fn of(endpoint: &Endpoint) -> Sensitivity {
        if endpoint.auth {
            Sensitivity::Normal
        } else {
            Sensitivity::Secret
        }
    }
}

/// A complete HTTP response.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) body: bytes::Bytes,
}

/// A 2xx response whose envelope has not been read yet, with the request's tracing span
/// (so that decoding can record PortOne's `code` on it).
#[derive(Debug)]
pub(crate) struct Success {
    pub(crate) response: RawResponse,
    pub(crate) span: tracing::Span,
}

/// The envelope read in one pass together with its payload: the common case.
struct Direct<T> {
    code: i64,
    response: Option<T>,
}

/// Written out like the generated impls (see `wire.rs`): it is compiled once per payload
/// type in every crate that awaits a call, so it stays small.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Direct<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(DirectVisitor(PhantomData))
    }
}

struct DirectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for DirectVisitor<T> {
    type Value = Direct<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a PortOne response envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Direct<T>, A::Error> {
        fn index(key: &str) -> usize {
            match key {
                "code" => 0,
                "response" => 1,
                _ => usize::MAX,
            }
        }
        let mut code = None;
        let mut response: Option<Option<T>> = None;
        while let Some(i) = map.next_key_seed(wire::FromStr(index))? {
            let read = match i {
                0 => wire::field(&mut code, &mut map, "code"),
                1 => wire::field(&mut response, &mut map, "response"),
                _ => wire::skip(&mut map),
            };
            read?;
        }
        Ok(Direct {
            code: wire::required(code, "code")?,
            response: response.flatten(),
        })
    }
}

/// Decodes a 2xx body into the payload type, or explains why it cannot.
///
/// A body with `code` 0 and a payload decodes in a single pass. Anything else (a non-zero
/// code, a null payload, malformed JSON, a payload of the wrong shape) takes the careful
/// path, which reads the envelope first and reports the JSON path of a decoding failure.
pub(crate) fn decode<T: DeserializeOwned>(
    endpoint: &'static Endpoint,
    success: Success,
    sensitivity: Sensitivity,
) -> Result<T, Error> {
    if std::mem::size_of::<T>() != 0 {
        if let Ok(Direct {
            code: 0,
            response: Some(value),
        }) = serde_json::from_slice::<Direct<T>>(&success.response.body)
        {
            success.span.record("code", 0);
            return Ok(value);
        }
    }
    let result = interpret(endpoint, &success.response, sensitivity).and_then(|payload| {
        decode_payload(endpoint, success.response.status, payload, sensitivity)
    });
    match &result {
        Ok(_) => success.span.record("code", 0),
        Err(e) => success.span.record("code", e.code()),
    };
    result
}

#[derive(serde::Deserialize)]
struct Envelope<'a> {
    code: i64,
    #[serde(default, borrow)]
    message: Option<&'a RawValue>,
    #[serde(default, borrow)]
    response: Option<&'a RawValue>,
}

/// Turns a final response into a success or an error.
fn interpret<'b>(
    endpoint: &'static Endpoint,
    response: &'b RawResponse,
    sensitivity: Sensitivity,
) -> Result<Option<&'b RawValue>, Error> {
    if !(200..300).contains(&response.status) {
        return Err(Error::Api(api_error(endpoint, response)));
    }
    match parse_envelope(&response.body) {
        Ok(envelope) if envelope.code == 0 => Ok(envelope.response),
        Ok(envelope) => Err(Error::Api(envelope_error(
            endpoint,
            response.status,
            &envelope,
        ))),
        Err(e) => Err(Error::Decode(envelope_decode_error(
            endpoint,
            response,
            &e,
            sensitivity,
        ))),
    }
}

/// The error for a refused request: the envelope's code and message, or an
/// excerpt when the body is not an envelope (HTML page, empty body).
pub(crate) fn api_error(endpoint: &'static Endpoint, response: &RawResponse) -> ApiError {
    match parse_envelope(&response.body) {
        Ok(envelope) => envelope_error(endpoint, response.status, &envelope),
        Err(_) => ApiError {
            method: endpoint.method,
            path: endpoint.path,
            status: response.status,
            code: None,
            message: None,
            body_excerpt: Some(body_excerpt(&response.body)),
        },
    }
}

fn envelope_error(endpoint: &'static Endpoint, status: u16, envelope: &Envelope<'_>) -> ApiError {
    ApiError {
        method: endpoint.method,
        path: endpoint.path,
        status,
        code: Some(envelope.code),
        message: envelope.message.and_then(message_text),
        body_excerpt: None,
    }
}

/// Why a body is not an envelope.
struct EnvelopeError {
    path: String,
    inner: serde_json::Error,
}

fn parse_envelope(body: &[u8]) -> Result<Envelope<'_>, EnvelopeError> {
    serde_json::from_slice(body).map_err(|inner| EnvelopeError {
        path: path_of(&String::from_utf8_lossy(body), &inner),
        inner,
    })
}

/// The JSON path of a serde_json error in `text`.
fn path_of(text: &str, error: &serde_json::Error) -> String {
    json_path_at(text, offset_of(text, error.line(), error.column()))
}

/// The envelope `message` as text; a non-string value is kept as JSON.
fn message_text(raw: &RawValue) -> Option<String> {
    match serde_json::from_str::<Option<String>>(raw.get()) {
        Ok(text) => text,
        Err(_) => Some(raw.get().to_owned()),
    }
}

fn envelope_decode_error(
    endpoint: &'static Endpoint,
    response: &RawResponse,
    error: &EnvelopeError,
    sensitivity: Sensitivity,
) -> DecodeError {
    let text = String::from_utf8_lossy(&response.body);
    let inner = &error.inner;
    let (message, excerpt) = if response.body.is_empty() {
        ("empty response body".to_owned(), String::new())
    } else {
        let offset = offset_of(&text, inner.line(), inner.column());
        (inner.to_string(), excerpt_around(&text, offset))
    };
    DecodeError {
        method: endpoint.method,
        path: endpoint.path,
        status: response.status,
        json_path: error.path.clone(),
        excerpt: redact(excerpt, sensitivity),
        message,
    }
}

/// Decodes the payload of a successful envelope into `T`, reporting the JSON path of a
/// failure. Only bodies the one-pass decoder in [`decode`] refused get here. It decodes with
/// the same serde_json deserializer type as that decoder, so each payload type's decoding
/// code is generated once.
fn decode_payload<T: DeserializeOwned>(
    endpoint: &'static Endpoint,
    status: u16,
    payload: Option<&RawValue>,
    sensitivity: Sensitivity,
) -> Result<T, Error> {
    // A zero-sized payload type (`()` for endpoints without a payload)
    // holds no data, so whatever the service put in `response` is ignored
    // rather than turning a completed operation into an error.
    if std::mem::size_of::<T>() == 0 {
        let unit = serde::de::value::UnitDeserializer::<serde_json::Error>::new();
        if let Ok(value) = T::deserialize(unit) {
            return Ok(value);
        }
    }
    let text = payload.map_or("null", RawValue::get);
    serde_json::from_slice(text.as_bytes()).map_err(|inner| {
        let offset = offset_of(text, inner.line(), inner.column());
        Error::Decode(DecodeError {
            method: endpoint.method,
            path: endpoint.path,
            status,
            json_path: prefixed_path(&json_path_at(text, offset)),
            excerpt: redact(excerpt_around(text, offset), sensitivity),
            message: inner.to_string(),
        })
    })
}

/// Makes a payload-relative path relative to the body.
fn prefixed_path(path: &str) -> String {
    match path {
        "" | "." => "response".to_owned(),
        p if p.starts_with('[') => format!("response{p}"),
        p => format!("response.{p}"),
    }
}

fn redact(excerpt: String, sensitivity: Sensitivity) -> String {
    match sensitivity {
        Sensitivity::Normal => excerpt,
        Sensitivity::Secret => "[redacted]".to_owned(),
    }
}
