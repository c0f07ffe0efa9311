//! Emits `tests/contract/cases.rs`: one test per endpoint against a local mock server,
//! checking method, path, query, JSON body, Authorization header, response decoding and the
//! decoded payload's serialization, and one test per enum decoding each of its values; and
//! `tests/contract/samples.rs`, the sample answer of each response type, which the tests of
//! every endpoint returning the type share.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{Names, call_args, cfg, doc, ident, raw_str};
use crate::model::{Check, Endpoint, EnumSample, Model, ResponseSample, Ty};

/// Tokens of the contract test cases.
pub fn cases(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let tests = model
        .categories
        .iter()
        .flat_map(|c| c.endpoints.iter())
        .map(case);
    let enums = model.enum_samples.iter().map(enum_case);
    quote! {
        //! With a single category feature on, some imports have no user.
        #![allow(unused_imports)]

        use futures_util::StreamExt;
        use #krate::*;
        use wiremock::Mock;
        use wiremock::matchers::{body_json, header, method, path, query_param};

        use crate::{samples, support};

        #(#tests)*
        #(#enums)*
    }
}

/// Tokens of the samples module.
pub fn samples(model: &Model) -> TokenStream {
    let samples = model.response_samples.iter().map(sample);
    quote! {
        //! One sample answer per response type, shared by the tests of every endpoint that
        //! returns it: every optional field set, from the spec's examples where they fit, and
        //! times left unset as PortOne sends them.
        //!
        //! With a single category feature on, some samples have no test.
        #![allow(dead_code)]

        use crate::support::Sample;

        #(#samples)*
    }
}

fn sample(s: &ResponseSample) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc(&s.doc);
    let json = raw_str(&serde_json::to_string_pretty(&s.json).unwrap_or_default());
    let unset = &s.unset;
    quote! {
        #doc
        pub const #name: Sample = Sample {
            json: #json,
            unset: &[#(#unset),*],
        };
    }
}

/// Decodes every listed value into its variant and an unlisted one into `Unknown`.
fn enum_case(e: &EnumSample) -> TokenStream {
    let cfg = cfg(&e.cfg);
    let test = ident(&e.test);
    let ty = ident(&e.ty);
    let wires: Vec<&str> = e.values.iter().map(|(wire, _)| wire.as_str()).collect();
    let json = serde_json::to_string(&[wires, vec![e.unknown.as_str()]].concat())
        .expect("a list of strings is JSON");
    let json = raw_str(&json);
    let checks = e.values.iter().enumerate().map(|(i, (wire, variant))| {
        let variant = ident(variant);
        quote!(assert!(matches!(got[#i], #ty::#variant), "{}", #wire);)
    });
    let last = e.values.len();
    let unknown = &e.unknown;
    quote! {
        #cfg
        #[test]
        fn #test() {
            let got: Vec<#ty> = serde_json::from_str(#json).expect("every value decodes");
            #(#checks)*
            assert!(matches!(&got[#last], #ty::Unknown(v) if v.as_str() == #unknown));
        }
    }
}

fn case(e: &Endpoint) -> TokenStream {
    let cfg = cfg(&e.cfg);
    let name = ident(&e.name);
    let s = &e.sample;
    let http = &e.method;
    let at = &s.path;
    let mut matchers = vec![quote!(.and(path(#at)))];
    for (wire, value) in &s.query_pairs {
        matchers.push(quote!(.and(query_param(#wire, #value))));
    }
    let body = s.body_json.as_ref().map(|body| {
        let text = raw_str(&serde_json::to_string_pretty(body).unwrap_or_default());
        matchers.push(quote!(.and(body_json(body))));
        quote!(let body = support::json(#text);)
    });
    let server = if e.auth {
        matchers.push(quote!(.and(header("authorization", support::BEARER))));
        quote!(support::server().await)
    } else {
        quote!(support::server_without_token().await)
    };
    let sample = s.response_sample.as_ref().map(|n| {
        let n = ident(n);
        quote!(samples::#n)
    });
    let answer = match &sample {
        Some(sample) => quote!(#sample.json),
        None => quote!("null"),
    };
    let args = call_args(s, Names::Imported);
    let checks = s.checks.iter().map(|c| match c {
        Check::Equals { field, value } => {
            let f = ident(field);
            quote!(assert_eq!(got.#f, #value);)
        }
        Check::Unset { field } => {
            let f = ident(field);
            quote!(assert_eq!(got.#f, None, "unset time");)
        }
    });
    let call = match (&sample, &e.response) {
        (Some(sample), response) if *response != Ty::Unit => quote! {
            let got = client.#name(#(#args),*).await.expect("the sample response decodes");
            #(#checks)*
            support::round_trip(&got, &#sample);
        },
        _ => quote!(client.#name(#(#args),*).await.expect("the empty response is accepted");),
    };
    let allow = e.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    // Every test starts the same way: a server expecting exactly this request once.
    let setup = quote! {
        let server = #server;
        #body
        Mock::given(method(#http))
            #(#matchers)*
            .respond_with(support::envelope(#answer))
            .expect(1)
            .mount(&server)
            .await;
        let client = support::client(&server);
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
                let items: Vec<_> = client.#method_name(#(#args),*).collect().await;
                assert_ne!(items.len(), 0, "the sample page has items");
                for item in items {
                    item.expect("every item decodes");
                }
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
