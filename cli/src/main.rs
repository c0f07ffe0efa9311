//! `portone-v1`: PortOne's V1 REST API from the terminal.
//!
//! Every endpoint of `spec/` is a command (`spec/`, the generated table; `tree.rs` makes it
//! clap commands; `call.rs` runs one), and what is the same for every command is written once
//! here: credentials (`config.rs`), output (`output.rs`), the question before money moves
//! (`confirm.rs`) and exit codes (`exit.rs`). The hand-written commands are the flows on the
//! typed client (`flows.rs`: `verify`, `payments sweep`, the refund's checksum and
//! reconciliation), `webhook.rs`, `fake.rs`, `api.rs` and `completions`.

mod api;
mod call;
mod config;
mod confirm;
mod exit;
mod fake;
mod flows;
mod globals;
mod http;
mod input;
mod output;
// Generated and formatted by `cargo xtask gen`; rustfmt would make it stale.
#[rustfmt::skip]
mod spec;
mod table;
mod time;
mod tree;
mod webhook;

use std::process::ExitCode;

use clap::ArgMatches;

use crate::exit::{Exit, Failure};
use crate::globals::Globals;
use crate::spec::{FLOWS, GROUPS};

fn main() -> ExitCode {
    let matches = match tree::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(Exit::Usage.code()));
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(Exit::Failed.code());
        }
    };
    match runtime.block_on(dispatch(&matches)) {
        Ok(()) => ExitCode::from(Exit::Success.code()),
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit.code())
        }
    }
}

/// Runs the command the matches name.
async fn dispatch(matches: &ArgMatches) -> Result<(), Failure> {
    let mut path: Vec<&str> = Vec::new();
    let mut leaf = matches;
    while let Some((name, sub)) = leaf.subcommand() {
        path.push(name);
        leaf = sub;
    }
    let globals = Globals::read(leaf);
    let sweep = FLOWS.as_ref().is_some_and(|f| {
        path.split_last()
            .is_some_and(|(last, group)| *last == "sweep" && group == f.group)
    });
    match path.as_slice() {
        ["verify"] => flows::verify(leaf, &globals).await,
        _ if sweep => flows::sweep(leaf, &globals).await,
        ["webhook", "send"] => webhook::send(leaf, &globals).await,
        ["webhook", "listen"] => webhook::listen(leaf).await,
        ["fake", "serve"] => fake::serve(leaf).await,
        ["fake", "pay"] => fake::pay(leaf, &globals).await,
        ["api"] => api::run(leaf, &globals).await,
        ["completions"] => {
            if let Some(shell) = leaf.get_one::<clap_complete::Shell>("shell") {
                let mut out = std::io::stdout();
                clap_complete::generate(*shell, &mut tree::command(), tree::BIN, &mut out);
            }
            Ok(())
        }
        generated => {
            let command = table::every_command(GROUPS, &[])
                .into_iter()
                .find(|(group, command)| {
                    generated.split_last().is_some_and(|(name, above)| {
                        *name == command.name && above == group.as_slice()
                    })
                })
                .map(|(_, command)| command)
                .ok_or_else(|| Failure::usage(format!("no command `{}`", generated.join(" "))))?;
            if command.deprecated {
                output::note(&format!(
                    "note: PortOne removed `{} {}` from its published API; it may no longer work",
                    command.endpoint.method, command.endpoint.path
                ));
            }
            call::run(command, leaf, &globals).await
        }
    }
}
