//! Open string enums: they keep values this SDK does not know yet.

use std::fmt;

/// A wire value that this version of the SDK does not recognise.
///
/// PortOne may add enum values at any time; they decode into the `Unknown`
/// variant carrying this value, so nothing is lost and the value can be sent
/// back unchanged. Do not match on its contents: a later SDK version may turn
/// it into a named variant.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    #[doc(hidden)]
    pub fn new(value: String) -> Self {
        UnknownValue(value)
    }

    /// The raw wire value.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Implements the wire conversions of a string enum whose last variant is
/// `Unknown(UnknownValue)`. Generated code declares the enum itself (so it reads and
/// formats like any other item) and lists the wire value of every other variant here; the
/// expansion names `::serde`, which the generated crate depends on:
///
/// ```ignore
/// /// Payment status.
/// #[derive(Clone, Debug)]
/// #[non_exhaustive]
/// pub enum PaymentStatus {
///     /// Not paid yet.
///     Ready,
///     /// A value this SDK version does not know.
///     Unknown(crate::runtime::UnknownValue),
/// }
/// crate::runtime::open_enum!(PaymentStatus { Ready = "ready" });
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// `false` for a value this SDK version does not know (the `Unknown` variant),
            /// for instance a typo in a value parsed from user input.
            #[inline]
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(value) => value.as_str(),
                }
            }
        }

        // Written here on the wire value rather than derived: a derived comparison checks
        // the same thing through a match per enum that every build of the crate compiles.
        /// Equal when the wire values are equal.
        impl ::core::cmp::PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::core::cmp::Eq for $name {}

        impl ::core::hash::Hash for $name {
            #[inline]
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state)
            }
        }

        impl ::core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )*
                    other => $name::Unknown($crate::UnknownValue::new(
                        ::std::string::ToString::to_string(other),
                    )),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<$name as ::core::convert::From<&str>>::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                ::serde::de::DeserializeSeed::deserialize(
                    $crate::wire::FromStr(|value: &str| {
                        <$name as ::core::convert::From<&str>>::from(value)
                    }),
                    deserializer,
                )
            }
        }

        impl $crate::QueryValue for $name {
            #[inline]
            fn append_to(
                &self,
                name: &'static str,
                out: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>,
            ) {
                out.push((name, ::std::string::ToString::to_string(self.as_str())));
            }
        }
    };
}
