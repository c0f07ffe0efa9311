//! `fake serve` (the fake PortOne of `portone-v1-fake`, on 127.0.0.1) and `fake pay` (the
//! buyer paying in a running one, through its control endpoint `portone_v1_fake::PAY_PATH`).

use clap::ArgMatches;
use portone_v1_fake::{FakeAmount, FakePortOne, PAY_PATH, PayMethod, Purchase};
use serde_json::{Map, Value, json};

use crate::config::{Connection, KEY_VAR, SECRET_VAR};
use crate::exit::{Exit, Failure};
use crate::globals::Globals;
use crate::{http, input, output};

/// `fake serve [--port N]`: prints the environment pointing at it, then serves until
/// interrupted.
pub(crate) async fn serve(matches: &ArgMatches) -> Result<(), Failure> {
    let port = matches.get_one::<u16>("port").copied().unwrap_or_default();
    let fake = FakePortOne::builder().bind(port).await.map_err(|e| {
        Failure::new(
            Exit::Failed,
            format!("cannot listen on 127.0.0.1:{port}: {e}"),
        )
    })?;
    // The fake's credentials are published test values, not secrets.
    println!("export PORTONE_BASE_URL={}", fake.base_url());
    println!("export {KEY_VAR}={}", fake.key());
    println!("export {SECRET_VAR}={}", fake.secret());
    output::note("serving the fake PortOne until interrupted (Ctrl-C)");
    std::future::pending::<()>().await;
    Ok(())
}

/// `fake pay --order ID --amount N [--method M] [--notice-url URL] [...]`.
pub(crate) async fn pay(matches: &ArgMatches, globals: &Globals) -> Result<(), Failure> {
    let connection = Connection::resolve(&globals.options)?;
    let purchase = purchase(matches)?.control_body();
    let url = format!("{}{PAY_PATH}", connection.base_url.trim_end_matches('/'));
    if globals.dry_run {
        output::print(json!({"method": "POST", "url": url, "body": purchase}));
        return Ok(());
    }
    let answer = http::client()?
        .post(&url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(purchase.to_string())
        .send()
        .await
        .map_err(|e| Failure::new(Exit::Failed, format!("cannot reach the fake at {url}: {e}")))?;
    let status = answer.status().as_u16();
    let body = answer.text().await.unwrap_or_default();
    let envelope = serde_json::from_str::<Map<String, Value>>(&body).ok();
    let field = |key: &str| envelope.as_ref().and_then(|e| e.get(key)).cloned();
    match (status, field("response")) {
        (200, Some(Value::String(imp_uid))) => {
            output::print(json!({"imp_uid": imp_uid}));
            Ok(())
        }
        _ => {
            let message = field("message").map_or(body, |m| input::text(&m));
            Err(Failure::new(
                Exit::Refused,
                format!("the fake refused the payment (HTTP {status}): {message}"),
            )
            .hint("is --base-url a fake started with `portone-v1 fake serve`?"))
        }
    }
}

/// The purchase the flags describe, built as a Rust test builds it, so that the fake's crate
/// alone knows its control body.
fn purchase(matches: &ArgMatches) -> Result<Purchase, Failure> {
    let text = |id: &str| matches.get_one::<String>(id);
    let order = text("order").ok_or_else(|| Failure::usage("--order is required"))?;
    let amount = match matches.get_one::<Value>("amount") {
        Some(Value::Number(n)) => match n.as_i64() {
            Some(whole) => FakeAmount::from(whole),
            None => FakeAmount::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        _ => return Err(Failure::usage("--amount must be a number")),
    };
    let method = text("method").map_or("card", String::as_str);
    let method = PayMethod::from_wire(method)
        .ok_or_else(|| Failure::usage(format!("--method {method:?} is not one the fake models")))?;
    let mut purchase = Purchase::new(order, amount, method);
    if let Some(url) = text("notice_url") {
        purchase = purchase.notice_url(url);
    }
    if let Some(currency) = text("currency") {
        purchase = purchase.currency(currency);
    }
    if let Some(name) = text("name") {
        purchase = purchase.name(name);
    }
    Ok(purchase)
}
