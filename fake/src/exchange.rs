//! What the server hands the ledger for one decoded call, and what it gets back.
use serde_json::{Map, Value};

use crate::operation::Operation;

/// One decoded request to an endpoint of the spec.
pub(crate) struct Call<'a> {
    /// The endpoint.
    pub operation: Operation,
    /// Path parameters by spec name, decoded to the spec's scalar type.
    pub path: &'a Map<String, Value>,
    /// Query parameters by spec name, decoded to the spec's type (`[T]` as arrays).
    pub query: &'a Map<String, Value>,
    /// The body object by wire name; form bodies are coerced to the spec's scalar types.
    pub body: &'a Map<String, Value>,
    /// The fake's clock, in UNIX seconds.
    pub now: i64,
}

/// What the ledger answers to a call it models.
pub(crate) enum Outcome {
    /// Success: sent as `{"code":0,"message":null,"response":<response>}` with `status`;
    /// `response` is JSON text.
    Answer { status: u16, response: String },
    /// A refusal, sent in PortOne's envelope with `response: null`.
    Refuse(Refusal),
}

/// A refusal as PortOne sends it: the HTTP status and the envelope's `code` and `message`.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// HTTP status of the answer.
    pub status: u16,
    /// The envelope's `code` (never 0).
    pub code: i64,
    /// The envelope's `message`.
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "refused with HTTP {} and code {}: {}",
            self.status, self.code, self.message
        )
    }
}

/// So that a test returning `Result<_, Box<dyn Error>>` can `?` what the fake refuses.
impl std::error::Error for Refusal {}

/// A notification the server POSTs once the call that caused it has been answered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Notice {
    /// The payment's own `notice_url`; `None` means the fake's configured default, if any.
    pub notice_url: Option<String>,
    pub imp_uid: String,
    pub merchant_uid: String,
    /// `paid`, `ready`, `failed` or `cancelled`.
    pub status: String,
    /// Set for cancellations.
    pub cancellation_id: Option<String>,
}
