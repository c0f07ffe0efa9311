//! What a change to the public API listing (`generated/public-api.txt`, written by
//! `emit/listing.rs`) means for users: [`classify`] compares two listings item by item and
//! [`check_bump`] asks for the version bump and CHANGELOG entry semver requires.

use std::collections::BTreeMap;
use std::fmt::Write as _;

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

/// Compares two listings (as `emit` writes them, header lines included or not).
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
