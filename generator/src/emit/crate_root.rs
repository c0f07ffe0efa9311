//! The crate root and the two client types that carry the endpoint methods. Their text does not
//! depend on the endpoints, but they must be in the generated crate: the endpoint methods are
//! inherent impls, which need a local type. Emitting them (instead of copying hand-written
//! files) keeps one source for each, here, with the crate names taken from the model.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{cfg, doc_cfg, ident};
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
        let doc_cfg = doc_cfg(&w.cfg);
        quote! {
            #cfg
            #doc_cfg
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    // The helpers of `flows:` and the runtime types their signatures name.
    let flows = model.flows.as_ref().map(|_| {
        quote! {
            #[rustfmt::skip]
            mod flows;
            pub use runtime::{
                Ambiguity, CancelAttempt, CancelOutcome, CancellationFacts, ChargeLookup,
                ChargeOutcome, Check, CheckFuture, Decide, Discrepancy, Expected, PaymentFacts,
                Verdict,
            };
        }
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

        #[cfg(feature = "blocking")]
        #[rustfmt::skip]
        mod blocking;
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod endpoints;
        #flows
        #[rustfmt::skip]
        pub mod types;
        #webhook

        #[cfg(feature = "blocking")]
        #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
        pub use blocking::BlockingClient;
        pub use client::{Client, ClientBuilder};
        pub use runtime::{
            Amount, ApiError, Call, CallFuture, ConversionError, DEFAULT_BASE_URL, DecodeError, Error,
            InvalidRequestError, Method, Page, PageStream, ResponseTooLargeError, RetryPolicy,
            Timestamp, TransportError, UnknownValue, PORTONE_WEBHOOK_ADDRESSES, WebhookSources,
        };
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

/// `src/blocking.rs`: `BlockingClient` (cargo feature `blocking`), which derefs to `Client`.
pub fn blocking(model: &Model) -> TokenStream {
    let krate = ident(&model.crate_ident);
    let example = format!(
        r#" ```no_run
 # #[cfg(feature = "payment")]
 # fn example() -> Result<(), {krate}::Error> {{
 use {krate}::{{BlockingClient, GetPaymentQuery}};

 let bc = BlockingClient::new("imp_key", "imp_secret")?;
 let payment = bc.run(bc.get_payment("imp_123456789012", &GetPaymentQuery::new()))?;
 # Ok(())
 # }}
 ```"#
    );
    let example = example.lines().map(|line| quote!(#[doc = #line]));
    quote! {
        //! A synchronous wrapper around [`Client`] (cargo feature `blocking`).

        use std::future::IntoFuture;
        use std::ops::Deref;

        use serde::de::DeserializeOwned;

        use crate::{Call, Client, Error};

        /// A client for synchronous code: owns a single-threaded Tokio runtime and
        /// runs each call to completion on it.
        ///
        /// Endpoint methods are reached through `Deref<Target = Client>`:
        ///
        #(#example)*
        ///
        /// Do not use it from inside an async runtime; [`BlockingClient::run`]
        /// returns [`Error::Config`] in that case instead of blocking the runtime.
        #[derive(Debug)]
        pub struct BlockingClient {
            runtime: tokio::runtime::Runtime,
            client: Client,
        }

        impl BlockingClient {
            /// Creates a client for `https://api.iamport.kr` with default settings.
            pub fn new(
                imp_key: impl Into<String>,
                imp_secret: impl Into<String>,
            ) -> Result<Self, Error> {
                Self::from_client(Client::new(imp_key, imp_secret))
            }

            /// Wraps an already configured [`Client`].
            pub fn from_client(client: Client) -> Result<Self, Error> {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::Config(format!("could not start the Tokio runtime: {e}")))?;
                Ok(BlockingClient { runtime, client })
            }

            /// Runs one call and waits for its result.
            pub fn run<T>(&self, call: Call<'_, T>) -> Result<T, Error>
            where
                T: DeserializeOwned + Send,
            {
                if tokio::runtime::Handle::try_current().is_ok() {
                    return Err(Error::Config(
                        "BlockingClient::run was called from inside an async runtime; await the call on Client instead".to_owned(),
                    ));
                }
                self.runtime.block_on(call.into_future())
            }

            /// The wrapped async client.
            pub fn client(&self) -> &Client {
                &self.client
            }
        }

        impl Deref for BlockingClient {
            type Target = Client;

            fn deref(&self) -> &Client {
                &self.client
            }
        }
    }
}
