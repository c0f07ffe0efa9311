//! `webhook.rs`: which content types name which format, how a body without one is read, and
//! what a body becomes. Every error variant is also tested through the generated
//! `Notification::parse` in `examples/tests/webhook.rs`.

use serde_json::json;

use portone_v1_runtime::{BodyFormat, MAX_NOTIFICATION_SIZE, NotificationBody, WebhookError};

const BOTH: &[BodyFormat] = &[BodyFormat::Json, BodyFormat::Form];
const JSON_ONLY: &[BodyFormat] = &[BodyFormat::Json];

#[test]
fn content_types_match_without_case_and_parameters() {
    for (header, format) in [
        ("application/json", Some(BodyFormat::Json)),
        ("Application/JSON; charset=UTF-8", Some(BodyFormat::Json)),
        ("  application/json ;charset=utf-8", Some(BodyFormat::Json)),
        ("application/x-www-form-urlencoded", Some(BodyFormat::Form)),
        (
            "APPLICATION/X-WWW-FORM-URLENCODED; charset=euc-kr",
            Some(BodyFormat::Form),
        ),
        ("text/plain", None),
        ("application/jsonx", None),
        ("multipart/form-data; boundary=x", None),
        ("", None),
    ] {
        assert_eq!(BodyFormat::from_content_type(header), format, "{header:?}");
    }
}

#[test]
fn a_body_without_content_type_is_read_as_what_it_looks_like() {
    let json = NotificationBody::parse(br#" {"a":"1"}"#, "", BOTH).unwrap();
    assert_eq!(json.rest(), [("a".to_owned(), json!("1"))].into());
    let form = NotificationBody::parse(b"a=1", "  ", BOTH).unwrap();
    assert_eq!(form.rest(), [("a".to_owned(), json!("1"))].into());
    // A sniffed format must be accepted too.
    assert_eq!(
        NotificationBody::parse(b"a=1", "", JSON_ONLY).unwrap_err(),
        WebhookError::UnsupportedContentType {
            content_type: String::new(),
            accepted: JSON_ONLY
        }
    );
}

#[test]
fn a_format_the_spec_does_not_accept_is_refused() {
    let err = NotificationBody::parse(b"a=1", "application/x-www-form-urlencoded", JSON_ONLY)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "webhook body has content type \"application/x-www-form-urlencoded\"; a notification \
         is read from application/json"
    );
}

#[test]
fn form_values_are_percent_decoded_strings() {
    let body = NotificationBody::parse(
        b"name=%ED%99%8D+%EA%B8%B8%EB%8F%99&empty=&plus=%2B",
        "application/x-www-form-urlencoded",
        BOTH,
    )
    .unwrap();
    assert_eq!(
        body.rest(),
        [
            ("empty".to_owned(), json!("")),
            ("name".to_owned(), json!("홍 길동")),
            ("plus".to_owned(), json!("+")),
        ]
        .into()
    );
}

#[test]
fn fields_are_taken_once_and_the_rest_is_kept() {
    let mut body = NotificationBody::parse(
        br#"{"a":"x","b":null,"c":7,"d":{"e":[1]}}"#,
        "application/json",
        BOTH,
    )
    .unwrap();
    assert_eq!(body.required("a").unwrap(), "x");
    assert_eq!(body.optional("b").unwrap(), None);
    assert_eq!(body.optional("z").unwrap(), None);
    assert_eq!(
        body.required("a").unwrap_err(),
        WebhookError::Missing {
            format: BodyFormat::Json,
            field: "a"
        }
    );
    assert_eq!(
        body.rest(),
        [
            ("c".to_owned(), json!(7)),
            ("d".to_owned(), json!({"e": [1]}))
        ]
        .into()
    );
}

#[test]
fn the_size_limit_is_inclusive() {
    let mut body = b"a=".to_vec();
    body.resize(MAX_NOTIFICATION_SIZE, b'x');
    assert!(NotificationBody::parse(&body, "application/x-www-form-urlencoded", BOTH).is_ok());
    body.push(b'x');
    assert_eq!(
        NotificationBody::parse(&body, "application/x-www-form-urlencoded", BOTH).unwrap_err(),
        WebhookError::TooLarge {
            len: MAX_NOTIFICATION_SIZE + 1,
            limit: MAX_NOTIFICATION_SIZE
        }
    );
}

#[test]
fn a_json_body_nested_too_deep_is_an_error_not_a_stack_overflow() {
    let body = format!(r#"{{"a":{}{}}}"#, "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(
        NotificationBody::parse(body.as_bytes(), "application/json", BOTH),
        Err(WebhookError::InvalidJson { .. })
    ));
}
