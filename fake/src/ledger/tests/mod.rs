//! Tests of the ledger's rules, one file per rule set, through `handle` as the server calls it.

mod billing;
mod cancel;
mod lookups;
mod notices;
mod payments;
mod schedules;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::Ledger;
use crate::exchange::{Call, Notice, Outcome, Refusal};

/// The fake's clock in the tests: 2024-01-01T00:00:00Z.
const NOW: i64 = 1_704_067_200;

/// Calls `operation` with JSON objects for the path, query and body.
fn call(
    ledger: &mut Ledger,
    operation: &str,
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
        Some(Outcome::Answer { status, response }) => (status, response),
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

/// The wire names of a struct type's fields in `spec/<file>`.
fn spec_fields(file: &str, type_name: &str) -> BTreeSet<String> {
    let path = format!("{}/../spec/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect(&path);
    let fields = spec["types"][type_name]["fields"]
        .as_mapping()
        .unwrap_or_else(|| panic!("{type_name} has no fields in {file}"));
    fields
        .iter()
        .map(|(name, field)| {
            field["wire"]
                .as_str()
                .or(name.as_str())
                .expect("field name")
                .to_owned()
        })
        .collect()
}

/// Asserts that `value` has exactly the fields of the spec's type, less `absent` (fields the
/// fake leaves out, each for a documented reason).
fn assert_shape(value: &Value, file: &str, type_name: &str, absent: &[&str]) {
    let mut expected = spec_fields(file, type_name);
    for field in absent {
        assert!(expected.remove(*field), "{type_name} has no field {field}");
    }
    let actual: BTreeSet<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect();
    assert_eq!(actual, expected, "fields of {type_name}");
}

/// Asserts that a `Payment` payload has every field of the spec's `Payment` but `extension`,
/// which PortOne adds only when asked and the fake never does.
fn assert_payment_shape(payment: &Value) {
    assert_shape(payment, "payment.yaml", "Payment", &["extension"]);
    for entry in payment["cancel_history"]
        .as_array()
        .expect("cancel_history")
    {
        assert_shape(entry, "payment.yaml", "PaymentCancellation", &[]);
    }
}

#[test]
fn unmodelled_operations_are_left_to_the_server() {
    let mut ledger = Ledger::new();
    assert!(
        call(
            &mut ledger,
            "get_certification",
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
    let result = std::panic::catch_unwind(|| {
        assert_shape(
            &json!({"merchant_uid": "o", "amount": 1}),
            "payment_validation.yaml",
            "PaymentPrepare",
            &[],
        );
    });
    assert!(result.is_err(), "a missing field must fail the shape check");
}
