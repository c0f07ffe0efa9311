//! Unit tests that need the crate's private items. The rest drive the public API from
//! `runtime/tests/`.

mod request;
mod retry_rules;
