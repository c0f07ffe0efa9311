//! Emits the `types` and `endpoints` module indexes (the crate root is a template).
//!
//! Each category's file is `include!`d into its index rather than declared as a module:
//! every module becomes codegen units of its own, and the forty or so small category modules
//! cost about a third of a second of a full build. Names stay unique across categories
//! (validation guarantees it), so one module per index loses nothing.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::cfg;
use crate::model::Model;

/// `src/types/mod.rs`.
pub fn types_index(model: &Model) -> TokenStream {
    let files = model.modules.iter().map(|m| {
        let file = format!("{}.rs", m.name);
        let cfg = cfg(&m.cfg);
        quote! {
            #cfg
            include!(#file);
        }
    });
    quote! {
        //! Request and response types, one file per category; all of them are re-exported at
        //! the crate root.
        #(#files)*
    }
}

/// `src/endpoints/mod.rs`.
pub fn endpoints_index(model: &Model) -> TokenStream {
    let files = model.categories.iter().map(|c| {
        let file = format!("{}.rs", c.key);
        let f = &c.key;
        quote! {
            #[cfg(feature = #f)]
            include!(#file);
        }
    });
    quote! {
        //! One file per category, each adding its methods to `Client`.
        #(#files)*
    }
}
