//! Scheduled charges on billing keys: book, list, look up, move, revoke, rebook, retry, and
//! run the due ones.

use serde_json::{Map, Value};

use super::args::{
    ALREADY_SCHEDULED, Answer, KEY_DELETED, NO_SUCH_BILLING_KEY, NO_SUCH_SCHEDULE,
    NOTHING_TO_REVOKE, PAST_TIME, Page, SCHEDULE_STATE, THREE_MONTHS, bad, integer, number, ok,
    owned, page, refuse, required, required_integer, required_number, strings, text,
};
use super::billing::{billing_key, check_card, key_card, key_holder};
use super::prepare::{Charge, currency};
use super::record::{Buyer, PaymentRecord, Status};
use super::scheduled::ScheduleRecord;
use super::state::Ledger;
use crate::exchange::{Call, Refusal};
use crate::json::Amount;
use crate::spec::{self, ScheduleStatus};

/// A booking entry read into a schedule of `key`; buyer details left out come from the key.
fn entry(
    entry: &Map<String, Value>,
    key: &spec::BillingKey,
    now: i64,
) -> Result<ScheduleRecord, Refusal> {
    let schedule_at = required_integer(entry, "schedule_at")?;
    if schedule_at <= now {
        return Err(refuse(400, 1, PAST_TIME));
    }
    let holder = key_holder(key);
    let or_key = |field: &str, from_key: Option<String>| owned(entry, field).or(from_key);
    Ok(ScheduleRecord {
        shown: spec::Schedule {
            customer_uid: key.customer_uid.clone(),
            merchant_uid: required(entry, "merchant_uid")?.to_owned(),
            schedule_at,
            amount: Amount(required_number(entry, "amount")?),
            schedule_status: ScheduleStatus::Scheduled,
            optional: spec::ScheduleOptional {
                pg_provider: Some(key.pg_provider),
                pg_id: Some(key.pg_id.clone()),
                customer_id: key.optional.customer_id.clone(),
                currency: Some(currency(entry)?),
                name: owned(entry, "name"),
                buyer_name: or_key("buyer_name", holder.name),
                buyer_email: or_key("buyer_email", holder.email),
                buyer_tel: or_key("buyer_tel", holder.tel),
                buyer_addr: or_key("buyer_addr", holder.addr),
                buyer_postcode: or_key("buyer_postcode", holder.postcode),
                custom_data: owned(entry, "custom_data"),
                ..Default::default()
            },
        },
        tax_free: number(entry, "tax_free").unwrap_or(0.0),
        vat_amount: number(entry, "vat_amount"),
        notice_url: owned(entry, "notice_url"),
    })
}

/// A page of schedules as the spec's `SchedulePage`.
fn schedule_page(page: Page<spec::Schedule>) -> spec::SchedulePage {
    spec::SchedulePage {
        total: page.total,
        previous: page.previous,
        next: page.next,
        optional: spec::SchedulePageOptional { list: page.list },
    }
}

impl Ledger {
    /// The latest schedule booked for an order id.
    fn schedule_index(&self, merchant_uid: &str) -> Result<usize, Refusal> {
        self.schedules
            .iter()
            .rposition(|s| s.shown.merchant_uid == merchant_uid)
            .ok_or_else(|| refuse(404, 1, NO_SUCH_SCHEDULE))
    }

    /// The payment of a schedule's last run.
    fn run_of(&self, schedule: &ScheduleRecord) -> Option<&PaymentRecord> {
        schedule
            .shown
            .optional
            .imp_uid
            .as_deref()
            .and_then(|id| self.find_record(id))
    }

    fn schedule_shape(&self, i: usize) -> spec::Schedule {
        let schedule = &self.schedules[i];
        schedule.to_shape(self.run_of(schedule))
    }

    fn schedule_shapes(&self, indexes: impl IntoIterator<Item = usize>) -> Vec<spec::Schedule> {
        indexes
            .into_iter()
            .map(|i| self.schedule_shape(i))
            .collect()
    }

    /// Whether a schedule may be rebooked or retried: revoked, or its last run failed.
    fn may_run_again(&self, i: usize) -> bool {
        let schedule = &self.schedules[i];
        schedule.is(ScheduleStatus::Revoked) || schedule.failed(self.run_of(schedule))
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
            None => Some(billing_key(
                customer_uid,
                (spec::PgProvider::Nice, "nictest04m".to_owned()),
                check_card(text(body, "card_number"), text(body, "expiry"), call.now)?,
                owned(body, "customer_id"),
                Buyer::default(),
                call.now,
            )),
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
            let merchant_uid = &schedule.shown.merchant_uid;
            let taken = booked.iter().any(|s| s.shown.merchant_uid == *merchant_uid)
                || self.schedules.iter().any(|s| {
                    s.shown.merchant_uid == *merchant_uid && s.is(ScheduleStatus::Scheduled)
                })
                || self
                    .payments
                    .iter()
                    .any(|p| p.merchant_uid == *merchant_uid && p.status == Status::Paid);
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
        ok(&self.schedule_shapes(first..self.schedules.len()))
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
                let s = &self.schedules[i].shown;
                self.schedules[i].is(ScheduleStatus::Scheduled)
                    && customer_uid.is_none_or(|c| s.customer_uid == c)
                    && (merchant_uids.is_empty() || merchant_uids.contains(&s.merchant_uid))
            })
            .collect();
        if revoked.is_empty() {
            return Err(refuse(200, 1, NOTHING_TO_REVOKE));
        }
        for &i in &revoked {
            let shown = &mut self.schedules[i].shown;
            shown.schedule_status = ScheduleStatus::Revoked;
            shown.optional.revoked_at = Some(call.now);
        }
        ok(&self.schedule_shapes(revoked))
    }

    pub(super) fn get_schedule(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        ok(&self.schedule_shape(i))
    }

    /// A new future time for a pending schedule (400 otherwise).
    pub(super) fn update_schedule_time(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        if !self.schedules[i].is(ScheduleStatus::Scheduled) {
            return Err(refuse(400, 1, SCHEDULE_STATE));
        }
        self.set_time(i, call)
    }

    /// Books a revoked or failed schedule again for a new future time (400 otherwise).
    pub(super) fn reschedule(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        if !self.may_run_again(i) {
            return Err(refuse(400, 1, SCHEDULE_STATE));
        }
        let shown = &mut self.schedules[i].shown;
        shown.schedule_status = ScheduleStatus::Scheduled;
        let o = &mut shown.optional;
        (o.executed_at, o.revoked_at, o.imp_uid, o.fail_reason) = (None, None, None, None);
        self.set_time(i, call)
    }

    fn set_time(&mut self, i: usize, call: &Call<'_>) -> Answer {
        let at = required_integer(call.body, "schedule_at")?;
        if at <= call.now {
            return Err(refuse(400, 1, PAST_TIME));
        }
        self.schedules[i].shown.schedule_at = at;
        ok(&self.schedule_shape(i))
    }

    /// Runs a revoked or failed schedule now and answers its payment, which may be `failed`
    /// (400 for a schedule still pending or paid).
    pub(super) fn retry_schedule(&mut self, call: &Call<'_>) -> Answer {
        let i = self.schedule_index(required(call.path, "merchant_uid")?)?;
        if !self.may_run_again(i) {
            return Err(refuse(400, 1, SCHEDULE_STATE));
        }
        self.execute(i, call.now);
        let schedule = &self.schedules[i];
        match self.run_of(schedule) {
            Some(payment) => ok(&payment.to_shape()),
            None => Err(refuse(
                200,
                1,
                schedule
                    .shown
                    .optional
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
                let s = &self.schedules[i];
                s.is(ScheduleStatus::Scheduled) && s.shown.schedule_at <= at
            })
            .collect();
        due.sort_by_key(|&i| (self.schedules[i].shown.schedule_at, i));
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
        let key = self.billing_keys.get(&s.shown.customer_uid);
        let o = &s.shown.optional;
        let mut shown = spec::PaymentOptional {
            pay_method: Some(spec::PayMethod::Card),
            channel: Some(spec::PaymentChannel::Api),
            pg_provider: o.pg_provider,
            pg_id: o.pg_id.clone(),
            name: o.name.clone(),
            custom_data: o.custom_data.clone(),
            customer_uid: Some(s.shown.customer_uid.clone()),
            customer_uid_usage: Some(spec::CustomerUidUsage::PaymentScheduled),
            ..Default::default()
        };
        Buyer {
            name: o.buyer_name.clone(),
            email: o.buyer_email.clone(),
            tel: o.buyer_tel.clone(),
            addr: o.buyer_addr.clone(),
            postcode: o.buyer_postcode.clone(),
        }
        .show(&mut shown);
        if let Some(key) = key {
            key_card(key, 0).show(&mut shown);
        }
        let charge = Charge {
            merchant_uid: s.shown.merchant_uid.clone(),
            amount: s.shown.amount.0,
            currency: o.currency.unwrap_or(spec::Currency::Krw),
            tax_free: s.tax_free,
            vat_amount: s.vat_amount,
            notice_url: s.notice_url.clone(),
            promotion: None,
            shown,
        };
        let before = self.payments.len();
        let outcome = if key.is_some() {
            self.charge(charge, at).map_err(|refusal| refusal.message)
        } else {
            self.record(charge, at, Some(KEY_DELETED));
            Err(KEY_DELETED.to_owned())
        };
        let seq = (self.payments.len() > before).then(|| self.payments.len() - 1);
        let imp_uid = seq.map(|seq| self.payments[seq].imp_uid.clone());
        let failed = outcome.is_err();
        let shown = &mut self.schedules[i].shown;
        shown.schedule_status = ScheduleStatus::Executed;
        shown.optional.executed_at = Some(at);
        shown.optional.imp_uid = imp_uid.clone();
        shown.optional.fail_reason = outcome.err();
        if let (Some(seq), true) = (seq, failed) {
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
            Some(wire) => match spec::ScheduleSorting::from_wire(wire) {
                Some(spec::ScheduleSorting::Scheduled) => true,
                _ => return Err(bad("sorting")),
            },
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
            Some(wire) => {
                Some(ScheduleStatus::from_wire(wire).ok_or_else(|| bad("schedule_status"))?)
            }
        };
        let mut found: Vec<usize> = (0..self.schedules.len())
            .filter(|&i| {
                let s = &self.schedules[i];
                (from..to).contains(&s.shown.schedule_at)
                    && customer_uid.is_none_or(|c| s.shown.customer_uid == c)
                    && state.is_none_or(|state| s.is(state))
            })
            .collect();
        found.sort_by_key(|&i| (self.schedules[i].shown.schedule_at, i));
        if !ascending {
            found.reverse();
        }
        let found = page(
            self.schedule_shapes(found),
            integer(call.query, "page"),
            limit,
        )?;
        ok(&schedule_page(found))
    }
}
