//! Access tokens as PortOne hands them out (the project's domain notes, section 1).

use std::hash::{BuildHasher, RandomState};

/// How long before expiry a repeated request extends the token.
const EXTEND_WITHIN: i64 = 60;
/// How far such a request pushes the expiry back.
const EXTENSION: i64 = 5 * 60;

/// The one live token of a fake.
pub(crate) struct Tokens {
    lifetime: i64,
    current: Option<(String, i64)>,
    issued: u64,
}

impl Tokens {
    /// Tokens that live `lifetime` seconds.
    pub(crate) fn new(lifetime: i64) -> Tokens {
        Tokens {
            lifetime,
            current: None,
            issued: 0,
        }
    }

    /// The token and its expiry for a request at `now`: the live one again (its expiry pushed
    /// back by five minutes when at most a minute is left), or a new one once it expired.
    pub(crate) fn issue(&mut self, now: i64) -> (String, i64) {
        match &mut self.current {
            Some((token, expires)) if now < *expires => {
                if *expires - now <= EXTEND_WITHIN {
                    *expires += EXTENSION;
                }
                (token.clone(), *expires)
            }
            _ => {
                self.issued += 1;
                // Unguessable enough that a test cannot pass with a made-up token.
                let noise = RandomState::new().hash_one(self.issued);
                let token = format!("fake_{:016x}{:04x}", noise, self.issued);
                let expires = now + self.lifetime;
                self.current = Some((token.clone(), expires));
                (token, expires)
            }
        }
    }

    /// Whether `token` is the live token at `now`.
    pub(crate) fn valid(&self, token: &str, now: i64) -> bool {
        matches!(&self.current, Some((t, expires)) if t == token && now < *expires)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_token_until_expiry_extended_in_the_last_minute_then_a_new_one() {
        let mut tokens = Tokens::new(1800);
        let (first, expires) = tokens.issue(1000);
        assert_eq!(expires, 2800);
        assert!(tokens.valid(&first, 2799));
        assert!(!tokens.valid(&first, 2800));
        assert!(!tokens.valid("made-up", 1000));
        assert_eq!(
            tokens.issue(2000),
            (first.clone(), 2800),
            "same token, same expiry"
        );
        assert_eq!(
            tokens.issue(2740),
            (first.clone(), 3100),
            "pushed back 5 minutes"
        );
        assert_eq!(
            tokens.issue(2741),
            (first.clone(), 3100),
            "once per minute left"
        );
        let (second, expires) = tokens.issue(3100);
        assert_ne!(second, first, "a new token after expiry");
        assert_eq!(expires, 4900);
        assert!(!tokens.valid(&first, 3100));
    }
}
