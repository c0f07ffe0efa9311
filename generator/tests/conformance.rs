//! Official-schema conformance: every request body and query the client sends, as the
//! generated contract tests assert it (`EndpointSample::body_json` and `query_pairs`), is
//! validated against the official schema's trimmed form in `conformance/requests.json`
//! (written by `cargo xtask conformance-schemas`, so this test needs no official file).
//!
//! Where our spec deliberately differs from the official schema, the difference is listed with
//! its reason in `conformance/differences.yaml`, the only place such exceptions live. The test
//! fails on any violation that no entry explains, and on any entry that explains nothing (a
//! stale entry), so the list stays honest.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use generator::model::{Endpoint, Kind, Model, Ty, TypeDef};
use generator::tools::conformance::RequestSchemas;
use jsonschema::error::ValidationErrorKind;
use serde::Deserialize;
use serde_json::{Map, Value};

fn here(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(file)
}

/// One deliberate difference: an operation, where (body or query, JSON pointer), and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Difference {
    operation: String,
    #[serde(rename = "in")]
    part: Part,
    pointer: String,
    reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Part {
    Body,
    Query,
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Part::Body => "body",
            Part::Query => "query",
        })
    }
}

/// Something an endpoint sends that the official schema does not accept.
#[derive(Debug)]
struct Violation {
    endpoint: String,
    operation: String,
    part: Part,
    pointer: String,
    message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(whole)"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{} ({}) {} {pointer}: {}",
            self.endpoint, self.operation, self.part, self.message
        )
    }
}

#[derive(Default)]
struct Counts {
    endpoints: usize,
    bodies: usize,
    queries: usize,
}

fn generate() -> generator::Generated {
    generator::generate(&here("../spec"), &here("../templates")).unwrap_or_else(|r| panic!("{r}"))
}

fn request_schemas() -> RequestSchemas {
    let text = std::fs::read_to_string(here("tests/conformance/requests.json")).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("tests/conformance/requests.json: {e}"))
}

#[test]
fn requests_conform_to_the_official_schema() {
    let started = Instant::now();
    let generated = generate();
    let schemas = request_schemas();
    let differences: Vec<Difference> = serde_yaml::from_str(
        &std::fs::read_to_string(here("tests/conformance/differences.yaml")).unwrap(),
    )
    .unwrap_or_else(|e| panic!("tests/conformance/differences.yaml: {e}"));

    let types = types(&generated.model);
    let mut violations = Vec::new();
    let mut counts = Counts::default();
    for endpoint in generated.model.categories.iter().flat_map(|c| &c.endpoints) {
        check(endpoint, &types, &schemas, &mut violations, &mut counts);
    }

    let mut used = vec![false; differences.len()];
    let mut unexplained = Vec::new();
    for v in &violations {
        let explained = differences
            .iter()
            .position(|d| d.operation == v.operation && d.part == v.part && d.pointer == v.pointer);
        match explained {
            Some(i) => used[i] = true,
            None => unexplained.push(v),
        }
    }
    let mut report = String::new();
    if !unexplained.is_empty() {
        let _ = writeln!(
            report,
            "{} request(s) the official schema does not accept; fix the spec, or list a \
             deliberate difference in tests/conformance/differences.yaml:",
            unexplained.len()
        );
        for v in &unexplained {
            let _ = writeln!(report, "  {v}");
        }
    }
    let stale: Vec<&Difference> = differences
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(d, _)| d)
        .collect();
    if !stale.is_empty() {
        let _ = writeln!(
            report,
            "{} entries of tests/conformance/differences.yaml no longer occur; remove them:",
            stale.len()
        );
        for d in stale {
            let _ = writeln!(
                report,
                "  {} {} {:?} ({})",
                d.operation, d.part, d.pointer, d.reason
            );
        }
    }
    assert!(report.is_empty(), "{report}");
    println!(
        "{} endpoints, {} bodies and {} queries validated; {} deliberate differences; {:.0?}",
        counts.endpoints,
        counts.bodies,
        counts.queries,
        differences.len(),
        started.elapsed()
    );
}

/// The check is not vacuous: requests broken on purpose are reported, each at its field.
#[test]
fn broken_requests_are_reported_at_their_fields() {
    let generated = generate();
    let schemas = request_schemas();
    let endpoint = |name: &str| {
        generated
            .model
            .categories
            .iter()
            .flat_map(|c| &c.endpoints)
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no endpoint {name}"))
            .clone()
    };

    let mut cancel = endpoint("cancel_payment");
    let body = cancel.sample.body_json.as_mut().unwrap();
    let reason = body.as_object_mut().unwrap().remove("reason").unwrap();
    body["reasons"] = reason; // a wrong wire name
    body["amount"] = "ten".into(); // a wrong type
    let mut list = endpoint("list_payments_by_status");
    list.sample.query_pairs.retain(|(k, _)| k != "limit");
    list.sample
        .query_pairs
        .push(("limit".into(), "many".into())); // not an integer
    let mut no_body = endpoint("get_token");
    no_body.sample.body_json = None; // a body the operation needs
    let mut reviews = endpoint("naver_list_reviews");
    reviews.sample.query_pairs.retain(|(k, _)| k != "from"); // a required one left out

    let types = types(&generated.model);
    let mut violations = Vec::new();
    let mut counts = Counts::default();
    for e in [&cancel, &list, &no_body, &reviews] {
        check(e, &types, &schemas, &mut violations, &mut counts);
    }
    let found: Vec<String> = violations
        .iter()
        .map(|v| format!("{} {} {}", v.operation, v.part, v.pointer))
        .collect();
    for expected in [
        "cancelPayment body /reasons",
        "cancelPayment body /amount",
        "getPaymentsByStatus query /limit",
        "getToken body ",
        "getReviews query /from",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} not reported; got:\n{}",
            violations
                .iter()
                .map(|v| format!("  {v}\n"))
                .collect::<String>()
        );
    }
}

/// The model's types by name, to find which fields of a request are optional.
type Types<'a> = BTreeMap<&'a str, &'a TypeDef>;

fn types(model: &Model) -> Types<'_> {
    model
        .modules
        .iter()
        .flat_map(|m| &m.types)
        .map(|t| (t.name.as_str(), t))
        .collect()
}

/// Checks one endpoint twice: the full sample (every field set), and the same request with
/// only its required fields, which must still hold everything the official schema requires.
fn check(
    endpoint: &Endpoint,
    types: &Types<'_>,
    schemas: &RequestSchemas,
    violations: &mut Vec<Violation>,
    counts: &mut Counts,
) {
    let Some(official) = endpoint.official.as_deref() else {
        return;
    };
    let mut violation = |part: Part, pointer: String, message: String| {
        violations.push(Violation {
            endpoint: endpoint.name.clone(),
            operation: official.to_owned(),
            part,
            pointer,
            message,
        });
    };
    let Some(op) = schemas.find(official, &endpoint.method, &endpoint.path) else {
        violation(
            Part::Body,
            String::new(),
            format!(
                "no official operation {official} with method {} and path {} in \
                 tests/conformance/requests.json",
                endpoint.method, endpoint.path
            ),
        );
        return;
    };
    counts.endpoints += 1;

    match (&op.body, &endpoint.sample.body_json) {
        (Some(schema), Some(body)) => {
            counts.bodies += 1;
            let mut report = |p, m| violation(Part::Body, p, m);
            validate(schema, body, Fields::All, &mut report);
            if let Some(name) = &endpoint.body {
                let minimal = required_only(body, &Ty::Named(name.clone()), types);
                validate(schema, &minimal, Fields::RequiredOnly, &mut report);
            }
        }
        (Some(_), None) => violation(
            Part::Body,
            String::new(),
            "the official operation takes a body; we send none".into(),
        ),
        (None, Some(_)) => violation(
            Part::Body,
            String::new(),
            "we send a body; the official operation takes none".into(),
        ),
        (None, None) => {}
    }

    let pairs = &endpoint.sample.query_pairs;
    match &op.query {
        Some(schema) => {
            counts.queries += 1;
            let mut report = |p, m| violation(Part::Query, p, m);
            validate(
                schema,
                &typed_query(pairs, schema),
                Fields::All,
                &mut report,
            );
            let optional = optional_query_params(endpoint, types);
            let required: Vec<(String, String)> = pairs
                .iter()
                .filter(|(wire, _)| !optional.contains(wire.as_str()))
                .cloned()
                .collect();
            validate(
                schema,
                &typed_query(&required, schema),
                Fields::RequiredOnly,
                &mut report,
            );
        }
        None if !pairs.is_empty() => violation(
            Part::Query,
            String::new(),
            format!(
                "we send query parameters ({}); the official operation takes none",
                pairs
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        None => {}
    }
}

/// Which request is being validated: the full sample, or only its required fields (then only
/// missing keys are reported; everything else was already checked on the full sample).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fields {
    All,
    RequiredOnly,
}

/// `value` (a sample of type `ty`) without the optional fields of its structs, at any depth.
fn required_only(value: &Value, ty: &Ty, types: &Types<'_>) -> Value {
    match (ty, value) {
        (Ty::Named(name), Value::Object(object)) => {
            let Some(Kind::Struct(s)) = types.get(name.as_str()).map(|t| &t.kind) else {
                return value.clone(); // a union: which variant is sent is the caller's choice
            };
            let mut out = Map::new();
            for f in s.fields.iter().filter(|f| !f.optional) {
                if let Some(v) = object.get(&f.wire) {
                    out.insert(f.wire.clone(), required_only(v, &f.ty, types));
                }
            }
            Value::Object(out)
        }
        (Ty::List(item), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|v| required_only(v, item, types))
                .collect(),
        ),
        (Ty::Map(item), Value::Object(object)) => Value::Object(
            object
                .iter()
                .map(|(k, v)| (k.clone(), required_only(v, item, types)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// Wire names of the endpoint's optional query parameters.
fn optional_query_params<'a>(endpoint: &Endpoint, types: &Types<'a>) -> BTreeSet<&'a str> {
    let Some(query) = &endpoint.query else {
        return BTreeSet::new();
    };
    match types.get(query.type_name.as_str()).map(|t| &t.kind) {
        Some(Kind::Struct(s)) => s
            .fields
            .iter()
            .filter(|f| f.optional)
            .map(|f| f.wire.as_str())
            .collect(),
        _ => panic!("query type {} is not a struct", query.type_name),
    }
}

/// Validates `instance`, reporting each error with the JSON pointer of the field it is about
/// (for a missing or an unexpected key, the key's own pointer, not its object's).
fn validate(
    schema: &Value,
    instance: &Value,
    fields: Fields,
    report: &mut dyn FnMut(String, String),
) {
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("a schema in tests/conformance/requests.json: {e}"));
    for error in validator.iter_errors(instance) {
        let at = error.instance_path().as_str().to_owned();
        match (error.kind(), fields) {
            (ValidationErrorKind::Required { property }, _) => {
                let key = property.as_str().unwrap_or_default();
                let message = match fields {
                    Fields::All => "required by the official schema; we do not send it",
                    Fields::RequiredOnly => "required by the official schema; optional in ours",
                };
                report(format!("{at}/{}", escape(key)), message.into());
            }
            (_, Fields::RequiredOnly) => {}
            (ValidationErrorKind::AdditionalProperties { unexpected }, Fields::All) => {
                for key in unexpected {
                    report(
                        format!("{at}/{}", escape(key)),
                        "not in the official schema".into(),
                    );
                }
            }
            (_, Fields::All) => report(at, error.to_string()),
        }
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The query pairs as the JSON object the query schema describes: values typed as their
/// parameter declares (integers, numbers, booleans), and an array parameter's pairs collected
/// into an array. Values that do not parse stay strings, so the validator reports them.
fn typed_query(pairs: &[(String, String)], schema: &Value) -> Value {
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut out = Map::new();
    let mut arrays: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for (name, value) in pairs {
        let declared = properties.and_then(|p| p.get(name));
        let ty = declared.and_then(|d| d.get("type")).and_then(Value::as_str);
        if ty == Some("array") {
            let item = declared.and_then(|d| d.get("items"));
            let item_ty = item.and_then(|i| i.get("type")).and_then(Value::as_str);
            arrays.entry(name).or_default().push(typed(value, item_ty));
        } else {
            out.insert(name.clone(), typed(value, ty));
        }
    }
    for (name, items) in arrays {
        out.insert(name.to_owned(), Value::Array(items));
    }
    Value::Object(out)
}

fn typed(value: &str, ty: Option<&str>) -> Value {
    let parsed = match ty {
        Some("integer") => value.parse::<i64>().ok().map(Value::from),
        Some("number") => value.parse::<f64>().ok().map(Value::from),
        Some("boolean") => value.parse::<bool>().ok().map(Value::from),
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(value.to_owned()))
}
