//! UNIX timestamps as PortOne V1 sends them.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, DeserializeSeed, Deserializer, Unexpected, Visitor};

/// A point in time in whole seconds since the UNIX epoch.
///
/// PortOne V1 writes "no such time yet" (`paid_at` of an unpaid payment, `revoked_at` of a
/// schedule that still stands) as `0`, and sometimes as `null`, `""` or no key at all. The
/// generated response types read every time field as an `Option<Timestamp>` and turn all of
/// those forms into `None`, so a `Timestamp` you get from a response is always a real time:
///
/// ```
/// # use portone_v1_runtime::Timestamp;
/// # let paid_at: Option<Timestamp> = Some(Timestamp::from_unix(1_700_000_060));
/// if let Some(paid_at) = paid_at {
///     println!("paid at {paid_at}");
/// }
/// ```
///
/// Encoding always writes an integer number of seconds.
///
/// Decoding a bare `Timestamp` (outside the generated types) accepts an integer, a float
/// without a fractional part, or a string holding an integer, and refuses the unset forms
/// (`0`, `0.0`, `"0"`, `""`, `null`) with an error. For a field of your own that PortOne may
/// leave unset, use [`Timestamp::deserialize_option`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Creates a timestamp from seconds since the UNIX epoch.
    pub const fn from_unix(seconds: i64) -> Self {
        Timestamp(seconds)
    }

    /// Returns the number of seconds since the UNIX epoch.
    pub const fn as_unix(self) -> i64 {
        self.0
    }

    /// Converts to a [`SystemTime`]; `None` only when the platform cannot represent it.
    pub fn to_system_time(self) -> Option<SystemTime> {
        let magnitude = Duration::from_secs(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(magnitude)
        } else {
            UNIX_EPOCH.checked_sub(magnitude)
        }
    }

    /// Reads a time PortOne may leave unset: `0`, `0.0`, `"0"`, `""` and `null` become
    /// `None`, like in the generated types.
    ///
    /// Meant for your own serde types, e.g. a webhook body:
    ///
    /// ```
    /// # use portone_v1_runtime::Timestamp;
    /// #[derive(serde::Deserialize)]
    /// struct Notice {
    ///     #[serde(default, deserialize_with = "Timestamp::deserialize_option")]
    ///     paid_at: Option<Timestamp>,
    /// }
    /// let notice: Notice = serde_json::from_str(r#"{"paid_at": 0}"#).unwrap();
    /// assert_eq!(notice.paid_at, None);
    /// ```
    pub fn deserialize_option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        Read::unset_as_none(None).deserialize(deserializer)
    }
}

impl From<i64> for Timestamp {
    /// UNIX seconds, as [`Timestamp::from_unix`].
    fn from(seconds: i64) -> Self {
        Timestamp(seconds)
    }
}

impl std::ops::Add<std::time::Duration> for Timestamp {
    type Output = Timestamp;

    /// Moves the time forward by whole seconds (saturating), e.g. to book a payment in
    /// 30 days.
    fn add(self, rhs: std::time::Duration) -> Timestamp {
        let secs = i64::try_from(rhs.as_secs()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(secs))
    }
}

impl From<SystemTime> for Timestamp {
    /// Truncates to whole seconds; saturates far outside the `i64` range.
    fn from(time: SystemTime) -> Self {
        let seconds = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs())
                .map(|s| -s)
                .unwrap_or(i64::MIN),
        };
        Timestamp(seconds)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The strict reading never yields `None`: it refuses the unset forms itself, inside
        // the deserializer, so the error carries the position of the value.
        Read::set_only()
            .deserialize(deserializer)?
            .ok_or_else(|| de::Error::custom("unset time"))
    }
}

/// Reads PortOne's forms of a time: `Some` for a real time, `None` for the unset forms
/// (`0`, `0.0`, `"0"`, `""`, `null`), or an error for them when `strict`.
///
/// One non-generic value serves as both the seed and the visitor; `field` names the field in
/// error messages (the generated types pass it; serde's own errors do not name fields).
#[derive(Clone, Copy)]
pub(crate) struct Read {
    field: Option<&'static str>,
    strict: bool,
}

impl Read {
    /// Unset forms read as `None`.
    pub(crate) fn unset_as_none(field: Option<&'static str>) -> Self {
        Read {
            field,
            strict: false,
        }
    }

    /// Unset forms are an error.
    fn set_only() -> Self {
        Read {
            field: None,
            strict: true,
        }
    }

    fn unset<E: de::Error>(self, what: Unexpected<'_>) -> Result<Option<Timestamp>, E> {
        if self.strict {
            Err(E::invalid_value(what, &self))
        } else {
            Ok(None)
        }
    }

    fn set<E: de::Error>(self, seconds: i64, what: Unexpected<'_>) -> Result<Option<Timestamp>, E> {
        if seconds == 0 {
            self.unset(what)
        } else {
            Ok(Some(Timestamp(seconds)))
        }
    }
}

impl<'de> DeserializeSeed<'de> for Read {
    type Value = Option<Timestamp>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Read {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a UNIX time in seconds")?;
        if let Some(field) = self.field {
            write!(f, " for `{field}`")?;
        }
        if self.strict {
            f.write_str(" other than the unset forms 0, null and \"\"")
        } else {
            f.write_str(" (or 0, null or \"\" when unset)")
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.set(v, Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match i64::try_from(v) {
            Ok(seconds) => self.set(seconds, Unexpected::Unsigned(v)),
            Err(_) => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // The bounds are exactly representable powers of two.
        let in_range = (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v);
        if v.is_finite() && v.fract() == 0.0 && in_range {
            self.set(v as i64, Unexpected::Float(v))
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let trimmed = v.trim();
        if trimmed.is_empty() {
            return self.unset(Unexpected::Str(v));
        }
        match trimmed.parse::<i64>() {
            Ok(seconds) => self.set(seconds, Unexpected::Str(v)),
            Err(_) => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.unset(Unexpected::Unit)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.unset(Unexpected::Option)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}
