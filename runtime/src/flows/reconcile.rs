//! Finding out whether a money-moving call whose outcome is unknown (a timeout, a broken
//! connection: [`Error::outcome_unknown`]) took effect, before anything is sent again.
//!
//! Each decision is a pure function of the payment as looked up afterwards and of what the
//! call asked for; the helpers that use them read and never send a refund or a charge.

use super::verify::{CancellationFacts, Decide, PaymentFacts};
use crate::{Amount, Error};

/// What a refund whose outcome is unknown asked for: the amount (`None` or zero: everything
/// refundable) and the `checksum`, the refundable amount the caller believed was left before
/// the refund.
///
/// ```
/// # extern crate portone_v1_runtime as portone_v1;
/// use portone_v1::{Amount, CancelAttempt};
/// let attempt = CancelAttempt::new(Some(Amount::from(5_000)), Some(Amount::from(64_900)));
/// assert_eq!(attempt.checksum(), Some(Amount::from(64_900)));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CancelAttempt {
    amount: Option<Amount>,
    checksum: Option<Amount>,
}

impl CancelAttempt {
    /// The attempt as the request's `amount` and `checksum` fields say.
    pub fn new(amount: Option<Amount>, checksum: Option<Amount>) -> CancelAttempt {
        CancelAttempt { amount, checksum }
    }

    /// The amount asked for; `None` for a full refund.
    pub fn amount(&self) -> Option<Amount> {
        self.amount.filter(|a| *a != Amount::default())
    }

    /// The refundable amount the caller believed was left.
    pub fn checksum(&self) -> Option<Amount> {
        self.checksum
    }

    /// Decides from the payment as it is now whether the refund took effect.
    ///
    /// With a checksum: the refundable amount (`amount - cancel_amount`) still equal to it
    /// means the refund did not happen ([`CancelOutcome::NotApplied`]); lower by exactly the
    /// amount asked for (all of it for a full refund) means it did
    /// ([`CancelOutcome::Applied`]); anything else means some other refund moved it
    /// ([`CancelOutcome::Undetermined`]). Without one, a payment never refunded at all was
    /// not refunded by this call either; any earlier refund makes the history ambiguous.
    pub fn outcome<P: PaymentFacts>(&self, payment: P) -> CancelOutcome<P> {
        let refundable = payment.amount() - payment.cancel_amount();
        let Some(believed) = self.checksum else {
            let refunded = payment.cancel_amount();
            return if refunded == Amount::default() && payment.cancellations().is_empty() {
                CancelOutcome::NotApplied {
                    payment,
                    refundable,
                }
            } else {
                CancelOutcome::Undetermined {
                    payment,
                    why: Ambiguity::NoChecksum { refunded },
                }
            };
        };
        let requested = self.amount().unwrap_or(believed);
        if refundable == believed {
            CancelOutcome::NotApplied {
                payment,
                refundable,
            }
        } else if refundable == believed - requested {
            let cancellation = payment
                .cancellations()
                .last()
                .filter(|c| c.amount() == requested)
                .cloned();
            CancelOutcome::Applied {
                payment,
                cancellation,
            }
        } else {
            CancelOutcome::Undetermined {
                payment,
                why: Ambiguity::BalanceMoved {
                    believed,
                    requested,
                    refundable,
                },
            }
        }
    }
}

impl<P: PaymentFacts> Decide<P> for CancelAttempt {
    type Output = CancelOutcome<P>;

    fn decide(self, looked_up: Result<P, Error>) -> Result<CancelOutcome<P>, Error> {
        looked_up.map(|payment| self.outcome(payment))
    }
}

/// Whether a refund whose outcome was unknown took effect. Every variant carries the payment
/// as looked up.
#[must_use = "match on the outcome before sending the refund again"]
#[derive(Clone, Debug)]
pub enum CancelOutcome<P: PaymentFacts> {
    /// The refund took effect: do not send it again.
    Applied {
        /// The payment.
        payment: P,
        /// The refund in the payment's history, when its last entry has the amount asked
        /// for.
        cancellation: Option<P::Cancellation>,
    },
    /// The refund did not take effect: send it again, with the same `checksum` (or, if it
    /// had none, with `refundable`), so that it cannot apply twice should the first one
    /// still arrive.
    NotApplied {
        /// The payment.
        payment: P,
        /// The refundable amount now, the `checksum` a new request should carry.
        refundable: Amount,
    },
    /// The payment cannot tell: a person must look at its refund history before anything is
    /// sent again.
    Undetermined {
        /// The payment.
        payment: P,
        /// Why it cannot tell.
        why: Ambiguity,
    },
}

/// Why a refund's outcome cannot be told from the payment.
#[derive(Clone, Debug, PartialEq)]
pub enum Ambiguity {
    /// The refund carried no checksum and the payment has earlier refunds, which may or may
    /// not include it.
    NoChecksum {
        /// The sum refunded so far.
        refunded: Amount,
    },
    /// The refundable amount moved, but not by the amount asked for: another refund happened
    /// (too).
    BalanceMoved {
        /// The refundable amount the request's checksum stated.
        believed: Amount,
        /// The amount the request asked for.
        requested: Amount,
        /// The refundable amount now.
        refundable: Amount,
    },
}

/// Decides whether a billing-key charge (or a one-time charge) whose outcome is unknown took
/// effect, from the payment found for its order id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChargeLookup;

impl ChargeLookup {
    /// What the payment found for the charge's order id means: `paid` is charged, `failed`
    /// is not; any other status (a payment still `ready`, one `cancelled` since, a value
    /// this SDK version does not know) cannot be told.
    pub fn outcome<P: PaymentFacts>(self, payment: P) -> ChargeOutcome<P> {
        match payment.status() {
            "paid" => ChargeOutcome::Charged { payment },
            "failed" => ChargeOutcome::NotCharged {
                payment: Some(payment),
            },
            _ => ChargeOutcome::Undetermined { payment },
        }
    }
}

impl<P: PaymentFacts> Decide<P> for ChargeLookup {
    type Output = ChargeOutcome<P>;

    /// A 404 is the service saying no payment exists for the order id: the charge never
    /// reached it.
    fn decide(self, looked_up: Result<P, Error>) -> Result<ChargeOutcome<P>, Error> {
        match looked_up {
            Ok(payment) => Ok(self.outcome(payment)),
            Err(error) if error.status() == Some(404) && !error.during_authentication() => {
                Ok(ChargeOutcome::NotCharged { payment: None })
            }
            Err(error) => Err(error),
        }
    }
}

/// Whether a charge whose outcome was unknown took effect.
#[must_use = "match on the outcome before charging again"]
#[derive(Clone, Debug)]
pub enum ChargeOutcome<P> {
    /// Charged: do not charge again.
    Charged {
        /// The payment.
        payment: P,
    },
    /// Not charged: charge again with the same order id, which the service never charges
    /// twice, so that a first request still on its way cannot add a second charge.
    NotCharged {
        /// The failed payment, or `None` when no payment exists for the order id.
        payment: Option<P>,
    },
    /// The payment's status does not tell: look at it before charging again.
    Undetermined {
        /// The payment.
        payment: P,
    },
}
