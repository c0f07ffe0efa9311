//! What a spec edit does to users, as `cargo xtask gen` reports it: the public API listing of
//! a copy of the real spec is compared before and after the edit.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use generator::emit::PUBLIC_API as PATH;
use generator::tools::semver::{Level, check_bump, classify};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The listing generated from `spec/` with `edit` applied to one of its files.
fn listing_after(file: &str, edit: impl Fn(&str) -> String) -> String {
    let dir = copy_of_spec();
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit must change {file}");
    std::fs::write(&path, edited).unwrap();
    let listing = listing_of(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    listing
}

fn listing_of(spec: &Path) -> String {
    let generated =
        generator::generate(spec, &root().join("templates")).unwrap_or_else(|r| panic!("{r}"));
    generated.files[PATH].clone()
}

/// A fresh copy of `spec/` (one per call: the tests run in parallel).
fn copy_of_spec() -> PathBuf {
    static COPIES: AtomicUsize = AtomicUsize::new(0);
    let n = COPIES.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("portone-public-api-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(root().join("spec")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    dir
}

fn baseline() -> String {
    listing_of(&root().join("spec"))
}

#[test]
fn the_committed_listing_is_the_real_specs() {
    let committed = std::fs::read_to_string(root().join("generated").join(PATH)).unwrap();
    assert_eq!(committed, baseline(), "run `cargo xtask gen`");
}

#[test]
fn a_required_request_field_made_optional_is_breaking_and_needs_a_bump() {
    let after = listing_after("payment_validation.yaml", |text| {
        text.replacen(
            "amount: { type: amount, doc: \"Amount the buyer must pay.\"",
            "amount: { type: amount, optional: true, doc: \"Amount the buyer must pay.\"",
            1,
        )
    });
    let change = classify(&baseline(), &after);
    assert_eq!(change.level, Level::Breaking);
    let report = change.describe();
    assert!(
        report.contains("field PaymentPrepareRequest.amount: required -> optional"),
        "{report}"
    );
    assert!(
        report.contains("fn PaymentPrepareRequest::new: changed `new` signature"),
        "{report}"
    );
    let refusal = check_bump(&change, "").expect_err("same version");
    assert!(refusal.contains("version: 0."), "{refusal}");
}

#[test]
fn a_removed_response_field_is_named() {
    let after = listing_after("payment.yaml", |text| {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("receipt_url:"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    let change = classify(&baseline(), &after);
    assert_eq!(change.level, Level::Breaking);
    assert!(
        change
            .breaking
            .iter()
            .any(|b| b == "removed field Payment.receipt_url"),
        "{:?}",
        change.breaking
    );
}

#[test]
fn a_new_enum_value_is_additive() {
    let after = listing_after("payment.yaml", |text| {
        text.replacen(
            "      paid: Paid in full.\n",
            "      paid: Paid in full.\n      pending: Waiting for the PG's approval.\n",
            1,
        )
    });
    let change = classify(&baseline(), &after);
    assert_eq!(change.level, Level::Additive, "{}", change.describe());
    check_bump(&change, "").expect("additions need no bump");
}
