//! The report of a comparison: the news by section, the stale notes, the summary line of
//! explained differences and the counts, and the listing of the explained differences.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::compare::{By, Comparison};
use super::rules::RULES;

/// The outcome of a comparison.
#[derive(Debug)]
pub struct Drift {
    /// The report: unexplained differences and missing items by section, stale notes, the
    /// summary line of explained differences, and a last line with every count.
    pub text: String,
    /// Every explained difference with what explains it (`cargo xtask drift --explained`).
    pub explained: String,
    /// Operations in the official file but not in `spec/`.
    pub missing_operations: usize,
    /// Definitions in the official file that no spec type or endpoint accounts for.
    pub missing_definitions: usize,
    /// Differences explained by a refinement rule.
    pub by_rule: usize,
    /// Differences explained by a `why:` note in `spec/`.
    pub by_note: usize,
    /// Endpoints missing from the file because PortOne dropped them (`deprecated:`).
    pub by_deprecation: usize,
    /// Differences nothing explains.
    pub unexplained: usize,
    /// Notes in `spec/` that explain no difference in this file.
    pub stale_notes: usize,
}

impl Drift {
    /// Whether the file brings no news: nothing unexplained, missing or stale.
    pub fn is_clean(&self) -> bool {
        self.unexplained == 0
            && self.stale_notes == 0
            && self.missing_operations == 0
            && self.missing_definitions == 0
    }
}

/// The report of a finished comparison.
pub(super) fn finish(cx: Comparison) -> Drift {
    let mut sections: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut explained: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let (mut by_rule, mut by_note, mut by_deprecation, mut unexplained) = (0, 0, 0, 0);
    for d in &cx.differences {
        let reason = match &d.by {
            None => {
                unexplained += 1;
                sections.entry(&d.section).or_default().push(&d.text);
                continue;
            }
            Some(By::Rule(r)) => {
                by_rule += 1;
                format!("rule {}", r.name())
            }
            Some(By::Note(why)) => {
                by_note += 1;
                format!("why: {why}")
            }
            Some(By::Deprecated) => {
                by_deprecation += 1;
                "deprecated: PortOne dropped it".to_owned()
            }
        };
        explained
            .entry(&d.section)
            .or_default()
            .push(format!("{}\n      {reason}", d.text));
    }
    for (section, line) in &cx.missing {
        sections.entry(section).or_default().push(line);
    }
    let stale = cx.notes.stale(cx.loaded);
    let mut text = String::new();
    for (section, lines) in &sections {
        let _ = writeln!(text, "== {section}");
        for l in lines {
            let _ = writeln!(text, "  {l}");
        }
    }
    if !stale.is_empty() {
        let _ = writeln!(text, "== (stale notes in spec/)");
        let _ = writeln!(text, "{}", cx.loaded.sources.report(stale.clone()));
    }
    let total = by_rule + by_note + by_deprecation;
    let _ = writeln!(
        text,
        "{total} differences explained ({by_rule} by refinement rules, {by_note} by `why:` \
         notes and {by_deprecation} by `deprecated:` entries in spec/)"
    );
    let _ = writeln!(
        text,
        "unexplained differences: {unexplained}, missing operations: {}, missing \
         definitions: {}, stale notes: {}",
        cx.missing_operations,
        cx.missing_definitions,
        stale.len()
    );
    let mut listing = String::from("refinement rules:\n");
    for r in RULES {
        let _ = writeln!(listing, "  {}: {}", r.name(), r.why);
    }
    for (section, lines) in &explained {
        let _ = writeln!(listing, "== {section}");
        for l in lines {
            let _ = writeln!(listing, "  {l}");
        }
    }
    Drift {
        text,
        explained: listing,
        missing_operations: cx.missing_operations,
        missing_definitions: cx.missing_definitions,
        by_rule,
        by_note,
        by_deprecation,
        unexplained,
        stale_notes: stale.len(),
    }
}
