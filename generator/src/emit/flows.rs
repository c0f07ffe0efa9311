//! `src/flows.rs`: the glue between the spec's payment type and the runtime's verification
//! and reconciliation (`runtime/src/flows/verify.rs`, `runtime/src/flows/reconcile.rs`), where
//! every decision is made. Here are only `PaymentFacts` for the payment type, reading the
//! fields the model names, and the `Client` methods that build the lookup and hand it to a
//! `runtime::Check`; their docs are the runtime's (`runtime/src/flows/docs.rs`), given the
//! names they mention.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{cfg, ident};
use crate::model::{FlowField, FlowLookup, Flows};

/// Tokens of `src/flows.rs`; `krate` names the crate in the doc examples.
pub fn module(f: &Flows, krate: &str) -> TokenStream {
    let payment = ident(&f.payment);
    let cancellation = ident(&f.cancellation);
    let p = &f.payment_fields;
    let [order_id, amount, cancel_amount, currency, status] = [
        &p.order_id,
        &p.amount,
        &p.cancel_amount,
        &p.currency,
        &p.status,
    ]
    .map(|f| ident(&f.name));
    let history = {
        let field = ident(&p.cancellations.name);
        if p.cancellations.optional {
            quote!(self.#field.as_deref().unwrap_or(&[]))
        } else {
            quote!(&self.#field)
        }
    };
    let virtual_account = optional_str(&p.virtual_account);
    let c = &f.cancellation_fields;
    let cancellation_amount = ident(&c.amount.name);
    let cancellation_id = optional_str(&c.cancellation_id);
    let (payment_cfg, cancellation_cfg) = (cfg(&f.payment_cfg), cfg(&f.cancellation_cfg));
    let methods_cfg = cfg(&f.cfg);
    let [verify, reconcile_cancel, reconcile_charge] = [0, 1, 2].map(|i| ident(&f.methods[i]));
    let body = ident(&f.cancel_body);
    let b = &f.cancel_fields;
    let [
        request_payment_id,
        request_order_id,
        request_amount,
        request_checksum,
    ] = [&b.payment_id, &b.order_id, &b.amount, &b.checksum].map(|f| ident(&f.name));
    let by_id = lookup(&f.lookup, quote!(#request_payment_id));
    let by_order_of_request = lookup(
        &f.lookup_by_order,
        quote!(request.#request_order_id.as_deref().unwrap_or_default()),
    );
    let by_order = lookup(&f.lookup_by_order, quote!(merchant_uid));
    let by_imp_uid = lookup(&f.lookup, quote!(imp_uid));
    let (verify_name, cancel_name) = (&f.methods[0], &f.methods[1]);
    let (lookup_name, by_order_name) = (&f.lookup.method, &f.lookup_by_order.method);
    let (cancel_method, body_name, charge) = (&f.cancel, &f.cancel_body, &f.charge);
    // The fields' Rust names, as the docs' examples and prose spell them.
    let [
        order_id_name,
        virtual_account_name,
        amount_name,
        cancel_amount_name,
    ] = [&p.order_id, &p.virtual_account, &p.amount, &p.cancel_amount].map(|f| &f.name);
    let [
        request_payment_id_name,
        request_order_id_name,
        request_amount_name,
        request_checksum_name,
    ] = [&b.payment_id, &b.order_id, &b.amount, &b.checksum].map(|f| &f.name);
    quote! {
        //! Verification and reconciliation: the runtime decides, this glue reads the payment
        //! type and calls the lookups.
        //!
        //! A category feature alone compiles only part of this module, and leaves some of the
        //! imports without a user.
        #![allow(unused_imports)]

        use crate::Client;
        use crate::runtime::{
            Amount, CancelAttempt, CancellationFacts, ChargeLookup, Check, Expected, PaymentFacts,
            reconcile_cancel_doc, reconcile_charge_doc, verify_payment_doc,
        };
        use crate::types::*;

        #payment_cfg
        impl PaymentFacts for #payment {
            type Cancellation = #cancellation;

            fn merchant_uid(&self) -> &str {
                &self.#order_id
            }

            fn amount(&self) -> Amount {
                self.#amount
            }

            fn currency(&self) -> &str {
                self.#currency.as_str()
            }

            fn status(&self) -> &str {
                self.#status.as_str()
            }

            fn cancel_amount(&self) -> Amount {
                self.#cancel_amount
            }

            fn cancellations(&self) -> &[#cancellation] {
                #history
            }

            fn virtual_account(&self) -> Option<&str> {
                #virtual_account
            }
        }

        #cancellation_cfg
        impl CancellationFacts for #cancellation {
            fn amount(&self) -> Amount {
                self.#cancellation_amount
            }

            fn cancellation_id(&self) -> Option<&str> {
                #cancellation_id
            }
        }

        #methods_cfg
        impl Client {
            #[doc = verify_payment_doc!(
                krate = #krate,
                method = #verify_name,
                lookup = #lookup_name,
                order_id = #order_id_name,
                virtual_account = #virtual_account_name,
            )]
            pub fn #verify(&self, imp_uid: &str, expected: &Expected) -> Check<'_, #payment, Expected> {
                Check::new(#by_imp_uid, expected.clone())
            }

            #[doc = reconcile_cancel_doc!(
                krate = #krate,
                method = #cancel_name,
                cancel = #cancel_method,
                body = #body_name,
                lookup = #lookup_name,
                by_order = #by_order_name,
                payment_id = #request_payment_id_name,
                order_id = #request_order_id_name,
                amount = #request_amount_name,
                checksum = #request_checksum_name,
                paid = #amount_name,
                refunded = #cancel_amount_name,
            )]
            pub fn #reconcile_cancel(&self, request: &#body) -> Check<'_, #payment, CancelAttempt> {
                let attempt = CancelAttempt::new(request.#request_amount, request.#request_checksum);
                let lookup = match &request.#request_payment_id {
                    Some(#request_payment_id) => #by_id,
                    None => #by_order_of_request,
                };
                Check::new(lookup, attempt)
            }

            #[doc = reconcile_charge_doc!(charge = #charge, by_order = #by_order_name)]
            pub fn #reconcile_charge(&self, merchant_uid: &str) -> Check<'_, #payment, ChargeLookup> {
                Check::new(#by_order, ChargeLookup)
            }
        }
    }
}

/// A string field read as `Option<&str>`.
fn optional_str(f: &FlowField) -> TokenStream {
    let field = ident(&f.name);
    if f.optional {
        quote!(self.#field.as_deref())
    } else {
        quote!(Some(self.#field.as_str()))
    }
}

/// A call of a lookup method with its query struct left empty.
fn lookup(l: &FlowLookup, id: TokenStream) -> TokenStream {
    let method = ident(&l.method);
    match &l.query {
        Some(q) => {
            let q = ident(q);
            quote!(self.#method(#id, &#q::new()))
        }
        None => quote!(self.#method(#id)),
    }
}
