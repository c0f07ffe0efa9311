//! `fake:` of `service.yaml`: the kinds of state the fake PortOne keeps (its seed file), the
//! other types its ledger writes and the enums it reads. The fake's generated shapes, seed reader and walk rely on
//! each seed being a struct with string ids and an enum state, so that is checked here.

use super::Validator;
use crate::checked::{CheckedType, Fake, FakeSeed, Field, TypeDef, TypeId, TypeKind};
use crate::naming;
use crate::types_expr::Scalar;

impl Validator<'_> {
    /// Checks `fake:`. `Some(None)` when the spec has none; `None` after reporting a problem,
    /// or when a type it names did not check (reported there).
    pub(super) fn fake(&mut self, types: &[Option<TypeDef>]) -> Option<Option<Fake>> {
        let Some(fake) = &self.loaded.spec.service.fake else {
            return Some(None);
        };
        let file = self.loaded.service_file;
        let mut ok = true;
        let mut listed: Vec<TypeId> = Vec::new();
        let mut seeds = Vec::new();
        for (key, seed) in &fake.seeds {
            if !naming::is_snake(key) {
                self.err(
                    file,
                    &["fake", "seeds", key],
                    true,
                    format!("`fake.seeds.{key}` is not snake_case"),
                )
                .hint(format!(
                    "it is a key of the seed file: use `{}`",
                    naming::to_snake(key)
                ));
                ok = false;
            }
            let path = ["fake", "seeds", key.as_str(), "type"];
            let Some((id, fields)) = self.fake_struct(&seed.ty, &path, types, &mut listed) else {
                ok = false;
                continue;
            };
            if seed.ids.is_empty() {
                self.err(
                    file,
                    &["fake", "seeds", key],
                    true,
                    format!("`fake.seeds.{key}` needs `ids`: the fields requests name one by"),
                );
                ok = false;
            }
            let mut ids = Vec::new();
            for (i, id_field) in seed.ids.iter().enumerate() {
                let at = i.to_string();
                let found = self.fake_field(
                    &seed.ty,
                    fields,
                    id_field,
                    &["fake", "seeds", key, "ids", &at],
                    "a required `string` field",
                    |f| f.ty == CheckedType::Scalar(Scalar::String),
                );
                match found {
                    Some(position) => ids.push(position),
                    None => ok = false,
                }
            }
            let state = match &seed.state {
                None => None,
                Some(state) => {
                    let is_enum = |f: &Field| match f.ty {
                        CheckedType::Named(t) => matches!(
                            types[t.index()].as_ref().map(|d| &d.kind),
                            Some(TypeKind::Enum(_))
                        ),
                        _ => false,
                    };
                    let found = self.fake_field(
                        &seed.ty,
                        fields,
                        state,
                        &["fake", "seeds", key, "state"],
                        "a required field of an enum type",
                        is_enum,
                    );
                    if found.is_none() {
                        ok = false;
                    }
                    found
                }
            };
            seeds.push(FakeSeed {
                key: key.clone(),
                ty: id,
                ids,
                state,
            });
        }
        let mut answers = Vec::new();
        for (i, name) in fake.answers.iter().enumerate() {
            let at = i.to_string();
            match self.fake_struct(name, &["fake", "answers", &at], types, &mut listed) {
                Some((id, _)) => answers.push(id),
                None => ok = false,
            }
        }
        let mut reads = Vec::new();
        for (i, name) in fake.reads.iter().enumerate() {
            let at = i.to_string();
            match self.fake_enum(name, &["fake", "reads", &at], types, &mut listed) {
                Some(id) => reads.push(id),
                None => ok = false,
            }
        }
        ok.then_some(Some(Fake {
            seeds,
            answers,
            reads,
        }))
    }

    /// The enum type `name` at `path`; reported when it is unknown, not an enum, or already
    /// listed in `fake:`.
    fn fake_enum(
        &mut self,
        name: &str,
        path: &[&str],
        types: &[Option<TypeDef>],
        listed: &mut Vec<TypeId>,
    ) -> Option<TypeId> {
        let id = self.fake_type(name, path)?;
        let def = types[id.index()].as_ref()?;
        if !matches!(def.kind, TypeKind::Enum(_)) {
            self.err(
                self.loaded.service_file,
                path,
                false,
                format!("`{name}` is not an enum: `fake.reads` lists enums"),
            );
            return None;
        }
        self.fake_once(name, id, path, listed)
    }

    /// The type `name` at `path`; reported when it is unknown.
    fn fake_type(&mut self, name: &str, path: &[&str]) -> Option<TypeId> {
        if let Some(&id) = self.names.get(name) {
            return Some(id);
        }
        let hint = naming::suggest(name, self.names.keys().copied())
            .map(|s| format!("did you mean `{s}`?"));
        let d = self.err(
            self.loaded.service_file,
            path,
            false,
            format!("no type is called `{name}`"),
        );
        if let Some(hint) = hint {
            d.hint(hint);
        }
        None
    }

    /// `id`, unless `fake:` lists it already (reported at `path`).
    fn fake_once(
        &mut self,
        name: &str,
        id: TypeId,
        path: &[&str],
        listed: &mut Vec<TypeId>,
    ) -> Option<TypeId> {
        if listed.contains(&id) {
            self.err(
                self.loaded.service_file,
                path,
                false,
                format!("`{name}` is listed twice in `fake:`"),
            );
            return None;
        }
        listed.push(id);
        Some(id)
    }

    /// The struct type `name` at `path` and its fields; reported when it is unknown, not a
    /// struct, or already listed in `fake:`.
    fn fake_struct<'t>(
        &mut self,
        name: &str,
        path: &[&str],
        types: &'t [Option<TypeDef>],
        listed: &mut Vec<TypeId>,
    ) -> Option<(TypeId, &'t [Field])> {
        let id = self.fake_type(name, path)?;
        let def = types[id.index()].as_ref()?;
        let TypeKind::Struct(s) = &def.kind else {
            self.err(
                self.loaded.service_file,
                path,
                false,
                format!("`{name}` is not a struct: seeds and answers are structs"),
            );
            return None;
        };
        let id = self.fake_once(name, id, path, listed)?;
        Some((id, &s.fields))
    }

    /// The position of field `name` of type `ty` when it is required and `fits`; reported at
    /// `path` otherwise.
    fn fake_field(
        &mut self,
        ty: &str,
        fields: &[Field],
        name: &str,
        path: &[&str],
        must: &str,
        fits: impl Fn(&Field) -> bool,
    ) -> Option<usize> {
        let file = self.loaded.service_file;
        let Some(position) = fields.iter().position(|f| f.name == name) else {
            let hint = naming::suggest(name, fields.iter().map(|f| f.name.as_str()))
                .map(|s| format!("did you mean `{s}`?"));
            let d = self.err(file, path, false, format!("`{ty}` has no field `{name}`"));
            if let Some(hint) = hint {
                d.hint(hint);
            }
            return None;
        };
        let field = &fields[position];
        if field.optional || !fits(field) {
            self.err(file, path, false, format!("`{ty}.{name}` must be {must}"));
            return None;
        }
        Some(position)
    }
}
