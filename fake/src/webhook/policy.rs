//! PortOne's rules for delivering a V1 notification (its V1 webhook guide): how long one
//! attempt may take, and whether and when a failed one is made again. Pure functions, so the
//! rules are tested as a table.

/// Attempts a notification gets when resends are on, the first included.
pub(crate) const MAX_ATTEMPTS: u32 = 5;
/// Seconds from the start of a failed attempt to the start of the next.
pub(crate) const SPACING: i64 = 60;

/// How long one attempt may take, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limits {
    /// So long to connect, then so long from connected to the end of the answer.
    Phases { connect: i64, answer: i64 },
    /// So long for everything.
    Total(i64),
}

/// The limits of attempt number `attempt` (from 1): the first gets 10 s to connect and 30 s
/// to be answered; a resend gets 15 s in all.
pub(crate) fn limits(attempt: u32) -> Limits {
    if attempt <= 1 {
        Limits::Phases {
            connect: 10,
            answer: 30,
        }
    } else {
        Limits::Total(15)
    }
}

/// What one attempt came to: the receiver's HTTP status, or why there is none (a network
/// error or a limit passed).
pub(crate) type Outcome = Result<u16, String>;

/// When to make the attempt after number `attempt`, which started at `started` and came to
/// `outcome`: with `resend` on, a network error or a 5xx is tried again a minute after it
/// started while fewer than five attempts were made; anything else (an answer below 500,
/// resends off) is final. Counting from the start keeps attempts a minute apart whatever each
/// took, so a test on a stopped clock knows when each is due.
pub(crate) fn next_attempt(
    resend: bool,
    attempt: u32,
    outcome: &Outcome,
    started: i64,
) -> Option<i64> {
    let failed = match outcome {
        Err(_) => true,
        Ok(status) => (500..=599).contains(status),
    };
    (resend && failed && attempt < MAX_ATTEMPTS).then_some(started + SPACING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_tried_again_and_when() {
        let network = Err("cannot connect".to_owned());
        let cases: [(bool, u32, Outcome, Option<i64>); 10] = [
            (true, 1, Ok(500), Some(1_060)),
            (true, 1, Ok(503), Some(1_060)),
            (true, 1, Ok(599), Some(1_060)),
            (true, 4, network.clone(), Some(1_060)),
            (true, 5, Ok(500), None),
            (true, 1, Ok(200), None),
            (true, 1, Ok(404), None),
            (true, 1, Ok(302), None),
            (false, 1, Ok(500), None),
            (false, 1, network, None),
        ];
        for (resend, attempt, outcome, expected) in cases {
            assert_eq!(
                next_attempt(resend, attempt, &outcome, 1_000),
                expected,
                "resend {resend}, attempt {attempt}, {outcome:?}"
            );
        }
    }

    #[test]
    fn the_first_attempt_waits_longer_than_a_resend() {
        let first = Limits::Phases {
            connect: 10,
            answer: 30,
        };
        assert_eq!(limits(1), first);
        for attempt in 2..=MAX_ATTEMPTS {
            assert_eq!(limits(attempt), Limits::Total(15));
        }
    }
}
