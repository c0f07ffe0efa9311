//! The plain HTTP client of the commands that do not call PortOne's API (`webhook send`,
//! `fake pay`): reqwest with rustls and the ring provider, as the runtime uses, so nothing
//! more is compiled.

use std::sync::Arc;
use std::time::Duration;

use crate::exit::{Exit, Failure};

/// PortOne gives a handler 30 s to answer a first delivery.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A client for `http` and `https` URLs, following no redirects.
pub(crate) fn client() -> Result<reqwest::Client, Failure> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let failed =
        |e: &dyn std::fmt::Display| Failure::new(Exit::Failed, format!("HTTP set-up failed: {e}"));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| failed(&e))?
        .with_platform_verifier()
        .map_err(|e| failed(&e))?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| failed(&e))
}
