//! Keeps the runtime's module graph free of cycles (ARCHITECTURE.md, "The generated crate").
//!
//! Reads `src/*.rs`, collects what each module takes from the others (`use crate::m::...`,
//! `crate::m::...` in code, and names imported from the crate root, traced through the
//! `pub use self::m::...` lines of `lib.rs`), and fails naming the cycle if there is one. The
//! test modules (`tests*.rs`, `test_support.rs`) are left out: they may use anything. Comments
//! and string literals are ignored, and so are `$crate::` paths, which a macro expands in the
//! crate that uses it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn the_runtime_module_graph_has_no_cycle() {
    let graph = runtime_graph();
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the runtime's modules use each other in a circle: {}\nwhole graph: {graph:#?}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn every_declared_module_is_read() {
    let lib = code_only(&read("lib"));
    let declared: BTreeSet<String> = lib
        .split(';')
        .filter_map(|item| {
            let words: Vec<&str> = item.split_whitespace().collect();
            match words.as_slice() {
                [.., "mod", name] if !is_test_module(name) => Some((*name).to_owned()),
                _ => None,
            }
        })
        .collect();
    let found: BTreeSet<String> = runtime_graph().into_keys().collect();
    assert_eq!(
        declared, found,
        "lib.rs declares other modules than src/ holds"
    );
}

#[test]
fn references_are_found_in_code_only() {
    let roots = BTreeMap::from([("Call".to_owned(), "call".to_owned())]);
    let modules = [
        "call",
        "error",
        "json_path",
        "redact",
        "wire",
        "amount",
        "paging",
    ]
    .map(str::to_owned)
    .into();
    let source = r##"
        //! Doc that mentions crate::amount.
        use std::fmt;
        pub(crate) use crate::{Call, error::{self, Error as E}};
        use crate::redact :: { Exposed };
        /* crate::paging, /* nested */ crate::paging */
        fn f<'a>(s: &'a str) -> char {
            let _ = crate::json_path::json_path_at(s, 1, 1);
            let _ = "crate::amount";
            let _ = r#"crate::amount "quoted""#;
            $crate::paging::x!();
            '"'
        }
        pub(crate) struct Wire(crate::wire::FromStr);
    "##;
    let found = references(source, &modules, &roots);
    let expected: BTreeSet<String> = ["call", "error", "json_path", "redact", "wire"]
        .map(str::to_owned)
        .into();
    assert_eq!(found, expected);
}

#[test]
fn cycles_are_named() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph = Graph::new();
        for (from, to) in edges {
            graph.entry((*to).to_owned()).or_default();
            graph
                .entry((*from).to_owned())
                .or_default()
                .insert((*to).to_owned());
        }
        graph
    };
    let layered = graph(&[("call", "execute"), ("execute", "auth"), ("call", "auth")]);
    assert_eq!(find_cycle(&layered), None);
    let circular = graph(&[
        ("call", "execute"),
        ("execute", "client"),
        ("client", "auth"),
        ("auth", "execute"),
    ]);
    assert_eq!(
        find_cycle(&circular).map(|cycle| cycle.join(" -> ")),
        Some("auth -> execute -> client -> auth".to_owned())
    );
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read(module: &str) -> String {
    let path = src().join(format!("{module}.rs"));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_test_module(name: &str) -> bool {
    name.starts_with("tests") || name == "test_support"
}

/// Module → the modules it uses, for every non-test module in `src/`.
fn runtime_graph() -> Graph {
    let mut modules = BTreeSet::new();
    for entry in fs::read_dir(src()).expect("runtime/src") {
        let path = entry.expect("directory entry").path();
        assert!(
            !path.is_dir(),
            "{} is a directory: teach this test to read modules made of several files",
            path.display()
        );
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        if name != "lib" && !is_test_module(name) {
            modules.insert(name.to_owned());
        }
    }
    let roots = root_items(&modules);
    modules
        .iter()
        .map(|module| {
            let mut uses = references(&read(module), &modules, &roots);
            uses.remove(module);
            (module.clone(), uses)
        })
        .collect()
}

/// Names reachable as `crate::Name`, and the module each comes from: `lib.rs`'s re-exports and
/// exported macros.
fn root_items(modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut roots = BTreeMap::new();
    for (path, name) in use_statements(&code_only(&read("lib"))).0 {
        if let [first, module, _, ..] = path.as_slice() {
            if first == "self" || first == "crate" {
                roots.insert(name, module.clone());
            }
        }
    }
    for module in modules {
        let code = code_only(&read(module));
        if code.contains("#[macro_export]") {
            for piece in code.split("macro_rules!").skip(1) {
                let name: String = piece
                    .trim_start()
                    .chars()
                    .take_while(|&c| is_ident(c))
                    .collect();
                roots.insert(name, module.clone());
            }
        }
    }
    roots
}

/// The modules a source file refers to through `crate::`. A name at the crate root is traced
/// to its module through `roots`; one that cannot be traced fails the test rather than being
/// missed.
fn references(
    source: &str,
    modules: &BTreeSet<String>,
    roots: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let (imports, rest) = use_statements(&code_only(source));
    let mut paths: Vec<Vec<String>> = imports.into_iter().map(|(path, _)| path).collect();
    let mut search = rest.as_str();
    while let Some(at) = search.find("crate::") {
        let before = search[..at].chars().next_back();
        let after = &search[at + "crate::".len()..];
        if !before.is_some_and(|c| is_ident(c) || c == '$') {
            let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
            paths.push(vec!["crate".to_owned(), name]);
        }
        search = after;
    }
    paths
        .into_iter()
        .filter(|path| path.first().is_some_and(|first| first == "crate"))
        .map(|path| {
            let name = path.get(1).cloned().unwrap_or_default();
            if modules.contains(&name) {
                name
            } else {
                roots.get(&name).cloned().unwrap_or_else(|| {
                    panic!("cannot tell which module `{}` comes from", path.join("::"))
                })
            }
        })
        .collect()
}

/// The paths imported by the `use` statements of `code`, each with the name it is imported
/// as, and the code without those statements.
fn use_statements(code: &str) -> (Vec<(Vec<String>, String)>, String) {
    let mut imports = Vec::new();
    let mut rest = String::new();
    let mut search = code;
    while let Some(at) = find_word(search, "use") {
        rest.push_str(&search[..at]);
        let statement = &search[at + "use".len()..];
        let end = statement.find(';').unwrap_or(statement.len());
        expand(&[], &statement[..end], &mut imports);
        search = &statement[end..];
    }
    rest.push_str(search);
    (imports, rest)
}

/// Where `word` stands alone (not inside an identifier) and is followed by white space.
fn find_word(code: &str, word: &str) -> Option<usize> {
    code.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && after.is_some_and(char::is_whitespace)
    })
}

/// Expands one use tree (`a::{b, c::{d as e}}`) under `prefix`.
fn expand(prefix: &[String], tree: &str, out: &mut Vec<(Vec<String>, String)>) {
    let tree = tree.trim();
    let (head, group) = match (tree.find('{'), tree.rfind('}')) {
        (Some(open), Some(close)) => (&tree[..open], Some(&tree[open + 1..close])),
        _ => (tree, None),
    };
    let (head, alias) = match head.split_once(" as ") {
        Some((path, alias)) => (path, Some(alias.trim())),
        None => (head, None),
    };
    let mut path = prefix.to_vec();
    path.extend(
        head.split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    );
    match group {
        Some(group) => {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&path, &group[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&path, &group[start..], out);
        }
        None if path.len() > prefix.len() => {
            // `a::{self}` imports `a` itself.
            if path.last().is_some_and(|last| last == "self") {
                path.pop();
            }
            let name =
                alias.map_or_else(|| path.last().cloned().unwrap_or_default(), str::to_owned);
            out.push((path, name));
        }
        None => {}
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The source with comments, string literals and character literals blanked out, so that a
/// path written in a doc comment or a message counts for nothing.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while let Some(c) = at(i) {
        let next = at(i + 1);
        // `r` opens a raw string when it starts a token, alone or after a `b` that does.
        let mut before = out.chars().rev();
        let raw_prefix = c == 'r'
            && match (before.next(), before.next()) {
                (Some('b'), earlier) => !earlier.is_some_and(is_ident),
                (previous, _) => !previous.is_some_and(is_ident),
            };
        if c == '/' && next == Some('/') {
            while at(i).is_some_and(|c| c != '\n') {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while let Some(c) = at(i) {
                if c == '/' && at(i + 1) == Some('*') {
                    depth += 1;
                    i += 2;
                } else if c == '*' && at(i + 1) == Some('/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if raw_prefix && matches!(next, Some('"' | '#')) {
            let hashes = (i + 1..).take_while(|&j| at(j) == Some('#')).count();
            let open = i + 1 + hashes;
            if at(open) != Some('"') {
                // A raw identifier such as `r#type`.
                out.push(c);
                i += 1;
                continue;
            }
            i = open + 1;
            while let Some(c) = at(i) {
                i += 1;
                if c == '"' && (i..i + hashes).all(|j| at(j) == Some('#')) {
                    i += hashes;
                    break;
                }
            }
            out.push(' ');
        } else if c == '"' {
            i += 1;
            while let Some(c) = at(i) {
                i += if c == '\\' { 2 } else { 1 };
                if c == '"' {
                    break;
                }
            }
            out.push(' ');
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while at(i).is_some_and(|c| c != '\'') {
                i += 1;
            }
            i += 1;
            out.push(' ');
        } else if c == '\'' && at(i + 2) == Some('\'') {
            i += 3;
            out.push(' ');
        } else {
            // Anything else, a lifetime's quote included.
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A cycle in `graph`, as the modules along it with the first repeated at the end.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit<'a>(
        graph: &'a Graph,
        module: &'a str,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|&m| m == module) {
            let mut cycle: Vec<String> = path[start..].iter().map(|&m| m.to_owned()).collect();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if !done.insert(module) {
            return None;
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(graph, next, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}
