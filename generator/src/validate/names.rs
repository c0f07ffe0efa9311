//! Names: duplicate keys, duplicate and colliding type names, case and keywords.

use std::collections::HashMap;

use super::{Decl, PageItem, Validator};
use crate::checked::TypeId;
use crate::diagnostics::Diagnostic;
use crate::naming;

/// Where a checked name is written.
pub(super) enum Name<'p> {
    /// The key at this path (endpoints, fields, parameters, constructors).
    Key(&'p [&'p str]),
    /// The value at this path (`category: ...`).
    Value(&'p [&'p str]),
}

/// Whether a name goes on the wire, which decides if a hint may propose `wire:`.
#[derive(Clone, Copy)]
pub(super) enum Wire {
    /// A field or parameter without `wire:`: its key is the wire name, so a renamed key needs
    /// `wire:` to keep it.
    Unset,
    /// A field or parameter with `wire:` already: the key can change alone.
    Set,
    /// Endpoints, constructors and categories, which take no `wire:`.
    NotSent,
}

impl Wire {
    /// A field's or parameter's `wire:`.
    pub(super) fn of(wire: Option<&str>) -> Wire {
        if wire.is_some() {
            Wire::Set
        } else {
            Wire::Unset
        }
    }
}

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

    /// Method, field, parameter, constructor and category names are snake_case Rust names.
    /// A hint proposes only a name that passes this check, and `wire:` only where the key
    /// takes one and has none yet.
    pub(super) fn snake(&mut self, file: usize, at: Name<'_>, name: &str, what: &str, wire: Wire) {
        let (path, at_key) = match at {
            Name::Key(path) => (path, true),
            Name::Value(path) => (path, false),
        };
        let keep_wire = match wire {
            Wire::Unset => format!(" with `wire: {name}`, so the service still sees `{name}`"),
            Wire::Set | Wire::NotSent => String::new(),
        };
        if naming::is_keyword(name) {
            self.err(
                file,
                path,
                at_key,
                format!("{what} `{name}` is a Rust keyword"),
            )
            .label("keyword")
            .hint(format!("pick another snake_case name{keep_wire}"));
        } else if !naming::is_snake(name) {
            let snake = naming::to_snake(name);
            let hint = if naming::is_snake(&snake) && !naming::is_keyword(&snake) {
                format!("names are final Rust names: use `{snake}`{keep_wire}")
            } else {
                format!("names are final Rust names: pick a snake_case one{keep_wire}")
            };
            self.err(
                file,
                path,
                at_key,
                format!("{what} `{name}` is not snake_case"),
            )
            .hint(hint);
        }
    }

    /// Type keys are UpperCamelCase Rust names that the generated code does not already use
    /// for something else (see [`naming::reserved`]).
    pub(super) fn type_name(&mut self, file: usize, name: &str) {
        if let Some(what) = naming::reserved(name) {
            self.err(
                file,
                &["types", name],
                true,
                format!("type name `{name}` is taken: `{name}` is {what}"),
            )
            .label("reserved")
            .hint("pick a more specific name, for example one that says what it belongs to");
        } else if naming::is_keyword(name) || !naming::is_upper_camel(name) {
            self.err(
                file,
                &["types", name],
                true,
                format!("type name `{name}` is not UpperCamelCase"),
            )
            .hint(match naming::to_upper_camel(name) {
                camel if naming::is_upper_camel(&camel) && !naming::is_keyword(&camel) => {
                    format!("keys are final Rust names: use `{camel}`")
                }
                _ => "keys are final Rust names: pick an UpperCamelCase one".to_owned(),
            });
        }
    }

    /// Whether a variant name can be written as a Rust enum variant.
    pub(super) fn is_variant_name(name: &str) -> bool {
        naming::is_upper_camel(name) && !naming::is_keyword(name)
    }
}
