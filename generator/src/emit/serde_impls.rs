//! Emits the `Serialize` and `Deserialize` impls of generated structs.
//!
//! They are written out rather than derived because a derived impl also carries a
//! field-name visitor, a sequence visitor and a field-count expression per type, none of
//! which a JSON client uses, and every build of the crate type-checks them all. These impls
//! read objects only (any key order, unknown keys skipped, a repeated key refused; time
//! fields through `wire::time`, which reads PortOne's unset forms as `None`) and write objects
//! without the unset optional fields.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::{cfg, ident};
use crate::model::{Field, Struct, TypeDef};

/// `impl Deserialize for <struct>`, by the names the `types` module imports.
pub fn deserialize(t: &TypeDef, s: &Struct) -> TokenStream {
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let expecting = format!("a {} object", t.name);
    // Slot names end in `_`, so they never meet the locals `map`, `i`, `read` or `index`.
    let slot = |f: &Field| format_ident!("{}_", f.name);
    let slots = s.fields.iter().map(slot);
    let number = proc_macro2::Literal::usize_unsuffixed;
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let i = number(i);
        let w = &f.wire;
        let sl = slot(f);
        if f.unset_zero {
            quote!(#i => wire::time(&mut #sl, &mut map, #w),)
        } else {
            quote!(#i => wire::field(&mut #sl, &mut map, #w),)
        }
    });
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
    let read = if s.fields.is_empty() {
        quote! {
            while map.next_key::<IgnoredAny>()?.is_some() {
                wire::skip(&mut map)?;
            }
        }
    } else {
        // `index` is not generic, so it is compiled once however many deserializers use the
        // impl; and one exit for every arm's error keeps the loop small.
        quote! {
            fn index(key: &str) -> usize {
                match key {
                    #(#indexes)*
                    _ => usize::MAX,
                }
            }

            while let Some(i) = map.next_key_seed(wire::FromStr(index))? {
                let read = match i {
                    #(#arms)*
                    _ => wire::skip(&mut map),
                };
                read?;
            }
        }
    };
    quote! {
        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields;

                impl<'de> Visitor<'de> for Fields {
                    type Value = #name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(let mut #slots = None;)*
                        #read
                        Ok(#name { #(#inits),* })
                    }
                }

                deserializer.deserialize_map(Fields)
            }
        }
    }
}

/// `impl Serialize for <struct>`: an object of the set fields, in declaration order.
pub fn serialize(t: &TypeDef, s: &Struct) -> TokenStream {
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let entries = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let w = &f.wire;
        if f.optional {
            quote!(wire::optional(&mut map, #w, &self.#n)?;)
        } else {
            quote!(map.serialize_entry(#w, &self.#n)?;)
        }
    });
    let binding = if s.fields.is_empty() {
        quote!(map)
    } else {
        quote!(mut map)
    };
    quote! {
        #cfg
        impl Serialize for #name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let #binding = serializer.serialize_map(None)?;
                #(#entries)*
                map.end()
            }
        }
    }
}
