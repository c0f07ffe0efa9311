//! Billing keys (issue, look up, delete, list their payments) and the charges made without a
//! payment window: `pay_onetime` with card details and `pay_again` with a billing key.

use serde_json::{Map, Value};

use super::args::{
    Answer, BAD_CARD, NO_SUCH_BILLING_KEY, integer, number, ok, owned, page, refuse, required,
    required_number, several, strings, text,
};
use super::lookup::{payment_page, sort};
use super::prepare::{Charge, currency};
use super::record::{Buyer, Card, PaymentRecord, expiry_valid, mask_card_number};
use super::state::Ledger;
use crate::exchange::{Call, Refusal};
use crate::spec;

/// The card company the fake reports for every card.
const CARD_CODE: &str = "366";
const CARD_NAME: &str = "신한카드";

/// A billing key for `customer_uid` at `pg`, holding a masked card number only (the fake
/// never keeps a full one), issued `now`.
pub(super) fn billing_key(
    customer_uid: &str,
    (pg_provider, pg_id): (spec::PgProvider, String),
    masked_number: String,
    customer_id: Option<String>,
    customer: Buyer,
    now: i64,
) -> spec::BillingKey {
    spec::BillingKey {
        customer_uid: customer_uid.to_owned(),
        pg_provider,
        pg_id,
        inserted: now,
        updated: 0,
        optional: spec::BillingKeyOptional {
            sandbox: Some(false),
            customer_id,
            card_name: Some(CARD_NAME.to_owned()),
            card_code: Some(CARD_CODE.to_owned()),
            card_number: Some(masked_number),
            card_type: Some(0),
            customer_name: customer.name,
            customer_tel: customer.tel,
            customer_email: customer.email,
            customer_addr: customer.addr,
            customer_postcode: customer.postcode,
            ..Default::default()
        },
    }
}

/// The card a charge on `key` is made with.
pub(super) fn key_card(key: &spec::BillingKey, quota: i64) -> Card {
    let o = &key.optional;
    Card {
        masked_number: o.card_number.clone().unwrap_or_default(),
        code: o.card_code.clone().unwrap_or_else(|| CARD_CODE.to_owned()),
        name: o.card_name.clone().unwrap_or_else(|| CARD_NAME.to_owned()),
        quota,
    }
}

/// The buyer details a key keeps about its holder.
pub(super) fn key_holder(key: &spec::BillingKey) -> Buyer {
    let o = &key.optional;
    Buyer {
        name: o.customer_name.clone(),
        email: o.customer_email.clone(),
        tel: o.customer_tel.clone(),
        addr: o.customer_addr.clone(),
        postcode: o.customer_postcode.clone(),
    }
}

/// The PG of a `pg` request value (`{pg}` or `{pg}.{merchant id}`); nice's test merchant when
/// unset or naming no PG the spec lists, as if it were the merchant's default PG.
pub(super) fn pg_of(pg: Option<&str>) -> (spec::PgProvider, String) {
    let default = || (spec::PgProvider::Nice, "nictest04m".to_owned());
    let Some(pg) = pg else { return default() };
    let (provider, id) = pg.split_once('.').unwrap_or((pg, "nictest04m"));
    match spec::PgProvider::from_wire(provider) {
        Some(provider) => (provider, id.to_owned()),
        None => default(),
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

/// The buyer details of a request whose fields start with `prefix` (`buyer`, `customer`).
pub(super) fn buyer(body: &Map<String, Value>, prefix: &str) -> Buyer {
    Buyer {
        name: owned(body, &format!("{prefix}_name")),
        email: owned(body, &format!("{prefix}_email")),
        tel: owned(body, &format!("{prefix}_tel")),
        addr: owned(body, &format!("{prefix}_addr")),
        postcode: owned(body, &format!("{prefix}_postcode")),
    }
}

/// What a charge on a billing key or card details shows: a card paid through the API.
fn api_card_payment(
    body: &Map<String, Value>,
    (pg_provider, pg_id): (spec::PgProvider, String),
    card: Option<Card>,
    customer_uid: Option<String>,
    usage: Option<spec::CustomerUidUsage>,
) -> spec::PaymentOptional {
    let mut shown = spec::PaymentOptional {
        pay_method: Some(spec::PayMethod::Card),
        channel: Some(spec::PaymentChannel::Api),
        pg_provider: Some(pg_provider),
        pg_id: Some(pg_id),
        name: owned(body, "name"),
        custom_data: owned(body, "custom_data"),
        customer_uid,
        customer_uid_usage: usage,
        ..Default::default()
    };
    buyer(body, "buyer").show(&mut shown);
    if let Some(card) = card {
        card.show(&mut shown);
    }
    shown
}

impl Ledger {
    /// Issues (or replaces) a billing key from card details. A super billing key
    /// (`channel_group_id`) is not modelled: the server answers the spec's sample.
    pub(super) fn issue_billing_key(&mut self, call: &Call<'_>) -> Option<Answer> {
        if text(call.body, "channel_group_id").is_some() {
            return None;
        }
        Some(self.store_key(call))
    }

    fn store_key(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = required(call.path, "customer_uid")?;
        let body = call.body;
        let masked = check_card(text(body, "card_number"), text(body, "expiry"), call.now)?;
        let key = billing_key(
            customer_uid,
            pg_of(text(body, "pg")),
            masked,
            owned(body, "customer_id"),
            buyer(body, "customer"),
            call.now,
        );
        ok(self.keep_key(key, call.now))
    }

    /// Stores a key; one issued again under the same id keeps its first `inserted` time and
    /// gets `updated`.
    pub(super) fn keep_key(&mut self, mut key: spec::BillingKey, now: i64) -> &spec::BillingKey {
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
            .ok_or_else(Self::no_key)?)
    }

    /// 200 when every key was found, 207 with the found ones when some were, 404 when none.
    pub(super) fn get_billing_keys(&mut self, call: &Call<'_>) -> Answer {
        let ids = strings(call.query, "customer_uids");
        let found: Vec<&spec::BillingKey> = ids
            .iter()
            .filter_map(|id| self.billing_keys.get(id))
            .collect();
        several(found, ids.len(), Self::no_key())
    }

    /// Deletes a key and answers it; schedules booked on it then fail when they run.
    pub(super) fn delete_billing_key(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = required(call.path, "customer_uid")?;
        ok(&self
            .billing_keys
            .remove(customer_uid)
            .ok_or_else(Self::no_key)?)
    }

    /// The payments made with a key (or that issued it), newest first, 20 a page; 404 for a key
    /// that neither exists nor was ever used.
    pub(super) fn list_billing_key_payments(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = required(call.path, "customer_uid")?;
        let mut found: Vec<&PaymentRecord> = self
            .payments
            .iter()
            .filter(|p| p.shown.customer_uid.as_deref() == Some(customer_uid))
            .collect();
        if found.is_empty() && !self.billing_keys.contains_key(customer_uid) {
            return Err(Self::no_key());
        }
        sort(&mut found, None)?;
        ok(&payment_page(page(
            found,
            integer(call.query, "page"),
            None,
        )?))
    }

    /// A charge from card details. Card details the PG would refuse record a `failed` payment
    /// and are refused with code -1; with `customer_uid` the card is also kept as a billing key.
    pub(super) fn pay_onetime(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let merchant_uid = required(body, "merchant_uid")?;
        self.ensure_unpaid(merchant_uid)?;
        let card = check_card(text(body, "card_number"), text(body, "expiry"), call.now);
        let customer_uid = owned(body, "customer_uid");
        let pg = pg_of(text(body, "pg"));
        let quota = integer(body, "card_quota").unwrap_or(0);
        let shown = api_card_payment(
            body,
            pg.clone(),
            card.as_ref().ok().map(|masked| Card {
                masked_number: masked.clone(),
                code: CARD_CODE.to_owned(),
                name: CARD_NAME.to_owned(),
                quota,
            }),
            customer_uid.clone(),
            customer_uid.as_ref().map(|_| spec::CustomerUidUsage::Issue),
        );
        let charge = Charge {
            merchant_uid: merchant_uid.to_owned(),
            amount: required_number(body, "amount")?,
            currency: currency(body)?,
            tax_free: number(body, "tax_free").unwrap_or(0.0),
            vat_amount: number(body, "vat_amount"),
            notice_url: owned(body, "notice_url"),
            promotion: None,
            shown,
        };
        let masked = match card {
            Ok(masked) => masked,
            Err(refusal) => {
                self.record(charge, call.now, Some(&refusal.message));
                return Err(refusal);
            }
        };
        let key = customer_uid.map(|customer_uid| {
            billing_key(
                &customer_uid,
                pg,
                masked,
                None,
                buyer(body, "buyer"),
                call.now,
            )
        });
        let seq = self.charge(charge, call.now)?;
        if let Some(key) = key {
            self.keep_key(key, call.now);
        }
        ok(&self.payments[seq].to_shape())
    }

    /// A charge on a billing key; an unknown key is refused (code 1, HTTP 200).
    pub(super) fn pay_again(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let customer_uid = required(body, "customer_uid")?;
        let key = self
            .billing_keys
            .get(customer_uid)
            .ok_or_else(|| refuse(200, 1, NO_SUCH_BILLING_KEY))?;
        let shown = api_card_payment(
            body,
            (key.pg_provider, key.pg_id.clone()),
            Some(key_card(key, integer(body, "card_quota").unwrap_or(0))),
            Some(customer_uid.to_owned()),
            Some(spec::CustomerUidUsage::Payment),
        );
        let charge = Charge {
            merchant_uid: required(body, "merchant_uid")?.to_owned(),
            amount: required_number(body, "amount")?,
            currency: currency(body)?,
            tax_free: number(body, "tax_free").unwrap_or(0.0),
            vat_amount: number(body, "vat_amount"),
            notice_url: owned(body, "notice_url"),
            promotion: None,
            shown,
        };
        let seq = self.charge(charge, call.now)?;
        ok(&self.payments[seq].to_shape())
    }
}
