//! Helpers behind the generated `Serialize` and `Deserialize` impls of structs.
//!
//! The generator writes those impls itself instead of deriving them: a derived impl
//! carries a field-name visitor, a sequence visitor and a field-count expression per type,
//! which the crate never uses but every build type-checks. The shared pieces live here.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::timestamp::Read;
use crate::Timestamp;

/// Reads a string through a conversion from `&str`, without first copying it into a `String`.
///
/// Two uses: open enums decode their value this way, so a known value costs no allocation;
/// and the generated struct impls read each object key as the number of the field it names
/// (`usize::MAX` for a key the type does not know), through a non-generic lookup function,
/// which keeps the generic field loop a plain jump on a number.
pub struct FromStr<T>(pub fn(&str) -> T);

impl<'de, T> DeserializeSeed<'de> for FromStr<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<T> Visitor<'_> for FromStr<T> {
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
///
/// Never inlined: inlined into a 60-arm field loop (as LLVM chose once the runtime became a
/// crate of its own) it tripled the loop's size and cost about 14,000 more instructions per
/// decoded `Payment` (callgrind, `benches/client.rs`).
#[inline(never)]
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

/// Reads the value of a time field of a response type into its slot: `0`, `0.0`, `"0"`, `""`
/// and `null` read as `None`, like a missing key (the slot is then left empty and flattened
/// to `None` by the caller), so "unset" has one representation whatever PortOne sent. A
/// value that is no time at all is an error naming the field; a field seen twice is an error
/// too.
///
/// Generic only in the map access, so one copy serves every time field of every type; never
/// inlined, for the reason given on [`field`].
#[inline(never)]
pub fn time<'de, A: MapAccess<'de>>(
    slot: &mut Option<Option<Timestamp>>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(Read::unset_as_none(Some(name)))?);
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
