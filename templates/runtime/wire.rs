//! Helpers behind the generated `Serialize` and `Deserialize` impls of structs.
//!
//! The generator writes those impls itself instead of deriving them: a derived impl
//! carries a field-name visitor, a sequence visitor and a field-count expression per type,
//! which the crate never uses but every build type-checks. The shared pieces live here.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// Reads an object key as the position of the field it names, through a generated,
/// non-generic lookup function (`usize::MAX` for a key the type does not know). Matching the
/// key once, outside the generic field loop, keeps that loop a plain jump on a number.
pub struct Key(pub fn(&str) -> usize);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok((self.0)(v))
    }
}

/// Reads a string through a conversion from `&str`, without first copying it into a
/// `String`: the open enums decode this way, so a known value costs no allocation.
pub struct FromStrVisitor<T>(pub fn(&str) -> T);

impl<T> Visitor<'_> for FromStrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }
}

/// Reads the value of a field into its slot; a field seen twice is an error, as with
/// serde's derive.
pub fn field<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a field the type does not know.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// The value of a required field, or the "missing field" error.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Writes an optional field only when it is set, so unset fields are absent from the
/// body rather than `null`.
pub fn optional<M: serde::ser::SerializeMap, T: serde::Serialize>(
    map: &mut M,
    name: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(name, value),
        None => Ok(()),
    }
}
