//! PLACEHOLDER replaced at merge
//!
//! The money state of the fake (payments, refunds, billing keys, schedules) is written on
//! another branch; this stand-in has its signatures and models nothing, so that every call is
//! answered with the spec's sample and every buyer helper is refused.

use serde_json::Value;

use crate::exchange::{Call, Notice, Outcome, Refusal};

/// All money state; no I/O, no clock of its own.
pub(crate) struct Ledger {}

impl Ledger {
    pub(crate) fn new() -> Ledger {
        Ledger {}
    }

    /// None: the fake does not model this operation (the server answers the spec's sample).
    pub(crate) fn handle(&mut self, _call: &Call<'_>) -> Option<Outcome> {
        None
    }

    /// Notifications caused since the last call, oldest first.
    pub(crate) fn take_notices(&mut self) -> Vec<Notice> {
        Vec::new()
    }

    /// Plays the buyer in the payment window (see `Purchase`); returns the new imp_uid.
    pub(crate) fn pay(&mut self, purchase: Purchase, _now: i64) -> Result<String, Refusal> {
        Err(not_merged(format!(
            "cannot pay {} ({} by {:?}, buyer {:?}, notice URL {:?})",
            purchase.merchant_uid,
            purchase.amount,
            purchase.method,
            purchase.buyer_name,
            purchase.notice_url
        )))
    }

    /// The buyer pays into an issued virtual account.
    pub(crate) fn deposit(&mut self, imp_uid: &str, _now: i64) -> Result<(), Refusal> {
        Err(not_merged(format!("cannot deposit into {imp_uid}")))
    }

    /// Executes every schedule due at or before `at`; returns the imp_uids created.
    pub(crate) fn run_due_schedules(&mut self, _at: i64) -> Vec<String> {
        Vec::new()
    }

    /// The payment as `GET /payments/{imp_uid}` would answer it (the response payload).
    pub(crate) fn payment(&self, _imp_uid: &str) -> Option<Value> {
        None
    }
}

fn not_merged(what: String) -> Refusal {
    Refusal {
        status: 501,
        code: 1,
        message: format!("the fake's ledger is not part of this build: {what}"),
    }
}

/// What the buyer does in the payment window.
#[derive(Debug, Clone)]
pub struct Purchase {
    merchant_uid: String,
    amount: f64,
    method: PayMethod,
    notice_url: Option<String>,
    buyer_name: Option<String>,
}

impl Purchase {
    /// A purchase of `amount` (exact for every whole amount below 2^53) for `merchant_uid`.
    pub fn new(merchant_uid: impl Into<String>, amount: f64, method: PayMethod) -> Purchase {
        Purchase {
            merchant_uid: merchant_uid.into(),
            amount,
            method,
            notice_url: None,
            buyer_name: None,
        }
    }

    /// Where the payment's notifications go, instead of the fake's default webhook URL.
    pub fn notice_url(mut self, url: impl Into<String>) -> Purchase {
        self.notice_url = Some(url.into());
        self
    }

    /// The buyer's name as the payment records it.
    pub fn buyer_name(mut self, name: impl Into<String>) -> Purchase {
        self.buyer_name = Some(name.into());
        self
    }
}

/// How the buyer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayMethod {
    /// A credit or debit card.
    Card,
    /// A real-time bank transfer.
    Trans,
    /// A virtual account: issued `ready`, paid by a later deposit.
    Vbank,
    /// Mobile phone billing.
    Phone,
}
