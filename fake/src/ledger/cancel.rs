//! Refunds (`cancel_payment`): full and partial, `checksum`, tax-free and VAT parts.

use super::args::{
    ALREADY_CANCELLED, Answer, CHECKSUM_MISMATCH, NEEDS_REFUND_ACCOUNT, NO_PAYMENT_TO_CANCEL,
    NOT_PAID, OVER_REFUND, bad, flag, number, ok, owned, refuse, text,
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
    /// what is left, a tax-free part above the amount or above the tax-free part left, and a
    /// virtual-account refund without the refund account. Each refund gets a
    /// `cancel_history` entry with a `cancellation_id`; the status turns `cancelled` only when
    /// nothing is left. A notice is sent only when the request sets `enable_webhook`, carrying
    /// the payment's resulting status and the cancellation id.
    pub(super) fn cancel(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let seq = self.to_cancel(call)?;
        let p: &PaymentRecord = &self.payments[seq];
        match p.status {
            Status::Cancelled => return Err(refuse(200, 1, ALREADY_CANCELLED)),
            Status::Ready | Status::Failed => return Err(refuse(200, 1, NOT_PAID)),
            Status::Paid => {}
        }
        let remaining = p.remaining();
        if number(body, "checksum").is_some_and(|checksum| checksum != remaining) {
            return Err(refuse(200, 1, CHECKSUM_MISMATCH));
        }
        let asked = number(body, "amount")
            .filter(|a| *a != 0.0)
            .unwrap_or(remaining);
        if asked < 0.0 {
            return Err(bad("amount"));
        }
        if asked > remaining {
            return Err(refuse(200, 1, OVER_REFUND));
        }
        let full = asked == remaining;
        let tax_free =
            number(body, "tax_free").unwrap_or(if full { p.remaining_tax_free() } else { 0.0 });
        if tax_free < 0.0 || tax_free > asked || tax_free > p.remaining_tax_free() {
            return Err(bad("tax_free"));
        }
        let vat = number(body, "vat_amount").unwrap_or_else(|| {
            if full {
                p.remaining_vat()
            } else {
                default_vat(asked, tax_free).min(p.remaining_vat())
            }
        });
        if p.is_vbank()
            && ["refund_holder", "refund_bank", "refund_account"]
                .iter()
                .any(|key| text(body, key).is_none())
        {
            return Err(refuse(200, 1, NEEDS_REFUND_ACCOUNT));
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
