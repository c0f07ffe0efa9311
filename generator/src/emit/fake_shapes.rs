//! Emits the fake PortOne's enums (`src/spec/enums.rs`) and the wire shapes of what its ledger
//! writes and reads (`src/spec/shapes.rs`): per struct of `fake:`, the required fields the
//! ledger must give, a `Default` part with the optional ones, a writer putting every field in
//! spec order (unset ones as `null`, `0` or `[]`) and, for what a seed file holds, a reader.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident};
use crate::model::{FakeEnum, Model, Shape, ShapeField, ShapeTy};

/// Tokens of `src/spec/enums.rs`.
pub fn enums(model: &Model) -> TokenStream {
    let enums = model.fake.enums.iter().map(one_enum);
    let uses = (!model.fake.enums.is_empty()).then(|| {
        quote! {
            use serde_json::Value;

            use crate::json::{ReadError, ReadJson, ToJson, read_enum};
        }
    });
    quote! {
        //! The spec's enums as the fake reads and writes them. Unlike the client's they are
        //! closed: where the fake reads a value (a seed file, a request), one the spec does not
        //! list is refused.

        #uses
        #(#enums)*
    }
}

fn one_enum(e: &FakeEnum) -> TokenStream {
    let name = ident(&e.name);
    let type_doc = doc(&e.doc);
    let variants = e.values.iter().map(|v| {
        let d = doc(&v.doc);
        let v = ident(&v.name);
        quote!(#d #v)
    });
    let to_wire = e.values.iter().map(|v| {
        let (variant, wire) = (ident(&v.name), &v.wire);
        quote!(#name::#variant => #wire)
    });
    let from_wire = e.values.iter().map(|v| {
        let (variant, wire) = (ident(&v.name), &v.wire);
        quote!(#wire => Some(#name::#variant))
    });
    let type_name = &e.name;
    quote! {
        #type_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum #name {
            #(#variants,)*
        }

        impl #name {
            /// The value on the wire.
            pub(crate) fn as_str(self) -> &'static str {
                match self {
                    #(#to_wire,)*
                }
            }

            /// The value written `wire`, if the spec lists it.
            pub(crate) fn from_wire(wire: &str) -> Option<#name> {
                match wire {
                    #(#from_wire,)*
                    _ => None,
                }
            }
        }

        impl ToJson for #name {
            fn write_json(&self, out: &mut String) {
                self.as_str().write_json(out);
            }
        }

        impl ReadJson for #name {
            fn read_json(value: &Value, at: &str) -> Result<#name, ReadError> {
                read_enum(value, at, #type_name, #name::from_wire)
            }
        }
    }
}

/// Tokens of `src/spec/shapes.rs`.
pub fn shapes(model: &Model) -> TokenStream {
    let fake = &model.fake;
    let mut uses = Uses::default();
    for s in &fake.shapes {
        uses.json.extend(["Object", "ToJson"]);
        if s.read {
            uses.json.extend(["Fields", "ReadError", "ReadObject"]);
        }
        for f in &s.fields {
            uses.add(&f.ty);
        }
    }
    if !fake.seeds.is_empty() {
        uses.json.insert("Seeded");
    }
    let uses = uses.tokens();
    let shapes = fake.shapes.iter().map(shape);
    let seed_file = (!fake.seeds.is_empty()).then(|| {
        let fields = fake.seeds.iter().map(|k| {
            let d = doc(&k.doc);
            let (key, shape) = (ident(&k.key), ident(&k.shape));
            quote!(#d pub(crate) #key: Vec<Seeded<#shape>>)
        });
        let reads = fake.seeds.iter().map(|k| {
            let (key, wire) = (ident(&k.key), &k.key);
            quote!(#key: fields.seeds(#wire)?)
        });
        quote! {
            /// What a seed file holds: each entry read into its shape, with the keys its shape
            /// does not have left for the ledger.
            pub(crate) struct SeedFile {
                #(#fields,)*
            }

            impl ReadObject for SeedFile {
                fn read_fields(fields: &mut Fields) -> Result<SeedFile, ReadError> {
                    Ok(SeedFile {
                        #(#reads,)*
                    })
                }
            }
        }
    });
    let keys = (!fake.shapes.is_empty()).then(|| {
        let entries = fake.shapes.iter().map(|s| {
            let name = &s.name;
            let wires = s.fields.iter().map(|f| &f.wire);
            quote!((#name, &[#(#wires),*]))
        });
        quote! {
            /// Each shape's keys in the order it writes them, which the ledger's tests hold its
            /// answers to.
            #[cfg(test)]
            pub(crate) const KEYS: &[(&str, &[&str])] = &[#(#entries),*];
        }
    });
    quote! {
        //! The wire shapes of what the fake's ledger writes (and reads from a seed file), one
        //! struct per type of `fake:` in `spec/service.yaml` and per struct their fields hold.
        //! The ledger gives the required fields; the optional ones start unset and are written
        //! as `null`, `0` for a time or `[]` for a list, so that a field the ledger does not
        //! model is still sent.

        #uses
        #(#shapes)*
        #seed_file
        #keys
    }
}

/// What the shapes' module imports, collected from the field types it holds.
#[derive(Default)]
struct Uses {
    /// `std::collections::BTreeMap`, for a map.
    map: bool,
    /// `serde_json::Value`, for a field of any JSON.
    value: bool,
    /// The enums of `super::enums`.
    enums: BTreeSet<String>,
    /// The items of `crate::json`.
    json: BTreeSet<&'static str>,
}

impl Uses {
    fn add(&mut self, ty: &ShapeTy) {
        match ty {
            ShapeTy::Amount => {
                self.json.insert("Amount");
            }
            ShapeTy::Json => self.value = true,
            ShapeTy::Enum(name) => {
                self.enums.insert(name.clone());
            }
            ShapeTy::Map(inner) => {
                self.map = true;
                self.add(inner);
            }
            ShapeTy::List(inner) => self.add(inner),
            ShapeTy::String
            | ShapeTy::Integer
            | ShapeTy::Number
            | ShapeTy::Bool
            | ShapeTy::Time
            | ShapeTy::Shape(_) => {}
        }
    }

    /// The `use` lines, in rustfmt's order: std, other crates, this crate.
    fn tokens(&self) -> TokenStream {
        let map = self.map.then(|| {
            quote!(
                use std::collections::BTreeMap;
            )
        });
        let value = self.value.then(|| {
            quote!(
                use serde_json::Value;
            )
        });
        let json: Vec<_> = self.json.iter().map(|j| ident(j)).collect();
        let json = (!json.is_empty()).then(|| quote!(use crate::json::{#(#json),*};));
        let enums: Vec<_> = self.enums.iter().map(|e| ident(e)).collect();
        let enums = (!enums.is_empty()).then(|| quote!(use super::enums::{#(#enums),*};));
        quote!(#map #value #enums #json)
    }
}

/// The Rust type holding a value of `ty`.
fn rust_ty(ty: &ShapeTy) -> TokenStream {
    match ty {
        ShapeTy::String => quote!(String),
        ShapeTy::Integer | ShapeTy::Time => quote!(i64),
        ShapeTy::Number => quote!(f64),
        ShapeTy::Bool => quote!(bool),
        ShapeTy::Amount => quote!(Amount),
        ShapeTy::Json => quote!(Value),
        ShapeTy::Enum(name) | ShapeTy::Shape(name) => {
            let name = ident(name);
            quote!(#name)
        }
        ShapeTy::List(inner) => {
            let inner = rust_ty(inner);
            quote!(Vec<#inner>)
        }
        ShapeTy::Map(inner) => {
            let inner = rust_ty(inner);
            quote!(BTreeMap<String, #inner>)
        }
    }
}

/// How an optional field is held: a list as possibly empty, anything else as an `Option`.
fn optional_ty(ty: &ShapeTy) -> TokenStream {
    let inner = rust_ty(ty);
    match ty {
        ShapeTy::List(_) => inner,
        _ => quote!(Option<#inner>),
    }
}

fn shape(s: &Shape) -> TokenStream {
    let name = ident(&s.name);
    let type_doc = doc(&s.doc);
    let field_decl = |f: &ShapeField| {
        let d = doc(&f.doc);
        let n = ident(&f.name);
        let ty = if f.required {
            rust_ty(&f.ty)
        } else {
            optional_ty(&f.ty)
        };
        quote!(#d pub(crate) #n: #ty)
    };
    let required = s.fields.iter().filter(|f| f.required).map(field_decl);
    let optional = s.fields.iter().filter(|f| !f.required).map(field_decl);
    let (optional_field, optional_struct) = match &s.optional {
        Some(part) => {
            let part = ident(part);
            let part_doc = doc(&format!(
                "The optional fields of [`{}`], each unset by default.",
                s.name
            ));
            (
                Some(quote! {
                    /// Its optional fields; what is not given is written unset.
                    pub(crate) optional: #part,
                }),
                Some(quote! {
                    #part_doc
                    #[derive(Clone, Default)]
                    pub(crate) struct #part {
                        #(#optional,)*
                    }
                }),
            )
        }
        None => (None, None),
    };
    let writes = s.fields.iter().map(|f| {
        let (n, wire) = (ident(&f.name), &f.wire);
        let at = if f.required {
            quote!(self.#n)
        } else {
            quote!(self.optional.#n)
        };
        match (&f.ty, f.required) {
            (ShapeTy::Time, false) => quote!(object.time(#wire, #at);),
            _ => quote!(object.field(#wire, &#at);),
        }
    });
    let reader = s.read.then(|| {
        let read = |f: &ShapeField| {
            let (n, wire) = (ident(&f.name), &f.wire);
            let call = match (&f.ty, f.required) {
                (_, true) => quote!(required),
                (ShapeTy::Time, false) => quote!(time),
                (ShapeTy::List(_), false) => quote!(list),
                (_, false) => quote!(optional),
            };
            quote!(#n: fields.#call(#wire)?)
        };
        let required = s.fields.iter().filter(|f| f.required).map(read);
        let optional = s.fields.iter().filter(|f| !f.required).map(read);
        let optional = s.optional.as_ref().map(|part| {
            let part = ident(part);
            quote!(optional: #part { #(#optional,)* },)
        });
        quote! {
            impl ReadObject for #name {
                fn read_fields(fields: &mut Fields) -> Result<#name, ReadError> {
                    Ok(#name {
                        #(#required,)*
                        #optional
                    })
                }
            }

        }
    });
    quote! {
        #type_doc
        #[derive(Clone)]
        pub(crate) struct #name {
            #(#required,)*
            #optional_field
        }

        #optional_struct

        impl ToJson for #name {
            fn write_json(&self, out: &mut String) {
                let mut object = Object::start(out);
                #(#writes)*
                object.end();
            }
        }

        #reader
    }
}
