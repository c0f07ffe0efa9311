//! Verifying a payment before fulfilling its order, and the lookup-then-decide future that
//! verification and reconciliation share.
//!
//! A webhook notification, a browser redirect or a client-side callback proves nothing: the
//! decision rests only on the payment as the API returns it, compared with the merchant's own
//! record of the order. The decision ([`Expected::check`]) is a pure function over
//! [`PaymentFacts`], which the generated `Payment` implements, so every case is tested
//! without HTTP.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::{Amount, Call, CallFuture, Error};

/// What verification and reconciliation read from a payment; implemented by the generated
/// `Payment`. Enum fields are read as their wire values, so a value this SDK version does
/// not know still compares and decides as "unknown".
pub trait PaymentFacts {
    /// One entry of the payment's refund history.
    type Cancellation: CancellationFacts + Clone;
    /// The merchant's order id (`merchant_uid`).
    fn merchant_uid(&self) -> &str;
    /// The amount charged.
    fn amount(&self) -> Amount;
    /// The currency of the amount, as on the wire (`KRW`).
    fn currency(&self) -> &str;
    /// The payment status, as on the wire (`paid`).
    fn status(&self) -> &str;
    /// The sum refunded so far.
    fn cancel_amount(&self) -> Amount;
    /// Every (partial) refund, oldest first.
    fn cancellations(&self) -> &[Self::Cancellation];
    /// The number of the virtual account issued for the payment, if any.
    fn virtual_account(&self) -> Option<&str>;
}

/// What reconciliation reads from one refund of a payment; implemented by the generated
/// `PaymentCancellation`.
pub trait CancellationFacts {
    /// The amount this refund returned.
    fn amount(&self) -> Amount;
    /// PortOne's id of the refund (missing on older records).
    fn cancellation_id(&self) -> Option<&str>;
}

/// What the merchant's own order record says the payment must be: its order id, amount and
/// currency (KRW unless set).
///
/// ```
/// # extern crate portone_v1_runtime as portone_v1;
/// use portone_v1::Expected;
/// let expected = Expected::new("order-1001", 64_900).currency("USD");
/// assert_eq!(expected.merchant_uid(), "order-1001");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    merchant_uid: String,
    amount: Amount,
    currency: String,
}

impl Expected {
    /// The order `merchant_uid` must be paid `amount` in KRW.
    pub fn new(merchant_uid: impl Into<String>, amount: impl Into<Amount>) -> Expected {
        Expected {
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            currency: "KRW".to_owned(),
        }
    }

    /// Another currency than KRW: an ISO 4217 code, or the crate's `Currency` enum.
    pub fn currency(mut self, currency: impl fmt::Display) -> Expected {
        self.currency = currency.to_string();
        self
    }

    /// The order id.
    pub fn merchant_uid(&self) -> &str {
        &self.merchant_uid
    }

    /// The amount.
    pub fn amount(&self) -> Amount {
        self.amount
    }

    /// The currency code.
    pub fn currency_code(&self) -> &str {
        &self.currency
    }

    /// Decides what `payment` means for this order. A payment that differs from the order in
    /// order id, amount or currency is a [`Verdict::Mismatch`] whatever its status: its
    /// status says nothing about this order. The currency is compared without regard to
    /// case.
    pub fn check<P: PaymentFacts>(&self, payment: P) -> Verdict<P> {
        let mut discrepancies = Vec::new();
        if payment.merchant_uid() != self.merchant_uid {
            discrepancies.push(Discrepancy::OrderId {
                expected: self.merchant_uid.clone(),
                actual: payment.merchant_uid().to_owned(),
            });
        }
        if payment.amount() != self.amount {
            discrepancies.push(Discrepancy::Amount {
                expected: self.amount,
                actual: payment.amount(),
            });
        }
        if !payment.currency().eq_ignore_ascii_case(&self.currency) {
            discrepancies.push(Discrepancy::Currency {
                expected: self.currency.clone(),
                actual: payment.currency().to_owned(),
            });
        }
        if !discrepancies.is_empty() {
            return Verdict::Mismatch {
                payment,
                discrepancies,
            };
        }
        let refunded = payment.cancel_amount();
        match payment.status() {
            "paid" if refunded > Amount::default() => Verdict::PartlyCancelled {
                remaining: payment.amount() - refunded,
                payment,
            },
            "paid" => Verdict::Paid { payment },
            "ready" if payment.virtual_account().is_some_and(|n| !n.is_empty()) => {
                Verdict::AwaitingDeposit { payment }
            }
            "cancelled" => Verdict::Cancelled { payment },
            "failed" => Verdict::Failed { payment },
            _ => Verdict::UnknownStatus { payment },
        }
    }
}

impl<P: PaymentFacts> Decide<P> for Expected {
    type Output = Verdict<P>;

    fn decide(self, looked_up: Result<P, Error>) -> Result<Verdict<P>, Error> {
        looked_up.map(|payment| self.check(payment))
    }
}

/// What a fetched payment means for the order it was checked against. Every variant carries
/// the payment as fetched.
///
/// Deliberately not `#[non_exhaustive]`: a handler must decide what to do in every case, and
/// a new case added by a later version should fail to compile rather than fall silently into
/// a wildcard arm that, for example, fulfils the order.
#[must_use = "match on the verdict: only `Paid` means the order may be fulfilled"]
#[derive(Clone, Debug)]
pub enum Verdict<P> {
    /// Paid in full, for this order, amount and currency: fulfil the order (once).
    Paid {
        /// The payment.
        payment: P,
    },
    /// A virtual account was issued and waits for the buyer's deposit (status `ready` with
    /// an account number); a later notification reports the deposit.
    AwaitingDeposit {
        /// The payment, with the account to show the buyer.
        payment: P,
    },
    /// Refunded in full.
    Cancelled {
        /// The payment.
        payment: P,
    },
    /// Paid, and refunded in part.
    PartlyCancelled {
        /// The payment.
        payment: P,
        /// What is left after the refunds.
        remaining: Amount,
    },
    /// The payment attempt failed.
    Failed {
        /// The payment, with its failure reason.
        payment: P,
    },
    /// The payment does not belong to the order as recorded: a different order id, amount
    /// or currency. Treat it as a forgery attempt (a tampered amount in the browser, or a
    /// notification naming another order's payment): never fulfil, and log both values.
    Mismatch {
        /// The payment.
        payment: P,
        /// Every difference found, at least one.
        discrepancies: Vec<Discrepancy>,
    },
    /// A status this SDK version does not know, or `ready` without a virtual account: do not
    /// fulfil; look at the payment or try again later.
    UnknownStatus {
        /// The payment.
        payment: P,
    },
}

impl<P> Verdict<P> {
    /// The payment the verdict is about.
    pub fn payment(&self) -> &P {
        match self {
            Verdict::Paid { payment }
            | Verdict::AwaitingDeposit { payment }
            | Verdict::Cancelled { payment }
            | Verdict::PartlyCancelled { payment, .. }
            | Verdict::Failed { payment }
            | Verdict::Mismatch { payment, .. }
            | Verdict::UnknownStatus { payment } => payment,
        }
    }

    /// The payment, giving up the verdict.
    pub fn into_payment(self) -> P {
        match self {
            Verdict::Paid { payment }
            | Verdict::AwaitingDeposit { payment }
            | Verdict::Cancelled { payment }
            | Verdict::PartlyCancelled { payment, .. }
            | Verdict::Failed { payment }
            | Verdict::Mismatch { payment, .. }
            | Verdict::UnknownStatus { payment } => payment,
        }
    }
}

/// One way a payment differs from the order it was checked against, with both values.
#[derive(Clone, Debug, PartialEq)]
pub enum Discrepancy {
    /// The payment was made for another order id.
    OrderId {
        /// The order id checked against.
        expected: String,
        /// The payment's order id.
        actual: String,
    },
    /// The payment's amount is not the order's.
    Amount {
        /// The order's amount.
        expected: Amount,
        /// The amount paid.
        actual: Amount,
    },
    /// The payment's currency is not the order's.
    Currency {
        /// The order's currency.
        expected: String,
        /// The payment's currency.
        actual: String,
    },
}

/// What a [`Check`] does with the payment it looked up (or the lookup's error).
pub trait Decide<P> {
    /// The decision.
    type Output;
    /// Decides from the lookup's result; an error it cannot interpret is returned as is.
    fn decide(self, looked_up: Result<P, Error>) -> Result<Self::Output, Error>;
}

/// A payment lookup followed by a decision over its result, returned by `verify_payment`,
/// `reconcile_cancel` and `reconcile_charge`. It only reads: nothing is sent until it is
/// awaited, and then only the lookup.
#[must_use = "a Check does nothing until it is awaited"]
pub struct Check<'a, P, D> {
    call: Call<'a, P>,
    decision: D,
}

impl<'a, P, D> Check<'a, P, D> {
    /// Wraps the lookup call built by generated code.
    #[doc(hidden)]
    pub fn new(call: Call<'a, P>, decision: D) -> Self {
        Check { call, decision }
    }

    /// Looks the payment up as the sub-merchant `tier_code` (see [`Call::tier`]).
    pub fn tier(mut self, tier_code: impl Into<String>) -> Self {
        self.call = self.call.tier(tier_code);
        self
    }

    /// Sets the time limit of the lookup (see [`Call::timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.call = self.call.timeout(timeout);
        self
    }
}

impl<P, D: fmt::Debug> fmt::Debug for Check<'_, P, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("call", &self.call)
            .field("decision", &self.decision)
            .finish()
    }
}

impl<'a, P, D> IntoFuture for Check<'a, P, D>
where
    P: DeserializeOwned + Send + 'a,
    D: Decide<P> + Unpin,
{
    type Output = Result<D::Output, Error>;
    type IntoFuture = CheckFuture<'a, P, D>;

    fn into_future(self) -> Self::IntoFuture {
        CheckFuture {
            call: self.call.into_future(),
            decision: Some(self.decision),
        }
    }
}

/// The future of a [`Check`]: the lookup's [`CallFuture`], then the decision. Generic, like
/// the call's decoding, so both are compiled where the check is awaited.
#[must_use = "futures do nothing unless polled"]
pub struct CheckFuture<'a, P, D> {
    call: CallFuture<'a, P>,
    decision: Option<D>,
}

impl<P, D: fmt::Debug> fmt::Debug for CheckFuture<'_, P, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckFuture")
            .field("call", &self.call)
            .field("decision", &self.decision)
            .finish()
    }
}

impl<P, D> Future for CheckFuture<'_, P, D>
where
    P: DeserializeOwned,
    D: Decide<P> + Unpin,
{
    type Output = Result<D::Output, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let looked_up = std::task::ready!(Pin::new(&mut self.call).poll(cx));
        let decision = self
            .decision
            .take()
            .expect("CheckFuture polled after it completed");
        Poll::Ready(decision.decide(looked_up))
    }
}
