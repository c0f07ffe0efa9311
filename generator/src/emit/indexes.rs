//! Emits the `types` and `endpoints` module indexes (the crate root is a template).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{cfg, ident};
use crate::model::Model;

/// `src/types/mod.rs`.
pub fn types_index(model: &Model) -> TokenStream {
    let mods = model.modules.iter().map(|m| {
        let n = ident(&m.name);
        let cfg = cfg(&m.cfg);
        quote! {
            #cfg
            mod #n;
            #cfg
            pub use #n::*;
        }
    });
    quote! {
        //! Request and response types by category; all of them are re-exported at the crate root.
        #(#mods)*
    }
}

/// `src/endpoints/mod.rs`.
pub fn endpoints_index(model: &Model) -> TokenStream {
    let mods = model.categories.iter().map(|c| {
        let n = ident(&c.key);
        let f = &c.key;
        quote! {
            #[cfg(feature = #f)]
            mod #n;
        }
    });
    quote! {
        //! One module per category, each adding its methods to `Client`.
        #(#mods)*
    }
}
