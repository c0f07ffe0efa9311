//! Refunds refused and accepted as PortOne checks them, through the generated client: the
//! tax-free and VAT parts, the bank account a virtual account is refunded to, and a
//! promotion's discount with and without `retain_promotion`.

mod shop;

use portone_v1::{
    Amount, BalanceBreakdown, CancelPaymentRequest, Error, GetPaymentQuery, OnetimePaymentRequest,
    PaymentStatus,
};
use portone_v1_fake::{FakePortOne, PayMethod, Promotion, Purchase};

use shop::client;

/// PortOne's refusal inside an error: HTTP status and code.
fn refusal(error: Error) -> (u16, Option<i64>) {
    match &error {
        Error::Api(api) => (api.status(), api.code()),
        _ => panic!("expected PortOne's refusal, got {error:?}"),
    }
}

fn total(part: &BalanceBreakdown) -> Amount {
    part.tax_free + part.supply + part.vat
}

#[tokio::test]
async fn tax_parts_above_what_is_left_of_them_are_refused() {
    let fake = FakePortOne::start().await;
    let client = client(&fake);
    let charge = OnetimePaymentRequest::new("order-1", 11_000, "1234-5678-1234-5678", "2099-12")
        .tax_free(1_000);
    let payment = client.pay_onetime(&charge).await.expect("paid");
    let imp_uid = payment.imp_uid;

    let too_tax_free = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(2_000)
        .tax_free(1_001);
    let error = client.cancel_payment(&too_tax_free).await.unwrap_err();
    assert_eq!(refusal(error), (200, Some(1)));
    // VAT of 10000 taxable is 909; no refund may take more.
    let too_much_vat = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(10_000)
        .vat_amount(910);
    let error = client.cancel_payment(&too_much_vat).await.unwrap_err();
    assert_eq!(refusal(error), (200, Some(1)));

    let fitting = CancelPaymentRequest::by_imp_uid(&imp_uid)
        .amount(2_000)
        .tax_free(1_000)
        .vat_amount(91);
    let refunded = client.cancel_payment(&fitting).await.expect("refunded");
    assert_eq!(refunded.cancel_amount, 2_000);
    let balance = client.get_payment_balance(&imp_uid).await.expect("balance");
    assert_eq!(
        (balance.primary.tax_free, balance.primary.vat),
        (Amount::from(0), Amount::from(818))
    );
}

#[tokio::test]
async fn a_paid_virtual_account_is_refunded_to_the_account_the_request_names() {
    let fake = FakePortOne::start().await;
    let client = client(&fake);
    let imp_uid = fake
        .pay("order-1", 30_000, PayMethod::Vbank)
        .await
        .expect("issued");
    fake.deposit(&imp_uid).await.expect("paid");

    let bare = CancelPaymentRequest::by_imp_uid(&imp_uid);
    assert_eq!(
        refusal(client.cancel_payment(&bare).await.unwrap_err()),
        (200, Some(1))
    );
    let to_account = bare
        .refund_holder("홍길동")
        .refund_bank("004")
        .refund_account("12345678901234");
    let refunded = client.cancel_payment(&to_account).await.expect("refunded");
    assert_eq!(refunded.status, PaymentStatus::Cancelled);
    assert_eq!(refunded.cancel_amount, 30_000);
}

#[tokio::test]
async fn retain_promotion_decides_whether_a_refund_takes_the_discount_back() {
    let fake = FakePortOne::start().await;
    let client = client(&fake);
    // 1000 off orders of at least 10000: the buyer pays 9000 of the 10000 total.
    let promoted = |order: &str| {
        Purchase::new(order, 10_000, PayMethod::Card)
            .promotion(Promotion::new("promotion-id-0001", 1_000).min_amount(10_000))
    };
    let kept = fake.pay_with(promoted("order-1")).await.expect("paid");
    let dropped = fake.pay_with(promoted("order-2")).await.expect("paid");

    let refund = |imp_uid: &str| CancelPaymentRequest::by_imp_uid(imp_uid).amount(4_000);
    client
        .cancel_payment(&refund(&kept).retain_promotion(true))
        .await
        .expect("refunded");
    client
        .cancel_payment(&refund(&dropped))
        .await
        .expect("refunded");

    for (imp_uid, discount, buyer_left) in [(&kept, 1_000, 5_000), (&dropped, 0, 6_000)] {
        let payment = client
            .get_payment(imp_uid, &GetPaymentQuery::new())
            .await
            .expect("payment");
        assert_eq!(payment.cancel_amount, 4_000, "{imp_uid}");
        let promotion = payment.promotion.expect("a promotion");
        assert_eq!(promotion.discount, discount, "{imp_uid}");
        let balance = client.get_payment_balance(imp_uid).await.expect("balance");
        assert_eq!(total(&balance.primary), buyer_left, "{imp_uid}");
        assert_eq!(total(&balance.discount), discount, "{imp_uid}");
    }

    // Without the flag, a refund too small to give the discount back is refused.
    let third = fake.pay_with(promoted("order-3")).await.expect("paid");
    let small = CancelPaymentRequest::by_imp_uid(&third).amount(500);
    assert_eq!(
        refusal(client.cancel_payment(&small).await.unwrap_err()),
        (200, Some(1))
    );
}
