//! Prepared amounts, the payment window and virtual accounts.

use serde_json::{Value, json};

use super::*;
use crate::ledger::{PayMethod, Promotion, Purchase};

fn prepare(ledger: &mut Ledger, merchant_uid: &str, amount: f64) -> Value {
    answered(call(
        ledger,
        Operation::CreatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": merchant_uid, "amount": amount}),
        NOW,
    ))
    .1
}

#[test]
fn prepared_amounts_are_registered_read_and_changed() {
    let mut ledger = Ledger::new();
    let created = prepare(&mut ledger, "order-1", 64900.0);
    assert_eq!(
        created,
        json!({"merchant_uid": "order-1", "amount": 64900, "currency": null})
    );
    assert_shape(&created, "PaymentPrepare");

    let (status, read) = answered(call(
        &mut ledger,
        Operation::GetPaymentPrepare,
        json!({"merchant_uid": "order-1"}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    assert_eq!((status, read), (200, created));

    let (_, updated) = answered(call(
        &mut ledger,
        Operation::UpdatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-1", "amount": 50000, "currency": "KRW"}),
        NOW,
    ));
    assert_eq!(
        updated,
        json!({"merchant_uid": "order-1", "amount": 50000, "currency": "KRW"})
    );
}

#[test]
fn preparing_twice_or_reading_an_unknown_order_is_refused() {
    let mut ledger = Ledger::new();
    prepare(&mut ledger, "order-1", 1000.0);
    let twice = refused(call(
        &mut ledger,
        Operation::CreatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-1", "amount": 1000}),
        NOW,
    ));
    assert_refusal(&twice, 200, 1);
    let unknown = refused(call(
        &mut ledger,
        Operation::GetPaymentPrepare,
        json!({"merchant_uid": "order-2"}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    assert_refusal(&unknown, 404, 1);
    let update = refused(call(
        &mut ledger,
        Operation::UpdatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-2", "amount": 1}),
        NOW,
    ));
    assert_refusal(&update, 404, 1);
}

#[test]
fn a_card_payment_is_paid_recorded_in_full_and_notified() {
    let mut ledger = Ledger::new();
    prepare(&mut ledger, "order-1", 64900.0);
    let purchase = Purchase::new("order-1", 64900, PayMethod::Card)
        .name("chair")
        .buyer_name("buyer")
        .buyer_email("b@example.com")
        .buyer_tel("010")
        .custom_data("{\"cart\":1}")
        .notice_url("http://hook.test/n");
    let imp_uid = ledger.pay(purchase, NOW).expect("paid");
    assert_eq!(imp_uid, "imp_000000000001");

    let payment = ledger.payment(&imp_uid).expect("recorded");
    assert_payment_shape(&payment);
    assert_eq!(payment["status"], "paid");
    assert_eq!(payment["amount"], 64900);
    assert_eq!(payment["cancel_amount"], 0);
    assert_eq!(payment["paid_at"], NOW);
    assert_eq!(payment["failed_at"], 0);
    assert_eq!(payment["pay_method"], "card");
    assert_eq!(payment["card_number"], "536181******1234");
    assert_eq!(payment["vbank_num"], Value::Null);
    assert_eq!(payment["buyer_name"], "buyer");
    assert_eq!(payment["custom_data"], "{\"cart\":1}");
    assert_eq!(payment["cancel_history"], json!([]));
    assert_eq!(
        ledger.take_notices(),
        vec![notice(
            &imp_uid,
            "order-1",
            "paid",
            Some("http://hook.test/n")
        )]
    );
    assert!(
        ledger.take_notices().is_empty(),
        "notices are handed out once"
    );
}

#[test]
fn every_pay_method_records_a_payment_the_lookup_finds() {
    let mut ledger = Ledger::new();
    for (i, method) in PayMethod::ALL.into_iter().enumerate() {
        let imp_uid = ledger
            .pay(Purchase::new(format!("order-{i}"), 100, method), NOW)
            .expect("paid or issued");
        assert!(ledger.payment(&imp_uid).is_some(), "{method:?}");
    }
}

#[test]
fn imp_uids_are_imp_and_twelve_digits_and_unique() {
    let mut ledger = Ledger::new();
    let ids: Vec<String> = (0..3)
        .map(|i| {
            ledger
                .pay(
                    Purchase::new(format!("order-{i}"), 100, PayMethod::Trans),
                    NOW,
                )
                .expect("paid")
        })
        .collect();
    for id in &ids {
        let digits = id.strip_prefix("imp_").expect("imp_ prefix");
        assert!(
            digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()),
            "{id}"
        );
    }
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    assert_eq!(ledger.payment(&ids[0]).expect("paid")["bank_code"], "004");
    assert!(ledger.payment("imp_999999999999").is_none());
}

#[test]
fn a_prepared_amount_mismatch_fails_the_payment_without_a_notice() {
    let mut ledger = Ledger::new();
    prepare(&mut ledger, "order-1", 64900.0);
    let refusal = ledger
        .pay(Purchase::new("order-1", 100, PayMethod::Card), NOW)
        .unwrap_err();
    assert_refusal(&refusal, 200, 1);

    let failed = ledger
        .payment("imp_000000000001")
        .expect("the failed attempt is recorded");
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["fail_reason"], refusal.message.as_str());
    assert_eq!(failed["failed_at"], NOW);
    assert_eq!(failed["paid_at"], 0);
    assert!(
        ledger.take_notices().is_empty(),
        "a failed payment sends no webhook"
    );

    // The buyer tries again with the right amount.
    let imp_uid = ledger
        .pay(Purchase::new("order-1", 64900, PayMethod::Card), NOW + 1)
        .expect("paid");
    assert_eq!(ledger.payment(&imp_uid).expect("paid")["status"], "paid");
}

#[test]
fn a_prepared_currency_is_enforced_too() {
    let mut ledger = Ledger::new();
    answered(call(
        &mut ledger,
        Operation::CreatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-1", "amount": 10, "currency": "USD"}),
        NOW,
    ));
    let refusal = ledger
        .pay(Purchase::new("order-1", 10, PayMethod::Card), NOW)
        .unwrap_err();
    assert_refusal(&refusal, 200, 1);
    assert!(
        ledger
            .pay(
                Purchase::new("order-1", 10.0, PayMethod::Card).currency("USD"),
                NOW
            )
            .is_ok()
    );
}

#[test]
fn an_order_that_is_paid_cannot_be_paid_again() {
    let mut ledger = Ledger::new();
    ledger
        .pay(Purchase::new("order-1", 100, PayMethod::Card), NOW)
        .expect("paid");
    let refusal = ledger
        .pay(Purchase::new("order-1", 100, PayMethod::Card), NOW)
        .unwrap_err();
    assert_refusal(&refusal, 200, 1);
    assert_eq!(
        ledger.payments.len(),
        1,
        "nothing is recorded for the refused attempt"
    );
}

#[test]
fn a_virtual_account_is_ready_until_the_deposit() {
    let mut ledger = Ledger::new();
    let imp_uid = ledger
        .pay(Purchase::new("order-1", 30000, PayMethod::Vbank), NOW)
        .expect("issued");
    let ready = ledger.payment(&imp_uid).expect("issued");
    assert_payment_shape(&ready);
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["paid_at"], 0);
    assert_eq!(ready["vbank_code"], "088");
    assert_eq!(ready["vbank_issued_at"], NOW);
    assert_eq!(ready["vbank_date"], NOW + 3 * 86_400);
    assert!(ready["vbank_num"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(
        ledger.take_notices(),
        vec![notice(&imp_uid, "order-1", "ready", None)]
    );

    ledger.deposit(&imp_uid, NOW + 60).expect("deposited");
    let paid = ledger.payment(&imp_uid).expect("paid");
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["paid_at"], NOW + 60);
    assert_eq!(
        ledger.take_notices(),
        vec![notice(&imp_uid, "order-1", "paid", None)]
    );

    assert_refusal(&ledger.deposit(&imp_uid, NOW + 61).unwrap_err(), 400, 1);
    assert_refusal(
        &ledger.deposit("imp_999999999999", NOW).unwrap_err(),
        404,
        -1,
    );
}

#[test]
fn a_card_payment_takes_no_deposit() {
    let mut ledger = Ledger::new();
    let imp_uid = ledger
        .pay(Purchase::new("order-1", 100, PayMethod::Card), NOW)
        .expect("paid");
    assert_refusal(&ledger.deposit(&imp_uid, NOW).unwrap_err(), 400, 1);
}

#[test]
fn virtual_accounts_issued_by_the_api_change_and_close_only_while_ready() {
    let mut ledger = Ledger::new();
    let body = json!({"channel_key": "ch", "merchant_uid": "order-1", "amount": 5000, "vbank_code": "004", "vbank_due": NOW + 86_400, "notice_url": "http://hook.test/v"});
    let (_, issued) = answered(call(
        &mut ledger,
        Operation::IssueVbank,
        Value::Null,
        Value::Null,
        body,
        NOW,
    ));
    assert_payment_shape(&issued);
    assert_eq!(
        (
            issued["status"].as_str(),
            issued["vbank_name"].as_str(),
            issued["channel"].as_str()
        ),
        (Some("ready"), Some("KB국민은행"), Some("api"))
    );
    let imp_uid = issued["imp_uid"].as_str().expect("imp_uid").to_owned();
    assert_eq!(
        ledger.take_notices(),
        vec![notice(
            &imp_uid,
            "order-1",
            "ready",
            Some("http://hook.test/v")
        )]
    );

    let path = json!({"imp_uid": imp_uid});
    let (_, changed) = answered(call(
        &mut ledger,
        Operation::UpdateVbank,
        path.clone(),
        Value::Null,
        json!({"amount": 4000, "vbank_due": NOW + 7200}),
        NOW,
    ));
    assert_eq!(
        (changed["amount"].as_i64(), changed["vbank_date"].as_i64()),
        (Some(4000), Some(NOW + 7200))
    );

    let (_, revoked) = answered(call(
        &mut ledger,
        Operation::RevokeVbank,
        path.clone(),
        Value::Null,
        Value::Null,
        NOW + 10,
    ));
    assert_eq!(
        (revoked["status"].as_str(), revoked["cancelled_at"].as_i64()),
        (Some("cancelled"), Some(NOW + 10))
    );
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::RevokeVbank,
            path.clone(),
            Value::Null,
            Value::Null,
            NOW,
        )),
        400,
        1,
    );
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::UpdateVbank,
            path,
            Value::Null,
            json!({"amount": 1}),
            NOW,
        )),
        400,
        1,
    );
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::UpdateVbank,
            json!({"imp_uid": "imp_x"}),
            Value::Null,
            json!({"amount": 1}),
            NOW,
        )),
        404,
        -1,
    );
}

#[test]
fn amounts_are_whole_in_won_and_have_cents_in_dollars() {
    let mut ledger = Ledger::new();
    let won = ledger
        .pay(Purchase::new("order-1", 64_900, PayMethod::Card), NOW)
        .expect("paid");
    assert_eq!(ledger.payment(&won).expect("paid")["amount"], 64_900);
    let purchase = Purchase::new("order-2", 12.34, PayMethod::Card).currency("USD");
    let dollars = ledger.pay(purchase, NOW).expect("paid");
    assert_eq!(ledger.payment(&dollars).expect("paid")["amount"], 12.34);
}

#[test]
fn an_amount_the_currency_cannot_hold_is_refused_and_nothing_is_recorded() {
    let mut ledger = Ledger::new();
    let cases = [
        (
            Purchase::new("o", -1, PayMethod::Card),
            "amount -1 in KRW must not be negative",
        ),
        (
            Purchase::new("o", f64::NAN, PayMethod::Card),
            "amount NaN in KRW must be a finite number",
        ),
        (
            Purchase::new("o", f64::INFINITY, PayMethod::Card),
            "amount inf in KRW must be a finite number",
        ),
        (
            Purchase::new("o", 64_900.5, PayMethod::Card),
            "amount 64900.5 in KRW must be whole",
        ),
        (
            Purchase::new("o", 12.345, PayMethod::Card).currency("USD"),
            "amount 12.345 in USD must have at most 2 decimal places",
        ),
        (
            Purchase::new("o", u64::MAX, PayMethod::Card),
            "amount 18446744073709551615 in KRW must be at most 2^53 (9007199254740992), the largest exact amount",
        ),
    ];
    for (purchase, message) in cases {
        let refusal = ledger.pay(purchase, NOW).unwrap_err();
        assert_eq!(
            (refusal.status, refusal.code, refusal.message.as_str()),
            (400, 1, message)
        );
    }
    assert!(ledger.payments.is_empty());
    assert!(ledger.take_notices().is_empty());
}

#[test]
fn a_promotion_applies_to_a_card_payment_that_meets_its_terms() {
    let mut ledger = Ledger::new();
    let promotion = || Promotion::new("promotion-id-0001", 1000).min_amount(5000);
    let refusals = [
        (
            Purchase::new("o", 10_000, PayMethod::Trans).promotion(promotion()),
            "a card-company promotion applies to card payments, not trans",
        ),
        (
            Purchase::new("o", 4_999, PayMethod::Card).promotion(promotion()),
            "amount 4999 is below the promotion's min_amount 5000",
        ),
        (
            Purchase::new("o", 1_000, PayMethod::Card)
                .promotion(Promotion::new("promotion-id-0001", 1000)),
            "promotion discount 1000 must be less than the amount 1000",
        ),
        (
            Purchase::new("o", 10_000, PayMethod::Card)
                .promotion(Promotion::new("promotion-id-0001", 0.5)),
            "promotion discount 0.5 in KRW must be whole",
        ),
    ];
    for (purchase, message) in refusals {
        let refusal = ledger.pay(purchase, NOW).unwrap_err();
        assert_eq!((refusal.status, refusal.message.as_str()), (400, message));
    }
    assert!(ledger.payments.is_empty());

    let purchase = Purchase::new("o", 5_000, PayMethod::Card).promotion(promotion());
    let imp_uid = ledger.pay(purchase, NOW).expect("paid");
    let payment = ledger.payment(&imp_uid).expect("paid");
    assert_eq!(payment["amount"], 5_000, "the order total, as prepared");
    assert_eq!(
        payment["promotion"],
        json!({"id": "promotion-id-0001", "discount": 1000})
    );
    assert_payment_shape(&payment);
}
