//! Struct types: fields and named constructors (pages are in `paging.rs`).

use std::collections::HashSet;

use indexmap::IndexMap;

use super::names::{Name, Wire};
use super::{Validator, all, if_present};
use crate::checked::{CheckedType, Constructor, Field, Struct, TypeId};
use crate::naming;
use crate::spec;

impl Validator<'_> {
    pub(super) fn struct_type(
        &mut self,
        id: TypeId,
        fields: &IndexMap<String, spec::Field>,
    ) -> Option<Struct> {
        let decl = self.decls[id.index()];
        let (f, name) = (decl.file, decl.name);
        let mut wires = HashSet::new();
        let mut types = Vec::new();
        let mut checked = Vec::new();
        for (fname, field) in fields {
            let at = ["types", name, "fields", fname];
            self.snake(
                f,
                Name::Key(&at),
                fname,
                "field",
                Wire::of(field.wire.as_deref()),
            );
            if fname == naming::CONSTRUCTOR {
                self.err(
                    f,
                    &at,
                    true,
                    "a field cannot be called `new`: it would clash with the constructor".into(),
                );
            }
            let doc = self.doc(
                f,
                &at,
                field.doc.as_deref(),
                &format!("field `{name}.{fname}`"),
            );
            let wire = field.wire.as_deref().unwrap_or(fname);
            if !wires.insert(wire) {
                self.err(
                    f,
                    &at,
                    true,
                    format!("two fields of `{name}` use the wire name `{wire}`"),
                );
            }
            let ty = self.type_ref(f, &["types", name, "fields", fname, "type"], &field.ty);
            if let Some(CheckedType::Named(held)) = &ty {
                self.direct[id.index()].push(*held);
            }
            checked.push((|| {
                Some(Field {
                    name: fname.clone(),
                    wire: wire.to_owned(),
                    ty: ty.clone()?,
                    doc: doc?,
                    optional: field.optional,
                    secret: field.secret,
                    example: field.example.clone(),
                })
            })());
            types.push(ty);
        }
        let constructors = self.constructors(id, fields);
        let page = decl
            .def
            .page
            .as_ref()
            .map(|page| self.page(id, page, fields, &types));
        Some(Struct {
            fields: all(checked)?,
            constructors: constructors?,
            page: if_present(page)?,
        })
    }

    /// Named constructors set some optional fields besides the required ones.
    fn constructors(
        &mut self,
        id: TypeId,
        fields: &IndexMap<String, spec::Field>,
    ) -> Option<Vec<Constructor>> {
        let decl = self.decls[id.index()];
        let (f, name) = (decl.file, decl.name);
        let mut out = Vec::new();
        for (cname, cfields) in &decl.def.constructors {
            let at = ["types", name, "constructors", cname];
            self.snake(f, Name::Key(&at), cname, "constructor", Wire::NotSent);
            if cname == naming::CONSTRUCTOR || fields.contains_key(cname) {
                self.err(
                    f,
                    &at,
                    true,
                    format!(
                        "constructor `{cname}` clashes with `new` or a setter of the same name"
                    ),
                );
            }
            let mut positions = Vec::new();
            for cf in cfields {
                match fields.get_index_of(cf) {
                    Some(i) => positions.push(Some(i)),
                    None => {
                        self.err(
                            f,
                            &at,
                            false,
                            format!(
                                "constructor `{cname}` sets `{cf}`, which is not a field of `{name}`"
                            ),
                        );
                        positions.push(None);
                    }
                }
            }
            out.push(all(positions).map(|fields| Constructor {
                name: cname.clone(),
                fields,
            }));
        }
        all(out)
    }
}
