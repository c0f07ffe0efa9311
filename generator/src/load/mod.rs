//! Step 1: read `spec/` into [`Spec`] plus a [`LocationIndex`] for diagnostics.

mod locate;

use std::path::Path;

pub use locate::{LocationIndex, SyntaxError};
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
}

/// Loads `service.yaml` and every other `*.yaml` file of `dir` (in name order).
pub fn load_dir(dir: &Path) -> Result<Loaded, Report> {
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
    load_texts(files)
}

/// Loads already-read files; the one whose name ends in `service.yaml` is the service file.
pub fn load_texts(files: Vec<(String, String)>) -> Result<Loaded, Report> {
    let mut sources = Sources::default();
    let mut index = LocationIndex::default();
    let mut problems = Vec::new();
    let mut service = None;
    let mut categories = Vec::new();
    let mut service_file = 0;
    for (name, text) in files {
        // A byte-order mark is not YAML content; editors on some systems add one.
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text);
        let is_service = name.ends_with("/service.yaml") || name == "service.yaml";
        let file = sources.add(name, text);
        if let Err(e) = index.add_file(&sources, file) {
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
            problems.push(d);
            continue;
        }
        if is_service {
            service_file = file;
            service = parse::<Service>(&sources, &index, file)
                .map_err(|d| problems.push(*d))
                .ok();
        } else if let Ok(mut category) =
            parse::<CategoryFile>(&sources, &index, file).map_err(|d| problems.push(*d))
        {
            category.file = file;
            categories.push(category);
        }
    }
    match service {
        Some(service) if problems.is_empty() => Ok(Loaded {
            spec: Spec {
                service,
                categories,
            },
            sources,
            index,
            service_file,
        }),
        _ => {
            if problems.is_empty() {
                return Err(Report::message("the spec has no service.yaml"));
            }
            Err(sources.report(problems))
        }
    }
}

/// Deserializes one file, turning a type error into a diagnostic at the offending node.
fn parse<T: DeserializeOwned>(
    sources: &Sources,
    index: &LocationIndex,
    file: usize,
) -> Result<T, Box<Diagnostic>> {
    let de = serde_yaml::Deserializer::from_str(sources.text(file));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path: Vec<String> = err.path().iter().map(|s| s.to_string()).collect();
        let inner = err.inner();
        let span = match inner.location() {
            Some(loc) => {
                let at = sources.offset(file, loc.line(), loc.column().saturating_sub(1));
                let node = index.value(file, &path.iter().map(String::as_str).collect::<Vec<_>>());
                if node.start == at { node } else { at..at }
            }
            None => index.value(file, &path.iter().map(String::as_str).collect::<Vec<_>>()),
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
