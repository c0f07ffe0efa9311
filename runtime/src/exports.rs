//! What `portone-v1` re-exports at its crate root, listed once here as ordinary Rust: the
//! generated crate root says only `pub use portone_v1_runtime::exports::root::*` (and
//! `exports::flows::*` when its spec has `flows:`). Both modules are hidden: rustdoc shows
//! their items as `portone-v1`'s own.
//!
//! The generator's API listing and its reserved names keep a copy of these names
//! (`generator/src/naming.rs`), which `generator/tests/real_spec.rs` checks against this file.

/// The types of the API's signatures and errors, its settings and constants.
pub mod root {
    pub use crate::{
        Amount, ApiError, Call, CallFuture, ConversionError, DEFAULT_BASE_URL, DecodeError, Error,
        InvalidRequestError, Method, PORTONE_WEBHOOK_ADDRESSES, Page, PageStream,
        ResponseTooLargeError, RetryPolicy, Timestamp, TransportError, UnknownValue,
        WebhookSources,
    };
}

/// The types of the verification and reconciliation helpers' signatures.
pub mod flows {
    pub use crate::{
        Ambiguity, CancelAttempt, CancelOutcome, CancellationFacts, ChargeLookup, ChargeOutcome,
        Check, CheckFuture, Decide, Discrepancy, Expected, PaymentFacts, Verdict,
    };
}
