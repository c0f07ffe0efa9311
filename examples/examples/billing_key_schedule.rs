//! A subscription in three calls: store a card as a billing key, charge it for the first
//! period, and book the next charge thirty days later.
//!
//! ```sh
//! CARD_NUMBER=1234-5678-1234-5678 CARD_EXPIRY=2028-12 CARD_BIRTH=900101 CARD_PWD_2DIGIT=12 \
//!     cargo run -p portone-v1-examples --example billing_key_schedule -- http://127.0.0.1:8080 customer_1234 9900
//! ```
//!
//! Arguments: base URL, billing key id (`customer_uid`, one per buyer and card), amount per
//! period. Card details come from the environment, never from the command line (test values
//! when unset); `CHANNEL_KEY` picks the channel to issue the key on. Credentials come from
//! `IMP_KEY` and `IMP_SECRET` (test values when unset).
//!
//! Every call here moves money or stores a card, so none of them is repeated automatically.
//! A successful `pay_again` only means PortOne handled the request: the charge itself can
//! still have failed, which `status` tells.

use std::process::ExitCode;
use std::time::SystemTime;

use portone_v1::{
    AgainPaymentRequest, Amount, BillingKeyIssueRequest, BillingKeyRecord, Client, Error, Payment,
    PaymentStatus, Schedule, ScheduleCreateRequest, ScheduleEntry, Timestamp,
};

/// Credentials sent when `IMP_KEY` / `IMP_SECRET` are not set.
const TEST_KEY: &str = "imp_test_key";
const TEST_SECRET: &str = "imp_test_secret";

/// Order title of every charge.
const PLAN: &str = "Monthly plan";

/// Time between two charges.
const PERIOD_SECONDS: i64 = 30 * 24 * 60 * 60;

/// The card to store. Treat every field as sensitive.
#[derive(Clone)]
pub struct Card {
    /// Card number as `dddd-dddd-dddd-dddd`.
    pub number: String,
    /// Expiry as `YYYY-MM`.
    pub expiry: String,
    /// Holder's birth date as `YYMMDD` (or a business number for corporate cards).
    pub birth: String,
    /// First two digits of the card PIN.
    pub pwd_2digit: String,
    /// Channel to issue the key on; the default PG when unset.
    pub channel_key: Option<String>,
}

/// What the three calls produced.
#[derive(Debug)]
pub struct Subscription {
    /// The stored card.
    pub billing_key: BillingKeyRecord,
    /// The charge for the first period; check its `status`.
    pub first_charge: Payment,
    /// The booked next charge; empty when the first charge failed.
    pub schedules: Vec<Schedule>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, customer_uid, amount] = args.as_slice() else {
        eprintln!("usage: billing_key_schedule BASE_URL CUSTOMER_UID AMOUNT");
        return ExitCode::from(2);
    };
    let Some(amount) = amount.trim().parse::<i64>().ok().filter(|a| *a > 0) else {
        eprintln!("AMOUNT must be a positive whole number such as 9900, got {amount:?}");
        return ExitCode::from(2);
    };
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let card = Card {
        number: var("CARD_NUMBER", "1234-5678-1234-5678"),
        expiry: var("CARD_EXPIRY", "2028-12"),
        birth: var("CARD_BIRTH", "900101"),
        pwd_2digit: var("CARD_PWD_2DIGIT", "12"),
        channel_key: std::env::var("CHANNEL_KEY").ok(),
    };
    match run(base_url, customer_uid, &card, Amount::from(amount)).await {
        Ok(subscription) => {
            match &subscription.billing_key {
                BillingKeyRecord::Card(key) => println!(
                    "billing key {} stored at {} ({})",
                    key.customer_uid,
                    key.pg_provider,
                    key.card_name.as_deref().unwrap_or("unknown card")
                ),
                BillingKeyRecord::Super(key) => println!(
                    "super billing key {} stored on {} channel(s)",
                    key.customer_uid,
                    key.succeeded_channels.as_ref().map_or(0, Vec::len)
                ),
            }
            let charge = &subscription.first_charge;
            if charge.status != PaymentStatus::Paid {
                println!(
                    "first charge {} failed: {}; nothing was scheduled",
                    charge.merchant_uid,
                    charge.fail_reason.as_deref().unwrap_or("no reason given")
                );
                return ExitCode::FAILURE;
            }
            println!("first charge {} paid: {}", charge.imp_uid, charge.amount);
            for schedule in &subscription.schedules {
                // An unset time reads as `None`, never as a zero time.
                let at = schedule.schedule_at.map_or_else(
                    || "no time given".to_owned(),
                    |t| format!("{t} (UNIX seconds)"),
                );
                println!(
                    "next charge {} of {} booked for {at}, {}",
                    schedule.merchant_uid, schedule.amount, schedule.schedule_status
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            print_error(&error);
            if error.is_timeout() {
                eprintln!(
                    "the last call timed out and may have gone through: check the billing key \
                     (`get_billing_key`), payment (`find_payment`) or schedule (`get_schedule`) \
                     before trying again"
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// Stores `card` under `customer_uid`, charges `amount` for the first period and, when that
/// charge is paid, books the next one.
pub async fn run(
    base_url: &str,
    customer_uid: &str,
    card: &Card,
    amount: Amount,
) -> Result<Subscription, Error> {
    let (imp_key, imp_secret) = credentials();
    let client = Client::builder()
        .credentials(imp_key, imp_secret)
        .base_url(base_url)
        .build()?;

    let mut issue = BillingKeyIssueRequest::new(card.number.as_str(), card.expiry.as_str())
        .birth(card.birth.as_str())
        .pwd_2digit(card.pwd_2digit.as_str());
    if let Some(channel_key) = &card.channel_key {
        issue = issue.channel_key(channel_key.as_str());
    }
    let billing_key = client.issue_billing_key(customer_uid, &issue).await?;

    // Every charge needs an order id of its own.
    let now = Timestamp::from(SystemTime::now());
    let first =
        AgainPaymentRequest::new(customer_uid, format!("{customer_uid}-{now}"), amount, PLAN);
    let first_charge = client.pay_again(&first).await?;
    if first_charge.status != PaymentStatus::Paid {
        return Ok(Subscription {
            billing_key,
            first_charge,
            schedules: Vec::new(),
        });
    }

    let next = Timestamp::from_unix(now.as_unix() + PERIOD_SECONDS);
    let entry = ScheduleEntry::new(format!("{customer_uid}-{next}"), next, amount, PLAN);
    let booking = ScheduleCreateRequest::new(customer_uid, vec![entry]);
    let schedules = client.create_schedules(&booking).await?;
    Ok(Subscription {
        billing_key,
        first_charge,
        schedules,
    })
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
