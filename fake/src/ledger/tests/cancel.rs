//! Refunds: partial then full, checksum, over-refund, second full refund, notices, tax-free
//! and VAT parts, the refund account of a virtual account, promotions, currency decimals.

use serde_json::{Value, json};

use super::*;
use crate::ledger::{PayMethod, Promotion, Purchase};

fn paid(amount: i64) -> (Ledger, String) {
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
    let (mut ledger, imp_uid) = paid(10000);
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
    let (mut ledger, imp_uid) = paid(10000);
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
    let (mut ledger, imp_uid) = paid(10000);
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
    let (mut ledger, imp_uid) = paid(10000);
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
    let (mut ledger, _) = paid(100);
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
        .pay(Purchase::new("order-1", 500, PayMethod::Card), NOW)
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
        .pay(Purchase::new("order-2", 1, PayMethod::Card), NOW)
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
    let purchase = Purchase::new("order-1", 1000, PayMethod::Card).notice_url("http://hook.test/n");
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

/// A card payment made through `pay_onetime` with `parts` (`tax_free`, `vat_amount`, ...).
fn paid_with(amount: i64, parts: Value) -> (Ledger, String) {
    let mut ledger = Ledger::new();
    let mut body = json!({"merchant_uid": "order-1", "amount": amount, "card_number": "1234-5678-1234-5678", "expiry": "2028-12"});
    body.as_object_mut()
        .expect("object")
        .extend(parts.as_object().expect("object").clone());
    let (_, payment) = answered(call(
        &mut ledger,
        Operation::PayOnetime,
        Value::Null,
        Value::Null,
        body,
        NOW,
    ));
    ledger.take_notices();
    (
        ledger,
        payment["imp_uid"].as_str().expect("imp_uid").to_owned(),
    )
}

/// A refund request: `imp_uid` plus the fields of `extra`.
fn refund(imp_uid: &str, extra: Value) -> Value {
    let mut body = extra.as_object().expect("object").clone();
    body.insert("imp_uid".into(), json!(imp_uid));
    Value::Object(body)
}

fn balance(ledger: &mut Ledger, imp_uid: &str) -> Value {
    answered(call(
        ledger,
        Operation::GetPaymentBalance,
        json!({"imp_uid": imp_uid}),
        Value::Null,
        Value::Null,
        NOW,
    ))
    .1
}

/// Asserts a refusal with code 1, HTTP 200 and `message`, and that nothing was refunded by it.
fn assert_refused_with(ledger: &mut Ledger, body: Value, message: &str) {
    let imp_uid = body["imp_uid"].as_str().expect("imp_uid").to_owned();
    let before = ledger.payment(&imp_uid).expect("payment");
    let refusal = refused(cancel(ledger, body, NOW));
    assert_eq!(
        refusal,
        Refusal {
            status: 200,
            code: 1,
            message: message.into()
        }
    );
    assert_eq!(ledger.payment(&imp_uid).expect("payment"), before);
}

#[test]
fn tax_free_is_within_the_refund_and_the_tax_free_part_left() {
    use crate::ledger::args::TAX_FREE_OVER;
    // 11000 paid, 1000 of it tax-free; VAT 909 of the 10000 taxable.
    let (mut ledger, imp_uid) = paid_with(11_000, json!({"tax_free": 1000}));
    let over_the_refund = refund(&imp_uid, json!({"amount": 500, "tax_free": 600}));
    assert_refused_with(&mut ledger, over_the_refund, TAX_FREE_OVER);

    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 2000, "tax_free": 500})),
        NOW,
    ));
    let over_what_is_left = refund(&imp_uid, json!({"amount": 2000, "tax_free": 600}));
    assert_refused_with(&mut ledger, over_what_is_left, TAX_FREE_OVER);
    // Refunded: 500 tax-free, VAT 136 of 1500 taxable.
    assert_eq!(
        balance(&mut ledger, &imp_uid)["primary"],
        json!({"tax_free": 500, "supply": 7727, "vat": 773, "service": 0})
    );

    // Exactly what is left of it is fine; the final refund takes the rest of every part.
    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 1000, "tax_free": 500})),
        NOW,
    ));
    answered(cancel(&mut ledger, refund(&imp_uid, json!({})), NOW));
    assert_eq!(
        balance(&mut ledger, &imp_uid)["primary"],
        json!({"tax_free": 0, "supply": 0, "vat": 0, "service": 0})
    );
}

#[test]
fn vat_is_within_the_refunds_taxable_part_and_the_vat_left() {
    use crate::ledger::args::VAT_OVER;
    // 11000 paid, 200 of it tax-free, VAT given as 1000.
    let (mut ledger, imp_uid) = paid_with(11_000, json!({"tax_free": 200, "vat_amount": 1000}));
    // 1100 refunded, 200 of it tax-free: 900 taxable, less than the VAT asked.
    let over_the_taxable_part = refund(
        &imp_uid,
        json!({"amount": 1100, "tax_free": 200, "vat_amount": 901}),
    );
    assert_refused_with(&mut ledger, over_the_taxable_part, VAT_OVER);

    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 5500, "vat_amount": 500})),
        NOW,
    ));
    let over_what_is_left = refund(&imp_uid, json!({"amount": 5300, "vat_amount": 501}));
    assert_refused_with(&mut ledger, over_what_is_left, VAT_OVER);
    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 5300, "vat_amount": 500})),
        NOW,
    ));
    assert_eq!(
        balance(&mut ledger, &imp_uid)["primary"],
        json!({"tax_free": 200, "supply": 0, "vat": 0, "service": 0})
    );
}

#[test]
fn a_paid_virtual_account_is_refunded_only_to_a_bank_account() {
    use crate::ledger::args::{NEEDS_REFUND_ACCOUNT, NOT_PAID};
    let mut ledger = Ledger::new();
    let imp_uid = ledger
        .pay(Purchase::new("order-1", 30_000, PayMethod::Vbank), NOW)
        .expect("issued");
    assert_refused_with(&mut ledger, refund(&imp_uid, json!({})), NOT_PAID);
    ledger.deposit(&imp_uid, NOW).expect("paid");

    let account = json!({"refund_holder": "홍길동", "refund_bank": "004", "refund_account": "12345678901234"});
    for missing in ["refund_holder", "refund_bank", "refund_account"] {
        let mut body = refund(&imp_uid, account.clone());
        body.as_object_mut().expect("object").remove(missing);
        assert_refused_with(&mut ledger, body, NEEDS_REFUND_ACCOUNT);
    }
    let (_, refunded) = answered(cancel(&mut ledger, refund(&imp_uid, account), NOW));
    assert_eq!(refunded["status"], "cancelled");

    // A card payment has a card to refund to.
    let (mut ledger, imp_uid) = paid(1000);
    answered(cancel(&mut ledger, refund(&imp_uid, json!({})), NOW));
}

/// A card payment of 10000 KRW with a promotion taking 1000 off orders of at least 5000.
fn promoted() -> (Ledger, String) {
    let mut ledger = Ledger::new();
    let promotion = Promotion::new("promotion-id-0001", 1000).min_amount(5000);
    let purchase = Purchase::new("order-1", 10_000, PayMethod::Card).promotion(promotion);
    let imp_uid = ledger.pay(purchase, NOW).expect("paid");
    (ledger, imp_uid)
}

/// The payment's promotion discount and the balance's primary and discount totals.
fn promotion_state(ledger: &mut Ledger, imp_uid: &str) -> (Value, i64, i64) {
    let payment = ledger.payment(imp_uid).expect("payment");
    let balance = balance(ledger, imp_uid);
    let total = |part: &Value| {
        ["tax_free", "supply", "vat"]
            .iter()
            .map(|k| part[k].as_i64().expect("amount"))
            .sum::<i64>()
    };
    (
        payment["promotion"]["discount"].clone(),
        total(&balance["primary"]),
        total(&balance["discount"]),
    )
}

#[test]
fn a_promotion_is_kept_while_what_is_left_meets_its_minimum() {
    let (mut ledger, imp_uid) = promoted();
    assert_eq!(
        ledger.payment(&imp_uid).expect("paid")["promotion"],
        json!({"id": "promotion-id-0001", "discount": 1000})
    );
    // The buyer paid 9000; the card company covers 1000.
    assert_eq!(
        promotion_state(&mut ledger, &imp_uid),
        (json!(1000), 9000, 1000)
    );
    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 5000})),
        NOW,
    ));
    // 5000 left, the minimum: the buyer got 5000 back.
    assert_eq!(
        promotion_state(&mut ledger, &imp_uid),
        (json!(1000), 4000, 1000)
    );
}

#[test]
fn a_refund_below_the_promotions_minimum_takes_the_discount_back() {
    let (mut ledger, imp_uid) = promoted();
    let (_, refunded) = answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 6000, "checksum": 10_000})),
        NOW,
    ));
    // The order total dropped by 6000, but the buyer got 5000 back: 4000 left, all theirs.
    assert_eq!(
        (
            refunded["cancel_amount"].as_i64(),
            refunded["cancel_history"][0]["amount"].as_i64()
        ),
        (Some(6000), Some(6000))
    );
    assert_eq!(promotion_state(&mut ledger, &imp_uid), (json!(0), 4000, 0));
    // Taken back once: a later refund below the minimum returns what it says.
    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 500, "checksum": 4000})),
        NOW,
    ));
    assert_eq!(promotion_state(&mut ledger, &imp_uid), (json!(0), 3500, 0));
}

#[test]
fn retain_promotion_keeps_the_discount_whatever_is_left() {
    let (mut ledger, imp_uid) = promoted();
    let body = refund(&imp_uid, json!({"amount": 6000, "retain_promotion": true}));
    answered(cancel(&mut ledger, body, NOW));
    assert_eq!(
        promotion_state(&mut ledger, &imp_uid),
        (json!(1000), 3000, 1000)
    );
}

#[test]
fn a_refund_smaller_than_the_discount_to_take_back_is_refused() {
    use crate::ledger::args::PROMOTION_RECLAIM;
    let mut ledger = Ledger::new();
    let promotion = Promotion::new("promotion-id-0001", 1000).min_amount(10_000);
    let purchase = Purchase::new("order-1", 10_000, PayMethod::Card).promotion(promotion);
    let imp_uid = ledger.pay(purchase, NOW).expect("paid");
    let small = refund(&imp_uid, json!({"amount": 999}));
    assert_refused_with(&mut ledger, small, PROMOTION_RECLAIM);
    // Exactly the discount: the order shrinks, the buyer gets nothing back.
    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 1000})),
        NOW,
    ));
    assert_eq!(promotion_state(&mut ledger, &imp_uid), (json!(0), 9000, 0));

    let mut ledger = Ledger::new();
    let promotion = Promotion::new("promotion-id-0001", 1000).min_amount(10_000);
    let purchase = Purchase::new("order-1", 10_000, PayMethod::Card).promotion(promotion);
    let imp_uid = ledger.pay(purchase, NOW).expect("paid");
    let kept = refund(&imp_uid, json!({"amount": 999, "retain_promotion": true}));
    answered(cancel(&mut ledger, kept, NOW));
}

#[test]
fn a_full_refund_of_a_promoted_payment_takes_nothing_back() {
    let (mut ledger, imp_uid) = promoted();
    let (_, refunded) = answered(cancel(&mut ledger, refund(&imp_uid, json!({})), NOW));
    assert_eq!(refunded["status"], "cancelled");
    assert_eq!(refunded["promotion"]["discount"], 1000, "not taken back");
    assert_eq!(promotion_state(&mut ledger, &imp_uid), (json!(1000), 0, 0));
}

#[test]
fn refund_amounts_have_the_payments_currency_decimals() {
    let (mut ledger, imp_uid) = paid(1000);
    for key in ["amount", "tax_free", "vat_amount", "checksum"] {
        let body = Value::Object([(key.to_owned(), json!(100.5))].into_iter().collect());
        let refusal = refused(cancel(&mut ledger, refund(&imp_uid, body), NOW));
        assert_refusal(&refusal, 400, 1);
        assert!(refusal.message.contains(key), "{refusal:?}");
    }

    let mut ledger = Ledger::new();
    let purchase = Purchase::new("order-1", 100.1, PayMethod::Card).currency("USD");
    let imp_uid = ledger.pay(purchase, NOW).expect("paid");
    let refusal = refused(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 0.005})),
        NOW,
    ));
    assert_refusal(&refusal, 400, 1);
    answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 0.2})),
        NOW,
    ));
    // 100.1 - 0.2 in f64 is 99.89999999999999; what is left is 99.9 all the same.
    let (_, rest) = answered(cancel(
        &mut ledger,
        refund(&imp_uid, json!({"amount": 99.9, "checksum": 99.9})),
        NOW,
    ));
    assert_eq!(rest["status"], "cancelled");
    assert_eq!(rest["cancel_amount"], 100.1);
}
