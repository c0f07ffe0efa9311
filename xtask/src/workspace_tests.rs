//! `cargo xtask test`: every test of the workspace as CI runs it, with nothing to install.
//!
//! It does what `cargo insta test --workspace --check --unreferenced=reject` does (cargo-insta
//! 1.49, the version of the `insta` crate in `Cargo.lock`) through insta's own environment
//! variables, so cargo-insta is needed only to review snapshots:
//! - `cargo test --workspace --no-fail-fast` (doctests included) with `INSTA_UPDATE=no` and
//!   `INSTA_FORCE_PASS=0`: a snapshot that differs, or a missing one, fails its test, and no
//!   snapshot file is written, whatever the caller's environment says.
//! - `INSTA_SNAPSHOT_REFERENCES_FILE`: insta appends to that file the path of every snapshot
//!   file an assertion compared with. After a green run, a `.snap` file of the workspace that
//!   is not in it belongs to no test any more (a test or fixture renamed or removed): the
//!   command lists each one and fails.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the tests of the workspace at `root`, then rejects unreferenced snapshot files.
pub fn run(root: &Path) -> Result<(), String> {
    let references = std::env::temp_dir().join(format!(
        "portone-insta-references-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(cargo)
        .args(["test", "--workspace", "--no-fail-fast"])
        .current_dir(root)
        .env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_SNAPSHOT_REFERENCES_FILE", &references)
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"));
    // No file when no assertion compared with a snapshot file.
    let listed = std::fs::read_to_string(&references).unwrap_or_default();
    let _ = std::fs::remove_file(&references);
    if !status?.success() {
        return Err(
            "tests failed (see above). A snapshot that differs is shown as a diff; `cargo xtask \
             review` records the new ones as .snap.new files to review"
                .into(),
        );
    }
    let referenced: BTreeSet<PathBuf> = listed.lines().filter_map(canonical).collect();
    let unreferenced = unreferenced(root, &referenced)?;
    if unreferenced.is_empty() {
        println!(
            "every test passed, and every snapshot file is used by a test ({})",
            referenced.len()
        );
        return Ok(());
    }
    let mut message = String::from(
        "snapshot files no test uses (delete them, or restore the test that used each):\n",
    );
    for file in &unreferenced {
        let shown = file.strip_prefix(root).unwrap_or(file);
        message.push_str(&format!("  {}\n", shown.display()));
    }
    Err(message)
}

/// The `.snap` files under `root` (hidden directories and `target` left out) that are not in
/// `referenced`, sorted.
pub fn unreferenced(root: &Path, referenced: &BTreeSet<PathBuf>) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    dirs.push(path);
                }
            } else if name.ends_with(".snap")
                && !canonical(&path).is_some_and(|p| referenced.contains(&p))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn canonical(path: impl AsRef<Path>) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}
