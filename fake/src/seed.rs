//! Seed files: a known state for a fake to start from, written as JSON in the spec's shapes
//! (the crate README's "Seed files" describes the format).

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::json::{ReadError, ReadJson};
use crate::ledger::Ledger;
use crate::spec::SeedFile;

/// A known state for a fake: payments, billing keys, schedules and prepared amounts, read and
/// checked. Give it to [`FakePortOneBuilder::seed`](crate::FakePortOneBuilder::seed) (or the
/// binary's `--seed FILE`); [`FakePortOne::reset`](crate::FakePortOne::reset) goes back to it.
///
/// ```
/// use portone_v1_fake::Seed;
///
/// let seed = Seed::from_json(r#"{"prepared": [{"merchant_uid": "order-1", "amount": 1000}]}"#)
///     .unwrap();
/// let broken = Seed::from_json(r#"{"prepared": [{"merchant_uid": "order-1"}]}"#).unwrap_err();
/// assert_eq!(broken.to_string(), "`prepared[0].amount`: is required");
/// # drop(seed);
/// ```
#[derive(Clone)]
pub struct Seed {
    pub(crate) ledger: Ledger,
}

impl Seed {
    /// Reads a seed from JSON text.
    pub fn from_json(text: &str) -> Result<Seed, SeedError> {
        let value: Value = serde_json::from_str(text).map_err(|e| SeedError {
            file: None,
            at: String::new(),
            message: format!("not JSON: {e}"),
        })?;
        Seed::from_value(&value).map_err(SeedError::from)
    }

    /// Reads a seed file; an error names the file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let in_file = |mut e: SeedError| {
            e.file = Some(path.to_owned());
            e
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            in_file(SeedError {
                file: None,
                at: String::new(),
                message: format!("cannot be read: {e}"),
            })
        })?;
        Seed::from_json(&text).map_err(in_file)
    }

    fn from_value(value: &Value) -> Result<Seed, ReadError> {
        let file = SeedFile::read_json(value, "")?;
        Ok(Seed {
            ledger: Ledger::seeded(file)?,
        })
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed { .. }")
    }
}

/// Why a seed was refused: the file (when read from one), where in it (`payments[0].amount`,
/// empty for the whole), and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    file: Option<PathBuf>,
    at: String,
    message: String,
}

impl SeedError {
    /// The seed file, when the seed was read from one.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Where the problem is: a path such as `payments[0].amount`, empty for the whole seed.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<ReadError> for SeedError {
    fn from(e: ReadError) -> SeedError {
        SeedError {
            file: None,
            at: e.at,
            message: e.message,
        }
    }
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}: ", file.display())?;
        }
        if !self.at.is_empty() {
            write!(f, "`{}`: ", self.at)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for SeedError {}
