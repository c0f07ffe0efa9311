//! What prettyplease leaves for a person's eye, done on its output: a blank line between items
//! (and between the groups of `use` lines), and doc comments wrapped at 100 columns, rustfmt's
//! `max_width`, with textwrap. prettyplease prints every item on its own lines with a
//! four-space indent, so a line's indent and first word say what it starts or ends; the
//! lines inside a multi-line string literal (the contract tests' raw JSON) are left alone.

/// The width rustfmt's `max_width` gives the workspace's code, and doc comments here.
const WIDTH: usize = 100;

/// `code` (prettyplease's output) with blank lines between items and doc comments wrapped.
pub fn layout(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    let mut in_string: Option<String> = None;
    let mut in_fence = false;
    for (i, line) in lines.iter().enumerate() {
        if let Some(end) = &in_string {
            if line.contains(end.as_str()) {
                in_string = None;
            }
            push(&mut out, line);
            continue;
        }
        if i > 0 && blank_between(&lines, i) {
            out.push('\n');
        }
        match doc_comment(line) {
            Some((indent, marker, text)) => {
                if text.trim_start().starts_with("```") {
                    in_fence = !in_fence;
                }
                if in_fence || fits(line) || !wraps(text) {
                    push(&mut out, line);
                } else {
                    wrap(&mut out, indent, marker, text);
                }
            }
            None => {
                in_fence = false;
                in_string = opened_raw_string(line);
                push(&mut out, line);
            }
        }
    }
    out
}

fn push(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// A line's display width; a line of at most [`WIDTH`] bytes is narrow enough whatever its
/// characters, and needs no counting.
fn fits(line: &str) -> bool {
    line.len() <= WIDTH || textwrap::core::display_width(line) <= WIDTH
}

/// `(indent, "///" or "//!", text after the marker)` of a doc comment line.
fn doc_comment(line: &str) -> Option<(&str, &str, &str)> {
    let (indent, trimmed) = line.split_at(indent(line));
    ["///", "//!"].into_iter().find_map(|marker| {
        let text = trimmed.strip_prefix(marker)?;
        (!text.starts_with('/')).then_some((indent, marker, text))
    })
}

/// Whether a doc line is prose that may be wrapped: not a heading, a table row, a link
/// definition or an indented code line.
fn wraps(text: &str) -> bool {
    let t = text.strip_prefix(' ').unwrap_or(text);
    !(t.starts_with('#') || t.starts_with('|') || t.starts_with("    ") || is_link_definition(t))
}

fn is_link_definition(t: &str) -> bool {
    t.starts_with('[') && t.contains("]: ")
}

/// Wraps one doc line at [`WIDTH`]; a list item's continuation lines are indented under its
/// text, as Markdown and rustfmt's `wrap_comments` do.
fn wrap(out: &mut String, indent: &str, marker: &str, text: &str) {
    let text = text.strip_prefix(' ').unwrap_or(text);
    let first = format!("{indent}{marker} ");
    let item = ["* ", "- "].iter().find(|m| text.starts_with(**m));
    let rest = format!("{first}{}", if item.is_some() { "  " } else { "" });
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(&first)
        .subsequent_indent(&rest)
        .break_words(false);
    for line in textwrap::wrap(text, options) {
        push(out, line.trim_end());
    }
}

/// The closing delimiter of a raw string literal that `line` opens and does not close.
fn opened_raw_string(line: &str) -> Option<String> {
    // Every line is asked: a search for the `#` byte is much cheaper than one for `r#`.
    let start = line
        .match_indices('#')
        .find_map(|(at, _)| at.checked_sub(1).filter(|&r| line.as_bytes()[r] == b'r'))?;
    let hashes = line[start + 1..].chars().take_while(|c| *c == '#').count();
    let open = format!("r{}\"", "#".repeat(hashes));
    let close = format!("\"{}", "#".repeat(hashes));
    let body = &line[start + open.len()..];
    (line[start..].starts_with(&open) && !body.contains(&close)).then_some(close)
}

/// Whether a blank line goes before line `i`: after the module's docs and inner attributes;
/// before an item (or the docs, attributes or comment of one) at the indent where the line
/// before ended something; and after an item, before whatever follows it in the same block.
/// Declarations of one kind stay together (`use` lines by group: std, other crates, this
/// crate; `mod` lines; `include!` lines).
fn blank_between(lines: &[&str], i: usize) -> bool {
    let (prev, line) = (lines[i - 1], lines[i]);
    let (prev_t, t) = (trim(prev), trim(line));
    if t.is_empty() || prev_t.is_empty() {
        return false;
    }
    let inner = |t: &str| t.starts_with("//!") || t.starts_with("#![");
    if inner_block_ends(lines, i) {
        return !inner(t);
    }
    let ends = prev.ends_with(';') || prev.ends_with('}');
    if prev_t.starts_with("//") || indent(prev) != indent(line) || !ends {
        return false;
    }
    let before = prev_head(lines, i - 1);
    if starts_item(lines, i) {
        return match (group(item_head(lines, i)), group(before)) {
            (Some(this), Some(that)) => this != that,
            _ => true,
        };
    }
    is_item_head(before) && ![")", "]", "}"].iter().any(|c| t.starts_with(c))
}

/// Whether the lines before `i` end the module's `//!` docs or inner attributes (which may
/// span several lines).
fn inner_block_ends(lines: &[&str], i: usize) -> bool {
    let prev = lines[i - 1];
    if prev.starts_with("//!") || (prev.starts_with("#![") && prev.ends_with(']')) {
        return true;
    }
    // The last line of a multi-line inner attribute: `)]` closing a `#![` above.
    prev == ")]"
        && lines[..i - 1]
            .iter()
            .rev()
            .find(|l| !l.starts_with(' '))
            .is_some_and(|l| l.starts_with("#!["))
}

/// The indent of a line: prettyplease indents with spaces only.
fn indent(line: &str) -> usize {
    line.bytes().take_while(|b| *b == b' ').count()
}

/// The line without its indent.
fn trim(line: &str) -> &str {
    &line[indent(line)..]
}

/// Whether line `i` begins an item: its doc, attribute or comment, or its first line.
fn starts_item(lines: &[&str], i: usize) -> bool {
    let t = trim(lines[i]);
    if t.starts_with("///") || t.starts_with("#[") {
        return true;
    }
    if t.starts_with("//") {
        return lines[i + 1..]
            .iter()
            .find(|l| !trim(l).starts_with("//"))
            .is_some_and(|l| is_item_head(l));
    }
    is_item_head(lines[i])
}

/// Whether a line is the first line of an item itself (after its docs and attributes).
fn is_item_head(line: &str) -> bool {
    let t = trim(line);
    let t = t
        .strip_prefix("pub(crate) ")
        .or_else(|| t.strip_prefix("pub "))
        .unwrap_or(t);
    const HEADS: [&str; 14] = [
        "fn ",
        "async fn ",
        "const ",
        "static ",
        "struct ",
        "enum ",
        "union ",
        "trait ",
        "type ",
        "impl",
        "mod ",
        "use ",
        "extern ",
        "unsafe impl",
    ];
    // Inside a function a macro call is a statement; at the top it is an item
    // (`include!("x.rs");`, `open_enum!(Status { .. });`).
    let item_macro = indent(line) == 0
        && t.split_once("!(")
            .is_some_and(|(name, _)| name.chars().all(|c| c.is_alphanumeric() || c == '_'));
    HEADS.iter().any(|h| t.starts_with(h)) || item_macro
}

/// The first line of the item starting at line `i` (past its docs and attributes).
fn item_head<'a>(lines: &[&'a str], i: usize) -> &'a str {
    let at = indent(lines[i]);
    lines[i..]
        .iter()
        .find(|l| {
            let t = trim(l);
            indent(l) == at && !t.starts_with("//") && !t.starts_with("#[")
        })
        .copied()
        .unwrap_or(lines[i])
}

/// The first line of what line `end` ends: the line itself, or the opener of the block it
/// closes (past the `) -> T {` and `where` lines of a signature broken over lines).
fn prev_head<'a>(lines: &[&'a str], end: usize) -> &'a str {
    let at = indent(lines[end]);
    let t = trim(lines[end]);
    if !(t.starts_with('}') || t.starts_with(')') || t.starts_with(']')) {
        return lines[end];
    }
    lines[..end]
        .iter()
        .rev()
        .filter(|l| indent(l) == at)
        .find(|l| {
            let t = trim(l);
            !["{", ")", "]", "where", "->"]
                .iter()
                .any(|c| t.starts_with(c))
        })
        .copied()
        .unwrap_or(lines[end])
}

/// The kind of a declaration that stays with its like: `use` lines by group (rustfmt's
/// `StdExternalCrate`: 0 std, 1 other crates, 2 this crate), 3 `mod` declarations, 4
/// `include!`s; `None` for any other line.
fn group(head: &str) -> Option<u8> {
    let t = trim(head);
    let t = ["pub ", "pub(crate) ", "pub(super) "]
        .iter()
        .find_map(|vis| t.strip_prefix(vis))
        .unwrap_or(t);
    if t.starts_with("mod ") && t.ends_with(';') {
        return Some(3);
    }
    if t.starts_with("include!(") {
        return Some(4);
    }
    let path = t.strip_prefix("use ")?;
    let root = path.split([':', ';', ' ']).next().unwrap_or_default();
    Some(match root {
        "std" | "core" | "alloc" => 0,
        "crate" | "self" | "super" => 2,
        _ => 1,
    })
}

#[cfg(test)]
mod tests {
    use super::{layout, opened_raw_string};

    #[test]
    fn separates_items_and_use_groups() {
        let code = "//! Docs.\n#![allow(x)]\nuse std::fmt;\nuse serde::Serialize;\nuse serde::de::Visitor;\nuse crate::A;\npub(crate) use crate::B;\nmod a;\npub mod b;\n/// One.\npub struct A;\nimpl A {\n    fn a() {}\n    fn b() {\n        struct F;\n        let x = 1;\n        assert!(x);\n        assert!(x);\n    }\n}\n#[cfg(x)]\ninclude!(\"a.rs\");\ninclude!(\"b.rs\");\n";
        let expected = "//! Docs.\n#![allow(x)]\n\nuse std::fmt;\n\nuse serde::Serialize;\nuse serde::de::Visitor;\n\nuse crate::A;\npub(crate) use crate::B;\n\nmod a;\npub mod b;\n\n/// One.\npub struct A;\n\nimpl A {\n    fn a() {}\n\n    fn b() {\n        struct F;\n\n        let x = 1;\n        assert!(x);\n        assert!(x);\n    }\n}\n\n#[cfg(x)]\ninclude!(\"a.rs\");\ninclude!(\"b.rs\");\n";
        assert_eq!(layout(code), expected);
    }

    #[test]
    fn wraps_prose_but_not_code_or_strings() {
        let long = "word ".repeat(30);
        let code = format!(
            "/// {long}\n/// * {long}\n/// ```\n/// {long}\n/// ```\nconst J: &str = r#\"{{\n/// {long}\n}}\"#;\n"
        );
        let out = layout(&code);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].len() <= 100 && lines[1].starts_with("/// word"),
            "{out}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("///   word")),
            "list continuation: {out}"
        );
        assert!(
            lines.iter().filter(|l| l.len() > 100).count() == 2,
            "code and string kept: {out}"
        );
    }

    #[test]
    fn finds_the_raw_strings_a_line_leaves_open() {
        assert_eq!(
            opened_raw_string("    é#[x] const J: &str = r#\"{").as_deref(),
            Some("\"#")
        );
        assert_eq!(
            opened_raw_string("let s = r##\"a\"#b").as_deref(),
            Some("\"##")
        );
        assert_eq!(opened_raw_string("let s = r##\"a\"##;"), None);
        assert_eq!(opened_raw_string("#[derive(Debug)] // é#"), None);
    }
}
