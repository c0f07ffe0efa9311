//! Snapshot tests over the fixture specs: the resolved model and emitted files of every
//! `fixtures/ok/*` spec, and the rendered diagnostics of every `fixtures/broken/*` spec.

use std::path::{Path, PathBuf};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

fn templates() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates")
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn valid_fixtures_resolve_and_emit() {
    for dir in fixtures("ok") {
        let out = generator::generate(&dir, &templates())
            .unwrap_or_else(|r| panic!("{}: {r}", dir.display()));
        insta::assert_yaml_snapshot!(format!("{}_model", name(&dir)), out.model);
        let rust: String = out
            .files
            .iter()
            .filter(|(path, _)| {
                path.starts_with("src/types/")
                    || path.starts_with("src/endpoints/")
                    || path.starts_with("tests/contract/cases")
            })
            .map(|(path, text)| format!("==> {path}\n{text}\n"))
            .collect();
        insta::assert_snapshot!(format!("{}_code", name(&dir)), rust);
        insta::assert_snapshot!(format!("{}_readme", name(&dir)), out.files["README.md"]);
    }
}

#[test]
fn broken_fixtures_report_every_problem_with_its_location() {
    let broken = fixtures("broken");
    assert!(
        broken.len() >= 12,
        "keep at least a dozen broken-spec fixtures"
    );
    for dir in broken {
        let report = match generator::generate(&dir, &templates()) {
            Ok(_) => panic!("{} should not generate", dir.display()),
            Err(report) => report.to_string(),
        };
        assert!(
            report.contains(&format!("{}/", name(&dir))),
            "{}: the report names the file",
            dir.display()
        );
        insta::assert_snapshot!(format!("broken_{}", name(&dir)), report);
    }
}

#[test]
fn generation_is_deterministic() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let a = generator::generate(&spec, &templates()).unwrap();
    let b = generator::generate(&spec, &templates()).unwrap();
    assert_eq!(a.files, b.files);
}
