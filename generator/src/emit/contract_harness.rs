//! The harness around the emitted contract cases (`contract.rs`): the test crate's root and
//! the mock-server helpers the cases call. Emitted rather than kept as hand-written files so
//! that the generated crate's tests are self-contained (they ship with the package, where a
//! helper crate of this workspace would not exist) and nothing is copied.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::model::Model;

/// `tests/contract/main.rs`, left alone by rustfmt like the crate root (see `crate_root::lib`).
pub fn main() -> TokenStream {
    quote! {
        //! Contract tests: one test per endpoint of spec/, each against a mock server on 127.0.0.1,
        //! checking the method, path, query, JSON body and bearer token the client sends and that a
        //! realistic response (nulls and unset timestamps included) decodes and serializes back
        //! to the same shape.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #[rustfmt::skip]
        mod cases;
        #[rustfmt::skip]
        mod samples;
        #[rustfmt::skip]
        mod support;
    }
}

/// `tests/contract/support.rs`: what every case needs, behind `crate::support::*`.
pub fn support(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    quote! {
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
        pub fn client(server: &MockServer) -> #krate::Client {
            #krate::Client::builder()
                .credentials("test-key", "test-secret")
                .base_url(&server.uri())
                .retry(#krate::RetryPolicy::none())
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

        /// A sample answer: its JSON text, and the JSON pointers of the members a decoded
        /// payload leaves out when it is serialized back (a time sent unset, a `null`).
        pub struct Sample {
            /// The payload, as the server sends it.
            pub json: &'static str,
            /// What serializing the decoded payload leaves out.
            pub unset: &'static [&'static str],
        }

        impl Sample {
            /// The payload as a decoded copy of it serializes: without the unset members.
            fn written(&self) -> serde_json::Value {
                let mut value = json(self.json);
                for pointer in self.unset {
                    let (parent, key) = pointer.rsplit_once('/').expect("a pointer to a member");
                    let key = key.replace("~1", "/").replace("~0", "~");
                    value
                        .pointer_mut(parent)
                        .and_then(serde_json::Value::as_object_mut)
                        .and_then(|object| object.remove(&key))
                        .expect("the sample has the member");
                }
                value
            }
        }

        /// Checks that a decoded payload serializes to the sample it was decoded from (without
        /// the members that decoded as `None`), and that this decodes again to a value that
        /// serializes the same.
        pub fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(
            got: &T,
            sample: &Sample,
        ) {
            let written = serde_json::to_value(got).expect("a decoded payload serializes");
            assert_eq!(written, sample.written(), "serialized to the shape it was decoded from");
            let again: T =
                serde_json::from_value(written.clone()).expect("the serialized payload decodes");
            let rewritten = serde_json::to_value(&again).expect("the decoded copy serializes");
            assert_eq!(rewritten, written, "decoding and serializing again changes nothing");
        }
    }
}
