//! Helpers behind the generated `Serialize` and `Deserialize` impls of structs.
//!
//! The generator writes those impls itself instead of deriving them: a derived impl
//! carries a field-name visitor, a sequence visitor and a field-count expression per type,
//! which the crate never uses but every build type-checks. The shared pieces live here.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::timestamp::Read;
use crate::Timestamp;

/// Reads a string through a conversion from `&str`, without first copying it into a `String`.
///
/// Two uses: open enums decode their value this way, so a known value costs no allocation;
/// and the field loop ([`fields`], and the envelope's) reads each object key as the number of
/// the field it names (`usize::MAX` for a key the type does not know), through the type's
/// non-generic lookup function.
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
/// decoded `Payment` (callgrind, `benches/client.rs`). The envelope's loop still calls it
/// directly; the generated types reach it through [`Slot`].
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

/// A struct whose `Deserialize` impl the generator writes: the part particular to the type,
/// while [`read_object`] holds the visitor all of them share.
pub trait Object: Sized {
    /// What a value that is not an object was expected to be, e.g. `a Payment object`.
    const EXPECTING: &'static str;

    /// Reads the object's entries from `map` (usually through [`fields`]) and builds the value.
    fn read<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error>;
}

/// The body of a generated `Deserialize` impl: reads an object into `T`.
pub fn read_object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        T::read(&mut map)
    }
}

/// Where one field of an object being read goes: `Option<T>` (through [`field`]) or
/// [`Time`] (through [`time`]).
pub trait Slot<'de, A: MapAccess<'de>> {
    /// Reads the field's value; `name` is for the error of a field seen twice.
    fn read(&mut self, map: &mut A, name: &'static str) -> Result<(), A::Error>;
}

impl<'de, A: MapAccess<'de>, T: Deserialize<'de>> Slot<'de, A> for Option<T> {
    fn read(&mut self, map: &mut A, name: &'static str) -> Result<(), A::Error> {
        field(self, map, name)
    }
}

/// The slot of a time field of a response type, read by [`time`].
pub struct Time<'a>(pub &'a mut Option<Option<Timestamp>>);

impl<'de, A: MapAccess<'de>> Slot<'de, A> for Time<'_> {
    fn read(&mut self, map: &mut A, name: &'static str) -> Result<(), A::Error> {
        time(self.0, map, name)
    }
}

/// Reads an object's entries into its fields' slots: `index` gives the number of the slot a
/// key names (`usize::MAX`, or any number past the slots, for a key the type does not know,
/// whose value is skipped).
///
/// The generated impls pass their fields here as one slice of trait objects, so the loop and
/// its dispatch are written once instead of as a generic `match` per type that every build
/// of the crate type-checks and borrow-checks; a call through the slot's vtable costs what the
/// direct call of a `match` arm did.
pub fn fields<'de, A: MapAccess<'de>>(
    map: &mut A,
    index: fn(&str) -> usize,
    slots: &mut [(&'static str, &mut dyn Slot<'de, A>)],
) -> Result<(), A::Error> {
    while let Some(i) = map.next_key_seed(FromStr(index))? {
        match slots.get_mut(i) {
            Some((name, slot)) => slot.read(map, name)?,
            None => skip(map)?,
        }
    }
    Ok(())
}

/// The `index` of a type without fields: every key is unknown.
pub fn no_field(_: &str) -> usize {
    usize::MAX
}

/// Skips the value of a field the type does not know.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// The value of a required field, or the "missing field" error.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// One key of an object being written, and its value: `None` for an unset optional field,
/// which [`write_object`] leaves out.
pub struct Entry<'a> {
    name: &'static str,
    value: Option<&'a dyn erased_serde::Serialize>,
}

/// A field that is always written.
pub fn entry<'a, T: Serialize>(name: &'static str, value: &'a T) -> Entry<'a> {
    Entry {
        name,
        value: Some(value),
    }
}

/// An optional field, written only when it is set, so that an unset field is absent from
/// the body rather than `null`.
pub fn optional<'a, T: Serialize>(name: &'static str, value: &'a Option<T>) -> Entry<'a> {
    match value {
        Some(value) => entry(name, value),
        None => Entry { name, value: None },
    }
}

/// Writes an object of the set entries, in their order.
///
/// Each generated `Serialize` impl is one call to this with its fields as trait objects:
/// the per-type code is then a list that is checked once, instead of a body generic in the
/// serializer that every build of the crate type-checks, borrow-checks and writes into the
/// metadata for every type. The dispatch per field is small beside writing the value.
pub fn write_object<S: Serializer>(
    serializer: S,
    entries: &[Entry<'_>],
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    for entry in entries {
        if let Some(value) = entry.value {
            map.serialize_entry(entry.name, value)?;
        }
    }
    map.end()
}
