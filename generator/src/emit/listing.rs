//! The generated crate's public API as a listing of one line per item, written to
//! `generated/public-api.txt`: the surface a maintainer reviews after a spec change, and what
//! [`crate::tools::semver::classify`] compares to say whether the change breaks users.
//!
//! Signatures and Rust types are read back from the emitted Rust files with syn, so the
//! listing shows what the crate really offers and repeats none of emit's decisions; the model
//! adds what the Rust signatures do not show (wire names, routes, retries, features, enum
//! values, which are `open_enum!` invocations in the code).
//!
//! Each line is `KIND NAME...`, where `KIND NAME` identifies the item across versions:
//! - `reexport Amount` — a name the crate root re-exports (from the runtime, or `Client`);
//! - `method Client::get_payment(..) -> Call<'_, Payment> // GET /payments/{imp_uid}, retried, ...`;
//! - `type Payment // struct, response, ...`, then its members:
//!   `field Payment.amount: Amount // wire "amount"`, `fn CancelPaymentRequest::new(..) -> Self`,
//!   `value PaymentStatus::Paid // "paid"`, `variant PaymentListResult::Page(PaymentPage)`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{Cfg, Kind, Model, TypeDef, Webhook};

/// The path of the listing inside the generated crate.
pub const PATH: &str = "public-api.txt";

/// The listing's text (without the do-not-edit header line, which emit adds), from what each
/// `src/` file of the crate declares (`(path, code)`, read by [`Code::of`] from the parsed
/// file emit formatted).
pub fn render(model: &Model, files: Vec<(String, Code)>) -> Result<String, String> {
    let webhook_file = model
        .webhook
        .as_ref()
        .map(|w| format!("src/{}.rs", w.module));
    let code = Code::merge(files, webhook_file.as_deref());
    let mut out = format!(
        "# The public API of {} {}, one line per item; review its diff after every spec change.\n",
        model.crate_name, model.crate_version
    );
    // The runtime's items come through globs (`pub use runtime::exports::root::*`), whose
    // names the code does not spell: the model has them.
    let globbed = model.runtime_exports.iter().flat_map(|e| &e.names);
    for name in code.reexports.iter().chain(globbed) {
        let _ = writeln!(out, "reexport {name}");
    }
    for c in &model.categories {
        let _ = writeln!(out, "\n# category {} (feature `{}`)", c.key, c.key);
        for e in &c.endpoints {
            let sig = code.method(&e.name)?;
            let retry = if e.idempotent {
                "retried"
            } else {
                "never retried"
            };
            let deprecated = e
                .deprecated
                .as_ref()
                .map(|d| format!(", deprecated since {} (legacy)", d.since))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "method Client::{sig} // {} {}, {retry}{deprecated}",
                e.method, e.path
            );
            if let Some(s) = &e.stream {
                let _ = writeln!(out, "method Client::{}", code.method(&s.name)?);
            }
        }
    }
    if let Some(f) = &model.flows {
        let _ = writeln!(out, "\n# flows (feature `{}`)", features(&f.cfg));
        for name in &f.methods {
            let _ = writeln!(out, "method Client::{}", code.method(name)?);
        }
        let _ = writeln!(out, "impl PaymentFacts for {}", f.payment);
        let _ = writeln!(out, "impl CancellationFacts for {}", f.cancellation);
    }
    for m in &model.modules {
        let _ = writeln!(out, "\n# types/{}", m.name);
        for t in &m.types {
            type_lines(&mut out, t, &code)?;
        }
    }
    if let Some(w) = &model.webhook {
        webhook_lines(&mut out, w, &code)?;
    }
    Ok(out)
}

fn webhook_lines(out: &mut String, w: &Webhook, code: &Code) -> Result<(), String> {
    let _ = writeln!(out, "\n# {}", w.module);
    for name in &code.webhook_reexports {
        let _ = writeln!(out, "reexport {}::{name}", w.module);
    }
    let _ = writeln!(
        out,
        "type {}::{} // webhook notification, {}, features: {}",
        w.module,
        w.type_name,
        w.formats.join(" | "),
        features(&w.cfg)
    );
    let fields = code.fields(&w.type_name)?;
    let keys = w.fields.iter().map(|f| (&f.name, Some(&f.wire)));
    for (name, wire) in keys.chain([(&w.extra, None)]) {
        let ty = fields.get(name).ok_or_else(|| {
            format!(
                "public API: field {}.{name} is not in the code",
                w.type_name
            )
        })?;
        let key = wire.map_or("every other key".to_owned(), |k| format!("key {k:?}"));
        let _ = writeln!(out, "field {}.{name}: {ty} // {key}", w.type_name);
    }
    for sig in code.functions(&w.type_name) {
        let _ = writeln!(out, "fn {}::{sig}", w.type_name);
    }
    Ok(())
}

fn type_lines(out: &mut String, t: &TypeDef, code: &Code) -> Result<(), String> {
    let u = t.usage;
    let roles: Vec<&str> = [
        (u.request, "request"),
        (u.response, "response"),
        (u.query, "query"),
    ]
    .into_iter()
    .filter_map(|(on, role)| on.then_some(role))
    .collect();
    let kind = match &t.kind {
        Kind::Struct(_) => "struct",
        Kind::Enum(_) => "open enum",
        Kind::Union(_) => "union",
    };
    let _ = writeln!(
        out,
        "type {} // {kind}, {}, features: {}",
        t.name,
        roles.join("+"),
        features(&t.cfg)
    );
    match &t.kind {
        Kind::Struct(s) => {
            let fields = code.fields(&t.name)?;
            for f in &s.fields {
                let ty = fields.get(&f.name).ok_or_else(|| {
                    format!("public API: field {}.{} is not in the code", t.name, f.name)
                })?;
                let _ = writeln!(
                    out,
                    "field {}.{}: {ty} // wire {:?}",
                    t.name, f.name, f.wire
                );
            }
            for sig in code.functions(&t.name) {
                let _ = writeln!(out, "fn {}::{sig}", t.name);
            }
        }
        Kind::Enum(values) => {
            for v in values {
                let _ = writeln!(out, "value {}::{} // {:?}", t.name, v.name, v.wire);
            }
        }
        Kind::Union(union) => {
            for v in &union.variants {
                let ty = code.variant(&t.name, &v.name)?;
                let _ = writeln!(out, "variant {}::{}({ty})", t.name, v.name);
            }
        }
    }
    Ok(())
}

fn features(cfg: &Cfg) -> String {
    if cfg.categories.is_empty() {
        return "always".to_owned();
    }
    cfg.categories
        .iter()
        .map(|t| match t.legacy {
            true => format!("{}+legacy", t.feature),
            false => t.feature.clone(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// What emitted Rust files declare publicly.
#[derive(Default)]
pub struct Code {
    reexports: Vec<String>,
    /// What the webhook module re-exports from the runtime.
    webhook_reexports: Vec<String>,
    /// `Client` method name -> signature.
    methods: BTreeMap<String, String>,
    /// Struct name -> field name -> Rust type.
    fields: BTreeMap<String, BTreeMap<String, String>>,
    /// Type name -> signatures of its public associated functions, in code order.
    functions: BTreeMap<String, Vec<String>>,
    /// Union name -> variant name -> payload type.
    variants: BTreeMap<String, BTreeMap<String, String>>,
}

impl Code {
    /// What one parsed file declares publicly.
    pub fn of(file: syn::File) -> Code {
        let mut code = Code::default();
        code.collect(file.items);
        code
    }

    /// Every file's declarations together; the webhook module's re-exports kept apart.
    fn merge(files: Vec<(String, Code)>, webhook_file: Option<&str>) -> Code {
        let mut all = Code::default();
        for (path, code) in files {
            if Some(path.as_str()) == webhook_file {
                all.webhook_reexports.extend(code.reexports);
            } else {
                all.reexports.extend(code.reexports);
            }
            all.methods.extend(code.methods);
            all.fields.extend(code.fields);
            for (owner, functions) in code.functions {
                all.functions.entry(owner).or_default().extend(functions);
            }
            all.variants.extend(code.variants);
        }
        all
    }

    fn collect(&mut self, items: Vec<syn::Item>) {
        for item in items {
            match item {
                syn::Item::Use(u) if is_pub(&u.vis) => reexports(&u.tree, &mut self.reexports),
                syn::Item::Struct(s) if is_pub(&s.vis) => {
                    let fields = s
                        .fields
                        .into_iter()
                        .filter(|f| is_pub(&f.vis))
                        .filter_map(|f| Some((f.ident?.to_string(), type_text(f.ty))))
                        .collect();
                    self.fields.insert(s.ident.to_string(), fields);
                }
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    let variants = e
                        .variants
                        .into_iter()
                        .map(|v| {
                            let ty = v.fields.into_iter().map(|f| type_text(f.ty)).collect();
                            (v.ident.to_string(), ty)
                        })
                        .collect();
                    self.variants.insert(e.ident.to_string(), variants);
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let Some(owner) = last_segment(&i.self_ty) else {
                        continue;
                    };
                    for f in i.items {
                        if let syn::ImplItem::Fn(f) = f {
                            if is_pub(&f.vis) {
                                let name = f.sig.ident.to_string();
                                let sig = signature(f.sig);
                                if owner == "Client" {
                                    self.methods.insert(name, sig);
                                } else {
                                    self.functions.entry(owner.clone()).or_default().push(sig);
                                }
                            }
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = m.content {
                        self.collect(items);
                    }
                }
                _ => {}
            }
        }
    }

    fn method(&self, name: &str) -> Result<&str, String> {
        self.methods
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("public API: method Client::{name} is not in the code"))
    }

    fn fields(&self, name: &str) -> Result<&BTreeMap<String, String>, String> {
        self.fields
            .get(name)
            .ok_or_else(|| format!("public API: struct {name} is not in the code"))
    }

    fn functions(&self, name: &str) -> &[String] {
        self.functions.get(name).map_or(&[], Vec::as_slice)
    }

    fn variant(&self, union: &str, variant: &str) -> Result<&str, String> {
        self.variants
            .get(union)
            .and_then(|v| v.get(variant))
            .map(String::as_str)
            .ok_or_else(|| format!("public API: variant {union}::{variant} is not in the code"))
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn reexports(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(p) => reexports(&p.tree, out),
        syn::UseTree::Name(n) => out.push(n.ident.to_string()),
        syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
        syn::UseTree::Glob(_) => {}
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| reexports(t, out)),
    }
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A signature on one line (`name(&self, a: &str) -> Call<'_, T>`), as a user writes it.
fn signature(sig: syn::Signature) -> String {
    let item = syn::Item::Fn(syn::ItemFn {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: syn::FnModifiers::default(),
        sig,
        block: Box::new(syn::Block {
            brace_token: syn::token::Brace::default(),
            stmts: Vec::new(),
        }),
    });
    let text = unparse(item);
    one_line(text.trim().trim_start_matches("fn ").trim_end_matches("{}"))
}

/// A type on one line, as a user writes it.
fn type_text(ty: syn::Type) -> String {
    let item = syn::Item::Type(syn::ItemType {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: syn::TypeModifiers::default(),
        type_token: Default::default(),
        ident: syn::Ident::new("T", proc_macro2::Span::call_site()),
        generics: syn::Generics::default(),
        eq_token: Default::default(),
        ty: Box::new(ty),
        semi_token: Default::default(),
        where_clause_placement: syn::WhereClausePlacement::Late,
    });
    let text = unparse(item);
    one_line(
        text.trim()
            .trim_start_matches("type T = ")
            .trim_end_matches(';'),
    )
}

/// prettyplease's rendering of one item (built from the parsed code, not parsed again).
fn unparse(item: syn::Item) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![item],
    })
}

/// prettyplease's text on one line.
fn one_line(text: &str) -> String {
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [("( ", "("), (", )", ")"), (",)", ")")] {
        text = text.replace(from, to);
    }
    text.trim().to_owned()
}
