//! The fake's money: prepared amounts, payments, refunds, billing keys and schedules.
//!
//! Pure state and rules, no I/O and no clock: the server decodes a call, hands it to
//! [`Ledger::handle`] with its clock's `now`, sends the answer and then delivers
//! [`Ledger::take_notices`]. Payloads are the spec's shapes (`crate::spec`), written with
//! every field, as PortOne sends them (unset strings `null`, unset times `0`, lists `[]`).
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
//!
//! The modules import only downward: the rule sets (`prepare`, `lookup`, `cancel`, `console`,
//! `billing`, `schedule`, `seed`) use the state (`state`), the records it holds (`record`,
//! `scheduled`) and the leaves `purchase`, `amount` and `args`; this file only dispatches.

mod amount;
mod args;
mod billing;
mod cancel;
mod console;
mod lookup;
mod prepare;
mod purchase;
mod record;
mod schedule;
mod scheduled;
mod seed;
mod state;
#[cfg(test)]
mod tests;

use crate::exchange::{Call, Outcome, Refusal};
use crate::operation::Operation;

pub use amount::FakeAmount;
pub use console::ConsoleRefund;
pub use purchase::{PayMethod, Promotion, Purchase};
pub(crate) use state::Ledger;

impl Ledger {
    /// None: the fake does not model this operation (the server answers the spec's sample).
    pub(crate) fn handle(&mut self, call: &Call<'_>) -> Option<Outcome> {
        let answer = match call.operation {
            Operation::CreatePaymentPrepare => self.create_prepare(call),
            Operation::UpdatePaymentPrepare => self.update_prepare(call),
            Operation::GetPaymentPrepare => self.get_prepare(call),
            Operation::IssueVbank => self.issue_vbank(call),
            Operation::UpdateVbank => self.update_vbank(call),
            Operation::RevokeVbank => self.revoke_vbank(call),
            Operation::GetPayment => self.get_payment(call),
            Operation::GetPayments => self.get_payments(call),
            Operation::FindPayment | Operation::FindPaymentByStatus => self.find_payment(call),
            Operation::FindAllPayments | Operation::FindAllPaymentsByStatus => {
                self.find_all_payments(call)
            }
            Operation::ListPaymentsByStatus => self.list_payments_by_status(call),
            Operation::GetPaymentBalance => self.balance(call),
            Operation::CancelPayment => self.cancel(call),
            Operation::IssueBillingKey => self.issue_billing_key(call)?,
            Operation::GetBillingKey => self.get_billing_key(call),
            Operation::GetBillingKeys => self.get_billing_keys(call),
            Operation::DeleteBillingKey => self.delete_billing_key(call),
            Operation::ListBillingKeyPayments => self.list_billing_key_payments(call),
            Operation::PayOnetime => self.pay_onetime(call),
            Operation::PayAgain => self.pay_again(call),
            Operation::CreateSchedules => self.create_schedules(call),
            Operation::RevokeSchedules => self.revoke_schedules(call),
            Operation::GetSchedule => self.get_schedule(call),
            Operation::UpdateScheduleTime => self.update_schedule_time(call),
            Operation::RescheduleSchedule => self.reschedule(call),
            Operation::RetrySchedule => self.retry_schedule(call),
            Operation::ListSchedulesByRange => self.list_schedules_by_range(call),
            Operation::ListSchedulesByCustomer | Operation::ListBillingKeySchedules => {
                self.list_schedules_by_customer(call)
            }
            _ => return None,
        };
        Some(match answer {
            Ok((status, response)) => Outcome::Answer { status, response },
            Err(refusal) => Outcome::Refuse(refusal),
        })
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
    pub(crate) fn payment(&self, imp_uid: &str) -> Option<serde_json::Value> {
        let text = crate::json::to_string(&self.find_record(imp_uid)?.to_shape());
        serde_json::from_str(&text).ok()
    }
}
