//! Small token helpers shared by the Rust emitters.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Cfg, Derive, Sample, Ty};

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

/// The `#[derive(...)]` attribute listing `derives`.
pub fn derives(derives: &[Derive]) -> TokenStream {
    let paths = derives.iter().map(|d| match d {
        Derive::Clone => quote!(Clone),
        Derive::Debug => quote!(Debug),
        Derive::Default => quote!(Default),
        Derive::PartialEq => quote!(PartialEq),
        Derive::Eq => quote!(Eq),
        Derive::Hash => quote!(Hash),
        Derive::Serialize => quote!(::serde::Serialize),
        Derive::Deserialize => quote!(::serde::Deserialize),
    });
    quote!(#[derive(#(#paths),*)])
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
    build(s, krate, false)
}

/// Like [`sample`], written the way a user would: literals where a setter's `Into` accepts
/// them, enum variants by name.
pub fn readable_sample(s: &Sample, krate: &TokenStream) -> TokenStream {
    build(s, krate, true)
}

fn build(s: &Sample, krate: &TokenStream, readable: bool) -> TokenStream {
    let nested = |s: &Sample| build(s, krate, readable);
    match s {
        Sample::String(v) if readable => quote!(#v),
        Sample::Amount(n) if readable && n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {
            let v = Literal::i64_unsuffixed(n.as_i64().unwrap_or_default());
            quote!(#v)
        }
        Sample::Enum(t, _, Some(variant)) if readable => {
            let t = format_ident!("{}", t);
            let v = format_ident!("{}", variant);
            quote!(#krate::#t::#v)
        }
        Sample::List(items) if readable => {
            let items = items.iter().map(|i| build(i, krate, false));
            quote!(::std::vec![#(#items),*])
        }
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
        Sample::Enum(t, wire, _) => {
            let t = format_ident!("{}", t);
            quote!(#krate::types::#t::from(#wire))
        }
        Sample::List(items) => {
            let items = items.iter().map(nested);
            quote!(::std::vec![#(#items),*])
        }
        Sample::Map(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = build(v, krate, false);
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
            let required = required.iter().map(nested);
            // Readable examples show what the spec chose to illustrate, not every setter.
            let shown = optional
                .iter()
                .filter(|(_, _, explicit)| *explicit || !readable);
            let setters = shown.map(|(setter, v, _)| {
                let setter = ident(setter);
                let v = nested(v);
                quote!(.#setter(#v))
            });
            let path = if readable {
                quote!(#krate::#t)
            } else {
                quote!(#krate::types::#t)
            };
            quote!(#path::new(#(#required),*) #(#setters)*)
        }
        Sample::Union(t, variant, inner) => {
            let t = format_ident!("{}", t);
            let v = format_ident!("{}", variant);
            let inner = build(inner, krate, false);
            quote!(#krate::types::#t::#v(#inner))
        }
    }
}
