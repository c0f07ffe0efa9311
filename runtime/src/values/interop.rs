//! Conversions between [`Timestamp`]/[`Amount`] and the date-time and decimal types of the
//! wider ecosystem, each behind a cargo feature of its own so that nobody compiles a crate they
//! do not use.
//!
//! Conversions that cannot fail are `From`; the others are `TryFrom` and fail rather than
//! round: a time outside the other crate's range, an amount that the other side cannot hold
//! exactly.

/// Why a [`Timestamp`](crate::Timestamp) or an [`Amount`](crate::Amount) could not be
/// converted to or from another crate's type (cargo features `chrono`, `time`, `jiff`,
/// `rust_decimal`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConversionError(&'static str);

#[cfg(feature = "chrono")]
mod chrono_impls {
    use super::ConversionError;
    use crate::Timestamp;

    impl TryFrom<Timestamp> for chrono::DateTime<chrono::Utc> {
        type Error = ConversionError;

        fn try_from(t: Timestamp) -> Result<Self, ConversionError> {
            chrono::DateTime::from_timestamp(t.as_unix(), 0)
                .ok_or(ConversionError("timestamp out of chrono's range"))
        }
    }

    impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for Timestamp {
        /// Truncates to whole seconds, as PortOne counts time.
        fn from(t: chrono::DateTime<Tz>) -> Timestamp {
            Timestamp::from_unix(t.timestamp())
        }
    }
}

#[cfg(feature = "time")]
mod time_impls {
    use super::ConversionError;
    use crate::Timestamp;

    impl TryFrom<Timestamp> for time::OffsetDateTime {
        type Error = ConversionError;

        fn try_from(t: Timestamp) -> Result<Self, ConversionError> {
            time::OffsetDateTime::from_unix_timestamp(t.as_unix())
                .map_err(|_| ConversionError("timestamp out of time's range"))
        }
    }

    impl From<time::OffsetDateTime> for Timestamp {
        /// Truncates to whole seconds, as PortOne counts time.
        fn from(t: time::OffsetDateTime) -> Timestamp {
            Timestamp::from_unix(t.unix_timestamp())
        }
    }
}

#[cfg(feature = "jiff")]
mod jiff_impls {
    use super::ConversionError;
    use crate::Timestamp;

    impl TryFrom<Timestamp> for jiff::Timestamp {
        type Error = ConversionError;

        fn try_from(t: Timestamp) -> Result<Self, ConversionError> {
            jiff::Timestamp::from_second(t.as_unix())
                .map_err(|_| ConversionError("timestamp out of jiff's range"))
        }
    }

    impl From<jiff::Timestamp> for Timestamp {
        /// Truncates to whole seconds (towards the past), as PortOne counts time.
        fn from(t: jiff::Timestamp) -> Timestamp {
            let seconds = t.as_second();
            let before_second = t.subsec_nanosecond() < 0;
            Timestamp::from_unix(seconds - i64::from(before_second))
        }
    }
}

#[cfg(feature = "rust_decimal")]
mod decimal_impls {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use rust_decimal::prelude::ToPrimitive;

    use super::ConversionError;
    use crate::Amount;

    impl TryFrom<Amount> for Decimal {
        type Error = ConversionError;

        /// The shortest decimal that reads back as the same amount: `12.34` stays `12.34`,
        /// never `12.339999999999999857891452847979962825775146484375`.
        fn try_from(amount: Amount) -> Result<Decimal, ConversionError> {
            let value = amount.as_f64();
            if !value.is_finite() {
                return Err(ConversionError("amount is not a finite number"));
            }
            Decimal::from_str(&value.to_string())
                .or_else(|_| Decimal::from_scientific(&format!("{value:e}")))
                .map_err(|_| ConversionError("amount out of Decimal's range"))
        }
    }

    impl TryFrom<Decimal> for Amount {
        type Error = ConversionError;

        /// Fails when the amount cannot be held exactly (more significant digits than an
        /// `f64` keeps), instead of sending PortOne a different amount.
        fn try_from(decimal: Decimal) -> Result<Amount, ConversionError> {
            let value = decimal
                .to_f64()
                .ok_or(ConversionError("decimal out of range"))?;
            let back = Decimal::try_from(Amount::from(value))?;
            if back == decimal.normalize() {
                Ok(Amount::from(value))
            } else {
                Err(ConversionError(
                    "decimal has more digits than an Amount holds exactly",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
    use crate::Timestamp;

    #[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
    const PAID_AT: i64 = 1_700_000_060;

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trips_and_refuses_out_of_range() {
        let t = Timestamp::from_unix(PAID_AT);
        let utc = chrono::DateTime::<chrono::Utc>::try_from(t).expect("in range");
        assert_eq!(utc.to_rfc3339(), "2023-11-14T22:14:20+00:00");
        let kst = utc.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).expect("offset"));
        assert_eq!(Timestamp::from(kst), t);
        assert!(chrono::DateTime::<chrono::Utc>::try_from(Timestamp::from_unix(i64::MAX)).is_err());
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_round_trips_and_refuses_out_of_range() {
        let t = Timestamp::from_unix(PAID_AT);
        let odt = time::OffsetDateTime::try_from(t).expect("in range");
        assert_eq!((odt.year(), odt.hour(), odt.second()), (2023, 22, 20));
        let later = odt + time::Duration::milliseconds(900);
        assert_eq!(Timestamp::from(later), t, "sub-second part is dropped");
        assert!(time::OffsetDateTime::try_from(Timestamp::from_unix(i64::MAX)).is_err());
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn jiff_round_trips_and_truncates_towards_the_past() {
        let t = Timestamp::from_unix(PAID_AT);
        let j = jiff::Timestamp::try_from(t).expect("in range");
        assert_eq!(j.to_string(), "2023-11-14T22:14:20Z");
        assert_eq!(Timestamp::from(j), t);
        let before_epoch = jiff::Timestamp::new(-2, -500_000_000).expect("valid");
        assert_eq!(Timestamp::from(before_epoch).as_unix(), -3);
        assert!(jiff::Timestamp::try_from(Timestamp::from_unix(i64::MAX)).is_err());
    }

    #[cfg(feature = "rust_decimal")]
    #[test]
    fn decimal_conversions_are_exact_or_fail() {
        use std::str::FromStr;

        use rust_decimal::Decimal;

        use crate::Amount;

        for (amount, text) in [
            (64_900.0, "64900"),
            (12.34, "12.34"),
            (0.1, "0.1"),
            (-5.5, "-5.5"),
        ] {
            let d = Decimal::try_from(Amount::from(amount)).expect("finite");
            assert_eq!(d, Decimal::from_str(text).expect("decimal"), "{amount}");
            assert_eq!(Amount::try_from(d).expect("exact").as_f64(), amount);
        }
        assert!(Decimal::try_from(Amount::from(f64::NAN)).is_err());
        let too_precise = Decimal::from_str("12345678901234567.89").expect("decimal");
        assert!(Amount::try_from(too_precise).is_err());
        let trailing_zeros = Decimal::from_str("100.50").expect("decimal");
        assert_eq!(
            Amount::try_from(trailing_zeros).expect("exact").as_f64(),
            100.5
        );
    }
}
