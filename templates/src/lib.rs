#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The runtime crate under the name the generated code uses for it.
use portone_v1_runtime as runtime;

#[cfg(feature = "blocking")]
mod blocking;
mod client;
#[rustfmt::skip]
mod endpoints;
#[rustfmt::skip]
pub mod types;

#[cfg(feature = "blocking")]
pub use blocking::BlockingClient;
pub use client::{Client, ClientBuilder};
pub use runtime::{
    Amount, ApiError, Call, CallFuture, ConversionError, DEFAULT_BASE_URL, DecodeError, Error,
    InvalidRequestError, Method, Page, PageStream, ResponseTooLargeError, RetryPolicy, Timestamp,
    TransportError, UnknownValue,
};
pub use types::*;
