//! Step 2: semantic checks over the loaded spec, producing the [`CheckedSpec`] that `resolve`
//! consumes. Every problem is collected (none stops the others) and reported with the location
//! of the offending node.
//!
//! Each check returns the checked value it could build, or `None` after reporting why it could
//! not; a part that failed is left out of later checks that depend on it, so one mistake is not
//! reported again as a consequence elsewhere.

mod cli;
mod docs;
mod endpoints;
mod enums;
mod fake;
mod fields;
mod flows;
mod names;
mod paging;
mod paths;
mod types;
mod unions;
mod webhook;

use std::collections::HashMap;

use crate::checked::{self, CheckedSpec, CheckedType, TypeId};
use crate::diagnostics::{Diagnostic, Report, Severity};
use crate::load::Loaded;
use crate::naming;
use crate::spec;

/// A spec without errors, checked, and the warnings found on the way.
pub struct Validated {
    /// The checked spec, ready to resolve.
    pub spec: CheckedSpec,
    /// Warnings that do not stop generation.
    pub warnings: Report,
}

/// Checks the spec; returns it checked (with the warnings) on success and every error (and
/// warning) otherwise.
pub fn validate(loaded: &Loaded) -> Result<Validated, Report> {
    let mut v = Validator::new(loaded);
    v.duplicate_keys();
    let service = v.service();
    v.declare_types();
    let types = v.type_defs();
    v.cycles();
    let categories = v.categories();
    let webhook = v.webhook();
    let flows = v.flows(categories.as_deref(), &types);
    let fake = v.fake(&types);
    if let Some(categories) = &categories {
        v.commands(categories, &types, flows.as_ref().and_then(Option::as_ref));
    }
    v.duplicate_docs();
    let failed = v.out.iter().any(|d| d.severity == Severity::Error);
    let report = loaded.sources.report(v.out);
    let spec = (|| {
        Some(CheckedSpec {
            service: service?,
            categories: categories?,
            types: all(types)?,
            webhook: webhook?,
            flows: flows?,
            fake: fake?,
        })
    })();
    // A check returns `None` only after reporting an error, so `spec` is `Some` exactly when
    // nothing failed (the fuzz test holds every rejection to carrying an error).
    match spec {
        Some(spec) if !failed => Ok(Validated {
            spec,
            warnings: report,
        }),
        _ => Err(report),
    }
}

/// Keeps the results of checks that all ran (collect them before calling this) if every one
/// passed.
fn all<T>(results: Vec<Option<T>>) -> Option<Vec<T>> {
    results.into_iter().collect()
}

/// An optional part of the spec: `Some(None)` when it is absent, `None` when it is present
/// and did not check.
fn if_present<T>(part: Option<Option<T>>) -> Option<Option<T>> {
    part.map_or(Some(None), |checked| checked.map(Some))
}

/// A type declaration: the first definition of a name (later ones are reported as duplicates).
#[derive(Clone, Copy)]
struct Decl<'a> {
    file: usize,
    name: &'a str,
    def: &'a spec::TypeDef,
}

/// What a type pages over, as far as its checked parts tell.
#[derive(Debug, Clone, PartialEq)]
enum PageItem {
    /// Its pages hold items of this type.
    Item(CheckedType),
    /// It is not a page, nor a union of pages and lists.
    NotPaged,
    /// A part it depends on did not check (and was reported).
    Unchecked,
}

struct Validator<'a> {
    loaded: &'a Loaded,
    out: Vec<Diagnostic>,
    /// Declarations, indexed by [`TypeId`].
    decls: Vec<Decl<'a>>,
    /// Every type name -> its id.
    names: HashMap<&'a str, TypeId>,
    /// The types each category declares (first definitions), by category position.
    declared_in: Vec<Vec<TypeId>>,
    /// Named types each type holds directly (fields and variants without a list or map).
    direct: Vec<Vec<TypeId>>,
    /// What each type pages over.
    page_items: Vec<PageItem>,
    /// The variant types of each union (empty for other types), `None` where one did not check.
    variant_types: Vec<Vec<Option<CheckedType>>>,
}

impl<'a> Validator<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        Validator {
            loaded,
            // The files that did not load are reported with everything the others show.
            out: loaded.problems.clone(),
            decls: Vec::new(),
            names: HashMap::new(),
            declared_in: Vec::new(),
            direct: Vec::new(),
            page_items: Vec::new(),
            variant_types: Vec::new(),
        }
    }

    fn err(
        &mut self,
        file: usize,
        path: &[&str],
        at_key: bool,
        message: String,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(
            file,
            self.span(file, path, at_key),
            message,
        ))
    }

    fn warn(
        &mut self,
        file: usize,
        path: &[&str],
        at_key: bool,
        message: String,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::warning(
            file,
            self.span(file, path, at_key),
            message,
        ))
    }

    fn span(&self, file: usize, path: &[&str], at_key: bool) -> std::ops::Range<usize> {
        if at_key {
            self.loaded.index.key(&self.loaded.sources, file, path)
        } else {
            self.loaded.index.value(&self.loaded.sources, file, path)
        }
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.out.push(d);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    fn service(&mut self) -> Option<checked::Service> {
        let file = self.loaded.service_file;
        let svc = &self.loaded.spec.service;
        let doc = svc.doc.as_deref().map(str::trim).unwrap_or_default();
        if doc.is_empty() {
            self.err(
                file,
                &[],
                false,
                "service.yaml needs a `doc` for the crate".into(),
            );
        }
        if !naming::is_crate_name(&svc.crate_name) {
            self.err(
                file,
                &["crate"],
                false,
                format!("`{}` is not a crate name", svc.crate_name),
            )
            .hint(
                "use ASCII letters, digits, `-` and `_`, starting with a letter, e.g. `portone-v1`",
            );
        }
        let numbers: Vec<&str> = svc.version.split('.').collect();
        let semver = numbers.len() == 3
            && numbers
                .iter()
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !semver {
            self.err(
                file,
                &["version"],
                false,
                format!("`{}` is not a plain MAJOR.MINOR.PATCH version", svc.version),
            )
            .hint("the crate and its runtime are published under this version, e.g. `0.2.0`");
        }
        if !svc.base_url.starts_with("https://") {
            self.err(
                file,
                &["base_url"],
                false,
                "the base URL must use https".into(),
            );
        }
        (!doc.is_empty()).then(|| checked::Service {
            crate_name: svc.crate_name.clone(),
            version: svc.version.clone(),
            title: svc.title.clone(),
            base_url: svc.base_url.clone(),
            doc: doc.to_owned(),
        })
    }
}
