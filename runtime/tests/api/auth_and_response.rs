//! Tests of authentication and response handling against a local server.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::task::JoinSet;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;
use portone_v1_runtime::{Call, Core, Error, Request, RetryPolicy};

async fn server_with_payment(lifetime: i64) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, lifetime).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok_json(json!({ "imp_uid": "imp_1" })))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn token_is_cached_across_calls() {
    let server = server_with_payment(1800).await;
    let client = client(&server.uri());
    for _ in 0..3 {
        let payment = get_payment(&client, "imp_1").await.expect("payment");
        assert_eq!(payment["imp_uid"], "imp_1");
    }
    assert_eq!(count(&server, "/users/getToken").await, 1);
    let calls = received(&server, "/payments/imp_1").await;
    assert_eq!(calls.len(), 3);
    for call in calls {
        assert_eq!(call.headers["authorization"], "Bearer tok-1");
    }
}

#[tokio::test]
async fn token_request_sends_credentials_as_json() {
    let server = server_with_payment(1800).await;
    let client = client(&server.uri());
    get_payment(&client, "imp_1").await.expect("payment");
    let token_calls = received(&server, "/users/getToken").await;
    assert_eq!(token_calls.len(), 1);
    let body: Value = serde_json::from_slice(&token_calls[0].body).expect("json body");
    assert_eq!(body, json!({ "imp_key": "imp-key", "imp_secret": SECRET }));
    assert_eq!(token_calls[0].headers["content-type"], "application/json");
    assert!(token_calls[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn token_with_less_than_a_minute_left_is_refreshed() {
    let server = server_with_payment(30).await;
    let client = client(&server.uri());
    get_payment(&client, "imp_1").await.expect("first");
    get_payment(&client, "imp_1").await.expect("second");
    assert_eq!(count(&server, "/users/getToken").await, 2);
    let calls = received(&server, "/payments/imp_1").await;
    assert_eq!(calls[0].headers["authorization"], "Bearer tok-1");
    assert_eq!(calls[1].headers["authorization"], "Bearer tok-2");
}

async fn concurrent_first_calls(n: usize) {
    let server = server_with_payment(1800).await;
    let client = client(&server.uri());
    let mut tasks = JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        tasks.spawn(async move { get_payment(&client, "imp_1").await.map(|_| ()) });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect("call");
    }
    assert_eq!(count(&server, "/users/getToken").await, 1);
    assert_eq!(count(&server, "/payments/imp_1").await, n);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_token_request_for_100_concurrent_calls() {
    concurrent_first_calls(100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_token_request_for_1000_concurrent_calls() {
    concurrent_first_calls(1000).await;
}

#[tokio::test]
async fn unauthorized_call_refreshes_and_replays_once() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    let unauthorized = ResponseTemplate::new(401)
        .set_body_json(json!({ "code": -1, "message": "Unauthorized", "response": null }));
    Mock::given(path("/payments/cancel"))
        .respond_with(Seq::new(vec![unauthorized, ok_json(json!({ "ok": true }))]))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let result = cancel(&client, "imp_1")
        .await
        .expect("replayed call succeeds");
    assert_eq!(result["ok"], true);
    assert_eq!(count(&server, "/users/getToken").await, 2);
    let calls = received(&server, "/payments/cancel").await;
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].headers["authorization"], "Bearer tok-1");
    assert_eq!(calls[1].headers["authorization"], "Bearer tok-2");
}

#[tokio::test]
async fn second_unauthorized_is_an_auth_error() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({ "code": -1, "message": "Unauthorized", "response": null })),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = get_payment(&client, "imp_1").await.expect_err("must fail");
    match &error {
        Error::Auth(api) => {
            assert_eq!(api.status(), 401);
            assert_eq!(api.code(), Some(-1));
            assert_eq!(api.message(), Some("Unauthorized"));
            assert_eq!(api.path(), "/payments/{imp_uid}");
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert_eq!(count(&server, "/users/getToken").await, 2);
    assert_eq!(count(&server, "/payments/imp_1").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rejected_credentials_fail_all_waiters_with_one_request() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({ "code": -1, "message": "imp_key, imp_secret 파라메터가 누락되었습니다.", "response": null }),
        ).set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { get_payment(&client, "imp_1").await });
    }
    while let Some(result) = tasks.join_next().await {
        match result.expect("task") {
            Err(Error::Auth(api)) => {
                assert_eq!(api.status(), 401);
                assert_eq!(api.path(), "/users/getToken");
                assert_eq!(api.code(), Some(-1));
                // Nothing from the token endpoint's answer is kept.
                assert_eq!(api.message(), None);
            }
            other => panic!("expected Auth, got {other:?}"),
        }
    }
    assert_eq!(count(&server, "/users/getToken").await, 1);
    assert_eq!(count(&server, "/payments/imp_1").await, 0);
}

#[tokio::test]
async fn token_refused_with_http_200_and_a_code_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "code": -1, "message": "bad key", "response": null })),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    match get_payment(&client, "imp_1").await {
        Err(Error::Auth(api)) => {
            assert_eq!((api.status(), api.code()), (200, Some(-1)));
            assert_eq!(api.message(), None);
        }
        other => panic!("expected Auth, got {other:?}"),
    }
    assert_eq!(count(&server, "/payments/imp_1").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failing_token_endpoint_causes_no_request_storm() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string("oops")
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    // Two retries: the single shared fetch makes three requests in total.
    let client = client(&server.uri());
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { get_payment(&client, "imp_1").await });
    }
    while let Some(result) = tasks.join_next().await {
        match result.expect("task") {
            // An outage, not refused credentials; the token endpoint's answer is not quoted.
            Err(Error::Api(api)) => {
                assert_eq!(api.status(), 500);
                assert_eq!(api.code(), None);
                assert_eq!(api.body_excerpt(), None);
            }
            other => panic!("expected Api, got {other:?}"),
        }
    }
    assert_eq!(count(&server, "/users/getToken").await, 3);
    assert_eq!(count(&server, "/payments/imp_1").await, 0);
}

#[tokio::test]
async fn later_call_retries_the_token_after_a_failure() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ok_json(json!({})))
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let error = get_payment(&client, "imp_1")
        .await
        .expect_err("token outage");
    assert!(error.during_authentication(), "{error:?}");
    get_payment(&client, "imp_1")
        .await
        .expect("second call fetches again");
    assert_eq!(count(&server, "/users/getToken").await, 2);
}

#[tokio::test]
async fn token_decode_error_never_quotes_the_body() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(ok_json(
            json!({ "access_token": "tok-leak", "expired_at": "soon", "now": 1 }),
        ))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    match get_payment(&client, "imp_1").await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.json_path(), "response.expired_at");
            assert!(!e.excerpt().contains("tok-leak"));
            assert!(!format!("{e} {e:?}").contains("tok-leak"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn non_zero_code_with_http_200_is_an_api_error() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/cancel"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "code": 1, "message": "취소할 결제건이 존재하지 않습니다.", "response": null
        })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = cancel(&client, "imp_x").await.expect_err("refused");
    match &error {
        Error::Api(api) => {
            assert_eq!(api.status(), 200);
            assert_eq!(api.code(), Some(1));
            assert_eq!(api.message(), Some("취소할 결제건이 존재하지 않습니다."));
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.code(), Some(1));
    assert_eq!(count(&server, "/payments/cancel").await, 1);
}

#[tokio::test]
async fn not_found_envelope_keeps_its_message() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "code": -1, "message": "존재하지 않는 결제정보입니다.", "response": null
        })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = get_payment(&client, "imp_missing").await.expect_err("404");
    match &error {
        Error::Api(api) => {
            assert_eq!(api.status(), 404);
            assert_eq!(api.code(), Some(-1));
            assert_eq!(api.message(), Some("존재하지 않는 결제정보입니다."));
            assert_eq!(api.body_excerpt(), None);
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert!(error.to_string().contains("존재하지 않는 결제정보입니다."));
    assert_eq!(count(&server, "/payments/imp_missing").await, 1);
}

#[tokio::test]
async fn html_502_page_is_an_api_error_with_excerpt() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    Mock::given(path("/payments/cancel"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    match cancel(&client, "imp_1").await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status(), 502);
            assert_eq!(api.code(), None);
            assert!(
                api.body_excerpt()
                    .is_some_and(|e| e.contains("502 Bad Gateway"))
            );
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(count(&server, "/payments/cancel").await, 1);
}

#[tokio::test]
async fn malformed_payload_reports_path_and_excerpt() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Cancel {
        amount: i64,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Payment {
        imp_uid: String,
        cancel_history: Vec<Cancel>,
    }
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ok_json(json!({
            "imp_uid": "imp_1",
            "cancel_history": [{ "amount": "one thousand" }]
        })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let call: Call<'_, Payment> = Call::new(&client, Request::new(&GET_PAYMENT, &["imp_1"]));
    match call.await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), 200);
            assert_eq!(e.json_path(), "response.cancel_history[0].amount");
            assert!(
                e.excerpt().contains("one thousand"),
                "excerpt: {}",
                e.excerpt()
            );
            assert!(e.message().contains("invalid type"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    // A decoding failure is final: no retry even for a read.
    assert_eq!(count(&server, "/payments/imp_1").await, 1);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"code":0,"message":null,"response":{"imp_uid":"im"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    match get_payment(&client, "imp_1").await {
        Err(Error::Decode(e)) => {
            assert!(e.message().contains("EOF"), "message: {}", e.message());
            assert!(e.excerpt().contains("imp_uid"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(count(&server, "/payments/imp_1").await, 1);
}

#[tokio::test]
async fn empty_200_body_is_a_decode_error() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    match get_payment(&client, "imp_1").await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), 200);
            assert_eq!(e.message(), "empty response body");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(count(&server, "/payments/imp_1").await, 1);
}

#[tokio::test]
async fn partial_success_207_is_decoded() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments"))
        .respond_with(
            ResponseTemplate::new(207).set_body_json(envelope(json!([{ "imp_uid": "a" }]))),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let call: Call<'_, Vec<Value>> = Call::new(&client, Request::new(&LIST, &[]));
    let found = call.await.expect("207 is a success");
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn unit_payload_ignores_whatever_response_holds() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/cancel"))
        .respond_with(Seq::new(vec![
            ok_json(Value::Null),
            ok_json(json!({ "unexpected": [1, 2] })),
        ]))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    for _ in 0..2 {
        let call: Call<'_, ()> = Call::new(&client, Request::new(&CANCEL, &[]));
        call.await.expect("unit payload");
    }
    let call: Call<'_, Option<Value>> = Call::new(&client, Request::new(&CANCEL, &[]));
    assert!(call.await.expect("option payload").is_some());
}

#[tokio::test]
async fn null_payload_decodes_into_option() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "code": 0 })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let call: Call<'_, Option<Value>> = Call::new(&client, Request::new(&GET_PAYMENT, &["imp_1"]));
    assert_eq!(call.await.expect("absent response is null"), None);
}

#[tokio::test]
async fn client_new_with_empty_credentials_fails_on_call() {
    let client = Core::new("", "");
    let error = get_payment(&client, "imp_1").await.expect_err("config");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
}

#[test]
fn builder_rejects_bad_settings() {
    let bad_url = Core::builder()
        .credentials("k", "s")
        .base_url("ftp://example.com")
        .build();
    assert!(matches!(bad_url, Err(Error::Config(ref m)) if m.contains("http")));
    let not_url = Core::builder().credentials("k", "s").base_url("::").build();
    assert!(matches!(not_url, Err(Error::Config(_))));
    let bad_tier = Core::builder().credentials("k", "s").tier("A B").build();
    assert!(matches!(bad_tier, Err(Error::Config(ref m)) if m.contains("tier")));
    let no_credentials = Core::builder().build();
    assert!(matches!(no_credentials, Err(Error::Config(_))));
    let ok = Core::builder()
        .credentials("k", "s")
        .base_url("http://127.0.0.1:1/prefix/")
        .tier("A1B")
        .timeout(Duration::from_secs(1))
        .build()
        .expect("valid");
    assert_eq!(ok.base_url(), "http://127.0.0.1:1/prefix");
}
