//! `xtask import` on copies of specs, against official-format files of our own: the real spec
//! with one endpoint deleted (`tests/import/receipts.json`), and the drift fixture spec with
//! the operations and definitions `tests/drift/news.json` adds.

use std::path::{Path, PathBuf};

use generator::tools::import::{DOC_PLACEHOLDER, LABEL_PLACEHOLDER, import};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh copy of the spec directory `from`, removed again when dropped.
struct SpecCopy(PathBuf);

impl SpecCopy {
    fn new(from: &Path, name: &str) -> SpecCopy {
        let root = std::env::temp_dir().join(format!("import-{name}-{}", std::process::id()));
        let dir = root.join("spec");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
            }
        }
        SpecCopy(dir)
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.0.join(file)).unwrap()
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.0.join(file), text).unwrap();
    }

    /// Replaces every doc and label placeholder with a doc or a label (each a different one);
    /// returns how many.
    fn write_docs(&self) -> usize {
        let mut written = 0;
        for entry in std::fs::read_dir(&self.0).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines = Vec::new();
            for line in text.lines() {
                let indent = &line[..line.len() - line.trim_start().len()];
                if line.trim() == DOC_PLACEHOLDER {
                    written += 1;
                    lines.push(format!(
                        "{indent}doc: Written by a person, number {written}."
                    ));
                } else if line.trim() == LABEL_PLACEHOLDER {
                    written += 1;
                    lines.push(format!("{indent}ko: 사람이 쓴 요약 {written}"));
                } else {
                    lines.push(line.to_owned());
                }
            }
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        }
        written
    }

    fn generate(&self) -> Result<generator::Generated, generator::Report> {
        generator::generate(&self.0, &manifest().join("../templates"))
    }

    fn import(
        &self,
        official: &Path,
        name: &str,
    ) -> Result<generator::tools::import::Imported, String> {
        import(&self.0, &std::fs::read_to_string(official).unwrap(), name)
    }

    fn drift(&self, official: &Path) -> generator::tools::drift::Drift {
        let loaded = generator::load::load_dir(&self.0).unwrap_or_else(|r| panic!("{r}"));
        let text = std::fs::read_to_string(official).unwrap();
        generator::tools::drift::drift(&loaded, &text, "FILE").unwrap()
    }
}

impl Drop for SpecCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.0.parent().unwrap());
    }
}

/// `text` without the block that starts with the line `header` (and everything indented
/// deeper below it).
fn remove_block(text: &str, header: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == header).unwrap();
    let indent = header.len() - header.trim_start().len();
    let end = (start + 1..lines.len())
        .find(|&i| lines[i].len() - lines[i].trim_start().len() <= indent)
        .unwrap_or(lines.len());
    let mut kept = lines[..start].to_vec();
    kept.extend(&lines[end..]);
    kept.join("\n") + "\n"
}

/// The lines of the public API listing that start with `prefix`.
fn listing(generated: &generator::Generated, prefix: &str) -> Vec<String> {
    generated.files[generator::emit::PUBLIC_API]
        .lines()
        .filter(|l| l.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_imported_endpoint_regenerates_the_deleted_method() {
    let official = manifest().join("tests/import/receipts.json");
    let real = manifest().join("../spec");
    let before = generator::generate(&real, &manifest().join("../templates")).unwrap();
    let method = listing(&before, "method Client::issue_receipt(");
    assert_eq!(method.len(), 1, "{method:?}");

    let copy = SpecCopy::new(&real, "receipt");
    let text = copy.read("cash_receipt.yaml");
    let text = remove_block(&text, "  issue_receipt:");
    copy.write(
        "cash_receipt.yaml",
        &remove_block(&text, "  IssueReceiptRequest:"),
    );
    assert!(copy.drift(&official).text.contains(
        "missing operation: POST /receipts/{imp_uid} (issueReceipt): cargo xtask import \
             --from FILE issueReceipt\n"
    ));

    let imported = copy.import(&official, "issueReceipt").unwrap();
    assert!(imported.file.ends_with("cash_receipt.yaml") && !imported.created);
    assert_eq!(
        imported.added,
        ["endpoint `issue_receipt`", "type `IssueReceiptRequest`"]
    );
    let skeleton = copy.read("cash_receipt.yaml");
    for expected in [
        "    official: issueReceipt\n    official_response: ReceiptResponse\n",
        "    body: IssueReceiptRequest\n    response: CashReceipt\n",
        "      kind:\n        type: CashReceiptType\n        wire: type\n        optional: true\n",
        "      identifier:\n        type: string\n        # doc:",
    ] {
        assert!(skeleton.contains(expected), "{expected}\n---\n{skeleton}");
    }

    // Validation refuses every placeholder, and nothing else.
    let report = copy
        .generate()
        .err()
        .expect("placeholders must not generate");
    assert_eq!(report.errors(), imported.placeholders, "{report}");
    let report = report.to_string();
    assert_eq!(
        report.matches("has no doc").count() + report.matches("has no Korean label").count(),
        imported.placeholders,
        "{report}"
    );

    assert_eq!(copy.write_docs(), imported.placeholders);
    let after = copy.generate().unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(listing(&after, "method Client::issue_receipt("), method);
    assert_eq!(
        listing(&after, "type IssueReceiptRequest "),
        listing(&before, "type IssueReceiptRequest ")
    );
    assert_eq!(copy.drift(&official).missing_operations, 0);
}

#[test]
fn referenced_definitions_and_new_categories_are_imported_too() {
    let official = manifest().join("tests/drift/news.json");
    let copy = SpecCopy::new(&manifest().join("tests/drift/spec"), "news");

    let imported = copy.import(&official, "cancelOrder").unwrap();
    let mut placeholders = imported.placeholders;
    assert_eq!(
        imported.added,
        [
            "endpoint `cancel_order`",
            "type `CancelOrderRequest`",
            "type `Coupon`",
            "type `CouponValidity`"
        ]
    );
    let shop = copy.read("shop.yaml");
    for expected in [
        "  cancel_order:\n",
        "    path: /orders/{order_id}/cancel\n",
        "    idempotent: false",
        "      coupon:\n        type: Coupon\n        optional: true\n",
        "  Coupon:\n    # doc: write this in your own words\n    official: CouponAnnotation\n",
        "      code:\n        type: string\n        # doc:",
        "      kind:\n        type: string\n        wire: type\n        optional: true\n        \
         # doc: write this in your own words\n        # official values: fixed, percent (an enum \
         type may fit)\n",
        "      validity:\n        type: CouponValidity\n",
        "  CouponValidity:\n    # doc: write this in your own words\n    fields:\n      from:\n        \
         type: integer\n",
    ] {
        assert!(shop.contains(expected), "{expected}\n---\n{shop}");
    }
    // The endpoint goes with the other endpoints, its types after the other types.
    assert!(shop.find("  cancel_order:") < shop.find("types:"));
    assert!(shop.find("  RefundRequest:") < shop.find("  CancelOrderRequest:"));

    let imported = copy.import(&official, "GET /coupons/{coupon_id}").unwrap();
    placeholders += imported.placeholders;
    assert!(imported.created && imported.file.ends_with("coupon.yaml"));
    assert_eq!(imported.added, ["endpoint `coupons`"]);
    let coupon = copy.read("coupon.yaml");
    assert!(
        coupon.starts_with(&format!(
            "category: coupon\n{DOC_PLACEHOLDER}\n{LABEL_PLACEHOLDER}\nofficial: [coupon]\n\
             endpoints:\n  coupons:\n"
        )),
        "{coupon}"
    );
    let imported = copy.import(&official, "GET /coupons").unwrap();
    placeholders += imported.placeholders;
    assert_eq!(imported.added, ["endpoint `coupons_coupons`"]);
    // Without `x-portone-category`, to the category of the spec's endpoints with its tag.
    let imported = copy.import(&official, "addMemo").unwrap();
    placeholders += imported.placeholders;
    assert!(imported.file.ends_with("shop.yaml"), "{imported:?}");
    assert_eq!(
        imported.added,
        ["endpoint `add_memo`", "type `AddMemoRequest`"]
    );

    let d = copy.drift(&official);
    assert_eq!(
        (d.missing_operations, d.missing_definitions),
        (0, 0),
        "{}",
        d.text
    );
    // cancel_order: endpoint and its label, parameter, body type and its field, Coupon and its
    // three fields, CouponValidity and its two; the new category, two endpoints, their three
    // labels and one parameter; add_memo: endpoint and its label, parameter, body type and its
    // field.
    assert_eq!(placeholders, 12 + 7 + 5);
    assert_eq!(copy.write_docs(), placeholders);
    let generated = copy.generate().unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(
        listing(&generated, "method Client::cancel_order("),
        [
            "method Client::cancel_order(&self, order_id: &str, body: &CancelOrderRequest) -> \
          Call<'_, Order> // POST /orders/{order_id}/cancel, never retried"
        ]
    );
    assert_eq!(
        listing(&generated, "field Coupon.code: "),
        ["field Coupon.code: String // wire \"code\""]
    );
    assert_eq!(listing(&generated, "field CouponValidity.").len(), 2);
}

#[test]
fn import_refuses_what_it_cannot_add() {
    let official = manifest().join("tests/drift/news.json");
    let copy = SpecCopy::new(&manifest().join("tests/drift/spec"), "refusals");
    let before = copy.read("shop.yaml");
    for (name, error) in [
        (
            "getOrder",
            "spec/ already has GET /orders/{order_id} as `get_order`",
        ),
        (
            "OrderAnnotation",
            "spec/ already models `OrderAnnotation` as `Order`",
        ),
        (
            "OrderResponse",
            "spec/ already accounts for `OrderResponse`",
        ),
        (
            "coupons",
            "name one as \"METHOD /path\": \"GET /coupons\", \"GET /coupons/{coupon_id}\"",
        ),
        (
            "nothing",
            "the file has no operation or definition named `nothing`",
        ),
        ("GET /nowhere", "the file has no operation GET /nowhere"),
    ] {
        let err = copy.import(&official, name).unwrap_err();
        assert!(err.contains(error), "{name}: {err}");
    }
    assert_eq!(
        copy.read("shop.yaml"),
        before,
        "a refused import writes nothing"
    );
}
