//! What the buyer does in the payment window: the means of payment and the purchase the test
//! plays (`FakePortOne::pay`).

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
    const ALL: [PayMethod; 6] = [
        PayMethod::Card,
        PayMethod::Trans,
        PayMethod::Vbank,
        PayMethod::Phone,
        PayMethod::Kakaopay,
        PayMethod::Naverpay,
    ];

    /// The method whose wire value (`pay_method`) is `value`.
    pub(crate) fn from_wire(value: &str) -> Option<PayMethod> {
        PayMethod::ALL
            .into_iter()
            .find(|m| m.spec().as_str() == value)
    }

    /// The spec's value for it.
    pub(super) fn spec(self) -> spec::PayMethod {
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
    pub(super) merchant_uid: String,
    pub(super) amount: f64,
    pub(super) method: PayMethod,
    pub(super) currency: String,
    pub(super) name: Option<String>,
    pub(super) buyer_name: Option<String>,
    pub(super) buyer_email: Option<String>,
    pub(super) buyer_tel: Option<String>,
    pub(super) notice_url: Option<String>,
    pub(super) custom_data: Option<String>,
}

impl Purchase {
    /// Pays `amount` KRW for the order `merchant_uid` with `method`.
    pub fn new(merchant_uid: impl Into<String>, amount: f64, method: PayMethod) -> Purchase {
        Purchase {
            merchant_uid: merchant_uid.into(),
            amount,
            method,
            currency: spec::Currency::Krw.as_str().to_owned(),
            name: None,
            buyer_name: None,
            buyer_email: None,
            buyer_tel: None,
            notice_url: None,
            custom_data: None,
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
}
