//! The fake's money: prepared amounts, payments, refunds, billing keys and schedules.
//!
//! Pure state and rules, no I/O and no clock: the server decodes a call, hands it to
//! [`Ledger::handle`] with its clock's `now`, sends the answer and then delivers
//! [`Ledger::take_notices`]. Payloads have the spec's shapes with every field present, as PortOne
//! sends them (unset strings `null`, unset times `0`, lists `[]`).
//!
//! Refusals use the code and message PortOne is seen to send where users' published code shows
//! them; elsewhere the code is `1` (PortOne's code for a business refusal) and the message is the
//! fake's own wording, which each constant in `args.rs` says. Business refusals of calls that
//! move money come with HTTP 200, as PortOne sends them; unknown ids with 404; bad paging and
//! time windows with 400.
//!
//! Notices follow PortOne's webhook rules: a payment that is paid, a virtual account that is
//! issued or paid into, a scheduled charge that ran (paid or failed), and a refund only when
//! its request set `enable_webhook` or it was made in the console. A failed ordinary payment
//! sends none.

mod amount;
mod args;
mod billing;
mod cancel;
mod console;
mod lookup;
mod prepare;
mod record;
mod schedule;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::exchange::{Call, Notice, Outcome, Refusal};
use billing::BillingKey;
use record::PaymentRecord;
use schedule::ScheduleRecord;

pub use amount::FakeAmount;
pub use console::ConsoleRefund;
pub use prepare::{PayMethod, Promotion, Purchase};

/// All money state of one fake PortOne.
pub(crate) struct Ledger {
    /// Every payment attempt, in creation order (the index is its `seq`).
    payments: Vec<PaymentRecord>,
    by_imp_uid: HashMap<String, usize>,
    /// Prepared amounts and currencies by order id.
    prepared: BTreeMap<String, prepare::Prepared>,
    billing_keys: BTreeMap<String, BillingKey>,
    /// Every schedule ever booked, in booking order; a rebooked order id appends a new one.
    schedules: Vec<ScheduleRecord>,
    notices: Vec<Notice>,
    /// Source of every generated id (imp_uid, PG transaction id, cancellation id).
    serial: u64,
}

impl Ledger {
    pub(crate) fn new() -> Ledger {
        Ledger {
            payments: Vec::new(),
            by_imp_uid: HashMap::new(),
            prepared: BTreeMap::new(),
            billing_keys: BTreeMap::new(),
            schedules: Vec::new(),
            notices: Vec::new(),
            serial: 0,
        }
    }

    /// None: the fake does not model this operation (the server answers the spec's sample).
    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Option<Outcome> {
        let answer = match call.operation {
            "create_payment_prepare" => self.create_prepare(call),
            "update_payment_prepare" => self.update_prepare(call),
            "get_payment_prepare" => self.get_prepare(call),
            "issue_vbank" => self.issue_vbank(call),
            "update_vbank" => self.update_vbank(call),
            "revoke_vbank" => self.revoke_vbank(call),
            "get_payment" => self.get_payment(call),
            "get_payments" => self.get_payments(call),
            "find_payment" | "find_payment_by_status" => self.find_payment(call),
            "find_all_payments" | "find_all_payments_by_status" => self.find_all_payments(call),
            "list_payments_by_status" => self.list_payments_by_status(call),
            "get_payment_balance" => self.balance(call),
            "cancel_payment" => self.cancel(call),
            "issue_billing_key" => self.issue_billing_key(call)?,
            "get_billing_key" => self.get_billing_key(call),
            "get_billing_keys" => self.get_billing_keys(call),
            "delete_billing_key" => self.delete_billing_key(call),
            "list_billing_key_payments" => self.list_billing_key_payments(call),
            "pay_onetime" => self.pay_onetime(call),
            "pay_again" => self.pay_again(call),
            "create_schedules" => self.create_schedules(call),
            "revoke_schedules" => self.revoke_schedules(call),
            "get_schedule" => self.get_schedule(call),
            "update_schedule_time" => self.update_schedule_time(call),
            "reschedule_schedule" => self.reschedule(call),
            "retry_schedule" => self.retry_schedule(call),
            "list_schedules_by_range" => self.list_schedules_by_range(call),
            "list_schedules_by_customer" | "list_billing_key_schedules" => {
                self.list_schedules_by_customer(call)
            }
            _ => return None,
        };
        Some(match answer {
            Ok((status, response)) => Outcome::Answer { status, response },
            Err(refusal) => Outcome::Refuse(refusal),
        })
    }

    /// Notifications caused since the last call, oldest first.
    pub(crate) fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Plays the buyer in the payment window (see `Purchase`); returns the new imp_uid.
    ///
    /// An amount (or currency) that differs from the prepared one leaves a `failed` payment
    /// behind, as the window does, and is refused: the refusal's message is the payment's
    /// `fail_reason`, and the payment can be found by its order id.
    pub(crate) fn pay(&mut self, purchase: Purchase, now: i64) -> Result<String, Refusal> {
        self.pay_in_window(purchase, now)
    }

    /// The buyer pays into an issued virtual account.
    pub(crate) fn deposit(&mut self, imp_uid: &str, now: i64) -> Result<(), Refusal> {
        self.deposit_into(imp_uid, now)
    }

    /// Executes every schedule due at or before `at`; returns the imp_uids created.
    pub(crate) fn run_due_schedules(&mut self, at: i64) -> Vec<String> {
        self.run_due(at)
    }

    /// The payment as `GET /payments/{imp_uid}` would answer it (the response payload).
    pub(crate) fn payment(&self, imp_uid: &str) -> Option<Value> {
        self.find_record(imp_uid).map(PaymentRecord::to_json)
    }

    fn find_record(&self, imp_uid: &str) -> Option<&PaymentRecord> {
        self.by_imp_uid.get(imp_uid).map(|&seq| &self.payments[seq])
    }

    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    fn notify(&mut self, seq: usize, cancellation_id: Option<String>) {
        let p = &self.payments[seq];
        self.notices.push(Notice {
            notice_url: p.notice_url.clone(),
            imp_uid: p.imp_uid.clone(),
            merchant_uid: p.merchant_uid.clone(),
            status: p.status.as_str().to_owned(),
            cancellation_id,
        });
    }
}
