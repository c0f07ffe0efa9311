//! The flows written on the typed client: `verify`, `payments sweep`, the refund's balance
//! lookup, and settling a refund or a charge whose outcome is unknown. The decisions are the
//! client's (`verify_payment`, `reconcile_cancel`, `reconcile_charge`); this prints them.

use std::collections::HashSet;
use std::pin::Pin;

use clap::ArgMatches;
use futures_core::Stream;
use portone_v1::{
    Amount, CancelOutcome, CancelPaymentRequest, ChargeOutcome, Discrepancy, Expected,
    FindPaymentQuery, GetPaymentQuery, ListPaymentsByStatusQuery, Payment, PaymentSorting,
    PaymentStatusFilter, Timestamp, Verdict,
};
use serde_json::{Map, Value, json};

use crate::config::Connection;
use crate::exit::{Exit, Failure};
use crate::globals::Globals;
use crate::input::Parts;
use crate::output;
use crate::table::{Command, Flows};

/// PortOne lists at most this long a period at once (both ends inclusive).
const WINDOW: i64 = 90 * 86_400;

/// A refund without a `checksum` gets the refundable balance (amount minus what was refunded),
/// looked up now, so that it cannot apply twice nor race another refund.
pub(crate) async fn fill_checksum(
    connection: &Connection,
    flows: &Flows,
    body: &mut Map<String, Value>,
) -> Result<(), Failure> {
    let keys = &flows.cancel_keys;
    if body.contains_key(keys.checksum) {
        return Ok(());
    }
    let client = connection.client()?;
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let payment = match (text(keys.imp_uid), text(keys.merchant_uid)) {
        (Some(imp_uid), _) => client.get_payment(&imp_uid, &GetPaymentQuery::new()).await,
        (None, Some(merchant_uid)) => {
            client
                .find_payment(&merchant_uid, &FindPaymentQuery::new())
                .await
        }
        (None, None) => {
            return Err(Failure::usage(format!(
                "name the payment to refund: \"{}\" or \"{}\"",
                keys.imp_uid, keys.merchant_uid
            )));
        }
    }
    .map_err(|e| Failure::call(&e, false))?;
    let refundable = payment.amount - payment.cancel_amount;
    output::note(&format!(
        "checksum {refundable}: the refundable balance of {}, just looked up",
        payment.imp_uid
    ));
    body.insert(keys.checksum.to_owned(), json!(refundable));
    Ok(())
}

/// After `error` left a call that may move money with an unknown outcome: reconciles a refund
/// or a charge (reading only) and prints what happened; any other call is reported unknown.
pub(crate) async fn settle(
    command: &Command,
    parts: &Parts,
    connection: &Connection,
    error: &portone_v1_runtime::Error,
) -> Result<(), Failure> {
    let unknown = Failure::call(error, true);
    let Some(flows) = crate::spec::FLOWS.as_ref() else {
        return Err(unknown);
    };
    let body = parts.body.clone().unwrap_or_default();
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let amount = |key: &str| body.get(key).and_then(Value::as_f64).map(Amount::from);
    let client = connection.client()?;
    if command.key == flows.cancel {
        output::note(&format!(
            "{error}\nthe refund's outcome is unknown: looking the payment up (nothing is sent again)"
        ));
        let keys = &flows.cancel_keys;
        let mut request = match (text(keys.imp_uid), text(keys.merchant_uid)) {
            (Some(imp_uid), _) => CancelPaymentRequest::by_imp_uid(imp_uid),
            (None, Some(merchant_uid)) => CancelPaymentRequest::by_merchant_uid(merchant_uid),
            (None, None) => return Err(unknown),
        };
        if let Some(value) = amount(keys.amount) {
            request = request.amount(value);
        }
        if let Some(value) = amount(keys.checksum) {
            request = request.checksum(value);
        }
        let outcome = client.reconcile_cancel(&request).await.map_err(|_| {
            unknown.hint(
                "looking the payment up failed too: look at it yourself before refunding again",
            )
        })?;
        return match outcome {
            CancelOutcome::Applied { payment, .. } => {
                output::print(json!({"outcome": "applied", "payment": payment_json(&payment)}));
                Ok(())
            }
            CancelOutcome::NotApplied {
                payment,
                refundable,
            } => {
                output::print(json!({
                    "outcome": "not_applied",
                    "refundable": refundable,
                    "payment": payment_json(&payment),
                }));
                Err(Failure::new(Exit::Failed, "the refund did not take effect")
                    .hint(format!("send it again, with the checksum {refundable}")))
            }
            CancelOutcome::Undetermined { payment, why } => {
                output::print(json!({
                    "outcome": "undetermined",
                    "why": format!("{why:?}"),
                    "payment": payment_json(&payment),
                }));
                Err(Failure::new(
                    Exit::Unknown,
                    "the payment cannot tell whether the refund took effect",
                )
                .hint("read its cancel_history before refunding again"))
            }
        };
    }
    if command.key == flows.charge {
        let Some(merchant_uid) = text(flows.charge_order_key) else {
            return Err(unknown);
        };
        output::note(&format!(
            "{error}\nthe charge's outcome is unknown: looking order {merchant_uid} up (nothing is sent again)"
        ));
        let outcome = client.reconcile_charge(&merchant_uid).await.map_err(|_| {
            unknown
                .hint("looking the order up failed too: look at it yourself before charging again")
        })?;
        return match outcome {
            ChargeOutcome::Charged { payment } => {
                output::print(json!({"outcome": "charged", "payment": payment_json(&payment)}));
                Ok(())
            }
            ChargeOutcome::NotCharged { payment } => {
                output::print(json!({
                    "outcome": "not_charged",
                    "payment": payment.as_ref().map(payment_json),
                }));
                Err(
                    Failure::new(Exit::Failed, "the charge did not take effect").hint(format!(
                        "charge again with the same order id, {merchant_uid}"
                    )),
                )
            }
            ChargeOutcome::Undetermined { payment } => {
                output::print(
                    json!({"outcome": "undetermined", "payment": payment_json(&payment)}),
                );
                Err(Failure::new(
                    Exit::Unknown,
                    "the payment's status does not tell whether the charge took effect",
                )
                .hint("look at the payment before charging again"))
            }
        };
    }
    Err(unknown)
}

/// `verify IMP_UID --order ID --amount N [--currency C]`.
pub(crate) async fn verify(matches: &ArgMatches, globals: &Globals) -> Result<(), Failure> {
    let imp_uid = string(matches, "imp_uid");
    let amount = matches
        .get_one::<Value>("amount")
        .and_then(Value::as_f64)
        .map(Amount::from)
        .unwrap_or_default();
    let expected =
        Expected::new(string(matches, "order"), amount).currency(string(matches, "currency"));
    let connection = Connection::resolve(&globals.options)?;
    if globals.dry_run {
        output::print(json!({
            "lookup": imp_uid,
            "expected": {"merchant_uid": expected.merchant_uid(), "amount": amount, "currency": expected.currency_code()},
        }));
        return Ok(());
    }
    let verdict = connection
        .client()?
        .verify_payment(&imp_uid, &expected)
        .await
        .map_err(|e| Failure::call(&e, false))?;
    let (name, mut shown) = match &verdict {
        Verdict::Paid { .. } => ("paid", json!({})),
        Verdict::AwaitingDeposit { .. } => ("awaiting_deposit", json!({})),
        Verdict::Cancelled { .. } => ("cancelled", json!({})),
        Verdict::PartlyCancelled { remaining, .. } => {
            ("partly_cancelled", json!({"remaining": remaining}))
        }
        Verdict::Failed { .. } => ("failed", json!({})),
        Verdict::Mismatch { discrepancies, .. } => (
            "mismatch",
            json!({"discrepancies": discrepancies.iter().map(discrepancy).collect::<Vec<_>>()}),
        ),
        Verdict::UnknownStatus { .. } => ("unknown_status", json!({})),
    };
    shown["verdict"] = json!(name);
    shown["payment"] = payment_json(verdict.payment());
    output::print(shown);
    match verdict {
        Verdict::Paid { .. } => Ok(()),
        _ => Err(Failure::new(
            Exit::Refused,
            format!("{imp_uid} is not paid for this order: {name}"),
        )),
    }
}

fn discrepancy(d: &Discrepancy) -> Value {
    match d {
        Discrepancy::OrderId { expected, actual } => {
            json!({"field": "merchant_uid", "expected": expected, "actual": actual})
        }
        Discrepancy::Amount { expected, actual } => {
            json!({"field": "amount", "expected": expected, "actual": actual})
        }
        Discrepancy::Currency { expected, actual } => {
            json!({"field": "currency", "expected": expected, "actual": actual})
        }
    }
}

/// `<group> sweep --since T [--until T] [--status S] [--limit N]`: every payment of the
/// period, one JSON line each, in windows PortOne accepts, every page of each.
pub(crate) async fn sweep(matches: &ArgMatches, globals: &Globals) -> Result<(), Failure> {
    let since = matches.get_one::<i64>("since").copied().unwrap_or_default();
    let until = matches.get_one::<i64>("until").copied().unwrap_or_default();
    let status = matches
        .get_one::<Value>("status")
        .map(crate::input::text)
        .unwrap_or_default();
    let limit = matches.get_one::<i64>("limit").copied().unwrap_or(100);
    if since > until {
        return Err(Failure::usage("--since is after --until"));
    }
    let windows = windows(since, until);
    let connection = Connection::resolve(&globals.options)?;
    if globals.dry_run {
        let shown: Vec<Value> = windows
            .iter()
            .map(|(from, to)| json!({"status": status, "from": from, "to": to, "limit": limit}))
            .collect();
        output::print(json!({"windows": shown}));
        return Ok(());
    }
    let client = connection.client()?;
    let mut seen = HashSet::new();
    for (from, to) in windows {
        let query = ListPaymentsByStatusQuery::new()
            .from(Timestamp::from(from))
            .to(Timestamp::from(to))
            .limit(limit)
            .sorting(PaymentSorting::StartedAsc);
        let mut payments = client
            .list_payments_by_status_stream(PaymentStatusFilter::from(status.as_str()), &query);
        while let Some(payment) =
            std::future::poll_fn(|cx| Pin::new(&mut payments).poll_next(cx)).await
        {
            let payment = payment.map_err(|e| {
                let failure = Failure::call(&e, false);
                let hint = format!("stopped after {} payments", seen.len());
                failure.hint(hint)
            })?;
            if seen.insert(payment.imp_uid.clone()) {
                output::print_line(payment_json(&payment));
            }
        }
    }
    output::note(&format!("{} payments", seen.len()));
    Ok(())
}

/// `[since, until]` cut into consecutive windows of at most [`WINDOW`] seconds.
fn windows(since: i64, until: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut from = since;
    while from <= until {
        let to = until.min(from.saturating_add(WINDOW - 1));
        out.push((from, to));
        from = to + 1;
    }
    out
}

/// A payment as JSON, the shape PortOne sends (the printer hides its secrets).
pub(crate) fn payment_json(payment: &Payment) -> Value {
    serde_json::to_value(payment).unwrap_or_default()
}

/// A string argument (clap checked that it is given or has a default).
fn string(matches: &ArgMatches, id: &str) -> String {
    matches.get_one::<String>(id).cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_cut_into_windows_without_overlap() {
        assert_eq!(windows(0, 10), [(0, 10)]);
        assert_eq!(windows(0, WINDOW - 1), [(0, WINDOW - 1)]);
        assert_eq!(windows(0, WINDOW), [(0, WINDOW - 1), (WINDOW, WINDOW)]);
        assert_eq!(windows(5, 4), []);
        assert_eq!(windows(0, 3 * WINDOW).len(), 4);
    }
}
