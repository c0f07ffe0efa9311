//! Emits `tests/contract/cases.rs`: one test per endpoint against a local mock server,
//! checking method, path, query, JSON body, Authorization header, response decoding and the
//! decoded payload's serialization, and one test per enum decoding each of its values.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{cfg, ident, test_call_args};
use crate::model::{Check, Endpoint, EnumSample, Model, Ty};

/// Tokens of the contract test cases.
pub fn cases(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let krate = quote!(#krate);
    let tests = model
        .categories
        .iter()
        .flat_map(|c| c.endpoints.iter())
        .map(|e| case(e, &krate));
    let enums = model.enum_samples.iter().map(|e| enum_case(e, &krate));
    quote!(#(#tests)* #(#enums)*)
}

/// Decodes every listed value into its variant and an unlisted one into `Unknown`.
fn enum_case(e: &EnumSample, krate: &TokenStream) -> TokenStream {
    let cfg = cfg(&e.cfg);
    let test = ident(&e.test);
    let ty = ident(&e.ty);
    let wires: Vec<&str> = e.values.iter().map(|(wire, _)| wire.as_str()).collect();
    let json = serde_json::to_string(&[wires, vec![e.unknown.as_str()]].concat())
        .expect("a list of strings is JSON");
    let checks = e.values.iter().enumerate().map(|(i, (wire, variant))| {
        let variant = ident(variant);
        quote!(assert!(matches!(got[#i], #krate::types::#ty::#variant), "{}", #wire);)
    });
    let last = e.values.len();
    let unknown = &e.unknown;
    quote! {
        #cfg
        #[test]
        fn #test() {
            let got: ::std::vec::Vec<#krate::types::#ty> =
                ::serde_json::from_str(#json).expect("every value decodes");
            #(#checks)*
            assert!(matches!(&got[#last], #krate::types::#ty::Unknown(v) if v.as_str() == #unknown));
        }
    }
}

fn case(e: &Endpoint, krate: &TokenStream) -> TokenStream {
    let cfg = cfg(&e.cfg);
    let name = ident(&e.name);
    let s = &e.sample;
    let method = &e.method;
    let path = &s.path;
    let mut matchers = vec![quote!(.and(::wiremock::matchers::path(#path)))];
    for (wire, value) in &s.query_pairs {
        matchers.push(quote!(.and(::wiremock::matchers::query_param(#wire, #value))));
    }
    if let Some(body) = &s.body_json {
        let text = body.to_string();
        matchers.push(quote!(.and(::wiremock::matchers::body_json(crate::support::json(#text)))));
    }
    let server = if e.auth {
        matchers.push(
            quote!(.and(::wiremock::matchers::header("authorization", crate::support::BEARER))),
        );
        quote!(crate::support::server().await)
    } else {
        quote!(crate::support::server_without_token().await)
    };
    let response = s.response_json.to_string();
    let wire = match &s.response_wire {
        Some(wire) => {
            let text = wire.to_string();
            quote!(#text)
        }
        None => quote!(sample),
    };
    let args = test_call_args(s, krate);
    let checks: Vec<TokenStream> = s
        .checks
        .iter()
        .map(|c| match c {
            Check::Equals { field, value } => {
                let f = ident(field);
                quote!(assert_eq!(got.#f, #value);)
            }
            Check::Present { field } => {
                let f = ident(field);
                quote!(assert!(got.#f.is_some(), "the sample sends a value");)
            }
            Check::Unset { field } => {
                let f = ident(field);
                quote!(assert_eq!(got.#f, ::core::option::Option::None, "unset time");)
            }
            Check::Time { field, seconds } => {
                let f = ident(field);
                let v = proc_macro2::Literal::i64_suffixed(*seconds);
                quote! {
                    assert_eq!(
                        got.#f,
                        ::core::option::Option::Some(#krate::Timestamp::from_unix(#v))
                    );
                }
            }
            Check::Count { items } => {
                let n = proc_macro2::Literal::usize_unsuffixed(*items);
                quote!(assert_eq!(got.len(), #n);)
            }
        })
        .collect();
    let call = if e.response == Ty::Unit {
        quote!(client.#name(#(#args),*).await.expect("the empty response is accepted");)
    } else {
        quote! {
            let got = client.#name(#(#args),*).await.expect("the sample response decodes");
            #(#checks)*
            crate::support::round_trip(&got, #wire);
        }
    };
    let allow = e.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    // Every test starts the same way: a server expecting exactly this request once.
    let setup = quote! {
        let server = #server;
        let sample = #response;
        ::wiremock::Mock::given(::wiremock::matchers::method(#method))
            #(#matchers)*
            .respond_with(crate::support::envelope(sample))
            .expect(1)
            .mount(&server)
            .await;
        let client = crate::support::client(&server);
    };
    let stream_test = e.stream.as_ref().map(|st| {
        let test = ident(&st.test);
        let method_name = ident(&st.name);
        quote! {
            #cfg
            #allow
            #[tokio::test]
            async fn #test() {
                #setup
                let items: ::std::vec::Vec<_> =
                    ::futures_util::StreamExt::collect(client.#method_name(#(#args),*)).await;
                assert!(!items.is_empty(), "the sample page has items");
                assert!(items.iter().all(|item| item.is_ok()));
            }
        }
    });
    quote! {
        #stream_test
        #cfg
        #allow
        #[tokio::test]
        async fn #name() {
            #setup
            #call
        }
    }
}
