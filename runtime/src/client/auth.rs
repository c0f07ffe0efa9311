//! Access-token cache with single-flight refresh, and the token request itself.
//!
//! The cache never sends anything: whoever needs a token hands [`TokenCache::get`] the fetch
//! to run if one is due, so this module does not depend on the request loop that uses it.
//!
//! Times are read from tokio's clock, which is the system's monotonic clock unless a test
//! pauses and advances it (as it does the request timeouts).

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::HeaderValue;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::request::TOKEN_ENDPOINT;
use super::response::{Success, decode};
use crate::values::secret::Secret;
use crate::{Error, Request, Timestamp};

/// A token is refreshed once fewer than this many seconds remain.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Longest lifetime believed, whatever the service says.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The lifetime assumed when the token answer does not state one (`expired_at` or `now`
/// missing, `null` or 0: PortOne always sends both, a proxy or a mock may not). Five minutes is
/// the shortest lifetime PortOne grants (a token asked for in its last minute is extended by
/// five), so the token is refreshed after four; should it expire sooner, the one replay after
/// a 401 fetches a new one.
const UNSTATED_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// A token handed to one request.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    /// The `Authorization` header value, built once per fetch and marked sensitive (its
    /// `Debug` never shows the value).
    header: Option<HeaderValue>,
    /// Identifies the fetch that produced it, for [`TokenCache::invalidate`].
    pub(crate) generation: u64,
    /// The token itself, which errors must never quote.
    value: Secret,
}

impl Token {
    fn new(value: &Secret, generation: u64) -> Token {
        let header = HeaderValue::from_str(&format!("Bearer {}", value.expose()))
            .ok()
            .map(|mut h| {
                h.set_sensitive(true);
                h
            });
        Token {
            header,
            generation,
            value: value.clone(),
        }
    }

    /// The `Authorization` header value.
    pub(crate) fn header(&self) -> Option<HeaderValue> {
        self.header.clone()
    }

    /// The token, to hide it from errors.
    pub(crate) fn secret(&self) -> Secret {
        self.value.clone()
    }
}

#[derive(Debug)]
struct Cached {
    token: Token,
    refresh_at: Instant,
    expires_at: Instant,
}

#[derive(Debug, Default)]
struct State {
    current: Option<Cached>,
    generation: u64,
    last_failure: Option<Error>,
}

/// Caches the access token. Only one fetch runs at a time; callers that
/// queued behind a fetch share its result, success or failure.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    /// Number of fetches that have finished (either way).
    finished: AtomicU64,
    /// The current token and when to refresh it, readable without queueing behind a fetch:
    /// the path every call takes while the token is fresh.
    fresh: std::sync::Mutex<Option<(Token, Instant)>>,
}

impl TokenCache {
    /// Returns a usable token, running `fetch` if this caller has to get a new one (at most
    /// once; a caller that finds a fresh token, or shares another caller's fetch, never runs
    /// it).
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Token, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fetched, Error>>,
    {
        if let Some(token) = self.fresh_token() {
            return Ok(token);
        }
        let finished_before = self.finished.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        let waited_for_fetch = self.finished.load(Ordering::Acquire) != finished_before;
        let now = Instant::now();
        if let Some(cached) = &state.current {
            // A token fetched while we waited is used even inside the
            // refresh margin, as long as it has not expired.
            if now < cached.refresh_at || (waited_for_fetch && now < cached.expires_at) {
                return Ok(cached.token.clone());
            }
        }
        if waited_for_fetch {
            if let Some(error) = &state.last_failure {
                return Err(error.clone());
            }
        }
        let result = fetch().await;
        self.finished.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok(fresh) => {
                state.generation += 1;
                let token = Token::new(&fresh.value, state.generation);
                state.current = Some(Cached {
                    token: token.clone(),
                    refresh_at: fresh.refresh_at,
                    expires_at: fresh.expires_at,
                });
                self.set_fresh(Some((token.clone(), fresh.refresh_at)));
                state.last_failure = None;
                Ok(token)
            }
            Err(error) => {
                state.last_failure = Some(error.clone());
                // A token inside the refresh margin is still usable.
                match &state.current {
                    Some(old) if Instant::now() < old.expires_at => {
                        tracing::debug!("portone token refresh failed; using the unexpired token");
                        Ok(old.token.clone())
                    }
                    _ => Err(error),
                }
            }
        }
    }

    /// Forgets the cached token if it is still the one from `generation`
    /// (the service rejected it).
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state
            .current
            .as_ref()
            .is_some_and(|c| c.token.generation == generation)
        {
            state.current = None;
            self.set_fresh(None);
        }
    }

    fn fresh_token(&self) -> Option<Token> {
        let guard = self.fresh.lock().ok()?;
        let (token, refresh_at) = guard.as_ref()?;
        (Instant::now() < *refresh_at).then(|| token.clone())
    }

    fn set_fresh(&self, value: Option<(Token, Instant)>) {
        if let Ok(mut guard) = self.fresh.lock() {
            *guard = value;
        }
    }
}

/// A token just received, with the times to refresh and to stop using it.
pub(crate) struct Fetched {
    value: Secret,
    refresh_at: Instant,
    expires_at: Instant,
}

#[derive(serde::Serialize)]
struct TokenRequest<'a> {
    imp_key: &'a str,
    imp_secret: &'a str,
}

#[derive(serde::Deserialize)]
struct TokenPayload {
    access_token: String,
    /// `None` when missing or unset: see [`UNSTATED_LIFETIME`].
    #[serde(default, deserialize_with = "Timestamp::deserialize_option")]
    expired_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "Timestamp::deserialize_option")]
    now: Option<Timestamp>,
}

/// The token request for the REST API key and secret.
pub(crate) fn token_request(credentials: &[Secret; 2]) -> Request {
    let mut request = Request::new(&TOKEN_ENDPOINT, &[]);
    let [imp_key, imp_secret] = credentials;
    request.json(&TokenRequest {
        imp_key: imp_key.expose(),
        imp_secret: imp_secret.expose(),
    });
    request
}

/// Reads the answer to a token request sent at `started`.
pub(crate) fn read_token(success: Success, started: Instant) -> Result<Fetched, Error> {
    into_fetched(decode(&TOKEN_ENDPOINT, success)?, started)
}

fn into_fetched(payload: TokenPayload, started: Instant) -> Result<Fetched, Error> {
    if payload.access_token.is_empty()
        || HeaderValue::from_str(&format!("Bearer {}", payload.access_token)).is_err()
    {
        return Err(Error::Decode(crate::DecodeError {
            method: TOKEN_ENDPOINT.method,
            path: TOKEN_ENDPOINT.path,
            status: 200,
            json_path: "response.access_token".to_owned(),
            excerpt: "[redacted]".to_owned(),
            message: "access token is empty or not a valid header value".to_owned(),
        }));
    }
    let lifetime = lifetime(payload.expired_at, payload.now);
    let expires_at = started.checked_add(lifetime).unwrap_or(started);
    let refresh_at = started
        .checked_add(lifetime.saturating_sub(REFRESH_MARGIN))
        .unwrap_or(started);
    tracing::debug!(
        lifetime_s = lifetime.as_secs(),
        stated = payload.expired_at.is_some() && payload.now.is_some(),
        "portone access token fetched"
    );
    Ok(Fetched {
        value: Secret::new(payload.access_token),
        refresh_at,
        expires_at,
    })
}

/// How long a token lasts: measured on the server's clock (`expired_at - now`, at most
/// [`MAX_LIFETIME`]) and applied to ours, or [`UNSTATED_LIFETIME`] when the answer lacks either.
fn lifetime(expired_at: Option<Timestamp>, now: Option<Timestamp>) -> Duration {
    let (Some(expired_at), Some(now)) = (expired_at, now) else {
        return UNSTATED_LIFETIME;
    };
    let seconds = expired_at.as_unix().saturating_sub(now.as_unix());
    Duration::from_secs(u64::try_from(seconds).unwrap_or(0)).min(MAX_LIFETIME)
}
