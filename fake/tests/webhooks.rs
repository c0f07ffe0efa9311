//! Notifications end to end, each POSTed to a real receiver on 127.0.0.1 and read with the
//! generated client's `Notification::parse`: what sends one (a paid payment, a virtual account
//! issued and paid into, a refund sent with `enable_webhook` or made in the console) and what
//! does not (a failed payment), then PortOne's delivery rules one test each: one attempt by
//! default, resends on request (a 5xx or a network error, a minute apart on the fake's clock,
//! five attempts at most), its time limits, one payment's notices in order, duplicates, and
//! the order against the buyer's redirect.

mod receiver;
mod shop;

use std::time::Duration;

use portone_v1::webhook::Notification;
use portone_v1::{CancelPaymentRequest, PaymentPrepareRequest, PaymentStatus};
use portone_v1_fake::{ConsoleRefund, FakePortOne, PayMethod, Purchase, WebhookFormat};
use receiver::{Hook, Receiver, Reply};
use shop::client;

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

/// The fake's clock in the delivery tests, stopped so that the tests move it.
const T0: i64 = 1_700_000_000;

/// A fake on a clock stopped at [`T0`], resending failed notifications when `retry`.
async fn stopped_fake(retry: bool) -> FakePortOne {
    let builder = FakePortOne::builder();
    let fake = if retry {
        builder.retry_webhooks()
    } else {
        builder
    }
    .start()
    .await;
    fake.set_now(T0);
    fake
}

/// A card purchase of `order` whose notifications go to `url`.
fn purchase(order: &str, url: String) -> Purchase {
    Purchase::new(order, 10_000, PayMethod::Card).notice_url(url)
}

/// How long a test waits to be sure that nothing more arrives.
const QUIET: Duration = Duration::from_millis(300);

/// The attempts recorded once there are `count`, checked to be exactly `count`.
async fn attempts(fake: &FakePortOne, count: usize) -> Vec<portone_v1_fake::Notification> {
    let sent = fake
        .wait_for_notifications(count, Duration::from_secs(5))
        .await;
    assert_eq!(sent.len(), count, "{sent:#?}");
    sent
}

#[tokio::test]
async fn a_failed_payment_sends_no_notification() {
    let mut receiver = Receiver::start().await;
    let fake = FakePortOne::builder()
        .webhook_url(receiver.url("/hooks"))
        .start()
        .await;
    client(&fake)
        .create_payment_prepare(&PaymentPrepareRequest::new("order-f", 5_000))
        .await
        .expect("prepared");
    fake.pay("order-f", 4_000, PayMethod::Card)
        .await
        .expect_err("the amount differs from the prepared one");
    receiver.assert_quiet(QUIET).await;
    assert!(fake.notifications().is_empty());

    let imp_uid = fake
        .pay("order-f", 5_000, PayMethod::Card)
        .await
        .expect("paid");
    assert_eq!(parse(&receiver.next().await).imp_uid, imp_uid);
}

#[tokio::test]
async fn a_refund_in_the_console_always_notifies() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::start().await;
    let imp_uid = fake
        .pay_with(purchase("order-c", receiver.url("/hooks")))
        .await
        .expect("paid");
    receiver.next().await;

    let refund = ConsoleRefund::new(&imp_uid).amount(4_000).reason("damaged");
    let payment = fake.refund_in_console(refund).await.expect("refunded");
    let notification = parse(&receiver.next().await);
    assert_eq!(notification.imp_uid, imp_uid);
    assert_eq!(notification.status, PaymentStatus::Paid, "partly refunded");
    assert_eq!(
        notification.cancellation_id.as_deref(),
        payment["cancel_history"][0]["cancellation_id"].as_str()
    );

    let api = CancelPaymentRequest::by_imp_uid(&imp_uid).amount(1_000);
    client(&fake).cancel_payment(&api).await.expect("refunded");
    receiver.assert_quiet(QUIET).await;

    fake.refund_in_console(ConsoleRefund::new(&imp_uid))
        .await
        .expect("refunded in full");
    let notification = parse(&receiver.next().await);
    assert_eq!(notification.status, PaymentStatus::Cancelled);
    let refused = fake.refund_in_console(ConsoleRefund::new(&imp_uid)).await;
    assert_eq!(refused.expect_err("nothing left").code, 1);
    receiver.assert_quiet(QUIET).await;
}

#[tokio::test]
async fn a_notification_gets_one_attempt_by_default() {
    let fake = stopped_fake(false).await;
    let mut receiver = Receiver::replying([Reply::Status(500)]).await;
    fake.pay_with(purchase("order-1", receiver.url("/hooks")))
        .await
        .expect("paid");
    receiver.next().await;
    let sent = attempts(&fake, 1).await;
    assert_eq!(
        (
            sent[0].attempt,
            sent[0].sent_at,
            &sent[0].outcome,
            sent[0].retry_at
        ),
        (1, T0, &Ok(500), None)
    );
    fake.advance(Duration::from_secs(600));
    receiver.assert_quiet(QUIET).await;
    assert_eq!(fake.notifications().len(), 1);
}

#[tokio::test]
async fn resends_follow_a_5xx_or_a_network_error_a_minute_apart() {
    let fake = stopped_fake(true).await;
    let replies = [Reply::Status(503), Reply::Close, Reply::Status(200)];
    let mut receiver = Receiver::replying(replies).await;
    fake.pay_with(purchase("order-r", receiver.url("/hooks")))
        .await
        .expect("paid");
    let first = receiver.next().await;
    let sent = attempts(&fake, 1).await;
    assert_eq!(
        (&sent[0].outcome, sent[0].retry_at),
        (&Ok(503), Some(T0 + 60))
    );

    fake.advance(Duration::from_secs(59));
    receiver.assert_quiet(QUIET).await;
    fake.advance(Duration::from_secs(1));
    let second = receiver.next().await;
    assert_eq!(second.body, first.body, "the same notification");
    let sent = attempts(&fake, 2).await;
    assert_eq!((sent[1].attempt, sent[1].sent_at), (2, T0 + 60));
    assert!(sent[1].outcome.is_err(), "closed unanswered: {sent:?}");
    assert_eq!(sent[1].retry_at, Some(T0 + 120));

    fake.advance(Duration::from_secs(60));
    assert_eq!(receiver.next().await.body, first.body);
    let sent = attempts(&fake, 3).await;
    assert_eq!(
        (sent[2].attempt, &sent[2].outcome, sent[2].retry_at),
        (3, &Ok(200), None)
    );
    fake.advance(Duration::from_secs(600));
    receiver.assert_quiet(QUIET).await;
}

#[tokio::test]
async fn resends_stop_after_the_fifth_attempt() {
    let fake = stopped_fake(true).await;
    let mut receiver = Receiver::replying([Reply::Status(500); 6]).await;
    fake.pay_with(purchase("order-5", receiver.url("/hooks")))
        .await
        .expect("paid");
    receiver.next().await;
    for _ in 2..=5 {
        fake.advance(Duration::from_secs(60));
        receiver.next().await;
    }
    let sent = attempts(&fake, 5).await;
    let numbers: Vec<u32> = sent.iter().map(|n| n.attempt).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(sent[4].retry_at, None, "the fifth is the last");
    fake.advance(Duration::from_secs(60));
    receiver.assert_quiet(QUIET).await;
}

#[tokio::test]
async fn an_answer_below_500_is_not_resent() {
    let fake = stopped_fake(true).await;
    let mut receiver = Receiver::replying([Reply::Status(404)]).await;
    fake.pay_with(purchase("order-4", receiver.url("/hooks")))
        .await
        .expect("paid");
    receiver.next().await;
    assert_eq!(attempts(&fake, 1).await[0].retry_at, None);
    fake.advance(Duration::from_secs(60));
    receiver.assert_quiet(QUIET).await;
}

#[tokio::test]
async fn the_first_attempt_waits_30_seconds_for_an_answer() {
    let fake = stopped_fake(false).await;
    let mut receiver = Receiver::replying([Reply::Hang]).await;
    let url = receiver.url("/hooks");
    let ((), paid) = tokio::join!(
        async {
            receiver.next().await;
            fake.advance(Duration::from_secs(29));
            tokio::time::sleep(QUIET).await;
            assert!(fake.notifications().is_empty(), "29 s are within the limit");
            fake.advance(Duration::from_secs(1));
        },
        fake.pay_with(purchase("order-t", url)),
    );
    paid.expect("paid");
    let sent = attempts(&fake, 1).await;
    let why = sent[0].outcome.clone().expect_err("timed out");
    assert!(why.contains("30 s"), "{why}");
    assert_eq!(sent[0].retry_at, None, "not resent by default");
}

#[tokio::test]
async fn a_resend_waits_15_seconds_in_all() {
    let fake = stopped_fake(true).await;
    let replies = [Reply::Status(502), Reply::Hang, Reply::Status(200)];
    let mut receiver = Receiver::replying(replies).await;
    fake.pay_with(purchase("order-15", receiver.url("/hooks")))
        .await
        .expect("paid");
    receiver.next().await;
    fake.advance(Duration::from_secs(60));
    receiver.next().await;
    fake.advance(Duration::from_secs(14));
    tokio::time::sleep(QUIET).await;
    assert_eq!(fake.notifications().len(), 1, "14 s are within the limit");
    fake.advance(Duration::from_secs(1));
    let sent = attempts(&fake, 2).await;
    let why = sent[1].outcome.clone().expect_err("timed out");
    assert!(why.contains("15 s"), "{why}");
    assert_eq!(sent[1].retry_at, Some(T0 + 120));
    fake.advance(Duration::from_secs(45));
    receiver.next().await;
    assert_eq!(attempts(&fake, 3).await[2].outcome, Ok(200));
}

#[tokio::test]
async fn connecting_gives_up_after_10_seconds() {
    // A listener whose accept queue is full: the kernel drops further connection attempts,
    // so connecting neither succeeds nor fails until the sender gives up.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let full = socket.listen(0).unwrap();
    let addr = full.local_addr().unwrap();
    let _queued = tokio::net::TcpStream::connect(addr).await.unwrap();
    let fake = stopped_fake(false).await;
    let url = format!("http://{addr}/hooks");
    let ((), paid) = tokio::join!(
        async {
            tokio::time::sleep(QUIET).await;
            fake.advance(Duration::from_secs(9));
            tokio::time::sleep(QUIET).await;
            assert!(fake.notifications().is_empty(), "9 s are within the limit");
            fake.advance(Duration::from_secs(1));
        },
        fake.pay_with(purchase("order-c", url)),
    );
    paid.expect("paid");
    let why = attempts(&fake, 1).await[0].outcome.clone().unwrap_err();
    assert!(
        why.contains("not connected") && why.contains("10 s"),
        "{why}"
    );
}

#[tokio::test]
async fn one_payments_notifications_keep_their_order_while_a_resend_waits() {
    let fake = stopped_fake(true).await;
    let slow_failure = Reply::Slow(Duration::from_millis(200), 500);
    let mut first = Receiver::replying([slow_failure]).await;
    // A refund made while the paid notification's first attempt is under way, and one made
    // while its resend waits: both return though their notifications wait behind it.
    let in_time = |refund| tokio::time::timeout(Duration::from_secs(5), refund);
    let (paid, imp_uid) = tokio::join!(
        fake.pay_with(purchase("order-o", first.url("/hooks"))),
        async {
            let imp_uid = parse(&first.next().await).imp_uid;
            let part = ConsoleRefund::new(&imp_uid).amount(1_000);
            in_time(fake.refund_in_console(part))
                .await
                .expect("returns while the resend waits")
                .expect("refunded");
            imp_uid
        },
    );
    paid.expect("paid");
    in_time(fake.refund_in_console(ConsoleRefund::new(&imp_uid)))
        .await
        .expect("returns while the resend waits")
        .expect("refunded");
    first.assert_quiet(QUIET).await;

    // Another payment's notifications do not wait behind it.
    let mut other = Receiver::start().await;
    fake.pay_with(purchase("order-p", other.url("/hooks")))
        .await
        .expect("paid");
    assert_eq!(parse(&other.next().await).merchant_uid, "order-p");

    fake.advance(Duration::from_secs(60));
    let statuses = [
        parse(&first.next().await),
        parse(&first.next().await),
        parse(&first.next().await),
    ]
    .map(|n| (n.status, n.cancellation_id.is_some()));
    assert_eq!(
        statuses,
        [
            (PaymentStatus::Paid, false),
            (PaymentStatus::Paid, true),
            (PaymentStatus::Cancelled, true),
        ]
    );
}

#[tokio::test]
async fn one_payments_notifications_keep_their_order_behind_a_slow_receiver() {
    let fake = FakePortOne::start().await;
    let pause = Duration::from_millis(500);
    let replies = [Reply::Status(200), Reply::Slow(pause, 200)];
    let mut receiver = Receiver::replying(replies).await;
    let imp_uid = fake
        .pay_with(purchase("order-s", receiver.url("/hooks")))
        .await
        .expect("paid");
    receiver.next().await;
    let client = client(&fake);
    let mut history = Vec::new();
    for amount in [1_000, 2_000] {
        let refund = CancelPaymentRequest::by_imp_uid(&imp_uid)
            .amount(amount)
            .enable_webhook(true);
        history = client
            .cancel_payment(&refund)
            .await
            .unwrap()
            .cancel_history
            .unwrap();
    }
    let slow = receiver.next().await;
    let next = receiver.next().await;
    assert_eq!(parse(&slow).cancellation_id, history[0].cancellation_id);
    assert_eq!(parse(&next).cancellation_id, history[1].cancellation_id);
    assert!(
        next.arrived - slow.arrived >= pause,
        "sent only once the slow one was answered"
    );
}

#[tokio::test]
async fn duplicates_on_demand() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::start().await;
    fake.set_duplicate_notifications(true);
    let imp_uid = fake
        .pay_with(purchase("order-d", receiver.url("/hooks")))
        .await
        .expect("paid");
    let once = receiver.next().await;
    let twice = receiver.next().await;
    assert_eq!(once.body, twice.body);
    let sent = attempts(&fake, 2).await;
    assert!(sent.iter().all(|n| n.attempt == 1 && n.outcome == Ok(200)));

    fake.set_duplicate_notifications(false);
    fake.refund_in_console(ConsoleRefund::new(&imp_uid))
        .await
        .expect("refunded");
    assert_eq!(
        parse(&receiver.next().await).status,
        PaymentStatus::Cancelled
    );
    receiver.assert_quiet(QUIET).await;
}

#[tokio::test]
async fn by_default_the_notification_arrives_before_the_redirect() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::start().await;
    let imp_uid = fake
        .pay_with(purchase("order-w", receiver.url("/hooks")))
        .await
        .expect("paid");
    let hook = receiver.arrived().expect("delivered before pay returned");
    assert_eq!(parse(&hook).imp_uid, imp_uid);
}

#[tokio::test]
async fn held_notifications_arrive_after_the_redirect() {
    let fake = FakePortOne::start().await;
    let mut receiver = Receiver::start().await;
    fake.hold_notifications();
    let pay = fake.pay_with(purchase("order-h", receiver.url("/hooks")));
    let imp_uid = tokio::time::timeout(Duration::from_secs(5), pay)
        .await
        .expect("returns without the notification")
        .expect("paid");
    // The buyer is back on the shop's page; the shop verifies the payment from there.
    let payment = client(&fake)
        .get_payment(&imp_uid, &Default::default())
        .await
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Paid);
    receiver.assert_quiet(QUIET).await;
    assert!(fake.notifications().is_empty());

    fake.release_notifications();
    assert_eq!(parse(&receiver.next().await).imp_uid, imp_uid);
    assert_eq!(attempts(&fake, 1).await[0].outcome, Ok(200));
}

#[tokio::test]
async fn a_reset_forgets_every_notification_and_sends_later_ones_as_the_builder_set() {
    let fake = stopped_fake(true).await;
    let mut failing = Receiver::replying([Reply::Status(500)]).await;
    fake.pay_with(purchase("order-1", failing.url("/hooks")))
        .await
        .expect("paid");
    failing.next().await;
    assert_eq!(attempts(&fake, 1).await[0].retry_at, Some(T0 + 60));
    fake.set_retry_webhooks(false);
    fake.set_duplicate_notifications(true);
    fake.hold_notifications();

    fake.reset();
    assert!(fake.notifications().is_empty(), "the record is emptied");
    // The clock runs with real time again, long past the resends' minute: none is made.
    failing.assert_quiet(QUIET).await;
    assert!(fake.notifications().is_empty());

    let mut receiver = Receiver::replying([Reply::Status(500)]).await;
    let imp_uid = fake
        .pay_with(purchase("order-2", receiver.url("/hooks")))
        .await
        .expect("paid");
    assert_eq!(
        parse(&receiver.arrived().expect("not held")).imp_uid,
        imp_uid
    );
    receiver.assert_quiet(QUIET).await;
    let sent = attempts(&fake, 1).await;
    assert!(
        sent[0].retry_at.is_some(),
        "resent as the builder said, no duplicate: {sent:?}"
    );
}
