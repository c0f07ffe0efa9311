//! Set-up shared by the generated contract tests.
//!
//! With a single category feature on, some helpers have no caller.
#![allow(dead_code)]

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The token the mock token endpoint hands out, as the client must send it.
pub const BEARER: &str = "Bearer test-access-token";

/// A mock server whose token endpoint works.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(envelope(
            r#"{"access_token":"test-access-token","expired_at":1700001800,"now":1700000000}"#,
        ))
        .mount(&server)
        .await;
    server
}

/// A mock server with nothing mounted, for endpoints that need no token.
pub async fn server_without_token() -> MockServer {
    MockServer::start().await
}

/// A client pointed at `server`, without retries so every test sees exactly its requests.
pub fn client(server: &MockServer) -> portone_v1::Client {
    portone_v1::Client::builder()
        .credentials("test-key", "test-secret")
        .base_url(&server.uri())
        .retry(portone_v1::RetryPolicy::none())
        .build()
        .expect("a valid test client")
}

/// A successful envelope around `response` (JSON text).
pub fn envelope(response: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        format!(r#"{{"code":0,"message":null,"response":{response}}}"#),
        "application/json",
    )
}

/// Parses JSON text of a generated sample.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("generated sample JSON is valid")
}
