//! The question before a call that may move money or change state: it shows what will be
//! sent and sends nothing unless the operator answers yes.

use std::io::{BufRead, IsTerminal, Write};

use serde_json::Value;

use crate::exit::{Exit, Failure};
use crate::output::redact;

/// Shows `request` (secrets hidden) on standard error and asks; `Ok` only for `y` or `yes`.
/// Without a terminal to ask on, nothing is sent unless `--yes` was given.
pub(crate) fn ask(request: &Value) -> Result<(), Failure> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Failure::usage(
            "this call may move money or change state, and standard input is not a terminal to \
             ask on: nothing was sent",
        )
        .hint("check the request with --dry-run, then send it with --yes"));
    }
    let mut shown = request.clone();
    redact(&mut shown);
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "This call may move money or change state, and is never retried:\n{}\nSend it? [y/N] ",
        serde_json::to_string_pretty(&shown).unwrap_or_default()
    );
    let _ = err.flush();
    let mut answer = String::new();
    if stdin.lock().read_line(&mut answer).is_err() {
        answer.clear();
    }
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::new(
            Exit::Refused,
            "not sent: the answer was not yes",
        )),
    }
}
