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
//!
//! One file per concern: `rules.rs` (the refinement rules and how a spec type and an official
//! one are each classified), `compare.rs` (the walk over operations and definitions that
//! records every difference with what explains it), `notes.rs` (which notes explained
//! something, and the stale ones as located warnings) and `report.rs` (the [`Drift`] report).

mod compare;
mod notes;
mod report;
mod rules;

pub use report::Drift;
pub use rules::{Ours, RULES, Rule};

use super::swagger::Swagger;
use crate::load::Loaded;

/// Compares the loaded spec with the official schema in `official_json`; `from` is the file's
/// path as the `cargo xtask import` commands in the report should name it.
pub fn drift(loaded: &Loaded, official_json: &str, from: &str) -> Result<Drift, String> {
    let official = Swagger::read(official_json)?;
    let mut cx = compare::Comparison::new(loaded, &official);
    cx.operations(from);
    cx.definitions(from);
    Ok(report::finish(cx))
}
