//! The [`Resolver`], whose methods the sibling modules define one concern each, and the
//! Rust type of a checked type, which they all need.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::checked::{self, CheckedSpec, CheckedType, TypeId, TypeKind};
use crate::model::{ResponseSample, Ty};
use crate::types_expr::Scalar;

/// Where each named type sits in the resolved modules: `(module, type)` indexes.
pub(super) type Positions = BTreeMap<TypeId, (usize, usize)>;

/// The checked spec being lowered; its methods live in the submodules, one per concern.
pub(super) struct Resolver<'a> {
    pub(super) spec: &'a CheckedSpec,
    /// The response samples made so far, by their type as the spec writes it: endpoints
    /// returning the same type share one.
    pub(super) samples: RefCell<BTreeMap<String, ResponseSample>>,
}

impl Resolver<'_> {
    pub(super) fn ty(&self, t: &CheckedType) -> Ty {
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

    /// The fields of a struct; none for an enum or a union (validation makes every body a
    /// struct).
    pub(super) fn fields(&self, ty: TypeId) -> &[checked::Field] {
        match &self.spec[ty].kind {
            TypeKind::Struct(s) => &s.fields,
            TypeKind::Enum(_) | TypeKind::Union(_) => &[],
        }
    }
}
