//! Lookups, finds, lists with paging and the balance.

use serde_json::{Value, json};

use super::*;
use crate::ledger::{PayMethod, Purchase};

/// A ledger with `n` card payments for `order-0`..`order-{n-1}`, one second apart from `NOW`.
fn ledger_with(n: usize) -> (Ledger, Vec<String>) {
    let mut ledger = Ledger::new();
    let ids = (0..n)
        .map(|i| {
            ledger
                .pay(
                    Purchase::new(format!("order-{i}"), 1000, PayMethod::Card),
                    NOW + i as i64,
                )
                .expect("paid")
        })
        .collect();
    (ledger, ids)
}

fn get(ledger: &mut Ledger, operation: Operation, path: Value, query: Value) -> Option<Outcome> {
    call(ledger, operation, path, query, Value::Null, NOW + 1000)
}

fn imp_uids(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|p| p["imp_uid"].as_str().expect("imp_uid"))
        .collect()
}

#[test]
fn a_payment_is_found_by_imp_uid_and_an_unknown_one_is_a_404() {
    let (mut ledger, ids) = ledger_with(1);
    let (status, payment) = answered(get(
        &mut ledger,
        Operation::GetPayment,
        json!({"imp_uid": ids[0]}),
        json!({"include_sandbox": true}),
    ));
    assert_eq!(status, 200);
    assert_payment_shape(&payment);
    assert_eq!(Some(payment), ledger.payment(&ids[0]));

    let refusal = refused(get(
        &mut ledger,
        Operation::GetPayment,
        json!({"imp_uid": "imp_000000000999"}),
        Value::Null,
    ));
    assert_eq!(
        refusal,
        Refusal {
            status: 404,
            code: -1,
            message: "존재하지 않는 결제정보입니다.".into()
        }
    );
}

#[test]
fn several_payments_answer_200_207_or_404() {
    let (mut ledger, ids) = ledger_with(2);
    let (status, all) = answered(get(
        &mut ledger,
        Operation::GetPayments,
        Value::Null,
        json!({"imp_uids": [ids[0]], "merchant_uids": ["order-1"]}),
    ));
    assert_eq!(
        (status, imp_uids(&all)),
        (200, vec![ids[0].as_str(), ids[1].as_str()])
    );
    for payment in all.as_array().expect("list") {
        assert_payment_shape(payment);
    }

    let (status, some) = answered(get(
        &mut ledger,
        Operation::GetPayments,
        Value::Null,
        json!({"imp_uids": [ids[1], "imp_000000000999"]}),
    ));
    assert_eq!((status, imp_uids(&some)), (207, vec![ids[1].as_str()]));

    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::GetPayments,
            Value::Null,
            json!({"merchant_uids": ["nope"]}),
        )),
        404,
        -1,
    );
    let too_many: Vec<String> = (0..101).map(|i| format!("imp_{i:012}")).collect();
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::GetPayments,
            Value::Null,
            json!({"imp_uids": too_many}),
        )),
        400,
        1,
    );
}

#[test]
fn find_picks_by_sort_order_and_status() {
    let mut ledger = Ledger::new();
    answered(call(
        &mut ledger,
        Operation::CreatePaymentPrepare,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": "order-1", "amount": 500}),
        NOW,
    ));
    ledger
        .pay(Purchase::new("order-1", 1, PayMethod::Card), NOW)
        .unwrap_err();
    let paid = ledger
        .pay(Purchase::new("order-1", 500, PayMethod::Card), NOW + 5)
        .expect("paid");
    let failed = "imp_000000000001";

    let found = |ledger: &mut Ledger, path: Value, query: Value| {
        answered(get(
            ledger,
            if path.get("payment_status").is_some() {
                Operation::FindPaymentByStatus
            } else {
                Operation::FindPayment
            },
            path,
            query,
        ))
        .1["imp_uid"]
            .as_str()
            .map(str::to_owned)
    };
    assert_eq!(
        found(&mut ledger, json!({"merchant_uid": "order-1"}), Value::Null).as_deref(),
        Some(paid.as_str())
    );
    assert_eq!(
        found(
            &mut ledger,
            json!({"merchant_uid": "order-1"}),
            json!({"sorting": "started"})
        )
        .as_deref(),
        Some(failed)
    );
    assert_eq!(
        found(
            &mut ledger,
            json!({"merchant_uid": "order-1", "payment_status": "failed"}),
            Value::Null
        )
        .as_deref(),
        Some(failed)
    );
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::FindPaymentByStatus,
            json!({"merchant_uid": "order-1", "payment_status": "cancelled"}),
            Value::Null,
        )),
        404,
        -1,
    );
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::FindPayment,
            json!({"merchant_uid": "order-2"}),
            Value::Null,
        )),
        404,
        -1,
    );
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::FindPayment,
            json!({"merchant_uid": "order-1"}),
            json!({"sorting": "sideways"}),
        )),
        400,
        1,
    );

    let (_, all) = answered(get(
        &mut ledger,
        Operation::FindAllPayments,
        json!({"merchant_uid": "order-1"}),
        json!({"sorting": "paid"}),
    ));
    assert_shape(&all, "PaymentPage");
    assert_eq!(all["total"], 2);
    assert_eq!(
        imp_uids(&all["list"]),
        vec![failed, paid.as_str()],
        "unpaid (paid_at 0) first when oldest paid first"
    );
    let (_, only_paid) = answered(get(
        &mut ledger,
        Operation::FindAllPaymentsByStatus,
        json!({"merchant_uid": "order-1", "payment_status": "paid"}),
        Value::Null,
    ));
    assert_eq!(imp_uids(&only_paid["list"]), vec![paid.as_str()]);
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::FindAllPayments,
            json!({"merchant_uid": "order-9"}),
            Value::Null,
        )),
        404,
        -1,
    );
}

#[test]
fn status_lists_page_through_everything_exactly_once() {
    let (mut ledger, ids) = ledger_with(5);
    let list = |ledger: &mut Ledger, query: Value| {
        answered(get(
            ledger,
            Operation::ListPaymentsByStatus,
            json!({"payment_status": "paid"}),
            query,
        ))
        .1
    };

    let first = list(&mut ledger, json!({"limit": 2}));
    assert_shape(&first, "PaymentPage");
    assert_eq!(
        (
            first["total"].as_i64(),
            first["previous"].as_i64(),
            first["next"].as_i64()
        ),
        (Some(5), Some(0), Some(2))
    );
    assert_eq!(
        imp_uids(&first["list"]),
        vec![ids[4].as_str(), ids[3].as_str()],
        "newest first by default"
    );
    let last = list(&mut ledger, json!({"limit": 2, "page": 3}));
    assert_eq!(
        (last["previous"].as_i64(), last["next"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(imp_uids(&last["list"]), vec![ids[0].as_str()]);

    let exact = list(&mut ledger, json!({"limit": 5, "sorting": "paid"}));
    assert_eq!(exact["next"], 0, "a full last page has no next page");
    assert_eq!(
        imp_uids(&exact["list"]),
        ids.iter().map(String::as_str).collect::<Vec<_>>()
    );

    for query in [
        json!({"page": 0}),
        json!({"limit": 2, "page": 4}),
        json!({"limit": 0}),
        json!({"limit": 1001}),
    ] {
        assert_refusal(
            &refused(get(
                &mut ledger,
                Operation::ListPaymentsByStatus,
                json!({"payment_status": "paid"}),
                query,
            )),
            400,
            1,
        );
    }
    let empty = answered(get(
        &mut ledger,
        Operation::ListPaymentsByStatus,
        json!({"payment_status": "cancelled"}),
        Value::Null,
    ))
    .1;
    assert_eq!(
        empty,
        json!({"total": 0, "previous": 0, "next": 0, "list": []})
    );
}

#[test]
fn status_lists_filter_on_the_state_and_its_time_window() {
    let (mut ledger, ids) = ledger_with(3);
    ledger
        .pay(Purchase::new("order-v", 10, PayMethod::Vbank), NOW)
        .expect("issued");
    let list = |ledger: &mut Ledger, status: &str, query: Value| {
        answered(get(
            ledger,
            Operation::ListPaymentsByStatus,
            json!({"payment_status": status}),
            query,
        ))
        .1
    };

    assert_eq!(list(&mut ledger, "all", Value::Null)["total"], 4);
    assert_eq!(list(&mut ledger, "ready", Value::Null)["total"], 1);
    let window = list(&mut ledger, "paid", json!({"from": NOW + 1, "to": NOW + 2}));
    assert_eq!(
        imp_uids(&window["list"]),
        vec![ids[2].as_str(), ids[1].as_str()],
        "both ends are inclusive"
    );
    assert_eq!(
        list(&mut ledger, "paid", json!({"to": NOW - 1}))["total"],
        0
    );
    let too_wide = json!({"from": NOW - 91 * 86_400, "to": NOW});
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::ListPaymentsByStatus,
            json!({"payment_status": "paid"}),
            too_wide,
        )),
        400,
        1,
    );
    let reversed = json!({"from": NOW + 10, "to": NOW});
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::ListPaymentsByStatus,
            json!({"payment_status": "paid"}),
            reversed,
        )),
        400,
        1,
    );
}

#[test]
fn the_balance_of_an_untouched_payment_is_all_of_it() {
    let (mut ledger, ids) = ledger_with(1);
    let (_, balance) = answered(get(
        &mut ledger,
        Operation::GetPaymentBalance,
        json!({"imp_uid": ids[0]}),
        Value::Null,
    ));
    assert_shape(&balance, "PaymentBalance");
    assert_shape(&balance["primary"], "BalanceBreakdown");
    assert_shape(&balance["histories"][0], "BalanceHistory");
    assert_eq!(balance["amount"], 1000);
    assert_eq!(
        balance["primary"],
        json!({"tax_free": 0, "supply": 909, "vat": 91, "service": 0})
    );
    assert_eq!(balance["histories"].as_array().map(Vec::len), Some(1));

    let unpaid = ledger
        .pay(Purchase::new("order-v", 10, PayMethod::Vbank), NOW)
        .expect("issued");
    let (_, nothing) = answered(get(
        &mut ledger,
        Operation::GetPaymentBalance,
        json!({"imp_uid": unpaid}),
        Value::Null,
    ));
    assert_eq!(
        (
            nothing["amount"].as_i64(),
            nothing["histories"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    assert_refusal(
        &refused(get(
            &mut ledger,
            Operation::GetPaymentBalance,
            json!({"imp_uid": "imp_x"}),
            Value::Null,
        )),
        404,
        -1,
    );
}
