//! The clap command tree: the generated groups and commands (`spec::GROUPS`), the flags every
//! command has, and the hand-written commands.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, Command};
use serde_json::Value as Json;

use crate::spec::{FLOWS, GROUPS, WEBHOOK};
use crate::table::{self, Place, Value};
use crate::{input, time};

/// The binary's name.
pub(crate) const BIN: &str = "portone-v1";

/// Ids of the flags every command has.
pub(crate) mod global {
    pub(crate) const BASE_URL: &str = "base-url";
    pub(crate) const TIER: &str = "tier";
    pub(crate) const PROFILE: &str = "profile";
    pub(crate) const YES: &str = "yes";
    pub(crate) const DRY_RUN: &str = "dry-run";
    /// `--json`, on the commands with a body.
    pub(crate) const JSON: &str = "json";
}

const ABOUT: &str = "PortOne's V1 REST API from the terminal: every endpoint a command, webhooks \
                     sent to a handler on localhost, and a local fake PortOne.";

const LONG_ABOUT: &str = "PortOne's V1 REST API from the terminal: every endpoint a command, \
webhooks sent to a handler on localhost, and a local fake PortOne.

Credentials come from PORTONE_IMP_KEY and PORTONE_IMP_SECRET, or from a profile of the config \
file ($PORTONE_CONFIG, else $XDG_CONFIG_HOME or ~/.config, then portone-v1/config.toml), which \
must be readable by you alone:

    [default]
    imp_key = \"1234567890123456\"
    imp_secret = \"...\"

Answers are printed as JSON on standard output (pretty on a terminal, one line when piped), \
secrets hidden; errors go to standard error with PortOne's code and message.

Exit codes: 0 done; 1 refused (by PortOne, by `verify`, or at the confirmation question), \
nothing happened; 2 usage error; 3 credentials missing, readable by others or refused; 4 the \
outcome of a money-moving call is unknown, look before trying again; 5 failed without effect.";

/// The whole command tree.
pub(crate) fn command() -> Command {
    let mut root = Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .long_about(LONG_ABOUT)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args().map(|a| a.global(true).help_heading("Global options")))
        .subcommands(GROUPS.iter().map(group));
    if let Some(flows) = &FLOWS {
        root = root.subcommand(verify());
        root = add_to_group(root, flows.group, sweep());
    }
    root.subcommand(webhook())
        .subcommand(fake())
        .subcommand(api())
        .subcommand(completions())
}

fn global_args() -> [Arg; 5] {
    [
        Arg::new(global::BASE_URL)
            .long(global::BASE_URL)
            .value_name("URL")
            .env("PORTONE_BASE_URL")
            .hide_env_values(true)
            .help("Where to send calls (default https://api.iamport.kr; the fake's URL in tests)"),
        Arg::new(global::TIER)
            .long(global::TIER)
            .value_name("CODE")
            .env("PORTONE_TIER")
            .hide_env_values(true)
            .help("Act for this sub-merchant (its tier code, sent as the Tier header)"),
        Arg::new(global::PROFILE)
            .long(global::PROFILE)
            .value_name("NAME")
            .env("PORTONE_PROFILE")
            .hide_env_values(true)
            .help("The profile of the config file to use (default: `default`)"),
        Arg::new(global::YES)
            .long(global::YES)
            .short('y')
            .action(ArgAction::SetTrue)
            .help("Send money-moving and state-changing calls without asking"),
        Arg::new(global::DRY_RUN)
            .long(global::DRY_RUN)
            .action(ArgAction::SetTrue)
            .help("Print the request instead of sending it (secrets hidden)"),
    ]
}

fn group(g: &'static table::Group) -> Command {
    Command::new(g.name)
        .about(g.about)
        .long_about(g.long_about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommands(g.commands.iter().map(endpoint_command))
        .subcommands(g.groups.iter().map(group))
}

/// Adds `command` to the group at `path` (created when missing).
fn add_to_group(parent: Command, path: &[&'static str], command: Command) -> Command {
    match path {
        [] => parent.subcommand(command),
        [first, rest @ ..] => {
            let first: &'static str = first;
            if parent.find_subcommand(first).is_none() {
                let created = Command::new(first).subcommand_required(true);
                return parent.subcommand(add_to_group(created, rest, command));
            }
            parent.mut_subcommand(first, |g| add_to_group(g, rest, command))
        }
    }
}

fn endpoint_command(c: &'static table::Command) -> Command {
    let mut command = Command::new(c.name)
        .about(c.about)
        .long_about(c.long_about)
        .args(c.args.iter().map(arg));
    if c.body {
        command = command.arg(
            Arg::new(global::JSON)
                .long(global::JSON)
                .value_name("JSON")
                .help(
                    "The whole body: a JSON object, @FILE or - (standard input); the flags given \
                     as well replace its keys",
                ),
        );
    }
    command
}

/// A generated argument: its value is read as the JSON value it becomes in the request.
pub(crate) fn arg(a: &'static table::Arg) -> Arg {
    let mut help = a.help.to_owned();
    if a.secret {
        help.push_str(" A file holding it (- for standard input), so that it stays out of shell history and the process list.");
    }
    if a.place == Place::Body && a.required {
        help.push_str(" Required (here or in --json).");
    }
    let mut arg = Arg::new(a.name).value_name(a.value_name).help(help);
    arg = match a.flag {
        None => arg.required(true),
        Some(flag) => arg
            .long(flag)
            .required(a.required && a.place != Place::Body),
    };
    if a.list {
        arg = arg.action(ArgAction::Append);
    }
    if a.secret {
        return arg;
    }
    match a.value {
        Value::Boolean if a.flag.is_some() => arg
            .value_parser(parser(a.value))
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value("true"),
        Value::Timestamp => arg.value_parser(parser(a.value)).long_help(format!(
            "{}\n\nA time: {}.",
            a.help,
            time::FORMATS
        )),
        _ => arg.value_parser(parser(a.value)),
    }
}

/// Reads a value as the JSON it is sent as.
fn parser(value: Value) -> ValueParser {
    match value {
        Value::Text => ValueParser::new(|s: &str| Ok::<_, String>(Json::String(s.to_owned()))),
        Value::Integer => ValueParser::new(|s: &str| {
            s.parse::<i64>()
                .map(Json::from)
                .map_err(|_| format!("`{s}` is not a whole number"))
        }),
        Value::Number => ValueParser::new(|s: &str| {
            s.parse::<serde_json::Number>()
                .map(Json::Number)
                .map_err(|_| format!("`{s}` is not a number"))
        }),
        Value::Timestamp => ValueParser::new(|s: &str| time::parse(s).map(Json::from)),
        Value::Boolean => ValueParser::new(
            PossibleValuesParser::new(["true", "false"]).map(|s| Json::Bool(s == "true")),
        ),
        Value::Json => ValueParser::new(|s: &str| input::json_value(s)),
        Value::Choice(choices) => ValueParser::new(
            PossibleValuesParser::new(
                choices
                    .iter()
                    .map(|c| PossibleValue::new(c.value).help(c.help)),
            )
            .map(Json::String),
        ),
    }
}

fn verify() -> Command {
    Command::new("verify")
        .about("Check a payment against your order: exits 0 only when it is paid in full")
        .long_about(
            "Looks the payment up and compares it with your order: its order id, amount and \
             currency must be yours. Prints the verdict (paid, awaiting_deposit, cancelled, \
             partly_cancelled, failed, mismatch, unknown_status) with the payment, and exits 0 \
             only for `paid`; any other verdict exits 1. A notification or redirect only names \
             a payment: this is the check.",
        )
        .arg(
            Arg::new("imp_uid")
                .value_name("IMP_UID")
                .required(true)
                .help("PortOne's id of the payment"),
        )
        .arg(
            Arg::new("order")
                .long("order")
                .value_name("MERCHANT_UID")
                .required(true)
                .help("Your order id"),
        )
        .arg(
            Arg::new("amount")
                .long("amount")
                .value_name("AMOUNT")
                .required(true)
                .value_parser(parser(Value::Number))
                .help("What the order must be paid"),
        )
        .arg(
            Arg::new("currency")
                .long("currency")
                .value_name("CODE")
                .default_value("KRW")
                .help("The order's currency"),
        )
}

/// Choices of `sweep --status`: those of the listing it walks.
pub(crate) const SWEEP_STATUS_FROM: &str = "list_payments_by_status";

fn sweep() -> Command {
    let listing = table::every_command(GROUPS, &[])
        .into_iter()
        .find(|(_, c)| c.key == SWEEP_STATUS_FROM)
        .and_then(|(_, c)| c.args.iter().find(|a| a.place == Place::Path));
    let status = Arg::new("status")
        .long("status")
        .value_name("STATUS")
        .default_value("all")
        .value_parser(parser(listing.map_or(Value::Text, |a| a.value)))
        .help("Only payments in this state");
    Command::new("sweep")
        .about("Every payment of a period, as JSON lines, paging and 90-day windows done")
        .long_about(format!(
            "Prints every payment of a period, one JSON object a line, oldest start first, for \
             reconciling with your own orders. It walks every page, and splits a period longer \
             than the 90 days PortOne lists at once into windows. Which time a window applies \
             to follows --status (payment time for paid, refund time for cancelled, and so on).\n\n\
             Times: {}.",
            time::FORMATS
        ))
        .arg(
            Arg::new("since")
                .long("since")
                .value_name("TIME")
                .required(true)
                .value_parser(ValueParser::new(time::parse))
                .help("Start of the period (inclusive)"),
        )
        .arg(
            Arg::new("until")
                .long("until")
                .value_name("TIME")
                .default_value("now")
                .value_parser(ValueParser::new(time::parse))
                .help("End of the period (inclusive)"),
        )
        .arg(status)
        .arg(
            Arg::new("limit")
                .long("limit")
                .value_name("N")
                .default_value("100")
                .value_parser(clap::value_parser!(i64).range(1..=1000))
                .help("Payments per page"),
        )
}

fn webhook() -> Command {
    let mut send = Command::new("send")
        .about("Post the notification PortOne would send for a payment to your handler")
        .long_about(
            "Posts to your handler the notification PortOne would send for a real payment: the \
             fields you do not give are looked up from the payment. Prints the handler's HTTP \
             status, its answer and how long it took; exits 0 on a 2xx answer, 1 on another \
             answer and 5 when the handler cannot be reached.",
        )
        .arg(
            Arg::new("to")
                .long("to")
                .value_name("URL")
                .required(true)
                .help("Your handler's URL (the notice_url)"),
        )
        .arg(
            Arg::new("form")
                .long("form")
                .action(ArgAction::SetTrue)
                .help("Send it form-encoded instead of as JSON (the console lets you choose)"),
        );
    for field in WEBHOOK.unwrap_or_default() {
        let a = &field.arg;
        send = send.arg(arg(a).required(a.required).help(a.help));
    }
    let listen = Command::new("listen")
        .about("Print every notification posted to a port on 127.0.0.1")
        .long_about(
            "Listens on 127.0.0.1 and prints each notification it receives, one JSON object a \
             line: when, from where, the content type, and the notification's fields (or why it \
             is not one). Answers 200, or 400 for a body that is not a notification. Runs until \
             interrupted.",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("PORT")
                .default_value("0")
                .value_parser(clap::value_parser!(u16))
                .help("The port (0: any free port, printed first)"),
        );
    Command::new("webhook")
        .about("Send notifications to a handler, or receive them")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(send)
        .subcommand(listen)
}

fn fake() -> Command {
    let serve = Command::new("serve")
        .about("Run the fake PortOne on 127.0.0.1 until interrupted")
        .long_about(
            "Runs the fake PortOne (the crate portone-v1-fake) on 127.0.0.1: every endpoint, \
             tokens, a money ledger and webhooks. Prints the environment to point this tool and \
             your code at it (PORTONE_BASE_URL, PORTONE_IMP_KEY, PORTONE_IMP_SECRET: the fake's \
             test credentials), one `export` a line, then serves until interrupted.",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("PORT")
                .default_value("0")
                .value_parser(clap::value_parser!(u16))
                .help("The port (0: any free port)"),
        );
    let pay = Command::new("pay")
        .about("Play the buyer in a running fake: pay an order, as in the payment window")
        .long_about(
            "Pays an order in the fake PortOne at --base-url, as the buyer does in the payment \
             window, and prints the payment's imp_uid. With --notice-url the fake posts the \
             notification to your handler, which can verify the payment against the fake.",
        )
        .arg(
            Arg::new("order")
                .long("order")
                .value_name("MERCHANT_UID")
                .required(true)
                .help("The order id"),
        )
        .arg(
            Arg::new("amount")
                .long("amount")
                .value_name("AMOUNT")
                .required(true)
                .value_parser(parser(Value::Number))
                .help("The amount paid"),
        )
        .arg(
            Arg::new("method")
                .long("method")
                .value_name("METHOD")
                .default_value("card")
                .help("How the buyer pays (card, vbank, trans, ...; vbank waits for a deposit)"),
        )
        .arg(
            Arg::new("notice_url")
                .long("notice-url")
                .value_name("URL")
                .help("Where the fake posts the notification"),
        )
        .arg(
            Arg::new("currency")
                .long("currency")
                .value_name("CODE")
                .help("The currency (default KRW)"),
        )
        .arg(
            Arg::new("name")
                .long("name")
                .value_name("NAME")
                .help("The order title"),
        );
    Command::new("fake")
        .about("Run the fake PortOne, and play the buyer in it")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(serve)
        .subcommand(pay)
}

fn api() -> Command {
    Command::new("api")
        .about("Call any endpoint by method and path (what the spec does not cover yet)")
        .long_about(
            "Sends METHOD PATH (with its query string) to PortOne with a token, and prints the \
             answer's payload. Anything but GET may move money or change state: it is never \
             retried and asks before sending, as the generated commands do.",
        )
        .arg(
            Arg::new("method")
                .value_name("METHOD")
                .required(true)
                .value_parser(["GET", "POST", "PUT", "DELETE"])
                .ignore_case(true)
                .help("The HTTP method"),
        )
        .arg(
            Arg::new("path")
                .value_name("PATH")
                .required(true)
                .help("The path and query, e.g. '/payments?imp_uid[]=imp_1'"),
        )
        .arg(
            Arg::new(global::JSON)
                .long(global::JSON)
                .value_name("JSON")
                .help("The body: a JSON object, @FILE or - (standard input)"),
        )
}

fn completions() -> Command {
    Command::new("completions")
        .about("Print the shell completion script")
        .long_about(
            "Prints the completion script for a shell, e.g. `portone-v1 completions bash > \
             ~/.local/share/bash-completion/completions/portone-v1`.",
        )
        .arg(
            Arg::new("shell")
                .value_name("SHELL")
                .required(true)
                .value_parser(clap::value_parser!(clap_complete::Shell))
                .help("The shell"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own checks: no two commands, groups or flags share a name (a spec name meeting
    /// a hand-written one included), every default is a valid value.
    #[test]
    fn the_tree_is_consistent() {
        command().debug_assert();
    }

    /// Every command of the table is in the tree at its group path, once.
    #[test]
    fn every_endpoint_is_a_command() {
        let tree = command();
        let commands = table::every_command(GROUPS, &[]);
        let mut keys: Vec<&str> = commands.iter().map(|(_, c)| c.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), commands.len(), "one command per endpoint");
        for (path, c) in commands {
            let mut node = &tree;
            for word in path.iter().chain([&c.name]) {
                node = node
                    .find_subcommand(word)
                    .unwrap_or_else(|| panic!("{path:?} {}: no `{word}`", c.name));
            }
        }
    }

    #[test]
    fn sweep_takes_the_statuses_of_the_listing_it_walks() {
        let sweep = FLOWS.as_ref().map(|f| {
            let mut node = command();
            for word in f.group {
                node = node
                    .find_subcommand(word)
                    .cloned()
                    .expect("the flows' group");
            }
            node.find_subcommand("sweep").cloned().expect("sweep")
        });
        let status = sweep
            .as_ref()
            .and_then(|s| s.get_arguments().find(|a| a.get_id() == "status"))
            .expect("--status");
        let values: Vec<String> = status
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_owned())
            .collect();
        assert!(values.contains(&"paid".to_owned()), "{values:?}");
        assert!(values.contains(&"all".to_owned()), "{values:?}");
    }
}
