//! Runs every program of `examples/` against the fake PortOne (`portone-v1-fake`) on 127.0.0.1
//! and checks both what it returns and the requests it sent (the fake's request log). Each
//! example is compiled in here as a module, so its `run` function is called directly. A test
//! uses the hand-mounted wiremock answers of `mock/` only where it needs a wire shape the fake
//! does not produce; each says which.

// The realistic payment body below is one large `json!` literal.
#![recursion_limit = "256"]

#[path = "../examples/checkout.rs"]
#[allow(dead_code)]
mod checkout;

#[path = "../examples/get_token.rs"]
#[allow(dead_code)]
mod get_token;

#[path = "../examples/get_payment.rs"]
#[allow(dead_code)]
mod get_payment;

#[path = "../examples/cancel_partially.rs"]
#[allow(dead_code)]
mod cancel_partially;

#[path = "../examples/billing_key_schedule.rs"]
#[allow(dead_code)]
mod billing_key_schedule;

#[path = "../examples/cash_receipt.rs"]
#[allow(dead_code)]
mod cash_receipt;

/// Hand-mounted answers, for the few shapes the fake does not produce.
mod mock;

/// The fake PortOne, accepting the examples' credentials, and what it saw.
mod fake {
    use portone_v1_fake::{FakePortOne, Received};
    use serde_json::Value;

    /// A fake that accepts the credentials the examples send (`IMP_KEY`/`IMP_SECRET`, or
    /// their test values).
    pub async fn start() -> FakePortOne {
        let (key, secret) = super::get_token::credentials();
        FakePortOne::builder()
            .credentials(key, secret)
            .start()
            .await
    }

    /// `(method, path)` of every request, in order.
    pub fn routes(seen: &[Received]) -> Vec<(&str, &str)> {
        seen.iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect()
    }

    /// A request's JSON body.
    pub fn body(request: &Received) -> Value {
        serde_json::from_str(&request.body).unwrap_or(Value::Null)
    }

    /// A request's header, as the fake recorded it (tokens hidden).
    pub fn header<'a>(request: &'a Received, name: &str) -> Option<&'a str> {
        request
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

mod checkout_example {
    use super::checkout;
    use super::fake::routes;
    use portone_v1::PaymentStatus;
    use portone_v1_fake::{FakePortOne, FaultKind, Served};

    #[tokio::test]
    async fn plays_the_whole_checkout_and_prints_every_step() {
        let fake = FakePortOne::start().await;
        let mut out = Vec::new();
        let done = checkout::run(&fake, &mut out).await.expect("checkout");
        let printed = String::from_utf8(out).expect("text");

        let steps: Vec<&str> = printed
            .lines()
            .filter_map(|line| line.split_once(". ").map(|(number, _)| number))
            .filter(|number| number.parse::<u8>().is_ok())
            .collect();
        assert_eq!(steps, ["1", "2", "3", "4", "5", "6", "7"], "{printed}");
        assert!(printed.contains("no answer"), "{printed}");
        assert!(
            printed.contains("64900 KRW paid, 5000 refunded, 59900 left; status paid"),
            "{printed}"
        );

        assert_eq!(done.notification.imp_uid, done.imp_uid);
        assert_eq!(done.notification.status, PaymentStatus::Paid);
        assert_eq!(
            (done.refunded, done.remaining),
            (5_000.into(), 59_900.into())
        );
        let payment = format!("/payments/{}", done.imp_uid);
        let seen = fake.requests();
        assert_eq!(
            routes(&seen),
            [
                ("POST", "/users/getToken"),
                ("POST", "/payments/prepare"),
                ("GET", payment.as_str()),
                ("POST", "/payments/cancel"),
                ("GET", payment.as_str()),
            ],
            "the refund was sent once, then reconciled by a lookup"
        );
        assert_eq!(
            (seen[3].served, seen[3].fault),
            (Served::Ledger, Some(FaultKind::ResetAfterRead)),
            "refunded, then its answer was lost"
        );
        assert_eq!(fake.notifications().len(), 1, "one webhook: the payment");
    }
}

mod get_token_example {
    use super::fake::{self, body, header, routes};
    use super::get_token;
    use portone_v1::Timestamp;
    use portone_v1_fake::{FakePortOne, Served};

    #[tokio::test]
    async fn returns_the_expiry_and_sends_the_credentials() {
        let fake = fake::start().await;
        fake.set_now(1_700_000_000);
        let token = get_token::run(fake.base_url()).await.expect("token");
        assert_eq!(token.expired_at, Some(Timestamp::from_unix(1_700_001_800)));
        assert_eq!(token.now, Some(Timestamp::from_unix(1_700_000_000)));

        let seen = fake.requests();
        assert_eq!(routes(&seen), [("POST", "/users/getToken")]);
        let (key, _) = get_token::credentials();
        let sent = body(&seen[0]);
        assert_eq!(sent["imp_key"], key.as_str());
        // The fake hides the secret in its log; it issued the token, so the secret matched.
        assert_eq!(sent["imp_secret"], "[redacted]");
        assert_eq!((seen[0].status, seen[0].served), (200, Served::Token));
        assert_eq!(header(&seen[0], "authorization"), None);
    }

    #[tokio::test]
    async fn refused_credentials_come_back_as_http_401() {
        let fake = FakePortOne::builder()
            .credentials("another-key", "another-secret")
            .start()
            .await;
        let error = get_token::run(fake.base_url()).await.expect_err("refused");
        // Refused credentials are an authentication error, called directly or not.
        assert!(matches!(error, portone_v1::Error::Auth(_)), "{error:?}");
        assert_eq!(error.status(), Some(401));
        assert_eq!(error.code(), Some(1));
        assert_eq!(routes(&fake.requests()), [("POST", "/users/getToken")]);
    }
}

mod get_payment_example {
    use super::fake::{self, header, routes};
    use super::get_payment;
    use portone_v1::{Amount, Discrepancy, Expected, Verdict};
    use portone_v1_fake::{FakePortOne, Fault, Operation, PayMethod, Served};

    /// The order the tests' payments are for.
    fn order() -> Expected {
        Expected::new("order-1001", 64_900)
    }

    #[tokio::test]
    async fn a_paid_payment_with_the_right_amount_is_verified() {
        let fake = fake::start().await;
        let imp_uid = fake
            .pay("order-1001", 64_900, PayMethod::Card)
            .await
            .expect("paid");

        let verdict = get_payment::run(fake.base_url(), &imp_uid, &order())
            .await
            .expect("payment");
        let Verdict::Paid { payment } = verdict else {
            panic!("expected Paid, got {verdict:?}");
        };
        assert_eq!(payment.merchant_uid, "order-1001");

        let seen = fake.requests();
        let payment_path = format!("/payments/{imp_uid}");
        assert_eq!(
            routes(&seen),
            [("POST", "/users/getToken"), ("GET", payment_path.as_str())]
        );
        // The fake hides the token it checked; the lookup passed that check.
        assert_eq!(header(&seen[1], "authorization"), Some("[redacted]"));
        assert_eq!((seen[1].status, seen[1].served), (200, Served::Ledger));
    }

    #[tokio::test]
    async fn refused_credentials_are_an_auth_error() {
        let fake = FakePortOne::builder()
            .credentials("another-key", "another-secret")
            .start()
            .await;
        let error = get_payment::run(fake.base_url(), "imp_123456789012", &order())
            .await
            .expect_err("refused");
        assert!(matches!(error, portone_v1::Error::Auth(_)), "{error:?}");
        assert_eq!(error.status(), Some(401));
        assert_eq!(error.path(), Some("/users/getToken"));
        assert_eq!(
            routes(&fake.requests()),
            [("POST", "/users/getToken")],
            "the lookup is never sent"
        );
    }

    #[tokio::test]
    async fn a_token_endpoint_outage_is_not_blamed_on_the_credentials() {
        let fake = fake::start().await;
        fake.inject(Operation::GetToken, Fault::status(503));

        let error = get_payment::run(fake.base_url(), "imp_123456789012", &order())
            .await
            .expect_err("outage");
        assert!(matches!(error, portone_v1::Error::Api(_)), "{error:?}");
        assert_eq!(error.status(), Some(503));
        assert!(error.during_authentication());
        assert!(!error.outcome_unknown());
        // The token request is safe to repeat: the first try and the default 2 retries.
        assert_eq!(
            routes(&fake.requests()),
            [("POST", "/users/getToken"); 3],
            "the lookup is never sent"
        );
    }

    #[tokio::test]
    async fn a_different_amount_is_flagged() {
        let fake = fake::start().await;
        let imp_uid = fake
            .pay("order-1001", 1_000, PayMethod::Card)
            .await
            .expect("paid");
        let verdict = get_payment::run(fake.base_url(), &imp_uid, &order())
            .await
            .expect("payment");
        let Verdict::Mismatch { discrepancies, .. } = verdict else {
            panic!("expected Mismatch, got {verdict:?}");
        };
        let amount = Discrepancy::Amount {
            expected: Amount::from(64_900),
            actual: Amount::from(1_000),
        };
        assert_eq!(discrepancies, [amount]);
    }

    #[tokio::test]
    async fn an_issued_virtual_account_awaits_its_deposit() {
        let fake = fake::start().await;
        // A virtual account is issued (`ready`) and paid only when the buyer deposits.
        let imp_uid = fake
            .pay("order-1001", 64_900, PayMethod::Vbank)
            .await
            .expect("issued");
        let verdict = get_payment::run(fake.base_url(), &imp_uid, &order())
            .await
            .expect("payment");
        assert!(
            matches!(verdict, Verdict::AwaitingDeposit { .. }),
            "{verdict:?}"
        );
    }

    #[tokio::test]
    async fn an_unknown_payment_is_an_api_error_with_status_code_and_message() {
        let fake = fake::start().await;
        let error = get_payment::run(fake.base_url(), "imp_123456789012", &order())
            .await
            .expect_err("unknown payment");
        let portone_v1::Error::Api(api) = &error else {
            panic!("expected Error::Api, got {error:?}");
        };
        assert_eq!(api.status(), 404);
        assert_eq!(api.code(), Some(-1));
        assert_eq!(api.message(), Some("존재하지 않는 결제정보입니다."));
        assert_eq!(api.path(), "/payments/{imp_uid}");
    }
}

mod cancel_partially_example {
    use super::cancel_partially;
    use super::fake::{self, body, header, routes};
    use portone_v1::Amount;
    use portone_v1_fake::{FakePortOne, Fault, Operation, PayMethod, Received};
    use serde_json::json;

    /// A fake holding one card payment of 64,900; returns its imp_uid.
    async fn paid(fake: &FakePortOne) -> String {
        fake.pay("order-1001", 64_900, PayMethod::Card)
            .await
            .expect("paid")
    }

    /// A refund sent straight to the fake, as another process of the shop would.
    async fn refund_elsewhere(fake: &FakePortOne, imp_uid: &str, amount: i64) {
        let (key, secret) = cancel_partially::credentials();
        let client = portone_v1::Client::builder()
            .credentials(key, secret)
            .base_url(fake.base_url())
            .build()
            .unwrap();
        let refund = portone_v1::CancelPaymentRequest::by_imp_uid(imp_uid)
            .amount(amount)
            .reason("other");
        client.cancel_payment(&refund).await.expect("refunded");
    }

    /// The requests after `skip` of them, without token requests.
    fn calls(seen: &[Received], skip: usize) -> Vec<(&str, &str)> {
        routes(&seen[skip..])
            .into_iter()
            .filter(|(_, path)| *path != "/users/getToken")
            .collect()
    }

    #[tokio::test]
    async fn refunds_with_the_balance_as_checksum() {
        let fake = fake::start().await;
        let imp_uid = paid(&fake).await;
        // 1,000 was refunded earlier, so 63,900 is left.
        refund_elsewhere(&fake, &imp_uid, 1_000).await;
        let before = fake.requests().len();

        let refund = cancel_partially::run(
            fake.base_url(),
            &imp_uid,
            Amount::from(5_000),
            "size exchange",
        )
        .await
        .expect("refund");
        let cancel_partially::Refund::Done(payment) = refund else {
            panic!("{refund:?}");
        };
        assert_eq!(payment.cancel_amount, 6_000);
        assert_eq!(cancel_partially::remaining(&payment), 58_900);
        assert_eq!(payment.cancel_history.as_ref().map(Vec::len), Some(2));

        let seen = fake.requests();
        let payment_path = format!("/payments/{imp_uid}");
        assert_eq!(
            routes(&seen[before..]),
            [
                ("POST", "/users/getToken"),
                ("GET", payment_path.as_str()),
                ("POST", "/payments/cancel")
            ]
        );
        let cancel = &seen[before + 2];
        assert_eq!(
            body(cancel),
            json!({
                "imp_uid": imp_uid,
                "amount": 5_000,
                "checksum": 63_900,
                "reason": "size exchange",
            })
        );
        assert_eq!(header(cancel, "authorization"), Some("[redacted]"));
        assert_eq!(cancel.status, 200);
    }

    #[tokio::test]
    async fn a_refused_refund_is_not_repeated() {
        let fake = fake::start().await;
        let imp_uid = paid(&fake).await;
        // More than the payment: PortOne refuses in the envelope, with HTTP 200.
        let error = cancel_partially::run(fake.base_url(), &imp_uid, Amount::from(70_000), "size")
            .await
            .expect_err("refused");
        assert!(matches!(error, portone_v1::Error::Api(_)), "{error:?}");
        assert_eq!(error.status(), Some(200));
        assert_eq!(error.code(), Some(1));
        assert!(!error.outcome_unknown());
        let cancels = fake
            .requests()
            .iter()
            .filter(|r| r.path == "/payments/cancel")
            .count();
        assert_eq!(cancels, 1, "not repeated");
    }

    #[tokio::test]
    async fn an_unknown_outcome_found_applied_is_not_sent_again() {
        let fake = fake::start().await;
        let imp_uid = paid(&fake).await;
        // The refund happens but its answer is lost.
        fake.inject(Operation::CancelPayment, Fault::reset_after_read());

        let refund = cancel_partially::run(fake.base_url(), &imp_uid, Amount::from(5_000), "size")
            .await
            .expect("reconciled");
        let cancel_partially::Refund::Done(payment) = refund else {
            panic!("{refund:?}");
        };
        assert_eq!(payment.cancel_amount, 5_000);
        let seen = fake.requests();
        let payment_path = format!("/payments/{imp_uid}");
        assert_eq!(
            calls(&seen, 0),
            [
                ("GET", payment_path.as_str()),
                ("POST", "/payments/cancel"),
                ("GET", payment_path.as_str())
            ]
        );
    }

    #[tokio::test]
    async fn an_unknown_outcome_found_not_applied_is_sent_again_with_the_same_checksum() {
        let fake = fake::start().await;
        let imp_uid = paid(&fake).await;
        // The first refund is lost before PortOne handles it.
        fake.inject(
            Operation::CancelPayment,
            Fault::reset_unhandled().on_calls([1]),
        );

        let refund = cancel_partially::run(fake.base_url(), &imp_uid, Amount::from(5_000), "size")
            .await
            .expect("refunded the second time");
        let cancel_partially::Refund::Done(payment) = refund else {
            panic!("{refund:?}");
        };
        assert_eq!(payment.cancel_amount, 5_000, "refunded once");
        let seen = fake.requests();
        let payment_path = format!("/payments/{imp_uid}");
        assert_eq!(
            calls(&seen, 0),
            [
                ("GET", payment_path.as_str()),
                ("POST", "/payments/cancel"),
                ("GET", payment_path.as_str()),
                ("POST", "/payments/cancel")
            ]
        );
        let cancels: Vec<_> = seen
            .iter()
            .filter(|r| r.path == "/payments/cancel")
            .map(body)
            .collect();
        assert_eq!(cancels[0]["checksum"], 64_900);
        assert_eq!(
            cancels[1], cancels[0],
            "the same request, the same checksum"
        );
    }
}

/// A refund whose outcome is unknown while another refund lands in between: that needs the
/// payment to change between two reads inside one run of the example, which only a
/// hand-mounted sequence of answers can time.
mod cancel_partially_unknown_outcome {
    use super::cancel_partially;
    use super::mock::*;
    use portone_v1::Amount;
    use serde_json::{Value, json};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    const PAYMENT_PATH: &str = "/payments/imp_123456789012";

    /// `GET` of the payment answering `first` once, then `then`.
    async fn payment_reads(server: &wiremock::MockServer, first: Value, then: Value) {
        Mock::given(method("GET"))
            .and(path(PAYMENT_PATH))
            .respond_with(ok(first))
            .up_to_n_times(1)
            .expect(1)
            .mount(server)
            .await;
        answer(server, "GET", PAYMENT_PATH, ok(then), 1).await;
    }

    /// `POST /payments/cancel` answering HTTP 503 without an envelope (the outcome is
    /// unknown), exactly once.
    async fn refund_unknown(server: &wiremock::MockServer) {
        Mock::given(method("POST"))
            .and(path("/payments/cancel"))
            .respond_with(ResponseTemplate::new(503))
            .expect(1)
            .mount(server)
            .await;
    }

    #[tokio::test]
    async fn an_unknown_outcome_the_payment_cannot_tell_is_left_to_a_person() {
        let server = server().await;
        // Meanwhile another refund of 2,000 happened, not one of 5,000.
        let moved = with(
            payment("paid", 64_900, 2_000),
            "cancel_history",
            json!([{"pg_tid": "T3", "amount": 2_000, "cancelled_at": 1_700_000_900,
                    "reason": "other", "cancellation_id": "c3", "receipt_url": null}]),
        );
        payment_reads(&server, payment("paid", 64_900, 0), moved).await;
        refund_unknown(&server).await;

        let refund = cancel_partially::run(&server.uri(), IMP_UID, Amount::from(5_000), "size")
            .await
            .expect("an answer");
        assert!(
            matches!(
                refund,
                cancel_partially::Refund::Unclear {
                    why: portone_v1::Ambiguity::BalanceMoved { .. },
                    ..
                }
            ),
            "{refund:?}"
        );
        // `expect(1)` on the refund mock checks that it was sent exactly once.
    }
}

mod billing_key_schedule_example {
    use super::billing_key_schedule::{self, Card};
    use super::fake;
    use super::mock::*;
    use portone_v1::{Amount, BillingKeyRecord, PaymentStatus, ScheduleStatus};
    use serde_json::{Value, json};

    const CUSTOMER_UID: &str = "customer_1234";
    const KEY_PATH: &str = "/subscribe/customers/customer_1234";

    fn card() -> Card {
        Card {
            number: "1234-5678-1234-5678".into(),
            expiry: "2028-12".into(),
            birth: "900101".into(),
            pwd_2digit: "12".into(),
            channel_key: Some("channel-key-1234abcd".into()),
        }
    }

    fn billing_key() -> Value {
        json!({
            "customer_uid": CUSTOMER_UID,
            "pg_provider": "nice",
            "pg_id": "nictest04m",
            "sandbox": true,
            "customer_id": null,
            "card_name": "신한카드",
            "card_code": "366",
            "card_issuer_code": "0366",
            "card_issuer_name": "신한카드",
            "card_publisher_code": "0366",
            "card_publisher_name": "신한카드",
            "card_number": "536181******1234",
            "card_type": 0,
            "customer_name": null,
            "customer_tel": null,
            "customer_email": null,
            "customer_addr": null,
            "customer_postcode": null,
            "inserted": 1_700_000_000,
            "updated": 0,
        })
    }

    fn charge(status: &str) -> Value {
        let charge = with(
            payment(status, 9_900, 0),
            "customer_uid",
            json!(CUSTOMER_UID),
        );
        let charge = with(charge, "customer_uid_usage", json!("payment"));
        let charge = with(charge, "channel", json!("api"));
        with(charge, "merchant_uid", json!("customer_1234-1700000000"))
    }

    #[tokio::test]
    async fn stores_the_card_charges_it_and_books_the_next_period() {
        let fake = fake::start().await;
        let subscription =
            billing_key_schedule::run(fake.base_url(), CUSTOMER_UID, &card(), Amount::from(9_900))
                .await
                .expect("subscription");
        let BillingKeyRecord::Card(key) = &subscription.billing_key else {
            panic!(
                "expected a normal billing key: {:?}",
                subscription.billing_key
            );
        };
        assert_eq!(key.customer_uid, CUSTOMER_UID);
        assert_eq!(subscription.first_charge.status, PaymentStatus::Paid);
        assert_eq!(
            subscription.first_charge.customer_uid.as_deref(),
            Some(CUSTOMER_UID)
        );
        assert_eq!(subscription.schedules.len(), 1);
        assert_eq!(
            subscription.schedules[0].schedule_status,
            ScheduleStatus::Scheduled
        );

        let seen = fake.requests();
        assert_eq!(
            fake::routes(&seen),
            [
                ("POST", "/users/getToken"),
                ("POST", KEY_PATH),
                ("POST", "/subscribe/payments/again"),
                ("POST", "/subscribe/payments/schedule"),
            ]
        );
        assert!(seen.iter().all(|r| r.status == 200), "every call succeeded");
        assert_eq!(
            fake::body(&seen[1]),
            json!({
                "card_number": "1234-5678-1234-5678",
                "expiry": "2028-12",
                "birth": "900101",
                "pwd_2digit": "12",
                "channel_key": "channel-key-1234abcd",
            })
        );

        let again = fake::body(&seen[2]);
        assert_eq!(again["customer_uid"], CUSTOMER_UID);
        assert_eq!(again["amount"], 9_900);
        assert_eq!(again["name"], "Monthly plan");
        let first_order = again["merchant_uid"].as_str().expect("merchant_uid");
        assert!(first_order.starts_with("customer_1234-"), "{first_order}");

        let booking = fake::body(&seen[3]);
        assert_eq!(booking["customer_uid"], CUSTOMER_UID);
        let entry = &booking["schedules"][0];
        assert_eq!(entry["amount"], 9_900);
        assert_eq!(entry["name"], "Monthly plan");
        let first_at: i64 = first_order["customer_1234-".len()..].parse().expect("time");
        let next_at = entry["schedule_at"].as_i64().expect("schedule_at");
        assert_eq!(next_at - first_at, 30 * 24 * 60 * 60);
        assert_eq!(entry["merchant_uid"], format!("customer_1234-{next_at}"));
        assert_ne!(entry["merchant_uid"], again["merchant_uid"]);

        // The booked charge runs when due, on the stored card.
        let made = fake.run_due_schedules(next_at).await;
        assert_eq!(made.len(), 1);
        let renewal = fake.payment(&made[0]).expect("the scheduled charge");
        assert_eq!(renewal["status"], "paid");
        assert_eq!(renewal["merchant_uid"], entry["merchant_uid"]);
    }

    /// Hand-mounted: the fake refuses a charge it cannot make in the envelope, while this
    /// needs PortOne's other answer, code 0 with a `failed` payment (a declined card).
    #[tokio::test]
    async fn a_failed_first_charge_books_nothing() {
        let server = server().await;
        answer(&server, "POST", KEY_PATH, ok(billing_key()), 1).await;
        answer(
            &server,
            "POST",
            "/subscribe/payments/again",
            ok(charge("failed")),
            1,
        )
        .await;
        answer(
            &server,
            "POST",
            "/subscribe/payments/schedule",
            ok(json!([])),
            0,
        )
        .await;

        let subscription =
            billing_key_schedule::run(&server.uri(), CUSTOMER_UID, &card(), Amount::from(9_900))
                .await
                .expect("handled");
        assert_eq!(subscription.first_charge.status, PaymentStatus::Failed);
        assert_eq!(
            subscription.first_charge.fail_reason.as_deref(),
            Some("잔액 부족")
        );
        assert!(subscription.schedules.is_empty());
    }
}

/// Hand-mounted: the fake does not model cash receipts (it would answer the spec's sample).
mod cash_receipt_example {
    use super::cash_receipt;
    use super::mock::*;
    use portone_v1::{CashReceiptIdentifierType, CashReceiptType};
    use serde_json::json;

    const RECEIPT_PATH: &str = "/receipts/imp_123456789012";

    #[tokio::test]
    async fn issues_a_receipt_for_the_payment() {
        let server = server().await;
        let receipt = json!({
            "imp_uid": IMP_UID,
            "receipt_tid": "20231101123456",
            "apply_num": "123456789",
            "type": "person",
            "amount": 11_000,
            "vat": 1_000,
            "receipt_url": "https://example.com/cash-receipt",
            "applied_at": 1_700_000_000,
            "cancelled_at": 0,
        });
        answer(&server, "POST", RECEIPT_PATH, ok(receipt), 1).await;

        let receipt = cash_receipt::run(
            &server.uri(),
            IMP_UID,
            CashReceiptIdentifierType::Phone,
            "01012345678",
        )
        .await
        .expect("receipt");
        assert_eq!(receipt.apply_num, "123456789");
        assert_eq!(receipt.kind, CashReceiptType::Person);
        assert_eq!(receipt.amount, 11_000);

        let seen = seen(&server).await;
        assert_eq!(
            routes(&seen),
            [("POST", "/users/getToken"), ("POST", RECEIPT_PATH)]
        );
        assert_eq!(
            seen[1].body,
            json!({
                "identifier": "01012345678",
                "identifier_type": "phone",
                "type": "person",
            })
        );
        assert_eq!(seen[1].authorization.as_deref(), Some(BEARER));
    }

    #[tokio::test]
    async fn a_business_number_asks_for_expense_proof_and_refusals_keep_the_message() {
        let server = server().await;
        let refusal = refused(400, -1, "이미 현금영수증이 발급된 거래입니다.");
        answer(&server, "POST", RECEIPT_PATH, refusal, 1).await;

        let error = cash_receipt::run(
            &server.uri(),
            IMP_UID,
            CashReceiptIdentifierType::Business,
            "1234567890",
        )
        .await
        .expect_err("already issued");
        assert_eq!(error.status(), Some(400));
        assert_eq!(
            error.message(),
            Some("이미 현금영수증이 발급된 거래입니다.")
        );

        let seen = seen(&server).await;
        assert_eq!(seen[1].body["identifier_type"], "business");
        assert_eq!(seen[1].body["type"], "company");
    }
}
