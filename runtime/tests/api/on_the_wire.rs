//! Tests of what goes on the wire: headers, path, query, body, retries,
//! timeouts and broken connections.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;
use portone_v1_runtime::{Call, Core, Error, Request, RetryPolicy, Timestamp};

async fn token_server() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    server
}

#[tokio::test]
async fn standard_headers_are_sent() {
    let server = token_server().await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ok_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    get_payment(&client, "imp_1").await.expect("ok");
    let call = &received(&server, "/payments/imp_1").await[0];
    assert_eq!(call.headers["authorization"], "Bearer tok-1");
    assert_eq!(call.headers["accept"], "application/json");
    let agent = call.headers["user-agent"].to_str().expect("ascii");
    assert!(agent.starts_with("portone-v1-rust/"), "{agent}");
    assert!(call.headers.get("content-type").is_none());
    assert!(call.headers.get("tier").is_none());
}

#[tokio::test]
async fn json_body_is_sent_with_content_type() {
    let server = token_server().await;
    Mock::given(method("POST"))
        .and(path("/payments/cancel"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({ "imp_uid": "imp_9" })))
        .respond_with(ok_json(json!({ "cancelled": true })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let result = cancel(&client, "imp_9").await.expect("matched");
    assert_eq!(result["cancelled"], true);
}

#[tokio::test]
async fn tier_header_from_client_and_per_call_override() {
    let server = token_server().await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ok_json(json!({})))
        .mount(&server)
        .await;
    let client = Core::builder()
        .credentials("imp-key", SECRET)
        .base_url(&server.uri())
        .tier("A1B")
        .build()
        .expect("client");
    get_payment(&client, "imp_1").await.expect("client tier");
    get_payment(&client, "imp_1")
        .tier("Z9Z")
        .await
        .expect("call tier");
    let calls = received(&server, "/payments/imp_1").await;
    assert_eq!(calls[0].headers["tier"], "A1B");
    assert_eq!(calls[1].headers["tier"], "Z9Z");
    // The token request is made with the agency's own credentials, untiered.
    let token_call = &received(&server, "/users/getToken").await[0];
    assert!(token_call.headers.get("tier").is_none());
    let error = get_payment(&client, "imp_1").tier("bad tier").await;
    assert!(matches!(error, Err(Error::InvalidRequest(_))), "{error:?}");
    assert_eq!(count(&server, "/payments/imp_1").await, 2);
}

#[tokio::test]
async fn query_arrays_and_scalars_are_encoded() {
    let server = token_server().await;
    Mock::given(path("/payments"))
        .respond_with(ok_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut request = Request::new(&LIST, &[]);
    request.query("imp_uid[]", &vec!["a".to_owned(), "b c&d".to_owned()]);
    request.query("merchant_uid[]", &["m/1"][..]);
    request.query("missing", &None::<String>);
    request.query("include_sandbox", &Some(true));
    request.query("amount", &1000.0_f64);
    request.query("ratio", &0.5_f64);
    request.query("from", &Timestamp::from_unix(1_700_000_000));
    request.query("page", &2_u32);
    let call: Call<'_, Value> = Call::new(&client, request);
    call.await.expect("ok");
    let call = &received(&server, "/payments").await[0];
    assert_eq!(
        call.url.query(),
        Some(
            "imp_uid%5B%5D=a&imp_uid%5B%5D=b%20c%26d&merchant_uid%5B%5D=m%2F1\
             &include_sandbox=true&amount=1000&ratio=0.5&from=1700000000&page=2"
        )
    );
    let pairs: Vec<(String, String)> = call.url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("imp_uid[]".to_owned(), "a".to_owned()));
    assert_eq!(pairs[1], ("imp_uid[]".to_owned(), "b c&d".to_owned()));
}

#[tokio::test]
async fn path_arguments_are_single_encoded_segments() {
    let server = token_server().await;
    Mock::given(method("GET"))
        .respond_with(ok_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    get_payment(&client, "a/b c?d#é").await.expect("ok");
    let calls = received(&server, "/payments/a%2Fb%20c%3Fd%23%C3%A9").await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].url.query(), None);
    for bad in ["", ".", ".."] {
        match get_payment(&client, bad).await {
            Err(Error::InvalidRequest(e)) => assert!(e.reason().contains("imp_uid")),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    let wrong_arity: Call<'_, Value> = Call::new(&client, Request::new(&GET_PAYMENT, &[]));
    assert!(matches!(wrong_arity.await, Err(Error::InvalidRequest(_))));
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/proxy/users/getToken"))
        .respond_with(ok_json(
            json!({ "access_token": "t", "expired_at": 100, "now": 1 }),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/proxy/payments/imp_1"))
        .respond_with(ok_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&format!("{}/proxy/", server.uri()));
    get_payment(&client, "imp_1").await.expect("prefixed");
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_string("unavailable")
}

#[tokio::test]
async fn idempotent_get_is_retried_on_5xx_until_success() {
    let server = token_server().await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(Seq::new(vec![
            status(500),
            status(502),
            status(503),
            ok_json(json!({ "imp_uid": "imp_1" })),
        ]))
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), fast_retry().max_retries(3));
    let payment = get_payment(&client, "imp_1").await.expect("eventually ok");
    assert_eq!(payment["imp_uid"], "imp_1");
    assert_eq!(count(&server, "/payments/imp_1").await, 4);
}

#[tokio::test]
async fn idempotent_get_gives_up_after_max_retries() {
    let server = token_server().await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(status(504))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    match get_payment(&client, "imp_1").await {
        Err(Error::Api(api)) => assert_eq!(api.status(), 504),
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(count(&server, "/payments/imp_1").await, 3);
}

#[tokio::test]
async fn money_moving_post_is_not_retried_on_5xx_or_429() {
    for code in [500, 502, 503, 504, 429] {
        let server = token_server().await;
        Mock::given(path("/payments/cancel"))
            .respond_with(Seq::new(vec![
                status(code).insert_header("retry-after", "0"),
                ok_json(json!({})),
            ]))
            .mount(&server)
            .await;
        let client = client(&server.uri());
        match cancel(&client, "imp_1").await {
            Err(Error::Api(api)) => assert_eq!(api.status(), code),
            other => panic!("expected Api for {code}, got {other:?}"),
        }
        assert_eq!(count(&server, "/payments/cancel").await, 1, "status {code}");
    }
}

#[tokio::test]
async fn retry_after_on_429_is_honoured() {
    let server = token_server().await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(Seq::new(vec![
            ResponseTemplate::new(429).insert_header("retry-after", "1"),
            ok_json(json!({})),
        ]))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let started = Instant::now();
    get_payment(&client, "imp_1").await.expect("after waiting");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(count(&server, "/payments/imp_1").await, 2);
}

#[tokio::test]
async fn retry_after_beyond_the_limit_stops_retrying() {
    let server = token_server().await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let started = Instant::now();
    match get_payment(&client, "imp_1").await {
        Err(Error::Api(api)) => assert_eq!(api.status(), 503),
        other => panic!("expected Api, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(count(&server, "/payments/imp_1").await, 1);
}

#[tokio::test]
async fn refused_connection_on_post_is_retried_then_transport() {
    let base = refused_base().await;
    let captured = global_capture();
    let client = client(&base);
    let call: Call<'_, Value> = Call::new(&client, Request::new(&OPEN_POST, &[]));
    match call.await {
        Err(error @ Error::Transport(_)) => {
            assert!(
                !error.outcome_unknown(),
                "a refused connection never reached the server"
            );
            let Error::Transport(e) = error else {
                unreachable!()
            };
            assert!(e.is_connect());
            assert_eq!(e.path(), "/open/pay");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    let text = captured.text();
    let retries = text
        .lines()
        .filter(|line| line.contains("/open/pay") && line.contains("portone: retrying"))
        .count();
    assert_eq!(retries, 2, "{text}");
}

#[tokio::test]
async fn closed_connection_on_post_is_transport_without_retry() {
    let (base, hits) = raw_server(RawMode::Close).await;
    let client = client(&base);
    let error = cancel(&client, "imp_1").await.expect_err("closed");
    match &error {
        Error::Transport(e) => assert!(!e.is_connect()),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(
        error.outcome_unknown(),
        "the refund may have been processed"
    );
    // The underlying cause stays reachable through the error chain.
    let cause = std::error::Error::source(&error).expect("source");
    assert!(!cause.to_string().is_empty());
    assert!(error.to_string().contains("POST /payments/cancel"));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn closed_connection_on_get_is_retried() {
    let (base, hits) = raw_server(RawMode::Close).await;
    let client = client(&base);
    assert!(matches!(
        get_payment(&client, "imp_1").await,
        Err(Error::Transport(_))
    ));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn truncated_body_is_transport_and_post_not_retried() {
    let (base, hits) = raw_server(RawMode::Truncate).await;
    let client = client(&base);
    match cancel(&client, "imp_1").await {
        Err(Error::Transport(e)) => assert!(!e.is_connect()),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

async fn slow_server(delay: Duration) -> MockServer {
    let server = token_server().await;
    Mock::given(path("/payments/imp_1"))
        .respond_with(ok_json(json!({})).set_delay(delay))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn slow_response_is_a_timeout() {
    let server = slow_server(Duration::from_millis(400)).await;
    let client = Core::builder()
        .credentials("imp-key", SECRET)
        .base_url(&server.uri())
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    let started = Instant::now();
    let error = get_payment(&client, "imp_1").await.expect_err("too slow");
    assert!(
        matches!(
            error,
            Error::Timeout {
                path: "/payments/{imp_uid}",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_timeout());
    assert!(
        error.outcome_unknown(),
        "a timed-out call may have been processed"
    );
    assert!(started.elapsed() < Duration::from_millis(350));
    // A longer per-call limit lets the same call succeed.
    get_payment(&client, "imp_1")
        .timeout(Duration::from_secs(2))
        .await
        .expect("per-call timeout wins");
}

#[tokio::test]
async fn per_call_timeout_can_shorten_the_limit() {
    let server = slow_server(Duration::from_millis(400)).await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let started = Instant::now();
    let result = get_payment(&client, "imp_1")
        .timeout(Duration::from_millis(100))
        .await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    assert!(started.elapsed() < Duration::from_millis(350));
    assert_eq!(count(&server, "/payments/imp_1").await, 1);
}

#[tokio::test]
async fn timed_out_post_is_not_retried() {
    let server = token_server().await;
    Mock::given(path("/payments/cancel"))
        .respond_with(ok_json(json!({})).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let result = cancel(&client, "imp_1")
        .timeout(Duration::from_millis(50))
        .await;
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    assert_eq!(count(&server, "/payments/cancel").await, 1);
}
