//! The maintainers' tools, apart from the pipeline: each reads the spec (or the public API
//! listing the pipeline wrote) and an outside file, and none is used by `generate`.
//!
//! - [`drift`]: what an official Swagger file has that `spec/` does not explain.
//! - [`import`]: the skeleton of a missing official operation or definition, added to `spec/`.
//! - [`conformance`]: official Swagger files trimmed into the request schemas the conformance
//!   test checks the contract tests' samples against.
//! - [`semver`]: what a change to `generated/public-api.txt` means for users.
//!
//! The first three read official files through one reader, `swagger.rs` (operations,
//! parameters, definitions, properties through `allOf`, `$ref`s); `home.rs` says which
//! category file of `spec/` an official operation belongs in, for drift's report and import.

pub mod conformance;
pub mod drift;
mod home;
pub mod import;
pub mod semver;
mod swagger;
