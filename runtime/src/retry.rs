//! Retry policy: how often and how long to wait between attempts.

use std::time::Duration;

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

    /// The wait requested by a `Retry-After` header, or `None` when it asks
    /// for longer than this policy accepts.
    pub(crate) fn accept_retry_after(&self, wait: Duration) -> Option<Duration> {
        (wait <= self.max_retry_after).then_some(wait)
    }
}
