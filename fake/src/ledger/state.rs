//! The ledger's state and what every rule set shares: finding payments, making ids,
//! queueing notices.

use std::collections::{BTreeMap, HashMap};

use super::record::PaymentRecord;
use super::scheduled::ScheduleRecord;
use crate::exchange::Notice;
use crate::spec;

/// All money state of one fake PortOne.
#[derive(Clone, Default)]
pub(crate) struct Ledger {
    /// Every payment attempt, in creation order (the index is its `seq`).
    pub(super) payments: Vec<PaymentRecord>,
    pub(super) by_imp_uid: HashMap<String, usize>,
    /// Prepared amounts and currencies by order id.
    pub(super) prepared: BTreeMap<String, spec::PaymentPrepare>,
    pub(super) billing_keys: BTreeMap<String, spec::BillingKey>,
    /// Every schedule ever booked, in booking order; a rebooked order id appends a new one.
    pub(super) schedules: Vec<ScheduleRecord>,
    pub(super) notices: Vec<Notice>,
    /// Source of every generated id (imp_uid, PG transaction id, cancellation id).
    pub(super) serial: u64,
}

impl Ledger {
    pub(crate) fn new() -> Ledger {
        Ledger::default()
    }

    /// Notifications caused since the last call, oldest first.
    pub(crate) fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    pub(super) fn find_record(&self, imp_uid: &str) -> Option<&PaymentRecord> {
        self.by_imp_uid.get(imp_uid).map(|&seq| &self.payments[seq])
    }

    pub(super) fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// A new PortOne id, `imp_` and twelve digits, that no payment has (a seed may have taken
    /// the next one).
    pub(super) fn next_imp_uid(&mut self) -> (u64, String) {
        loop {
            let serial = self.next_serial();
            let imp_uid = format!("imp_{serial:012}");
            if !self.by_imp_uid.contains_key(&imp_uid) {
                return (serial, imp_uid);
            }
        }
    }

    pub(super) fn notify(&mut self, seq: usize, cancellation_id: Option<String>) {
        let p = &self.payments[seq];
        self.notices.push(Notice {
            notice_url: p.notice_url.clone(),
            imp_uid: p.imp_uid.clone(),
            merchant_uid: p.merchant_uid.clone(),
            status: p.status.spec().as_str().to_owned(),
            cancellation_id,
        });
    }
}
