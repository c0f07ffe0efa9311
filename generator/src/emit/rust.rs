//! Small token helpers shared by the Rust emitters.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Cfg, Sample, Ty};

/// An identifier (names were validated: never keywords).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` lines for a doc text.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = format!(" {}", l.trim_end());
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// The `#[cfg(...)]` attribute of an item, or nothing when it is always compiled.
pub fn cfg(cfg: &Cfg) -> TokenStream {
    let terms: Vec<TokenStream> = cfg
        .0
        .iter()
        .map(|t| {
            let f = &t.feature;
            if t.legacy {
                quote!(all(feature = #f, feature = "legacy"))
            } else {
                quote!(feature = #f)
            }
        })
        .collect();
    match terms.as_slice() {
        [] => quote!(),
        [one] => quote!(#[cfg(#one)]),
        many => quote!(#[cfg(any(#(#many),*))]),
    }
}

/// The Rust type, as seen from inside the generated crate.
pub fn ty(t: &Ty) -> TokenStream {
    ty_in(t, &quote!(crate))
}

/// The Rust type, as seen from outside the crate (tests and examples).
pub fn ty_in(t: &Ty, krate: &TokenStream) -> TokenStream {
    match t {
        Ty::String => quote!(::std::string::String),
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Amount => quote!(#krate::Amount),
        Ty::Timestamp => quote!(#krate::Timestamp),
        Ty::Json => quote!(::serde_json::Value),
        Ty::Enum(n) | Ty::Named(n) => {
            let n = format_ident!("{}", n);
            quote!(#krate::types::#n)
        }
        Ty::List(inner) => {
            let inner = ty_in(inner, krate);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_in(inner, krate);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Unit => quote!(()),
    }
}

/// A Rust expression building `sample`, with the crate named `krate`.
pub fn sample(s: &Sample, krate: &TokenStream) -> TokenStream {
    match s {
        Sample::String(v) => quote!(::std::string::String::from(#v)),
        Sample::Integer(v) => {
            let v = Literal::i64_suffixed(*v);
            quote!(#v)
        }
        Sample::Number(v) => {
            let v = Literal::f64_suffixed(*v);
            quote!(#v)
        }
        Sample::Bool(v) => quote!(#v),
        Sample::Amount(n) => match n.as_i64() {
            Some(i) => {
                let v = Literal::i64_suffixed(i);
                quote!(#krate::Amount::from(#v))
            }
            None => {
                let v = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(#krate::Amount::from(#v))
            }
        },
        Sample::Timestamp(v) => {
            let v = Literal::i64_suffixed(*v);
            quote!(#krate::Timestamp::from_unix(#v))
        }
        Sample::Json(v) => {
            let text = v.to_string();
            quote!(::serde_json::from_str::<::serde_json::Value>(#text).expect("sample JSON"))
        }
        Sample::Enum(t, wire) => {
            let t = format_ident!("{}", t);
            quote!(#krate::types::#t::from(#wire))
        }
        Sample::List(items) => {
            let items = items.iter().map(|i| sample(i, krate));
            quote!(::std::vec![#(#items),*])
        }
        Sample::Map(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = sample(v, krate);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!([#(#entries),*].into_iter().collect::<::std::collections::BTreeMap<_, _>>())
        }
        Sample::Struct {
            ty,
            required,
            optional,
        } => {
            let t = format_ident!("{}", ty);
            let required = required.iter().map(|r| sample(r, krate));
            let setters = optional.iter().map(|(setter, v)| {
                let setter = ident(setter);
                let v = sample(v, krate);
                quote!(.#setter(#v))
            });
            quote!(#krate::types::#t::new(#(#required),*) #(#setters)*)
        }
        Sample::Union(t, variant, inner) => {
            let t = format_ident!("{}", t);
            let v = format_ident!("{}", variant);
            let inner = sample(inner, krate);
            quote!(#krate::types::#t::#v(#inner))
        }
    }
}
