//! Snapshot tests over the fixture specs: the resolved model and each emitted file of every
//! `fixtures/ok/*` spec, and the rendered diagnostics of every `fixtures/broken/*` spec, one
//! snapshot each (`fixtures__<what>@<fixture>.snap`).

use std::path::{Path, PathBuf};

fn templates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates")
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// Runs `check` on every fixture directory of `fixtures/<kind>/`, with the snapshot suffix set
/// to the fixture's name (`glob!` alone leaves it empty when only one fixture matches), so
/// that each fixture has snapshots of its own and every mismatch is reported, not only the
/// first.
fn each_fixture(kind: &str, mut check: impl FnMut(&Path)) {
    insta::glob!("fixtures", &format!("{kind}/*"), |dir| {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(name(dir));
        settings.bind(|| check(dir));
    });
}

/// The model, and every emitted file as a snapshot of its own named after its path
/// (`src/types/mod.rs` -> `fixtures__src__types__mod.rs@everything.snap`).
#[test]
fn valid_fixtures_resolve_and_emit() {
    each_fixture("ok", |dir| {
        let out = generator::generate(dir, &templates())
            .unwrap_or_else(|r| panic!("{}: {r}", dir.display()));
        insta::assert_yaml_snapshot!("model", out.model);
        for (path, text) in &out.files {
            insta::assert_snapshot!(path.as_str(), text);
        }
    });
}

#[test]
fn broken_fixtures_report_every_problem_with_its_location() {
    let mut count = 0;
    each_fixture("broken", |dir| {
        count += 1;
        let report = match generator::generate(dir, &templates()) {
            Ok(_) => panic!("{} should not generate", dir.display()),
            Err(report) => report.to_string(),
        };
        assert!(
            report.contains(&format!("{}/", name(dir))),
            "{}: the report names the file",
            dir.display()
        );
        insta::assert_snapshot!("diagnostics", report);
    });
    assert!(count >= 12, "keep at least a dozen broken-spec fixtures");
}

#[test]
fn generation_is_deterministic() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let a = generator::generate(&spec, &templates()).unwrap();
    let b = generator::generate(&spec, &templates()).unwrap();
    assert_eq!(a.files, b.files);
}
