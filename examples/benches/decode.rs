//! Decoding a 100-payment page: the crate's `PaymentPage` against a plain
//! `#[derive(Deserialize)]` struct with the same fields, on the same bytes.
//!
//! The runtime's own decode path (`{code, message, response}` envelope -> payload) is
//! private to the runtime crate, so the primary pair decodes the payload with `serde_json::from_slice`:
//!
//! - `decode/plain_struct`: `from_slice::<PlainPage>(payload)` (open enums as `String`,
//!   amounts as `f64`, timestamps as `i64`).
//! - `decode/payment_page`: `from_slice::<portone_v1::PaymentPage>(payload)`.
//!
//! A second pair decodes the whole envelope body, for the cost of the path the client really
//! takes:
//!
//! - `envelope/plain_struct`: `from_slice::<PlainEnvelope<PlainPage>>(body)`.
//! - `envelope/runtime_path`: a copy of what `runtime/src/client/response.rs` does with a successful
//!   body: envelope and `PaymentPage` payload in one pass (the careful path, with JSON paths
//!   for `DecodeError`, only runs when that fails).
//!
//! After criterion's summary it prints both ratios from the medians in
//! `target/criterion/{decode,envelope}/*/new/estimates.json`.

#![recursion_limit = "256"] // for the large `json!` literals

use std::hint::black_box;
use std::time::SystemTime;

use criterion::{Criterion, Throughput};
use portone_v1::PaymentPage;
use serde::Deserialize;
use serde_json::{Value, json};

/// Budget for the crate's decoding relative to the plain struct.
mod support;
use support::*;

const TARGET_RATIO: f64 = 1.2;
const PAGE_SIZE: usize = 100;

/// Payment `i` of the page as PortOne returns it: every field present, unset ones null or 0.
/// Card payments mostly; every 5th a virtual account (deposited), some partly cancelled,
/// some failed, some with a billing key or a promotion.
fn payment_json(i: usize) -> Value {
    let vbank = i % 5 == 0;
    let failed = i % 11 == 4;
    let cancelled = !failed && i % 7 == 3;
    let amount = 1_000 + 1_370 * i as i64;
    let started = 1_714_540_800 + 600 * i as i64;
    let imp_uid = format!("imp_{:012}", 100_000_000_000 + i);
    let pg_tid = format!("StdpayCARDINIpayTest2024050114{:06}", i);
    let mut p = json!({
        "imp_uid": imp_uid,
        "merchant_uid": format!("order_20240501_{i:04}"),
        "pay_method": if vbank { "vbank" } else { "card" },
        "channel": if i % 3 == 0 { "mobile" } else { "pc" },
        "pg_provider": "html5_inicis",
        "emb_pg_provider": if i % 8 == 1 { json!("kakaopay") } else { Value::Null },
        "pg_tid": pg_tid,
        "pg_id": "INIpayTest",
        "sandbox": false,
        "escrow": false,
        "apply_num": if vbank { Value::Null } else { json!(format!("300{i:05}")) },
        "bank_code": null,
        "bank_name": null,
        "card_code": if vbank { Value::Null } else { json!("361") },
        "card_name": if vbank { Value::Null } else { json!("BC카드") },
        "card_issuer_code": if vbank { Value::Null } else { json!("361") },
        "card_issuer_name": if vbank { Value::Null } else { json!("BC카드") },
        "card_publisher_code": if vbank { Value::Null } else { json!("361") },
        "card_publisher_name": if vbank { Value::Null } else { json!("BC카드") },
        "card_quota": if vbank { 0 } else { (i % 4) as i64 * 3 },
        "card_number": if vbank { Value::Null } else { json!("910020*********5") },
        "card_type": if vbank { Value::Null } else { json!(0) },
        "vbank_code": if vbank { json!("004") } else { Value::Null },
        "vbank_name": if vbank { json!("KB국민은행") } else { Value::Null },
        "vbank_num": if vbank { json!(format!("T5{i:011}")) } else { Value::Null },
        "vbank_holder": if vbank { json!("（주）포트원") } else { Value::Null },
        "vbank_date": if vbank { started + 86_400 } else { 0 },
        "vbank_issued_at": if vbank { started + 40 } else { 0 },
        "name": format!("노르웨이 회전 의자 외 {}건", i % 4),
        "amount": amount,
        "cancel_amount": if cancelled { 1_000 } else { 0 },
        "currency": "KRW",
        "buyer_name": "홍길동",
        "buyer_email": format!("buyer{i}@example.com"),
        "buyer_tel": "010-4242-4242",
        "buyer_addr": "서울특별시 강남구 신사동",
        "buyer_postcode": "01181",
        "custom_data": if i % 2 == 0 { json!(format!("{{\"cart_id\":\"c_{i}\"}}")) } else { Value::Null },
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15",
        "status": if failed { "failed" } else if vbank && i % 2 == 0 { "ready" } else { "paid" },
        "started_at": started,
        "paid_at": if failed { 0 } else { started + 35 },
        "failed_at": if failed { started + 20 } else { 0 },
        "cancelled_at": if cancelled { started + 3_600 } else { 0 },
        "fail_reason": if failed { json!("[3011] 카드 한도 초과") } else { Value::Null },
        "cancel_reason": if cancelled { json!("size exchange") } else { Value::Null },
        "receipt_url": format!("https://iniweb.inicis.com/DefaultWebApp/mall/cr/cm/mCmReceipt_head.jsp?noTid={pg_tid}&noMethod=1"),
        "cancel_history": [],
        "cancel_receipt_urls": [],
        "cash_receipt_issued": false,
        "customer_uid": if i % 9 == 2 { json!(format!("customer_{i}")) } else { Value::Null },
        "customer_uid_usage": if i % 9 == 2 { json!("payment") } else { Value::Null }
    });
    if cancelled {
        p["cancel_history"] = json!([{
            "pg_tid": pg_tid,
            "amount": 1_000,
            "cancelled_at": started + 3_600,
            "reason": "size exchange",
            "cancellation_id": format!("cancel_{i}"),
            "receipt_url": format!("https://iniweb.inicis.com/receipt?noTid={pg_tid}&cancel=1")
        }]);
        p["cancel_receipt_urls"] = json!([format!(
            "https://iniweb.inicis.com/receipt?noTid={pg_tid}&cancel=1"
        )]);
    }
    if vbank && i % 2 == 1 {
        p["deposit_history"] = json!([{
            "pg_tid": pg_tid,
            "amount": amount,
            "depositor_name": "홍길동",
            "deposited_at": started + 7_200
        }]);
    }
    if i % 13 == 6 {
        p["promotion"] = json!({ "id": format!("promo_{i}"), "discount": 500 });
    }
    p
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainPage {
    total: i64,
    previous: i64,
    next: i64,
    list: Option<Vec<PlainPayment>>,
}

/// The envelope and payload in one pass, the shape `runtime/src/client/response.rs` reads a successful
/// body in (the runtime writes this two-field impl out by hand; the bench derives it).
#[derive(Deserialize)]
struct Direct<T> {
    code: i64,
    response: Option<T>,
}

/// What the client does with a successful body (errors become panics here).
fn runtime_path(body: &[u8]) -> PaymentPage {
    let direct: Direct<PaymentPage> = serde_json::from_slice(body).expect("envelope");
    assert_eq!(direct.code, 0);
    direct.response.expect("payload")
}

fn benches(c: &mut Criterion) {
    let page = json!({
        "total": 1_234,
        "previous": 0,
        "next": 2,
        "list": (0..PAGE_SIZE).map(payment_json).collect::<Vec<_>>()
    });
    let payload = serde_json::to_vec(&page).expect("JSON");
    let body =
        serde_json::to_vec(&json!({ "code": 0, "message": null, "response": page })).expect("JSON");

    // Both sides decode every payment, and agree.
    let typed: PaymentPage = serde_json::from_slice(&payload).expect("PaymentPage");
    let plain: PlainPage = serde_json::from_slice(&payload).expect("PlainPage");
    let (typed_list, plain_list) = (typed.list.expect("list"), plain.list.expect("list"));
    assert_eq!((typed_list.len(), plain_list.len()), (PAGE_SIZE, PAGE_SIZE));
    for (t, p) in typed_list.iter().zip(&plain_list) {
        assert_eq!(t.imp_uid, p.imp_uid);
        assert_eq!(t.status.as_str(), p.status);
        assert_eq!(t.amount.as_f64(), p.amount);
    }
    assert_eq!(runtime_path(&body).list.map(|l| l.len()), Some(PAGE_SIZE));

    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.bench_function("plain_struct", |b| {
        b.iter(|| serde_json::from_slice::<PlainPage>(black_box(&payload)).expect("decode"))
    });
    g.bench_function("payment_page", |b| {
        b.iter(|| serde_json::from_slice::<PaymentPage>(black_box(&payload)).expect("decode"))
    });
    g.finish();

    let mut g = c.benchmark_group("envelope");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("plain_struct", |b| {
        b.iter(|| {
            serde_json::from_slice::<PlainEnvelope<PlainPage>>(black_box(&body)).expect("decode")
        })
    });
    g.bench_function("runtime_path", |b| {
        b.iter(|| runtime_path(black_box(&body)))
    });
    g.finish();
}

fn main() {
    let started = SystemTime::now();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    let pairs = [
        (
            "payload: PaymentPage / plain struct",
            "decode/plain_struct",
            "decode/payment_page",
        ),
        (
            "envelope: runtime path / plain struct",
            "envelope/plain_struct",
            "envelope/runtime_path",
        ),
    ];
    let mut header = false;
    for (label, base, crate_side) in pairs {
        let (Some(base), Some(crate_side)) = (median(base, started), median(crate_side, started))
        else {
            continue;
        };
        if !header {
            println!(
                "\n== decode ({PAGE_SIZE} payments): medians of this run (criterion estimates.json)"
            );
            header = true;
        }
        let ratio = crate_side / base;
        println!(
            "{label:<40} {:>8.1} µs / {:>8.1} µs = {ratio:.3}x   target <= {TARGET_RATIO}x: {}",
            crate_side * 1e6,
            base * 1e6,
            if ratio <= TARGET_RATIO {
                "met"
            } else {
                "MISSED"
            }
        );
    }
}
