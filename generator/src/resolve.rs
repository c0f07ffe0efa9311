//! Step 3: lower the validated spec into the [`Model`]: final names, resolved types, which
//! cargo features compile each item, what each type derives, and sample values for the
//! generated contract tests. `emit` makes no decisions of its own.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::model::*;
use crate::naming;
use crate::spec::{self, ParamIn, Spec};
use crate::types_expr::{Scalar, TypeExpr};

/// Lowers a spec that passed validation.
pub fn resolve(spec: &Spec) -> Model {
    let r = Resolver::new(spec);
    let mut categories: Vec<Category> = spec.categories.iter().map(|c| r.category(c)).collect();
    categories.sort_by(|a, b| a.key.cmp(&b.key));
    let modules = r.modules(&categories);
    Model {
        crate_name: spec.service.crate_name.clone(),
        runtime_crate: naming::runtime_crate(&spec.service.crate_name),
        crate_version: spec.service.version.clone(),
        title: spec.service.title.clone(),
        base_url: spec.service.base_url.clone(),
        doc: spec
            .service
            .doc
            .clone()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        categories,
        modules,
    }
}

struct Resolver<'a> {
    spec: &'a Spec,
    /// Type name -> (declaring category, definition).
    types: HashMap<&'a str, (&'a str, &'a spec::TypeDef)>,
}

fn doc(text: &Option<String>) -> String {
    text.as_deref().unwrap_or_default().trim().to_owned()
}

fn parse(text: &str) -> TypeExpr {
    TypeExpr::parse(text).unwrap_or(TypeExpr::Scalar(Scalar::Json))
}

impl<'a> Resolver<'a> {
    fn new(spec: &'a Spec) -> Self {
        let mut types = HashMap::new();
        for cat in &spec.categories {
            for (name, ty) in &cat.types {
                types
                    .entry(name.as_str())
                    .or_insert((cat.category.as_str(), ty));
            }
        }
        Resolver { spec, types }
    }

    fn ty(&self, expr: &TypeExpr) -> Ty {
        match expr {
            TypeExpr::Scalar(s) => match s {
                Scalar::String => Ty::String,
                Scalar::Integer => Ty::Integer,
                Scalar::Number => Ty::Number,
                Scalar::Boolean => Ty::Bool,
                Scalar::Amount => Ty::Amount,
                Scalar::Timestamp => Ty::Timestamp,
                Scalar::Json => Ty::Json,
            },
            TypeExpr::Named(n) => match self.types.get(n.as_str()) {
                Some((_, t)) if t.enum_values.is_some() => Ty::Enum(n.clone()),
                _ => Ty::Named(n.clone()),
            },
            TypeExpr::List(t) => Ty::List(Box::new(self.ty(t))),
            TypeExpr::Map(t) => Ty::Map(Box::new(self.ty(t))),
        }
    }

    fn ty_of(&self, text: &str) -> Ty {
        self.ty(&parse(text))
    }

    fn category(&self, cat: &spec::CategoryFile) -> Category {
        let endpoints = cat
            .endpoints
            .iter()
            .map(|(name, ep)| self.endpoint(cat, name, ep))
            .collect();
        Category {
            key: cat.category.clone(),
            doc: doc(&cat.doc),
            official: cat.official.clone(),
            endpoints,
        }
    }

    fn endpoint(&self, cat: &spec::CategoryFile, name: &str, ep: &spec::Endpoint) -> Endpoint {
        let path_params: Vec<Arg> = ep
            .params
            .iter()
            .filter(|(_, p)| p.location == ParamIn::Path)
            .map(|(n, p)| Arg {
                name: n.clone(),
                ty: self.ty_of(&p.ty),
                doc: doc(&p.doc),
            })
            .collect();
        let query_fields: Vec<(String, String)> = ep
            .params
            .iter()
            .filter(|(_, p)| p.location == ParamIn::Query)
            .map(|(n, p)| (n.clone(), p.wire.clone().unwrap_or_else(|| n.clone())))
            .collect();
        let query = (!query_fields.is_empty()).then(|| QueryArg {
            type_name: naming::query_struct(name),
            fields: query_fields,
        });
        let response = ep.response.as_deref().map_or(Ty::Unit, |r| self.ty_of(r));
        let stream = ep.paginate.as_ref().and_then(|page| {
            let Ty::Named(n) = &response else { return None };
            let item = self.page_item(n)?;
            Some(Stream {
                name: naming::stream_method(name),
                item,
                page_param: page.clone(),
            })
        });
        let deprecated = ep.deprecated.as_ref().map(|d| Deprecation {
            since: d.since.clone(),
            crate_since: d.crate_since.clone(),
            note: format!(
                "PortOne removed this operation from its published schema on {}. {}",
                d.since,
                d.note.trim()
            ),
        });
        let mut text = doc(&ep.doc);
        if let Some(d) = &deprecated {
            text.push_str(&format!("\n\n{}", d.note));
        }
        Endpoint {
            name: name.to_owned(),
            doc: text,
            method: ep.method.as_str().to_owned(),
            runtime_method: heck::ToUpperCamelCase::to_upper_camel_case(ep.method.as_str()),
            path: ep.path.clone(),
            const_name: naming::endpoint_const(name),
            idempotent: ep.idempotent,
            auth: ep.auth,
            path_params,
            query,
            // Type expressions may be padded (`" Foo"`); the body names a type.
            body: ep.body.as_deref().map(|b| b.trim().to_owned()),
            response,
            cfg: Cfg(vec![CfgTerm {
                feature: cat.category.clone(),
                legacy: ep.deprecated.is_some(),
            }]),
            deprecated,
            stream,
            official: ep.official.clone(),
            official_response: ep.official_response.clone(),
            sample: self.endpoint_sample(name, ep),
        }
    }

    /// The item type a union pages over: every variant must be a list of it or a page of it.
    fn union_page_item(&self, variants: &[UnionVariant]) -> Option<Ty> {
        let mut items = variants.iter().map(|v| match &v.ty {
            Ty::List(item) => Some((**item).clone()),
            Ty::Named(n) => self.page_info(n).map(|p| p.item),
            _ => None,
        });
        let first = items.next()??;
        items.all(|i| i.as_ref() == Some(&first)).then_some(first)
    }

    /// The item type of a paged payload type (a page struct or a pageable union).
    fn page_item(&self, type_name: &str) -> Option<Ty> {
        if let Some(info) = self.page_info(type_name) {
            return Some(info.item);
        }
        let (_, t) = self.types.get(type_name)?;
        let variants: Vec<UnionVariant> = t
            .one_of
            .as_ref()?
            .iter()
            .map(|(n, ty)| UnionVariant {
                name: n.clone(),
                ty: self.ty_of(ty),
            })
            .collect();
        self.union_page_item(&variants)
    }

    fn page_info(&self, type_name: &str) -> Option<PageInfo> {
        let (_, t) = self.types.get(type_name)?;
        let page = t.page.as_ref()?;
        let field = t.fields.as_ref()?.get(&page.items)?;
        let Ty::List(item) = self.ty_of(&field.ty) else {
            return None;
        };
        Some(PageInfo {
            items: page.items.clone(),
            items_optional: field.optional,
            item: *item,
            next: page.next.clone(),
        })
    }

    /// Named types reachable from a type expression (through fields, lists, maps, unions).
    fn reach(&self, expr: &str, out: &mut BTreeSet<&'a str>) {
        let Some(name) = parse(expr).named().map(str::to_owned) else {
            return;
        };
        let Some((key, (_, t))) = self.types.get_key_value(name.as_str()) else {
            return;
        };
        if !out.insert(key) {
            return;
        }
        for f in t.fields.iter().flat_map(|f| f.values()) {
            self.reach(&f.ty, out);
        }
        for v in t.one_of.iter().flat_map(|v| v.values()) {
            self.reach(v, out);
        }
    }

    fn modules(&self, categories: &[Category]) -> Vec<TypeModule> {
        // Which endpoints reach each type, and in which role.
        let mut cfgs: BTreeMap<&str, BTreeSet<CfgTerm>> = BTreeMap::new();
        let mut usage: BTreeMap<&str, Usage> = BTreeMap::new();
        for cat in &self.spec.categories {
            for ep in cat.endpoints.values() {
                let term = CfgTerm {
                    feature: cat.category.clone(),
                    legacy: ep.deprecated.is_some(),
                };
                let mut requests = BTreeSet::new();
                let mut responses = BTreeSet::new();
                if let Some(b) = &ep.body {
                    self.reach(b, &mut requests);
                }
                for p in ep.params.values() {
                    self.reach(&p.ty, &mut requests);
                }
                if let Some(r) = &ep.response {
                    self.reach(r, &mut responses);
                }
                for t in &requests {
                    usage.entry(t).or_default().request = true;
                }
                for t in &responses {
                    usage.entry(t).or_default().response = true;
                }
                for t in requests.iter().chain(&responses) {
                    cfgs.entry(t).or_default().insert(term.clone());
                }
            }
        }
        let mut modules: BTreeMap<String, Vec<TypeDef>> = BTreeMap::new();
        for cat in &self.spec.categories {
            let list = modules.entry(cat.category.clone()).or_default();
            for (name, t) in &cat.types {
                let mut u = usage.get(name.as_str()).copied().unwrap_or_default();
                if !u.request && !u.response {
                    u.response = true; // unreferenced types describe payloads
                }
                let cfg = Cfg(cfgs
                    .get(name.as_str())
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default());
                list.push(TypeDef {
                    name: name.clone(),
                    doc: doc(&t.doc),
                    official: t.official.clone(),
                    cfg,
                    usage: u,
                    kind: self.kind(name, t, u),
                });
            }
        }
        for cat in categories {
            let list = modules.entry(cat.key.clone()).or_default();
            for ep in &cat.endpoints {
                if let Some(q) = &ep.query {
                    list.push(self.query_struct(cat, ep, q));
                }
            }
        }
        modules
            .into_iter()
            .map(|(name, types)| {
                let always = types.iter().any(|t| t.cfg.0.is_empty());
                let mut terms: Vec<CfgTerm> = if always {
                    Vec::new()
                } else {
                    types.iter().flat_map(|t| t.cfg.0.iter().cloned()).collect()
                };
                terms.sort();
                terms.dedup();
                TypeModule {
                    name,
                    cfg: Cfg(terms),
                    types,
                }
            })
            .collect()
    }

    fn query_struct(&self, cat: &Category, ep: &Endpoint, q: &QueryArg) -> TypeDef {
        let spec_ep = self
            .spec
            .categories
            .iter()
            .find(|c| c.category == cat.key)
            .and_then(|c| c.endpoints.get(&ep.name));
        let fields: Vec<Field> = q
            .fields
            .iter()
            .filter_map(|(n, _)| spec_ep.and_then(|e| e.params.get(n)).map(|p| (n, p)))
            .map(|(n, p)| Field {
                name: n.clone(),
                wire: p.wire.clone().unwrap_or_else(|| n.clone()),
                ty: self.ty_of(&p.ty),
                optional: p.optional,
                required: !p.optional,
                unset_zero: false,
                secret: p.secret,
                doc: doc(&p.doc),
            })
            .collect();
        let has_secret = fields.iter().any(|f| f.secret);
        TypeDef {
            name: q.type_name.clone(),
            doc: format!(
                "Query parameters of [`Client::{}`](crate::Client::{}).",
                ep.name, ep.name
            ),
            official: None,
            cfg: ep.cfg.clone(),
            usage: Usage {
                request: false,
                response: false,
                query: true,
            },
            kind: Kind::Struct(Struct {
                fields,
                constructors: Vec::new(),
                page: None,
                has_secret,
            }),
        }
    }

    fn kind(&self, name: &str, t: &spec::TypeDef, usage: Usage) -> Kind {
        if let Some(values) = &t.enum_values {
            return Kind::Enum(
                values
                    .iter()
                    .map(|(wire, v)| Variant {
                        name: v
                            .name()
                            .map(str::to_owned)
                            .unwrap_or_else(|| naming::variant(wire)),
                        wire: wire.clone(),
                        doc: v.doc().unwrap_or_default().trim().to_owned(),
                    })
                    .collect(),
            );
        }
        if let Some(variants) = &t.one_of {
            let variants: Vec<UnionVariant> = variants
                .iter()
                .map(|(n, ty)| UnionVariant {
                    name: n.clone(),
                    ty: self.ty_of(ty),
                })
                .collect();
            let page_item = self.union_page_item(&variants);
            return Kind::Union(Union {
                variants,
                page_item,
            });
        }
        let fields: Vec<Field> = t
            .fields
            .iter()
            .flat_map(|f| f.iter())
            .map(|(n, f)| {
                let ty = self.ty_of(&f.ty);
                // PortOne writes an unset time as 0 (or null, "" or nothing) whatever its
                // schema says, so a decoded time is always an `Option` and unset is `None`.
                let unset_zero = usage.response && ty == Ty::Timestamp;
                Field {
                    name: n.clone(),
                    wire: f.wire.clone().unwrap_or_else(|| n.clone()),
                    ty,
                    optional: f.optional || unset_zero,
                    required: !f.optional,
                    unset_zero,
                    secret: f.secret,
                    doc: doc(&f.doc),
                }
            })
            .collect();
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name.as_str())
            .collect();
        let constructors = t
            .constructors
            .iter()
            .map(|(name, listed)| {
                let mut args: Vec<String> = required
                    .iter()
                    .filter(|r| !listed.iter().any(|l| l == *r))
                    .map(|r| r.to_string())
                    .collect();
                args.extend(listed.iter().cloned());
                Constructor {
                    name: name.clone(),
                    fields: args,
                }
            })
            .collect();
        let has_secret = fields.iter().any(|f| f.secret);
        let page = t.page.as_ref().and_then(|_| self.page_info(name));
        Kind::Struct(Struct {
            fields,
            constructors,
            page,
            has_secret,
        })
    }

    // ----- samples for generated contract tests -----

    fn endpoint_sample(&self, name: &str, ep: &spec::Endpoint) -> EndpointSample {
        let mut path = ep.path.clone();
        let mut path_args = Vec::new();
        let mut query_fields = Vec::new();
        let mut query_pairs = Vec::new();
        for (pname, p) in &ep.params {
            let ty = self.ty_of(&p.ty);
            let value = self.json_value(&ty, p.example.as_ref(), pname, 0, true);
            let sample = self.sample(&ty, &value);
            match p.location {
                ParamIn::Path => {
                    let text = plain(&value);
                    path = path.replace(
                        &format!("{{{}}}", p.wire.as_deref().unwrap_or(pname)),
                        &text,
                    );
                    path_args.push(sample);
                }
                ParamIn::Query => {
                    let first = match &value {
                        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
                        v => v.clone(),
                    };
                    query_pairs.push((
                        p.wire.clone().unwrap_or_else(|| pname.clone()),
                        plain(&first),
                    ));
                    query_fields.push((pname.clone(), p.optional, sample));
                }
            }
        }
        let query = (!query_fields.is_empty()).then(|| Sample::Struct {
            ty: naming::query_struct(name),
            required: query_fields
                .iter()
                .filter(|(_, opt, _)| !opt)
                .map(|(_, _, s)| s.clone())
                .collect(),
            optional: query_fields
                .iter()
                .filter(|(_, opt, _)| *opt)
                .map(|(n, _, s)| (n.clone(), s.clone(), true))
                .collect(),
        });
        let (body, body_json) = match &ep.body {
            Some(b) => {
                let ty = self.ty_of(b);
                let json = self.json_value(&ty, None, "body", 0, true);
                (Some(self.sample(&ty, &json)), Some(json))
            }
            None => (None, None),
        };
        let response_ty = ep.response.as_deref().map_or(Ty::Unit, |r| self.ty_of(r));
        let response_json = self.json_value(&response_ty, None, "response", 0, false);
        let checks = match (&response_ty, &response_json) {
            (Ty::Named(n), Value::Object(obj)) => self
                .types
                .get(n.as_str())
                .map(|(_, t)| response_checks(t, obj))
                .unwrap_or_default(),
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
            checks,
        }
    }

    /// A JSON value for `ty`: the example when it fits, otherwise a made-up one. In requests
    /// every optional field is filled in; in responses optional fields without an example are
    /// null, the way the service sends them.
    fn json_value(
        &self,
        ty: &Ty,
        example: Option<&serde_yaml::Value>,
        hint: &str,
        depth: usize,
        request: bool,
    ) -> Value {
        if let Some(ex) = example.and_then(|e| serde_json::to_value(e).ok()) {
            if self.fits(ty, &ex) {
                // f64 fields always encode with a fraction, so samples must hold floats too.
                return match (ty, ex.as_f64()) {
                    (Ty::Number, Some(f)) => json!(f),
                    _ => ex,
                };
            }
        }
        match ty {
            Ty::String => json!(format!("{hint}-1")),
            Ty::Integer => json!(1),
            Ty::Number => json!(1.5),
            Ty::Bool => json!(true),
            Ty::Amount => json!(1000),
            Ty::Timestamp => json!(1_700_000_000),
            Ty::Json => json!({ "key": "value" }),
            Ty::Unit => Value::Null,
            Ty::Enum(n) => match self
                .types
                .get(n.as_str())
                .and_then(|(_, t)| t.enum_values.as_ref()?.keys().next())
            {
                Some(w) => json!(w),
                None => Value::Null,
            },
            Ty::List(inner) => {
                if depth > 4 {
                    json!([])
                } else {
                    json!([self.json_value(inner, None, hint, depth + 1, request)])
                }
            }
            Ty::Map(inner) => {
                // Like lists, maps may hold their own type: stop descending somewhere.
                if depth > 4 {
                    json!({})
                } else {
                    json!({ "key": self.json_value(inner, None, hint, depth + 1, request) })
                }
            }
            Ty::Named(n) => {
                let Some((_, t)) = self.types.get(n.as_str()) else {
                    return Value::Null;
                };
                if let Some(variants) = &t.one_of {
                    return variants.values().next().map_or(Value::Null, |v| {
                        self.json_value(&self.ty_of(v), None, hint, depth + 1, request)
                    });
                }
                let mut obj = Map::new();
                let page_items = t.page.as_ref().map(|p| p.items.as_str());
                for (fname, f) in t.fields.iter().flat_map(|f| f.iter()) {
                    let fty = self.ty_of(&f.ty);
                    // A page's items are always sampled, so paging tests see something.
                    let sampled = !f.optional
                        || request
                        || f.example.is_some()
                        || page_items == Some(fname.as_str());
                    let value = if !sampled || depth > 4 && f.optional {
                        Value::Null
                    } else {
                        self.json_value(&fty, f.example.as_ref(), fname, depth + 1, request)
                    };
                    if request && value.is_null() {
                        continue;
                    }
                    obj.insert(f.wire.clone().unwrap_or_else(|| fname.clone()), value);
                }
                Value::Object(obj)
            }
        }
    }

    fn fits(&self, ty: &Ty, v: &Value) -> bool {
        match (ty, v) {
            (Ty::String, Value::String(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::Json, _) => true,
            (Ty::Integer | Ty::Timestamp, Value::Number(n)) => n.is_i64(),
            (Ty::Number | Ty::Amount, Value::Number(_)) => true,
            (Ty::Enum(_), Value::String(_)) => true,
            (Ty::List(inner), Value::Array(items)) => {
                !items.is_empty() && items.iter().all(|i| self.fits(inner, i))
            }
            _ => false,
        }
    }

    /// The Rust construction of a JSON value of type `ty`.
    fn sample(&self, ty: &Ty, v: &Value) -> Sample {
        match ty {
            Ty::String => Sample::String(v.as_str().unwrap_or_default().to_owned()),
            Ty::Integer => Sample::Integer(v.as_i64().unwrap_or_default()),
            Ty::Number => Sample::Number(v.as_f64().unwrap_or_default()),
            Ty::Bool => Sample::Bool(v.as_bool().unwrap_or_default()),
            Ty::Amount => Sample::Amount(v.as_number().cloned().unwrap_or_else(|| 0.into())),
            Ty::Timestamp => Sample::Timestamp(v.as_i64().unwrap_or_default()),
            Ty::Json | Ty::Unit => Sample::Json(v.clone()),
            Ty::Enum(n) => {
                let wire = v.as_str().unwrap_or_default().to_owned();
                let variant = self.types.get(n.as_str()).and_then(|(_, t)| {
                    let value = t.enum_values.as_ref()?.get(&wire)?;
                    Some(
                        value
                            .name()
                            .map(str::to_owned)
                            .unwrap_or_else(|| naming::variant(&wire)),
                    )
                });
                Sample::Enum(n.clone(), wire, variant)
            }
            Ty::List(inner) => Sample::List(
                v.as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| self.sample(inner, i))
                    .collect(),
            ),
            Ty::Map(inner) => Sample::Map(
                v.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, i)| (k.clone(), self.sample(inner, i)))
                    .collect(),
            ),
            Ty::Named(n) => {
                let Some((_, t)) = self.types.get(n.as_str()) else {
                    return Sample::Json(v.clone());
                };
                if let Some(variants) = &t.one_of {
                    let (vname, vty) = variants
                        .iter()
                        .next()
                        .map(|(a, b)| (a.clone(), self.ty_of(b)))
                        .unwrap_or((String::new(), Ty::Unit));
                    return Sample::Union(n.clone(), vname, Box::new(self.sample(&vty, v)));
                }
                let mut required = Vec::new();
                let mut optional = Vec::new();
                for (fname, f) in t.fields.iter().flat_map(|f| f.iter()) {
                    let wire = f.wire.as_deref().unwrap_or(fname);
                    let Some(fv) = v.get(wire) else { continue };
                    let s = self.sample(&self.ty_of(&f.ty), fv);
                    if f.optional {
                        optional.push((fname.clone(), s, f.example.is_some()))
                    } else {
                        required.push(s)
                    }
                }
                Sample::Struct {
                    ty: n.clone(),
                    required,
                    optional,
                }
            }
        }
    }
}

/// What a contract test asserts about a decoded struct payload: the first required string
/// field, the first time field the sample sends unset (it must decode as `None`) and the first
/// one it sends set (`Some`).
fn response_checks(t: &spec::TypeDef, obj: &Map<String, Value>) -> Vec<Check> {
    let mut equals = None;
    let mut unset = None;
    let mut set = None;
    for (fname, f) in t.fields.iter().flat_map(|f| f.iter()) {
        let wire = f.wire.as_deref().unwrap_or(fname);
        let field = fname.clone();
        match (parse(&f.ty), obj.get(wire)) {
            (TypeExpr::Scalar(Scalar::String), Some(Value::String(s)))
                if equals.is_none() && !f.optional && !f.secret =>
            {
                equals = Some(Check::Equals {
                    field,
                    value: s.clone(),
                });
            }
            (TypeExpr::Scalar(Scalar::Timestamp), Some(v)) => match v.as_i64() {
                Some(seconds) if seconds != 0 => {
                    set.get_or_insert(Check::Time { field, seconds });
                }
                _ => {
                    unset.get_or_insert(Check::Unset { field });
                }
            },
            _ => {}
        }
    }
    [equals, unset, set].into_iter().flatten().collect()
}

/// A JSON scalar as it appears in a path or query string.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
