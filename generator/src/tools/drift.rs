//! `cargo xtask drift`: compares `spec/` with an official Swagger 2.0 file and lists only the
//! news: differences nothing explains, what the file has that `spec/` lacks (each with the
//! `cargo xtask import` command that adds it), and notes in `spec/` that no longer explain
//! anything. Explained differences are counted in one summary line.
//!
//! A difference is explained either by a refinement rule ([`RULES`], the only place drift
//! accepts a type difference without a note) or by a note next to the item in `spec/`:
//! `official: { type: ..., why: ... }` or `official: { absent: true, why: ... }` on a field or
//! parameter, `official_differs: { route: ..., omits: [...], why: ... }` on an endpoint,
//! `official_differs: { omits: [...], why: ... }` on a type, or `deprecated:` on an endpoint
//! PortOne dropped. Operations are matched by method and path, types by `official:`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::load::Loaded;
use crate::spec::{
    CategoryFile, Endpoint, Field, FieldDiffers, FieldNote, OfficialKind, Spec, TypeDef, Why,
};
use crate::types_expr::{Scalar, TypeExpr};

/// The outcome of a comparison.
#[derive(Debug)]
pub struct Drift {
    /// The report: unexplained differences and missing items by section, stale notes, the
    /// summary line of explained differences, and a last line with every count.
    pub text: String,
    /// Every explained difference with what explains it (`cargo xtask drift --explained`).
    pub explained: String,
    /// Operations in the official file but not in `spec/`.
    pub missing_operations: usize,
    /// Definitions in the official file that no spec type or endpoint accounts for.
    pub missing_definitions: usize,
    /// Differences explained by a refinement rule.
    pub by_rule: usize,
    /// Differences explained by a `why:` note in `spec/`.
    pub by_note: usize,
    /// Endpoints missing from the file because PortOne dropped them (`deprecated:`).
    pub by_deprecation: usize,
    /// Differences nothing explains.
    pub unexplained: usize,
    /// Notes in `spec/` that explain no difference in this file.
    pub stale_notes: usize,
}

impl Drift {
    /// Whether the file brings no news: nothing unexplained, missing or stale.
    pub fn is_clean(&self) -> bool {
        self.unexplained == 0
            && self.stale_notes == 0
            && self.missing_operations == 0
            && self.missing_definitions == 0
    }
}

/// A refinement drift accepts without a note in `spec/`: ours is the official type made more
/// precise, and nothing the service sends or accepts changes.
#[derive(Debug)]
pub struct Rule {
    /// The official kind of type.
    pub official: OfficialKind,
    /// Ours.
    pub ours: Ours,
    /// Why it is safe on the wire.
    pub why: &'static str,
}

impl Rule {
    /// `official -> ours`, e.g. `integer -> timestamp`.
    pub fn name(&self) -> String {
        format!("{} -> {}", self.official.as_str(), self.ours.name())
    }
}

/// The refinement rules, each with its reason.
pub const RULES: &[Rule] = &[
    Rule {
        official: OfficialKind::Integer,
        ours: Ours::Timestamp,
        why: "a time in UNIX seconds: the same integer on the wire, and `Timestamp` also reads \
              PortOne's ways of saying \"no such time\" (0, null, \"\") as none",
    },
    Rule {
        official: OfficialKind::Integer,
        ours: Ours::Amount,
        why: "money: `Amount` reads integers and writes a whole amount as a JSON integer, and \
              also carries the decimals some PGs use",
    },
    Rule {
        official: OfficialKind::Number,
        ours: Ours::Amount,
        why: "money: the same JSON number, typed so that it is not mixed up with other numbers",
    },
    Rule {
        official: OfficialKind::String,
        ours: Ours::Enum,
        why: "the same strings: our enums are open (a value they do not list still decodes and \
              is kept), and drift reports every official value an enum lacks",
    },
    Rule {
        official: OfficialKind::Object,
        ours: Ours::Json,
        why: "an object the official schema does not describe: `json` holds any JSON value",
    },
];

/// What a spec type expression is on the wire, for comparing with an official kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Ours {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    Timestamp,
    Amount,
    Enum,
    Json,
}

impl Ours {
    /// Our kind for a type expression (`None` when it does not parse).
    fn of(expr: &str, types: &BTreeMap<&str, &TypeDef>) -> Option<Ours> {
        Some(match TypeExpr::parse(expr).ok()? {
            TypeExpr::Scalar(s) => match s {
                Scalar::String => Ours::String,
                Scalar::Integer => Ours::Integer,
                Scalar::Number => Ours::Number,
                Scalar::Boolean => Ours::Boolean,
                Scalar::Amount => Ours::Amount,
                Scalar::Timestamp => Ours::Timestamp,
                Scalar::Json => Ours::Json,
            },
            TypeExpr::List(_) => Ours::Array,
            TypeExpr::Map(_) => Ours::Object,
            TypeExpr::Named(n) => match types.get(n.as_str()) {
                Some(t) if t.enum_values.is_some() => Ours::Enum,
                _ => Ours::Object,
            },
        })
    }

    /// The official kind that is exactly this one, if any.
    fn plain(self) -> Option<OfficialKind> {
        match self {
            Ours::String => Some(OfficialKind::String),
            Ours::Integer => Some(OfficialKind::Integer),
            Ours::Number => Some(OfficialKind::Number),
            Ours::Boolean => Some(OfficialKind::Boolean),
            Ours::Array => Some(OfficialKind::Array),
            Ours::Object => Some(OfficialKind::Object),
            Ours::Timestamp | Ours::Amount | Ours::Enum | Ours::Json => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Ours::Timestamp => "timestamp",
            Ours::Amount => "amount",
            Ours::Enum => "enum",
            Ours::Json => "json",
            plain => plain.plain().map_or("", OfficialKind::as_str),
        }
    }
}

/// The rule that accepts `ours` where the official schema says `official`, if any.
fn rule(official: OfficialKind, ours: Ours) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.official == official && r.ours == ours)
}

/// Compares the loaded spec with the official schema in `official_json`; `from` is the file's
/// path as the `cargo xtask import` commands in the report should name it.
pub fn drift(loaded: &Loaded, official_json: &str, from: &str) -> Result<Drift, String> {
    let official = Official::parse(official_json)?;
    let mut cx = Comparison::new(loaded, &official);
    cx.operations(from);
    cx.definitions(from);
    Ok(cx.finish())
}

/// What explains a difference.
enum By {
    Rule(&'static Rule),
    Note(String),
    Deprecated,
}

struct Difference {
    section: String,
    text: String,
    by: Option<By>,
}

/// Where a note lives in the spec, to find it again and to point at it when it is stale.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum NoteAt {
    Field(String, String),
    Param(String, String),
    Endpoint(String),
    Type(String),
}

/// What happened to one note during the comparison.
#[derive(Default)]
struct NoteUse {
    /// Its item was compared with the file.
    compared: bool,
    /// It explained a difference (field, parameter and `route` notes).
    used: bool,
    /// The names of an `omits:` list that explained a difference.
    omitted: BTreeSet<String>,
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

struct Comparison<'a> {
    loaded: &'a Loaded,
    spec: &'a Spec,
    official: &'a Official,
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// Spec endpoints by (METHOD, path).
    ours: BTreeMap<(String, String), (&'a CategoryFile, &'a str, &'a Endpoint)>,
    differences: Vec<Difference>,
    missing: Vec<(String, String)>,
    missing_operations: usize,
    missing_definitions: usize,
    notes: BTreeMap<NoteAt, NoteUse>,
}

impl<'a> Comparison<'a> {
    fn new(loaded: &'a Loaded, official: &'a Official) -> Self {
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
            notes: BTreeMap::new(),
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
        self.notes.entry(at.clone()).or_default()
    }

    /// Official operations against spec endpoints, both ways.
    fn operations(&mut self, from: &str) {
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
                    let name = match op.id() {
                        Some(id) if official.operations_with_id(id) == 1 => id.to_owned(),
                        _ => format!("\"{} {}\"", op.method, op.path),
                    };
                    let id = op.id().unwrap_or("no operationId");
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
            .params()
            .filter_map(|p| Some((p.get("name")?.as_str()?, p)))
            .filter(|(n, p)| {
                // A path parameter of another route (see `official_differs: { route }`).
                p.get("in").and_then(Value::as_str) != Some("path") || placeholders.contains(n)
            })
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
    fn definitions(&mut self, from: &str) {
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

    /// Notes that explain nothing here, as located warnings.
    fn stale(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for c in &self.spec.categories {
            let mut at = |path: Vec<&str>, key: NoteAt, message: String| {
                let Some(u) = self.notes.get(&key) else {
                    return;
                };
                if !u.compared {
                    return;
                }
                let mut d =
                    Diagnostic::warning(c.file, self.loaded.index.key(c.file, &path), message);
                d.label("stale note").hint(
                    "PortOne may have fixed its schema: check the difference and remove or \
                     correct the note",
                );
                out.push(d);
            };
            for (name, ep) in &c.endpoints {
                let key = NoteAt::Endpoint(name.clone());
                if let Some(note) = &ep.official_differs {
                    let u = self.notes.get(&key);
                    let path = vec!["endpoints", name.as_str(), "official_differs"];
                    if note.route.is_some() && !u.is_some_and(|u| u.used) {
                        let message = format!(
                            "`official_differs.route` of `{name}` explains nothing: the file has \
                             {} {} itself, or not the route the note names",
                            ep.method.as_str(),
                            ep.path
                        );
                        at(path.clone(), key.clone(), message);
                    }
                    let unused = unused_omits(&note.omits, u);
                    if !unused.is_empty() {
                        let message = format!(
                            "`official_differs.omits` of `{name}` names {unused}, which is not \
                             an official parameter the endpoint lacks"
                        );
                        at(path, key, message);
                    }
                }
                for (pname, p) in &ep.params {
                    if p.official.is_some() {
                        let key = NoteAt::Param(name.clone(), pname.clone());
                        let path = vec!["endpoints", name.as_str(), "params", pname, "official"];
                        if !self.notes.get(&key).is_some_and(|u| u.used) {
                            let message =
                                format!("the note on parameter `{pname}` of `{name}` {STALE}");
                            at(path, key, message);
                        }
                    }
                }
            }
            for (tname, t) in &c.types {
                if let Some(note) = &t.official_differs {
                    let key = NoteAt::Type(tname.clone());
                    let unused = unused_omits(&note.omits, self.notes.get(&key));
                    if !unused.is_empty() {
                        let path = vec!["types", tname.as_str(), "official_differs"];
                        let message = format!(
                            "`official_differs.omits` of `{tname}` names {unused}, which is not \
                             an official field the type lacks"
                        );
                        at(path, key, message);
                    }
                }
                for (fname, f) in t.fields.iter().flatten() {
                    if f.official.is_some() {
                        let key = NoteAt::Field(tname.clone(), fname.clone());
                        let path = vec!["types", tname.as_str(), "fields", fname, "official"];
                        if !self.notes.get(&key).is_some_and(|u| u.used) {
                            let message = format!("the note on field `{tname}.{fname}` {STALE}");
                            at(path, key, message);
                        }
                    }
                }
            }
        }
        out
    }

    fn finish(self) -> Drift {
        let mut sections: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut explained: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let (mut by_rule, mut by_note, mut by_deprecation, mut unexplained) = (0, 0, 0, 0);
        for d in &self.differences {
            let reason = match &d.by {
                None => {
                    unexplained += 1;
                    sections.entry(&d.section).or_default().push(&d.text);
                    continue;
                }
                Some(By::Rule(r)) => {
                    by_rule += 1;
                    format!("rule {}", r.name())
                }
                Some(By::Note(why)) => {
                    by_note += 1;
                    format!("why: {why}")
                }
                Some(By::Deprecated) => {
                    by_deprecation += 1;
                    "deprecated: PortOne dropped it".to_owned()
                }
            };
            explained
                .entry(&d.section)
                .or_default()
                .push(format!("{}\n      {reason}", d.text));
        }
        for (section, line) in &self.missing {
            sections.entry(section).or_default().push(line);
        }
        let stale = self.stale();
        let mut text = String::new();
        for (section, lines) in &sections {
            let _ = writeln!(text, "== {section}");
            for l in lines {
                let _ = writeln!(text, "  {l}");
            }
        }
        if !stale.is_empty() {
            let _ = writeln!(text, "== (stale notes in spec/)");
            let _ = writeln!(text, "{}", self.loaded.sources.report(stale.clone()));
        }
        let total = by_rule + by_note + by_deprecation;
        let _ = writeln!(
            text,
            "{total} differences explained ({by_rule} by refinement rules, {by_note} by `why:` \
             notes and {by_deprecation} by `deprecated:` entries in spec/)"
        );
        let _ = writeln!(
            text,
            "unexplained differences: {unexplained}, missing operations: {}, missing \
             definitions: {}, stale notes: {}",
            self.missing_operations,
            self.missing_definitions,
            stale.len()
        );
        let mut listing = String::from("refinement rules:\n");
        for r in RULES {
            let _ = writeln!(listing, "  {}: {}", r.name(), r.why);
        }
        for (section, lines) in &explained {
            let _ = writeln!(listing, "== {section}");
            for l in lines {
                let _ = writeln!(listing, "  {l}");
            }
        }
        Drift {
            text,
            explained: listing,
            missing_operations: self.missing_operations,
            missing_definitions: self.missing_definitions,
            by_rule,
            by_note,
            by_deprecation,
            unexplained,
            stale_notes: stale.len(),
        }
    }
}

const STALE: &str = "explains no difference: the official schema has what the note says it \
                     lacks, or a different type than the note records";

/// The names of an `omits:` list that explained nothing, quoted, or "" when all did (or the
/// item was not compared).
fn unused_omits(omits: &[String], used: Option<&NoteUse>) -> String {
    let Some(u) = used.filter(|u| u.compared) else {
        return String::new();
    };
    omits
        .iter()
        .filter(|n| !u.omitted.contains(*n))
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
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

/// The kind of type an official parameter or property has (`None`: it gives none). A
/// parameter with `type: array` and a `schema` is an array of that schema; any other schema or
/// reference is an object.
fn official_kind(schema: &Value) -> Option<OfficialKind> {
    let ty = schema.get("type").and_then(Value::as_str);
    if ty != Some("array")
        && (schema.get("$ref").is_some()
            || schema.get("schema").is_some()
            || schema.get("properties").is_some())
    {
        return Some(OfficialKind::Object);
    }
    serde_json::from_value(Value::String(ty?.to_owned())).ok()
}

/// An official Swagger 2.0 file, read for drift and import.
pub(crate) struct Official {
    pub(crate) definitions: Map<String, Value>,
    /// Every operation, sorted by path and method.
    pub(crate) operations: Vec<Operation>,
}

/// One official operation.
pub(crate) struct Operation {
    /// Upper case.
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) op: Value,
}

impl Operation {
    pub(crate) fn id(&self) -> Option<&str> {
        self.op.get("operationId").and_then(Value::as_str)
    }

    pub(crate) fn params(&self) -> impl Iterator<Item = &Value> {
        self.op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    }

    /// The schema of the 200 response, if any.
    pub(crate) fn ok_schema(&self) -> Option<&Value> {
        self.op.get("responses")?.get("200")?.get("schema")
    }
}

impl Official {
    pub(crate) fn parse(json: &str) -> Result<Official, String> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| format!("not a JSON schema file: {e}"))?;
        let paths = value
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("the file has no `paths` object")?;
        let mut operations = Vec::new();
        for (path, ops) in paths {
            for (method, op) in ops.as_object().into_iter().flatten() {
                if method.starts_with("x-") || method == "parameters" {
                    continue;
                }
                operations.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    op: op.clone(),
                });
            }
        }
        operations.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        let definitions = value
            .get("definitions")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        Ok(Official {
            definitions,
            operations,
        })
    }

    pub(crate) fn operation(&self, method: &str, path: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| o.method == method && o.path == path)
    }

    pub(crate) fn operations_with_id(&self, id: &str) -> usize {
        self.operations
            .iter()
            .filter(|o| o.id() == Some(id))
            .count()
    }

    /// The definition a schema refers to by `$ref`.
    pub(crate) fn target<'v>(&'v self, schema: &'v Value) -> Option<(&'v str, &'v Value)> {
        let name = ref_name(schema)?;
        Some((name, self.definitions.get(name)?))
    }

    /// The properties of a schema, including those it gets through `allOf` (the official
    /// envelopes are `allOf[ResponseAnnotation, {response}]`).
    pub(crate) fn properties(&self, schema: &Value) -> Map<String, Value> {
        let mut out = Map::new();
        self.merge(schema, &mut out, |s| s.get("properties"), 0);
        out
    }

    /// The names a schema (or its `allOf` parts) lists as `required`.
    pub(crate) fn required(&self, schema: &Value) -> BTreeSet<String> {
        let mut out = Map::new();
        self.merge(schema, &mut out, |s| s.get("required"), 0);
        out.into_iter().map(|(k, _)| k).collect()
    }

    /// Collects the entries `get` finds in a schema and in its `allOf` parts (references
    /// followed), as a map (a `required` list becomes its names).
    fn merge(
        &self,
        schema: &Value,
        out: &mut Map<String, Value>,
        get: fn(&Value) -> Option<&Value>,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        let schema = self.target(schema).map_or(schema, |(_, def)| def);
        match get(schema) {
            Some(Value::Object(map)) => out.extend(map.clone()),
            Some(Value::Array(names)) => {
                out.extend(
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|n| (n.to_owned(), Value::Null)),
                );
            }
            _ => {}
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.merge(part, out, get, depth + 1);
        }
    }

    /// Every definition an operation's parameters and 200 response reach, directly or
    /// through other definitions.
    pub(crate) fn reached_by(&self, op: &Operation) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&Value> = op.params().collect();
        todo.extend(op.ok_schema());
        while let Some(v) = todo.pop() {
            match v {
                Value::Object(map) => {
                    if let Some((name, def)) = self.target(v) {
                        if seen.insert(name.to_owned()) {
                            todo.push(def);
                        }
                    }
                    todo.extend(map.values());
                }
                Value::Array(items) => todo.extend(items),
                _ => {}
            }
        }
        seen
    }
}

/// The definition name of a `$ref` (`#/definitions/PaymentAnnotation` -> `PaymentAnnotation`).
pub(crate) fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
}

/// The category file an official operation belongs in.
pub(crate) enum Home<'s> {
    /// An existing category.
    Category(&'s CategoryFile),
    /// A category `spec/` does not have yet: its key, and the official category id it covers.
    New {
        key: String,
        official: Option<String>,
    },
}

/// The category of an official operation: the one whose `official:` list has the operation's
/// `x-portone-category`; for a file without those ids, the category most of the spec's
/// endpoints with the operation's first tag are in; otherwise a new one named after the
/// official category (or tag).
pub(crate) fn home<'s>(spec: &'s Spec, official: &Official, op: &Operation) -> Home<'s> {
    let category = op.op.get("x-portone-category").and_then(Value::as_str);
    if let Some(id) = category {
        if let Some(c) = spec
            .categories
            .iter()
            .find(|c| c.official.iter().any(|o| o == id))
        {
            return Home::Category(c);
        }
    }
    let tag = |o: &Operation| {
        o.op.get("tags")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let own_tag = tag(op);
    if category.is_none() && own_tag.is_some() {
        let mut votes: BTreeMap<&str, (usize, &CategoryFile)> = BTreeMap::new();
        for other in official.operations.iter().filter(|o| tag(o) == own_tag) {
            for c in &spec.categories {
                if c.endpoints
                    .values()
                    .any(|e| e.method.as_str() == other.method && e.path == other.path)
                {
                    votes.entry(&c.category).or_insert((0, c)).0 += 1;
                }
            }
        }
        if let Some((_, c)) = votes.into_values().max_by_key(|(n, _)| *n) {
            return Home::Category(c);
        }
    }
    let named = category.map(str::to_owned).or(own_tag).unwrap_or_default();
    let key = crate::naming::category_from_official(&named);
    match spec.categories.iter().find(|c| c.category == key) {
        Some(c) => Home::Category(c),
        None => Home::New {
            key,
            official: category.map(str::to_owned),
        },
    }
}
