//! Refunds: partial then full, checksum, over-refund, second full refund, notices.

use serde_json::{Value, json};

use super::*;
use crate::ledger::{PayMethod, Purchase};

fn paid(amount: f64) -> (Ledger, String) {
    let mut ledger = Ledger::new();
    let imp_uid = ledger
        .pay(Purchase::new("order-1", amount, PayMethod::Card), NOW)
        .expect("paid");
    ledger.take_notices();
    (ledger, imp_uid)
}

fn cancel(ledger: &mut Ledger, body: Value, now: i64) -> Option<Outcome> {
    call(
        ledger,
        Operation::CancelPayment,
        Value::Null,
        Value::Null,
        body,
        now,
    )
}

#[test]
fn a_partial_then_a_full_refund() {
    let (mut ledger, imp_uid) = paid(10000.0);
    let (status, partial) = answered(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "amount": 3000, "checksum": 10000, "reason": "size"}),
        NOW + 10,
    ));
    assert_eq!(status, 200);
    assert_payment_shape(&partial);
    assert_eq!(
        (
            partial["status"].as_str(),
            partial["cancel_amount"].as_i64()
        ),
        (Some("paid"), Some(3000))
    );
    assert_eq!(
        (
            partial["cancelled_at"].as_i64(),
            partial["cancel_reason"].as_str()
        ),
        (Some(NOW + 10), Some("size"))
    );
    let entry = &partial["cancel_history"][0];
    assert_eq!(
        (
            entry["amount"].as_i64(),
            entry["cancelled_at"].as_i64(),
            entry["reason"].as_str()
        ),
        (Some(3000), Some(NOW + 10), Some("size"))
    );
    let first_id = entry["cancellation_id"]
        .as_str()
        .expect("cancellation_id")
        .to_owned();
    assert_eq!(
        partial["cancel_receipt_urls"].as_array().map(Vec::len),
        Some(1)
    );

    let (_, balance) = answered(call(
        &mut ledger,
        Operation::GetPaymentBalance,
        json!({"imp_uid": imp_uid}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    assert_eq!(balance["amount"], 7000);
    assert_eq!(
        balance["primary"],
        json!({"tax_free": 0, "supply": 6364, "vat": 636, "service": 0})
    );
    assert_eq!(balance["histories"][1]["created"], NOW + 10);

    let (_, full) = answered(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "checksum": 7000}),
        NOW + 20,
    ));
    assert_payment_shape(&full);
    assert_eq!(
        (full["status"].as_str(), full["cancel_amount"].as_i64()),
        (Some("cancelled"), Some(10000))
    );
    let history = full["cancel_history"].as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["amount"], 7000);
    assert_ne!(
        history[1]["cancellation_id"].as_str(),
        Some(first_id.as_str())
    );
    assert_eq!(full["amount"], 10000, "the paid amount stays");

    let (_, balance) = answered(call(
        &mut ledger,
        Operation::GetPaymentBalance,
        json!({"imp_uid": imp_uid}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    assert_eq!(balance["amount"], 0);
    assert_eq!(
        balance["primary"],
        json!({"tax_free": 0, "supply": 0, "vat": 0, "service": 0})
    );
    assert!(
        ledger.take_notices().is_empty(),
        "no notice without enable_webhook"
    );
}

#[test]
fn a_second_full_refund_is_refused_with_portones_message() {
    let (mut ledger, imp_uid) = paid(10000.0);
    answered(cancel(&mut ledger, json!({"imp_uid": imp_uid}), NOW));
    let again = refused(cancel(&mut ledger, json!({"imp_uid": imp_uid}), NOW));
    assert_eq!(
        again,
        Refusal {
            status: 200,
            code: 1,
            message: "이미 전액취소된 주문입니다.".into()
        }
    );
    let by_order = refused(cancel(
        &mut ledger,
        json!({"merchant_uid": "order-1", "amount": 1}),
        NOW,
    ));
    assert_eq!(by_order, again);
}

#[test]
fn more_than_what_is_left_is_refused_and_changes_nothing() {
    let (mut ledger, imp_uid) = paid(10000.0);
    answered(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "amount": 6000}),
        NOW,
    ));
    let over = refused(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "amount": 4001}),
        NOW,
    ));
    assert_refusal(&over, 200, 1);
    let payment = ledger.payment(&imp_uid).expect("paid");
    assert_eq!(
        (
            payment["cancel_amount"].as_i64(),
            payment["cancel_history"].as_array().map(Vec::len)
        ),
        (Some(6000), Some(1))
    );
    assert_refusal(
        &refused(cancel(
            &mut ledger,
            json!({"imp_uid": imp_uid, "amount": -5}),
            NOW,
        )),
        400,
        1,
    );
    answered(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "amount": 4000}),
        NOW,
    ));
    assert_eq!(
        ledger.payment(&imp_uid).expect("cancelled")["status"],
        "cancelled",
        "refunding exactly the rest is a full refund"
    );
}

#[test]
fn a_checksum_other_than_what_is_left_is_refused() {
    let (mut ledger, imp_uid) = paid(10000.0);
    let refusal = refused(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "amount": 1000, "checksum": 9000}),
        NOW,
    ));
    assert_refusal(&refusal, 200, 1);
    assert_ne!(refusal.message, "이미 전액취소된 주문입니다.");
    assert_eq!(ledger.payment(&imp_uid).expect("paid")["cancel_amount"], 0);
    answered(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "amount": 1000, "checksum": 10000}),
        NOW,
    ));
    // The same request replayed: the checksum now protects against refunding twice.
    assert_refusal(
        &refused(cancel(
            &mut ledger,
            json!({"imp_uid": imp_uid, "amount": 1000, "checksum": 10000}),
            NOW,
        )),
        200,
        1,
    );
}

#[test]
fn an_unknown_payment_is_refused_with_portones_message() {
    let (mut ledger, _) = paid(100.0);
    let expected = Refusal {
        status: 200,
        code: 1,
        message: "취소할 결제건이 존재하지 않습니다.".into(),
    };
    assert_eq!(
        refused(cancel(
            &mut ledger,
            json!({"imp_uid": "imp_000000000999"}),
            NOW
        )),
        expected
    );
    assert_eq!(
        refused(cancel(&mut ledger, json!({"merchant_uid": "order-9"}), NOW)),
        expected
    );
    assert_eq!(refused(cancel(&mut ledger, json!({}), NOW)), expected);
}

#[test]
fn by_order_id_the_paid_attempt_is_refunded() {
    let mut ledger = Ledger::new();
    answered(call(
        &mut ledger,
        Operation::CreatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-1", "amount": 500}),
        NOW,
    ));
    let imp_uid = ledger
        .pay(Purchase::new("order-1", 500.0, PayMethod::Card), NOW)
        .expect("paid");
    answered(call(
        &mut ledger,
        Operation::UpdatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-1", "amount": 600}),
        NOW,
    ));
    let (_, refunded) = answered(cancel(
        &mut ledger,
        json!({"merchant_uid": "order-1", "amount": 100}),
        NOW,
    ));
    assert_eq!(refunded["imp_uid"], imp_uid.as_str());

    let mut ledger = Ledger::new();
    answered(call(
        &mut ledger,
        Operation::CreatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-2", "amount": 500}),
        NOW,
    ));
    ledger
        .pay(Purchase::new("order-2", 1.0, PayMethod::Card), NOW)
        .unwrap_err();
    assert_refusal(
        &refused(cancel(&mut ledger, json!({"merchant_uid": "order-2"}), NOW)),
        200,
        1,
    );
}

#[test]
fn a_refund_is_notified_only_when_asked() {
    let mut ledger = Ledger::new();
    let purchase =
        Purchase::new("order-1", 1000.0, PayMethod::Card).notice_url("http://hook.test/n");
    let imp_uid = ledger.pay(purchase, NOW).expect("paid");
    ledger.take_notices();
    let (_, partial) = answered(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "amount": 100, "enable_webhook": true}),
        NOW,
    ));
    let (_, full) = answered(cancel(
        &mut ledger,
        json!({"imp_uid": imp_uid, "enable_webhook": true}),
        NOW,
    ));
    let id = |payment: &Value, i: usize| {
        payment["cancel_history"][i]["cancellation_id"]
            .as_str()
            .map(str::to_owned)
    };
    let mut expected = vec![
        notice(&imp_uid, "order-1", "paid", Some("http://hook.test/n")),
        notice(&imp_uid, "order-1", "cancelled", Some("http://hook.test/n")),
    ];
    expected[0].cancellation_id = id(&partial, 0);
    expected[1].cancellation_id = id(&full, 1);
    assert!(expected.iter().all(|n| n.cancellation_id.is_some()));
    assert_eq!(ledger.take_notices(), expected);
}

#[test]
fn a_virtual_account_refund_needs_the_refund_account_and_keeps_tax_parts() {
    let mut ledger = Ledger::new();
    let body = json!({"channel_key": "ch", "merchant_uid": "order-1", "amount": 11000, "tax_free": 1000, "vbank_code": "088", "vbank_due": NOW + 86_400});
    let (_, issued) = answered(call(
        &mut ledger,
        Operation::IssueVbank,
        Value::Null,
        Value::Null,
        body,
        NOW,
    ));
    let imp_uid = issued["imp_uid"].as_str().expect("imp_uid").to_owned();
    assert_refusal(
        &refused(cancel(&mut ledger, json!({"imp_uid": imp_uid}), NOW)),
        200,
        1,
    );
    ledger.deposit(&imp_uid, NOW).expect("paid");

    assert_refusal(
        &refused(cancel(
            &mut ledger,
            json!({"imp_uid": imp_uid, "amount": 1000}),
            NOW,
        )),
        200,
        1,
    );
    let account = json!({"refund_holder": "buyer", "refund_bank": "004", "refund_account": "123"});
    let with = |extra: Value| {
        let mut body = account.as_object().expect("object").clone();
        body.insert("imp_uid".into(), json!(imp_uid));
        body.extend(extra.as_object().expect("object").clone());
        Value::Object(body)
    };
    assert_refusal(
        &refused(cancel(
            &mut ledger,
            with(json!({"amount": 500, "tax_free": 600})),
            NOW,
        )),
        400,
        1,
    );
    answered(cancel(
        &mut ledger,
        with(json!({"amount": 2000, "tax_free": 500})),
        NOW,
    ));
    assert_refusal(
        &refused(cancel(
            &mut ledger,
            with(json!({"amount": 2000, "tax_free": 600})),
            NOW,
        )),
        400,
        1,
    );
    let (_, balance) = answered(call(
        &mut ledger,
        Operation::GetPaymentBalance,
        json!({"imp_uid": imp_uid}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    // Paid: 1000 tax-free, VAT 909 of 10000 taxable; refunded: 500 tax-free, VAT 136 of 1500.
    assert_eq!(
        balance["primary"],
        json!({"tax_free": 500, "supply": 7727, "vat": 773, "service": 0})
    );
    assert_eq!(balance["amount"], 9000);
}
