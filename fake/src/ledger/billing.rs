//! Billing keys (issue, look up, delete, list their payments) and the charges made without a
//! payment window: `pay_onetime` with card details and `pay_again` with a billing key.

use serde_json::{Value, json};

use super::Ledger;
use super::args::{
    Answer, BAD_CARD, NO_SUCH_BILLING_KEY, integer, number, ok, owned, page, refuse, required,
    required_number, several, strings, text,
};
use super::lookup::sort;
use super::prepare::{Charge, PayMethod};
use super::record::{Buyer, Card, PaymentRecord, expiry_valid, mask_card_number};
use crate::exchange::{Call, Refusal};

/// A stored card. Only the masked number is kept: the fake never holds a full card number.
pub(super) struct BillingKey {
    pub customer_uid: String,
    pub pg_provider: String,
    pub pg_id: String,
    pub masked_number: String,
    pub customer_id: Option<String>,
    pub customer: Buyer,
    pub inserted: i64,
    pub updated: i64,
}

/// The card company the fake reports for every card.
const CARD_CODE: &str = "366";
const CARD_NAME: &str = "신한카드";

impl BillingKey {
    /// The spec's `BillingKey`, every field present.
    fn to_json(&self) -> Value {
        json!({
            "customer_uid": self.customer_uid,
            "pg_provider": self.pg_provider,
            "pg_id": self.pg_id,
            "sandbox": false,
            "customer_id": self.customer_id,
            "card_name": CARD_NAME,
            "card_code": CARD_CODE,
            "card_issuer_code": null,
            "card_issuer_name": null,
            "card_publisher_code": null,
            "card_publisher_name": null,
            "card_number": self.masked_number,
            "card_type": 0,
            "customer_name": self.customer.name,
            "customer_tel": self.customer.tel,
            "customer_email": self.customer.email,
            "customer_addr": self.customer.addr,
            "customer_postcode": self.customer.postcode,
            "inserted": self.inserted,
            "updated": self.updated,
        })
    }

    pub(super) fn card(&self, quota: i64) -> Card {
        Card {
            masked_number: self.masked_number.clone(),
            code: CARD_CODE,
            name: CARD_NAME,
            quota,
        }
    }
}

/// The PG of a `pg` request value (`{pg}` or `{pg}.{merchant id}`); nice's test merchant when
/// unset, as if it were the merchant's default PG.
fn pg_of(pg: Option<&str>) -> (String, String) {
    match pg.map(|pg| pg.split_once('.').unwrap_or((pg, "nictest04m"))) {
        Some((provider, id)) => (provider.to_owned(), id.to_owned()),
        None => ("nice".to_owned(), "nictest04m".to_owned()),
    }
}

/// The masked card number of card details the PG would accept: a 14 to 16 digit number and
/// an expiry (`YYYY-MM`) not before the current month. Anything else is the PG's refusal
/// (code -1, HTTP 200): pass an expired card to test a decline.
pub(super) fn check_card(
    number: Option<&str>,
    expiry: Option<&str>,
    now: i64,
) -> Result<String, Refusal> {
    let masked = number.and_then(mask_card_number);
    match masked {
        Some(masked) if expiry.is_some_and(|e| expiry_valid(e, now)) => Ok(masked),
        _ => Err(refuse(200, -1, BAD_CARD)),
    }
}

fn buyer(body: &serde_json::Map<String, Value>, prefix: &str) -> Buyer {
    Buyer {
        name: owned(body, &format!("{prefix}_name")),
        email: owned(body, &format!("{prefix}_email")),
        tel: owned(body, &format!("{prefix}_tel")),
        addr: owned(body, &format!("{prefix}_addr")),
        postcode: owned(body, &format!("{prefix}_postcode")),
    }
}

impl Ledger {
    /// Issues (or replaces) a billing key from card details. A super billing key
    /// (`channel_group_id`) is not modelled: the server answers the spec's sample.
    pub(super) fn issue_billing_key(&mut self, call: &Call<'_>) -> Option<Answer> {
        if text(call.body, "channel_group_id").is_some() {
            return None;
        }
        Some(
            self.store_key(call, required(call.path, "customer_uid"))
                .map(|key| (200, key)),
        )
    }

    fn store_key(
        &mut self,
        call: &Call<'_>,
        customer_uid: Result<&str, Refusal>,
    ) -> Result<Value, Refusal> {
        let customer_uid = customer_uid?;
        let body = call.body;
        let masked = check_card(text(body, "card_number"), text(body, "expiry"), call.now)?;
        let (pg_provider, pg_id) = pg_of(text(body, "pg"));
        let key = BillingKey {
            customer_uid: customer_uid.to_owned(),
            pg_provider,
            pg_id,
            masked_number: masked,
            customer_id: owned(body, "customer_id"),
            customer: buyer(body, "customer"),
            inserted: call.now,
            updated: 0,
        };
        Ok(self.keep_key(key, call.now).to_json())
    }

    /// Stores a key; one issued again under the same id keeps its first `inserted` time and
    /// gets `updated`.
    fn keep_key(&mut self, mut key: BillingKey, now: i64) -> &BillingKey {
        if let Some(old) = self.billing_keys.get(&key.customer_uid) {
            key.inserted = old.inserted;
            key.updated = now;
        }
        let customer_uid = key.customer_uid.clone();
        self.billing_keys.insert(customer_uid.clone(), key);
        &self.billing_keys[&customer_uid]
    }

    fn no_key() -> Refusal {
        refuse(404, 1, NO_SUCH_BILLING_KEY)
    }

    pub(super) fn get_billing_key(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = required(call.path, "customer_uid")?;
        ok(self
            .billing_keys
            .get(customer_uid)
            .ok_or_else(Self::no_key)?
            .to_json())
    }

    /// 200 when every key was found, 207 with the found ones when some were, 404 when none.
    pub(super) fn get_billing_keys(&mut self, call: &Call<'_>) -> Answer {
        let ids = strings(call.query, "customer_uids");
        let found = ids
            .iter()
            .filter_map(|id| self.billing_keys.get(id))
            .map(BillingKey::to_json)
            .collect();
        several(found, ids.len(), Self::no_key())
    }

    /// Deletes a key and answers it; schedules booked on it then fail when they run.
    pub(super) fn delete_billing_key(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = required(call.path, "customer_uid")?;
        ok(self
            .billing_keys
            .remove(customer_uid)
            .ok_or_else(Self::no_key)?
            .to_json())
    }

    /// The payments made with a key (or that issued it), newest first, 20 a page; 404 for a key
    /// that neither exists nor was ever used.
    pub(super) fn list_billing_key_payments(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = required(call.path, "customer_uid")?;
        let mut found: Vec<&PaymentRecord> = self
            .payments
            .iter()
            .filter(|p| p.customer_uid.as_deref() == Some(customer_uid))
            .collect();
        if found.is_empty() && !self.billing_keys.contains_key(customer_uid) {
            return Err(Self::no_key());
        }
        sort(&mut found, None)?;
        page(
            found.into_iter().map(PaymentRecord::to_json).collect(),
            integer(call.query, "page"),
            None,
        )
    }

    /// A charge from card details. Card details the PG would refuse record a `failed` payment
    /// and are refused with code -1; with `customer_uid` the card is also kept as a billing key.
    pub(super) fn pay_onetime(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let merchant_uid = required(body, "merchant_uid")?;
        self.ensure_unpaid(merchant_uid)?;
        let card = check_card(text(body, "card_number"), text(body, "expiry"), call.now);
        let customer_uid = owned(body, "customer_uid");
        let (pg_provider, pg_id) = pg_of(text(body, "pg"));
        let charge = Charge {
            merchant_uid: merchant_uid.to_owned(),
            amount: required_number(body, "amount")?,
            currency: text(body, "currency").unwrap_or("KRW").to_owned(),
            tax_free: number(body, "tax_free").unwrap_or(0.0),
            vat_amount: number(body, "vat_amount"),
            method: PayMethod::Card,
            channel: "api",
            pg_provider: pg_provider.clone(),
            pg_id: pg_id.clone(),
            name: owned(body, "name"),
            buyer: buyer(body, "buyer"),
            custom_data: owned(body, "custom_data"),
            notice_url: owned(body, "notice_url"),
            card: card.as_ref().ok().map(|masked| Card {
                masked_number: masked.clone(),
                code: CARD_CODE,
                name: CARD_NAME,
                quota: integer(body, "card_quota").unwrap_or(0),
            }),
            vbank: None,
            customer_uid: customer_uid.clone(),
            customer_uid_usage: customer_uid.as_ref().map(|_| "issue"),
            promotion: None,
        };
        let masked = match card {
            Ok(masked) => masked,
            Err(refusal) => {
                self.record(charge, call.now, Some(&refusal.message));
                return Err(refusal);
            }
        };
        let key = customer_uid.map(|customer_uid| BillingKey {
            customer_uid,
            pg_provider,
            pg_id,
            masked_number: masked,
            customer_id: None,
            customer: charge.buyer.clone(),
            inserted: call.now,
            updated: 0,
        });
        let seq = self.charge(charge, call.now)?;
        if let Some(key) = key {
            self.keep_key(key, call.now);
        }
        ok(self.payments[seq].to_json())
    }

    /// A charge on a billing key; an unknown key is refused (code 1, HTTP 200).
    pub(super) fn pay_again(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let customer_uid = required(body, "customer_uid")?;
        let key = self
            .billing_keys
            .get(customer_uid)
            .ok_or_else(|| refuse(200, 1, NO_SUCH_BILLING_KEY))?;
        let charge = Charge {
            merchant_uid: required(body, "merchant_uid")?.to_owned(),
            amount: required_number(body, "amount")?,
            currency: text(body, "currency").unwrap_or("KRW").to_owned(),
            tax_free: number(body, "tax_free").unwrap_or(0.0),
            vat_amount: number(body, "vat_amount"),
            method: PayMethod::Card,
            channel: "api",
            pg_provider: key.pg_provider.clone(),
            pg_id: key.pg_id.clone(),
            name: owned(body, "name"),
            buyer: buyer(body, "buyer"),
            custom_data: owned(body, "custom_data"),
            notice_url: owned(body, "notice_url"),
            card: Some(key.card(integer(body, "card_quota").unwrap_or(0))),
            vbank: None,
            customer_uid: Some(customer_uid.to_owned()),
            customer_uid_usage: Some("payment"),
            promotion: None,
        };
        let seq = self.charge(charge, call.now)?;
        ok(self.payments[seq].to_json())
    }
}
