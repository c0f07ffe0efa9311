#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod runtime;

#[rustfmt::skip]
mod endpoints;
#[rustfmt::skip]
pub mod types;

#[cfg(feature = "blocking")]
pub use runtime::BlockingClient;
pub use runtime::{
    Amount, ApiError, Call, CallFuture, Client, ClientBuilder, DEFAULT_BASE_URL, DecodeError,
    Error, InvalidRequestError, Method, Page, PageStream, RetryPolicy, Timestamp, TransportError,
    UnknownValue,
};
pub use types::*;
