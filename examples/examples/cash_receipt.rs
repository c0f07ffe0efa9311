//! Issues a cash receipt for a paid payment (bank transfer, virtual account, ...).
//!
//! ```sh
//! cargo run -p portone-v1-examples --example cash_receipt -- http://127.0.0.1:8080 imp_123456789012 phone 01012345678
//! ```
//!
//! Arguments: base URL, PortOne payment id (`imp_uid`), what identifies the recipient (`phone`,
//! `taxcard`, `person` for a resident registration number or `business` for a business
//! registration number), and that number. A business number gets an expense-proof receipt,
//! anything else an income-deduction one. Credentials come from `IMP_KEY` and `IMP_SECRET`
//! (test values when unset). The identifier is personal data: it is never printed.

use std::process::ExitCode;

use portone_v1::{
    CashReceipt, CashReceiptIdentifierType, CashReceiptType, Client, Error, IssueReceiptRequest,
};

/// Credentials sent when `IMP_KEY` / `IMP_SECRET` are not set.
const TEST_KEY: &str = "imp_test_key";
const TEST_SECRET: &str = "imp_test_secret";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, imp_uid, identifier_type, identifier] = args.as_slice() else {
        eprintln!("usage: cash_receipt BASE_URL IMP_UID phone|taxcard|person|business IDENTIFIER");
        return ExitCode::from(2);
    };
    let identifier_type = CashReceiptIdentifierType::from(identifier_type.as_str());
    if let CashReceiptIdentifierType::Unknown(other) = &identifier_type {
        eprintln!("unknown identifier type {other:?}: use phone, taxcard, person or business");
        return ExitCode::from(2);
    }
    match run(base_url, imp_uid, identifier_type, identifier).await {
        Ok(receipt) => {
            println!(
                "cash receipt {} ({}) issued for {}: {} incl. {} VAT; {}",
                receipt.apply_num,
                receipt.kind,
                receipt.imp_uid,
                receipt.amount,
                receipt.vat,
                receipt.receipt_url.as_deref().unwrap_or("no receipt link")
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            print_error(&error);
            match error.status() {
                Some(400) => eprintln!(
                    "hint: the payment must be `paid` and must not have a receipt already"
                ),
                Some(501) => eprintln!("hint: PortOne cannot issue receipts for this payment's PG"),
                _ => {}
            }
            ExitCode::FAILURE
        }
    }
}

/// Issues a cash receipt for payment `imp_uid` to the holder of `identifier`.
pub async fn run(
    base_url: &str,
    imp_uid: &str,
    identifier_type: CashReceiptIdentifierType,
    identifier: &str,
) -> Result<CashReceipt, Error> {
    let (imp_key, imp_secret) = credentials();
    let client = Client::builder()
        .credentials(imp_key, imp_secret)
        .base_url(base_url)
        .build()?;
    let kind = match identifier_type {
        CashReceiptIdentifierType::Business => CashReceiptType::Company,
        _ => CashReceiptType::Person,
    };
    let request = IssueReceiptRequest::new(identifier)
        .identifier_type(identifier_type)
        .kind(kind);
    client.issue_receipt(imp_uid, &request).await
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
