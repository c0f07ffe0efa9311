//! The docs of the verification and reconciliation methods `portone-v1` generates on its
//! `Client` (from the `flows:` of its spec): `#[doc = verify_payment_doc!(..)]` and so on.
//!
//! The methods must be inherent methods of the generated `Client`, so they are written there;
//! their docs are the same whatever the spec says but for a few names, so they are written
//! here, once, one string per line, with the names as arguments: the crate (for the examples,
//! which run as `portone-v1`'s doctests), the method itself and the endpoints it calls or
//! mentions.

/// The doc of `Client::verify_payment`: `krate` names the crate in the example, `method` the
/// method, `lookup` the lookup by PortOne's id it calls, `order_id` and `virtual_account` the
/// payment's fields the example reads.
#[doc(hidden)]
#[macro_export]
macro_rules! verify_payment_doc {
    (
        krate = $krate:literal,
        method = $method:literal,
        lookup = $lookup:literal,
        order_id = $order_id:literal,
        virtual_account = $virtual_account:literal $(,)?
    ) => {
        concat!(
            "Fetches the payment `imp_uid` ([`Client::", $lookup, "`](Self::", $lookup, ")) and\n",
            "decides what it means for the order `expected` describes. Only\n",
            "[`Verdict::Paid`](crate::Verdict::Paid) allows fulfilling the order; a\n",
            "[`Verdict::Mismatch`](crate::Verdict::Mismatch) (another order id, amount or currency)\n",
            "is a forgery attempt whatever the payment's status. A lookup that fails is the `Err`.\n",
            "\n",
            "A webhook notification, a browser redirect or a client-side callback only says which\n",
            "payment to look at: this is the check. Payments on a test channel are not found (the\n",
            "lookup hides them), so none can pass for a real one.\n",
            "\n",
            "# Idempotency\n",
            "\n",
            "Expect to see a payment more than once: a notification may be resent, and it races the\n",
            "buyer's browser coming back to your redirect URL (either may come first). Let both paths\n",
            "call `", $method, "` and fulfil the order at most once, keyed by `", $order_id, "`: record\n",
            "it with a compare-and-set in your store (`UPDATE orders SET state = 'paid' WHERE\n",
            $order_id, " = $1 AND state = 'pending'`, and ship only if a row changed), never with a\n",
            "read followed by a write. Answer a duplicate notification with success, so that it is\n",
            "not resent.\n",
            "\n",
            "# Example\n",
            "\n",
            "```no_run\n",
            "# async fn example(client: &", $krate, "::Client) -> Result<(), ", $krate, "::Error> {\n",
            "use ", $krate, "::{Expected, Verdict};\n",
            "\n",
            "let expected = Expected::new(\"order-1001\", 64_900);\n",
            "match client.", $method, "(\"imp_123456789012\", &expected).await? {\n",
            "    Verdict::Paid { payment } => { /* fulfil once, keyed by payment.", $order_id, " */ }\n",
            "    Verdict::AwaitingDeposit { payment } => { /* show payment.", $virtual_account, " */ }\n",
            "    Verdict::Mismatch { discrepancies, .. } => { /* never fulfil; alert */ }\n",
            "    Verdict::Cancelled { .. }\n",
            "    | Verdict::PartlyCancelled { .. }\n",
            "    | Verdict::Failed { .. }\n",
            "    | Verdict::UnknownStatus { .. } => {}\n",
            "}\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )
    };
}

/// The doc of `Client::reconcile_cancel`: `krate` names the crate in the example, `method` the
/// method, `cancel` the refund endpoint and `body` its request type, `lookup` and `by_order`
/// the lookups it calls; `payment_id`, `order_id`, `amount` and `checksum` name the request's
/// fields it reads, `paid` and `refunded` the payment's.
#[doc(hidden)]
#[macro_export]
macro_rules! reconcile_cancel_doc {
    (
        krate = $krate:literal,
        method = $method:literal,
        cancel = $cancel:literal,
        body = $body:literal,
        lookup = $lookup:literal,
        by_order = $by_order:literal,
        payment_id = $payment_id:literal,
        order_id = $order_id:literal,
        amount = $amount:literal,
        checksum = $checksum:literal,
        paid = $paid:literal,
        refunded = $refunded:literal $(,)?
    ) => {
        concat!(
            "Finds out whether a refund ([`Client::", $cancel, "`](Self::", $cancel, ")) whose\n",
            "result was an error with [`Error::outcome_unknown`](crate::Error::outcome_unknown)\n",
            "took effect, before anything is sent again. It looks the payment up (by the request's\n",
            "`", $payment_id, "` with [`Client::", $lookup, "`](Self::", $lookup, "), else by its\n",
            "`", $order_id, "` with [`Client::", $by_order, "`](Self::", $by_order, ")) and compares\n",
            "it with the request's `", $amount, "` and `", $checksum, "`\n",
            "([`CancelAttempt::outcome`](crate::CancelAttempt::outcome) says how). It never sends\n",
            "a refund itself.\n",
            "\n",
            "Always set `", $checksum, "` on a refund (`payment.", $paid, " - payment.", $refunded, "`, read\n",
            "before refunding): with it every outcome can be told, and a refund sent again with the\n",
            "same checksum cannot apply twice. Without it, a payment with any earlier refund is\n",
            "[`CancelOutcome::Undetermined`](crate::CancelOutcome::Undetermined). A request naming\n",
            "no payment fails with [`Error::InvalidRequest`](crate::Error::InvalidRequest) before\n",
            "anything is sent.\n",
            "\n",
            "# Example\n",
            "\n",
            "```no_run\n",
            "# use ", $krate, "::{Client, Error, ", $body, "};\n",
            "# async fn example(client: &Client, request: &", $body, ") -> Result<(), Error> {\n",
            "use ", $krate, "::CancelOutcome;\n",
            "\n",
            "match client.", $method, "(request).await? {\n",
            "    CancelOutcome::Applied { .. } => { /* refunded: record it */ }\n",
            "    CancelOutcome::NotApplied { .. } => { client.", $cancel, "(request).await?; }\n",
            "    CancelOutcome::Undetermined { why, .. } => { /* ask a person: {why:?} */ }\n",
            "}\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )
    };
}

/// The doc of `Client::reconcile_charge`: `charge` names the billing-key charge endpoint,
/// `by_order` the lookup by order id it calls.
#[doc(hidden)]
#[macro_export]
macro_rules! reconcile_charge_doc {
    (charge = $charge:literal, by_order = $by_order:literal $(,)?) => {
        concat!(
            "Finds out whether a billing-key charge (`Client::", $charge, "`, or a one-time\n",
            "charge) whose result was an error with\n",
            "[`Error::outcome_unknown`](crate::Error::outcome_unknown) took effect: looks up the\n",
            "payment of the order `merchant_uid` ([`Client::", $by_order, "`](Self::", $by_order,
            ")). `paid` is [`ChargeOutcome::Charged`](crate::ChargeOutcome::Charged); `failed`, or\n",
            "no payment at all (HTTP 404), is\n",
            "[`ChargeOutcome::NotCharged`](crate::ChargeOutcome::NotCharged); any other status is\n",
            "[`ChargeOutcome::Undetermined`](crate::ChargeOutcome::Undetermined). It never charges;\n",
            "charge again only after `NotCharged`, with the same order id.",
        )
    };
}
