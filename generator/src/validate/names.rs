//! Names: duplicate keys, duplicate and colliding type names, case and keywords.

use std::collections::HashMap;

use super::{Decl, PageItem, Validator};
use crate::checked::TypeId;
use crate::diagnostics::Diagnostic;
use crate::naming;

impl<'a> Validator<'a> {
    /// YAML keeps only one of two equal keys; the loader saw both.
    pub(super) fn duplicate_keys(&mut self) {
        for (file, path, span) in self.loaded.index.duplicate_keys().to_vec() {
            let key = path.last().cloned().unwrap_or_default();
            self.push(Diagnostic::error(
                file,
                span,
                format!("`{key}` appears twice in the same mapping"),
            ))
            .label("second definition")
            .hint("YAML keeps only one of them; remove or rename the duplicate");
        }
    }

    /// Gives every type name a [`TypeId`] (the first definition wins), reporting names defined
    /// twice or colliding after case conversion.
    pub(super) fn declare_types(&mut self) {
        let mut by_key: HashMap<String, &str> = HashMap::new();
        for cat in &self.loaded.spec.categories {
            let mut declared = Vec::new();
            for (name, def) in &cat.types {
                if let Some(first) = self.names.get(name.as_str()) {
                    let other = self
                        .loaded
                        .sources
                        .name(self.decls[first.index()].file)
                        .to_owned();
                    self.err(
                        cat.file,
                        &["types", name],
                        true,
                        format!("type `{name}` is defined twice"),
                    )
                    .hint(format!("the other definition is in {other}"));
                    continue;
                }
                let key = naming::collision_key(name);
                if let Some(other) = by_key.insert(key, name) {
                    self.err(
                        cat.file,
                        &["types", name],
                        true,
                        format!("type `{name}` collides with `{other}` after case conversion"),
                    )
                    .hint("rename one of them");
                }
                let id = TypeId(self.decls.len());
                self.decls.push(Decl {
                    file: cat.file,
                    name,
                    def,
                });
                self.names.insert(name, id);
                declared.push(id);
            }
            self.declared_in.push(declared);
        }
        self.direct = vec![Vec::new(); self.decls.len()];
        self.page_items = vec![PageItem::NotPaged; self.decls.len()];
        self.variant_types = vec![Vec::new(); self.decls.len()];
    }

    /// Method, field, parameter, constructor and category keys are snake_case Rust names.
    pub(super) fn snake(&mut self, file: usize, path: &[&str], name: &str, what: &str) {
        if naming::is_keyword(name) {
            self.err(
                file,
                path,
                true,
                format!("{what} `{name}` is a Rust keyword"),
            )
            .label("keyword")
            .hint(format!(
                "pick another key and keep the wire name with `wire: {name}`"
            ));
        } else if !naming::is_snake(name) {
            self.err(file, path, true, format!("{what} `{name}` is not snake_case"))
                .hint(format!("keys are final Rust names: use `{}` (and `wire: {name}` if the service spells it so)", naming::to_snake(name)));
        }
    }

    /// Type keys are UpperCamelCase Rust names.
    pub(super) fn type_name(&mut self, file: usize, name: &str) {
        if naming::is_keyword(name) || !naming::is_upper_camel(name) {
            self.err(
                file,
                &["types", name],
                true,
                format!("type name `{name}` is not UpperCamelCase"),
            )
            .hint(format!(
                "keys are final Rust names: use `{}`",
                naming::to_upper_camel(name)
            ));
        }
    }

    /// Whether a variant name can be written as a Rust enum variant.
    pub(super) fn is_variant_name(name: &str) -> bool {
        naming::is_upper_camel(name) && !naming::is_keyword(name)
    }
}
