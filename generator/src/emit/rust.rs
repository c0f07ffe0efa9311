//! Small token helpers shared by the Rust emitters.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Cfg, CfgTerm, Derive, EndpointSample, Sample, Ty};

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
    match condition(&cfg.test) {
        Some(c) => quote!(#[cfg(#c)]),
        None => quote!(),
    }
}

/// What docs.rs shows of an item's condition: the categories, any of which compiles it, never
/// the internal feature its `#[cfg]` tests.
pub fn doc_cfg(cfg: &Cfg) -> TokenStream {
    match condition(&cfg.categories) {
        Some(c) => quote!(#[cfg_attr(docsrs, doc(cfg(#c)))]),
        None => quote!(),
    }
}

fn condition(terms: &[CfgTerm]) -> Option<TokenStream> {
    let terms: Vec<TokenStream> = terms
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
        [] => None,
        [one] => Some(quote!(#one)),
        many => Some(quote!(any(#(#many),*))),
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
    build(s, krate, Style::Exact)
}

/// Like [`sample`], written the way a user would: literals where a constructor's or setter's
/// `Into` accepts them, `"..".into()` where a `String` is expected, `vec![..]`, digit groups,
/// enum variants by name and types by their crate-root names.
pub fn readable_sample(s: &Sample, krate: &TokenStream) -> TokenStream {
    build(s, krate, Style::Into)
}

/// The arguments a generated test passes to the endpoint method `s` is the sample of: path
/// arguments as a user writes them, then `&query` and `&body` built exactly.
pub fn test_call_args(s: &EndpointSample, krate: &TokenStream) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = s
        .path_args
        .iter()
        .map(|a| readable_sample(a, krate))
        .collect();
    args.extend(s.query.iter().chain(&s.body).map(|v| {
        let v = sample(v, krate);
        quote!(&#v)
    }));
    args
}

/// How [`build`] writes a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Fully qualified paths and typed literals, for generated tests.
    Exact,
    /// Readable, where an `impl Into<T>` (or a `&str` path argument) takes the value.
    Into,
    /// Readable, where exactly `T` is expected (list items, map values, variant payloads).
    Typed,
}

/// An integer literal with digit groups from five digits on (`64_900`), as clippy's
/// `unreadable_literal` asks.
fn grouped(v: i64) -> TokenStream {
    let digits = v.unsigned_abs().to_string();
    let text = if digits.len() < 5 {
        digits
    } else {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push('_');
            }
            out.push(c);
        }
        out
    };
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{text}")
        .parse()
        .unwrap_or_else(|_| quote!(#v))
}

fn build(s: &Sample, krate: &TokenStream, style: Style) -> TokenStream {
    let readable = style != Style::Exact;
    let nested = |s: &Sample| build(s, krate, style);
    let into = |s: &Sample| build(s, krate, if readable { Style::Into } else { Style::Exact });
    let typed = |s: &Sample| build(s, krate, if readable { Style::Typed } else { Style::Exact });
    match s {
        Sample::String(v) if style == Style::Into => quote!(#v),
        Sample::String(v) if style == Style::Typed => quote!(#v.into()),
        Sample::Amount(n)
            if style == Style::Into && n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) =>
        {
            grouped(n.as_i64().unwrap_or_default())
        }
        Sample::Amount(n) if readable && n.as_i64().is_some() => {
            let v = grouped(n.as_i64().unwrap_or_default());
            quote!(#krate::Amount::from(#v))
        }
        Sample::Integer(v) if style == Style::Into && i32::try_from(*v).is_ok() => grouped(*v),
        Sample::Timestamp(v) if readable => {
            let v = grouped(*v);
            quote!(#krate::Timestamp::from_unix(#v))
        }
        Sample::Enum(t, _, Some(variant)) if readable => {
            let t = format_ident!("{}", t);
            let v = format_ident!("{}", variant);
            quote!(#krate::#t::#v)
        }
        Sample::Enum(t, wire, None) if readable => {
            let t = format_ident!("{}", t);
            quote!(#krate::#t::from(#wire))
        }
        Sample::List(items) if readable => {
            let items = items.iter().map(typed);
            quote!(vec![#(#items),*])
        }
        Sample::Map(entries) if readable => {
            let entries = entries.iter().map(|(k, v)| {
                let v = typed(v);
                quote!((#k.into(), #v))
            });
            quote!(std::collections::BTreeMap::from([#(#entries),*]))
        }
        Sample::Json(v) if readable => match v.to_string().parse::<TokenStream>() {
            Ok(json) => quote!(serde_json::json!(#json)),
            Err(_) => build(s, krate, Style::Exact),
        },
        Sample::Union(t, variant, inner) if readable => {
            let t = format_ident!("{}", t);
            let v = format_ident!("{}", variant);
            let inner = typed(inner);
            quote!(#krate::#t::#v(#inner))
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
                let v = nested(v);
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
            let required = required.iter().map(into);
            // Readable examples show what the spec chose to illustrate, not every setter.
            let shown = optional
                .iter()
                .filter(|(_, _, explicit)| *explicit || !readable);
            let setters = shown.map(|(setter, v, _)| {
                let setter = ident(setter);
                let v = into(v);
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
            let inner = nested(inner);
            quote!(#krate::types::#t::#v(#inner))
        }
    }
}
