//! Faults a test injects into calls to an endpoint: what each does and which calls it hits.
//! The server carries them out; the request record names the one a call met.

use std::time::Duration;

use serde_json::{Map, Value};

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Waits this long, then handles the call normally.
    Latency(Duration),
    /// Answers this status in PortOne's envelope (`code` -1) without handling the call.
    Status(u16),
    /// Answers 429 with `Retry-After: <seconds>` without handling the call.
    TooManyRequests {
        /// The `Retry-After` header, in seconds.
        retry_after: u64,
    },
    /// Handles the call (the ledger applies it: a refund happens, notifications go out),
    /// then closes the connection with a TCP reset instead of answering: "it happened but
    /// you never heard", what reconciliation code must cope with.
    ResetAfterRead,
    /// Reads the request, then closes the connection with a TCP reset without handling it:
    /// "it never happened, and you can't tell", the other case reconciliation must tell
    /// apart.
    ResetUnhandled,
    /// Handles the call like [`FaultKind::ResetAfterRead`], sends the status line, headers
    /// and half the body, and never finishes the body.
    StalledBody,
}

/// A fault injected into calls to one endpoint: every call, or only the listed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    kind: FaultKind,
    calls: Option<Vec<u32>>,
}

impl Fault {
    /// Waits `delay`, then answers normally.
    pub fn latency(delay: Duration) -> Fault {
        Fault::of(FaultKind::Latency(delay))
    }

    /// Answers `status` (a 5xx, say) instead of handling the call.
    pub fn status(status: u16) -> Fault {
        Fault::of(FaultKind::Status(status))
    }

    /// Answers 429 with `Retry-After: retry_after_secs` instead of handling the call.
    pub fn too_many_requests(retry_after_secs: u64) -> Fault {
        Fault::of(FaultKind::TooManyRequests {
            retry_after: retry_after_secs,
        })
    }

    /// Handles the call, then resets the connection (see [`FaultKind::ResetAfterRead`]).
    pub fn reset_after_read() -> Fault {
        Fault::of(FaultKind::ResetAfterRead)
    }

    /// Resets the connection without handling the call (see [`FaultKind::ResetUnhandled`]).
    pub fn reset_unhandled() -> Fault {
        Fault::of(FaultKind::ResetUnhandled)
    }

    /// Handles the call and never finishes the answer's body.
    pub fn stalled_body() -> Fault {
        Fault::of(FaultKind::StalledBody)
    }

    /// Only on these calls to the endpoint, counted from 1 since the fake started
    /// (`on_calls([2, 3])`: the second and third).
    pub fn on_calls(mut self, calls: impl IntoIterator<Item = u32>) -> Fault {
        self.calls = Some(calls.into_iter().collect());
        self
    }

    /// A fault described in JSON, as `POST /__fake/faults` takes it: `fault` names the
    /// kind (`latency` with `ms`, `status` with `status`, `too_many_requests` with
    /// `retry_after`, `reset_after_read`, `reset_unhandled`, `stalled_body`) and `calls`
    /// optionally lists the calls it applies to. Other keys are not read.
    pub(crate) fn from_json(body: &Map<String, Value>) -> Result<Fault, String> {
        let number = |key: &str| {
            body.get(key)
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("`{key}` must be a whole number"))
        };
        let fault = match body.get("fault").and_then(Value::as_str) {
            Some("latency") => Fault::latency(Duration::from_millis(number("ms")?)),
            Some("status") => {
                let status = u16::try_from(number("status")?)
                    .ok()
                    .filter(|s| (100..=999).contains(s))
                    .ok_or("`status` must be an HTTP status")?;
                Fault::status(status)
            }
            Some("too_many_requests") => Fault::too_many_requests(number("retry_after")?),
            Some("reset_after_read") => Fault::reset_after_read(),
            Some("reset_unhandled") => Fault::reset_unhandled(),
            Some("stalled_body") => Fault::stalled_body(),
            _ => {
                return Err(
                    "`fault` must be one of latency, status, too_many_requests, \
                     reset_after_read, reset_unhandled, stalled_body"
                        .into(),
                );
            }
        };
        match body.get("calls") {
            None => Ok(fault),
            Some(Value::Array(calls)) => calls
                .iter()
                .map(|c| c.as_u64().and_then(|c| u32::try_from(c).ok()))
                .collect::<Option<Vec<u32>>>()
                .map(|calls| fault.on_calls(calls))
                .ok_or_else(|| "`calls` must list call numbers".into()),
            Some(_) => Err("`calls` must be an array of call numbers".into()),
        }
    }

    /// What it does.
    pub(crate) fn kind(&self) -> FaultKind {
        self.kind
    }

    fn of(kind: FaultKind) -> Fault {
        Fault { kind, calls: None }
    }

    /// Whether it applies to the `call`th call of its endpoint.
    pub(crate) fn applies(&self, call: u32) -> bool {
        self.calls.as_ref().is_none_or(|c| c.contains(&call))
    }
}
