//! A crate's modules read from its root file along its `mod` declarations, with what each
//! module defines, imports and names in its code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt as _;
use syn::visit::{self, Visit};
use syn::{Item, ItemMod, UseTree, Visibility};

/// A path as written in a module, and the file it is written in.
pub(crate) struct Written {
    pub(crate) segments: Vec<String>,
    pub(crate) file: PathBuf,
}

impl Written {
    pub(crate) fn text(&self) -> String {
        self.segments.join("::")
    }
}

/// A name a `use` item brings in (`glob` for `*`).
pub(crate) struct Import {
    pub(crate) path: Written,
    pub(crate) name: Option<String>,
    pub(crate) glob: bool,
    pub(crate) public: bool,
}

#[derive(Default)]
pub(crate) struct Module {
    /// The path from the crate root, empty for the root.
    pub(crate) name: String,
    pub(crate) parent: Option<usize>,
    pub(crate) children: BTreeMap<String, usize>,
    /// The items defined here (types, functions, constants, macros...).
    pub(crate) defined: BTreeSet<String>,
    pub(crate) imports: Vec<Import>,
    /// Every other path its code names.
    pub(crate) paths: Vec<Written>,
}

/// The modules of one crate.
#[derive(Default)]
pub(crate) struct Tree {
    pub(crate) modules: Vec<Module>,
    /// `#[macro_export]` macros, which live at the crate root whatever module defines them.
    pub(crate) exported_macros: BTreeMap<String, usize>,
    /// Every file read.
    pub(crate) files: BTreeSet<PathBuf>,
}

impl Tree {
    pub(crate) fn read(root: &Path) -> Result<Tree, String> {
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
    pub(crate) fn push(&mut self, segments: Vec<String>) {
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
