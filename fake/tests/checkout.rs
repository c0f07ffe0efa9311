//! A shop's checkout tested the way its developers would: only the public API of `portone-v1`
//! and `portone-v1-fake`, no hand-mounted answers. The fake keeps the money state, so each
//! step sees what the earlier ones did: the refund in the next lookup, the refusals that
//! follow from it, the webhook and the balance.

mod receiver;
mod shop;

use std::time::Duration;

use portone_v1::webhook::Notification;
use portone_v1::{
    AgainPaymentRequest, Amount, BillingKeyIssueRequest, BillingKeyRecord, CancelOutcome,
    CancelPaymentRequest, Client, Error, Expected, GetPaymentQuery, ListBillingKeyPaymentsQuery,
    ListSchedulesByCustomerQuery, PaymentPrepareRequest, PaymentStatus, RetryPolicy,
    ScheduleCreateRequest, ScheduleEntry, ScheduleList, ScheduleStatus, Timestamp, Verdict,
};
use portone_v1_fake::{FakePortOne, Fault, Operation, PayMethod, Purchase, Served};
use receiver::Receiver;
use shop::client;

/// What can still be refunded: the `checksum` of the next refund.
fn refundable(payment: &portone_v1::Payment) -> Amount {
    payment.amount - payment.cancel_amount
}

/// The refusal inside an error, or a panic naming what came instead.
fn refusal(error: Error) -> (u16, Option<i64>, String) {
    match &error {
        Error::Api(api) => (
            api.status(),
            api.code(),
            api.message().unwrap_or_default().to_owned(),
        ),
        _ => panic!("expected PortOne's refusal, got {error:?}"),
    }
}

#[tokio::test]
async fn checkout_pay_verify_refund_in_part_and_see_it_everywhere() {
    let fake = FakePortOne::start().await;
    let mut webhooks = Receiver::start().await;
    let client = client(&fake);
    let order = "order-1001";

    // The server registers the order's amount before the payment window opens.
    client
        .create_payment_prepare(&PaymentPrepareRequest::new(order, 64_900))
        .await
        .expect("prepared");

    // A buyer whose browser was tampered with pays less: the window refuses.
    let cheap = fake.pay(order, 100, PayMethod::Card).await;
    assert!(cheap.is_err(), "{cheap:?}");

    // The buyer pays in the window; PortOne notifies the shop's webhook.
    let purchase =
        Purchase::new(order, 64_900, PayMethod::Card).notice_url(webhooks.url("/portone/webhook"));
    let imp_uid = fake.pay_with(purchase).await.expect("paid");
    let hook = webhooks.next().await;
    assert_eq!(hook.path, "/portone/webhook");
    let notification = Notification::parse(&hook.body, &hook.content_type).expect("parsed");
    assert_eq!(notification.imp_uid, imp_uid);

    // The webhook is a hint; the shop verifies the payment before shipping.
    let expected = Expected::new(order, 64_900);
    let verdict = client
        .verify_payment(&notification.imp_uid, &expected)
        .await
        .expect("looked up");
    let Verdict::Paid { payment } = verdict else {
        panic!("expected Paid, got {verdict:?}");
    };
    assert_eq!(payment.merchant_uid, order);

    // A partial refund, guarded by the balance just read.
    let payment = client
        .get_payment(&imp_uid, &GetPaymentQuery::new())
        .await
        .expect("payment");
    let checksum = refundable(&payment);
    assert_eq!(checksum, 64_900);
    let refund = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(5_000)
        .checksum(checksum)
        .reason("size exchange")
        .enable_webhook(true);
    let refunded = client.cancel_payment(&refund).await.expect("refunded");
    assert_eq!(refunded.cancel_amount, 5_000);
    assert_eq!(refunded.status, PaymentStatus::Paid, "partly refunded");
    let history = refunded.cancel_history.clone().expect("a refund history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].amount, 5_000);

    let hook = webhooks.next().await;
    let notification = Notification::parse(&hook.body, &hook.content_type).expect("parsed");
    assert_eq!(notification.cancellation_id, history[0].cancellation_id);

    // The same request sent again carries a stale checksum: refused, nothing refunded.
    let (status, code, message) = refusal(client.cancel_payment(&refund).await.unwrap_err());
    assert_eq!((status, code), (200, Some(1)), "{message}");
    assert!(message.contains("checksum"), "{message}");

    // More than what is left, with a fresh checksum: refused too.
    let left = refundable(&refunded);
    let too_much = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(left + Amount::from(1))
        .checksum(left);
    let (status, code, message) = refusal(client.cancel_payment(&too_much).await.unwrap_err());
    assert_eq!((status, code), (200, Some(1)), "{message}");
    assert!(!message.is_empty());

    // The balance and a second verification reflect the one refund that happened.
    let balance = client.get_payment_balance(&imp_uid).await.expect("balance");
    assert_eq!(balance.amount, 59_900);
    assert_eq!(
        balance.histories.map(|h| h.len()),
        Some(2),
        "paid, refunded"
    );
    let verdict = client
        .verify_payment(&imp_uid, &expected)
        .await
        .expect("looked up");
    let Verdict::PartlyCancelled { remaining, .. } = verdict else {
        panic!("expected PartlyCancelled, got {verdict:?}");
    };
    assert_eq!(remaining, 59_900);

    // Exactly the calls above reached the fake, and no webhook beyond the two.
    let cancels: Vec<Served> = fake
        .requests()
        .iter()
        .filter(|r| r.endpoint == Some(Operation::CancelPayment))
        .map(|r| r.served)
        .collect();
    assert_eq!(cancels, [Served::Ledger; 3]);
    webhooks.assert_quiet(Duration::from_millis(100)).await;
}

#[tokio::test]
async fn a_refund_whose_answer_was_lost_is_reconciled_not_sent_again() {
    let fake = FakePortOne::start().await;
    let client = Client::builder()
        .credentials(fake.key(), fake.secret())
        .base_url(fake.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let imp_uid = fake
        .pay("order-2002", 30_000, PayMethod::Card)
        .await
        .expect("paid");
    let payment = client
        .get_payment(&imp_uid, &GetPaymentQuery::new())
        .await
        .expect("payment");
    let refund = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(10_000)
        .checksum(refundable(&payment));

    // PortOne refunds, but the connection breaks before the answer arrives.
    fake.inject(
        Operation::CancelPayment,
        Fault::reset_after_read().on_calls([1]),
    );
    let error = client.cancel_payment(&refund).await.expect_err("no answer");
    assert!(error.outcome_unknown(), "{error:?}");

    let outcome = client.reconcile_cancel(&refund).await.expect("looked up");
    let CancelOutcome::Applied {
        payment,
        cancellation,
    } = outcome
    else {
        panic!("expected Applied, got {outcome:?}");
    };
    assert_eq!(payment.cancel_amount, 10_000);
    assert_eq!(cancellation.map(|c| c.amount), Some(Amount::from(10_000)));

    let cancels = fake
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Operation::CancelPayment))
        .count();
    assert_eq!(cancels, 1, "the refund was sent exactly once");
}

#[tokio::test]
async fn a_subscription_stores_a_card_charges_it_and_runs_the_next_charge_when_due() {
    let fake = FakePortOne::start().await;
    let start = 1_767_225_600; // 2026-01-01T00:00:00Z
    fake.set_now(start);
    let client = client(&fake);
    let customer = "customer-1234";
    let plan = "Monthly plan";

    let card = BillingKeyIssueRequest::new("1234-5678-1234-5678", "2028-12")
        .birth("900101")
        .pwd_2digit("12");
    let key = client
        .issue_billing_key(customer, &card)
        .await
        .expect("billing key");
    let BillingKeyRecord::Card(key) = key else {
        panic!("expected a card billing key, got {key:?}");
    };
    assert_eq!(key.customer_uid, customer);

    let first = AgainPaymentRequest::new(customer, "sub-2026-01", 9_900, plan);
    let charged = client.pay_again(&first).await.expect("charged");
    assert_eq!(charged.status, PaymentStatus::Paid);
    assert_eq!(charged.customer_uid.as_deref(), Some(customer));

    let next_at = start + 31 * 24 * 60 * 60;
    let entry = ScheduleEntry::new("sub-2026-02", Timestamp::from_unix(next_at), 9_900, plan);
    let booked = client
        .create_schedules(&ScheduleCreateRequest::new(customer, vec![entry]))
        .await
        .expect("booked");
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].schedule_status, ScheduleStatus::Scheduled);

    assert!(
        fake.run_due_schedules(next_at - 1).await.is_empty(),
        "not due yet"
    );
    let made = fake.run_due_schedules(next_at).await;
    assert_eq!(made.len(), 1);
    let renewal = client
        .get_payment(&made[0], &GetPaymentQuery::new())
        .await
        .expect("the scheduled charge");
    assert_eq!(
        (renewal.merchant_uid.as_str(), renewal.status),
        ("sub-2026-02", PaymentStatus::Paid)
    );

    let window = ListSchedulesByCustomerQuery::new(
        Timestamp::from_unix(start),
        Timestamp::from_unix(start + 60 * 24 * 60 * 60),
    );
    let listed = client
        .list_schedules_by_customer(customer, &window)
        .await
        .expect("schedules");
    let schedules = match listed {
        ScheduleList::Paged(page) => page.list.unwrap_or_default(),
        ScheduleList::Plain(list) => list,
    };
    assert_eq!(schedules.len(), 1);
    assert_eq!(schedules[0].schedule_status, ScheduleStatus::Executed);
    assert_eq!(schedules[0].imp_uid.as_deref(), Some(made[0].as_str()));
    assert_eq!(schedules[0].payment_status, Some(PaymentStatus::Paid));

    let payments = client
        .list_billing_key_payments(customer, &ListBillingKeyPaymentsQuery::new())
        .await
        .expect("the card's payments");
    let mut orders: Vec<String> = payments
        .list
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.merchant_uid)
        .collect();
    orders.sort();
    assert_eq!(orders, ["sub-2026-01", "sub-2026-02"]);
}
