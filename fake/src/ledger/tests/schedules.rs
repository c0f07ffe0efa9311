//! Scheduled charges: booking, lists, revoking, running due ones, failures and retries.

use serde_json::{Value, json};

use super::*;

const HOUR: i64 = 3600;

/// A ledger with billing key `cust-1` (buyer details on the key) and schedules `sub-1` at
/// `NOW + 1h` and `sub-2` at `NOW + 2h`.
fn booked() -> Ledger {
    let mut ledger = Ledger::new();
    let key = json!({"card_number": "1234-5678-9012-3456", "expiry": "2028-12", "customer_name": "holder", "customer_email": "h@example.com"});
    answered(call(
        &mut ledger,
        Operation::IssueBillingKey,
        json!({"customer_uid": "cust-1"}),
        Value::Null,
        key,
        NOW,
    ));
    let (_, schedules) = answered(book(
        &mut ledger,
        json!([
            {"merchant_uid": "sub-1", "schedule_at": NOW + HOUR, "amount": 9900, "name": "plan", "notice_url": "http://hook.test/s"},
            {"merchant_uid": "sub-2", "schedule_at": NOW + 2 * HOUR, "amount": 9900, "name": "plan", "buyer_name": "other"},
        ]),
    ));
    assert_eq!(schedules.as_array().map(Vec::len), Some(2));
    ledger
}

fn book(ledger: &mut Ledger, schedules: Value) -> Option<Outcome> {
    call(
        ledger,
        Operation::CreateSchedules,
        Value::Null,
        Value::Null,
        json!({"customer_uid": "cust-1", "schedules": schedules}),
        NOW,
    )
}

fn schedule(ledger: &mut Ledger, merchant_uid: &str) -> Value {
    answered(call(
        ledger,
        Operation::GetSchedule,
        json!({"merchant_uid": merchant_uid}),
        Value::Null,
        Value::Null,
        NOW,
    ))
    .1
}

fn merchant_uids(page: &Value) -> Vec<&str> {
    page["list"]
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["merchant_uid"].as_str().expect("id"))
        .collect()
}

#[test]
fn a_booked_schedule_waits_with_the_keys_buyer_details() {
    let mut ledger = booked();
    let first = schedule(&mut ledger, "sub-1");
    assert_shape(&first, "Schedule");
    assert_eq!(
        (
            first["schedule_status"].as_str(),
            first["payment_status"].clone()
        ),
        (Some("scheduled"), Value::Null)
    );
    assert_eq!(
        (
            first["imp_uid"].clone(),
            first["executed_at"].as_i64(),
            first["revoked_at"].as_i64()
        ),
        (Value::Null, Some(0), Some(0))
    );
    assert_eq!(
        (first["buyer_name"].as_str(), first["buyer_email"].as_str()),
        (Some("holder"), Some("h@example.com"))
    );
    assert_eq!(
        schedule(&mut ledger, "sub-2")["buyer_name"],
        "other",
        "the entry's own details win"
    );
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::GetSchedule,
            json!({"merchant_uid": "sub-9"}),
            Value::Null,
            Value::Null,
            NOW,
        )),
        404,
        1,
    );
}

#[test]
fn booking_is_refused_for_past_times_taken_order_ids_and_missing_keys() {
    let mut ledger = booked();
    let past = json!([{"merchant_uid": "sub-3", "schedule_at": NOW, "amount": 1, "name": "n"}]);
    assert_refusal(&refused(book(&mut ledger, past)), 400, 1);
    let taken = json!([{"merchant_uid": "sub-3", "schedule_at": NOW + HOUR, "amount": 1, "name": "n"}, {"merchant_uid": "sub-1", "schedule_at": NOW + HOUR, "amount": 1, "name": "n"}]);
    assert_refusal(&refused(book(&mut ledger, taken)), 200, 1);
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::GetSchedule,
            json!({"merchant_uid": "sub-3"}),
            Value::Null,
            Value::Null,
            NOW,
        )),
        404,
        1,
    );

    let entry =
        json!([{"merchant_uid": "x-1", "schedule_at": NOW + HOUR, "amount": 1, "name": "n"}]);
    let no_key = call(
        &mut ledger,
        Operation::CreateSchedules,
        Value::Null,
        Value::Null,
        json!({"customer_uid": "cust-new", "schedules": entry}),
        NOW,
    );
    assert_refusal(&refused(no_key), 200, 1);
    let with_card = json!({"customer_uid": "cust-new", "schedules": entry, "card_number": "1234-5678-9012-3456", "expiry": "2028-12"});
    answered(call(
        &mut ledger,
        Operation::CreateSchedules,
        Value::Null,
        Value::Null,
        with_card,
        NOW,
    ));
    answered(call(
        &mut ledger,
        Operation::GetBillingKey,
        json!({"customer_uid": "cust-new"}),
        Value::Null,
        Value::Null,
        NOW,
    ));
}

#[test]
fn due_schedules_run_in_time_order_and_notify() {
    let mut ledger = booked();
    assert!(
        ledger.run_due_schedules(NOW + HOUR - 1).is_empty(),
        "nothing is due yet"
    );
    assert_eq!(
        schedule(&mut ledger, "sub-1")["schedule_status"],
        "scheduled"
    );

    let ran = ledger.run_due_schedules(NOW + 3 * HOUR);
    assert_eq!(ran.len(), 2);
    let first = schedule(&mut ledger, "sub-1");
    assert_eq!(
        (
            first["schedule_status"].as_str(),
            first["payment_status"].as_str()
        ),
        (Some("executed"), Some("paid"))
    );
    assert_eq!(
        (first["imp_uid"].as_str(), first["executed_at"].as_i64()),
        (Some(ran[0].as_str()), Some(NOW + 3 * HOUR))
    );
    let payment = ledger.payment(&ran[0]).expect("paid");
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["customer_uid_usage"].as_str()
        ),
        (Some("paid"), Some("payment.scheduled"))
    );
    assert_eq!(payment["merchant_uid"], "sub-1");
    assert_eq!(
        ledger.take_notices(),
        vec![
            notice(&ran[0], "sub-1", "paid", Some("http://hook.test/s")),
            notice(&ran[1], "sub-2", "paid", None)
        ]
    );
    assert!(
        ledger.run_due_schedules(NOW + 10 * HOUR).is_empty(),
        "a schedule runs once"
    );

    answered(call(
        &mut ledger,
        Operation::CancelPayment,
        Value::Null,
        Value::Null,
        json!({"imp_uid": ran[0]}),
        NOW,
    ));
    assert_eq!(
        schedule(&mut ledger, "sub-1")["payment_status"],
        "cancelled"
    );
    let again =
        json!([{"merchant_uid": "sub-2", "schedule_at": NOW + HOUR, "amount": 1, "name": "n"}]);
    assert_refusal(&refused(book(&mut ledger, again)), 200, 1);
}

#[test]
fn a_schedule_on_a_deleted_key_fails_then_can_be_retried_or_rebooked() {
    let mut ledger = booked();
    answered(call(
        &mut ledger,
        Operation::DeleteBillingKey,
        json!({"customer_uid": "cust-1"}),
        Value::Null,
        Value::Null,
        NOW,
    ));
    let ran = ledger.run_due_schedules(NOW + HOUR);
    let failed = schedule(&mut ledger, "sub-1");
    assert_eq!(
        (
            failed["schedule_status"].as_str(),
            failed["payment_status"].as_str()
        ),
        (Some("executed"), Some("failed"))
    );
    assert!(
        failed["fail_reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(
        ledger.payment(&ran[0]).expect("recorded")["status"],
        "failed"
    );
    assert_eq!(
        ledger.take_notices(),
        vec![notice(
            &ran[0],
            "sub-1",
            "failed",
            Some("http://hook.test/s")
        )]
    );

    let move_it = |ledger: &mut Ledger, operation: Operation, merchant_uid: &str, at: i64| {
        call(
            ledger,
            operation,
            json!({"merchant_uid": merchant_uid}),
            Value::Null,
            json!({"schedule_at": at}),
            NOW,
        )
    };
    assert_refusal(
        &refused(move_it(
            &mut ledger,
            Operation::UpdateScheduleTime,
            "sub-1",
            NOW + 5 * HOUR,
        )),
        400,
        1,
    );
    assert_refusal(
        &refused(move_it(
            &mut ledger,
            Operation::RescheduleSchedule,
            "sub-2",
            NOW + 5 * HOUR,
        )),
        400,
        1,
    );
    let (_, moved) = answered(move_it(
        &mut ledger,
        Operation::UpdateScheduleTime,
        "sub-2",
        NOW + 5 * HOUR,
    ));
    assert_eq!(moved["schedule_at"], NOW + 5 * HOUR);
    assert_refusal(
        &refused(move_it(
            &mut ledger,
            Operation::UpdateScheduleTime,
            "sub-2",
            NOW - 1,
        )),
        400,
        1,
    );

    let key = json!({"card_number": "1234-5678-9012-3456", "expiry": "2028-12"});
    answered(call(
        &mut ledger,
        Operation::IssueBillingKey,
        json!({"customer_uid": "cust-1"}),
        Value::Null,
        key,
        NOW,
    ));
    let (_, retried) = answered(call(
        &mut ledger,
        Operation::RetrySchedule,
        json!({"merchant_uid": "sub-1"}),
        Value::Null,
        Value::Null,
        NOW + 2,
    ));
    assert_payment_shape(&retried);
    assert_eq!(retried["status"], "paid");
    assert_eq!(schedule(&mut ledger, "sub-1")["payment_status"], "paid");
    assert_refusal(
        &refused(call(
            &mut ledger,
            Operation::RetrySchedule,
            json!({"merchant_uid": "sub-1"}),
            Value::Null,
            Value::Null,
            NOW,
        )),
        400,
        1,
    );

    answered(call(
        &mut ledger,
        Operation::RevokeSchedules,
        Value::Null,
        Value::Null,
        json!({"merchant_uid": ["sub-2"]}),
        NOW,
    ));
    let (_, rebooked) = answered(move_it(
        &mut ledger,
        Operation::RescheduleSchedule,
        "sub-2",
        NOW + 6 * HOUR,
    ));
    assert_eq!(
        (
            rebooked["schedule_status"].as_str(),
            rebooked["revoked_at"].as_i64()
        ),
        (Some("scheduled"), Some(0))
    );
    assert_eq!(ledger.run_due_schedules(NOW + 6 * HOUR).len(), 1);
}

#[test]
fn revoked_schedules_never_run() {
    let mut ledger = booked();
    let revoke = |ledger: &mut Ledger, body: Value| {
        call(
            ledger,
            Operation::RevokeSchedules,
            Value::Null,
            Value::Null,
            body,
            NOW + 1,
        )
    };
    let (_, revoked) = answered(revoke(
        &mut ledger,
        json!({"customer_uid": "cust-1", "merchant_uid": "sub-2"}),
    ));
    assert_eq!(revoked.as_array().map(Vec::len), Some(1));
    assert_eq!(
        (
            revoked[0]["schedule_status"].as_str(),
            revoked[0]["revoked_at"].as_i64()
        ),
        (Some("revoked"), Some(NOW + 1))
    );
    assert_refusal(
        &refused(revoke(&mut ledger, json!({"merchant_uid": ["sub-2"]}))),
        200,
        1,
    );
    let (_, rest) = answered(revoke(&mut ledger, json!({"customer_uid": "cust-1"})));
    assert_eq!(rest[0]["merchant_uid"], "sub-1");
    assert!(ledger.run_due_schedules(NOW + 10 * HOUR).is_empty());
    assert_refusal(&refused(revoke(&mut ledger, json!({}))), 400, 1);
}

#[test]
fn schedule_lists_filter_sort_and_page() {
    let mut ledger = booked();
    ledger.run_due_schedules(NOW + HOUR);
    let range = |ledger: &mut Ledger, query: Value| {
        call(
            ledger,
            Operation::ListSchedulesByRange,
            Value::Null,
            query,
            Value::Null,
            NOW,
        )
    };
    let (_, all) = answered(range(
        &mut ledger,
        json!({"schedule_from": NOW, "schedule_to": NOW + 3 * HOUR}),
    ));
    assert_shape(&all, "SchedulePage");
    assert_eq!(
        merchant_uids(&all),
        ["sub-2", "sub-1"],
        "newest planned time first"
    );
    let (_, oldest) = answered(range(
        &mut ledger,
        json!({"schedule_from": NOW, "schedule_to": NOW + 3 * HOUR, "sorting": "scheduled", "limit": 1}),
    ));
    assert_eq!(
        (merchant_uids(&oldest), oldest["next"].as_i64()),
        (vec!["sub-1"], Some(2))
    );
    let (_, executed) = answered(range(
        &mut ledger,
        json!({"schedule_from": NOW, "schedule_to": NOW + 3 * HOUR, "schedule_status": "executed"}),
    ));
    assert_eq!(merchant_uids(&executed), ["sub-1"]);
    let (_, end_excluded) = answered(range(
        &mut ledger,
        json!({"schedule_from": NOW, "schedule_to": NOW + 2 * HOUR}),
    ));
    assert_eq!(merchant_uids(&end_excluded), ["sub-1"]);
    assert_refusal(
        &refused(range(
            &mut ledger,
            json!({"schedule_from": NOW, "schedule_to": NOW + 93 * 86_400}),
        )),
        400,
        1,
    );

    for operation in [
        Operation::ListSchedulesByCustomer,
        Operation::ListBillingKeySchedules,
    ] {
        let by_customer = |ledger: &mut Ledger, customer_uid: &str, query: Value| {
            answered(call(
                ledger,
                operation,
                json!({"customer_uid": customer_uid}),
                query,
                Value::Null,
                NOW,
            ))
            .1
        };
        let mine = by_customer(
            &mut ledger,
            "cust-1",
            json!({"from": NOW, "to": NOW + 3 * HOUR, "schedule_status": "scheduled"}),
        );
        assert_eq!(merchant_uids(&mine), ["sub-2"], "{operation}");
        let none = by_customer(
            &mut ledger,
            "cust-2",
            json!({"from": NOW, "to": NOW + 3 * HOUR}),
        );
        assert_eq!(none["total"], 0, "{operation}");
    }
}
