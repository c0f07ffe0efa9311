//! A fake PortOne V1 server for tests: every endpoint of the `portone-v1` crate's spec,
//! served on 127.0.0.1.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use portone_v1::{Client, GetPaymentQuery};
//! use portone_v1_fake::{FakePortOne, Fault, Operation, PayMethod, Served};
//!
//! let fake = FakePortOne::start().await;
//! let client = Client::builder()
//!     .credentials(fake.key(), fake.secret())
//!     .base_url(fake.base_url())
//!     .build()
//!     .unwrap();
//! let imp_uid = fake.pay("order-1", 1_000, PayMethod::Card).await.unwrap();
//! fake.inject(Operation::GetPayment, Fault::status(503).on_calls([2]));
//! let query = GetPaymentQuery::new();
//! assert!(client.get_payment(&imp_uid, &query).await.is_ok());
//! assert!(client.get_payment(&imp_uid, &query).await.is_ok(), "the 503 is retried");
//! let lookups: Vec<Served> = fake.requests().iter().skip(1).map(|r| r.served).collect();
//! assert_eq!(lookups, [Served::Ledger, Served::Fault, Served::Ledger]);
//! # }
//! ```
//!
//! What it does, in the order a request meets it:
//!
//! - **Routing** is generated from `spec/` (`src/spec/`, written by `cargo xtask gen`): the
//!   method and path pick the endpoint (a literal segment beats a `{param}`), an unknown path
//!   answers 404 and a known path with another method 405, both in PortOne's envelope.
//! - **Faults** injected with [`FakePortOne::inject`] (see [`Fault`]) into an [`Operation`],
//!   the generated enum of the spec's endpoints.
//! - **Tokens**: `POST /users/getToken` checks `imp_key`/`imp_secret` (JSON or form) and hands
//!   out a token as PortOne does (30 minutes; the same token when asked again before it
//!   expires, pushed back by 5 minutes when asked within its last minute). Every other
//!   endpoint wants it as `Authorization: Bearer t`, `Authorization: t` or
//!   `X-ImpTokenHeader: t`, and answers 401 without it.
//! - **Decoding**: path, query (`imp_uid[]` repeated into arrays, scalars read as their spec
//!   type) and body (JSON or form); a missing required field or a value of the wrong type
//!   answers 400 naming it.
//! - **The ledger** answers the calls it models (money state); any other call is answered with
//!   a valid sample payload built from the spec's examples, marked with the header
//!   `x-portone-fake: sample`. Its answers are written through shapes generated from the
//!   spec, so they carry every field of the spec's types. It starts empty, or from a
//!   [`Seed`]; [`FakePortOne::reset`] goes back to that start.
//! - **Webhooks**: the notifications a call caused are then POSTed as PortOne delivers them
//!   (its V1 webhook guide; the crate's README restates each rule next to its test): one
//!   attempt, or with [`FakePortOneBuilder::retry_webhooks`] up to five a minute apart after a
//!   network error or a 5xx; 10 s to connect and 30 s for the answer (a resend: 15 s in all);
//!   none for a payment that failed; a refund only with `enable_webhook` or when made in the
//!   console ([`FakePortOne::refund_in_console`]); one payment's notifications in order.
//!   Every wait (a resend, a time limit) runs on the fake's clock, so a test moves the clock
//!   instead of waiting. On demand, duplicates
//!   ([`FakePortOne::set_duplicate_notifications`]) and the buyer's redirect before the
//!   notification ([`FakePortOne::hold_notifications`]); by default the notification comes
//!   first. Every attempt is recorded (see [`FakePortOne::notifications`]).
//!
//! Every refusal the server itself makes (404, 405, 401, 400) carries the envelope `code` 1:
//! PortOne publishes no code table, and 1 is the code its own clients observe for refusals
//! (see the project's domain notes). Amounts are written as tests write them (`64_900`, or
//! `12.34` in a currency with cents; see [`FakeAmount`]) and kept as `f64`, exact for every
//! whole amount up to 2^53 and for two decimal places.

mod clock;
mod control;
mod exchange;
mod fault;
mod inspect;
mod json;
mod ledger;
mod lock;
// Generated and formatted by `cargo xtask gen`; rustfmt would make it stale.
#[rustfmt::skip]
mod operation;
mod route;
mod seed;
mod server;
// Generated and formatted by `cargo xtask gen`; rustfmt would make it stale.
#[rustfmt::skip]
mod spec;
mod token;
mod webhook;

pub use control::PAY_PATH;
pub use exchange::Refusal;
pub use fault::{Fault, FaultKind};
pub use inspect::{Notification, Received, Served};
pub use ledger::{ConsoleRefund, FakeAmount, PayMethod, Promotion, Purchase};
pub use operation::Operation;
pub use route::UnknownOperation;
pub use seed::{Seed, SeedError};
pub use server::{FakePortOne, FakePortOneBuilder};
pub use webhook::WebhookFormat;

/// The REST API key a fake accepts unless its builder says otherwise.
pub const TEST_KEY: &str = "test_imp_key";
/// The REST API secret a fake accepts unless its builder says otherwise.
pub const TEST_SECRET: &str = "test_imp_secret";
