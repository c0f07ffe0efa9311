//! The generator writes the serde impls of structs itself (no derive); these tests pin
//! what they accept and produce on real generated types.

use portone_v1::{
    BillingKeyRecord, CancelPaymentRequest, OnetimePaymentRequest, Payment, ScheduleTimeRequest,
    Timestamp, UpdateVbankRequest,
};
use serde_json::json;

fn payment_json() -> serde_json::Value {
    json!({
        "imp_uid": "imp_123456789012",
        "merchant_uid": "order-1",
        "amount": 1000,
        "cancel_amount": 0,
        "currency": "KRW",
        "status": "paid",
        "pay_method": null,
        "a_field_this_sdk_does_not_know": {"nested": [1, 2, 3]}
    })
}

#[test]
fn unknown_keys_are_skipped_and_absent_or_null_optionals_are_none() {
    let payment: Payment = serde_json::from_value(payment_json()).expect("decodes");
    assert_eq!(payment.imp_uid, "imp_123456789012");
    assert_eq!(payment.status.as_str(), "paid");
    assert!(payment.pay_method.is_none(), "null optional");
    assert!(payment.buyer_name.is_none(), "absent optional");
}

#[test]
fn escaped_keys_decode_like_plain_ones() {
    let body = payment_json()
        .to_string()
        .replace("\"imp_uid\"", "\"imp\\u005fuid\"");
    let payment: Payment = serde_json::from_str(&body).expect("decodes");
    assert_eq!(payment.imp_uid, "imp_123456789012");
}

#[test]
fn a_missing_required_field_is_named_in_the_error() {
    let mut value = payment_json();
    value
        .as_object_mut()
        .expect("object")
        .remove("merchant_uid");
    let err = serde_json::from_value::<Payment>(value).expect_err("required");
    assert!(
        err.to_string().contains("missing field `merchant_uid`"),
        "{err}"
    );
}

#[test]
fn a_repeated_key_is_refused() {
    let body = r#"{"imp_uid":"a","imp_uid":"b","merchant_uid":"m","amount":1,
        "cancel_amount":0,"currency":"KRW","status":"paid"}"#;
    let err = serde_json::from_str::<Payment>(body).expect_err("duplicate");
    assert!(
        err.to_string().contains("duplicate field `imp_uid`"),
        "{err}"
    );
}

#[test]
fn a_non_object_is_refused_with_the_expected_shape() {
    let err = serde_json::from_str::<Payment>(r#"["imp_1"]"#).expect_err("array");
    assert!(err.to_string().contains("a Payment object"), "{err}");
}

#[test]
fn renamed_wire_names_are_read() {
    let record: BillingKeyRecord = serde_json::from_value(json!({
        "customer_uid": "cust-1",
        "channelGroupId": "group-1",
        "succeededChannels": [],
        "failedChannels": []
    }))
    .expect("decodes");
    match record {
        BillingKeyRecord::Super(key) => assert_eq!(key.channel_group_id, "group-1"),
        other => panic!("expected the super shape, got {other:?}"),
    }
}

#[test]
fn unset_optionals_are_left_out_and_fields_keep_declaration_order() {
    let request = CancelPaymentRequest::new()
        .merchant_uid("order-1")
        .amount(500)
        .reason("changed mind");
    assert_eq!(
        serde_json::to_string(&request).expect("encodes"),
        r#"{"merchant_uid":"order-1","amount":500,"reason":"changed mind"}"#
    );
}

#[test]
fn required_fields_are_always_written_and_renamed_ones_use_the_wire_name() {
    let request = OnetimePaymentRequest::new("order-1", 1000, "1234-5678-9012-3456", "2030-12")
        .channel_group_id("group-1");
    let value = serde_json::to_value(&request).expect("encodes");
    assert_eq!(value["merchant_uid"], "order-1");
    assert_eq!(value["amount"], 1000);
    assert_eq!(value["channelGroupId"], "group-1");
    assert!(value.get("channel_group_id").is_none());
    assert!(
        value.get("customer_uid").is_none(),
        "unset optional written"
    );
}

#[test]
fn every_unset_form_of_a_time_reads_as_none() {
    let mut value = payment_json();
    let fields = value.as_object_mut().expect("object");
    fields.insert("paid_at".into(), json!(0));
    fields.insert("failed_at".into(), json!(null));
    fields.insert("cancelled_at".into(), json!(""));
    fields.insert("vbank_date".into(), json!("0"));
    fields.insert("vbank_issued_at".into(), json!(0.0));
    // `started_at` is left out.
    let payment: Payment = serde_json::from_value(value).expect("decodes");
    assert_eq!(payment.paid_at, None, "0");
    assert_eq!(payment.failed_at, None, "null");
    assert_eq!(payment.cancelled_at, None, "empty string");
    assert_eq!(payment.vbank_date, None, "\"0\"");
    assert_eq!(payment.vbank_issued_at, None, "0.0");
    assert_eq!(payment.started_at, None, "missing");
}

#[test]
fn a_set_time_reads_as_some() {
    let mut value = payment_json();
    let fields = value.as_object_mut().expect("object");
    fields.insert("paid_at".into(), json!(1_700_000_060));
    fields.insert("started_at".into(), json!("1700000000"));
    let payment: Payment = serde_json::from_value(value).expect("decodes");
    assert_eq!(payment.paid_at, Some(Timestamp::from_unix(1_700_000_060)));
    assert_eq!(
        payment.started_at,
        Some(Timestamp::from_unix(1_700_000_000))
    );
}

#[test]
fn a_time_that_is_not_one_is_an_error_naming_the_field() {
    let mut value = payment_json();
    let fields = value.as_object_mut().expect("object");
    fields.insert("paid_at".into(), json!("yesterday"));
    let err = serde_json::from_value::<Payment>(value).expect_err("not a time");
    assert!(err.to_string().contains("paid_at"), "{err}");
}

#[test]
fn request_times_are_written_as_integer_seconds() {
    let request = ScheduleTimeRequest::new(Timestamp::from_unix(1_709_251_200));
    assert_eq!(
        serde_json::to_string(&request).expect("encodes"),
        r#"{"schedule_at":1709251200}"#
    );
    let request = UpdateVbankRequest::new().vbank_due(1_700_172_800);
    assert_eq!(
        serde_json::to_string(&request).expect("encodes"),
        r#"{"vbank_due":1700172800}"#
    );
    assert_eq!(
        serde_json::to_string(&UpdateVbankRequest::new()).expect("encodes"),
        "{}",
        "an unset optional time is left out"
    );
}

#[test]
fn a_decoded_payment_serializes_to_its_wire_shape_and_back() {
    let mut received = payment_json();
    let fields = received.as_object_mut().expect("object");
    fields.insert("status".into(), json!("a_status_this_sdk_does_not_know"));
    fields.insert("paid_at".into(), json!(0));
    fields.insert("cancelled_at".into(), json!("1700000000"));
    fields.insert("card_number".into(), json!("457973******1234"));
    let payment: Payment = serde_json::from_value(received).expect("decodes");
    let written = serde_json::to_value(&payment).expect("encodes");
    // No unknown key, no `null`, no unset time: what decodes as `None` is left out; the time
    // is written as integer seconds, the unknown status as it was received.
    assert_eq!(
        written,
        json!({
            "imp_uid": "imp_123456789012",
            "merchant_uid": "order-1",
            "amount": 1000,
            "cancel_amount": 0,
            "currency": "KRW",
            "status": "a_status_this_sdk_does_not_know",
            "card_number": "457973******1234",
            "cancelled_at": 1_700_000_000
        })
    );
    let again: Payment = serde_json::from_value(written.clone()).expect("decodes again");
    assert_eq!(
        serde_json::to_value(&again).expect("encodes again"),
        written
    );
    assert_eq!(again.paid_at, None);
    assert!(
        !format!("{again:?}").contains("457973"),
        "Debug still hides the card number"
    );
}
