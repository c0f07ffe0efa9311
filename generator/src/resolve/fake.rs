//! The fake PortOne's generated parts: its `Operation` per endpoint, the wire shapes of what
//! its ledger writes and reads and the enums they hold or it reads (from `fake:`), and the
//! state its walk test seeds each endpoint's fake with.
//!
//! The walk's seed is derived from the endpoint's sample request and the seed kinds of
//! `fake:`, by these rules (one per function below):
//!
//! - a request value names a seed kind when its wire name (without a trailing `[]`) is one of
//!   the kind's `ids`; among several such kinds, the one whose type the endpoint's own category
//!   file declares wins, then the one the endpoint answers with, then the first in `fake:`;
//! - a required body value of a `POST` that is an id of what the endpoint answers with names
//!   what the call creates, so nothing is seeded for it;
//! - each named kind gets one entity per list item (one for a single value), built from its
//!   type's sample with its lists emptied and its optional fields naming another kind unset;
//!   the ids take the request's values, and every other request value whose wire name and
//!   type are those of a field of the kind sets that field;
//! - a seeded entity's string field that is another kind's id seeds that kind too;
//! - a kind with a `state` field is tried in each of its enum's values, the sample's first.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::resolver::Resolver;
use super::samples::SAMPLE_TIME;
use super::types::variants;
use crate::checked::{self, CheckedType, HttpMethod, TypeId, TypeKind};
use crate::model::*;
use crate::naming;
use crate::types_expr::Scalar;

/// A value of an endpoint's sample request, as the walk's seeding reads it.
struct Given {
    /// Wire name without a trailing `[]`.
    wire: String,
    /// Its type; for a list, the items'.
    item: CheckedType,
    /// The sample value: a list's items, or the single value.
    values: Vec<Value>,
    /// A required field of the body (not a path or query parameter).
    required_body: bool,
}

impl Resolver<'_> {
    /// The fake's enums, shapes, seed kinds and walk clock.
    pub(super) fn fake(&self) -> Fake {
        let Some(fake) = &self.spec.fake else {
            return Fake {
                enums: Vec::new(),
                shapes: Vec::new(),
                seeds: Vec::new(),
                walk_now: SAMPLE_TIME,
            };
        };
        let shapes = self.shapes(fake);
        Fake {
            enums: self.fake_enums(fake, &shapes),
            shapes,
            seeds: self.seed_kinds(fake),
            walk_now: SAMPLE_TIME,
        }
    }

    /// The enums the shapes hold and those `fake.reads` lists, in declaration order.
    fn fake_enums(&self, fake: &checked::Fake, shapes: &[Shape]) -> Vec<FakeEnum> {
        let mut ids: Vec<TypeId> = fake.reads.clone();
        for def in &self.spec.types {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            if !shapes.iter().any(|shape| shape.name == def.name) {
                continue;
            }
            for f in &s.fields {
                if let Some(held) = f.ty.named() {
                    if matches!(self.spec[held].kind, TypeKind::Enum(_)) && !ids.contains(&held) {
                        ids.push(held);
                    }
                }
            }
        }
        ids.sort();
        ids.into_iter()
            .filter_map(|id| {
                let t = &self.spec[id];
                let TypeKind::Enum(values) = &t.kind else {
                    return None;
                };
                Some(FakeEnum {
                    name: t.name.clone(),
                    doc: t.doc.clone(),
                    values: variants(values),
                })
            })
            .collect()
    }

    /// The shapes of every type `fake:` lists and of every struct their fields hold, in
    /// declaration order; the seeds' types and what they hold are also read.
    fn shapes(&self, fake: &checked::Fake) -> Vec<Shape> {
        // Type -> read, grown through the struct fields until nothing changes; a struct a read
        // one holds is read too.
        let mut wanted: BTreeMap<TypeId, bool> = BTreeMap::new();
        let mut todo: Vec<(TypeId, bool)> = fake
            .seeds
            .iter()
            .map(|s| (s.ty, true))
            .chain(fake.answers.iter().map(|&id| (id, false)))
            .collect();
        while let Some((id, read)) = todo.pop() {
            match wanted.get(&id) {
                Some(&known) if known || !read => continue,
                _ => wanted.insert(id, read),
            };
            for f in self.fields(id) {
                if let Some(held) = f.ty.named() {
                    if matches!(self.spec[held].kind, TypeKind::Struct(_)) {
                        todo.push((held, read));
                    }
                }
            }
        }
        wanted
            .into_iter()
            .filter_map(|(id, read)| {
                let def = &self.spec[id];
                let TypeKind::Struct(s) = &def.kind else {
                    return None;
                };
                let fields: Vec<ShapeField> = s
                    .fields
                    .iter()
                    .map(|f| ShapeField {
                        name: f.name.clone(),
                        wire: f.wire.clone(),
                        doc: f.doc.clone(),
                        ty: self.shape_ty(&f.ty, true),
                        required: !f.optional,
                    })
                    .collect();
                Some(Shape {
                    optional: fields
                        .iter()
                        .any(|f| !f.required)
                        .then(|| naming::shape_optional(&def.name)),
                    name: def.name.clone(),
                    doc: def.doc.clone(),
                    fields,
                    read,
                })
            })
            .collect()
    }

    /// How a shape holds a value of `ty`; `direct` for a field's own type, where a time may be
    /// unset (inside a list or map it is a bare integer).
    fn shape_ty(&self, ty: &CheckedType, direct: bool) -> ShapeTy {
        match ty {
            CheckedType::Scalar(s) => match s {
                Scalar::String => ShapeTy::String,
                Scalar::Integer => ShapeTy::Integer,
                Scalar::Timestamp if direct => ShapeTy::Time,
                Scalar::Timestamp => ShapeTy::Integer,
                Scalar::Number => ShapeTy::Number,
                Scalar::Boolean => ShapeTy::Bool,
                Scalar::Amount => ShapeTy::Amount,
                Scalar::Json => ShapeTy::Json,
            },
            CheckedType::Named(id) => {
                let def = &self.spec[*id];
                match def.kind {
                    TypeKind::Enum(_) => ShapeTy::Enum(def.name.clone()),
                    TypeKind::Struct(_) => ShapeTy::Shape(def.name.clone()),
                    TypeKind::Union(_) => ShapeTy::Json,
                }
            }
            CheckedType::List(inner) => ShapeTy::List(Box::new(self.shape_ty(inner, false))),
            CheckedType::Map(inner) => ShapeTy::Map(Box::new(self.shape_ty(inner, false))),
        }
    }

    fn seed_kinds(&self, fake: &checked::Fake) -> Vec<SeedKind> {
        fake.seeds
            .iter()
            .map(|s| {
                let shape = self.spec[s.ty].name.clone();
                SeedKind {
                    doc: format!("`{}` of a seed file: one `{shape}` each.", s.key),
                    key: s.key.clone(),
                    shape,
                }
            })
            .collect()
    }

    /// The endpoint's `Operation` variant and the state its walk starts from.
    pub(super) fn fake_endpoint(
        &self,
        cat: &checked::Category,
        ep: &checked::Endpoint,
    ) -> FakeEndpoint {
        let (seed, states) = match &self.spec.fake {
            Some(fake) => self.walk_seed(fake, cat, ep),
            None => (None, Vec::new()),
        };
        FakeEndpoint {
            operation: naming::operation_variant(&ep.name),
            doc: format!(
                "`{} {}`: the spec's `{}`.",
                ep.method.as_str(),
                ep.path,
                ep.name
            ),
            seed,
            states,
        }
    }

    /// The seed file the walk starts `ep`'s fake from, and the states it tries (see the
    /// module doc).
    fn walk_seed(
        &self,
        fake: &checked::Fake,
        cat: &checked::Category,
        ep: &checked::Endpoint,
    ) -> (Option<Value>, Vec<SeedState>) {
        let answered = ep
            .response
            .as_ref()
            .map_or_else(Vec::new, |r| self.answered(r));
        let given: Vec<Given> = self
            .given(ep)
            .into_iter()
            .filter(|g| !self.creates(fake, ep, &answered, g))
            .collect();
        let mut entities: Vec<Vec<Map<String, Value>>> = vec![Vec::new(); fake.seeds.len()];
        for (k, kind) in fake.seeds.iter().enumerate() {
            let named: Vec<&Given> = given
                .iter()
                .filter(|g| self.kind_of(fake, cat, &answered, &g.wire) == Some(k))
                .collect();
            let count = named.iter().map(|g| g.values.len()).max().unwrap_or(0);
            for i in 0..count {
                let mut entity = self.sample_entity(fake, kind.ty);
                for g in &named {
                    if let Some(v) = g.values.get(i).or(g.values.last()) {
                        entity.insert(g.wire.clone(), v.clone());
                    }
                }
                entities[k].push(entity);
            }
        }
        for (k, kind) in fake.seeds.iter().enumerate() {
            let fields = self.fields(kind.ty);
            for g in &given {
                let same = fields
                    .iter()
                    .find(|f| f.wire == g.wire && f.ty == g.item && !self.is_id(kind, &f.wire));
                if same.is_none() {
                    continue;
                }
                for (i, entity) in entities[k].iter_mut().enumerate() {
                    if let Some(v) = g.values.get(i).or(g.values.last()) {
                        entity.insert(g.wire.clone(), v.clone());
                    }
                }
            }
        }
        self.referenced(fake, &mut entities);
        let mut seed = Map::new();
        let mut states = Vec::new();
        for (kind, list) in fake.seeds.iter().zip(entities) {
            let Some(first) = list.first() else { continue };
            if let Some(state) = kind.state {
                let field = &self.fields(kind.ty)[state];
                let current = first.get(&field.wire).and_then(Value::as_str);
                if let CheckedType::Named(id) = field.ty {
                    if let TypeKind::Enum(values) = &self.spec[id].kind {
                        let mut values: Vec<String> =
                            values.iter().map(|v| v.wire.clone()).collect();
                        if let Some(i) = values.iter().position(|v| Some(v.as_str()) == current) {
                            let own = values.remove(i);
                            values.insert(0, own);
                        }
                        states.push(SeedState {
                            kind: kind.key.clone(),
                            field: field.wire.clone(),
                            values,
                        });
                    }
                }
            }
            seed.insert(
                kind.key.clone(),
                Value::Array(list.into_iter().map(Value::Object).collect()),
            );
        }
        ((!seed.is_empty()).then_some(Value::Object(seed)), states)
    }

    /// The values of `ep`'s sample request: path and query parameters and the body's
    /// top-level fields, as the contract tests and the walk send them.
    fn given(&self, ep: &checked::Endpoint) -> Vec<Given> {
        let mut out = Vec::new();
        let mut push = |wire: &str, ty: &CheckedType, value: Value, required_body| {
            let (item, values) = match (ty, value) {
                (CheckedType::List(item), Value::Array(items)) => (&**item, items),
                (ty, value) => (ty, vec![value]),
            };
            out.push(Given {
                wire: wire.strip_suffix("[]").unwrap_or(wire).to_owned(),
                item: item.clone(),
                values,
                required_body,
            });
        };
        for p in ep.path_params.iter().chain(&ep.query_params) {
            let value = self.json_value(&p.ty, p.example.as_ref(), &p.name, 0, true);
            push(&p.wire, &p.ty, value, false);
        }
        if let Some(id) = ep.body {
            let body = self.json_value(&CheckedType::Named(id), None, "body", 0, true);
            if let TypeKind::Struct(s) = &self.spec[id].kind {
                for f in &s.fields {
                    if let Some(v) = body.get(&f.wire) {
                        push(&f.wire, &f.ty, v.clone(), !f.optional);
                    }
                }
            }
        }
        out
    }

    /// The struct types an answer of type `ty` holds at its top: the type itself, a page's
    /// items, a list's items and a union's variants.
    fn answered(&self, ty: &CheckedType) -> Vec<TypeId> {
        match ty {
            CheckedType::Scalar(_) | CheckedType::Map(_) => Vec::new(),
            CheckedType::List(inner) => self.answered(inner),
            CheckedType::Named(id) => match &self.spec[*id].kind {
                TypeKind::Enum(_) => Vec::new(),
                TypeKind::Struct(s) => {
                    let mut out = vec![*id];
                    if let Some(page) = &s.page {
                        out.extend(self.answered(&page.item));
                    }
                    out
                }
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .flat_map(|v| self.answered(&v.ty))
                    .collect(),
            },
        }
    }

    /// Whether `g` names what `ep` creates: a required body value of a `POST` that is an id
    /// of what it answers with.
    fn creates(
        &self,
        fake: &checked::Fake,
        ep: &checked::Endpoint,
        answered: &[TypeId],
        g: &Given,
    ) -> bool {
        ep.method == HttpMethod::Post
            && g.required_body
            && fake
                .seeds
                .iter()
                .any(|k| answered.contains(&k.ty) && self.is_id(k, &g.wire))
    }

    fn is_id(&self, kind: &checked::FakeSeed, wire: &str) -> bool {
        let fields = self.fields(kind.ty);
        kind.ids.iter().any(|&i| fields[i].wire == wire)
    }

    /// The position in `fake.seeds` of the kind a value called `wire` names: the one the
    /// category declares, else the one answered, else the first.
    fn kind_of(
        &self,
        fake: &checked::Fake,
        cat: &checked::Category,
        answered: &[TypeId],
        wire: &str,
    ) -> Option<usize> {
        let naming: Vec<usize> = (0..fake.seeds.len())
            .filter(|&k| self.is_id(&fake.seeds[k], wire))
            .collect();
        let pick = |test: &dyn Fn(TypeId) -> bool| {
            naming.iter().copied().find(|&k| test(fake.seeds[k].ty))
        };
        pick(&|t| cat.types.contains(&t))
            .or_else(|| pick(&|t| answered.contains(&t)))
            .or_else(|| naming.first().copied())
    }

    /// A kind's entity as its type's sample answer has it, but with its lists empty (a
    /// seeded payment starts without refunds or deposits, which would have to add up) and
    /// its optional fields that name another kind unset (a schedule that has not run has no
    /// payment, a payment without a billing key names none).
    fn sample_entity(&self, fake: &checked::Fake, ty: TypeId) -> Map<String, Value> {
        let Value::Object(mut entity) =
            self.json_value(&CheckedType::Named(ty), None, "response", 0, false)
        else {
            return Map::new();
        };
        for f in self.fields(ty) {
            if !entity.contains_key(&f.wire) {
                continue;
            }
            let names_other = f.optional
                && fake
                    .seeds
                    .iter()
                    .any(|k| k.ty != ty && self.is_id(k, &f.wire));
            if matches!(f.ty, CheckedType::List(_)) {
                entity.insert(f.wire.clone(), json!([]));
            } else if names_other {
                entity.insert(f.wire.clone(), Value::Null);
            }
        }
        entity
    }

    /// Seeds the entities that seeded ones name by another kind's id (a schedule's billing
    /// key), one level deep, unless one with that id is seeded already.
    fn referenced(&self, fake: &checked::Fake, entities: &mut [Vec<Map<String, Value>>]) {
        let mut wanted: Vec<(usize, String, String)> = Vec::new();
        for (k, kind) in fake.seeds.iter().enumerate() {
            for entity in &entities[k] {
                for f in self.fields(kind.ty) {
                    if self.is_id(kind, &f.wire) {
                        continue;
                    }
                    let Some(id) = entity.get(&f.wire).and_then(Value::as_str) else {
                        continue;
                    };
                    for (k2, other) in fake.seeds.iter().enumerate() {
                        if k2 != k && self.is_id(other, &f.wire) {
                            wanted.push((k2, f.wire.clone(), id.to_owned()));
                        }
                    }
                }
            }
        }
        for (k, wire, id) in wanted {
            if entities[k].iter().any(|e| e.get(&wire) == Some(&json!(id))) {
                continue;
            }
            let mut entity = self.sample_entity(fake, fake.seeds[k].ty);
            entity.insert(wire, json!(id));
            entities[k].push(entity);
        }
    }
}
