//! Step 1: read `spec/` into [`Spec`] plus a [`LocationIndex`] for diagnostics.

mod locate;

use std::path::Path;

pub use locate::{Duplicate, LocationIndex, SyntaxError};
use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Report, Sources};
use crate::spec::{CategoryFile, Service, Spec};

/// The spec with everything needed to point at its text.
pub struct Loaded {
    /// The parsed spec.
    pub spec: Spec,
    /// The source texts.
    pub sources: Sources,
    /// Where every node is.
    pub index: LocationIndex,
    /// File id of `service.yaml`.
    pub service_file: usize,
    /// Errors of the category files that did not load (syntax, unknown keys, wrong value
    /// types); `validate` reports them with its own.
    pub problems: Vec<Diagnostic>,
    /// The category files that did not load: their text is in `sources`, their content is not
    /// in `spec`.
    pub broken: Vec<usize>,
}

impl Loaded {
    /// The spec only if every file loaded, for the commands that need all of it.
    pub fn complete(self) -> Result<Loaded, Report> {
        if self.problems.is_empty() {
            Ok(self)
        } else {
            Err(self.sources.report(self.problems))
        }
    }
}

/// Loads `service.yaml` and every other `*.yaml` file of `dir` (in name order); fails unless
/// every file loads.
pub fn load_dir(dir: &Path) -> Result<Loaded, Report> {
    load_dir_partial(dir)?.complete()
}

/// Like [`load_dir`], but keeps going past category files that do not load (see
/// [`load_texts_partial`]).
pub fn load_dir_partial(dir: &Path) -> Result<Loaded, Report> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Report::message(format!("cannot read spec directory {}: {e}", dir.display())))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    names.sort();
    if !names.iter().any(|n| n == "service.yaml") {
        return Err(Report::message(format!(
            "{} has no service.yaml",
            dir.display()
        )));
    }
    let prefix = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut files = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Report::message(format!("cannot read {}: {e}", path.display())))?;
        files.push((format!("{prefix}/{name}"), text));
    }
    load_texts_partial(files)
}

/// Loads already-read files; the one whose name ends in `service.yaml` is the service file.
/// Fails unless every file loads.
pub fn load_texts(files: Vec<(String, String)>) -> Result<Loaded, Report> {
    load_texts_partial(files)?.complete()
}

/// Loads already-read files, keeping every category file that loads: a broken one is listed
/// in [`Loaded::broken`] with its errors in [`Loaded::problems`], so that validation can still
/// check the others. Fails only when `service.yaml` does not load, as nothing can be checked
/// without it.
pub fn load_texts_partial(files: Vec<(String, String)>) -> Result<Loaded, Report> {
    let mut sources = Sources::default();
    let mut ids = Vec::new();
    for (name, text) in files {
        // A byte-order mark is not YAML content; editors on some systems add one.
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text);
        let is_service = name.ends_with("/service.yaml") || name == "service.yaml";
        ids.push((sources.add(name, text), is_service));
    }
    // Each file is scanned and deserialized on its own, on every core; the results are taken
    // in file order, so diagnostics come in the same order as from one thread.
    let read = crate::parallel::map(&ids, |&(file, is_service)| {
        read_file(&sources, file, is_service)
    })
    .map_err(Report::message)?;
    let mut duplicates = Vec::new();
    let mut problems = Vec::new();
    let mut service = None;
    let mut categories = Vec::new();
    let mut service_file = 0;
    let mut broken = Vec::new();
    for (&(file, _), (twice, content)) in ids.iter().zip(read) {
        duplicates.extend(twice);
        match content {
            Content::Service(Ok(s)) => {
                service_file = file;
                service = Some(*s);
            }
            Content::Service(Err(d)) => {
                service_file = file;
                problems.push(*d);
            }
            Content::Category(Ok(mut category)) => {
                category.file = file;
                categories.push(*category);
            }
            Content::Category(Err(d)) => {
                problems.push(*d);
                broken.push(file);
            }
        }
    }
    let index = LocationIndex::new(ids.len(), duplicates);
    match service {
        Some(service) => Ok(Loaded {
            spec: Spec {
                service,
                categories,
            },
            sources,
            index,
            service_file,
            problems,
            broken,
        }),
        None if problems.is_empty() => Err(Report::message("the spec has no service.yaml")),
        None => Err(sources.report(problems)),
    }
}

/// What one file holds, or why it does not load.
enum Content {
    Service(Result<Box<Service>, Box<Diagnostic>>),
    Category(Result<Box<CategoryFile>, Box<Diagnostic>>),
}

/// Checks one file's syntax and keys (see [`locate::check`]) and deserializes it. A syntax
/// error makes a broken category file, or a service file that did not load.
fn read_file(sources: &Sources, file: usize, is_service: bool) -> (Vec<Duplicate>, Content) {
    let (duplicates, walked) = locate::check(sources, file);
    let scanned = walked.map_err(|e| syntax_error(sources, file, e));
    let content = if is_service {
        Content::Service(scanned.and_then(|()| parse::<Service>(sources, file).map(Box::new)))
    } else {
        Content::Category(scanned.and_then(|()| parse::<CategoryFile>(sources, file).map(Box::new)))
    };
    (duplicates, content)
}

/// The diagnostic of a file the YAML parser gave up on.
fn syntax_error(sources: &Sources, file: usize, e: SyntaxError) -> Box<Diagnostic> {
    let mut d = Diagnostic::error(
        file,
        e.at..e.at,
        format!("YAML syntax error: {}", e.message),
    );
    d.label("the YAML parser stopped here");
    if let Some(open) = e.unclosed {
        d.secondary(
            open.start..open.start + 1,
            "this collection is never closed",
        );
    }
    if let Some(tab) = tab_in_indentation(sources.text(file), e.at) {
        d.secondary(tab..tab + 1, "a tab (shown as `→`)")
            .hint("YAML indentation must use spaces; replace the tab with spaces");
    }
    Box::new(d)
}

/// The first tab in the indentation of the line holding `at` or of the next one (the parser
/// may stop on the line before the tab's, at the scalar the tab ends).
fn tab_in_indentation(text: &str, at: usize) -> Option<usize> {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let next_start = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    [line_start, next_start].into_iter().find_map(|start| {
        let indent = text[start..]
            .find(|c: char| c != ' ' && c != '\t')
            .map_or(text.len(), |i| start + i);
        text[start..indent].find('\t').map(|i| start + i)
    })
}

/// Deserializes one file, turning a type error into a diagnostic at the offending node.
fn parse<T: DeserializeOwned>(sources: &Sources, file: usize) -> Result<T, Box<Diagnostic>> {
    let de = serde_yaml::Deserializer::from_str(sources.text(file));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path: Vec<String> = err.path().iter().map(|s| s.to_string()).collect();
        let inner = err.inner();
        let node = || {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            locate::value_span(sources, file, &path)
        };
        let span = match inner.location() {
            Some(loc) => {
                let at = sources.offset(file, loc.line(), loc.column().saturating_sub(1));
                let node = node();
                if node.start == at { node } else { at..at }
            }
            None => node(),
        };
        let message = inner.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        let shown = if path.is_empty() {
            String::from("(top level)")
        } else {
            path.join(".")
        };
        let mut d = Diagnostic::error(file, span, format!("invalid spec at `{shown}`: {message}"));
        d.label("here");
        Box::new(d)
    })
}
