//! Looks a payment up and checks it against the order before the order is fulfilled.
//!
//! A redirect or a webhook only tells you that something happened; the payment record is what
//! counts. `verify_payment` fetches it and compares its order id, amount and currency with
//! the order: fulfil the order only on `Verdict::Paid`.
//!
//! ```sh
//! cargo run -p portone-v1-examples --example get_payment -- http://127.0.0.1:8080 imp_123456789012 order-1001 64900
//! ```
//!
//! Arguments: base URL, PortOne payment id (`imp_uid`), the order id (`merchant_uid`) and the
//! amount (KRW) of the order. Credentials come from `IMP_KEY` and `IMP_SECRET` (test values
//! when unset). Exits with 1 when the payment must not be fulfilled.

use std::process::ExitCode;

use portone_v1::{Amount, Client, Error, Expected, Payment, Verdict};

/// Credentials sent when `IMP_KEY` / `IMP_SECRET` are not set.
const TEST_KEY: &str = "imp_test_key";
const TEST_SECRET: &str = "imp_test_secret";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, imp_uid, merchant_uid, amount] = args.as_slice() else {
        eprintln!("usage: get_payment BASE_URL IMP_UID MERCHANT_UID EXPECTED_AMOUNT");
        return ExitCode::from(2);
    };
    let Some(amount) = parse_amount(amount) else {
        eprintln!("EXPECTED_AMOUNT must be a non-negative number such as 64900, got {amount:?}");
        return ExitCode::from(2);
    };
    let expected = Expected::new(merchant_uid.as_str(), amount);
    match run(base_url, imp_uid, &expected).await {
        Ok(Verdict::Paid { payment }) => {
            println!(
                "{}: paid {} {} for order {}; ok to fulfil",
                payment.imp_uid, payment.amount, payment.currency, payment.merchant_uid
            );
            ExitCode::SUCCESS
        }
        Ok(Verdict::Mismatch {
            payment,
            discrepancies,
        }) => {
            println!(
                "{}: does not match the order; do not fulfil",
                payment.imp_uid
            );
            for discrepancy in discrepancies {
                println!("  {discrepancy:?}");
            }
            ExitCode::FAILURE
        }
        Ok(Verdict::AwaitingDeposit { payment }) => {
            let account = payment.vbank_num.as_deref().unwrap_or("-");
            println!(
                "{}: waiting for a deposit into {account}; do not fulfil yet",
                payment.imp_uid
            );
            ExitCode::FAILURE
        }
        Ok(
            Verdict::Cancelled { payment }
            | Verdict::PartlyCancelled { payment, .. }
            | Verdict::Failed { payment }
            | Verdict::UnknownStatus { payment },
        ) => {
            let reason = payment.fail_reason.as_deref().unwrap_or("-");
            println!(
                "{}: status is {} (reason: {reason}); do not fulfil",
                payment.imp_uid, payment.status
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

/// Fetches payment `imp_uid` and decides what it means for the order `expected` describes.
pub async fn run(
    base_url: &str,
    imp_uid: &str,
    expected: &Expected,
) -> Result<Verdict<Payment>, Error> {
    let (imp_key, imp_secret) = credentials();
    let client = Client::builder()
        .credentials(imp_key, imp_secret)
        .base_url(base_url)
        .build()?;
    client.verify_payment(imp_uid, expected).await
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
