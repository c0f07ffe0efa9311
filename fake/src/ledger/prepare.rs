//! Prepared amounts, the payment window (`pay`, `deposit`), virtual accounts issued through the
//! API, and the one path every charge takes.

use super::args::{
    ALREADY_PAID, ALREADY_PREPARED, Answer, NO_SUCH_PAYMENT, NOT_PREPARED, PREPARED_MISMATCH,
    VBANK_NOT_READY, bad, integer, number, ok, owned, refuse, required, required_integer,
    required_number, text,
};
use super::purchase::{PayMethod, Promotion, Purchase};
use super::record::{AppliedPromotion, Buyer, Card, PaymentRecord, Status, default_vat};
use super::state::Ledger;
use crate::exchange::{Call, Refusal};
use crate::json::Amount;
use crate::spec;

/// Everything a new payment attempt needs; the ledger adds ids, times and status.
pub(super) struct Charge {
    pub merchant_uid: String,
    pub amount: f64,
    pub currency: spec::Currency,
    pub tax_free: f64,
    pub vat_amount: Option<f64>,
    pub notice_url: Option<String>,
    /// A card-company promotion applied in the payment window.
    pub promotion: Option<AppliedPromotion>,
    /// What the payment shows besides: means, channel, PG, card or account, order title,
    /// buyer, billing key.
    pub shown: spec::PaymentOptional,
}

/// The currency of a request's `currency`: KRW when unset; 400 for one the spec does not
/// list.
pub(super) fn currency(
    body: &serde_json::Map<String, serde_json::Value>,
) -> Result<spec::Currency, Refusal> {
    match text(body, "currency") {
        None => Ok(spec::Currency::Krw),
        Some(code) => spec::Currency::from_wire(code).ok_or_else(|| bad("currency")),
    }
}

/// Bank names of the standard codes the fake knows; others get a generic name.
fn bank_name(code: &str) -> &'static str {
    match code {
        "004" => "KB국민은행",
        "011" => "NH농협은행",
        "020" => "우리은행",
        "081" => "하나은행",
        "088" => "신한은행",
        _ => "은행",
    }
}

/// A virtual account on a payment.
fn vbank(
    shown: &mut spec::PaymentOptional,
    code: String,
    num: String,
    holder: String,
    due: i64,
    now: i64,
) {
    shown.vbank_name = Some(bank_name(&code).to_owned());
    shown.vbank_code = Some(code);
    shown.vbank_num = Some(num);
    shown.vbank_holder = Some(holder);
    shown.vbank_date = Some(due);
    shown.vbank_issued_at = Some(now);
}

impl Ledger {
    pub(super) fn create_prepare(&mut self, call: &Call<'_>) -> Answer {
        let merchant_uid = required(call.body, "merchant_uid")?;
        if self.prepared.contains_key(merchant_uid) {
            return Err(refuse(200, 1, ALREADY_PREPARED));
        }
        let prepared = spec::PaymentPrepare {
            merchant_uid: merchant_uid.to_owned(),
            amount: Amount(required_number(call.body, "amount")?),
            optional: spec::PaymentPrepareOptional {
                currency: prepared_currency(call)?,
            },
        };
        let answer = ok(&prepared);
        self.prepared.insert(merchant_uid.to_owned(), prepared);
        answer
    }

    pub(super) fn update_prepare(&mut self, call: &Call<'_>) -> Answer {
        let merchant_uid = required(call.body, "merchant_uid")?;
        let amount = required_number(call.body, "amount")?;
        let currency = prepared_currency(call)?;
        let prepared = self
            .prepared
            .get_mut(merchant_uid)
            .ok_or_else(|| refuse(404, 1, NOT_PREPARED))?;
        prepared.amount = Amount(amount);
        prepared.optional.currency = currency;
        ok(prepared)
    }

    pub(super) fn get_prepare(&mut self, call: &Call<'_>) -> Answer {
        let merchant_uid = required(call.path, "merchant_uid")?;
        let prepared = self
            .prepared
            .get(merchant_uid)
            .ok_or_else(|| refuse(404, 1, NOT_PREPARED))?;
        ok(prepared)
    }

    pub(super) fn pay_in_window(
        &mut self,
        purchase: Purchase,
        now: i64,
    ) -> Result<String, Refusal> {
        let currency =
            spec::Currency::from_wire(&purchase.currency).ok_or_else(|| bad("currency"))?;
        let unfit = |message: String| Refusal {
            status: 400,
            code: 1,
            message,
        };
        let amount = purchase
            .amount
            .checked("amount", currency.as_str())
            .map_err(unfit)?;
        let method = purchase.method;
        let promotion = purchase
            .promotion
            .map(|p| applied(p, amount, currency, method))
            .transpose()
            .map_err(unfit)?;
        let mut shown = spec::PaymentOptional {
            pay_method: Some(method.spec()),
            channel: Some(spec::PaymentChannel::Pc),
            pg_provider: Some(method.pg_provider()),
            pg_id: Some("INIpayTest".to_owned()),
            name: purchase.name,
            custom_data: purchase.custom_data,
            ..Default::default()
        };
        Buyer {
            name: purchase.buyer_name,
            email: purchase.buyer_email,
            tel: purchase.buyer_tel,
            ..Buyer::default()
        }
        .show(&mut shown);
        match method {
            PayMethod::Card => Card {
                masked_number: "536181******1234".to_owned(),
                code: "366".to_owned(),
                name: "신한카드".to_owned(),
                quota: 0,
            }
            .show(&mut shown),
            PayMethod::Trans => {
                shown.bank_code = Some("004".to_owned());
                shown.bank_name = Some(bank_name("004").to_owned());
            }
            PayMethod::Vbank => {
                let num = format!("5621110{:07}", self.serial + 1);
                let due = now + 3 * 86_400;
                vbank(
                    &mut shown,
                    "088".to_owned(),
                    num,
                    "포트원".to_owned(),
                    due,
                    now,
                );
            }
            PayMethod::Phone | PayMethod::Kakaopay | PayMethod::Naverpay => {}
        }
        let charge = Charge {
            merchant_uid: purchase.merchant_uid,
            amount,
            currency,
            tax_free: 0.0,
            vat_amount: None,
            notice_url: purchase.notice_url,
            promotion,
            shown,
        };
        let seq = self.charge(charge, now)?;
        Ok(self.payments[seq].imp_uid.clone())
    }

    pub(super) fn deposit_into(&mut self, imp_uid: &str, now: i64) -> Result<(), Refusal> {
        let seq = self.ready_vbank(imp_uid)?;
        let payment = &mut self.payments[seq];
        payment.status = Status::Paid;
        payment.paid_at = now;
        payment.updated_at = now;
        self.notify(seq, None);
        Ok(())
    }

    /// The `seq` of a virtual-account payment still waiting for its deposit.
    fn ready_vbank(&self, imp_uid: &str) -> Result<usize, Refusal> {
        let &seq = self
            .by_imp_uid
            .get(imp_uid)
            .ok_or_else(|| refuse(404, -1, NO_SUCH_PAYMENT))?;
        let payment = &self.payments[seq];
        if !payment.is_vbank() || payment.status != Status::Ready {
            return Err(refuse(400, 1, VBANK_NOT_READY));
        }
        Ok(seq)
    }

    pub(super) fn issue_vbank(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let vbank_code = required(body, "vbank_code")?.to_owned();
        let amount = required_number(body, "amount")?;
        let mut shown = spec::PaymentOptional {
            pay_method: Some(spec::PayMethod::Vbank),
            channel: Some(spec::PaymentChannel::Api),
            pg_provider: Some(spec::PgProvider::NiceV2),
            pg_id: Some("nictest00m".to_owned()),
            name: owned(body, "name"),
            custom_data: owned(body, "custom_data"),
            ..Default::default()
        };
        Buyer {
            name: owned(body, "buyer_name"),
            email: owned(body, "buyer_email"),
            tel: owned(body, "buyer_tel"),
            addr: owned(body, "buyer_addr"),
            postcode: owned(body, "buyer_postcode"),
        }
        .show(&mut shown);
        let num = text(body, "vbank_num")
            .map_or_else(|| format!("5621110{:07}", self.serial + 1), str::to_owned);
        let holder = text(body, "vbank_holder").unwrap_or("포트원").to_owned();
        let due = required_integer(body, "vbank_due")?;
        vbank(&mut shown, vbank_code, num, holder, due, call.now);
        let charge = Charge {
            merchant_uid: required(body, "merchant_uid")?.to_owned(),
            amount,
            currency: spec::Currency::Krw,
            tax_free: number(body, "tax_free").unwrap_or(0.0),
            vat_amount: number(body, "vat_amount"),
            notice_url: owned(body, "notice_url"),
            promotion: None,
            shown,
        };
        let seq = self.charge(charge, call.now)?;
        ok(&self.payments[seq].to_shape())
    }

    /// Changes an unpaid virtual account's amount or deadline; 400 once it is not `ready`.
    pub(super) fn update_vbank(&mut self, call: &Call<'_>) -> Answer {
        let seq = self.ready_vbank(required(call.path, "imp_uid")?)?;
        let payment = &mut self.payments[seq];
        if let Some(amount) = number(call.body, "amount") {
            payment.amount = amount;
            payment.vat = default_vat(amount, payment.tax_free);
        }
        if let Some(due) = integer(call.body, "vbank_due") {
            payment.shown.vbank_date = Some(due);
        }
        payment.updated_at = call.now;
        ok(&payment.to_shape())
    }

    /// Closes an unpaid virtual account. PortOne does not document the state that follows;
    /// the fake says `cancelled`, with nothing refunded, and sends no notice.
    pub(super) fn revoke_vbank(&mut self, call: &Call<'_>) -> Answer {
        let seq = self.ready_vbank(required(call.path, "imp_uid")?)?;
        let payment = &mut self.payments[seq];
        payment.status = Status::Cancelled;
        payment.cancelled_at = call.now;
        payment.updated_at = call.now;
        ok(&payment.to_shape())
    }

    /// The path of every charge: an order id already paid is refused with nothing recorded; an
    /// amount or currency differing from the prepared one records a `failed` payment and is
    /// refused (code 1, HTTP 200); anything else is recorded as paid (`ready` for a virtual
    /// account) and notified.
    pub(super) fn charge(&mut self, charge: Charge, now: i64) -> Result<usize, Refusal> {
        self.ensure_unpaid(&charge.merchant_uid)?;
        let mismatch = self
            .prepared
            .get(&charge.merchant_uid)
            .is_some_and(|prepared| {
                prepared.amount != Amount(charge.amount)
                    || prepared
                        .optional
                        .currency
                        .is_some_and(|c| c != charge.currency)
            });
        if mismatch {
            self.record(charge, now, Some(PREPARED_MISMATCH));
            return Err(refuse(200, 1, PREPARED_MISMATCH));
        }
        Ok(self.record(charge, now, None))
    }

    /// Refuses an order id that was already paid (code 1, HTTP 200).
    pub(super) fn ensure_unpaid(&self, merchant_uid: &str) -> Result<(), Refusal> {
        if self
            .payments
            .iter()
            .any(|p| p.merchant_uid == merchant_uid && p.status == Status::Paid)
        {
            return Err(refuse(200, 1, ALREADY_PAID));
        }
        Ok(())
    }

    /// Records one attempt, `failed` with `fail_reason` when given; notifies paid and issued
    /// payments (a failure sends no notice, as with PortOne).
    pub(super) fn record(&mut self, charge: Charge, now: i64, fail_reason: Option<&str>) -> usize {
        let (serial, imp_uid) = self.next_imp_uid();
        let seq = self.payments.len();
        let mut shown = charge.shown;
        let status = match (fail_reason, shown.vbank_num.is_some()) {
            (Some(_), _) => Status::Failed,
            (None, true) => Status::Ready,
            (None, false) => Status::Paid,
        };
        shown.pg_tid = Some(format!("fake_tid_{serial:012}"));
        if shown.card_number.is_some() {
            shown.apply_num = Some(format!("{:08}", seq + 1));
        }
        shown.sandbox = Some(false);
        shown.escrow = Some(false);
        shown.cash_receipt_issued = Some(false);
        shown.receipt_url = Some(format!("https://fake.portone.invalid/receipts/{imp_uid}"));
        shown.fail_reason = fail_reason.map(str::to_owned);
        self.payments.push(PaymentRecord {
            seq,
            imp_uid: imp_uid.clone(),
            merchant_uid: charge.merchant_uid,
            amount: charge.amount,
            currency: charge.currency,
            tax_free: charge.tax_free,
            vat: charge
                .vat_amount
                .unwrap_or_else(|| default_vat(charge.amount, charge.tax_free)),
            cancellations: Vec::new(),
            status,
            started_at: now,
            paid_at: if status == Status::Paid { now } else { 0 },
            failed_at: if status == Status::Failed { now } else { 0 },
            cancelled_at: 0,
            updated_at: now,
            notice_url: charge.notice_url,
            promotion: charge.promotion,
            shown,
        });
        self.by_imp_uid.insert(imp_uid, seq);
        if status != Status::Failed {
            self.notify(seq, None);
        }
        seq
    }
}

/// A prepare request's `currency`: unset means it is not checked.
fn prepared_currency(call: &Call<'_>) -> Result<Option<spec::Currency>, Refusal> {
    text(call.body, "currency")
        .map(|code| spec::Currency::from_wire(code).ok_or_else(|| bad("currency")))
        .transpose()
}

/// `promotion` as a payment of `amount` in `currency` by `method` carries it, or why it cannot
/// apply (see [`Promotion`]).
fn applied(
    promotion: Promotion,
    amount: f64,
    currency: spec::Currency,
    method: PayMethod,
) -> Result<AppliedPromotion, String> {
    let discount = promotion
        .discount
        .checked("promotion discount", currency.as_str())?;
    let min_amount = promotion
        .min_amount
        .checked("promotion min_amount", currency.as_str())?;
    if method != PayMethod::Card {
        return Err(format!(
            "a card-company promotion applies to card payments, not {}",
            method.spec().as_str()
        ));
    }
    if discount >= amount {
        return Err(format!(
            "promotion discount {discount} must be less than the amount {amount}"
        ));
    }
    if amount < min_amount {
        return Err(format!(
            "amount {amount} is below the promotion's min_amount {min_amount}"
        ));
    }
    Ok(AppliedPromotion {
        id: promotion.id,
        discount,
        min_amount,
        reclaimed: false,
    })
}
