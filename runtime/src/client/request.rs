//! Endpoint descriptions and request construction (path, query, body).

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::QueryValue;

/// Everything except RFC 3986 "unreserved" characters is percent-encoded,
/// both in path segments and in query names and values.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// HTTP method of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name in upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of one API operation, emitted by the code generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path template as the service spells it, e.g. `/payments/{imp_uid}`.
    pub path: &'static str,
    /// `true` when repeating the request is harmless (reads). `false` for
    /// operations that may move money; those are only retried when the
    /// request provably never reached the service.
    pub idempotent: bool,
    /// `false` only for the token endpoint itself.
    pub auth: bool,
}

/// The one endpoint the runtime calls on its own: the token request. Here, beside
/// [`Endpoint`], so that the errors and the token cache can both name it without either
/// depending on the other. Fetching a token is safe to repeat.
pub(crate) const TOKEN_ENDPOINT: Endpoint = Endpoint {
    method: Method::Post,
    path: "/users/getToken",
    idempotent: true,
    auth: false,
};

/// A request ready to be sent: rendered path, query pairs and JSON body.
///
/// Built by generated endpoint methods; not meant to be used directly.
#[doc(hidden)]
pub struct Request {
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) problem: Option<String>,
}

impl Request {
    /// Renders the path template, replacing each `{name}` in order with the
    /// next argument, percent-encoded as a single path segment.
    ///
    /// Empty, `.` and `..` arguments, and a wrong number of arguments, make
    /// the request fail with [`crate::Error::InvalidRequest`] when it
    /// is executed; nothing is sent.
    pub fn new(endpoint: &'static Endpoint, path_args: &[&str]) -> Request {
        let (path, problem) = render_path(endpoint.path, path_args);
        Request {
            endpoint,
            path,
            query: Vec::new(),
            body: None,
            problem,
        }
    }

    /// Adds a query parameter; `name` is the wire name (e.g. `imp_uid[]`).
    pub fn query<V: QueryValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        value.append_to(name, &mut self.query);
    }

    /// Serializes `body` as the JSON request body. A serialization failure is
    /// reported when the request is executed.
    ///
    /// The body is a trait object so that this function, and serde_json's writer behind it,
    /// is compiled once here rather than once per request type in the generated crate.
    pub fn json(&mut self, body: &dyn erased_serde::Serialize) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => {
                self.problem
                    .get_or_insert_with(|| format!("could not serialize the request body: {e}"));
            }
        }
    }

    /// Path and encoded query string, e.g. `/payments?imp_uid%5B%5D=a`.
    pub(crate) fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (name, value)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.extend(utf8_percent_encode(name, ENCODE));
            out.push('=');
            out.extend(utf8_percent_encode(value, ENCODE));
        }
        out
    }
}

impl fmt::Debug for Request {
    /// Shows only the endpoint: path, query and body values may be
    /// personal data or, for the token request, credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("endpoint", &self.endpoint)
            .field("query_pairs", &self.query.len())
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

fn render_path(template: &str, args: &[&str]) -> (String, Option<String>) {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut problem = None;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        match args.next() {
            Some(value) if is_valid_segment(value) => {
                out.extend(utf8_percent_encode(value, ENCODE));
            }
            Some(_) => {
                problem.get_or_insert_with(|| {
                    format!("path parameter `{name}` must not be empty, `.` or `..`")
                });
            }
            None => {
                problem.get_or_insert_with(|| format!("path parameter `{name}` is missing"));
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if args.next().is_some() {
        problem.get_or_insert_with(|| "too many path parameters".to_owned());
    }
    (out, problem)
}

fn is_valid_segment(value: &str) -> bool {
    !matches!(value, "" | "." | "..")
}
