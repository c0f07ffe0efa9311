//! What a user's test pays for a fake: start one, pay, get a token and look the payment up
//! through a new client, then drop it all (target: under 20 ms, median).

use criterion::{Criterion, criterion_group, criterion_main};
use portone_v1::{Client, GetPaymentQuery};
use portone_v1_fake::{FakePortOne, PayMethod};

fn start_token_lookup(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    c.bench_function("start + token + get_payment", |b| {
        b.to_async(&runtime).iter(|| async {
            let fake = FakePortOne::start().await;
            let client = Client::builder()
                .credentials(fake.key(), fake.secret())
                .base_url(fake.base_url())
                .build()
                .expect("a client");
            let imp_uid = fake
                .pay("order-1", 1_000, PayMethod::Card)
                .await
                .expect("paid");
            client
                .get_payment(&imp_uid, &GetPaymentQuery::new())
                .await
                .expect("the payment");
        });
    });
}

criterion_group!(benches, start_token_lookup);
criterion_main!(benches);
