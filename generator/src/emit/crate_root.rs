//! The crate root and `Client`, the type that carries the endpoint methods. `Client` does not
//! depend on the endpoints, but it must be in the generated crate: the endpoint methods are
//! inherent impls, which need a local type. Everything else that is fixed (what the root
//! re-exports from the runtime, `BlockingClient`, the flows' docs) is the runtime's, written
//! there as ordinary Rust.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{cfg, ident};
use crate::model::Model;

/// `src/lib.rs`: docs from the README, the modules and the public re-exports.
///
/// prettyplease formats the generated crate, so rustfmt must leave it alone: modules are
/// `#[rustfmt::skip]`, and the crate root says so in the one form rustc accepts at the top
/// of a crate (an inner `#![rustfmt::skip]` is unstable).
pub fn lib(model: &Model) -> TokenStream {
    let runtime = ident(&model.runtime_crate_ident);
    // docs.rs would otherwise also show the internal feature each shared item's `#[cfg]` tests.
    let internal = model.internal_features.iter().map(|f| &f.name);
    let hide = if model.internal_features.is_empty() {
        quote!()
    } else {
        quote!(#![cfg_attr(docsrs, doc(auto_cfg(hide(#(feature = #internal),*))))])
    };
    let webhook = model.webhook.as_ref().map(|w| {
        let module = ident(&w.module);
        let cfg = cfg(&w.cfg);
        quote! {
            #cfg
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    let flows = model.flows.as_ref().map(|_| {
        quote! {
            #[rustfmt::skip]
            mod flows;
        }
    });
    // By path, as rustfmt orders `use` lines.
    let mut exports: Vec<&Vec<String>> = model.runtime_exports.iter().map(|e| &e.module).collect();
    exports.sort();
    let exports = exports.into_iter().map(|module| {
        let module = module.iter().map(|m| ident(m));
        quote!(pub use runtime::#(#module::)* *;)
    });
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #hide

        /// The runtime crate under the name the generated code uses for it.
        use #runtime as runtime;

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod endpoints;
        #flows
        #[rustfmt::skip]
        pub mod types;
        #webhook

        #[cfg(feature = "blocking")]
        pub use client::BlockingClient;
        pub use client::{Client, ClientBuilder};
        #(#exports)*
        pub use types::*;
    }
}

/// `src/client.rs`: `Client`, a local wrapper over the runtime's `Core`, and its builder.
pub fn client() -> TokenStream {
    quote! {
        //! `Client`: the runtime's shared state plus one method per endpoint (in `endpoints/`).

        use std::fmt;

        use crate::runtime::{ClientBuilder as Builder, Core};

        /// A PortOne V1 API client.
        ///
        /// Cheap to clone (clones share one connection pool and one access-token
        /// cache). Access tokens are fetched on first use, cached, refreshed shortly
        /// before they expire and refreshed once more when the service answers 401.
        ///
        /// Its `Debug` output never shows the API secret or access tokens.
        #[derive(Clone)]
        pub struct Client {
            /// Read by the generated endpoint methods.
            pub(crate) core: Core,
        }

        /// Configures a [`Client`]; start with [`Client::builder`].
        pub type ClientBuilder = Builder<Client>;

        /// A [`Client`] for synchronous code (cargo feature `blocking`): see the crate
        /// documentation's "Blocking use".
        #[cfg(feature = "blocking")]
        pub type BlockingClient = crate::runtime::BlockingClient<Client>;

        impl Client {
            /// Creates a client for `https://api.iamport.kr` with default settings.
            ///
            /// This never panics: if the client cannot be set up (for example empty
            /// credentials), every call returns [`crate::Error::Config`]. Use
            /// [`Client::builder`] to get such problems up front.
            pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<String>) -> Client {
                Client {
                    core: Core::new(imp_key, imp_secret),
                }
            }

            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }
        }

        impl From<Core> for Client {
            fn from(core: Core) -> Client {
                Client { core }
            }
        }

        impl fmt::Debug for Client {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.core, f)
            }
        }
    }
}
