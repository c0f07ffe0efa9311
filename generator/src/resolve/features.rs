//! Which cargo features compile each item: a condition per item from the categories that
//! reach it, and an internal feature for every set of two or more categories sharing items.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Cfg, CfgTerm, InternalFeature, TypeModule};
use crate::naming;

/// A condition as the categories say it; [`internal_features`] rewrites its `test` where
/// several categories share the item.
pub(super) fn cfg(terms: Vec<CfgTerm>) -> Cfg {
    Cfg {
        test: terms.clone(),
        categories: terms,
        doc: Vec::new(),
    }
}

/// The categories (without `legacy`) of a condition, when two or more share the item.
fn shared(cfg: &Cfg) -> Option<Vec<String>> {
    let set: BTreeSet<&String> = cfg
        .categories
        .iter()
        .filter(|t| !t.legacy)
        .map(|t| &t.feature)
        .collect();
    (set.len() >= 2).then(|| set.into_iter().cloned().collect())
}

/// Names an internal feature for every set of two or more categories that a type or a
/// category file needs, and rewrites each condition's `test` to use it. Types are named first,
/// in module and spec order, then the category files whose set no type has; so a name only
/// changes when an earlier type comes to need the same set.
pub(super) fn internal_features(modules: &mut [TypeModule]) -> Vec<InternalFeature> {
    let mut named: BTreeMap<Vec<String>, InternalFeature> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut name = |set: Vec<String>, wanted: String, by: String| {
        if named.contains_key(&set) {
            return;
        }
        let mut name = wanted.clone();
        let mut n = 1;
        while !taken.insert(name.clone()) {
            n += 1;
            name = format!("{wanted}_{n}");
        }
        named.insert(
            set.clone(),
            InternalFeature {
                name,
                first_needed_by: by,
                categories: set,
            },
        );
    };
    for t in modules.iter().flat_map(|m| &m.types) {
        if let Some(set) = shared(&t.cfg) {
            name(
                set,
                naming::internal_feature(&t.name),
                format!("`{}`", t.name),
            );
        }
    }
    for m in modules.iter() {
        if let Some(set) = shared(&m.cfg) {
            let by = format!("The types of `{}`", m.name);
            name(set, naming::module_feature(&m.name), by);
        }
    }
    let test = |cfg: &mut Cfg| {
        let plain: Vec<CfgTerm> = cfg
            .categories
            .iter()
            .filter(|t| !t.legacy)
            .cloned()
            .collect();
        // A legacy term adds nothing where its category is there without it.
        let legacy: Vec<CfgTerm> = cfg
            .categories
            .iter()
            .filter(|t| t.legacy && !plain.iter().any(|p| p.feature == t.feature))
            .cloned()
            .collect();
        match shared(cfg).and_then(|set| named.get(&set)) {
            Some(f) => {
                // The docs hide internal features: they show the categories instead.
                cfg.doc = [plain, legacy.clone()].concat();
                cfg.test = [
                    vec![CfgTerm {
                        feature: f.name.clone(),
                        legacy: false,
                    }],
                    legacy,
                ]
                .concat();
            }
            None => cfg.test = [plain, legacy].concat(),
        }
    };
    for m in modules.iter_mut() {
        test(&mut m.cfg);
        for t in &mut m.types {
            test(&mut t.cfg);
        }
    }
    let mut features: Vec<InternalFeature> = named.into_values().collect();
    features.sort_by(|a, b| a.name.cmp(&b.name));
    features
}
