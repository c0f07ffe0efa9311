//! Refunds part of a payment safely and prints what is left.
//!
//! The refund carries a `checksum`: the refundable balance this program read just before. If
//! another refund slipped in meanwhile, PortOne refuses this one instead of refunding twice.
//! `cancel_payment` moves money, so the client never repeats it on its own. When its outcome
//! is unknown (a timeout, a broken connection), `reconcile_cancel` reads the payment and says
//! whether the refund took effect; only if it did not is the same request, with the same
//! checksum, sent once more.
//!
//! ```sh
//! cargo run -p portone-v1-examples --example cancel_partially -- http://127.0.0.1:8080 imp_123456789012 5000 "size exchange"
//! ```
//!
//! Arguments: base URL, PortOne payment id (`imp_uid`), amount to refund, optional reason.
//! Credentials come from `IMP_KEY` and `IMP_SECRET` (test values when unset).

use std::process::ExitCode;

use portone_v1::{
    Ambiguity, Amount, CancelOutcome, CancelPaymentRequest, Client, Error, GetPaymentQuery, Payment,
};

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
        Ok(Refund::Done(payment)) => {
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
        Ok(Refund::Unclear { payment, why }) => {
            eprintln!(
                "{}: the refund's outcome is unknown and the payment cannot tell ({why:?}); \
                 check its refund history before refunding again",
                payment.imp_uid
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            print_error(&error);
            // Errors carry the endpoint: only the refund itself can leave money in doubt.
            let refund_failed = error.path() == Some("/payments/cancel");
            if refund_failed && error.outcome_unknown() {
                eprintln!(
                    "the refund sent again after reconciling also had an unknown outcome: \
                     run this again later, it starts by reading the payment"
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

/// How the refund ended.
#[derive(Debug)]
pub enum Refund {
    /// Refunded: the payment as it stands afterwards.
    Done(Payment),
    /// The refund's outcome was unknown and the payment cannot tell whether it took effect.
    Unclear {
        /// The payment as looked up.
        payment: Payment,
        /// Why it cannot tell.
        why: Ambiguity,
    },
}

/// Refunds `amount` of payment `imp_uid`, guarded by the balance read just before. When the
/// refund's outcome is unknown, finds out from the payment before sending it again (once).
pub async fn run(
    base_url: &str,
    imp_uid: &str,
    amount: Amount,
    reason: &str,
) -> Result<Refund, Error> {
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
    match client.cancel_payment(&request).await {
        Ok(payment) => Ok(Refund::Done(payment)),
        Err(error) if error.outcome_unknown() => {
            match client.reconcile_cancel(&request).await? {
                CancelOutcome::Applied { payment, .. } => Ok(Refund::Done(payment)),
                // The same checksum: should the first request still arrive, only one applies.
                CancelOutcome::NotApplied { .. } => {
                    client.cancel_payment(&request).await.map(Refund::Done)
                }
                CancelOutcome::Undetermined { payment, why } => {
                    Ok(Refund::Unclear { payment, why })
                }
            }
        }
        Err(error) => Err(error),
    }
}

/// What can still be refunded, the `checksum` of a refund: the paid amount minus everything
/// refunded so far.
pub fn remaining(payment: &Payment) -> Amount {
    payment.amount - payment.cancel_amount
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
