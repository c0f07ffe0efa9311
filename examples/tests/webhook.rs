//! `portone_v1::webhook` through the public API only: JSON and form notifications, the keys
//! the spec does not name, and every way a body is refused.

use portone_v1::PaymentStatus;
use portone_v1::webhook::{BodyFormat, MAX_NOTIFICATION_SIZE, Notification, WebhookError};
use proptest::prelude::*;
use serde_json::json;

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

fn refused(body: &[u8], content_type: &str) -> WebhookError {
    match Notification::parse(body, content_type) {
        Ok(n) => panic!("{:?} parsed as {n:?}", String::from_utf8_lossy(body)),
        Err(e) => e,
    }
}

#[test]
fn a_json_notification_parses_and_keeps_every_other_key() {
    let body = br#"{"imp_uid":"imp_1","merchant_uid":"order-1","status":"paid",
        "custom":"x","tier":{"code":"A1"},"retry":2}"#;
    let n = Notification::parse(body, "Application/JSON; charset=UTF-8").unwrap();
    assert_eq!(n.imp_uid, "imp_1");
    assert_eq!(n.merchant_uid, "order-1");
    assert_eq!(n.status, PaymentStatus::Paid);
    assert_eq!(n.cancellation_id, None);
    assert_eq!(
        n.extra,
        [
            ("custom".to_owned(), json!("x")),
            ("retry".to_owned(), json!(2)),
            ("tier".to_owned(), json!({"code": "A1"})),
        ]
        .into()
    );
}

#[test]
fn a_form_notification_parses_and_keeps_every_other_key() {
    let body = b"imp_uid=imp_2&merchant_uid=%EC%A3%BC%EB%AC%B8+7&status=cancelled\
                 &cancellation_id=c_9&memo=a%26b%3Dc";
    let n = Notification::parse(body, "application/x-www-form-urlencoded; charset=utf-8").unwrap();
    assert_eq!(n.imp_uid, "imp_2");
    assert_eq!(n.merchant_uid, "주문 7");
    assert_eq!(n.status, PaymentStatus::Cancelled);
    assert_eq!(n.cancellation_id.as_deref(), Some("c_9"));
    assert_eq!(n.extra, [("memo".to_owned(), json!("a&b=c"))].into());
}

#[test]
fn a_status_this_version_does_not_know_is_kept() {
    let n = Notification::parse(b"imp_uid=i&merchant_uid=m&status=refunding", FORM).unwrap();
    assert!(!n.status.is_known());
    assert_eq!(n.status.as_str(), "refunding");
}

#[test]
fn a_missing_content_type_reads_the_body_as_what_it_looks_like() {
    let json = Notification::parse(
        br#" {"imp_uid":"i","merchant_uid":"m","status":"ready"}"#,
        "",
    )
    .unwrap();
    assert_eq!(json.status, PaymentStatus::Ready);
    let form = Notification::parse(b"imp_uid=i&merchant_uid=m&status=failed", "").unwrap();
    assert_eq!(form.status, PaymentStatus::Failed);
}

#[test]
fn json_null_is_absent() {
    let n = Notification::parse(
        br#"{"imp_uid":"i","merchant_uid":"m","status":"paid","cancellation_id":null}"#,
        JSON,
    )
    .unwrap();
    assert_eq!(n.cancellation_id, None);
    assert!(n.extra.is_empty(), "a field's key is not kept twice");
    let e = refused(
        br#"{"imp_uid":null,"merchant_uid":"m","status":"paid"}"#,
        JSON,
    );
    assert_eq!(
        e,
        WebhookError::Missing {
            format: BodyFormat::Json,
            field: "imp_uid"
        }
    );
}

#[test]
fn every_refusal_is_its_own_variant_and_says_what_was_wrong() {
    let form_ok = b"imp_uid=i&merchant_uid=m&status=paid";
    let cases: Vec<(WebhookError, &str)> = vec![
        (
            refused(form_ok, "text/plain"),
            "webhook body has content type \"text/plain\"; a notification is read from \
             application/json or application/x-www-form-urlencoded",
        ),
        (
            refused(b"", JSON),
            "webhook body is empty (content type \"application/json\")",
        ),
        (
            refused(b" \r\n", FORM),
            "webhook body is empty (content type \"application/x-www-form-urlencoded\")",
        ),
        (
            refused(&vec![b'a'; MAX_NOTIFICATION_SIZE + 1], FORM),
            "webhook body is 65537 bytes, over the 65536-byte limit for a notification",
        ),
        (
            refused(b"{\"imp_uid\":\"\xff\"}", JSON),
            "webhook body is not UTF-8 text (application/json body)",
        ),
        (
            refused(b"imp_uid=i&merchant_uid=%FF&status=paid", FORM),
            "webhook field `merchant_uid` is not UTF-8 text (application/x-www-form-urlencoded body)",
        ),
        (
            refused(b"imp_uid=i&%C3%28=x", FORM),
            "webhook body is not UTF-8 text (application/x-www-form-urlencoded body)",
        ),
        (
            refused(br#"{"imp_uid":"i","#, JSON),
            "webhook body is not valid JSON: EOF while parsing a value at line 1 column 15",
        ),
        (
            refused(br#"[{"imp_uid":"i"}]"#, JSON),
            "webhook JSON body is an array, not an object",
        ),
        (
            refused(b"\"imp_uid\"", JSON),
            "webhook JSON body is a string, not an object",
        ),
        (
            refused(br#"{"imp_uid":"i","imp_uid":"j"}"#, JSON),
            "webhook body (application/json) has the key `imp_uid` more than once",
        ),
        (
            refused(
                b"imp_uid=i&merchant_uid=m&status=paid&status=cancelled",
                FORM,
            ),
            "webhook body (application/x-www-form-urlencoded) has the key `status` more than once",
        ),
        (
            refused(b"imp_uid=i&status=paid", FORM),
            "webhook body (application/x-www-form-urlencoded) has no `merchant_uid`",
        ),
        (
            refused(
                br#"{"imp_uid":12345,"merchant_uid":"m","status":"paid"}"#,
                JSON,
            ),
            "webhook field `imp_uid` is a number in the JSON body; PortOne sends it as a string",
        ),
        (
            refused(
                br#"{"imp_uid":"i","merchant_uid":"m","status":"paid","cancellation_id":["c"]}"#,
                JSON,
            ),
            "webhook field `cancellation_id` is an array in the JSON body; PortOne sends it as a string",
        ),
    ];
    for (error, message) in &cases {
        assert_eq!(error.to_string(), *message, "{error:?}");
    }
    // Every variant is covered (the match fails to compile when one is added).
    for (error, _) in &cases {
        match error {
            WebhookError::UnsupportedContentType { .. }
            | WebhookError::Empty { .. }
            | WebhookError::TooLarge { .. }
            | WebhookError::NotUtf8 { .. }
            | WebhookError::InvalidJson { .. }
            | WebhookError::NotAnObject { .. }
            | WebhookError::RepeatedKey { .. }
            | WebhookError::Missing { .. }
            | WebhookError::WrongType { .. } => {}
            _ => panic!("a variant this test does not know: {error:?}"),
        }
    }
}

#[test]
fn a_refusal_goes_through_question_mark_in_a_handler() {
    fn handler(body: &[u8], content_type: &str) -> Result<String, Box<dyn std::error::Error>> {
        let n = Notification::parse(body, content_type)?;
        Ok(n.imp_uid)
    }
    assert_eq!(
        handler(b"imp_uid=i&merchant_uid=m&status=paid", FORM).unwrap(),
        "i"
    );
    let e = handler(b"imp_uid=i", FORM).unwrap_err();
    assert!(e.downcast_ref::<WebhookError>().is_some());
}

proptest! {
    #[test]
    fn arbitrary_bodies_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..300),
        content_type in prop_oneof![Just(JSON), Just(FORM), Just(""), Just("text/plain")],
    ) {
        let _ = Notification::parse(&body, content_type);
    }

    #[test]
    fn arbitrary_form_pairs_never_panic_and_keep_every_key(
        pairs in proptest::collection::vec(("[a-z_%+=&]{0,8}", "[ -~]{0,8}"), 0..8),
    ) {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        if let Ok(n) = Notification::parse(body.as_bytes(), FORM) {
            prop_assert!(!n.extra.contains_key("imp_uid"));
        }
    }
}
