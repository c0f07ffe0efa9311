//! Categories and endpoints: names, docs, paths, bodies and responses (parameters are in
//! `paths.rs`, paging in `paging.rs`).

use std::collections::HashMap;

use super::names::{Name, Wire};
use super::{Validator, all, if_present};
use crate::checked::{Category, CheckedType, Deprecation, Endpoint, TypeId};
use crate::naming;
use crate::spec::{self, HttpMethod};

impl<'a> Validator<'a> {
    /// Checks every category file and its endpoints.
    pub(super) fn categories(&mut self) -> Option<Vec<Category>> {
        let loaded = self.loaded;
        let mut keys: HashMap<&'a str, usize> = HashMap::new();
        let mut endpoints: HashMap<&'a str, usize> = HashMap::new();
        let mut out = Vec::new();
        for (position, cat) in loaded.spec.categories.iter().enumerate() {
            let f = cat.file;
            self.snake(
                f,
                Name::Value(&["category"]),
                &cat.category,
                "category",
                Wire::NotSent,
            );
            let doc = self.doc(
                f,
                &["category"],
                cat.doc.as_deref(),
                &format!("category `{}`", cat.category),
            );
            let ko = self.label(
                f,
                &["category"],
                &["ko"],
                cat.ko.as_deref(),
                &format!("category `{}`", cat.category),
            );
            if let Some(first) = keys.insert(&cat.category, f) {
                let other = loaded.sources.name(first).to_owned();
                self.err(
                    f,
                    &["category"],
                    false,
                    format!("category `{}` is declared twice", cat.category),
                )
                .hint(format!("{other} declares it too"));
            }
            let group = self.command_group(cat);
            let mut checked = Vec::new();
            for (name, ep) in &cat.endpoints {
                if let Some(first) = endpoints.insert(name, f) {
                    let other = loaded.sources.name(first).to_owned();
                    self.err(
                        f,
                        &["endpoints", name],
                        true,
                        format!("endpoint `{name}` is defined twice"),
                    )
                    .hint(format!(
                        "the other definition is in {other}; method names must be unique"
                    ));
                }
                let command = self.endpoint_command(cat, name, ep, group.as_deref());
                checked.push(self.endpoint(f, name, ep, command));
            }
            out.push((|| {
                Some(Category {
                    key: cat.category.clone(),
                    doc: doc?,
                    ko: ko?,
                    official: cat.official.clone(),
                    command: group?,
                    endpoints: all(checked)?,
                    types: self.declared_in[position].clone(),
                })
            })());
        }
        self.stream_names(&endpoints);
        all(out)
    }

    /// The `*_stream` method of a paged endpoint must not take another endpoint's name.
    fn stream_names(&mut self, endpoints: &HashMap<&str, usize>) {
        for cat in &self.loaded.spec.categories {
            for (name, ep) in &cat.endpoints {
                let stream = naming::stream_method(name);
                if ep.paginate.is_some() && endpoints.contains_key(stream.as_str()) {
                    self.err(cat.file, &["endpoints", name, "paginate"], false,
                        format!("the stream method `{stream}` would collide with an endpoint of that name"));
                }
            }
        }
    }

    fn endpoint(
        &mut self,
        f: usize,
        name: &str,
        ep: &spec::Endpoint,
        command: Option<String>,
    ) -> Option<Endpoint> {
        let at = ["endpoints", name];
        self.snake(f, Name::Key(&at), name, "endpoint", Wire::NotSent);
        let doc = self.doc(f, &at, ep.doc.as_deref(), &format!("endpoint `{name}`"));
        let ko = self.label(
            f,
            &at,
            &["endpoints", name, "ko"],
            ep.ko.as_deref(),
            &format!("endpoint `{name}`"),
        );
        if !ep.path.starts_with('/') {
            self.err(
                f,
                &["endpoints", name, "path"],
                false,
                "paths start with `/`".into(),
            );
        }
        let deprecated = ep.deprecated.as_ref().map(|d| self.deprecation(f, name, d));
        let (param_types, params) = self.params(f, name, ep);
        let body = ep.body.as_ref().map(|body| self.body(f, name, ep, body));
        let response = ep
            .response
            .as_ref()
            .map(|r| self.type_ref(f, &["endpoints", name, "response"], r));
        let paging = self.paging(
            f,
            name,
            ep,
            &param_types,
            response.clone().flatten().as_ref(),
        );
        let query_struct = naming::query_struct(name);
        if self.names.contains_key(query_struct.as_str())
            && ep
                .params
                .values()
                .any(|p| p.location == spec::ParamIn::Query)
        {
            self.err(
                f,
                &at,
                true,
                format!(
                    "the query struct `{query_struct}` of this endpoint collides with a spec type"
                ),
            );
        }
        let (path_params, query_params) = params?;
        Some(Endpoint {
            name: name.to_owned(),
            doc: doc?,
            ko: ko?,
            method: ep.method,
            path: ep.path.clone(),
            idempotent: ep.idempotent,
            auth: ep.auth,
            official: ep.official.clone(),
            official_response: ep.official_response.clone(),
            path_params,
            query_params,
            body: if_present(body)?,
            response: if_present(response)?,
            paging: paging?,
            deprecated,
            command: command?,
        })
    }

    fn deprecation(&mut self, f: usize, name: &str, d: &spec::Deprecation) -> Deprecation {
        let ok = d.since.len() == 10
            && d.since.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !ok {
            self.err(
                f,
                &["endpoints", name, "deprecated", "since"],
                false,
                "`since` must be a date like 2025-07-17".into(),
            );
        }
        Deprecation {
            since: d.since.clone(),
            note: d.note.trim().to_owned(),
            crate_since: d.crate_since.clone(),
        }
    }

    /// A body is a struct type, and GET requests have none.
    fn body(&mut self, f: usize, name: &str, ep: &spec::Endpoint, body: &str) -> Option<TypeId> {
        let at = ["endpoints", name, "body"];
        if ep.method == HttpMethod::Get {
            self.err(f, &at, false, "a GET request cannot carry a body".into())
                .hint("send these values as query parameters");
        }
        match self.type_ref(f, &at, body)? {
            CheckedType::Named(id) if self.is_struct(id) => Some(id),
            _ => {
                self.err(
                    f,
                    &at,
                    false,
                    format!("body `{body}` must be a struct type"),
                );
                None
            }
        }
    }
}
