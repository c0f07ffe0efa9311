//! `Client::verify_payment`, `reconcile_cancel` and `reconcile_charge` end to end: the
//! generated glue against a mock PortOne on 127.0.0.1, one test per verdict and per outcome.
//! The reconciliation tests check what the server received: a lookup, never a refund or a
//! charge.

// The realistic payment body of the mock is one large `json!` literal.
#![recursion_limit = "256"]

#[allow(dead_code)]
mod mock;

use mock::*;
use portone_v1::{
    Ambiguity, Amount, CancelOutcome, CancelPaymentRequest, ChargeOutcome, Client, Discrepancy,
    Error, Expected, Verdict,
};
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

const PAYMENT_PATH: &str = "/payments/imp_123456789012";
const FIND_PATH: &str = "/payments/find/order-1001";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials("imp_test_key", "imp_test_secret")
        .base_url(&server.uri())
        .build()
        .expect("client")
}

/// A mock whose `GET /payments/imp_123456789012` answers `payment`.
async fn serving(payment: Value) -> MockServer {
    let server = server().await;
    answer(&server, "GET", PAYMENT_PATH, ok(payment), 1).await;
    server
}

async fn verify(payment: Value) -> Verdict<portone_v1::Payment> {
    let server = serving(payment).await;
    client(&server)
        .verify_payment(IMP_UID, &Expected::new("order-1001", 64_900))
        .await
        .expect("verdict")
}

fn refunds(entries: &[(i64, &str)]) -> Value {
    entries
        .iter()
        .map(|(amount, id)| {
            json!({"pg_tid": "T", "amount": amount, "cancelled_at": 1_700_000_300,
                   "reason": "size", "cancellation_id": id, "receipt_url": null})
        })
        .collect()
}

#[tokio::test]
async fn a_matching_paid_payment_is_paid() {
    let verdict = verify(payment("paid", 64_900, 0)).await;
    assert!(
        matches!(&verdict, Verdict::Paid { payment } if payment.imp_uid == IMP_UID),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn an_issued_virtual_account_awaits_the_deposit() {
    let ready = with(
        payment("ready", 64_900, 0),
        "vbank_num",
        json!("56211102345678"),
    );
    let verdict = verify(with(ready, "pay_method", json!("vbank"))).await;
    assert!(
        matches!(&verdict, Verdict::AwaitingDeposit { payment }
            if payment.vbank_num.as_deref() == Some("56211102345678")),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn a_fully_refunded_payment_is_cancelled() {
    let cancelled = with(
        payment("cancelled", 64_900, 64_900),
        "cancel_history",
        refunds(&[(64_900, "c1")]),
    );
    assert!(matches!(verify(cancelled).await, Verdict::Cancelled { .. }));
}

#[tokio::test]
async fn a_partly_refunded_payment_says_what_remains() {
    let partly = with(
        payment("paid", 64_900, 4_900),
        "cancel_history",
        refunds(&[(4_900, "c1")]),
    );
    match verify(partly).await {
        Verdict::PartlyCancelled { remaining, .. } => assert_eq!(remaining, 60_000),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_failed_payment_is_failed() {
    match verify(payment("failed", 64_900, 0)).await {
        Verdict::Failed { payment } => {
            assert_eq!(payment.fail_reason.as_deref(), Some("잔액 부족"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_tampered_amount_is_a_mismatch_with_both_values() {
    // The browser was made to pay 100 instead of 64,900; PortOne reports it paid.
    match verify(payment("paid", 100, 0)).await {
        Verdict::Mismatch {
            payment,
            discrepancies,
        } => {
            assert_eq!(payment.amount, 100);
            assert_eq!(
                discrepancies,
                [Discrepancy::Amount {
                    expected: Amount::from(64_900),
                    actual: Amount::from(100)
                }]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn another_order_or_currency_is_a_mismatch() {
    let other = with(payment("paid", 64_900, 0), "merchant_uid", json!("order-9"));
    let other = with(other, "currency", json!("USD"));
    match verify(other).await {
        Verdict::Mismatch { discrepancies, .. } => assert_eq!(
            discrepancies,
            [
                Discrepancy::OrderId {
                    expected: "order-1001".into(),
                    actual: "order-9".into()
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

#[tokio::test]
async fn an_unknown_status_or_a_ready_payment_without_account_is_unknown() {
    let verdict = verify(payment("pending_review", 64_900, 0)).await;
    assert!(
        matches!(&verdict, Verdict::UnknownStatus { payment } if !payment.status.is_known()),
        "{verdict:?}"
    );
    let verdict = verify(payment("ready", 64_900, 0)).await;
    assert!(
        matches!(verdict, Verdict::UnknownStatus { .. }),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn a_payment_that_is_not_found_is_an_error() {
    let server = server().await;
    answer(
        &server,
        "GET",
        PAYMENT_PATH,
        refused(404, 1, "존재하지 않는 결제정보입니다."),
        1,
    )
    .await;
    let error = client(&server)
        .verify_payment(IMP_UID, &Expected::new("order-1001", 64_900))
        .await
        .expect_err("404");
    assert_eq!(error.status(), Some(404));
}

/// The requests the server saw, but for the token request; none may move money.
async fn lookups(server: &MockServer) -> Vec<(String, String)> {
    let seen = seen(server).await;
    routes(&seen)
        .into_iter()
        .filter(|(_, path)| *path != "/users/getToken")
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
        .collect()
}

fn get(path: &str) -> (String, String) {
    ("GET".to_owned(), path.to_owned())
}

/// A refund of 5,000 sent when 63,900 was refundable, whose outcome was unknown.
fn refund_by_id() -> CancelPaymentRequest {
    CancelPaymentRequest::by_imp_uid(IMP_UID)
        .amount(5_000)
        .checksum(63_900)
}

#[tokio::test]
async fn a_refund_that_moved_the_balance_by_its_amount_was_applied() {
    let after = with(
        payment("paid", 64_900, 6_000),
        "cancel_history",
        refunds(&[(1_000, "c1"), (5_000, "c2")]),
    );
    let server = serving(after).await;
    let outcome = client(&server)
        .reconcile_cancel(&refund_by_id())
        .await
        .expect("outcome");
    match outcome {
        CancelOutcome::Applied { cancellation, .. } => {
            assert_eq!(cancellation.unwrap().cancellation_id.as_deref(), Some("c2"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(lookups(&server).await, [get(PAYMENT_PATH)]);
}

#[tokio::test]
async fn a_refund_that_left_the_balance_alone_was_not_applied() {
    let before = with(
        payment("paid", 64_900, 1_000),
        "cancel_history",
        refunds(&[(1_000, "c1")]),
    );
    let server = serving(before).await;
    let outcome = client(&server)
        .reconcile_cancel(&refund_by_id())
        .await
        .expect("outcome");
    assert!(
        matches!(outcome, CancelOutcome::NotApplied { refundable, .. } if refundable == 63_900),
        "{outcome:?}"
    );
    assert_eq!(lookups(&server).await, [get(PAYMENT_PATH)]);
}

#[tokio::test]
async fn a_balance_moved_by_another_refund_is_undetermined() {
    // Found by order id: the request has no imp_uid.
    let moved = with(
        payment("paid", 64_900, 3_000),
        "cancel_history",
        refunds(&[(1_000, "c1"), (2_000, "c2")]),
    );
    let server = server().await;
    answer(&server, "GET", FIND_PATH, ok(moved), 1).await;
    let request = CancelPaymentRequest::by_merchant_uid("order-1001")
        .amount(5_000)
        .checksum(63_900);
    let outcome = client(&server)
        .reconcile_cancel(&request)
        .await
        .expect("outcome");
    match outcome {
        CancelOutcome::Undetermined { why, .. } => assert_eq!(
            why,
            Ambiguity::BalanceMoved {
                believed: Amount::from(63_900),
                requested: Amount::from(5_000),
                refundable: Amount::from(61_900),
            }
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(lookups(&server).await, [get(FIND_PATH)]);
}

#[tokio::test]
async fn a_refund_naming_no_payment_sends_nothing() {
    let server = server().await;
    let error = client(&server)
        .reconcile_cancel(&CancelPaymentRequest::new().amount(5_000))
        .await
        .expect_err("no payment named");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(lookups(&server).await.is_empty());
}

async fn reconcile_charge(
    found: ResponseTemplate,
) -> (ChargeOutcome<portone_v1::Payment>, MockServer) {
    let server = server().await;
    answer(&server, "GET", FIND_PATH, found, 1).await;
    let outcome = client(&server)
        .reconcile_charge("order-1001")
        .await
        .expect("outcome");
    assert_eq!(lookups(&server).await, [get(FIND_PATH)]);
    (outcome, server)
}

#[tokio::test]
async fn a_paid_charge_was_charged() {
    let (outcome, _server) = reconcile_charge(ok(payment("paid", 64_900, 0))).await;
    assert!(
        matches!(outcome, ChargeOutcome::Charged { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_failed_or_missing_charge_was_not_charged() {
    let (outcome, _server) = reconcile_charge(ok(payment("failed", 64_900, 0))).await;
    assert!(
        matches!(outcome, ChargeOutcome::NotCharged { payment: Some(_) }),
        "{outcome:?}"
    );
    let missing = refused(404, 1, "존재하지 않는 결제정보입니다.");
    let (outcome, _server) = reconcile_charge(missing).await;
    assert!(
        matches!(outcome, ChargeOutcome::NotCharged { payment: None }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_charge_in_any_other_state_is_undetermined() {
    let (outcome, _server) = reconcile_charge(ok(payment("ready", 64_900, 0))).await;
    assert!(
        matches!(outcome, ChargeOutcome::Undetermined { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_charge_lookup_that_fails_otherwise_is_an_error() {
    let server = server().await;
    let refusal = refused(400, 1, "merchant_uid가 올바르지 않습니다.");
    answer(&server, "GET", FIND_PATH, refusal, 1).await;
    let error = client(&server)
        .reconcile_charge("order-1001")
        .await
        .expect_err("400");
    assert_eq!(error.status(), Some(400));
}
