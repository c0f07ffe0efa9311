//! `BlockingClient` (cargo feature `blocking`) against the fake PortOne on 127.0.0.1: calls run
//! to completion without an async runtime of the caller's, share one token, and are refused
//! from inside a runtime instead of blocking it.

use portone_v1::{BlockingClient, Client, Error, GetPaymentQuery, PaymentStatus};
use portone_v1_fake::{FakePortOne, PayMethod};

#[test]
fn blocking_client_runs_calls() {
    let server_runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (fake, imp_uid) = server_runtime.block_on(async {
        let fake = FakePortOne::start().await;
        let imp_uid = fake
            .pay("order-1001", 64_900, PayMethod::Card)
            .await
            .expect("paid");
        (fake, imp_uid)
    });
    let client = Client::builder()
        .credentials(fake.key(), fake.secret())
        .base_url(fake.base_url())
        .build()
        .expect("client");
    let bc = BlockingClient::from_client(client).expect("blocking client");

    let query = GetPaymentQuery::new();
    let payment = bc.run(bc.get_payment(&imp_uid, &query)).expect("payment");
    assert_eq!(
        (payment.merchant_uid.as_str(), payment.status),
        ("order-1001", PaymentStatus::Paid)
    );
    let again = bc.run(bc.get_payment(&imp_uid, &query)).expect("payment");
    assert_eq!(again.imp_uid, payment.imp_uid);

    let inside = server_runtime.block_on(async { bc.run(bc.get_payment(&imp_uid, &query)) });
    assert!(matches!(inside, Err(Error::Config(_))), "{inside:?}");

    let payment_path = format!("/payments/{imp_uid}");
    let routes: Vec<(String, String)> = fake
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    let expected = [
        ("POST", "/users/getToken"),
        ("GET", payment_path.as_str()),
        ("GET", payment_path.as_str()),
    ]
    .map(|(m, p)| (m.to_owned(), p.to_owned()));
    assert_eq!(
        routes, expected,
        "both calls share one access token; the refused one sent nothing"
    );
}
