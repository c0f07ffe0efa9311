//! Sample values for the generated contract tests (and the fake's sample answers): a JSON
//! value per type from the spec's examples, the Rust construction of it, what it serializes
//! back to, and what to assert once it is decoded.

use serde_json::{Map, Value, json};

use super::resolver::Resolver;
use crate::checked::{self, CheckedType, TypeKind};
use crate::model::*;
use crate::naming;
use crate::types_expr::Scalar;

/// The time (UNIX seconds) samples hold where the spec gives no example.
pub(super) const SAMPLE_TIME: i64 = 1_700_000_000;

/// Every value of every enum, and one it does not list, for a test that decodes them all.
pub(super) fn enum_samples(modules: &[TypeModule]) -> Vec<EnumSample> {
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

impl Resolver<'_> {
    pub(super) fn endpoint_sample(&self, ep: &checked::Endpoint) -> EndpointSample {
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
        let response = ep.response.as_ref().map(|ty| self.response_sample(ty));
        let checks = match (&ep.response, &response) {
            (Some(CheckedType::Named(id)), Some(sample)) => match &self.spec[*id].kind {
                TypeKind::Struct(s) => sample
                    .json
                    .as_object()
                    .map(|obj| response_checks(s, obj))
                    .unwrap_or_default(),
                TypeKind::Enum(_) | TypeKind::Union(_) => Vec::new(),
            },
            _ => Vec::new(),
        };
        EndpointSample {
            path_args,
            path,
            query,
            query_pairs,
            body,
            body_json,
            response_json: response.as_ref().map_or(Value::Null, |r| r.json.clone()),
            response_sample: response.map(|r| r.name),
            checks,
        }
    }

    /// The sample answer of response type `ty`, made once per type and shared by every
    /// endpoint returning it (the contract tests keep one copy of each).
    fn response_sample(&self, ty: &CheckedType) -> ResponseSample {
        let key = self.spelling(ty);
        if let Some(known) = self.samples.borrow().get(&key) {
            return known.clone();
        }
        let wanted = self.sample_name(ty);
        let taken = |name: &str| self.samples.borrow().values().any(|s| s.name == name);
        let mut name = wanted.clone();
        let mut n = 1;
        while taken(&name) {
            n += 1;
            name = format!("{wanted}_{n}");
        }
        let json = self.json_value(ty, None, "response", 0, false);
        let mut unset = Vec::new();
        left_out(&json, &self.serialized(ty, &json), "", &mut unset);
        let sample = ResponseSample {
            doc: format!(
                "The sample answer of the endpoints returning {}.",
                self.shown(ty)
            ),
            name,
            json,
            unset,
        };
        self.samples.borrow_mut().insert(key, sample.clone());
        sample
    }

    /// `ty` as the spec writes it (`[Payment]`), which tells response types apart.
    fn spelling(&self, ty: &CheckedType) -> String {
        match ty {
            CheckedType::Scalar(s) => s.keyword().to_owned(),
            CheckedType::Named(id) => self.spec[*id].name.clone(),
            CheckedType::List(inner) => format!("[{}]", self.spelling(inner)),
            CheckedType::Map(inner) => format!("{{{}}}", self.spelling(inner)),
        }
    }

    /// The name of `ty`'s sample constant (`PAYMENTS` for `[Payment]`), before any suffix
    /// that tells it apart from another type's (a type `Payments` beside `[Payment]`).
    fn sample_name(&self, ty: &CheckedType) -> String {
        match ty {
            CheckedType::Scalar(s) => naming::sample_const(s.keyword()),
            CheckedType::Named(id) => naming::sample_const(&self.spec[*id].name),
            CheckedType::List(inner) => naming::list_sample(&self.sample_name(inner)),
            CheckedType::Map(inner) => naming::map_sample(&self.sample_name(inner)),
        }
    }

    /// `ty` as a doc shows it (`` a list of `Payment` ``).
    fn shown(&self, ty: &CheckedType) -> String {
        match ty {
            CheckedType::Scalar(s) => format!("`{}`", s.keyword()),
            CheckedType::Named(id) => format!("`{}`", self.spec[*id].name),
            CheckedType::List(inner) => format!("a list of {}", self.shown(inner)),
            CheckedType::Map(inner) => format!("a map of {}", self.shown(inner)),
        }
    }

    /// What the decoded sample `v` of response type `ty` serializes to: no key for an optional
    /// field that decoded as `None` (a `null`, or an unset time).
    fn serialized(&self, ty: &CheckedType, v: &Value) -> Value {
        match ty {
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
    pub(super) fn json_value(
        &self,
        ty: &CheckedType,
        example: Option<&serde_yaml::Value>,
        hint: &str,
        depth: usize,
        request: bool,
    ) -> Value {
        if let Some(ex) = example.and_then(|e| serde_json::to_value(e).ok()) {
            if self.fits(ty, &ex) {
                // f64 fields always encode with a fraction, so samples must hold floats too;
                // `Amount` writes a whole amount as an integer (exact below 2^53).
                return match (ty, ex.as_f64()) {
                    (CheckedType::Scalar(Scalar::Number), Some(f)) => json!(f),
                    (CheckedType::Scalar(Scalar::Amount), Some(f))
                        if ex.is_f64() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 =>
                    {
                        json!(f as i64)
                    }
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
                Scalar::Timestamp => json!(SAMPLE_TIME),
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

/// What a contract test asserts about a decoded struct payload beyond its round trip: the
/// first required string field (the key lands in the Rust field of its name, which a round
/// trip cannot tell) and the first time field the sample sends unset (it decodes as `None`,
/// not as a zero time).
fn response_checks(s: &checked::Struct, obj: &Map<String, Value>) -> Vec<Check> {
    let equals = s
        .fields
        .iter()
        .find_map(|f| match (&f.ty, obj.get(&f.wire)) {
            (CheckedType::Scalar(Scalar::String), Some(Value::String(v)))
                if !f.optional && !f.secret =>
            {
                Some(Check::Equals {
                    field: f.name.clone(),
                    value: v.clone(),
                })
            }
            _ => None,
        });
    let unset = s
        .fields
        .iter()
        .find_map(|f| match (&f.ty, obj.get(&f.wire)) {
            (CheckedType::Scalar(Scalar::Timestamp), Some(v))
                if v.as_i64().is_none_or(|t| t == 0) =>
            {
                Some(Check::Unset {
                    field: f.name.clone(),
                })
            }
            _ => None,
        });
    equals.into_iter().chain(unset).collect()
}

/// The JSON pointers (under `at`) of the members of `sent` that `written` leaves out.
fn left_out(sent: &Value, written: &Value, at: &str, out: &mut Vec<String>) {
    match (sent, written) {
        (Value::Object(sent), Value::Object(written)) => {
            for (key, value) in sent {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match written.get(key) {
                    Some(w) => left_out(value, w, &here, out),
                    None => out.push(here),
                }
            }
        }
        (Value::Array(sent), Value::Array(written)) => {
            for (i, (s, w)) in sent.iter().zip(written).enumerate() {
                left_out(s, w, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A JSON scalar as it appears in a path or query string.
pub(super) fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
