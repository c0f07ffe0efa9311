//! Fuzzing the generator: whatever the spec files say, `load -> validate -> resolve -> emit`
//! ends in a diagnostic (`Err(Report)`) or in files, never in a panic.
//!
//! Three proptest strategies feed the whole pipeline, in memory:
//! - `arbitrary`: YAML-ish text (mappings, sequences, flow styles, anchors, aliases, tags,
//!   block scalars, unicode, tabs, stray indicators) as a category file next to a valid
//!   `service.yaml`;
//! - `shaped`: category files built from the keys of `spec/README.md` with random values, so
//!   that inputs get past the loader into validation, resolution and emission;
//! - `mutated`: the real `spec/*.yaml` files with lines deleted, duplicated, swapped, moved or
//!   re-indented, YAML-significant characters inserted, tokens and values replaced, required
//!   keys removed, or the text truncated.
//!
//! By default each strategy runs a small fixed-seed batch, so `cargo test` stays fast. With
//! `FUZZ_SECONDS=N`, `fuzz_for_a_while` fuzzes all three with random seeds for N seconds and
//! prints the number of executions (see CONTRIBUTING.md, "Fuzzing the generator").

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once, OnceLock};
use std::time::{Duration, Instant};

use generator::Report;
use generator::emit::Templates;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

// ---------------------------------------------------------------------------------------------
// The pipeline under test
// ---------------------------------------------------------------------------------------------

/// `(name, text)` of spec files.
type Files = Vec<(String, String)>;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The real spec files, as `("spec/<name>.yaml", text)` in name order.
fn real_spec() -> &'static [(String, String)] {
    static SPEC: OnceLock<Files> = OnceLock::new();
    SPEC.get_or_init(|| {
        let dir = root().join("spec");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let name = format!("spec/{}", p.file_name().unwrap().to_string_lossy());
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect()
    })
}

fn service_yaml() -> &'static str {
    &real_spec()
        .iter()
        .find(|(n, _)| n == "spec/service.yaml")
        .expect("spec/service.yaml exists")
        .1
}

fn templates() -> &'static Templates {
    static TEMPLATES: OnceLock<Templates> = OnceLock::new();
    TEMPLATES.get_or_init(|| Templates::load(&root().join("templates")).unwrap())
}

/// How far one input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    LoadError,
    ValidateError,
    /// Validated and resolved; emission was not asked for.
    Resolved,
    /// Emission returned an error (still a diagnostic, but the validator let it through).
    EmitError,
    Emitted,
}

const OUTCOMES: [Outcome; 5] = [
    Outcome::LoadError,
    Outcome::ValidateError,
    Outcome::Resolved,
    Outcome::EmitError,
    Outcome::Emitted,
];

/// An `Err(Report)` must carry at least one rendered error.
fn check_report(stage: &str, report: &Report) -> Result<(), String> {
    let text = report.to_string();
    if report.errors() == 0 || text.trim().is_empty() {
        return Err(format!(
            "{stage} failed without an error diagnostic: {text:?}"
        ));
    }
    Ok(())
}

/// Runs the pipeline; `Err` means the contract was broken without a panic.
fn pipeline(files: Files, emit: bool) -> Result<(Outcome, String), String> {
    let loaded = match generator::load::load_texts(files) {
        Ok(loaded) => loaded,
        Err(report) => {
            check_report("load", &report)?;
            return Ok((Outcome::LoadError, String::new()));
        }
    };
    let validated = match generator::validate::validate(&loaded) {
        Ok(validated) => validated,
        Err(report) => {
            check_report("validate", &report)?;
            return Ok((Outcome::ValidateError, String::new()));
        }
    };
    let _ = validated.warnings.to_string();
    let model = generator::resolve::resolve(&validated.spec);
    if !emit {
        return Ok((Outcome::Resolved, String::new()));
    }
    match generator::emit::emit(&model, templates()) {
        Ok(files) if files.is_empty() => Err("emit succeeded without files".to_owned()),
        Ok(_) => Ok((Outcome::Emitted, String::new())),
        Err(message) => Ok((Outcome::EmitError, message)),
    }
}

thread_local! {
    /// While set, the panic hook records the panic instead of printing it.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                LAST_PANIC.with(|l| *l.borrow_mut() = Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs the pipeline with panics caught; `Err` describes the panic or broken contract.
fn run_caught(files: Files, emit: bool) -> Result<(Outcome, String), String> {
    install_panic_hook();
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| pipeline(files, emit)));
    QUIET.with(|q| q.set(false));
    match result {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(broken)) => Err(broken),
        Err(_) => Err(LAST_PANIC
            .with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "panicked".to_owned())),
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/// Every key of the spec format.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "category", "doc", "ko", "official", "endpoints", "types", "method", "path", "idempotent",
    "auth", "official_response", "params", "body", "response", "paginate", "deprecated", "since",
    "note", "crate_since", "in", "type", "optional", "wire", "secret", "example", "fields", "enum",
    "one_of", "constructors", "page", "items", "next", "name", "crate", "title", "base_url",
    "envelope",
];

/// Keys whose removal makes a file incomplete.
#[rustfmt::skip]
const REQUIRED_KEYS: &[&str] = &[
    "category", "method", "path", "idempotent", "in", "type", "crate", "title", "base_url",
    "envelope", "since", "note", "items", "next", "doc", "ko", "fields", "enum", "one_of",
    "params",
];

/// Scalars that mean something to YAML, to the spec format or to Rust.
#[rustfmt::skip]
const SCALARS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "get", "path", "query", "header", "true", "false",
    "yes", "no", "null", "~", "0", "-1", "1.5", "1e400", ".inf", "-.inf", ".nan", "0x1F", "0o17",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2025-10-23",
    "2025-13-99", "2025-1-1", "0.1.0", "/payments/{imp_uid}", "/{a}/{b}", "/{", "}{", "{}", "/",
    "", "string", "integer", "number", "boolean", "amount", "timestamp", "json", "[string]",
    "{string}", "[integer]", "[[Foo]]", "{[Foo]}", "[Foo]", "{Foo}", "[", "]", "{", "}", "[]",
    " Foo", "Foo ", "\tFoo", "[ Foo ]", "Foo\n", "Foo Bar", "\u{feff}", "\u{0}", "\u{7f}", "🎉",
    "한글 결제", "\r\n", "\\", "'\"", "#", "- a", ": b", "&a", "*a", "!tag", "|", ">", "%YAML 1.2",
    "---", "...", "<<", "=", "self", "Self", "type", "new", "Unknown", "_", "r#type",
    "https://api.iamport.kr", "http://example.com",
];

/// Words of one role: the ones the validator accepts, and the ones it must reject (invalid,
/// keywords, reserved, colliding after case conversion).
struct Words {
    good: &'static [&'static str],
    bad: &'static [&'static str],
}

/// Snake_case names: endpoints, params, fields, constructors.
#[rustfmt::skip]
const NAMES: Words = Words {
    good: &[
        "id", "name", "page", "next", "items", "list", "amount", "imp_uid", "by_id", "kind", "a1",
        "x_y", "get_thing", "list_things", "thing", "page", "next", "items", "list",
    ],
    bad: &[
        "type", "self", "new", "getThing", "_x", "x__y", "1x", "", "é", "list_things_stream",
        "Foo", "FOO", "foo_query", "crate", "Self", "r#type", "a-b", "a b",
    ],
};

/// UpperCamelCase type names.
#[rustfmt::skip]
const TYPE_NAMES: Words = Words {
    good: &["Foo", "Foo", "Foo", "Bar", "Bar", "Bar", "Baz", "Baz", "Qux"],
    bad: &[
        "Unknown", "Self", "foo", "Foo_bar", "FOO", "GetThingQuery", "ListThingsQuery", "Ä",
        "Crate", "F", "Foo1", "I64",
    ],
};

/// Union variant names and explicit enum variant names.
#[rustfmt::skip]
const VARIANTS: Words = Words {
    good: &["Card", "Super", "A1", "Foo", "Bar", "V1"],
    bad: &["Self", "Unknown", "card", "", "1", "Crate", "A_b", "É"],
};

/// Enum wire values.
#[rustfmt::skip]
const ENUM_WIRES: Words = Words {
    good: &["ready", "paid", "-started", "1", "payment.scheduled", "in-progress", "card_payment"],
    bad: &[
        "", "Unknown", "unknown", "ready_", "READY", "é", "self", "Self", "_", "-", "🎉", "Crate",
        "a b", "x-y",
    ],
};

fn words(w: &Words, sloppy: bool) -> BoxedStrategy<String> {
    let (good, bad) = if sloppy { (12, 3) } else { (60, 1) };
    prop_oneof![good => pick(w.good), bad => pick(w.bad)].boxed()
}

fn any_word(w: &Words) -> BoxedStrategy<String> {
    prop_oneof![pick(w.good), pick(w.bad)].boxed()
}

/// Docs: the first four pass validation (two are equal: a warning), the rest are empty or odd.
#[rustfmt::skip]
const DOCS: &[&str] = &[
    "A thing.", "Another thing.", "Same doc.", "Same doc.", "", " ",
    "Multi\nline doc with `code` and [links](crate::Client).",
    "Docs with \"quotes\" and 'apostrophes' and \\ backslashes.", "*/ /* #[doc] }", "한글 설명 🎉",
    "\t\r\n",
];

/// Strings YAML treats specially when they appear in the text.
#[rustfmt::skip]
const SIGNIFICANT: &[&str] = &[
    ":", ": ", "{", "}", "[", "]", "-", "- ", "*", "*a", "&", "&a ", "!", "!!binary ", "!!map ",
    "\"", "'", "#", " #", "|", "|-", ">", "\t", "\u{feff}", ",", "?", "? ", "%", "@", "`", "\n",
    "\r", "\r\n", "\0", "\\", "{{", "}}", "é", "---\n", "...\n", "<<: ", "\u{2028}", "\u{85}", " ",
    "  ", "\n  ", "\n- ", "~", "'''", "\"\\", "\\u", "\\x",
];

fn pick(list: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(list).prop_map(str::to_owned).boxed()
}

fn unicode_text() -> BoxedStrategy<String> {
    prop_oneof![
        "\\PC{0,12}",
        "[ -~\t\n]{0,16}",
        "[a-zA-Z_][a-zA-Z0-9_]{0,10}",
    ]
    .boxed()
}

/// A scalar value: mostly meaningful, sometimes anything.
fn scalar_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => pick(SCALARS),
        2 => any_word(&NAMES),
        1 => any_word(&TYPE_NAMES),
        1 => pick(DOCS),
        2 => unicode_text(),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => any::<f64>().prop_map(|f| f.to_string()),
    ]
    .boxed()
}

fn key_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => pick(KEYS),
        3 => any_word(&NAMES),
        1 => any_word(&TYPE_NAMES),
        1 => any_word(&ENUM_WIRES),
        1 => unicode_text(),
    ]
    .boxed()
}

/// Identifier tokens of the real spec (type names, field names, keys, values).
fn spec_tokens() -> &'static [String] {
    static TOKENS: OnceLock<Vec<String>> = OnceLock::new();
    TOKENS.get_or_init(|| {
        let mut set = BTreeSet::new();
        for (_, text) in real_spec() {
            for (start, end) in tokens(text) {
                set.insert(text[start..end].to_owned());
            }
        }
        set.into_iter().collect()
    })
}

// ---------------------------------------------------------------------------------------------
// YAML trees and their rendering
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Node {
    /// A string: written plain when YAML reads it back as the same string, quoted otherwise.
    Scalar(String),
    /// Written as it is (booleans, numbers, special floats, indicators).
    Raw(String),
    Map(Vec<(String, Node)>),
    Seq(Vec<Node>),
}

fn s(text: impl Into<String>) -> Node {
    Node::Scalar(text.into())
}

/// Renders a tree as YAML text. `chaos` 0 gives well-formed block YAML; higher levels add
/// flow collections, quoting styles, block scalars, anchors, aliases, tags, odd indentation
/// and unescaped text.
struct Render {
    rng: u64,
    chaos: u8,
    anchors: u32,
    out: String,
}

impl Render {
    fn render(node: &Node, chaos: u8, seed: u64) -> String {
        let mut r = Render {
            rng: seed | 1,
            chaos,
            anchors: 0,
            out: String::new(),
        };
        if r.chance(2, 40) {
            r.out.push_str("---\n");
        }
        if r.chance(3, 30) {
            r.out.push_str("%YAML 1.2\n---\n");
        }
        match node {
            Node::Map(entries) if !r.flow() => r.block_map(entries, 0),
            Node::Seq(items) if !r.flow() => r.block_seq(items, 0),
            other => {
                let text = r.inline(other);
                r.out.push_str(&text);
                r.out.push('\n');
            }
        }
        if r.chance(2, 30) {
            r.out.push_str("...\n");
        }
        r.out
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True with probability `percent`%, but only from chaos level `level` on.
    fn chance(&mut self, level: u8, percent: u64) -> bool {
        self.chaos >= level && self.next() % 100 < percent
    }

    fn flow(&mut self) -> bool {
        self.chance(1, 25)
    }

    fn indent(&mut self, level: usize) -> String {
        if self.chance(2, 4) {
            return ["\t", " ", "   ", "\t  "][(self.next() % 4) as usize].repeat(level.max(1));
        }
        "  ".repeat(level)
    }

    /// Anchor and tag in front of a node.
    fn props(&mut self) -> String {
        let mut p = String::new();
        if self.chance(2, 8) {
            self.anchors += 1;
            let _ = write!(p, "&a{} ", self.anchors % 4);
        }
        if self.chance(2, 6) {
            let tags = [
                "!!str ", "!!int ", "!!map ", "!!seq ", "!!null ", "!custom ", "!<x> ", "! ",
            ];
            p.push_str(tags[(self.next() % tags.len() as u64) as usize]);
        }
        p
    }

    fn alias(&mut self) -> Option<String> {
        self.chance(2, 5).then(|| format!("*a{}", self.next() % 4))
    }

    fn plain_ok(text: &str) -> bool {
        let Some(first) = text.chars().next() else {
            return false;
        };
        (first.is_alphanumeric() || "/_.(".contains(first))
            && !text.ends_with(' ')
            && !text.ends_with(':')
            && !text.contains(": ")
            && !text.contains(" #")
            && text
                .chars()
                .all(|c| !c.is_control() && !"{}[],&*!|>'\"%@`#\u{feff}".contains(c))
            && matches!(
                serde_yaml::from_str::<serde_yaml::Value>(text),
                Ok(serde_yaml::Value::String(v)) if v == text
            )
    }

    /// A plain token, as it is.
    fn raw(&mut self, text: &str) -> String {
        if let Some(a) = self.alias() {
            return a;
        }
        let props = self.props();
        format!("{props}{text}")
    }

    fn double_quoted(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() || c == '\u{feff}' => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// A scalar that fits on one line (or breaks it in deliberate ways at high chaos).
    fn scalar(&mut self, text: &str, in_flow: bool) -> String {
        if let Some(a) = self.alias() {
            return a;
        }
        let props = self.props();
        let body = if self.chance(2, 10) {
            text.to_owned() // unescaped, whatever it contains
        } else if self.chance(1, 15) && !text.contains('\n') {
            format!("'{}'", text.replace('\'', "''"))
        } else if Render::plain_ok(text) && !(in_flow && text.contains(['{', '}', '[', ']', ','])) {
            if self.chance(1, 20) {
                Render::double_quoted(text)
            } else {
                text.to_owned()
            }
        } else {
            Render::double_quoted(text)
        };
        format!("{props}{body}")
    }

    fn inline(&mut self, node: &Node) -> String {
        match node {
            Node::Scalar(text) => self.scalar(text, true),
            Node::Raw(text) => self.raw(text),
            Node::Map(entries) => {
                let props = self.props();
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| {
                        let key = self.scalar(k, true);
                        let value = self.inline(v);
                        if self.chance(3, 10) {
                            format!("{key}:{value}")
                        } else {
                            format!("{key}: {value}")
                        }
                    })
                    .collect();
                let sep = if self.chance(2, 10) { ",\n " } else { ", " };
                let trailing = if self.chance(2, 10) { "," } else { "" };
                format!("{props}{{{}{trailing}}}", parts.join(sep))
            }
            Node::Seq(items) => {
                let props = self.props();
                let parts: Vec<String> = items.iter().map(|v| self.inline(v)).collect();
                format!("{props}[{}]", parts.join(", "))
            }
        }
    }

    /// Writes what follows `key:` (or `-`): a scalar on the same line, a flow collection, or a
    /// block collection on the next lines.
    fn value(&mut self, node: &Node, level: usize) {
        match node {
            Node::Scalar(text) if text.contains('\n') && self.chance(1, 50) => {
                let style = ["|", "|-", "|+", ">", ">-", "|2"][(self.next() % 6) as usize];
                let _ = writeln!(self.out, " {style}");
                let ind = self.indent(level + 1);
                for line in text.lines() {
                    let _ = writeln!(self.out, "{ind}{line}");
                }
            }
            Node::Scalar(text) => {
                let text = self.scalar(text, false);
                let _ = writeln!(self.out, " {text}");
            }
            Node::Raw(text) => {
                let text = self.raw(text);
                let _ = writeln!(self.out, " {text}");
            }
            Node::Map(entries) if entries.is_empty() || self.flow() => {
                let text = self.inline(node);
                let _ = writeln!(self.out, " {text}");
            }
            Node::Seq(items) if items.is_empty() || self.flow() => {
                let text = self.inline(node);
                let _ = writeln!(self.out, " {text}");
            }
            Node::Map(entries) => {
                let props = self.props();
                let _ = writeln!(self.out, " {props}");
                self.block_map(entries, level + 1);
            }
            Node::Seq(items) => {
                let props = self.props();
                let _ = writeln!(self.out, " {props}");
                // Sequences may sit at the parent's indentation.
                let level = if self.chance(1, 30) { level } else { level + 1 };
                self.block_seq(items, level);
            }
        }
    }

    fn block_map(&mut self, entries: &[(String, Node)], level: usize) {
        for (k, v) in entries {
            let ind = self.indent(level);
            let key = if self.chance(2, 3) {
                format!("? {}\n{ind}", self.scalar(k, false))
            } else {
                self.scalar(k, false)
            };
            if self.chance(2, 3) {
                let _ = writeln!(self.out, "{ind}# a comment: {{ [ &x");
            }
            let _ = write!(self.out, "{ind}{key}:");
            if self.chance(2, 3) {
                self.out.push_str(" # trailing comment");
                self.out.push('\n');
                let ind = self.indent(level + 1);
                let text = self.inline(v);
                let _ = writeln!(self.out, "{ind}{text}");
                continue;
            }
            self.value(v, level);
        }
        if self.chance(2, 4) {
            let ind = self.indent(level);
            let anchor = self.next() % 4;
            let _ = writeln!(self.out, "{ind}<<: *a{anchor}");
        }
    }

    fn block_seq(&mut self, items: &[Node], level: usize) {
        for item in items {
            let ind = self.indent(level);
            let _ = write!(self.out, "{ind}-");
            self.value(item, level);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategy 1: arbitrary YAML-ish text
// ---------------------------------------------------------------------------------------------

fn arbitrary_node() -> BoxedStrategy<Node> {
    prop_oneof![
        scalar_text().prop_map(Node::Scalar),
        scalar_text().prop_map(Node::Raw)
    ]
    .prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Node::Seq),
            prop::collection::vec((key_text(), inner), 0..6).prop_map(Node::Map),
        ]
    })
    .boxed()
}

fn chaos() -> BoxedStrategy<u8> {
    prop_oneof![5 => Just(0u8), 2 => Just(1u8), 2 => Just(2u8), 1 => Just(3u8)].boxed()
}

#[derive(Debug, Clone)]
enum Input {
    /// A category file (or, with `as_service`, the service file) of arbitrary text.
    Text {
        text: String,
        as_service: bool,
        emit: bool,
    },
    /// Spec-shaped category files next to the real `service.yaml`.
    Shaped { files: Vec<String>, emit: bool },
    /// One real spec file, mutated.
    Mutated {
        file: Index,
        placement: Placement,
        mutations: Vec<Mutation>,
        emit: bool,
    },
}

/// Where a mutated spec file goes.
#[derive(Debug, Clone, Copy)]
enum Placement {
    /// Instead of the original, with the rest of the spec.
    Replace,
    /// With `service.yaml` and the files that declare the types it uses (quicker to load).
    WithDeps,
    /// With `service.yaml` only.
    Alone,
    /// Next to the unchanged spec, as an extra file.
    Copy,
}

/// For each real spec file, the other files declaring types it uses, transitively.
fn spec_deps() -> &'static [Vec<usize>] {
    static DEPS: OnceLock<Vec<Vec<usize>>> = OnceLock::new();
    DEPS.get_or_init(|| {
        let spec = real_spec();
        let declared: Vec<BTreeSet<&str>> = spec
            .iter()
            .map(|(_, text)| {
                text.lines()
                    .filter_map(|l| l.strip_prefix("  ")?.strip_suffix(':'))
                    .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
                    .collect()
            })
            .collect();
        let direct: Vec<Vec<usize>> = spec
            .iter()
            .enumerate()
            .map(|(i, (_, text))| {
                let used: BTreeSet<&str> = tokens(text).iter().map(|&(a, b)| &text[a..b]).collect();
                (0..spec.len())
                    .filter(|&j| j != i && !declared[j].is_disjoint(&used))
                    .collect()
            })
            .collect();
        (0..spec.len())
            .map(|i| {
                let mut seen = BTreeSet::new();
                let mut stack = vec![i];
                while let Some(f) = stack.pop() {
                    for &d in &direct[f] {
                        if d != i && seen.insert(d) {
                            stack.push(d);
                        }
                    }
                }
                seen.into_iter().collect()
            })
            .collect()
    })
}

impl Input {
    fn emit(&self) -> bool {
        match self {
            Input::Text { emit, .. } | Input::Shaped { emit, .. } | Input::Mutated { emit, .. } => {
                *emit
            }
        }
    }

    /// Every file given to the loader, and the ones that are not the real spec's.
    fn files(&self) -> (Files, Files) {
        let service = ("spec/service.yaml".to_owned(), service_yaml().to_owned());
        match self {
            Input::Text {
                text, as_service, ..
            } => {
                let fuzzed = if *as_service {
                    ("spec/service.yaml".to_owned(), text.clone())
                } else {
                    ("spec/fuzz.yaml".to_owned(), text.clone())
                };
                let all = if *as_service {
                    vec![fuzzed.clone()]
                } else {
                    vec![fuzzed.clone(), service]
                };
                (all, vec![fuzzed])
            }
            Input::Shaped { files, .. } => {
                let fuzzed: Files = files
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (format!("spec/fuzz{i}.yaml"), t.clone()))
                    .collect();
                let mut all = fuzzed.clone();
                all.push(service);
                (all, fuzzed)
            }
            Input::Mutated {
                file,
                placement,
                mutations,
                ..
            } => {
                let spec = real_spec();
                let i = file.index(spec.len());
                let (name, text) = &spec[i];
                let mutated = apply_all(text, mutations);
                let changed = match placement {
                    Placement::Copy => (format!("{name}.copy.yaml"), mutated),
                    _ => (name.clone(), mutated),
                };
                let all = match placement {
                    Placement::Replace => spec
                        .iter()
                        .enumerate()
                        .map(|(j, f)| if j == i { changed.clone() } else { f.clone() })
                        .collect(),
                    Placement::WithDeps | Placement::Alone => {
                        let mut all = vec![changed.clone()];
                        if matches!(placement, Placement::WithDeps) {
                            all.extend(spec_deps()[i].iter().map(|&j| spec[j].clone()));
                        }
                        if name != "spec/service.yaml" {
                            all.push(service);
                        }
                        all
                    }
                    Placement::Copy => {
                        let mut all = spec.to_vec();
                        all.push(changed.clone());
                        all
                    }
                };
                (all, vec![changed])
            }
        }
    }
}

fn arbitrary_input() -> BoxedStrategy<Input> {
    (
        arbitrary_node(),
        chaos(),
        any::<u64>(),
        prop::collection::vec(mutation(), 0..3),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(node, chaos, seed, mutations, as_service)| {
            let text = apply_all(&Render::render(&node, chaos, seed), &mutations);
            Input::Text {
                text,
                as_service,
                emit: true,
            }
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Strategy 2: spec-shaped category files
// ---------------------------------------------------------------------------------------------

type Entry = Option<(String, Node)>;

fn entry(
    key: &'static str,
    p: f64,
    value: impl Strategy<Value = Node> + 'static,
) -> BoxedStrategy<Entry> {
    prop::option::weighted(p, value.prop_map(move |v| (key.to_owned(), v))).boxed()
}

/// An entry the loader requires: always there in clean files, mostly there in sloppy ones.
fn required(
    key: &'static str,
    sloppy: bool,
    value: impl Strategy<Value = Node> + 'static,
) -> BoxedStrategy<Entry> {
    if sloppy {
        entry(key, 0.95, value)
    } else {
        value.prop_map(move |v| Some((key.to_owned(), v))).boxed()
    }
}

/// A mapping of the given optional entries; sloppy ones sometimes get an unknown key.
fn map_of(sloppy: bool, entries: Vec<BoxedStrategy<Entry>>) -> BoxedStrategy<Node> {
    let extra = if sloppy {
        prop::option::weighted(0.05, (key_text(), scalar_text()))
            .prop_map(|e| e.map(|(k, v)| (k, s(v))))
            .boxed()
    } else {
        Just(None).boxed()
    };
    (entries, extra, any::<Index>())
        .prop_map(|(entries, extra, at)| {
            let mut entries: Vec<(String, Node)> = entries.into_iter().flatten().collect();
            if let Some(e) = extra {
                let i = at.index(entries.len() + 1);
                entries.insert(i, e);
            }
            Node::Map(entries)
        })
        .boxed()
}

fn keyed(
    names: BoxedStrategy<String>,
    value: BoxedStrategy<Node>,
    max: usize,
) -> BoxedStrategy<Node> {
    prop::collection::vec((names, value), 0..max)
        .prop_map(Node::Map)
        .boxed()
}

fn type_expr(sloppy: bool) -> BoxedStrategy<String> {
    let garbage = if sloppy { 3 } else { 1 };
    let scalars = pick(&[
        "string",
        "integer",
        "number",
        "boolean",
        "amount",
        "timestamp",
        "json",
    ]);
    let names = words(&TYPE_NAMES, sloppy);
    let padded = pick(&[" Foo", "Foo\t", " Bar ", "\tBaz"]);
    let leaf = if sloppy {
        let wrong = pick(&[
            "", "[]", "{}", "[", "{", "Foo Bar", "foo", "Payment", "i64", "F-o",
        ]);
        prop_oneof![6 => scalars, 8 => names, 1 => padded, 2 => wrong].boxed()
    } else {
        prop_oneof![6 => scalars, 8 => names, 1 => padded].boxed()
    };
    leaf.prop_recursive(3, 8, 1, move |inner| {
        prop_oneof![
            6 => inner.clone().prop_map(|t| format!("[{t}]")),
            4 => inner.clone().prop_map(|t| format!("{{{t}}}")),
            garbage => inner.clone().prop_map(|t| format!(" {t} ")),
            garbage => inner.clone().prop_map(|t| format!("{t}\t")),
            garbage => inner.prop_map(|t| format!("[ {t} ]")),
        ]
    })
    .boxed()
}

fn type_node_expr(sloppy: bool) -> BoxedStrategy<Node> {
    type_expr(sloppy).prop_map(Node::Scalar).boxed()
}

fn doc_node(sloppy: bool) -> BoxedStrategy<Node> {
    let odd = if sloppy { 3 } else { 1 };
    prop_oneof![
        20 => pick(&DOCS[..4]),
        odd => pick(&DOCS[4..]),
        odd => unicode_text(),
    ]
    .prop_map(Node::Scalar)
    .boxed()
}

fn bool_node(sloppy: bool) -> BoxedStrategy<Node> {
    let good = any::<bool>().prop_map(|b| Node::Raw(b.to_string()));
    if !sloppy {
        return good.boxed();
    }
    prop_oneof![
        10 => good,
        1 => pick(&["yes", "1", "True", "~", "\"true\"", "'false'"]).prop_map(Node::Raw),
    ]
    .boxed()
}

fn name_node(w: &'static Words, sloppy: bool) -> BoxedStrategy<Node> {
    words(w, sloppy).prop_map(Node::Scalar).boxed()
}

fn example_node() -> BoxedStrategy<Node> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|i| Node::Raw(i.to_string())),
        any::<f64>().prop_map(|f| Node::Raw(format!("{f:?}"))),
        pick(&[
            ".inf",
            "-.inf",
            ".nan",
            "1e400",
            "-1e400",
            "-0",
            "0.0",
            "true",
            "null",
            "~",
            "1_000",
            "0b101",
            "0x7fffffffffffffff",
            "18446744073709551616",
            "1.7976931348623157e308",
        ])
        .prop_map(Node::Raw),
        scalar_text().prop_map(Node::Scalar),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Node::Seq),
            prop::collection::vec((any_word(&NAMES), inner), 0..3).prop_map(Node::Map),
        ]
    })
    .boxed()
}

fn path_node(sloppy: bool) -> BoxedStrategy<Node> {
    let odd = if sloppy { 3 } else { 1 };
    let part = prop_oneof![
        12 => pick(&["things", "{id}", "{page}", "{imp_uid}", "{name}", "x"]),
        odd => pick(&["{", "}", "{a}{b}", "{}", "{ id }", "{type}", "{self}", "{id}{id}", "%7B"]),
    ];
    (
        prop::bool::weighted(if sloppy { 0.9 } else { 0.98 }),
        prop::collection::vec(part, 0..4),
    )
        .prop_map(|(slash, parts)| {
            s(format!(
                "{}{}",
                if slash { "/" } else { "" },
                parts.join("/")
            ))
        })
        .boxed()
}

fn param_node(sloppy: bool) -> BoxedStrategy<Node> {
    let location = if sloppy {
        pick(&["path", "query", "query", "body", "Path", "header"]).boxed()
    } else {
        pick(&["path", "query", "query"]).boxed()
    };
    map_of(
        sloppy,
        vec![
            required("in", sloppy, location.prop_map(Node::Raw)),
            required("type", sloppy, type_node_expr(sloppy)),
            entry("doc", 0.97, doc_node(sloppy)),
            entry("optional", 0.4, bool_node(sloppy)),
            entry("wire", 0.2, name_node(&NAMES, sloppy)),
            entry("secret", 0.1, bool_node(sloppy)),
            entry("example", 0.3, example_node()),
        ],
    )
}

fn endpoint_node(sloppy: bool) -> BoxedStrategy<Node> {
    let methods = if sloppy {
        pick(&["GET", "POST", "PUT", "DELETE", "get", "PATCH", "GET POST"]).boxed()
    } else {
        pick(&["GET", "POST", "PUT", "DELETE"]).boxed()
    };
    map_of(
        sloppy,
        vec![
            entry("doc", 0.97, doc_node(sloppy)),
            entry("ko", 0.97, doc_node(sloppy)),
            required("method", sloppy, methods.prop_map(Node::Raw)),
            required("path", sloppy, path_node(sloppy)),
            required("idempotent", sloppy, bool_node(sloppy)),
            entry("auth", 0.1, bool_node(sloppy)),
            entry("official", 0.2, name_node(&NAMES, sloppy)),
            entry(
                "official_response",
                0.1,
                prop_oneof![
                    name_node(&TYPE_NAMES, sloppy),
                    prop::collection::vec(name_node(&TYPE_NAMES, sloppy), 0..3).prop_map(Node::Seq),
                ],
            ),
            entry(
                "params",
                0.6,
                keyed(words(&NAMES, sloppy), param_node(sloppy), 4),
            ),
            entry("body", 0.3, type_node_expr(sloppy)),
            entry("response", 0.6, type_node_expr(sloppy)),
            entry("paginate", 0.2, name_node(&NAMES, sloppy)),
            entry(
                "deprecated",
                0.15,
                map_of(
                    sloppy,
                    vec![
                        required(
                            "since",
                            sloppy,
                            pick(if sloppy {
                                &["2025-10-23", "2025-10-23", "2025-1-1", "yesterday"][..]
                            } else {
                                &["2025-10-23"][..]
                            })
                            .prop_map(Node::Scalar),
                        ),
                        required("note", sloppy, doc_node(sloppy)),
                        entry(
                            "crate_since",
                            0.3,
                            pick(&["0.1.0", "", "\"", "x"]).prop_map(Node::Scalar),
                        ),
                    ],
                ),
            ),
        ],
    )
}

fn field_node(sloppy: bool) -> BoxedStrategy<Node> {
    map_of(
        sloppy,
        vec![
            required("type", sloppy, type_node_expr(sloppy)),
            entry("doc", 0.97, doc_node(sloppy)),
            entry("optional", 0.4, bool_node(sloppy)),
            entry(
                "wire",
                0.2,
                prop_oneof![
                    3 => name_node(&NAMES, sloppy),
                    1 => unicode_text().prop_map(Node::Scalar),
                ],
            ),
            entry("secret", 0.1, bool_node(sloppy)),
            entry("example", 0.2, example_node()),
        ],
    )
}

fn enum_value_node(sloppy: bool) -> BoxedStrategy<Node> {
    prop_oneof![
        3 => doc_node(sloppy),
        1 => map_of(
            sloppy,
            vec![
                entry("name", 0.8, name_node(&VARIANTS, sloppy)),
                entry("doc", 0.9, doc_node(sloppy)),
            ],
        ),
    ]
    .boxed()
}

fn type_node(sloppy: bool) -> BoxedStrategy<Node> {
    // Mostly exactly one of fields, enum and one_of.
    let any_kinds = if sloppy { 2 } else { 1 };
    let kind = prop_oneof![
        30 => Just((true, false, false)),
        15 => Just((false, true, false)),
        10 => Just((false, false, true)),
        any_kinds => (any::<bool>(), any::<bool>(), any::<bool>()),
    ];
    (
        kind,
        map_of(
            sloppy,
            vec![
                entry("doc", 0.97, doc_node(sloppy)),
                entry("official", 0.2, name_node(&TYPE_NAMES, sloppy)),
                entry(
                    "constructors",
                    0.1,
                    keyed(
                        words(&NAMES, sloppy),
                        prop::collection::vec(name_node(&NAMES, sloppy), 0..3)
                            .prop_map(Node::Seq)
                            .boxed(),
                        2,
                    ),
                ),
                entry(
                    "page",
                    0.15,
                    map_of(
                        sloppy,
                        vec![
                            required("items", sloppy, name_node(&NAMES, sloppy)),
                            required("next", sloppy, name_node(&NAMES, sloppy)),
                        ],
                    ),
                ),
            ],
        ),
        keyed(words(&NAMES, sloppy), field_node(sloppy), 5),
        keyed(words(&ENUM_WIRES, sloppy), enum_value_node(sloppy), 5),
        keyed(words(&VARIANTS, sloppy), type_node_expr(sloppy), 4),
    )
        .prop_map(|((f, e, o), base, fields, values, variants)| {
            let Node::Map(mut entries) = base else {
                unreachable!()
            };
            for (on, key, node) in [
                (f, "fields", fields),
                (e, "enum", values),
                (o, "one_of", variants),
            ] {
                if on {
                    entries.push((key.to_owned(), node));
                }
            }
            Node::Map(entries)
        })
        .boxed()
}

fn category_node(sloppy: bool) -> BoxedStrategy<Node> {
    let category = if sloppy {
        pick(&[
            "things", "other", "self", "Things", "type", "a_b", "", "things",
        ])
        .boxed()
    } else {
        pick(&["things", "other", "a_b"]).boxed()
    };
    map_of(
        sloppy,
        vec![
            required("category", sloppy, category.prop_map(Node::Scalar)),
            entry("doc", 0.97, doc_node(sloppy)),
            entry("ko", 0.97, doc_node(sloppy)),
            entry(
                "official",
                0.2,
                prop::collection::vec(name_node(&NAMES, sloppy), 0..3).prop_map(Node::Seq),
            ),
            entry(
                "endpoints",
                0.8,
                keyed(words(&NAMES, sloppy), endpoint_node(sloppy), 4),
            ),
            entry(
                "types",
                0.95,
                keyed(words(&TYPE_NAMES, sloppy), type_node(sloppy), 5),
            ),
        ],
    )
}

/// Clean files are well-formed YAML with the keys the loader wants, so most of them reach
/// validation and many get through it; sloppy ones also break the format in small ways.
fn shaped_input() -> BoxedStrategy<Input> {
    let clean = (
        prop::collection::vec((category_node(false), 0..2u8, any::<u64>()), 1..3).prop_map(
            |mut files| {
                let mut nodes: Vec<Node> = files.iter().map(|f| f.0.clone()).collect();
                make_coherent(&mut nodes);
                for (f, n) in files.iter_mut().zip(nodes) {
                    f.0 = n;
                }
                files
            },
        ),
        Just(Vec::new()),
    );
    let sloppy = (
        prop::collection::vec((category_node(true), chaos(), any::<u64>()), 1..3),
        prop::collection::vec(mutation(), 0..2),
    );
    prop_oneof![3 => clean, 1 => sloppy]
        .prop_map(|(files, mutations)| {
            let mut files: Vec<String> = files
                .iter()
                .map(|(node, chaos, seed)| Render::render(node, *chaos, *seed))
                .collect();
            files[0] = apply_all(&files[0], &mutations);
            Input::Shaped { files, emit: true }
        })
        .boxed()
}

impl Node {
    fn text(&self) -> Option<&str> {
        match self {
            Node::Scalar(t) | Node::Raw(t) => Some(t),
            _ => None,
        }
    }

    fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(e) => e,
            _ => &[],
        }
    }

    fn entries_mut(&mut self) -> Option<&mut Vec<(String, Node)>> {
        match self {
            Node::Map(e) => Some(e),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.entries_mut()?
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    fn set(&mut self, key: &str, value: Node) {
        if let Some(entries) = self.entries_mut() {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(e) => e.1 = value,
                None => entries.push((key.to_owned(), value)),
            }
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some(entries) = self.entries_mut() {
            entries.retain(|(k, _)| k != key);
        }
    }

    /// Keeps the first of every repeated key, at every level.
    fn dedup_keys(&mut self) {
        match self {
            Node::Map(entries) => {
                let mut seen = BTreeSet::new();
                entries.retain(|(k, _)| seen.insert(k.clone()));
                for (_, v) in entries {
                    v.dedup_keys();
                }
            }
            Node::Seq(items) => items.iter_mut().for_each(Node::dedup_keys),
            _ => {}
        }
    }
}

/// The type name a type expression mentions, if any.
fn named_in(expr: &str) -> Option<&str> {
    let name = expr.trim_matches(|c: char| c.is_whitespace() || "[]{}".contains(c));
    name.starts_with(|c: char| c.is_ascii_uppercase())
        .then_some(name)
}

const QUERY_SCALARS: &[&str] = &[
    "string",
    "integer",
    "boolean",
    "number",
    "amount",
    "timestamp",
];

/// Fixes what the validator would reject in clean shaped files, so that most of them get
/// through validation to resolution and emission: one category per file, every type declared
/// once, paths that match their parameters, bodies that are structs, paging that is complete.
fn make_coherent(files: &mut [Node]) {
    let categories = ["things", "other", "a_b"];
    let mut declared: BTreeSet<String> = BTreeSet::new();
    for (i, file) in files.iter_mut().enumerate() {
        file.dedup_keys();
        file.set("category", s(categories[i % categories.len()]));
        if let Some(types) = file.get_mut("types").and_then(Node::entries_mut) {
            types.retain(|(name, _)| declared.insert(name.clone()));
        }
    }
    // Kinds of every declared type.
    let mut structs = BTreeSet::new();
    let mut enums = BTreeSet::new();
    for file in files.iter_mut() {
        for (name, ty) in file
            .get_mut("types")
            .and_then(Node::entries_mut)
            .into_iter()
            .flatten()
        {
            ty.remove("page");
            if let Some(values) = ty.get_mut("enum").and_then(Node::entries_mut) {
                let mut variants = BTreeSet::new();
                values.retain(|(wire, v)| {
                    let variant = v
                        .get("name")
                        .and_then(Node::text)
                        .map_or_else(|| generator::naming::variant(wire), str::to_owned);
                    variants.insert(variant)
                });
                if values.is_empty() {
                    values.push(("ready".into(), s("Not paid yet.")));
                }
                enums.insert(name.clone());
            }
            if let Some(variants) = ty.get_mut("one_of").and_then(Node::entries_mut) {
                if variants.is_empty() {
                    variants.push(("Text".into(), s("string")));
                }
            }
            let fields: BTreeSet<String> = ty
                .get("fields")
                .map(|f| f.entries().iter().map(|(k, _)| k.clone()).collect())
                .unwrap_or_default();
            if ty.get("fields").is_some() {
                structs.insert(name.clone());
            }
            if let Some(ctors) = ty.get_mut("constructors").and_then(Node::entries_mut) {
                ctors.retain(|(c, _)| c != "new" && !fields.contains(c));
                for (_, listed) in ctors.iter_mut() {
                    if let Node::Seq(items) = listed {
                        items.retain(|f| f.text().is_some_and(|f| fields.contains(f)));
                    }
                }
            }
            if fields.is_empty() {
                ty.remove("constructors");
            }
        }
    }
    // Endpoints.
    let mut paged = false;
    for file in files.iter_mut() {
        for (_, ep) in file
            .get_mut("endpoints")
            .and_then(Node::entries_mut)
            .into_iter()
            .flatten()
        {
            let mut placeholders = Vec::new();
            for (pname, p) in ep
                .get_mut("params")
                .and_then(Node::entries_mut)
                .into_iter()
                .flatten()
            {
                let ty = p.get("type").and_then(Node::text).unwrap_or("").to_owned();
                let in_path = p.get("in").and_then(Node::text) == Some("path");
                let plain = ty.trim();
                let list_of = plain.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
                let ok = QUERY_SCALARS.contains(&plain)
                    || named_in(plain).is_some_and(|n| enums.contains(n) && n == plain)
                    || (!in_path && list_of.is_some_and(|t| QUERY_SCALARS.contains(&t.trim())));
                if !ok {
                    p.set("type", s("string"));
                }
                if in_path {
                    p.remove("optional");
                    p.remove("wire");
                    placeholders.push(format!("{{{pname}}}"));
                }
            }
            let path = ep.get("path").and_then(Node::text).unwrap_or("").to_owned();
            let mut parts: Vec<String> = path
                .split('/')
                .filter(|p| !p.is_empty() && !p.contains(['{', '}']))
                .map(str::to_owned)
                .collect();
            parts.extend(placeholders);
            ep.set("path", s(format!("/{}", parts.join("/"))));
            if ep.get("method").and_then(Node::text) == Some("GET") {
                ep.remove("body");
            }
            if let Some(body) = ep.get("body").and_then(Node::text) {
                let is_struct = named_in(body).is_some_and(|n| structs.contains(n))
                    && !body.contains(['[', '{']);
                if !is_struct {
                    ep.remove("body");
                }
            }
            if let Some(page) = ep.get("paginate") {
                // A page struct, or a union of such a page and a plain list.
                let union = page.text().is_some_and(|t| t.len() % 2 == 1);
                paged = true;
                ep.set("paginate", s("page"));
                ep.set("response", s(if union { "PagedUnion" } else { "Paged" }));
                if ep.get("params").is_none() {
                    ep.set("params", Node::Map(Vec::new()));
                }
                let page = Node::Map(vec![
                    ("in".into(), Node::Raw("query".into())),
                    ("type".into(), s("integer")),
                    ("optional".into(), Node::Raw("true".into())),
                    ("doc".into(), s("Page number, from 1.")),
                ]);
                if let Some(params) = ep.get_mut("params") {
                    params.set("page", page);
                }
            }
        }
    }
    // Declare what is used but missing.
    let mut used = BTreeSet::new();
    let mut collect = |expr: &str| {
        if let Some(n) = named_in(expr) {
            used.insert(n.to_owned());
        }
    };
    for file in files.iter() {
        for (_, ep) in file
            .get("endpoints")
            .map(Node::entries)
            .into_iter()
            .flatten()
        {
            for key in ["body", "response"] {
                ep.get(key).and_then(Node::text).map(&mut collect);
            }
            for (_, p) in ep.get("params").map(Node::entries).into_iter().flatten() {
                p.get("type").and_then(Node::text).map(&mut collect);
            }
        }
        for (_, ty) in file.get("types").map(Node::entries).into_iter().flatten() {
            for (_, f) in ty.get("fields").map(Node::entries).into_iter().flatten() {
                f.get("type").and_then(Node::text).map(&mut collect);
            }
            for (_, v) in ty.get("one_of").map(Node::entries).into_iter().flatten() {
                v.text().map(&mut collect);
            }
        }
    }
    let field =
        |ty: &str, doc: &str| Node::Map(vec![("type".into(), s(ty)), ("doc".into(), s(doc))]);
    let mut missing: Vec<(String, Node)> = used
        .iter()
        .filter(|n| !declared.contains(*n) && !["Paged", "PagedUnion"].contains(&n.as_str()))
        .map(|n| {
            let ty = Node::Map(vec![
                ("doc".into(), s(format!("Filler type {n}."))),
                (
                    "fields".into(),
                    Node::Map(vec![("id".into(), field("string", "Its id."))]),
                ),
            ]);
            (n.clone(), ty)
        })
        .collect();
    if paged && !declared.contains("Paged") {
        missing.push((
            "Paged".into(),
            Node::Map(vec![
                ("doc".into(), s("One page of things.")),
                (
                    "fields".into(),
                    Node::Map(vec![
                        ("list".into(), field("[string]", "The things.")),
                        (
                            "next".into(),
                            field("integer", "The next page, 0 after the last."),
                        ),
                    ]),
                ),
                (
                    "page".into(),
                    Node::Map(vec![
                        ("items".into(), s("list")),
                        ("next".into(), s("next")),
                    ]),
                ),
            ]),
        ));
    }
    if paged && !declared.contains("PagedUnion") {
        missing.push((
            "PagedUnion".into(),
            Node::Map(vec![
                ("doc".into(), s("A page of things, or all of them.")),
                (
                    "one_of".into(),
                    Node::Map(vec![
                        ("Page".into(), s("Paged")),
                        ("All".into(), s("[string]")),
                    ]),
                ),
            ]),
        ));
    }
    if let Some(first) = files.first_mut() {
        if first.get("types").is_none() {
            first.set("types", Node::Map(Vec::new()));
        }
        if let Some(types) = first.get_mut("types").and_then(Node::entries_mut) {
            types.extend(missing);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategy 3: mutations of the real spec
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    MoveLine(Index, Index),
    /// A line and every more-indented line under it.
    DeleteBlock(Index),
    /// A required key with its value (block or flow).
    RemoveKey(Index),
    Insert(Index, String),
    /// Adds this prefix to the line.
    Indent(Index, &'static str),
    /// Removes up to this many leading spaces from the line.
    Dedent(Index, usize),
    /// Replaces an identifier token.
    ReplaceToken(Index, String),
    /// Replaces an identifier token by another token of the same text, optionally wrapped.
    CopyToken(Index, Index, &'static str),
    /// Replaces what follows `key:` on a line.
    ReplaceValue(Index, String),
    Truncate(Index),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let token = prop_oneof![
        4 => prop::sample::select(spec_tokens().to_vec()),
        2 => pick(SCALARS),
        1 => any_word(&NAMES),
        1 => any_word(&TYPE_NAMES),
        1 => unicode_text(),
    ];
    let value = prop_oneof![
        3 => type_expr(true),
        3 => scalar_text(),
        1 => pick(SIGNIFICANT),
        1 => prop::sample::select(spec_tokens().to_vec()),
    ];
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::DeleteLine),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::MoveLine(a, b)),
        2 => any::<Index>().prop_map(Mutation::DeleteBlock),
        3 => any::<Index>().prop_map(Mutation::RemoveKey),
        4 => (any::<Index>(), pick(SIGNIFICANT)).prop_map(|(a, t)| Mutation::Insert(a, t)),
        2 => (any::<Index>(), prop::sample::select(&[" ", "  ", "\t", "    ", " \t"][..]))
            .prop_map(|(a, p)| Mutation::Indent(a, p)),
        2 => (any::<Index>(), 1..5usize).prop_map(|(a, n)| Mutation::Dedent(a, n)),
        5 => (any::<Index>(), token).prop_map(|(a, t)| Mutation::ReplaceToken(a, t)),
        3 => (
            any::<Index>(),
            any::<Index>(),
            prop::sample::select(&["", "", "[]", "{}", "  ", "\"\"", "''", "[[]]"][..]),
        )
            .prop_map(|(a, b, w)| Mutation::CopyToken(a, b, w)),
        4 => (any::<Index>(), value).prop_map(|(a, v)| Mutation::ReplaceValue(a, v)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
    .boxed()
}

/// Byte ranges of identifier tokens (`[A-Za-z0-9_]+`).
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_ascii_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_owned).collect()
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The end (exclusive line index) of the block that starts at line `i`.
fn block_end(lines: &[String], i: usize) -> usize {
    let indent = leading_spaces(&lines[i]);
    let mut end = i + 1;
    while end < lines.len()
        && (lines[end].trim().is_empty() || leading_spaces(&lines[end]) > indent)
    {
        end += 1;
    }
    end
}

/// Byte positions of `key:` for the required keys, at the start of a line (after indentation
/// or `- `) or inside a flow mapping (after `{` or `,`).
fn required_key_positions(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for key in REQUIRED_KEYS {
        let needle = format!("{key}:");
        for (at, _) in text.match_indices(&needle) {
            let before = text[..at].trim_end_matches([' ', '\t']);
            let ok = before.is_empty()
                || before.ends_with(['\n', '{', ','])
                || before.ends_with("\n-")
                || before.ends_with("\n  -");
            let word_before = text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            if ok && !word_before {
                out.push(at);
            }
        }
    }
    out.sort();
    out
}

fn char_boundary(text: &str, index: &Index) -> usize {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    boundaries[index.index(boundaries.len())]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut ls = lines(text);
    let n = ls.len();
    match m {
        Mutation::DeleteLine(i) if n > 0 => {
            ls.remove(i.index(n));
        }
        Mutation::DuplicateLine(i) if n > 0 => {
            let i = i.index(n);
            let mut line = ls[i].clone();
            if !line.ends_with('\n') {
                line.push('\n');
            }
            ls.insert(i, line);
        }
        Mutation::SwapLines(a, b) if n > 0 => ls.swap(a.index(n), b.index(n)),
        Mutation::MoveLine(a, b) if n > 0 => {
            let mut line = ls.remove(a.index(n));
            if !line.ends_with('\n') {
                line.push('\n');
            }
            ls.insert(b.index(n), line);
        }
        Mutation::DeleteBlock(i) if n > 0 => {
            let i = i.index(n);
            let end = block_end(&ls, i);
            ls.drain(i..end);
        }
        Mutation::Indent(i, prefix) if n > 0 => {
            let i = i.index(n);
            ls[i] = format!("{prefix}{}", ls[i]);
        }
        Mutation::Dedent(i, k) if n > 0 => {
            let i = i.index(n);
            let remove = leading_spaces(&ls[i]).min(*k);
            ls[i] = ls[i][remove..].to_owned();
        }
        Mutation::ReplaceValue(i, value) if n > 0 => {
            let i = i.index(n);
            if let Some(colon) = ls[i].find(": ") {
                let newline = if ls[i].ends_with('\n') { "\n" } else { "" };
                ls[i] = format!("{}: {value}{newline}", &ls[i][..colon]);
            }
        }
        Mutation::RemoveKey(i) => {
            let positions = required_key_positions(text);
            if positions.is_empty() {
                return text.to_owned();
            }
            let at = positions[i.index(positions.len())];
            let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
            let in_flow = text[line_start..at].contains('{');
            if in_flow {
                // Up to the next `,` (dropped) or `}` (kept) on the line.
                let rest = &text[at..];
                let line_end = rest.find('\n').unwrap_or(rest.len());
                let end = match rest[..line_end].find([',', '}']) {
                    Some(p) if rest[p..].starts_with(',') => at + p + 1,
                    Some(p) => at + p,
                    None => at + line_end,
                };
                return format!("{}{}", &text[..at], &text[end..]);
            }
            let line = text[..at].matches('\n').count();
            if line < n {
                let end = block_end(&ls, line);
                ls.drain(line..end);
            }
        }
        Mutation::Insert(at, what) => {
            let at = char_boundary(text, at);
            return format!("{}{what}{}", &text[..at], &text[at..]);
        }
        Mutation::ReplaceToken(i, with) => {
            let toks = tokens(text);
            if toks.is_empty() {
                return text.to_owned();
            }
            let (a, b) = toks[i.index(toks.len())];
            return format!("{}{with}{}", &text[..a], &text[b..]);
        }
        Mutation::CopyToken(from, to, wrap) => {
            let toks = tokens(text);
            if toks.is_empty() {
                return text.to_owned();
            }
            let (fa, fb) = toks[from.index(toks.len())];
            let (ta, tb) = toks[to.index(toks.len())];
            let word = &text[fa..fb];
            let half = wrap.len() / 2;
            let replacement = format!("{}{word}{}", &wrap[..half], &wrap[half..]);
            return format!("{}{replacement}{}", &text[..ta], &text[tb..]);
        }
        Mutation::Truncate(at) => {
            let at = char_boundary(text, at);
            return text[..at].to_owned();
        }
        _ => {}
    }
    ls.concat()
}

fn apply_all(text: &str, mutations: &[Mutation]) -> String {
    mutations
        .iter()
        .fold(text.to_owned(), |text, m| apply(&text, m))
}

fn mutated_input() -> BoxedStrategy<Input> {
    (
        any::<Index>(),
        prop_oneof![
            2 => Just(Placement::Replace),
            8 => Just(Placement::WithDeps),
            1 => Just(Placement::Alone),
            1 => Just(Placement::Copy),
        ],
        prop::collection::vec(mutation(), 1..5),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(file, placement, mutations, emit)| Input::Mutated {
            file,
            placement,
            mutations,
            emit,
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Kind {
    Arbitrary,
    Shaped,
    Mutated,
}

const KINDS: [Kind; 3] = [Kind::Arbitrary, Kind::Shaped, Kind::Mutated];

impl Kind {
    fn strategy(self) -> BoxedStrategy<Input> {
        match self {
            Kind::Arbitrary => arbitrary_input(),
            Kind::Shaped => shaped_input(),
            Kind::Mutated => mutated_input(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Arbitrary => "arbitrary",
            Kind::Shaped => "shaped",
            Kind::Mutated => "mutated",
        }
    }
}

/// Executions by kind and outcome, the slowest case, and a few emit errors worth a look.
struct Stats {
    counts: [[AtomicU64; 5]; 3],
    slowest_ms: AtomicU64,
    emit_errors: Mutex<BTreeSet<String>>,
    failures: Mutex<Vec<String>>,
}

impl Stats {
    fn new() -> Stats {
        Stats {
            counts: Default::default(),
            slowest_ms: AtomicU64::new(0),
            emit_errors: Mutex::new(BTreeSet::new()),
            failures: Mutex::new(Vec::new()),
        }
    }

    fn total(&self) -> u64 {
        self.counts
            .iter()
            .flatten()
            .map(|c| c.load(Ordering::Relaxed))
            .sum()
    }

    fn summary(&self, elapsed: Duration) -> String {
        let mut out = String::new();
        let total = self.total();
        let _ = writeln!(
            out,
            "fuzz: {total} executions in {:.1} s ({:.0}/s); slowest case {} ms",
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64().max(1e-9),
            self.slowest_ms.load(Ordering::Relaxed)
        );
        for kind in KINDS {
            let row = &self.counts[kind as usize];
            let parts: Vec<String> = OUTCOMES
                .iter()
                .map(|o| format!("{o:?} {}", row[*o as usize].load(Ordering::Relaxed)))
                .collect();
            let _ = writeln!(out, "  {:<9} {}", kind.name(), parts.join(", "));
        }
        let emit_errors = self.emit_errors.lock().unwrap();
        for e in emit_errors.iter().take(5) {
            let first = e.lines().next().unwrap_or_default();
            let _ = writeln!(out, "  emit error (validator gap?): {first}");
        }
        out
    }
}

/// Where the long run writes each input before running it, so that a crash that cannot be
/// caught (a stack overflow aborts the process) leaves its input behind.
fn last_input_path(thread: usize) -> PathBuf {
    std::env::temp_dir().join(format!("generator-fuzz-last-input-{thread}.txt"))
}

fn show(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(name, text)| format!("==> {name}\n{text}\n"))
        .collect()
}

/// Runs one batch of `cases` inputs of `kind` from `seed`; failures go into `stats`.
fn batch(
    kind: Kind,
    seed: [u8; 32],
    cases: u32,
    deadline: Option<Instant>,
    record: Option<&Path>,
    stats: &Stats,
) {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let result = runner.run(&kind.strategy(), |input| {
        if deadline.is_some_and(|d| Instant::now() > d) {
            return Ok(());
        }
        let (files, fuzzed) = input.files();
        if let Some(path) = record {
            let _ = std::fs::write(path, show(&fuzzed));
        }
        let start = Instant::now();
        let result = run_caught(files, input.emit());
        stats
            .slowest_ms
            .fetch_max(start.elapsed().as_millis() as u64, Ordering::Relaxed);
        match result {
            Ok((outcome, message)) => {
                stats.counts[kind as usize][outcome as usize].fetch_add(1, Ordering::Relaxed);
                if outcome == Outcome::EmitError {
                    stats.emit_errors.lock().unwrap().insert(message);
                }
                Ok(())
            }
            Err(problem) => Err(TestCaseError::fail(format!(
                "{problem}\n--- fuzzed files ---\n{}",
                show(&fuzzed)
            ))),
        }
    });
    if let Err(e) = result {
        let text = match e {
            TestError::Fail(reason, input) => {
                format!(
                    "{} input (seed {seed:02x?}): {reason}\n{input:#?}",
                    kind.name()
                )
            }
            TestError::Abort(reason) => format!("{} aborted: {reason}", kind.name()),
        };
        stats.failures.lock().unwrap().push(text);
    }
}

fn fixed_seed(kind: Kind) -> [u8; 32] {
    let mut seed = [0u8; 32];
    seed[0] = kind as u8 + 1;
    seed[1..8].copy_from_slice(b"genfuzz");
    seed
}

fn check(stats: &Stats) {
    let failures = stats.failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "the generator panicked or broke its contract:\n{}",
        failures.join("\n\n")
    );
}

/// Number of fixed-seed cases of the quick run (override with `FUZZ_CASES`).
fn quick_cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn quick(kind: Kind, cases: u32) {
    let stats = Stats::new();
    let start = Instant::now();
    batch(
        kind,
        fixed_seed(kind),
        quick_cases(cases),
        None,
        None,
        &stats,
    );
    println!("{}", stats.summary(start.elapsed()));
    check(&stats);
}

#[test]
fn arbitrary_yaml_never_panics() {
    quick(Kind::Arbitrary, 200);
}

#[test]
fn spec_shaped_files_never_panic() {
    quick(Kind::Shaped, 150);
}

#[test]
fn mutated_real_spec_never_panics() {
    quick(Kind::Mutated, 10);
}

/// The long run: `FUZZ_SECONDS=600 cargo test --release -p generator --test fuzz -- --nocapture
/// fuzz_for_a_while` (threads: `FUZZ_THREADS`, default all cores).
#[test]
fn fuzz_for_a_while() {
    let Some(seconds) = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    let threads = std::env::var("FUZZ_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    // Load the shared inputs before the clock starts.
    let _ = (real_spec(), templates(), spec_tokens());
    let stats = Stats::new();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let base = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    println!(
        "fuzz: {threads} thread(s) for {seconds} s; last input of each thread in {}",
        last_input_path(0).display()
    );
    std::thread::scope(|scope| {
        for t in 0..threads {
            let stats = &stats;
            scope.spawn(move || {
                let record = last_input_path(t);
                let mut round = 0u64;
                let mut last_report = Instant::now();
                while Instant::now() < deadline {
                    let kind = KINDS[(round % 3) as usize];
                    let mut seed = [0u8; 32];
                    let mut x =
                        base ^ ((t as u64) << 48) ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                    for chunk in seed.chunks_mut(8) {
                        // splitmix64
                        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
                        let mut z = x;
                        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
                    }
                    let cases = match kind {
                        Kind::Mutated => 200,
                        _ => 500,
                    };
                    batch(kind, seed, cases, Some(deadline), Some(&record), stats);
                    round += 1;
                    if t == 0 && last_report.elapsed() > Duration::from_secs(60) {
                        last_report = Instant::now();
                        print!("{}", stats.summary(start.elapsed()));
                    }
                }
                let _ = std::fs::remove_file(&record);
            });
        }
    });
    print!("{}", stats.summary(start.elapsed()));
    let failures = stats.failures.lock().unwrap().len();
    println!("fuzz: {failures} failure(s)");
    check(&stats);
}

// ---------------------------------------------------------------------------------------------
// Regressions: inputs that once panicked
// ---------------------------------------------------------------------------------------------

/// Runs the whole pipeline on a category file next to the real `service.yaml`.
fn assert_diagnostic_or_files(category: &str) {
    let files = vec![
        ("spec/fuzz.yaml".to_owned(), category.to_owned()),
        ("spec/service.yaml".to_owned(), service_yaml().to_owned()),
    ];
    if let Err(problem) = run_caught(files, true) {
        panic!("{problem}\n--- input ---\n{category}");
    }
}

#[test]
fn the_real_spec_passes_through_the_harness() {
    let outcome = run_caught(real_spec().to_vec(), true).unwrap();
    assert_eq!(outcome.0, Outcome::Emitted);
}

/// `body: " Foo"` passed validation (type expressions are trimmed) and reached
/// `Ident::new(" Foo")` in emit, which panics. Fixed in resolve: the body name is trimmed.
#[test]
fn regression_padded_body_type() {
    assert_diagnostic_or_files(
        r#"category: things
doc: Things.
ko: 물건
endpoints:
  make_thing:
    doc: Makes a thing.
    ko: 만들기
    method: POST
    path: /things
    idempotent: false
    body: " Foo\t"
types:
  Foo:
    doc: A foo.
    fields:
      id: { type: string, doc: Its id. }
"#,
    );
}

/// A struct with a required field holding a map of itself (`{Bar}`) made the sample-value
/// builder recurse until the stack overflowed. Fixed in resolve: maps stop at a depth, as
/// lists did.
#[test]
fn regression_struct_holding_a_map_of_itself() {
    assert_diagnostic_or_files(
        r#"category: things
doc: Things.
ko: 물건
endpoints:
  get_bar:
    doc: Gets a bar.
    ko: 조회
    method: GET
    path: /bars
    idempotent: true
    response: "[Bar]"
types:
  Bar:
    doc: A bar.
    fields:
      page: { type: "{Bar}", doc: Nested bars. }
      children: { type: "{[{Bar}]}", doc: More nested bars. }
"#,
    );
}

/// Inputs that stress the YAML layer: deep nesting, alias expansion, huge lines, many
/// documents, a byte order mark, self-referencing anchors and merge keys.
#[test]
fn pathological_yaml_is_a_diagnostic() {
    let mut laughs = String::from("category: things\ndoc: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        laughs.push_str(&format!("l{i}: &a{i} [{refs}]\n"));
    }
    let cases = [
        format!("category: {}", "[".repeat(20_000)),
        format!("category: {}", "{a: ".repeat(20_000)),
        (0..150)
            .map(|i| format!("{}- \n", " ".repeat(i * 2)))
            .collect(),
        (0..150)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect(),
        laughs,
        format!("category: {}\ndoc: x\n", "x".repeat(200_000)),
        "---\ncategory: a\n".repeat(200),
        "\u{feff}category: things\ndoc: x\n".to_owned(),
        "&a category: *a\n".to_owned(),
        "a: &a {category: things}\n<<: *a\n".to_owned(),
        "category: !!binary aGVsbG8=\ntypes: !!set {a, b}\n".to_owned(),
        "? [complex, key]\n: value\ncategory: things\n".to_owned(),
    ];
    for text in cases {
        assert_diagnostic_or_files(&text);
    }
}
