//! The notices of a whole day's state changes, in order: which changes send one and which not.

use serde_json::{Value, json};

use super::*;
use crate::ledger::{ConsoleRefund, PayMethod, Purchase};

#[test]
fn every_state_change_that_portone_notifies_is_noticed_in_order() {
    let mut ledger = Ledger::new();
    let card = ledger
        .pay(
            Purchase::new("o-card", 1000, PayMethod::Card).notice_url("http://a.test"),
            NOW,
        )
        .expect("paid");
    let vbank = ledger
        .pay(Purchase::new("o-vbank", 2000, PayMethod::Vbank), NOW)
        .expect("issued");
    answered(call(
        &mut ledger,
        Operation::CreatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "o-fail", "amount": 5}),
        NOW,
    ));
    ledger
        .pay(Purchase::new("o-fail", 6, PayMethod::Card), NOW)
        .unwrap_err();
    ledger.deposit(&vbank, NOW + 1).expect("deposited");
    answered(call(
        &mut ledger,
        Operation::CancelPayment,
        Value::Null,
        Value::Null,
        json!({"imp_uid": card, "amount": 100}),
        NOW + 2,
    ));
    let (_, refund) = answered(call(
        &mut ledger,
        Operation::CancelPayment,
        Value::Null,
        Value::Null,
        json!({"imp_uid": card, "enable_webhook": true}),
        NOW + 3,
    ));
    let key = json!({"card_number": "1234-5678-9012-3456", "expiry": "2028-12"});
    answered(call(
        &mut ledger,
        Operation::IssueBillingKey,
        json!({"customer_uid": "k"}),
        Value::Null,
        key,
        NOW,
    ));
    let entry =
        json!([{"merchant_uid": "o-sub", "schedule_at": NOW + 10, "amount": 300, "name": "n"}]);
    answered(call(
        &mut ledger,
        Operation::CreateSchedules,
        Value::Null,
        Value::Null,
        json!({"customer_uid": "k", "schedules": entry}),
        NOW,
    ));
    let scheduled = ledger.run_due_schedules(NOW + 10);

    let mut cancelled = notice(&card, "o-card", "cancelled", Some("http://a.test"));
    cancelled.cancellation_id = refund["cancel_history"][1]["cancellation_id"]
        .as_str()
        .map(str::to_owned);
    assert!(cancelled.cancellation_id.is_some());
    assert_eq!(
        ledger.take_notices(),
        vec![
            notice(&card, "o-card", "paid", Some("http://a.test")),
            notice(&vbank, "o-vbank", "ready", None),
            notice(&vbank, "o-vbank", "paid", None),
            cancelled,
            notice(&scheduled[0], "o-sub", "paid", None),
        ],
        "no notice for the failed payment, the billing key or the refund without enable_webhook"
    );
    assert!(ledger.take_notices().is_empty());
}

#[test]
fn refused_calls_notify_nothing() {
    let mut ledger = Ledger::new();
    let imp_uid = ledger
        .pay(Purchase::new("o", 1000, PayMethod::Card), NOW)
        .expect("paid");
    ledger.take_notices();
    refused(call(
        &mut ledger,
        Operation::CancelPayment,
        Value::Null,
        Value::Null,
        json!({"imp_uid": imp_uid, "amount": 5000, "enable_webhook": true}),
        NOW,
    ));
    refused(call(
        &mut ledger,
        Operation::PayAgain,
        Value::Null,
        Value::Null,
        json!({"customer_uid": "none", "merchant_uid": "o2", "amount": 1, "name": "n"}),
        NOW,
    ));
    ledger
        .pay(Purchase::new("o", 1000, PayMethod::Card), NOW)
        .unwrap_err();
    assert!(ledger.take_notices().is_empty());
}

#[test]
fn a_console_refund_is_checked_as_the_api_checks_one_and_always_noticed() {
    let mut ledger = Ledger::new();
    let card = ledger
        .pay(Purchase::new("o-card", 1000, PayMethod::Card), NOW)
        .expect("paid");
    let vbank = ledger
        .pay(Purchase::new("o-vbank", 2000, PayMethod::Vbank), NOW)
        .expect("issued");
    ledger.deposit(&vbank, NOW).expect("deposited");
    ledger.take_notices();

    let part = ConsoleRefund::new(&card).amount(300).reason("damaged");
    let payment = ledger.refund_in_console(&part, NOW + 1).expect("refunded");
    assert_eq!(payment["status"], "paid");
    assert_eq!(payment["cancel_amount"], 300);
    assert_eq!(payment["cancel_history"][0]["reason"], "damaged");
    let over = ConsoleRefund::new(&card).amount(5000);
    assert_refusal(
        &ledger.refund_in_console(&over, NOW + 2).unwrap_err(),
        200,
        1,
    );
    let rest = ledger
        .refund_in_console(&ConsoleRefund::new(&card), NOW + 3)
        .expect("the rest");
    assert_eq!(rest["status"], "cancelled");

    let without_account = ConsoleRefund::new(&vbank);
    assert_refusal(
        &ledger.refund_in_console(&without_account, NOW).unwrap_err(),
        200,
        1,
    );
    let with_account = without_account.refund_account("홍길동", "088", "110123456789");
    ledger
        .refund_in_console(&with_account, NOW + 4)
        .expect("refunded to the account");

    let ids = |payment: &Value, i: usize| {
        payment["cancel_history"][i]["cancellation_id"]
            .as_str()
            .map(str::to_owned)
    };
    let mut first = notice(&card, "o-card", "paid", None);
    first.cancellation_id = ids(&payment, 0);
    let mut second = notice(&card, "o-card", "cancelled", None);
    second.cancellation_id = ids(&rest, 1);
    let noticed = ledger.take_notices();
    assert_eq!(noticed[..2], [first, second], "one notice per refund made");
    assert_eq!(
        (noticed.len(), noticed[2].imp_uid.as_str()),
        (3, vbank.as_str())
    );
}
