//! Step 2: semantic checks over the loaded spec. Every problem is collected (none stops the
//! others) and reported with the location of the offending node.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostics::{Diagnostic, Report};
use crate::load::Loaded;
use crate::naming;
use crate::spec::{CategoryFile, Endpoint, HttpMethod, ParamIn, TypeDef};
use crate::types_expr::{Scalar, TypeExpr};

/// Checks the spec; returns the warnings on success and every error (and warning) otherwise.
pub fn validate(loaded: &Loaded) -> Result<Report, Report> {
    let mut v = Validator {
        loaded,
        out: Vec::new(),
        types: HashMap::new(),
    };
    v.collect_types();
    v.duplicate_keys();
    v.service();
    let mut categories: HashMap<&str, usize> = HashMap::new();
    let mut endpoints: HashMap<&str, usize> = HashMap::new();
    for cat in &loaded.spec.categories {
        v.category(cat, &mut categories);
        for (name, ep) in &cat.endpoints {
            if let Some(first) = endpoints.insert(name, cat.file) {
                let other = loaded.sources.name(first).to_owned();
                v.err(
                    cat.file,
                    &["endpoints", name],
                    true,
                    format!("endpoint `{name}` is defined twice"),
                )
                .hint(format!(
                    "the other definition is in {other}; method names must be unique"
                ));
            }
            v.endpoint(cat, name, ep);
        }
        for (name, ty) in &cat.types {
            v.type_def(cat, name, ty);
        }
    }
    v.stream_names(&endpoints);
    v.cycles();
    v.duplicate_docs();
    let report = loaded.sources.report(v.out.clone());
    if report.errors() > 0 {
        Err(report)
    } else {
        Ok(report)
    }
}

struct Validator<'a> {
    loaded: &'a Loaded,
    out: Vec<Diagnostic>,
    /// Every type name -> (file, definition); the first definition wins.
    types: HashMap<&'a str, (usize, &'a TypeDef)>,
}

impl<'a> Validator<'a> {
    fn err(
        &mut self,
        file: usize,
        path: &[&str],
        at_key: bool,
        message: String,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(
            file,
            self.span(file, path, at_key),
            message,
        ))
    }

    fn warn(
        &mut self,
        file: usize,
        path: &[&str],
        at_key: bool,
        message: String,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::warning(
            file,
            self.span(file, path, at_key),
            message,
        ))
    }

    fn span(&self, file: usize, path: &[&str], at_key: bool) -> std::ops::Range<usize> {
        if at_key {
            self.loaded.index.key(file, path)
        } else {
            self.loaded.index.value(file, path)
        }
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        self.out.push(d);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    fn collect_types(&mut self) {
        let mut by_key: HashMap<String, &str> = HashMap::new();
        for cat in &self.loaded.spec.categories {
            for (name, ty) in &cat.types {
                if let Some((first, _)) = self.types.get(name.as_str()) {
                    let other = self.loaded.sources.name(*first).to_owned();
                    self.err(
                        cat.file,
                        &["types", name],
                        true,
                        format!("type `{name}` is defined twice"),
                    )
                    .hint(format!("the other definition is in {other}"));
                    continue;
                }
                let key = naming::collision_key(name);
                if let Some(other) = by_key.insert(key, name) {
                    self.err(
                        cat.file,
                        &["types", name],
                        true,
                        format!("type `{name}` collides with `{other}` after case conversion"),
                    )
                    .hint("rename one of them");
                }
                self.types.insert(name, (cat.file, ty));
            }
        }
    }

    fn duplicate_keys(&mut self) {
        for (file, path, span) in self.loaded.index.duplicate_keys().to_vec() {
            let key = path.last().cloned().unwrap_or_default();
            self.push(Diagnostic::error(
                file,
                span,
                format!("`{key}` appears twice in the same mapping"),
            ))
            .label("second definition")
            .hint("YAML keeps only one of them; remove or rename the duplicate");
        }
    }

    fn service(&mut self) {
        let file = self.loaded.service_file;
        let svc = &self.loaded.spec.service;
        if svc.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            self.err(
                file,
                &[],
                false,
                "service.yaml needs a `doc` for the crate".into(),
            );
        }
        let numbers: Vec<&str> = svc.version.split('.').collect();
        let semver = numbers.len() == 3
            && numbers
                .iter()
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !semver {
            self.err(
                file,
                &["version"],
                false,
                format!("`{}` is not a plain MAJOR.MINOR.PATCH version", svc.version),
            )
            .hint("the crate and its runtime are published under this version, e.g. `0.2.0`");
        }
        if !svc.base_url.starts_with("https://") {
            self.err(
                file,
                &["base_url"],
                false,
                "the base URL must use https".into(),
            );
        }
    }

    fn doc(&mut self, file: usize, path: &[&str], doc: Option<&str>, what: &str) {
        if doc.is_none_or(|d| d.trim().is_empty()) {
            self.err(file, path, true, format!("{what} has no doc"))
                .label("add `doc:` here")
                .hint("every endpoint, parameter, type, field and enum value is documented in our own words");
        }
    }

    fn snake(&mut self, file: usize, path: &[&str], name: &str, what: &str) {
        if naming::is_keyword(name) {
            self.err(
                file,
                path,
                true,
                format!("{what} `{name}` is a Rust keyword"),
            )
            .label("keyword")
            .hint(format!(
                "pick another key and keep the wire name with `wire: {name}`"
            ));
        } else if !naming::is_snake(name) {
            use heck::ToSnakeCase;
            self.err(file, path, true, format!("{what} `{name}` is not snake_case"))
                .hint(format!("keys are final Rust names: use `{}` (and `wire: {name}` if the service spells it so)", name.to_snake_case()));
        }
    }

    fn category(&mut self, cat: &'a CategoryFile, seen: &mut HashMap<&'a str, usize>) {
        self.snake(cat.file, &["category"], &cat.category, "category");
        self.doc(
            cat.file,
            &["category"],
            cat.doc.as_deref(),
            &format!("category `{}`", cat.category),
        );
        if let Some(first) = seen.insert(&cat.category, cat.file) {
            let other = self.loaded.sources.name(first).to_owned();
            self.err(
                cat.file,
                &["category"],
                false,
                format!("category `{}` is declared twice", cat.category),
            )
            .hint(format!("{other} declares it too"));
        }
    }

    /// Parses a type expression and checks that the types it names exist.
    fn type_ref(&mut self, file: usize, path: &[&str], text: &str) -> Option<TypeExpr> {
        match TypeExpr::parse(text) {
            Err(message) => {
                self.err(file, path, false, format!("bad type expression: {message}"))
                    .label("here");
                None
            }
            Ok(expr) => {
                if let Some(name) = expr.named() {
                    if !self.types.contains_key(name) {
                        let names: Vec<&str> = self.types.keys().copied().collect();
                        let d = self
                            .err(file, path, false, format!("unknown type `{name}`"))
                            .label("not defined in spec/");
                        if let Some(s) = naming::suggest(name, names) {
                            d.hint = Some(format!("did you mean `{s}`?"));
                        }
                        return None;
                    }
                }
                Some(expr)
            }
        }
    }

    fn kind_of(&self, expr: &TypeExpr) -> Option<&'a TypeDef> {
        match expr {
            TypeExpr::Named(n) => self.types.get(n.as_str()).map(|(_, t)| *t),
            _ => None,
        }
    }

    fn endpoint(&mut self, cat: &CategoryFile, name: &str, ep: &Endpoint) {
        let f = cat.file;
        let at = ["endpoints", name];
        self.snake(f, &at, name, "endpoint");
        self.doc(f, &at, ep.doc.as_deref(), &format!("endpoint `{name}`"));
        if !ep.path.starts_with('/') {
            self.err(
                f,
                &["endpoints", name, "path"],
                false,
                "paths start with `/`".into(),
            );
        }
        if let Some(d) = &ep.deprecated {
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
        }
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
                .hint(format!(
                    "add `{ph}: {{ in: path, type: string, doc: ... }}` under params"
                ));
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
        let mut wires = HashSet::new();
        for (pname, p) in &ep.params {
            let at = ["endpoints", name, "params", pname];
            self.snake(f, &at, pname, "parameter");
            self.doc(f, &at, p.doc.as_deref(), &format!("parameter `{pname}`"));
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
            let Some(expr) = self.type_ref(f, &["endpoints", name, "params", pname, "type"], &p.ty)
            else {
                continue;
            };
            if !self.is_query_value(&expr, p.location == ParamIn::Query) {
                self.err(
                    f,
                    &["endpoints", name, "params", pname, "type"],
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
        }
        if let Some(body) = &ep.body {
            if ep.method == HttpMethod::Get {
                self.err(
                    f,
                    &["endpoints", name, "body"],
                    false,
                    "a GET request cannot carry a body".into(),
                )
                .hint("send these values as query parameters");
            }
            if let Some(expr) = self.type_ref(f, &["endpoints", name, "body"], body) {
                if self.kind_of(&expr).is_none_or(|t| t.fields.is_none()) {
                    self.err(
                        f,
                        &["endpoints", name, "body"],
                        false,
                        format!("body `{body}` must be a struct type"),
                    );
                }
            }
        }
        let response = ep
            .response
            .as_ref()
            .and_then(|r| self.type_ref(f, &["endpoints", name, "response"], r));
        if let Some(page) = &ep.paginate {
            let ok = ep
                .params
                .get(page)
                .is_some_and(|p| p.location == ParamIn::Query && p.optional && p.ty == "integer");
            if !ok {
                self.err(
                    f,
                    &["endpoints", name, "paginate"],
                    false,
                    format!("`paginate: {page}` must name an optional integer query parameter"),
                );
            }
            if response
                .as_ref()
                .and_then(|r| self.kind_of(r))
                .is_none_or(|t| self.page_item(t).is_none())
            {
                self.err(
                    f,
                    &["endpoints", name, "paginate"],
                    false,
                    "a paged endpoint's response type needs a `page:` description (or must be a \
                     union of such pages and plain lists of the same items)"
                        .into(),
                );
            }
        }
        let query_struct = naming::query_struct(name);
        if self.types.contains_key(query_struct.as_str())
            && ep.params.values().any(|p| p.location == ParamIn::Query)
        {
            self.err(
                f,
                &["endpoints", name],
                true,
                format!(
                    "the query struct `{query_struct}` of this endpoint collides with a spec type"
                ),
            );
        }
    }

    /// The item type expression a payload type pages over, if it is a page struct or a union
    /// whose variants are all pages or lists of the same items.
    fn page_item(&self, t: &TypeDef) -> Option<String> {
        if let (Some(page), Some(fields)) = (&t.page, &t.fields) {
            let items = &fields.get(&page.items)?.ty;
            return Some(
                items
                    .trim()
                    .strip_prefix('[')?
                    .strip_suffix(']')?
                    .trim()
                    .to_owned(),
            );
        }
        let mut items = t
            .one_of
            .as_ref()?
            .values()
            .map(|v| match TypeExpr::parse(v) {
                Ok(TypeExpr::List(inner)) => Some(format!("{}", Display(&inner))),
                Ok(expr) => self.kind_of(&expr).and_then(|inner| {
                    if inner.one_of.is_some() {
                        None
                    } else {
                        self.page_item(inner)
                    }
                }),
                Err(_) => None,
            });
        let first = items.next()??;
        items
            .all(|i| i.as_deref() == Some(first.as_str()))
            .then_some(first)
    }

    fn is_query_value(&self, expr: &TypeExpr, allow_list: bool) -> bool {
        match expr {
            TypeExpr::Scalar(s) => *s != Scalar::Json,
            TypeExpr::Named(_) => self.kind_of(expr).is_some_and(|t| t.enum_values.is_some()),
            TypeExpr::List(inner) => allow_list && self.is_query_value(inner, false),
            TypeExpr::Map(_) => false,
        }
    }

    fn type_def(&mut self, cat: &CategoryFile, name: &str, ty: &TypeDef) {
        let f = cat.file;
        let at = ["types", name];
        if naming::is_keyword(name) || !naming::is_upper_camel(name) {
            use heck::ToUpperCamelCase;
            self.err(
                f,
                &at,
                true,
                format!("type name `{name}` is not UpperCamelCase"),
            )
            .hint(format!(
                "keys are final Rust names: use `{}`",
                name.to_upper_camel_case()
            ));
        }
        self.doc(f, &at, ty.doc.as_deref(), &format!("type `{name}`"));
        let kinds = [
            ty.fields.is_some(),
            ty.enum_values.is_some(),
            ty.one_of.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if kinds != 1 {
            self.err(
                f,
                &at,
                true,
                format!("type `{name}` must have exactly one of `fields`, `enum` or `one_of`"),
            );
        }
        if let Some(fields) = &ty.fields {
            let mut wires = HashSet::new();
            for (fname, field) in fields {
                let at = ["types", name, "fields", fname];
                self.snake(f, &at, fname, "field");
                if fname == "new" {
                    self.err(
                        f,
                        &at,
                        true,
                        "a field cannot be called `new`: it would clash with the constructor"
                            .into(),
                    );
                }
                self.doc(
                    f,
                    &at,
                    field.doc.as_deref(),
                    &format!("field `{name}.{fname}`"),
                );
                let wire = field.wire.as_deref().unwrap_or(fname);
                if !wires.insert(wire) {
                    self.err(
                        f,
                        &at,
                        true,
                        format!("two fields of `{name}` use the wire name `{wire}`"),
                    );
                }
                self.type_ref(f, &["types", name, "fields", fname, "type"], &field.ty);
            }
            for (cname, cfields) in &ty.constructors {
                let at = ["types", name, "constructors", cname];
                self.snake(f, &at, cname, "constructor");
                if cname == "new" || fields.contains_key(cname) {
                    self.err(
                        f,
                        &at,
                        true,
                        format!(
                            "constructor `{cname}` clashes with `new` or a setter of the same name"
                        ),
                    );
                }
                for cf in cfields {
                    if !fields.contains_key(cf) {
                        self.err(f, &at, false, format!("constructor `{cname}` sets `{cf}`, which is not a field of `{name}`"));
                    }
                }
            }
            if let Some(page) = &ty.page {
                let items_ok = fields
                    .get(&page.items)
                    .is_some_and(|fd| fd.ty.starts_with('['));
                let next_ok = fields.get(&page.next).is_some_and(|fd| fd.ty == "integer");
                if !items_ok || !next_ok {
                    self.err(
                        f,
                        &["types", name, "page"],
                        false,
                        "`page.items` must name a list field and `page.next` an integer field"
                            .into(),
                    );
                }
            }
        } else if !ty.constructors.is_empty() || ty.page.is_some() {
            self.err(
                f,
                &at,
                true,
                "`constructors` and `page` only apply to struct types".into(),
            );
        }
        if let Some(values) = &ty.enum_values {
            if values.is_empty() {
                self.err(
                    f,
                    &["types", name, "enum"],
                    false,
                    format!("enum `{name}` has no values"),
                );
            }
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for (wire, value) in values {
                let at = ["types", name, "enum", wire];
                self.doc(f, &at, value.doc(), &format!("enum value `{name}::{wire}`"));
                let variant = value
                    .name()
                    .map(str::to_owned)
                    .unwrap_or_else(|| naming::variant(wire));
                if !naming::is_upper_camel(&variant)
                    || variant == "Unknown"
                    || naming::is_keyword(&variant)
                {
                    self.err(f, &at, true, format!("`{wire}` gives the variant name `{variant}`, which is a keyword or not UpperCamelCase"))
                        .hint("set one with `{ name: SomeName, doc: ... }` (`Unknown` is reserved for unknown values)");
                } else if let Some(other) = seen.insert(variant.clone(), wire) {
                    self.err(
                        f,
                        &at,
                        true,
                        format!(
                            "enum values `{other}` and `{wire}` both become the variant `{variant}`"
                        ),
                    )
                    .label("collides after case conversion")
                    .hint(format!(
                        "give one an explicit name: `\"{wire}\": {{ name: ..., doc: ... }}`"
                    ));
                }
            }
        }
        if let Some(variants) = &ty.one_of {
            if variants.is_empty() {
                self.err(
                    f,
                    &["types", name, "one_of"],
                    false,
                    "a union needs at least one variant".into(),
                );
            }
            for (vname, vty) in variants {
                if !naming::is_upper_camel(vname) || naming::is_keyword(vname) {
                    self.err(
                        f,
                        &["types", name, "one_of", vname],
                        true,
                        format!("variant `{vname}` is a Rust keyword or not UpperCamelCase"),
                    );
                }
                self.type_ref(f, &["types", name, "one_of", vname], vty);
            }
        }
    }

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

    /// A struct that contains itself without a list or map in between has infinite size.
    fn cycles(&mut self) {
        let mut names: Vec<&str> = self.types.keys().copied().collect();
        names.sort();
        for start in names {
            let mut stack = vec![start];
            let mut seen = HashSet::new();
            while let Some(cur) = stack.pop() {
                let Some((_, ty)) = self.types.get(cur) else {
                    continue;
                };
                let direct = ty
                    .fields
                    .iter()
                    .flat_map(|f| f.values().map(|fd| fd.ty.as_str()))
                    .chain(
                        ty.one_of
                            .iter()
                            .flat_map(|v| v.values().map(String::as_str)),
                    );
                for t in direct {
                    if let Ok(TypeExpr::Named(n)) = TypeExpr::parse(t) {
                        if n == start {
                            let (file, _) = self.types[start];
                            self.err(
                                file,
                                &["types", start],
                                true,
                                format!("type `{start}` contains itself without indirection"),
                            )
                            .hint("wrap the recursive field in a list (`[T]`)");
                            stack.clear();
                            break;
                        }
                        if seen.insert(n.clone()) {
                            if let Some((k, _)) = self.types.get_key_value(n.as_str()) {
                                stack.push(k);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Docs pasted from one endpoint or type to another usually mean one of them is wrong.
    fn duplicate_docs(&mut self) {
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut items: Vec<(usize, Vec<String>, String, String)> = Vec::new();
        for cat in &self.loaded.spec.categories {
            for (name, ep) in &cat.endpoints {
                if let Some(d) = &ep.doc {
                    items.push((
                        cat.file,
                        vec!["endpoints".into(), name.clone()],
                        format!("endpoint `{name}`"),
                        d.trim().to_owned(),
                    ));
                }
            }
            for (name, ty) in &cat.types {
                if let Some(d) = &ty.doc {
                    items.push((
                        cat.file,
                        vec!["types".into(), name.clone()],
                        format!("type `{name}`"),
                        d.trim().to_owned(),
                    ));
                }
            }
        }
        for (file, path, what, doc) in items {
            if let Some(first) = seen.get(&doc) {
                let first = first.clone();
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                self.warn(
                    file,
                    &p,
                    true,
                    format!("{what} has the same doc as {first}"),
                )
                .hint("say what is specific to this one");
            } else {
                seen.insert(doc, what);
            }
        }
    }
}

/// The `{name}` placeholders of a path, in order.
pub fn placeholders(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Renders a type expression back to spec syntax (to compare item types).
struct Display<'e>(&'e TypeExpr);

impl std::fmt::Display for Display<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            TypeExpr::Scalar(s) => write!(
                f,
                "{}",
                serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ),
            TypeExpr::Named(n) => f.write_str(n),
            TypeExpr::List(t) => write!(f, "[{}]", Display(t)),
            TypeExpr::Map(t) => write!(f, "{{{}}}", Display(t)),
        }
    }
}
