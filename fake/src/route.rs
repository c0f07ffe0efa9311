//! Finding the endpoint of a request in the generated table (`spec/routes.rs`) and decoding
//! its path, query and body to the spec's types; an [`Operation`]'s text form.

use std::fmt;
use std::str::FromStr;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::operation::Operation;

/// One endpoint of the spec, as the generator writes it into `spec/routes.rs`.
pub(crate) struct Route {
    /// Which endpoint it is.
    pub operation: Operation,
    /// HTTP method.
    pub method: &'static str,
    /// Path template with `{wire}` placeholders.
    pub path: &'static str,
    /// Needs an access token.
    pub auth: bool,
    /// Path parameters in path order.
    pub path_params: &'static [Param],
    /// Query parameters.
    pub query: &'static [Param],
    /// Fields of the body object.
    pub body: &'static [Param],
    /// JSON text of a valid payload, built from the spec's examples.
    pub sample: &'static str,
}

impl fmt::Display for Operation {
    /// The spec's key, e.g. `get_payment`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Operation {
    type Err = UnknownOperation;

    /// The operation whose spec key is `key`.
    fn from_str(key: &str) -> Result<Operation, UnknownOperation> {
        Operation::ALL
            .iter()
            .copied()
            .find(|o| o.key() == key)
            .ok_or_else(|| UnknownOperation(key.to_owned()))
    }
}

/// A name that is no endpoint of the spec (from [`Operation`]'s `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownOperation(pub String);

impl fmt::Display for UnknownOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no endpoint of the spec is called `{}`", self.0)
    }
}

impl std::error::Error for UnknownOperation {}

/// A parameter or body field.
pub(crate) struct Param {
    /// Spec name.
    pub name: &'static str,
    /// Name on the wire.
    pub wire: &'static str,
    /// Shape of its value.
    pub ty: Wire,
    /// A request must carry it.
    pub required: bool,
}

/// The JSON shape of a value (enums are strings, timestamps integers, amounts numbers).
pub(crate) enum Wire {
    String,
    Integer,
    Number,
    Boolean,
    #[allow(
        dead_code,
        reason = "the generated table names it only while the spec has a `json` parameter"
    )]
    Json,
    Object,
    List(&'static Wire),
}

impl Wire {
    fn describe(&self) -> String {
        match self {
            Wire::String => "a string".into(),
            Wire::Integer => "an integer".into(),
            Wire::Number => "a number".into(),
            Wire::Boolean => "true or false".into(),
            Wire::Json => "any JSON value".into(),
            Wire::Object => "an object".into(),
            Wire::List(inner) => format!("an array of {}", inner.describe()),
        }
    }

    /// Whether a JSON value has this shape.
    fn fits(&self, v: &Value) -> bool {
        match (self, v) {
            (Wire::String, Value::String(_))
            | (Wire::Number, Value::Number(_))
            | (Wire::Boolean, Value::Bool(_))
            | (Wire::Object, Value::Object(_))
            | (Wire::Json, _) => true,
            (Wire::Integer, Value::Number(n)) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            (Wire::List(inner), Value::Array(items)) => items.iter().all(|i| inner.fits(i)),
            _ => false,
        }
    }

    /// A value written as text (path, query, form) read as this shape.
    fn coerce(&self, text: &str) -> Option<Value> {
        match self {
            Wire::String => Some(Value::String(text.to_owned())),
            Wire::Integer => text.parse::<i64>().ok().map(Value::from),
            Wire::Number => text
                .parse::<i64>()
                .map(Value::from)
                .ok()
                .or_else(|| text.parse::<f64>().ok().map(Value::from))
                .filter(|v| !v.is_null()),
            Wire::Boolean => match text {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            Wire::Json | Wire::Object | Wire::List(_) => {
                let parsed =
                    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()));
                self.fits(&parsed).then_some(parsed)
            }
        }
    }
}

/// Why a request was not decoded: a 400 naming the parameter or field.
pub(crate) struct BadRequest(pub String);

/// What the router found for a method and path.
pub(crate) enum Found {
    /// The endpoint, and its path parameters by spec name.
    Route(&'static Route, Map<String, Value>),
    /// No endpoint has this path.
    Nothing,
    /// Endpoints have this path, with other methods.
    WrongMethod,
    /// The path matched but a parameter does not decode.
    Bad(BadRequest),
}

enum Segment {
    Literal(&'static str),
    Param(&'static Param),
}

/// The routing table with each path template split into segments.
pub(crate) struct Router {
    routes: Vec<(&'static Route, Vec<Segment>)>,
}

impl Router {
    pub(crate) fn new(routes: &'static [Route]) -> Router {
        let routes = routes
            .iter()
            .map(|route| {
                let segments = route.path[1..]
                    .split('/')
                    .map(|s| {
                        let wire = s.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
                        match wire.and_then(|w| route.path_params.iter().find(|p| p.wire == w)) {
                            Some(p) => Segment::Param(p),
                            None => Segment::Literal(s),
                        }
                    })
                    .collect();
                (route, segments)
            })
            .collect();
        Router { routes }
    }

    /// The endpoint for `method` and the raw (percent-encoded) `path`. Of several templates
    /// that match, the one whose first differing segment is literal wins
    /// (`/payments/status/{s}` over `/payments/{imp_uid}/...`).
    pub(crate) fn find(&self, method: &str, path: &str) -> Found {
        let parts: Vec<String> = path
            .strip_prefix('/')
            .unwrap_or(path)
            .split('/')
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect();
        let mut path_matched = false;
        let mut best: Option<(&'static Route, &[Segment], Vec<bool>)> = None;
        for (route, segments) in &self.routes {
            if segments.len() != parts.len() {
                continue;
            }
            let fits = segments.iter().zip(&parts).all(|(s, p)| match s {
                Segment::Literal(l) => l == p,
                Segment::Param(_) => !p.is_empty(),
            });
            if !fits {
                continue;
            }
            path_matched = true;
            if route.method != method {
                continue;
            }
            let rank: Vec<bool> = segments
                .iter()
                .map(|s| matches!(s, Segment::Literal(_)))
                .collect();
            if best.as_ref().is_none_or(|(_, _, r)| rank > *r) {
                best = Some((route, segments, rank));
            }
        }
        let Some((route, segments, _)) = best else {
            return if path_matched {
                Found::WrongMethod
            } else {
                Found::Nothing
            };
        };
        let mut params = Map::new();
        for (segment, text) in segments.iter().zip(&parts) {
            if let Segment::Param(p) = segment {
                match p.ty.coerce(text) {
                    Some(v) => params.insert(p.name.to_owned(), v),
                    None => {
                        return Found::Bad(BadRequest(format!(
                            "path parameter `{}` must be {}, got {text:?}",
                            p.wire,
                            p.ty.describe()
                        )));
                    }
                };
            }
        }
        Found::Route(route, params)
    }
}

/// The query string decoded by the route's parameters (by spec name): repeated keys of a list
/// parameter (`imp_uid[]=a&imp_uid[]=b`) become an array, scalars are read as their type,
/// unknown keys are ignored.
pub(crate) fn query(route: &Route, raw: &str) -> Result<Map<String, Value>, BadRequest> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    let mut out = Map::new();
    for p in route.query {
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == p.wire)
            .map(|(_, v)| v.as_str())
            .collect();
        if values.is_empty() {
            if p.required {
                return Err(BadRequest(format!(
                    "query parameter `{}` is required",
                    p.wire
                )));
            }
            continue;
        }
        let value = match &p.ty {
            Wire::List(inner) => values
                .iter()
                .map(|v| inner.coerce(v))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            ty => ty.coerce(values[0]),
        };
        match value {
            Some(v) => out.insert(p.name.to_owned(), v),
            None => {
                return Err(BadRequest(format!(
                    "query parameter `{}` must be {}, got {:?}",
                    p.wire,
                    p.ty.describe(),
                    values.join(",")
                )));
            }
        };
    }
    Ok(out)
}

/// The body decoded as JSON or, when `form` is set, as `application/x-www-form-urlencoded`
/// (scalars read as the field's type, repeated keys as arrays), then checked: every required
/// field present and not null, every present field of its type. Unknown fields are kept.
pub(crate) fn body(
    route: &Route,
    raw: &[u8],
    form: bool,
) -> Result<Map<String, Value>, BadRequest> {
    let mut object = if form {
        form_body(route, raw)?
    } else if raw.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice(raw) {
            Ok(Value::Object(object)) => object,
            Ok(_) => return Err(BadRequest("the body must be a JSON object".into())),
            Err(e) => return Err(BadRequest(format!("the body is not valid JSON: {e}"))),
        }
    };
    for field in route.body {
        match object.get(field.wire) {
            None | Some(Value::Null) if field.required => {
                return Err(BadRequest(format!(
                    "body field `{}` is required",
                    field.wire
                )));
            }
            None | Some(Value::Null) => {
                object.remove(field.wire);
            }
            Some(v) if !field.ty.fits(v) => {
                return Err(BadRequest(format!(
                    "body field `{}` must be {}",
                    field.wire,
                    field.ty.describe()
                )));
            }
            Some(_) => {}
        }
    }
    Ok(object)
}

fn form_body(route: &Route, raw: &[u8]) -> Result<Map<String, Value>, BadRequest> {
    let mut object = Map::new();
    for (key, value) in form_urlencoded::parse(raw).into_owned() {
        let field = route
            .body
            .iter()
            .find(|f| f.wire == key || format!("{}[]", f.wire) == key);
        let Some(field) = field else {
            object.insert(key, Value::String(value));
            continue;
        };
        let bad = || {
            BadRequest(format!(
                "body field `{}` must be {}, got {value:?}",
                field.wire,
                field.ty.describe()
            ))
        };
        match &field.ty {
            Wire::List(inner) => {
                let item = inner.coerce(&value).ok_or_else(bad)?;
                let entry = object
                    .entry(field.wire)
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = entry {
                    items.push(item);
                }
            }
            ty => {
                let v = ty.coerce(&value).ok_or_else(bad)?;
                object.insert(field.wire.to_owned(), v);
            }
        }
    }
    Ok(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    static ROUTES: &[Route] = &[
        Route {
            operation: Operation::GetPayment,
            method: "GET",
            path: "/payments/{imp_uid}",
            auth: true,
            path_params: &[Param {
                name: "imp_uid",
                wire: "imp_uid",
                ty: Wire::String,
                required: true,
            }],
            query: &[],
            body: &[],
            sample: "{}",
        },
        Route {
            operation: Operation::ListPaymentsByStatus,
            method: "GET",
            path: "/payments/status/{payment_status}",
            auth: true,
            path_params: &[Param {
                name: "status",
                wire: "payment_status",
                ty: Wire::String,
                required: true,
            }],
            query: &[
                Param {
                    name: "page",
                    wire: "page",
                    ty: Wire::Integer,
                    required: false,
                },
                Param {
                    name: "imp_uids",
                    wire: "imp_uid[]",
                    ty: Wire::List(&Wire::String),
                    required: false,
                },
                Param {
                    name: "sandbox",
                    wire: "sandbox",
                    ty: Wire::Boolean,
                    required: true,
                },
            ],
            body: &[],
            sample: "{}",
        },
        Route {
            operation: Operation::CancelPayment,
            method: "POST",
            path: "/payments/cancel",
            auth: true,
            path_params: &[],
            query: &[],
            body: &[
                Param {
                    name: "imp_uid",
                    wire: "imp_uid",
                    ty: Wire::String,
                    required: true,
                },
                Param {
                    name: "amount",
                    wire: "amount",
                    ty: Wire::Number,
                    required: false,
                },
                Param {
                    name: "ids",
                    wire: "ids",
                    ty: Wire::List(&Wire::Integer),
                    required: false,
                },
            ],
            sample: "{}",
        },
        Route {
            operation: Operation::GetReceipt,
            method: "GET",
            path: "/things/{n}",
            auth: true,
            path_params: &[Param {
                name: "n",
                wire: "n",
                ty: Wire::Integer,
                required: true,
            }],
            query: &[],
            body: &[],
            sample: "{}",
        },
    ];

    fn key(found: Found) -> String {
        match found {
            Found::Route(r, params) => format!("{} {}", r.operation, Value::Object(params)),
            Found::Nothing => "404".into(),
            Found::WrongMethod => "405".into(),
            Found::Bad(BadRequest(m)) => format!("400 {m}"),
        }
    }

    #[test]
    fn operations_read_back_from_their_keys() {
        for &operation in Operation::ALL {
            assert_eq!(operation.key().parse(), Ok(operation));
        }
        let typo = "get_paymnet".parse::<Operation>().unwrap_err();
        assert_eq!(
            typo.to_string(),
            "no endpoint of the spec is called `get_paymnet`"
        );
    }

    #[test]
    fn literal_segments_win_and_params_are_percent_decoded() {
        let router = Router::new(ROUTES);
        assert_eq!(
            key(router.find("GET", "/payments/status/paid")),
            r#"list_payments_by_status {"status":"paid"}"#
        );
        assert_eq!(
            key(router.find("GET", "/payments/imp%2F1%20x")),
            r#"get_payment {"imp_uid":"imp/1 x"}"#
        );
        assert_eq!(key(router.find("GET", "/nowhere")), "404");
        assert_eq!(key(router.find("GET", "/payments/a/b/c")), "404");
        assert_eq!(key(router.find("DELETE", "/payments/imp_1")), "405");
        assert_eq!(
            key(router.find("GET", "/things/42")),
            r#"get_receipt {"n":42}"#
        );
        assert_eq!(
            key(router.find("GET", "/things/x")),
            r#"400 path parameter `n` must be an integer, got "x""#
        );
    }

    #[test]
    fn query_repeated_keys_become_arrays_and_scalars_are_typed() {
        let route = &ROUTES[1];
        let q = query(
            route,
            "imp_uid%5B%5D=a&imp_uid[]=b&page=2&sandbox=true&other=1",
        )
        .unwrap_or_else(|BadRequest(m)| panic!("{m}"));
        assert_eq!(
            Value::Object(q).to_string(),
            r#"{"imp_uids":["a","b"],"page":2,"sandbox":true}"#
        );
        let bad = |raw| query(route, raw).err().map(|BadRequest(m)| m);
        assert_eq!(
            bad("sandbox=true&page=two").as_deref(),
            Some(r#"query parameter `page` must be an integer, got "two""#)
        );
        assert_eq!(
            bad("page=1").as_deref(),
            Some("query parameter `sandbox` is required")
        );
    }

    #[test]
    fn json_and_form_bodies_are_checked_against_the_fields() {
        let route = &ROUTES[2];
        let ok = |raw: &str, form| {
            body(route, raw.as_bytes(), form)
                .map(|b| Value::Object(b).to_string())
                .unwrap_or_else(|BadRequest(m)| format!("400 {m}"))
        };
        assert_eq!(
            ok(r#"{"imp_uid":"i","amount":1000,"ids":[1,2]}"#, false),
            r#"{"amount":1000,"ids":[1,2],"imp_uid":"i"}"#
        );
        assert_eq!(
            ok("imp_uid=i&amount=1500.5&ids[]=1&ids[]=2&extra=x", true),
            r#"{"amount":1500.5,"extra":"x","ids":[1,2],"imp_uid":"i"}"#
        );
        assert_eq!(
            ok(r#"{"amount":1}"#, false),
            "400 body field `imp_uid` is required"
        );
        assert_eq!(
            ok(r#"{"imp_uid":"i","amount":"1000"}"#, false),
            "400 body field `amount` must be a number"
        );
        assert_eq!(
            ok("imp_uid=i&amount=lots", true),
            r#"400 body field `amount` must be a number, got "lots""#
        );
        assert_eq!(ok("[1]", false), "400 the body must be a JSON object");
        assert_eq!(
            ok(r#"{"imp_uid":null}"#, false),
            "400 body field `imp_uid` is required"
        );
    }
}
