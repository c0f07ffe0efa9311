//! The category file of `spec/` an official operation belongs in: where `import` writes it,
//! and the section under which `drift` lists it as missing.

use std::collections::BTreeMap;

use super::swagger::{Operation, Swagger};
use crate::naming;
use crate::spec::{CategoryFile, Spec};

/// The category file an official operation belongs in.
pub(crate) enum Home<'s> {
    /// An existing category.
    Category(&'s CategoryFile),
    /// A category `spec/` does not have yet: its key, and the official category id it covers.
    New {
        key: String,
        official: Option<String>,
    },
}

/// The category of an official operation: the one whose `official:` list has the operation's
/// `x-portone-category`; for a file without those ids, the category most of the spec's
/// endpoints with the operation's first tag are in; otherwise a new one named after the
/// official category (or tag).
pub(crate) fn home<'s>(spec: &'s Spec, official: &Swagger, op: &Operation) -> Home<'s> {
    let category = op.category.as_deref();
    if let Some(id) = category {
        if let Some(c) = spec
            .categories
            .iter()
            .find(|c| c.official.iter().any(|o| o == id))
        {
            return Home::Category(c);
        }
    }
    if category.is_none() && op.tag.is_some() {
        let mut votes: BTreeMap<&str, (usize, &CategoryFile)> = BTreeMap::new();
        for other in official.operations.iter().filter(|o| o.tag == op.tag) {
            for c in &spec.categories {
                if c.endpoints
                    .values()
                    .any(|e| e.method.as_str() == other.method && e.path == other.path)
                {
                    votes.entry(&c.category).or_insert((0, c)).0 += 1;
                }
            }
        }
        if let Some((_, c)) = votes.into_values().max_by_key(|(n, _)| *n) {
            return Home::Category(c);
        }
    }
    let named = category.or(op.tag.as_deref()).unwrap_or_default();
    let key = naming::category_from_official(named);
    match spec.categories.iter().find(|c| c.category == key) {
        Some(c) => Home::Category(c),
        None => Home::New {
            key,
            official: category.map(str::to_owned),
        },
    }
}
