//! Billing keys, `pay_onetime` and `pay_again`.

use serde_json::{Value, json};

use super::*;

const CARD: &str = "1234-5678-9012-3456";

fn issue(ledger: &mut Ledger, customer_uid: &str, now: i64) -> Option<Outcome> {
    let body = json!({"card_number": CARD, "expiry": "2028-12", "channel_key": "ch", "pg": "kcp.T0000", "customer_name": "holder", "customer_id": "user-1"});
    call(
        ledger,
        Operation::IssueBillingKey,
        json!({"customer_uid": customer_uid}),
        Value::Null,
        body,
        now,
    )
}

fn again(
    ledger: &mut Ledger,
    customer_uid: &str,
    merchant_uid: &str,
    amount: f64,
) -> Option<Outcome> {
    let body = json!({"customer_uid": customer_uid, "merchant_uid": merchant_uid, "amount": amount, "name": "plan", "notice_url": "http://hook.test/a"});
    call(
        ledger,
        Operation::PayAgain,
        Value::Null,
        Value::Null,
        body,
        NOW,
    )
}

#[test]
fn a_billing_key_keeps_only_the_masked_card_number() {
    let mut ledger = Ledger::new();
    let (_, key) = answered(issue(&mut ledger, "cust-1", NOW));
    assert_shape(&key, "BillingKey");
    assert_eq!(key["card_number"], "123456******3456");
    assert_eq!(
        (key["pg_provider"].as_str(), key["pg_id"].as_str()),
        (Some("kcp"), Some("T0000"))
    );
    assert_eq!(
        (key["customer_name"].as_str(), key["customer_id"].as_str()),
        (Some("holder"), Some("user-1"))
    );
    assert_eq!(
        (key["inserted"].as_i64(), key["updated"].as_i64()),
        (Some(NOW), Some(0))
    );

    let (_, read) = answered(call(
        &mut ledger,
        Operation::GetBillingKey,
        json!({"customer_uid": "cust-1"}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    assert_eq!(read, key);
    let (_, reissued) = answered(issue(&mut ledger, "cust-1", NOW + 5));
    assert_eq!(
        (reissued["inserted"].as_i64(), reissued["updated"].as_i64()),
        (Some(NOW), Some(NOW + 5))
    );
    assert!(
        !format!("{key}{reissued}").contains("9012"),
        "the full card number is never kept"
    );
}

#[test]
fn a_card_the_pg_would_refuse_is_refused_with_minus_one() {
    let mut ledger = Ledger::new();
    for (number, expiry) in [("1234", "2028-12"), (CARD, "2023-12"), (CARD, "12/28")] {
        let body = json!({"card_number": number, "expiry": expiry});
        let refusal = refused(call(
            &mut ledger,
            Operation::IssueBillingKey,
            json!({"customer_uid": "c"}),
            Value::Null,
            body,
            NOW,
        ));
        assert_refusal(&refusal, 200, -1);
    }
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::GetBillingKey,
            json!({"customer_uid": "c"}),
            Value::Null,
            Value::Null,
            NOW,
        )),
        404,
        1,
    );
}

#[test]
fn super_billing_keys_are_left_to_the_server() {
    let mut ledger = Ledger::new();
    let body = json!({"card_number": CARD, "expiry": "2028-12", "channel_group_id": "group"});
    assert!(
        call(
            &mut ledger,
            Operation::IssueBillingKey,
            json!({"customer_uid": "c"}),
            Value::Null,
            body,
            NOW
        )
        .is_none()
    );
}

#[test]
fn several_keys_answer_200_207_or_404_and_deleted_keys_are_gone() {
    let mut ledger = Ledger::new();
    answered(issue(&mut ledger, "a", NOW));
    answered(issue(&mut ledger, "b", NOW));
    let keys = |ledger: &mut Ledger, ids: Value| {
        call(
            ledger,
            Operation::GetBillingKeys,
            Value::Null,
            json!({"customer_uids": ids}),
            Value::Null,
            NOW,
        )
    };
    let (status, both) = answered(keys(&mut ledger, json!(["a", "b"])));
    assert_eq!((status, both.as_array().map(Vec::len)), (200, Some(2)));
    let (status, one) = answered(keys(&mut ledger, json!(["a", "x"])));
    assert_eq!((status, one[0]["customer_uid"].as_str()), (207, Some("a")));

    let (_, deleted) = answered(call(
        &mut ledger,
        Operation::DeleteBillingKey,
        json!({"customer_uid": "a"}),
        json!({"reason": "bye"}),
        Value::Null,
        NOW,
    ));
    assert_eq!(deleted["customer_uid"], "a");
    assert_refusal(&refused(keys(&mut ledger, json!(["a"]))), 404, 1);
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::DeleteBillingKey,
            json!({"customer_uid": "a"}),
            Value::Null,
            Value::Null,
            NOW,
        )),
        404,
        1,
    );
}

#[test]
fn pay_again_charges_a_key_and_refuses_an_unknown_one() {
    let mut ledger = Ledger::new();
    answered(issue(&mut ledger, "cust-1", NOW));
    let (_, payment) = answered(again(&mut ledger, "cust-1", "order-1", 9900.0));
    assert_payment_shape(&payment);
    assert_eq!(
        (payment["status"].as_str(), payment["channel"].as_str()),
        (Some("paid"), Some("api"))
    );
    assert_eq!(
        (
            payment["customer_uid"].as_str(),
            payment["customer_uid_usage"].as_str()
        ),
        (Some("cust-1"), Some("payment"))
    );
    assert_eq!(
        (
            payment["card_number"].as_str(),
            payment["pg_provider"].as_str()
        ),
        (Some("123456******3456"), Some("kcp"))
    );
    let imp_uid = payment["imp_uid"].as_str().expect("imp_uid");
    assert_eq!(
        ledger.take_notices(),
        vec![notice(
            imp_uid,
            "order-1",
            "paid",
            Some("http://hook.test/a")
        )]
    );

    assert_refusal(
        &refused(again(&mut ledger, "cust-1", "order-1", 9900.0)),
        200,
        1,
    );
    assert_refusal(
        &refused(again(&mut ledger, "nobody", "order-2", 9900.0)),
        200,
        1,
    );
    assert!(ledger.take_notices().is_empty());
}

#[test]
fn pay_onetime_charges_card_details_and_can_keep_them_as_a_key() {
    let mut ledger = Ledger::new();
    let body = json!({"merchant_uid": "order-1", "amount": 5000, "card_number": CARD, "expiry": "2028-12", "customer_uid": "cust-1", "buyer_name": "buyer"});
    let (_, payment) = answered(call(
        &mut ledger,
        Operation::PayOnetime,
        Value::Null,
        Value::Null,
        body,
        NOW,
    ));
    assert_payment_shape(&payment);
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["customer_uid_usage"].as_str()
        ),
        (Some("paid"), Some("issue"))
    );
    let (_, key) = answered(call(
        &mut ledger,
        Operation::GetBillingKey,
        json!({"customer_uid": "cust-1"}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    assert_eq!(
        (key["card_number"].as_str(), key["customer_name"].as_str()),
        (Some("123456******3456"), Some("buyer"))
    );
    answered(again(&mut ledger, "cust-1", "order-2", 100.0));

    let (_, list) = answered(call(
        &mut ledger,
        Operation::ListBillingKeyPayments,
        json!({"customer_uid": "cust-1"}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    assert_shape(&list, "PaymentPage");
    let merchant_uids: Vec<&str> = list["list"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["merchant_uid"].as_str().expect("id"))
        .collect();
    assert_eq!(merchant_uids, ["order-2", "order-1"]);
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::ListBillingKeyPayments,
            json!({"customer_uid": "x"}),
            Value::Null,
            Value::Null,
            NOW,
        )),
        404,
        1,
    );
}

#[test]
fn pay_onetime_with_an_expired_card_fails_without_a_key_or_notice() {
    let mut ledger = Ledger::new();
    let body = json!({"merchant_uid": "order-1", "amount": 5000, "card_number": CARD, "expiry": "2020-01", "customer_uid": "cust-1"});
    let refusal = refused(call(
        &mut ledger,
        Operation::PayOnetime,
        Value::Null,
        Value::Null,
        body,
        NOW,
    ));
    assert_refusal(&refusal, 200, -1);
    let failed = ledger
        .payment("imp_000000000001")
        .expect("the failed attempt is recorded");
    assert_eq!(
        (failed["status"].as_str(), failed["fail_reason"].as_str()),
        (Some("failed"), Some(refusal.message.as_str()))
    );
    assert!(ledger.take_notices().is_empty());
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::GetBillingKey,
            json!({"customer_uid": "cust-1"}),
            Value::Null,
            Value::Null,
            NOW,
        )),
        404,
        1,
    );
}
