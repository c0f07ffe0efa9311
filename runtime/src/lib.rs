//! The hand-written runtime behind the generated `portone-v1` crate: HTTP, access tokens,
//! the response envelope, retries, timeouts, errors and the helper types.
//!
//! Use `portone-v1`, which re-exports everything here that belongs to its API. This crate is
//! separate so that regenerating the endpoints, or enabling another category, never
//! recompiles it. Items marked hidden exist for the generated code; they follow the exact
//! version `portone-v1` pins and are not a stable API of their own.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

// TLS needs cryptography, and `default-features = false` turns the default provider off too.
#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!(
    "portone-v1 needs a TLS crypto provider: enable its `aws-lc-rs` feature (the default) or \
     its `ring` feature (faster to build)"
);

// The modules by concern, each folder using only those above it: the values the API's
// types are made of, the call path from a request to a decoded answer, and the flows built on
// calls (webhooks, verification, reconciliation); `exports` lists, above them all, what
// `portone-v1` re-exports. ARCHITECTURE.md maps every file.
mod client;
#[doc(hidden)]
pub mod exports;
mod flows;
mod values;

#[cfg(test)]
mod tests;

pub use self::values::amount::Amount;
pub use self::values::interop::ConversionError;
pub use self::values::open_enum::UnknownValue;
#[doc(hidden)]
pub use self::values::query::QueryValue;
#[doc(hidden)]
pub use self::values::secret::Redacted;
pub use self::values::timestamp::Timestamp;
#[doc(hidden)]
pub use self::values::wire;

#[cfg(feature = "blocking")]
pub use self::client::blocking::BlockingClient;
#[doc(hidden)]
pub use self::client::builder::tls_config;
pub use self::client::builder::{ClientBuilder, Core, DEFAULT_BASE_URL};
pub use self::client::call::{Call, CallFuture};
pub use self::client::error::{
    ApiError, DecodeError, Error, InvalidRequestError, ResponseTooLargeError, TransportError,
};
#[doc(hidden)]
pub use self::client::paging::paginate;
pub use self::client::paging::{Page, PageStream};
#[doc(hidden)]
pub use self::client::redact::SECRET_KEYS;
pub use self::client::request::{Endpoint, Method, Request};
pub use self::client::retry::RetryPolicy;

pub use self::flows::reconcile::{
    Ambiguity, CancelAttempt, CancelOutcome, ChargeLookup, ChargeOutcome,
};
pub use self::flows::verify::{
    CancellationFacts, Check, CheckFuture, Decide, Discrepancy, Expected, PaymentFacts, Verdict,
};
#[doc(hidden)]
pub use self::flows::webhook::NotificationBody;
pub use self::flows::webhook::{BodyFormat, MAX_NOTIFICATION_SIZE, WebhookError};
pub use self::flows::webhook_source::{PORTONE_WEBHOOK_ADDRESSES, WebhookSources};
