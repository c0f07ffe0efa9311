//! One payment attempt as the ledger keeps it, and its `Payment` payload.

use serde_json::{Map, Value, json};

use super::amount::settle;
use super::args::amount;
use super::prepare::PayMethod;

/// Where a payment is in its life (the spec's `PaymentStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Ready,
    Paid,
    Cancelled,
    Failed,
}

impl Status {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Paid => "paid",
            Status::Cancelled => "cancelled",
            Status::Failed => "failed",
        }
    }

    pub(super) fn parse(wire: &str) -> Option<Status> {
        Some(match wire {
            "ready" => Status::Ready,
            "paid" => Status::Paid,
            "cancelled" => Status::Cancelled,
            "failed" => Status::Failed,
            _ => return None,
        })
    }
}

/// The buyer's details a payment carries.
#[derive(Debug, Clone, Default)]
pub(super) struct Buyer {
    pub name: Option<String>,
    pub email: Option<String>,
    pub tel: Option<String>,
    pub addr: Option<String>,
    pub postcode: Option<String>,
}

/// The card a card payment was made with; the number only ever masked.
#[derive(Debug, Clone)]
pub(super) struct Card {
    pub masked_number: String,
    pub code: &'static str,
    pub name: &'static str,
    pub quota: i64,
}

/// A virtual account issued for a payment.
#[derive(Debug, Clone)]
pub(super) struct Vbank {
    pub code: String,
    pub name: &'static str,
    pub num: String,
    pub holder: String,
    pub due: i64,
    pub issued_at: i64,
}

/// A card-company promotion applied to a payment. The payment's `amount` is the order total;
/// the buyer's card was charged `discount` less, which the card company covers.
#[derive(Debug, Clone)]
pub(super) struct AppliedPromotion {
    pub id: String,
    pub discount: f64,
    /// The smallest order total the promotion's terms allow.
    pub min_amount: f64,
    /// Whether a refund took the discount back from the buyer (see `cancel.rs`).
    pub reclaimed: bool,
}

impl AppliedPromotion {
    /// The discount the payment still keeps.
    pub(super) fn kept_discount(&self) -> f64 {
        if self.reclaimed { 0.0 } else { self.discount }
    }
}

/// One refund of a payment.
#[derive(Debug, Clone)]
pub(super) struct Cancellation {
    pub id: String,
    pub pg_tid: String,
    pub amount: f64,
    pub tax_free: f64,
    pub vat: f64,
    pub at: i64,
    pub reason: Option<String>,
    pub receipt_url: String,
}

#[derive(Debug, Clone)]
pub(super) struct PaymentRecord {
    pub seq: usize,
    pub imp_uid: String,
    pub merchant_uid: String,
    pub method: PayMethod,
    /// `pc` for the payment window, `api` for server-side charges.
    pub channel: &'static str,
    pub pg_provider: String,
    pub pg_id: String,
    pub pg_tid: String,
    pub name: Option<String>,
    pub buyer: Buyer,
    pub custom_data: Option<String>,
    pub notice_url: Option<String>,
    pub card: Option<Card>,
    pub vbank: Option<Vbank>,
    pub amount: f64,
    pub currency: String,
    pub tax_free: f64,
    pub vat: f64,
    pub cancellations: Vec<Cancellation>,
    pub status: Status,
    pub started_at: i64,
    pub paid_at: i64,
    pub failed_at: i64,
    pub cancelled_at: i64,
    /// Last change, for the `updated` sort orders.
    pub updated_at: i64,
    pub fail_reason: Option<String>,
    pub customer_uid: Option<String>,
    pub customer_uid_usage: Option<&'static str>,
    pub promotion: Option<AppliedPromotion>,
}

impl PaymentRecord {
    pub(super) fn cancel_amount(&self) -> f64 {
        settle(self.cancellations.iter().map(|c| c.amount).sum())
    }

    /// What can still be refunded, in terms of the order total (a promotion's discount
    /// included), as `checksum` counts it.
    pub(super) fn remaining(&self) -> f64 {
        settle(self.amount - self.cancel_amount())
    }

    pub(super) fn remaining_tax_free(&self) -> f64 {
        settle(self.tax_free - self.cancellations.iter().map(|c| c.tax_free).sum::<f64>())
    }

    pub(super) fn remaining_vat(&self) -> f64 {
        settle(self.vat - self.cancellations.iter().map(|c| c.vat).sum::<f64>())
    }

    /// The promotion discount still standing in what is left: none once everything is
    /// refunded (the discount then goes back to the card company).
    pub(super) fn kept_discount(&self) -> f64 {
        match &self.promotion {
            Some(promotion) if self.remaining() > 0.0 => promotion.kept_discount(),
            _ => 0.0,
        }
    }

    /// The time of the payment's current state, which the status list filters on.
    pub(super) fn status_time(&self) -> i64 {
        match self.status {
            Status::Ready => self.started_at,
            Status::Paid => self.paid_at,
            Status::Cancelled => self.cancelled_at,
            Status::Failed => self.failed_at,
        }
    }

    /// The spec's `Payment`, every field present.
    pub(super) fn to_json(&self) -> Value {
        let card = self.card.as_ref();
        let vbank = self.vbank.as_ref();
        let bank = (self.method == PayMethod::Trans).then_some(("004", "KB국민은행"));
        let history: Vec<Value> = self
            .cancellations
            .iter()
            .map(|c| {
                json!({
                    "pg_tid": c.pg_tid,
                    "amount": amount(c.amount),
                    "cancelled_at": c.at,
                    "reason": c.reason,
                    "cancellation_id": c.id,
                    "receipt_url": c.receipt_url,
                })
            })
            .collect();
        let receipts: Vec<&str> = self
            .cancellations
            .iter()
            .map(|c| c.receipt_url.as_str())
            .collect();
        let mut out = Map::new();
        let mut put = |key: &str, value: Value| {
            out.insert(key.to_owned(), value);
        };
        put("imp_uid", json!(self.imp_uid));
        put("merchant_uid", json!(self.merchant_uid));
        put("pay_method", json!(self.method.as_str()));
        put("channel", json!(self.channel));
        put("pg_provider", json!(self.pg_provider));
        put("emb_pg_provider", Value::Null);
        put("pg_tid", json!(self.pg_tid));
        put("pg_id", json!(self.pg_id));
        put("sandbox", json!(false));
        put("escrow", json!(false));
        put(
            "apply_num",
            json!(card.map(|_| format!("{:08}", self.seq + 1))),
        );
        put("bank_code", json!(bank.map(|b| b.0)));
        put("bank_name", json!(bank.map(|b| b.1)));
        put("card_code", json!(card.map(|c| c.code)));
        put("card_name", json!(card.map(|c| c.name)));
        put("card_issuer_code", Value::Null);
        put("card_issuer_name", Value::Null);
        put("card_publisher_code", Value::Null);
        put("card_publisher_name", Value::Null);
        put("card_quota", json!(card.map(|c| c.quota)));
        put("card_number", json!(card.map(|c| &c.masked_number)));
        put("card_type", json!(card.map(|_| 0)));
        put("vbank_code", json!(vbank.map(|v| &v.code)));
        put("vbank_name", json!(vbank.map(|v| v.name)));
        put("vbank_num", json!(vbank.map(|v| &v.num)));
        put("vbank_holder", json!(vbank.map(|v| &v.holder)));
        put("vbank_date", json!(vbank.map_or(0, |v| v.due)));
        put("vbank_issued_at", json!(vbank.map_or(0, |v| v.issued_at)));
        put("name", json!(self.name));
        put("amount", amount(self.amount));
        put("cancel_amount", amount(self.cancel_amount()));
        put("currency", json!(self.currency));
        put("buyer_name", json!(self.buyer.name));
        put("buyer_email", json!(self.buyer.email));
        put("buyer_tel", json!(self.buyer.tel));
        put("buyer_addr", json!(self.buyer.addr));
        put("buyer_postcode", json!(self.buyer.postcode));
        put("custom_data", json!(self.custom_data));
        put("user_agent", Value::Null);
        put("status", json!(self.status.as_str()));
        put("started_at", json!(self.started_at));
        put("paid_at", json!(self.paid_at));
        put("failed_at", json!(self.failed_at));
        put("cancelled_at", json!(self.cancelled_at));
        put("fail_reason", json!(self.fail_reason));
        put(
            "cancel_reason",
            json!(self.cancellations.last().and_then(|c| c.reason.as_ref())),
        );
        put(
            "receipt_url",
            json!(format!(
                "https://fake.portone.invalid/receipts/{}",
                self.imp_uid
            )),
        );
        put("cancel_history", Value::Array(history));
        put("deposit_history", json!([]));
        put("cancel_receipt_urls", json!(receipts));
        put("cash_receipt_issued", json!(false));
        put("customer_uid", json!(self.customer_uid));
        put("customer_uid_usage", json!(self.customer_uid_usage));
        put(
            "promotion",
            json!(
                self.promotion
                    .as_ref()
                    .map(|p| { json!({"id": p.id, "discount": amount(p.kept_discount())}) })
            ),
        );
        Value::Object(out)
    }
}

/// A card number as PortOne shows it: the first six and last four digits, the rest `*`.
/// `None` unless it has 14 to 16 digits (dashes allowed).
pub(super) fn mask_card_number(number: &str) -> Option<String> {
    let digits: String = number.chars().filter(|c| *c != '-').collect();
    if !(14..=16).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (head, tail) = (&digits[..6], &digits[digits.len() - 4..]);
    Some(format!("{head}{}{tail}", "*".repeat(digits.len() - 10)))
}

/// Whether a `YYYY-MM` expiry is well formed and not before the month of `now` (UTC).
pub(super) fn expiry_valid(expiry: &str, now: i64) -> bool {
    let Some((year, month)) = expiry.split_once('-') else {
        return false;
    };
    let (Ok(year), Ok(month)) = (year.parse::<i64>(), month.parse::<i64>()) else {
        return false;
    };
    let (now_year, now_month) = year_month(now);
    (1..=12).contains(&month) && (year, month) >= (now_year, now_month)
}

/// The UTC year and month of a UNIX time (the civil-from-days algorithm).
fn year_month(unix: i64) -> (i64, i64) {
    let days = unix.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month)
}

/// VAT PortOne assumes when none is given: one eleventh of the taxable part, rounded.
pub(super) fn default_vat(amount: f64, tax_free: f64) -> f64 {
    ((amount - tax_free) / 11.0).round()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_month_of_known_times() {
        assert_eq!(year_month(0), (1970, 1));
        assert_eq!(year_month(951_782_400), (2000, 2)); // 2000-02-29
        assert_eq!(year_month(1_704_067_199), (2023, 12));
        assert_eq!(year_month(1_704_067_200), (2024, 1));
    }

    #[test]
    fn expiry_is_checked_against_the_current_month() {
        let jan_2024 = 1_704_067_200;
        assert!(expiry_valid("2024-01", jan_2024));
        assert!(!expiry_valid("2023-12", jan_2024));
        assert!(!expiry_valid("2024-13", jan_2024));
        assert!(!expiry_valid("202401", jan_2024));
    }

    #[test]
    fn card_numbers_are_masked() {
        assert_eq!(
            mask_card_number("1234-5678-1234-5678").as_deref(),
            Some("123456******5678")
        );
        assert_eq!(
            mask_card_number("12345678901234").as_deref(),
            Some("123456****1234")
        );
        assert_eq!(mask_card_number("1234-5678"), None);
        assert_eq!(mask_card_number("1234-5678-1234-567x"), None);
    }
}
