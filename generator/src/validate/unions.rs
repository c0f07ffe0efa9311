//! Union types: at least one variant, each a Rust variant name over a known type.

use indexmap::IndexMap;

use super::{Validator, all};
use crate::checked::{CheckedType, NonEmpty, TypeId, Union, UnionVariant};

impl Validator<'_> {
    /// The union without its page item, which `type_defs` adds once every struct is checked.
    pub(super) fn union_type(
        &mut self,
        id: TypeId,
        variants: &IndexMap<String, String>,
    ) -> Option<Union> {
        let decl = self.decls[id.index()];
        let (f, name) = (decl.file, decl.name);
        if variants.is_empty() {
            self.err(
                f,
                &["types", name, "one_of"],
                false,
                "a union needs at least one variant".into(),
            );
        }
        let mut types = Vec::new();
        let mut checked = Vec::new();
        for (vname, vty) in variants {
            let at = ["types", name, "one_of", vname];
            if !Self::is_variant_name(vname) {
                self.err(
                    f,
                    &at,
                    true,
                    format!("variant `{vname}` is a Rust keyword or not UpperCamelCase"),
                );
            }
            let ty = self.type_ref(f, &at, vty);
            if let Some(CheckedType::Named(held)) = &ty {
                self.direct[id.index()].push(*held);
            }
            checked.push(ty.clone().map(|ty| UnionVariant {
                name: vname.clone(),
                ty,
            }));
            types.push(ty);
        }
        self.variant_types[id.index()] = types;
        let mut variants = all(checked)?.into_iter();
        Some(Union {
            variants: NonEmpty {
                first: variants.next()?,
                rest: variants.collect(),
            },
            page_item: None,
        })
    }
}
