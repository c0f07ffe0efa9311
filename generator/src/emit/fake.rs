//! Emits the fake PortOne's `Operation` enum (`src/operation/`, a module of its own that
//! imports nothing, so that the router can name operations and the routing table the router's
//! types without a cycle) and its module of what it knows from `spec/` (`src/spec/`): its
//! routing table (per endpoint the route, what to decode and the sample answer); the shapes
//! and enums are `fake_shapes.rs`'s, the walk test `fake_walk.rs`'s. A new endpoint in `spec/`
//! is thus served, named and walked with no hand work.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident, str_lit};
use crate::model::{Endpoint, Model, WireParam, WireTy};

/// Every endpoint of the model, in category order.
pub fn endpoints(model: &Model) -> impl Iterator<Item = &Endpoint> {
    model.categories.iter().flat_map(|c| &c.endpoints)
}

/// Tokens of `src/spec/mod.rs`: the submodules and what the rest of the crate uses of them.
pub fn module() -> TokenStream {
    quote! {
        //! What the fake knows from `spec/`: every endpoint as it routes and decodes it
        //! (`routes`), and the enums and wire shapes of what its ledger writes and reads
        //! (`enums`, `shapes`).

        mod enums;
        mod routes;
        mod shapes;

        pub(crate) use enums::*;
        pub(crate) use routes::ROUTES;
        pub(crate) use shapes::*;
    }
}

/// Tokens of `src/spec/routes.rs`: the static table the fake's router reads.
pub fn routes(model: &Model) -> TokenStream {
    let routes = endpoints(model).map(|e| {
        let operation = ident(&e.fake.operation);
        let method = &e.method;
        let path = &e.path;
        let auth = e.auth;
        let path_params = params(&e.wire.path);
        let query = params(&e.wire.query);
        let body = params(&e.wire.body);
        let sample = str_lit(&e.sample.response_json.to_string());
        quote! {
            Route {
                operation: Operation::#operation,
                method: #method,
                path: #path,
                auth: #auth,
                path_params: #path_params,
                query: #query,
                body: #body,
                sample: #sample,
            }
        }
    });
    quote! {
        //! Every endpoint of `spec/` as the fake routes and decodes it, with the payload it
        //! answers when the ledger does not model the call.

        use crate::operation::Operation;
        use crate::route::{Param, Route, Wire};

        /// Every endpoint, in category order.
        pub(crate) static ROUTES: &[Route] = &[#(#routes),*];
    }
}

fn params(params: &[WireParam]) -> TokenStream {
    let items = params.iter().map(|p| {
        let name = &p.name;
        let wire = &p.wire;
        let ty = wire_ty(&p.ty);
        let required = p.required;
        quote!(Param { name: #name, wire: #wire, ty: #ty, required: #required })
    });
    quote!(&[#(#items),*])
}

fn wire_ty(ty: &WireTy) -> TokenStream {
    match ty {
        WireTy::String => quote!(Wire::String),
        WireTy::Integer => quote!(Wire::Integer),
        WireTy::Number => quote!(Wire::Number),
        WireTy::Boolean => quote!(Wire::Boolean),
        WireTy::Json => quote!(Wire::Json),
        WireTy::Object => quote!(Wire::Object),
        WireTy::List(inner) => {
            let inner = wire_ty(inner);
            quote!(Wire::List(&#inner))
        }
    }
}

/// Tokens of `src/operation/mod.rs`: the public `Operation` enum, one variant per endpoint.
pub fn operation(model: &Model) -> TokenStream {
    let variants = endpoints(model).map(|e| {
        let doc = doc(&e.fake.doc);
        let v = ident(&e.fake.operation);
        quote!(#doc #v)
    });
    let all = endpoints(model).map(|e| {
        let v = ident(&e.fake.operation);
        quote!(Operation::#v)
    });
    let keys = endpoints(model).map(|e| {
        let v = ident(&e.fake.operation);
        let key = &e.name;
        quote!(Operation::#v => #key)
    });
    quote! {
        //! The endpoints of `spec/` by name, so that a fault injected into one, a request
        //! logged for one and the ledger's dispatch name an endpoint that exists.

        /// An endpoint of the spec: what [`FakePortOne::inject`](crate::FakePortOne::inject)
        /// takes and [`Received::endpoint`](crate::Received::endpoint) says. Its text form
        /// ([`key`](Operation::key), `Display`, `FromStr`) is the spec's key, which is the
        /// generated client's method name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            #(#variants,)*
        }

        impl Operation {
            /// Every operation, in the spec's category order.
            pub const ALL: &[Operation] = &[#(#all),*];

            /// The spec's key (the generated client's method name), e.g. `get_payment`.
            pub fn key(self) -> &'static str {
                match self {
                    #(#keys,)*
                }
            }
        }
    }
}
