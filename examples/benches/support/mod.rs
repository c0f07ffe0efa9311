//! Shared by the benchmarks: the plain serde structs a hand-written client would decode a
//! payment into (the baseline), and reading criterion's medians back.

#![allow(dead_code)] // each benchmark uses part of it

use std::path::PathBuf;
use std::time::SystemTime;

use serde::Deserialize;

/// The plain pub struct a hand-written client would decode into (open enums as `String`,
/// amounts as `f64`, timestamps as `i64`).
#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainPayment {
    pub imp_uid: String,
    pub merchant_uid: String,
    pub pay_method: Option<String>,
    pub channel: Option<String>,
    pub pg_provider: Option<String>,
    pub emb_pg_provider: Option<String>,
    pub pg_tid: Option<String>,
    pub pg_id: Option<String>,
    pub sandbox: Option<bool>,
    pub escrow: Option<bool>,
    pub apply_num: Option<String>,
    pub bank_code: Option<String>,
    pub bank_name: Option<String>,
    pub card_code: Option<String>,
    pub card_name: Option<String>,
    pub card_issuer_code: Option<String>,
    pub card_issuer_name: Option<String>,
    pub card_publisher_code: Option<String>,
    pub card_publisher_name: Option<String>,
    pub card_quota: Option<i64>,
    pub card_number: Option<String>,
    pub card_type: Option<i64>,
    pub vbank_code: Option<String>,
    pub vbank_name: Option<String>,
    pub vbank_num: Option<String>,
    pub vbank_holder: Option<String>,
    pub vbank_date: Option<i64>,
    pub vbank_issued_at: Option<i64>,
    pub name: Option<String>,
    pub amount: f64,
    pub cancel_amount: f64,
    pub currency: String,
    pub buyer_name: Option<String>,
    pub buyer_email: Option<String>,
    pub buyer_tel: Option<String>,
    pub buyer_addr: Option<String>,
    pub buyer_postcode: Option<String>,
    pub custom_data: Option<String>,
    pub user_agent: Option<String>,
    pub status: String,
    pub started_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub fail_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub receipt_url: Option<String>,
    pub cancel_history: Option<Vec<PlainCancellation>>,
    pub deposit_history: Option<Vec<PlainDeposit>>,
    pub cancel_receipt_urls: Option<Vec<String>>,
    pub cash_receipt_issued: Option<bool>,
    pub customer_uid: Option<String>,
    pub customer_uid_usage: Option<String>,
    pub promotion: Option<PlainPromotion>,
    pub extension: Option<serde_json::Value>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainCancellation {
    pub pg_tid: Option<String>,
    pub amount: f64,
    pub cancelled_at: i64,
    pub reason: Option<String>,
    pub cancellation_id: Option<String>,
    pub receipt_url: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainDeposit {
    pub pg_tid: Option<String>,
    pub amount: f64,
    pub depositor_name: Option<String>,
    pub deposited_at: i64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainPromotion {
    pub id: String,
    pub discount: f64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainEnvelope<T> {
    pub code: i64,
    pub message: Option<String>,
    pub response: Option<T>,
}

/// The median (seconds) of benchmark `id` (`group/function`) if this process measured it.
pub fn median(id: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_home().join(id).join("new/estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t >= since);
    if !fresh {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(json["median"]["point_estimate"].as_f64()? * 1e-9)
}

/// Where criterion writes its results, found the way criterion finds it.
fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let metadata = std::env::var_os("CARGO").and_then(|cargo| {
        std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .ok()
    });
    metadata
        .and_then(|out| serde_json::from_slice::<serde_json::Value>(&out.stdout).ok())
        .and_then(|m| m["target_directory"].as_str().map(PathBuf::from))
        .map_or_else(
            || PathBuf::from("target/criterion"),
            |t| t.join("criterion"),
        )
}
