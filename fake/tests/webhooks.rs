//! The server delivering the ledger's notices end to end: a paid payment, a virtual account
//! issued and paid into, and a refund sent with `enable_webhook`, each POSTed to a real
//! receiver on 127.0.0.1 and read with the generated client's `Notification::parse`.

mod receiver;

use std::time::Duration;

use portone_v1::webhook::Notification;
use portone_v1::{CancelPaymentRequest, Client, PaymentStatus};
use portone_v1_fake::{FakePortOne, PayMethod, Purchase, WebhookFormat};
use receiver::{Hook, Receiver};

fn client(fake: &FakePortOne) -> Client {
    Client::builder()
        .credentials(fake.key(), fake.secret())
        .base_url(fake.base_url())
        .build()
        .unwrap()
}

fn parse(hook: &Hook) -> Notification {
    Notification::parse(&hook.body, &hook.content_type).expect("a notification")
}

#[tokio::test]
async fn a_paid_payment_notifies_its_own_notice_url() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::start().await;
    let url = receiver.url("/hooks/portone");
    let purchase = Purchase::new("order-1", 12_000, PayMethod::Card).notice_url(url.clone());
    let imp_uid = fake.pay_with(purchase).await.expect("paid");

    let hook = receiver.next().await;
    assert_eq!(hook.path, "/hooks/portone");
    assert_eq!(hook.content_type, "application/json");
    let notification = parse(&hook);
    assert_eq!(notification.imp_uid, imp_uid);
    assert_eq!(notification.merchant_uid, "order-1");
    assert_eq!(notification.status, PaymentStatus::Paid);
    assert_eq!(notification.cancellation_id, None);
    assert!(notification.extra.is_empty(), "{:?}", notification.extra);

    let sent = fake.notifications();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].url.as_str(), &sent[0].outcome),
        (url.as_str(), &Ok(200))
    );
}

#[tokio::test]
async fn a_virtual_account_notifies_when_issued_and_when_paid_into() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::start().await;
    let purchase =
        Purchase::new("order-vbank", 30_000, PayMethod::Vbank).notice_url(receiver.url("/vb"));
    let imp_uid = fake.pay_with(purchase).await.expect("issued");
    let issued = parse(&receiver.next().await);
    assert_eq!(
        (issued.imp_uid.as_str(), issued.status),
        (imp_uid.as_str(), PaymentStatus::Ready)
    );

    fake.deposit(&imp_uid).await.expect("deposited");
    let deposited = parse(&receiver.next().await);
    assert_eq!(
        (deposited.imp_uid.as_str(), deposited.status),
        (imp_uid.as_str(), PaymentStatus::Paid)
    );
    let payment = client(&fake)
        .get_payment(&imp_uid, &Default::default())
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Paid);
}

#[tokio::test]
async fn a_refund_notifies_only_when_asked_to() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::start().await;
    let purchase =
        Purchase::new("order-2", 50_000, PayMethod::Card).notice_url(receiver.url("/hooks"));
    let imp_uid = fake.pay_with(purchase).await.expect("paid");
    assert_eq!(parse(&receiver.next().await).status, PaymentStatus::Paid);
    let client = client(&fake);

    let quiet = CancelPaymentRequest::by_imp_uid(&imp_uid).amount(1_000);
    client.cancel_payment(&quiet).await.expect("refunded");
    receiver.assert_quiet(Duration::from_millis(200)).await;

    let loud = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(2_000)
        .enable_webhook(true);
    let refunded = client.cancel_payment(&loud).await.expect("refunded");
    let notification = parse(&receiver.next().await);
    assert_eq!(notification.imp_uid, imp_uid);
    assert_eq!(notification.status, PaymentStatus::Paid, "partly refunded");
    let history = refunded.cancel_history.expect("a history");
    assert_eq!(history.len(), 2);
    assert_eq!(
        notification.cancellation_id, history[1].cancellation_id,
        "names the refund just made"
    );

    let rest = CancelPaymentRequest::by_imp_uid(&imp_uid).enable_webhook(true);
    client
        .cancel_payment(&rest)
        .await
        .expect("refunded in full");
    assert_eq!(
        parse(&receiver.next().await).status,
        PaymentStatus::Cancelled
    );
    // The fake records a delivery once the receiver has answered it.
    let sent = fake.wait_for_notifications(3, Duration::from_secs(5)).await;
    assert!(sent.iter().all(|n| n.outcome == Ok(200)), "{sent:?}");
    assert_eq!(sent.len(), 3);
}

#[tokio::test]
async fn form_notifications_go_to_the_configured_url() {
    let mut receiver = Receiver::start().await;
    let fake = FakePortOne::builder()
        .webhook_format(WebhookFormat::Form)
        .webhook_url(receiver.url("/console"))
        .start()
        .await;
    let imp_uid = fake
        .pay("order 3", 1_000, PayMethod::Trans)
        .await
        .expect("paid");
    let hook = receiver.next().await;
    assert_eq!(hook.path, "/console");
    assert_eq!(hook.content_type, "application/x-www-form-urlencoded");
    let notification = parse(&hook);
    assert_eq!(
        (
            notification.imp_uid.as_str(),
            notification.merchant_uid.as_str()
        ),
        (imp_uid.as_str(), "order 3")
    );
}
