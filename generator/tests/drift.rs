//! `xtask drift` against small official-format schemas of our own (`tests/drift/*.json`) and
//! the spec in `tests/drift/spec`, which differs from `official.json` once in each way drift
//! explains: by every refinement rule, by each kind of note, and by a deprecation.

use std::path::{Path, PathBuf};

use generator::tools::drift::{Drift, RULES};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drift")
}

fn spec_files() -> Vec<(String, String)> {
    ["service.yaml", "shop.yaml"]
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(dir().join("spec").join(f)).unwrap();
            (format!("spec/{f}"), text)
        })
        .collect()
}

fn drift_with(files: Vec<(String, String)>, official: &str) -> Drift {
    let loaded = generator::load::load_texts(files).unwrap_or_else(|r| panic!("{r}"));
    generator::validate::validate(&loaded).unwrap_or_else(|r| panic!("{r}"));
    let text = std::fs::read_to_string(dir().join(official)).unwrap();
    generator::tools::drift::drift(&loaded, &text, official).unwrap()
}

fn drift(official: &str) -> Drift {
    drift_with(spec_files(), official)
}

#[test]
fn explained_differences_are_one_summary_line() {
    let d = drift("official.json");
    assert_eq!(
        d.text,
        "18 differences explained (9 by refinement rules, 7 by `why:` notes and 2 by \
         `deprecated:` entries in spec/)\nunexplained differences: 0, missing operations: 0, \
         missing definitions: 0, stale notes: 0\n"
    );
    assert!(d.is_clean());
    for rule in RULES {
        assert!(
            d.explained
                .contains(&format!("\n      rule {}\n", rule.name())),
            "rule {} explains nothing in the fixture:\n{}",
            rule.name(),
            d.explained
        );
    }
    insta::assert_snapshot!(d.explained);
}

#[test]
fn unexplained_differences_and_missing_items_are_listed() {
    let d = drift("news.json");
    let expected = [
        "== (definitions)",
        "  missing definition: CouponAnnotation: cargo xtask import --from news.json \
         CouponAnnotation",
        "  Order (OrderAnnotation): field `count`: official string, spec integer",
        "  Order (OrderAnnotation): field `memo` only in official",
        "== (new category `coupon`)",
        "  missing operation: GET /coupons (coupons): cargo xtask import --from news.json \"GET \
         /coupons\"",
        "== shop",
        "  missing operation: POST /orders/{order_id}/cancel (cancelOrder): cargo xtask import \
         --from news.json cancelOrder",
        "  GET /orders/{order_id} (get_order): parameter `state`: official value `cancelled` \
         missing from `OrderState`",
        // No `x-portone-category`: the tag it shares with get_order says where it goes.
        "  missing operation: POST /orders/{order_id}/memo (addMemo): cargo xtask import --from \
         news.json addMemo",
    ];
    for line in expected {
        assert!(
            d.text.contains(&format!("{line}\n")),
            "{line}\n---\n{}",
            d.text
        );
    }
    assert_eq!(
        (
            d.unexplained,
            d.missing_operations,
            d.missing_definitions,
            d.stale_notes
        ),
        (3, 4, 1, 0),
        "{}",
        d.text
    );
    // The explained ones are still only counted.
    assert!(
        !d.text.contains("spec timestamp") && !d.text.contains("only in spec"),
        "{}",
        d.text
    );
    assert!(!d.is_clean());
}

#[test]
fn notes_that_explain_nothing_are_reported_where_they_are() {
    let d = drift("fixed.json");
    assert_eq!((d.stale_notes, d.unexplained), (6, 0), "{}", d.text);
    for (message, key) in [
        (
            "`official_differs.route` of `find_order` explains nothing",
            "official_differs: { route",
        ),
        (
            "`official_differs.omits` of `refund_order` names `pg`",
            "official_differs: { omits: [pg]",
        ),
        (
            "`official_differs.omits` of `Order` names `legacy_total`",
            "official_differs: { omits: [legacy_total]",
        ),
        ("the note on field `Order.url`", "url: {"),
        ("the note on field `Order.extension`", "extension: {"),
        (
            "the note on field `RefundRequest.notice_url`",
            "notice_url: {",
        ),
    ] {
        let line = spec_files()[1]
            .1
            .lines()
            .position(|l| l.contains(key))
            .unwrap()
            + 1;
        let at = d
            .text
            .find(message)
            .unwrap_or_else(|| panic!("{message}\n{}", d.text));
        assert!(
            d.text[at..].contains(&format!("spec/shop.yaml:{line}:")),
            "{message} should point at line {line}\n{}",
            d.text
        );
    }
    assert!(!d.is_clean());
}

/// A note records the official type it explains: once the official type changes again, the
/// difference is news and the note is stale.
#[test]
fn a_note_explains_only_the_difference_it_records() {
    let text = std::fs::read_to_string(dir().join("official.json"))
        .unwrap()
        .replace(
            r#""url": {
     "type": "array","#,
            r#""url": {
     "type": "boolean","#,
        );
    let path = std::env::temp_dir().join(format!("drift-boolean-{}.json", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let d = drift(path.to_str().unwrap());
    std::fs::remove_file(&path).unwrap();
    assert!(
        d.text
            .contains("Order (OrderAnnotation): field `url`: official boolean, spec string"),
        "{}",
        d.text
    );
    assert_eq!((d.unexplained, d.stale_notes), (1, 1), "{}", d.text);
}

#[test]
fn an_empty_why_is_refused_where_it_is() {
    let mut files = spec_files();
    let shop = &mut files[1].1;
    *shop = shop.replace(
        r#"why: "One webhook URL, sent as a string.""#,
        r#"why: " ""#,
    );
    let line = shop
        .lines()
        .position(|l| l.contains(r#"why: " ""#))
        .unwrap()
        + 1;
    let report = generator::load::load_texts(files)
        .err()
        .expect("an empty why must not load")
        .to_string();
    assert!(report.contains("`why` is empty"), "{report}");
    assert!(
        report.contains(&format!("spec/shop.yaml:{line}:")),
        "{report}"
    );
}

#[test]
fn a_field_note_records_one_difference() {
    let mut files = spec_files();
    files[1].1 = files[1].1.replace(
        "{ absent: true, why: \"Sent only",
        "{ absent: true, type: object, why: \"Sent only",
    );
    let report = generator::load::load_texts(files)
        .err()
        .expect("a note with both `type` and `absent` must not load")
        .to_string();
    assert!(report.contains("give exactly one of `type:`"), "{report}");
    assert!(report.contains("fields.extension.official"), "{report}");
}

#[test]
fn not_a_schema_is_a_clear_error() {
    let loaded = generator::load::load_texts(spec_files()).unwrap();
    let err = generator::tools::drift::drift(&loaded, "{ not json", "f").unwrap_err();
    assert!(err.contains("not a JSON schema file"), "{err}");
    let err = generator::tools::drift::drift(&loaded, "{}", "f").unwrap_err();
    assert!(err.contains("no `paths`"), "{err}");
}
