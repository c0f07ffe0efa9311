//! The plain HTTP client of the commands that do not call PortOne's API (`webhook send`,
//! `fake pay`): reqwest with the runtime's TLS (one policy for both), no redirects.

use std::time::Duration;

use crate::exit::{Exit, Failure};

/// PortOne gives a handler 30 s to answer a first delivery.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A client for `http` and `https` URLs, following no redirects.
pub(crate) fn client() -> Result<reqwest::Client, Failure> {
    let failed =
        |e: &dyn std::fmt::Display| Failure::new(Exit::Failed, format!("HTTP set-up failed: {e}"));
    let tls = portone_v1_runtime::tls_config().map_err(|e| failed(&e))?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| failed(&e))
}
