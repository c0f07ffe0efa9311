//! Tests of the ledger's rules, one file per rule set, through `handle` as the server calls it.

mod billing;
mod cancel;
mod lookups;
mod notices;
mod payments;
mod schedules;

use serde_json::{Map, Value, json};

use super::Ledger;
use crate::exchange::{Call, Notice, Outcome, Refusal};
use crate::operation::Operation;
use crate::spec::KEYS;

/// The fake's clock in the tests: 2024-01-01T00:00:00Z.
const NOW: i64 = 1_704_067_200;

/// Calls `operation` with JSON objects for the path, query and body.
fn call(
    ledger: &mut Ledger,
    operation: Operation,
    path: Value,
    query: Value,
    body: Value,
    now: i64,
) -> Option<Outcome> {
    let object = |value: Value| match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => panic!("not an object: {other}"),
    };
    let (path, query, body) = (object(path), object(query), object(body));
    ledger.handle(&Call {
        operation,
        path: &path,
        query: &query,
        body: &body,
        now,
    })
}

/// The answer of a call the ledger models and accepts: its HTTP status and payload.
fn answered(outcome: Option<Outcome>) -> (u16, Value) {
    match outcome {
        Some(Outcome::Answer { status, response }) => (
            status,
            serde_json::from_str(&response).expect("the answer is JSON"),
        ),
        Some(Outcome::Refuse(refusal)) => panic!("refused: {refusal:?}"),
        None => panic!("not modelled"),
    }
}

fn refused(outcome: Option<Outcome>) -> Refusal {
    match outcome {
        Some(Outcome::Refuse(refusal)) => refusal,
        Some(Outcome::Answer { status, response }) => panic!("answered {status}: {response}"),
        None => panic!("not modelled"),
    }
}

/// Asserts a refusal's HTTP status and code, and that it has a message.
fn assert_refusal(refusal: &Refusal, status: u16, code: i64) {
    assert_eq!(
        (refusal.status, refusal.code),
        (status, code),
        "{refusal:?}"
    );
    assert!(!refusal.message.is_empty());
}

fn notice(imp_uid: &str, merchant_uid: &str, status: &str, notice_url: Option<&str>) -> Notice {
    Notice {
        notice_url: notice_url.map(str::to_owned),
        imp_uid: imp_uid.to_owned(),
        merchant_uid: merchant_uid.to_owned(),
        status: status.to_owned(),
        cancellation_id: None,
    }
}

/// Asserts that `value` has exactly the keys of the shape `name` (the spec's type of that
/// name), as generated from the spec: an answer written by hand instead of through the
/// shape would be caught.
fn assert_shape(value: &Value, name: &str) {
    let (_, keys) = KEYS
        .iter()
        .find(|(shape, _)| *shape == name)
        .unwrap_or_else(|| panic!("no shape {name}"));
    let mut want: Vec<&str> = keys.to_vec();
    want.sort_unstable();
    let got: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(got, want, "keys of {name}");
}

/// Asserts that a `Payment` payload has every key of the spec's `Payment`, and its refunds
/// every key of a `PaymentCancellation`.
fn assert_payment_shape(payment: &Value) {
    assert_shape(payment, "Payment");
    for entry in payment["cancel_history"]
        .as_array()
        .expect("cancel_history")
    {
        assert_shape(entry, "PaymentCancellation");
    }
}

#[test]
fn unmodelled_operations_are_left_to_the_server() {
    let mut ledger = Ledger::new();
    assert!(
        call(
            &mut ledger,
            Operation::GetCertification,
            json!({"imp_uid": "imp_1"}),
            Value::Null,
            Value::Null,
            NOW
        )
        .is_none()
    );
}

#[test]
fn shape_checks_can_fail() {
    let missing = std::panic::catch_unwind(|| {
        assert_shape(&json!({"merchant_uid": "o", "amount": 1}), "PaymentPrepare");
    });
    assert!(
        missing.is_err(),
        "a missing field must fail the shape check"
    );
    let extra = std::panic::catch_unwind(|| {
        let full = json!({"merchant_uid": "o", "amount": 1, "currency": null, "more": 1});
        assert_shape(&full, "PaymentPrepare");
    });
    assert!(extra.is_err(), "a field the spec lacks must fail it too");
}
