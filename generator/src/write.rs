//! Step 5: bring a directory in line with a [`FilePlan`]: write what changed, delete what the
//! plan no longer has, and in check mode touch nothing and report the differences.

use std::collections::BTreeMap;
use std::path::Path;

/// Files of the generated crate: relative path (with `/`) -> contents.
pub type FilePlan = BTreeMap<String, String>;

/// What applying a plan did (or, in check mode, would do).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files created or rewritten.
    pub written: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
    /// Files deleted because the plan no longer has them.
    pub removed: Vec<String>,
}

impl Outcome {
    /// True when nothing had to change.
    pub fn is_clean(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// Applies `plan` to `root`; with `check` nothing is written and the outcome lists what differs.
pub fn apply(root: &Path, plan: &FilePlan, check: bool) -> std::io::Result<Outcome> {
    let mut outcome = Outcome::default();
    for (rel, contents) in plan {
        let path = root.join(rel);
        match std::fs::read(&path) {
            Ok(existing) if existing == contents.as_bytes() => outcome.unchanged += 1,
            _ => {
                outcome.written.push(rel.clone());
                if !check {
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::write(&path, contents)?;
                }
            }
        }
    }
    let mut existing = Vec::new();
    if root.exists() {
        list(root, root, &mut existing)?;
    }
    for rel in existing {
        if !plan.contains_key(&rel) {
            if !check {
                std::fs::remove_file(root.join(&rel))?;
            }
            outcome.removed.push(rel);
        }
    }
    if !check {
        remove_empty_dirs(root)?;
    }
    Ok(outcome)
}

/// Applies `plan` (paths relative to `root`) to the directories `owned` of `root`, each as
/// [`apply`] does: files elsewhere in `root` are neither written nor deleted. Outcome paths are
/// relative to `root`. A planned file outside every owned directory is an error.
pub fn apply_owned(
    root: &Path,
    owned: &[&str],
    plan: &FilePlan,
    check: bool,
) -> std::io::Result<Outcome> {
    if let Some(stray) = plan
        .keys()
        .find(|rel| !owned.iter().any(|dir| rel.starts_with(&format!("{dir}/"))))
    {
        return Err(std::io::Error::other(format!(
            "{stray} is outside the generator's directories {owned:?}"
        )));
    }
    let mut outcome = Outcome::default();
    for dir in owned {
        let prefix = format!("{dir}/");
        let part: FilePlan = plan
            .iter()
            .filter_map(|(rel, text)| Some((rel.strip_prefix(&prefix)?.to_owned(), text.clone())))
            .collect();
        let done = apply(&root.join(dir), &part, check)?;
        outcome
            .written
            .extend(done.written.iter().map(|rel| format!("{prefix}{rel}")));
        outcome
            .removed
            .extend(done.removed.iter().map(|rel| format!("{prefix}{rel}")));
        outcome.unchanged += done.unchanged;
    }
    Ok(outcome)
}

fn list(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            list(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}

fn remove_empty_dirs(dir: &Path) -> std::io::Result<bool> {
    let mut empty = true;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() && remove_empty_dirs(&path)? {
            std::fs::remove_dir(&path)?;
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("portone-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = scratch("apply");
        let mut plan = FilePlan::new();
        plan.insert("a.rs".into(), "a".into());
        plan.insert("sub/b.rs".into(), "b".into());
        assert_eq!(apply(&dir, &plan, false).unwrap().written.len(), 2);
        let again = apply(&dir, &plan, false).unwrap();
        assert!(again.is_clean());
        assert_eq!(again.unchanged, 2);

        std::fs::write(dir.join("stale.rs"), "old").unwrap();
        std::fs::write(dir.join("a.rs"), "edited by hand").unwrap();
        let check = apply(&dir, &plan, true).unwrap();
        assert_eq!(check.written, vec!["a.rs".to_owned()]);
        assert_eq!(check.removed, vec!["stale.rs".to_owned()]);
        assert_eq!(
            std::fs::read_to_string(dir.join("a.rs")).unwrap(),
            "edited by hand",
            "check mode writes nothing"
        );

        plan.remove("sub/b.rs");
        let fixed = apply(&dir, &plan, false).unwrap();
        assert_eq!(
            fixed.removed,
            vec!["stale.rs".to_owned(), "sub/b.rs".to_owned()]
        );
        assert!(!dir.join("sub").exists(), "empty directories go too");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn owned_directories_only() {
        let dir = scratch("owned");
        std::fs::create_dir_all(dir.join("src/spec")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "hand-written").unwrap();
        std::fs::write(dir.join("src/spec/stale.rs"), "old").unwrap();
        let mut plan = FilePlan::new();
        plan.insert("src/spec/mod.rs".into(), "table".into());
        plan.insert("tests/walk/main.rs".into(), "walk".into());
        let owned = ["src/spec", "tests/walk"];
        let check = apply_owned(&dir, &owned, &plan, true).unwrap();
        assert_eq!(check.written, ["src/spec/mod.rs", "tests/walk/main.rs"]);
        assert_eq!(check.removed, ["src/spec/stale.rs"]);
        apply_owned(&dir, &owned, &plan, false).unwrap();
        assert!(apply_owned(&dir, &owned, &plan, true).unwrap().is_clean());
        assert_eq!(
            std::fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
            "hand-written",
            "files outside the owned directories stay"
        );
        plan.insert("src/lib.rs".into(), "generated".into());
        assert!(apply_owned(&dir, &owned, &plan, false).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
