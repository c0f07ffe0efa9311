//! Problems found in the spec, pointing at file, line and column, rendered with
//! codespan-reporting (source line, caret, hint).

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

/// How a tab appears in a quoted source line.
const TAB: &str = "→";

/// The loaded source texts, so diagnostics can quote them.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    names: Vec<String>,
    /// Byte offset of the start of every line, per file.
    line_starts: Vec<Vec<usize>>,
}

impl Sources {
    /// Registers a file and returns its id.
    pub fn add(&mut self, name: String, text: String) -> usize {
        self.names.push(name.clone());
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.line_starts.push(starts);
        self.files.add(name, text)
    }

    /// The display name of a file.
    pub fn name(&self, file: usize) -> &str {
        &self.names[file]
    }

    /// The text of a file.
    pub fn text(&self, file: usize) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// Byte offset of a 1-based line and 0-based character column, clamped to the text.
    pub fn offset(&self, file: usize, line: usize, col: usize) -> usize {
        let text = self.text(file);
        let Some(&start) = self
            .line_starts
            .get(file)
            .and_then(|s| s.get(line.max(1) - 1))
        else {
            return text.len();
        };
        let rest = &text[start..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..line_end];
        // Every node of the spec asks this while it is indexed; most lines are ASCII up to
        // the column, where characters and bytes count alike.
        if let Some(prefix) = line.get(..col)
            && prefix.is_ascii()
        {
            return start + col;
        }
        start + line.char_indices().nth(col).map_or(line_end, |(i, _)| i)
    }

    /// Where byte `offset` of `file` is once tabs are shown as [`TAB`].
    fn shown_offset(&self, file: usize, offset: usize) -> usize {
        let before = self.text(file).get(..offset).unwrap_or_default();
        offset + before.matches('\t').count() * (TAB.len() - 1)
    }

    /// Renders diagnostics (sorted by file, then position) into one report.
    pub fn report(&self, mut diagnostics: Vec<Diagnostic>) -> Report {
        diagnostics.sort_by(|a, b| {
            (self.name(a.file), a.span.start, &a.message).cmp(&(
                self.name(b.file),
                b.span.start,
                &b.message,
            ))
        });
        diagnostics.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.message == b.message);
        let config = term::Config::default();
        // A tab would render as blanks indistinguishable from spaces; show it as `→` instead.
        let mut shown = SimpleFiles::new();
        for (file, name) in self.names.iter().enumerate() {
            shown.add(name.clone(), self.text(file).replace('\t', TAB));
        }
        let mut rendered = String::new();
        let (mut errors, mut warnings) = (0, 0);
        for d in &diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            let text = term::emit_into_string(&config, &shown, &d.to_codespan(self))
                .unwrap_or_else(|e| format!("{}: {} ({e})\n", self.name(d.file), d.message));
            rendered.push_str(&text);
        }
        Report {
            rendered,
            errors,
            warnings,
        }
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Generation cannot proceed.
    Error,
    /// Worth fixing; generation proceeds.
    Warning,
}

/// One problem at one place in the spec.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File id in [`Sources`].
    pub file: usize,
    /// Byte range of the offending node.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// Short text under the caret.
    pub label: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
    /// A second place that explains the first.
    pub secondary: Option<(Range<usize>, String)>,
}

impl Diagnostic {
    /// An error at `span` of `file`.
    pub fn error(file: usize, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file,
            span,
            message: message.into(),
            label: String::new(),
            hint: None,
            secondary: None,
        }
    }

    /// A warning at `span` of `file`.
    pub fn warning(file: usize, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    /// Sets the text under the caret.
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = label.into();
        self
    }

    /// Points at a second place that explains the problem.
    pub fn secondary(&mut self, span: Range<usize>, label: impl Into<String>) -> &mut Self {
        self.secondary = Some((span, label.into()));
        self
    }

    /// Adds a hint.
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Self {
        self.hint = Some(hint.into());
        self
    }

    fn to_codespan(&self, sources: &Sources) -> CsDiagnostic<usize> {
        let shown = |span: &Range<usize>| {
            sources.shown_offset(self.file, span.start)..sources.shown_offset(self.file, span.end)
        };
        let severity = match self.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut d = CsDiagnostic::new(severity)
            .with_message(&self.message)
            .with_labels(vec![
                Label::primary(self.file, shown(&self.span)).with_message(&self.label),
            ]);
        if let Some((span, label)) = &self.secondary {
            d = d.with_labels(vec![
                Label::secondary(self.file, shown(span)).with_message(label),
            ]);
        }
        if let Some(h) = &self.hint {
            d = d.with_notes(vec![format!("hint: {h}")]);
        }
        d
    }
}

/// Rendered diagnostics, ready to print.
#[derive(Debug, Clone, Default)]
pub struct Report {
    rendered: String,
    errors: usize,
    warnings: usize,
}

impl Report {
    /// A report holding one message that is not tied to a spec location.
    pub fn message(text: impl fmt::Display) -> Report {
        Report {
            rendered: format!("error: {text}\n"),
            errors: 1,
            warnings: 0,
        }
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.warnings
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)?;
        if self.errors > 0 || self.warnings > 0 {
            write!(f, "{} error(s), {} warning(s)", self.errors, self.warnings)?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}
