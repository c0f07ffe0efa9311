//! What a command sends, read from its command line: the path, query and body of a generated
//! command; `--json` bodies and JSON values (inline, `@FILE`, or `-` for standard input);
//! secrets from files.

use std::io::Read;

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::exit::Failure;
use crate::table::{Command, Place};
use crate::tree::global;

/// A generated command's request, before it is sent.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    /// Path arguments in path order.
    pub(crate) path: Vec<String>,
    /// Query pairs (wire name, text), a list as one pair per item.
    pub(crate) query: Vec<(&'static str, String)>,
    /// The JSON body, for commands with one.
    pub(crate) body: Option<Map<String, Value>>,
}

/// Reads the request of `command` from its matches: `--json` first, then every flag given
/// over it; a required body field missing from both is a usage error naming its flag.
pub(crate) fn parts(command: &'static Command, matches: &ArgMatches) -> Result<Parts, Failure> {
    let mut stdin = Stdin::default();
    let mut parts = Parts {
        path: Vec::new(),
        query: Vec::new(),
        body: None,
    };
    if command.body {
        parts.body = Some(match matches.get_one::<String>(global::JSON) {
            Some(source) => json_object(&stdin.text(source)?, global::JSON)?,
            None => Map::new(),
        });
    }
    let mut missing = Vec::new();
    for arg in command.args {
        let values: Vec<Value> = if arg.secret {
            match matches.get_many::<String>(arg.name) {
                Some(files) => files
                    .map(|file| stdin.secret(file).map(Value::String))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            }
        } else {
            matches
                .get_many::<Value>(arg.name)
                .map(|v| v.cloned().collect())
                .unwrap_or_default()
        };
        match arg.place {
            Place::Path => parts.path.extend(values.iter().map(text)),
            Place::Query => parts
                .query
                .extend(values.iter().map(|v| (arg.wire, text(v)))),
            Place::Body => {
                let body = parts.body.get_or_insert_with(Map::new);
                match (arg.list, values.is_empty()) {
                    (_, true) => {}
                    (true, false) => {
                        body.insert(arg.wire.to_owned(), Value::Array(values));
                    }
                    (false, false) => {
                        body.extend(values.into_iter().map(|v| (arg.wire.to_owned(), v)));
                    }
                }
                if arg.required && !body.contains_key(arg.wire) {
                    let flag = arg.flag.unwrap_or(arg.name);
                    missing.push(format!("--{flag} (or \"{}\" in --json)", arg.wire));
                }
            }
        }
    }
    if !missing.is_empty() {
        return Err(Failure::usage(format!("missing {}", missing.join(", "))));
    }
    Ok(parts)
}

/// A JSON value as query or path text: strings as they are, anything else as JSON.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A JSON flag's value: inline JSON, or `@FILE`.
pub(crate) fn json_value(source: &str) -> Result<Value, String> {
    let text = match source.strip_prefix('@') {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
        }
        None => source.to_owned(),
    };
    serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))
}

/// A JSON object, or a usage error naming `what` it was for.
pub(crate) fn json_object(text: &str, what: &str) -> Result<Map<String, Value>, Failure> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::usage(format!("--{what} must be a JSON object"))),
        Err(e) => Err(Failure::usage(format!("--{what} is not JSON: {e}"))),
    }
}

/// Standard input, which one value at most may come from.
#[derive(Default)]
pub(crate) struct Stdin {
    used: bool,
}

impl Stdin {
    /// `source` itself, the contents of `@FILE`, or standard input for `-`.
    pub(crate) fn text(&mut self, source: &str) -> Result<String, Failure> {
        match source.strip_prefix('@') {
            Some(path) => read_file(path),
            None if source == "-" => self.read(),
            None => Ok(source.to_owned()),
        }
    }

    /// A secret: the contents of the file `source` (`-`: standard input) without the line
    /// break that ends it.
    fn secret(&mut self, source: &str) -> Result<String, Failure> {
        let text = if source == "-" {
            self.read()?
        } else {
            read_file(source)?
        };
        let end = text.trim_end_matches(['\n', '\r']).len();
        Ok(text[..end].to_owned())
    }

    fn read(&mut self) -> Result<String, Failure> {
        if std::mem::replace(&mut self.used, true) {
            return Err(Failure::usage("standard input (-) can give one value only"));
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
        Ok(text)
    }
}

fn read_file(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("cannot read {path}: {e}")))
}
