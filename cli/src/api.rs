//! `api METHOD PATH [--json ...]`: any call, for what the spec does not cover yet, with the
//! same token handling, question, `--dry-run` and output as the generated commands.

use clap::ArgMatches;
use portone_v1_runtime::{Call, Endpoint, Method, Request};
use serde_json::{Value, json};

use crate::config::Connection;
use crate::exit::Failure;
use crate::globals::Globals;
use crate::input::Stdin;
use crate::tree::global;
use crate::{confirm, output};

/// `api METHOD PATH`.
pub(crate) async fn run(matches: &ArgMatches, globals: &Globals) -> Result<(), Failure> {
    let method = match matches
        .get_one::<String>("method")
        .map(|m| m.to_ascii_uppercase())
        .as_deref()
    {
        Some("POST") => Method::Post,
        Some("PUT") => Method::Put,
        Some("DELETE") => Method::Delete,
        _ => Method::Get,
    };
    let target = matches
        .get_one::<String>("path")
        .cloned()
        .unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    if !path.starts_with('/') {
        return Err(Failure::usage(format!(
            "the path must start with /, got {path:?}"
        )));
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let body = match matches.get_one::<String>(global::JSON) {
        Some(source) => Some(
            serde_json::from_str::<Value>(&Stdin::default().text(source)?)
                .map_err(|e| Failure::usage(format!("--json is not JSON: {e}")))?,
        ),
        None => None,
    };
    let connection = Connection::resolve(&globals.options)?;
    let mut shown = json!({
        "method": method.as_str(),
        "url": format!("{}{target}", connection.base_url.trim_end_matches('/')),
    });
    if let Some(tier) = &connection.tier {
        shown["tier"] = json!(tier);
    }
    if let Some(body) = &body {
        shown["body"] = body.clone();
    }
    if globals.dry_run {
        output::print(shown);
        return Ok(());
    }
    let core = connection.core(true)?;
    // Only a read is safe to repeat: anything else is treated as moving money.
    let idempotent = method == Method::Get;
    if !idempotent && !globals.yes {
        confirm::ask(&shown)?;
    }
    // The runtime takes endpoints and query names for the life of the program, as the
    // generated commands' are; this one-shot process builds one of each and leaks them.
    let endpoint: &'static Endpoint = Box::leak(Box::new(Endpoint {
        method,
        path: Box::leak(path.to_owned().into_boxed_str()),
        idempotent,
        auth: true,
    }));
    let mut request = Request::new(endpoint, &[]);
    for (name, value) in &pairs {
        request.query(Box::leak(name.clone().into_boxed_str()), value);
    }
    if let Some(body) = &body {
        request.json(body);
    }
    match Call::<Value>::new(&core, request).await {
        Ok(answer) => {
            output::print(answer);
            Ok(())
        }
        Err(error) => Err(Failure::call(&error, !idempotent)),
    }
}
