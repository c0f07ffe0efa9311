//! No module of any crate in the workspace uses a module that uses it back, directly or around
//! a circle (ARCHITECTURE.md, "Invariants of the workspace").
//!
//! Every target `cargo metadata` lists for the workspace (libraries, binaries, tests, examples,
//! benches and build scripts of every member, so a crate is checked as soon as it joins) is
//! read from its root file along its `mod` declarations, as the compiler finds them: `foo.rs`
//! or `foo/mod.rs`, the children of `foo.rs` in `foo/`, inline `mod foo { ... }`, `#[path]`,
//! and files `include!`d into a module. The files are parsed with syn, so comments and strings
//! count for nothing.
//!
//! A module uses another when its code names a path into it: `crate::a::Item`,
//! `super::Item`, `child::Item`, a name it imports with `use`, also inside macro arguments and
//! in the `$crate::` paths of its `macro_rules!`. A path is followed through re-exports to the
//! module that defines the item, so `crate::Error` is a use of the module defining `Error`; a
//! `pub use` is itself a use only where its module's own code names what it re-exports.
//! Declaring a module (`mod foo;`) is not a use of it, so a `mod.rs` that only declares and
//! re-exports sits outside every circle, while a parent whose code uses its child and a child
//! using its parent's items form one. The tokens of `quote!` and `parse_quote!` are code for
//! another crate and are not read. Without type information, a method called on a value is not
//! traced to the module whose `impl` block defines it.

mod graph;
mod tree;
mod workspace;

use std::collections::BTreeSet;
use std::path::PathBuf;

use tree::Tree;
use workspace::{rust_files, workspace};

#[test]
fn no_module_cycle_in_the_workspace() {
    let workspace = workspace();
    let mut report = String::new();
    for (target, tree) in &workspace.targets {
        report.push_str(&tree.cycles(&target.label, &workspace.root));
    }
    assert!(
        report.is_empty(),
        "modules that use each other in a circle (each line says where a module names the next \
         one; break the circle by moving what both need into a module of its own, below both):\n\
         {report}"
    );
}

/// The test reads the crates it should: a member it misses, or a file of a member's `src/`
/// that no target reaches, would be a crate or a folder whose cycles go unseen.
#[test]
fn every_member_and_every_source_file_is_read() {
    let workspace = workspace();
    let packages: BTreeSet<&str> = workspace
        .targets
        .iter()
        .map(|(target, _)| target.package.as_str())
        .collect();
    for member in [
        "portone-v1-runtime",
        "portone-v1",
        "portone-v1-fake",
        "portone-v1-examples",
        "generator",
        "xtask",
    ] {
        assert!(
            packages.contains(member),
            "{member} is not read: {packages:?}"
        );
    }
    let read: BTreeSet<&PathBuf> = workspace
        .targets
        .iter()
        .flat_map(|(_, tree)| &tree.files)
        .collect();
    for dir in &workspace.source_dirs {
        for file in rust_files(dir) {
            assert!(
                read.contains(&file),
                "{} is in a crate's src/ but in no module tree the test read",
                file.display()
            );
        }
    }
}

/// The runtime's folders are layers (ARCHITECTURE.md, "The generated crate"): the values use
/// nothing of the call path or the flows, the call path nothing of the flows, and nothing uses
/// `exports`, the list of what `portone-v1` re-exports from all three.
#[test]
fn the_runtime_folders_are_layered() {
    let workspace = workspace();
    let (_, runtime) = workspace
        .targets
        .iter()
        .find(|(target, _)| target.package == "portone-v1-runtime" && target.is_lib)
        .expect("the runtime's library");
    let layers = ["values", "client", "flows", "exports"];
    let layer = |module: usize| {
        let name = &runtime.modules[module].name;
        layers
            .iter()
            .position(|layer| name == layer || name.starts_with(&format!("{layer}::")))
    };
    let mut upward = Vec::new();
    for (from, uses) in runtime.graph() {
        for (to, (_, path)) in uses {
            if let (Some(low), Some(high)) = (layer(from), layer(to)) {
                if high > low {
                    upward.push(format!(
                        "{} uses {} ({path})",
                        runtime.name(from),
                        runtime.name(to)
                    ));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "the runtime's layers are values < client < flows < exports:\n{}",
        upward.join("\n")
    );
    let folders: BTreeSet<&str> = runtime.modules[0]
        .children
        .keys()
        .map(String::as_str)
        .filter(|name| *name != "tests")
        .collect();
    assert_eq!(
        folders,
        layers.into(),
        "a new folder needs its place among the layers"
    );
}

#[test]
fn layouts_paths_and_re_exports_are_read_as_the_compiler_reads_them() {
    let dir = fixture(&[
        (
            "lib.rs",
            "mod flat;\nmod folder;\n#[path = \"other/place.rs\"]\nmod moved;\n\
             mod inline { pub(crate) fn f() -> u8 { crate::moved::g() } }\n\
             pub use self::folder::Thing;\nmod included;\nmod user;\n",
        ),
        (
            "flat.rs",
            "mod inner;\npub(crate) use self::inner::Deep;\n\
             /// Names crate::folder::Thing in a comment.\n\
             pub(crate) fn h() { let _ = \"crate::moved::g\"; /* crate::inline::f */ }\n",
        ),
        (
            "flat/inner.rs",
            "use super::super::folder::*;\npub(crate) struct Deep;\n",
        ),
        (
            "folder/mod.rs",
            "mod leaf;\npub struct Thing;\npub(crate) use leaf::Leaf;\nfn k() -> Leaf { Leaf }\n",
        ),
        (
            "folder/leaf.rs",
            "pub struct Leaf;\nfn f() { assert!(crate::inline::f() > 0); crate::exported!(); }\n",
        ),
        ("other/place.rs", "pub fn g() -> u8 { 1 }\nmod sub;\n"),
        ("other/sub.rs", "fn s() -> crate::Thing { todo!() }\n"),
        ("included.rs", "include!(\"included_part.rs\");\n"),
        (
            "included_part.rs",
            "fn p() { let _ = quote!(crate::user::x); crate::flat::h(); }\n",
        ),
        (
            "user.rs",
            "macro_rules! m { () => { $crate::flat::h() }; }\n\
             #[macro_export]\nmacro_rules! exported { () => { $crate::moved::g() }; }\n",
        ),
    ]);
    let tree = Tree::read(&dir.path().join("lib.rs")).expect("the fixture reads");
    let edges: BTreeSet<(String, String)> = tree
        .graph()
        .into_iter()
        .flat_map(|(from, uses)| {
            let tree = &tree;
            uses.into_keys().map(move |to| {
                (
                    tree.modules[from].name.clone(),
                    tree.modules[to].name.clone(),
                )
            })
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("flat::inner", "folder"),
        ("folder", "folder::leaf"),
        ("folder::leaf", "inline"),
        ("folder::leaf", "user"),
        ("included", "flat"),
        ("inline", "moved"),
        ("moved::sub", "folder"),
        ("user", "flat"),
        ("user", "moved"),
    ]
    .map(|(from, to)| (from.to_owned(), to.to_owned()))
    .into();
    assert_eq!(edges, expected);
    assert_eq!(tree.cycles("fixture", dir.path()), "");
}

#[test]
fn every_circle_is_named_with_where_each_module_uses_the_next() {
    let dir = fixture(&[
        (
            "lib.rs",
            "mod a;\nmod b;\nmod c;\nmod d;\nmod parent;\nmod apart;\npub use a::A;\n",
        ),
        ("a.rs", "use crate::b::B;\npub struct A;\n"),
        ("b.rs", "pub struct B(crate::c::C);\n"),
        (
            "c.rs",
            "pub struct C;\nfn f() -> crate::A { todo!() }\nfn g() { crate::d::g() }\n",
        ),
        ("d.rs", "pub(crate) fn g() { let _ = crate::c::C; }\n"),
        (
            "parent/mod.rs",
            "mod child;\nuse self::child::Child;\npub(crate) struct Parent;\n",
        ),
        (
            "parent/child.rs",
            "pub(crate) struct Child(super::Parent);\n",
        ),
        ("apart.rs", "fn f() -> crate::c::C { todo!() }\n"),
    ]);
    let tree = Tree::read(&dir.path().join("lib.rs")).expect("the fixture reads");
    let report = tree.cycles("fixture lib", dir.path());
    let expected = "\
fixture lib:
  a -> b -> c -> a
    a (a.rs) uses crate::b::B
    b (b.rs) uses crate::c::C
    c (c.rs) uses crate::A
  d -> c -> d
    d (d.rs) uses crate::c::C
    c (c.rs) uses crate::d::g
  parent -> parent::child -> parent
    parent (parent/mod.rs) uses self::child::Child
    parent::child (parent/child.rs) uses super::Parent
";
    assert_eq!(report, expected);
}

#[test]
fn a_missing_module_file_is_an_error_naming_both_places() {
    let dir = fixture(&[("lib.rs", "mod gone;\n")]);
    let error = Tree::read(&dir.path().join("lib.rs"))
        .err()
        .expect("an error");
    assert!(
        error.contains("gone.rs") && error.contains("gone/mod.rs"),
        "{error}"
    );
}

/// Writes `files` (relative path, contents) into a new temporary directory.
fn fixture(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (path, contents) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the directory");
        std::fs::write(path, contents).expect("write the fixture");
    }
    dir
}
