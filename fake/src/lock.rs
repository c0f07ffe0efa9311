//! Locking the fake's shared state.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// A poisoned lock means a test already panicked; the data is still the fake's best record.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
