//! Small token helpers shared by the Rust emitters.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::{Cfg, CfgTerm, Derive, EndpointSample, Sample, Ty};

/// An identifier (names were validated: never keywords).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` lines for a doc text.
pub fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` lines for a module's own doc text.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

fn doc_lines(text: &str) -> impl Iterator<Item = Literal> + '_ {
    text.lines().map(|l| doc_line(l.trim_end()))
}

/// One doc line as a raw string literal. prettyplease prints it as a `///` line all the same,
/// but a raw literal is neither escaped here nor unescaped by syn and again by prettyplease:
/// that round trip was 4% of a generation's instructions. A line with a carriage
/// return, which a raw literal cannot hold, stays an escaped one.
fn doc_line(line: &str) -> Literal {
    let escaped = || Literal::string(&format!(" {line}"));
    if line.contains('\r') {
        return escaped();
    }
    let hashes = if line.contains('"') {
        "#".repeat(longest_hash_run(line) + 1)
    } else {
        String::new()
    };
    format!("r{hashes}\" {line}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| escaped())
}

/// The longest run of `#` right after a `"` in `text`: a raw literal's delimiter needs one more.
fn longest_hash_run(text: &str) -> usize {
    text.split('"')
        .skip(1)
        .map(|after| after.len() - after.trim_start_matches('#').len())
        .max()
        .unwrap_or(0)
}

/// The `#[cfg(...)]` attribute of an item, or nothing when it is always compiled.
pub fn cfg(cfg: &Cfg) -> TokenStream {
    match condition(&cfg.test) {
        Some(c) => quote!(#[cfg(#c)]),
        None => quote!(),
    }
}

/// What docs.rs shows of an item's condition when rustdoc cannot read it from the `#[cfg]`
/// (which names an internal feature the docs hide): the categories, any of which compiles it.
pub fn doc_cfg(cfg: &Cfg) -> TokenStream {
    match condition(&cfg.doc) {
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

/// The `#[derive(...)]` attribute listing `derives` (the serde derives by the names the
/// `types` module imports).
pub fn derives(derives: &[Derive]) -> TokenStream {
    let paths = derives.iter().map(|d| match d {
        Derive::Clone => quote!(Clone),
        Derive::Debug => quote!(Debug),
        Derive::Default => quote!(Default),
        Derive::Serialize => quote!(Serialize),
        Derive::Deserialize => quote!(Deserialize),
    });
    quote!(#[derive(#(#paths),*)])
}

/// The Rust type by the short names the generated modules import: spec types by name,
/// `Amount` and `Timestamp` from the runtime, `BTreeMap` from std.
pub fn ty(t: &Ty) -> TokenStream {
    match t {
        Ty::String => quote!(String),
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Amount => quote!(Amount),
        Ty::Timestamp => quote!(Timestamp),
        Ty::Json => quote!(serde_json::Value),
        Ty::Enum(n) | Ty::Named(n) => {
            let n = ident(n);
            quote!(#n)
        }
        Ty::List(inner) => {
            let inner = ty(inner);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(inner);
            quote!(BTreeMap<String, #inner>)
        }
        Ty::Unit => quote!(()),
    }
}

/// How the generated code names the crate's items.
#[derive(Clone, Copy)]
pub enum Names<'a> {
    /// Through the crate's root (`portone_v1::Payment`), where nothing is imported.
    Prefixed(&'a TokenStream),
    /// Bare (`Payment`), where the code glob-imports the crate's root.
    Imported,
}

impl Names<'_> {
    fn path(self, name: &str) -> TokenStream {
        let name = ident(name);
        match self {
            Names::Prefixed(krate) => quote!(#krate::#name),
            Names::Imported => quote!(#name),
        }
    }
}

/// A Rust expression building `s` the way a user would: literals where a constructor's or
/// setter's `Into` accepts them, `"..".into()` where a `String` is expected, `vec![..]`, digit
/// groups, enum variants by name and types by their crate-root names. It sets only the optional
/// fields the spec chose to illustrate.
pub fn readable_sample(s: &Sample, krate: &TokenStream) -> TokenStream {
    build(s, Names::Prefixed(krate), Setters::Chosen, Style::Into)
}

/// The arguments a generated test passes to the endpoint method `s` is the sample of, written
/// like [`readable_sample`] but with every optional field set: path arguments, then `&query`
/// and `&body`, naming the crate's items as `names` says.
pub fn call_args(s: &EndpointSample, names: Names<'_>) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = s
        .path_args
        .iter()
        .map(|a| build(a, names, Setters::All, Style::Into))
        .collect();
    args.extend(s.query.iter().chain(&s.body).map(|v| {
        let v = build(v, names, Setters::All, Style::Into);
        quote!(&#v)
    }));
    args
}

/// Which optional fields a built struct sets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setters {
    /// Those the spec gave an example for (docs show what the spec chose to illustrate).
    Chosen,
    /// Every one the sample has (tests check that each goes over the wire).
    All,
}

/// Where [`build`] writes a value, which decides how much its literal must say.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Where an `impl Into<T>` (or a `&str` path argument) takes the value.
    Into,
    /// Where exactly `T` is expected (list items, map values, variant payloads).
    Typed,
}

/// An integer literal with digit groups from five digits on (`64_900`), as clippy's
/// `unreadable_literal` asks.
pub fn grouped(v: i64) -> TokenStream {
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

fn build(s: &Sample, names: Names<'_>, setters: Setters, style: Style) -> TokenStream {
    let into = |s: &Sample| build(s, names, setters, Style::Into);
    let typed = |s: &Sample| build(s, names, setters, Style::Typed);
    let fits_i32 = |v: i64| i32::try_from(v).is_ok();
    match s {
        Sample::String(v) if style == Style::Into => quote!(#v),
        Sample::String(v) => quote!(#v.into()),
        Sample::Integer(v) if style == Style::Into && fits_i32(*v) => grouped(*v),
        Sample::Integer(v) => {
            let v = Literal::i64_suffixed(*v);
            quote!(#v)
        }
        Sample::Number(v) => {
            let v = Literal::f64_suffixed(*v);
            quote!(#v)
        }
        Sample::Bool(v) => quote!(#v),
        Sample::Amount(n) => {
            let amount = names.path("Amount");
            match n.as_i64() {
                Some(i) if style == Style::Into && fits_i32(i) => grouped(i),
                Some(i) => {
                    let v = grouped(i);
                    quote!(#amount::from(#v))
                }
                None => {
                    let v = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                    quote!(#amount::from(#v))
                }
            }
        }
        Sample::Timestamp(v) => {
            let timestamp = names.path("Timestamp");
            let v = grouped(*v);
            quote!(#timestamp::from_unix(#v))
        }
        Sample::Json(v) => match v.to_string().parse::<TokenStream>() {
            Ok(json) => quote!(serde_json::json!(#json)),
            Err(_) => {
                let text = v.to_string();
                quote!(serde_json::from_str::<serde_json::Value>(#text).expect("sample JSON"))
            }
        },
        Sample::Enum(t, _, Some(variant)) => {
            let t = names.path(t);
            let v = ident(variant);
            quote!(#t::#v)
        }
        Sample::Enum(t, wire, None) => {
            let t = names.path(t);
            quote!(#t::from(#wire))
        }
        Sample::List(items) => {
            let items = items.iter().map(typed);
            quote!(vec![#(#items),*])
        }
        Sample::Map(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = typed(v);
                quote!((#k.into(), #v))
            });
            quote!(std::collections::BTreeMap::from([#(#entries),*]))
        }
        Sample::Struct {
            ty,
            required,
            optional,
        } => {
            let path = names.path(ty);
            let required = required.iter().map(into);
            let shown = optional
                .iter()
                .filter(|(_, _, explicit)| *explicit || setters == Setters::All);
            let setters = shown.map(|(setter, v, _)| {
                let setter = ident(setter);
                let v = into(v);
                quote!(.#setter(#v))
            });
            quote!(#path::new(#(#required),*) #(#setters)*)
        }
        Sample::Union(t, variant, inner) => {
            let t = names.path(t);
            let v = ident(variant);
            let inner = typed(inner);
            quote!(#t::#v(#inner))
        }
    }
}

/// A raw string literal of `text` (`r#"..."#`, with as many `#` as it needs), so JSON reads as
/// JSON instead of a wall of `\"`.
pub fn raw_str(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| quote!(#text))
}

/// A string literal as a person writes it: raw (`r#"{"a":1}"#`) where it holds quotes or
/// backslashes, which a plain literal would escape, and plain otherwise (also where it holds
/// a line break, which a raw literal would spread over lines).
pub fn str_lit(text: &str) -> TokenStream {
    if text.contains(['"', '\\']) && !text.contains(char::is_control) {
        raw_str(text)
    } else {
        quote!(#text)
    }
}

#[cfg(test)]
mod tests {
    use super::doc_line;

    #[test]
    fn doc_lines_keep_their_text_whatever_quotes_and_hashes_they_hold() {
        for line in [
            "plain",
            "say \"hi\"",
            "a \"# b \"## c",
            "back\\slash",
            "cr\rhere",
            "",
        ] {
            let literal = doc_line(line);
            let raw = literal.to_string().starts_with('r');
            assert_eq!(raw, !line.contains('\r'), "{line:?} as {literal}");
            let lit: syn::LitStr = syn::parse2(quote::ToTokens::into_token_stream(literal))
                .unwrap_or_else(|e| panic!("{line:?}: {e}"));
            assert_eq!(lit.value(), format!(" {line}"), "{line:?}");
        }
    }
}
