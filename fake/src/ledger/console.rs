//! What an operator does in PortOne's admin console, for tests that need it: a refund made
//! there. It passes the checks of `cancel_payment` (one home for them, in `cancel.rs`), and
//! PortOne always notifies it, where an API refund notifies only with `enable_webhook`.

use serde_json::{Map, Value};

use super::amount::FakeAmount;
use super::args::{NO_PAYMENT_TO_CANCEL, refuse};
use super::state::Ledger;
use crate::exchange::{Call, Refusal};
use crate::operation::Operation;

/// A refund as an operator makes it in PortOne's admin console (관리자 콘솔): everything left
/// unless [`amount`](Self::amount) says less. Unlike a refund through the API, it is always
/// notified.
#[derive(Debug, Clone)]
pub struct ConsoleRefund {
    imp_uid: String,
    amount: Option<FakeAmount>,
    reason: Option<String>,
    refund_account: Option<[String; 3]>,
}

impl ConsoleRefund {
    /// Refunds what is left of the payment `imp_uid`.
    pub fn new(imp_uid: impl Into<String>) -> ConsoleRefund {
        ConsoleRefund {
            imp_uid: imp_uid.into(),
            amount: None,
            reason: None,
            refund_account: None,
        }
    }

    /// Refunds only `amount` (`5_000`, or `1.5` in a currency with cents): a partial refund.
    pub fn amount(mut self, amount: impl Into<FakeAmount>) -> ConsoleRefund {
        self.amount = Some(amount.into());
        self
    }

    /// Why, as the operator types it.
    pub fn reason(mut self, reason: impl Into<String>) -> ConsoleRefund {
        self.reason = Some(reason.into());
        self
    }

    /// The buyer's account the money goes back to, which a paid virtual account needs: the
    /// holder's name, the bank's code and the account number.
    pub fn refund_account(
        mut self,
        holder: impl Into<String>,
        bank: impl Into<String>,
        account: impl Into<String>,
    ) -> ConsoleRefund {
        self.refund_account = Some([holder.into(), bank.into(), account.into()]);
        self
    }
}

impl Ledger {
    /// Makes `refund` as `cancel_payment` with `enable_webhook` would: the same checks and
    /// refusals, a notice; the answer is the payment after the refund.
    pub(crate) fn refund_in_console(
        &mut self,
        refund: &ConsoleRefund,
        now: i64,
    ) -> Result<Value, Refusal> {
        let mut body = Map::new();
        body.insert("imp_uid".into(), refund.imp_uid.clone().into());
        body.insert("enable_webhook".into(), true.into());
        if let Some(part) = refund.amount {
            let Some(payment) = self.find_record(&refund.imp_uid) else {
                return Err(refuse(200, 1, NO_PAYMENT_TO_CANCEL));
            };
            let part = part
                .checked("amount", payment.currency.as_str())
                .map_err(|message| Refusal {
                    status: 400,
                    code: 1,
                    message,
                })?;
            body.insert("amount".into(), part.into());
        }
        if let Some(reason) = &refund.reason {
            body.insert("reason".into(), reason.clone().into());
        }
        if let Some(account) = &refund.refund_account {
            for (key, value) in ["refund_holder", "refund_bank", "refund_account"]
                .into_iter()
                .zip(account)
            {
                body.insert(key.into(), value.clone().into());
            }
        }
        let none = Map::new();
        let call = Call {
            operation: Operation::CancelPayment,
            path: &none,
            query: &none,
            body: &body,
            now,
        };
        let (_, payment) = self.cancel(&call)?;
        serde_json::from_str(&payment).map_err(|e| Refusal {
            status: 500,
            code: 1,
            message: format!("the fake wrote a payment that is not JSON: {e}"),
        })
    }
}
