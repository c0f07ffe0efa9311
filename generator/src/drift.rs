//! `cargo xtask drift`: what an official Swagger 2.0 file has that `spec/` lacks, what `spec/`
//! has that the file lacks, and where shared operations and definitions disagree on a
//! parameter or field (by wire name or by kind of type).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::spec::{Field, Spec, TypeDef};
use crate::types_expr::{Scalar, TypeExpr};

/// The outcome of a comparison.
#[derive(Debug)]
pub struct Drift {
    /// Human-readable report; its last line holds the three counts.
    pub text: String,
    /// Operations in the official file but not in `spec/`.
    pub missing_operations: usize,
    /// Definitions in the official file that no spec type or endpoint accounts for.
    pub missing_definitions: usize,
    /// Parameters and fields that differ between the two.
    pub differing_fields: usize,
}

/// Compares `spec` with the official schema in `official_json`.
pub fn drift(spec: &Spec, official_json: &str) -> Result<Drift, String> {
    let official: Value =
        serde_json::from_str(official_json).map_err(|e| format!("not a JSON schema file: {e}"))?;
    let paths = official
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the file has no `paths` object")?;
    let empty = serde_json::Map::new();
    let definitions = official
        .get("definitions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);

    let category_of: BTreeMap<&str, &str> = spec
        .categories
        .iter()
        .flat_map(|c| {
            c.official
                .iter()
                .map(move |o| (o.as_str(), c.category.as_str()))
        })
        .collect();
    let types: BTreeMap<&str, &TypeDef> = spec
        .categories
        .iter()
        .flat_map(|c| c.types.iter().map(|(n, t)| (n.as_str(), t)))
        .collect();

    // Operations on both sides, keyed by (METHOD, path).
    let mut ours: BTreeMap<(String, String), (&str, &str, &crate::spec::Endpoint)> =
        BTreeMap::new();
    for c in &spec.categories {
        for (name, ep) in &c.endpoints {
            ours.insert(
                (ep.method.as_str().to_owned(), ep.path.clone()),
                (c.category.as_str(), name.as_str(), ep),
            );
        }
    }
    let mut theirs: BTreeMap<(String, String), (&str, &Value)> = BTreeMap::new();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().into_iter().flatten() {
            let cat = op
                .get("x-portone-category")
                .and_then(Value::as_str)
                .unwrap_or("(none)");
            theirs.insert((method.to_uppercase(), path.clone()), (cat, op));
        }
    }

    let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut missing_operations = 0;
    let mut differing_fields = 0;
    for (key, (cat, op)) in &theirs {
        let section = category_of.get(cat).map_or_else(
            || format!("(official category {cat}, not mapped)"),
            |c| c.to_string(),
        );
        match ours.get(key) {
            None => {
                missing_operations += 1;
                sections
                    .entry(section)
                    .or_default()
                    .push(format!("missing operation: {} {}", key.0, key.1));
            }
            Some((_, name, ep)) => {
                for line in compare_params(ep, op, &types) {
                    differing_fields += 1;
                    sections
                        .entry(section.clone())
                        .or_default()
                        .push(format!("{} {} ({name}): {line}", key.0, key.1));
                }
            }
        }
    }
    for (key, (cat, name, ep)) in &ours {
        if !theirs.contains_key(key) {
            let why = if ep.deprecated.is_some() {
                "deprecated, legacy feature"
            } else {
                "not in this file"
            };
            sections
                .entry(cat.to_string())
                .or_default()
                .push(format!("only in spec: {} {} ({name}; {why})", key.0, key.1));
        }
    }

    // Definitions.
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    covered.extend(spec.service.envelope.official.as_deref());
    for c in &spec.categories {
        covered.extend(c.types.values().filter_map(|t| t.official.as_deref()));
        covered.extend(
            c.endpoints
                .values()
                .flat_map(|e| e.official_response.iter().map(String::as_str)),
        );
    }
    let mut missing_definitions = 0;
    for name in definitions.keys() {
        if !covered.contains(name.as_str()) {
            missing_definitions += 1;
            sections
                .entry("(definitions)".into())
                .or_default()
                .push(format!("missing definition: {name}"));
        }
    }
    for name in &covered {
        if !definitions.contains_key(*name) {
            sections
                .entry("(definitions)".into())
                .or_default()
                .push(format!("only in spec: {name}"));
        }
    }
    for (tname, t) in &types {
        let (Some(official), Some(fields)) = (t.official.as_deref(), t.fields.as_ref()) else {
            continue;
        };
        let Some(def) = definitions.get(official) else {
            continue;
        };
        let props = properties(def, definitions);
        for line in compare_fields(fields, &props, &types) {
            differing_fields += 1;
            sections
                .entry("(definitions)".into())
                .or_default()
                .push(format!("{tname} ({official}): {line}"));
        }
    }

    let mut text = String::new();
    for (section, lines) in &sections {
        let _ = writeln!(text, "== {section}");
        for l in lines {
            let _ = writeln!(text, "  {l}");
        }
    }
    let _ = writeln!(
        text,
        "missing operations: {missing_operations}, missing definitions: {missing_definitions}, differing fields: {differing_fields}"
    );
    Ok(Drift {
        text,
        missing_operations,
        missing_definitions,
        differing_fields,
    })
}

/// The properties of a definition, including those it gets through `allOf` (the official
/// envelopes are `allOf[ResponseAnnotation, {response}]`).
fn properties(
    def: &Value,
    definitions: &serde_json::Map<String, Value>,
) -> serde_json::Map<String, Value> {
    let mut out = def
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for part in def
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let resolved = part
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
            .and_then(|name| definitions.get(name))
            .unwrap_or(part);
        if let Some(props) = resolved.get("properties").and_then(Value::as_object) {
            out.extend(props.clone());
        }
    }
    out
}

/// The kind of a type on the official side: string, integer, number, boolean, array, object.
fn official_kind(schema: &Value) -> String {
    if schema.get("$ref").is_some()
        || schema.get("schema").is_some()
        || schema.get("properties").is_some()
    {
        return "object".into();
    }
    schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("untyped")
        .to_owned()
}

/// The same kind for a spec type expression, with what makes ours more precise.
fn spec_kind(expr: &str, types: &BTreeMap<&str, &TypeDef>) -> (String, Option<String>) {
    match TypeExpr::parse(expr) {
        Ok(TypeExpr::Scalar(s)) => match s {
            Scalar::String => ("string".into(), None),
            Scalar::Integer => ("integer".into(), None),
            Scalar::Number => ("number".into(), None),
            Scalar::Amount => ("number".into(), Some("amount".into())),
            Scalar::Boolean => ("boolean".into(), None),
            Scalar::Timestamp => ("integer".into(), Some("timestamp".into())),
            Scalar::Json => ("object".into(), Some("json".into())),
        },
        Ok(TypeExpr::List(_)) => ("array".into(), None),
        Ok(TypeExpr::Map(_)) => ("object".into(), None),
        Ok(TypeExpr::Named(n)) => match types.get(n.as_str()) {
            Some(t) if t.enum_values.is_some() => ("string".into(), Some(format!("enum {n}"))),
            _ => ("object".into(), None),
        },
        Err(_) => ("invalid".into(), None),
    }
}

/// Why a spec type differs from an official kind, or `None` when they agree.
fn differs(official: &str, expr: &str, types: &BTreeMap<&str, &TypeDef>) -> Option<String> {
    let (kind, precise) = spec_kind(expr, types);
    let agree_on_kind = kind == official || (official == "integer" && kind == "number");
    match (agree_on_kind, precise) {
        (true, None) => None,
        (true, Some(p)) if (p == "amount" && official == "number") || p == "json" => None,
        (_, p) => Some(format!("official {official}, spec {}", p.unwrap_or(kind))),
    }
}

fn compare_fields(
    fields: &indexmap::IndexMap<String, Field>,
    props: &serde_json::Map<String, Value>,
    types: &BTreeMap<&str, &TypeDef>,
) -> Vec<String> {
    let mut out = Vec::new();
    let wire =
        |(n, f): (&String, &Field)| (f.wire.clone().unwrap_or_else(|| n.clone()), f.ty.clone());
    let ours: BTreeMap<String, String> = fields.iter().map(wire).collect();
    for (name, schema) in props {
        match ours.get(name) {
            None => out.push(format!("field `{name}` only in official")),
            Some(expr) => {
                if let Some(why) = differs(&official_kind(schema), expr, types) {
                    out.push(format!("field `{name}`: {why}"));
                }
            }
        }
    }
    for name in ours.keys().filter(|n| !props.contains_key(*n)) {
        out.push(format!("field `{name}` only in spec"));
    }
    out
}

fn compare_params(
    ep: &crate::spec::Endpoint,
    op: &Value,
    types: &BTreeMap<&str, &TypeDef>,
) -> Vec<String> {
    let mut ours: BTreeMap<String, String> = ep
        .params
        .iter()
        .map(|(n, p)| (p.wire.clone().unwrap_or_else(|| n.clone()), p.ty.clone()))
        .collect();
    if let Some(body) = ep
        .body
        .as_deref()
        .and_then(|b| types.get(b))
        .and_then(|t| t.fields.as_ref())
    {
        for (n, f) in body {
            ours.insert(f.wire.clone().unwrap_or_else(|| n.clone()), f.ty.clone());
        }
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for p in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        seen.insert(name.to_owned());
        match ours.get(name) {
            None => out.push(format!("parameter `{name}` only in official")),
            Some(expr) => {
                if let Some(why) = differs(&official_kind(p), expr, types) {
                    out.push(format!("parameter `{name}`: {why}"));
                }
            }
        }
    }
    for name in ours.keys().filter(|n| !seen.contains(*n)) {
        out.push(format!("parameter `{name}` only in spec"));
    }
    out
}
