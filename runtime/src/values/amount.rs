//! Money as the service sends it: a JSON number, whole for won and yen, with decimals for
//! some foreign currencies.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An amount of money in the payment's currency.
///
/// Stored as `f64`, which is exact for every whole amount below 2^53 (far beyond any real
/// payment) and for the two decimal places some PGs allow. Whole amounts are sent as JSON
/// integers, because that is what the service expects for won.
///
/// ```
/// # extern crate portone_v1_runtime as portone_v1;
/// use portone_v1::Amount;
/// let paid = Amount::from(64_900);
/// assert!(paid == 64_900_i64);
/// assert_eq!(paid.to_string(), "64900");
/// assert_eq!(Amount::from(12.5).as_f64(), 12.5);
/// ```
#[derive(Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Amount(f64);

/// The largest whole number an `f64` holds exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Amount {
    /// The amount as a float.
    pub const fn as_f64(self) -> f64 {
        self.0
    }

    fn rounded(value: f64) -> Amount {
        Amount((value * 1000.0).round() / 1000.0)
    }

    /// The amount as an integer, when it is whole.
    pub fn as_i64(self) -> Option<i64> {
        (self.0.fract() == 0.0 && self.0.abs() < EXACT).then_some(self.0 as i64)
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;

    /// Sums two amounts, rounded to 1/1000 of a unit so float noise never leaks into a
    /// request (no currency PortOne handles has more than two decimal places).
    fn add(self, rhs: Amount) -> Amount {
        Amount::rounded(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;

    /// The difference, rounded like [`Add`](std::ops::Add); for instance the refundable
    /// balance `payment.amount - payment.cancel_amount`.
    fn sub(self, rhs: Amount) -> Amount {
        Amount::rounded(self.0 - rhs.0)
    }
}

impl From<f64> for Amount {
    fn from(value: f64) -> Self {
        Amount(value)
    }
}

impl From<i32> for Amount {
    fn from(value: i32) -> Self {
        Amount(f64::from(value))
    }
}

impl From<u32> for Amount {
    fn from(value: u32) -> Self {
        Amount(f64::from(value))
    }
}

impl From<i64> for Amount {
    /// Exact below 2^53; larger values round to the nearest representable amount.
    fn from(value: i64) -> Self {
        Amount(value as f64)
    }
}

impl From<Amount> for f64 {
    fn from(value: Amount) -> Self {
        value.0
    }
}

impl PartialEq<i64> for Amount {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<f64> for Amount {
    fn eq(&self, other: &f64) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_i64() {
            Some(whole) => write!(f, "{whole}"),
            None => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(whole) => serializer.serialize_i64(whole),
            None => serializer.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount (a number, or a string holding one)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        Ok(Amount::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
        Ok(Amount(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        Ok(Amount(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        v.trim()
            .parse::<f64>()
            .map(Amount)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::Amount;

    #[test]
    fn whole_amounts_encode_as_integers() {
        assert_eq!(
            serde_json::to_string(&Amount::from(64_900)).unwrap(),
            "64900"
        );
        assert_eq!(
            serde_json::to_string(&Amount::from(10.25)).unwrap(),
            "10.25"
        );
    }

    #[test]
    fn arithmetic_does_not_leak_float_noise() {
        let left = Amount::from(0.3) - Amount::from(0.1);
        assert_eq!(left.as_f64(), 0.2);
        assert!(Amount::from(64_900) - Amount::from(5_000) == 59_900_i64);
        assert_eq!((Amount::from(0.1) + Amount::from(0.2)).to_string(), "0.3");
    }

    #[test]
    fn decodes_numbers_and_numeric_strings() {
        for (text, expected) in [
            ("1000", 1000.0),
            ("1000.0", 1000.0),
            ("\"1500\"", 1500.0),
            ("12.5", 12.5),
        ] {
            let a: Amount = serde_json::from_str(text).unwrap();
            assert_eq!(a.as_f64(), expected, "{text}");
        }
        assert!(serde_json::from_str::<Amount>("\"ten\"").is_err());
        assert!(serde_json::from_str::<Amount>("null").is_err());
    }
}
