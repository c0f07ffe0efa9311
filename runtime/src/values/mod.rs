//! The values the API's types are made of: `Amount`, `Timestamp`, open enums, secrets, and
//! what the generated serde impls share (`wire`). They use nothing else of the crate.

pub(crate) mod amount;
pub(crate) mod interop;
pub(crate) mod open_enum;
pub(crate) mod query;
pub(crate) mod secret;
pub(crate) mod timestamp;
pub mod wire;
