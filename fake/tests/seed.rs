//! Starting from a known ledger: seeds (from JSON, a file, the binary's `--seed`), what the
//! fake answers about what was seeded, broken seeds, and `reset`.

mod shop;

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::Duration;

use portone_v1::{CancelPaymentRequest, Client, GetPaymentQuery, RetryPolicy};
use portone_v1_fake::{FakePortOne, Fault, Operation, PayMethod, Seed};
use serde_json::json;

/// A payment refunded in part, a billing key, a schedule on it and a prepared amount: the
/// seed of the crate README.
const SEED: &str = r#"{
  "payments": [
    {
      "imp_uid": "imp_100000000001",
      "merchant_uid": "order-1001",
      "amount": 64900,
      "cancel_amount": 5000,
      "currency": "KRW",
      "status": "paid",
      "pay_method": "card",
      "pg_provider": "html5_inicis",
      "card_number": "5361-8112-3456-1234",
      "started_at": 1700000000,
      "paid_at": 1700000060,
      "cancel_history": [{ "amount": 5000, "cancelled_at": 1700000300, "reason": "size" }],
      "user_agent": "Mozilla/5.0",
      "tax_free": 0
    }
  ],
  "billing_keys": [
    {
      "customer_uid": "customer_1234",
      "pg_provider": "nice",
      "pg_id": "nictest04m",
      "card_number": "536181******1234",
      "inserted": 1700000000,
      "updated": 0
    }
  ],
  "schedules": [
    {
      "customer_uid": "customer_1234",
      "merchant_uid": "order-sub-1",
      "schedule_at": 1700086400,
      "amount": 9900,
      "name": "월간 구독권",
      "schedule_status": "scheduled"
    }
  ],
  "prepared": [{ "merchant_uid": "order-1002", "amount": 12000 }]
}"#;

fn client(fake: &FakePortOne) -> Client {
    shop::builder(fake)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn seeded() -> FakePortOne {
    let seed = Seed::from_json(SEED).expect("the README's seed reads");
    let fake = FakePortOne::builder().seed(seed).start().await;
    fake.set_now(1_700_000_000);
    fake
}

#[tokio::test]
async fn a_seeded_payment_is_answered_as_seeded_and_the_rules_apply_to_it() {
    let fake = seeded().await;
    let client = client(&fake);
    let query = GetPaymentQuery::new();
    let payment = client
        .get_payment("imp_100000000001", &query)
        .await
        .unwrap();
    assert_eq!(payment.amount, 64_900);
    assert_eq!(payment.cancel_amount, 5_000);
    assert_eq!(
        payment.user_agent.as_deref(),
        Some("Mozilla/5.0"),
        "kept as seeded"
    );
    let raw = fake.payment("imp_100000000001").expect("seeded");
    assert_eq!(
        raw["card_number"], "536181******1234",
        "a full number is masked"
    );
    assert_eq!(raw["cancel_history"][0]["reason"], "size");
    assert!(raw["cancel_history"][0]["cancellation_id"].is_string());
    assert_eq!(raw["failed_at"], 0, "an unset time is 0");
    assert_eq!(
        raw["promotion"],
        json!(null),
        "what was not seeded is unset"
    );

    // The order id of a seeded payment is taken; the prepared amount is enforced.
    assert!(
        fake.pay("order-1001", 64_900, PayMethod::Card)
            .await
            .is_err()
    );
    assert!(
        fake.pay("order-1002", 11_000, PayMethod::Card)
            .await
            .is_err()
    );

    // The rest can be refunded, with the checksum of what the seed left.
    let rest = CancelPaymentRequest::by_imp_uid("imp_100000000001")
        .checksum(59_900)
        .amount(59_900);
    let cancelled = client.cancel_payment(&rest).await.unwrap();
    assert_eq!(cancelled.cancel_amount, 64_900);
    assert_eq!(cancelled.cancel_history.map(|h| h.len()), Some(2));
}

#[tokio::test]
async fn a_seeded_schedule_runs_on_the_seeded_key() {
    let fake = seeded().await;
    let ran = fake.run_due_schedules(1_700_086_400).await;
    assert_eq!(ran.len(), 1);
    let payment = fake.payment(&ran[0]).expect("charged");
    assert_eq!(payment["status"], "paid");
    assert_eq!(payment["customer_uid_usage"], "payment.scheduled");
    assert_eq!(payment["card_number"], "536181******1234");
    let key = client(&fake).get_billing_key("customer_1234").await;
    assert!(key.is_ok(), "{key:?}");
}

#[test]
fn a_broken_seed_says_where_and_what() {
    let cases = [
        ("[]", "expected an object, found an array"),
        (
            "{",
            "not JSON: EOF while parsing an object at line 1 column 1",
        ),
        (r#"{"refunds": []}"#, "`refunds`: is not a known key"),
        (
            r#"{"prepared": [{"merchant_uid": "o"}]}"#,
            "`prepared[0].amount`: is required",
        ),
        (
            r#"{"prepared": [{"merchant_uid": "o", "amount": "1000"}]}"#,
            "`prepared[0].amount`: expected a number, found a string",
        ),
        (
            r#"{"prepared": [{"merchant_uid": "o", "amount": 1, "amout": 1}]}"#,
            "`prepared[0].amout`: is not a known key",
        ),
        (
            r#"{"prepared": [{"merchant_uid": "o", "amount": 1, "currency": "KRX"}]}"#,
            "`prepared[0].currency`: \"KRX\" is not a value of `Currency`",
        ),
        (
            r#"{"prepared": [{"merchant_uid": "o", "amount": 1}, {"merchant_uid": "o", "amount": 2}]}"#,
            "`prepared[1].merchant_uid`: `o` is seeded twice",
        ),
    ];
    for (seed, error) in cases {
        let refused = Seed::from_json(seed).expect_err(seed);
        assert_eq!(refused.to_string(), error, "{seed}");
    }
    let mut payment: serde_json::Value = serde_json::from_str(SEED).unwrap();
    payment["payments"][0]["cancel_amount"] = json!(1);
    let refused = Seed::from_json(&payment.to_string()).unwrap_err();
    assert_eq!(refused.at(), "payments[0].cancel_amount");
    assert!(
        refused.message().contains("sum of `cancel_history`"),
        "{refused}"
    );
}

#[test]
fn a_seed_file_error_names_the_file() {
    let dir = std::env::temp_dir().join(format!("portone-fake-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.json");
    let refused = Seed::from_file(&missing).unwrap_err();
    assert_eq!(refused.file(), Some(missing.as_path()));
    assert!(
        refused
            .to_string()
            .starts_with(&missing.display().to_string())
    );

    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"payments": [{"imp_uid": 1}]}"#).unwrap();
    let refused = Seed::from_file(&broken).unwrap_err();
    assert_eq!(
        refused.to_string(),
        format!(
            "{}: `payments[0].imp_uid`: expected a string, found a number",
            broken.display()
        )
    );
    assert!(Seed::from_json(SEED).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn reset_goes_back_to_the_seed() {
    let fake = seeded().await;
    let client = client(&fake);
    let imp_uid = fake.pay("order-new", 1_000, PayMethod::Card).await.unwrap();
    fake.inject(Operation::GetPayment, Fault::status(503));
    fake.advance(Duration::from_secs(60));
    assert!(
        client
            .get_payment(&imp_uid, &GetPaymentQuery::new())
            .await
            .is_err()
    );

    fake.reset();
    assert!(fake.requests().is_empty(), "the log is emptied");
    assert!(
        fake.payment(&imp_uid).is_none(),
        "what happened since is gone"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (fake.now() - now).abs() < 60,
        "the clock is real time again"
    );
    let seeded = client
        .get_payment("imp_100000000001", &GetPaymentQuery::new())
        .await;
    assert!(
        seeded.is_ok(),
        "the fault is gone and the seed is back: {seeded:?}"
    );

    let other = Seed::from_json(r#"{"prepared": [{"merchant_uid": "o", "amount": 1}]}"#).unwrap();
    fake.reset_to(other);
    assert!(fake.payment("imp_100000000001").is_none());
    fake.reset();
    assert!(
        fake.payment("imp_100000000001").is_none(),
        "the new seed is the start"
    );
}

#[tokio::test]
async fn the_binary_serves_its_seed_file_and_refuses_a_broken_one() {
    let dir = std::env::temp_dir().join(format!("portone-fake-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"billing_keys": [{"customer_uid": "c"}]}"#).unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_portone-v1-fake"))
        .arg("--seed")
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains(&broken.display().to_string()), "{stderr}");
    assert!(
        stderr.contains("`billing_keys[0].pg_provider`: is required"),
        "{stderr}"
    );

    let good = dir.join("seed.json");
    std::fs::write(&good, SEED).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_portone-v1-fake"))
        .arg("--seed")
        .arg(&good)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    let base_url = first
        .trim()
        .strip_prefix("base URL:")
        .unwrap()
        .trim()
        .to_owned();
    let client = Client::builder()
        .credentials(portone_v1_fake::TEST_KEY, portone_v1_fake::TEST_SECRET)
        .base_url(&base_url)
        .build()
        .unwrap();
    let payment = client
        .get_payment("imp_100000000001", &GetPaymentQuery::new())
        .await;
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdout);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(payment.unwrap().merchant_uid, "order-1001");
}
