//! The error type returned by every call.

use std::fmt;
use std::sync::Arc;

use super::request::TOKEN_ENDPOINT;
use crate::Method;

/// Everything that can go wrong with a call.
///
/// Every variant except [`Error::Config`] names the endpoint (HTTP method and
/// path template, never the filled-in path) that failed. The type is `Clone`
/// so a failed token fetch can be handed to every caller that was waiting for
/// it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered and refused the request: a non-zero envelope
    /// `code`, or a non-2xx HTTP status.
    #[error(transparent)]
    Api(ApiError),
    /// The credentials were refused: the token endpoint answered HTTP 401 or 403, or a
    /// non-zero `code`; or a call was still rejected with HTTP 401 after one token refresh
    /// and replay. Any other failure of the token request (an outage, a 429, a timeout) is
    /// reported as the [`Error::Api`], [`Error::Timeout`], ... it is, with
    /// [`Error::during_authentication`] true.
    #[error("authentication failed: {0}")]
    Auth(ApiError),
    /// No complete response arrived within the configured timeout. For a
    /// call that may move money the outcome is unknown: look the payment up
    /// before trying again.
    #[error("{method} {path}: timed out")]
    Timeout {
        /// HTTP method of the endpoint.
        method: Method,
        /// Path template of the endpoint.
        path: &'static str,
    },
    /// The connection failed or broke before a complete response arrived.
    #[error(transparent)]
    Transport(TransportError),
    /// A response arrived but its body could not be decoded.
    #[error(transparent)]
    Decode(DecodeError),
    /// The response body was larger than the client's limit
    /// ([`crate::ClientBuilder::max_response_size`]); reading stopped as soon as it was
    /// passed, so a huge or endless answer never fills memory.
    #[error(transparent)]
    ResponseTooLarge(ResponseTooLargeError),
    /// The client configuration is invalid (bad base URL, missing
    /// credentials, bad tier code, TLS set-up failure, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request could not be built (bad argument, body that failed to
    /// serialize, ...). Nothing was sent.
    #[error(transparent)]
    InvalidRequest(InvalidRequestError),
}

impl Error {
    /// The HTTP status of the response, when one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::Auth(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge(e) => Some(e.status),
            _ => None,
        }
    }

    /// PortOne's envelope `code`, when the response carried one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(e) | Error::Auth(e) => e.code,
            _ => None,
        }
    }

    /// PortOne's envelope `message`, when the response carried one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::Auth(e) => e.message(),
            _ => None,
        }
    }

    /// The HTTP method of the endpoint that failed.
    pub fn method(&self) -> Option<Method> {
        self.endpoint().map(|(m, _)| m)
    }

    /// The path template of the endpoint that failed.
    pub fn path(&self) -> Option<&'static str> {
        self.endpoint().map(|(_, p)| p)
    }

    /// `true` for [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// `true` when the failure happened while the client was getting an access token
    /// (`POST /users/getToken`), which it does on its own before a call that needs one: the
    /// call itself was not sent. [`Error::Auth`] for refused credentials is such a failure
    /// too; an outage of the token endpoint is reported as [`Error::Api`],
    /// [`Error::Timeout`] or [`Error::Transport`] with this set.
    pub fn during_authentication(&self) -> bool {
        self.endpoint() == Some((TOKEN_ENDPOINT.method, TOKEN_ENDPOINT.path))
    }

    /// `true` when the request may have been processed although no usable answer came
    /// back: a timeout, a connection that broke after it was established, an undecodable
    /// or oversized success body, or a server error without a PortOne code. After such an
    /// error on a call that moves money, look the payment up before trying again; never
    /// resend blindly. Always `false` [during authentication](Error::during_authentication):
    /// getting a token changes nothing, and the call that needed it was never sent.
    pub fn outcome_unknown(&self) -> bool {
        if self.during_authentication() {
            return false;
        }
        match self {
            Error::Timeout { .. } => true,
            Error::Transport(e) => !e.is_connect(),
            Error::Decode(e) => (200..300).contains(&e.status),
            Error::ResponseTooLarge(e) => (200..300).contains(&e.status) || e.status >= 500,
            Error::Api(e) => e.status >= 500 && e.code.is_none(),
            _ => false,
        }
    }

    fn endpoint(&self) -> Option<(Method, &'static str)> {
        match self {
            Error::Api(e) | Error::Auth(e) => Some((e.method, e.path)),
            Error::Timeout { method, path } => Some((*method, path)),
            Error::Transport(e) => Some((e.method, e.path)),
            Error::Decode(e) => Some((e.method, e.path)),
            Error::ResponseTooLarge(e) => Some((e.method, e.path)),
            Error::InvalidRequest(e) => Some((e.method, e.path)),
            Error::Config(_) => None,
        }
    }
}

/// A refusal from the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) status: u16,
    pub(crate) code: Option<i64>,
    pub(crate) message: Option<String>,
    pub(crate) body_excerpt: Option<String>,
}

impl ApiError {
    /// HTTP method of the endpoint.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Path template of the endpoint, e.g. `/payments/{imp_uid}`.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// HTTP status code (200 when the envelope carried a non-zero `code`).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The envelope `code`; `None` when the body was not an envelope.
    pub fn code(&self) -> Option<i64> {
        self.code
    }

    /// The envelope `message`, as the service wrote it but with secrets hidden; always
    /// `None` for the token endpoint, whose answers are never quoted.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The start of the body when it was not an envelope (an HTML error page, for
    /// instance), with secrets hidden; empty for an empty body. Always `None` for the token
    /// endpoint, whose answers are never quoted.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.body_excerpt.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: HTTP {}", self.method, self.path, self.status)?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(excerpt) = &self.body_excerpt {
            if excerpt.is_empty() {
                f.write_str(" (empty body)")?;
            } else {
                write!(f, " (body: {excerpt})")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A connection-level failure.
#[derive(Debug, Clone)]
pub struct TransportError {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) connect: bool,
    pub(crate) source: Arc<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// HTTP method of the endpoint.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Path template of the endpoint.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// `true` when the connection could not be established, so the request
    /// never reached the service. When `false`, a call that moves money may
    /// or may not have been processed.
    pub fn is_connect(&self) -> bool {
        self.connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.connect {
            "could not connect"
        } else {
            "connection failed"
        };
        write!(f, "{} {}: {what}", self.method, self.path)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A response body that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) status: u16,
    pub(crate) json_path: String,
    pub(crate) excerpt: String,
    pub(crate) message: String,
}

impl DecodeError {
    /// HTTP method of the endpoint.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Path template of the endpoint.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Where in the body decoding stopped, e.g.
    /// `response.cancel_history[0].amount` (`.` for the whole body).
    pub fn json_path(&self) -> &str {
        &self.json_path
    }

    /// A short piece of the body around the failure point, with secrets hidden
    /// (`[redacted]` for the token endpoint, whose answers are never quoted).
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }

    /// The decoder's own description of the problem.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: could not decode the HTTP {} response at `{}`: {} (near: {})",
            self.method, self.path, self.status, self.json_path, self.message, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// A response body larger than the client accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseTooLargeError {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) status: u16,
    pub(crate) limit: usize,
}

impl ResponseTooLargeError {
    /// HTTP method of the endpoint.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Path template of the endpoint.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The limit that was passed, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl fmt::Display for ResponseTooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: the HTTP {} response is larger than the limit of {} bytes \
             (ClientBuilder::max_response_size)",
            self.method, self.path, self.status, self.limit
        )
    }
}

impl std::error::Error for ResponseTooLargeError {}

/// A request that was rejected before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequestError {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) reason: String,
}

impl InvalidRequestError {
    /// HTTP method of the endpoint.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Path template of the endpoint.
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// What is wrong with the request.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: invalid request: {}",
            self.method, self.path, self.reason
        )
    }
}

impl std::error::Error for InvalidRequestError {}

/// The byte offset of a 1-based line/column pair as reported by serde_json.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    line_start
        .saturating_add(column.saturating_sub(1))
        .min(text.len())
}
