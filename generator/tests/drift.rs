//! `xtask drift` logic against small official-style schemas of our own.

use std::path::Path;

fn fixture_spec() -> generator::spec::Spec {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok/everything");
    generator::load::load_dir(&dir)
        .unwrap_or_else(|r| panic!("{r}"))
        .spec
}

fn drift(file: &str) -> generator::drift::Drift {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drift")
        .join(file);
    generator::drift::drift(&fixture_spec(), &std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_matching_schema_has_nothing_missing() {
    let d = drift("matching.json");
    assert_eq!(
        (d.missing_operations, d.missing_definitions),
        (0, 0),
        "{}",
        d.text
    );
    // Our spec is more precise than the file in a few deliberate places; each is listed.
    assert!(
        d.text
            .contains("parameter `state`: official string, spec enum OrderState"),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("parameter `since`: official integer, spec timestamp"),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("only in spec: DELETE /old/{code} (old_lookup; deprecated, legacy feature)"),
        "{}",
        d.text
    );
    assert!(
        d.text
            .ends_with(&format!("differing fields: {}\n", d.differing_fields))
    );
    insta::assert_snapshot!(d.text);
}

#[test]
fn a_newer_schema_reports_what_we_lack() {
    let d = drift("newer.json");
    assert_eq!(d.missing_operations, 2, "{}", d.text);
    assert_eq!(d.missing_definitions, 1, "{}", d.text);
    assert!(
        d.text
            .contains("missing operation: POST /orders/{order_id}/cancel"),
        "{}",
        d.text
    );
    assert!(
        d.text.contains("(official category coupon, not mapped)"),
        "{}",
        d.text
    );
    assert!(
        d.text.contains("missing definition: CouponAnnotation"),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("Order (OrderAnnotation): field `total`: official string, spec amount"),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("Order (OrderAnnotation): field `memo` only in official"),
        "{}",
        d.text
    );
}

#[test]
fn not_a_schema_is_a_clear_error() {
    let err = generator::drift::drift(&fixture_spec(), "{ not json").unwrap_err();
    assert!(err.contains("not a JSON schema file"), "{err}");
    let err = generator::drift::drift(&fixture_spec(), "{}").unwrap_err();
    assert!(err.contains("no `paths`"), "{err}");
}
