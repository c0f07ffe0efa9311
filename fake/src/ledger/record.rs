//! One payment attempt as the ledger keeps it, and its `Payment` payload.

use super::amount::settle;
use crate::json::Amount;
use crate::spec;

/// Where a payment is in its life: the states of the spec's `PaymentStatus` the ledger
/// models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Ready,
    Paid,
    Cancelled,
    Failed,
}

impl Status {
    const ALL: [Status; 4] = [
        Status::Ready,
        Status::Paid,
        Status::Cancelled,
        Status::Failed,
    ];

    pub(super) fn spec(self) -> spec::PaymentStatus {
        match self {
            Status::Ready => spec::PaymentStatus::Ready,
            Status::Paid => spec::PaymentStatus::Paid,
            Status::Cancelled => spec::PaymentStatus::Cancelled,
            Status::Failed => spec::PaymentStatus::Failed,
        }
    }

    /// The state the spec's `status` names, if the ledger models it.
    pub(super) fn from_spec(status: spec::PaymentStatus) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.spec() == status)
    }

    /// The state a wire value names, if the spec lists it and the ledger models it.
    pub(super) fn parse(wire: &str) -> Option<Status> {
        spec::PaymentStatus::from_wire(wire).and_then(Status::from_spec)
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

impl Buyer {
    /// Shows them on a payment.
    pub(super) fn show(self, shown: &mut spec::PaymentOptional) {
        shown.buyer_name = self.name;
        shown.buyer_email = self.email;
        shown.buyer_tel = self.tel;
        shown.buyer_addr = self.addr;
        shown.buyer_postcode = self.postcode;
    }
}

/// The card a card payment was made with; the number only ever masked.
#[derive(Debug, Clone)]
pub(super) struct Card {
    pub masked_number: String,
    pub code: String,
    pub name: String,
    pub quota: i64,
}

impl Card {
    /// Shows it on a payment (a credit card, as far as the fake knows).
    pub(super) fn show(self, shown: &mut spec::PaymentOptional) {
        shown.card_number = Some(self.masked_number);
        shown.card_code = Some(self.code);
        shown.card_name = Some(self.name);
        shown.card_quota = Some(self.quota);
        shown.card_type = Some(0);
    }
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

impl Cancellation {
    fn to_shape(&self) -> spec::PaymentCancellation {
        spec::PaymentCancellation {
            amount: Amount(self.amount),
            cancelled_at: self.at,
            optional: spec::PaymentCancellationOptional {
                pg_tid: Some(self.pg_tid.clone()),
                reason: self.reason.clone(),
                cancellation_id: Some(self.id.clone()),
                receipt_url: Some(self.receipt_url.clone()),
            },
        }
    }
}

/// A payment attempt: what the rules read and change, and everything else it shows as its
/// charge (or seed) set it.
#[derive(Clone)]
pub(super) struct PaymentRecord {
    pub seq: usize,
    pub imp_uid: String,
    pub merchant_uid: String,
    pub amount: f64,
    pub currency: spec::Currency,
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
    /// Where its notifications go; `None` for the fake's default.
    pub notice_url: Option<String>,
    /// Its card-company promotion, which refunds may take back (the shown `discount` follows).
    pub promotion: Option<AppliedPromotion>,
    /// Every other field of its `Payment`; the times, the refunds, the promotion and what
    /// follows from them are the ones above.
    pub shown: spec::PaymentOptional,
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

    /// Paid (or to be paid) into a virtual account.
    pub(super) fn is_vbank(&self) -> bool {
        self.shown.vbank_num.is_some()
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

    /// Its `Payment`.
    pub(super) fn to_shape(&self) -> spec::Payment {
        let set = |time: i64| (time != 0).then_some(time);
        let mut shown = self.shown.clone();
        shown.started_at = set(self.started_at);
        shown.paid_at = set(self.paid_at);
        shown.failed_at = set(self.failed_at);
        shown.cancelled_at = set(self.cancelled_at);
        if let Some(last) = self.cancellations.last() {
            shown.cancel_reason = last.reason.clone();
        }
        shown.cancel_history = self
            .cancellations
            .iter()
            .map(Cancellation::to_shape)
            .collect();
        shown.cancel_receipt_urls = self
            .cancellations
            .iter()
            .map(|c| c.receipt_url.clone())
            .collect();
        shown.promotion = self.promotion.as_ref().map(|p| spec::PaymentPromotion {
            id: p.id.clone(),
            discount: Amount(p.kept_discount()),
        });
        spec::Payment {
            imp_uid: self.imp_uid.clone(),
            merchant_uid: self.merchant_uid.clone(),
            amount: Amount(self.amount),
            cancel_amount: Amount(self.cancel_amount()),
            currency: self.currency,
            status: self.status.spec(),
            optional: shown,
        }
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
