//! The command-line tool's names: command groups (`command:` of a category file), commands
//! (`command:` of an endpoint) and flags. The names themselves come from `naming.rs`; this
//! checks the spec's `command:` values and that no two commands, groups or flags meet.

use std::collections::HashMap;

use super::Validator;
use crate::checked::{Category, CheckedType, Flows, TypeDef, TypeKind};
use crate::naming;
use crate::spec;

/// Where a problem with an endpoint's command is shown: its `command:`, else its key.
fn command_at(name: &str, ep: &spec::Endpoint) -> (Vec<String>, bool) {
    let mut at = vec!["endpoints".to_owned(), name.to_owned()];
    if ep.command.is_some() {
        at.push("command".to_owned());
    }
    (at, ep.command.is_none())
}

impl Validator<'_> {
    /// The command group of a category file: its `command:`, checked, or the key in
    /// kebab-case.
    pub(super) fn command_group(&mut self, cat: &spec::CategoryFile) -> Option<Vec<String>> {
        let Some(text) = &cat.command else {
            return Some(naming::command_group(&cat.category));
        };
        let words: Vec<String> = text.split(' ').map(str::to_owned).collect();
        if let Some(bad) = words.iter().find(|w| !naming::is_command_word(w)) {
            self.err(
                cat.file,
                &["command"],
                false,
                format!("`{bad}` is not a command word"),
            )
            .hint(
                "a command group is one or more words of lower-case letters, digits and inner \
                 dashes, separated by single spaces, e.g. `payments` or `subscription schedule`",
            );
            return None;
        }
        Some(words)
    }

    /// The command of an endpoint in `group`: its `command:`, checked, or derived from its key
    /// (`None` without reporting when the group did not check).
    pub(super) fn endpoint_command(
        &mut self,
        cat: &spec::CategoryFile,
        name: &str,
        ep: &spec::Endpoint,
        group: Option<&[String]>,
    ) -> Option<String> {
        if let Some(command) = &ep.command {
            if naming::is_command_word(command) {
                return Some(command.clone());
            }
            self.err(
                cat.file,
                &["endpoints", name, "command"],
                false,
                format!("`{command}` is not a command name"),
            )
            .hint("a command is one word of lower-case letters, digits and inner dashes, e.g. `get-many`");
            return None;
        }
        Some(naming::command(name, &cat.category, group?))
    }

    /// No two categories share a command group, no two endpoints of a group share a command,
    /// no command takes a subgroup's or a hand-written command's name, and no two flags of a
    /// command meet. `categories` are the checked category files in file order.
    pub(super) fn commands(
        &mut self,
        categories: &[Category],
        types: &[Option<TypeDef>],
        flows: Option<&Flows>,
    ) {
        let loaded = self.loaded;
        let files = &loaded.spec.categories;
        let mut groups: HashMap<&[String], &str> = HashMap::new();
        for (cat, file) in categories.iter().zip(files) {
            let at: &[&str] = &["command"];
            let at = if file.command.is_some() {
                at
            } else {
                &["category"]
            };
            let shown = cat.command.join(" ");
            // A category declared twice is reported as such.
            if let Some(other) = groups
                .insert(&cat.command, &cat.key)
                .filter(|other| *other != cat.key)
            {
                self.err(
                    file.file,
                    at,
                    false,
                    format!("the command group `{shown}` is taken by category `{other}`"),
                )
                .hint("give one of them another command group with `command:`");
            }
            if naming::CLI_COMMANDS.contains(&cat.command[0].as_str()) {
                self.err(
                    file.file,
                    at,
                    false,
                    format!("the command group `{shown}` takes the name of a built-in command"),
                )
                .hint(format!(
                    "these are written by hand: {}; choose another with `command:`",
                    naming::CLI_COMMANDS.join(", ")
                ));
            }
        }
        // Words that continue a group path: a command may not take one.
        let mut subgroups: HashMap<&[String], Vec<&str>> = HashMap::new();
        for group in groups.keys() {
            for depth in 1..group.len() {
                subgroups
                    .entry(&group[..depth])
                    .or_default()
                    .push(&group[depth]);
            }
        }
        let sweep_group = flows
            .and_then(|f| categories.iter().find(|c| c.key == f.category))
            .map(|c| c.command.as_slice());
        let mut commands: HashMap<(&[String], &str), &str> = HashMap::new();
        for (cat, file) in categories.iter().zip(files) {
            for ep in &cat.endpoints {
                let spec_ep = &file.endpoints[&ep.name];
                let (at, key) = command_at(&ep.name, spec_ep);
                let at: Vec<&str> = at.iter().map(String::as_str).collect();
                let full = format!("{} {}", cat.command.join(" "), ep.command);
                let group = cat.command.as_slice();
                if let Some(other) = commands.insert((group, &ep.command), &ep.name) {
                    self.err(
                        file.file,
                        &at,
                        key,
                        format!("the command `{full}` is taken by `{other}`"),
                    )
                    .hint("name one of them with `command:`, e.g. `command: get-many`");
                } else if subgroups
                    .get(group)
                    .is_some_and(|words| words.contains(&ep.command.as_str()))
                {
                    self.err(
                        file.file,
                        &at,
                        key,
                        format!("the command `{full}` is the name of a command group"),
                    )
                    .hint("name the command with `command:`");
                } else if ep.command == "help"
                    || (sweep_group == Some(group) && ep.command == naming::SWEEP_COMMAND)
                {
                    self.err(
                        file.file,
                        &at,
                        key,
                        format!("the command `{full}` is written by hand"),
                    )
                    .hint("name this one with `command:`");
                }
                self.flags(file, ep, types);
            }
        }
    }

    /// The flags of one endpoint's command: its query parameters and body fields, none
    /// meeting another or a flag every command has.
    fn flags(
        &mut self,
        file: &spec::CategoryFile,
        ep: &crate::checked::Endpoint,
        types: &[Option<TypeDef>],
    ) {
        let is_list = |ty: &CheckedType| matches!(ty, CheckedType::List(_));
        // (flag, file, YAML path of the key)
        let mut flags: Vec<(String, usize, Vec<String>)> = ep
            .query_params
            .iter()
            .map(|p| {
                (
                    naming::flag(&p.name, is_list(&p.ty), p.secret),
                    file.file,
                    vec![
                        "endpoints".into(),
                        ep.name.clone(),
                        "params".into(),
                        p.name.clone(),
                    ],
                )
            })
            .collect();
        if let Some(body) = ep.body {
            let decl = self.decls[body.index()];
            if let Some(TypeDef {
                kind: TypeKind::Struct(s),
                ..
            }) = &types[body.index()]
            {
                flags.extend(s.fields.iter().map(|f| {
                    (
                        naming::flag(&f.name, is_list(&f.ty), f.secret),
                        decl.file,
                        vec![
                            "types".into(),
                            decl.name.to_owned(),
                            "fields".into(),
                            f.name.clone(),
                        ],
                    )
                }));
            }
        }
        let mut seen: HashMap<String, String> = HashMap::new();
        for (flag, f, at) in flags {
            let at: Vec<&str> = at.iter().map(String::as_str).collect();
            let name = at[3];
            if naming::CLI_GLOBAL_FLAGS.contains(&flag.as_str()) {
                self.err(
                    f,
                    &at,
                    true,
                    format!(
                        "`{name}` of `{}` would be the flag `--{flag}`, which every command has",
                        ep.name
                    ),
                )
                .hint("give it another key, with `wire:` keeping its name on the wire");
            } else if let Some(other) = seen.insert(flag.clone(), name.to_owned()) {
                self.err(
                    f,
                    &at,
                    true,
                    format!(
                        "`{name}` and `{other}` of `{}` would both be the flag `--{flag}`",
                        ep.name
                    ),
                )
                .hint("give one of them another key, with `wire:` keeping its name on the wire");
            }
        }
    }
}
