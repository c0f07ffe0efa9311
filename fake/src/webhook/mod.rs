//! Notifications as PortOne delivers them: a notice's body (`format`), the rules of delivery
//! (`policy`), one attempt (`post`) and the per-payment queues that make and record the
//! attempts (`queue`).

mod format;
mod policy;
mod post;
mod queue;

pub use format::WebhookFormat;
pub(crate) use queue::{Queued, Settings, Webhooks};
