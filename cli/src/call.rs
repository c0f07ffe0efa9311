//! Running a generated command: its request from the command line, `--dry-run`, the
//! question, the call through the runtime (tokens, retries of what is safe to repeat, errors
//! with secrets hidden), and the answer printed as JSON.

use portone_v1_runtime::{Call, Core, Request};
use serde_json::{Map, Value, json};

use crate::config::Connection;
use crate::exit::Failure;
use crate::globals::Globals;
use crate::input::{self, Parts};
use crate::spec::FLOWS;
use crate::table::Command;
use crate::{confirm, flows, output};

/// Runs the generated `command` with its matches.
pub(crate) async fn run(
    command: &'static Command,
    matches: &clap::ArgMatches,
    globals: &Globals,
) -> Result<(), Failure> {
    let connection = Connection::resolve(&globals.options)?;
    let mut parts = input::parts(command, matches)?;
    let cancel = FLOWS.as_ref().filter(|f| f.cancel == command.key);
    if globals.dry_run {
        if let (Some(flows), Some(body)) = (cancel, &parts.body) {
            if !body.contains_key(flows.cancel_keys.checksum) {
                output::note(&format!(
                    "note: \"{}\" is unset, so when sent it becomes the refundable balance, \
                     looked up first",
                    flows.cancel_keys.checksum
                ));
            }
        }
        output::print(describe(command, &parts, &connection));
        return Ok(());
    }
    let core = connection.core(command.endpoint.auth)?;
    if let (Some(flows), Some(body)) = (cancel, parts.body.as_mut()) {
        flows::fill_checksum(&connection, flows, body).await?;
    }
    if command.confirm && !globals.yes {
        confirm::ask(&describe(command, &parts, &connection))?;
    }
    match send(&core, command, &parts).await {
        Ok(answer) => {
            output::print(answer);
            Ok(())
        }
        Err(error) if !command.endpoint.idempotent && error.outcome_unknown() => {
            flows::settle(command, &parts, &connection, &error).await
        }
        Err(error) => Err(Failure::call(&error, !command.endpoint.idempotent)),
    }
}

async fn send(
    core: &Core,
    command: &'static Command,
    parts: &Parts,
) -> Result<Value, portone_v1_runtime::Error> {
    let path: Vec<&str> = parts.path.iter().map(String::as_str).collect();
    let mut request = Request::new(&command.endpoint, &path);
    for (name, value) in &parts.query {
        request.query(name, value);
    }
    if let Some(body) = &parts.body {
        request.json(body);
    }
    Call::<Value>::new(core, request).await
}

/// What `--dry-run` prints and the question shows: the method, the URL (path arguments put
/// in as they are, for reading), the query, the tier and the body. Secrets are hidden when it
/// is printed.
pub(crate) fn describe(command: &Command, parts: &Parts, connection: &Connection) -> Value {
    let mut path = command.endpoint.path.to_owned();
    for arg in &parts.path {
        if let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
            path.replace_range(open..=close, arg);
        }
    }
    let mut query = Map::new();
    for (name, value) in &parts.query {
        match query.get_mut(*name) {
            Some(Value::Array(items)) => items.push(json!(value)),
            Some(first) => *first = json!([first.take(), value]),
            None => {
                query.insert((*name).to_owned(), json!(value));
            }
        }
    }
    let mut request = json!({
        "method": command.endpoint.method.as_str(),
        "url": format!("{}{path}", connection.base_url.trim_end_matches('/')),
    });
    if !query.is_empty() {
        request["query"] = Value::Object(query);
    }
    if let Some(tier) = &connection.tier {
        request["tier"] = json!(tier);
    }
    if let Some(body) = &parts.body {
        request["body"] = Value::Object(body.clone());
    }
    request
}
