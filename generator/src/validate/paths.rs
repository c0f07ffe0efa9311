//! Endpoint parameters: path parameters match the path's placeholders in order, and every
//! parameter has a type that fits in a path or query string.

use std::collections::HashSet;

use super::names::{Name, Wire};
use super::{Validator, all};
use crate::checked::{CheckedType, Param};
use crate::naming;
use crate::spec::{self, ParamIn};
use crate::types_expr::Scalar;

/// The checked path and query parameters of an endpoint.
type Params = (Vec<Param>, Vec<Param>);

impl Validator<'_> {
    /// Checks the parameters of an endpoint. Returns the type of each (in spec order, `None`
    /// where it did not check) and, if every one passed, the path and query parameters.
    pub(super) fn params(
        &mut self,
        f: usize,
        name: &str,
        ep: &spec::Endpoint,
    ) -> (Vec<Option<CheckedType>>, Option<Params>) {
        self.placeholders(f, name, ep);
        let placeholders = placeholders(&ep.path);
        let mut wires = HashSet::new();
        let mut types = Vec::new();
        let mut path = Vec::new();
        let mut query = Vec::new();
        for (pname, p) in &ep.params {
            let at = ["endpoints", name, "params", pname];
            self.snake(
                f,
                Name::Key(&at),
                pname,
                "parameter",
                Wire::of(p.wire.as_deref()),
            );
            let doc = self.doc(f, &at, p.doc.as_deref(), &format!("parameter `{pname}`"));
            let wire = p.wire.as_deref().unwrap_or(pname);
            if !wires.insert(wire) {
                self.err(f, &at, true, format!("two parameters go out as `{wire}`"));
            }
            if p.location == ParamIn::Path && !placeholders.contains(&wire) {
                self.err(
                    f,
                    &at,
                    true,
                    format!(
                        "path parameter `{pname}` does not appear in the path `{}`",
                        ep.path
                    ),
                )
                .label("not in the path")
                .hint("add `{".to_owned() + wire + "}` to the path or make it a query parameter");
            }
            if p.location == ParamIn::Path && p.optional {
                self.err(
                    f,
                    &["endpoints", name, "params", pname, "optional"],
                    false,
                    "path parameters cannot be optional".into(),
                )
                .hint("split the endpoint into one per path instead");
            }
            let ty_at = ["endpoints", name, "params", pname, "type"];
            let ty = self.type_ref(f, &ty_at, &p.ty);
            let sendable = ty
                .as_ref()
                .filter(|t| self.is_query_value(t, p.location == ParamIn::Query));
            if ty.is_some() && sendable.is_none() {
                self.err(
                    f,
                    &ty_at,
                    false,
                    format!(
                        "`{}` cannot be sent in a {}",
                        p.ty,
                        if p.location == ParamIn::Path {
                            "path"
                        } else {
                            "query string"
                        }
                    ),
                )
                .hint("use a scalar or an enum (query parameters may also be lists of those)");
            }
            let param = (|| {
                Some(Param {
                    name: pname.clone(),
                    wire: wire.to_owned(),
                    ty: sendable?.clone(),
                    doc: doc?,
                    optional: p.optional,
                    secret: p.secret,
                    example: p.example.clone(),
                })
            })();
            match p.location {
                ParamIn::Path => path.push(param),
                ParamIn::Query => query.push(param),
            }
            types.push(ty);
        }
        let checked = (|| Some((all(path)?, all(query)?)))();
        (types, checked)
    }

    /// Every `{placeholder}` has a path parameter, listed in the order the path uses them.
    fn placeholders(&mut self, f: usize, name: &str, ep: &spec::Endpoint) {
        let placeholders = placeholders(&ep.path);
        let path_params: Vec<&str> = ep
            .params
            .iter()
            .filter(|(_, p)| p.location == ParamIn::Path)
            .map(|(n, p)| p.wire.as_deref().unwrap_or(n))
            .collect();
        for ph in &placeholders {
            if !path_params.contains(ph) {
                self.err(
                    f,
                    &["endpoints", name, "path"],
                    false,
                    format!("path parameter `{{{ph}}}` has no entry in `params`"),
                )
                .label("placeholder without a parameter")
                .hint(placeholder_hint(ph));
            }
        }
        if placeholders.iter().all(|p| path_params.contains(p))
            && path_params.iter().all(|p| placeholders.contains(p))
            && placeholders != path_params
        {
            self.err(
                f,
                &["endpoints", name, "params"],
                false,
                "path parameters must be listed in the order the path uses them".into(),
            );
        }
    }

    /// Scalars other than `json` and enums fit in a path; a query also takes lists of them.
    fn is_query_value(&self, ty: &CheckedType, allow_list: bool) -> bool {
        match ty {
            CheckedType::Scalar(s) => *s != Scalar::Json,
            CheckedType::Named(id) => self.is_enum(*id),
            CheckedType::List(inner) => allow_list && self.is_query_value(inner, false),
            CheckedType::Map(_) => false,
        }
    }
}

/// The `{name}` placeholders of a path, in order.
fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

/// The parameter entry to add for a placeholder: its key a snake_case name, with `wire:` when
/// the placeholder is spelled otherwise.
fn placeholder_hint(placeholder: &str) -> String {
    let key = naming::to_snake(placeholder);
    if !naming::is_snake(&key) || naming::is_keyword(&key) {
        return format!(
            "add a parameter with a snake_case key and `{{ in: path, wire: {placeholder}, type: string, doc: ... }}` under params"
        );
    }
    let wire = if key == placeholder {
        String::new()
    } else {
        format!("wire: {placeholder}, ")
    };
    format!("add `{key}: {{ in: path, {wire}type: string, doc: ... }}` under params")
}
