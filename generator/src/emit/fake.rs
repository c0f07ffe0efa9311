//! Emits the generated parts of the fake PortOne (`fake/`): its routing table
//! (`src/spec/mod.rs`: per endpoint the route, what to decode and the sample answer) and the
//! test that walks every endpoint with the generated client (`tests/walk/main.rs`), so that a
//! new endpoint in `spec/` is served and walked with no hand work.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, test_call_args};
use crate::model::{Endpoint, Model, WireParam, WireTy};

/// Tokens of `src/spec/mod.rs`: the static table the fake's router reads.
pub fn table(model: &Model) -> TokenStream {
    let routes = endpoints(model).map(|e| {
        let key = &e.name;
        let method = &e.method;
        let path = &e.path;
        let auth = e.auth;
        let path_params = params(&e.wire.path);
        let query = params(&e.wire.query);
        let body = params(&e.wire.body);
        let sample = e.sample.response_json.to_string();
        quote! {
            Route {
                key: #key,
                method: #method,
                path: #path,
                auth: #auth,
                path_params: #path_params,
                query: #query,
                body: #body,
                sample: #sample,
            }
        }
    });
    quote! {
        //! Every endpoint of `spec/` as the fake routes and decodes it, with the payload it
        //! answers when the ledger does not model the call.

        use crate::route::{Param, Route, Wire};

        /// Every endpoint, in category order.
        pub(crate) static ROUTES: &[Route] = &[#(#routes),*];
    }
}

fn endpoints(model: &Model) -> impl Iterator<Item = &Endpoint> {
    model.categories.iter().flat_map(|c| &c.endpoints)
}

fn params(params: &[WireParam]) -> TokenStream {
    let items = params.iter().map(|p| {
        let name = &p.name;
        let wire = &p.wire;
        let ty = wire_ty(&p.ty);
        let required = p.required;
        quote!(Param { name: #name, wire: #wire, ty: #ty, required: #required })
    });
    quote!(&[#(#items),*])
}

fn wire_ty(ty: &WireTy) -> TokenStream {
    match ty {
        WireTy::String => quote!(Wire::String),
        WireTy::Integer => quote!(Wire::Integer),
        WireTy::Number => quote!(Wire::Number),
        WireTy::Boolean => quote!(Wire::Boolean),
        WireTy::Json => quote!(Wire::Json),
        WireTy::Object => quote!(Wire::Object),
        WireTy::List(inner) => {
            let inner = wire_ty(inner);
            quote!(Wire::List(&#inner))
        }
    }
}

/// Tokens of `tests/walk/main.rs`: one test per endpoint calling it, with the contract tests'
/// arguments, through the generated client against a fresh fake.
pub fn walk(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let krate = quote!(#krate);
    let fake = ident(&model.fake_crate_ident);
    let tests = endpoints(model).map(|e| {
        let name = ident(&e.name);
        let key = &e.name;
        let s = &e.sample;
        let args = test_call_args(s, &krate);
        let start = match (&s.body_json, e.auth) {
            (Some(body), false) => {
                let body = body.to_string();
                quote!(fake_accepting(#body).await)
            }
            _ => quote!(#fake::FakePortOne::start().await),
        };
        quote! {
            #[tokio::test]
            async fn #name() {
                let fake = #start;
                let result = client(&fake).#name(#(#args),*).await.map(drop);
                check(&fake, #key, result);
            }
        }
    });
    quote! {
        //! Walks every endpoint of `spec/` with the generated client against the fake: the fake
        //! routes and decodes the client's request (with every optional field set) and the
        //! client decodes its answer.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(deprecated)]

        use #fake::{FakePortOne, Served};

        /// A client of `fake`, without retries so that each call is one request.
        fn client(fake: &FakePortOne) -> #krate::Client {
            #krate::Client::builder()
                .credentials(fake.key(), fake.secret())
                .base_url(fake.base_url())
                .retry(#krate::RetryPolicy::none())
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

        /// The fake served exactly one request to `key` (neither routing, the token check nor
        /// decoding refused it), and the client decoded the answer: a payload, or a refusal
        /// of the ledger.
        fn check(fake: &FakePortOne, key: &str, result: Result<(), #krate::Error>) {
            let seen: Vec<_> = fake
                .requests()
                .into_iter()
                .filter(|r| r.endpoint.as_deref() == Some(key))
                .collect();
            assert_eq!(seen.len(), 1, "{key}: requests {seen:?}");
            let served = &seen[0].served;
            assert!(
                matches!(served, Served::Sample | Served::Ledger | Served::Token),
                "{key}: the fake refused the client's request: {:?}",
                seen[0]
            );
            match result {
                Ok(()) => {}
                Err(#krate::Error::Api(_)) if *served == Served::Ledger => {}
                Err(e) => panic!("{key}: {e}"),
            }
        }

        #(#tests)*
    }
}
