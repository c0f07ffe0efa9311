//! A map from YAML paths to source positions.
//!
//! serde_yaml forgets where values came from once they are deserialized, so the file is also
//! walked with saphyr-parser's event stream. The loader walks every file once, for what only
//! that walk finds: syntax errors with their cause, and keys given twice in one mapping (serde
//! keeps the last without a word). The span of every key and value under its path
//! (`["endpoints", "get_payment", "path"]`) is recorded by a second walk of a file, the first
//! time a diagnostic asks about it: a generation without diagnostics never does.

use std::ops::Range;
use std::sync::OnceLock;

use foldhash::{HashMap, HashSet};
use saphyr_parser::{Event, Parser, ScanError, Span};

use crate::diagnostics::Sources;

/// Spans of keys and values by path, for every loaded file.
#[derive(Debug)]
pub struct LocationIndex {
    /// By file id, each built on the first question about its file.
    files: Vec<OnceLock<FileIndex>>,
    duplicates: Vec<Duplicate>,
}

/// A key given twice in one mapping: its file, its path and the span of the second one.
pub type Duplicate = (usize, Vec<String>, Range<usize>);

/// The spans of one file.
#[derive(Debug, Default)]
struct FileIndex {
    values: HashMap<Vec<String>, Range<usize>>,
    keys: HashMap<Vec<String>, Range<usize>>,
}

/// Where the YAML parser gave up, and the unterminated flow collection that explains it.
#[derive(Debug)]
pub struct SyntaxError {
    /// Byte offset where parsing stopped.
    pub at: usize,
    /// The parser's message.
    pub message: String,
    /// The start of an unterminated `[`/`{` on an earlier line, if that is the cause.
    pub unclosed: Option<Range<usize>>,
}

/// What a walk reports of each node, under the node's path.
enum Node {
    /// A mapping key; `again` when the mapping already had it.
    Key { span: Span, again: bool },
    /// A value: a scalar, an alias, or the start of a collection.
    Value(Span),
}

enum Frame {
    Map {
        key: Option<String>,
        seen: HashSet<String>,
    },
    Seq {
        index: usize,
    },
}

impl LocationIndex {
    /// An index of `files` files whose keys given twice are `duplicates` (from [`check`]).
    pub(crate) fn new(files: usize, duplicates: Vec<Duplicate>) -> LocationIndex {
        LocationIndex {
            files: (0..files).map(|_| OnceLock::new()).collect(),
            duplicates,
        }
    }

    /// Keys that appear twice in the same mapping: file, path and the span of the second one.
    pub fn duplicate_keys(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// Span of the value at `path`, or of its nearest ancestor that exists.
    pub fn value(&self, sources: &Sources, file: usize, path: &[&str]) -> Range<usize> {
        self.file(sources, file).map_or(0..0, |f| f.value(path))
    }

    /// Span of the key that names `path`, or of the value when there is no key.
    pub fn key(&self, sources: &Sources, file: usize, path: &[&str]) -> Range<usize> {
        self.file(sources, file).map_or(0..0, |f| f.key(path))
    }

    /// The spans of `file`, recorded now if no one asked before.
    fn file(&self, sources: &Sources, file: usize) -> Option<&FileIndex> {
        let cell = self.files.get(file)?;
        Some(cell.get_or_init(|| FileIndex::build(sources, file)))
    }
}

impl FileIndex {
    /// Walks `file` for the span of every node. A file that does not scan to its end keeps
    /// the spans before the error.
    fn build(sources: &Sources, file: usize) -> FileIndex {
        let mut index = FileIndex::default();
        let _ = walk(sources, file, |path, node| {
            let (map, span) = match node {
                Node::Key { span, .. } => (&mut index.keys, span),
                Node::Value(span) => (&mut index.values, span),
            };
            map.insert(path.to_vec(), to_range(sources, file, span));
        });
        index
    }

    fn value(&self, path: &[&str]) -> Range<usize> {
        let mut p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        loop {
            if let Some(r) = self.values.get(&p) {
                return r.clone();
            }
            if p.pop().is_none() {
                return 0..0;
            }
        }
    }

    fn key(&self, path: &[&str]) -> Range<usize> {
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.keys
            .get(&p)
            .cloned()
            .unwrap_or_else(|| self.value(path))
    }
}

/// Span of the value at `path` in `file`, or of its nearest ancestor, before there is an
/// index: for the loader's own errors.
pub(crate) fn value_span(sources: &Sources, file: usize, path: &[&str]) -> Range<usize> {
    FileIndex::build(sources, file).value(path)
}

/// Walks one file for the keys it gives twice in one mapping and its syntax error, if any: the
/// keys given twice before the error are reported too.
pub(crate) fn check(sources: &Sources, file: usize) -> (Vec<Duplicate>, Result<(), SyntaxError>) {
    let mut duplicates = Vec::new();
    let walked = walk(sources, file, |path, node| {
        if let Node::Key { span, again: true } = node {
            duplicates.push((file, path.to_vec(), to_range(sources, file, span)));
        }
    });
    (duplicates, walked)
}

/// Calls `visit` with every key and value of `file`, under its path, in text order.
fn walk(
    sources: &Sources,
    file: usize,
    mut visit: impl FnMut(&[String], Node),
) -> Result<(), SyntaxError> {
    let text = sources.text(file);
    let mut path: Vec<String> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Where each open collection starts, to point at an unterminated `[` or `{`.
    let mut opened: Vec<Span> = Vec::new();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e: ScanError| {
            let at = sources.offset(file, e.marker().line(), e.marker().col());
            let unclosed = e
                .info()
                .contains("flow")
                .then(|| opened.last().map(|&s| to_range(sources, file, s)))
                .flatten()
                .filter(|r| text[r.start..at].contains('\n'));
            SyntaxError {
                at,
                message: e.info().to_owned(),
                unclosed,
            }
        })?;
        match event {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map { key, seen }) = stack.last_mut()
                    && key.is_none()
                {
                    let again = !seen.insert(value.to_string());
                    path.push(value.to_string());
                    *key = Some(value.to_string());
                    visit(&path, Node::Key { span, again });
                    continue;
                }
                value_here(&mut path, &mut stack, span, &mut visit);
            }
            Event::Alias(_) => value_here(&mut path, &mut stack, span, &mut visit),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                opened.push(span);
                if let Some(Frame::Seq { index }) = stack.last() {
                    path.push(index.to_string());
                }
                visit(&path, Node::Value(span));
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        key: None,
                        seen: Default::default(),
                    }
                } else {
                    Frame::Seq { index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                opened.pop();
                stack.pop();
                finish_value(&mut path, &mut stack);
            }
            _ => {}
        }
    }
    Ok(())
}

/// A complete value (scalar or alias) at the current place.
fn value_here(
    path: &mut Vec<String>,
    stack: &mut [Frame],
    span: Span,
    visit: &mut impl FnMut(&[String], Node),
) {
    if let Some(Frame::Seq { index }) = stack.last() {
        path.push(index.to_string());
    }
    visit(path, Node::Value(span));
    finish_value(path, stack);
}

/// After a complete value: pop its path segment and move the parent on.
fn finish_value(path: &mut Vec<String>, stack: &mut [Frame]) {
    let pushed = match stack.last_mut() {
        Some(Frame::Map { key, .. }) => key.take().is_some(),
        Some(Frame::Seq { index }) => {
            *index += 1;
            true
        }
        None => false,
    };
    if pushed {
        path.pop();
    }
}

fn to_range(sources: &Sources, file: usize, span: Span) -> Range<usize> {
    let start = sources.offset(file, span.start.line(), span.start.col());
    let end = sources
        .offset(file, span.end.line(), span.end.col())
        .max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_flow_collection_points_at_its_start() {
        let mut sources = Sources::default();
        let file = sources.add("f.yaml".into(), "a: 1\nx: {b: 1\ny: 2\n".into());
        let err = check(&sources, file).1.unwrap_err();
        assert!(err.message.contains("flow"), "{err:?}");
        assert_eq!(err.unclosed, Some(8..9), "{err:?}");
    }

    #[test]
    fn keys_given_twice_before_a_syntax_error_are_reported_with_it() {
        let mut sources = Sources::default();
        let file = sources.add("f.yaml".into(), "a: 1\na: 2\nx: {b: 1\n".into());
        let (duplicates, walked) = check(&sources, file);
        assert!(walked.is_err());
        assert_eq!(duplicates, [(file, vec!["a".to_owned()], 5..6)]);
    }

    #[test]
    fn spans_are_found_on_demand_and_keys_given_twice_on_the_first_walk() {
        let mut sources = Sources::default();
        let text = "a:\n  b: [1, 2]\n  c: x\n  b: y\n";
        let file = sources.add("f.yaml".into(), text.into());
        let (duplicates, walked) = check(&sources, file);
        assert!(walked.is_ok(), "{walked:?}");
        let b = |at: usize| at..at + 1;
        assert_eq!(duplicates, [(file, vec!["a".into(), "b".into()], b(24))]);
        let index = LocationIndex::new(1, duplicates);
        assert_eq!(&text[index.value(&sources, file, &["a", "c"])], "x");
        assert_eq!(index.key(&sources, file, &["a", "c"]), b(17));
        assert_eq!(&text[index.value(&sources, file, &["a", "b", "1"])], "2");
        assert_eq!(index.value(&sources, file, &["a", "zz"]).start, 5);
    }
}
