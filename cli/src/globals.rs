//! The flags every command has, read once from the matched command line.

use clap::ArgMatches;

use crate::config::Options;
use crate::tree::global;

/// The flags every command has.
#[derive(Debug)]
pub(crate) struct Globals {
    /// Where calls go.
    pub(crate) options: Options,
    /// `--yes`.
    pub(crate) yes: bool,
    /// `--dry-run`.
    pub(crate) dry_run: bool,
}

impl Globals {
    pub(crate) fn read(matches: &ArgMatches) -> Globals {
        let text = |id: &str| matches.get_one::<String>(id).cloned();
        Globals {
            options: Options {
                profile: text(global::PROFILE),
                base_url: text(global::BASE_URL),
                tier: text(global::TIER),
            },
            yes: matches.get_flag(global::YES),
            dry_run: matches.get_flag(global::DRY_RUN),
        }
    }
}
