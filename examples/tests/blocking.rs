//! `BlockingClient` (cargo feature `blocking`) against a mock PortOne on 127.0.0.1: calls run to
//! completion without an async runtime of the caller's, share one token, and are refused from
//! inside a runtime instead of blocking it.
// The shared mock's realistic payment is one large `json!` literal.
#![recursion_limit = "256"]

#[allow(dead_code)]
mod mock;

use portone_v1::{BlockingClient, Client, Error};
use serde_json::json;

#[test]
fn blocking_client_runs_calls() {
    let server_runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = server_runtime.block_on(async {
        let server = mock::server().await;
        let card = mock::ok(json!({ "code": "361", "name": "BC카드" }));
        mock::answer(&server, "GET", "/cards/361", card, 2).await;
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

    let seen = server_runtime.block_on(mock::seen(&server));
    assert_eq!(
        mock::routes(&seen),
        [
            ("POST", "/users/getToken"),
            ("GET", "/cards/361"),
            ("GET", "/cards/361"),
        ],
        "both calls share one access token; the refused one sent nothing"
    );
}
