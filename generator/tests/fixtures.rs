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
/// (`src/types/mod.rs` -> `fixtures__src__types__mod.rs@everything.snap`; the files of the
/// fake and the command-line tool under `fake/` and `cli/`).
#[test]
fn valid_fixtures_resolve_and_emit() {
    each_fixture("ok", |dir| {
        let out = generator::generate(dir, &templates())
            .unwrap_or_else(|r| panic!("{}: {r}", dir.display()));
        insta::assert_yaml_snapshot!("model", out.model);
        for (path, text) in &out.files {
            insta::assert_snapshot!(path.as_str(), text);
        }
        for (part, files) in &out.parts {
            for (path, text) in files {
                insta::assert_snapshot!(format!("{}/{path}", part.dir), text);
            }
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

/// One rendered diagnostic: its message, where it points and its hint.
struct Shown {
    message: String,
    file: String,
    line: usize,
    column: usize,
    hint: Option<String>,
}

/// Reads the rendered report back into its diagnostics.
fn shown(report: &str) -> Vec<Shown> {
    let mut out: Vec<Shown> = Vec::new();
    for line in report.lines() {
        if let Some(message) = line.strip_prefix("error: ") {
            out.push(Shown {
                message: message.to_owned(),
                file: String::new(),
                line: 0,
                column: 0,
                hint: None,
            });
        } else if let (Some(at), Some(last)) =
            (line.trim_start().strip_prefix("┌─ "), out.last_mut())
        {
            let mut parts = at.rsplitn(3, ':');
            last.column = parts.next().unwrap().parse().unwrap();
            last.line = parts.next().unwrap().parse().unwrap();
            last.file = parts.next().unwrap().to_owned();
        } else if let (Some(hint), Some(last)) = (line.split_once("= hint: "), out.last_mut()) {
            last.hint = Some(hint.1.to_owned());
        }
    }
    out
}

/// The text between the first pair of backticks after `marker` in `text`.
fn quoted_after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let rest = &rest[rest.find('`')? + 1..];
    Some(&rest[..rest.find('`')?])
}

/// The spec change a hint proposes, applied to the text of its file, or `None` when the hint
/// proposes nothing mechanical (a choice of name, a doc to write).
fn apply(d: &Shown, text: &str) -> Option<(String, String, String)> {
    let hint = d.hint.as_deref()?;
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let line = &mut lines[d.line - 1];
    let at: usize = line.char_indices().nth(d.column - 1).map(|(i, _)| i)?;
    let (old, new) = if let Some(new) = quoted_after(hint, "did you mean") {
        (quoted_after(&d.message, "unknown type")?, new)
    } else {
        let new = quoted_after(hint, "final Rust names: use")?;
        let end = line[at..]
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .map_or(line.len(), |i| at + i);
        (&line[at..end], new)
    };
    let (old, new) = (old.to_owned(), new.to_owned());
    let start = at + line[at..].find(&old)?;
    line.replace_range(start..start + old.len(), &new);
    if let Some(wire) = quoted_after(hint, "with").and_then(|w| w.strip_prefix("wire: ")) {
        // A flow mapping after the key takes the entry inline; a block one a line below.
        let wire_entry = format!("wire: {wire}");
        match line[start..].find("{ ") {
            Some(open) => line.insert_str(start + open + 2, &format!("{wire_entry}, ")),
            None => {
                let indent = " ".repeat(start + 2);
                lines.insert(d.line, format!("{indent}{wire_entry}"));
            }
        }
    }
    Some((lines.join("\n") + "\n", old, new))
}

/// The diagnostics of a spec given as (file name, text) pairs.
fn check(files: &[(String, String)]) -> Vec<Shown> {
    let loaded = generator::load::load_texts_partial(files.to_vec());
    match loaded.map(|l| generator::validate::validate(&l).map(|_| ())) {
        Ok(Ok(())) => Vec::new(),
        Ok(Err(report)) | Err(report) => shown(&report.to_string()),
    }
}

/// The error messages of a spec.
fn errors(files: &[(String, String)]) -> Vec<String> {
    check(files).into_iter().map(|d| d.message).collect()
}

/// Every hint that proposes a mechanical spec change (a new name, with `wire:` where the hint
/// says so; a defined type for an unknown one) fixes its problem and causes no new one.
#[test]
fn applying_a_hint_fixes_its_problem_and_nothing_else() {
    let mut applied = 0;
    each_fixture("broken", |dir| {
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .map(|p| {
                let shown = format!("{}/{}", name(dir), p.file_name().unwrap().to_string_lossy());
                (shown, std::fs::read_to_string(p).unwrap())
            })
            .collect();
        files.sort();
        let diagnostics = check(&files);
        let before: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
        for d in diagnostics {
            let i = files.iter().position(|(n, _)| *n == d.file).unwrap();
            let Some((fixed, old, new)) = apply(&d, &files[i].1) else {
                continue;
            };
            applied += 1;
            let mut edited = files.clone();
            edited[i].1 = fixed;
            let after = errors(&edited);
            assert!(
                !after.contains(&d.message),
                "{}: `{}` still fails after applying its hint `{}`",
                dir.display(),
                d.message,
                d.hint.as_deref().unwrap_or_default()
            );
            // Other problems of the renamed item now name it by its new name.
            let renamed = |m: &String| m.replace(&format!("`{old}`"), &format!("`{new}`"));
            let before: Vec<String> = before.iter().map(renamed).collect();
            let caused: Vec<&String> = after.iter().filter(|m| !before.contains(m)).collect();
            assert!(
                caused.is_empty(),
                "{}: applying `{}` caused {caused:?}",
                dir.display(),
                d.hint.as_deref().unwrap_or_default()
            );
        }
    });
    assert!(applied >= 5, "only {applied} hints were applied");
}
