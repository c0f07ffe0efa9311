//! Retries: the policy (how often, how long to wait), the pure decision whether an attempt's
//! outcome is worth another attempt, and the jittered backoff that picks the wait.

use std::time::Duration;

use crate::Endpoint;

/// When and how often failed attempts are repeated.
///
/// Endpoints that are safe to repeat (reads, token requests) are retried on
/// connection failures, timeouts and HTTP 429/500/502/503/504. Endpoints that
/// may move money are retried only when the connection could not be
/// established at all, so the service cannot have seen the request.
///
/// The wait before retry `n` (0-based) is a random duration between zero and
/// `min(max_backoff, initial_backoff * 2^n)` ("full jitter"). On 429 and 503
/// a `Retry-After` header given in seconds is used instead, unless it exceeds
/// [`RetryPolicy::max_retry_after`], in which case the error is returned
/// without waiting.
///
/// The default allows 2 retries, starting at 200 ms, capped at 5 s, and
/// honours `Retry-After` up to 10 s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of retries after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Sets the upper bound of the first wait.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the upper bound of any computed wait.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the longest `Retry-After` the client is willing to wait for.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The number of retries after the first attempt.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The jittered wait before retry number `retry` (0-based).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// What one attempt came to, as far as retrying is concerned. The request loop maps reqwest's
/// results into it, so the decision can be made (and tested) without a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A complete answer arrived; `retry_after` is its `Retry-After` in seconds, if any.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No complete answer within the time limit.
    Timeout,
    /// No connection was established, so the request cannot have been delivered.
    ConnectFailed,
    /// The connection broke, or the answer could not be read, after the request may have
    /// been sent.
    BrokenAfterSend,
    /// The HTTP client could not even build the request.
    BuilderError,
    /// The answer passed the response-size limit.
    TooLarge,
}

impl Outcome {
    /// Why a retry happens, for the debug log.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Outcome::Status { .. } => "retryable HTTP status",
            Outcome::Timeout => "timeout",
            Outcome::ConnectFailed => "connect error",
            Outcome::BrokenAfterSend => "transport error",
            Outcome::BuilderError => "request could not be built",
            Outcome::TooLarge => "response too large",
        }
    }
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Try again after the policy's jittered [`RetryPolicy::backoff`].
    Retry,
    /// Try again after exactly this long, as the service asked.
    RetryAfter(Duration),
    /// Return this outcome to the caller.
    Stop,
}

/// Statuses worth retrying for idempotent endpoints.
const RETRYABLE_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// Decides whether to retry after `outcome`, the answer to an attempt made after
/// `retries_so_far` retries. Pure: no clock, no randomness, no I/O.
pub(crate) fn classify(
    endpoint: &Endpoint,
    outcome: Outcome,
    retries_so_far: u32,
    policy: &RetryPolicy,
) -> Decision {
    if retries_so_far >= policy.max_retries {
        return Decision::Stop;
    }
    match outcome {
        // A connection that was never established cannot have delivered the
        // request, so even money-moving calls may be repeated.
        Outcome::ConnectFailed => Decision::Retry,
        // The same request would get the same answer.
        Outcome::BuilderError | Outcome::TooLarge => Decision::Stop,
        Outcome::Timeout | Outcome::BrokenAfterSend if endpoint.idempotent => Decision::Retry,
        Outcome::Timeout | Outcome::BrokenAfterSend => Decision::Stop,
        Outcome::Status { status, .. }
            if !endpoint.idempotent || !RETRYABLE_STATUSES.contains(&status) =>
        {
            Decision::Stop
        }
        Outcome::Status {
            status: 429 | 503,
            retry_after: Some(wait),
        } if wait <= policy.max_retry_after => Decision::RetryAfter(wait),
        // A longer wait than the policy accepts: the error goes back now.
        Outcome::Status {
            status: 429 | 503,
            retry_after: Some(_),
        } => Decision::Stop,
        Outcome::Status { .. } => Decision::Retry,
    }
}
