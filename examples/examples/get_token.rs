//! Exchanges the REST API key and secret for an access token and prints when it expires.
//!
//! The client fetches, caches and refreshes tokens by itself, so applications rarely call
//! `get_token`; it is a quick way to check a pair of credentials. The token itself is never
//! printed.
//!
//! ```sh
//! IMP_KEY=... IMP_SECRET=... cargo run -p portone-v1-examples --example get_token -- http://127.0.0.1:8080
//! ```
//!
//! Use `https://api.iamport.kr` as the base URL to ask PortOne itself. Without `IMP_KEY` and
//! `IMP_SECRET` the example sends made-up test credentials.

use std::process::ExitCode;

use portone_v1::{AccessToken, Client, Error, TokenRequest};

/// Credentials sent when `IMP_KEY` / `IMP_SECRET` are not set.
const TEST_KEY: &str = "imp_test_key";
const TEST_SECRET: &str = "imp_test_secret";

#[tokio::main]
async fn main() -> ExitCode {
    let Some(base_url) = std::env::args().nth(1) else {
        eprintln!("usage: get_token BASE_URL   (for example https://api.iamport.kr)");
        return ExitCode::from(2);
    };
    match run(&base_url).await {
        // Times are `Option`s: `None` is how an unset time (PortOne's 0) reads.
        Ok(token) => match (token.expired_at, token.now) {
            (Some(expired_at), Some(now)) => {
                let lifetime = expired_at.as_unix() - now.as_unix();
                println!(
                    "token valid until {expired_at} (UNIX seconds), {lifetime} s from now by the \
                     server's clock"
                );
                ExitCode::SUCCESS
            }
            _ => {
                eprintln!("the token came without an expiry time");
                ExitCode::FAILURE
            }
        },
        Err(error) => {
            print_error(&error);
            // Refused credentials are `Error::Auth`, whether from this call or from the token
            // fetch other calls make on their own.
            if matches!(error, Error::Auth(_)) {
                eprintln!("hint: check IMP_KEY and IMP_SECRET");
            } else if error.during_authentication() {
                eprintln!(
                    "hint: the credentials were not refused; PortOne's token endpoint failed"
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// Requests a token from `base_url` with the credentials from the environment.
pub async fn run(base_url: &str) -> Result<AccessToken, Error> {
    let (imp_key, imp_secret) = credentials();
    let client = Client::builder()
        .credentials(imp_key.clone(), imp_secret.clone())
        .base_url(base_url)
        .build()?;
    client
        .get_token(&TokenRequest::new(imp_key, imp_secret))
        .await
}

/// `IMP_KEY` and `IMP_SECRET`, or the test values.
pub fn credentials() -> (String, String) {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    (var("IMP_KEY", TEST_KEY), var("IMP_SECRET", TEST_SECRET))
}

/// Prints an error and the chain of its causes.
fn print_error(error: &Error) {
    eprintln!("error: {error}");
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        eprintln!("  caused by: {inner}");
        cause = inner.source();
    }
}
