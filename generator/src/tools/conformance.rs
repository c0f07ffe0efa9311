//! `cargo xtask conformance-schemas`: trims official Swagger 2.0 files down to what the
//! conformance test (`tests/conformance.rs`) needs, in a format of our own ([`RequestSchemas`]):
//! for every official operationId, the method, the path, and a JSON Schema (draft 2020-12) of
//! the body and of the query the operation accepts.
//!
//! How Swagger 2.0 parameters become schemas:
//! - `in: body`: that parameter's schema is the body schema.
//! - `in: formData`: one object with a property per parameter (the service reads the same
//!   fields from a JSON body, which is what the client sends).
//! - `in: query`: one object with a property per parameter, keyed by wire name (`imp_uid[]`).
//! - `in: path` and `in: header` are left out.
//! - `$ref`s are inlined and `allOf` parts merged, so every schema stands alone.
//! - A schema with `properties` is an object (`type: object`), and a closed one
//!   (`additionalProperties: false`) unless the official file says otherwise: a key the
//!   official schema does not list is either a wrong wire name or a deliberate difference.
//! - A limit written as a string (`maxLength: "16"`) is a number. The file's other quirks
//!   (bare item types, parameters that are arrays of their `schema`) are settled by the
//!   shared reader, `swagger.rs`.
//!
//! Only validation keywords are kept ([`KEPT`]); descriptions, titles, examples, defaults and
//! every `x-` extension are dropped, so the committed file holds no official prose. Output is
//! deterministic: object keys sorted, `required` lists sorted, pretty-printed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::swagger::{self, Location, Swagger, ref_name};

/// The committed file: what the official schema accepts, per operationId.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestSchemas {
    /// Where the file comes from and how to refresh it.
    pub note: String,
    /// Operations by official operationId (a list, because the official file reuses a few ids
    /// on several paths), each list sorted by method and path.
    pub operations: BTreeMap<String, Vec<Operation>>,
}

/// One official operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Operation {
    /// HTTP method, upper case.
    pub method: String,
    /// Path template as the official file spells it.
    pub path: String,
    /// Schema of the body, when the operation takes one.
    pub body: Option<Value>,
    /// Schema of the query (an object keyed by wire name), when it takes query parameters.
    pub query: Option<Value>,
}

impl RequestSchemas {
    /// The operation an endpoint maps to: the only one with its operationId and method, or
    /// among several, the one with its exact path.
    pub fn find(&self, operation_id: &str, method: &str, path: &str) -> Option<&Operation> {
        let candidates: Vec<&Operation> = self
            .operations
            .get(operation_id)?
            .iter()
            .filter(|o| o.method.eq_ignore_ascii_case(method))
            .collect();
        match candidates.as_slice() {
            [only] => Some(only),
            many => many.iter().copied().find(|o| o.path == path),
        }
    }
}

/// Schema keywords copied from the official file; everything else is dropped.
pub const KEPT: &[&str] = &[
    "type",
    "format",
    "enum",
    "required",
    "properties",
    "items",
    "additionalProperties",
    "maxLength",
    "minLength",
    "pattern",
    "maximum",
    "minimum",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
];

/// The keywords of [`KEPT`] whose value is a number.
const NUMERIC: &[&str] = &[
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "maxItems",
    "minItems",
    "multipleOf",
];

const NOTE: &str = "Written by `cargo xtask conformance-schemas --from FILE...` from PortOne's \
official Swagger file(s); do not edit. Validation keywords only: no descriptions.";

/// Reads official Swagger 2.0 files (the current schema, and optionally the file of dropped
/// operations) and returns the pretty-printed [`RequestSchemas`] JSON, ending in a newline.
pub fn request_schemas(official_jsons: &[&str]) -> Result<String, String> {
    let official = Swagger::read_all(official_jsons)?;
    let mut operations: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    for op in &official.operations {
        let id = op
            .id
            .as_deref()
            .ok_or_else(|| format!("{} {}: no operationId", op.method, op.path))?;
        let operation = operation(op, &official.definitions)
            .map_err(|e| format!("{id} ({} {}): {e}", op.method, op.path))?;
        operations.entry(id.to_owned()).or_default().push(operation);
    }
    for list in operations.values_mut() {
        list.sort_by(|a, b| (&a.method, &a.path).cmp(&(&b.method, &b.path)));
    }
    let out = RequestSchemas {
        note: NOTE.to_owned(),
        operations,
    };
    let value = sorted(serde_json::to_value(&out).map_err(|e| e.to_string())?);
    let mut text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

fn operation(
    op: &swagger::Operation,
    definitions: &BTreeMap<String, Value>,
) -> Result<Operation, String> {
    let mut body = None;
    let mut form = Object::default();
    let mut query = Object::default();
    for p in &op.params {
        let schema = || trim(&p.schema, definitions, &mut Vec::new());
        match p.location {
            Location::Body => {
                if body.is_some() {
                    return Err("more than one body parameter".into());
                }
                body = Some(schema()?);
            }
            Location::FormData => form.add(&p.name, schema()?, p.required),
            Location::Query => query.add(&p.name, schema()?, p.required),
            Location::Path | Location::Header => {}
        }
    }
    if body.is_some() && !form.properties.is_empty() {
        return Err("both a body parameter and form parameters".into());
    }
    Ok(Operation {
        method: op.method.clone(),
        path: op.path.clone(),
        body: body.or_else(|| form.into_schema()),
        query: query.into_schema(),
    })
}

/// The properties of an object being assembled from parameters.
#[derive(Default)]
struct Object {
    properties: Map<String, Value>,
    required: Vec<String>,
}

impl Object {
    fn add(&mut self, name: &str, schema: Value, required: bool) {
        self.properties.insert(name.to_owned(), schema);
        if required {
            self.required.push(name.to_owned());
        }
    }

    fn into_schema(self) -> Option<Value> {
        if self.properties.is_empty() {
            return None;
        }
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(self.properties));
        if !self.required.is_empty() {
            schema.insert("required".into(), string_list(self.required));
        }
        schema.insert("additionalProperties".into(), false.into());
        Some(Value::Object(schema))
    }
}

/// A standalone copy of `schema` with only [`KEPT`] keywords, `$ref`s inlined (`stack` holds
/// the definitions being inlined, to refuse a cycle) and `allOf` merged.
fn trim(
    schema: &Value,
    definitions: &BTreeMap<String, Value>,
    stack: &mut Vec<String>,
) -> Result<Value, String> {
    let Some(object) = schema.as_object() else {
        return Err(format!("expected a schema object, found {schema}"));
    };
    if let Some(reference) = object.get("$ref") {
        let name = ref_name(schema).ok_or_else(|| format!("unsupported reference {reference}"))?;
        let def = definitions
            .get(name)
            .ok_or_else(|| format!("reference to a missing definition {name}"))?;
        if stack.iter().any(|n| n == name) {
            return Err(format!("definition {name} refers to itself"));
        }
        stack.push(name.to_owned());
        let out = trim(def, definitions, stack);
        stack.pop();
        return out;
    }

    let mut out = Map::new();
    for (key, value) in object {
        if !KEPT.contains(&key.as_str()) {
            continue;
        }
        let value = match key.as_str() {
            // Only a list of names is the schema keyword (`required: true` belongs to parameters).
            "required" if !value.is_array() => continue,
            "type" if value == "file" => continue,
            "properties" => {
                let mut props = Map::new();
                for (name, prop) in value.as_object().into_iter().flatten() {
                    props.insert(name.clone(), trim(prop, definitions, stack)?);
                }
                Value::Object(props)
            }
            "items" => trim(value, definitions, stack)?,
            "additionalProperties" if value.is_object() => trim(value, definitions, stack)?,
            _ if NUMERIC.contains(&key.as_str()) => match value {
                Value::Number(_) => value.clone(),
                // The official file writes some limits as strings ("16").
                Value::String(text) => match text.trim().parse::<u64>() {
                    Ok(n) => n.into(),
                    Err(_) => match text.trim().parse::<f64>() {
                        Ok(x) => x.into(),
                        Err(_) => return Err(format!("`{key}` is not a number: {text:?}")),
                    },
                },
                _ => return Err(format!("`{key}` is not a number: {value}")),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    for part in object
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        merge(&mut out, trim(part, definitions, stack)?);
    }
    if out.contains_key("properties") {
        out.entry("type").or_insert_with(|| "object".into());
        out.entry("additionalProperties")
            .or_insert_with(|| false.into());
    }
    if let Some(Value::Array(required)) = out.get_mut("required") {
        required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        required.dedup();
    }
    Ok(Value::Object(out))
}

/// Merges an `allOf` part into `into`: properties and required lists are united, any other
/// keyword the part sets is taken from it.
fn merge(into: &mut Map<String, Value>, part: Value) {
    let Value::Object(part) = part else { return };
    for (key, value) in part {
        match (key.as_str(), into.get_mut(&key), value) {
            ("properties", Some(Value::Object(props)), Value::Object(more)) => props.extend(more),
            ("required", Some(Value::Array(list)), Value::Array(more)) => list.extend(more),
            // Each part is closed on its own; the merged object is closed over all of them.
            ("additionalProperties", _, _) => {}
            (_, _, value) => {
                into.insert(key, value);
            }
        }
    }
}

fn string_list(mut items: Vec<String>) -> Value {
    items.sort();
    items.dedup();
    Value::Array(items.into_iter().map(Value::String).collect())
}

/// The same JSON with every object's keys in sorted order, whatever order `serde_json::Map`
/// keeps (insertion order when some crate in the build enables `preserve_order`).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let entries: BTreeMap<String, Value> =
                map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(file: Value) -> RequestSchemas {
        serde_json::from_str(&request_schemas(&[&file.to_string()]).unwrap()).unwrap()
    }

    #[test]
    fn form_parameters_become_a_closed_object_without_prose() {
        let s = schemas(json!({
            "paths": {"/things/{id}": {"post": {
                "operationId": "makeThing",
                "description": "Makes a thing.",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "type": "string"},
                    {"name": "amount", "in": "formData", "required": true, "type": "number",
                     "description": "How much.", "x-portone-name": "Amount", "default": 5},
                    {"name": "tags", "in": "formData", "required": false, "type": "array",
                     "items": "string"},
                    {"name": "ip", "in": "formData", "type": "string", "format": "ipv4",
                     "maxLength": "15"},
                    {"name": "owner", "in": "formData", "required": true, "type": "string",
                     "schema": {"$ref": "#/definitions/Owner"}},
                    {"name": "page", "in": "query", "required": false, "type": "integer"},
                    {"name": "ids[]", "in": "query", "required": true, "type": "array",
                     "items": {"type": "string"}, "collectionFormat": "multi"}
                ]
            }}},
            "definitions": {"Owner": {
                "title": "An owner", "required": ["name"],
                "properties": {"name": {"type": "string", "example": "Kim"},
                               "kind": {"type": "string", "enum": ["a", "b"]}}
            }}
        }));
        let op = s.find("makeThing", "POST", "/things/{id}").unwrap();
        assert_eq!(
            op.body.as_ref().unwrap(),
            &json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["amount", "owner"],
                "properties": {
                    "amount": {"type": "number"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "ip": {"type": "string", "format": "ipv4", "maxLength": 15},
                    "owner": {
                        "type": "object", "additionalProperties": false, "required": ["name"],
                        "properties": {"name": {"type": "string"},
                                       "kind": {"type": "string", "enum": ["a", "b"]}}
                    }
                }
            })
        );
        assert_eq!(
            op.query.as_ref().unwrap(),
            &json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["ids[]"],
                "properties": {
                    "page": {"type": "integer"},
                    "ids[]": {"type": "array", "items": {"type": "string"}}
                }
            })
        );
    }

    #[test]
    fn output_is_sorted_and_stable() {
        let file = json!({"paths": {
            "/b": {"get": {"operationId": "same", "parameters": [
                {"name": "z", "in": "query", "type": "string"},
                {"name": "a", "in": "query", "type": "string"}]}},
            "/a": {"get": {"operationId": "same"}}
        }});
        let text = request_schemas(&[&file.to_string()]).unwrap();
        assert!(
            text.find("\"a\"").unwrap() < text.find("\"z\"").unwrap(),
            "{text}"
        );
        let parsed: RequestSchemas = serde_json::from_str(&text).unwrap();
        let paths: Vec<&str> = parsed.operations["same"]
            .iter()
            .map(|o| o.path.as_str())
            .collect();
        assert_eq!(paths, ["/a", "/b"]);
        assert_eq!(parsed.find("same", "GET", "/b").unwrap().path, "/b");
        assert!(parsed.find("same", "GET", "/c").is_none());
        assert_eq!(request_schemas(&[&file.to_string()]).unwrap(), text);
    }

    #[test]
    fn a_parameter_that_is_an_array_of_a_schema() {
        let s = schemas(
            json!({"paths": {"/x": {"post": {"operationId": "x", "parameters": [
                {"name": "ids", "in": "formData", "type": "array", "schema": {"type": "string"}}
            ]}}}}),
        );
        assert_eq!(
            s.operations["x"][0].body.as_ref().unwrap()["properties"]["ids"],
            json!({"type": "array", "items": {"type": "string"}})
        );
    }

    #[test]
    fn body_parameters_and_all_of_are_inlined() {
        let s = schemas(json!({
            "paths": {"/x": {"put": {"operationId": "x", "parameters": [
                {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/B"}}
            ]}}},
            "definitions": {
                "A": {"required": ["a"], "properties": {"a": {"type": "integer"}}},
                "B": {"allOf": [{"$ref": "#/definitions/A"},
                                {"properties": {"b": {"type": "boolean"}}}]}
            }
        }));
        assert_eq!(
            s.operations["x"][0].body.as_ref().unwrap(),
            &json!({
                "type": "object", "additionalProperties": false, "required": ["a"],
                "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}}
            })
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for (file, expected) in [
            ("[]", "no `paths`"),
            ("{", "not a JSON"),
            (
                r#"{"paths": {"/x": {"get": {"parameters": []}}}}"#,
                "no operationId",
            ),
            (
                r##"{"paths": {"/x": {"post": {"operationId": "x", "parameters": [
                    {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/Nope"}}]}}}}"##,
                "missing definition Nope",
            ),
            (
                r##"{"paths": {"/x": {"post": {"operationId": "x", "parameters": [
                    {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/L"}}]}}},
                  "definitions": {"L": {"properties": {"next": {"$ref": "#/definitions/L"}}}}}"##,
                "refers to itself",
            ),
        ] {
            let err = request_schemas(&[file]).unwrap_err();
            assert!(err.contains(expected), "{err}");
        }
    }
}
