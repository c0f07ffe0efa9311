//! Looks a payment up and checks it against the order before the order is fulfilled.
//!
//! A redirect or a webhook only tells you that something happened; the payment record is what
//! counts. Fulfil the order only when the payment is `paid` and its amount is the order's.
//!
//! ```sh
//! cargo run -p portone-v1-examples --example get_payment -- http://127.0.0.1:8080 imp_123456789012 64900
//! ```
//!
//! Arguments: base URL, PortOne payment id (`imp_uid`), expected amount. Credentials come from
//! `IMP_KEY` and `IMP_SECRET` (test values when unset). Exits with 1 when the payment must not
//! be fulfilled.

use std::process::ExitCode;

use portone_v1::{Amount, Client, Error, GetPaymentQuery, Payment, PaymentStatus};

/// Credentials sent when `IMP_KEY` / `IMP_SECRET` are not set.
const TEST_KEY: &str = "imp_test_key";
const TEST_SECRET: &str = "imp_test_secret";

/// What the payment record says about the order.
#[derive(Debug)]
pub enum Verdict {
    /// Paid, with the expected amount: fulfil the order.
    Verified(Payment),
    /// Not paid (yet), failed or cancelled: see `status`.
    NotPaid(Payment),
    /// Paid, but not the amount of the order: do not fulfil it; refund and investigate.
    AmountMismatch(Payment),
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, imp_uid, expected] = args.as_slice() else {
        eprintln!("usage: get_payment BASE_URL IMP_UID EXPECTED_AMOUNT");
        return ExitCode::from(2);
    };
    let Some(expected) = parse_amount(expected) else {
        eprintln!("EXPECTED_AMOUNT must be a non-negative number such as 64900, got {expected:?}");
        return ExitCode::from(2);
    };
    match run(base_url, imp_uid, expected).await {
        Ok(Verdict::Verified(payment)) => {
            println!(
                "{}: paid {} {} for order {}; ok to fulfil",
                payment.imp_uid, payment.amount, payment.currency, payment.merchant_uid
            );
            ExitCode::SUCCESS
        }
        Ok(Verdict::NotPaid(payment)) => {
            let reason = payment.fail_reason.as_deref().unwrap_or("-");
            println!(
                "{}: status is {} (reason: {reason}); do not fulfil",
                payment.imp_uid, payment.status
            );
            ExitCode::FAILURE
        }
        Ok(Verdict::AmountMismatch(payment)) => {
            println!(
                "{}: paid {} but the order is {expected}; do not fulfil",
                payment.imp_uid, payment.amount
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            print_error(&error);
            if error.status() == Some(404) {
                eprintln!("hint: no payment with this imp_uid exists for these credentials");
            }
            ExitCode::FAILURE
        }
    }
}

/// Fetches payment `imp_uid` and compares it with the amount the order expects.
pub async fn run(base_url: &str, imp_uid: &str, expected: Amount) -> Result<Verdict, Error> {
    let (imp_key, imp_secret) = credentials();
    let client = Client::builder()
        .credentials(imp_key, imp_secret)
        .base_url(base_url)
        .build()?;
    let payment = client.get_payment(imp_uid, &GetPaymentQuery::new()).await?;
    Ok(if payment.status != PaymentStatus::Paid {
        Verdict::NotPaid(payment)
    } else if payment.amount != expected {
        Verdict::AmountMismatch(payment)
    } else {
        Verdict::Verified(payment)
    })
}

/// Parses an amount such as `64900` or `12.5`.
fn parse_amount(text: &str) -> Option<Amount> {
    let value: f64 = text.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| Amount::from(value))
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
