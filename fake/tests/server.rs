//! The fake's server as a client meets it: routing, tokens, decoding, faults, inspection and
//! shutdown, over raw HTTP/1.1 (to see statuses, headers and resets as they are) and through
//! the generated client.

mod receiver;
mod shop;

use std::time::{Duration, Instant};

use portone_v1::{Client, Error, GetPaymentQuery, RetryPolicy};
use portone_v1_fake::{FakePortOne, Fault, FaultKind, Operation, PayMethod, Served};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use receiver::{Receiver, Reply};

/// What a raw request got back.
#[derive(Debug)]
struct Raw {
    status: u16,
    head: String,
    body: Value,
}

/// Sends one request (`Connection: close`) and reads the whole answer.
async fn send(fake: &FakePortOne, method: &str, target: &str, headers: &[&str], body: &str) -> Raw {
    let text = read(fake, method, target, headers, body)
        .await
        .expect("a complete answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    Raw {
        status: head[9..12].parse().expect("a status"),
        head: head.to_ascii_lowercase(),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

async fn read(
    fake: &FakePortOne,
    method: &str,
    target: &str,
    headers: &[&str],
    body: &str,
) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(fake.addr()).await?;
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nhost: fake\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for h in headers {
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A token from `fake`, as the `Authorization` header that sends it.
async fn token(fake: &FakePortOne) -> String {
    let body = json!({"imp_key": fake.key(), "imp_secret": fake.secret()}).to_string();
    let got = send(fake, "POST", "/users/getToken", &[JSON], &body).await;
    assert_eq!(got.status, 200, "{got:?}");
    format!(
        "authorization: Bearer {}",
        got.body["response"]["access_token"].as_str().unwrap()
    )
}

const JSON: &str = "content-type: application/json";
const FORM: &str = "content-type: application/x-www-form-urlencoded";

fn client(fake: &FakePortOne) -> Client {
    shop::builder(fake)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

#[tokio::test]
async fn dropping_the_fake_stops_it() {
    let fake = FakePortOne::start().await;
    let addr = fake.addr();
    let mut open = TcpStream::connect(addr).await.expect("it answers");
    drop(fake);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "the port is closed"
    );
    let mut buf = [0; 1];
    let read = open.read(&mut buf).await;
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "open connections are closed too"
    );
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405_in_the_envelope() {
    let fake = FakePortOne::start().await;
    let auth = token(&fake).await;
    let got = send(&fake, "GET", "/nowhere", &[&auth], "").await;
    assert_eq!(got.status, 404);
    assert_eq!(got.body["code"], 1);
    assert_eq!(got.body["response"], Value::Null);
    assert!(got.body["message"].as_str().unwrap().contains("/nowhere"));
    let got = send(&fake, "DELETE", "/payments/imp_1", &[&auth], "").await;
    assert_eq!(got.status, 405, "{got:?}");
    let got = send(&fake, "GET", "/cards/36%31", &[&auth], "").await;
    assert_eq!(got.status, 200);
    assert!(got.head.contains("x-portone-fake: sample"), "{}", got.head);
    assert_eq!(got.body["code"], 0);
    let seen = fake.requests();
    assert_eq!(seen[1].endpoint, None);
    assert_eq!(seen[2].status, 405);
    assert_eq!(seen[3].endpoint, Some(Operation::GetCardCode));
    assert_eq!(seen[3].served, Served::Sample);
}

#[tokio::test]
async fn tokens_follow_portones_lifetime_rules() {
    let fake = FakePortOne::start().await;
    fake.set_now(1_000_000);
    let form = format!("imp_key={}&imp_secret={}", fake.key(), fake.secret());
    let first = send(&fake, "POST", "/users/getToken", &[FORM], &form).await;
    assert_eq!(first.status, 200, "form bodies are accepted: {first:?}");
    let issued = &first.body["response"];
    assert_eq!(issued["now"], 1_000_000);
    assert_eq!(issued["expired_at"], 1_000_000 + 1800);
    let token = issued["access_token"].as_str().unwrap().to_owned();

    fake.set_now(1_000_000 + 1740);
    let again = send(&fake, "POST", "/users/getToken", &[FORM], &form).await;
    assert_eq!(again.body["response"]["access_token"], token.as_str());
    assert_eq!(
        again.body["response"]["expired_at"],
        1_000_000 + 1800 + 300,
        "asked within the last minute: pushed back 5 minutes"
    );

    for header in [
        format!("authorization: Bearer {token}"),
        format!("authorization: {token}"),
        format!("x-imptokenheader: {token}"),
    ] {
        let got = send(&fake, "GET", "/cards/361", &[&header], "").await;
        assert_eq!(got.status, 200, "{header}");
    }
    let none = send(&fake, "GET", "/cards/361", &[], "").await;
    assert_eq!((none.status, none.body["code"].clone()), (401, json!(1)));
    let wrong = send(
        &fake,
        "GET",
        "/cards/361",
        &["authorization: Bearer nope"],
        "",
    )
    .await;
    assert_eq!(wrong.status, 401);

    fake.advance(Duration::from_secs(2100));
    let expired = format!("authorization: Bearer {token}");
    let got = send(&fake, "GET", "/cards/361", &[&expired], "").await;
    assert_eq!(got.status, 401, "expired");
    let renewed = send(&fake, "POST", "/users/getToken", &[FORM], &form).await;
    assert_ne!(renewed.body["response"]["access_token"], token.as_str());

    let bad = send(
        &fake,
        "POST",
        "/users/getToken",
        &[JSON],
        r#"{"imp_key":"x","imp_secret":"y"}"#,
    )
    .await;
    assert_eq!(bad.status, 401);
    let missing = send(
        &fake,
        "POST",
        "/users/getToken",
        &[JSON],
        r#"{"imp_key":"x"}"#,
    )
    .await;
    assert_eq!(missing.status, 400);
    assert!(
        missing.body["message"]
            .as_str()
            .unwrap()
            .contains("imp_secret")
    );
}

#[tokio::test]
async fn bad_queries_and_bodies_are_400_naming_the_parameter() {
    let fake = FakePortOne::start().await;
    let auth = token(&fake).await;
    let a = fake.pay("order-a", 100, PayMethod::Card).await.unwrap();
    let b = fake.pay("order-b", 100, PayMethod::Card).await.unwrap();
    let both = format!("/payments?imp_uid%5B%5D={a}&imp_uid[]={b}");
    let got = send(&fake, "GET", &both, &[&auth], "").await;
    assert_eq!(got.status, 200, "{got:?}");
    assert_eq!(got.body["response"].as_array().map(Vec::len), Some(2));
    let got = send(&fake, "GET", "/payments/status/paid?page=two", &[&auth], "").await;
    assert_eq!(got.status, 400);
    assert!(
        got.body["message"].as_str().unwrap().contains("`page`"),
        "{got:?}"
    );
    let got = send(
        &fake,
        "POST",
        "/payments/prepare",
        &[&auth, JSON],
        r#"{"amount":1000}"#,
    )
    .await;
    assert_eq!(got.status, 400);
    assert!(
        got.body["message"]
            .as_str()
            .unwrap()
            .contains("`merchant_uid`"),
        "{got:?}"
    );
    let body = r#"{"merchant_uid":"m1","amount":"a lot"}"#;
    let got = send(&fake, "POST", "/payments/prepare", &[&auth, JSON], body).await;
    assert!(
        got.body["message"].as_str().unwrap().contains("`amount`"),
        "{got:?}"
    );
    let got = send(
        &fake,
        "POST",
        "/payments/prepare",
        &[&auth, FORM],
        "merchant_uid=m1&amount=1000",
    )
    .await;
    assert_eq!(got.status, 200, "{got:?}");
    assert_eq!(fake.requests().last().unwrap().served, Served::Ledger);
}

#[tokio::test]
async fn requests_are_recorded_with_secrets_hidden() {
    let fake = FakePortOne::start().await;
    let auth = token(&fake).await;
    send(
        &fake,
        "GET",
        "/payments/imp_1?include_sandbox=true",
        &[&auth, "x-imptokenheader: t"],
        "",
    )
    .await;
    let seen = fake.requests();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0].body.contains(r#""imp_secret":"[redacted]""#),
        "{}",
        seen[0].body
    );
    assert!(!seen[0].body.contains(fake.secret()));
    assert_eq!(seen[0].served, Served::Token);
    let lookup = &seen[1];
    assert_eq!(
        (lookup.method.as_str(), lookup.path.as_str()),
        ("GET", "/payments/imp_1")
    );
    assert_eq!(lookup.query, "include_sandbox=true");
    let header = |name: &str| {
        lookup
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("authorization"), Some("[redacted]"));
    assert_eq!(header("x-imptokenheader"), Some("[redacted]"));
    assert_eq!(header("host"), Some("fake"));
}

#[tokio::test]
async fn status_faults_hit_only_the_calls_asked_for() {
    let fake = FakePortOne::start().await;
    fake.inject(Operation::GetCardCode, Fault::status(503).on_calls([2, 3]));
    fake.inject(Operation::GetPayments, Fault::too_many_requests(7));
    let client = client(&fake);
    assert!(client.get_card_code("361").await.is_ok());
    for _ in 0..2 {
        match client.get_card_code("361").await {
            Err(Error::Api(e)) => assert_eq!(e.status(), 503),
            other => panic!("expected the injected 503, got {other:?}"),
        }
    }
    assert!(
        client.get_card_code("361").await.is_ok(),
        "the 4th call is normal"
    );
    let auth = token(&fake).await;
    let got = send(&fake, "GET", "/payments", &[&auth], "").await;
    assert_eq!(got.status, 429);
    assert!(got.head.contains("retry-after: 7"), "{}", got.head);
    let faults: Vec<_> = fake
        .requests()
        .iter()
        .map(|r| (r.served, r.fault))
        .collect();
    assert!(faults.contains(&(Served::Fault, Some(FaultKind::Status(503)))));
    fake.clear_faults();
    let imp_uid = fake.pay("order-1", 100, PayMethod::Card).await.unwrap();
    let listed = format!("/payments?imp_uid[]={imp_uid}");
    assert_eq!(send(&fake, "GET", &listed, &[&auth], "").await.status, 200);
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let fake = FakePortOne::start().await;
    fake.inject(
        Operation::GetCardCode,
        Fault::latency(Duration::from_millis(200)),
    );
    let client = client(&fake);
    let started = Instant::now();
    assert!(client.get_card_code("361").await.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn a_reset_after_read_is_handled_but_never_answered() {
    let fake = FakePortOne::start().await;
    fake.inject(Operation::CancelPayment, Fault::reset_after_read());
    let auth = token(&fake).await;
    let body = r#"{"imp_uid":"imp_1"}"#;
    let got = read(&fake, "POST", "/payments/cancel", &[&auth, JSON], body).await;
    assert!(
        matches!(&got, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "{got:?}"
    );
    let last = fake.requests().pop().unwrap();
    assert_eq!(last.fault, Some(FaultKind::ResetAfterRead));
    assert_eq!(
        (last.status, last.served),
        (200, Served::Ledger),
        "the call was handled (refused: no such payment) before the reset"
    );
}

#[tokio::test]
async fn a_reset_unhandled_never_reaches_the_ledger() {
    let fake = FakePortOne::start().await;
    let imp_uid = fake
        .pay("order-1", 10_000, PayMethod::Card)
        .await
        .expect("paid");
    fake.inject(Operation::CancelPayment, Fault::reset_unhandled());
    let auth = token(&fake).await;
    let body = format!(r#"{{"imp_uid":"{imp_uid}","amount":1000}}"#);
    let got = read(&fake, "POST", "/payments/cancel", &[&auth, JSON], &body).await;
    assert!(
        matches!(&got, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "{got:?}"
    );
    let last = fake.requests().pop().unwrap();
    assert_eq!(last.fault, Some(FaultKind::ResetUnhandled));
    assert_eq!((last.status, last.served), (0, Served::Fault));
    let payment = fake.payment(&imp_uid).expect("recorded");
    assert_eq!(payment["cancel_amount"], 0, "nothing was refunded");
}

#[tokio::test]
async fn a_stalled_body_times_the_client_out() {
    let fake = FakePortOne::start().await;
    fake.inject(Operation::GetCardCode, Fault::stalled_body().on_calls([1]));
    let client = client(&fake);
    match client.get_card_code("361").await {
        Err(Error::Timeout { .. }) => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(client.get_card_code("361").await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_lookups_through_one_client() {
    let fake = FakePortOne::start().await;
    let imp_uid = fake
        .pay("order-1", 1_000, PayMethod::Card)
        .await
        .expect("paid");
    let client = shop::client(&fake);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let client = client.clone();
        let imp_uid = imp_uid.clone();
        calls.spawn(async move {
            client
                .get_payment(&imp_uid, &GetPaymentQuery::new())
                .await
                .map(drop)
        });
    }
    let mut done = 0;
    while let Some(result) = calls.join_next().await {
        result.unwrap().expect("every lookup succeeds");
        done += 1;
    }
    assert_eq!(done, 1000);
    let lookups = fake
        .requests()
        .iter()
        .filter(|r| r.endpoint == Some(Operation::GetPayment))
        .count();
    assert_eq!(lookups, 1000);
}

#[tokio::test]
async fn control_endpoints_drive_the_fake_over_http() {
    let fake = FakePortOne::start().await;
    let clock = send(
        &fake,
        "POST",
        "/__fake/clock",
        &[JSON],
        r#"{"now":1700000000}"#,
    )
    .await;
    assert_eq!(clock.status, 200, "{clock:?}");
    assert_eq!(fake.now(), 1_700_000_000);

    // A virtual account: issued by the buyer, paid by a deposit, read back.
    let body = r#"{"merchant_uid":"order-9","amount":5000,"method":"vbank"}"#;
    let paid = send(&fake, "POST", "/__fake/pay", &[JSON], body).await;
    assert_eq!(paid.status, 200, "{paid:?}");
    let imp_uid = paid.body["response"].as_str().unwrap().to_owned();
    let path = format!("/__fake/payments/{imp_uid}");
    let issued = send(&fake, "GET", &path, &[], "").await;
    assert_eq!(issued.body["response"]["status"], "ready");
    let deposit = json!({ "imp_uid": imp_uid }).to_string();
    let deposited = send(&fake, "POST", "/__fake/deposit", &[JSON], &deposit).await;
    assert_eq!(deposited.status, 200, "{deposited:?}");
    let read = send(&fake, "GET", &path, &[], "").await;
    assert_eq!(read.body["response"]["status"], "paid");
    assert_eq!(read.body["response"]["amount"], 5000);

    let due = send(
        &fake,
        "POST",
        "/__fake/run_due_schedules",
        &[JSON],
        r#"{"at":1}"#,
    )
    .await;
    assert_eq!(due.body["response"], json!([]), "nothing booked");

    // Mistakes are 400s that say what is wrong; an unknown payment is a 404.
    let bad = send(
        &fake,
        "POST",
        "/__fake/pay",
        &[JSON],
        r#"{"merchant_uid":"o"}"#,
    )
    .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body["message"].as_str().unwrap().contains("amount"),
        "{bad:?}"
    );
    let method = r#"{"merchant_uid":"o","amount":1,"method":"cash"}"#;
    let bad = send(&fake, "POST", "/__fake/pay", &[JSON], method).await;
    assert!(
        bad.body["message"].as_str().unwrap().contains("cash"),
        "{bad:?}"
    );
    let missing = send(&fake, "GET", "/__fake/payments/imp_none", &[], "").await;
    assert_eq!(missing.status, 404);
    let unknown = send(&fake, "POST", "/__fake/nothing", &[JSON], "{}").await;
    assert_eq!(unknown.status, 400);

    let served: Vec<Served> = fake.requests().iter().map(|r| r.served).collect();
    assert!(served.iter().all(|s| *s == Served::Control), "{served:?}");
}

#[tokio::test]
async fn faults_and_resets_are_controlled_over_http() {
    let fake = FakePortOne::start().await;
    let auth = token(&fake).await;
    let fault = r#"{"endpoint":"get_card_code","fault":"status","status":503,"calls":[1]}"#;
    let injected = send(&fake, "POST", "/__fake/faults", &[JSON], fault).await;
    assert_eq!(injected.status, 200, "{injected:?}");
    let hit = send(&fake, "GET", "/cards/361", &[&auth], "").await;
    assert_eq!(hit.status, 503);
    assert_eq!(
        send(&fake, "GET", "/cards/361", &[&auth], "").await.status,
        200
    );

    let typo = r#"{"endpoint":"get_card_cod","fault":"status","status":503}"#;
    let typo = send(&fake, "POST", "/__fake/faults", &[JSON], typo).await;
    assert_eq!(typo.status, 400);
    assert_eq!(
        typo.body["message"],
        "`endpoint`: no endpoint of the spec is called `get_card_cod`"
    );
    let kind = r#"{"endpoint":"get_card_code","fault":"slow"}"#;
    let kind = send(&fake, "POST", "/__fake/faults", &[JSON], kind).await;
    assert_eq!(kind.status, 400);
    assert!(
        kind.body["message"].as_str().unwrap().contains("`fault`"),
        "{kind:?}"
    );

    let always = r#"{"endpoint":"get_card_code","fault":"status","status":500}"#;
    send(&fake, "POST", "/__fake/faults", &[JSON], always).await;
    assert_eq!(
        send(&fake, "GET", "/cards/361", &[&auth], "").await.status,
        500
    );
    let cleared = send(&fake, "DELETE", "/__fake/faults", &[], "").await;
    assert_eq!(cleared.status, 200, "{cleared:?}");
    assert_eq!(
        send(&fake, "GET", "/cards/361", &[&auth], "").await.status,
        200
    );

    // A reset with a seed starts from it; without one, from the seed given last.
    let seed = r#"{"prepared":[{"merchant_uid":"order-1","amount":1000}]}"#;
    let reset = send(&fake, "POST", "/__fake/reset", &[JSON], seed).await;
    assert_eq!(reset.status, 200, "{reset:?}");
    assert_eq!(fake.requests().len(), 1, "only the reset itself is logged");
    let prepared = send(&fake, "GET", "/payments/prepare/order-1", &[&auth], "").await;
    assert_eq!(prepared.body["response"]["amount"], 1000, "{prepared:?}");
    fake.pay("order-2", 1_000, PayMethod::Card).await.unwrap();
    assert_eq!(
        send(&fake, "POST", "/__fake/reset", &[], "").await.status,
        200
    );
    let again = send(&fake, "GET", "/payments/prepare/order-1", &[&auth], "").await;
    assert_eq!(again.status, 200, "the token still works: {again:?}");
    let broken = send(
        &fake,
        "POST",
        "/__fake/reset",
        &[JSON],
        r#"{"prepared":[{}]}"#,
    )
    .await;
    assert_eq!(broken.status, 400);
    assert_eq!(
        broken.body["message"],
        "the seed: `prepared[0].merchant_uid`: is required"
    );
}

#[tokio::test]
async fn control_pay_takes_amounts_as_numbers_checked_against_the_currency() {
    let fake = FakePortOne::start().await;
    let pay = |body: &'static str| send(&fake, "POST", "/__fake/pay", &[JSON], body);
    let amount_of = |imp_uid: String| {
        let fake = &fake;
        async move {
            let path = format!("/__fake/payments/{imp_uid}");
            send(fake, "GET", &path, &[], "").await.body["response"]["amount"].clone()
        }
    };

    let won = pay(r#"{"merchant_uid":"o-1","amount":64900}"#).await;
    assert_eq!(won.status, 200, "{won:?}");
    let imp_uid = won.body["response"].as_str().unwrap().to_owned();
    assert_eq!(amount_of(imp_uid).await, 64_900);
    let dollars = pay(r#"{"merchant_uid":"o-2","amount":12.34,"currency":"USD"}"#).await;
    assert_eq!(dollars.status, 200, "{dollars:?}");
    let imp_uid = dollars.body["response"].as_str().unwrap().to_owned();
    assert_eq!(amount_of(imp_uid).await, 12.34);

    for (body, message) in [
        (
            r#"{"merchant_uid":"o-3","amount":100.5}"#,
            "amount 100.5 in KRW must be whole",
        ),
        (
            r#"{"merchant_uid":"o-3","amount":-5}"#,
            "amount -5 in KRW must not be negative",
        ),
        (
            r#"{"merchant_uid":"o-3","amount":"5000"}"#,
            "`amount` must be a number",
        ),
    ] {
        let refused = pay(body).await;
        assert_eq!(refused.status, 400, "{refused:?}");
        assert_eq!(refused.body["message"], message);
    }

    let promoted = pay(
        r#"{"merchant_uid":"o-4","amount":10000,"promotion":{"id":"promotion-id-1","discount":1000,"min_amount":5000}}"#,
    )
    .await;
    assert_eq!(promoted.status, 200, "{promoted:?}");
    let path = format!(
        "/__fake/payments/{}",
        promoted.body["response"].as_str().unwrap()
    );
    let payment = send(&fake, "GET", &path, &[], "").await;
    assert_eq!(
        payment.body["response"]["promotion"],
        json!({"id": "promotion-id-1", "discount": 1000})
    );
}

#[tokio::test]
async fn webhook_controls_over_http() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::replying([Reply::Status(500)]).await;
    let control = |path: &'static str, body: Value| {
        let fake = &fake;
        async move {
            let target = format!("/__fake/{path}");
            send(fake, "POST", &target, &[JSON], &body.to_string()).await
        }
    };
    let listed = || async {
        send(&fake, "GET", "/__fake/notifications", &[], "")
            .await
            .body
    };
    let t0 = 1_700_000_000;
    assert_eq!(control("clock", json!({"now": t0})).await.status, 200);
    let switched = control("webhooks", json!({"hold": true, "retry": true})).await;
    assert_eq!(switched.status, 200, "{switched:?}");

    let pay = json!({"merchant_uid": "o-1", "amount": 9000, "notice_url": receiver.url("/h")});
    let paid = control("pay", pay).await;
    let imp_uid = paid.body["response"]
        .as_str()
        .expect("an imp_uid")
        .to_owned();
    let refund = json!({"imp_uid": imp_uid, "amount": 1000, "reason": "damaged"});
    let refunded = control("refund_in_console", refund).await;
    assert_eq!(refunded.status, 200, "{refunded:?}");
    assert_eq!(refunded.body["response"]["cancel_amount"], 1000);
    receiver.assert_quiet(Duration::from_millis(200)).await;
    assert_eq!(listed().await["response"], json!([]), "held");

    // Released: the paid notification fails once and is resent a minute later, and the
    // refund's waits behind it.
    control("webhooks", json!({"hold": false})).await;
    receiver.next().await;
    fake.wait_for_notifications(1, Duration::from_secs(5)).await;
    receiver.assert_quiet(Duration::from_millis(200)).await;
    control("clock", json!({"now": t0 + 60})).await;
    let statuses: Vec<String> = [receiver.next().await, receiver.next().await]
        .iter()
        .map(|hook| {
            let body: Value = serde_json::from_slice(&hook.body).unwrap();
            format!(
                "{} {}",
                body["status"],
                body.get("cancellation_id").is_some()
            )
        })
        .collect();
    assert_eq!(statuses, [r#""paid" false"#, r#""paid" true"#]);
    fake.wait_for_notifications(3, Duration::from_secs(5)).await;
    let list = listed().await;
    let rows: Vec<(i64, Value, Value, Value)> = list["response"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|n| {
            (
                n["attempt"].as_i64().unwrap(),
                n["status"].clone(),
                n["error"].clone(),
                n["retry_at"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, json!(500), Value::Null, json!(t0 + 60)),
            (2, json!(200), Value::Null, Value::Null),
            (1, json!(200), Value::Null, Value::Null),
        ]
    );

    let bad = control("webhooks", json!({"duplicate": "yes"})).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body["message"].as_str().unwrap().contains("duplicate"));
    let partial = json!({"imp_uid": imp_uid, "refund_holder": "홍길동"});
    let bad = control("refund_in_console", partial).await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body["message"]
            .as_str()
            .unwrap()
            .contains("refund_bank")
    );
}
