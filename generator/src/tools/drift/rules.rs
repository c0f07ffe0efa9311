//! The refinement rules: a type difference drift accepts without a note in `spec/`, because
//! ours is the official type made more precise. Also how each side's type is classified for
//! the comparison: [`Ours`] for a spec type expression, [`official_kind`] for an official
//! schema.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::spec::{OfficialKind, TypeDef};
use crate::types_expr::{Scalar, TypeExpr};

/// A refinement drift accepts without a note in `spec/`: ours is the official type made more
/// precise, and nothing the service sends or accepts changes.
#[derive(Debug)]
pub struct Rule {
    /// The official kind of type.
    pub official: OfficialKind,
    /// Ours.
    pub ours: Ours,
    /// Why it is safe on the wire.
    pub why: &'static str,
}

impl Rule {
    /// `official -> ours`, e.g. `integer -> timestamp`.
    pub fn name(&self) -> String {
        format!("{} -> {}", self.official.as_str(), self.ours.name())
    }
}

/// The refinement rules, each with its reason.
pub const RULES: &[Rule] = &[
    Rule {
        official: OfficialKind::Integer,
        ours: Ours::Timestamp,
        why: "a time in UNIX seconds: the same integer on the wire, and `Timestamp` also reads \
              PortOne's ways of saying \"no such time\" (0, null, \"\") as none",
    },
    Rule {
        official: OfficialKind::Integer,
        ours: Ours::Amount,
        why: "money: `Amount` reads integers and writes a whole amount as a JSON integer, and \
              also carries the decimals some PGs use",
    },
    Rule {
        official: OfficialKind::Number,
        ours: Ours::Amount,
        why: "money: the same JSON number, typed so that it is not mixed up with other numbers",
    },
    Rule {
        official: OfficialKind::String,
        ours: Ours::Enum,
        why: "the same strings: our enums are open (a value they do not list still decodes and \
              is kept), and drift reports every official value an enum lacks",
    },
    Rule {
        official: OfficialKind::Object,
        ours: Ours::Json,
        why: "an object the official schema does not describe: `json` holds any JSON value",
    },
];

/// What a spec type expression is on the wire, for comparing with an official kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Ours {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    Timestamp,
    Amount,
    Enum,
    Json,
}

impl Ours {
    /// Our kind for a type expression (`None` when it does not parse).
    pub(super) fn of(expr: &str, types: &BTreeMap<&str, &TypeDef>) -> Option<Ours> {
        Some(match TypeExpr::parse(expr).ok()? {
            TypeExpr::Scalar(s) => match s {
                Scalar::String => Ours::String,
                Scalar::Integer => Ours::Integer,
                Scalar::Number => Ours::Number,
                Scalar::Boolean => Ours::Boolean,
                Scalar::Amount => Ours::Amount,
                Scalar::Timestamp => Ours::Timestamp,
                Scalar::Json => Ours::Json,
            },
            TypeExpr::List(_) => Ours::Array,
            TypeExpr::Map(_) => Ours::Object,
            TypeExpr::Named(n) => match types.get(n.as_str()) {
                Some(t) if t.enum_values.is_some() => Ours::Enum,
                _ => Ours::Object,
            },
        })
    }

    /// The official kind that is exactly this one, if any.
    pub(super) fn plain(self) -> Option<OfficialKind> {
        match self {
            Ours::String => Some(OfficialKind::String),
            Ours::Integer => Some(OfficialKind::Integer),
            Ours::Number => Some(OfficialKind::Number),
            Ours::Boolean => Some(OfficialKind::Boolean),
            Ours::Array => Some(OfficialKind::Array),
            Ours::Object => Some(OfficialKind::Object),
            Ours::Timestamp | Ours::Amount | Ours::Enum | Ours::Json => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Ours::Timestamp => "timestamp",
            Ours::Amount => "amount",
            Ours::Enum => "enum",
            Ours::Json => "json",
            plain => plain.plain().map_or("", OfficialKind::as_str),
        }
    }
}

/// The rule that accepts `ours` where the official schema says `official`, if any.
pub(super) fn rule(official: OfficialKind, ours: Ours) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.official == official && r.ours == ours)
}

/// The kind of type an official parameter or property schema has (`None`: it gives none).
/// A reference or a schema with properties is an object, unless it says it is an array.
pub(super) fn official_kind(schema: &Value) -> Option<OfficialKind> {
    let ty = schema.get("type").and_then(Value::as_str);
    if ty != Some("array") && (schema.get("$ref").is_some() || schema.get("properties").is_some()) {
        return Some(OfficialKind::Object);
    }
    serde_json::from_value(Value::String(ty?.to_owned())).ok()
}
