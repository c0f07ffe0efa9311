//! Step 3: lower the checked spec into the [`Model`]: final names, Rust types, which cargo
//! features compile each item, what each type derives and how users build it, the docs of
//! generated items, and sample values for the generated contract tests. `emit` makes no
//! decisions of its own.
//!
//! The input is validate's [`CheckedSpec`]: every reference is a [`TypeId`], so nothing here
//! looks a name up or falls back when a lookup fails.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::checked::{self, BodyFormat, CheckedSpec, CheckedType, TypeId, TypeKind};
use crate::model::*;
use crate::naming;
use crate::types_expr::Scalar;

/// Lowers a checked spec.
pub fn resolve(spec: &CheckedSpec) -> Model {
    let r = Resolver { spec };
    let mut categories: Vec<Category> = spec.categories.iter().map(|c| r.category(c)).collect();
    categories.sort_by(|a, b| a.key.cmp(&b.key));
    let mut modules = r.modules();
    let internal_features = internal_features(&mut modules);
    for c in &mut categories {
        c.enables = internal_features
            .iter()
            .filter(|f| f.categories.contains(&c.key))
            .map(|f| f.name.clone())
            .collect();
    }
    let enum_samples = enum_samples(&modules);
    let webhook = spec.webhook.as_ref().map(|w| r.webhook(w));
    let flows = spec.flows.as_ref().map(|f| flows(spec, f, &modules));
    let service = &spec.service;
    Model {
        crate_name: service.crate_name.clone(),
        crate_ident: naming::crate_ident(&service.crate_name),
        runtime_crate: naming::runtime_crate(&service.crate_name),
        runtime_crate_ident: naming::crate_ident(&naming::runtime_crate(&service.crate_name)),
        crate_version: service.version.clone(),
        title: service.title.clone(),
        base_url: service.base_url.clone(),
        doc: service.doc.clone(),
        categories,
        modules,
        enum_samples,
        internal_features,
        webhook,
        flows,
        fake_crate_ident: naming::fake_crate_ident(&service.crate_name),
    }
}

/// The helpers of `flows:`; the types' conditions are read from `modules`, after
/// [`internal_features`] has rewritten them.
fn flows(spec: &CheckedSpec, f: &checked::Flows, modules: &[TypeModule]) -> Flows {
    let type_cfg = |id: TypeId| {
        let name = &spec[id].name;
        modules
            .iter()
            .flat_map(|m| &m.types)
            .find(|t| &t.name == name)
            .map(|t| t.cfg.clone())
            .unwrap_or_default()
    };
    let lookup = |l: &checked::FlowLookup| FlowLookup {
        method: l.name.clone(),
        query: l.query.then(|| naming::query_struct(&l.name)),
    };
    Flows {
        payment: spec[f.payment].name.clone(),
        payment_cfg: type_cfg(f.payment),
        cancellation: spec[f.cancellation].name.clone(),
        cancellation_cfg: type_cfg(f.cancellation),
        history_optional: f.history_optional,
        vbank_optional: f.vbank_optional,
        cancellation_id_optional: f.cancellation_id_optional,
        cfg: cfg(vec![CfgTerm {
            feature: f.category.clone(),
            legacy: false,
        }]),
        methods: naming::FLOW_METHODS.map(str::to_owned).to_vec(),
        lookup: lookup(&f.lookup),
        lookup_by_order: lookup(&f.lookup_by_order),
        cancel: f.cancel.clone(),
        cancel_body: spec[f.cancel_body].name.clone(),
        charge: f.charge.clone(),
    }
}

/// Every value of every enum, and one it does not list, for a test that decodes them all.
fn enum_samples(modules: &[TypeModule]) -> Vec<EnumSample> {
    modules
        .iter()
        .flat_map(|m| &m.types)
        .filter_map(|t| match &t.kind {
            Kind::Enum(variants) => {
                let mut unknown = String::from("not-a-listed-value");
                while variants.iter().any(|v| v.wire == unknown) {
                    unknown.push('-');
                }
                Some(EnumSample {
                    ty: t.name.clone(),
                    test: naming::enum_test(&t.name),
                    cfg: t.cfg.clone(),
                    values: variants
                        .iter()
                        .map(|v| (v.wire.clone(), v.name.clone()))
                        .collect(),
                    unknown,
                })
            }
            Kind::Struct(_) | Kind::Union(_) => None,
        })
        .collect()
}

/// A condition as the categories say it; [`internal_features`] rewrites its `test` where
/// several categories share the item.
fn cfg(terms: Vec<CfgTerm>) -> Cfg {
    Cfg {
        test: terms.clone(),
        categories: terms,
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
fn internal_features(modules: &mut [TypeModule]) -> Vec<InternalFeature> {
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
        let mut test = match shared(cfg).and_then(|set| named.get(&set)) {
            Some(f) => vec![CfgTerm {
                feature: f.name.clone(),
                legacy: false,
            }],
            None => plain.clone(),
        };
        test.extend(
            cfg.categories
                .iter()
                .filter(|t| t.legacy && !plain.iter().any(|p| p.feature == t.feature))
                .cloned(),
        );
        cfg.test = test;
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

struct Resolver<'a> {
    spec: &'a CheckedSpec,
}

impl Resolver<'_> {
    fn ty(&self, t: &CheckedType) -> Ty {
        match t {
            CheckedType::Scalar(s) => match s {
                Scalar::String => Ty::String,
                Scalar::Integer => Ty::Integer,
                Scalar::Number => Ty::Number,
                Scalar::Boolean => Ty::Bool,
                Scalar::Amount => Ty::Amount,
                Scalar::Timestamp => Ty::Timestamp,
                Scalar::Json => Ty::Json,
            },
            CheckedType::Named(id) => {
                let def = &self.spec[*id];
                match def.kind {
                    TypeKind::Enum(_) => Ty::Enum(def.name.clone()),
                    TypeKind::Struct(_) | TypeKind::Union(_) => Ty::Named(def.name.clone()),
                }
            }
            CheckedType::List(t) => Ty::List(Box::new(self.ty(t))),
            CheckedType::Map(t) => Ty::Map(Box::new(self.ty(t))),
        }
    }

    fn category(&self, cat: &checked::Category) -> Category {
        Category {
            key: cat.key.clone(),
            doc: cat.doc.clone(),
            impl_doc: format!(
                "Category `{}`, behind the cargo feature `{}` (on by default): {}",
                cat.key,
                cat.key,
                cat.doc.trim_end()
            ),
            official: cat.official.clone(),
            enables: Vec::new(),
            endpoints: cat
                .endpoints
                .iter()
                .map(|ep| self.endpoint(cat, ep))
                .collect(),
        }
    }

    fn endpoint(&self, cat: &checked::Category, ep: &checked::Endpoint) -> Endpoint {
        let name = &ep.name;
        let path_params: Vec<PathArg> = ep
            .path_params
            .iter()
            .map(|p| PathArg {
                name: p.name.clone(),
                pass: match self.ty(&p.ty) {
                    Ty::Enum(n) => Pass::Enum(n),
                    Ty::Integer => Pass::Integer,
                    _ => Pass::Str,
                },
                doc: p.doc.clone(),
            })
            .collect();
        let query = (!ep.query_params.is_empty()).then(|| QueryArg {
            type_name: naming::query_struct(name),
            fields: ep
                .query_params
                .iter()
                .map(|p| (p.name.clone(), p.wire.clone()))
                .collect(),
        });
        let response = ep.response.as_ref().map_or(Ty::Unit, |r| self.ty(r));
        let stream = ep.paging.as_ref().map(|paging| {
            let item = self.ty(&paging.item);
            let shown = match &item {
                Ty::Named(n) | Ty::Enum(n) => format!("[`{n}`](crate::types::{n})"),
                _ => "item".to_owned(),
            };
            Stream {
                name: naming::stream_method(name),
                doc: format!(
                    "Every {shown} of [`{name}`](Self::{name}), page after page, as a stream. It \
                     starts at the query's page (or 1), stops after the last page, and ends \
                     early on the first error."
                ),
                item,
                query: naming::query_struct(name),
                page_param: paging.param.clone(),
                test: naming::walk_test(name),
            }
        });
        let deprecated = ep.deprecated.as_ref().map(|d| Deprecation {
            since: d.since.clone(),
            crate_since: d.crate_since.clone(),
            note: format!(
                "PortOne removed this operation from its published schema on {}. {}",
                d.since, d.note
            ),
        });
        let method = ep.method.as_str();
        Endpoint {
            name: name.clone(),
            doc: method_doc(ep, deprecated.as_ref(), &path_params),
            method: method.to_owned(),
            runtime_method: naming::runtime_method(method),
            path: ep.path.clone(),
            const_name: naming::endpoint_const(name),
            idempotent: ep.idempotent,
            auth: ep.auth,
            path_params,
            query,
            body: ep.body.map(|id| self.spec[id].name.clone()),
            response,
            cfg: cfg(vec![CfgTerm {
                feature: cat.key.clone(),
                legacy: ep.deprecated.is_some(),
            }]),
            deprecated,
            stream,
            official: ep.official.clone(),
            official_response: ep.official_response.clone(),
            sample: self.endpoint_sample(ep),
            wire: self.wire_shape(ep),
        }
    }

    fn wire_shape(&self, ep: &checked::Endpoint) -> WireShape {
        let param = |p: &checked::Param| WireParam {
            name: p.name.clone(),
            wire: p.wire.clone(),
            ty: self.wire_ty(&p.ty),
            required: !p.optional,
        };
        let body = match ep.body.map(|id| &self.spec[id].kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .map(|f| WireParam {
                    name: f.name.clone(),
                    wire: f.wire.clone(),
                    ty: self.wire_ty(&f.ty),
                    required: !f.optional,
                })
                .collect(),
            _ => Vec::new(),
        };
        WireShape {
            path: ep.path_params.iter().map(param).collect(),
            query: ep.query_params.iter().map(param).collect(),
            body,
        }
    }

    fn wire_ty(&self, t: &CheckedType) -> WireTy {
        match t {
            CheckedType::Scalar(s) => match s {
                Scalar::String => WireTy::String,
                Scalar::Integer | Scalar::Timestamp => WireTy::Integer,
                Scalar::Number | Scalar::Amount => WireTy::Number,
                Scalar::Boolean => WireTy::Boolean,
                Scalar::Json => WireTy::Json,
            },
            CheckedType::Named(id) => match self.spec[*id].kind {
                TypeKind::Enum(_) => WireTy::String,
                TypeKind::Struct(_) => WireTy::Object,
                TypeKind::Union(_) => WireTy::Json,
            },
            CheckedType::List(inner) => WireTy::List(Box::new(self.wire_ty(inner))),
            CheckedType::Map(_) => WireTy::Object,
        }
    }

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

    fn modules(&self) -> Vec<TypeModule> {
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
        for cat in &self.spec.categories {
            let list = modules.entry(cat.key.clone()).or_default();
            for &id in &cat.types {
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
        modules
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
            .collect()
    }

    fn webhook(&self, webhook: &checked::Webhook) -> Webhook {
        let type_name = naming::NOTIFICATION.to_owned();
        let formats: Vec<&str> = webhook
            .formats
            .iter()
            .map(|f| match f {
                BodyFormat::Json => "Json",
                BodyFormat::Form => "Form",
            })
            .collect();
        let media_types: Vec<String> = webhook
            .formats
            .iter()
            .map(|f| match f {
                BodyFormat::Json => "`application/json`".to_owned(),
                BodyFormat::Form => "`application/x-www-form-urlencoded`".to_owned(),
            })
            .collect();
        let fields: Vec<WebhookField> = webhook
            .fields
            .iter()
            .map(|f| WebhookField {
                name: f.name.clone(),
                wire: f.wire.clone(),
                ty: self.ty(&f.ty),
                optional: f.optional,
                doc: f.doc.clone(),
            })
            .collect();
        let mut body = Map::new();
        let mut example_check = None;
        for f in webhook.fields.iter().filter(|f| !f.optional) {
            let example = f.example.clone().map(serde_yaml::Value::String);
            let value = self.json_value(&f.ty, example.as_ref(), &f.name, 0, false);
            if let (None, CheckedType::Scalar(Scalar::String), Some(text)) =
                (&example_check, &f.ty, value.as_str())
            {
                example_check = Some((f.name.clone(), text.to_owned()));
            }
            body.insert(f.wire.clone(), value);
        }
        let enums = if fields.iter().any(|f| matches!(f.ty, Ty::Enum(_))) {
            " An enum field keeps a value this version does not know as its `Unknown` variant."
        } else {
            ""
        };
        Webhook {
            module: naming::WEBHOOK_MODULE.to_owned(),
            doc: webhook.doc.clone(),
            cfg: cfg(vec![CfgTerm {
                feature: webhook.category.clone(),
                legacy: false,
            }]),
            parse_doc: format!(
                "Reads a notification from the request body and the value of its `Content-Type` \
                 header.\n\nThe body may be {} (the media type is compared without regard to \
                 case; parameters such as `; charset=utf-8` are ignored). Pass `\"\"` when the \
                 header is missing: a body starting with `{{` or `[` is then read as JSON, any \
                 other as a form. Fields are text: a JSON `null` counts as absent, and a \
                 number, boolean, array or object is refused rather than converted.{enums} A key \
                 given twice, a body that is not UTF-8 and a body over \
                 [`MAX_NOTIFICATION_SIZE`] bytes are refused too; every refusal is a \
                 [`WebhookError`] naming what was wrong, never a panic.",
                media_types.join(" or ")
            ),
            type_doc: format!(
                "A notification PortOne posted to your `notice_url`, read by \
                 [`{type_name}::parse`]. It is a hint, not proof: see the [module \
                 documentation](self)."
            ),
            type_name,
            formats: formats.into_iter().map(str::to_owned).collect(),
            fields,
            extra: naming::NOTIFICATION_EXTRA.to_owned(),
            extra_doc: "Every key of the body that no field above reads, with its value as \
                        received (a form value is a JSON string), so nothing PortOne adds is \
                        lost."
                .to_owned(),
            example_body: webhook
                .formats
                .contains(&BodyFormat::Json)
                .then(|| Value::Object(body).to_string()),
            example_check,
        }
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
            TypeKind::Enum(values) => (
                vec![
                    Derive::Clone,
                    Derive::Debug,
                    Derive::PartialEq,
                    Derive::Eq,
                    Derive::Hash,
                ],
                Kind::Enum(
                    values
                        .iter()
                        .map(|v| Variant {
                            name: v.variant.clone(),
                            wire: v.wire.clone(),
                            doc: v.doc.clone(),
                        })
                        .collect(),
                ),
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

    // ----- samples for generated contract tests -----

    fn endpoint_sample(&self, ep: &checked::Endpoint) -> EndpointSample {
        let mut path = ep.path.clone();
        let mut path_args = Vec::new();
        for p in &ep.path_params {
            let value = self.json_value(&p.ty, p.example.as_ref(), &p.name, 0, true);
            path = path.replace(&format!("{{{}}}", p.wire), &plain(&value));
            path_args.push(self.sample(&p.ty, &value));
        }
        let mut query_pairs = Vec::new();
        let mut required = Vec::new();
        let mut optional = Vec::new();
        for p in &ep.query_params {
            let value = self.json_value(&p.ty, p.example.as_ref(), &p.name, 0, true);
            let first = match &value {
                Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
                v => v.clone(),
            };
            query_pairs.push((p.wire.clone(), plain(&first)));
            let sample = self.sample(&p.ty, &value);
            if p.optional {
                optional.push((p.name.clone(), sample, true));
            } else {
                required.push(sample);
            }
        }
        let query = (!ep.query_params.is_empty()).then(|| Sample::Struct {
            ty: naming::query_struct(&ep.name),
            required,
            optional,
        });
        let (body, body_json) = match ep.body {
            Some(id) => {
                let ty = CheckedType::Named(id);
                let json = self.json_value(&ty, None, "body", 0, true);
                (Some(self.sample(&ty, &json)), Some(json))
            }
            None => (None, None),
        };
        let response_json = match &ep.response {
            Some(ty) => self.json_value(ty, None, "response", 0, false),
            None => Value::Null,
        };
        let response_wire = ep
            .response
            .as_ref()
            .map(|ty| self.serialized(ty, &response_json))
            .filter(|wire| *wire != response_json);
        let checks = match (&ep.response, &response_json) {
            (Some(CheckedType::Named(id)), Value::Object(obj)) => match &self.spec[*id].kind {
                TypeKind::Struct(s) => response_checks(s, obj),
                TypeKind::Enum(_) | TypeKind::Union(_) => Vec::new(),
            },
            (Some(CheckedType::List(_)), Value::Array(items)) => {
                vec![Check::Count { items: items.len() }]
            }
            _ => Vec::new(),
        };
        EndpointSample {
            path_args,
            path,
            query,
            query_pairs,
            body,
            body_json,
            response_json,
            response_wire,
            checks,
        }
    }

    /// What the decoded sample `v` of response type `ty` serializes to: times and whole amounts
    /// as integers, and no key for an optional field that decoded as `None` (a `null`, or an
    /// unset time).
    fn serialized(&self, ty: &CheckedType, v: &Value) -> Value {
        match ty {
            CheckedType::Scalar(Scalar::Amount) => match v.as_f64() {
                // `Amount` writes a whole amount as an integer (exact below 2^53).
                Some(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
                    json!(f as i64)
                }
                _ => v.clone(),
            },
            CheckedType::Scalar(_) => v.clone(),
            CheckedType::List(inner) => Value::Array(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|item| self.serialized(inner, item))
                    .collect(),
            ),
            CheckedType::Map(inner) => Value::Object(
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, item)| (k.clone(), self.serialized(inner, item)))
                    .collect(),
            ),
            CheckedType::Named(id) => match &self.spec[*id].kind {
                TypeKind::Enum(_) => v.clone(),
                // Samples take a union's first variant, which is also the first one tried.
                TypeKind::Union(u) => self.serialized(&u.variants.first.ty, v),
                TypeKind::Struct(s) => {
                    let mut obj = Map::new();
                    for f in &s.fields {
                        let Some(fv) = v.get(&f.wire) else { continue };
                        // Samples hold a time as integer seconds, so `0` is its one unset form.
                        let time = f.ty == CheckedType::Scalar(Scalar::Timestamp);
                        let none = (f.optional || time) && fv.is_null();
                        if none || (time && fv.as_i64() == Some(0)) {
                            continue;
                        }
                        obj.insert(f.wire.clone(), self.serialized(&f.ty, fv));
                    }
                    Value::Object(obj)
                }
            },
        }
    }

    /// A JSON value for `ty`: the example when it fits, otherwise a made-up one. Every optional
    /// field is filled in (requests and responses alike), so that the contract test decodes
    /// a value of its type rather than a `null` any `Option` accepts.
    fn json_value(
        &self,
        ty: &CheckedType,
        example: Option<&serde_yaml::Value>,
        hint: &str,
        depth: usize,
        request: bool,
    ) -> Value {
        if let Some(ex) = example.and_then(|e| serde_json::to_value(e).ok()) {
            if self.fits(ty, &ex) {
                // f64 fields always encode with a fraction, so samples must hold floats too.
                return match (ty, ex.as_f64()) {
                    (CheckedType::Scalar(Scalar::Number), Some(f)) => json!(f),
                    _ => ex,
                };
            }
        }
        match ty {
            CheckedType::Scalar(s) => match s {
                Scalar::String => json!(format!("{hint}-1")),
                Scalar::Integer => json!(1),
                Scalar::Number => json!(1.5),
                Scalar::Boolean => json!(true),
                Scalar::Amount => json!(1000),
                Scalar::Timestamp => json!(1_700_000_000),
                Scalar::Json => json!({ "key": "value" }),
            },
            CheckedType::List(inner) => {
                if depth > 4 {
                    json!([])
                } else {
                    json!([self.json_value(inner, None, hint, depth + 1, request)])
                }
            }
            CheckedType::Map(inner) => {
                // Like lists, maps may hold their own type: stop descending somewhere.
                if depth > 4 {
                    json!({})
                } else {
                    json!({ "key": self.json_value(inner, None, hint, depth + 1, request) })
                }
            }
            CheckedType::Named(id) => match &self.spec[*id].kind {
                TypeKind::Enum(values) => json!(values.first.wire),
                TypeKind::Union(u) => {
                    self.json_value(&u.variants.first.ty, None, hint, depth + 1, request)
                }
                TypeKind::Struct(s) => {
                    let mut obj = Map::new();
                    for f in &s.fields {
                        // Types may hold themselves: stop filling optional fields somewhere.
                        let value = if depth > 4 && f.optional {
                            Value::Null
                        } else {
                            self.json_value(&f.ty, f.example.as_ref(), &f.name, depth + 1, request)
                        };
                        if request && value.is_null() {
                            continue;
                        }
                        obj.insert(f.wire.clone(), value);
                    }
                    Value::Object(obj)
                }
            },
        }
    }

    fn fits(&self, ty: &CheckedType, v: &Value) -> bool {
        match (ty, v) {
            (CheckedType::Scalar(s), v) => match (s, v) {
                (Scalar::String, Value::String(_))
                | (Scalar::Boolean, Value::Bool(_))
                | (Scalar::Json, _) => true,
                (Scalar::Integer | Scalar::Timestamp, Value::Number(n)) => n.is_i64(),
                (Scalar::Number | Scalar::Amount, Value::Number(_)) => true,
                _ => false,
            },
            (CheckedType::Named(id), Value::String(_)) => {
                matches!(self.spec[*id].kind, TypeKind::Enum(_))
            }
            (CheckedType::List(inner), Value::Array(items)) => {
                !items.is_empty() && items.iter().all(|i| self.fits(inner, i))
            }
            _ => false,
        }
    }

    /// The Rust construction of a JSON value of type `ty`.
    fn sample(&self, ty: &CheckedType, v: &Value) -> Sample {
        match ty {
            CheckedType::Scalar(s) => match s {
                Scalar::String => Sample::String(v.as_str().unwrap_or_default().to_owned()),
                Scalar::Integer => Sample::Integer(v.as_i64().unwrap_or_default()),
                Scalar::Number => Sample::Number(v.as_f64().unwrap_or_default()),
                Scalar::Boolean => Sample::Bool(v.as_bool().unwrap_or_default()),
                Scalar::Amount => {
                    Sample::Amount(v.as_number().cloned().unwrap_or_else(|| 0.into()))
                }
                Scalar::Timestamp => Sample::Timestamp(v.as_i64().unwrap_or_default()),
                Scalar::Json => Sample::Json(v.clone()),
            },
            CheckedType::List(inner) => Sample::List(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| self.sample(inner, i))
                    .collect(),
            ),
            CheckedType::Map(inner) => Sample::Map(
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, i)| (k.clone(), self.sample(inner, i)))
                    .collect(),
            ),
            CheckedType::Named(id) => {
                let def = &self.spec[*id];
                match &def.kind {
                    TypeKind::Enum(values) => {
                        let wire = v.as_str().unwrap_or_default().to_owned();
                        // An example may name a value the spec does not list: it decodes as
                        // `Unknown`, and the sample builds it from the wire string.
                        let variant = values
                            .iter()
                            .find(|value| value.wire == wire)
                            .map(|value| value.variant.clone());
                        Sample::Enum(def.name.clone(), wire, variant)
                    }
                    TypeKind::Union(u) => {
                        let first = &u.variants.first;
                        Sample::Union(
                            def.name.clone(),
                            first.name.clone(),
                            Box::new(self.sample(&first.ty, v)),
                        )
                    }
                    TypeKind::Struct(s) => {
                        let mut required = Vec::new();
                        let mut optional = Vec::new();
                        for f in &s.fields {
                            let Some(fv) = v.get(&f.wire) else { continue };
                            let sample = self.sample(&f.ty, fv);
                            if f.optional {
                                optional.push((f.name.clone(), sample, f.example.is_some()))
                            } else {
                                required.push(sample)
                            }
                        }
                        Sample::Struct {
                            ty: def.name.clone(),
                            required,
                            optional,
                        }
                    }
                }
            }
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

/// The method's doc: what the spec says, the deprecation note, the HTTP call and whether it
/// is retried, and the arguments.
fn method_doc(
    ep: &checked::Endpoint,
    deprecated: Option<&Deprecation>,
    path_params: &[PathArg],
) -> String {
    let mut text = ep.doc.clone();
    if let Some(d) = deprecated {
        text.push_str(&format!("\n\n{}", d.note));
    }
    let retry_note = if ep.idempotent {
        "Safe to repeat: retried automatically on transient failures."
    } else {
        "Never repeated automatically once it may have reached the server."
    };
    text.push_str(&format!(
        "\n\n`{} {}`. {retry_note}",
        ep.method.as_str(),
        ep.path
    ));
    if !path_params.is_empty() {
        text.push_str("\n\n# Arguments\n");
        for p in path_params {
            text.push_str(&format!("\n* `{}`: {}", p.name, p.doc));
        }
    }
    text
}

/// What a contract test asserts about a decoded struct payload: the first required string
/// field, the first time field the sample sends unset (it must decode as `None`), the first
/// one it sends set (`Some` of that time) and every other optional field it sends (`Some`).
fn response_checks(s: &checked::Struct, obj: &Map<String, Value>) -> Vec<Check> {
    let mut equals = None;
    let mut unset = None;
    let mut set = None;
    let mut present = Vec::new();
    for f in &s.fields {
        let field = f.name.clone();
        match (&f.ty, obj.get(&f.wire)) {
            (CheckedType::Scalar(Scalar::String), Some(Value::String(s)))
                if equals.is_none() && !f.optional && !f.secret =>
            {
                equals = Some(Check::Equals {
                    field,
                    value: s.clone(),
                });
            }
            (CheckedType::Scalar(Scalar::Timestamp), Some(v)) => match v.as_i64() {
                Some(seconds) if seconds != 0 => {
                    if set.is_none() {
                        set = Some(Check::Time { field, seconds });
                    } else {
                        present.push(Check::Present { field });
                    }
                }
                _ => {
                    unset.get_or_insert(Check::Unset { field });
                }
            },
            (_, Some(v)) if f.optional && !v.is_null() => {
                present.push(Check::Present { field });
            }
            _ => {}
        }
    }
    [equals, unset, set]
        .into_iter()
        .flatten()
        .chain(present)
        .collect()
}

/// A JSON scalar as it appears in a path or query string.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
