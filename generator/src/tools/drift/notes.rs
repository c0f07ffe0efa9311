//! The notes in `spec/` that explain differences (`official:`, `official_differs:`): where
//! each one is, what happened to it during a comparison, and the stale ones (notes that
//! explained nothing in this file) as located warnings.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostic;
use crate::load::Loaded;

/// Where a note lives in the spec, to find it again and to point at it when it is stale.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum NoteAt {
    Field(String, String),
    Param(String, String),
    Endpoint(String),
    Type(String),
}

/// What happened to one note during the comparison.
#[derive(Default)]
pub(super) struct NoteUse {
    /// Its item was compared with the file.
    pub(super) compared: bool,
    /// It explained a difference (field, parameter and `route` notes).
    pub(super) used: bool,
    /// The names of an `omits:` list that explained a difference.
    pub(super) omitted: BTreeSet<String>,
}

/// What happened to each note the comparison met.
#[derive(Default)]
pub(super) struct Notes(BTreeMap<NoteAt, NoteUse>);

impl Notes {
    /// The record of the note at `at`, made on first use.
    pub(super) fn at(&mut self, at: &NoteAt) -> &mut NoteUse {
        self.0.entry(at.clone()).or_default()
    }

    fn get(&self, at: &NoteAt) -> Option<&NoteUse> {
        self.0.get(at)
    }

    /// Notes of `loaded` that explain nothing here, as located warnings.
    pub(super) fn stale(&self, loaded: &Loaded) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for c in &loaded.spec.categories {
            let mut at = |path: Vec<&str>, key: NoteAt, message: String| {
                let Some(u) = self.get(&key) else {
                    return;
                };
                if !u.compared {
                    return;
                }
                let mut d = Diagnostic::warning(
                    c.file,
                    loaded.index.key(&loaded.sources, c.file, &path),
                    message,
                );
                d.label("stale note").hint(
                    "PortOne may have fixed its schema: check the difference and remove or \
                     correct the note",
                );
                out.push(d);
            };
            for (name, ep) in &c.endpoints {
                let key = NoteAt::Endpoint(name.clone());
                if let Some(note) = &ep.official_differs {
                    let u = self.get(&key);
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
                        if !self.get(&key).is_some_and(|u| u.used) {
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
                    let unused = unused_omits(&note.omits, self.get(&key));
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
                        if !self.get(&key).is_some_and(|u| u.used) {
                            let message = format!("the note on field `{tname}.{fname}` {STALE}");
                            at(path, key, message);
                        }
                    }
                }
            }
        }
        out
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
