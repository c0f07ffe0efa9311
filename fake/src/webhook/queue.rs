//! Sending the ledger's notices: one queue per payment, worked off in order by one task, so a
//! later notice never overtakes an earlier one of the same payment, not even while that one
//! waits for a resend. Notices of different payments go out independently. Every attempt is
//! recorded as a [`Notification`].

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, oneshot, watch};
use tokio::task::JoinSet;

use super::format::{WebhookFormat, body};
use super::{policy, post};
use crate::clock::Clock;
use crate::exchange::Notice;
use crate::inspect::Notification;
use crate::lock::lock;

/// How notifications are sent, as the fake's builder set it.
pub(crate) struct Settings {
    pub format: WebhookFormat,
    /// Where notices of payments without a `notice_url` go; `None`: nowhere.
    pub default_url: Option<String>,
    /// Whether failed attempts are made again (PortOne's resend policy).
    pub resend: bool,
}

/// The notifications of one fake: queued, being sent, and sent.
pub(crate) struct Webhooks {
    clock: Arc<Clock>,
    format: WebhookFormat,
    default_url: Option<String>,
    /// The builder's resend setting, which `clear` goes back to.
    resend_at_start: bool,
    resend: AtomicBool,
    duplicate: AtomicBool,
    held: watch::Sender<bool>,
    queues: Mutex<Queues>,
    sent: Mutex<Vec<Notification>>,
    recorded: Notify,
    /// Counts `clear`s: a worker started before one records and sends nothing more.
    generation: AtomicU64,
}

#[derive(Default)]
struct Queues {
    /// Notices waiting to go out, by `imp_uid`. A payment is here exactly while a worker
    /// sends its notices; the worker removes it once the queue is empty.
    by_payment: HashMap<String, Queue>,
    workers: JoinSet<()>,
    /// The fake was dropped: nothing more is sent.
    stopped: bool,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// The worker waits (for a resend's time, or for the test to release notices), so what
    /// is queued behind will not go out soon.
    waiting: bool,
}

/// One notification to send.
struct Job {
    url: String,
    content_type: &'static str,
    body: String,
    /// Dropped once the first attempt is over, or once it has to wait: what a method that
    /// plays the buyer waits for before it returns.
    first_over: Option<oneshot::Sender<()>>,
}

/// The notifications one change queued, to wait for their first attempts.
pub(crate) struct Queued(Vec<oneshot::Receiver<()>>);

impl Queued {
    /// Returns once each first attempt is over, or waits behind a resend or a hold.
    pub(crate) async fn first_attempts(self) {
        for over in self.0 {
            // An error is the signal: the sender is dropped, never used.
            let _ = over.await;
        }
    }
}

impl Webhooks {
    pub(crate) fn new(clock: Arc<Clock>, settings: Settings) -> Arc<Webhooks> {
        Arc::new(Webhooks {
            clock,
            format: settings.format,
            default_url: settings.default_url,
            resend_at_start: settings.resend,
            resend: AtomicBool::new(settings.resend),
            duplicate: AtomicBool::new(false),
            held: watch::Sender::new(false),
            queues: Mutex::new(Queues::default()),
            sent: Mutex::new(Vec::new()),
            recorded: Notify::new(),
            generation: AtomicU64::new(0),
        })
    }

    /// Turns PortOne's resend policy on or off for attempts that fail from now on.
    pub(crate) fn set_resend(&self, on: bool) {
        self.resend.store(on, Ordering::SeqCst);
    }

    /// While on, every notice is queued twice, as PortOne sometimes sends one.
    pub(crate) fn set_duplicate(&self, on: bool) {
        self.duplicate.store(on, Ordering::SeqCst);
    }

    /// While held, no attempt starts; releasing lets the queues go on, in order.
    pub(crate) fn set_held(&self, held: bool) {
        self.held.send_replace(held);
    }

    /// Every attempt so far, oldest first.
    pub(crate) fn sent(&self) -> Vec<Notification> {
        lock(&self.sent).clone()
    }

    /// The attempts once at least `count` were made, or those made when `timeout` passes.
    pub(crate) async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Notification> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Created before the check, so a record made in between still wakes it.
            let recorded = self.recorded.notified();
            if lock(&self.sent).len() >= count
                || tokio::time::timeout_at(deadline, recorded).await.is_err()
            {
                return self.sent();
            }
        }
    }

    /// Queues `notices` (in the ledger's order) behind their payments' earlier ones. Call it
    /// while the ledger is still locked, so that changes made one after the other queue
    /// their notices in that order. A notice with neither its own `notice_url` nor a default
    /// URL is not sent.
    pub(crate) fn send(self: &Arc<Self>, notices: Vec<Notice>) -> Queued {
        let copies = if self.duplicate.load(Ordering::SeqCst) {
            2
        } else {
            1
        };
        let mut waits = Vec::new();
        let mut queues = lock(&self.queues);
        let Queues {
            by_payment,
            workers,
            stopped,
        } = &mut *queues;
        if *stopped {
            return Queued(waits);
        }
        while workers.try_join_next().is_some() {}
        for notice in notices {
            let Some(url) = notice.notice_url.clone().or(self.default_url.clone()) else {
                continue;
            };
            let (content_type, body) = body(&notice, self.format);
            let queue = by_payment.entry(notice.imp_uid.clone()).or_insert_with(|| {
                let generation = self.generation.load(Ordering::SeqCst);
                workers.spawn(self.clone().work(notice.imp_uid.clone(), generation));
                Queue::default()
            });
            for _ in 0..copies {
                let (first_over, over) = oneshot::channel();
                waits.push(over);
                queue.jobs.push_back(Job {
                    url: url.clone(),
                    content_type,
                    body: body.clone(),
                    first_over: (!queue.waiting).then_some(first_over),
                });
            }
        }
        Queued(waits)
    }

    /// Stops every worker; nothing more is sent.
    pub(crate) fn stop(&self) {
        let mut queues = lock(&self.queues);
        queues.stopped = true;
        queues.workers.abort_all();
        queues.by_payment.clear();
    }

    /// Forgets every notification, as if none had been sent: queued and held ones are
    /// dropped, resends stop, the record empties, and the switches go back to the builder's
    /// settings (no duplicates, nothing held). Unlike `stop`, what is sent later goes out.
    pub(crate) fn clear(&self) {
        let mut queues = lock(&self.queues);
        self.generation.fetch_add(1, Ordering::SeqCst);
        queues.workers.abort_all();
        queues.by_payment.clear();
        drop(queues);
        // After the generation moved on, so a worker that raced it records nothing later.
        lock(&self.sent).clear();
        self.set_resend(self.resend_at_start);
        self.set_duplicate(false);
        self.set_held(false);
    }

    /// Sends the notices of `imp_uid` one after the other, each until it succeeded or the
    /// policy gives up, then ends; a worker of an earlier `generation` (before a `clear`)
    /// ends at once.
    async fn work(self: Arc<Self>, imp_uid: String, generation: u64) {
        while let Some(mut job) = self.next_job(&imp_uid, generation) {
            let mut attempt = 1;
            loop {
                self.unless_held(&imp_uid, generation, &mut job).await;
                let sent_at = self.clock.now();
                let limits = policy::limits(attempt);
                let outcome =
                    post::attempt(&self.clock, limits, &job.url, job.content_type, &job.body).await;
                let resend = self.resend.load(Ordering::SeqCst);
                let retry_at = policy::next_attempt(resend, attempt, &outcome, sent_at);
                {
                    let mut sent = lock(&self.sent);
                    if self.generation.load(Ordering::SeqCst) != generation {
                        return;
                    }
                    sent.push(Notification {
                        url: job.url.clone(),
                        content_type: job.content_type.to_owned(),
                        body: job.body.clone(),
                        attempt,
                        sent_at,
                        outcome,
                        retry_at,
                    });
                }
                self.recorded.notify_waiters();
                job.first_over = None;
                let Some(at) = retry_at else { break };
                self.set_waiting(&imp_uid, generation, true);
                self.clock.until(at).await;
                self.set_waiting(&imp_uid, generation, false);
                attempt += 1;
            }
        }
    }

    /// The next notice of `imp_uid`; once there is none, the payment leaves the queues (under
    /// the same lock, so a notice queued later starts a new worker).
    fn next_job(&self, imp_uid: &str, generation: u64) -> Option<Job> {
        let mut queues = lock(&self.queues);
        if self.generation.load(Ordering::SeqCst) != generation {
            return None;
        }
        let queue = queues.by_payment.get_mut(imp_uid)?;
        let job = queue.jobs.pop_front();
        if job.is_none() {
            queues.by_payment.remove(imp_uid);
        }
        job
    }

    /// Waits while notices are held; nobody waits for `job` or the queue meanwhile.
    async fn unless_held(&self, imp_uid: &str, generation: u64, job: &mut Job) {
        let mut held = self.held.subscribe();
        if !*held.borrow_and_update() {
            return;
        }
        job.first_over = None;
        self.set_waiting(imp_uid, generation, true);
        // The sender lives as long as `self`.
        let _ = held.wait_for(|held| !held).await;
        self.set_waiting(imp_uid, generation, false);
    }

    /// Marks the queue of `imp_uid` as waiting or not, unless a `clear` since `generation`
    /// handed it to another worker.
    fn set_waiting(&self, imp_uid: &str, generation: u64, waiting: bool) {
        let mut queues = lock(&self.queues);
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if let Some(queue) = queues.by_payment.get_mut(imp_uid) {
            queue.waiting = waiting;
            if waiting {
                for job in &mut queue.jobs {
                    job.first_over = None;
                }
            }
        }
    }
}
