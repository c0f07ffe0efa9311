//! Emits one `src/types/<module>.rs` file: structs, open enums and unions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::{cfg, doc, ident, ty};
use super::serde_impls;
use crate::model::{Field, Kind, Struct, Ty, TypeDef, TypeModule, Usage};

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
            let name = ident(&t.name);
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
                #[derive(Clone, Debug, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#declared)*
                    /// A value this SDK version does not know; the raw value is kept.
                    Unknown(crate::runtime::UnknownValue),
                }
                #cfg
                crate::runtime::open_enum!(#name { #(#wires),* });
            }
        }
        Kind::Union(u) => {
            let docs = doc(&t.doc);
            let cfg = cfg(&t.cfg);
            let name = ident(&t.name);
            let derives = serde_derives(t.usage);
            let variants = u.variants.iter().map(|v| {
                let n = ident(&v.name);
                let inner = ty(&v.ty);
                let d = doc(&format!("The payload has the `{}` shape.", v.name));
                quote!(#d #n(#inner),)
            });
            let mut out = quote! {
                #docs
                #cfg
                #[derive(Debug, Clone #derives)]
                #[serde(untagged)]
                pub enum #name { #(#variants)* }
            };
            if let Some(item) = &u.page_item {
                let item = ty(item);
                // A bare list carries no next page: the walk ends with it.
                let arms = u.variants.iter().map(|v| {
                    let n = ident(&v.name);
                    if matches!(v.ty, Ty::List(_)) {
                        quote!(#name::#n(items) => (items, None),)
                    } else {
                        quote!(#name::#n(page) => crate::runtime::Page::into_items(page),)
                    }
                });
                out.extend(quote! {
                    #cfg
                    impl crate::runtime::Page for #name {
                        type Item = #item;
                        fn into_items(self) -> (::std::vec::Vec<#item>, ::core::option::Option<u32>) {
                            match self { #(#arms)* }
                        }
                    }
                });
            }
            out
        }
    }
}

fn serde_derives(u: Usage) -> TokenStream {
    let ser = u.request.then(|| quote!(, ::serde::Serialize));
    let de = u.response.then(|| quote!(, ::serde::Deserialize));
    quote!(#ser #de)
}

fn structure(t: &TypeDef, s: &Struct) -> TokenStream {
    let docs = doc(&t.doc);
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let builds = t.usage.request || t.usage.query;
    let has_required = s.fields.iter().any(|f| f.required);
    let debug = (!s.has_secret).then(|| quote!(Debug,));
    let default = (builds && !has_required).then(|| quote!(, Default));
    let fields = s.fields.iter().map(field);
    let mut out = quote! {
        #docs
        #cfg
        #[derive(#debug Clone #default)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
    };
    if t.usage.request {
        out.extend(serde_impls::serialize(t, s));
    }
    if t.usage.response {
        out.extend(serde_impls::deserialize(t, s));
    }
    if builds {
        out.extend(builders(t, s));
    }
    if s.has_secret {
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
            impl crate::runtime::Page for #name {
                type Item = #item;
                fn into_items(self) -> (::std::vec::Vec<#item>, ::core::option::Option<u32>) {
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
        quote!(::core::option::Option<#inner>)
    } else {
        inner
    };
    quote!(#d pub #n: #t,)
}

/// What a setter or constructor accepts for a field of type `t`.
fn accepts(t: &Ty) -> (TokenStream, bool) {
    match t {
        Ty::Named(_) | Ty::Map(_) => (ty(t), false),
        other => {
            let inner = ty(other);
            (quote!(impl ::core::convert::Into<#inner>), true)
        }
    }
}

fn builders(t: &TypeDef, s: &Struct) -> TokenStream {
    let cfg = cfg(&t.cfg);
    let name = ident(&t.name);
    let constructor = |fn_name: &str, args: &[&Field], doc_text: String| {
        let f_name = format_ident!("{}", fn_name);
        let d = doc(&doc_text);
        let params = args.iter().map(|f| {
            let n = ident(&f.name);
            let (a, _) = accepts(&f.ty);
            quote!(#n: #a)
        });
        let inits = s.fields.iter().map(|f| {
            let n = ident(&f.name);
            match args.iter().find(|a| a.name == f.name) {
                Some(a) => match (accepts(&a.ty).1, f.optional) {
                    (true, true) => quote!(#n: Some(#n.into())),
                    (true, false) => quote!(#n: #n.into()),
                    (false, true) => quote!(#n: Some(#n)),
                    (false, false) => quote!(#n),
                },
                None => quote!(#n: None),
            }
        });
        // Constructors mirror the service's required fields, however many there are.
        let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #d
            #allow
            pub fn #f_name(#(#params),*) -> Self { Self { #(#inits),* } }
        }
    };
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let mut fns = vec![constructor(
        "new",
        &required,
        if required.is_empty() {
            "Starts with every field unset; fill in what you need with the setters.".to_owned()
        } else {
            "Starts with the required fields; set optional ones with the setters.".to_owned()
        },
    )];
    for c in &s.constructors {
        let args: Vec<&Field> = c
            .fields
            .iter()
            .filter_map(|n| s.fields.iter().find(|f| &f.name == n))
            .collect();
        let listed = c
            .fields
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        fns.push(constructor(
            &c.name,
            &args,
            format!("Starts from {listed}; set optional fields with the setters."),
        ));
    }
    for f in s.fields.iter().filter(|f| f.optional && !f.required) {
        let n = ident(&f.name);
        let d = doc(&f.doc);
        let (a, into) = accepts(&f.ty);
        let value = if into {
            quote!(value.into())
        } else {
            quote!(value)
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
            quote!(.field(#l, &crate::runtime::Redacted))
        } else {
            quote!(.field(#l, &self.#n))
        }
    });
    quote! {
        #cfg
        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    }
}
