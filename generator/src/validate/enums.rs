//! Enum types: at least one value, each documented, with a usable and distinct variant name.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::{Validator, all};
use crate::checked::{EnumValue, NonEmpty, TypeId};
use crate::naming;
use crate::spec;

impl Validator<'_> {
    pub(super) fn enum_type(
        &mut self,
        id: TypeId,
        values: &IndexMap<String, spec::EnumValue>,
    ) -> Option<NonEmpty<EnumValue>> {
        let decl = self.decls[id.index()];
        let (f, name) = (decl.file, decl.name);
        if values.is_empty() {
            self.err(
                f,
                &["types", name, "enum"],
                false,
                format!("enum `{name}` has no values"),
            );
        }
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        let mut checked = Vec::new();
        for (wire, value) in values {
            let at = ["types", name, "enum", wire];
            let doc = self.doc(f, &at, value.doc(), &format!("enum value `{name}::{wire}`"));
            let variant = value
                .name()
                .map(str::to_owned)
                .unwrap_or_else(|| naming::variant(wire));
            if !Self::is_variant_name(&variant) || variant == "Unknown" {
                self.err(f, &at, true, format!("`{wire}` gives the variant name `{variant}`, which is a keyword or not UpperCamelCase"))
                    .hint("set one with `{ name: SomeName, doc: ... }` (`Unknown` is reserved for unknown values)");
            } else if let Some(other) = seen.insert(variant.clone(), wire) {
                self.err(
                    f,
                    &at,
                    true,
                    format!(
                        "enum values `{other}` and `{wire}` both become the variant `{variant}`"
                    ),
                )
                .label("collides after case conversion")
                .hint(format!(
                    "give one an explicit name: `\"{wire}\": {{ name: ..., doc: ... }}`"
                ));
            }
            checked.push(doc.map(|doc| EnumValue {
                wire: wire.clone(),
                variant,
                doc,
            }));
        }
        let mut values = all(checked)?.into_iter();
        Some(NonEmpty {
            first: values.next()?,
            rest: values.collect(),
        })
    }
}
