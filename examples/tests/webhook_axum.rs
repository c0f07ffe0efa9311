//! `examples/webhook_axum.rs` end to end on 127.0.0.1: the example's router, served on an
//! ephemeral port, verifies against the fake PortOne, which plays the buyer and POSTs its own
//! notifications to the router; the tests post duplicates, forgeries and broken bodies on top.

#[path = "../examples/webhook_axum.rs"]
#[allow(dead_code)]
mod webhook_axum;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use portone_v1::{Amount, Client, Discrepancy, PaymentPrepareRequest, WebhookSources};
use portone_v1_fake::{
    FakeAmount, FakePortOne, Fault, Operation, PayMethod, Purchase, WebhookFormat,
};
use webhook_axum::{AppState, OrderState, Orders};

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// The example's app, serving in the background, and the fake PortOne it verifies against.
struct Shop {
    fake: FakePortOne,
    client: Client,
    orders: Arc<Orders>,
    url: String,
    http: reqwest::Client,
}

impl Shop {
    async fn start() -> Shop {
        Shop::with(FakePortOne::start().await, None).await
    }

    async fn with(fake: FakePortOne, senders: Option<WebhookSources>) -> Shop {
        let client = Client::builder()
            .credentials(fake.key(), fake.secret())
            .base_url(fake.base_url())
            .build()
            .expect("client");
        let orders = Arc::new(Orders::default());
        let state = AppState {
            client: client.clone(),
            orders: orders.clone(),
            senders,
        };
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let service = webhook_axum::app(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        // reqwest is built without a TLS provider of its own; these requests are plain HTTP.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Shop {
            fake,
            client,
            orders,
            url,
            http: reqwest::Client::builder().no_proxy().build().expect("http"),
        }
    }

    fn webhook_url(&self) -> String {
        format!("{}/portone/webhook", self.url)
    }

    /// The buyer pays `amount` for `merchant_uid`; the fake notifies the app.
    async fn pay(
        &self,
        merchant_uid: &str,
        amount: impl Into<FakeAmount>,
        method: PayMethod,
    ) -> String {
        let purchase = Purchase::new(merchant_uid, amount, method).notice_url(self.webhook_url());
        self.fake.pay_with(purchase).await.expect("paid")
    }

    /// Posts a notification body, as PortOne (or anyone) would.
    async fn notify(&self, content_type: &str, body: &str) -> (u16, String) {
        let response = self
            .http
            .post(self.webhook_url())
            .header("content-type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .expect("posted");
        let status = response.status().as_u16();
        (status, response.text().await.expect("answer"))
    }

    /// The buyer's browser comes back from the payment window.
    async fn redirect(&self, query: &str) -> (u16, String) {
        let url = format!("{}/payments/complete?{query}", self.url);
        let response = self.http.get(url).send().await.expect("sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("answer"))
    }

    fn state(&self, merchant_uid: &str) -> OrderState {
        self.orders.get(merchant_uid).expect("order").state
    }

    /// The app's answer to each notification the fake delivered, oldest first.
    fn delivered(&self) -> Vec<Result<u16, String>> {
        let sent = self.fake.notifications();
        sent.into_iter().map(|n| n.outcome).collect()
    }
}

fn ok(text: &str) -> (u16, String) {
    (200, text.to_owned())
}

#[tokio::test]
async fn a_paid_order_is_fulfilled_once_however_often_it_is_notified() {
    let shop = Shop::start().await;
    shop.orders.insert("order-1", 64_900);
    let prepare = PaymentPrepareRequest::new("order-1", 64_900);
    shop.client
        .create_payment_prepare(&prepare)
        .await
        .expect("prepared");
    let imp_uid = shop.pay("order-1", 64_900, PayMethod::Card).await;

    let sent = shop.fake.notifications();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].content_type, JSON);
    assert_eq!(sent[0].outcome, Ok(200));
    assert_eq!(shop.orders.fulfilments("order-1"), 1);
    assert_eq!(
        shop.state("order-1"),
        OrderState::Paid {
            imp_uid: imp_uid.clone()
        }
    );

    // The same notification again, as delivered, then as a form: decided, nothing done.
    assert_eq!(shop.notify(JSON, &sent[0].body).await, ok("AlreadyPaid"));
    let form = format!("imp_uid={imp_uid}&merchant_uid=order-1&status=paid");
    assert_eq!(shop.notify(FORM, &form).await, ok("AlreadyPaid"));
    assert_eq!(shop.orders.fulfilments("order-1"), 1);
}

#[tokio::test]
async fn notifications_racing_the_redirect_fulfil_once() {
    let shop = Arc::new(Shop::start().await);
    shop.orders.insert("order-2", 12_000);
    // No notice_url: the fake delivers nothing, the test sends every request itself.
    let purchase = Purchase::new("order-2", 12_000, PayMethod::Kakaopay);
    let imp_uid = shop.fake.pay_with(purchase).await.expect("paid");
    assert!(shop.fake.notifications().is_empty());

    let body = format!(r#"{{"imp_uid":"{imp_uid}","merchant_uid":"order-2","status":"paid"}}"#);
    let query = format!("imp_uid={imp_uid}&merchant_uid=order-2");
    let mut racing = Vec::new();
    for _ in 0..4 {
        let (notifier, body) = (shop.clone(), body.clone());
        racing.push(tokio::spawn(
            async move { notifier.notify(JSON, &body).await },
        ));
        let (browser, query) = (shop.clone(), query.clone());
        racing.push(tokio::spawn(async move { browser.redirect(&query).await }));
    }
    let mut answers = Vec::new();
    for request in racing {
        answers.push(request.await.expect("answered"));
    }
    let fulfilled = answers.iter().filter(|a| **a == ok("Fulfilled")).count();
    let duplicates = answers.iter().filter(|a| **a == ok("AlreadyPaid")).count();
    assert_eq!((fulfilled, duplicates), (1, 7), "{answers:?}");
    assert_eq!(shop.orders.fulfilments("order-2"), 1);
}

#[tokio::test]
async fn a_forged_amount_is_flagged_and_not_fulfilled() {
    let shop = Shop::start().await;
    shop.orders.insert("order-3", 64_900);
    // Nothing prepared, so the payment window takes whatever amount the page asked for.
    let imp_uid = shop.pay("order-3", 1_000, PayMethod::Card).await;
    assert_eq!(shop.delivered(), [Ok(200)]);
    let query = format!("imp_uid={imp_uid}&merchant_uid=order-3");
    assert_eq!(shop.redirect(&query).await, ok("Flagged"));

    let order = shop.orders.get("order-3").expect("order");
    assert_eq!(order.state, OrderState::Pending);
    assert_eq!(shop.orders.fulfilments("order-3"), 0);
    assert_eq!(order.flags.len(), 2, "{:?}", order.flags);
    assert_eq!(order.flags[0].imp_uid, imp_uid);
    let forged = Discrepancy::Amount {
        expected: Amount::from(64_900),
        actual: Amount::from(1_000),
    };
    assert_eq!(order.flags[0].discrepancies, [forged]);
    // The forged payment is left for a person: the example never refunds on its own.
    let payment = shop.fake.payment(&imp_uid).expect("payment");
    assert_eq!(payment["status"], "paid");
}

#[tokio::test]
async fn a_notification_naming_another_orders_payment_is_flagged() {
    let shop = Shop::start().await;
    shop.orders.insert("cheap", 1_000);
    shop.orders.insert("dear", 990_000);
    let cheap = shop.pay("cheap", 1_000, PayMethod::Card).await;
    assert_eq!(shop.orders.fulfilments("cheap"), 1);

    let forged = format!("imp_uid={cheap}&merchant_uid=dear&status=paid");
    assert_eq!(shop.notify(FORM, &forged).await, ok("Flagged"));
    assert_eq!(shop.state("dear"), OrderState::Pending);
    assert_eq!(shop.orders.fulfilments("dear"), 0);
    let flags = shop.orders.get("dear").expect("order").flags;
    assert!(
        flags[0].discrepancies.contains(&Discrepancy::OrderId {
            expected: "dear".into(),
            actual: "cheap".into(),
        }),
        "{flags:?}"
    );
}

#[tokio::test]
async fn a_virtual_account_waits_for_the_deposit_then_is_fulfilled_once() {
    let fake = FakePortOne::builder()
        .webhook_format(WebhookFormat::Form)
        .start()
        .await;
    let shop = Shop::with(fake, None).await;
    shop.orders.insert("order-4", 30_000);
    let imp_uid = shop.pay("order-4", 30_000, PayMethod::Vbank).await;
    let sent = shop.fake.notifications();
    assert_eq!(sent[0].content_type, FORM);
    assert!(sent[0].body.contains("status=ready"), "{}", sent[0].body);
    assert_eq!(shop.delivered(), [Ok(200)]);
    let awaiting = OrderState::AwaitingDeposit {
        imp_uid: imp_uid.clone(),
    };
    assert_eq!(shop.state("order-4"), awaiting);
    assert_eq!(shop.orders.fulfilments("order-4"), 0);

    shop.fake.deposit(&imp_uid).await.expect("deposited");
    assert_eq!(shop.delivered(), [Ok(200), Ok(200)]);
    assert_eq!(
        shop.state("order-4"),
        OrderState::Paid {
            imp_uid: imp_uid.clone()
        }
    );
    assert_eq!(shop.orders.fulfilments("order-4"), 1);
    // A late copy of the `ready` notification leaves the paid order alone.
    assert_eq!(shop.notify(FORM, &sent[0].body).await, ok("AlreadyPaid"));
    assert_eq!(shop.state("order-4"), OrderState::Paid { imp_uid });
}

#[tokio::test]
async fn what_is_not_a_notification_is_a_400() {
    let shop = Shop::start().await;
    let (status, why) = shop.notify(JSON, "not json").await;
    assert_eq!(status, 400, "{why}");
    let (status, why) = shop.notify(FORM, "merchant_uid=order-1&status=paid").await;
    assert_eq!(status, 400);
    assert!(why.contains("imp_uid"), "{why}");
    let (status, _) = shop.notify("text/plain", "imp_uid=imp_1").await;
    assert_eq!(status, 400);
    let (status, _) = shop.redirect("merchant_uid=order-1").await;
    assert_eq!(status, 400);
    let huge = "x".repeat(portone_v1::webhook::MAX_NOTIFICATION_SIZE + 1);
    assert_eq!(shop.notify(FORM, &huge).await.0, 413);
    // None of them got as far as a lookup.
    let lookups = shop.fake.requests().into_iter();
    assert_eq!(
        lookups
            .filter(|r| r.endpoint == Some(Operation::GetPayment))
            .count(),
        0
    );
}

#[tokio::test]
async fn unknown_orders_and_payments_are_decided_without_fulfilling() {
    let shop = Shop::start().await;
    shop.orders.insert("order-6", 5_000);
    let made_up = "imp_uid=imp_000000000000&merchant_uid=order-6&status=paid";
    assert_eq!(shop.notify(FORM, made_up).await, ok("Unknown"));
    let unknown_order = "imp_uid=imp_000000000000&merchant_uid=order-x&status=paid";
    assert_eq!(shop.notify(FORM, unknown_order).await, ok("Unknown"));
    assert_eq!(shop.state("order-6"), OrderState::Pending);
    assert_eq!(shop.orders.fulfilments("order-6"), 0);
}

#[tokio::test]
async fn a_failed_lookup_is_a_5xx_and_the_resend_fulfils() {
    let shop = Shop::start().await;
    shop.orders.insert("order-5", 64_900);
    shop.fake.inject(Operation::GetPayment, Fault::status(500));
    shop.pay("order-5", 64_900, PayMethod::Card).await;
    assert_eq!(shop.delivered(), [Ok(503)]);
    assert_eq!(shop.state("order-5"), OrderState::Pending);
    assert_eq!(shop.orders.fulfilments("order-5"), 0);

    // PortOne resends after a 5xx (when resends are enabled); by then the lookup works.
    shop.fake.clear_faults();
    let sent = shop.fake.notifications();
    assert_eq!(shop.notify(JSON, &sent[0].body).await, ok("Fulfilled"));
    assert_eq!(shop.orders.fulfilments("order-5"), 1);
}

#[tokio::test]
async fn the_allow_list_refuses_other_senders() {
    let elsewhere = WebhookSources::new([IpAddr::from([203, 0, 113, 7])]);
    let shop = Shop::with(FakePortOne::start().await, Some(elsewhere)).await;
    shop.orders.insert("order-7", 9_900);
    shop.pay("order-7", 9_900, PayMethod::Card).await;
    assert_eq!(shop.delivered(), [Ok(403)]);
    assert_eq!(shop.orders.fulfilments("order-7"), 0);

    let local = WebhookSources::new([IpAddr::from(Ipv4Addr::LOCALHOST)]);
    let shop = Shop::with(FakePortOne::start().await, Some(local)).await;
    shop.orders.insert("order-7", 9_900);
    shop.pay("order-7", 9_900, PayMethod::Card).await;
    assert_eq!(shop.delivered(), [Ok(200)]);
    assert_eq!(shop.orders.fulfilments("order-7"), 1);
}
