//! A string wrapper that keeps credentials and tokens out of `Debug` output.

use std::fmt;
use std::sync::Arc;

/// Holds a credential or an access token.
///
/// Its `Debug` output is always `[redacted]`; the value is only reachable
/// through [`Secret::expose`], which the runtime calls when building a request.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Arc<str>);

impl Secret {
    /// Wraps a value.
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// Returns the wrapped value. Callers must not log it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Stands in for a secret field in hand-written or generated `Debug`
/// implementations; prints `[redacted]`.
#[derive(Clone, Copy, Default)]
#[allow(dead_code)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}
