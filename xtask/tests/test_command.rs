//! `cargo xtask test` on a small workspace of its own with one insta snapshot: green as it is,
//! and failing, with nothing written, on a snapshot that differs, a missing one and a snapshot
//! file no test uses.
//!
//! The fixture builds insta (without its default features) offline from the packages this
//! workspace's `Cargo.lock` already fetched, in a target directory kept under this one's
//! `CARGO_TARGET_TMPDIR`, so only the first run on a machine compiles it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TEST: &str = r#"
#[test]
fn greeting() {
    insta::assert_snapshot!("greeting", "hello");
}
"#;

const SNAPSHOT: &str =
    "---\nsource: snaps/tests/pinned.rs\nexpression: \"\\\"hello\\\"\"\n---\nhello\n";

/// A workspace with the crate `snaps`, whose test compares with `SNAPSHOT`.
struct Fixture {
    root: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let root = tmp.join(format!("xtask-test-fixture-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let files = [
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"snaps\"]\nresolver = \"3\"\n",
            ),
            // What makes a directory a checkout for xtask.
            ("spec/service.yaml", ""),
            (
                "snaps/Cargo.toml",
                "[package]\nname = \"snaps\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
                 publish = false\n\n[dev-dependencies]\n\
                 insta = { version = \"1.49\", default-features = false }\n",
            ),
            ("snaps/src/lib.rs", "//! Only its test matters.\n"),
            ("snaps/tests/pinned.rs", TEST),
            ("snaps/tests/snapshots/pinned__greeting.snap", SNAPSHOT),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        std::fs::copy(lock, root.join("Cargo.lock")).unwrap();
        Fixture { root }
    }

    fn snapshots(&self) -> PathBuf {
        self.root.join("snaps/tests/snapshots")
    }

    fn xtask_test(&self) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("test")
            .current_dir(&self.root)
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("xtask-test-fixture-target"),
            )
            .env("CARGO_NET_OFFLINE", "true")
            // What a maintainer's shell may hold must not change the verdict.
            .env("INSTA_UPDATE", "always")
            .env("INSTA_FORCE_PASS", "1")
            .output()
            .unwrap()
    }

    /// Every file under the snapshot directory, with its contents.
    fn snapshot_files(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = std::fs::read_dir(self.snapshots())
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// One test, so that the steps share the fixture's build one after another.
#[test]
fn stale_missing_and_unused_snapshots_each_fail() {
    let fixture = Fixture::new();
    let snapshot = fixture.snapshots().join("pinned__greeting.snap");

    let output = fixture.xtask_test();
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("every snapshot file is used by a test (1)"),
        "{}",
        text(&output)
    );

    let stale = SNAPSHOT.replace("\nhello\n", "\nhello, world\n");
    std::fs::write(&snapshot, &stale).unwrap();
    let output = fixture.xtask_test();
    assert!(!output.status.success(), "a stale snapshot passed");
    assert!(text(&output).contains("tests failed"), "{}", text(&output));
    assert_eq!(
        fixture.snapshot_files(),
        [("pinned__greeting.snap".to_owned(), stale)],
        "the check wrote a snapshot file"
    );

    std::fs::remove_file(&snapshot).unwrap();
    let output = fixture.xtask_test();
    assert!(!output.status.success(), "a missing snapshot passed");
    assert!(
        fixture.snapshot_files().is_empty(),
        "the check wrote the missing snapshot"
    );

    std::fs::write(&snapshot, SNAPSHOT).unwrap();
    std::fs::write(fixture.snapshots().join("pinned__gone.snap"), SNAPSHOT).unwrap();
    let output = fixture.xtask_test();
    assert!(!output.status.success(), "an unused snapshot passed");
    let shown = Path::new("snaps/tests/snapshots/pinned__gone.snap");
    assert!(
        text(&output).contains(&format!(
            "snapshot files no test uses (delete them, or restore the test that used each):\n  \
             {}\n",
            shown.display()
        )),
        "{}",
        text(&output)
    );
    assert!(
        !text(&output).contains("pinned__greeting.snap"),
        "{}",
        text(&output)
    );
}
