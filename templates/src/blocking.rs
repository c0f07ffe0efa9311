//! A synchronous wrapper around [`Client`] (cargo feature `blocking`).

use std::future::IntoFuture;
use std::ops::Deref;

use serde::de::DeserializeOwned;

use crate::{Call, Client, Error};

/// A client for synchronous code: owns a single-threaded Tokio runtime and
/// runs each call to completion on it.
///
/// Endpoint methods are reached through `Deref<Target = Client>`:
///
/// ```no_run
/// # #[cfg(feature = "payment")]
/// # fn example() -> Result<(), portone_v1::Error> {
/// use portone_v1::{BlockingClient, GetPaymentQuery};
///
/// let bc = BlockingClient::new("imp_key", "imp_secret")?;
/// let payment = bc.run(bc.get_payment("imp_123456789012", &GetPaymentQuery::new()))?;
/// # Ok(())
/// # }
/// ```
///
/// Do not use it from inside an async runtime; [`BlockingClient::run`]
/// returns [`Error::Config`] in that case instead of blocking the runtime.
#[derive(Debug)]
pub struct BlockingClient {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl BlockingClient {
    /// Creates a client for `https://api.iamport.kr` with default settings.
    pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<String>) -> Result<Self, Error> {
        Self::from_client(Client::new(imp_key, imp_secret))
    }

    /// Wraps an already configured [`Client`].
    pub fn from_client(client: Client) -> Result<Self, Error> {
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
                "BlockingClient::run was called from inside an async runtime; await the call on Client instead".to_owned(),
            ));
        }
        self.runtime.block_on(call.into_future())
    }

    /// The wrapped async client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl Deref for BlockingClient {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}
