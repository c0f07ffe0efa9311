//! The portone-v1 code generator.
//!
//! The pipeline is `load -> validate -> resolve -> emit -> write`, one module per step:
//! [`load`] reads `spec/` into plain structs plus a location index, [`validate`] collects every
//! problem as a [`diagnostics::Diagnostic`] and hands on a [`checked::CheckedSpec`],
//! [`resolve`] lowers that into the [`model`] with final Rust names, [`emit`] turns the model
//! into files, and [`write`](mod@write) brings a directory in line with those files (or, in
//! check mode, only reports what differs).
//!
//! [`tools`] holds what maintainers run beside the pipeline (comparing `spec/` with an
//! official schema, importing from one, classifying API changes); the pipeline never uses it.

pub mod checked;
pub mod diagnostics;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
mod parallel;
pub mod resolve;
pub mod spec;
pub mod tools;
pub mod types_expr;
pub mod validate;
pub mod write;

use std::path::Path;

pub use diagnostics::Report;
pub use write::{FilePlan, Outcome};

/// Everything one generation produced: the resolved model and the files to write.
pub struct Generated {
    /// The resolved model (also snapshot-tested on its own).
    pub model: model::Model,
    /// Files of the generated crate, relative to its root, sorted by path.
    pub files: FilePlan,
    /// Generated files of the crates the generator writes in part (the fake PortOne, the
    /// command-line tool), each relative to its directory and inside its owned directories.
    pub parts: Vec<(emit::Part, FilePlan)>,
    /// Warnings that did not stop generation.
    pub warnings: Report,
}

/// Runs load, validate, resolve and emit over `spec_dir` with the templates in `templates_dir`.
///
/// Returns the rendered diagnostics when the spec has errors.
pub fn generate(spec_dir: &Path, templates_dir: &Path) -> Result<Generated, Report> {
    let loaded = load::load_dir_partial(spec_dir)?;
    let validated = validate::validate(&loaded)?;
    let model = resolve::resolve(&validated.spec);
    let templates = emit::Templates::load(templates_dir).map_err(Report::message)?;
    let (files, parts) = emit::all(&model, &templates).map_err(Report::message)?;
    Ok(Generated {
        model,
        files,
        parts,
        warnings: validated.warnings,
    })
}
