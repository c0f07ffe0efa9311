//! The client's overhead over a hand-written reqwest call, both against one loopback server.
//!
//! A minimal HTTP/1.1 keep-alive server on 127.0.0.1 answers `POST /users/getToken` with a
//! token and every other request with one realistic `Payment` in PortOne's
//! `{code, message, response}` envelope. Both sides run on the same single-threaded tokio
//! runtime as the server and use identically configured `reqwest::Client`s (separate pools):
//!
//! - `client/raw_reqwest`: `GET /payments/{imp_uid}` with the same headers the SDK sends
//!   (`Accept`, `User-Agent`, `Authorization: Bearer ...`), a status check, and
//!   `serde_json::from_slice` into a plain `#[derive(Deserialize)]` envelope + payment struct.
//! - `client/get_payment`: `portone_v1::Client::get_payment(...).await` (token fetched once
//!   before measuring; retries, per-attempt timeout, tracing span and envelope checks included).
//!
//! After criterion's summary it prints `get_payment / raw_reqwest` from the medians in
//! `target/criterion/client/*/new/estimates.json`.

#![recursion_limit = "256"] // for the large `json!` literals

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::SystemTime;

use criterion::Criterion;
use portone_v1::{Client, GetPaymentQuery, Payment};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Budget for `get_payment` relative to the raw call.
mod support;
use support::*;

const TARGET_RATIO: f64 = 1.05;
const IMP_UID: &str = "imp_123456789012";
const TOKEN: &str = "b3f1c9e0a7d24e8f9c6b5a4d3e2f1a0b9c8d7e6f";
const USER_AGENT: &str = "portone-v1-rust/0.1.0";

/// One payment as PortOne returns it: every field present, unset ones null or 0.
fn payment_json() -> serde_json::Value {
    json!({
        "imp_uid": IMP_UID,
        "merchant_uid": "order_20240501_0042",
        "pay_method": "card",
        "channel": "pc",
        "pg_provider": "html5_inicis",
        "emb_pg_provider": null,
        "pg_tid": "StdpayCARDINIpayTest20240501142233123456",
        "pg_id": "INIpayTest",
        "sandbox": false,
        "escrow": false,
        "apply_num": "30012345",
        "bank_code": null,
        "bank_name": null,
        "card_code": "361",
        "card_name": "BC카드",
        "card_issuer_code": "361",
        "card_issuer_name": "BC카드",
        "card_publisher_code": "361",
        "card_publisher_name": "BC카드",
        "card_quota": 0,
        "card_number": "910020*********5",
        "card_type": 0,
        "vbank_code": null,
        "vbank_name": null,
        "vbank_num": null,
        "vbank_holder": null,
        "vbank_date": 0,
        "vbank_issued_at": 0,
        "name": "노르웨이 회전 의자",
        "amount": 64900,
        "cancel_amount": 0,
        "currency": "KRW",
        "buyer_name": "홍길동",
        "buyer_email": "gildong@example.com",
        "buyer_tel": "010-4242-4242",
        "buyer_addr": "서울특별시 강남구 신사동",
        "buyer_postcode": "01181",
        "custom_data": "{\"cart_id\":\"c_8812\"}",
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15",
        "status": "paid",
        "started_at": 1714540953,
        "paid_at": 1714540990,
        "failed_at": 0,
        "cancelled_at": 0,
        "fail_reason": null,
        "cancel_reason": null,
        "receipt_url": "https://iniweb.inicis.com/DefaultWebApp/mall/cr/cm/mCmReceipt_head.jsp?noTid=StdpayCARDINIpayTest20240501142233123456&noMethod=1",
        "cancel_history": [],
        "cancel_receipt_urls": [],
        "cash_receipt_issued": false,
        "customer_uid": null,
        "customer_uid_usage": null
    })
}

/// A complete HTTP/1.1 response with a JSON body.
fn http_response(body: &serde_json::Value) -> &'static [u8] {
    let body = serde_json::to_vec(body).expect("JSON");
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    Box::leak(out.into_boxed_slice())
}

/// Starts the server on 127.0.0.1 (an ephemeral port) on the current runtime.
async fn start_server() -> SocketAddr {
    let token = http_response(&json!({
        "code": 0,
        "message": null,
        "response": { "access_token": TOKEN, "now": 1714540800, "expired_at": 1714542600 }
    }));
    let payment = http_response(&json!({ "code": 0, "message": null, "response": payment_json() }));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(connection(socket, token, payment));
        }
    });
    addr
}

/// Serves one keep-alive connection until the client closes it.
async fn connection(mut socket: TcpStream, token: &'static [u8], payment: &'static [u8]) {
    let _ = socket.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let length = content_length(&buf[..head_end]);
        while buf.len() < head_end + length {
            match socket.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        let response = if buf.starts_with(b"POST /users/getToken ") {
            token
        } else {
            payment
        };
        if socket.write_all(response).await.is_err() {
            return;
        }
        buf.drain(..head_end + length);
    }
}

fn content_length(head: &[u8]) -> usize {
    let head = String::from_utf8_lossy(head);
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

/// The same reqwest configuration for both sides (no proxy: the server is on loopback).
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client")
}

/// A hand-written call: what the SDK replaces.
async fn raw_get_payment(http: &reqwest::Client, url: &str) -> PlainPayment {
    let response = http
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::USER_AGENT, USER_AGENT)
        .bearer_auth(TOKEN)
        // Like for like: every SDK call runs under a deadline (30 s by default), and so
        // does any raw call fit for payments. Without it the ratio is about 2% higher.
        .timeout(std::time::Duration::from_secs(30))
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success(), "HTTP {}", response.status());
    let body = response.bytes().await.expect("body");
    let envelope: PlainEnvelope<PlainPayment> = serde_json::from_slice(&body).expect("decode");
    assert_eq!(envelope.code, 0, "{:?}", envelope.message);
    envelope.response.expect("payment")
}

/// Everything both sides need: one runtime, one server, a raw reqwest client and the SDK.
struct Setup {
    runtime: tokio::runtime::Runtime,
    url: String,
    raw: reqwest::Client,
    client: Client,
    query: GetPaymentQuery,
}

fn setup() -> Setup {
    // The SDK's default client is built with rustls and `ring`; install the same provider
    // process-wide so the plain `reqwest::Client::builder()` works too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let addr = runtime.block_on(start_server());
    let base_url = format!("http://{addr}");
    let url = format!("{base_url}/payments/{IMP_UID}");
    let raw = http_client();
    let client = Client::builder()
        .credentials("bench_key", "bench_secret")
        .base_url(&base_url)
        .http_client(http_client())
        .build()
        .expect("client");
    let query = GetPaymentQuery::new();
    // Fetches the token and opens both keep-alive connections; checks both sides agree.
    runtime.block_on(async {
        let plain = raw_get_payment(&raw, &url).await;
        let typed: Payment = client
            .get_payment(IMP_UID, &query)
            .await
            .expect("get_payment");
        assert_eq!(typed.imp_uid, plain.imp_uid);
        assert!(typed.amount == 64_900_i64 && plain.amount == 64_900.0);
    });
    Setup {
        runtime,
        url,
        raw,
        client,
        query,
    }
}

impl Setup {
    async fn raw_call(&self) {
        black_box(raw_get_payment(&self.raw, &self.url).await);
    }

    async fn sdk_call(&self) {
        black_box(
            self.client
                .get_payment(black_box(IMP_UID), &self.query)
                .await
                .expect("get_payment"),
        );
    }
}

fn benches(c: &mut Criterion, s: &Setup) {
    let mut g = c.benchmark_group("client");
    g.bench_function("raw_reqwest", |b| {
        b.to_async(&s.runtime).iter(|| s.raw_call())
    });
    g.bench_function("get_payment", |b| {
        b.to_async(&s.runtime).iter(|| s.sdk_call())
    });
    g.finish();
}

/// The ratio measured by alternating blocks of raw and SDK calls, so that the load of a
/// shared machine, which drifts over seconds, hits both sides alike: the median of the
/// per-round ratios.
fn interleaved_ratio(s: &Setup, rounds: usize, block: usize) -> f64 {
    let time_block = |sdk: bool| {
        let started = std::time::Instant::now();
        s.runtime.block_on(async {
            for _ in 0..block {
                if sdk {
                    s.sdk_call().await
                } else {
                    s.raw_call().await
                }
            }
        });
        started.elapsed().as_secs_f64()
    };
    let mut ratios: Vec<f64> = (0..rounds)
        .map(|round| {
            // Alternate which side goes first, so neither always runs on a warmer cache.
            if round % 2 == 0 {
                let raw = time_block(false);
                time_block(true) / raw
            } else {
                let sdk = time_block(true);
                sdk / time_block(false)
            }
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[rounds / 2]
}

/// `PORTONE_BENCH_ONLY=raw|sdk|none PORTONE_BENCH_CALLS=N`: make N calls of one kind and exit,
/// for counting instructions with `valgrind --tool=callgrind` (repeatable on a busy machine).
fn count_only(setup: &Setup) -> bool {
    let Ok(kind) = std::env::var("PORTONE_BENCH_ONLY") else {
        return false;
    };
    let calls: usize = std::env::var("PORTONE_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    setup.runtime.block_on(async {
        for _ in 0..calls {
            match kind.as_str() {
                "raw" => setup.raw_call().await,
                "sdk" => setup.sdk_call().await,
                _ => {}
            }
        }
    });
    true
}

fn main() {
    let started = SystemTime::now();
    let setup = setup();
    if count_only(&setup) {
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &setup);
    c.final_summary();
    if let (Some(raw), Some(sdk)) = (
        median("client/raw_reqwest", started),
        median("client/get_payment", started),
    ) {
        let verdict = |ratio: f64| {
            if ratio <= TARGET_RATIO {
                "met"
            } else {
                "MISSED"
            }
        };
        let ratio = sdk / raw;
        println!("\n== client: medians of this run (criterion estimates.json)");
        println!("raw reqwest + serde   {:>9.2} µs", raw * 1e6);
        println!("Client::get_payment   {:>9.2} µs", sdk * 1e6);
        println!(
            "ratio                 {ratio:>9.3}x   target <= {TARGET_RATIO}x: {}",
            verdict(ratio)
        );
        let interleaved = interleaved_ratio(&setup, 41, 500);
        println!(
            "interleaved ratio     {interleaved:>9.3}x   (median of 41 rounds of 500 calls each side) target <= {TARGET_RATIO}x: {}",
            verdict(interleaved)
        );
    }
}
