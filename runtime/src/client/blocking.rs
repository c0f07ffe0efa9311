//! `BlockingClient` (cargo feature `blocking`): a generated client wrapped for synchronous
//! code. It is generic over the client so that it lives here, once, as `ClientBuilder` does;
//! `portone-v1` names it `BlockingClient` (`BlockingClient<Client>`).

use std::future::IntoFuture;
use std::ops::Deref;

use serde::de::DeserializeOwned;

use crate::{Call, Core, Error};

/// A client for synchronous code: owns a single-threaded Tokio runtime and runs each call to
/// completion on it.
///
/// The endpoint methods are the wrapped client's, reached through `Deref`; hand the call they
/// return to [`run`](Self::run). `portone-v1`'s crate documentation shows it in its "Blocking
/// use" section.
///
/// Do not use it from inside an async runtime: [`BlockingClient::run`] returns
/// [`Error::Config`] in that case instead of blocking the runtime.
#[derive(Debug)]
pub struct BlockingClient<C> {
    runtime: tokio::runtime::Runtime,
    client: C,
}

impl<C: From<Core>> BlockingClient<C> {
    /// Creates a client for `https://api.iamport.kr` with default settings.
    pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<String>) -> Result<Self, Error> {
        Self::from_client(C::from(Core::new(imp_key, imp_secret)))
    }
}

impl<C> BlockingClient<C> {
    /// Wraps an already configured client.
    pub fn from_client(client: C) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("could not start the Tokio runtime: {e}")))?;
        Ok(BlockingClient { runtime, client })
    }

    /// Runs one call and waits for its result.
    pub fn run<T>(&self, call: Call<'_, T>) -> Result<T, Error>
    where
        T: DeserializeOwned + Send,
    {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Config(
                "BlockingClient::run was called from inside an async runtime; await the call on \
                 Client instead"
                    .to_owned(),
            ));
        }
        self.runtime.block_on(call.into_future())
    }

    /// The wrapped async client.
    pub fn client(&self) -> &C {
        &self.client
    }
}

impl<C> Deref for BlockingClient<C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.client
    }
}
