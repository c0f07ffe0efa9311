//! What the buyer does in the payment window: the means of payment, the purchase the test
//! plays (`FakePortOne::pay`) and a card-company promotion it may carry.

use super::amount::FakeAmount;
use crate::spec;

/// The means of payment a buyer picks in the payment window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayMethod {
    /// A credit or check card: paid at once.
    Card,
    /// A real-time bank transfer: paid at once.
    Trans,
    /// A virtual account: issued (`ready`) now, paid when the buyer deposits.
    Vbank,
    /// Mobile phone billing: paid at once.
    Phone,
    /// Kakao Pay: paid at once.
    Kakaopay,
    /// Naver Pay: paid at once.
    Naverpay,
}

impl PayMethod {
    /// Every method the fake models.
    pub(super) const ALL: [PayMethod; 6] = [
        PayMethod::Card,
        PayMethod::Trans,
        PayMethod::Vbank,
        PayMethod::Phone,
        PayMethod::Kakaopay,
        PayMethod::Naverpay,
    ];

    /// The method whose wire value (`pay_method`: `card`, `vbank`, ...) is `value`, if the
    /// fake models it.
    pub fn from_wire(value: &str) -> Option<PayMethod> {
        PayMethod::ALL
            .into_iter()
            .find(|m| m.spec().as_str() == value)
    }

    /// The spec's value for it.
    pub(crate) fn spec(self) -> spec::PayMethod {
        match self {
            PayMethod::Card => spec::PayMethod::Card,
            PayMethod::Trans => spec::PayMethod::Trans,
            PayMethod::Vbank => spec::PayMethod::Vbank,
            PayMethod::Phone => spec::PayMethod::Phone,
            PayMethod::Kakaopay => spec::PayMethod::Kakaopay,
            PayMethod::Naverpay => spec::PayMethod::Naverpay,
        }
    }

    /// The PG the fake pretends handled a window payment made this way.
    pub(super) fn pg_provider(self) -> spec::PgProvider {
        match self {
            PayMethod::Card | PayMethod::Trans | PayMethod::Vbank => spec::PgProvider::Html5Inicis,
            PayMethod::Phone => spec::PgProvider::Danal,
            PayMethod::Kakaopay => spec::PgProvider::Kakaopay,
            PayMethod::Naverpay => spec::PgProvider::Naverpay,
        }
    }
}

/// What the buyer does in the payment window: the order, the amount and the means, plus the
/// details the merchant's page passed to the window. Built with [`Purchase::new`] and setters.
#[derive(Debug, Clone)]
pub struct Purchase {
    pub(crate) merchant_uid: String,
    pub(crate) amount: FakeAmount,
    pub(crate) method: PayMethod,
    pub(crate) currency: String,
    pub(crate) name: Option<String>,
    pub(crate) buyer_name: Option<String>,
    pub(crate) buyer_email: Option<String>,
    pub(crate) buyer_tel: Option<String>,
    pub(crate) notice_url: Option<String>,
    pub(crate) custom_data: Option<String>,
    pub(crate) promotion: Option<Promotion>,
}

impl Purchase {
    /// Pays `amount` KRW for the order `merchant_uid` with `method`: `64_900`, or an amount
    /// with decimals such as `12.34` in a currency that has them (see [`FakeAmount`]).
    pub fn new(
        merchant_uid: impl Into<String>,
        amount: impl Into<FakeAmount>,
        method: PayMethod,
    ) -> Purchase {
        Purchase {
            merchant_uid: merchant_uid.into(),
            amount: amount.into(),
            method,
            currency: spec::Currency::Krw.as_str().to_owned(),
            name: None,
            buyer_name: None,
            buyer_email: None,
            buyer_tel: None,
            notice_url: None,
            custom_data: None,
            promotion: None,
        }
    }

    /// Currency code instead of KRW; checked against a prepared currency.
    pub fn currency(mut self, currency: impl Into<String>) -> Purchase {
        self.currency = currency.into();
        self
    }

    /// The order title shown in the window.
    pub fn name(mut self, name: impl Into<String>) -> Purchase {
        self.name = Some(name.into());
        self
    }

    /// The buyer's name.
    pub fn buyer_name(mut self, name: impl Into<String>) -> Purchase {
        self.buyer_name = Some(name.into());
        self
    }

    /// The buyer's e-mail address.
    pub fn buyer_email(mut self, email: impl Into<String>) -> Purchase {
        self.buyer_email = Some(email.into());
        self
    }

    /// The buyer's phone number.
    pub fn buyer_tel(mut self, tel: impl Into<String>) -> Purchase {
        self.buyer_tel = Some(tel.into());
        self
    }

    /// Webhook URL for this payment, instead of the fake's default one.
    pub fn notice_url(mut self, url: impl Into<String>) -> Purchase {
        self.notice_url = Some(url.into());
        self
    }

    /// The merchant's own data kept with the payment, a JSON string.
    pub fn custom_data(mut self, data: impl Into<String>) -> Purchase {
        self.custom_data = Some(data.into());
        self
    }

    /// A card-company promotion the buyer's card qualifies for; card payments only.
    pub fn promotion(mut self, promotion: Promotion) -> Purchase {
        self.promotion = Some(promotion);
        self
    }
}

/// A card-company promotion (instant discount, 즉시할인) applied in the payment window.
///
/// The payment's `amount` stays the order total, the amount prepared and verified; the
/// buyer's card is charged `discount` less, which the card company covers, and the payment's
/// `promotion` shows it. The promotion's terms ask for an order total of at least
/// `min_amount`: a partial refund that leaves less breaks them, and the refund then takes the
/// discount back from the buyer (the buyer gets the refund less the discount) unless it is
/// sent with `retain_promotion`. PortOne documents only that flag; how the discount is taken
/// back is the fake's reading, described in its README.
#[derive(Debug, Clone)]
pub struct Promotion {
    pub(crate) id: String,
    pub(crate) discount: FakeAmount,
    pub(crate) min_amount: FakeAmount,
}

impl Promotion {
    /// The promotion `id` (PortOne's start with `promotion-id-`) taking `discount` off the
    /// order total, with no minimum total.
    pub fn new(id: impl Into<String>, discount: impl Into<FakeAmount>) -> Promotion {
        Promotion {
            id: id.into(),
            discount: discount.into(),
            min_amount: FakeAmount::from(0),
        }
    }

    /// The smallest order total the promotion's terms allow; the purchase must reach it.
    pub fn min_amount(mut self, amount: impl Into<FakeAmount>) -> Promotion {
        self.min_amount = amount.into();
        self
    }
}
