//! The comparison itself: official operations against spec endpoints (both ways, parameters
//! and body fields included) and official definitions against spec types, each difference
//! recorded with what explains it, if anything does.

use std::collections::BTreeMap;

use serde_json::Value;

use super::notes::{NoteAt, NoteUse, Notes};
use super::rules::{Ours, Rule, official_kind, rule};
use crate::load::Loaded;
use crate::spec::{
    CategoryFile, Endpoint, Field, FieldDiffers, FieldNote, OfficialKind, Spec, TypeDef, Why,
};
use crate::tools::home::{Home, home};
use crate::tools::swagger::{Location, Operation, Swagger};
use crate::types_expr::TypeExpr;

/// What explains a difference.
pub(super) enum By {
    Rule(&'static Rule),
    Note(String),
    Deprecated,
}

pub(super) struct Difference {
    pub(super) section: String,
    pub(super) text: String,
    pub(super) by: Option<By>,
}

/// A spec field or parameter with its note, as compared with an official property.
struct Entry<'s> {
    expr: &'s str,
    note: Option<&'s FieldNote>,
    at: NoteAt,
}

/// Official names a note on the owning endpoint or type leaves out.
struct Omits<'s> {
    names: &'s [String],
    why: &'s Why,
    at: NoteAt,
}

/// A comparison in progress: what it found so far.
pub(super) struct Comparison<'a> {
    pub(super) loaded: &'a Loaded,
    spec: &'a Spec,
    official: &'a Swagger,
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// Spec endpoints by (METHOD, path).
    ours: BTreeMap<(String, String), (&'a CategoryFile, &'a str, &'a Endpoint)>,
    pub(super) differences: Vec<Difference>,
    /// What the file has that `spec/` lacks: section and line.
    pub(super) missing: Vec<(String, String)>,
    pub(super) missing_operations: usize,
    pub(super) missing_definitions: usize,
    pub(super) notes: Notes,
}

impl<'a> Comparison<'a> {
    pub(super) fn new(loaded: &'a Loaded, official: &'a Swagger) -> Self {
        let spec = &loaded.spec;
        let types = spec
            .categories
            .iter()
            .flat_map(|c| c.types.iter().map(|(n, t)| (n.as_str(), t)))
            .collect();
        let mut ours = BTreeMap::new();
        for c in &spec.categories {
            for (name, ep) in &c.endpoints {
                ours.insert(
                    (ep.method.as_str().to_owned(), ep.path.clone()),
                    (c, name.as_str(), ep),
                );
            }
        }
        Comparison {
            loaded,
            spec,
            official,
            types,
            ours,
            differences: Vec::new(),
            missing: Vec::new(),
            missing_operations: 0,
            missing_definitions: 0,
            notes: Notes::default(),
        }
    }

    fn differ(&mut self, section: &str, text: String, by: Option<By>) {
        self.differences.push(Difference {
            section: section.to_owned(),
            text,
            by,
        });
    }

    fn note(&mut self, at: &NoteAt) -> &mut NoteUse {
        self.notes.at(at)
    }

    /// Official operations against spec endpoints, both ways.
    pub(super) fn operations(&mut self, from: &str) {
        let official = self.official;
        for op in &official.operations {
            let key = (op.method.clone(), op.path.clone());
            match self.ours.get(&key).copied() {
                Some((cat, name, ep)) => self.compare_params(&cat.category, name, ep, op),
                None => {
                    self.missing_operations += 1;
                    let section = match home(self.spec, official, op) {
                        Home::Category(c) => c.category.clone(),
                        Home::New { key, .. } => format!("(new category `{key}`)"),
                    };
                    let name = match op.id.as_deref() {
                        Some(id) if official.operations_with_id(id) == 1 => id.to_owned(),
                        _ => format!("\"{} {}\"", op.method, op.path),
                    };
                    let id = op.id.as_deref().unwrap_or("no operationId");
                    let what = format!("missing operation: {} {} ({id})", op.method, op.path);
                    let line = format!("{what}: cargo xtask import --from {from} {name}");
                    self.missing.push((section, line));
                }
            }
        }
        let ours: Vec<_> = self.ours.values().copied().collect();
        for (cat, name, ep) in ours {
            let route = official.operation(ep.method.as_str(), &ep.path);
            let note = ep.official_differs.as_ref();
            if note.is_some() {
                self.note(&NoteAt::Endpoint(name.to_owned())).compared = true;
            }
            if route.is_some() {
                continue;
            }
            let section = cat.category.as_str();
            let text = format!("{} {} ({name}): only in spec", ep.method.as_str(), ep.path);
            if ep.deprecated.is_some() {
                self.differ(section, text, Some(By::Deprecated));
            } else if let Some((note, op)) = note.and_then(|n| {
                let route = n.route.as_deref()?;
                Some((n, official.operation(ep.method.as_str(), route)?))
            }) {
                self.note(&NoteAt::Endpoint(name.to_owned())).used = true;
                self.differ(section, text, Some(By::Note(note.why.as_str().to_owned())));
                self.compare_params(section, name, ep, op);
            } else {
                self.differ(section, text, None);
            }
        }
    }

    /// An endpoint's parameters and body fields against the official operation's parameters.
    fn compare_params(&mut self, section: &str, name: &'a str, ep: &'a Endpoint, op: &Operation) {
        let subject = format!("{} {} ({name})", ep.method.as_str(), ep.path);
        let mut ours: BTreeMap<&str, Entry<'a>> = ep
            .params
            .iter()
            .map(|(n, p)| {
                let entry = Entry {
                    expr: &p.ty,
                    note: p.official.as_ref(),
                    at: NoteAt::Param(name.to_owned(), n.clone()),
                };
                (p.wire.as_deref().unwrap_or(n), entry)
            })
            .collect();
        if let Some((body, fields)) = ep
            .body
            .as_deref()
            .and_then(|b| Some((b, self.types.get(b)?.fields.as_ref()?)))
        {
            ours.extend(body_entries(body, fields));
        }
        let placeholders: Vec<&str> = ep
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let theirs: Vec<(&str, &Value)> = op
            .params
            .iter()
            // Not a path parameter of another route (see `official_differs: { route }`).
            .filter(|p| p.location != Location::Path || placeholders.contains(&p.name.as_str()))
            .map(|p| (p.name.as_str(), &p.schema))
            .collect();
        let omits = ep.official_differs.as_ref().map(|n| Omits {
            names: &n.omits,
            why: &n.why,
            at: NoteAt::Endpoint(name.to_owned()),
        });
        self.compare(
            section,
            &subject,
            "parameter",
            &theirs,
            ours,
            omits.as_ref(),
        );
    }

    /// Official properties against spec entries, one line per difference.
    fn compare(
        &mut self,
        section: &str,
        subject: &str,
        what: &str,
        theirs: &[(&str, &Value)],
        mut ours: BTreeMap<&str, Entry<'a>>,
        omits: Option<&Omits<'a>>,
    ) {
        for &(wire, schema) in theirs {
            let line = |rest: String| format!("{subject}: {what} `{wire}`{rest}");
            let Some(entry) = ours.remove(wire) else {
                let by = omits
                    .filter(|o| o.names.iter().any(|n| n == wire))
                    .map(|o| {
                        let why = o.why.as_str().to_owned();
                        let note = self.note(&o.at);
                        note.omitted.insert(wire.to_owned());
                        By::Note(why)
                    });
                self.differ(section, line(" only in official".into()), by);
                continue;
            };
            self.note(&entry.at).compared = true;
            let official = official_kind(schema);
            let Some(ours_kind) = Ours::of(entry.expr, &self.types) else {
                continue;
            };
            if official.is_some() && official == ours_kind.plain() {
                // The same kind.
            } else if let Some(rule) = official.and_then(|o| rule(o, ours_kind)) {
                let text = line(format!(
                    ": official {}, spec {}",
                    rule.official.as_str(),
                    entry.expr
                ));
                self.differ(section, text, Some(By::Rule(rule)));
            } else {
                let shown = official.map_or("untyped", OfficialKind::as_str);
                let text = line(format!(": official {shown}, spec {}", entry.expr));
                let by = entry
                    .note
                    .filter(|n| official.is_some_and(|o| n.differs == FieldDiffers::Kind(o)));
                let by = by.map(|n| {
                    self.note(&entry.at).used = true;
                    By::Note(n.why.as_str().to_owned())
                });
                self.differ(section, text, by);
            }
            for value in self.enum_values_lacking(schema, entry.expr) {
                let text = line(format!(
                    ": official value `{value}` missing from `{}`",
                    entry.expr
                ));
                self.differ(section, text, None);
            }
        }
        for (wire, entry) in ours {
            self.note(&entry.at).compared = true;
            let by = entry
                .note
                .filter(|n| n.differs == FieldDiffers::Absent)
                .map(|n| {
                    self.note(&entry.at).used = true;
                    By::Note(n.why.as_str().to_owned())
                });
            self.differ(
                section,
                format!("{subject}: {what} `{wire}` only in spec"),
                by,
            );
        }
        if let Some(o) = omits {
            self.note(&o.at).compared = true;
        }
    }

    /// Official enum values (of the schema or of its items) that our enum type does not list.
    fn enum_values_lacking(&self, schema: &Value, expr: &str) -> Vec<String> {
        let name = match TypeExpr::parse(expr) {
            Ok(TypeExpr::Named(n)) => n,
            Ok(TypeExpr::List(inner)) => match *inner {
                TypeExpr::Named(n) => n,
                _ => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        let Some(values) = self
            .types
            .get(name.as_str())
            .and_then(|t| t.enum_values.as_ref())
        else {
            return Vec::new();
        };
        let listed = schema
            .get("enum")
            .or_else(|| schema.get("items").and_then(|i| i.get("enum")));
        listed
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|v| !values.contains_key(*v))
            .map(str::to_owned)
            .collect()
    }

    /// Official definitions against spec types, envelopes and `official_response`s.
    pub(super) fn definitions(&mut self, from: &str) {
        let official = self.official;
        // Official names the spec refers to, with whether only deprecated endpoints do.
        let mut covered: BTreeMap<&str, bool> = BTreeMap::new();
        if let Some(name) = self.spec.service.envelope.official.as_deref() {
            covered.insert(name, false);
        }
        for c in &self.spec.categories {
            for t in c.types.values() {
                if let Some(name) = t.official.as_deref() {
                    covered.insert(name, false);
                }
            }
            for e in c.endpoints.values() {
                for name in &e.official_response {
                    let only_deprecated = covered.get(name.as_str()).copied().unwrap_or(true);
                    covered.insert(name, only_deprecated && e.deprecated.is_some());
                }
            }
        }
        for name in official.definitions.keys() {
            if !covered.contains_key(name.as_str()) {
                self.missing_definitions += 1;
                self.missing.push((
                    "(definitions)".into(),
                    format!("missing definition: {name}: cargo xtask import --from {from} {name}"),
                ));
            }
        }
        for (name, only_deprecated) in covered {
            if !official.definitions.contains_key(name) {
                let by = only_deprecated.then_some(By::Deprecated);
                self.differ("(definitions)", format!("{name}: only in spec"), by);
            }
        }
        let types: Vec<(&'a str, &'a TypeDef)> = self.types.iter().map(|(n, t)| (*n, *t)).collect();
        for (tname, t) in types {
            let (Some(def_name), Some(fields)) = (t.official.as_deref(), t.fields.as_ref()) else {
                continue;
            };
            let Some(def) = official.definitions.get(def_name) else {
                continue;
            };
            let props = official.properties(def);
            let theirs: Vec<(&str, &Value)> = props.iter().map(|(k, v)| (k.as_str(), v)).collect();
            let omits = t.official_differs.as_ref().map(|n| Omits {
                names: &n.omits,
                why: &n.why,
                at: NoteAt::Type(tname.to_owned()),
            });
            let subject = format!("{tname} ({def_name})");
            let ours = body_entries(tname, fields).collect();
            self.compare(
                "(definitions)",
                &subject,
                "field",
                &theirs,
                ours,
                omits.as_ref(),
            );
        }
    }
}

/// A struct's fields by wire name, each with its note.
fn body_entries<'s>(
    type_name: &str,
    fields: &'s indexmap::IndexMap<String, Field>,
) -> impl Iterator<Item = (&'s str, Entry<'s>)> {
    fields.iter().map(move |(n, f)| {
        let entry = Entry {
            expr: &f.ty,
            note: f.official.as_ref(),
            at: NoteAt::Field(type_name.to_owned(), n.clone()),
        };
        (f.wire.as_deref().unwrap_or(n), entry)
    })
}
