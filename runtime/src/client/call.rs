//! `Call`: a pending API call that runs when awaited.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use serde::de::DeserializeOwned;

use super::execute::{CallOptions, execute};
use super::response::{Success, decode};
use crate::{Core, Endpoint, Error, Request};

/// One API call, returned by every endpoint method. Nothing is sent until
/// it is `.await`ed; before that, per-call options can be set.
///
/// ```ignore
/// let payment = client.get_payment("imp_123", &Default::default())
///     .tier("A1B")
///     .timeout(std::time::Duration::from_secs(5))
///     .await?;
/// ```
#[must_use = "a Call does nothing until it is awaited"]
pub struct Call<'a, T> {
    core: &'a Core,
    request: Request,
    options: CallOptions,
    _payload: PhantomData<fn() -> T>,
}

impl<'a, T> Call<'a, T> {
    /// Wraps a request built by generated code.
    #[doc(hidden)]
    pub fn new(core: &'a Core, request: Request) -> Self {
        Call {
            core,
            request,
            options: CallOptions::default(),
            _payload: PhantomData,
        }
    }

    /// Sends `Tier: <code>` with this call only, acting on that
    /// sub-merchant's data; overrides the client's tier. An invalid code makes
    /// the call fail with [`Error::InvalidRequest`] before anything is sent.
    pub fn tier(mut self, tier_code: impl Into<String>) -> Self {
        self.options.tier = Some(tier_code.into());
        self
    }

    /// Sets the time limit for each HTTP attempt of this call, overriding the
    /// client's [`crate::ClientBuilder::timeout`]. A token request
    /// made on the way uses the client's limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }
}

impl<T> std::fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.request.endpoint.method)
            .field("path", &self.request.endpoint.path)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The future of a [`Call`]: the boxed, non-generic HTTP exchange, then decoding into `T`.
///
/// Only the decoding step is generic. An `async` block generic in `T` made the compiler
/// check the whole nested request future as part of generic code, which cost about 0.45 s
/// of every build of the crate.
#[must_use = "futures do nothing unless polled"]
pub struct CallFuture<'a, T> {
    exchange: Pin<Box<dyn Future<Output = Result<Success, Error>> + Send + 'a>>,
    endpoint: &'static Endpoint,
    _payload: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for CallFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallFuture")
            .field("method", &self.endpoint.method)
            .field("path", &self.endpoint.path)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> Future for CallFuture<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let endpoint = self.endpoint;
        self.exchange
            .as_mut()
            .poll(cx)
            .map(|result| result.and_then(|success| decode(endpoint, success)))
    }
}

impl<'a, T> IntoFuture for Call<'a, T>
where
    T: DeserializeOwned + Send + 'a,
{
    type Output = Result<T, Error>;
    type IntoFuture = CallFuture<'a, T>;

    fn into_future(self) -> Self::IntoFuture {
        CallFuture {
            endpoint: self.request.endpoint,
            exchange: exchange(self.core, self.request, self.options),
            _payload: PhantomData,
        }
    }
}

/// Sends the request (with token handling and retries) and returns the final 2xx response.
fn exchange<'a>(
    core: &'a Core,
    request: Request,
    options: CallOptions,
) -> Pin<Box<dyn Future<Output = Result<Success, Error>> + Send + 'a>> {
    Box::pin(async move { execute(&core.inner, &request, &options).await })
}
