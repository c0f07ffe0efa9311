//! The control endpoints under `/__fake/`: what a Rust test does with `FakePortOne`'s methods
//! (play the buyer, deposit, run schedules, refund in the console, read a payment, set the
//! clock, steer and read notifications, reset, inject faults), over HTTP for tests written in
//! other languages against the binary. Parsing requests and writing answers; the server
//! carries them out.

use serde_json::{Map, Value, json};

use crate::fault::Fault;
use crate::inspect::Notification;
use crate::ledger::{ConsoleRefund, FakeAmount, PayMethod, Promotion, Purchase};
use crate::operation::Operation;
use crate::seed::Seed;

/// Paths starting with this are control endpoints, never PortOne's.
pub(crate) const PREFIX: &str = "/__fake/";

/// Where a fake in another process plays a [`Purchase`]: post [`Purchase::control_body`]
/// there (the command line's `fake pay` does).
pub const PAY_PATH: &str = "/__fake/pay";

/// One control request, parsed.
pub(crate) enum Command {
    /// `POST /__fake/pay` `{merchant_uid, amount, method?, notice_url?, currency?, name?,
    /// buyer_name?, buyer_email?, buyer_tel?, custom_data?, promotion?: {id, discount,
    /// min_amount?}}`; `method` defaults to `card`.
    Pay(Box<Purchase>),
    /// `POST /__fake/deposit` `{imp_uid}`.
    Deposit(String),
    /// `POST /__fake/run_due_schedules` `{at}` (UNIX seconds).
    RunDueSchedules(i64),
    /// `GET /__fake/payments/{imp_uid}`.
    Payment(String),
    /// `POST /__fake/clock` `{now}` (UNIX seconds).
    SetNow(i64),
    /// `POST /__fake/refund_in_console` `{imp_uid, amount?, reason?, refund_holder?,
    /// refund_bank?, refund_account?}`.
    RefundInConsole(ConsoleRefund),
    /// `POST /__fake/webhooks` `{retry?, duplicate?, hold?}`: the switches given are set.
    Webhooks(Switches),
    /// `GET /__fake/notifications`.
    Notifications,
    /// `POST /__fake/reset`, with a seed file's JSON as the body to start from that instead
    /// of the seed the fake started with.
    Reset(Option<Seed>),
    /// `POST /__fake/faults` `{endpoint, fault, ...}`: the endpoint by its spec key, the
    /// fault as [`Fault::from_json`] reads it.
    Inject(Operation, Fault),
    /// `DELETE /__fake/faults`.
    ClearFaults,
}

/// The notification switches a `POST /__fake/webhooks` sets; `None` leaves one as it is.
pub(crate) struct Switches {
    pub retry: Option<bool>,
    pub duplicate: Option<bool>,
    pub hold: Option<bool>,
}

/// Parses a control request (`path` without [`PREFIX`]); the error says what is wrong.
pub(crate) fn parse(method: &str, path: &str, body: &[u8]) -> Result<Command, String> {
    let object = || -> Result<Map<String, Value>, String> {
        match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err("the body must be a JSON object".into()),
            Err(e) => Err(format!("the body is not JSON: {e}")),
        }
    };
    match (method, path) {
        ("POST", path) if Some(path) == PAY_PATH.strip_prefix(PREFIX) => {
            purchase(&object()?).map(|p| Command::Pay(Box::new(p)))
        }
        ("POST", "deposit") => text(&object()?, "imp_uid").map(Command::Deposit),
        ("POST", "run_due_schedules") => seconds(&object()?, "at").map(Command::RunDueSchedules),
        ("POST", "clock") => seconds(&object()?, "now").map(Command::SetNow),
        ("POST", "refund_in_console") => refund(&object()?).map(Command::RefundInConsole),
        ("POST", "webhooks") => switches(&object()?).map(Command::Webhooks),
        ("GET", "notifications") => Ok(Command::Notifications),
        ("POST", "reset") if body.iter().all(u8::is_ascii_whitespace) => Ok(Command::Reset(None)),
        ("POST", "reset") => std::str::from_utf8(body)
            .map_err(|_| "the seed is not UTF-8".to_owned())
            .and_then(|text| Seed::from_json(text).map_err(|e| format!("the seed: {e}")))
            .map(|seed| Command::Reset(Some(seed))),
        ("POST", "faults") => {
            let fault = object()?;
            let endpoint = text(&fault, "endpoint")?;
            let operation = endpoint.parse().map_err(|e| format!("`endpoint`: {e}"))?;
            Ok(Command::Inject(operation, Fault::from_json(&fault)?))
        }
        ("DELETE", "faults") => Ok(Command::ClearFaults),
        ("GET", path) if path.starts_with("payments/") => {
            Ok(Command::Payment(path["payments/".len()..].to_owned()))
        }
        _ => Err(format!(
            "no control endpoint {method} {PREFIX}{path}; there are POST pay, deposit, \
             run_due_schedules, clock, refund_in_console, webhooks, reset, faults, DELETE \
             faults and GET payments/{{imp_uid}}, notifications"
        )),
    }
}

impl Purchase {
    /// This purchase as the body of [`PAY_PATH`], which a fake reads back as the same
    /// purchase: for a fake in another process, such as one the binary or
    /// `portone-v1 fake serve` runs.
    pub fn control_body(&self) -> Value {
        let mut body = Map::new();
        body.insert("merchant_uid".into(), json!(self.merchant_uid));
        body.insert("amount".into(), self.amount.to_json());
        body.insert("method".into(), json!(self.method.spec().as_str()));
        body.insert("currency".into(), json!(self.currency));
        let optional = [
            ("name", &self.name),
            ("buyer_name", &self.buyer_name),
            ("buyer_email", &self.buyer_email),
            ("buyer_tel", &self.buyer_tel),
            ("notice_url", &self.notice_url),
            ("custom_data", &self.custom_data),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                body.insert(key.into(), json!(value));
            }
        }
        if let Some(p) = &self.promotion {
            let promotion = json!({
                "id": p.id,
                "discount": p.discount.to_json(),
                "min_amount": p.min_amount.to_json(),
            });
            body.insert("promotion".into(), promotion);
        }
        Value::Object(body)
    }
}

fn purchase(body: &Map<String, Value>) -> Result<Purchase, String> {
    let amount = money(body, "amount")?;
    let method = match body.get("method") {
        None => PayMethod::Card,
        Some(Value::String(m)) => {
            PayMethod::from_wire(m).ok_or_else(|| format!("unknown `method` {m:?}"))?
        }
        Some(_) => return Err("`method` must be a string".into()),
    };
    let mut purchase = Purchase::new(text(body, "merchant_uid")?, amount, method);
    let setters: [(&str, Setter); 7] = [
        ("notice_url", |p, v| p.notice_url(v)),
        ("currency", |p, v| p.currency(v)),
        ("name", |p, v| p.name(v)),
        ("buyer_name", |p, v| p.buyer_name(v)),
        ("buyer_email", |p, v| p.buyer_email(v)),
        ("buyer_tel", |p, v| p.buyer_tel(v)),
        ("custom_data", |p, v| p.custom_data(v)),
    ];
    for (key, set) in setters {
        if body.contains_key(key) {
            purchase = set(purchase, text(body, key)?);
        }
    }
    if let Some(promotion) = body.get("promotion") {
        let promotion = promotion
            .as_object()
            .ok_or("`promotion` must be an object {id, discount, min_amount?}")?;
        let mut terms = Promotion::new(text(promotion, "id")?, money(promotion, "discount")?);
        if promotion.contains_key("min_amount") {
            terms = terms.min_amount(money(promotion, "min_amount")?);
        }
        purchase = purchase.promotion(terms);
    }
    Ok(purchase)
}

/// An amount as a JSON number: an integer stays whole, anything else keeps its decimals; the
/// payment's currency decides later whether they are allowed.
fn money(body: &Map<String, Value>, key: &str) -> Result<FakeAmount, String> {
    let Some(Value::Number(number)) = body.get(key) else {
        return Err(format!("`{key}` must be a number"));
    };
    Ok(match (number.as_i64(), number.as_u64(), number.as_f64()) {
        (Some(whole), _, _) => FakeAmount::from(whole),
        (None, Some(whole), _) => FakeAmount::from(whole),
        // serde_json reads every JSON number as one of the three.
        (None, None, decimal) => FakeAmount::from(decimal.unwrap_or(f64::NAN)),
    })
}

fn refund(body: &Map<String, Value>) -> Result<ConsoleRefund, String> {
    let mut refund = ConsoleRefund::new(text(body, "imp_uid")?);
    if body.contains_key("amount") {
        refund = refund.amount(money(body, "amount")?);
    }
    if body.contains_key("reason") {
        refund = refund.reason(text(body, "reason")?);
    }
    let account = ["refund_holder", "refund_bank", "refund_account"];
    if account.iter().any(|key| body.contains_key(*key)) {
        let [holder, bank, number] = account.map(|key| text(body, key));
        refund = refund.refund_account(holder?, bank?, number?);
    }
    Ok(refund)
}

fn switches(body: &Map<String, Value>) -> Result<Switches, String> {
    let switch = |key: &str| match body.get(key) {
        None => Ok(None),
        Some(Value::Bool(on)) => Ok(Some(*on)),
        Some(_) => Err(format!("`{key}` must be true or false")),
    };
    Ok(Switches {
        retry: switch("retry")?,
        duplicate: switch("duplicate")?,
        hold: switch("hold")?,
    })
}

/// A notification attempt as `GET /__fake/notifications` lists it: the record's fields, the
/// outcome split into `status` (or `null`) and `error` (or `null`).
pub(crate) fn notification(sent: &Notification) -> Value {
    let (status, error) = match &sent.outcome {
        Ok(status) => (Some(*status), None),
        Err(why) => (None, Some(why)),
    };
    json!({
        "url": sent.url,
        "content_type": sent.content_type,
        "body": sent.body,
        "attempt": sent.attempt,
        "sent_at": sent.sent_at,
        "status": status,
        "error": error,
        "retry_at": sent.retry_at,
    })
}

/// A `Purchase` setter taking the string a control body gives.
type Setter = fn(Purchase, String) -> Purchase;

fn text(body: &Map<String, Value>, key: &str) -> Result<String, String> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("`{key}` must be a string"))
}

fn seconds(body: &Map<String, Value>, key: &str) -> Result<i64, String> {
    body.get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| format!("`{key}` must be an integer (UNIX seconds)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `fake pay` sends is read back as the purchase it was made from.
    #[test]
    fn a_purchase_survives_its_control_body() {
        let purchases = [
            Purchase::new("order-1", 64_900, PayMethod::Vbank),
            Purchase::new("order-2", 12.34, PayMethod::Card)
                .currency("USD")
                .name("chair")
                .buyer_name("Hong")
                .buyer_email("hong@example.com")
                .buyer_tel("010-0000-0000")
                .notice_url("http://127.0.0.1:3000/hook")
                .custom_data("{\"cart\":1}")
                .promotion(Promotion::new("promotion-id-1", 1_000).min_amount(10_000)),
        ];
        for original in purchases {
            let body = serde_json::to_vec(&original.control_body()).expect("JSON");
            let path = PAY_PATH.strip_prefix(PREFIX).expect("a control path");
            let Ok(Command::Pay(read)) = parse("POST", path, &body) else {
                panic!("{PAY_PATH} does not read its own body back");
            };
            assert_eq!(format!("{read:?}"), format!("{original:?}"));
        }
    }
}
