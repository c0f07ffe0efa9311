//! Emits one `src/types/<module>.rs` file: structs, open enums and unions. The files are
//! `include!`d into one `types` module, whose imports (`indexes::types_index`) give the short
//! names used here.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{cfg, derives, doc, doc_cfg, ident, ty};
use super::serde_impls;
use crate::model::{Builders, Field, Kind, Struct, Takes, TypeDef, TypeModule, VariantPages};

/// Tokens of a type module.
pub fn module(m: &TypeModule) -> TokenStream {
    let items = m.types.iter().map(type_def);
    quote!(#(#items)*)
}

fn type_def(t: &TypeDef) -> TokenStream {
    match &t.kind {
        Kind::Struct(s) => structure(t, s),
        Kind::Enum(variants) => {
            let docs = doc(&t.doc);
            let cfg = cfg(&t.cfg);
            let doc_cfg = doc_cfg(&t.cfg);
            let name = ident(&t.name);
            let derives = derives(&t.derives);
            let declared = variants.iter().map(|v| {
                let d = doc(&v.doc);
                let n = ident(&v.name);
                quote!(#d #n,)
            });
            let wires = variants.iter().map(|v| {
                let n = ident(&v.name);
                let w = &v.wire;
                quote!(#n = #w)
            });
            quote! {
                #docs
                #cfg
                #doc_cfg
                #derives
                #[non_exhaustive]
                pub enum #name {
                    #(#declared)*
                    /// A value this SDK version does not know; the raw value is kept.
                    Unknown(UnknownValue),
                }
                #cfg
                open_enum!(#name { #(#wires),* });
            }
        }
        Kind::Union(u) => {
            let docs = doc(&t.doc);
            let cfg = cfg(&t.cfg);
            let doc_cfg = doc_cfg(&t.cfg);
            let name = ident(&t.name);
            let derives = derives(&t.derives);
            let variants = u.variants.iter().map(|v| {
                let n = ident(&v.name);
                let inner = ty(&v.ty);
                let d = doc(&v.doc);
                quote!(#d #n(#inner),)
            });
            let mut out = quote! {
                #docs
                #cfg
                #doc_cfg
                #derives
                #[serde(untagged)]
                pub enum #name { #(#variants)* }
            };
            if let Some(item) = &u.page_item {
                let item = ty(item);
                let arms = u.variants.iter().map(|v| {
                    let n = ident(&v.name);
                    match v.pages {
                        Some(VariantPages::Items) => quote!(#name::#n(items) => (items, None),),
                        Some(VariantPages::Page) | None => {
                            quote!(#name::#n(page) => page.into_items(),)
                        }
                    }
                });
                out.extend(quote! {
                    #cfg
                    impl Page for #name {
                        type Item = #item;

                        fn into_items(self) -> (Vec<#item>, Option<u32>) {
                            match self { #(#arms)* }
                        }
                    }
                });
            }
            out
        }
    }
}

fn structure(t: &TypeDef, s: &Struct) -> TokenStream {
    let docs = doc(&t.doc);
    let cfg = cfg(&t.cfg);
    let doc_cfg = doc_cfg(&t.cfg);
    let name = ident(&t.name);
    let derives = derives(&t.derives);
    let fields = s.fields.iter().map(field);
    let mut out = quote! {
        #docs
        #cfg
        #doc_cfg
        #derives
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
    };
    if s.serialize {
        out.extend(serde_impls::serialize(t, s));
    }
    if s.deserialize {
        out.extend(serde_impls::deserialize(t, s));
    }
    if let Some(b) = &s.builders {
        out.extend(builders(t, s, b));
    }
    if s.redacted_debug {
        out.extend(redacted_debug(t, s));
    }
    if let Some(page) = &s.page {
        let item = ty(&page.item);
        let items = ident(&page.items);
        let next = ident(&page.next);
        let take = if page.items_optional {
            quote!(self.#items.unwrap_or_default())
        } else {
            quote!(self.#items)
        };
        out.extend(quote! {
            #cfg
            impl Page for #name {
                type Item = #item;

                fn into_items(self) -> (Vec<#item>, Option<u32>) {
                    (#take, u32::try_from(self.#next).ok().filter(|n| *n > 0))
                }
            }
        });
    }
    out
}

fn field(f: &Field) -> TokenStream {
    let d = doc(&f.doc);
    let n = ident(&f.name);
    let inner = ty(&f.ty);
    let t = if f.optional {
        quote!(Option<#inner>)
    } else {
        inner
    };
    quote!(#d pub #n: #t,)
}

/// The type a setter or constructor accepts for a field.
fn accepts(f: &Field) -> TokenStream {
    let inner = ty(&f.ty);
    match f.takes {
        Takes::Value => inner,
        Takes::Into => quote!(impl Into<#inner>),
    }
}

fn builders(t: &TypeDef, s: &Struct, b: &Builders) -> TokenStream {
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let mut fns: Vec<TokenStream> = b
        .constructors
        .iter()
        .map(|c| {
            let f_name = ident(&c.name);
            let d = doc(&c.doc);
            let params = c.args.iter().map(|&i| {
                let f = &s.fields[i];
                let n = ident(&f.name);
                let a = accepts(f);
                quote!(#n: #a)
            });
            let inits = s.fields.iter().enumerate().map(|(i, f)| {
                let n = ident(&f.name);
                if !c.args.contains(&i) {
                    return quote!(#n: None);
                }
                match (f.takes, f.optional) {
                    (Takes::Into, true) => quote!(#n: Some(#n.into())),
                    (Takes::Into, false) => quote!(#n: #n.into()),
                    (Takes::Value, true) => quote!(#n: Some(#n)),
                    (Takes::Value, false) => quote!(#n),
                }
            });
            // Constructors mirror the service's required fields, however many there are.
            let allow = (c.args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
            quote! {
                #d
                #allow
                pub fn #f_name(#(#params),*) -> Self { Self { #(#inits),* } }
            }
        })
        .collect();
    for &i in &b.setters {
        let f = &s.fields[i];
        let n = ident(&f.name);
        let d = doc(&f.doc);
        let a = accepts(f);
        let value = match f.takes {
            Takes::Into => quote!(value.into()),
            Takes::Value => quote!(value),
        };
        fns.push(quote! {
            #d
            pub fn #n(mut self, value: #a) -> Self { self.#n = Some(#value); self }
        });
    }
    quote! {
        #cfg
        impl #name { #(#fns)* }
    }
}

fn redacted_debug(t: &TypeDef, s: &Struct) -> TokenStream {
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let label = &t.name;
    let fields = s.fields.iter().map(|f| {
        let n = ident(&f.name);
        let l = &f.name;
        if f.secret {
            quote!(.field(#l, &Redacted))
        } else {
            quote!(.field(#l, &self.#n))
        }
    });
    quote! {
        #cfg
        impl fmt::Debug for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}
