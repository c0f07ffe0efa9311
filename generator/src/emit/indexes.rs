//! Emits the `types` and `endpoints` module indexes: their imports, and the category files.
//!
//! Each category's file is `include!`d into its index rather than declared as a module:
//! every module becomes codegen units of its own, and the forty or so small category modules
//! cost about a third of a second of a full build. Names stay unique across categories
//! (validation guarantees it), so one module per index loses nothing; and validation keeps
//! spec types off the names imported here, so the short names always mean what they say.

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
        //!
        //! A category feature alone compiles only some of the types, and leaves some of the
        //! imports without a user.
        #![allow(unused_imports)]

        use std::collections::BTreeMap;
        use std::fmt;

        use serde::de::MapAccess;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        use crate::runtime::{Amount, Page, Redacted, Timestamp, UnknownValue, open_enum, wire};

        #(#files)*
    }
}

/// `src/endpoints/mod.rs`.
pub fn endpoints_index(model: &Model) -> TokenStream {
    let files = model.categories.iter().map(|c| {
        let file = format!("{}.rs", c.key);
        quote!(include!(#file);)
    });
    quote! {
        //! One file per category, each adding its methods to `Client` under the category's
        //! feature.
        //!
        //! A category feature alone leaves some of the imports without a user.
        #![allow(unused_imports)]

        use crate::Client;
        use crate::runtime::{Call, Endpoint, Method, PageStream, Request, paginate};
        use crate::types::*;

        #(#files)*
    }
}
