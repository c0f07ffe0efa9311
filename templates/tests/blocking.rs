//! `BlockingClient` (cargo feature `blocking`) against a mock PortOne on 127.0.0.1: calls run to
//! completion without an async runtime of the caller's, share one token, and are refused from
//! inside a runtime instead of blocking it.
#![cfg(all(feature = "blocking", feature = "standard_code"))]

use portone_v1::{BlockingClient, Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok(response: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({ "code": 0, "message": null, "response": response }))
}

#[test]
fn blocking_client_runs_calls() {
    let server_runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = server_runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/users/getToken"))
            .respond_with(ok(json!({
                "access_token": "tok-1",
                "now": 1_700_000_000,
                "expired_at": 1_700_001_800,
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/cards/361"))
            .respond_with(ok(json!({ "code": "361", "name": "BC카드" })))
            .mount(&server)
            .await;
        server
    });
    let client = Client::builder()
        .credentials("imp-key", "imp-secret")
        .base_url(&server.uri())
        .build()
        .expect("client");
    let bc = BlockingClient::from_client(client).expect("blocking client");

    let card = bc.run(bc.get_card_code("361")).expect("card code");
    assert_eq!((card.code.as_str(), card.name.as_str()), ("361", "BC카드"));
    let again = bc.run(bc.get_card_code("361")).expect("card code");
    assert_eq!(again.name, card.name);

    let inside = server_runtime.block_on(async { bc.run(bc.get_card_code("361")) });
    assert!(matches!(inside, Err(Error::Config(_))), "{inside:?}");

    let requests = server_runtime
        .block_on(server.received_requests())
        .expect("recorded");
    let tokens = requests
        .iter()
        .filter(|r| r.url.path() == "/users/getToken")
        .count();
    assert_eq!(tokens, 1, "both calls share one access token");
}
