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

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt as _;
use syn::visit::{self, Visit};
use syn::{Item, ItemMod, UseTree, Visibility};

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
/// nothing of the call path or the flows, the call path nothing of the flows.
#[test]
fn the_runtime_folders_are_layered() {
    let workspace = workspace();
    let (_, runtime) = workspace
        .targets
        .iter()
        .find(|(target, _)| target.package == "portone-v1-runtime" && target.is_lib)
        .expect("the runtime's library");
    let layers = ["values", "client", "flows"];
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
        "the runtime's layers are values < client < flows:\n{}",
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

/// The workspace as `cargo metadata` describes it.
struct Workspace {
    root: PathBuf,
    /// Every target, with its modules.
    targets: Vec<(Target, Tree)>,
    /// The `src/` directory of every member that has one.
    source_dirs: Vec<PathBuf>,
}

/// One crate the compiler builds: a member's library, binary, test, example, bench or build
/// script.
struct Target {
    package: String,
    is_lib: bool,
    label: String,
}

/// The workspace, read once for all the tests.
fn workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(read_workspace)
}

fn read_workspace() -> Workspace {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let text = |value: &serde_json::Value| value.as_str().expect("a string").to_owned();
    let root = PathBuf::from(text(&metadata["workspace_root"]));
    let mut targets = Vec::new();
    let mut source_dirs = Vec::new();
    for package in metadata["packages"].as_array().expect("packages") {
        let name = text(&package["name"]);
        let manifest = PathBuf::from(text(&package["manifest_path"]));
        let src = manifest.parent().expect("a directory").join("src");
        if src.is_dir() {
            source_dirs.push(src);
        }
        for target in package["targets"].as_array().expect("targets") {
            let kinds: Vec<String> = target["kind"]
                .as_array()
                .expect("kinds")
                .iter()
                .map(text)
                .collect();
            let root_file = PathBuf::from(text(&target["src_path"]));
            let shown = root_file.strip_prefix(&root).unwrap_or(&root_file);
            let label = format!(
                "{name} {} `{}` ({})",
                kinds.join(","),
                text(&target["name"]),
                shown.display()
            );
            let tree = Tree::read(&root_file).unwrap_or_else(|e| panic!("{label}: {e}"));
            let target = Target {
                package: name.clone(),
                is_lib: kinds.iter().any(|kind| kind == "lib"),
                label,
            };
            targets.push((target, tree));
        }
    }
    Workspace {
        root,
        targets,
        source_dirs,
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
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

/// A path as written in a module, and the file it is written in.
struct Written {
    segments: Vec<String>,
    file: PathBuf,
}

impl Written {
    fn text(&self) -> String {
        self.segments.join("::")
    }
}

/// A name a `use` item brings in (`glob` for `*`).
struct Import {
    path: Written,
    name: Option<String>,
    glob: bool,
    public: bool,
}

#[derive(Default)]
struct Module {
    /// The path from the crate root, empty for the root.
    name: String,
    parent: Option<usize>,
    children: BTreeMap<String, usize>,
    /// The items defined here (types, functions, constants, macros...).
    defined: BTreeSet<String>,
    imports: Vec<Import>,
    /// Every other path its code names.
    paths: Vec<Written>,
}

/// The modules of one crate.
#[derive(Default)]
struct Tree {
    modules: Vec<Module>,
    /// `#[macro_export]` macros, which live at the crate root whatever module defines them.
    exported_macros: BTreeMap<String, usize>,
    /// Every file read.
    files: BTreeSet<PathBuf>,
}

/// Module → the modules it uses, each with the first path that shows it.
type Graph = BTreeMap<usize, BTreeMap<usize, (PathBuf, String)>>;

impl Tree {
    fn read(root: &Path) -> Result<Tree, String> {
        let mut tree = Tree::default();
        let items = tree.parse(root)?;
        let dir = root.parent().unwrap_or(Path::new("")).to_path_buf();
        tree.add_module(None, "", root, items, &dir, &dir)?;
        Ok(tree)
    }

    fn parse(&mut self, file: &Path) -> Result<Vec<Item>, String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        self.files.insert(file.to_path_buf());
        Ok(parsed.items)
    }

    /// Adds a module; `dir` is where its out-of-line children are, `path_base` what a `#[path]`
    /// on them is relative to.
    fn add_module(
        &mut self,
        parent: Option<usize>,
        name: &str,
        file: &Path,
        items: Vec<Item>,
        dir: &Path,
        path_base: &Path,
    ) -> Result<(), String> {
        let id = self.modules.len();
        let full = match parent.map(|p| self.modules[p].name.as_str()) {
            Some("") | None => name.to_owned(),
            Some(outer) => format!("{outer}::{name}"),
        };
        self.modules.push(Module {
            name: full,
            parent,
            ..Module::default()
        });
        if let Some(parent) = parent {
            self.modules[parent].children.insert(name.to_owned(), id);
        }
        self.add_items(id, file, items, dir, path_base)
    }

    fn add_items(
        &mut self,
        id: usize,
        file: &Path,
        items: Vec<Item>,
        dir: &Path,
        path_base: &Path,
    ) -> Result<(), String> {
        for item in items {
            match item {
                Item::Mod(module) => self.add_child(id, file, module, dir, path_base)?,
                Item::Use(item) if item.leading_colon.is_none() => {
                    let public = !matches!(item.vis, Visibility::Inherited);
                    let mut leaves = Vec::new();
                    use_leaves(&item.tree, &mut Vec::new(), &mut leaves);
                    for (segments, name, glob) in leaves {
                        self.modules[id].imports.push(Import {
                            path: Written {
                                segments,
                                file: file.to_path_buf(),
                            },
                            name,
                            glob,
                            public,
                        });
                    }
                }
                Item::Macro(item) if item.mac.path.is_ident("include") => {
                    match item.mac.parse_body::<syn::LitStr>() {
                        Ok(included) => {
                            let included = file
                                .parent()
                                .unwrap_or(Path::new(""))
                                .join(included.value());
                            let items = self.parse(&included)?;
                            self.add_items(id, &included, items, dir, path_base)?;
                        }
                        Err(_) => self.add_code(id, file, &Item::Macro(item)),
                    }
                }
                other => {
                    if let Some(name) = defined_name(&other) {
                        self.modules[id].defined.insert(name.clone());
                        if let Item::Macro(item) = &other {
                            if item.attrs.iter().any(|a| a.path().is_ident("macro_export")) {
                                self.exported_macros.insert(name, id);
                            }
                        }
                    }
                    self.add_code(id, file, &other);
                }
            }
        }
        Ok(())
    }

    fn add_code(&mut self, id: usize, file: &Path, item: &Item) {
        let mut paths = Paths {
            file,
            found: Vec::new(),
        };
        paths.visit_item(item);
        self.modules[id].paths.extend(paths.found);
    }

    fn add_child(
        &mut self,
        parent: usize,
        file: &Path,
        module: ItemMod,
        dir: &Path,
        path_base: &Path,
    ) -> Result<(), String> {
        let name = module.ident.unraw().to_string();
        let path_attribute = module.attrs.iter().find_map(|attribute| {
            let syn::Meta::NameValue(meta) = &attribute.meta else {
                return None;
            };
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(path),
                ..
            }) = &meta.value
            else {
                return None;
            };
            meta.path.is_ident("path").then(|| path.value())
        });
        if let Some((_, items)) = module.content {
            let child_dir = match &path_attribute {
                Some(path) => path_base.join(path),
                None => dir.join(&name),
            };
            return self.add_module(Some(parent), &name, file, items, &child_dir, &child_dir);
        }
        let child_file = match &path_attribute {
            Some(path) => path_base.join(path),
            None => {
                let flat = dir.join(format!("{name}.rs"));
                let nested = dir.join(&name).join("mod.rs");
                if flat.is_file() {
                    flat
                } else if nested.is_file() {
                    nested
                } else {
                    return Err(format!(
                        "{} declares `mod {name};` but neither {} nor {} exists",
                        file.display(),
                        flat.display(),
                        nested.display()
                    ));
                }
            }
        };
        let items = self.parse(&child_file)?;
        let here = child_file.parent().unwrap_or(Path::new("")).to_path_buf();
        // A `mod.rs`, or a file named by `#[path]`, owns its directory; `foo.rs` owns `foo/`.
        let child_dir = if path_attribute.is_some() || child_file.ends_with("mod.rs") {
            here.clone()
        } else {
            here.join(&name)
        };
        self.add_module(Some(parent), &name, &child_file, items, &child_dir, &here)
    }

    /// The module a path written in `from` leads to (the one defining the item it names), or
    /// `None` for a path outside the crate (another crate, a local name).
    fn resolve(&self, from: usize, segments: &[String], depth: usize) -> Option<usize> {
        let (first, rest) = segments.split_first()?;
        if depth > 16 {
            return None;
        }
        match first.as_str() {
            "crate" => Some(self.walk(0, rest, depth)),
            "self" => Some(self.walk(from, rest, depth)),
            "super" => Some(self.walk(self.modules[from].parent?, rest, depth)),
            _ if self.modules[from].children.contains_key(first) => {
                Some(self.walk(from, segments, depth))
            }
            _ => {
                let import = self.binding(from, first)?;
                let mut path = import.path.segments.clone();
                path.extend_from_slice(rest);
                self.resolve(from, &path, depth + 1)
            }
        }
    }

    /// Follows `segments` down from module `at`, through child modules and then through
    /// re-exports, to the module defining what they name.
    fn walk(&self, at: usize, segments: &[String], depth: usize) -> usize {
        self.find(at, segments, depth)
            .unwrap_or_else(|stopped| stopped)
    }

    /// `Ok(module)` when the item is found, `Err(module)` with the module where the search
    /// stopped when the name is nowhere to be seen (an item made by a macro, say).
    fn find(&self, mut at: usize, segments: &[String], depth: usize) -> Result<usize, usize> {
        for (i, segment) in segments.iter().enumerate() {
            let module = &self.modules[at];
            if segment == "self" {
                continue;
            }
            if segment == "super" {
                at = module.parent.ok_or(at)?;
                continue;
            }
            if let Some(&child) = module.children.get(segment) {
                at = child;
                continue;
            }
            if module.defined.contains(segment) {
                return Ok(at);
            }
            if at == 0 {
                if let Some(&defining) = self.exported_macros.get(segment) {
                    return Ok(defining);
                }
            }
            if depth > 16 {
                return Err(at);
            }
            if let Some(import) = self.binding(at, segment) {
                let mut path = import.path.segments.clone();
                path.extend_from_slice(&segments[i + 1..]);
                return self.resolve(at, &path, depth + 1).ok_or(at);
            }
            for glob in module.imports.iter().filter(|import| import.glob) {
                if let Some(source) = self.resolve(at, &glob.path.segments, depth + 1) {
                    if let Ok(found) = self.find(source, &segments[i..], depth + 1) {
                        return Ok(found);
                    }
                }
            }
            return Err(at);
        }
        Ok(at)
    }

    /// The import of module `at` that binds `name`.
    fn binding(&self, at: usize, name: &str) -> Option<&Import> {
        self.modules[at]
            .imports
            .iter()
            .find(|import| import.name.as_deref() == Some(name))
    }

    fn graph(&self) -> Graph {
        let mut graph = Graph::new();
        for (id, module) in self.modules.iter().enumerate() {
            let uses = graph.entry(id).or_default();
            let private_imports = module
                .imports
                .iter()
                .filter(|import| !import.public)
                .map(|import| &import.path);
            let code = module.paths.iter().filter(|path| {
                let first = path.segments[0].as_str();
                matches!(first, "crate" | "self" | "super")
                    || (path.segments.len() > 1 && module.children.contains_key(first))
                    || self.binding(id, first).is_some()
            });
            for path in private_imports.chain(code) {
                if let Some(target) = self.resolve(id, &path.segments, 0) {
                    if target != id {
                        uses.entry(target)
                            .or_insert_with(|| (path.file.clone(), path.text()));
                    }
                }
            }
        }
        graph
    }

    /// The circles of modules, with the path by which each module of a circle uses the next;
    /// empty when there is none. For each tangle (strongly connected component), the shortest
    /// circle through its first module, then through each module no circle shown passes
    /// through yet.
    fn cycles(&self, label: &str, root: &Path) -> String {
        let graph = self.graph();
        let mut report = String::new();
        for tangle in tangles(&graph) {
            let mut shown: BTreeSet<usize> = BTreeSet::new();
            for &start in &tangle {
                if shown.contains(&start) {
                    continue;
                }
                let cycle = shortest_cycle(&graph, &tangle, start);
                shown.extend(&cycle);
                if report.is_empty() {
                    let _ = writeln!(report, "{label}:");
                }
                let names: Vec<&str> = cycle.iter().map(|&m| self.name(m)).collect();
                let _ = writeln!(report, "  {}", names.join(" -> "));
                for pair in cycle.windows(2) {
                    let (file, path) = &graph[&pair[0]][&pair[1]];
                    let file = file.strip_prefix(root).unwrap_or(file);
                    let _ = writeln!(
                        report,
                        "    {} ({}) uses {path}",
                        self.name(pair[0]),
                        file.display()
                    );
                }
            }
        }
        report
    }

    fn name(&self, module: usize) -> &str {
        match self.modules[module].name.as_str() {
            "" => "crate",
            name => name,
        }
    }
}

/// The strongly connected components of more than one module (Tarjan's algorithm), each
/// sorted, in the order of their smallest module.
fn tangles(graph: &Graph) -> Vec<Vec<usize>> {
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<usize, usize>,
        low: BTreeMap<usize, usize>,
        stack: Vec<usize>,
        on_stack: BTreeSet<usize>,
        found: Vec<Vec<usize>>,
    }
    fn connect(state: &mut State<'_>, node: usize) {
        let index = state.index.len();
        state.index.insert(node, index);
        state.low.insert(node, index);
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for &next in graph.get(&node).into_iter().flat_map(BTreeMap::keys) {
            if !state.index.contains_key(&next) {
                connect(state, next);
                let low = state.low[&node].min(state.low[&next]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(&next) {
                let low = state.low[&node].min(state.index[&next]);
                state.low.insert(node, low);
            }
        }
        if state.low[&node] == state.index[&node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(&member);
                component.push(member);
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort_unstable();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for &node in graph.keys() {
        if !state.index.contains_key(&node) {
            connect(&mut state, node);
        }
    }
    state.found.sort();
    state.found
}

/// The shortest circle from `start` back to it inside `tangle` (sorted), with `start` at both
/// ends.
fn shortest_cycle(graph: &Graph, tangle: &[usize], start: usize) -> Vec<usize> {
    let mut came_from = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &next in graph[&node].keys() {
            if next == start {
                // Back from `node` to `start` (the only module with no predecessor), reversed.
                let mut cycle = vec![node];
                while let Some(&previous) = cycle.last().and_then(|at| came_from.get(at)) {
                    cycle.push(previous);
                }
                cycle.reverse();
                cycle.push(start);
                return cycle;
            }
            if tangle.binary_search(&next).is_ok() && !came_from.contains_key(&next) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    unreachable!("a strongly connected component has a circle through each of its modules")
}

/// The leaves of a use tree: the path, the name it binds (none for `_` and globs), and whether
/// it is a glob.
fn use_leaves(
    tree: &UseTree,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>, bool)>,
) {
    match tree {
        UseTree::Path(path) => {
            prefix.push(path.ident.unraw().to_string());
            use_leaves(&path.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(name) if name.ident == "self" => {
            out.push((prefix.clone(), prefix.last().cloned(), false));
        }
        UseTree::Name(name) => {
            let name = name.ident.unraw().to_string();
            let mut path = prefix.clone();
            path.push(name.clone());
            out.push((path, Some(name), false));
        }
        UseTree::Rename(rename) => {
            let mut path = prefix.clone();
            path.push(rename.ident.unraw().to_string());
            let name = rename.rename.unraw().to_string();
            out.push((path, (name != "_").then_some(name), false));
        }
        UseTree::Glob(_) => out.push((prefix.clone(), None, true)),
        UseTree::Group(group) => {
            for tree in &group.items {
                use_leaves(tree, prefix, out);
            }
        }
    }
}

fn defined_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(item) => &item.ident,
        Item::Enum(item) => &item.ident,
        Item::Fn(item) => &item.sig.ident,
        Item::Macro(item) => item.ident.as_ref()?,
        Item::Static(item) => &item.ident,
        Item::Struct(item) => &item.ident,
        Item::Trait(item) => &item.ident,
        Item::TraitAlias(item) => &item.ident,
        Item::Type(item) => &item.ident,
        Item::Union(item) => &item.ident,
        _ => return None,
    };
    Some(ident.unraw().to_string())
}

/// Collects the paths an item's code names, macro arguments included.
struct Paths<'a> {
    file: &'a Path,
    found: Vec<Written>,
}

impl Paths<'_> {
    fn push(&mut self, segments: Vec<String>) {
        self.found.push(Written {
            segments,
            file: self.file.to_path_buf(),
        });
    }
}

impl<'ast> Visit<'ast> for Paths<'_> {
    /// A module inside a function body is left out: modules are read from their declarations.
    fn visit_item_mod(&mut self, _: &'ast ItemMod) {}

    /// `pub(crate)`, `pub(super)` and `pub(in path)` say who may use an item, not what it uses.
    fn visit_visibility(&mut self, _: &'ast Visibility) {}

    /// A `use` inside a function body is a use of what it imports.
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if item.leading_colon.is_none() {
            let mut leaves = Vec::new();
            use_leaves(&item.tree, &mut Vec::new(), &mut leaves);
            for (segments, _, _) in leaves {
                self.push(segments);
            }
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segments = path
                .segments
                .iter()
                .map(|segment| segment.ident.unraw().to_string())
                .collect();
            self.push(segments);
        }
        visit::visit_path(self, path);
    }

    fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
        if item.ident.is_some() {
            // A `macro_rules!` definition: only its `$crate::` paths name this crate.
            let mut found = Vec::new();
            token_paths(item.mac.tokens.clone(), true, &mut found);
            for segments in found {
                self.push(segments);
            }
        } else {
            visit::visit_item_macro(self, item);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        if matches!(
            name.as_deref(),
            Some("quote" | "quote_spanned" | "parse_quote" | "parse_quote_spanned")
        ) {
            return;
        }
        let mut found = Vec::new();
        token_paths(mac.tokens.clone(), false, &mut found);
        for segments in found {
            self.push(segments);
        }
    }
}

/// The paths (`a::b::c`, two segments or more) in a macro's tokens; with `only_dollar_crate`,
/// only those starting with `$crate` (a `macro_rules!` body, where any other path is resolved
/// where the macro is used). `$crate` is returned as `crate`.
fn token_paths(tokens: TokenStream, only_dollar_crate: bool, out: &mut Vec<Vec<String>>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let colons = |at: usize| {
        matches!(
            (tokens.get(at), tokens.get(at + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
        )
    };
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Group(group) => {
                token_paths(group.stream(), only_dollar_crate, out);
            }
            TokenTree::Ident(ident) if !(i >= 2 && colons(i - 2)) => {
                let dollar =
                    i > 0 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
                let mut segments = vec![ident.unraw().to_string()];
                let mut next = i + 1;
                while colons(next) {
                    let Some(TokenTree::Ident(segment)) = tokens.get(next + 2) else {
                        break;
                    };
                    segments.push(segment.unraw().to_string());
                    next += 3;
                }
                let dollar_crate = dollar && segments[0] == "crate";
                let wanted = if only_dollar_crate {
                    dollar_crate
                } else {
                    !dollar || dollar_crate
                };
                if wanted && segments.len() > 1 {
                    out.push(segments);
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}
