//! A web handler, with axum, for PortOne's payment notifications and for the buyer's browser
//! coming back from the payment window: both verify the payment against the merchant's own
//! order record and mark the order paid exactly once.
//!
//! ```sh
//! cargo run -p portone-v1-fake -- --port 8080      # or use https://api.iamport.kr
//! cargo run -p portone-v1-examples --example webhook_axum -- http://127.0.0.1:8080 3000 order-1001=64900
//! ```
//!
//! Arguments: PortOne's base URL, the port to listen on (127.0.0.1), then the orders to accept,
//! each `merchant_uid=amount` (KRW). `--portone-senders-only` accepts notifications only from
//! the addresses PortOne publishes. Credentials come from `IMP_KEY` and `IMP_SECRET` (the fake's
//! test values when unset).
//!
//! Routes: `POST /portone/webhook` (the `notice_url`) and
//! `GET /payments/complete?imp_uid=..&merchant_uid=..` (the redirect URL after the window).
//!
//! Neither a notification nor a redirect proves anything (V1 notifications are not signed):
//! each only names a payment, which [`Client::verify_payment`] fetches and compares with the
//! order. The two race each other and a notification may come twice, so marking the order
//! paid is a compare-and-set under the store's lock, and only the request that changed the
//! state fulfils the order.
//!
//! Status codes follow PortOne's resend rule (when support has enabled resends, it resends
//! only after a network error or a 5xx):
//! - 400: the body is not a notification (413 when it is too large to be one); sending it
//!   again changes nothing.
//! - 403: the allow-list is on and the sender is not on it.
//! - 503: the payment could not be looked up, so nothing was decided; a resend may succeed.
//! - 200: everything decided, including a duplicate, an unknown order or payment, and a
//!   forgery attempt: a resend would be decided the same way.
//!
//! A payment that does not match its order ([`Verdict::Mismatch`]) is flagged on the order
//! and never refunded automatically: when the order id differs, the payment belongs to
//! another order and refunding it would hurt an honest buyer; when the amount differs, a
//! person should see the attempt before money moves, and can refund with a `checksum` (see
//! the `cancel_partially` example). A flag does not block the order: a later payment that
//! matches it still fulfils it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{DefaultBodyLimit, Extension, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use portone_v1::webhook::{MAX_NOTIFICATION_SIZE, Notification};
use portone_v1::{Amount, Client, Discrepancy, Error, Expected, Verdict, WebhookSources};
use serde::Deserialize;

/// Credentials sent when `IMP_KEY` / `IMP_SECRET` are not set: the fake PortOne's defaults.
const TEST_KEY: &str = "test_imp_key";
const TEST_SECRET: &str = "test_imp_secret";

/// Where an order stands.
#[derive(Clone, Debug, PartialEq)]
pub enum OrderState {
    /// No payment verified yet.
    Pending,
    /// A virtual account was issued for payment `imp_uid`; the buyer has not paid into it.
    AwaitingDeposit {
        /// The payment.
        imp_uid: String,
    },
    /// Paid by payment `imp_uid`, and fulfilled.
    Paid {
        /// The payment.
        imp_uid: String,
    },
}

/// The merchant's own record of an order: what it must be paid, and how far it got.
#[derive(Clone, Debug)]
pub struct Order {
    /// The amount the order must be paid.
    pub amount: Amount,
    /// Its currency.
    pub currency: String,
    /// Where it stands.
    pub state: OrderState,
    /// Payments that named this order but did not match it, for a person to review.
    pub flags: Vec<Flag>,
}

/// A payment that named an order but did not match it: a forgery attempt.
#[derive(Clone, Debug)]
pub struct Flag {
    /// The payment.
    pub imp_uid: String,
    /// How it differs from the order.
    pub discrepancies: Vec<Discrepancy>,
}

/// An in-memory order store keyed by `merchant_uid`, standing in for a database. Every change
/// is a compare-and-set under one lock, as an `UPDATE .. WHERE state = ..` would be.
#[derive(Debug, Default)]
pub struct Orders {
    orders: Mutex<HashMap<String, Order>>,
    /// Every fulfilment, by order id, in order: what "ship it" did.
    shipped: Mutex<Vec<String>>,
}

impl Orders {
    /// Records a new order waiting for `amount` KRW.
    pub fn insert(&self, merchant_uid: &str, amount: impl Into<Amount>) {
        let order = Order {
            amount: amount.into(),
            currency: "KRW".to_owned(),
            state: OrderState::Pending,
            flags: Vec::new(),
        };
        lock(&self.orders).insert(merchant_uid.to_owned(), order);
    }

    /// The order `merchant_uid` as it stands.
    pub fn get(&self, merchant_uid: &str) -> Option<Order> {
        lock(&self.orders).get(merchant_uid).cloned()
    }

    /// How many times order `merchant_uid` was fulfilled.
    pub fn fulfilments(&self, merchant_uid: &str) -> usize {
        let shipped = lock(&self.shipped);
        shipped.iter().filter(|id| *id == merchant_uid).count()
    }

    /// What a payment for order `merchant_uid` must be.
    fn expected(&self, merchant_uid: &str) -> Option<Expected> {
        let orders = lock(&self.orders);
        let order = orders.get(merchant_uid)?;
        Some(Expected::new(merchant_uid, order.amount).currency(&order.currency))
    }

    /// Pending or awaiting a deposit -> paid; `false` when it already was paid.
    fn mark_paid(&self, merchant_uid: &str, imp_uid: &str) -> bool {
        let mut orders = lock(&self.orders);
        let Some(order) = orders.get_mut(merchant_uid) else {
            return false;
        };
        if matches!(order.state, OrderState::Paid { .. }) {
            return false;
        }
        order.state = OrderState::Paid {
            imp_uid: imp_uid.to_owned(),
        };
        true
    }

    /// Pending -> awaiting a deposit; a paid order stays paid (a late `ready` notification).
    fn mark_awaiting_deposit(&self, merchant_uid: &str, imp_uid: &str) {
        let mut orders = lock(&self.orders);
        if let Some(order) = orders
            .get_mut(merchant_uid)
            .filter(|o| o.state == OrderState::Pending)
        {
            order.state = OrderState::AwaitingDeposit {
                imp_uid: imp_uid.to_owned(),
            };
        }
    }

    fn flag(&self, merchant_uid: &str, flag: Flag) {
        if let Some(order) = lock(&self.orders).get_mut(merchant_uid) {
            order.flags.push(flag);
        }
    }

    /// Ships the order; runs only for the request whose compare-and-set marked it paid.
    fn fulfil(&self, merchant_uid: &str) {
        lock(&self.shipped).push(merchant_uid.to_owned());
    }
}

/// A poisoned lock means a handler panicked mid-update; every update here is one assignment,
/// so the data is still consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The PortOne client that verifies payments.
    pub client: Client,
    /// The merchant's orders.
    pub orders: Arc<Orders>,
    /// When set, notifications from other addresses are refused. Defence in depth only:
    /// behind a proxy the peer is the proxy, and the addresses can change.
    pub senders: Option<WebhookSources>,
}

/// What a notification or a redirect came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Verified, and this request marked the order paid: it was fulfilled.
    Fulfilled,
    /// Verified, but the order was already paid (a duplicate, or the other path won the race).
    AlreadyPaid,
    /// A virtual account was issued; the order waits for the deposit.
    AwaitingDeposit,
    /// The payment does not match the order: flagged, not fulfilled.
    Flagged,
    /// The payment failed, was cancelled, or has a status this version does not know.
    NotPaid,
    /// No order with this `merchant_uid`, or no payment with this `imp_uid`.
    Unknown,
}

/// The router: `POST /portone/webhook` and `GET /payments/complete`. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()` when `state.senders` is set.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/portone/webhook", post(notification))
        .route("/payments/complete", get(redirect))
        .layer(DefaultBodyLimit::max(MAX_NOTIFICATION_SIZE))
        .with_state(state)
}

/// Verifies payment `imp_uid` for order `merchant_uid` and acts on the verdict; both routes
/// end here. `Err` only when the payment could not be looked up.
pub async fn settle(state: &AppState, imp_uid: &str, merchant_uid: &str) -> Result<Outcome, Error> {
    let Some(expected) = state.orders.expected(merchant_uid) else {
        return Ok(Outcome::Unknown);
    };
    let verdict = match state.client.verify_payment(imp_uid, &expected).await {
        Ok(verdict) => verdict,
        // PortOne does not know the payment (or it is on a test channel): nothing to wait for.
        Err(error) if error.status() == Some(404) => return Ok(Outcome::Unknown),
        Err(error) => return Err(error),
    };
    let orders = &state.orders;
    Ok(match verdict {
        Verdict::Paid { .. } => {
            if orders.mark_paid(merchant_uid, imp_uid) {
                orders.fulfil(merchant_uid);
                Outcome::Fulfilled
            } else {
                Outcome::AlreadyPaid
            }
        }
        Verdict::AwaitingDeposit { .. } => {
            orders.mark_awaiting_deposit(merchant_uid, imp_uid);
            Outcome::AwaitingDeposit
        }
        Verdict::Mismatch { discrepancies, .. } => {
            eprintln!("{imp_uid} does not match order {merchant_uid}: {discrepancies:?}");
            let flag = Flag {
                imp_uid: imp_uid.to_owned(),
                discrepancies,
            };
            orders.flag(merchant_uid, flag);
            Outcome::Flagged
        }
        // A refund of a paid order is the shop's own doing (console or API): nothing to ship.
        Verdict::Cancelled { .. }
        | Verdict::PartlyCancelled { .. }
        | Verdict::Failed { .. }
        | Verdict::UnknownStatus { .. } => Outcome::NotPaid,
    })
}

/// `POST /portone/webhook`: a notification, JSON or form.
async fn notification(
    State(state): State<AppState>,
    sender: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    if let Some(senders) = &state.senders {
        let Some(Extension(ConnectInfo(sender))) = sender else {
            // A deployment mistake, not the sender's: a 5xx lets PortOne resend once it is fixed.
            let why = "the sender's address is unknown: serve with connect info";
            return (StatusCode::INTERNAL_SERVER_ERROR, why.to_owned());
        };
        if !senders.allows(sender.ip()) {
            return (
                StatusCode::FORBIDDEN,
                format!("{} may not notify", sender.ip()),
            );
        }
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    match Notification::parse(&body, &content_type) {
        Ok(notice) => answer(settle(&state, &notice.imp_uid, &notice.merchant_uid).await),
        Err(error) => (StatusCode::BAD_REQUEST, error.to_string()),
    }
}

/// The query of the redirect after the payment window (other parameters are ignored: only
/// the fetched payment counts).
#[derive(Deserialize)]
struct Completed {
    imp_uid: String,
    merchant_uid: String,
}

/// `GET /payments/complete`: the buyer's browser, back from the payment window.
async fn redirect(
    State(state): State<AppState>,
    Query(completed): Query<Completed>,
) -> (StatusCode, String) {
    answer(settle(&state, &completed.imp_uid, &completed.merchant_uid).await)
}

fn answer(settled: Result<Outcome, Error>) -> (StatusCode, String) {
    match settled {
        Ok(outcome) => (StatusCode::OK, format!("{outcome:?}")),
        Err(error) => {
            eprintln!("lookup failed: {error}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "try again later".to_owned(),
            )
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let senders_only = args.iter().any(|arg| arg == "--portone-senders-only");
    args.retain(|arg| arg != "--portone-senders-only");
    let [base_url, port, orders @ ..] = args.as_slice() else {
        eprintln!(
            "usage: webhook_axum BASE_URL PORT [MERCHANT_UID=AMOUNT]... [--portone-senders-only]"
        );
        return ExitCode::from(2);
    };
    let Ok(port) = port.parse::<u16>() else {
        eprintln!("PORT must be a number such as 3000, got {port:?}");
        return ExitCode::from(2);
    };
    let store = Orders::default();
    for order in orders {
        let parsed = order
            .split_once('=')
            .and_then(|(id, amount)| Some((id, amount.parse::<i64>().ok()?)));
        let Some((merchant_uid, amount)) = parsed else {
            eprintln!("an order is MERCHANT_UID=AMOUNT such as order-1001=64900, got {order:?}");
            return ExitCode::from(2);
        };
        store.insert(merchant_uid, amount);
    }
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let client = match Client::builder()
        .credentials(var("IMP_KEY", TEST_KEY), var("IMP_SECRET", TEST_SECRET))
        .base_url(base_url)
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let state = AppState {
        client,
        orders: Arc::new(store),
        senders: senders_only.then(WebhookSources::portone),
    };
    let listener = match tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on port {port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on http://127.0.0.1:{port}/portone/webhook");
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    match axum::serve(listener, service).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
