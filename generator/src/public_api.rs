//! The generated crate's public API as a listing of one line per item, written to
//! `generated/public-api.txt`: the surface a maintainer reviews after a spec change, and what
//! [`classify`] compares to say whether the change breaks users.
//!
//! Signatures and Rust types are read back from the emitted Rust files with syn, so the
//! listing shows what the crate really offers and repeats none of emit's decisions; the model
//! adds what the Rust signatures do not show (wire names, routes, retries, features, enum
//! values, which are `open_enum!` invocations in the code).
//!
//! Each line is `KIND NAME...`, where `KIND NAME` identifies the item across versions:
//! - `reexport Amount` — a name the crate root re-exports from the runtime;
//! - `method Client::get_payment(..) -> Call<'_, Payment> // GET /payments/{imp_uid}, retried, ...`;
//! - `type Payment // struct, response, ...`, then its members:
//!   `field Payment.amount: Amount // wire "amount"`, `fn CancelPaymentRequest::new(..) -> Self`,
//!   `value PaymentStatus::Paid // "paid"`, `variant PaymentListResult::Page(PaymentPage)`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quote::ToTokens;

use crate::model::{Cfg, Kind, Model, TypeDef};
use crate::write::FilePlan;

/// The path of the listing inside the generated crate.
pub const PATH: &str = "public-api.txt";

/// The listing's text (without the do-not-edit header line, which emit adds).
pub fn render(model: &Model, files: &FilePlan) -> Result<String, String> {
    let code = Code::read(files)?;
    let mut out = format!(
        "# The public API of {} {}, one line per item; review its diff after every spec change.\n",
        model.crate_name, model.crate_version
    );
    for name in &code.reexports {
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
    for m in &model.modules {
        let _ = writeln!(out, "\n# types/{}", m.name);
        for t in &m.types {
            type_lines(&mut out, t, &code)?;
        }
    }
    Ok(out)
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
    if cfg.0.is_empty() {
        return "always".to_owned();
    }
    cfg.0
        .iter()
        .map(|t| match t.legacy {
            true => format!("{}+legacy", t.feature),
            false => t.feature.clone(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// What the emitted Rust files declare publicly.
#[derive(Default)]
struct Code {
    reexports: Vec<String>,
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
    fn read(files: &FilePlan) -> Result<Code, String> {
        let mut code = Code::default();
        for (path, text) in files {
            if !(path.starts_with("src/") && path.ends_with(".rs")) {
                continue;
            }
            let file = syn::parse_file(text).map_err(|e| format!("public API: {path}: {e}"))?;
            code.collect(&file.items);
        }
        Ok(code)
    }

    fn collect(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Use(u) if is_pub(&u.vis) => reexports(&u.tree, &mut self.reexports),
                syn::Item::Struct(s) if is_pub(&s.vis) => {
                    let fields = s
                        .fields
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), type_text(&f.ty))))
                        .collect();
                    self.fields.insert(s.ident.to_string(), fields);
                }
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    let variants = e
                        .variants
                        .iter()
                        .map(|v| {
                            let ty = v.fields.iter().map(|f| type_text(&f.ty)).collect();
                            (v.ident.to_string(), ty)
                        })
                        .collect();
                    self.variants.insert(e.ident.to_string(), variants);
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let Some(owner) = last_segment(&i.self_ty) else {
                        continue;
                    };
                    for f in &i.items {
                        if let syn::ImplItem::Fn(f) = f {
                            if is_pub(&f.vis) {
                                let sig = signature(&f.sig);
                                if owner == "Client" {
                                    self.methods.insert(f.sig.ident.to_string(), sig);
                                } else {
                                    self.functions.entry(owner.clone()).or_default().push(sig);
                                }
                            }
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
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
fn signature(sig: &syn::Signature) -> String {
    let text = unparse(&format!("{} {{}}", sig.to_token_stream()));
    readable(text.trim().trim_start_matches("fn ").trim_end_matches("{}"))
}

fn type_text(ty: &syn::Type) -> String {
    let text = unparse(&format!("type T = {};", ty.to_token_stream()));
    readable(
        text.trim()
            .trim_start_matches("type T = ")
            .trim_end_matches(';'),
    )
}

/// prettyplease's rendering of one item given as token text (which syn printed itself).
fn unparse(item: &str) -> String {
    syn::parse_str::<syn::File>(item)
        .map(|file| prettyplease::unparse(&file))
        .unwrap_or_else(|_| item.to_owned())
}

/// prettyplease's text on one line, with the paths a user does not write left out
/// (`::core::option::Option<crate::types::Payment>` -> `Option<Payment>`).
fn readable(text: &str) -> String {
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (from, to) in [("( ", "("), (", )", ")"), (",)", ")")] {
        text = text.replace(from, to);
    }
    for prefix in [
        "::core::option::",
        "::core::result::",
        "::core::convert::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "crate::types::",
        "crate::runtime::",
        "crate::",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace("::serde_json::", "serde_json::")
        .trim()
        .to_owned()
}

/// How a change to the public API affects users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The listing did not change.
    Unchanged,
    /// Only additions: existing code keeps compiling and behaving.
    Additive,
    /// Something users may rely on was removed or changed.
    Breaking,
}

/// The classification of a change from one listing to another.
#[derive(Debug)]
pub struct Change {
    /// The overall level: the worst of the items.
    pub level: Level,
    /// Version in the old listing.
    pub old_version: String,
    /// Version in the new listing.
    pub new_version: String,
    /// One line per breaking item, saying what changed and why it breaks.
    pub breaking: Vec<String>,
    /// One line per added item.
    pub additive: Vec<String>,
}

/// Compares two listings (as written by [`render`], header lines included or not).
pub fn classify(old: &str, new: &str) -> Change {
    let (old_version, old_items) = parse(old);
    let (new_version, new_items) = parse(new);
    let mut breaking = Vec::new();
    let mut additive = Vec::new();
    for (key, old_line) in &old_items {
        match new_items.get(key) {
            None => breaking.push(format!("removed {key}")),
            Some(new_line) if new_line != old_line => {
                breaking.push(format!(
                    "{}\n    was: {old_line}\n    now: {new_line}",
                    why(key, old_line, new_line)
                ));
            }
            Some(_) => {}
        }
    }
    for (key, line) in &new_items {
        if !old_items.contains_key(key) {
            additive.push(format!("added {line}"));
        }
    }
    let level = if !breaking.is_empty() {
        Level::Breaking
    } else if !additive.is_empty() {
        Level::Additive
    } else {
        Level::Unchanged
    };
    Change {
        level,
        old_version,
        new_version,
        breaking,
        additive,
    }
}

/// Why a changed line breaks users.
fn why(key: &str, old: &str, new: &str) -> String {
    let (old_code, old_note) = old.split_once(" // ").unwrap_or((old, ""));
    let (new_code, new_note) = new.split_once(" // ").unwrap_or((new, ""));
    let kind = key.split(' ').next().unwrap_or_default();
    let what = match kind {
        "field" if old_code != new_code => {
            let was_optional = old_code.contains(": Option<");
            let is_optional = new_code.contains(": Option<");
            match (was_optional, is_optional) {
                (true, false) => "optional -> required (its type loses the Option)".to_owned(),
                (false, true) => "required -> optional (its type gains an Option)".to_owned(),
                _ => "changed type".to_owned(),
            }
        }
        "field" => format!("changed wire name ({old_note} -> {new_note})"),
        "fn" if key.ends_with("::new") => {
            "changed `new` signature (a request field became required or optional, or changed type)"
                .to_owned()
        }
        "fn" => "changed signature".to_owned(),
        "method" if old_code != new_code => "changed method signature".to_owned(),
        "method" => format!("changed route or retry behaviour ({old_note} -> {new_note})"),
        "type" => format!("changed kind, role or features ({old_note} -> {new_note})"),
        "value" => "changed wire value".to_owned(),
        _ => "changed".to_owned(),
    };
    format!("{key}: {what}")
}

/// The version in a listing's header and its items by `KIND NAME`.
fn parse(listing: &str) -> (String, BTreeMap<String, String>) {
    let mut version = String::new();
    let mut items = BTreeMap::new();
    for line in listing.lines() {
        if let Some(header) = line.strip_prefix("# The public API of ") {
            version = header
                .split(' ')
                .nth(1)
                .unwrap_or_default()
                .trim_end_matches(',')
                .to_owned();
            continue;
        }
        if line.starts_with('#') || line.starts_with("//") || line.trim().is_empty() {
            continue;
        }
        let mut words = line.splitn(2, ' ');
        let kind = words.next().unwrap_or_default();
        let rest = words.next().unwrap_or_default();
        let name_end = rest
            .find(['(', ':', ' '])
            .map(|i| match &rest[i..] {
                // `Client::x(` and `Type::value`: the `::` belongs to the name.
                r if r.starts_with("::") => rest[i + 2..]
                    .find(['(', ':', ' '])
                    .map_or(rest.len(), |j| i + 2 + j),
                _ => i,
            })
            .unwrap_or(rest.len());
        items.insert(format!("{kind} {}", &rest[..name_end]), line.to_owned());
    }
    (version, items)
}

/// Checks that a change comes with the version bump semver requires: for a breaking change the
/// major number, or for 0.x the minor number, must grow; the CHANGELOG must then have an entry
/// for the new version.
pub fn check_bump(change: &Change, changelog: &str) -> Result<(), String> {
    if change.level != Level::Breaking {
        return Ok(());
    }
    let old = parse_version(&change.old_version);
    let new = parse_version(&change.new_version);
    let bumped = match (old, new) {
        (Some((0, old_minor, _)), Some((new_major, new_minor, _))) => {
            new_major > 0 || new_minor > old_minor
        }
        (Some((old_major, ..)), Some((new_major, ..))) => new_major > old_major,
        _ => false,
    };
    if !bumped {
        let next = match old {
            Some((0, minor, _)) => format!("0.{}.0", minor + 1),
            Some((major, ..)) => format!("{}.0.0", major + 1),
            None => "a higher version".to_owned(),
        };
        return Err(format!(
            "breaking change without a version bump: set `version: {next}` in spec/service.yaml \
             (it is {}) and add a `## [{next}]` entry to CHANGELOG.md",
            change.new_version
        ));
    }
    let heading = format!("## [{}]", change.new_version);
    if !changelog.contains(&heading) {
        return Err(format!(
            "breaking change: CHANGELOG.md has no `{heading}` entry saying what breaks"
        ));
    }
    Ok(())
}

fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

impl Change {
    /// A report for the maintainer: the level, then each breaking and added item.
    pub fn describe(&self) -> String {
        let mut out = match self.level {
            Level::Unchanged => "public API: unchanged".to_owned(),
            Level::Additive => format!("public API: additive ({} added)", self.additive.len()),
            Level::Breaking => format!(
                "public API: BREAKING ({} breaking, {} added)",
                self.breaking.len(),
                self.additive.len()
            ),
        };
        for line in &self.breaking {
            let _ = write!(out, "\n  breaking: {line}");
        }
        for line in &self.additive {
            let _ = write!(out, "\n  {line}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# The public API of portone-v1 0.1.0, one line per item\n\
        method Client::get_payment(&self, imp_uid: &str) -> Call<'_, Payment> // GET /payments/{imp_uid}, retried\n\
        type CancelPaymentRequest // struct, request, features: payment\n\
        field CancelPaymentRequest.amount: Amount // wire \"amount\"\n\
        field CancelPaymentRequest.reason: Option<String> // wire \"reason\"\n\
        fn CancelPaymentRequest::new(imp_uid: impl Into<String>, amount: impl Into<Amount>) -> Self\n\
        value PaymentStatus::Paid // \"paid\"\n";

    #[test]
    fn parse_keys_items_by_kind_and_name() {
        let (version, items) = parse(OLD);
        assert_eq!(version, "0.1.0");
        let keys: Vec<&str> = items.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "field CancelPaymentRequest.amount",
                "field CancelPaymentRequest.reason",
                "fn CancelPaymentRequest::new",
                "method Client::get_payment",
                "type CancelPaymentRequest",
                "value PaymentStatus::Paid",
            ]
        );
    }

    #[test]
    fn a_required_request_field_made_optional_is_breaking() {
        let new = OLD
            .replace("amount: Amount //", "amount: Option<Amount> //")
            .replace(", amount: impl Into<Amount>)", ")");
        let change = classify(OLD, &new);
        assert_eq!(change.level, Level::Breaking);
        let text = change.describe();
        assert!(
            text.contains("CancelPaymentRequest.amount: required -> optional"),
            "{text}"
        );
        assert!(text.contains("changed `new` signature"), "{text}");
    }

    #[test]
    fn removals_and_additions_are_named() {
        let new = OLD
            .replace(
                "field CancelPaymentRequest.reason: Option<String> // wire \"reason\"\n",
                "",
            )
            .replace(
                "value PaymentStatus::Paid",
                "value PaymentStatus::Failed // \"failed\"\nvalue PaymentStatus::Paid",
            );
        let change = classify(OLD, &new);
        assert_eq!(
            change.breaking,
            ["removed field CancelPaymentRequest.reason"]
        );
        assert_eq!(
            change.additive,
            ["added value PaymentStatus::Failed // \"failed\""]
        );
        let added_only = classify(
            OLD,
            &format!("{OLD}value PaymentStatus::Ready // \"ready\"\n"),
        );
        assert_eq!(added_only.level, Level::Additive);
        assert_eq!(classify(OLD, OLD).level, Level::Unchanged);
    }

    #[test]
    fn route_and_retry_changes_are_breaking_behaviour() {
        let change = classify(OLD, &OLD.replace("retried", "never retried"));
        assert!(
            change.breaking[0].contains("changed route or retry behaviour"),
            "{:?}",
            change.breaking
        );
    }

    #[test]
    fn breaking_changes_need_a_semver_bump_and_a_changelog_entry() {
        let new = OLD.replace("value PaymentStatus::Paid // \"paid\"\n", "");
        let change = classify(OLD, &new);
        let err = check_bump(&change, "").expect_err("no bump");
        assert!(err.contains("version: 0.2.0"), "{err}");
        let bumped = new.replace("portone-v1 0.1.0", "portone-v1 0.2.0");
        let change = classify(OLD, &bumped);
        assert!(check_bump(&change, "## [Unreleased]").is_err());
        check_bump(&change, "## [0.2.0] - unreleased").expect("bumped with an entry");
        let patch = new.replace("portone-v1 0.1.0", "portone-v1 0.1.1");
        assert!(check_bump(&classify(OLD, &patch), "## [0.1.1]").is_err());
        let additive = classify(
            OLD,
            &format!("{OLD}value PaymentStatus::Ready // \"ready\"\n"),
        );
        check_bump(&additive, "").expect("additive needs no bump");
    }
}
