//! Scheduled charges on billing keys: book, list, look up, move, revoke, rebook, retry, and
//! run the due ones.

use serde_json::{Map, Value, json};

use super::Ledger;
use super::args::{
    ALREADY_SCHEDULED, Answer, KEY_DELETED, NO_SUCH_BILLING_KEY, NO_SUCH_SCHEDULE,
    NOTHING_TO_REVOKE, PAST_TIME, SCHEDULE_STATE, THREE_MONTHS, amount, bad, integer, number, ok,
    owned, page, refuse, required, required_integer, required_number, strings, text,
};
use super::billing::{BillingKey, check_card};
use super::prepare::{Charge, PayMethod};
use super::record::{Buyer, Status};
use crate::exchange::{Call, Refusal};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Scheduled,
    Executed,
    Revoked,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Scheduled => "scheduled",
            State::Executed => "executed",
            State::Revoked => "revoked",
        }
    }
}

pub(super) struct ScheduleRecord {
    customer_uid: String,
    merchant_uid: String,
    customer_id: Option<String>,
    /// The PG of the billing key when it was booked.
    pg_provider: String,
    pg_id: String,
    schedule_at: i64,
    executed_at: i64,
    revoked_at: i64,
    amount: f64,
    currency: String,
    tax_free: f64,
    vat_amount: Option<f64>,
    name: Option<String>,
    buyer: Buyer,
    custom_data: Option<String>,
    notice_url: Option<String>,
    state: State,
    /// The payment of its last run.
    imp_uid: Option<String>,
    fail_reason: Option<String>,
}

impl ScheduleRecord {
    /// Whether its last run failed, so that it may be rebooked or retried.
    fn failed(&self, ledger: &Ledger) -> bool {
        self.state == State::Executed
            && self
                .imp_uid
                .as_deref()
                .and_then(|id| ledger.find_record(id))
                .is_none_or(|p| p.status == Status::Failed)
    }

    /// The spec's `Schedule`, every field present; `payment_status` follows the payment, so
    /// a refunded charge reads `cancelled`.
    fn to_json(&self, ledger: &Ledger) -> Value {
        let payment = self
            .imp_uid
            .as_deref()
            .and_then(|id| ledger.find_record(id));
        let payment_status = match (self.state, payment) {
            (State::Executed, Some(p)) => json!(p.status.as_str()),
            (State::Executed, None) => json!(Status::Failed.as_str()),
            _ => Value::Null,
        };
        json!({
            "customer_uid": self.customer_uid,
            "merchant_uid": self.merchant_uid,
            "imp_uid": self.imp_uid,
            "pg_provider": self.pg_provider,
            "pg_id": self.pg_id,
            "customer_id": self.customer_id,
            "schedule_at": self.schedule_at,
            "executed_at": self.executed_at,
            "revoked_at": self.revoked_at,
            "amount": amount(self.amount),
            "currency": self.currency,
            "name": self.name,
            "buyer_name": self.buyer.name,
            "buyer_email": self.buyer.email,
            "buyer_tel": self.buyer.tel,
            "buyer_addr": self.buyer.addr,
            "buyer_postcode": self.buyer.postcode,
            "custom_data": self.custom_data,
            "schedule_status": self.state.as_str(),
            "payment_status": payment_status,
            "fail_reason": self.fail_reason,
            "promotion_id": null,
        })
    }
}

/// A booking entry read into a schedule of `key`; buyer details left out come from the key.
fn entry(
    entry: &Map<String, Value>,
    key: &BillingKey,
    now: i64,
) -> Result<ScheduleRecord, Refusal> {
    let schedule_at = required_integer(entry, "schedule_at")?;
    if schedule_at <= now {
        return Err(refuse(400, 1, PAST_TIME));
    }
    let or_key =
        |field: &str, from_key: &Option<String>| owned(entry, field).or_else(|| from_key.clone());
    Ok(ScheduleRecord {
        customer_uid: key.customer_uid.clone(),
        merchant_uid: required(entry, "merchant_uid")?.to_owned(),
        customer_id: key.customer_id.clone(),
        pg_provider: key.pg_provider.clone(),
        pg_id: key.pg_id.clone(),
        schedule_at,
        executed_at: 0,
        revoked_at: 0,
        amount: required_number(entry, "amount")?,
        currency: text(entry, "currency").unwrap_or("KRW").to_owned(),
        tax_free: number(entry, "tax_free").unwrap_or(0.0),
        vat_amount: number(entry, "vat_amount"),
        name: owned(entry, "name"),
        buyer: Buyer {
            name: or_key("buyer_name", &key.customer.name),
            email: or_key("buyer_email", &key.customer.email),
            tel: or_key("buyer_tel", &key.customer.tel),
            addr: or_key("buyer_addr", &key.customer.addr),
            postcode: or_key("buyer_postcode", &key.customer.postcode),
        },
        custom_data: owned(entry, "custom_data"),
        notice_url: owned(entry, "notice_url"),
        state: State::Scheduled,
        imp_uid: None,
        fail_reason: None,
    })
}

impl Ledger {
    /// The latest schedule booked for an order id.
    fn schedule_index(&self, merchant_uid: &str) -> Result<usize, Refusal> {
        self.schedules
            .iter()
            .rposition(|s| s.merchant_uid == merchant_uid)
            .ok_or_else(|| refuse(404, 1, NO_SUCH_SCHEDULE))
    }

    fn schedules_json(&self, indexes: impl IntoIterator<Item = usize>) -> Vec<Value> {
        indexes
            .into_iter()
            .map(|i| self.schedules[i].to_json(self))
            .collect()
    }

    /// Books every entry or none. A billing key that does not exist yet is issued from the card
    /// fields first (refused with code 1 without them, -1 for a card the PG would refuse).
    /// Refused: a time not in the future (400), an order id already pending or paid, or given
    /// twice (code 1).
    pub(super) fn create_schedules(&mut self, call: &Call<'_>) -> Answer {
        let body = call.body;
        let customer_uid = required(body, "customer_uid")?;
        let issued = match self.billing_keys.get(customer_uid) {
            Some(_) => None,
            None if text(body, "card_number").is_none() => {
                return Err(refuse(200, 1, NO_SUCH_BILLING_KEY));
            }
            None => Some(BillingKey {
                customer_uid: customer_uid.to_owned(),
                pg_provider: "nice".to_owned(),
                pg_id: "nictest04m".to_owned(),
                masked_number: check_card(
                    text(body, "card_number"),
                    text(body, "expiry"),
                    call.now,
                )?,
                customer_id: owned(body, "customer_id"),
                customer: Buyer::default(),
                inserted: call.now,
                updated: 0,
            }),
        };
        let key = issued
            .as_ref()
            .or_else(|| self.billing_keys.get(customer_uid))
            .ok_or_else(|| bad("customer_uid"))?;
        let entries = match body.get("schedules") {
            Some(Value::Array(entries)) if !entries.is_empty() => entries,
            _ => return Err(bad("schedules")),
        };
        let mut booked: Vec<ScheduleRecord> = Vec::new();
        for value in entries {
            let schedule = entry(
                value.as_object().ok_or_else(|| bad("schedules"))?,
                key,
                call.now,
            )?;
            let taken = booked
                .iter()
                .any(|s| s.merchant_uid == schedule.merchant_uid)
                || self.schedules.iter().any(|s| {
                    s.merchant_uid == schedule.merchant_uid && s.state == State::Scheduled
                })
                || self
                    .payments
                    .iter()
                    .any(|p| p.merchant_uid == schedule.merchant_uid && p.status == Status::Paid);
            if taken {
                return Err(refuse(200, 1, ALREADY_SCHEDULED));
            }
            booked.push(schedule);
        }
        if let Some(key) = issued {
            self.billing_keys.insert(key.customer_uid.clone(), key);
        }
        let first = self.schedules.len();
        self.schedules.extend(booked);
        ok(Value::Array(
            self.schedules_json(first..self.schedules.len()),
        ))
    }

    /// Revokes the pending schedules of a billing key, of order ids, or of those order ids of
    /// that key; none matching is refused with code 1, as PortOne does.
    pub(super) fn revoke_schedules(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = text(call.body, "customer_uid");
        let merchant_uids = strings(call.body, "merchant_uid");
        if customer_uid.is_none() && merchant_uids.is_empty() {
            return Err(bad("customer_uid"));
        }
        let revoked: Vec<usize> = (0..self.schedules.len())
            .filter(|&i| {
                let s = &self.schedules[i];
                s.state == State::Scheduled
                    && customer_uid.is_none_or(|c| s.customer_uid == c)
                    && (merchant_uids.is_empty() || merchant_uids.contains(&s.merchant_uid))
            })
            .collect();
        if revoked.is_empty() {
            return Err(refuse(200, 1, NOTHING_TO_REVOKE));
        }
        for &i in &revoked {
            self.schedules[i].state = State::Revoked;
            self.schedules[i].revoked_at = call.now;
        }
        ok(Value::Array(self.schedules_json(revoked)))
    }

    pub(super) fn get_schedule(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        ok(self.schedules[i].to_json(self))
    }

    /// A new future time for a pending schedule (400 otherwise).
    pub(super) fn update_schedule_time(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        if self.schedules[i].state != State::Scheduled {
            return Err(refuse(400, 1, SCHEDULE_STATE));
        }
        self.set_time(i, call)
    }

    /// Books a revoked or failed schedule again for a new future time (400 otherwise).
    pub(super) fn reschedule(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        let schedule = &self.schedules[i];
        if schedule.state != State::Revoked && !schedule.failed(self) {
            return Err(refuse(400, 1, SCHEDULE_STATE));
        }
        let schedule = &mut self.schedules[i];
        (schedule.state, schedule.executed_at, schedule.revoked_at) = (State::Scheduled, 0, 0);
        (schedule.imp_uid, schedule.fail_reason) = (None, None);
        self.set_time(i, call)
    }

    fn set_time(&mut self, i: usize, call: &Call<'_>) -> Answer {
        let at = required_integer(call.body, "schedule_at")?;
        if at <= call.now {
            return Err(refuse(400, 1, PAST_TIME));
        }
        self.schedules[i].schedule_at = at;
        ok(self.schedules[i].to_json(self))
    }

    /// Runs a revoked or failed schedule now and answers its payment, which may be `failed`
    /// (400 for a schedule still pending or paid).
    pub(super) fn retry_schedule(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        let schedule = &self.schedules[i];
        if schedule.state != State::Revoked && !schedule.failed(self) {
            return Err(refuse(400, 1, SCHEDULE_STATE));
        }
        self.execute(i, call.now);
        let payment = self.schedules[i]
            .imp_uid
            .as_deref()
            .and_then(|id| self.find_record(id));
        match payment {
            Some(payment) => ok(payment.to_json()),
            None => Err(refuse(
                200,
                1,
                self.schedules[i]
                    .fail_reason
                    .as_deref()
                    .unwrap_or(SCHEDULE_STATE),
            )),
        }
    }

    /// Every pending schedule due at or before `at`, in time order (booking order for equal
    /// times); returns the imp_uids of the payments made.
    pub(super) fn run_due(&mut self, at: i64) -> Vec<String> {
        let mut due: Vec<usize> = (0..self.schedules.len())
            .filter(|&i| {
                self.schedules[i].state == State::Scheduled && self.schedules[i].schedule_at <= at
            })
            .collect();
        due.sort_by_key(|&i| (self.schedules[i].schedule_at, i));
        due.into_iter()
            .filter_map(|i| self.execute(i, at))
            .collect()
    }

    /// Charges a schedule's billing key like `pay_again`. A deleted key, an order id paid
    /// meanwhile or a prepared-amount mismatch makes the run fail: the schedule is `executed`
    /// with the failure's `fail_reason`, and a `failed` notice is sent when a payment was
    /// recorded (scheduled charges notify failures too). Returns the payment's imp_uid.
    fn execute(&mut self, i: usize, at: i64) -> Option<String> {
        let s = &self.schedules[i];
        let key = self.billing_keys.get(&s.customer_uid);
        let charge = Charge {
            merchant_uid: s.merchant_uid.clone(),
            amount: s.amount,
            currency: s.currency.clone(),
            tax_free: s.tax_free,
            vat_amount: s.vat_amount,
            method: PayMethod::Card,
            channel: "api",
            pg_provider: s.pg_provider.clone(),
            pg_id: s.pg_id.clone(),
            name: s.name.clone(),
            buyer: s.buyer.clone(),
            custom_data: s.custom_data.clone(),
            notice_url: s.notice_url.clone(),
            card: key.map(|key| key.card(0)),
            vbank: None,
            customer_uid: Some(s.customer_uid.clone()),
            customer_uid_usage: Some("payment.scheduled"),
            promotion: None,
        };
        let before = self.payments.len();
        let outcome = if key.is_some() {
            self.charge(charge, at).map_err(|refusal| refusal.message)
        } else {
            self.record(charge, at, Some(KEY_DELETED));
            Err(KEY_DELETED.to_owned())
        };
        let seq = (self.payments.len() > before).then(|| self.payments.len() - 1);
        let schedule = &mut self.schedules[i];
        schedule.state = State::Executed;
        schedule.executed_at = at;
        schedule.imp_uid = seq.map(|seq| self.payments[seq].imp_uid.clone());
        schedule.fail_reason = outcome.err();
        let imp_uid = schedule.imp_uid.clone();
        if let (Some(seq), true) = (seq, schedule.fail_reason.is_some()) {
            self.notify(seq, None);
        }
        imp_uid
    }

    /// Schedules of every key whose time is in `schedule_from..schedule_to`, newest first
    /// (oldest first with `sorting=scheduled`), paged.
    pub(super) fn list_schedules_by_range(&mut self, call: &Call<'_>) -> Answer {
        let q = call.query;
        let window = (
            required_integer(q, "schedule_from")?,
            required_integer(q, "schedule_to")?,
        );
        let ascending = match text(q, "sorting") {
            None => false,
            Some("scheduled") => true,
            Some(_) => return Err(bad("sorting")),
        };
        self.list_schedules(call, None, window, ascending, integer(q, "limit"))
    }

    /// Schedules of one key whose time is in `from..to`, newest first, 20 a page.
    pub(super) fn list_schedules_by_customer(&mut self, call: &Call<'_>) -> Answer {
        let customer_uid = required(call.path, "customer_uid")?;
        let window = (
            required_integer(call.query, "from")?,
            required_integer(call.query, "to")?,
        );
        self.list_schedules(call, Some(customer_uid), window, false, None)
    }

    /// The lists' shared rules: the window is at most three months (400 otherwise), the start
    /// inclusive and the end exclusive; `schedule_status` filters; the answer is a page
    /// (`SchedulePage`, the shape the official Java client reads and the only one that pages).
    fn list_schedules(
        &self,
        call: &Call<'_>,
        customer_uid: Option<&str>,
        (from, to): (i64, i64),
        ascending: bool,
        limit: Option<i64>,
    ) -> Answer {
        if from >= to || to - from > THREE_MONTHS {
            return Err(bad("from"));
        }
        let state = match text(call.query, "schedule_status") {
            None => None,
            Some("scheduled") => Some(State::Scheduled),
            Some("executed") => Some(State::Executed),
            Some("revoked") => Some(State::Revoked),
            Some(_) => return Err(bad("schedule_status")),
        };
        let mut found: Vec<usize> = (0..self.schedules.len())
            .filter(|&i| {
                let s = &self.schedules[i];
                (from..to).contains(&s.schedule_at)
                    && customer_uid.is_none_or(|c| s.customer_uid == c)
                    && state.is_none_or(|state| s.state == state)
            })
            .collect();
        found.sort_by_key(|&i| (self.schedules[i].schedule_at, i));
        if !ascending {
            found.reverse();
        }
        page(
            self.schedules_json(found),
            integer(call.query, "page"),
            limit,
        )
    }
}
