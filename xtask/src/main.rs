//! `cargo xtask`: a thin command line over the `generator` crate.
//!
//! - `cargo xtask gen`            regenerate `generated/` from `spec/` and `templates/`
//! - `cargo xtask gen --check`    fail (listing the files) when `generated/` is stale
//! - `cargo xtask drift --against FILE`   compare `spec/` with an official schema file
//! - `cargo xtask conformance-schemas --from FILE [--from FILE...]`   trim official schema
//!   files into `generator/tests/conformance/requests.json` (see `generator::conformance`)
//! - `cargo xtask compile-times [--runs N] [--every-category] [--non-incremental]`
//!   time clean builds of the generated crate (see `compile_times.rs`)
//! - `cargo xtask categories`     print the category keys (= cargo features) of `spec/`, one a
//!   line (for `.ci/features`)

mod compile_times;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen"] => generate(&root, false),
        ["gen", "--check"] => generate(&root, true),
        ["drift", "--against", file] => drift(&root, Path::new(file)),
        ["categories"] => categories(&root),
        ["conformance-schemas", rest @ ..] => conformance_schemas(&root, rest),
        ["compile-times", options @ ..] => compile_times::Options::parse(options)
            .and_then(|options| compile_times::run(&root, &options)),
        _ => Err(format!(
            "usage:\n  cargo xtask gen [--check]\n  cargo xtask drift --against FILE\n  \
             cargo xtask conformance-schemas --from FILE [--from FILE...]\n  \
             cargo xtask compile-times [--runs N] [--every-category] [--non-incremental]\n  \
             cargo xtask categories\n\ngot: {}",
            args.join(" ")
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `spec/`, or the directory in `PORTONE_SPEC_DIR` (used to try a spec change in a copy).
fn spec_dir(root: &Path) -> PathBuf {
    std::env::var_os("PORTONE_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("spec"))
}

fn drift(root: &Path, file: &Path) -> Result<(), String> {
    let loaded = generator::load::load_dir(&spec_dir(root)).map_err(|r| r.to_string())?;
    generator::validate::validate(&loaded).map_err(|r| r.to_string())?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let drift = generator::drift::drift(&loaded.spec, &text)?;
    print!("{}", drift.text);
    if drift.missing_operations > 0 || drift.missing_definitions > 0 {
        return Err(format!(
            "{} lacks what {} has",
            spec_dir(root).display(),
            file.display()
        ));
    }
    Ok(())
}

/// One category key per line: the cargo features of the generated crate, apart from `legacy`
/// and `blocking`.
fn categories(root: &Path) -> Result<(), String> {
    let loaded = generator::load::load_dir(&spec_dir(root)).map_err(|r| r.to_string())?;
    generator::validate::validate(&loaded).map_err(|r| r.to_string())?;
    for category in generator::resolve::resolve(&loaded.spec).categories {
        println!("{}", category.key);
    }
    Ok(())
}

/// Where `conformance-schemas` writes, relative to the workspace root.
const REQUEST_SCHEMAS: &str = "generator/tests/conformance/requests.json";

fn conformance_schemas(root: &Path, args: &[&str]) -> Result<(), String> {
    let mut files = Vec::new();
    let mut rest = args;
    while let ["--from", file, more @ ..] = rest {
        files.push(PathBuf::from(file));
        rest = more;
    }
    if files.is_empty() || !rest.is_empty() {
        return Err("usage: cargo xtask conformance-schemas --from FILE [--from FILE...]".into());
    }
    let texts = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let text = generator::conformance::request_schemas(&texts)?;
    let out = root.join(REQUEST_SCHEMAS);
    if std::fs::read_to_string(&out).is_ok_and(|old| old == text) {
        println!("{REQUEST_SCHEMAS} is up to date");
        return Ok(());
    }
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("wrote {REQUEST_SCHEMAS}");
    Ok(())
}

fn generate(root: &Path, check: bool) -> Result<(), String> {
    let started = Instant::now();
    let generated =
        generator::generate(&spec_dir(root), &root.join("templates")).map_err(|r| r.to_string())?;
    if generated.warnings.warnings() > 0 {
        eprintln!("{}", generated.warnings);
    }
    let outcome = generator::write::apply(&root.join("generated"), &generated.files, check)
        .map_err(|e| format!("cannot write generated/: {e}"))?;
    let endpoints: usize = generated
        .model
        .categories
        .iter()
        .map(|c| c.endpoints.len())
        .sum();
    let types: usize = generated.model.modules.iter().map(|m| m.types.len()).sum();
    if check {
        if outcome.is_clean() {
            println!("generated/ is up to date ({} files)", outcome.unchanged);
            return Ok(());
        }
        let mut message =
            String::from("generated/ is stale; run `cargo xtask gen` and commit the result:\n");
        for f in &outcome.written {
            message.push_str(&format!("  differs: generated/{f}\n"));
        }
        for f in &outcome.removed {
            message.push_str(&format!("  not produced by the generator: generated/{f}\n"));
        }
        return Err(message);
    }
    println!(
        "{endpoints} endpoints, {types} types: {} files written, {} unchanged, {} removed in {:.0?}",
        outcome.written.len(),
        outcome.unchanged,
        outcome.removed.len(),
        started.elapsed()
    );
    Ok(())
}
