//! The generated types: which endpoints reach each one (its condition and its role), what it
//! derives, and how users build it.

use std::collections::{BTreeMap, BTreeSet};

use super::features::cfg;
use super::resolver::{Positions, Resolver};
use crate::checked::{self, CheckedType, TypeId, TypeKind};
use crate::model::*;
use crate::naming;

impl Resolver<'_> {
    /// Named types reachable from a type (through fields, lists, maps, unions).
    fn reach(&self, ty: &CheckedType, out: &mut BTreeSet<TypeId>) {
        let Some(id) = ty.named() else {
            return;
        };
        if !out.insert(id) {
            return;
        }
        match &self.spec[id].kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    self.reach(&f.ty, out);
                }
            }
            TypeKind::Union(u) => {
                for v in u.variants.iter() {
                    self.reach(&v.ty, out);
                }
            }
            TypeKind::Enum(_) => {}
        }
    }

    /// The types of every category file, and where each named type ended up.
    pub(super) fn modules(&self) -> (Vec<TypeModule>, Positions) {
        // Which endpoints reach each type, and in which role.
        let mut cfgs: BTreeMap<TypeId, BTreeSet<CfgTerm>> = BTreeMap::new();
        let mut usage: BTreeMap<TypeId, Usage> = BTreeMap::new();
        for cat in &self.spec.categories {
            for ep in &cat.endpoints {
                let term = CfgTerm {
                    feature: cat.key.clone(),
                    legacy: ep.deprecated.is_some(),
                };
                let mut requests = BTreeSet::new();
                let mut responses = BTreeSet::new();
                if let Some(b) = ep.body {
                    self.reach(&CheckedType::Named(b), &mut requests);
                }
                for p in ep.path_params.iter().chain(&ep.query_params) {
                    self.reach(&p.ty, &mut requests);
                }
                if let Some(r) = &ep.response {
                    self.reach(r, &mut responses);
                }
                for t in &requests {
                    usage.entry(*t).or_default().request = true;
                }
                for t in &responses {
                    usage.entry(*t).or_default().response = true;
                }
                for t in requests.iter().chain(&responses) {
                    cfgs.entry(*t).or_default().insert(term.clone());
                }
            }
        }
        // The notification's types compile with the category that declares it.
        if let Some(webhook) = &self.spec.webhook {
            let term = CfgTerm {
                feature: webhook.category.clone(),
                legacy: false,
            };
            let mut reached = BTreeSet::new();
            for f in &webhook.fields {
                self.reach(&f.ty, &mut reached);
            }
            for t in reached {
                cfgs.entry(t).or_default().insert(term.clone());
            }
        }
        let mut modules: BTreeMap<String, Vec<TypeDef>> = BTreeMap::new();
        let mut placed: Vec<(TypeId, &str, usize)> = Vec::new();
        for cat in &self.spec.categories {
            let list = modules.entry(cat.key.clone()).or_default();
            for &id in &cat.types {
                placed.push((id, &cat.key, list.len()));
                let mut u = usage.get(&id).copied().unwrap_or_default();
                if !u.request && !u.response {
                    u.response = true; // unreferenced types describe payloads
                }
                let cfg = cfg(cfgs
                    .get(&id)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default());
                list.push(self.type_def(&self.spec[id], cfg, u));
            }
        }
        for cat in &self.spec.categories {
            let list = modules.entry(cat.key.clone()).or_default();
            for ep in cat
                .endpoints
                .iter()
                .filter(|ep| !ep.query_params.is_empty())
            {
                list.push(self.query_struct(cat, ep));
            }
        }
        let module_index: BTreeMap<&str, usize> = modules
            .keys()
            .enumerate()
            .map(|(i, key)| (key.as_str(), i))
            .collect();
        let positions = placed
            .into_iter()
            .map(|(id, key, index)| (id, (module_index[key], index)))
            .collect();
        let modules = modules
            .into_iter()
            .map(|(name, types)| {
                let always = types.iter().any(|t| t.cfg.categories.is_empty());
                let mut terms: Vec<CfgTerm> = if always {
                    Vec::new()
                } else {
                    types
                        .iter()
                        .flat_map(|t| t.cfg.categories.iter().cloned())
                        .collect()
                };
                terms.sort();
                terms.dedup();
                TypeModule {
                    name,
                    cfg: cfg(terms),
                    types,
                }
            })
            .collect();
        (modules, positions)
    }

    fn query_struct(&self, cat: &checked::Category, ep: &checked::Endpoint) -> TypeDef {
        let fields: Vec<Field> = ep
            .query_params
            .iter()
            .map(|p| {
                let ty = self.ty(&p.ty);
                Field {
                    name: p.name.clone(),
                    wire: p.wire.clone(),
                    optional: p.optional,
                    required: !p.optional,
                    unset_zero: false,
                    secret: p.secret,
                    takes: takes(&ty),
                    ty,
                    doc: p.doc.clone(),
                }
            })
            .collect();
        let usage = Usage {
            request: false,
            response: false,
            query: true,
        };
        let (derives, kind) = structure(fields, &[], usage, None);
        TypeDef {
            name: naming::query_struct(&ep.name),
            doc: format!(
                "Query parameters of [`Client::{}`](crate::Client::{}).",
                ep.name, ep.name
            ),
            official: None,
            cfg: cfg(vec![CfgTerm {
                feature: cat.key.clone(),
                legacy: ep.deprecated.is_some(),
            }]),
            usage,
            derives,
            kind,
        }
    }

    fn type_def(&self, def: &checked::TypeDef, cfg: Cfg, usage: Usage) -> TypeDef {
        let (derives, kind) = match &def.kind {
            // Equality and hashing come with the runtime's `open_enum!`, on the wire value.
            TypeKind::Enum(values) => (
                vec![Derive::Clone, Derive::Debug],
                Kind::Enum(variants(values)),
            ),
            TypeKind::Union(u) => {
                // Decoded values serialize too, back to the shape they were read from, so
                // users can store and forward them.
                let mut derives = vec![Derive::Debug, Derive::Clone, Derive::Serialize];
                if usage.response {
                    derives.push(Derive::Deserialize);
                }
                let variants = u
                    .variants
                    .iter()
                    .map(|v| UnionVariant {
                        name: v.name.clone(),
                        doc: format!("The payload has the `{}` shape.", v.name),
                        ty: self.ty(&v.ty),
                        // Validation made every variant a list of the items or a page of them.
                        pages: u.page_item.as_ref().map(|_| match v.ty {
                            CheckedType::List(_) => VariantPages::Items,
                            _ => VariantPages::Page,
                        }),
                    })
                    .collect();
                let page_item = u.page_item.as_ref().map(|t| self.ty(t));
                (
                    derives,
                    Kind::Union(Union {
                        variants,
                        page_item,
                    }),
                )
            }
            TypeKind::Struct(s) => {
                let fields: Vec<Field> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let ty = self.ty(&f.ty);
                        // PortOne writes an unset time as 0 (or null, "" or nothing) whatever
                        // its schema says, so a decoded time is always an `Option` and unset
                        // is `None`.
                        let unset_zero = usage.response && ty == Ty::Timestamp;
                        Field {
                            name: f.name.clone(),
                            wire: f.wire.clone(),
                            optional: f.optional || unset_zero,
                            required: !f.optional,
                            unset_zero,
                            secret: f.secret,
                            takes: takes(&ty),
                            ty,
                            doc: f.doc.clone(),
                        }
                    })
                    .collect();
                let named: Vec<(&str, &[usize])> = s
                    .constructors
                    .iter()
                    .map(|c| (c.name.as_str(), c.fields.as_slice()))
                    .collect();
                let page = s.page.as_ref().map(|p| PageInfo {
                    items: s.fields[p.items].name.clone(),
                    items_optional: s.fields[p.items].optional,
                    item: self.ty(&p.item),
                    next: s.fields[p.next].name.clone(),
                });
                structure(fields, &named, usage, page)
            }
        };
        TypeDef {
            name: def.name.clone(),
            doc: def.doc.clone(),
            official: def.official.clone(),
            cfg,
            usage,
            derives,
            kind,
        }
    }
}

/// What constructors and setters accept for a field of type `ty`.
fn takes(ty: &Ty) -> Takes {
    match ty {
        Ty::Named(_) | Ty::Map(_) => Takes::Value,
        _ => Takes::Into,
    }
}

/// What a struct derives and which impls and builders it gets, from how it is used.
fn structure(
    fields: Vec<Field>,
    named: &[(&str, &[usize])],
    usage: Usage,
    page: Option<PageInfo>,
) -> (Vec<Derive>, Kind) {
    let builds = usage.request || usage.query;
    let redacted_debug = fields.iter().any(|f| f.secret);
    let mut derives = Vec::new();
    if !redacted_debug {
        derives.push(Derive::Debug);
    }
    derives.push(Derive::Clone);
    // `Default` only where it builds a value users may send: one with nothing required.
    if builds && !fields.iter().any(|f| f.required) {
        derives.push(Derive::Default);
    }
    let builders = builds.then(|| builders(&fields, named));
    let kind = Kind::Struct(Struct {
        fields,
        serialize: usage.request || usage.response,
        deserialize: usage.response,
        builders,
        redacted_debug,
        page,
    });
    (derives, kind)
}

/// `new` with the required fields, the spec's named constructors (the required fields they
/// do not list, then the ones they do), and a setter for every optional field.
fn builders(fields: &[Field], named: &[(&str, &[usize])]) -> Builders {
    let required: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].required).collect();
    let new_doc = if required.is_empty() {
        "Starts with every field unset; fill in what you need with the setters."
    } else {
        "Starts with the required fields; set optional ones with the setters."
    };
    let mut constructors = vec![Constructor {
        name: naming::CONSTRUCTOR.to_owned(),
        doc: new_doc.to_owned(),
        args: required.clone(),
    }];
    for (name, listed) in named {
        let mut args: Vec<usize> = required
            .iter()
            .copied()
            .filter(|r| !listed.contains(r))
            .collect();
        args.extend_from_slice(listed);
        let shown = args
            .iter()
            .map(|&i| format!("`{}`", fields[i].name))
            .collect::<Vec<_>>()
            .join(", ");
        constructors.push(Constructor {
            name: (*name).to_owned(),
            doc: format!("Starts from {shown}; set optional fields with the setters."),
            args,
        });
    }
    Builders {
        constructors,
        setters: (0..fields.len())
            .filter(|&i| fields[i].optional && !fields[i].required)
            .collect(),
    }
}

/// An enum's values as variants: the one conversion, for the crate's enums and the fake's.
pub(super) fn variants(values: &checked::NonEmpty<checked::EnumValue>) -> Vec<Variant> {
    values
        .iter()
        .map(|v| Variant {
            name: v.variant.clone(),
            wire: v.wire.clone(),
            doc: v.doc.clone(),
        })
        .collect()
}
