//! The shape of the generated command table (`spec/mod.rs`, written by `cargo xtask gen`):
//! every endpoint as a command with its arguments, as plain data that `tree.rs` turns into
//! clap commands and `request.rs` into a request.

use portone_v1_runtime::Endpoint;

/// A command group: the commands and groups below one word.
#[derive(Debug)]
pub(crate) struct Group {
    /// Its word.
    pub(crate) name: &'static str,
    /// One line for the list of groups.
    pub(crate) about: &'static str,
    /// Its `--help` text.
    pub(crate) long_about: &'static str,
    /// Its commands.
    pub(crate) commands: &'static [Command],
    /// The groups below it.
    pub(crate) groups: &'static [Group],
}

/// One endpoint as a command.
#[derive(Debug)]
pub(crate) struct Command {
    /// Its word in its group.
    pub(crate) name: &'static str,
    /// The endpoint's key in the spec (the client's method name).
    pub(crate) key: &'static str,
    /// One line for the list of commands.
    pub(crate) about: &'static str,
    /// Its `--help` text.
    pub(crate) long_about: &'static str,
    /// What the runtime sends.
    pub(crate) endpoint: Endpoint,
    /// Shows the request and asks before sending it (never-retried endpoints).
    pub(crate) confirm: bool,
    /// PortOne dropped the operation.
    pub(crate) deprecated: bool,
    /// Takes a JSON body (and so `--json`).
    pub(crate) body: bool,
    /// Path parameters (positional, in path order), query parameters, body fields.
    pub(crate) args: &'static [Arg],
}

/// A positional argument (a path parameter) or a flag.
#[derive(Debug)]
pub(crate) struct Arg {
    /// Its name in the spec; clap's id.
    pub(crate) name: &'static str,
    /// The flag without `--`; `None` for a positional argument.
    pub(crate) flag: Option<&'static str>,
    /// Placeholder of the value in help texts.
    pub(crate) value_name: &'static str,
    /// Name on the wire.
    pub(crate) wire: &'static str,
    /// Where the value goes.
    pub(crate) place: Place,
    /// What the value must be.
    pub(crate) value: Value,
    /// The flag is repeated, once per item.
    pub(crate) list: bool,
    /// The request must carry it.
    pub(crate) required: bool,
    /// The flag names a file holding the value (`-`: standard input).
    pub(crate) secret: bool,
    /// The spec's doc.
    pub(crate) help: &'static str,
}

/// Where an argument goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A path segment.
    Path,
    /// A query parameter.
    Query,
    /// A key of the JSON body.
    Body,
}

/// What an argument's value (each item, for a list) must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value {
    /// Any text.
    Text,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// A time, sent as UNIX seconds.
    Timestamp,
    /// `true` or `false`.
    Boolean,
    /// A JSON value.
    Json,
    /// One of an enum's values.
    Choice(&'static [Choice]),
}

/// One value of an enum argument.
#[derive(Debug)]
pub(crate) struct Choice {
    /// Wire value.
    pub(crate) value: &'static str,
    /// Its doc.
    pub(crate) help: &'static str,
}

/// Where the hand-written flows hook into the generated commands.
#[derive(Debug)]
pub(crate) struct Flows {
    /// The group that gets `sweep`.
    pub(crate) group: &'static [&'static str],
    /// Key of the refund endpoint.
    pub(crate) cancel: &'static str,
    /// Wire keys of the refund body's fields the command reads and writes.
    pub(crate) cancel_keys: CancelKeys,
    /// Key of the billing-key charge endpoint.
    pub(crate) charge: &'static str,
    /// Wire key of the order id in the charge's body.
    pub(crate) charge_order_key: &'static str,
}

/// Wire keys of the refund body's fields.
#[derive(Debug)]
pub(crate) struct CancelKeys {
    /// PortOne's id of the payment.
    pub(crate) imp_uid: &'static str,
    /// The order id.
    pub(crate) merchant_uid: &'static str,
    /// The amount to refund.
    pub(crate) amount: &'static str,
    /// The refundable balance the request believes in.
    pub(crate) checksum: &'static str,
}

/// A field of the notification `webhook send` posts.
#[derive(Debug)]
pub(crate) struct WebhookField {
    /// Its flag; `wire` is its key in the notification.
    pub(crate) arg: Arg,
    /// It names the payment, which is looked up by it.
    pub(crate) names_payment: bool,
    /// The looked-up payment's key it is copied from when its flag is not given.
    pub(crate) from_payment: Option<&'static str>,
}

/// The commands of a group and of every group below it, with their group paths.
pub(crate) fn every_command(
    groups: &'static [Group],
    above: &[&'static str],
) -> Vec<(Vec<&'static str>, &'static Command)> {
    let mut out = Vec::new();
    for group in groups {
        let mut path = above.to_vec();
        path.push(group.name);
        out.extend(group.commands.iter().map(|c| (path.clone(), c)));
        out.extend(every_command(group.groups, &path));
    }
    out
}
