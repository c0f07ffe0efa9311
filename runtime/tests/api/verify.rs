//! The verification and reconciliation decisions, without HTTP: one test per verdict and per
//! outcome, over a payment built by hand.

use portone_v1_runtime::{
    Ambiguity, Amount, CancelAttempt, CancelOutcome, CancellationFacts, ChargeLookup,
    ChargeOutcome, Decide, Discrepancy, Error, Expected, PaymentFacts, Verdict,
};

#[derive(Clone, Debug, PartialEq)]
struct Refund {
    amount: Amount,
    id: Option<&'static str>,
}

impl CancellationFacts for Refund {
    fn amount(&self) -> Amount {
        self.amount
    }
    fn cancellation_id(&self) -> Option<&str> {
        self.id
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Pay {
    merchant_uid: &'static str,
    amount: Amount,
    currency: &'static str,
    status: &'static str,
    refunds: Vec<Refund>,
    vbank: Option<&'static str>,
}

impl PaymentFacts for Pay {
    type Cancellation = Refund;
    fn merchant_uid(&self) -> &str {
        self.merchant_uid
    }
    fn amount(&self) -> Amount {
        self.amount
    }
    fn currency(&self) -> &str {
        self.currency
    }
    fn status(&self) -> &str {
        self.status
    }
    fn cancel_amount(&self) -> Amount {
        self.refunds
            .iter()
            .fold(Amount::default(), |sum, r| sum + r.amount)
    }
    fn cancellations(&self) -> &[Refund] {
        &self.refunds
    }
    fn virtual_account(&self) -> Option<&str> {
        self.vbank
    }
}

fn paid() -> Pay {
    Pay {
        merchant_uid: "order-1",
        amount: Amount::from(10_000),
        currency: "KRW",
        status: "paid",
        refunds: Vec::new(),
        vbank: None,
    }
}

fn refund(amount: i64, id: &'static str) -> Refund {
    Refund {
        amount: Amount::from(amount),
        id: Some(id),
    }
}

fn expected() -> Expected {
    Expected::new("order-1", 10_000)
}

#[test]
fn a_matching_paid_payment_is_paid() {
    assert!(matches!(expected().check(paid()), Verdict::Paid { payment } if payment == paid()));
}

#[test]
fn a_ready_payment_with_a_virtual_account_awaits_the_deposit() {
    let payment = Pay {
        status: "ready",
        vbank: Some("56211102345678"),
        ..paid()
    };
    assert!(matches!(
        expected().check(payment),
        Verdict::AwaitingDeposit { .. }
    ));
}

#[test]
fn a_ready_payment_without_a_virtual_account_is_unknown() {
    for vbank in [None, Some("")] {
        let payment = Pay {
            status: "ready",
            vbank,
            ..paid()
        };
        assert!(matches!(
            expected().check(payment),
            Verdict::UnknownStatus { .. }
        ));
    }
}

#[test]
fn an_unknown_status_is_unknown() {
    let payment = Pay {
        status: "partial_cancelled",
        ..paid()
    };
    let verdict = expected().check(payment.clone());
    assert!(matches!(verdict, Verdict::UnknownStatus { .. }));
    assert_eq!(verdict.into_payment(), payment);
}

#[test]
fn a_fully_refunded_payment_is_cancelled() {
    let payment = Pay {
        status: "cancelled",
        refunds: vec![refund(10_000, "c1")],
        ..paid()
    };
    assert!(matches!(
        expected().check(payment),
        Verdict::Cancelled { .. }
    ));
}

#[test]
fn a_partly_refunded_payment_says_what_remains() {
    let payment = Pay {
        refunds: vec![refund(1_000, "c1"), refund(500, "c2")],
        ..paid()
    };
    match expected().check(payment) {
        Verdict::PartlyCancelled { remaining, .. } => assert_eq!(remaining, 8_500_i64),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_payment_is_failed() {
    let payment = Pay {
        status: "failed",
        ..paid()
    };
    assert!(matches!(expected().check(payment), Verdict::Failed { .. }));
}

#[test]
fn every_difference_is_a_mismatch_with_both_values() {
    let payment = Pay {
        merchant_uid: "order-2",
        amount: Amount::from(100),
        currency: "USD",
        ..paid()
    };
    match expected().check(payment) {
        Verdict::Mismatch { discrepancies, .. } => assert_eq!(
            discrepancies,
            [
                Discrepancy::OrderId {
                    expected: "order-1".into(),
                    actual: "order-2".into()
                },
                Discrepancy::Amount {
                    expected: Amount::from(10_000),
                    actual: Amount::from(100)
                },
                Discrepancy::Currency {
                    expected: "KRW".into(),
                    actual: "USD".into()
                },
            ]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_mismatch_wins_over_every_status() {
    for status in ["paid", "ready", "cancelled", "failed", "new"] {
        let payment = Pay {
            amount: Amount::from(100),
            status,
            vbank: Some("1"),
            ..paid()
        };
        let verdict = expected().check(payment);
        assert!(
            matches!(&verdict, Verdict::Mismatch { discrepancies, .. } if discrepancies.len() == 1),
            "{status}: {verdict:?}"
        );
    }
}

#[test]
fn the_currency_is_krw_unless_set_and_compared_without_case() {
    let usd = Pay {
        currency: "usd",
        ..paid()
    };
    assert!(matches!(
        expected().check(usd.clone()),
        Verdict::Mismatch { .. }
    ));
    assert!(matches!(
        expected().currency("USD").check(usd),
        Verdict::Paid { .. }
    ));
}

#[test]
fn a_lookup_error_stays_an_error() {
    let error = Error::Config("down".into());
    let decided = Decide::<Pay>::decide(expected(), Err(error.clone()));
    assert_eq!(decided.unwrap_err().to_string(), error.to_string());
}

fn refunded(amounts: &[(i64, &'static str)]) -> Pay {
    Pay {
        refunds: amounts.iter().map(|(a, id)| refund(*a, id)).collect(),
        ..paid()
    }
}

fn attempt(amount: Option<i64>, checksum: Option<i64>) -> CancelAttempt {
    CancelAttempt::new(amount.map(Amount::from), checksum.map(Amount::from))
}

#[test]
fn an_unmoved_balance_means_the_refund_did_not_apply() {
    let outcome = attempt(Some(3_000), Some(9_000)).outcome(refunded(&[(1_000, "c1")]));
    match outcome {
        CancelOutcome::NotApplied { refundable, .. } => assert_eq!(refundable, 9_000_i64),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_balance_lower_by_the_amount_means_the_refund_applied() {
    let outcome =
        attempt(Some(3_000), Some(9_000)).outcome(refunded(&[(1_000, "c1"), (3_000, "c2")]));
    match outcome {
        CancelOutcome::Applied { cancellation, .. } => {
            assert_eq!(cancellation.unwrap().cancellation_id(), Some("c2"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_full_refund_applied_takes_everything_that_was_left() {
    for amount in [None, Some(0)] {
        let mut payment = refunded(&[(1_000, "c1"), (9_000, "c2")]);
        payment.status = "cancelled";
        let outcome = attempt(amount, Some(9_000)).outcome(payment);
        assert!(
            matches!(&outcome, CancelOutcome::Applied { cancellation: Some(c), .. } if c.id == Some("c2")),
            "{outcome:?}"
        );
    }
}

#[test]
fn an_applied_refund_whose_entry_is_not_last_is_not_named() {
    // The history's last entry is not of the amount asked for: the refund took effect, but
    // which entry is ours cannot be told.
    let outcome = attempt(Some(3_000), Some(9_000)).outcome(refunded(&[
        (1_000, "c1"),
        (1_000, "c2"),
        (2_000, "c3"),
    ]));
    assert!(matches!(
        outcome,
        CancelOutcome::Applied {
            cancellation: None,
            ..
        }
    ));
}

#[test]
fn a_balance_moved_by_another_amount_is_undetermined() {
    let outcome =
        attempt(Some(3_000), Some(9_000)).outcome(refunded(&[(1_000, "c1"), (2_000, "c2")]));
    match outcome {
        CancelOutcome::Undetermined { why, .. } => assert_eq!(
            why,
            Ambiguity::BalanceMoved {
                believed: Amount::from(9_000),
                requested: Amount::from(3_000),
                refundable: Amount::from(7_000),
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_a_checksum_only_a_never_refunded_payment_tells() {
    assert!(matches!(
        attempt(Some(3_000), None).outcome(paid()),
        CancelOutcome::NotApplied { refundable, .. } if refundable == 10_000_i64
    ));
    match attempt(Some(3_000), None).outcome(refunded(&[(3_000, "c1")])) {
        CancelOutcome::Undetermined { why, .. } => assert_eq!(
            why,
            Ambiguity::NoChecksum {
                refunded: Amount::from(3_000)
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_charge_is_decided_by_the_status_found() {
    assert!(matches!(
        ChargeLookup.outcome(paid()),
        ChargeOutcome::Charged { .. }
    ));
    let failed = Pay {
        status: "failed",
        ..paid()
    };
    assert!(matches!(
        ChargeLookup.outcome(failed),
        ChargeOutcome::NotCharged { payment: Some(_) }
    ));
    for status in ["ready", "cancelled", "new"] {
        let payment = Pay { status, ..paid() };
        assert!(matches!(
            ChargeLookup.outcome(payment),
            ChargeOutcome::Undetermined { .. }
        ));
    }
}

#[test]
fn a_charge_lookup_passes_on_errors_it_cannot_read() {
    let decided = Decide::<Pay>::decide(ChargeLookup, Err(Error::Config("x".into())));
    assert!(matches!(decided, Err(Error::Config(_))));
}
