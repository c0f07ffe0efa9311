//! Named types: type expressions, the one-shape rule, and types that contain themselves.

use std::collections::HashSet;

use super::{PageItem, Validator};
use crate::checked::{CheckedType, TypeDef, TypeId, TypeKind};
use crate::naming;
use crate::types_expr::TypeExpr;

impl Validator<'_> {
    /// Parses a type expression and resolves the type it names, reporting a malformed
    /// expression or an unknown name.
    pub(super) fn type_ref(
        &mut self,
        file: usize,
        path: &[&str],
        text: &str,
    ) -> Option<CheckedType> {
        let expr = match TypeExpr::parse(text) {
            Ok(expr) => expr,
            Err(message) => {
                self.err(file, path, false, format!("bad type expression: {message}"))
                    .label("here");
                return None;
            }
        };
        let checked = self.lower(&expr);
        let name = expr.named().unwrap_or_default();
        if checked.is_none() && !self.maybe_in_broken_file(name) {
            let suggestion = naming::suggest(name, self.names.keys().copied()).map(str::to_owned);
            let d = self
                .err(file, path, false, format!("unknown type `{name}`"))
                .label("not defined in spec/");
            if let Some(s) = suggestion {
                d.hint(format!("did you mean `{s}`?"));
            }
        }
        checked
    }

    /// Whether a file that did not load may define `name`: its text holds the name as a word.
    /// A type defined there is unknown only because of that file's error, which is reported;
    /// an unknown type no broken file mentions is a mistake of its own and reported too.
    fn maybe_in_broken_file(&self, name: &str) -> bool {
        self.loaded.broken.iter().any(|&file| {
            let text = self.loaded.sources.text(file);
            text.match_indices(name).any(|(at, _)| {
                let word = |c: char| c.is_alphanumeric() || c == '_';
                !text[..at].ends_with(word) && !text[at + name.len()..].starts_with(word)
            })
        })
    }

    /// The expression with its name resolved, if the name is defined.
    fn lower(&self, expr: &TypeExpr) -> Option<CheckedType> {
        Some(match expr {
            TypeExpr::Scalar(s) => CheckedType::Scalar(*s),
            TypeExpr::Named(n) => CheckedType::Named(*self.names.get(n.as_str())?),
            TypeExpr::List(t) => CheckedType::List(Box::new(self.lower(t)?)),
            TypeExpr::Map(t) => CheckedType::Map(Box::new(self.lower(t)?)),
        })
    }

    /// Whether the declaration of `id` is an enum (whatever else is wrong with it).
    pub(super) fn is_enum(&self, id: TypeId) -> bool {
        self.decls[id.index()].def.enum_values.is_some()
    }

    /// Whether the declaration of `id` is a union (whatever else is wrong with it).
    pub(super) fn is_union(&self, id: TypeId) -> bool {
        self.decls[id.index()].def.one_of.is_some()
    }

    /// Whether the declaration of `id` is a struct (whatever else is wrong with it).
    pub(super) fn is_struct(&self, id: TypeId) -> bool {
        self.decls[id.index()].def.fields.is_some()
    }

    /// Checks every declared type, then what each union pages over (which needs the pages
    /// of the structs it holds).
    pub(super) fn type_defs(&mut self) -> Vec<Option<TypeDef>> {
        let mut defs: Vec<Option<TypeDef>> = (0..self.decls.len())
            .map(|i| self.type_def(TypeId(i)))
            .collect();
        for (i, def) in defs.iter_mut().enumerate() {
            let id = TypeId(i);
            if !self.is_union(id) || self.is_struct(id) {
                continue;
            }
            let item = self.union_page_item(&self.variant_types[i]);
            if let Some(TypeDef {
                kind: TypeKind::Union(u),
                ..
            }) = def
            {
                if let PageItem::Item(t) = &item {
                    u.page_item = Some(t.clone());
                }
            }
            self.page_items[i] = item;
        }
        defs
    }

    fn type_def(&mut self, id: TypeId) -> Option<TypeDef> {
        let decl = self.decls[id.index()];
        let (f, name, def) = (decl.file, decl.name, decl.def);
        let at = ["types", name];
        self.type_name(f, name);
        let doc = self.doc(f, &at, def.doc.as_deref(), &format!("type `{name}`"));
        let fields = def
            .fields
            .as_ref()
            .map(|fields| self.struct_type(id, fields));
        if fields.is_none() && (!def.constructors.is_empty() || def.page.is_some()) {
            self.err(
                f,
                &at,
                true,
                "`constructors` and `page` only apply to struct types".into(),
            );
        }
        let values = def
            .enum_values
            .as_ref()
            .map(|values| self.enum_type(id, values));
        let variants = def
            .one_of
            .as_ref()
            .map(|variants| self.union_type(id, variants));
        let kind = match (fields, values, variants) {
            (Some(s), None, None) => TypeKind::Struct(s?),
            (None, Some(values), None) => TypeKind::Enum(values?),
            (None, None, Some(u)) => TypeKind::Union(u?),
            _ => {
                self.err(
                    f,
                    &at,
                    true,
                    format!("type `{name}` must have exactly one of `fields`, `enum` or `one_of`"),
                );
                return None;
            }
        };
        Some(TypeDef {
            name: name.to_owned(),
            doc: doc?,
            official: def.official.clone(),
            kind,
        })
    }

    /// A struct that contains itself without a list or map in between has infinite size.
    pub(super) fn cycles(&mut self) {
        for start in 0..self.decls.len() {
            let start = TypeId(start);
            let mut stack = vec![start];
            let mut seen = HashSet::new();
            while let Some(cur) = stack.pop() {
                for next in self.direct[cur.index()].clone() {
                    if next == start {
                        let decl = self.decls[start.index()];
                        self.err(
                            decl.file,
                            &["types", decl.name],
                            true,
                            format!("type `{}` contains itself without indirection", decl.name),
                        )
                        .hint("wrap the recursive field in a list (`[T]`)");
                        stack.clear();
                        break;
                    }
                    if seen.insert(next) {
                        stack.push(next);
                    }
                }
            }
        }
    }
}
