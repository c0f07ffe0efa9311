//! The invariants of ARCHITECTURE.md that the compiler does not enforce: which module of the
//! generator may use what. Each test reads the generator's sources as Rust tokens (so comments
//! and doc text do not count) and fails naming the file that breaks the rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `(path relative to src/, tokens)` of every `.rs` file under `dir`.
fn files(dir: &Path) -> Vec<(String, TokenStream)> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let tokens: TokenStream = text
                    .parse()
                    .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
                let rel = path.strip_prefix(src()).unwrap().to_string_lossy();
                out.push((rel.replace('\\', "/"), tokens));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(!out.is_empty(), "no sources under {}", dir.display());
    out
}

/// Every identifier in the tokens, groups included.
fn idents(tokens: &TokenStream, out: &mut Vec<String>) {
    for tt in tokens.clone() {
        match tt {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => idents(&g.stream(), out),
            _ => {}
        }
    }
}

/// The names that follow `crate::` (or start the entries of `crate::{...}`).
fn crate_paths(tokens: &TokenStream, out: &mut BTreeSet<String>) {
    let tts: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for (i, tt) in tts.iter().enumerate() {
        if let TokenTree::Group(g) = tt {
            crate_paths(&g.stream(), out);
        }
        let is_crate = matches!(tt, TokenTree::Ident(id) if id == "crate");
        let colons = matches!(
            (tts.get(i + 1), tts.get(i + 2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
        );
        if !is_crate || !colons {
            continue;
        }
        match tts.get(i + 3) {
            Some(TokenTree::Ident(name)) => {
                out.insert(name.to_string());
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                let mut first = true;
                for tt in g.stream() {
                    match tt {
                        TokenTree::Ident(name) if first => {
                            out.insert(name.to_string());
                            first = false;
                        }
                        TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                        _ => first = false,
                    }
                }
            }
            _ => {}
        }
    }
}

/// The generator's own top-level modules (`pub mod x;` in lib.rs).
fn modules() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let modules: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect();
    assert!(
        modules.contains("model") && modules.contains("spec"),
        "{modules:?}"
    );
    modules
}

/// Fails unless every generator module that `files` name is in `allowed`.
fn only_uses(what: &str, files: Vec<(String, TokenStream)>, allowed: &[&str]) {
    let modules = modules();
    for (path, tokens) in files {
        let mut used = BTreeSet::new();
        crate_paths(&tokens, &mut used);
        let forbidden: Vec<&String> = used
            .iter()
            .filter(|m| modules.contains(*m) && !allowed.contains(&m.as_str()))
            .collect();
        assert!(
            forbidden.is_empty(),
            "{what}: src/{path} uses {forbidden:?}; only {allowed:?} are allowed"
        );
    }
}

#[test]
fn only_naming_uses_heck() {
    for (path, tokens) in files(&src()) {
        let mut found = Vec::new();
        idents(&tokens, &mut found);
        assert!(
            path == "naming.rs" || !found.iter().any(|i| i == "heck"),
            "src/{path} uses heck: case conversion belongs in naming.rs"
        );
    }
}

#[test]
fn emit_reads_only_the_model() {
    only_uses("emit", files(&src().join("emit")), &["model", "write"]);
}

#[test]
fn resolve_reads_only_the_checked_spec() {
    let resolve = files(&src())
        .into_iter()
        .filter(|(path, _)| path.starts_with("resolve/"))
        .collect::<Vec<_>>();
    assert!(!resolve.is_empty(), "no sources under src/resolve/");
    for (_, tokens) in &resolve {
        let mut found = Vec::new();
        idents(tokens, &mut found);
        assert!(
            !found.iter().any(|i| i == "TypeExpr"),
            "resolve parses type expressions: it reads them checked from validate"
        );
    }
    only_uses(
        "resolve",
        resolve,
        &["checked", "model", "naming", "types_expr"],
    );
}

#[test]
fn only_validate_makes_type_ids() {
    for (path, tokens) in files(&src()) {
        if path.starts_with("validate/") || path == "checked.rs" {
            continue;
        }
        let tts: Vec<TokenTree> = {
            let mut all = Vec::new();
            flatten(&tokens, &mut all);
            all
        };
        let constructs = tts.windows(2).any(|w| {
            matches!(&w[0], TokenTree::Ident(i) if i == "TypeId")
                && matches!(&w[1], TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis)
        });
        assert!(
            !constructs,
            "src/{path} makes a TypeId: only validate hands out references to checked types"
        );
    }
}

/// Every token tree, each group followed by its contents.
fn flatten(tokens: &TokenStream, out: &mut Vec<TokenTree>) {
    for tt in tokens.clone() {
        let inner = match &tt {
            TokenTree::Group(g) => Some(g.stream()),
            _ => None,
        };
        out.push(tt);
        if let Some(inner) = inner {
            flatten(&inner, out);
        }
    }
}

/// The tokens of a file without its `mod tests { ... }` (unit tests may spell anything).
fn without_unit_tests(tokens: &TokenStream) -> Vec<TokenTree> {
    let tts: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tts.len() {
        let is_tests = matches!(&tts[i], TokenTree::Ident(m) if m == "mod")
            && matches!(tts.get(i + 1), Some(TokenTree::Ident(n)) if n == "tests")
            && matches!(tts.get(i + 2), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace);
        if is_tests {
            i += 3;
            continue;
        }
        if let TokenTree::Group(g) = &tts[i] {
            let inner: TokenStream = without_unit_tests(&g.stream()).into_iter().collect();
            let mut group = proc_macro2::Group::new(g.delimiter(), inner);
            group.set_span(g.span());
            out.push(TokenTree::Group(group));
        } else {
            out.push(tts[i].clone());
        }
        i += 1;
    }
    out
}

#[test]
fn the_pipeline_does_not_use_the_tools() {
    let pipeline: Vec<_> = files(&src())
        .into_iter()
        .filter(|(path, _)| !path.starts_with("tools/"))
        .collect();
    for (path, tokens) in &pipeline {
        let mut used = BTreeSet::new();
        crate_paths(tokens, &mut used);
        let tts: Vec<TokenTree> = tokens.clone().into_iter().collect();
        let bare = tts.windows(2).any(|w| {
            matches!(&w[0], TokenTree::Ident(i) if i == "tools")
                && matches!(&w[1], TokenTree::Punct(p) if p.as_char() == ':')
        });
        assert!(
            !used.contains("tools") && !bare,
            "src/{path} uses the maintainers' tools: the pipeline must build without them"
        );
    }
}

#[test]
fn only_swagger_reads_official_files() {
    // The keys of an official file's structure (schemas' own keys are every tool's to read).
    let keys = [
        "\"paths\"",
        "\"operationId\"",
        "\"parameters\"",
        "\"responses\"",
        "\"tags\"",
        "\"x-portone-category\"",
        "\"#/definitions/\"",
    ];
    let mut seen_in_swagger = BTreeSet::new();
    for (path, tokens) in files(&src()) {
        let mut all = Vec::new();
        let code: TokenStream = without_unit_tests(&tokens).into_iter().collect();
        flatten(&code, &mut all);
        for tt in all {
            let TokenTree::Literal(lit) = tt else {
                continue;
            };
            let lit = lit.to_string();
            if !keys.contains(&lit.as_str()) {
                continue;
            }
            assert_eq!(
                path, "tools/swagger.rs",
                "src/{path} reads {lit} of an official file itself: read it with \
                 tools/swagger.rs, the one reader drift, import and conformance share"
            );
            seen_in_swagger.insert(lit);
        }
    }
    assert_eq!(
        seen_in_swagger.len(),
        keys.len(),
        "the check no longer matches how swagger.rs reads files: {seen_in_swagger:?}"
    );
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn architecture_md() -> String {
    std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap()
}

/// The inline code spans of a Markdown text, fenced blocks left out.
fn code_spans(markdown: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    prose
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Every file and directory of the repository (directories with a trailing `/`), relative to
/// its root; `target/` and hidden directories left out.
fn repository_paths() -> Vec<String> {
    let root = repo();
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                if (!name.starts_with('.') && name != "target") || name == ".ci" {
                    out.push(format!("{rel}/"));
                    dirs.push(path);
                }
            } else {
                out.push(rel);
            }
        }
    }
    out
}

/// The repository paths a code span names: itself, or each alternative of one `{a,b}` group.
fn expand(span: &str) -> Vec<String> {
    match (span.find('{'), span.find('}')) {
        (Some(open), Some(close)) if open < close => span[open + 1..close]
            .split(',')
            .map(|alt| format!("{}{alt}{}", &span[..open], &span[close + 1..]))
            .collect(),
        _ => vec![span.to_owned()],
    }
}

/// Whether a code span reads as a path of the repository (rather than a type, a command, a
/// URL path or a pattern).
fn looks_like_a_path(span: &str) -> bool {
    const EXTENSIONS: [&str; 9] = [
        ".rs", ".md", ".toml", ".yaml", ".yml", ".j2", ".json", ".txt", ".snap",
    ];
    // `.j2` is an extension, not a file; `/payments` is a route.
    let extension = span.starts_with('.') && !span.contains('/');
    let characters = span
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_./-{},".contains(c));
    let shape = span.contains('/') || EXTENSIONS.iter().any(|e| span.ends_with(e));
    !span.is_empty() && !span.starts_with('/') && !extension && characters && shape
}

/// The repository paths that `path` names: itself from the root, or the end of a longer path
/// (ARCHITECTURE.md names files relative to the section they are in).
fn found<'p>(path: &str, paths: &'p [String]) -> Vec<&'p String> {
    let dir = format!("{}/", path.trim_end_matches('/'));
    paths
        .iter()
        .filter(|p| {
            let wanted = if p.ends_with('/') && !path.ends_with('/') {
                &dir
            } else {
                path
            };
            *p == wanted || p.ends_with(&format!("/{wanted}"))
        })
        .collect()
}

#[test]
fn architecture_md_names_only_what_exists() {
    let paths = repository_paths();
    let mut missing = Vec::new();
    let mut checked = 0;
    for span in code_spans(&architecture_md()) {
        if let Some((file, test)) = span.split_once("::") {
            let is_test_name = file.ends_with(".rs")
                && looks_like_a_path(file)
                && !test.is_empty()
                && test.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !is_test_name {
                continue;
            }
            checked += 1;
            let defined = found(file, &paths).iter().any(|p| {
                std::fs::read_to_string(repo().join(p))
                    .unwrap()
                    .contains(&format!("fn {test}("))
            });
            if !defined {
                missing.push(format!("`{span}`: no such test"));
            }
            continue;
        }
        if !looks_like_a_path(&span) {
            continue;
        }
        for path in expand(&span) {
            checked += 1;
            if found(&path, &paths).is_empty() {
                missing.push(format!("`{path}`"));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} paths found: is the parsing broken?"
    );
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what the repository does not have:\n  {}",
        missing.join("\n  ")
    );
}

/// The bullets of a Markdown section: each with its indentation and text (continuation lines
/// joined); text outside any bullet is a bullet of its own at indentation 0.
fn bullets(section: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut in_bullet = false;
    for line in section.lines() {
        let indent = line.len() - line.trim_start().len();
        if let Some(text) = line.trim_start().strip_prefix("- ") {
            out.push((indent, text.to_owned()));
            in_bullet = true;
        } else if line.trim().is_empty() {
            in_bullet = false;
        } else if in_bullet {
            let last = out.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            out.push((0, line.to_owned()));
            in_bullet = true;
        }
    }
    out
}

#[test]
fn every_generator_module_is_described() {
    let doc = architecture_md();
    let start = doc
        .find("### `generator/src/`")
        .expect("ARCHITECTURE.md has a `generator/src/` section");
    let section = &doc[start..];
    let section = &section[..section[3..].find("\n### ").map_or(section.len(), |e| e + 3)];

    // Every module: its file, or its directory for a folder module.
    let mut modules = BTreeSet::new();
    for (path, _) in files(&src()) {
        match path.strip_suffix("mod.rs") {
            Some(dir) => modules.insert(dir.to_owned()),
            None if path == "lib.rs" => false,
            None => modules.insert(path),
        };
    }
    let exists = |rel: &str| modules.contains(rel);

    let mut described = BTreeSet::new();
    // The directory each enclosing bullet is about, innermost last.
    let mut context: Vec<(usize, String)> = Vec::new();
    for (indent, text) in bullets(section) {
        context.retain(|(i, _)| *i < indent);
        let spans = code_spans(&text);
        let parent = context
            .last()
            .map_or("", |(_, dir)| dir.as_str())
            .to_owned();
        if let Some(subject) = spans.first().filter(|s| s.ends_with('/')) {
            let dir = format!("{parent}{subject}");
            if exists(&dir) {
                context.push((indent, dir));
            }
        }
        let mut dirs: Vec<&str> = context.iter().map(|(_, d)| d.as_str()).collect();
        dirs.push("");
        for span in &spans {
            for dir in &dirs {
                let candidate = format!("{dir}{span}");
                if exists(&candidate) {
                    described.insert(candidate);
                }
            }
        }
    }
    let undescribed: Vec<&String> = modules.difference(&described).collect();
    assert!(
        undescribed.is_empty(),
        "modules of generator/src that the `generator/src/` section of ARCHITECTURE.md does not \
         describe (name each in the bullet of its folder): {undescribed:?}"
    );
}
