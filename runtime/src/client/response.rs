//! Reading PortOne's `{code, message, response}` envelope.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::error::offset_of;
use super::json_path::json_path_at;
use super::redact::{Exposed, MASK, Redactor};
use crate::wire;
use crate::{ApiError, DecodeError, Endpoint, Error};

/// Whether an error may quote the endpoint's answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sensitivity {
    /// Quotes are fine once scrubbed of secrets.
    Normal,
    /// The answer holds a secret or echoes one (token response): never quote it.
    Secret,
}

impl Sensitivity {
    /// The token endpoint (the only one needing no token) answers with a secret, and a proxy
    /// that echoes its request would show the API secret.
    fn of(endpoint: &Endpoint) -> Sensitivity {
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
/// (so that decoding can record PortOne's `code` on it) and the secrets the request exposed
/// (so that an error never quotes them).
#[derive(Debug)]
pub(crate) struct Success {
    pub(crate) response: RawResponse,
    pub(crate) span: tracing::Span,
    pub(crate) exposed: Exposed,
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
/// A body with `code` 0 and a payload decodes in a single pass. An endpoint without a payload
/// (`T` is `()`) also accepts a success with an empty body. Anything else (a non-zero code, a
/// null payload, malformed JSON, a payload of the wrong shape) takes the careful path, which
/// reads the envelope first and reports the JSON path of a decoding failure.
pub(crate) fn decode<T: DeserializeOwned>(
    endpoint: &'static Endpoint,
    success: Success,
) -> Result<T, Error> {
    let response = &success.response;
    if std::mem::size_of::<T>() != 0 {
        if let Ok(Direct {
            code: 0,
            response: Some(value),
        }) = serde_json::from_slice::<Direct<T>>(&response.body)
        {
            success.span.record("code", 0);
            return Ok(value);
        }
    } else if response.body.iter().all(u8::is_ascii_whitespace)
        && (200..300).contains(&response.status)
    {
        if let Some(unit) = unit::<T>() {
            return Ok(unit);
        }
    }
    let exposed = &success.exposed;
    let result = interpret(endpoint, response, exposed)
        .and_then(|payload| decode_payload(endpoint, response.status, payload, exposed));
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
    exposed: &Exposed,
) -> Result<Option<&'b RawValue>, Error> {
    if !(200..300).contains(&response.status) {
        return Err(refusal(endpoint, api_error(endpoint, response, exposed)));
    }
    match parse_envelope(&response.body) {
        Ok(envelope) if envelope.code == 0 => Ok(envelope.response),
        Ok(envelope) => Err(refusal(
            endpoint,
            envelope_error(endpoint, response.status, &envelope, exposed),
        )),
        Err(e) => Err(Error::Decode(envelope_decode_error(
            endpoint, response, &e, exposed,
        ))),
    }
}

/// How a refusal is reported. The token endpoint (the one endpoint that needs no token)
/// refuses the credentials with HTTP 401 or 403, or with a non-zero `code` on a 2xx answer:
/// that is [`Error::Auth`]. Any other refusal, the token endpoint's outages included, is an
/// ordinary [`Error::Api`].
pub(crate) fn refusal(endpoint: &Endpoint, api: ApiError) -> Error {
    let refused_credentials = matches!(api.status, 401 | 403)
        || ((200..300).contains(&api.status) && api.code.is_some_and(|code| code != 0));
    if !endpoint.auth && refused_credentials {
        Error::Auth(api)
    } else {
        Error::Api(api)
    }
}

/// The error for a refused request: the envelope's code and message, or an excerpt when the
/// body is not an envelope (HTML page, empty body). Both are scrubbed of secrets, and the
/// token endpoint's answers are not quoted at all.
pub(crate) fn api_error(
    endpoint: &'static Endpoint,
    response: &RawResponse,
    exposed: &Exposed,
) -> ApiError {
    match parse_envelope(&response.body) {
        Ok(envelope) => envelope_error(endpoint, response.status, &envelope, exposed),
        Err(_) => ApiError {
            method: endpoint.method,
            path: endpoint.path,
            status: response.status,
            code: None,
            message: None,
            body_excerpt: match Sensitivity::of(endpoint) {
                Sensitivity::Normal => Some(exposed.redactor().start(&response.body)),
                Sensitivity::Secret => None,
            },
        },
    }
}

fn envelope_error(
    endpoint: &'static Endpoint,
    status: u16,
    envelope: &Envelope<'_>,
    exposed: &Exposed,
) -> ApiError {
    let message = match Sensitivity::of(endpoint) {
        Sensitivity::Normal => envelope
            .message
            .and_then(message_text)
            .map(|text| exposed.redactor().scrub(&text)),
        Sensitivity::Secret => None,
    };
    ApiError {
        method: endpoint.method,
        path: endpoint.path,
        status,
        code: Some(envelope.code),
        message,
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
    exposed: &Exposed,
) -> DecodeError {
    if response.body.is_empty() {
        return DecodeError {
            method: endpoint.method,
            path: endpoint.path,
            status: response.status,
            json_path: error.path.clone(),
            excerpt: String::new(),
            message: "empty response body".to_owned(),
        };
    }
    let text = String::from_utf8_lossy(&response.body);
    let offset = offset_of(&text, error.inner.line(), error.inner.column());
    decode_error(
        endpoint,
        response.status,
        &text,
        offset,
        &error.path,
        &error.inner,
        exposed,
    )
}

/// A decoding failure at byte `offset` of `text` (the body or the payload), quoted only as far
/// as it is safe: scrubbed of secrets, and not at all for the token endpoint.
fn decode_error(
    endpoint: &'static Endpoint,
    status: u16,
    text: &str,
    offset: usize,
    json_path: &str,
    inner: &serde_json::Error,
    exposed: &Exposed,
) -> DecodeError {
    let (excerpt, message, json_path) = match Sensitivity::of(endpoint) {
        Sensitivity::Normal => {
            let redactor: Redactor = exposed.redactor();
            (
                redactor.around(text, offset),
                redactor.scrub(&inner.to_string()),
                redactor.scrub(json_path),
            )
        }
        // serde_json's message may quote a value of the answer: keep only its kind.
        Sensitivity::Secret => (
            MASK.to_owned(),
            format!(
                "not a valid token response ({:?} error at line {} column {})",
                inner.classify(),
                inner.line(),
                inner.column()
            ),
            json_path.to_owned(),
        ),
    };
    DecodeError {
        method: endpoint.method,
        path: endpoint.path,
        status,
        json_path,
        excerpt,
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
    exposed: &Exposed,
) -> Result<T, Error> {
    // A zero-sized payload type (`()` for endpoints without a payload)
    // holds no data, so whatever the service put in `response` is ignored
    // rather than turning a completed operation into an error.
    if std::mem::size_of::<T>() == 0 {
        if let Some(unit) = unit::<T>() {
            return Ok(unit);
        }
    }
    let text = payload.map_or("null", RawValue::get);
    serde_json::from_slice(text.as_bytes()).map_err(|inner| {
        let offset = offset_of(text, inner.line(), inner.column());
        let path = prefixed_path(&json_path_at(text, offset));
        Error::Decode(decode_error(
            endpoint, status, text, offset, &path, &inner, exposed,
        ))
    })
}

/// The value of a payload type that holds no data (`()`), if `T` is one.
fn unit<T: DeserializeOwned>() -> Option<T> {
    T::deserialize(serde::de::value::UnitDeserializer::<serde_json::Error>::new()).ok()
}

/// Makes a payload-relative path relative to the body.
fn prefixed_path(path: &str) -> String {
    match path {
        "" | "." => "response".to_owned(),
        p if p.starts_with('[') => format!("response{p}"),
        p => format!("response.{p}"),
    }
}
