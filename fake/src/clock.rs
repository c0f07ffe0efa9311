//! The fake's clock: real time until a test stops it at a moment of its choosing, and waiting
//! on it, so that whatever PortOne does after a delay (token expiry, a resent notification, a
//! receiver that took too long) happens when the test moves the clock, not after real waiting.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

/// UNIX seconds, stopped (`Some`) or running with real time (`None`). Waiters watch it.
pub(crate) struct Clock {
    stopped: watch::Sender<Option<i64>>,
}

/// A wait that ended because its time ran out.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Elapsed;

impl Clock {
    /// A clock running with real time.
    pub(crate) fn new() -> Clock {
        Clock {
            stopped: watch::Sender::new(None),
        }
    }

    /// The time in UNIX seconds.
    pub(crate) fn now(&self) -> i64 {
        (*self.stopped.borrow()).unwrap_or_else(|| real_millis() / 1000)
    }

    /// Stops the clock at `secs`, waking whoever waits for a time at or before it.
    pub(crate) fn set(&self, secs: i64) {
        self.stopped.send_replace(Some(secs));
    }

    /// Lets the clock run with real time again, waking whoever waits for a time already
    /// passed.
    pub(crate) fn run(&self) {
        self.stopped.send_replace(None);
    }

    /// Moves the clock forward by `by` whole seconds and stops it there.
    pub(crate) fn advance(&self, by: Duration) {
        let now = self.now();
        self.set(now.saturating_add(by.as_secs() as i64));
    }

    /// Returns once the clock reads `at` or later: on a stopped clock when the test moves it
    /// there, on a running one when real time gets there.
    pub(crate) async fn until(&self, at: i64) {
        let mut changes = self.stopped.subscribe();
        loop {
            let stopped = *changes.borrow_and_update();
            match stopped {
                Some(now) if now >= at => return,
                // The sender lives as long as `self`, so `changed` only returns on a change.
                Some(_) => {
                    let _ = changes.changed().await;
                }
                None => {
                    let left = at.saturating_mul(1000).saturating_sub(real_millis());
                    if left <= 0 {
                        return;
                    }
                    let sleep = tokio::time::sleep(Duration::from_millis(left as u64));
                    let _ = race(sleep, changes.changed()).await;
                }
            }
        }
    }

    /// `work`'s output, unless `secs` seconds pass first, on this clock or in real time,
    /// whichever comes first: a test that stopped the clock decides when a limit is reached,
    /// and one that forgets to still gets an answer after the real limit.
    pub(crate) async fn within<T>(
        &self,
        secs: i64,
        work: impl Future<Output = T>,
    ) -> Result<T, Elapsed> {
        let deadline = self.now().saturating_add(secs);
        let limit = race(
            self.until(deadline),
            tokio::time::sleep(Duration::from_secs(secs.max(0) as u64)),
        );
        match race(work, limit).await {
            Either::First(output) => Ok(output),
            Either::Second(_) => Err(Elapsed),
        }
    }
}

fn real_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Which of two futures finished first.
enum Either<A, B> {
    First(A),
    Second(B),
}

/// Polls both futures and returns the output of the first to finish (`first` when both are
/// ready at once).
async fn race<A: Future, B: Future>(first: A, second: B) -> Either<A::Output, B::Output> {
    let mut first = pin!(first);
    let mut second = pin!(second);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = first.as_mut().poll(cx) {
            return Poll::Ready(Either::First(output));
        }
        if let Poll::Ready(output) = second.as_mut().poll(cx) {
            return Poll::Ready(Either::Second(output));
        }
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A clock stopped at 1 000 s and a task waiting on it for 1 060 s.
    fn stopped_with_a_waiter() -> (Arc<Clock>, tokio::task::JoinHandle<()>) {
        let clock = Arc::new(Clock::new());
        clock.set(1_000);
        let waiter = tokio::spawn({
            let clock = clock.clone();
            async move { clock.until(1_060).await }
        });
        (clock, waiter)
    }

    #[tokio::test]
    async fn a_stopped_clock_wakes_waiters_when_moved_far_enough() {
        let (clock, waiter) = stopped_with_a_waiter();
        clock.advance(Duration::from_secs(59));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished(), "59 s are not a minute");
        clock.advance(Duration::from_secs(1));
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("woken at the minute")
            .unwrap();
        assert_eq!(clock.now(), 1_060);
    }

    #[tokio::test]
    async fn a_clock_set_running_again_reads_real_time_and_wakes_waiters() {
        let (clock, waiter) = stopped_with_a_waiter();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished());
        clock.run();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("real time is long past 1_060")
            .unwrap();
        assert!((clock.now() - real_millis() / 1000).abs() <= 1);
    }

    #[tokio::test]
    async fn within_ends_on_the_stopped_clock_or_with_the_work() {
        let clock = Arc::new(Clock::new());
        clock.set(0);
        assert_eq!(clock.within(30, async { 7 }).await, Ok(7));
        let stuck = tokio::spawn({
            let clock = clock.clone();
            async move { clock.within(30, std::future::pending::<()>()).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        clock.advance(Duration::from_secs(29));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!stuck.is_finished());
        clock.advance(Duration::from_secs(1));
        let ended = tokio::time::timeout(Duration::from_secs(5), stuck).await;
        assert_eq!(ended.expect("ended at 30 s").unwrap(), Err(Elapsed));
    }

    #[tokio::test(start_paused = true)]
    async fn within_ends_in_real_time_when_the_clock_is_not_moved() {
        let clock = Clock::new();
        clock.set(0);
        let started = tokio::time::Instant::now();
        let ended = clock.within(30, std::future::pending::<()>()).await;
        assert_eq!(ended, Err(Elapsed));
        assert_eq!(started.elapsed().as_secs(), 30);
    }
}
