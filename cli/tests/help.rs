//! The help of a few commands, pinned (`SNAPSHOTS=overwrite cargo test -p portone-v1-cli
//! --test help` rewrites them after a deliberate change): the groups, the flags every command
//! has, a lookup with an enum flag, a money-moving command, secrets read from files, the
//! hand-written commands.

mod support;

use snapbox::cmd::Command;
use snapbox::file;

fn help(args: &[&str]) -> snapbox::cmd::OutputAssert {
    Command::from_std(support::bare(args)).assert().success()
}

#[test]
fn root() {
    help(&["--help"]).stdout_eq(file!["snapshots/root.txt"]);
}

#[test]
fn root_short() {
    help(&["-h"]).stdout_eq(file!["snapshots/root_short.txt"]);
}

#[test]
fn version() {
    help(&["--version"]).stdout_eq(file!["snapshots/version.txt"]);
}

#[test]
fn payments() {
    help(&["payments", "--help"]).stdout_eq(file!["snapshots/payments.txt"]);
}

#[test]
fn payments_find() {
    help(&["payments", "find", "--help"]).stdout_eq(file!["snapshots/payments_find.txt"]);
}

#[test]
fn payments_cancel() {
    help(&["payments", "cancel", "--help"]).stdout_eq(file!["snapshots/payments_cancel.txt"]);
}

#[test]
fn billing_keys_issue() {
    help(&["billing-keys", "issue", "--help"]).stdout_eq(file!["snapshots/billing_keys_issue.txt"]);
}

#[test]
fn subscription_schedule() {
    help(&["subscription", "schedule", "--help"])
        .stdout_eq(file!["snapshots/subscription_schedule.txt"]);
}

#[test]
fn payments_sweep() {
    help(&["payments", "sweep", "--help"]).stdout_eq(file!["snapshots/payments_sweep.txt"]);
}

#[test]
fn webhook_send() {
    help(&["webhook", "send", "--help"]).stdout_eq(file!["snapshots/webhook_send.txt"]);
}
