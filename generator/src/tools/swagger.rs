//! An official Swagger 2.0 file (the format PortOne publishes its V1 schema in), read once into
//! the small typed form that [`drift`](super::drift), [`import`](super::import) and
//! [`conformance`](super::conformance) share: operations with their parameters and 200
//! response, and the definitions by name.
//!
//! Schemas stay JSON ([`Value`]), because each tool reads something else from them (drift the
//! kind of a type, import a spec type expression, conformance a trimmed JSON Schema); the
//! helpers here follow `$ref`s and `allOf` for all three. Reading also settles the official
//! file's quirks once, so no tool meets them:
//! - a parameter's schema is one value: a body parameter's `schema`, the `schema` of another
//!   parameter, or else the parameter's own keywords (without `name`, `in` and `required`);
//! - a parameter with `type: array` and a `schema` that is not an array is an array of it;
//! - `items: "string"` (a bare type name) is `items: {type: string}`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// An official Swagger file, or several read as one.
#[derive(Debug)]
pub(crate) struct Swagger {
    /// Every definition by name.
    pub(crate) definitions: BTreeMap<String, Value>,
    /// Every operation, sorted by path and method.
    pub(crate) operations: Vec<Operation>,
}

/// One official operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// Upper case.
    pub(crate) method: String,
    /// The path template as the file spells it.
    pub(crate) path: String,
    /// The `operationId` (the official file reuses a few on several paths).
    pub(crate) id: Option<String>,
    /// PortOne's category id (`x-portone-category`).
    pub(crate) category: Option<String>,
    /// The first of its `tags`.
    pub(crate) tag: Option<String>,
    /// The parameters in the file's order.
    pub(crate) params: Vec<Param>,
    /// The schema of the 200 response.
    pub(crate) ok_schema: Option<Value>,
}

/// One parameter of an operation.
#[derive(Debug)]
pub(crate) struct Param {
    /// The wire name.
    pub(crate) name: String,
    /// Where it goes.
    pub(crate) location: Location,
    /// Whether the operation needs it (a path parameter always does).
    pub(crate) required: bool,
    /// Its schema (see the module docs).
    pub(crate) schema: Value,
}

/// Where a parameter goes (Swagger's `in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Path,
    Query,
    Body,
    FormData,
    Header,
}

impl Location {
    fn parse(s: &str) -> Option<Location> {
        Some(match s {
            "path" => Location::Path,
            "query" => Location::Query,
            "body" => Location::Body,
            "formData" => Location::FormData,
            "header" => Location::Header,
            _ => return None,
        })
    }

    /// Swagger's spelling.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Body => "body",
            Location::FormData => "formData",
            Location::Header => "header",
        }
    }
}

impl Swagger {
    /// Reads one file.
    pub(crate) fn read(json: &str) -> Result<Swagger, String> {
        let file: Value =
            serde_json::from_str(json).map_err(|e| format!("not a JSON schema file: {e}"))?;
        let paths = file
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("the file has no `paths` object")?;
        let mut operations = Vec::new();
        for (path, ops) in paths {
            for (method, op) in ops.as_object().into_iter().flatten() {
                if method.starts_with("x-") || method == "parameters" {
                    continue;
                }
                let method = method.to_uppercase();
                let operation = Operation::read(&method, path, op)
                    .map_err(|e| format!("{method} {path}: {e}"))?;
                operations.push(operation);
            }
        }
        operations.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        let definitions = file
            .get("definitions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, def)| (name.clone(), normalized(def.clone())))
            .collect();
        Ok(Swagger {
            definitions,
            operations,
        })
    }

    /// Reads several files as one (the current schema and the file of dropped operations):
    /// a definition both have must be the same, and an operation may be in only one.
    pub(crate) fn read_all(jsons: &[&str]) -> Result<Swagger, String> {
        let mut all = Swagger {
            definitions: BTreeMap::new(),
            operations: Vec::new(),
        };
        for (i, json) in jsons.iter().enumerate() {
            let file = Swagger::read(json).map_err(|e| format!("file {}: {e}", i + 1))?;
            for (name, def) in file.definitions {
                match all.definitions.get(&name) {
                    Some(existing) if *existing != def => {
                        return Err(format!("definition {name} differs between the files"));
                    }
                    _ => {
                        all.definitions.insert(name, def);
                    }
                }
            }
            for op in file.operations {
                if all.operation(&op.method, &op.path).is_some() {
                    return Err(format!(
                        "{} {} is in more than one file",
                        op.method, op.path
                    ));
                }
                all.operations.push(op);
            }
        }
        all.operations
            .sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        Ok(all)
    }

    /// The operation at `method` (upper case) and `path`.
    pub(crate) fn operation(&self, method: &str, path: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|o| o.method == method && o.path == path)
    }

    /// How many operations use the operationId `id`.
    pub(crate) fn operations_with_id(&self, id: &str) -> usize {
        self.operations
            .iter()
            .filter(|o| o.id.as_deref() == Some(id))
            .count()
    }

    /// The definition a schema refers to by `$ref`.
    pub(crate) fn target<'v>(&'v self, schema: &'v Value) -> Option<(&'v str, &'v Value)> {
        let name = ref_name(schema)?;
        Some((name, self.definitions.get(name)?))
    }

    /// The properties of a schema, including those it gets through `allOf` (the official
    /// envelopes are `allOf[ResponseAnnotation, {response}]`), by name.
    pub(crate) fn properties(&self, schema: &Value) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        self.merge(schema, &mut out, |s| s.get("properties"), 0);
        out
    }

    /// The names a schema (or its `allOf` parts) lists as `required`.
    pub(crate) fn required(&self, schema: &Value) -> BTreeSet<String> {
        let mut out = BTreeMap::new();
        self.merge(schema, &mut out, |s| s.get("required"), 0);
        out.into_keys().collect()
    }

    /// Collects the entries `get` finds in a schema and in its `allOf` parts (references
    /// followed), as a map (a `required` list becomes its names).
    fn merge(
        &self,
        schema: &Value,
        out: &mut BTreeMap<String, Value>,
        get: fn(&Value) -> Option<&Value>,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        let schema = self.target(schema).map_or(schema, |(_, def)| def);
        match get(schema) {
            Some(Value::Object(map)) => {
                out.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            Some(Value::Array(names)) => {
                out.extend(
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|n| (n.to_owned(), Value::Null)),
                );
            }
            _ => {}
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.merge(part, out, get, depth + 1);
        }
    }

    /// Every definition an operation's parameters and 200 response reach, directly or
    /// through other definitions.
    pub(crate) fn reached_by(&self, op: &Operation) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&Value> = op.params.iter().map(|p| &p.schema).collect();
        todo.extend(&op.ok_schema);
        while let Some(v) = todo.pop() {
            match v {
                Value::Object(map) => {
                    if let Some((name, def)) = self.target(v) {
                        if seen.insert(name.to_owned()) {
                            todo.push(def);
                        }
                    }
                    todo.extend(map.values());
                }
                Value::Array(items) => todo.extend(items),
                _ => {}
            }
        }
        seen
    }
}

impl Operation {
    fn read(method: &str, path: &str, op: &Value) -> Result<Operation, String> {
        let text = |key: &str| op.get(key).and_then(Value::as_str).map(str::to_owned);
        let params = op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(Param::read)
            .collect::<Result<_, _>>()?;
        let ok_schema = op
            .get("responses")
            .and_then(|r| r.get("200"))
            .and_then(|r| r.get("schema"))
            .map(|s| normalized(s.clone()));
        Ok(Operation {
            method: method.to_owned(),
            path: path.to_owned(),
            id: text("operationId"),
            category: text("x-portone-category"),
            tag: op
                .get("tags")
                .and_then(Value::as_array)
                .and_then(|t| t.first())
                .and_then(Value::as_str)
                .map(str::to_owned),
            params,
            ok_schema,
        })
    }
}

impl Param {
    fn read(p: &Value) -> Result<Param, String> {
        if let Some(r) = p.get("$ref") {
            return Err(format!("parameter reference {r} is not supported"));
        }
        let name = p
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a parameter has no name")?;
        let location = p
            .get("in")
            .and_then(Value::as_str)
            .and_then(Location::parse)
            .ok_or_else(|| {
                format!("parameter `{name}` is not in path, query, body, formData or header")
            })?;
        let schema = match (location, p.get("schema")) {
            (Location::Body, Some(schema)) => schema.clone(),
            (Location::Body, None) => return Err(format!("body parameter {name} has no schema")),
            (_, Some(schema)) => {
                let is_array = |v: &Value| v.get("type").and_then(Value::as_str) == Some("array");
                if is_array(p) && !is_array(schema) {
                    serde_json::json!({ "type": "array", "items": schema })
                } else {
                    schema.clone()
                }
            }
            (_, None) => {
                let mut own = p.as_object().cloned().unwrap_or_default();
                for key in ["name", "in", "required"] {
                    own.remove(key);
                }
                Value::Object(own)
            }
        };
        Ok(Param {
            name: name.to_owned(),
            location,
            required: location == Location::Path
                || p.get("required").and_then(Value::as_bool) == Some(true),
            schema: normalized(schema),
        })
    }
}

/// The definition name of a `$ref` (`#/definitions/PaymentAnnotation` -> `PaymentAnnotation`).
pub(crate) fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
}

/// `schema` with every bare type name under `items` written as a schema, in every schema it
/// holds (items, properties, `additionalProperties`, `allOf` parts).
fn normalized(mut schema: Value) -> Value {
    normalize(&mut schema);
    schema
}

fn normalize(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::String(ty)) = object.get("items") {
        let ty = ty.clone();
        object.insert("items".into(), serde_json::json!({ "type": ty }));
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = object.get_mut(key) {
            normalize(inner);
        }
    }
    for inner in object
        .get_mut("properties")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(Map::values_mut)
    {
        normalize(inner);
    }
    for inner in object
        .get_mut("allOf")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        normalize(inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(file: Value) -> Result<Swagger, String> {
        Swagger::read(&file.to_string())
    }

    #[test]
    fn parameters_have_one_schema_each() {
        let s = read(json!({
            "paths": {"/things/{id}": {"post": {
                "operationId": "makeThing",
                "tags": ["things", "other"],
                "x-portone-category": "thing",
                "parameters": [
                    {"name": "id", "in": "path", "type": "string", "description": "Which."},
                    {"name": "tags", "in": "formData", "type": "array", "items": "string"},
                    {"name": "ids", "in": "formData", "type": "array",
                     "schema": {"type": "string"}},
                    {"name": "owner", "in": "formData", "type": "string", "required": true,
                     "schema": {"$ref": "#/definitions/Owner"}},
                    {"name": "page", "in": "query", "type": "integer", "required": false}
                ],
                "responses": {"200": {"schema": {"$ref": "#/definitions/Owner"}}}
            }}},
            "definitions": {"Owner": {"properties": {"names": {"type": "array", "items": "string"}}}}
        }))
        .unwrap();
        let op = s.operation("POST", "/things/{id}").unwrap();
        assert_eq!(op.id.as_deref(), Some("makeThing"));
        assert_eq!(op.category.as_deref(), Some("thing"));
        assert_eq!(op.tag.as_deref(), Some("things"));
        let params: Vec<(&str, Location, bool, &Value)> = op
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.location, p.required, &p.schema))
            .collect();
        assert_eq!(
            params,
            [
                (
                    "id",
                    Location::Path,
                    true,
                    &json!({"type": "string", "description": "Which."})
                ),
                (
                    "tags",
                    Location::FormData,
                    false,
                    &json!({"type": "array", "items": {"type": "string"}})
                ),
                (
                    "ids",
                    Location::FormData,
                    false,
                    &json!({"type": "array", "items": {"type": "string"}})
                ),
                (
                    "owner",
                    Location::FormData,
                    true,
                    &json!({"$ref": "#/definitions/Owner"})
                ),
                ("page", Location::Query, false, &json!({"type": "integer"})),
            ]
        );
        assert_eq!(
            s.definitions["Owner"]["properties"]["names"]["items"],
            json!({"type": "string"})
        );
        assert_eq!(
            s.reached_by(op),
            BTreeSet::from(["Owner".to_owned()]),
            "through parameters and the response"
        );
    }

    #[test]
    fn properties_and_required_come_through_all_of_and_references() {
        let s = read(json!({
            "paths": {},
            "definitions": {
                "Envelope": {"required": ["code"], "properties": {"code": {"type": "integer"}}},
                "PaymentResponse": {"allOf": [
                    {"$ref": "#/definitions/Envelope"},
                    {"required": ["response"], "properties": {"response": {"type": "object"}}}
                ]}
            }
        }))
        .unwrap();
        let schema = json!({"$ref": "#/definitions/PaymentResponse"});
        assert_eq!(
            s.properties(&schema).keys().collect::<Vec<_>>(),
            ["code", "response"]
        );
        assert_eq!(
            s.required(&schema),
            BTreeSet::from(["code".to_owned(), "response".to_owned()])
        );
        assert_eq!(s.target(&schema).unwrap().0, "PaymentResponse");
        assert_eq!(ref_name(&json!({"$ref": "#/parameters/x"})), None);
    }

    #[test]
    fn several_files_read_as_one() {
        let current = json!({
            "paths": {"/b": {"get": {"operationId": "b"}}},
            "definitions": {"D": {"type": "string"}}
        });
        let dropped = json!({
            "paths": {"/a": {"get": {"operationId": "a"}}},
            "definitions": {"D": {"type": "string"}}
        });
        let both = Swagger::read_all(&[&current.to_string(), &dropped.to_string()]).unwrap();
        let paths: Vec<&str> = both.operations.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(paths, ["/a", "/b"]);
        let err = Swagger::read_all(&[&current.to_string(), &current.to_string()]).unwrap_err();
        assert!(err.contains("GET /b is in more than one file"), "{err}");
        let other = json!({"paths": {}, "definitions": {"D": {"type": "integer"}}});
        let err = Swagger::read_all(&[&current.to_string(), &other.to_string()]).unwrap_err();
        assert!(err.contains("definition D differs"), "{err}");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for (file, expected) in [
            ("[]", "no `paths`"),
            ("{", "not a JSON"),
            (
                r##"{"paths": {"/x": {"get": {"parameters": [{"$ref": "#/parameters/p"}]}}}}"##,
                "GET /x: parameter reference \"#/parameters/p\" is not supported",
            ),
            (
                r#"{"paths": {"/x": {"get": {"parameters": [{"in": "query"}]}}}}"#,
                "GET /x: a parameter has no name",
            ),
            (
                r#"{"paths": {"/x": {"get": {"parameters": [{"name": "p", "in": "cookie"}]}}}}"#,
                "parameter `p` is not in path",
            ),
            (
                r#"{"paths": {"/x": {"post": {"parameters": [{"name": "b", "in": "body"}]}}}}"#,
                "body parameter b has no schema",
            ),
        ] {
            let err = Swagger::read(file).unwrap_err();
            assert!(err.contains(expected), "{err}");
        }
    }
}
