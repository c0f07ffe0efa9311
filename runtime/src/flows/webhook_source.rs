//! Checking where a webhook notification came from.
//!
//! V1 notifications are not signed, so their body proves nothing: a handler must fetch the
//! payment and compare it with the order before acting. Checking the sender's address against
//! the addresses PortOne publishes for its webhook requests is defence in depth on top of that
//! verification, never a replacement for it: addresses change, and proxies or load balancers
//! in front of the handler may hide the real sender.

use std::net::{IpAddr, Ipv4Addr};

/// The addresses PortOne publishes for V1 webhook requests (checked in November 2026). They
/// can change: keep them in configuration and build [`WebhookSources::new`] from it when
/// PortOne announces new ones.
pub const PORTONE_WEBHOOK_ADDRESSES: [IpAddr; 3] = [
    IpAddr::V4(Ipv4Addr::new(52, 78, 100, 19)),
    IpAddr::V4(Ipv4Addr::new(52, 78, 48, 223)),
    IpAddr::V4(Ipv4Addr::new(52, 78, 5, 241)),
];

/// An allow-list of webhook sender addresses.
///
/// ```
/// # use portone_v1_runtime::WebhookSources;
/// let sources = WebhookSources::portone();
/// assert!(sources.allows("52.78.100.19".parse().unwrap()));
/// // The same address as an IPv4-mapped IPv6 address, as a dual-stack listener reports it.
/// assert!(sources.allows("::ffff:52.78.100.19".parse().unwrap()));
/// assert!(!sources.allows("203.0.113.7".parse().unwrap()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookSources {
    allowed: Vec<IpAddr>,
}

impl WebhookSources {
    /// The addresses PortOne publishes ([`PORTONE_WEBHOOK_ADDRESSES`]).
    pub fn portone() -> WebhookSources {
        WebhookSources::new(PORTONE_WEBHOOK_ADDRESSES)
    }

    /// Your own list, for when PortOne's addresses change or a test sends notifications.
    pub fn new(addresses: impl IntoIterator<Item = IpAddr>) -> WebhookSources {
        WebhookSources {
            allowed: addresses.into_iter().map(|a| a.to_canonical()).collect(),
        }
    }

    /// Whether `sender` is on the list. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) match
    /// their IPv4 form.
    pub fn allows(&self, sender: IpAddr) -> bool {
        self.allowed.contains(&sender.to_canonical())
    }

    /// The addresses on the list.
    pub fn addresses(&self) -> &[IpAddr] {
        &self.allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portone_list_allows_only_the_published_addresses() {
        let sources = WebhookSources::portone();
        for address in PORTONE_WEBHOOK_ADDRESSES {
            assert!(sources.allows(address), "{address}");
        }
        for other in ["52.78.100.18", "127.0.0.1", "::1", "::ffff:52.78.48.224"] {
            assert!(!sources.allows(other.parse().unwrap()), "{other}");
        }
        assert!(sources.allows("::ffff:52.78.5.241".parse().unwrap()));
    }

    #[test]
    fn a_custom_list_replaces_the_published_one() {
        let sources = WebhookSources::new(["::ffff:127.0.0.1".parse().unwrap()]);
        assert!(sources.allows("127.0.0.1".parse().unwrap()));
        assert!(!sources.allows(PORTONE_WEBHOOK_ADDRESSES[0]));
        assert_eq!(
            sources.addresses(),
            ["127.0.0.1".parse::<IpAddr>().unwrap()]
        );
    }
}
