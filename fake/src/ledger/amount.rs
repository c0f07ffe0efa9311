//! Amounts as tests write them (`64_900`, `12.34`), and what makes an amount acceptable in a
//! currency. Every amount that enters the ledger, from a test or from a request, is checked
//! here.

use std::fmt;

/// An amount of money handed to the fake: a whole amount as an integer (`64_900`), or one with
/// decimals as an `f64` (`12.34`) in a currency that has them.
///
/// The fake's methods take `impl Into<FakeAmount>`, so an integer literal needs no suffix
/// (Rust reads it as an `i32`; write `3_000_000_000_i64` beyond that). The amount is checked
/// when it is used, against the payment's currency: a negative, NaN or infinite amount, one
/// above 2^53 (where `f64`, the fake's money, stops being exact), or one with more decimal
/// places than the currency has (none for KRW, JPY and VND, two for the others) is refused
/// with a message saying which, never a panic.
///
/// ```
/// use portone_v1_fake::{FakeAmount, PayMethod, Purchase};
///
/// let won = Purchase::new("order-1001", 64_900, PayMethod::Card);
/// let dollars = Purchase::new("order-1002", 12.34, PayMethod::Card).currency("USD");
/// assert_eq!(FakeAmount::from(64_900), FakeAmount::from(64_900_u64));
/// assert_eq!(FakeAmount::from(12.34).to_string(), "12.34");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FakeAmount(Repr);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Repr {
    /// Any integer type, kept whole so that a value beyond 2^53 is seen, not rounded.
    Whole(i128),
    Decimal(f64),
}

/// The largest whole number an `f64` holds exactly, and so the largest amount the fake keeps.
const EXACT: i128 = 1 << 53;

macro_rules! from_integers {
    ($($int:ty),*) => {$(
        impl From<$int> for FakeAmount {
            fn from(value: $int) -> FakeAmount {
                FakeAmount(Repr::Whole(i128::from(value)))
            }
        }
    )*};
}

from_integers!(i32, i64, u32, u64);

impl From<usize> for FakeAmount {
    fn from(value: usize) -> FakeAmount {
        // usize is at most 64 bits on every target Rust supports.
        FakeAmount(Repr::Whole(value as i128))
    }
}

impl From<f64> for FakeAmount {
    fn from(value: f64) -> FakeAmount {
        FakeAmount(Repr::Decimal(value))
    }
}

impl fmt::Display for FakeAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Whole(whole) => write!(f, "{whole}"),
            Repr::Decimal(value) => write!(f, "{value}"),
        }
    }
}

impl FakeAmount {
    /// The amount as a JSON number, as the control endpoints read it: a whole amount stays
    /// whole (beyond `i64`, it is sent as the nearest `f64`).
    pub(crate) fn to_json(self) -> serde_json::Value {
        match self.0 {
            Repr::Whole(whole) => serde_json::Number::from_i128(whole).map_or_else(
                || serde_json::Value::from(whole as f64),
                serde_json::Value::Number,
            ),
            Repr::Decimal(value) => serde_json::Value::from(value),
        }
    }

    /// The amount as the ledger keeps it, or why it is not acceptable in `currency`.
    pub(crate) fn in_currency(self, currency: &str) -> Result<f64, Unfit> {
        match self.0 {
            Repr::Whole(whole) if whole < 0 => Err(Unfit::Negative),
            Repr::Whole(whole) if whole > EXACT => Err(Unfit::TooLarge),
            // Exact: checked above.
            Repr::Whole(whole) => Ok(whole as f64),
            Repr::Decimal(value) => check(value, currency),
        }
    }

    /// The same, as the refusal a test gets: `what` names the amount.
    pub(crate) fn checked(self, what: &str, currency: &str) -> Result<f64, String> {
        self.in_currency(currency)
            .map_err(|unfit| format!("{what} {self} in {currency} {unfit}"))
    }
}

/// Why an amount is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unfit {
    Negative,
    NotFinite,
    TooLarge,
    /// More decimal places than the currency's `allowed`.
    Decimals {
        allowed: u32,
    },
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unfit::Negative => f.write_str("must not be negative"),
            Unfit::NotFinite => f.write_str("must be a finite number"),
            Unfit::TooLarge => write!(
                f,
                "must be at most 2^53 ({EXACT}), the largest exact amount"
            ),
            Unfit::Decimals { allowed: 0 } => f.write_str("must be whole"),
            Unfit::Decimals { allowed } => write!(f, "must have at most {allowed} decimal places"),
        }
    }
}

/// `value` when it is an acceptable amount in `currency` (see [`FakeAmount`]).
pub(crate) fn check(value: f64, currency: &str) -> Result<f64, Unfit> {
    if !value.is_finite() {
        return Err(Unfit::NotFinite);
    }
    if value < 0.0 {
        return Err(Unfit::Negative);
    }
    if value > EXACT as f64 {
        return Err(Unfit::TooLarge);
    }
    let allowed = decimals(currency);
    if decimal_places(value) > allowed {
        return Err(Unfit::Decimals { allowed });
    }
    Ok(value)
}

/// Decimal places of a currency's amounts (ISO 4217's minor units): none for won, yen and
/// dong, two for the other currencies PortOne takes.
pub(crate) fn decimals(currency: &str) -> u32 {
    match currency {
        "KRW" | "JPY" | "VND" => 0,
        _ => 2,
    }
}

/// Decimal places of `value` as it was written: `Display` prints the shortest decimal that
/// reads back as the same `f64`, which is the literal a test wrote (`12.34`, not
/// `12.339999...`).
fn decimal_places(value: f64) -> u32 {
    let text = value.to_string();
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len() as u32)
}

/// A difference or sum of amounts without float noise: whole amounts are exact already, others
/// are rounded to a thousandth, below any currency's smallest unit.
pub(crate) fn settle(value: f64) -> f64 {
    if value.fract() == 0.0 {
        value
    } else {
        (value * 1000.0).round() / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_of_every_width_and_floats_convert() {
        let whole = FakeAmount::from(64_900);
        assert_eq!(whole, FakeAmount::from(64_900_i64));
        assert_eq!(whole, FakeAmount::from(64_900_u32));
        assert_eq!(whole, FakeAmount::from(64_900_u64));
        assert_eq!(whole, FakeAmount::from(64_900_usize));
        assert_eq!(whole.in_currency("KRW"), Ok(64_900.0));
        assert_eq!(FakeAmount::from(64_900.0).in_currency("KRW"), Ok(64_900.0));
        assert_eq!(FakeAmount::from(12.34).in_currency("USD"), Ok(12.34));
    }

    #[test]
    fn unfit_amounts_are_refused_with_the_reason() {
        let cases: [(FakeAmount, &str, Unfit); 8] = [
            (FakeAmount::from(-1), "KRW", Unfit::Negative),
            (FakeAmount::from(-0.5), "USD", Unfit::Negative),
            (FakeAmount::from(f64::NAN), "KRW", Unfit::NotFinite),
            (FakeAmount::from(f64::INFINITY), "KRW", Unfit::NotFinite),
            (FakeAmount::from(EXACT as u64 + 1), "KRW", Unfit::TooLarge),
            (FakeAmount::from(1.0e16), "KRW", Unfit::TooLarge),
            (
                FakeAmount::from(100.5),
                "KRW",
                Unfit::Decimals { allowed: 0 },
            ),
            (
                FakeAmount::from(12.345),
                "USD",
                Unfit::Decimals { allowed: 2 },
            ),
        ];
        for (amount, currency, unfit) in cases {
            assert_eq!(
                amount.in_currency(currency),
                Err(unfit),
                "{amount} {currency}"
            );
        }
        assert_eq!(
            FakeAmount::from(EXACT as u64).in_currency("KRW"),
            Ok(EXACT as f64)
        );
        assert_eq!(
            FakeAmount::from(0.1).in_currency("JPY"),
            Err(Unfit::Decimals { allowed: 0 })
        );
        assert_eq!(FakeAmount::from(1234.5).in_currency("EUR"), Ok(1234.5));
    }

    #[test]
    fn a_refusal_names_the_amount_the_currency_and_the_reason() {
        assert_eq!(
            FakeAmount::from(100.5).checked("amount", "KRW"),
            Err("amount 100.5 in KRW must be whole".to_owned())
        );
        assert_eq!(
            FakeAmount::from(12.345).checked("discount", "USD"),
            Err("discount 12.345 in USD must have at most 2 decimal places".to_owned())
        );
        assert_eq!(
            FakeAmount::from(f64::NAN).checked("amount", "KRW"),
            Err("amount NaN in KRW must be a finite number".to_owned())
        );
    }

    #[test]
    fn settling_removes_float_noise_only() {
        assert_eq!(settle(12.34 - 2.0), 10.34);
        assert_eq!(settle(0.3 - 0.1), 0.2);
        assert_eq!(settle(9_007_199_254_740_991.0), 9_007_199_254_740_991.0);
    }
}
