//! The retry rules as a table: one row per rule of "Retries and timeouts" in the crate README
//! and of [`RetryPolicy`]'s documentation, checked against the pure classifier.

use std::time::Duration;

use crate::client::retry::{Decision, Outcome, classify};
use crate::{Endpoint, Method, RetryPolicy};

/// A read: safe to repeat.
const READ: Endpoint = Endpoint {
    method: Method::Get,
    path: "/payments/{imp_uid}",
    idempotent: true,
    auth: true,
};

/// A call that may move money: never repeated unless it provably was not delivered.
const PAY: Endpoint = Endpoint {
    method: Method::Post,
    path: "/payments/cancel",
    idempotent: false,
    auth: true,
};

fn status(status: u16) -> Outcome {
    Outcome::Status {
        status,
        retry_after: None,
    }
}

fn status_after(status: u16, seconds: u64) -> Outcome {
    Outcome::Status {
        status,
        retry_after: Some(Duration::from_secs(seconds)),
    }
}

fn after(seconds: u64) -> Decision {
    Decision::RetryAfter(Duration::from_secs(seconds))
}

#[test]
fn the_retry_rules() {
    use Decision::{Retry, Stop};
    // The default policy: 2 retries, `Retry-After` honoured up to 10 s.
    let default = RetryPolicy::default();
    let short_wait = RetryPolicy::default().max_retry_after(Duration::from_secs(1));
    let none = RetryPolicy::none();
    #[rustfmt::skip]
    let rows: [(&str, &Endpoint, Outcome, u32, &RetryPolicy, Decision); 44] = [
        // Connection never established: nothing was delivered, so every call may repeat.
        ("connect error, read", &READ, Outcome::ConnectFailed, 0, &default, Retry),
        ("connect error, payment", &PAY, Outcome::ConnectFailed, 0, &default, Retry),
        // After the request may have been sent, only safe-to-repeat calls are retried.
        ("timeout, read", &READ, Outcome::Timeout, 0, &default, Retry),
        ("timeout, payment", &PAY, Outcome::Timeout, 0, &default, Stop),
        ("broken connection, read", &READ, Outcome::BrokenAfterSend, 0, &default, Retry),
        ("broken connection, payment", &PAY, Outcome::BrokenAfterSend, 0, &default, Stop),
        // 429: backoff without Retry-After; the header's wait when within max_retry_after.
        ("429, read", &READ, status(429), 0, &default, Retry),
        ("429, payment", &PAY, status(429), 0, &default, Stop),
        ("429 Retry-After 3 s, read", &READ, status_after(429, 3), 0, &default, after(3)),
        ("429 Retry-After 0 s, read", &READ, status_after(429, 0), 0, &default, after(0)),
        ("429 Retry-After = max, read", &READ, status_after(429, 10), 0, &default, after(10)),
        ("429 Retry-After > max, read", &READ, status_after(429, 11), 0, &default, Stop),
        ("429 Retry-After > custom max", &READ, status_after(429, 2), 0, &short_wait, Stop),
        ("429 Retry-After = custom max", &READ, status_after(429, 1), 0, &short_wait, after(1)),
        ("429 Retry-After, payment", &PAY, status_after(429, 3), 0, &default, Stop),
        // 500, 502, 504: backoff for reads; Retry-After is read on 429 and 503 only.
        ("500, read", &READ, status(500), 0, &default, Retry),
        ("500, payment", &PAY, status(500), 0, &default, Stop),
        ("500 Retry-After 3 s, read", &READ, status_after(500, 3), 0, &default, Retry),
        ("500 Retry-After > max, read", &READ, status_after(500, 60), 0, &default, Retry),
        ("502, read", &READ, status(502), 0, &default, Retry),
        ("502, payment", &PAY, status(502), 0, &default, Stop),
        ("504, read", &READ, status(504), 0, &default, Retry),
        ("504, payment", &PAY, status(504), 0, &default, Stop),
        // 503 honours Retry-After like 429.
        ("503, read", &READ, status(503), 0, &default, Retry),
        ("503 Retry-After 3 s, read", &READ, status_after(503, 3), 0, &default, after(3)),
        ("503 Retry-After > max, read", &READ, status_after(503, 60), 0, &default, Stop),
        ("503 Retry-After, payment", &PAY, status_after(503, 3), 0, &default, Stop),
        // Other statuses are answers, not failures to retry. (A 401's token refresh and
        // replay happens before the classifier is asked, and is not a retry.)
        ("400, read", &READ, status(400), 0, &default, Stop),
        ("401, read", &READ, status(401), 0, &default, Stop),
        ("401, payment", &PAY, status(401), 0, &default, Stop),
        ("409, read", &READ, status(409), 0, &default, Stop),
        ("501, read", &READ, status(501), 0, &default, Stop),
        ("200, read", &READ, status(200), 0, &default, Stop),
        ("204, payment", &PAY, status(204), 0, &default, Stop),
        // The same request would fail the same way.
        ("body too large, read", &READ, Outcome::TooLarge, 0, &default, Stop),
        ("body too large, payment", &PAY, Outcome::TooLarge, 0, &default, Stop),
        ("request not buildable, read", &READ, Outcome::BuilderError, 0, &default, Stop),
        ("request not buildable, payment", &PAY, Outcome::BuilderError, 0, &default, Stop),
        // max_retries counts retries after the first attempt.
        ("last retry left, read", &READ, Outcome::Timeout, 1, &default, Retry),
        ("last retry left, 503 Retry-After", &READ, status_after(503, 3), 1, &default, after(3)),
        ("retries exhausted, read", &READ, Outcome::Timeout, 2, &default, Stop),
        ("retries exhausted, connect error", &PAY, Outcome::ConnectFailed, 2, &default, Stop),
        ("retries exhausted, 429 Retry-After", &READ, status_after(429, 3), 2, &default, Stop),
        ("RetryPolicy::none()", &READ, Outcome::ConnectFailed, 0, &none, Stop),
    ];
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|&(rule, endpoint, outcome, retries, policy, expected)| {
            let decided = classify(endpoint, outcome, retries, policy);
            (decided != expected).then(|| format!("{rule}: {decided:?}, expected {expected:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "rules broken:\n{}", wrong.join("\n"));
}

#[test]
fn retry_backoff_stays_within_bounds() {
    let policy = RetryPolicy::default();
    for retry in [0, 1, 5, 40, u32::MAX] {
        assert!(policy.backoff(retry) <= Duration::from_secs(5));
    }
    assert!(
        RetryPolicy::default()
            .initial_backoff(Duration::from_millis(200))
            .backoff(0)
            <= Duration::from_millis(200)
    );
    assert_eq!(RetryPolicy::none().retries(), 0);
    assert_eq!(RetryPolicy::default().retries(), 2);
}
