//! Hand-written runtime shared by all generated endpoint code: the client,
//! authentication, request execution, retries, errors and helper types.

mod amount;
mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod call;
mod client;
mod error;
mod execute;
mod json_path;
mod open_enum;
mod paging;
mod request;
mod response;
mod retry;
mod secret;
mod timestamp;
// Called by generated serde impls; a build with few categories may leave some unused.
#[allow(dead_code)]
pub(crate) mod wire;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_types;
#[cfg(test)]
mod tests_wire;

pub use self::amount::Amount;
#[cfg(feature = "blocking")]
pub use self::blocking::BlockingClient;
pub use self::call::{Call, CallFuture};
pub use self::client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use self::error::{ApiError, DecodeError, Error, InvalidRequestError, TransportError};
pub use self::open_enum::UnknownValue;
#[allow(unused_imports)]
pub(crate) use self::open_enum::open_enum;
pub use self::paging::{Page, PageStream};
// Used by generated code only when the enabled categories have paged endpoints or query
// parameters; a build with one small category needs neither.
#[allow(unused_imports)]
pub(crate) use self::paging::paginate;
#[allow(unused_imports)]
pub(crate) use self::request::QueryValue;
pub use self::request::{Endpoint, Method, Request};
pub use self::retry::RetryPolicy;
#[allow(unused_imports)]
pub(crate) use self::secret::Redacted;
pub use self::timestamp::Timestamp;
