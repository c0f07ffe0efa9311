//! The HTTP server: accepting connections, answering each request (faults, tokens, decoding,
//! ledger or sample), recording it, and queuing the notifications it caused for `webhook`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use crate::clock::Clock;
use crate::control::{self, Command, Switches};
use crate::exchange::{Call, Outcome, Refusal};
use crate::fault::{Fault, FaultKind};
use crate::inspect::{self, Notification, Received, Served};
use crate::ledger::{ConsoleRefund, FakeAmount, Ledger, PayMethod, Purchase};
use crate::lock::lock;
use crate::operation::Operation;
use crate::route::{self, BadRequest, Found, Route, Router};
use crate::seed::Seed;
use crate::token::Tokens;
use crate::webhook::{Queued, Settings, WebhookFormat, Webhooks};

/// The token endpoint, which the server answers itself (the ledger never sees credentials).
const TOKEN_PATH: &str = "/users/getToken";
/// The `code` of every refusal the server itself makes (PortOne publishes none; see the
/// crate docs).
const REFUSAL_CODE: i64 = 1;

/// Settings of a fake before it starts.
#[derive(Debug, Clone)]
pub struct FakePortOneBuilder {
    key: String,
    secret: String,
    token_lifetime: Duration,
    webhook_format: WebhookFormat,
    webhook_url: Option<String>,
    retry_webhooks: bool,
    seed: Option<Seed>,
}

impl FakePortOneBuilder {
    /// The REST API key and secret the token endpoint accepts (default [`crate::TEST_KEY`]
    /// and [`crate::TEST_SECRET`]).
    pub fn credentials(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.key = key.into();
        self.secret = secret.into();
        self
    }

    /// How long a token lives (default 30 minutes, as PortOne's).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// How notifications are encoded (default JSON).
    pub fn webhook_format(mut self, format: WebhookFormat) -> Self {
        self.webhook_format = format;
        self
    }

    /// Where notifications of payments without a `notice_url` of their own go (by default
    /// they are not sent). Plain `http://` only.
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }

    /// Resends a notification whose delivery failed (a network error, no answer in time, or a
    /// 5xx), as PortOne does once its support turned resends on for a merchant: up to five
    /// attempts in all, a minute apart on the fake's clock. By default each notification gets
    /// one attempt, PortOne's default. See also [`FakePortOne::set_retry_webhooks`].
    pub fn retry_webhooks(mut self) -> Self {
        self.retry_webhooks = true;
        self
    }

    /// The state the fake starts from, and goes back to on [`FakePortOne::reset`] (by default
    /// an empty ledger).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Starts serving on 127.0.0.1 on an ephemeral port.
    ///
    /// # Panics
    ///
    /// When no port on 127.0.0.1 can be bound, or outside a Tokio runtime.
    pub async fn start(self) -> FakePortOne {
        self.bind(0)
            .await
            .unwrap_or_else(|e| panic!("the fake PortOne cannot bind 127.0.0.1: {e}"))
    }

    /// Starts serving on 127.0.0.1:`port` (0: an ephemeral port).
    pub async fn bind(self, port: u16) -> io::Result<FakePortOne> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let clock = Arc::new(Clock::new());
        let start = self.seed.map_or_else(Ledger::new, |seed| seed.ledger);
        let settings = Settings {
            format: self.webhook_format,
            default_url: self.webhook_url,
            resend: self.retry_webhooks,
        };
        let shared = Arc::new(Shared {
            tokens: Mutex::new(Tokens::new(self.token_lifetime.as_secs() as i64)),
            key: self.key,
            secret: self.secret,
            webhooks: Webhooks::new(clock.clone(), settings),
            clock,
            router: Router::new(crate::spec::ROUTES),
            ledger: Mutex::new(start.clone()),
            start: Mutex::new(start),
            faults: Mutex::new(Faults::default()),
            requests: Mutex::new(Vec::new()),
        });
        let task = tokio::spawn(accept(listener, shared.clone()));
        Ok(FakePortOne {
            shared,
            addr,
            base_url: format!("http://{addr}"),
            task,
        })
    }
}

/// A running fake PortOne; dropping it stops the server and closes its connections.
pub struct FakePortOne {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: String,
    task: JoinHandle<()>,
}

impl Drop for FakePortOne {
    fn drop(&mut self) {
        self.task.abort();
        self.shared.webhooks.stop();
    }
}

impl FakePortOne {
    /// A fake with the default settings, on an ephemeral port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// As [`FakePortOneBuilder::start`].
    pub async fn start() -> FakePortOne {
        FakePortOne::builder().start().await
    }

    /// Settings for a fake.
    pub fn builder() -> FakePortOneBuilder {
        FakePortOneBuilder {
            key: crate::TEST_KEY.into(),
            secret: crate::TEST_SECRET.into(),
            token_lifetime: Duration::from_secs(30 * 60),
            webhook_format: WebhookFormat::Json,
            webhook_url: None,
            retry_webhooks: false,
            seed: None,
        }
    }

    /// `http://127.0.0.1:<port>`, for the client's `base_url`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The REST API key it accepts.
    pub fn key(&self) -> &str {
        &self.shared.key
    }

    /// The REST API secret it accepts.
    pub fn secret(&self) -> &str {
        &self.shared.secret
    }

    /// The fake's clock, in UNIX seconds: real time until [`set_now`](Self::set_now) or
    /// [`advance`](Self::advance) fixes it.
    pub fn now(&self) -> i64 {
        self.shared.clock.now()
    }

    /// Stops the clock at `secs`; it stays there until set or advanced again. Whatever waits
    /// on the clock (a resend, a receiver's time limit) happens once the clock gets there.
    pub fn set_now(&self, secs: i64) {
        self.shared.clock.set(secs);
    }

    /// Moves the clock forward by `by` (whole seconds) and stops it there.
    pub fn advance(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Injects `fault` into calls to `endpoint` (`Operation::CancelPayment`). The first
    /// fault that applies to a call wins.
    pub fn inject(&self, endpoint: Operation, fault: Fault) {
        lock(&self.shared.faults).injected.push((endpoint, fault));
    }

    /// Removes every injected fault (call counts go on).
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).injected.clear();
    }

    /// Goes back to the state the fake started from: the ledger of its seed (empty without
    /// one), the clock on real time, no requests or notifications recorded (queued and held
    /// ones are dropped, resends stop), the notification switches as the builder set them,
    /// no faults and call counts from zero. Tokens it issued stay valid, so clients need no
    /// new one.
    pub fn reset(&self) {
        self.shared.reset(None);
    }

    /// Makes `seed` the state the fake starts from, and [`reset`](Self::reset)s to it.
    pub fn reset_to(&self, seed: Seed) {
        self.shared.reset(Some(seed));
    }

    /// Every request received so far, oldest first, secrets hidden.
    pub fn requests(&self) -> Vec<Received> {
        lock(&self.shared.requests).clone()
    }

    /// Every attempt to deliver a notification so far, oldest first: resends and duplicates
    /// are entries of their own (see [`Notification`]).
    pub fn notifications(&self) -> Vec<Notification> {
        self.shared.webhooks.sent()
    }

    /// The notifications once at least `count` attempts were made, or those made when
    /// `timeout` passes (deliveries caused by a request run after it was answered).
    pub async fn wait_for_notifications(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Vec<Notification> {
        self.shared.webhooks.wait_for(count, timeout).await
    }

    /// Turns PortOne's resend policy on or off (see [`FakePortOneBuilder::retry_webhooks`]);
    /// it applies to attempts that fail from now on.
    pub fn set_retry_webhooks(&self, on: bool) {
        self.shared.webhooks.set_resend(on);
    }

    /// While on, every notification is sent twice in a row, the same body each time, as
    /// PortOne sometimes does: a receiver must act on it once.
    pub fn set_duplicate_notifications(&self, on: bool) {
        self.shared.webhooks.set_duplicate(on);
    }

    /// Holds every notification (resends included) until
    /// [`release_notifications`](Self::release_notifications). With it, the buyer's redirect
    /// comes first: [`pay`](Self::pay) returns the `imp_uid` (the browser is back on the
    /// merchant's page) and the payment's notification arrives only once released. Without
    /// it, `pay` returns once the notification's first attempt is over, as in PortOne's
    /// webhook-first mode; PortOne promises neither order by default.
    pub fn hold_notifications(&self) {
        self.shared.webhooks.set_held(true);
    }

    /// Sends the held notifications, each payment's in order, and stops holding.
    pub fn release_notifications(&self) {
        self.shared.webhooks.set_held(false);
    }

    /// Plays the buyer: pays `amount` (`64_900`, see [`FakeAmount`]) for `merchant_uid` with `method` in the payment window;
    /// returns the new `imp_uid` (the buyer's redirect) once the first attempt of its
    /// notification is over, unless notifications are held
    /// (see [`hold_notifications`](Self::hold_notifications)).
    pub async fn pay(
        &self,
        merchant_uid: &str,
        amount: impl Into<FakeAmount>,
        method: PayMethod,
    ) -> Result<String, Refusal> {
        self.pay_with(Purchase::new(merchant_uid, amount, method))
            .await
    }

    /// Plays the buyer with every detail of `purchase`.
    pub async fn pay_with(&self, purchase: Purchase) -> Result<String, Refusal> {
        self.shared.pay_with(purchase).await
    }

    /// The buyer pays into the virtual account of `imp_uid`; returns as [`pay`](Self::pay)
    /// does.
    pub async fn deposit(&self, imp_uid: &str) -> Result<(), Refusal> {
        self.shared.deposit(imp_uid).await
    }

    /// Executes every schedule due at or before `at`; returns the `imp_uid`s created.
    pub async fn run_due_schedules(&self, at: i64) -> Vec<String> {
        self.shared.run_due_schedules(at).await
    }

    /// Refunds as an operator would in PortOne's admin console: the checks of
    /// `cancel_payment`, and always a notification (the payment's status after the refund,
    /// `cancelled` once nothing is left, and the refund's `cancellation_id`), where the API
    /// notifies only with `enable_webhook`. Answers the payment after the refund, as
    /// [`payment`](Self::payment) does, once the notification's first attempt is over.
    pub async fn refund_in_console(&self, refund: ConsoleRefund) -> Result<Value, Refusal> {
        self.shared.refund_in_console(&refund).await
    }

    /// The payment as `GET /payments/{imp_uid}` answers it.
    pub fn payment(&self, imp_uid: &str) -> Option<Value> {
        lock(&self.shared.ledger).payment(imp_uid)
    }
}

#[derive(Default)]
struct Faults {
    injected: Vec<(Operation, Fault)>,
    calls: HashMap<Operation, u32>,
}

struct Shared {
    key: String,
    secret: String,
    clock: Arc<Clock>,
    webhooks: Arc<Webhooks>,
    router: Router,
    tokens: Mutex<Tokens>,
    ledger: Mutex<Ledger>,
    /// What `reset` goes back to.
    start: Mutex<Ledger>,
    faults: Mutex<Faults>,
    requests: Mutex<Vec<Received>>,
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    // Owned by this task, so aborting it on drop closes every connection too.
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        while connections.try_join_next().is_some() {}
        let shared = shared.clone();
        connections.spawn(async move {
            let reset = Arc::new(AtomicBool::new(false));
            let io = TokioIo::new(Connection {
                stream,
                reset: reset.clone(),
            });
            let service = service_fn(move |request| {
                let shared = shared.clone();
                let reset = reset.clone();
                async move { shared.serve(request, &reset).await }
            });
            // A client that goes away mid-request is its own business.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
}

/// The error that makes hyper drop a connection without answering.
#[derive(Debug)]
struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset on purpose")
    }
}

impl std::error::Error for Reset {}

/// An answer before it becomes a response.
struct Answer {
    status: u16,
    body: String,
    served: Served,
    sample: bool,
    retry_after: Option<u64>,
}

impl Answer {
    fn payload(status: u16, response: &str, served: Served) -> Answer {
        Answer {
            status,
            body: format!(r#"{{"code":0,"message":null,"response":{response}}}"#),
            served,
            sample: false,
            retry_after: None,
        }
    }

    fn refusal(refusal: &Refusal, served: Served) -> Answer {
        let body = json!({"code": refusal.code, "message": refusal.message, "response": null});
        Answer {
            status: refusal.status,
            body: body.to_string(),
            served,
            sample: false,
            retry_after: None,
        }
    }

    fn refused(status: u16, message: String) -> Answer {
        Answer::refusal(
            &Refusal {
                status,
                code: REFUSAL_CODE,
                message,
            },
            Served::Refused,
        )
    }

    /// Nothing computed and nothing sent: the connection is reset (status 0 in the log).
    fn unhandled() -> Answer {
        Answer {
            status: 0,
            body: String::new(),
            served: Served::Fault,
            sample: false,
            retry_after: None,
        }
    }
}

impl Shared {
    /// Applies `change` to the ledger and queues the notices it caused, in the ledger's order.
    fn change<T>(&self, change: impl FnOnce(&mut Ledger) -> T) -> (T, Queued) {
        let mut ledger = lock(&self.ledger);
        let done = change(&mut ledger);
        let queued = self.webhooks.send(ledger.take_notices());
        (done, queued)
    }

    /// Applies `change` as the buyer (or the bank) would, returning once the notifications it
    /// caused had their first attempt.
    async fn play<T>(&self, change: impl FnOnce(&mut Ledger, i64) -> T) -> T {
        let now = self.clock.now();
        let (done, queued) = self.change(|ledger| change(ledger, now));
        queued.first_attempts().await;
        done
    }

    async fn pay_with(&self, purchase: Purchase) -> Result<String, Refusal> {
        self.play(|ledger, now| ledger.pay(purchase, now)).await
    }

    async fn deposit(&self, imp_uid: &str) -> Result<(), Refusal> {
        self.play(|ledger, now| ledger.deposit(imp_uid, now)).await
    }

    async fn run_due_schedules(&self, at: i64) -> Vec<String> {
        self.play(|ledger, _| ledger.run_due_schedules(at)).await
    }

    async fn refund_in_console(&self, refund: &ConsoleRefund) -> Result<Value, Refusal> {
        self.play(|ledger, now| ledger.refund_in_console(refund, now))
            .await
    }

    /// Back to `seed`, or to the start, as [`FakePortOne::reset`] says.
    fn reset(&self, seed: Option<Seed>) {
        let mut start = lock(&self.start);
        if let Some(seed) = seed {
            *start = seed.ledger;
        }
        // Under the ledger's lock, so no change made before the reset queues a notice after.
        let mut ledger = lock(&self.ledger);
        *ledger = start.clone();
        self.webhooks.clear();
        drop(ledger);
        self.clock.run();
        *lock(&self.faults) = Faults::default();
        lock(&self.requests).clear();
    }

    fn switch(&self, switches: Switches) {
        let Switches {
            retry,
            duplicate,
            hold,
        } = switches;
        if let Some(on) = retry {
            self.webhooks.set_resend(on);
        }
        if let Some(on) = duplicate {
            self.webhooks.set_duplicate(on);
        }
        if let Some(on) = hold {
            self.webhooks.set_held(on);
        }
    }

    /// Carries out a control request (see `control.rs`).
    async fn control(self: Arc<Self>, method: &str, path: &str, raw: &[u8]) -> Answer {
        let command = match control::parse(method, path, raw) {
            Ok(command) => command,
            Err(message) => {
                let refusal = Refusal {
                    status: 400,
                    code: REFUSAL_CODE,
                    message,
                };
                return Answer::refusal(&refusal, Served::Control);
            }
        };
        let done = match command {
            Command::Pay(purchase) => self.pay_with(*purchase).await.map(Value::from),
            Command::Deposit(imp_uid) => self.deposit(&imp_uid).await.map(|()| Value::Null),
            Command::RunDueSchedules(at) => Ok(Value::from(self.run_due_schedules(at).await)),
            Command::Payment(imp_uid) => lock(&self.ledger).payment(&imp_uid).ok_or(Refusal {
                status: 404,
                code: REFUSAL_CODE,
                message: format!("no payment {imp_uid}"),
            }),
            Command::SetNow(now) => {
                self.clock.set(now);
                Ok(Value::Null)
            }
            Command::RefundInConsole(refund) => self.refund_in_console(&refund).await,
            Command::Webhooks(switches) => {
                self.switch(switches);
                Ok(Value::Null)
            }
            Command::Notifications => Ok(self
                .webhooks
                .sent()
                .iter()
                .map(control::notification)
                .collect()),
            Command::Reset(seed) => {
                self.reset(seed);
                Ok(Value::Null)
            }
            Command::Inject(operation, fault) => {
                lock(&self.faults).injected.push((operation, fault));
                Ok(Value::Null)
            }
            Command::ClearFaults => {
                lock(&self.faults).injected.clear();
                Ok(Value::Null)
            }
        };
        match done {
            Ok(response) => Answer::payload(200, &response.to_string(), Served::Control),
            Err(refusal) => Answer::refusal(&refusal, Served::Control),
        }
    }

    async fn serve(
        self: Arc<Self>,
        request: Request<Incoming>,
        reset: &AtomicBool,
    ) -> Result<Response<Reply>, Reset> {
        let (parts, body) = request.into_parts();
        let raw = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let form = parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let mut record = Received {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().unwrap_or_default().to_owned(),
            body: inspect::body(&raw, form),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| {
                    let v = String::from_utf8_lossy(v.as_bytes());
                    (k.as_str().to_owned(), inspect::header(k.as_str(), &v))
                })
                .collect(),
            endpoint: None,
            status: 0,
            served: Served::Refused,
            fault: None,
        };
        let answer = self.clone().answer(&parts, &raw, form, &mut record).await;
        record.status = answer.status;
        record.served = answer.served;
        let fault = record.fault;
        lock(&self.requests).push(record);
        let stall = match fault {
            Some(FaultKind::ResetAfterRead | FaultKind::ResetUnhandled) => {
                reset.store(true, Ordering::SeqCst);
                return Err(Reset);
            }
            Some(FaultKind::StalledBody) => true,
            _ => false,
        };
        let mut response = Response::new(Reply {
            data: Some(Bytes::from(answer.body)),
            stall,
        });
        *response.status_mut() =
            StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        );
        if answer.sample {
            headers.insert("x-portone-fake", HeaderValue::from_static("sample"));
        }
        if let Some(secs) = answer.retry_after {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        Ok(response)
    }

    async fn answer(
        self: Arc<Self>,
        parts: &Parts,
        raw: &[u8],
        form: bool,
        record: &mut Received,
    ) -> Answer {
        let method = parts.method.as_str();
        let path = parts.uri.path();
        if let Some(command) = path.strip_prefix(control::PREFIX) {
            return self.control(method, command, raw).await;
        }
        let (route, path_params) = match self.router.find(method, path) {
            Found::Route(route, params) => (route, params),
            Found::Nothing => return Answer::refused(404, format!("no endpoint at {path}")),
            Found::WrongMethod => {
                return Answer::refused(405, format!("{path} does not take {method}"));
            }
            Found::Bad(BadRequest(message)) => return Answer::refused(400, message),
        };
        record.endpoint = Some(route.operation);
        let fault = {
            let mut faults = lock(&self.faults);
            let call = faults.calls.entry(route.operation).or_default();
            *call += 1;
            let call = *call;
            faults
                .injected
                .iter()
                .find(|(operation, f)| *operation == route.operation && f.applies(call))
                .map(|(_, f)| f.kind())
        };
        record.fault = fault;
        match fault {
            Some(FaultKind::Latency(delay)) => tokio::time::sleep(delay).await,
            Some(FaultKind::Status(status)) => {
                let refusal = Refusal {
                    status,
                    code: -1,
                    message: format!("injected fault: HTTP {status}"),
                };
                return Answer::refusal(&refusal, Served::Fault);
            }
            Some(FaultKind::TooManyRequests { retry_after }) => {
                let refusal = Refusal {
                    status: 429,
                    code: -1,
                    message: "injected fault: too many requests".into(),
                };
                let mut answer = Answer::refusal(&refusal, Served::Fault);
                answer.retry_after = Some(retry_after);
                return answer;
            }
            Some(FaultKind::ResetUnhandled) => return Answer::unhandled(),
            _ => {}
        }
        let now = self.clock.now();
        if route.path == TOKEN_PATH {
            return match route::body(route, raw, form) {
                Ok(body) => self.token(&body, now),
                Err(BadRequest(message)) => Answer::refused(400, message),
            };
        }
        if route.auth {
            let token = bearer(parts);
            if !token.is_some_and(|t| lock(&self.tokens).valid(t, now)) {
                let why = if token.is_some() {
                    "the access token is wrong or expired"
                } else {
                    "no access token was sent"
                };
                return Answer::refused(401, why.into());
            }
        }
        let query = match route::query(route, parts.uri.query().unwrap_or_default()) {
            Ok(query) => query,
            Err(BadRequest(message)) => return Answer::refused(400, message),
        };
        let body = match route::body(route, raw, form) {
            Ok(body) => body,
            Err(BadRequest(message)) => return Answer::refused(400, message),
        };
        let call = Call {
            operation: route.operation,
            path: &path_params,
            query: &query,
            body: &body,
            now,
        };
        // The notifications go out on their own once queued; the answer does not wait.
        let (outcome, _) = self.change(|ledger| ledger.handle(&call));
        match outcome {
            Some(Outcome::Answer { status, response }) => {
                Answer::payload(status, &response, Served::Ledger)
            }
            Some(Outcome::Refuse(refusal)) => Answer::refusal(&refusal, Served::Ledger),
            None => sample(route),
        }
    }

    fn token(&self, body: &serde_json::Map<String, Value>, now: i64) -> Answer {
        let given = |name: &str| body.get(name).and_then(Value::as_str);
        if given("imp_key") != Some(&self.key) || given("imp_secret") != Some(&self.secret) {
            let refusal = Refusal {
                status: 401,
                code: REFUSAL_CODE,
                message: "imp_key and imp_secret do not match".into(),
            };
            return Answer::refusal(&refusal, Served::Token);
        }
        let (token, expired_at) = lock(&self.tokens).issue(now);
        let response = json!({"access_token": token, "now": now, "expired_at": expired_at});
        Answer::payload(200, &response.to_string(), Served::Token)
    }
}

fn sample(route: &Route) -> Answer {
    Answer {
        sample: true,
        ..Answer::payload(200, route.sample, Served::Sample)
    }
}

/// The token of a request: `Authorization: Bearer t`, `Authorization: t`, or
/// `X-ImpTokenHeader: t`; `Authorization` wins when both are sent, as at PortOne.
fn bearer(parts: &Parts) -> Option<&str> {
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    match header(http::header::AUTHORIZATION.as_str()) {
        Some(v) => Some(
            v.get(..7)
                .filter(|scheme| scheme.eq_ignore_ascii_case("bearer "))
                .map_or(v, |_| v[7..].trim()),
        ),
        None => header("x-imptokenheader"),
    }
}

/// A response body: the whole answer, or, stalled, half of it and then nothing, forever.
pub(crate) struct Reply {
    data: Option<Bytes>,
    stall: bool,
}

impl Body for Reply {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        match this.data.take() {
            Some(mut data) if this.stall => {
                data.truncate(data.len() / 2);
                Poll::Ready(Some(Ok(Frame::data(data))))
            }
            Some(data) => Poll::Ready(Some(Ok(Frame::data(data)))),
            None if this.stall => Poll::Pending,
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.stall
    }

    fn size_hint(&self) -> SizeHint {
        match &self.data {
            Some(data) if !self.stall => SizeHint::with_exact(data.len() as u64),
            _ => SizeHint::default(),
        }
    }
}

/// A TCP connection that, once `reset` is set, closes with a TCP reset (zero linger, no
/// shutdown) instead of an orderly close.
struct Connection {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            // Failing leaves an orderly close, which the client sees as a broken exchange too.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.reset.load(Ordering::SeqCst) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}
