//! Keeps secrets out of everything an error quotes from a response.
//!
//! Errors quote responses to make them debuggable: the start of a body that was not PortOne's
//! envelope, the envelope's `message`, the decoder's description of a bad value and the text
//! around it. A gateway, firewall or proxy that echoes the request puts the request's secrets
//! into that response, so every such piece of text goes through a [`Redactor`] before an error
//! keeps it. It hides:
//! - the client's REST API key and secret and the access token the request carried, as they
//!   are, JSON-escaped or percent-encoded (values shorter than 4 bytes are not searched for:
//!   masking every occurrence of a 2-letter string would garble the text for nothing);
//! - the word after `Bearer `, whatever token it is;
//! - the value after any key in [`SECRET_KEYS`] (`"card_number":"..."`, `pwd_2digit=..`,
//!   `Authorization: ...`), quoted or not;
//! - runs of 13 to 19 digits, grouped by single spaces or dashes or not: card numbers (long
//!   numeric ids are masked too; an excerpt is for reading, not for parsing).
//!
//! The token endpoint's answers are never quoted at all (see `response.rs`).

use std::ops::Range;
use std::sync::Arc;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::values::secret::Secret;

/// Wire names (compared case-insensitively) whose values are secrets wherever they appear in
/// a response: every field the spec marks `secret: true`, plus the headers and token fields
/// that carry credentials. `generator/tests/real_spec.rs` keeps it in step with the spec.
#[doc(hidden)]
pub const SECRET_KEYS: &[&str] = &[
    "access_token",
    "authorization",
    "benepia_password",
    "birth",
    "card_number",
    "code_verifier",
    "cvc",
    "escrow_password",
    "expiry",
    "identifier",
    "imp_key",
    "imp_secret",
    "individual_code",
    "otp",
    "pg_api_key",
    "pwd_2digit",
    "unique_in_site",
    "unique_key",
    "x-imptokenheader",
];

/// What replaces a hidden piece of text.
pub(crate) const MASK: &str = "[redacted]";

/// Largest excerpt of the start of a body kept in an error, in bytes.
const START_LIMIT: usize = 200;

/// Bytes shown on each side of the point where decoding failed.
const HALF_WINDOW: usize = 60;

/// How far beyond an excerpt the text is searched, so that a secret or a key's value that
/// starts outside the excerpt and ends inside it is still found.
const LOOKAROUND: usize = 1024;

/// The secrets one request exposed: the client's credentials and the access token it sent.
/// Cheap to clone (reference-counted); turned into a [`Redactor`] only when an error needs
/// one.
#[derive(Clone, Debug)]
pub(crate) struct Exposed {
    pub(crate) credentials: Arc<[Secret; 2]>,
    pub(crate) token: Option<Secret>,
}

impl Exposed {
    /// The redactor for this request's secrets.
    pub(crate) fn redactor(&self) -> Redactor {
        let values = self.credentials.iter().chain(self.token.as_ref());
        let mut known: Vec<String> = Vec::new();
        for value in values.map(Secret::expose).filter(|v| v.len() >= 4) {
            let json = serde_json::to_string(value).unwrap_or_default();
            let json = json.trim_matches('"');
            let percent = utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
            let form = percent.replace("%20", "+");
            for form in [value, json, &json.replace('/', "\\/"), &percent, &form] {
                if !known.iter().any(|k| k == form) {
                    known.push(form.to_owned());
                }
            }
        }
        Redactor { known }
    }
}

/// Finds and hides secrets in text taken from a response.
pub(crate) struct Redactor {
    /// Known secret values in every form they may take on the wire.
    known: Vec<String>,
}

impl Redactor {
    /// `text` with every secret hidden and control characters turned into spaces.
    pub(crate) fn scrub(&self, text: &str) -> String {
        self.render(text, 0..text.len())
    }

    /// The start of `body` as text, at most 200 bytes, with every secret hidden.
    pub(crate) fn start(&self, body: &[u8]) -> String {
        let searched = &body[..body.len().min(START_LIMIT + LOOKAROUND)];
        let text = String::from_utf8_lossy(searched);
        let end = floor_char_boundary(&text, START_LIMIT);
        self.render(&text, 0..end)
    }

    /// About 120 bytes of `text` around byte `offset`, with every secret hidden.
    pub(crate) fn around(&self, text: &str, offset: usize) -> String {
        let offset = offset.min(text.len());
        let from = floor_char_boundary(text, offset.saturating_sub(HALF_WINDOW + LOOKAROUND));
        let to = ceil_char_boundary(text, offset.saturating_add(HALF_WINDOW + LOOKAROUND));
        let searched = &text[from..to];
        let offset = offset - from;
        let start = floor_char_boundary(searched, offset.saturating_sub(HALF_WINDOW));
        let end = ceil_char_boundary(searched, offset.saturating_add(HALF_WINDOW));
        self.render(searched, start..end)
    }

    /// The `window` of `text`, each hidden range that touches it replaced by [`MASK`].
    fn render(&self, text: &str, window: Range<usize>) -> String {
        let mut out = String::with_capacity(window.len());
        let mut at = window.start;
        for hidden in self.hidden(text) {
            if hidden.end <= window.start || hidden.start >= window.end {
                continue;
            }
            if hidden.start > at {
                out.push_str(&text[at..hidden.start]);
            }
            out.push_str(MASK);
            at = hidden.end.max(at);
        }
        if at < window.end {
            out.push_str(&text[at..window.end]);
        }
        out.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .trim()
            .to_owned()
    }

    /// The byte ranges of `text` to hide, sorted and merged, on char boundaries.
    fn hidden(&self, text: &str) -> Vec<Range<usize>> {
        let lower = text.to_ascii_lowercase();
        let mut ranges = Vec::new();
        for value in &self.known {
            ranges.extend(
                text.match_indices(value.as_str())
                    .map(|(i, v)| i..i + v.len()),
            );
        }
        bearer_tokens(&lower, &mut ranges);
        keyed_values(&lower, &mut ranges);
        card_numbers(text.as_bytes(), &mut ranges);
        ranges.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            let r = floor_char_boundary(text, r.start)..ceil_char_boundary(text, r.end);
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// Ends a secret value that is not quoted.
fn ends_bare_value(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\"'<>&,;}])\\".contains(&b)
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The word after each `bearer ` (or `bearer+`, `bearer%20`).
fn bearer_tokens(lower: &str, ranges: &mut Vec<Range<usize>>) {
    let bytes = lower.as_bytes();
    for (i, word) in lower.match_indices("bearer") {
        let mut j = i + word.len();
        let gap = j;
        loop {
            if bytes.get(j).is_some_and(|b| *b == b' ' || *b == b'+') {
                j += 1;
            } else if lower[j..].starts_with("%20") {
                j += 3;
            } else {
                break;
            }
        }
        let start = j;
        while bytes.get(j).is_some_and(|b| !ends_bare_value(*b)) {
            j += 1;
        }
        if j > start && start > gap {
            ranges.push(start..j);
        }
    }
}

/// The value after each secret key: `key":"value"`, `key=value`, `key: value`, and the
/// JSON-in-a-string form `key\":\"value\"`.
fn keyed_values(lower: &str, ranges: &mut Vec<Range<usize>>) {
    let bytes = lower.as_bytes();
    for key in SECRET_KEYS {
        for (i, _) in lower.match_indices(key) {
            let after = i + key.len();
            if (i > 0 && is_word(bytes[i - 1])) || bytes.get(after).is_some_and(|b| is_word(*b)) {
                continue;
            }
            let mut j = after;
            while bytes.get(j).is_some_and(|b| b"\"'\\ ".contains(b)) {
                j += 1;
            }
            if !bytes.get(j).is_some_and(|b| *b == b':' || *b == b'=') {
                continue;
            }
            j += 1;
            while bytes.get(j).is_some_and(|b| *b == b' ') {
                j += 1;
            }
            let mut quoted = false;
            while bytes
                .get(j)
                .is_some_and(|b| *b == b'"' || *b == b'\'' || *b == b'\\')
            {
                quoted = true;
                j += 1;
            }
            let start = j;
            let end_of_value = |b: u8| match quoted {
                true => b == b'"' || b == b'\'' || b == b'\\',
                false => ends_bare_value(b),
            };
            while bytes.get(j).is_some_and(|b| !end_of_value(*b)) {
                j += 1;
            }
            if j > start {
                ranges.push(start..j);
            }
        }
    }
}

/// Runs of 13 to 19 digits, optionally grouped by single spaces or dashes.
fn card_numbers(bytes: &[u8], ranges: &mut Vec<Range<usize>>) {
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = 0;
        let mut end = i;
        let mut j = i;
        while j < bytes.len() {
            if bytes[j].is_ascii_digit() {
                digits += 1;
                j += 1;
                end = j;
            } else if (bytes[j] == b' ' || bytes[j] == b'-')
                && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
            {
                j += 1;
            } else {
                break;
            }
        }
        if (13..=19).contains(&digits) {
            ranges.push(start..end);
        }
        i = end.max(i + 1);
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Exposed {
            credentials: Arc::new([Secret::new("key-1234"), Secret::new("se/cr et+1")]),
            token: Some(Secret::new("tok-abcdef")),
        }
        .redactor()
    }

    #[test]
    fn hides_known_values_in_every_encoding() {
        let r = redactor();
        for text in [
            "key=key-1234&secret=se/cr et+1",
            r#"{"s":"se\/cr et+1"}"#,
            "imp_secret=se%2Fcr%20et%2B1",
            "s=se%2Fcr+et%2B1",
            "token tok-abcdef here",
        ] {
            let out = r.scrub(text);
            for secret in ["key-1234", "se/cr", "cr et", "cr%20et", "tok-abcdef"] {
                assert!(!out.contains(secret), "{text} -> {out}");
            }
            assert!(out.contains(MASK), "{out}");
        }
    }

    #[test]
    fn hides_values_of_secret_keys_and_bearer_tokens() {
        let r = Exposed {
            credentials: Arc::new([Secret::new("k"), Secret::new("s")]),
            token: None,
        }
        .redactor();
        let cases = [
            (
                r#"{"card_number":"5361-81**-****-1234","amount":1000}"#,
                "5361",
            ),
            (r#"{\"pwd_2digit\":\"12\",\"x\":1}"#, "\"12"),
            ("expiry=2028-12&birth=900101", "2028"),
            (
                "Authorization: Bearer eyJhbGciOi.payload.sig\r\nHost: x",
                "eyJ",
            ),
            ("authorization: raw-token-value\n", "raw-token"),
            ("X-ImpTokenHeader: abc123\n", "abc123"),
            ("CVC = 123;", "123"),
        ];
        for (text, secret) in cases {
            let out = r.scrub(text);
            assert!(!out.contains(secret), "{text} -> {out}");
        }
        // Keys that merely contain a secret key's name keep their values.
        assert_eq!(
            r.scrub(r#"{"birthday_note":"x"}"#),
            r#"{"birthday_note":"x"}"#
        );
        assert_eq!(r.scrub("amount=1000"), "amount=1000");
    }

    #[test]
    fn hides_card_numbers_but_not_ordinary_numbers() {
        let r = redactor();
        assert_eq!(r.scrub("pan 4111 1111 1111 1111 ok"), "pan [redacted] ok");
        assert_eq!(r.scrub("pan 4111-1111-1111-1111"), "pan [redacted]");
        assert_eq!(r.scrub("pan 4111111111111111"), "pan [redacted]");
        let ordinary = "paid_at 1700000000 amount 64900 imp_uid imp_123456789012";
        assert_eq!(r.scrub(ordinary), ordinary);
    }

    #[test]
    fn excerpts_hide_secrets_that_straddle_their_edges() {
        let r = redactor();
        let text = format!("{}tok-abcdef{}", "a".repeat(195), "b".repeat(100));
        let start = r.start(text.as_bytes());
        assert!(!start.contains("tok-a"), "{start}");
        assert!(start.ends_with(MASK), "{start}");
        let text = format!(r#"{{"card_number":"{}","x":"#, "4".repeat(16));
        let around = r.around(&text, text.len());
        assert!(!around.contains("4444"), "{around}");
    }

    #[test]
    fn excerpts_stay_on_char_boundaries() {
        let r = redactor();
        let text = "가".repeat(200);
        assert!(r.start(text.as_bytes()).len() <= START_LIMIT);
        for offset in [0, 1, 2, 100, 301, 599, 600, 10_000] {
            r.around(&text, offset);
        }
    }
}
