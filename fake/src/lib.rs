//! A stateful fake of PortOne's V1 REST API, for testing integrations without the live service.
//!
//! Amounts are `f64`, as in the client: exact for every whole amount below 2^53.

// The server that calls the ledger arrives with another branch (issue 14); until then only the
// ledger's own tests use these modules.
#[allow(dead_code, reason = "the server using it is merged separately")]
mod exchange;
#[allow(dead_code, reason = "the server using it is merged separately")]
mod ledger;

pub use exchange::Refusal;
pub use ledger::{PayMethod, Purchase};
