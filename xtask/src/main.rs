//! `cargo xtask`: a thin command line over the `generator` crate.
//!
//! - `cargo xtask gen`            regenerate `generated/` (and the generated directories of the
//!   fake and the command-line tool, `generator::emit::PARTS`) from `spec/` and `templates/`
//! - `cargo xtask gen --check`    fail (listing the files) when `generated/` is stale
//! - `cargo xtask test`           every test of the workspace as CI runs it: a snapshot that
//!   differs or is missing fails, and so does a snapshot file no test uses (see
//!   `workspace_tests.rs`)
//! - `cargo xtask review`         gen, every test binary (not stopping at a failure), then
//!   `cargo insta review` when cargo-insta is installed
//! - `cargo xtask semver [--base REV]`   fail when a breaking API change lacks its version bump
//! - `cargo xtask drift --against FILE [--explained]`   what an official schema file brings
//!   that `spec/` does not explain (see `generator::tools::drift`)
//! - `cargo xtask import --from FILE NAME`   add the skeleton of an official operation or
//!   definition to `spec/` (see `generator::tools::import`)
//! - `cargo xtask conformance-schemas --from FILE [--from FILE...]`   trim official schema
//!   files into `generator/tests/conformance/requests.json` (see `generator::tools::conformance`)
//! - `cargo xtask compile-times [--runs N] [--every-category] [--non-incremental]`
//!   time clean builds of the generated crate (see `compile_times.rs`)
//! - `cargo xtask categories`     print the category keys (= cargo features) of `spec/`, one a
//!   line (for `.ci/features`)

mod compile_times;
mod workspace_tests;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  cargo xtask gen [--check]                regenerate generated/ (or fail when it is stale)
  cargo xtask test                         every test, as CI runs it: differing, missing and
                                           unused snapshots fail (needs no cargo-insta)
  cargo xtask review                       gen, every test binary (not stopping at a failure),
                                           then the snapshot review
  cargo xtask semver [--base REV]          fail when a breaking API change lacks its version bump
  cargo xtask drift --against FILE [--explained]
                                           what an official schema file has that spec/ does
                                           not explain (--explained: list the explained too)
  cargo xtask import --from FILE NAME      add an official operation (operationId or
                                           \"METHOD /path\") or definition to spec/, docs to write
  cargo xtask conformance-schemas --from FILE [--from FILE...]
  cargo xtask compile-times [--runs N] [--every-category] [--non-incremental]
  cargo xtask categories                   the spec's category keys, one a line
  cargo xtask --help                       this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(
        args.first().map(String::as_str),
        Some("--help" | "-h" | "help")
    ) {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let root = match std::env::current_dir()
        .map_err(|e| e.to_string())
        .and_then(|dir| workspace_root(&dir))
    {
        Ok(root) => root,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen"] => generate(&root, false),
        ["gen", "--check"] => generate(&root, true),
        ["test"] => workspace_tests::run(&root),
        ["review"] => review(&root),
        ["semver"] => semver(&root, None),
        ["semver", "--base", rev] => semver(&root, Some(rev)),
        ["drift", "--against", file] => drift(&root, Path::new(file), false),
        ["drift", "--against", file, "--explained"] => drift(&root, Path::new(file), true),
        ["import", "--from", file, name] => import(&root, Path::new(file), name),
        ["categories"] => categories(&root),
        ["conformance-schemas", rest @ ..] => conformance_schemas(&root, rest),
        ["compile-times", options @ ..] => compile_times::Options::parse(options)
            .and_then(|options| compile_times::run(&root, &spec_dir(&root), &options)),
        _ => Err(format!("{USAGE}\n\ngot: {}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The checkout xtask is run in: the nearest directory at or above `start` that holds both a
/// `Cargo.toml` and `spec/service.yaml`. Found at run time, never from the path xtask was
/// compiled in, because a target directory shared between checkouts runs whichever checkout's
/// binary was built last.
fn workspace_root(start: &Path) -> Result<PathBuf, String> {
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file() && dir.join("spec/service.yaml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "{} is not inside a portone-v1 checkout (no Cargo.toml with spec/service.yaml \
                 above it)",
                start.display()
            )
        })
}

/// `spec/`, or the directory in `PORTONE_SPEC_DIR` (used to try a spec change in a copy).
fn spec_dir(root: &Path) -> PathBuf {
    std::env::var_os("PORTONE_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("spec"))
}

fn drift(root: &Path, file: &Path, explained: bool) -> Result<(), String> {
    let loaded = generator::load::load_dir(&spec_dir(root)).map_err(|r| r.to_string())?;
    generator::validate::validate(&loaded).map_err(|r| r.to_string())?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let drift = generator::tools::drift::drift(&loaded, &text, &file.display().to_string())?;
    if explained {
        print!("{}", drift.explained);
    }
    print!("{}", drift.text);
    if drift.is_clean() {
        Ok(())
    } else {
        Err(format!(
            "{} has news for {}: see the lines above",
            file.display(),
            spec_dir(root).display()
        ))
    }
}

/// `cargo xtask import --from FILE NAME`: see `generator::tools::import`.
fn import(root: &Path, file: &Path, name: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let imported = generator::tools::import::import(&spec_dir(root), &text, name)?;
    let shown = imported.file.strip_prefix(root).unwrap_or(&imported.file);
    println!(
        "{} {}: {}",
        if imported.created {
            "created"
        } else {
            "added to"
        },
        shown.display(),
        imported.added.join(", ")
    );
    println!(
        "next: write the {} docs and Korean labels marked `{}` and `{}` in your own words \
         (validation refuses the spec until then), use `timestamp`, `amount` or an enum type \
         where they fit, then `cargo xtask review`",
        imported.placeholders,
        generator::tools::import::DOC_PLACEHOLDER,
        generator::tools::import::LABEL_PLACEHOLDER
    );
    Ok(())
}

/// One category key per line: the cargo features of the generated crate, apart from `legacy`
/// and `blocking`.
fn categories(root: &Path) -> Result<(), String> {
    let loaded = generator::load::load_dir(&spec_dir(root)).map_err(|r| r.to_string())?;
    let validated = generator::validate::validate(&loaded).map_err(|r| r.to_string())?;
    for category in generator::resolve::resolve(&validated.spec).categories {
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
    let text = generator::tools::conformance::request_schemas(&texts)?;
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
    let listing_path = root.join("generated").join(generator::emit::PUBLIC_API);
    let old_listing = std::fs::read_to_string(&listing_path).ok();
    let mut outcome = generator::write::apply(&root.join("generated"), &generated.files, check)
        .map_err(|e| format!("cannot write generated/: {e}"))?;
    let shown = |dir: &str, files: &[String]| -> Vec<String> {
        files.iter().map(|f| format!("{dir}/{f}")).collect()
    };
    outcome.written = shown("generated", &outcome.written);
    outcome.removed = shown("generated", &outcome.removed);
    for (part, files) in &generated.parts {
        let done = generator::write::apply_owned(&root.join(part.dir), part.owned, files, check)
            .map_err(|e| format!("cannot write {}/: {e}", part.dir))?;
        outcome.written.extend(shown(part.dir, &done.written));
        outcome.removed.extend(shown(part.dir, &done.removed));
        outcome.unchanged += done.unchanged;
    }
    let endpoints: usize = generated
        .model
        .categories
        .iter()
        .map(|c| c.endpoints.len())
        .sum();
    let types: usize = generated.model.modules.iter().map(|m| m.types.len()).sum();
    if check {
        if outcome.is_clean() {
            println!(
                "generated files are up to date ({} files)",
                outcome.unchanged
            );
            return Ok(());
        }
        let mut message = String::from(
            "generated files are stale; run `cargo xtask gen` and commit the result:\n",
        );
        for f in &outcome.written {
            message.push_str(&format!("  differs: {f}\n"));
        }
        for f in &outcome.removed {
            message.push_str(&format!("  not produced by the generator: {f}\n"));
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
    let new_listing = generated
        .files
        .get(generator::emit::PUBLIC_API)
        .ok_or("the generator wrote no public API listing")?;
    if let Some(old) = old_listing {
        let change = generator::tools::semver::classify(&old, new_listing);
        if change.level == generator::tools::semver::Level::Unchanged && !outcome.is_clean() {
            println!("public API: unchanged (docs or internals only)");
        } else {
            println!("{}", change.describe());
        }
        let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap_or_default();
        if let Err(message) = generator::tools::semver::check_bump(&change, &changelog) {
            println!("warning: `cargo xtask semver` (run by CI) will refuse this: {message}");
        }
    }
    Ok(())
}

/// `cargo xtask review`: the maintainer's loop in one command. Regenerates, runs every test
/// binary of the workspace without stopping at the first failure (snapshot mismatches are
/// recorded as `.snap.new` files instead of failing, so the later binaries still run), then
/// opens `cargo insta review` when cargo-insta is installed.
fn review(root: &Path) -> Result<(), String> {
    generate(root, false)?;
    let run = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .current_dir(root)
            .env("INSTA_FORCE_PASS", "1")
            .env("INSTA_UPDATE", "new")
            .status()
            .map_err(|e| format!("cannot run {program}: {e}"))
    };
    let tests = run("cargo", &["test", "--workspace", "--no-fail-fast"])?;
    let insta = std::process::Command::new("cargo")
        .args(["insta", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if insta {
        let pending = run("cargo", &["insta", "pending-snapshots", "--workspace"])?;
        if pending.success() {
            run("cargo", &["insta", "review", "--workspace"])?;
        }
    } else {
        println!(
            "snapshot changes are in *.snap.new files; install cargo-insta \
             (`cargo install cargo-insta --locked`) and run `cargo insta review` to accept them"
        );
    }
    println!(
        "next: say what changed for users in CHANGELOG.md; `cargo xtask semver` tells whether \
         the version must grow"
    );
    if tests.success() {
        Ok(())
    } else {
        Err("some tests failed (see above); snapshot mismatches alone do not fail here".into())
    }
}

/// `cargo xtask semver [--base REV]`: classifies the change from a baseline listing to the
/// current `generated/public-api.txt` and fails when a breaking change lacks the version bump
/// and CHANGELOG entry semver requires.
///
/// Without `--base`, the baseline is the listing that started the current version (the oldest
/// committed listing in the newest run of commits with the version the current listing has),
/// so the API can only grow within one version however many commits land at once; when the
/// current version is new, it is the newest committed listing (the previous version's API).
fn semver(root: &Path, base: Option<&str>) -> Result<(), String> {
    let path = format!("generated/{}", generator::emit::PUBLIC_API);
    let current = std::fs::read_to_string(root.join(&path))
        .map_err(|e| format!("cannot read {path}: {e}"))?;
    let baseline = match base {
        Some(rev) => {
            git(root, &["show", &format!("{rev}:{path}")]).map(|text| (rev.to_owned(), text))
        }
        None => version_baseline(root, &path, &current),
    };
    let Some((rev, old)) = baseline else {
        println!("semver: no committed {path} to compare with; nothing to check");
        return Ok(());
    };
    let change = generator::tools::semver::classify(&old, &current);
    println!("semver: against {path} at {rev}\n{}", change.describe());
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap_or_default();
    generator::tools::semver::check_bump(&change, &changelog)
}

/// The committed listing that started the current listing's version (see [`semver`]).
fn version_baseline(root: &Path, path: &str, current: &str) -> Option<(String, String)> {
    let version = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("# The public API of "))
            .and_then(|h| h.split(' ').nth(1))
            .map(|v| v.trim_end_matches(',').to_owned())
    };
    let wanted = version(current)?;
    let log = git(root, &["log", "--format=%H", "-n", "200", "--", path])?;
    let mut baseline = None;
    for rev in log.lines() {
        let text = git(root, &["show", &format!("{rev}:{path}")])?;
        let same = version(&text).as_deref() == Some(wanted.as_str());
        match (same, &baseline) {
            (true, _) => baseline = Some((rev.to_owned(), text)),
            (false, None) => return Some((rev.to_owned(), text)),
            (false, Some(_)) => break,
        }
    }
    baseline
}

/// The output of a git command run in `root`, or `None` when git fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = std::process::Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
