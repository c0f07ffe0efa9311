//! What a misbehaving server or proxy must never get out of the client: secrets in errors or
//! logs, a wrong diagnosis, unbounded memory.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request as WireRequest, Respond, ResponseTemplate};

use crate::support::*;
use portone_v1_runtime::{Call, Core, Endpoint, Error, Method, Request, RetryPolicy};

/// Everything an error can show: its `Display`, its `Debug` and its sources' `Display`.
fn everything_shown(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text.push_str(&format!("\n{s}"));
        source = s.source();
    }
    text
}

/// Asserts that neither the error nor anything traced so far shows a secret of the test client.
fn assert_nothing_leaks(error: &Error, token: Option<&str>) {
    let shown = everything_shown(error);
    let traced = global_capture().text();
    let mut secrets = vec![SECRET, "imp-key", "4111-1111-1111-1111", "4111111111111111"];
    secrets.extend(token);
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret:?} shown in {shown}");
        assert!(!traced.contains(secret), "{secret:?} traced");
    }
}

/// Echoes the request it received (head and body) inside an HTML page, as a misconfigured
/// proxy or firewall might.
struct Echo(u16);

impl Respond for Echo {
    fn respond(&self, request: &WireRequest) -> ResponseTemplate {
        let mut page = format!(
            "<html><body><h1>Bad gateway</h1><pre>{} {}\n",
            request.method, request.url
        );
        for (name, value) in &request.headers {
            page.push_str(&format!("{name}: {}\n", value.to_str().unwrap_or("?")));
        }
        page.push_str(&String::from_utf8_lossy(&request.body));
        page.push_str("\nimp_key=imp-key&imp_secret=");
        page.push_str(SECRET);
        page.push_str("&card_number=4111-1111-1111-1111</pre></body></html>");
        ResponseTemplate::new(self.0).set_body_raw(page, "text/html")
    }
}

#[tokio::test]
async fn token_endpoint_error_page_echoing_the_form_leaks_nothing() {
    global_capture();
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(Echo(500))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = get_payment(&client, "imp_1").await.expect_err("must fail");
    assert_nothing_leaks(&error, None);
    // Nothing from the token endpoint's answer is kept, not even a scrubbed excerpt.
    match &error {
        Error::Api(api) => assert_eq!((api.body_excerpt(), api.message()), (None, None)),
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn data_endpoint_error_page_echoing_the_authorization_header_leaks_nothing() {
    global_capture();
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(Echo(502))
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let error = get_payment(&client, "imp_1").await.expect_err("must fail");
    assert_nothing_leaks(&error, Some("tok-1"));
    let excerpt = match &error {
        Error::Api(api) => api.body_excerpt().expect("an excerpt of the page"),
        other => panic!("expected Api, got {other:?}"),
    };
    assert!(excerpt.contains("Bad gateway"), "{excerpt}");
    assert!(excerpt.contains("[redacted]"), "{excerpt}");
}

/// A 2xx answer that echoes the token and card data next to the point where decoding fails.
#[tokio::test]
async fn decode_error_on_a_body_holding_the_token_leaks_nothing() {
    global_capture();
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    let body = format!(
        r#"{{"code":0,"message":"echo: Bearer tok-1 {SECRET}","response":{{"card_number":"4111111111111111","authorization":"Bearer tok-1","imp_uid":12}}}}"#
    );
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Payment {
        imp_uid: String,
    }
    let call: Call<'_, Payment> = Call::new(&client, Request::new(&GET_PAYMENT, &["imp_1"]));
    let error = call.await.expect_err("imp_uid is a number");
    assert_nothing_leaks(&error, Some("tok-1"));
    match &error {
        Error::Decode(e) => assert_eq!(e.json_path(), "response.imp_uid"),
        other => panic!("expected Decode, got {other:?}"),
    }
}

/// A truncated answer whose last bytes are the token: the excerpt around the end of the body
/// must not show it.
#[tokio::test]
async fn malformed_body_ending_in_the_token_leaks_nothing() {
    global_capture();
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"code":0,"response":{"header":"Authorization: Bearer tok-1"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = get_payment(&client, "imp_1").await.expect_err("truncated");
    assert_nothing_leaks(&error, Some("tok-1"));
}

#[tokio::test]
async fn token_endpoint_outage_is_not_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(503).set_body_string("maintenance"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error = get_payment(&client, "imp_1").await.expect_err("must fail");
    match &error {
        Error::Api(api) => assert_eq!((api.status(), api.path()), (503, "/users/getToken")),
        other => panic!("expected Api, got {other:?}"),
    }
    assert!(error.during_authentication(), "{error:?}");
    // The payment call itself was never sent.
    assert!(!error.outcome_unknown());
    assert_eq!(
        count(&server, "/users/getToken").await,
        3,
        "retried as a read"
    );
}

#[tokio::test]
async fn token_endpoint_rate_limit_is_not_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let error = get_payment(&client, "imp_1").await.expect_err("must fail");
    assert!(
        matches!(&error, Error::Api(api) if api.status() == 429),
        "{error:?}"
    );
    assert!(error.during_authentication());
}

#[tokio::test]
async fn token_endpoint_timeout_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(path("/users/getToken"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Core::builder()
        .credentials("imp-key", SECRET)
        .base_url(&server.uri())
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    let error = get_payment(&client, "imp_1").await.expect_err("must fail");
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.during_authentication());
    assert!(!error.outcome_unknown());
}

#[tokio::test]
async fn data_call_errors_are_not_during_authentication() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let error = get_payment(&client, "imp_1").await.expect_err("must fail");
    assert!(!error.during_authentication());
    assert!(error.outcome_unknown());
}

const NO_PAYLOAD: Endpoint = Endpoint {
    method: Method::Post,
    path: "/kcpquick/prepare/{merchant_uid}",
    idempotent: false,
    auth: true,
};

async fn no_payload_answer(answer: ResponseTemplate) -> Result<(), Error> {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(method("POST"))
        .and(path("/kcpquick/prepare/order-1"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut request = Request::new(&NO_PAYLOAD, &["order-1"]);
    request.json(&json!({ "amount": 1000 }));
    Call::<()>::new(&client, request).await
}

#[tokio::test]
async fn endpoint_without_payload_accepts_an_empty_success() {
    no_payload_answer(ResponseTemplate::new(200))
        .await
        .expect("empty body");
    no_payload_answer(ResponseTemplate::new(204))
        .await
        .expect("no content");
    no_payload_answer(ResponseTemplate::new(200).set_body_raw(" \r\n", "application/json"))
        .await
        .expect("blank body");
    no_payload_answer(
        ResponseTemplate::new(200)
            .set_body_json(json!({ "code": 0, "message": null, "response": null })),
    )
    .await
    .expect("null payload");
    no_payload_answer(ResponseTemplate::new(200).set_body_json(json!({ "code": 0 })))
        .await
        .expect("no payload key");
}

#[tokio::test]
async fn endpoint_without_payload_still_reports_refusals() {
    let refused = ResponseTemplate::new(200)
        .set_body_json(json!({ "code": 1, "message": "already registered", "response": null }));
    let error = no_payload_answer(refused).await.expect_err("refused");
    assert_eq!(error.code(), Some(1));
    let garbage = ResponseTemplate::new(200).set_body_raw("<html>", "text/html");
    let error = no_payload_answer(garbage).await.expect_err("not JSON");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn endpoint_with_payload_still_refuses_an_empty_body() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let error: Error = get_payment(&client, "imp_1").await.expect_err("empty");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

/// A body over the limit fails as soon as the limit is passed, whether its length was
/// announced or not.
#[tokio::test]
async fn oversized_answers_fail_with_the_limit() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    let big = Value::String("x".repeat(4096)).to_string();
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!(r#"{{"code":0,"response":{{"imp_uid":{big}}}}}"#),
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = Core::builder()
        .credentials("imp-key", SECRET)
        .base_url(&server.uri())
        .max_response_size(1024)
        .build()
        .expect("client");
    let error = get_payment(&client, "imp_1").await.expect_err("too large");
    match &error {
        Error::ResponseTooLarge(e) => {
            assert_eq!((e.limit(), e.status()), (1024, 200));
            assert!(e.to_string().contains("1024"), "{e}");
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert!(error.outcome_unknown());
    assert_eq!(count(&server, "/payments/imp_1").await, 1, "never retried");
}

/// A body under the limit that arrives in several chunks is joined whole.
#[tokio::test]
async fn a_body_in_several_chunks_is_joined() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut head = [0u8; 4096];
        let _ = stream.read(&mut head).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).await.expect("head");
        for part in [r#"{"code":0,"#, r#""response":{"imp_uid":"#, r#""imp_1"}}"#] {
            let chunk = format!("{:x}\r\n{part}\r\n", part.len());
            stream.write_all(chunk.as_bytes()).await.expect("chunk");
            stream.flush().await.expect("flush");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        stream.write_all(b"0\r\n\r\n").await.expect("end");
    });
    let client = client_with(&base, RetryPolicy::none());
    let call: Call<'_, Value> = Call::new(&client, Request::new(&OPEN_GET, &["imp_1"]));
    assert_eq!(call.await.expect("joined body")["imp_uid"], "imp_1");
}

const OPEN_GET: Endpoint = Endpoint {
    method: Method::Get,
    path: "/open/{imp_uid}",
    idempotent: true,
    auth: false,
};
