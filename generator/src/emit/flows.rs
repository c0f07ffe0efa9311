//! `src/flows.rs`: the glue between the spec's payment type and the runtime's verification
//! and reconciliation (`runtime/src/verify.rs`, `runtime/src/reconcile.rs`), where every
//! decision is made. Here are only `PaymentFacts` for the payment type and the `Client`
//! methods that build the lookup and hand it to a `runtime::Check`.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{cfg, doc, doc_cfg, ident};
use crate::model::{FlowLookup, Flows};

/// Tokens of `src/flows.rs`; `krate` names the crate in the doc examples.
pub fn module(f: &Flows, krate: &str) -> TokenStream {
    let payment = ident(&f.payment);
    let cancellation = ident(&f.cancellation);
    let history = if f.history_optional {
        quote!(self.cancel_history.as_deref().unwrap_or(&[]))
    } else {
        quote!(&self.cancel_history)
    };
    let vbank = if f.vbank_optional {
        quote!(self.vbank_num.as_deref())
    } else {
        quote!(Some(self.vbank_num.as_str()))
    };
    let cancellation_id = if f.cancellation_id_optional {
        quote!(self.cancellation_id.as_deref())
    } else {
        quote!(Some(self.cancellation_id.as_str()))
    };
    let (payment_cfg, cancellation_cfg) = (cfg(&f.payment_cfg), cfg(&f.cancellation_cfg));
    let (methods_cfg, methods_doc_cfg) = (cfg(&f.cfg), doc_cfg(&f.cfg));
    let [verify, reconcile_cancel, reconcile_charge] = [0, 1, 2].map(|i| ident(&f.methods[i]));
    let body = ident(&f.cancel_body);
    let by_id = lookup(&f.lookup, quote!(imp_uid));
    let by_order_of_request = lookup(
        &f.lookup_by_order,
        quote!(request.merchant_uid.as_deref().unwrap_or_default()),
    );
    let by_order = lookup(&f.lookup_by_order, quote!(merchant_uid));
    let [verify_doc, cancel_doc, charge_doc] = docs(f, krate).map(|d| doc(&d));
    quote! {
        //! Verification and reconciliation: the runtime decides, this glue reads the payment
        //! type and calls the lookups.

        #payment_cfg
        impl crate::runtime::PaymentFacts for crate::types::#payment {
            type Cancellation = crate::types::#cancellation;
            fn merchant_uid(&self) -> &str {
                &self.merchant_uid
            }
            fn amount(&self) -> crate::runtime::Amount {
                self.amount
            }
            fn currency(&self) -> &str {
                self.currency.as_str()
            }
            fn status(&self) -> &str {
                self.status.as_str()
            }
            fn cancel_amount(&self) -> crate::runtime::Amount {
                self.cancel_amount
            }
            fn cancellations(&self) -> &[crate::types::#cancellation] {
                #history
            }
            fn virtual_account(&self) -> ::core::option::Option<&str> {
                #vbank
            }
        }

        #cancellation_cfg
        impl crate::runtime::CancellationFacts for crate::types::#cancellation {
            fn amount(&self) -> crate::runtime::Amount {
                self.amount
            }
            fn cancellation_id(&self) -> ::core::option::Option<&str> {
                #cancellation_id
            }
        }

        #methods_cfg
        impl crate::Client {
            #verify_doc
            #methods_doc_cfg
            pub fn #verify(
                &self,
                imp_uid: &str,
                expected: &crate::runtime::Expected,
            ) -> crate::runtime::Check<'_, crate::types::#payment, crate::runtime::Expected> {
                crate::runtime::Check::new(#by_id, expected.clone())
            }

            #cancel_doc
            #methods_doc_cfg
            pub fn #reconcile_cancel(
                &self,
                request: &crate::types::#body,
            ) -> crate::runtime::Check<'_, crate::types::#payment, crate::runtime::CancelAttempt> {
                let attempt = crate::runtime::CancelAttempt::new(request.amount, request.checksum);
                let lookup = match &request.imp_uid {
                    ::core::option::Option::Some(imp_uid) => #by_id,
                    ::core::option::Option::None => #by_order_of_request,
                };
                crate::runtime::Check::new(lookup, attempt)
            }

            #charge_doc
            #methods_doc_cfg
            pub fn #reconcile_charge(
                &self,
                merchant_uid: &str,
            ) -> crate::runtime::Check<'_, crate::types::#payment, crate::runtime::ChargeLookup> {
                crate::runtime::Check::new(#by_order, crate::runtime::ChargeLookup)
            }
        }
    }
}

/// A call of a lookup method with its query struct left empty.
fn lookup(l: &FlowLookup, id: TokenStream) -> TokenStream {
    let method = ident(&l.method);
    match &l.query {
        Some(q) => {
            let q = ident(q);
            quote!(self.#method(#id, &crate::types::#q::new()))
        }
        None => quote!(self.#method(#id)),
    }
}

/// The docs of the three methods.
fn docs(f: &Flows, krate: &str) -> [String; 3] {
    let (verify, cancel_method) = (&f.methods[0], &f.methods[1]);
    let lookup = &f.lookup.method;
    let by_order = &f.lookup_by_order.method;
    let cancel = &f.cancel;
    let charge = &f.charge;
    let body = &f.cancel_body;
    let verify_doc = format!(
        "Fetches the payment `imp_uid` ([`Client::{lookup}`](Self::{lookup})) and decides what it means for the
order `expected` describes. Only [`Verdict::Paid`](crate::Verdict::Paid) allows fulfilling
the order; a [`Verdict::Mismatch`](crate::Verdict::Mismatch) (another order id, amount or
currency) is a forgery attempt whatever the payment's status. A lookup that fails is the
`Err`.

A webhook notification, a browser redirect or a client-side callback only says which
payment to look at: this is the check. Payments on a test channel are not found (the lookup
hides them), so none can pass for a real one.

# Idempotency

Expect to see a payment more than once: a notification may be resent, and it races the
buyer's browser coming back to your redirect URL (either may come first). Let both paths call
`{verify}` and fulfil the order at most once, keyed by `merchant_uid`: record it with a
compare-and-set in your store (`UPDATE orders SET state = 'paid' WHERE merchant_uid = $1 AND
state = 'pending'`, and ship only if a row changed), never with a read followed by a write.
Answer a duplicate notification with success, so that it is not resent.

# Example

```no_run
# async fn example(client: &{krate}::Client) -> Result<(), {krate}::Error> {{
use {krate}::{{Expected, Verdict}};

let expected = Expected::new(\"order-1001\", 64_900);
match client.{verify}(\"imp_123456789012\", &expected).await? {{
    Verdict::Paid {{ payment }} => {{ /* fulfil once, keyed by payment.merchant_uid */ }}
    Verdict::AwaitingDeposit {{ payment }} => {{ /* show payment.vbank_num */ }}
    Verdict::Mismatch {{ discrepancies, .. }} => {{ /* never fulfil; alert */ }}
    Verdict::Cancelled {{ .. }}
    | Verdict::PartlyCancelled {{ .. }}
    | Verdict::Failed {{ .. }}
    | Verdict::UnknownStatus {{ .. }} => {{}}
}}
# Ok(())
# }}
```"
    );
    let cancel_doc = format!(
        "Finds out whether a refund ([`Client::{cancel}`](Self::{cancel})) whose result was an error with
[`Error::outcome_unknown`](crate::Error::outcome_unknown) took effect, before anything is
sent again. It looks the payment up (by the request's `imp_uid` with [`Client::{lookup}`](Self::{lookup}),
else by its `merchant_uid` with [`Client::{by_order}`](Self::{by_order})) and compares it with the request's
`amount` and `checksum` ([`CancelAttempt::outcome`](crate::CancelAttempt::outcome) says how).
It never sends a refund itself.

Always set `checksum` on a refund (`payment.amount - payment.cancel_amount`, read before
refunding): with it every outcome can be told, and a refund sent again with the same
checksum cannot apply twice. Without it, a payment with any earlier refund is
[`CancelOutcome::Undetermined`](crate::CancelOutcome::Undetermined). A request naming no
payment fails with [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is
sent.

# Example

```no_run
# async fn example(client: &{krate}::Client, request: &{krate}::{body}) -> Result<(), {krate}::Error> {{
use {krate}::CancelOutcome;

match client.{cancel_method}(request).await? {{
    CancelOutcome::Applied {{ .. }} => {{ /* refunded: record it */ }}
    CancelOutcome::NotApplied {{ .. }} => {{ client.{cancel}(request).await?; }}
    CancelOutcome::Undetermined {{ why, .. }} => {{ /* ask a person: {{why:?}} */ }}
}}
# Ok(())
# }}
```"
    );
    let charge_doc = format!(
        "Finds out whether a billing-key charge (`Client::{charge}`, or a one-time charge) whose
result was an error with [`Error::outcome_unknown`](crate::Error::outcome_unknown) took
effect: looks up the payment of the order `merchant_uid` ([`Client::{by_order}`](Self::{by_order})). `paid` is
[`ChargeOutcome::Charged`](crate::ChargeOutcome::Charged); `failed`, or no payment at all
(HTTP 404), is [`ChargeOutcome::NotCharged`](crate::ChargeOutcome::NotCharged); any other
status is [`ChargeOutcome::Undetermined`](crate::ChargeOutcome::Undetermined). It never
charges; charge again only after `NotCharged`, with the same order id."
    );
    [verify_doc, cancel_doc, charge_doc]
}
