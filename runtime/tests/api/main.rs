//! The runtime driven through its public API only: calls against servers on 127.0.0.1, and
//! the values and flows a user handles. One test binary (one link) with a module per
//! concern; the unit tests that need private items are in `src/tests/`.

mod auth_and_response;
mod on_the_wire;
mod support;
mod token_lifetime;
mod trust;
mod types;
mod verify;
mod webhook;
