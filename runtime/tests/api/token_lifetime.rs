//! A token answer that does not say how long the token lasts (`expired_at` or `now` missing or
//! 0) is used for five minutes, refreshed after four (the one-minute refresh margin), instead of
//! failing every call. Each test moves tokio's clock, which the token cache reads, between
//! calls to a server on 127.0.0.1 (the server runs on its own thread, so its clock is the real
//! one).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request as WireRequest, Respond, ResponseTemplate};

use crate::support::*;

/// Hands out `tok-1`, `tok-2`, ... in answers holding `fields` besides the token.
struct Unstated {
    issued: AtomicUsize,
    fields: Map<String, Value>,
}

impl Respond for Unstated {
    fn respond(&self, _: &WireRequest) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let mut answer = self.fields.clone();
        answer.insert("access_token".to_owned(), json!(format!("tok-{n}")));
        ok_json(Value::Object(answer))
    }
}

async fn server(fields: Value) -> MockServer {
    let server = MockServer::start().await;
    let Value::Object(fields) = fields else {
        panic!("the token answer's fields are an object");
    };
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(Unstated {
            issued: AtomicUsize::new(0),
            fields,
        })
        .mount(&server)
        .await;
    server
}

/// Moves the clock the token cache reads `by` forward.
async fn later(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

async fn authorizations(server: &MockServer) -> Vec<String> {
    received(server, "/payments/imp_1")
        .await
        .iter()
        .map(|call| {
            call.headers["authorization"]
                .to_str()
                .expect("ASCII")
                .to_owned()
        })
        .collect()
}

/// The token is used for calls within four minutes of its fetch and replaced after.
async fn used_for_four_minutes(fields: Value) {
    let server = server(fields).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok_json(json!({ "imp_uid": "imp_1" })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    get_payment(&client, "imp_1").await.expect("first call");
    later(Duration::from_secs(230)).await;
    get_payment(&client, "imp_1")
        .await
        .expect("call within four minutes");
    assert_eq!(count(&server, "/users/getToken").await, 1);
    later(Duration::from_secs(20)).await;
    get_payment(&client, "imp_1")
        .await
        .expect("call after four minutes");
    assert_eq!(count(&server, "/users/getToken").await, 2);
    assert_eq!(
        authorizations(&server).await,
        ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_without_now_is_used() {
    used_for_four_minutes(json!({ "expired_at": 1_700_001_800 })).await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_with_now_0_is_used() {
    used_for_four_minutes(json!({ "expired_at": 1_700_001_800, "now": 0 })).await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_without_expired_at_is_used() {
    used_for_four_minutes(json!({ "now": 1_700_000_000 })).await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_with_expired_at_0_is_used() {
    used_for_four_minutes(json!({ "expired_at": 0, "now": 1_700_000_000 })).await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_with_neither_is_used() {
    used_for_four_minutes(json!({})).await;
    used_for_four_minutes(json!({ "expired_at": null, "now": 0 })).await;
}

/// The lifetime the answer states still wins: 30 minutes is not cut to four.
#[tokio::test(flavor = "current_thread")]
async fn a_stated_lifetime_is_still_followed() {
    let server = server(json!({ "expired_at": 1_700_001_800, "now": 1_700_000_000 })).await;
    Mock::given(method("GET"))
        .and(path("/payments/imp_1"))
        .respond_with(ok_json(json!({ "imp_uid": "imp_1" })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    get_payment(&client, "imp_1").await.expect("first call");
    later(Duration::from_secs(28 * 60)).await;
    get_payment(&client, "imp_1")
        .await
        .expect("call within 29 minutes");
    assert_eq!(count(&server, "/users/getToken").await, 1);
    later(Duration::from_secs(2 * 60)).await;
    get_payment(&client, "imp_1")
        .await
        .expect("call after 29 minutes");
    assert_eq!(count(&server, "/users/getToken").await, 2);
}

/// A token refused before its assumed lifetime is over is replaced once, and the call replayed.
#[tokio::test(flavor = "current_thread")]
async fn a_401_still_replays_once_with_a_new_token() {
    let server = server(json!({ "expired_at": 0, "now": 0 })).await;
    let unauthorized = ResponseTemplate::new(401)
        .set_body_json(json!({ "code": -1, "message": "Unauthorized", "response": null }));
    Mock::given(path("/payments/imp_1"))
        .respond_with(Seq::new(vec![
            ok_json(json!({ "imp_uid": "imp_1" })),
            unauthorized,
            ok_json(json!({ "imp_uid": "imp_1" })),
        ]))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    get_payment(&client, "imp_1").await.expect("first call");
    later(Duration::from_secs(60)).await;
    get_payment(&client, "imp_1")
        .await
        .expect("the replay succeeds");
    assert_eq!(count(&server, "/users/getToken").await, 2);
    assert_eq!(
        authorizations(&server).await,
        ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    );
}
