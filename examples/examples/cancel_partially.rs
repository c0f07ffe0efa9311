//! Refunds part of a payment safely and prints what is left.
//!
//! The refund carries a `checksum`: the refundable balance this program read just before. If
//! another refund slipped in meanwhile, PortOne refuses this one instead of refunding twice.
//! `cancel_payment` moves money, so the client never repeats it on its own; after a timeout
//! the outcome is unknown and the payment has to be looked up before trying again.
//!
//! ```sh
//! cargo run -p portone-v1-examples --example cancel_partially -- http://127.0.0.1:8080 imp_123456789012 5000 "size exchange"
//! ```
//!
//! Arguments: base URL, PortOne payment id (`imp_uid`), amount to refund, optional reason.
//! Credentials come from `IMP_KEY` and `IMP_SECRET` (test values when unset).

use std::process::ExitCode;

use portone_v1::{Amount, CancelPaymentRequest, Client, Error, GetPaymentQuery, Payment};

/// Credentials sent when `IMP_KEY` / `IMP_SECRET` are not set.
const TEST_KEY: &str = "imp_test_key";
const TEST_SECRET: &str = "imp_test_secret";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (base_url, imp_uid, amount, reason) = match args.as_slice() {
        [base_url, imp_uid, amount] => (base_url, imp_uid, amount, "partial refund"),
        [base_url, imp_uid, amount, reason] => (base_url, imp_uid, amount, reason.as_str()),
        _ => {
            eprintln!("usage: cancel_partially BASE_URL IMP_UID AMOUNT [REASON]");
            return ExitCode::from(2);
        }
    };
    let Some(amount) = parse_amount(amount) else {
        eprintln!("AMOUNT must be a positive number such as 5000, got {amount:?}");
        return ExitCode::from(2);
    };
    match run(base_url, imp_uid, amount, reason).await {
        Ok(payment) => {
            println!(
                "{}: refunded {amount}; {} refunded in total, {} {} left (status {})",
                payment.imp_uid,
                payment.cancel_amount,
                remaining(&payment),
                payment.currency,
                payment.status
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            print_error(&error);
            // Errors carry the endpoint: only the refund itself can leave money in doubt.
            let refund_failed = error.path() == Some("/payments/cancel");
            if refund_failed && outcome_unknown(&error) {
                eprintln!(
                    "the refund may or may not have happened: look the payment up \
                     (`get_payment`) and compare `cancel_amount` before trying again"
                );
            } else if refund_failed && matches!(error, Error::Api(_)) {
                eprintln!(
                    "PortOne refused the refund, so nothing was refunded; if another refund \
                     changed the balance meanwhile, read the payment again and decide anew"
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// Refunds `amount` of payment `imp_uid`, guarded by the balance read just before, and returns
/// the payment as it stands afterwards.
pub async fn run(
    base_url: &str,
    imp_uid: &str,
    amount: Amount,
    reason: &str,
) -> Result<Payment, Error> {
    let (imp_key, imp_secret) = credentials();
    let client = Client::builder()
        .credentials(imp_key, imp_secret)
        .base_url(base_url)
        .build()?;
    let before = client.get_payment(imp_uid, &GetPaymentQuery::new()).await?;
    let request = CancelPaymentRequest::by_imp_uid(imp_uid)
        .amount(amount)
        .checksum(remaining(&before))
        .reason(reason);
    client.cancel_payment(&request).await
}

/// Whether a failed call may still have taken effect: no complete answer (timeout, broken
/// connection, unreadable body) or a gateway's 5xx without PortOne's envelope.
pub fn outcome_unknown(error: &Error) -> bool {
    match error {
        Error::Timeout { .. } | Error::Decode(_) => true,
        Error::Transport(e) => !e.is_connect(),
        Error::Api(e) => e.code().is_none() && e.status() >= 500,
        _ => false,
    }
}

/// What can still be refunded: the paid amount minus everything refunded so far.
pub fn remaining(payment: &Payment) -> Amount {
    Amount::from(payment.amount.as_f64() - payment.cancel_amount.as_f64())
}

/// Parses an amount such as `5000` or `12.5`.
fn parse_amount(text: &str) -> Option<Amount> {
    let value: f64 = text.trim().parse().ok()?;
    (value.is_finite() && value > 0.0).then(|| Amount::from(value))
}

/// `IMP_KEY` and `IMP_SECRET`, or the test values.
pub fn credentials() -> (String, String) {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    (var("IMP_KEY", TEST_KEY), var("IMP_SECRET", TEST_SECRET))
}

/// Prints an error and the chain of its causes.
fn print_error(error: &Error) {
    eprintln!("error: {error}");
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        eprintln!("  caused by: {inner}");
        cause = inner.source();
    }
}
