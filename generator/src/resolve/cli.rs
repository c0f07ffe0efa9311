//! The command-line tool: the command tree (every endpoint a command, in the groups
//! `validate` named), each command's arguments and help texts, its run against the fake
//! PortOne, and what the hand-written commands read from the spec.

use std::collections::BTreeMap;

use serde_json::Value;

use super::resolver::Resolver;
use super::samples::plain;
use crate::checked::{self, CheckedType, TypeKind};
use crate::model::*;
use crate::naming;
use crate::types_expr::Scalar;

/// What a flag is made from: a query parameter or a body field.
struct Flagged<'a> {
    name: &'a str,
    wire: &'a str,
    ty: &'a CheckedType,
    required: bool,
    secret: bool,
    doc: &'a str,
}

impl<'a> From<&'a checked::Param> for Flagged<'a> {
    fn from(p: &'a checked::Param) -> Self {
        Flagged {
            name: &p.name,
            wire: &p.wire,
            ty: &p.ty,
            required: !p.optional,
            secret: p.secret,
            doc: &p.doc,
        }
    }
}

impl<'a> From<&'a checked::Field> for Flagged<'a> {
    fn from(f: &'a checked::Field) -> Self {
        Flagged {
            name: &f.name,
            wire: &f.wire,
            ty: &f.ty,
            required: !f.optional,
            secret: f.secret,
            doc: &f.doc,
        }
    }
}

/// A node of the command tree while it is built.
#[derive(Default)]
struct Node {
    /// (about, long about, Korean label) of the category whose group this is.
    docs: Option<(String, String, String)>,
    commands: Vec<CliCommand>,
    children: BTreeMap<String, Node>,
}

impl Resolver<'_> {
    pub(super) fn cli(&self) -> Cli {
        let spec = self.spec;
        let mut root = Node::default();
        for cat in &spec.categories {
            let mut node = &mut root;
            for word in &cat.command {
                node = node.children.entry(word.clone()).or_default();
            }
            node.docs = Some((first_sentence(&cat.doc), cat.doc.clone(), cat.ko.clone()));
            node.commands = cat
                .endpoints
                .iter()
                .map(|ep| self.command(&cat.command, ep))
                .collect();
        }
        let service = &spec.service;
        Cli {
            crate_name: naming::cli_crate(&service.crate_name),
            binary: naming::cli_binary(&service.crate_name),
            groups: groups(root.children, &[]),
            command_count: spec.categories.iter().map(|c| c.endpoints.len()).sum(),
            flows: spec.flows.as_ref().map(|f| self.cli_flows(f)),
            webhook: spec.webhook.as_ref().map(|w| self.cli_webhook(w)),
        }
    }

    fn command(&self, group: &[String], ep: &checked::Endpoint) -> CliCommand {
        let mut args: Vec<CliArg> = ep
            .path_params
            .iter()
            .map(|p| {
                let (value, list) = self.arg_value(&p.ty);
                CliArg {
                    name: p.name.clone(),
                    flag: None,
                    value_name: naming::value_name(&p.name),
                    wire: p.wire.clone(),
                    place: ArgPlace::Path,
                    value,
                    list,
                    required: true,
                    // A path segment is always given on the command line.
                    secret: false,
                    help: p.doc.clone(),
                }
            })
            .collect();
        for p in &ep.query_params {
            args.push(self.flag(ArgPlace::Query, Flagged::from(p)));
        }
        for f in ep.body.map_or(&[][..], |id| self.fields(id)) {
            args.push(self.flag(ArgPlace::Body, Flagged::from(f)));
        }
        let mut long_about = ep.doc.clone();
        if let Some(d) = &ep.deprecated {
            long_about.push_str(&format!(
                "\n\nDeprecated: PortOne removed this operation from its published schema on {}. {}",
                d.since, d.note
            ));
        }
        let call = if ep.idempotent {
            "Safe to repeat: retried on transient failures.".to_owned()
        } else {
            format!(
                "It may move money or change state, so it is never retried, and the command \
                 shows the request and asks before sending it (`--{}` skips the question).",
                naming::YES_FLAG
            )
        };
        long_about.push_str(&format!("\n\n`{} {}`. {call}", ep.method.as_str(), ep.path));
        let about = first_sentence(&ep.doc);
        let test = self.command_test(group, ep, &args);
        CliCommand {
            name: ep.command.clone(),
            endpoint: ep.name.clone(),
            about: if ep.deprecated.is_some() {
                format!("[deprecated] {about}")
            } else {
                about
            },
            long_about,
            doc: ep.doc.clone(),
            ko: ep.ko.clone(),
            method: ep.method.as_str().to_owned(),
            runtime_method: naming::runtime_method(ep.method.as_str()),
            path: ep.path.clone(),
            idempotent: ep.idempotent,
            auth: ep.auth,
            confirm: !ep.idempotent,
            deprecation: ep.deprecated.as_ref().map(|d| CliDeprecation {
                since: d.since.clone(),
                note: d.note.clone(),
            }),
            args,
            body: ep.body.is_some(),
            test,
        }
    }

    fn flag(&self, place: ArgPlace, item: Flagged<'_>) -> CliArg {
        let Flagged {
            name,
            wire,
            ty,
            required,
            secret,
            doc,
        } = item;
        let (value, list) = self.arg_value(ty);
        let flag = naming::flag(name, list, secret);
        CliArg {
            name: name.to_owned(),
            value_name: match (&value, secret) {
                (_, true) => "FILE".to_owned(),
                (ArgValue::Boolean, false) => "BOOL".to_owned(),
                // A list's flag is singular, and so is each of its values.
                _ => naming::value_name(&flag),
            },
            flag: Some(flag),
            wire: wire.to_owned(),
            place,
            value,
            list,
            required,
            secret,
            help: doc.to_owned(),
        }
    }

    /// What a value of `ty` is on the command line, and whether it is a list (the flag
    /// repeated).
    fn arg_value(&self, ty: &CheckedType) -> (ArgValue, bool) {
        match ty {
            CheckedType::List(item) => (self.item_value(item), true),
            other => (self.item_value(other), false),
        }
    }

    fn item_value(&self, ty: &CheckedType) -> ArgValue {
        match ty {
            CheckedType::Scalar(s) => match s {
                Scalar::String => ArgValue::Text,
                Scalar::Integer => ArgValue::Integer,
                Scalar::Number | Scalar::Amount => ArgValue::Number,
                Scalar::Timestamp => ArgValue::Timestamp,
                Scalar::Boolean => ArgValue::Boolean,
                Scalar::Json => ArgValue::Json,
            },
            CheckedType::Named(id) => match &self.spec[*id].kind {
                TypeKind::Enum(values) => ArgValue::Choice(Choices {
                    of: self.spec[*id].name.clone(),
                    name: naming::choices_static(&self.spec[*id].name),
                    values: values
                        .iter()
                        .map(|v| Choice {
                            value: v.wire.clone(),
                            help: v.doc.clone(),
                        })
                        .collect(),
                }),
                TypeKind::Struct(_) | TypeKind::Union(_) => ArgValue::Json,
            },
            CheckedType::List(_) | CheckedType::Map(_) => ArgValue::Json,
        }
    }

    /// The command line running `ep` with sample values: path arguments, then every query
    /// parameter and body field as its flag (a secret through a file).
    fn command_test(
        &self,
        group: &[String],
        ep: &checked::Endpoint,
        args: &[CliArg],
    ) -> CommandTest {
        let mut line: Vec<String> = group.iter().chain([&ep.command]).cloned().collect();
        let mut secrets = Vec::new();
        let body = ep
            .body
            .map(|id| self.json_value(&CheckedType::Named(id), None, "body", 0, true));
        let params = ep.path_params.iter().chain(&ep.query_params);
        let mut values: BTreeMap<&str, Value> = params
            .map(|p| {
                let value = self.json_value(&p.ty, p.example.as_ref(), &p.name, 0, true);
                (p.name.as_str(), value)
            })
            .collect();
        if let Some(Value::Object(body)) = &body {
            for a in args.iter().filter(|a| a.place == ArgPlace::Body) {
                if let Some(value) = body.get(&a.wire) {
                    values.insert(&a.name, value.clone());
                }
            }
        }
        for a in args {
            let Some(value) = values.get(a.name.as_str()) else {
                continue;
            };
            let items = match (a.list, value) {
                (true, Value::Array(items)) => items.clone(),
                _ => vec![value.clone()],
            };
            for item in items {
                let text = match (&a.value, &item) {
                    (ArgValue::Json, item) => item.to_string(),
                    (_, item) => plain(item),
                };
                match &a.flag {
                    None => line.push(text),
                    Some(flag) if a.secret => secrets.push((flag.clone(), text)),
                    Some(flag) => line.push(format!("--{flag}={text}")),
                }
            }
        }
        CommandTest {
            name: naming::command_test(group, &ep.command),
            args: line,
            secrets,
            token_body: body.filter(|_| !ep.auth).map(|b| b.to_string()),
        }
    }

    fn cli_flows(&self, f: &checked::Flows) -> CliFlows {
        let k = &f.cancel_fields;
        CliFlows {
            group: f.command.clone(),
            cancel: f.cancel.clone(),
            cancel_keys: CancelKeys {
                imp_uid: k.payment_id.wire.clone(),
                merchant_uid: k.order_id.wire.clone(),
                amount: k.amount.wire.clone(),
                checksum: k.checksum.wire.clone(),
            },
            charge: f.charge.clone(),
            charge_order_key: f.charge_order_id.wire.clone(),
        }
    }

    fn cli_webhook(&self, w: &checked::Webhook) -> CliWebhook {
        let flows = self.spec.flows.as_ref();
        // A notification field is the value of the same name as the lookup's id parameter (it
        // names the payment) or as a payment field (it is filled from the payment): matches by
        // name, which is how the notification and the payment are related, and no reference
        // (a field matching nothing is only sent when given).
        let id = flows.map(|f| f.lookup.id.as_str());
        let payment_fields = flows.map(|f| self.fields(f.payment)).unwrap_or_default();
        CliWebhook {
            fields: w
                .fields
                .iter()
                .map(|field| {
                    let names_payment = id == Some(field.name.as_str());
                    CliWebhookField {
                        arg: CliArg {
                            name: field.name.clone(),
                            flag: Some(naming::flag(&field.name, false, false)),
                            value_name: naming::value_name(&field.name),
                            wire: field.wire.clone(),
                            place: ArgPlace::Body,
                            value: self.item_value(&field.ty),
                            list: false,
                            required: names_payment,
                            secret: false,
                            help: field.doc.clone(),
                        },
                        names_payment,
                        from_payment: payment_fields
                            .iter()
                            .find(|p| p.name == field.name)
                            .map(|p| p.wire.clone()),
                    }
                })
                .collect(),
        }
    }
}

/// The groups of a level of the tree, sorted by name; a group no category names (the
/// `subscription` of `subscription schedule`) is described by the groups below it.
fn groups(children: BTreeMap<String, Node>, above: &[String]) -> Vec<CommandGroup> {
    children
        .into_iter()
        .map(|(name, node)| {
            let path: Vec<String> = above.iter().cloned().chain([name.clone()]).collect();
            let below = groups(node.children, &path);
            let (about, long_about, ko) = node.docs.unwrap_or_else(|| match below.as_slice() {
                [only] => (only.about.clone(), only.long_about.clone(), only.ko.clone()),
                several => {
                    let names = several
                        .iter()
                        .map(|g| g.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let text = format!("The groups {names}.");
                    (text.clone(), text, format!("하위 그룹: {names}"))
                }
            });
            CommandGroup {
                name,
                path,
                about,
                long_about,
                ko,
                commands: node.commands,
                groups: below,
            }
        })
        .collect()
}

/// The first sentence of a doc, for one-line lists: up to the first full stop followed by a
/// space or a line break, or all of it.
fn first_sentence(doc: &str) -> String {
    let doc = doc.trim();
    let end = doc
        .match_indices(". ")
        .chain(doc.match_indices(".\n"))
        .map(|(i, _)| i + 1)
        .min()
        .unwrap_or(doc.len());
    doc[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("Fetch one. Then more."), "Fetch one.");
        assert_eq!(first_sentence("Fetch\none.\nThen"), "Fetch one.");
        assert_eq!(first_sentence("No stop"), "No stop");
        assert_eq!(first_sentence("Pay 1.5 won. Then"), "Pay 1.5 won.");
    }
}
