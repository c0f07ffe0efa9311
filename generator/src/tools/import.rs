//! `cargo xtask import`: writes the YAML skeleton of an official operation or definition that
//! `spec/` lacks into the category file it belongs in (the one whose `official:` list has the
//! operation's `x-portone-category`, else the one the spec's endpoints with its tag are in, else
//! a new one), with the definitions it refers to that `spec/` lacks too.
//!
//! Names come from [`crate::naming`] (snake_case keys, UpperCamelCase types, `wire:` where the
//! wire name differs), types are mapped from the Swagger types, `official:` and
//! `official_response:` are set. Every doc is left out, with [`DOC_PLACEHOLDER`] where it goes,
//! and so is the Korean label of each endpoint and new category ([`LABEL_PLACEHOLDER`]), so
//! validation refuses the skeleton until a person has written each in their own words.
//! The text is appended to the file as it is (comments and layout kept), and the whole spec
//! must still load before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::home::{Home, home};
use super::swagger::{Location, Operation, Param, Swagger, ref_name};
use crate::load::{self, Loaded};
use crate::naming;

/// The comment an imported skeleton has where each doc goes.
pub const DOC_PLACEHOLDER: &str = "# doc: write this in your own words";

/// The comment an imported skeleton has where the Korean label of an endpoint or a new category
/// goes.
pub const LABEL_PLACEHOLDER: &str = "# ko: write a short Korean label in your own words";

/// What an import wrote.
#[derive(Debug)]
pub struct Imported {
    /// The category file written.
    pub file: PathBuf,
    /// Whether the file is new (a category `spec/` did not have).
    pub created: bool,
    /// What was added, e.g. "endpoint `issue_receipt`", "type `IssueReceiptRequest`".
    pub added: Vec<String>,
    /// Docs and Korean labels left to write.
    pub placeholders: usize,
}

/// Imports the operation or definition `name` of the official file `official_json` into the
/// spec in `spec_dir`. `name` is an operationId, a definition name, or `METHOD /path` (for an
/// operationId the file uses more than once).
pub fn import(spec_dir: &Path, official_json: &str, name: &str) -> Result<Imported, String> {
    let loaded = load::load_dir(spec_dir).map_err(|r| r.to_string())?;
    let official = Swagger::read(official_json)?;
    let mut b = Builder::new(&loaded, &official);
    let target = find(&official, name)?;
    let home = match target {
        Target::Operation(op) => home(&loaded.spec, &official, op),
        Target::Definition(def) => b.definition_home(def)?,
    };
    b.category = match &home {
        Home::Category(c) => &c.category,
        Home::New { .. } => "",
    };
    let endpoint = match target {
        Target::Operation(op) => Some(b.operation(op)?),
        Target::Definition(def) => {
            b.named(def)?;
            None
        }
    };
    let mut added: Vec<String> = endpoint
        .iter()
        .map(|(n, _)| format!("endpoint `{n}`"))
        .collect();
    added.extend(b.new_types.iter().map(|(n, _)| format!("type `{n}`")));
    if added.is_empty() {
        return Err(format!(
            "`{name}` has no properties: there is nothing to model as a type"
        ));
    }
    let endpoints: Vec<String> = endpoint.into_iter().flat_map(|(_, l)| l).collect();
    let types: Vec<String> = b.new_types.into_iter().flat_map(|(_, l)| l).collect();

    let (file, old, text) = match home {
        Home::Category(c) => {
            let file_name = Path::new(loaded.sources.name(c.file))
                .file_name()
                .ok_or("a category file has no name")?
                .to_owned();
            let path = spec_dir.join(file_name);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let new = append_block(&text, "endpoints", &endpoints, Some("types"))?;
            let new = append_block(&new, "types", &types, None)?;
            (path, Some(text), new)
        }
        Home::New { key, official } => {
            let mut lines = vec![
                format!("category: {key}"),
                DOC_PLACEHOLDER.to_owned(),
                LABEL_PLACEHOLDER.to_owned(),
            ];
            if let Some(id) = official {
                lines.push(format!("official: [{}]", scalar(&id)));
            }
            let mut text = lines.join("\n") + "\n";
            text = append_block(&text, "endpoints", &endpoints, None)?;
            text = append_block(&text, "types", &types, None)?;
            let path = spec_dir.join(format!("{key}.yaml"));
            if path.exists() {
                return Err(format!(
                    "{} exists but does not declare `category: {key}`",
                    path.display()
                ));
            }
            (path, None, text)
        }
    };
    check_loads(&loaded, &file, &text)?;
    std::fs::write(&file, &text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let placeholders = |text: &str| {
        text.lines()
            .filter(|l| [DOC_PLACEHOLDER, LABEL_PLACEHOLDER].contains(&l.trim()))
            .count()
    };
    Ok(Imported {
        file,
        created: old.is_none(),
        added,
        placeholders: placeholders(&text) - old.as_deref().map_or(0, placeholders),
    })
}

enum Target<'o> {
    Operation(&'o Operation),
    Definition(&'o str),
}

fn find<'o>(official: &'o Swagger, name: &str) -> Result<Target<'o>, String> {
    if let Some((method, path)) = name.split_once(' ') {
        return official
            .operation(&method.to_uppercase(), path.trim())
            .map(Target::Operation)
            .ok_or_else(|| format!("the file has no operation {name}"));
    }
    let ops: Vec<&Operation> = official
        .operations
        .iter()
        .filter(|o| o.id.as_deref() == Some(name))
        .collect();
    match ops.as_slice() {
        [op] => Ok(Target::Operation(op)),
        [] => official
            .definitions
            .get_key_value(name)
            .map(|(k, _)| Target::Definition(k.as_str()))
            .ok_or_else(|| format!("the file has no operation or definition named `{name}`")),
        many => Err(format!(
            "the file uses the operationId `{name}` for {} operations; name one as \"METHOD \
             /path\": {}",
            many.len(),
            many.iter()
                .map(|o| format!("\"{} {}\"", o.method, o.path))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Builds the YAML lines of new endpoints and types.
struct Builder<'a> {
    loaded: &'a Loaded,
    official: &'a Swagger,
    /// Official definitions the spec accounts for, with the spec type that models each (if a
    /// type does; envelopes are accounted for by `official_response`).
    covered: BTreeMap<String, Option<String>>,
    /// Type names in use, in the spec or by this import.
    taken: BTreeSet<String>,
    /// Definitions this import models, with their new type names.
    assigned: BTreeMap<String, String>,
    /// New types in the order they were made: name and lines.
    new_types: Vec<(String, Vec<String>)>,
    /// The spec's enum types with their category key and wire values.
    enums: Vec<(&'a str, &'a str, BTreeSet<&'a str>)>,
    /// The category the import goes to (enum types of its own are preferred).
    category: &'a str,
}

impl<'a> Builder<'a> {
    fn new(loaded: &'a Loaded, official: &'a Swagger) -> Self {
        let spec = &loaded.spec;
        let mut covered = BTreeMap::new();
        let mut taken = BTreeSet::new();
        if let Some(name) = &spec.service.envelope.official {
            covered.insert(name.clone(), None);
        }
        let mut enums = Vec::new();
        for c in &spec.categories {
            for e in c.endpoints.values() {
                for r in &e.official_response {
                    covered.insert(r.clone(), None);
                }
            }
            for (tname, t) in &c.types {
                taken.insert(tname.clone());
                if let Some(o) = &t.official {
                    covered.insert(o.clone(), Some(tname.clone()));
                }
                if let Some(values) = &t.enum_values {
                    let values = values.keys().map(String::as_str).collect();
                    enums.push((tname.as_str(), c.category.as_str(), values));
                }
            }
        }
        Builder {
            loaded,
            official,
            covered,
            taken,
            assigned: BTreeMap::new(),
            new_types: Vec::new(),
            enums,
            category: "",
        }
    }

    /// The endpoint's name and lines (indented for `endpoints:`); types go to `new_types`.
    fn operation(&mut self, op: &Operation) -> Result<(String, Vec<String>), String> {
        let spec = &self.loaded.spec;
        let endpoints = || spec.categories.iter().flat_map(|c| &c.endpoints);
        if let Some((name, _)) =
            endpoints().find(|(_, e)| e.method.as_str() == op.method && e.path == op.path)
        {
            return Err(format!(
                "spec/ already has {} {} as `{name}`",
                op.method, op.path
            ));
        }
        let id = op
            .id
            .as_deref()
            .ok_or_else(|| format!("{} {} has no operationId", op.method, op.path))?;
        let mut name = naming::method_from_official(id);
        if endpoints().any(|(n, _)| *n == name) {
            let last = op
                .path
                .split('/')
                .rfind(|s| !s.is_empty() && !s.starts_with('{'))
                .unwrap_or_default();
            name = format!("{name}_{}", naming::key_from_wire(last));
        }
        if endpoints().any(|(n, _)| *n == name) {
            return Err(format!("spec/ already has an endpoint named `{name}`"));
        }

        let placeholders: Vec<&str> = op
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let mut path_params: Vec<&Param> = Vec::new();
        let mut query_params = Vec::new();
        let mut form = Vec::new();
        let mut body = None;
        for p in &op.params {
            match p.location {
                Location::Path => path_params.push(p),
                Location::Query => query_params.push(p),
                Location::FormData => form.push(p),
                Location::Body => {
                    body = Some(self.type_expr(&p.schema, &naming::body_type(&name), "")?.0);
                }
                Location::Header => {
                    return Err(format!(
                        "{id}: parameter `{}` is in `{}`, which spec/ cannot express",
                        p.name,
                        p.location.as_str()
                    ));
                }
            }
        }
        path_params.sort_by_key(|p| placeholders.iter().position(|name| *name == p.name));

        // Objects described inline in a parameter or the response are named after the endpoint.
        let owner = naming::inline_type("", &name);
        let mut params = Vec::new();
        for p in path_params.into_iter().chain(query_params) {
            let (expr, comment) = self.type_expr(&p.schema, &owner, &p.name)?;
            let mut lines = entry(&p.name, &expr, p.required, comment, 6);
            lines.insert(1, format!("        in: {}", p.location.as_str()));
            params.extend(lines);
        }
        if !form.is_empty() {
            let type_name = naming::body_type(&name);
            if !self.taken.insert(type_name.clone()) {
                return Err(format!(
                    "spec/ already has a type named `{type_name}` (the body type of `{name}`)"
                ));
            }
            let required: BTreeSet<String> = form
                .iter()
                .filter(|p| p.required)
                .map(|p| p.name.clone())
                .collect();
            let fields: Vec<(&str, &Value)> =
                form.iter().map(|p| (p.name.as_str(), &p.schema)).collect();
            let lines = self.struct_lines(&type_name, None, &fields, &required)?;
            self.new_types.insert(0, (type_name.clone(), lines));
            body = Some(type_name);
        }

        let mut response = None;
        let mut official_response = None;
        if let Some(schema) = &op.ok_schema {
            let envelope = self.official.properties(schema);
            let payload = match envelope.get("response") {
                Some(payload) => {
                    official_response = ref_name(schema).map(str::to_owned);
                    payload
                }
                None => schema,
            };
            response = Some(self.type_expr(payload, &owner, "response")?.0);
        }

        let mut lines = vec![
            format!("  {name}:"),
            format!("    {DOC_PLACEHOLDER}"),
            format!("    {LABEL_PLACEHOLDER}"),
        ];
        lines.push(format!("    method: {}", op.method));
        lines.push(format!("    path: {}", scalar(&op.path)));
        lines.push(if op.method == "GET" {
            "    idempotent: true".to_owned()
        } else {
            "    idempotent: false   # true only if repeating it can never move money or change \
             state twice"
                .to_owned()
        });
        lines.push(format!("    official: {}", scalar(id)));
        if let Some(r) = official_response {
            lines.push(format!("    official_response: {}", scalar(&r)));
        }
        if !params.is_empty() {
            lines.push("    params:".to_owned());
            lines.extend(params);
        }
        if let Some(b) = body {
            lines.push(format!("    body: {}", scalar(&b)));
        }
        if let Some(r) = response {
            lines.push(format!("    response: {}", scalar(&r)));
        }
        Ok((name, lines))
    }

    /// The category a definition goes to: that of the first operation that reaches it.
    fn definition_home(&self, def: &str) -> Result<Home<'a>, String> {
        if let Some(by) = self.covered.get(def) {
            return Err(match by {
                Some(t) => format!("spec/ already models `{def}` as `{t}`"),
                None => format!("spec/ already accounts for `{def}` (an envelope)"),
            });
        }
        let schema = &self.official.definitions[def];
        let users: Vec<&Operation> = self
            .official
            .operations
            .iter()
            .filter(|o| o.ok_schema.as_ref().and_then(ref_name) == Some(def))
            .collect();
        if self.official.properties(schema).contains_key("response") && !users.is_empty() {
            return Err(format!(
                "`{def}` is the response envelope of {}: import the operation instead",
                users
                    .iter()
                    .map(|o| o.id.as_deref().unwrap_or("an operation"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        self.official
            .operations
            .iter()
            .find(|o| self.official.reached_by(o).contains(def))
            .map(|o| home(&self.loaded.spec, self.official, o))
            .ok_or_else(|| {
                format!("no operation of the file uses `{def}`: nothing to file it under")
            })
    }

    /// The spec type that models an official definition, made (with what it refers to) if the
    /// spec has none; a definition without properties is mapped to a plain type expression.
    fn named(&mut self, def: &str) -> Result<String, String> {
        if let Some(Some(t)) = self.covered.get(def) {
            return Ok(t.clone());
        }
        if let Some(t) = self.assigned.get(def) {
            return Ok(t.clone());
        }
        let schema = self
            .official
            .definitions
            .get(def)
            .ok_or_else(|| format!("`{def}` is referred to but not defined in the file"))?;
        let props = self.official.properties(schema);
        if props.is_empty() && schema.get("allOf").is_none() {
            return Ok(self.type_expr(schema, def, "")?.0);
        }
        let mut type_name = naming::type_from_official(def);
        if self.taken.contains(&type_name) {
            type_name = def.to_owned();
        }
        if !self.taken.insert(type_name.clone()) {
            return Err(format!(
                "spec/ already has a type named `{type_name}`; cannot model `{def}`"
            ));
        }
        self.assigned.insert(def.to_owned(), type_name.clone());
        self.new_struct(&type_name, Some(def), schema)?;
        Ok(type_name)
    }

    /// Makes the struct type `name` of an object schema; it comes before the types its fields
    /// make.
    fn new_struct(
        &mut self,
        name: &str,
        official: Option<&str>,
        schema: &Value,
    ) -> Result<(), String> {
        let props = self.official.properties(schema);
        let required = self.official.required(schema);
        let fields: Vec<(&str, &Value)> = props.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let slot = self.new_types.len();
        self.new_types.push((name.to_owned(), Vec::new()));
        self.new_types[slot].1 = self.struct_lines(name, official, &fields, &required)?;
        Ok(())
    }

    /// A struct type's lines (indented for `types:`).
    fn struct_lines(
        &mut self,
        name: &str,
        official: Option<&str>,
        fields: &[(&str, &Value)],
        required: &BTreeSet<String>,
    ) -> Result<Vec<String>, String> {
        let mut lines = vec![format!("  {name}:"), format!("    {DOC_PLACEHOLDER}")];
        if let Some(o) = official {
            lines.push(format!("    official: {}", scalar(o)));
        }
        if fields.is_empty() {
            lines.push("    fields: {}".to_owned());
            return Ok(lines);
        }
        lines.push("    fields:".to_owned());
        for (wire, schema) in fields {
            let (expr, comment) = self.type_expr(schema, name, wire)?;
            lines.extend(entry(wire, &expr, required.contains(*wire), comment, 6));
        }
        Ok(lines)
    }

    /// The spec type expression of an official schema, and a comment for the maintainer (the
    /// official values of a string that could be an enum). `owner` and `field` name the type
    /// made for an object described inline.
    fn type_expr(
        &mut self,
        schema: &Value,
        owner: &str,
        field: &str,
    ) -> Result<(String, Option<String>), String> {
        if let Some(def) = ref_name(schema) {
            return Ok((self.named(def)?, None));
        }
        let ty = schema.get("type").and_then(Value::as_str);
        if ty == Some("array") {
            let item = match schema.get("items") {
                Some(items) => self.type_expr(items, owner, field)?,
                None => ("json".to_owned(), None),
            };
            return Ok((format!("[{}]", item.0), item.1));
        }
        if schema.get("properties").is_some() || schema.get("allOf").is_some() {
            let name = naming::inline_type(owner, field);
            if !self.taken.insert(name.clone()) {
                return Err(format!(
                    "spec/ already has a type named `{name}` (for the object in `{field}`)"
                ));
            }
            self.new_struct(&name, None, schema)?;
            return Ok((name, None));
        }
        Ok(match ty {
            Some("string") => {
                let values: Vec<&str> = schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                self.enum_for(&values)
            }
            Some("integer") => ("integer".to_owned(), None),
            Some("number") => ("number".to_owned(), None),
            Some("boolean") => ("boolean".to_owned(), None),
            Some("object") => match schema.get("additionalProperties") {
                Some(values @ Value::Object(_)) => {
                    let (inner, comment) = self.type_expr(values, owner, field)?;
                    (format!("{{{inner}}}"), comment)
                }
                _ => ("json".to_owned(), None),
            },
            _ => ("json".to_owned(), None),
        })
    }

    /// The type of a string with the official `values`: the spec's enum type that lists them
    /// all with the fewest others (one of the import's category first), when exactly one is
    /// best; otherwise `string`, with a comment naming the values and the enum types that fit.
    fn enum_for(&self, values: &[&str]) -> (String, Option<String>) {
        if values.is_empty() {
            return ("string".to_owned(), None);
        }
        let rank = |(_, category, listed): &(&str, &str, BTreeSet<&str>)| {
            (listed.len(), *category != self.category)
        };
        let mut fits: Vec<&(&str, &str, BTreeSet<&str>)> = self
            .enums
            .iter()
            .filter(|(_, _, listed)| values.iter().all(|v| listed.contains(v)))
            .collect();
        fits.sort_by_key(|e| (rank(e), e.0));
        match fits.as_slice() {
            [only] => return (only.0.to_owned(), None),
            [first, second, ..] if rank(first) < rank(second) => {
                return (first.0.to_owned(), None);
            }
            _ => {}
        }
        let mut comment = format!("# official values: {}", values.join(", "));
        if fits.is_empty() {
            comment.push_str(" (an enum type may fit)");
        } else {
            let names: Vec<&str> = fits.iter().map(|e| e.0).collect();
            comment.push_str(&format!(" (enum types listing them: {})", names.join(", ")));
        }
        ("string".to_owned(), Some(comment))
    }
}

/// The lines of one field or parameter at `indent`: key, type, `wire:` when the key differs,
/// `optional: true` unless required, and the doc placeholder.
fn entry(
    wire: &str,
    expr: &str,
    required: bool,
    comment: Option<String>,
    indent: usize,
) -> Vec<String> {
    let pad = " ".repeat(indent + 2);
    let key = naming::key_from_wire(wire);
    let mut lines = vec![
        format!("{}{key}:", " ".repeat(indent)),
        format!("{pad}type: {}", scalar(expr)),
    ];
    if key != wire {
        lines.push(format!("{pad}wire: {}", scalar(wire)));
    }
    if !required {
        lines.push(format!("{pad}optional: true"));
    }
    lines.push(format!("{pad}{DOC_PLACEHOLDER}"));
    lines.extend(comment.map(|c| format!("{pad}{c}")));
    lines
}

/// A YAML scalar for `s`: plain when that reads back as the same string, double-quoted
/// otherwise.
fn scalar(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-{}".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::Value::String(s.to_owned()).to_string()
    }
}

/// `text` with `lines` appended to its top-level mapping `key`; when the text has no such key,
/// the key is added before the top-level key `before` (if present) or at the end.
fn append_block(
    text: &str,
    key: &str,
    lines: &[String],
    before: Option<&str>,
) -> Result<String, String> {
    if lines.is_empty() {
        return Ok(text.to_owned());
    }
    let mut all: Vec<String> = text.lines().map(str::to_owned).collect();
    fn top<'l>(line: &'l str, key: &str) -> Option<&'l str> {
        line.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::trim)
    }
    let at = all.iter().position(|l| top(l, key).is_some());
    match at {
        Some(i) => {
            match top(&all[i], key) {
                Some("" | "{}") => all[i] = format!("{key}:"),
                Some(rest) if rest.starts_with('#') => {}
                _ => {
                    return Err(format!(
                        "`{key}:` is written in flow style; import appends to a block mapping \
                         only"
                    ));
                }
            }
            let mut end = i + 1;
            while end < all.len() && (all[end].is_empty() || all[end].starts_with([' ', '#', '\t']))
            {
                end += 1;
            }
            while end > i + 1 && (all[end - 1].trim().is_empty() || all[end - 1].starts_with('#')) {
                end -= 1;
            }
            all.splice(end..end, lines.iter().cloned());
        }
        None => {
            let block = std::iter::once(format!("{key}:")).chain(lines.iter().cloned());
            let at = before
                .and_then(|b| all.iter().position(|l| top(l, b).is_some()))
                .unwrap_or(all.len());
            all.splice(at..at, block);
        }
    }
    Ok(all.join("\n") + "\n")
}

/// Fails unless the spec, with `file` holding `text`, still loads (parses and has only known
/// keys): an import must never leave a file the generator cannot read.
fn check_loads(loaded: &Loaded, file: &Path, text: &str) -> Result<(), String> {
    let spec_name = |f: usize| loaded.sources.name(f).to_owned();
    let prefix = Path::new(&spec_name(loaded.service_file))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let new_name = prefix
        .join(file.file_name().unwrap_or_default())
        .to_string_lossy()
        .into_owned();
    let mut files: Vec<(String, String)> = std::iter::once(loaded.service_file)
        .chain(loaded.spec.categories.iter().map(|c| c.file))
        .map(|f| (spec_name(f), loaded.sources.text(f).to_owned()))
        .filter(|(n, _)| *n != new_name)
        .collect();
    files.push((new_name, text.to_owned()));
    load::load_texts(files)
        .map(drop)
        .map_err(|r| format!("the imported text does not load (a bug in import):\n{r}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_they_read_back_the_same() {
        assert_eq!(scalar("/receipts/{imp_uid}"), "/receipts/{imp_uid}");
        assert_eq!(scalar("IssueReceiptRequest"), "IssueReceiptRequest");
        assert_eq!(scalar("[string]"), "\"[string]\"");
        assert_eq!(scalar("imp_uid[]"), "\"imp_uid[]\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("1234"), "\"1234\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
    }

    #[test]
    fn entries_go_to_the_end_of_their_block() {
        let lines = ["  new:".to_owned(), "    x: 1".to_owned()];
        let text = "category: c\nendpoints:\n  old:\n    x: 0\n\n# about types\ntypes:\n  T: {}\n";
        assert_eq!(
            append_block(text, "endpoints", &lines, Some("types")).unwrap(),
            "category: c\nendpoints:\n  old:\n    x: 0\n  new:\n    x: 1\n\n# about types\ntypes:\n  T: {}\n"
        );
        let text = "category: c\ntypes:\n  T: {}\n";
        assert_eq!(
            append_block(text, "endpoints", &lines, Some("types")).unwrap(),
            "category: c\nendpoints:\n  new:\n    x: 1\ntypes:\n  T: {}\n"
        );
        assert_eq!(
            append_block("category: c\nendpoints: {}\n", "endpoints", &lines, None).unwrap(),
            "category: c\nendpoints:\n  new:\n    x: 1\n"
        );
        let err = append_block("endpoints: { a: {} }\n", "endpoints", &lines, None).unwrap_err();
        assert!(err.contains("flow style"), "{err}");
        assert_eq!(append_block("a: 1", "types", &[], None).unwrap(), "a: 1");
    }
}
