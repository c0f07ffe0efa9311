//! Emits the `Serialize` and `Deserialize` impls of generated structs.
//!
//! They are written out rather than derived because a derived impl also carries a
//! field-name visitor, a sequence visitor and a field-count expression per type, none of
//! which a JSON client uses, and every build of the crate type-checks them all. What every
//! type shares (the visitor, the field loop, the writer) is ordinary code in the runtime's
//! `wire` module; each impl only lists its fields. These impls read objects only (any key
//! order, unknown keys skipped, a repeated key refused; time fields through `wire::Time`,
//! which reads PortOne's unset forms as `None`) and write objects without the unset optional
//! fields.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::{cfg, ident};
use crate::model::{Field, Struct, TypeDef};

/// `impl Deserialize for <struct>`, which hands the work to `wire::read_object`, and the
/// `wire::Object` impl that reads the fields, by the names the `types` module imports.
pub fn deserialize(t: &TypeDef, s: &Struct) -> TokenStream {
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let expecting = format!("a {} object", t.name);
    // Slot names end in `_`, so they never meet the locals `map` and `index`.
    let slot = |f: &Field| format_ident!("{}_", f.name);
    let lets = s.fields.iter().map(slot);
    let slots = s.fields.iter().map(|f| {
        let w = &f.wire;
        let sl = slot(f);
        if f.unset_zero {
            quote!((#w, &mut wire::Time(&mut #sl)))
        } else {
            quote!((#w, &mut #sl))
        }
    });
    let number = proc_macro2::Literal::usize_unsuffixed;
    let indexes = s.fields.iter().enumerate().map(|(i, f)| {
        let i = number(i);
        let w = &f.wire;
        quote!(#w => #i,)
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let sl = slot(f);
        let w = &f.wire;
        if f.optional {
            quote!(#n: #sl.flatten())
        } else {
            quote!(#n: wire::required(#sl, #w)?)
        }
    });
    let index = if s.fields.is_empty() {
        quote!(wire::no_field)
    } else {
        quote!(index)
    };
    // `index` is not generic, so it is compiled once however many deserializers use the impl;
    // `inline` makes that once in the crate that decodes the type, not in this one.
    let index_fn = (!s.fields.is_empty()).then(|| {
        quote! {
            #[inline]
            fn index(key: &str) -> usize {
                match key {
                    #(#indexes)*
                    _ => usize::MAX,
                }
            }
        }
    });
    quote! {
        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                wire::read_object(deserializer)
            }
        }

        #cfg
        impl wire::Object for #name {
            const EXPECTING: &'static str = #expecting;

            fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
                #index_fn
                #(let mut #lets = None;)*
                wire::fields(map, #index, &mut [#(#slots),*])?;
                Ok(#name { #(#inits),* })
            }
        }
    }
}

/// `impl Serialize for <struct>`: an object of the set fields, in declaration order, written
/// by `wire::write_object` from a list of entries.
pub fn serialize(t: &TypeDef, s: &Struct) -> TokenStream {
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let entries = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let w = &f.wire;
        if f.optional {
            quote!(wire::optional(#w, &self.#n))
        } else {
            quote!(wire::entry(#w, &self.#n))
        }
    });
    quote! {
        #cfg
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                wire::write_object(serializer, &[#(#entries),*])
            }
        }
    }
}
