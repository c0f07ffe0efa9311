//! The call path: from a `Request` to a decoded answer or an `Error`.
//!
//! `builder` makes the `Core` every call shares; `call` is what an endpoint method returns
//! and `paging` streams calls page by page; `execute` runs the attempts (token from `auth`,
//! the decision to retry from `retry`); `response` reads the envelope, `error`, `json_path`
//! and `redact` say what went wrong without quoting a secret. `blocking` runs calls for
//! synchronous code.

pub(crate) mod auth;
#[cfg(feature = "blocking")]
pub(crate) mod blocking;
pub(crate) mod builder;
pub(crate) mod call;
pub(crate) mod error;
pub(crate) mod execute;
pub(crate) mod json_path;
pub(crate) mod paging;
pub(crate) mod redact;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod retry;
