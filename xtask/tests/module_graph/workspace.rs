//! The workspace's targets, listed by `cargo metadata` and read into module trees once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::tree::Tree;

/// The workspace as `cargo metadata` describes it.
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    /// Every target, with its modules.
    pub(crate) targets: Vec<(Target, Tree)>,
    /// The `src/` directory of every member that has one.
    pub(crate) source_dirs: Vec<PathBuf>,
}

/// One crate the compiler builds: a member's library, binary, test, example, bench or build
/// script.
pub(crate) struct Target {
    pub(crate) package: String,
    pub(crate) is_lib: bool,
    pub(crate) label: String,
}

/// The workspace, read once for all the tests.
pub(crate) fn workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(read_workspace)
}

pub(crate) fn read_workspace() -> Workspace {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let text = |value: &serde_json::Value| value.as_str().expect("a string").to_owned();
    let root = PathBuf::from(text(&metadata["workspace_root"]));
    let mut targets = Vec::new();
    let mut source_dirs = Vec::new();
    for package in metadata["packages"].as_array().expect("packages") {
        let name = text(&package["name"]);
        let manifest = PathBuf::from(text(&package["manifest_path"]));
        let src = manifest.parent().expect("a directory").join("src");
        if src.is_dir() {
            source_dirs.push(src);
        }
        for target in package["targets"].as_array().expect("targets") {
            let kinds: Vec<String> = target["kind"]
                .as_array()
                .expect("kinds")
                .iter()
                .map(text)
                .collect();
            let root_file = PathBuf::from(text(&target["src_path"]));
            let shown = root_file.strip_prefix(&root).unwrap_or(&root_file);
            let label = format!(
                "{name} {} `{}` ({})",
                kinds.join(","),
                text(&target["name"]),
                shown.display()
            );
            let tree = Tree::read(&root_file).unwrap_or_else(|e| panic!("{label}: {e}"));
            let target = Target {
                package: name.clone(),
                is_lib: kinds.iter().any(|kind| kind == "lib"),
                label,
            };
            targets.push((target, tree));
        }
    }
    Workspace {
        root,
        targets,
        source_dirs,
    }
}

pub(crate) fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}
