//! The generated code reads like code a person would write: formatted as rustfmt formats it
//! (up to where prettyplease breaks lines), and with the runtime's re-exports the generator
//! names (for the API listing and the reserved names) being the ones the runtime re-exports.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The text with every run of whitespace removed, a trailing comma before a closing bracket
/// dropped, and a match arm's block `=> { x }` read as `=> x,`: what stays when only line
/// breaks differ. One entry per paragraph (blank-line separated), so a blank line rustfmt
/// would drop or add still counts.
fn shape(text: &str) -> Vec<String> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let mut s = unblock(&p.split_whitespace().collect::<String>());
            for (from, to) in [(",)", ")"), (",]", "]"), (",}", "}")] {
                s = s.replace(from, to);
            }
            s
        })
        .collect()
}

/// `=>{x}` as `=>x,` and `|{x}` as `|x` where `x` holds no brace: prettyplease puts a match
/// arm or a closure body it breaks over lines in a block, rustfmt does not where the body fits
/// on its line.
fn unblock(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((at, arm)) = ["=>{", "|{"]
        .iter()
        .filter_map(|open| rest.find(open).map(|at| (at, *open == "=>{")))
        .min()
    {
        let open = if arm { 3 } else { 2 };
        out.push_str(&rest[..at + open - 1]);
        let body = &rest[at + open..];
        match body.find(['{', '}']) {
            Some(end) if body.as_bytes()[end] == b'}' => {
                out.push_str(&body[..end]);
                if arm {
                    out.push(',');
                }
                rest = &body[end + 1..];
            }
            _ => {
                out.push('{');
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` without the line asking rustfmt to skip it: a generated crate root says it (so that
/// `cargo fmt` leaves the generated files alone), and is held to rustfmt all the same.
fn unskipped(text: &str) -> String {
    text.replace("#![cfg_attr(rustfmt, rustfmt::skip)]\n", "")
}

fn rustfmt(text: &str) -> Option<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(out.status.success(), "rustfmt failed on generated code");
    Some(String::from_utf8(out.stdout).expect("rustfmt writes UTF-8"))
}

/// rustfmt, run over every generated Rust file (the generated crate's, the fake's and the
/// command-line tool's), changes nothing but where lines break: no
/// import order, no blank line, no token. (The line breaks differ: prettyplease breaks at 89
/// columns where rustfmt allows 100, and lays out closures passed last, macro arguments and
/// match arms its own way.) Skipped with a note when rustfmt is not installed.
#[test]
fn rustfmt_changes_only_line_breaks() {
    let generated = generator::generate(&root().join("spec"), &root().join("templates"))
        .unwrap_or_else(|r| panic!("{r}"));
    let parts = generated.parts.iter().flat_map(|(part, files)| {
        files
            .iter()
            .map(move |(path, text)| (format!("{}/{path}", part.dir), text))
    });
    let files = generated
        .files
        .iter()
        .map(|(path, text)| (path.clone(), text))
        .chain(parts);
    let mut checked = 0;
    for (path, text) in files.filter(|(path, _)| path.ends_with(".rs")) {
        let text = unskipped(text);
        let Some(formatted) = rustfmt(&text) else {
            eprintln!("rustfmt is not installed: skipped");
            return;
        };
        let (ours, theirs) = (shape(&text), shape(&formatted));
        let first = ours.iter().zip(&theirs).position(|(a, b)| a != b);
        assert!(
            ours.len() == theirs.len() && first.is_none(),
            "{path}: rustfmt changes more than line breaks, first in paragraph {}:\n{}",
            first.unwrap_or(ours.len().min(theirs.len())),
            formatted
                .split("\n\n")
                .nth(first.unwrap_or(0))
                .unwrap_or_default()
        );
        checked += 1;
    }
    assert!(checked > 40, "only {checked} Rust files checked");
}

#[test]
fn shape_ignores_line_breaks_only() {
    let a = "fn f(\n    a: A,\n    b: B,\n) {\n    match x {\n        1 => {\n            g(\n                a,\n            )\n        }\n    }\n}\n";
    let b = "fn f(a: A, b: B) {\n    match x {\n        1 => g(a),\n    }\n}\n";
    assert_eq!(shape(a), shape(b));
    assert_eq!(shape("f(|x| {\n    g(x)\n});\n"), shape("f(|x| g(x));\n"));
    assert_ne!(shape("f(|x| {\n    g(x);\n});\n"), shape("f(|x| g(x));\n"));
    assert_ne!(shape("use b;\nuse a;\n"), shape("use a;\nuse b;\n"));
    assert_ne!(shape("a;\n\nb;\n"), shape("a;\nb;\n"));
}

/// The names `naming::ROOT_EXPORTS` and `naming::FLOW_EXPORTS` give the API listing and the
/// reserved names are exactly what `runtime/src/exports.rs` re-exports, module by module.
#[test]
fn runtime_exports_are_the_ones_the_generator_names() {
    let text = std::fs::read_to_string(root().join("runtime/src/exports.rs")).unwrap();
    let file = syn::parse_file(&text).unwrap();
    for exports in [
        generator::naming::ROOT_EXPORTS,
        generator::naming::FLOW_EXPORTS,
    ] {
        let module = &file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == exports.module[1] => m.content.as_ref(),
                _ => None,
            })
            .unwrap_or_else(|| panic!("runtime/src/exports.rs has no `{}`", exports.module[1]))
            .1;
        let mut found = Vec::new();
        for item in module {
            if let syn::Item::Use(u) = item {
                names(&u.tree, &mut found);
            }
        }
        let mut expected: Vec<String> = exports.names.iter().map(|n| (*n).to_owned()).collect();
        found.sort();
        expected.sort();
        assert_eq!(found, expected, "exports::{}", exports.module[1]);
    }
}

fn names(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => names(&p.tree, out),
        syn::UseTree::Name(n) => out.push(n.ident.to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
        syn::UseTree::Glob(_) => out.push("*".to_owned()),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| names(t, out)),
    }
}
