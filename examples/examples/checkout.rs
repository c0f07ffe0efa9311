//! A whole checkout, played against a fake PortOne running inside this program: no account,
//! no network, nothing to set up.
//!
//! ```sh
//! cargo run -p portone-v1-examples --example checkout
//! ```
//!
//! The shop prepares the order's amount, the buyer pays in the payment window (the fake plays
//! the buyer), PortOne's webhook reaches the shop's listener (a small axum server started
//! here), and the shop verifies the payment against its order before shipping: the webhook
//! only names a payment, since V1 notifications are not signed. Then a partial refund,
//! guarded by a `checksum`, loses its answer on the way back (the fake breaks the connection
//! after refunding, as a network can), and `reconcile_cancel` reads the payment to find out
//! that the refund happened, so it is not sent twice.
//!
//! Against PortOne itself the same client calls run unchanged: build the client with
//! `Client::new(imp_key, imp_secret)` instead of pointing it at the fake. The other examples
//! take a base URL and show each step on its own.

use std::error::Error;
use std::io::Write;
use std::net::Ipv4Addr;
use std::process::ExitCode;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use portone_v1::webhook::Notification;
use portone_v1::{
    Amount, CancelOutcome, CancelPaymentRequest, Client, Expected, PaymentPrepareRequest, Verdict,
};
use portone_v1_fake::{FakePortOne, Fault, Operation, PayMethod, Purchase};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// The shop's order: its id and price in won.
const ORDER: &str = "order-1001";
const PRICE: i64 = 64_900;
/// The part refunded after a size exchange.
const REFUND: i64 = 5_000;

#[tokio::main]
async fn main() -> ExitCode {
    let fake = FakePortOne::start().await;
    match run(&fake, &mut std::io::stdout()).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What the checkout ended with.
#[derive(Debug)]
pub struct Checkout {
    /// PortOne's id of the payment.
    pub imp_uid: String,
    /// The notification the shop's listener received.
    pub notification: Notification,
    /// Refunded in total.
    pub refunded: Amount,
    /// Still refundable.
    pub remaining: Amount,
}

/// Plays the checkout against `fake`, writing each step to `out`.
pub async fn run(fake: &FakePortOne, out: &mut impl Write) -> Result<Checkout, Box<dyn Error>> {
    let client = Client::builder()
        .credentials(fake.key(), fake.secret())
        .base_url(fake.base_url())
        .build()?;
    let (webhook_url, mut notifications) = listen().await?;
    writeln!(out, "fake PortOne at {}", fake.base_url())?;
    writeln!(out, "shop's webhook listener at {webhook_url}")?;

    // The amount is registered before the payment window opens: a buyer who tampers with
    // the page's amount is then refused by PortOne itself.
    let prepared = client
        .create_payment_prepare(&PaymentPrepareRequest::new(ORDER, PRICE))
        .await?;
    writeln!(
        out,
        "1. prepare    {} KRW registered for {}",
        prepared.amount, prepared.merchant_uid
    )?;

    let purchase = Purchase::new(ORDER, PRICE, PayMethod::Card)
        .name("Norwegian swivel chair")
        .notice_url(&webhook_url);
    let imp_uid = fake.pay_with(purchase).await?;
    writeln!(
        out,
        "2. pay        the buyer paid by card in the payment window: {imp_uid}"
    )?;

    let notification = notifications
        .recv()
        .await
        .ok_or("the webhook listener stopped")?;
    writeln!(
        out,
        "3. webhook    PortOne says {} is {}; a hint only, so the shop asks PortOne",
        notification.imp_uid, notification.status
    )?;

    let order = Expected::new(ORDER, PRICE);
    let payment = match client.verify_payment(&notification.imp_uid, &order).await? {
        Verdict::Paid { payment } => payment,
        other => return Err(format!("not shipped, the payment does not match: {other:?}").into()),
    };
    writeln!(
        out,
        "4. verify     {} {} paid for {}, as the order says: ship it",
        payment.amount, payment.currency, payment.merchant_uid
    )?;

    // The refund's answer will be lost after PortOne has refunded: the worst case, since
    // the shop cannot tell from the error whether the money moved.
    fake.inject(
        Operation::CancelPayment,
        Fault::reset_after_read().on_calls([1]),
    );
    let refund = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(REFUND)
        .checksum(payment.amount - payment.cancel_amount)
        .reason("size exchange");
    writeln!(
        out,
        "5. refund     {REFUND} KRW, checksum {} (what the shop believes is left)",
        payment.amount - payment.cancel_amount
    )?;
    let refunded = match client.cancel_payment(&refund).await {
        Ok(refunded) => refunded,
        Err(error) if error.outcome_unknown() => {
            writeln!(
                out,
                "              no answer ({error}); a refund is never repeated blindly"
            )?;
            match client.reconcile_cancel(&refund).await? {
                CancelOutcome::Applied {
                    payment,
                    cancellation,
                } => {
                    let id = cancellation.and_then(|c| c.cancellation_id);
                    writeln!(
                        out,
                        "6. reconcile  the payment shows the refund ({}): it happened, nothing to resend",
                        id.as_deref().unwrap_or("no cancellation id")
                    )?;
                    payment
                }
                // The same checksum: if the first request still arrives, only one applies.
                CancelOutcome::NotApplied { .. } => {
                    writeln!(out, "6. reconcile  not refunded yet: sending it once more")?;
                    client.cancel_payment(&refund).await?
                }
                CancelOutcome::Undetermined { why, .. } => {
                    return Err(format!("the refund cannot be told apart: {why:?}").into());
                }
            }
        }
        Err(error) => return Err(error.into()),
    };
    let remaining = refunded.amount - refunded.cancel_amount;
    writeln!(
        out,
        "7. done       {} {currency} paid, {} refunded, {} left; status {}",
        refunded.amount,
        refunded.cancel_amount,
        remaining,
        refunded.status,
        currency = refunded.currency
    )?;
    Ok(Checkout {
        imp_uid,
        notification,
        refunded: refunded.cancel_amount,
        remaining,
    })
}

/// Starts the shop's webhook listener on 127.0.0.1 and returns its URL and the notifications
/// it receives. A real handler verifies the payment right there (see the `webhook_axum`
/// example); this one hands it to `run`, to print the steps in order.
async fn listen() -> std::io::Result<(String, mpsc::UnboundedReceiver<Notification>)> {
    let (received, notifications) = mpsc::unbounded_channel();
    let handler = move |headers: HeaderMap, body: Bytes| async move {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        match Notification::parse(&body, content_type) {
            Ok(notification) => {
                let _ = received.send(notification);
                StatusCode::OK
            }
            Err(_) => StatusCode::BAD_REQUEST,
        }
    };
    let app = Router::new().route("/portone/webhook", post(handler));
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let url = format!("http://{}/portone/webhook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, notifications))
}
