//! One scheduled charge as the ledger keeps it, and its `Schedule` payload.

use super::record::{PaymentRecord, Status};
use crate::spec;

/// A scheduled charge on a billing key: its `Schedule`, and the parts of the charge it makes
/// that a `Schedule` does not show.
#[derive(Clone)]
pub(super) struct ScheduleRecord {
    /// What it shows; its `schedule_status` is its state.
    pub shown: spec::Schedule,
    pub tax_free: f64,
    pub vat_amount: Option<f64>,
    pub notice_url: Option<String>,
}

impl ScheduleRecord {
    pub(super) fn is(&self, state: spec::ScheduleStatus) -> bool {
        self.shown.schedule_status == state
    }

    /// Whether its last run failed (`payment` is the payment of that run), so that it may be
    /// rebooked or retried.
    pub(super) fn failed(&self, payment: Option<&PaymentRecord>) -> bool {
        self.is(spec::ScheduleStatus::Executed)
            && payment.is_none_or(|p| p.status == Status::Failed)
    }

    /// Its `Schedule`; `payment_status` follows the payment of its run, so a refunded charge
    /// reads `cancelled`.
    pub(super) fn to_shape(&self, payment: Option<&PaymentRecord>) -> spec::Schedule {
        let mut shown = self.shown.clone();
        shown.optional.payment_status = self
            .is(spec::ScheduleStatus::Executed)
            .then(|| payment.map_or(spec::PaymentStatus::Failed, |p| p.status.spec()));
        shown
    }
}
