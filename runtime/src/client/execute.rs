//! The request loop: token, send, 401 replay, retries, tracing.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap, HeaderValue};
use tracing::Instrument;
use tracing::field::Empty;

use super::auth::{Fetched, Token, read_token, token_request};
use super::builder::{Inner, tier_header};
use super::error::{InvalidRequestError, ResponseTooLargeError, TransportError};
use super::redact::Exposed;
use super::response::{RawResponse, Success, api_error, refusal};
use super::retry::{Decision, Outcome, classify};
use crate::{Endpoint, Error, Request};

/// Per-call settings that override the client's.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallOptions {
    pub(crate) tier: Option<String>,
    pub(crate) timeout: Option<Duration>,
}

/// Runs a request to completion: fetches a token when needed, sends,
/// replays once after a 401 and retries according to the policy.
pub(crate) async fn execute(
    inner: &Inner,
    request: &Request,
    options: &CallOptions,
) -> Result<Success, Error> {
    let endpoint = request.endpoint;
    let span = tracing::info_span!(
        "portone.request",
        method = endpoint.method.as_str(),
        path = endpoint.path,
        attempt = Empty,
        status = Empty,
        code = Empty,
        elapsed_ms = Empty,
    );
    let started = Instant::now();
    let result = run(inner, request, options, &span)
        .instrument(span.clone())
        .await;
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.record("elapsed_ms", elapsed_ms);
    // A success's `code` is recorded when its envelope is decoded.
    if let Err(error) = &result {
        if let Some(code) = error.code() {
            span.record("code", code);
        }
    }
    result.map(|(response, exposed)| Success {
        response,
        span,
        exposed,
    })
}

/// Everything about a request that does not change between attempts.
struct Prepared<'a> {
    http: &'a reqwest::Client,
    endpoint: &'static Endpoint,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<&'a [u8]>,
    timeout: Duration,
    max_response_size: usize,
}

fn prepare<'a>(
    inner: &'a Inner,
    request: &'a Request,
    options: &CallOptions,
) -> Result<Prepared<'a>, Error> {
    let endpoint = request.endpoint;
    let invalid = |reason: String| {
        Error::InvalidRequest(InvalidRequestError {
            method: endpoint.method,
            path: endpoint.path,
            reason,
        })
    };
    let http = inner.http.as_ref().map_err(|e| Error::Config(e.clone()))?;
    if let Some(problem) = &request.problem {
        return Err(invalid(problem.clone()));
    }
    let url = reqwest::Url::parse(&format!("{}{}", inner.base_url, request.path_and_query()))
        .map_err(|e| invalid(format!("could not build the URL: {e}")))?;
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(header::USER_AGENT, inner.user_agent.clone());
    // The token request always uses the agency's own credentials, untiered.
    let tier = match &options.tier {
        _ if !endpoint.auth => None,
        Some(code) => Some(tier_header(code).map_err(invalid)?),
        None => inner.tier.clone(),
    };
    if let Some(tier) = tier {
        headers.insert("tier", tier);
    }
    if request.body.is_some() {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    Ok(Prepared {
        http,
        endpoint,
        url,
        headers,
        body: request.body.as_deref(),
        timeout: options.timeout.unwrap_or(inner.timeout),
        max_response_size: inner.max_response_size,
    })
}

/// Outcome of one HTTP attempt.
type Attempt = Result<Received, Failure>;

struct Received {
    response: RawResponse,
    retry_after: Option<Duration>,
}

enum Failure {
    /// Our per-attempt time limit ran out.
    Timeout,
    /// The body passed the size limit; reading stopped there.
    TooLarge { status: u16, limit: usize },
    /// reqwest reported an error.
    Http(reqwest::Error),
}

/// Runs the attempts; the final 2xx response comes back with the secrets its request exposed.
async fn run(
    inner: &Inner,
    request: &Request,
    options: &CallOptions,
    span: &tracing::Span,
) -> Result<(RawResponse, Exposed), Error> {
    let prepared = prepare(inner, request, options)?;
    let endpoint = prepared.endpoint;
    let mut attempt: u32 = 0;
    let mut retries: u32 = 0;
    let mut replayed_after_401 = false;
    loop {
        attempt += 1;
        span.record("attempt", attempt);
        let token = match endpoint.auth {
            true => Some(inner.tokens.get(|| fetch_token(inner)).await?),
            false => None,
        };
        let outcome = send_once(&prepared, token.as_ref()).await;
        let exposed = Exposed {
            credentials: inner.credentials.clone(),
            token: token.as_ref().map(Token::secret),
        };
        if let Ok(received) = &outcome {
            span.record("status", received.response.status);
            if received.response.status == 401 && endpoint.auth {
                if replayed_after_401 {
                    let api = api_error(endpoint, &received.response, &exposed);
                    return Err(Error::Auth(api));
                }
                replayed_after_401 = true;
                if let Some(token) = &token {
                    inner.tokens.invalidate(token.generation).await;
                }
                tracing::debug!(
                    attempt,
                    "portone: HTTP 401, refreshing the token and replaying once"
                );
                continue;
            }
        }
        let seen = outcome_of(&outcome);
        let delay = match classify(endpoint, seen, retries, &inner.retry) {
            Decision::Retry => inner.retry.backoff(retries),
            Decision::RetryAfter(wait) => wait,
            Decision::Stop => return finish(endpoint, outcome, &exposed).map(|r| (r, exposed)),
        };
        retries += 1;
        tracing::debug!(
            attempt,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            reason = seen.reason(),
            "portone: retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

/// Fetches a token through this same loop (so the token request gets the timeouts and
/// retries), for the token cache to run when one is due. Boxed because the loop awaits it:
/// unboxed, the loop's future would contain itself.
fn fetch_token(inner: &Inner) -> Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + '_>> {
    Box::pin(async move {
        let started = tokio::time::Instant::now();
        let request = token_request(&inner.credentials);
        let success = execute(inner, &request, &CallOptions::default()).await?;
        read_token(success, started)
    })
}

async fn send_once(prepared: &Prepared<'_>, token: Option<&Token>) -> Attempt {
    let mut builder = prepared
        .http
        .request(prepared.endpoint.method.to_reqwest(), prepared.url.clone())
        .headers(prepared.headers.clone());
    if let Some(value) = token.and_then(Token::header) {
        builder = builder.header(header::AUTHORIZATION, value);
    }
    if let Some(body) = prepared.body {
        builder = builder.body(body.to_vec());
    }
    let limit = prepared.max_response_size;
    let exchange = async {
        let mut response = builder.send().await.map_err(Failure::Http)?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let too_large = Failure::TooLarge { status, limit };
        // An announced length over the limit fails before a byte of the body is read.
        let announced = response.content_length().unwrap_or(0);
        if announced > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Err(too_large);
        }
        // A body that arrives in one chunk (the usual case) is kept as it is, without a copy.
        let mut first = bytes::Bytes::new();
        let mut joined: Option<bytes::BytesMut> = None;
        let mut total: usize = 0;
        while let Some(chunk) = response.chunk().await.map_err(Failure::Http)? {
            total = total.saturating_add(chunk.len());
            if total > limit {
                return Err(too_large);
            }
            match &mut joined {
                Some(buffer) => buffer.extend_from_slice(&chunk),
                None if first.is_empty() => first = chunk,
                None => {
                    let capacity = usize::try_from(announced).unwrap_or(0).max(total);
                    let mut buffer = bytes::BytesMut::with_capacity(capacity);
                    buffer.extend_from_slice(&first);
                    buffer.extend_from_slice(&chunk);
                    joined = Some(buffer);
                }
            }
        }
        Ok(Received {
            response: RawResponse {
                status,
                body: joined.map_or(first, bytes::BytesMut::freeze),
            },
            retry_after,
        })
    };
    match tokio::time::timeout(prepared.timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(Failure::Timeout),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// What the retry decision needs to know about an attempt. A connect timeout counts as a
/// failed connection (nothing was delivered), not as a timeout.
fn outcome_of(attempt: &Attempt) -> Outcome {
    match attempt {
        Ok(received) => Outcome::Status {
            status: received.response.status,
            retry_after: received.retry_after,
        },
        Err(Failure::Timeout) => Outcome::Timeout,
        Err(Failure::TooLarge { .. }) => Outcome::TooLarge,
        Err(Failure::Http(e)) if e.is_connect() => Outcome::ConnectFailed,
        Err(Failure::Http(e)) if e.is_builder() => Outcome::BuilderError,
        Err(Failure::Http(e)) if e.is_timeout() => Outcome::Timeout,
        Err(Failure::Http(_)) => Outcome::BrokenAfterSend,
    }
}

fn finish(
    endpoint: &'static Endpoint,
    outcome: Attempt,
    exposed: &Exposed,
) -> Result<RawResponse, Error> {
    match outcome {
        Ok(received) if (200..300).contains(&received.response.status) => Ok(received.response),
        Ok(received) => Err(refusal(
            endpoint,
            api_error(endpoint, &received.response, exposed),
        )),
        Err(Failure::Timeout) => Err(timeout(endpoint)),
        Err(Failure::TooLarge { status, limit }) => {
            Err(Error::ResponseTooLarge(ResponseTooLargeError {
                method: endpoint.method,
                path: endpoint.path,
                status,
                limit,
            }))
        }
        Err(Failure::Http(e)) if e.is_timeout() => Err(timeout(endpoint)),
        Err(Failure::Http(e)) if e.is_builder() => {
            Err(Error::InvalidRequest(InvalidRequestError {
                method: endpoint.method,
                path: endpoint.path,
                reason: e.without_url().to_string(),
            }))
        }
        Err(Failure::Http(e)) => Err(Error::Transport(TransportError {
            method: endpoint.method,
            path: endpoint.path,
            connect: e.is_connect(),
            source: Arc::new(e.without_url()),
        })),
    }
}

fn timeout(endpoint: &'static Endpoint) -> Error {
    Error::Timeout {
        method: endpoint.method,
        path: endpoint.path,
    }
}
