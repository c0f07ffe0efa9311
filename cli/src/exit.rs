//! Exit codes, one per kind of ending a script must tell apart, and the failure that carries
//! one to `main`.

use std::fmt;

use portone_v1_runtime::Error;

/// How a run ended, as its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 0: done.
    Success = 0,
    /// 1: refused, and nothing happened: PortOne said no, `verify` found the payment not
    /// paid, or the operator answered no.
    Refused = 1,
    /// 2: the command line was wrong (clap's code for usage errors); nothing was sent.
    Usage = 2,
    /// 3: credentials missing, readable by other users, or refused by PortOne.
    Credentials = 3,
    /// 4: a call that may move money or change state got no answer, and what happened is
    /// still unknown: look before trying again.
    Unknown = 4,
    /// 5: the call failed and took no effect (network, timeout, server error on a read; a
    /// refund or charge reconciled as not applied).
    Failed = 5,
}

impl Exit {
    /// The process exit code.
    pub(crate) fn code(self) -> u8 {
        self as u8
    }
}

/// A run that ended without success: its exit code and what to tell the operator.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The exit code.
    pub(crate) exit: Exit,
    /// One line, without the `error: ` prefix.
    pub(crate) message: String,
    /// What to do about it, if there is anything to say.
    pub(crate) hint: Option<String>,
}

impl Failure {
    pub(crate) fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Exit::Usage, message)
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    /// A failed call. `may_move_money`: the endpoint is never retried, so an unknown outcome
    /// matters. The runtime's `Display` never shows a secret (errors are redacted there).
    pub(crate) fn call(error: &Error, may_move_money: bool) -> Failure {
        let exit = match error {
            Error::Auth(_) => Exit::Credentials,
            Error::Config(_) | Error::InvalidRequest(_) => Exit::Usage,
            e if may_move_money && e.outcome_unknown() => Exit::Unknown,
            Error::Api(_) if error.code().is_some() || error.status().is_some_and(|s| s < 500) => {
                Exit::Refused
            }
            _ => Exit::Failed,
        };
        let message = match (error, error.code(), error.message()) {
            (Error::Api(_), Some(code), Some(message)) => format!(
                "PortOne refused {} {} (HTTP {}, code {code}): {message}",
                error.method().map_or("", |m| m.as_str()),
                error.path().unwrap_or_default(),
                error.status().unwrap_or_default(),
            ),
            _ => error.to_string(),
        };
        let failure = Failure::new(exit, message);
        match exit {
            Exit::Credentials => failure.hint(
                "check PORTONE_IMP_KEY and PORTONE_IMP_SECRET, or the profile's imp_key and \
                 imp_secret (for a sub-merchant: the agency's pair, with --tier)",
            ),
            Exit::Unknown => failure
                .hint("the request may have taken effect: look it up before sending it again"),
            _ => failure,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}
