//! `fake serve` (the fake PortOne of `portone-v1-fake`, on 127.0.0.1) and `fake pay` (the
//! buyer paying in a running one, through its control endpoint `POST /__fake/pay`).

use clap::ArgMatches;
use portone_v1_fake::FakePortOne;
use serde_json::{Map, Value, json};

use crate::config::{Connection, KEY_VAR, SECRET_VAR};
use crate::exit::{Exit, Failure};
use crate::globals::Globals;
use crate::{http, input, output};

/// The fake's control endpoint that plays the buyer (see the fake's README).
const PAY: &str = "/__fake/pay";

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
    let mut purchase = Map::new();
    for (id, key) in [
        ("order", "merchant_uid"),
        ("method", "method"),
        ("notice_url", "notice_url"),
        ("currency", "currency"),
        ("name", "name"),
    ] {
        if let Some(value) = matches.get_one::<String>(id) {
            purchase.insert(key.to_owned(), json!(value));
        }
    }
    if let Some(amount) = matches.get_one::<Value>("amount") {
        purchase.insert("amount".to_owned(), amount.clone());
    }
    let url = format!("{}{PAY}", connection.base_url.trim_end_matches('/'));
    if globals.dry_run {
        output::print(json!({"method": "POST", "url": url, "body": purchase}));
        return Ok(());
    }
    let answer = http::client()?
        .post(&url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(Value::Object(purchase).to_string())
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
