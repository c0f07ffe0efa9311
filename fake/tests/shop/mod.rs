//! The shop's side of the fake's tests: the client a user's test builds, pointed at the fake.

#![allow(dead_code)] // Each test crate uses part of it.

use portone_v1::{Client, ClientBuilder};
use portone_v1_fake::FakePortOne;

/// A builder with the fake's credentials and URL, for tests that tune retries or timeouts.
pub fn builder(fake: &FakePortOne) -> ClientBuilder {
    Client::builder()
        .credentials(fake.key(), fake.secret())
        .base_url(fake.base_url())
}

/// The client as a shop builds it, with the default retries.
pub fn client(fake: &FakePortOne) -> Client {
    builder(fake).build().expect("a valid client")
}
