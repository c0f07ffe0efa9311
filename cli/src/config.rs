//! Where calls go and with which credentials: `PORTONE_IMP_KEY` / `PORTONE_IMP_SECRET`, or a
//! profile of the config file (refused when other users can read it); `--base-url` and
//! `--tier` (or their environment variables) over the profile's.
//!
//! The config file is TOML, one table per profile:
//!
//! ```toml
//! [default]
//! imp_key = "1234567890123456"
//! imp_secret = "..."
//! # optional: base_url = "http://127.0.0.1:8080", tier = "A1B"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use portone_v1_runtime::Core;
use serde::Deserialize;

use crate::exit::{Exit, Failure};

/// The REST API key, from the environment.
pub(crate) const KEY_VAR: &str = "PORTONE_IMP_KEY";
/// The REST API secret, from the environment.
pub(crate) const SECRET_VAR: &str = "PORTONE_IMP_SECRET";
/// The config file, when not in the default place.
pub(crate) const CONFIG_VAR: &str = "PORTONE_CONFIG";
/// The profile used when `--profile` is not given.
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// What the command line says about the connection (flags, or their environment
/// variables).
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// `--profile`; `None` for the default one, which may be missing.
    pub(crate) profile: Option<String>,
    /// `--base-url`.
    pub(crate) base_url: Option<String>,
    /// `--tier`.
    pub(crate) tier: Option<String>,
}

/// A profile of the config file.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Profile {
    imp_key: Option<String>,
    imp_secret: Option<String>,
    base_url: Option<String>,
    tier: Option<String>,
}

/// Keeps the secret out of every `Debug` output.
impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("imp_key", &self.imp_key)
            .field("base_url", &self.base_url)
            .field("tier", &self.tier)
            .finish_non_exhaustive()
    }
}

/// The REST API key and secret.
pub(crate) struct Credentials {
    key: String,
    secret: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// Where calls go, resolved.
#[derive(Debug)]
pub(crate) struct Connection {
    credentials: Option<Credentials>,
    /// Where the key and secret were looked for, for the error when they are missing.
    looked_in: String,
    /// The base URL (PortOne's unless set).
    pub(crate) base_url: String,
    /// The sub-merchant to act for.
    pub(crate) tier: Option<String>,
}

impl Connection {
    /// Resolves the connection from the options, the environment and the config file.
    pub(crate) fn resolve(options: &Options) -> Result<Connection, Failure> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let path = config_path(env(CONFIG_VAR));
        let profile = read_profile(path.as_deref(), options.profile.as_deref())?;
        let from_env = match (env(KEY_VAR), env(SECRET_VAR)) {
            (Some(key), Some(secret)) => Some(Credentials { key, secret }),
            (None, None) => None,
            _ => {
                return Err(Failure::new(
                    Exit::Credentials,
                    format!("set both {KEY_VAR} and {SECRET_VAR}, or neither"),
                ));
            }
        };
        let from_profile = match (profile.imp_key, profile.imp_secret) {
            (Some(key), Some(secret)) => Some(Credentials { key, secret }),
            _ => None,
        };
        let shown = path.as_deref().map_or_else(
            || "no config file (HOME is not set)".to_owned(),
            |p| p.display().to_string(),
        );
        Ok(Connection {
            credentials: from_env.or(from_profile),
            looked_in: format!(
                "{KEY_VAR} and {SECRET_VAR}, then the profile `{}` of {shown}",
                options.profile.as_deref().unwrap_or(DEFAULT_PROFILE)
            ),
            base_url: options
                .base_url
                .clone()
                .or(profile.base_url)
                .unwrap_or_else(|| portone_v1_runtime::DEFAULT_BASE_URL.to_owned()),
            tier: options.tier.clone().or(profile.tier),
        })
    }

    /// A client of the runtime. Without `credentials`, the call needs no token (the token
    /// endpoint, whose body carries its own credentials), so placeholders stand in for the
    /// missing pair: nothing sends them.
    pub(crate) fn core(&self, credentials: bool) -> Result<Core, Failure> {
        let (key, secret) = match (&self.credentials, credentials) {
            (Some(c), _) => (c.key.as_str(), c.secret.as_str()),
            (None, false) => ("-", "-"),
            (None, true) => {
                return Err(
                    Failure::new(Exit::Credentials, "no credentials").hint(format!(
                        "looked in {}; set {KEY_VAR} and {SECRET_VAR}, or write a profile (see \
                     `portone-v1 --help`)",
                        self.looked_in
                    )),
                );
            }
        };
        let mut builder = Core::builder()
            .credentials(key, secret)
            .base_url(&self.base_url)
            .user_agent(concat!("portone-v1-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(tier) = &self.tier {
            builder = builder.tier(tier);
        }
        builder.build().map_err(|e| Failure::usage(e.to_string()))
    }

    /// A client of the typed API, sharing the runtime client's settings.
    pub(crate) fn client(&self) -> Result<portone_v1::Client, Failure> {
        self.core(true).map(portone_v1::Client::from)
    }
}

/// `PORTONE_CONFIG`, else `$XDG_CONFIG_HOME/portone-v1/config.toml`, else
/// `$HOME/.config/portone-v1/config.toml`.
fn config_path(explicit: Option<String>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("portone-v1").join("config.toml"))
}

/// The profile `name` (the default one when `None`) of the config file. A missing file or
/// profile is an empty profile unless it was asked for by name.
fn read_profile(path: Option<&Path>, name: Option<&str>) -> Result<Profile, Failure> {
    let refuse = |message: String| Err(Failure::new(Exit::Credentials, message));
    let Some(path) = path else {
        return match name {
            Some(name) => refuse(format!(
                "no config file for the profile `{name}`: HOME is not set"
            )),
            None => Ok(Profile::default()),
        };
    };
    let shown = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && name.is_none() => {
            return Ok(Profile::default());
        }
        Err(e) => return refuse(format!("cannot read the config file {shown}: {e}")),
    };
    if let Some(mode) = readable_by_others(path) {
        return Err(Failure::new(
            Exit::Credentials,
            format!("the config file {shown} can be read by other users (mode {mode:o}), so its secrets are not used"),
        )
        .hint(format!("chmod 600 {shown}")));
    }
    let mut profiles: BTreeMap<String, Profile> = match toml::from_str(&text) {
        Ok(profiles) => profiles,
        // The message only: toml's `Display` quotes the line, which may hold the secret.
        Err(e) => {
            let line = e
                .span()
                .map_or(0, |span| text[..span.start].matches('\n').count() + 1);
            return refuse(format!("{shown}:{line}: {}", e.message()));
        }
    };
    match (profiles.remove(name.unwrap_or(DEFAULT_PROFILE)), name) {
        (Some(profile), _) => Ok(profile),
        (None, None) => Ok(Profile::default()),
        (None, Some(name)) => refuse(format!("{shown} has no profile `{name}`")),
    }
}

/// The file's permission bits when group or other users may read or write it.
#[cfg(unix)]
fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

/// Other systems have no permission bits to check.
#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> Option<u32> {
    None
}
