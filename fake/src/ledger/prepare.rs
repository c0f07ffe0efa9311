//! Prepared amounts, the payment window (`pay`, `deposit`), virtual accounts issued through the
//! API, and the one path every charge takes.

use serde_json::{Value, json};

use super::Ledger;
use super::amount::FakeAmount;
use super::args::{
    ALREADY_PAID, ALREADY_PREPARED, Answer, NO_SUCH_PAYMENT, NOT_PREPARED, PREPARED_MISMATCH,
    VBANK_NOT_READY, amount, number, ok, owned, refuse, required, required_integer,
    required_number, text,
};
use super::record::{AppliedPromotion, Buyer, Card, PaymentRecord, Status, Vbank, default_vat};
use crate::exchange::{Call, Refusal};

/// The means of payment a buyer picks in the payment window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayMethod {
    /// A credit or check card: paid at once.
    Card,
    /// A real-time bank transfer: paid at once.
    Trans,
    /// A virtual account: issued (`ready`) now, paid when the buyer deposits.
    Vbank,
    /// Mobile phone billing: paid at once.
    Phone,
    /// Kakao Pay: paid at once.
    Kakaopay,
    /// Naver Pay: paid at once.
    Naverpay,
}

impl PayMethod {
    const ALL: [PayMethod; 6] = [
        PayMethod::Card,
        PayMethod::Trans,
        PayMethod::Vbank,
        PayMethod::Phone,
        PayMethod::Kakaopay,
        PayMethod::Naverpay,
    ];

    /// The method whose wire value (`pay_method`) is `value`.
    pub(crate) fn from_wire(value: &str) -> Option<PayMethod> {
        PayMethod::ALL.into_iter().find(|m| m.as_str() == value)
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            PayMethod::Card => "card",
            PayMethod::Trans => "trans",
            PayMethod::Vbank => "vbank",
            PayMethod::Phone => "phone",
            PayMethod::Kakaopay => "kakaopay",
            PayMethod::Naverpay => "naverpay",
        }
    }

    /// The PG the fake pretends handled a window payment made this way.
    fn pg_provider(self) -> &'static str {
        match self {
            PayMethod::Card | PayMethod::Trans | PayMethod::Vbank => "html5_inicis",
            PayMethod::Phone => "danal",
            PayMethod::Kakaopay => "kakaopay",
            PayMethod::Naverpay => "naverpay",
        }
    }
}

/// What the buyer does in the payment window: the order, the amount and the means, plus the
/// details the merchant's page passed to the window. Built with [`Purchase::new`] and setters.
#[derive(Debug, Clone)]
pub struct Purchase {
    merchant_uid: String,
    amount: FakeAmount,
    method: PayMethod,
    currency: String,
    name: Option<String>,
    buyer: Buyer,
    notice_url: Option<String>,
    custom_data: Option<String>,
    promotion: Option<Promotion>,
}

impl Purchase {
    /// Pays `amount` KRW for the order `merchant_uid` with `method`: `64_900`, or an amount
    /// with decimals such as `12.34` in a currency that has them (see [`FakeAmount`]).
    pub fn new(
        merchant_uid: impl Into<String>,
        amount: impl Into<FakeAmount>,
        method: PayMethod,
    ) -> Purchase {
        Purchase {
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            method,
            currency: "KRW".to_owned(),
            name: None,
            buyer: Buyer::default(),
            notice_url: None,
            custom_data: None,
            promotion: None,
        }
    }

    /// Currency code instead of KRW; checked against a prepared currency.
    pub fn currency(mut self, currency: impl Into<String>) -> Purchase {
        self.currency = currency.into();
        self
    }

    /// The order title shown in the window.
    pub fn name(mut self, name: impl Into<String>) -> Purchase {
        self.name = Some(name.into());
        self
    }

    /// The buyer's name.
    pub fn buyer_name(mut self, name: impl Into<String>) -> Purchase {
        self.buyer.name = Some(name.into());
        self
    }

    /// The buyer's e-mail address.
    pub fn buyer_email(mut self, email: impl Into<String>) -> Purchase {
        self.buyer.email = Some(email.into());
        self
    }

    /// The buyer's phone number.
    pub fn buyer_tel(mut self, tel: impl Into<String>) -> Purchase {
        self.buyer.tel = Some(tel.into());
        self
    }

    /// Webhook URL for this payment, instead of the fake's default one.
    pub fn notice_url(mut self, url: impl Into<String>) -> Purchase {
        self.notice_url = Some(url.into());
        self
    }

    /// The merchant's own data kept with the payment, a JSON string.
    pub fn custom_data(mut self, data: impl Into<String>) -> Purchase {
        self.custom_data = Some(data.into());
        self
    }

    /// A card-company promotion the buyer's card qualifies for; card payments only.
    pub fn promotion(mut self, promotion: Promotion) -> Purchase {
        self.promotion = Some(promotion);
        self
    }
}

/// A card-company promotion (instant discount, 즉시할인) applied in the payment window.
///
/// The payment's `amount` stays the order total, the amount prepared and verified; the
/// buyer's card is charged `discount` less, which the card company covers, and the payment's
/// `promotion` shows it. The promotion's terms ask for an order total of at least
/// `min_amount`: a partial refund that leaves less breaks them, and the refund then takes the
/// discount back from the buyer (the buyer gets the refund less the discount) unless it is
/// sent with `retain_promotion`. PortOne documents only that flag; how the discount is taken
/// back is the fake's reading, described in its README.
#[derive(Debug, Clone)]
pub struct Promotion {
    id: String,
    discount: FakeAmount,
    min_amount: FakeAmount,
}

impl Promotion {
    /// The promotion `id` (PortOne's start with `promotion-id-`) taking `discount` off the
    /// order total, with no minimum total.
    pub fn new(id: impl Into<String>, discount: impl Into<FakeAmount>) -> Promotion {
        Promotion {
            id: id.into(),
            discount: discount.into(),
            min_amount: FakeAmount::from(0),
        }
    }

    /// The smallest order total the promotion's terms allow; the purchase must reach it.
    pub fn min_amount(mut self, amount: impl Into<FakeAmount>) -> Promotion {
        self.min_amount = amount.into();
        self
    }

    /// The promotion as a payment of `amount` in `currency` by `method` carries it, or why it
    /// cannot apply.
    fn apply(
        self,
        amount: f64,
        currency: &str,
        method: PayMethod,
    ) -> Result<AppliedPromotion, String> {
        let discount = self.discount.checked("promotion discount", currency)?;
        let min_amount = self.min_amount.checked("promotion min_amount", currency)?;
        if method != PayMethod::Card {
            return Err(format!(
                "a card-company promotion applies to card payments, not {}",
                method.as_str()
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
            id: self.id,
            discount,
            min_amount,
            reclaimed: false,
        })
    }
}

/// An amount registered for an order before it is paid.
pub(super) struct Prepared {
    amount: f64,
    currency: Option<String>,
}

/// Everything a new payment attempt needs; the ledger adds ids, times and status.
pub(super) struct Charge {
    pub merchant_uid: String,
    pub amount: f64,
    pub currency: String,
    pub tax_free: f64,
    pub vat_amount: Option<f64>,
    pub method: PayMethod,
    pub channel: &'static str,
    pub pg_provider: String,
    pub pg_id: String,
    pub name: Option<String>,
    pub buyer: Buyer,
    pub custom_data: Option<String>,
    pub notice_url: Option<String>,
    pub card: Option<Card>,
    pub vbank: Option<Vbank>,
    pub customer_uid: Option<String>,
    pub customer_uid_usage: Option<&'static str>,
    pub promotion: Option<AppliedPromotion>,
}

fn prepared_json(merchant_uid: &str, prepared: &Prepared) -> Value {
    json!({
        "merchant_uid": merchant_uid,
        "amount": amount(prepared.amount),
        "currency": prepared.currency,
    })
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

impl Ledger {
    pub(super) fn create_prepare(&mut self, call: &Call<'_>) -> Answer {
        let merchant_uid = required(call.body, "merchant_uid")?;
        if self.prepared.contains_key(merchant_uid) {
            return Err(refuse(200, 1, ALREADY_PREPARED));
        }
        let prepared = Prepared {
            amount: required_number(call.body, "amount")?,
            currency: owned(call.body, "currency"),
        };
        let response = prepared_json(merchant_uid, &prepared);
        self.prepared.insert(merchant_uid.to_owned(), prepared);
        ok(response)
    }

    pub(super) fn update_prepare(&mut self, call: &Call<'_>) -> Answer {
        let merchant_uid = required(call.body, "merchant_uid")?;
        let amount = required_number(call.body, "amount")?;
        let prepared = self
            .prepared
            .get_mut(merchant_uid)
            .ok_or_else(|| refuse(404, 1, NOT_PREPARED))?;
        prepared.amount = amount;
        prepared.currency = owned(call.body, "currency");
        ok(prepared_json(merchant_uid, prepared))
    }

    pub(super) fn get_prepare(&mut self, call: &Call<'_>) -> Answer {
        let merchant_uid = required(call.path, "merchant_uid")?;
        let prepared = self
            .prepared
            .get(merchant_uid)
            .ok_or_else(|| refuse(404, 1, NOT_PREPARED))?;
        ok(prepared_json(merchant_uid, prepared))
    }

    pub(super) fn pay_in_window(
        &mut self,
        purchase: Purchase,
        now: i64,
    ) -> Result<String, Refusal> {
        let unfit = |message: String| Refusal {
            status: 400,
            code: 1,
            message,
        };
        let amount = purchase
            .amount
            .checked("amount", &purchase.currency)
            .map_err(unfit)?;
        let method = purchase.method;
        let promotion = purchase
            .promotion
            .map(|p| p.apply(amount, &purchase.currency, method))
            .transpose()
            .map_err(unfit)?;
        let serial = self.serial + 1;
        let card = (method == PayMethod::Card).then(|| Card {
            masked_number: "536181******1234".to_owned(),
            code: "366",
            name: "신한카드",
            quota: 0,
        });
        let vbank = (method == PayMethod::Vbank).then(|| Vbank {
            code: "088".to_owned(),
            name: bank_name("088"),
            num: format!("5621110{serial:07}"),
            holder: "포트원".to_owned(),
            due: now + 3 * 86_400,
            issued_at: now,
        });
        let charge = Charge {
            merchant_uid: purchase.merchant_uid,
            amount,
            currency: purchase.currency,
            tax_free: 0.0,
            vat_amount: None,
            method,
            channel: "pc",
            pg_provider: method.pg_provider().to_owned(),
            pg_id: "INIpayTest".to_owned(),
            name: purchase.name,
            buyer: purchase.buyer,
            custom_data: purchase.custom_data,
            notice_url: purchase.notice_url,
            card,
            vbank,
            customer_uid: None,
            customer_uid_usage: None,
            promotion,
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
        if payment.vbank.is_none() || payment.status != Status::Ready {
            return Err(refuse(400, 1, VBANK_NOT_READY));
        }
        Ok(seq)
    }

    pub(super) fn issue_vbank(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let vbank_code = required(body, "vbank_code")?.to_owned();
        let serial = self.serial + 1;
        let amount = required_number(body, "amount")?;
        let tax_free = number(body, "tax_free").unwrap_or(0.0);
        let charge = Charge {
            merchant_uid: required(body, "merchant_uid")?.to_owned(),
            amount,
            currency: "KRW".to_owned(),
            tax_free,
            vat_amount: number(body, "vat_amount"),
            method: PayMethod::Vbank,
            channel: "api",
            pg_provider: "nice_v2".to_owned(),
            pg_id: "nictest00m".to_owned(),
            name: owned(body, "name"),
            buyer: Buyer {
                name: owned(body, "buyer_name"),
                email: owned(body, "buyer_email"),
                tel: owned(body, "buyer_tel"),
                addr: owned(body, "buyer_addr"),
                postcode: owned(body, "buyer_postcode"),
            },
            custom_data: owned(body, "custom_data"),
            notice_url: owned(body, "notice_url"),
            card: None,
            vbank: Some(Vbank {
                name: bank_name(&vbank_code),
                code: vbank_code,
                num: text(body, "vbank_num")
                    .map_or_else(|| format!("5621110{serial:07}"), str::to_owned),
                holder: text(body, "vbank_holder").unwrap_or("포트원").to_owned(),
                due: required_integer(body, "vbank_due")?,
                issued_at: call.now,
            }),
            customer_uid: None,
            customer_uid_usage: None,
            promotion: None,
        };
        let seq = self.charge(charge, call.now)?;
        ok(self.payments[seq].to_json())
    }

    /// Changes an unpaid virtual account's amount or deadline; 400 once it is not `ready`.
    pub(super) fn update_vbank(&mut self, call: &Call<'_>) -> Answer {
        let seq = self.ready_vbank(required(call.path, "imp_uid")?)?;
        let payment = &mut self.payments[seq];
        if let Some(amount) = number(call.body, "amount") {
            payment.amount = amount;
            payment.vat = default_vat(amount, payment.tax_free);
        }
        if let (Some(due), Some(vbank)) = (
            super::args::integer(call.body, "vbank_due"),
            payment.vbank.as_mut(),
        ) {
            vbank.due = due;
        }
        payment.updated_at = call.now;
        ok(payment.to_json())
    }

    /// Closes an unpaid virtual account. PortOne does not document the state that follows;
    /// the fake says `cancelled`, with nothing refunded, and sends no notice.
    pub(super) fn revoke_vbank(&mut self, call: &Call<'_>) -> Answer {
        let seq = self.ready_vbank(required(call.path, "imp_uid")?)?;
        let payment = &mut self.payments[seq];
        payment.status = Status::Cancelled;
        payment.cancelled_at = call.now;
        payment.updated_at = call.now;
        ok(payment.to_json())
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
                prepared.amount != charge.amount
                    || prepared
                        .currency
                        .as_ref()
                        .is_some_and(|c| *c != charge.currency)
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
        let serial = self.next_serial();
        let seq = self.payments.len();
        let status = match (fail_reason, charge.vbank.is_some()) {
            (Some(_), _) => Status::Failed,
            (None, true) => Status::Ready,
            (None, false) => Status::Paid,
        };
        let imp_uid = format!("imp_{serial:012}");
        self.payments.push(PaymentRecord {
            seq,
            imp_uid: imp_uid.clone(),
            merchant_uid: charge.merchant_uid,
            method: charge.method,
            channel: charge.channel,
            pg_provider: charge.pg_provider,
            pg_id: charge.pg_id,
            pg_tid: format!("fake_tid_{serial:012}"),
            name: charge.name,
            buyer: charge.buyer,
            custom_data: charge.custom_data,
            notice_url: charge.notice_url,
            card: charge.card,
            vbank: charge.vbank,
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
            fail_reason: fail_reason.map(str::to_owned),
            customer_uid: charge.customer_uid,
            customer_uid_usage: charge.customer_uid_usage,
            promotion: charge.promotion,
        });
        self.by_imp_uid.insert(imp_uid, seq);
        if status != Status::Failed {
            self.notify(seq, None);
        }
        seq
    }
}
