//! Refunds (`cancel_payment`): full and partial, `checksum`, tax-free and VAT parts, the
//! refund account of a virtual account, and a promotion's discount.

use super::amount::{self, settle};
use super::args::{
    ALREADY_CANCELLED, Answer, CHECKSUM_MISMATCH, NEEDS_REFUND_ACCOUNT, NO_PAYMENT_TO_CANCEL,
    NOT_PAID, OVER_REFUND, PROMOTION_RECLAIM, TAX_FREE_OVER, VAT_OVER, bad, flag, number, ok,
    owned, refuse, text,
};
use super::record::{Cancellation, PaymentRecord, Status, default_vat};
use super::state::Ledger;
use crate::exchange::{Call, Refusal};

impl Ledger {
    /// The payment a refund names: by `imp_uid` when given (it takes precedence), else the
    /// latest attempt of `merchant_uid` that was paid (or its latest attempt when none was).
    fn to_cancel(&self, call: &Call<'_>) -> Result<usize, Refusal> {
        let none = || refuse(200, 1, NO_PAYMENT_TO_CANCEL);
        if let Some(imp_uid) = text(call.body, "imp_uid") {
            return self.by_imp_uid.get(imp_uid).copied().ok_or_else(none);
        }
        let merchant_uid = text(call.body, "merchant_uid").ok_or_else(none)?;
        let latest = |was_paid: bool| {
            self.payments
                .iter()
                .rev()
                .find(|p| p.merchant_uid == merchant_uid && (!was_paid || p.paid_at != 0))
        };
        latest(true)
            .or_else(|| latest(false))
            .map(|p| p.seq)
            .ok_or_else(none)
    }

    /// Refunds `amount` (everything left when unset or 0). Refused with code 1 and HTTP 200,
    /// as PortOne answers them: an unknown payment, one already refunded in full (PortOne's
    /// own message for both), one never paid, a `checksum` other than what is left, more than
    /// what is left, a `tax_free` part above the refund or above the tax-free part left, a
    /// `vat_amount` above the refund's taxable part or above the VAT left, a paid
    /// virtual-account payment without the account to refund to, and a refund too small to
    /// take back a promotion's discount (see [`reclaimed_discount`]). Every amount is checked
    /// against the payment's currency (a negative one, or one with more decimals than the
    /// currency has, is a 400 naming it). Each refund gets a `cancel_history` entry with a
    /// `cancellation_id`; the status turns `cancelled` only when nothing is left. A notice is
    /// sent only when the request sets `enable_webhook`, carrying the payment's resulting
    /// status and the cancellation id.
    pub(super) fn cancel(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let seq = self.to_cancel(call)?;
        let p: &PaymentRecord = &self.payments[seq];
        match p.status {
            Status::Cancelled => return Err(refuse(200, 1, ALREADY_CANCELLED)),
            Status::Ready | Status::Failed => return Err(refuse(200, 1, NOT_PAID)),
            Status::Paid => {}
        }
        let value = |key: &str| {
            number(body, key)
                .map(|v| amount::check(v, p.currency.as_str()).map_err(|_| bad(key)))
                .transpose()
        };
        let remaining = p.remaining();
        if value("checksum")?.is_some_and(|checksum| checksum != remaining) {
            return Err(refuse(200, 1, CHECKSUM_MISMATCH));
        }
        let asked = value("amount")?.filter(|a| *a != 0.0).unwrap_or(remaining);
        if asked > remaining {
            return Err(refuse(200, 1, OVER_REFUND));
        }
        let full = asked == remaining;
        // Unset, the tax-free part is 0 (PortOne's rule), or all of it for what is left.
        let tax_free =
            value("tax_free")?.unwrap_or(if full { p.remaining_tax_free() } else { 0.0 });
        if tax_free > asked.min(p.remaining_tax_free()) {
            return Err(refuse(200, 1, TAX_FREE_OVER));
        }
        let taxable = settle(asked - tax_free);
        let vat = match value("vat_amount")? {
            Some(vat) if vat > taxable.min(p.remaining_vat()) => {
                return Err(refuse(200, 1, VAT_OVER));
            }
            Some(vat) => vat,
            None if full => p.remaining_vat(),
            None => default_vat(asked, tax_free).min(p.remaining_vat()),
        };
        if p.is_vbank()
            && ["refund_holder", "refund_bank", "refund_account"]
                .iter()
                .any(|key| text(body, key).is_none())
        {
            return Err(refuse(200, 1, NEEDS_REFUND_ACCOUNT));
        }
        let reclaimed = reclaimed_discount(p, asked, flag(body, "retain_promotion"));
        if reclaimed > asked {
            return Err(refuse(200, 1, PROMOTION_RECLAIM));
        }
        let serial = self.next_serial();
        let id = format!("fake_cancel_{serial:012}");
        let payment = &mut self.payments[seq];
        payment.cancellations.push(Cancellation {
            receipt_url: format!(
                "https://fake.portone.invalid/receipts/{}/{id}",
                payment.imp_uid
            ),
            id: id.clone(),
            pg_tid: format!("fake_tid_{serial:012}"),
            amount: asked,
            tax_free,
            vat,
            at: call.now,
            reason: owned(body, "reason"),
        });
        if let Some(promotion) = payment.promotion.as_mut().filter(|_| reclaimed > 0.0) {
            promotion.reclaimed = true;
        }
        if full {
            payment.status = Status::Cancelled;
        }
        payment.cancelled_at = call.now;
        payment.updated_at = call.now;
        let response = payment.to_shape();
        if flag(body, "enable_webhook") {
            self.notify(seq, Some(id));
        }
        ok(&response)
    }
}

/// The promotion discount a refund of `asked` takes back from the buyer, who then gets
/// `asked` less it. A promotion's terms ask for an order total of at least its `min_amount`;
/// a partial refund that leaves less breaks them. PortOne documents only that
/// `retain_promotion` keeps the promotion even then; the fake reads it as: without the flag,
/// the discount is taken back. A full refund takes nothing back (the whole order is undone
/// and the discount returns to the card company), and a discount is taken back once at most.
///
/// The order total stays what refunds count against (`amount`, `cancel_amount`, `checksum`);
/// the payment's `promotion.discount` drops to 0 once taken back, and the balance's
/// `discount` part with it.
fn reclaimed_discount(p: &PaymentRecord, asked: f64, retain_promotion: bool) -> f64 {
    let left = settle(p.remaining() - asked);
    match &p.promotion {
        Some(promotion)
            if !promotion.reclaimed
                && !retain_promotion
                && left > 0.0
                && left < promotion.min_amount =>
        {
            promotion.discount
        }
        _ => 0.0,
    }
}
