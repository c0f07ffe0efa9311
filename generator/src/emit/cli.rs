//! Emits the generated parts of the command-line tool (`cli/`): its command table
//! (`src/spec/mod.rs`: every group, command and argument, which the hand-written `tree.rs`
//! turns into clap commands) and the test that runs every command against the fake PortOne
//! (`tests/commands/main.rs`), so that a new endpoint in `spec/` is a command, and is run,
//! with no hand work.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident, str_lit};
use crate::model::{
    ArgPlace, ArgValue, Choices, CliArg, CliCommand, CliFlows, CliWebhook, CommandGroup, Model,
};

/// Tokens of `src/spec/mod.rs`: the static command table.
pub fn table(model: &Model) -> TokenStream {
    let cli = &model.cli;
    let runtime = ident(&model.runtime_crate_ident);
    let groups = groups(&cli.groups);
    let flows = match &cli.flows {
        Some(f) => {
            let flows = flows(f);
            quote!(Some(#flows))
        }
        None => quote!(None),
    };
    let mut sets = BTreeMap::new();
    collect_choices(&cli.groups, &mut sets);
    let choices = sets.values().map(|set| {
        let name = ident(&set.name);
        let doc = doc(&format!(
            "The values of `{}`, shared by every argument that takes one.",
            set.of
        ));
        let values = set.values.iter().map(|c| {
            let value = &c.value;
            let help = &c.help;
            quote!(Choice { value: #value, help: #help })
        });
        quote! {
            #doc
            static #name: &[Choice] = &[#(#values),*];
        }
    });
    let webhook = match &cli.webhook {
        Some(w) => {
            let fields = webhook(w);
            quote!(Some(#fields))
        }
        None => quote!(None),
    };
    quote! {
        //! Every endpoint of `spec/` as a command of the command-line tool, in its group, with
        //! its arguments and help texts; and what the hand-written commands read from the spec.

        use #runtime::{Endpoint, Method};

        use crate::table::{Arg, CancelKeys, Choice, Command, Flows, Group, Place, Value, WebhookField};

        /// The top-level command groups, sorted by name.
        pub(crate) static GROUPS: &[Group] = #groups;

        /// Where `sweep`, the refund's balance lookup and the reconciliations hook in.
        pub(crate) static FLOWS: Option<Flows> = #flows;

        /// The fields of the notification `webhook send` posts.
        pub(crate) static WEBHOOK: Option<&[WebhookField]> = #webhook;

        #(#choices)*
    }
}

/// Every enum's values that an argument takes, once, by the name of their static.
fn collect_choices<'m>(groups: &'m [CommandGroup], sets: &mut BTreeMap<&'m str, &'m Choices>) {
    for g in groups {
        for c in &g.commands {
            for a in &c.args {
                if let ArgValue::Choice(set) = &a.value {
                    sets.insert(&set.name, set);
                }
            }
        }
        collect_choices(&g.groups, sets);
    }
}

fn groups(groups: &[CommandGroup]) -> TokenStream {
    let items = groups.iter().map(|g| {
        let name = &g.name;
        let about = &g.about;
        let long_about = &g.long_about;
        let commands = g.commands.iter().map(command);
        let below = self::groups(&g.groups);
        quote! {
            Group {
                name: #name,
                about: #about,
                long_about: #long_about,
                commands: &[#(#commands),*],
                groups: #below,
            }
        }
    });
    quote!(&[#(#items),*])
}

fn command(c: &CliCommand) -> TokenStream {
    let name = &c.name;
    let key = &c.endpoint;
    let about = &c.about;
    let long_about = &c.long_about;
    let method = ident(&c.runtime_method);
    let path = &c.path;
    let idempotent = c.idempotent;
    let auth = c.auth;
    let confirm = c.confirm;
    let deprecated = c.deprecation.is_some();
    let body = c.body;
    let args = c.args.iter().map(arg);
    quote! {
        Command {
            name: #name,
            key: #key,
            about: #about,
            long_about: #long_about,
            endpoint: Endpoint {
                method: Method::#method,
                path: #path,
                idempotent: #idempotent,
                auth: #auth,
            },
            confirm: #confirm,
            deprecated: #deprecated,
            body: #body,
            args: &[#(#args),*],
        }
    }
}

fn arg(a: &CliArg) -> TokenStream {
    let name = &a.name;
    let flag = match &a.flag {
        Some(flag) => quote!(Some(#flag)),
        None => quote!(None),
    };
    let value_name = &a.value_name;
    let wire = &a.wire;
    let place = match a.place {
        ArgPlace::Path => quote!(Place::Path),
        ArgPlace::Query => quote!(Place::Query),
        ArgPlace::Body => quote!(Place::Body),
    };
    let value = match &a.value {
        ArgValue::Text => quote!(Value::Text),
        ArgValue::Integer => quote!(Value::Integer),
        ArgValue::Number => quote!(Value::Number),
        ArgValue::Timestamp => quote!(Value::Timestamp),
        ArgValue::Boolean => quote!(Value::Boolean),
        ArgValue::Json => quote!(Value::Json),
        ArgValue::Choice(set) => {
            let name = ident(&set.name);
            quote!(Value::Choice(#name))
        }
    };
    let list = a.list;
    let required = a.required;
    let secret = a.secret;
    let help = &a.help;
    quote! {
        Arg {
            name: #name,
            flag: #flag,
            value_name: #value_name,
            wire: #wire,
            place: #place,
            value: #value,
            list: #list,
            required: #required,
            secret: #secret,
            help: #help,
        }
    }
}

fn flows(f: &CliFlows) -> TokenStream {
    let group = &f.group;
    let cancel = &f.cancel;
    let k = &f.cancel_keys;
    let (imp_uid, merchant_uid, amount, checksum) =
        (&k.imp_uid, &k.merchant_uid, &k.amount, &k.checksum);
    let charge = &f.charge;
    let charge_order_key = &f.charge_order_key;
    quote! {
        Flows {
            group: &[#(#group),*],
            cancel: #cancel,
            cancel_keys: CancelKeys {
                imp_uid: #imp_uid,
                merchant_uid: #merchant_uid,
                amount: #amount,
                checksum: #checksum,
            },
            charge: #charge,
            charge_order_key: #charge_order_key,
        }
    }
}

fn webhook(w: &CliWebhook) -> TokenStream {
    let fields = w.fields.iter().map(|f| {
        let arg = arg(&f.arg);
        let names_payment = f.names_payment;
        let from_payment = match &f.from_payment {
            Some(key) => quote!(Some(#key)),
            None => quote!(None),
        };
        quote! {
            WebhookField {
                arg: #arg,
                names_payment: #names_payment,
                from_payment: #from_payment,
            }
        }
    });
    quote!(&[#(#fields),*])
}

/// Tokens of `tests/commands/main.rs`: one test per command, running the binary with sample
/// values against a fresh fake (the helpers are the hand-written `tests/support/`).
pub fn commands_test(model: &Model) -> TokenStream {
    let tests = every_command(&model.cli.groups).into_iter().map(|c| {
        let name = ident(&c.test.name);
        let key = &c.endpoint;
        let args = c.test.args.iter().map(|a| str_lit(a));
        let secrets = c.test.secrets.iter().map(|(flag, value)| {
            let value = str_lit(value);
            quote!((#flag, #value))
        });
        let token_body = match &c.test.token_body {
            Some(body) => {
                let body = str_lit(body);
                quote!(Some(#body))
            }
            None => quote!(None),
        };
        quote! {
            #[test]
            fn #name() {
                support::command(#key, &[#(#args),*], &[#(#secrets),*], #token_body);
            }
        }
    });
    quote! {
        //! Runs every command of `spec/` against the fake PortOne, with every argument given a
        //! sample value (a secret through a file): the fake must route and decode the request
        //! the command sends, and the command must print its answer (or, when the fake's
        //! ledger refuses, report the refusal).
        #![cfg_attr(rustfmt, rustfmt::skip)]

        #[path = "../support/mod.rs"]
        mod support;

        #(#tests)*
    }
}

fn every_command(groups: &[CommandGroup]) -> Vec<&CliCommand> {
    groups
        .iter()
        .flat_map(|g| g.commands.iter().chain(every_command(&g.groups)))
        .collect()
}
