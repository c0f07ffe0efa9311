//! A map from YAML paths to source positions.
//!
//! serde_yaml forgets where values came from once they are deserialized, so the file is also
//! walked with saphyr-parser's event stream, recording the span of every key and value under
//! its path (`["endpoints", "get_payment", "path"]`). Validation then points at exact nodes.

use std::ops::Range;

use foldhash::{HashMap, HashSet};
use saphyr_parser::{Event, Parser, ScanError, Span};

use crate::diagnostics::Sources;

/// Spans of keys and values by path, for every loaded file.
#[derive(Debug, Default)]
pub struct LocationIndex {
    /// By file id: each file is scanned on a thread of its own, and its index moves in whole.
    files: Vec<FileIndex>,
    duplicates: Vec<(usize, Vec<String>, Range<usize>)>,
}

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
    /// Takes in the entries of another index, of other files (each file is scanned into an
    /// index of its own, on its own thread).
    pub(crate) fn merge(&mut self, other: LocationIndex) {
        for (file, index) in other.files.into_iter().enumerate() {
            let mine = self.file_mut(file);
            if mine.values.is_empty() && mine.keys.is_empty() {
                *mine = index;
            } else {
                mine.values.extend(index.values);
                mine.keys.extend(index.keys);
            }
        }
        self.duplicates.extend(other.duplicates);
    }

    fn file_mut(&mut self, file: usize) -> &mut FileIndex {
        if self.files.len() <= file {
            self.files.resize_with(file + 1, FileIndex::default);
        }
        &mut self.files[file]
    }

    /// Indexes one file; a syntax error comes back as a [`SyntaxError`].
    pub fn add_file(&mut self, sources: &Sources, file: usize) -> Result<(), SyntaxError> {
        let text = sources.text(file);
        let mut path: Vec<String> = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        // Where each open collection starts, to point at an unterminated `[` or `{`.
        let mut opened: Vec<Range<usize>> = Vec::new();
        for item in Parser::new_from_str(text) {
            let (event, span) = item.map_err(|e: ScanError| {
                let at = sources.offset(file, e.marker().line(), e.marker().col());
                let unclosed = e
                    .info()
                    .contains("flow")
                    .then(|| opened.last().cloned())
                    .flatten()
                    .filter(|r| sources.text(file)[r.start..at].contains('\n'));
                SyntaxError {
                    at,
                    message: e.info().to_owned(),
                    unclosed,
                }
            })?;
            let range = to_range(sources, file, span);
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { key, seen }) = stack.last_mut() {
                        if key.is_none() {
                            path.push(value.to_string());
                            if !seen.insert(value.to_string()) {
                                self.duplicates.push((file, path.clone(), range.clone()));
                            }
                            self.file_mut(file).keys.insert(path.clone(), range);
                            *key = Some(value.to_string());
                            continue;
                        }
                    }
                    self.value_here(file, &mut path, &mut stack, range);
                }
                Event::Alias(_) => self.value_here(file, &mut path, &mut stack, range),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    opened.push(range.clone());
                    if let Some(Frame::Seq { index }) = stack.last() {
                        path.push(index.to_string());
                    }
                    self.file_mut(file).values.insert(path.clone(), range);
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

    fn value_here(
        &mut self,
        file: usize,
        path: &mut Vec<String>,
        stack: &mut [Frame],
        range: Range<usize>,
    ) {
        if let Some(Frame::Seq { index }) = stack.last() {
            path.push(index.to_string());
        }
        self.file_mut(file).values.insert(path.clone(), range);
        finish_value(path, stack);
    }

    /// Keys that appear twice in the same mapping: file, path and the span of the second one.
    pub fn duplicate_keys(&self) -> &[(usize, Vec<String>, Range<usize>)] {
        &self.duplicates
    }

    /// Span of the value at `path`, or of its nearest ancestor that exists.
    pub fn value(&self, file: usize, path: &[&str]) -> Range<usize> {
        let mut p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        loop {
            if let Some(r) = self.files.get(file).and_then(|f| f.values.get(&p)) {
                return r.clone();
            }
            if p.pop().is_none() {
                return 0..0;
            }
        }
    }

    /// Span of the key that names `path`, or of the value when there is no key.
    pub fn key(&self, file: usize, path: &[&str]) -> Range<usize> {
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        self.files
            .get(file)
            .and_then(|f| f.keys.get(&p))
            .cloned()
            .unwrap_or_else(|| self.value(file, path))
    }
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
        let err = LocationIndex::default()
            .add_file(&sources, file)
            .unwrap_err();
        assert!(err.message.contains("flow"), "{err:?}");
        assert_eq!(err.unclosed, Some(8..9), "{err:?}");
    }
}
