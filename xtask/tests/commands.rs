//! The command line and its documents agree: every command `main.rs` dispatches is in
//! `cargo xtask --help` and in ARCHITECTURE.md's xtask list, every file of `xtask/src` is
//! named there, and every `cargo xtask ...` the documents tell a reader to run exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The commands `main.rs` dispatches: the first word of each `["command", ...] =>` arm.
fn commands() -> BTreeSet<String> {
    let main = read("xtask/src/main.rs");
    let commands: BTreeSet<String> = main
        .lines()
        .filter(|l| l.contains("=>"))
        .filter_map(|l| l.trim_start().strip_prefix("[\""))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    assert!(
        commands.contains("gen") && commands.contains("test"),
        "the dispatch in main.rs is no longer read right: {commands:?}"
    );
    commands
}

/// ARCHITECTURE.md's `xtask/` section.
fn xtask_section() -> String {
    let doc = read("ARCHITECTURE.md");
    let start = doc
        .find("### `xtask/`")
        .expect("ARCHITECTURE.md has an `xtask/` section");
    let section = &doc[start..];
    section[..section[3..].find("\n### ").map_or(section.len(), |e| e + 3)].to_owned()
}

#[test]
fn every_command_is_documented() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    let section = xtask_section();
    for command in commands() {
        assert!(
            help.contains(&format!("cargo xtask {command}")),
            "`cargo xtask --help` does not list `{command}`:\n{help}"
        );
        let opening = format!("`{command}");
        let described = section.match_indices(&opening).any(|(at, _)| {
            section[at + opening.len()..].starts_with(|c: char| c == '`' || c.is_whitespace())
        });
        assert!(
            described,
            "ARCHITECTURE.md's xtask list does not describe `{command}`"
        );
    }
    for entry in std::fs::read_dir(repo().join("xtask/src")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            section.contains(&format!("`{name}`")),
            "ARCHITECTURE.md's xtask section does not name xtask/src/{name}"
        );
    }
}

#[test]
fn the_documents_name_only_commands_that_exist() {
    let commands = commands();
    let mut checked = 0;
    for doc in [
        "README.md",
        "CONTRIBUTING.md",
        "ARCHITECTURE.md",
        "spec/README.md",
        "docs/PERFORMANCE.md",
    ] {
        let text = read(doc);
        // `cargo xtask` may be split over two lines in wrapped prose.
        let words: Vec<&str> = text.split_whitespace().collect();
        for w in words.windows(3) {
            if w[0].trim_start_matches('`') != "cargo" || w[1] != "xtask" {
                continue;
            }
            let command = w[2].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
            if command == "--help" {
                continue;
            }
            checked += 1;
            assert!(
                commands.contains(command),
                "{doc} names `cargo xtask {command}`, which main.rs does not dispatch"
            );
        }
    }
    assert!(
        checked > 10,
        "only {checked} commands found in the documents"
    );
}

#[test]
fn the_documents_install_the_cargo_insta_of_the_lock_file() {
    let lock = read("Cargo.lock");
    let insta = lock
        .split("\n[[package]]\n")
        .find(|p| p.starts_with("name = \"insta\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"'))
        .expect("Cargo.lock has insta");
    let mut checked = 0;
    for doc in ["README.md", "CONTRIBUTING.md"] {
        let text = read(doc).split_whitespace().collect::<Vec<_>>().join(" ");
        for (at, _) in text.match_indices("cargo install cargo-insta") {
            checked += 1;
            let rest = &text[at..];
            assert!(
                rest.starts_with(&format!(
                    "cargo install cargo-insta --locked --version {insta}"
                )),
                "{doc}: `{}` does not install cargo-insta {insta}, the insta of Cargo.lock",
                &rest[..rest.len().min(60)]
            );
        }
    }
    assert!(
        checked > 0,
        "the documents no longer say how to install cargo-insta"
    );
}
