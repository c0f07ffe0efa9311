//! Hand-mounted wiremock answers for the example tests that need a wire shape the fake PortOne
//! does not produce: a token endpoint, envelope helpers, a realistic payment, and what the
//! server saw.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const IMP_UID: &str = "imp_123456789012";
pub const BEARER: &str = "Bearer test-access-token";

/// A mock server with a working token endpoint.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(ok(json!({
            "access_token": "test-access-token",
            "now": 1_700_000_000,
            "expired_at": 1_700_001_800,
        })))
        .mount(&server)
        .await;
    server
}

/// Answers `method path` with `response`, expecting exactly `times` calls.
pub async fn answer(
    server: &MockServer,
    verb: &str,
    route: &str,
    response: ResponseTemplate,
    times: u64,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

/// HTTP 200 with a successful envelope.
pub fn ok(response: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "code": 0,
        "message": null,
        "response": response,
    }))
}

/// An envelope with a non-zero code, as PortOne sends refusals.
pub fn refused(status: u16, code: i64, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "code": code,
        "message": message,
        "response": null,
    }))
}

/// One request as the server saw it.
pub struct Seen {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

/// Every request the server received, in order.
pub async fn seen(server: &MockServer) -> Vec<Seen> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .map(|r| Seen {
            method: r.method.to_string(),
            path: r.url.path().to_owned(),
            authorization: r
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: r.body_json().unwrap_or(Value::Null),
        })
        .collect()
}

/// `(method, path)` of every request, in order.
pub fn routes(seen: &[Seen]) -> Vec<(&str, &str)> {
    seen.iter()
        .map(|s| (s.method.as_str(), s.path.as_str()))
        .collect()
}

/// A card payment as `GET /payments/{imp_uid}` returns it, every field present.
pub fn payment(status: &str, amount: i64, cancel_amount: i64) -> Value {
    let paid = status == "paid";
    json!({
        "imp_uid": IMP_UID,
        "merchant_uid": "order-1001",
        "pay_method": "card",
        "channel": "pc",
        "pg_provider": "html5_inicis",
        "emb_pg_provider": null,
        "pg_tid": "StdpayCARDINIpayTest20231101",
        "pg_id": "INIpayTest",
        "sandbox": false,
        "escrow": false,
        "apply_num": if paid { json!("30012345") } else { Value::Null },
        "bank_code": null,
        "bank_name": null,
        "card_code": "361",
        "card_name": "BC카드",
        "card_issuer_code": "0361",
        "card_issuer_name": "BC카드",
        "card_publisher_code": "0361",
        "card_publisher_name": "BC카드",
        "card_quota": 0,
        "card_number": "457973******1234",
        "card_type": 0,
        "vbank_code": null,
        "vbank_name": null,
        "vbank_num": null,
        "vbank_holder": null,
        "vbank_date": 0,
        "vbank_issued_at": 0,
        "name": "노르웨이 회전 의자",
        "amount": amount,
        "cancel_amount": cancel_amount,
        "currency": "KRW",
        "buyer_name": "홍길동",
        "buyer_email": "buyer@example.com",
        "buyer_tel": "010-1234-5678",
        "buyer_addr": "서울특별시 강남구",
        "buyer_postcode": "06018",
        "custom_data": null,
        "user_agent": "Mozilla/5.0",
        "status": status,
        "started_at": 1_700_000_000,
        "paid_at": if paid { 1_700_000_060 } else { 0 },
        "failed_at": if status == "failed" { 1_700_000_060 } else { 0 },
        "cancelled_at": 0,
        "fail_reason": if status == "failed" { json!("잔액 부족") } else { Value::Null },
        "cancel_reason": null,
        "receipt_url": "https://example.com/receipt",
        "cancel_history": [],
        "cancel_receipt_urls": [],
        "cash_receipt_issued": false,
        "customer_uid": null,
        "customer_uid_usage": null,
        "promotion": null,
    })
}

/// Sets `key` of a JSON object.
pub fn with(mut value: Value, key: &str, field: Value) -> Value {
    value[key] = field;
    value
}
