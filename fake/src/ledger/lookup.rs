//! Lookups and lists of payments, and the balance left after refunds.

use super::args::{
    Answer, NINETY_DAYS, NO_SUCH_PAYMENT, Page, bad, integer, ok, page, refuse, required, several,
    strings, text,
};
use super::record::{PaymentRecord, Status};
use super::state::Ledger;
use crate::exchange::{Call, Refusal};
use crate::json::Amount;
use crate::spec;

/// The most ids `get_payments` takes at once.
const MAX_IDS: usize = 100;

/// The time of a payment a sort order reads.
type SortTime = fn(&PaymentRecord) -> i64;

/// The time each `PaymentSorting` orders by, and whether newest first; a value the spec adds
/// later is refused until it is listed here.
const SORTINGS: [(spec::PaymentSorting, SortTime, bool); 6] = [
    (spec::PaymentSorting::StartedDesc, |p| p.started_at, true),
    (spec::PaymentSorting::StartedAsc, |p| p.started_at, false),
    (spec::PaymentSorting::PaidDesc, |p| p.paid_at, true),
    (spec::PaymentSorting::PaidAsc, |p| p.paid_at, false),
    (spec::PaymentSorting::UpdatedDesc, |p| p.updated_at, true),
    (spec::PaymentSorting::UpdatedAsc, |p| p.updated_at, false),
];

/// Sorts payments by a `PaymentSorting` value (newest start when unset); equal times keep
/// creation order in the same direction, so every order is deterministic.
pub(super) fn sort(payments: &mut [&PaymentRecord], sorting: Option<&str>) -> Result<(), Refusal> {
    let sorting = match sorting {
        None => spec::PaymentSorting::StartedDesc,
        Some(wire) => spec::PaymentSorting::from_wire(wire).ok_or_else(|| bad("sorting"))?,
    };
    let &(_, time, descending) = SORTINGS
        .iter()
        .find(|(s, ..)| *s == sorting)
        .ok_or_else(|| bad("sorting"))?;
    payments.sort_by_key(|p| (time(p), p.seq));
    if descending {
        payments.reverse();
    }
    Ok(())
}

/// A page of payments as the spec's `PaymentPage`.
pub(super) fn payment_page(page: Page<&PaymentRecord>) -> spec::PaymentPage {
    spec::PaymentPage {
        total: page.total,
        previous: page.previous,
        next: page.next,
        optional: spec::PaymentPageOptional {
            list: page.list.into_iter().map(PaymentRecord::to_shape).collect(),
        },
    }
}

fn not_found() -> Refusal {
    refuse(404, -1, NO_SUCH_PAYMENT)
}

/// One tax split of the spec's `BalanceBreakdown`.
fn breakdown(total: f64, tax_free: f64, vat: f64) -> spec::BalanceBreakdown {
    spec::BalanceBreakdown {
        tax_free: Amount(tax_free),
        supply: Amount(total - tax_free - vat),
        vat: Amount(vat),
        service: Amount(0.0),
    }
}

fn nothing() -> spec::BalanceBreakdown {
    breakdown(0.0, 0.0, 0.0)
}

/// A `BalanceHistory` entry whose whole balance is in the primary means.
fn history(total: f64, tax_free: f64, vat: f64, created: i64) -> spec::BalanceHistory {
    spec::BalanceHistory {
        cash_receipt: nothing(),
        primary: breakdown(total, tax_free, vat),
        secondary: nothing(),
        discount: nothing(),
        optional: spec::BalanceHistoryOptional {
            created: Some(created),
        },
    }
}

impl Ledger {
    /// Unknown ids are a 404 with code -1, as PortOne answers them. `include_sandbox` changes
    /// nothing: the fake's payments are not on a test channel.
    pub(super) fn get_payment(&mut self, call: &Call<'_>) -> Answer {
        let imp_uid = required(call.path, "imp_uid")?;
        ok(&self.find_record(imp_uid).ok_or_else(not_found)?.to_shape())
    }

    /// By PortOne ids and order ids together (an order id stands for its latest attempt): 200
    /// when every id was found, 207 with the found ones when some were not, 404 when none was;
    /// more than 100 ids is a 400.
    pub(super) fn get_payments(&mut self, call: &Call<'_>) -> Answer {
        let imp_uids = strings(call.query, "imp_uids");
        let merchant_uids = strings(call.query, "merchant_uids");
        let asked = imp_uids.len() + merchant_uids.len();
        if asked == 0 || asked > MAX_IDS {
            return Err(bad("imp_uid[]"));
        }
        let mut found: Vec<&PaymentRecord> = imp_uids
            .iter()
            .filter_map(|id| self.find_record(id))
            .collect();
        found.extend(merchant_uids.iter().filter_map(|id| {
            self.payments
                .iter()
                .filter(|p| p.merchant_uid == *id)
                .max_by_key(|p| p.seq)
        }));
        let found = found.into_iter().map(PaymentRecord::to_shape).collect();
        several(found, asked, not_found())
    }

    /// The attempts of one order id, in the optional `payment_status` of the path, sorted.
    fn of_order(&self, call: &Call<'_>) -> Result<Vec<&PaymentRecord>, Refusal> {
        let merchant_uid = required(call.path, "merchant_uid")?;
        let status = match text(call.path, "payment_status") {
            Some(wire) => Some(Status::parse(wire).ok_or_else(|| bad("payment_status"))?),
            None => None,
        };
        let mut found: Vec<&PaymentRecord> = self
            .payments
            .iter()
            .filter(|p| p.merchant_uid == merchant_uid && status.is_none_or(|s| p.status == s))
            .collect();
        sort(&mut found, text(call.query, "sorting"))?;
        Ok(found)
    }

    /// The first attempt of an order id in the sort order (newest start by default); 404 when
    /// it has none (in the asked state).
    pub(super) fn find_payment(&mut self, call: &Call<'_>) -> Answer {
        let found = self.of_order(call)?;
        ok(&found.first().ok_or_else(not_found)?.to_shape())
    }

    /// Every attempt of an order id, paged; 404 when it has none (in the asked state).
    pub(super) fn find_all_payments(&mut self, call: &Call<'_>) -> Answer {
        let found = self.of_order(call)?;
        if found.is_empty() {
            return Err(not_found());
        }
        let found = page(
            found,
            integer(call.query, "page"),
            integer(call.query, "limit"),
        )?;
        ok(&payment_page(found))
    }

    /// Payments in a state (or `all`) whose time of that state falls in `from..=to`: `to`
    /// defaults to now and `from` to 90 days before it; a wider or reversed window is a 400.
    pub(super) fn list_payments_by_status(&mut self, call: &Call<'_>) -> Answer {
        let status = match required(call.path, "payment_status")? {
            wire if wire == spec::PaymentStatusFilter::All.as_str() => None,
            wire => Some(Status::parse(wire).ok_or_else(|| bad("payment_status"))?),
        };
        let to = integer(call.query, "to").unwrap_or(call.now);
        let from = integer(call.query, "from").unwrap_or(to - NINETY_DAYS);
        if from > to || to - from > NINETY_DAYS {
            return Err(bad("from"));
        }
        let mut found: Vec<&PaymentRecord> = self
            .payments
            .iter()
            .filter(|p| status.is_none_or(|s| p.status == s))
            .filter(|p| (from..=to).contains(&p.status_time()))
            .collect();
        sort(&mut found, text(call.query, "sorting"))?;
        let found = page(
            found,
            integer(call.query, "page"),
            integer(call.query, "limit"),
        )?;
        ok(&payment_page(found))
    }

    /// What is left of a payment, all of it in the primary means but a promotion's discount
    /// still standing (the fake has no points or cash receipts), with one history entry for
    /// the payment and one per refund. A payment never paid has a zero balance and no history.
    pub(super) fn balance(&mut self, call: &Call<'_>) -> Answer {
        let imp_uid = required(call.path, "imp_uid")?;
        let p = self.find_record(imp_uid).ok_or_else(not_found)?;
        let mut balance = spec::PaymentBalance {
            amount: Amount(0.0),
            cash_receipt: nothing(),
            primary: nothing(),
            secondary: nothing(),
            discount: nothing(),
            optional: spec::PaymentBalanceOptional::default(),
        };
        if p.paid_at != 0 {
            let (mut total, mut tax_free, mut vat) = (p.amount, p.tax_free, p.vat);
            let mut histories = vec![history(total, tax_free, vat, p.paid_at)];
            for c in &p.cancellations {
                (total, tax_free, vat) = (total - c.amount, tax_free - c.tax_free, vat - c.vat);
                histories.push(history(total, tax_free, vat, c.at));
            }
            // The discount part carries no tax; the tax parts stay with the primary means.
            let discount = p.kept_discount();
            let primary = p.remaining() - discount;
            balance.amount = Amount(p.remaining());
            balance.primary = breakdown(primary, p.remaining_tax_free(), p.remaining_vat());
            balance.discount = breakdown(discount, 0.0, 0.0);
            balance.optional.histories = histories;
        }
        ok(&balance)
    }
}
