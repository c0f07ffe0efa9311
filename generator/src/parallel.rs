//! Independent jobs on every core: the generator's two costly steps, scanning the spec's files
//! and formatting the emitted ones, are each a list of jobs that share nothing.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on as many threads as the machine has cores, the results in the
/// items' order. Threads take one item at a time, so the largest should come first: none is
/// then left alone with a long one at the end.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>, String> {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                break;
            };
            let result = f(item);
            if let Ok(mut done) = done.lock() {
                done[i] = Some(result);
            }
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(items.len()));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let done = done
        .into_inner()
        .map_err(|_| "a worker thread panicked".to_owned())?;
    done.into_iter()
        .map(|r| r.ok_or_else(|| "a job was never run".to_owned()))
        .collect()
}
