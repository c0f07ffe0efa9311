//! The hand-written runtime behind the generated `portone-v1` crate: HTTP, access tokens,
//! the response envelope, retries, timeouts, errors and the helper types.
//!
//! Use `portone-v1`, which re-exports everything here that belongs to its API. This crate is
//! separate so that regenerating the endpoints, or enabling another category, never
//! recompiles it. Items marked hidden exist for the generated code; they follow the exact
//! version `portone-v1` pins and are not a stable API of their own.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod amount;
mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod call;
mod client;
mod error;
mod execute;
#[doc(hidden)]
pub mod exports;
mod flow_docs;
mod interop;
mod json_path;
mod open_enum;
mod paging;
mod reconcile;
mod redact;
mod request;
mod response;
mod retry;
mod secret;
mod timestamp;
mod verify;
mod webhook;
mod webhook_source;
#[doc(hidden)]
pub mod wire;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_retry;
#[cfg(test)]
mod tests_trust;
#[cfg(test)]
mod tests_types;
#[cfg(test)]
mod tests_verify;
#[cfg(test)]
mod tests_webhook;
#[cfg(test)]
mod tests_wire;

pub use self::amount::Amount;
#[cfg(feature = "blocking")]
pub use self::blocking::BlockingClient;
pub use self::call::{Call, CallFuture};
pub use self::client::{ClientBuilder, Core, DEFAULT_BASE_URL};
pub use self::error::{
    ApiError, DecodeError, Error, InvalidRequestError, ResponseTooLargeError, TransportError,
};
pub use self::interop::ConversionError;
pub use self::open_enum::UnknownValue;
#[doc(hidden)]
pub use self::paging::paginate;
pub use self::paging::{Page, PageStream};
pub use self::reconcile::{Ambiguity, CancelAttempt, CancelOutcome, ChargeLookup, ChargeOutcome};
#[doc(hidden)]
pub use self::redact::SECRET_KEYS;
#[doc(hidden)]
pub use self::request::QueryValue;
pub use self::request::{Endpoint, Method, Request};
pub use self::retry::RetryPolicy;
#[doc(hidden)]
pub use self::secret::Redacted;
pub use self::timestamp::Timestamp;
pub use self::verify::{
    CancellationFacts, Check, CheckFuture, Decide, Discrepancy, Expected, PaymentFacts, Verdict,
};
#[doc(hidden)]
pub use self::webhook::NotificationBody;
pub use self::webhook::{BodyFormat, MAX_NOTIFICATION_SIZE, WebhookError};
pub use self::webhook_source::{PORTONE_WEBHOOK_ADDRESSES, WebhookSources};
