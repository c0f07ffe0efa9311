//! Emits the fake PortOne's walk test (`tests/walk/main.rs`): every endpoint called with the
//! contract tests' arguments through the generated client, against a fake seeded with the
//! state the sample request names (see `resolve/fake.rs`), and held to a decoded success.

use proc_macro2::TokenStream;
use quote::quote;

use super::fake::endpoints;
use super::rust::{Names, call_args, grouped, ident, str_lit};
use crate::model::Model;

/// A JSON value as the walk writes it: on one line, in a raw string literal. (Pretty-printed,
/// the seeds, which many endpoints share, would make up most of the file.)
fn json(value: &serde_json::Value) -> TokenStream {
    str_lit(&value.to_string())
}

/// Tokens of `tests/walk/main.rs`.
pub fn walk(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let fake = ident(&model.fake_crate_ident);
    let now = grouped(model.fake.walk_now);
    let tests = endpoints(model).map(|e| {
        let name = ident(&e.name);
        let operation = ident(&e.fake.operation);
        let s = &e.sample;
        let args = call_args(s, Names::Imported);
        let call = quote!(client(fake).#name(#(#args),*).await.map(drop));
        match (&s.body_json, e.auth) {
            (Some(body), false) => {
                let body = json(body);
                quote! {
                    #[tokio::test]
                    async fn #name() {
                        let fake = &fake_accepting(#body).await;
                        let result = #call;
                        if let Err(why) = check(fake, Operation::#operation, result) {
                            panic!("{why}");
                        }
                    }
                }
            }
            _ => {
                let seed = match &e.fake.seed {
                    Some(seed) => {
                        let seed = json(seed);
                        quote!(Some(#seed))
                    }
                    None => quote!(None),
                };
                let states = e.fake.states.iter().map(|st| {
                    let (kind, field, values) = (&st.kind, &st.field, &st.values);
                    quote!((#kind, #field, &[#(#values),*]))
                });
                quote! {
                    #[tokio::test]
                    async fn #name() {
                        walk(
                            Operation::#operation,
                            #seed,
                            &[#(#states),*],
                            async |fake: &FakePortOne| #call,
                        )
                        .await;
                    }
                }
            }
        }
    });
    quote! {
        //! Walks every endpoint of `spec/` with the generated client against the fake: the fake
        //! routes and decodes the client's request (with every optional field set), answers it
        //! from the state the request names, and the client decodes a success.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(deprecated)]

        use #krate::*;
        use #fake::{FakePortOne, Operation, Seed, Served};

        /// The fake's clock during the walk: the samples' planned times lie ahead of it.
        const NOW: i64 = #now;

        /// A client of `fake`, without retries so that each call is one request.
        fn client(fake: &FakePortOne) -> Client {
            Client::builder()
                .credentials(fake.key(), fake.secret())
                .base_url(fake.base_url())
                .retry(RetryPolicy::none())
                .build()
                .expect("a valid client")
        }

        /// A fake whose credentials are the ones a token request's sample body sends.
        async fn fake_accepting(body: &str) -> FakePortOne {
            let body: serde_json::Value = serde_json::from_str(body).expect("sample JSON");
            let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
            FakePortOne::builder()
                .credentials(field("imp_key"), field("imp_secret"))
                .start()
                .await
        }

        /// Calls `operation` with `call` on a fake seeded with `seed`, once per value of the
        /// `(kind, field, values)` states (every entity of a kind takes the attempt's value),
        /// until the call succeeds; fails with every attempt's outcome when none does.
        async fn walk(
            operation: Operation,
            seed: Option<&str>,
            states: &[(&str, &str, &[&str])],
            call: impl AsyncFn(&FakePortOne) -> Result<(), Error>,
        ) {
            let attempts = states.iter().map(|(_, _, values)| values.len()).max().unwrap_or(1);
            let mut failures = Vec::new();
            for attempt in 0..attempts {
                let mut builder = FakePortOne::builder();
                if let Some(seed) = seed {
                    let seed = in_state(seed, states, attempt);
                    builder = builder.seed(Seed::from_json(&seed).expect("the walk's seed reads"));
                }
                let fake = builder.start().await;
                fake.set_now(NOW);
                let result = call(&fake).await;
                match check(&fake, operation, result) {
                    Ok(()) => return,
                    Err(why) => failures.push(why),
                }
            }
            panic!("{operation}: no seeded state let the call succeed:\n{}", failures.join("\n"));
        }

        /// `seed` with each listed state field of every entity of its kind set to the
        /// attempt's value.
        fn in_state(seed: &str, states: &[(&str, &str, &[&str])], attempt: usize) -> String {
            let mut seed: serde_json::Value = serde_json::from_str(seed).expect("seed JSON");
            for (kind, field, values) in states {
                let value = values[attempt % values.len()];
                for entity in seed[*kind].as_array_mut().into_iter().flatten() {
                    entity[*field] = value.into();
                }
            }
            seed.to_string()
        }

        /// The fake served exactly one request to `operation` (neither routing, the token
        /// check nor decoding refused it), and the client decoded a success.
        fn check(
            fake: &FakePortOne,
            operation: Operation,
            result: Result<(), Error>,
        ) -> Result<(), String> {
            let seen: Vec<_> = fake
                .requests()
                .into_iter()
                .filter(|r| r.endpoint == Some(operation))
                .collect();
            assert_eq!(seen.len(), 1, "{operation}: requests {seen:?}");
            let served = &seen[0].served;
            assert!(
                matches!(served, Served::Sample | Served::Ledger | Served::Token),
                "{operation}: the fake refused the client's request: {:?}",
                seen[0]
            );
            result.map_err(|e| format!("{operation} ({served:?}): {e}"))
        }

        #(#tests)*
    }
}
