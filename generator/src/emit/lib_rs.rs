//! Emits the crate root and the `types` / `endpoints` module indexes.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::model::Model;

/// `src/lib.rs`.
pub fn lib(model: &Model) -> TokenStream {
    let _ = model;
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        mod runtime;
        #[rustfmt::skip]
        mod endpoints;
        #[rustfmt::skip]
        pub mod types;

        pub use runtime::{
            Amount, ApiError, Call, Client, ClientBuilder, DecodeError, Error, PageStream,
            RetryPolicy, Timestamp, UnknownValue,
        };
        #[cfg(feature = "blocking")]
        pub use runtime::BlockingClient;
        pub use types::*;
    }
}

/// `src/types/mod.rs`.
pub fn types_index(model: &Model) -> TokenStream {
    let mods = model.modules.iter().map(|m| {
        let n = ident(&m.name);
        quote! {
            mod #n;
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
