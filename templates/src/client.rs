//! `Client`: the runtime's shared state plus one method per endpoint (in `endpoints/`).

use std::fmt;

use crate::runtime::{ClientBuilder as Builder, Core};

/// A PortOne V1 API client.
///
/// Cheap to clone (clones share one connection pool and one access-token
/// cache). Access tokens are fetched on first use, cached, refreshed shortly
/// before they expire and refreshed once more when the service answers 401.
///
/// Its `Debug` output never shows the API secret or access tokens.
#[derive(Clone)]
pub struct Client {
    /// Read by the generated endpoint methods.
    pub(crate) core: Core,
}

/// Configures a [`Client`]; start with [`Client::builder`].
pub type ClientBuilder = Builder<Client>;

impl Client {
    /// Creates a client for `https://api.iamport.kr` with default settings.
    ///
    /// This never panics: if the client cannot be set up (for example empty
    /// credentials), every call returns [`crate::Error::Config`]. Use
    /// [`Client::builder`] to get such problems up front.
    pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<String>) -> Client {
        Client {
            core: Core::new(imp_key, imp_secret),
        }
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }
}

impl From<Core> for Client {
    fn from(core: Core) -> Client {
        Client { core }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.core, f)
    }
}
