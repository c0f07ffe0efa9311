//! `Core`, the state a client shares between its clones, and `ClientBuilder`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::auth::TokenCache;
use crate::values::secret::Secret;
use crate::{Error, RetryPolicy};

/// The production host of PortOne's V1 API.
pub const DEFAULT_BASE_URL: &str = "https://api.iamport.kr";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Comfortably above the largest legitimate answer: a page of 1,000 payments is 2 to 3 MB.
const DEFAULT_MAX_RESPONSE_SIZE: usize = 16 * 1024 * 1024;
const DEFAULT_USER_AGENT: &str = concat!("portone-v1-rust/", env!("CARGO_PKG_VERSION"));

/// Everything a client shares between its clones: the HTTP connection pool, the
/// credentials, the settings and the access-token cache.
///
/// `portone_v1::Client` wraps one and adds the endpoint methods; the runtime lives in its
/// own crate so regenerating the endpoints never recompiles it. Cheap to clone.
///
/// Its `Debug` output never shows the API secret or access tokens.
#[derive(Clone)]
pub struct Core {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// The HTTP client, or why it could not be built (reported on each call).
    pub(crate) http: Result<reqwest::Client, String>,
    pub(crate) base_url: String,
    /// The REST API key and secret, shared with every request's [`super::redact::Exposed`]
    /// so that errors can hide them.
    pub(crate) credentials: Arc<[Secret; 2]>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) tier: Option<HeaderValue>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_size: usize,
    pub(crate) tokens: TokenCache,
}

impl Core {
    /// Creates a core for `https://api.iamport.kr` with default settings.
    ///
    /// This never panics: if it cannot be set up (for example empty credentials), every
    /// call returns [`Error::Config`]. [`Core::builder`] reports such problems up front.
    pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<String>) -> Core {
        let imp_key = imp_key.into();
        let imp_secret = imp_secret.into();
        match Core::builder()
            .credentials(imp_key.clone(), imp_secret.clone())
            .build()
        {
            Ok(core) => core,
            Err(e) => Core::builder()
                .credentials(imp_key, imp_secret)
                .settings
                .into_core(Err(e.to_string())),
        }
    }

    /// Starts configuring a core.
    pub fn builder() -> ClientBuilder<Core> {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("imp_key", &inner.credentials[0].expose())
            .field("imp_secret", &inner.credentials[1])
            .field("tier", &inner.tier)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

/// Configures a client; `C` is what [`ClientBuilder::build`] returns (`portone_v1::Client`
/// in the generated crate, [`Core`] in the runtime's own tests).
///
/// TLS is rustls with the platform's certificate verifier and the crypto provider your
/// application installed for the process (`rustls::crypto::CryptoProvider::install_default`),
/// else aws-lc-rs's (or *ring*'s with only the `ring` feature).
///
/// Only the thin setters are generic; the checks and the set-up live in non-generic code
/// compiled once in this crate.
pub struct ClientBuilder<C = Core> {
    settings: Settings,
    client: PhantomData<fn() -> C>,
}

/// The builder's settings, apart from the type it builds.
#[derive(Debug)]
struct Settings {
    imp_key: String,
    imp_secret: Secret,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    tier: Option<String>,
    retry: RetryPolicy,
    max_response_size: usize,
    http_client: Option<reqwest::Client>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientBuilder")
            .field(&self.settings)
            .finish()
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            settings: Settings {
                imp_key: String::new(),
                imp_secret: Secret::new(""),
                base_url: DEFAULT_BASE_URL.to_owned(),
                timeout: DEFAULT_TIMEOUT,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                user_agent: DEFAULT_USER_AGENT.to_owned(),
                tier: None,
                retry: RetryPolicy::default(),
                max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
                http_client: None,
            },
            client: PhantomData,
        }
    }
}

impl<C> ClientBuilder<C> {
    /// Sets the REST API key and secret (required). For sub-merchant
    /// (tier) access, these are the agency account's credentials.
    pub fn credentials(
        mut self,
        imp_key: impl Into<String>,
        imp_secret: impl Into<String>,
    ) -> Self {
        self.settings.imp_key = imp_key.into();
        self.settings.imp_secret = Secret::new(imp_secret);
        self
    }

    /// Overrides the base URL (default `https://api.iamport.kr`), e.g. for a
    /// proxy or a test server. A path prefix is kept.
    pub fn base_url(mut self, base_url: &str) -> Self {
        base_url.clone_into(&mut self.settings.base_url);
        self
    }

    /// Sets the time limit for one HTTP attempt, from sending the request to
    /// reading the whole response (default 30 s). Retries get a fresh limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Sets the time limit for establishing a connection (default 10 s).
    /// Ignored when [`ClientBuilder::http_client`] is used.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header (default `portone-v1-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// Sends `Tier: <code>` with every call, to act on a sub-merchant's
    /// data. A single call can override it with [`crate::Call::tier`].
    pub fn tier(mut self, tier_code: impl Into<String>) -> Self {
        self.settings.tier = Some(tier_code.into());
        self
    }

    /// Sets the largest response body the client reads, in bytes (default 16 MiB, about
    /// six times a page of 1,000 payments). A larger answer fails with
    /// [`Error::ResponseTooLarge`] as soon as the limit is passed, so a broken server or
    /// proxy cannot make the client hold more than this in memory per call.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.settings.max_response_size = bytes;
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Escape hatch: uses a caller-provided `reqwest::Client` (for proxies,
    /// custom certificates, ...). Its own TLS, proxy and connect-timeout
    /// settings apply; [`ClientBuilder::connect_timeout`] is ignored, while
    /// [`ClientBuilder::timeout`] is still enforced per attempt.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http_client = Some(client);
        self
    }
}

impl<C: From<Core>> ClientBuilder<C> {
    /// Validates the settings and creates the client.
    pub fn build(self) -> Result<C, Error> {
        self.settings.build().map(C::from)
    }
}

impl Settings {
    /// Validates the settings and creates the core of a client.
    fn build(mut self) -> Result<Core, Error> {
        if self.imp_key.trim().is_empty() || self.imp_secret.expose().trim().is_empty() {
            return Err(Error::Config(
                "imp_key and imp_secret must not be empty".to_owned(),
            ));
        }
        self.base_url = normalize_base_url(&self.base_url).map_err(Error::Config)?;
        if let Some(tier) = &self.tier {
            tier_header(tier).map_err(Error::Config)?;
        }
        HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config("user agent is not a valid header value".to_owned()))?;
        let http = match self.http_client.take() {
            Some(client) => client,
            None => default_http_client(self.connect_timeout).map_err(Error::Config)?,
        };
        Ok(self.into_core(Ok(http)))
    }

    /// Assembles the client without further checks; invalid values that
    /// [`ClientBuilder::build`] would reject fall back to defaults.
    fn into_core(self, http: Result<reqwest::Client, String>) -> Core {
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static(DEFAULT_USER_AGENT));
        let tier = self.tier.as_deref().and_then(|t| tier_header(t).ok());
        Core {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url,
                credentials: Arc::new([Secret::new(self.imp_key), self.imp_secret]),
                user_agent,
                tier,
                timeout: self.timeout,
                retry: self.retry,
                max_response_size: self.max_response_size,
                tokens: TokenCache::default(),
            }),
        }
    }
}

/// Checks a tier code and turns it into a header value.
///
/// PortOne's tier codes are currently three upper-case letters or digits;
/// this accepts 1 to 16 ASCII letters or digits so a future format change
/// does not require an SDK update.
pub(crate) fn tier_header(code: &str) -> Result<HeaderValue, String> {
    let valid = (1..=16).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric());
    if !valid {
        return Err(format!(
            "tier code {code:?} is invalid: expected 1 to 16 ASCII letters or digits (e.g. \"A1B\")"
        ));
    }
    HeaderValue::from_str(code).map_err(|e| e.to_string())
}

fn normalize_base_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed)
        .map_err(|e| format!("base URL {raw:?} is not a valid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("base URL {raw:?} must use http or https"));
    }
    if url.host_str().is_none() {
        return Err(format!("base URL {raw:?} has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "base URL {raw:?} must not have a query or fragment"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "base URL {raw:?} must not contain user information"
        ));
    }
    Ok(trimmed.to_owned())
}

/// Builds the default HTTP client: [`tls_config`] and no redirects.
fn default_http_client(connect_timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config()?)
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("HTTP client set-up failed: {e}"))
}

/// The client's TLS: rustls with [`crypto_provider`] (configured on this client only), the
/// platform's certificate verifier, HTTP/1.1. Public but hidden for the command-line tool's
/// plain HTTP client (`webhook send`), so that the TLS policy has one home.
#[doc(hidden)]
pub fn tls_config() -> Result<rustls::ClientConfig, String> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let mut tls = rustls::ClientConfig::builder_with_provider(crypto_provider()?)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .with_platform_verifier()
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// The cryptography TLS uses: the provider the application installed for the whole process, as
/// rustls asks libraries to respect (a FIPS one, say, with `CryptoProvider::install_default`),
/// else the one the crate's features pick: aws-lc-rs (the default, rustls' supported provider,
/// with post-quantum key exchange), or *ring* with only the `ring` feature, for builds about
/// three times faster (rustls deprecates it for lacking post-quantum key exchange).
fn crypto_provider() -> Result<Arc<rustls::crypto::CryptoProvider>, String> {
    if let Some(installed) = rustls::crypto::CryptoProvider::get_default() {
        return Ok(Arc::clone(installed));
    }
    #[cfg(feature = "aws-lc-rs")]
    return Ok(Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    // Chosen knowingly with the `ring` feature; see above.
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    #[allow(deprecated)]
    return Ok(Arc::new(rustls::crypto::ring::default_provider()));
    // Only for the build that lib.rs's `compile_error!` stops, so that it is the one error shown.
    #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
    Err("no TLS crypto provider is compiled in".to_owned())
}
