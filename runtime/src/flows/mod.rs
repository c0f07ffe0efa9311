//! What a shop does around its calls: reading a webhook notification (`webhook`) and checking
//! where it came from (`webhook_source`), verifying a payment against the order (`verify`),
//! and finding out what a call whose outcome is unknown did (`reconcile`). `docs` holds the
//! docs of the methods `portone-v1` generates for verification and reconciliation.

mod docs;
pub(crate) mod reconcile;
pub(crate) mod verify;
pub(crate) mod webhook;
pub(crate) mod webhook_source;
