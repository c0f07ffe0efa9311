//! `cargo xtask compile-times`: how long a clean build of the generated crate takes.
//!
//! Each measurement is `cargo clean -p portone-v1` followed by a timed
//! `cargo build -p portone-v1` with the dependencies already built. One more row times the
//! runtime crate `portone-v1-runtime` the same way: it is a dependency, built once whatever the
//! features, and shown so that the cost of both crates together stays visible. The configurations are
//! measured in interleaved rounds (all features, runtime only, one category, ...; then again),
//! so a neighbour's load on this shared machine spreads over all of them instead of skewing
//! one; the table reports medians and each one's ratio to the all-features build.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Command-line options.
pub struct Options {
    runs: usize,
    every_category: bool,
    non_incremental: bool,
}

impl Options {
    /// Parses `[--runs N] [--every-category] [--non-incremental]`.
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut options = Options {
            runs: 5,
            every_category: false,
            non_incremental: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--runs" => {
                    options.runs = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n > 0)
                        .ok_or("--runs takes a positive number")?;
                }
                "--every-category" => options.every_category = true,
                "--non-incremental" => options.non_incremental = true,
                other => return Err(format!("compile-times: unknown option `{other}`")),
            }
        }
        Ok(options)
    }
}

struct Config {
    label: String,
    package: &'static str,
    args: Vec<String>,
    times: Vec<Duration>,
}

const CRATE: &str = "portone-v1";
const RUNTIME: &str = "portone-v1-runtime";

impl Config {
    fn new(label: &str, package: &'static str, args: &[&str]) -> Config {
        Config {
            label: label.to_owned(),
            package,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            times: Vec::new(),
        }
    }

    fn median(&self) -> Duration {
        let mut sorted = self.times.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }
}

/// Measures and prints the table; the categories are those of the spec in `spec_dir`.
pub fn run(root: &Path, spec_dir: &Path, options: &Options) -> Result<(), String> {
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml"))
        .map_err(|e| format!("cannot read generated/Cargo.toml: {e}"))?;
    let generated = generator::generate(spec_dir, &root.join("templates"))
        .map_err(|report| report.to_string())?;
    let categories: Vec<&str> = generated
        .model
        .categories
        .iter()
        .map(|c| c.key.as_str())
        .collect();
    let base = base_features(&manifest, &categories).join(",");
    let mut configs = vec![
        Config::new("all features", CRATE, &["--all-features"]),
        Config::new(
            "no category",
            CRATE,
            &["--no-default-features", "--features", &base],
        ),
    ];
    for category in &categories {
        if options.every_category || *category == "payment" {
            configs.push(Config::new(
                &format!("`{category}` alone"),
                CRATE,
                &[
                    "--no-default-features",
                    "--features",
                    &format!("{base},{category}"),
                ],
            ));
        }
    }
    configs.push(Config::new(
        "`portone-v1-runtime`, the dependency (once, any features)",
        RUNTIME,
        &[],
    ));
    let mode = if options.non_incremental {
        "non-incremental, as a crates.io dependency is built"
    } else {
        "incremental, cargo's default for a workspace member"
    };
    eprintln!(
        "building dependencies, then {} rounds of {} clean builds ({mode})",
        options.runs,
        configs.len()
    );
    for round in 1..=options.runs {
        for config in &mut configs {
            // Untimed first: the dependencies as this configuration needs them (the runtime's
            // features differ between configurations, and the runtime's row cleans it).
            build(root, options, config)?;
            cargo(root, options, &["clean", "-q", "-p", config.package], &[])?;
            let started = Instant::now();
            build(root, options, config)?;
            config.times.push(started.elapsed());
        }
        eprintln!("round {round} done");
    }
    let all = configs[0].median().as_secs_f64();
    println!("| build | median | runs | vs all features |");
    println!("| --- | --- | --- | --- |");
    for config in &configs {
        let median = config.median().as_secs_f64();
        let runs: Vec<String> = config
            .times
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect();
        let ratio = if config.package == CRATE {
            format!("{:.2}x", median / all)
        } else {
            "(another crate)".to_owned()
        };
        println!(
            "| {} | {median:.2} s | {} | {ratio} |",
            config.label,
            runs.join(", ")
        );
    }
    Ok(())
}

/// The default features that are not categories (the TLS provider): what a build without the
/// categories still needs, read from the manifest so that their names have one home.
fn base_features<'m>(manifest: &'m str, categories: &[&str]) -> Vec<&'m str> {
    manifest
        .lines()
        .skip_while(|l| l.trim() != "default = [")
        .skip(1)
        .take_while(|l| l.trim() != "]")
        .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|name| !categories.contains(name))
        .collect()
}

fn build(root: &Path, options: &Options, config: &Config) -> Result<(), String> {
    cargo(
        root,
        options,
        &["build", "-q", "-p", config.package],
        &config.args,
    )
}

fn cargo(root: &Path, options: &Options, base: &[&str], args: &[String]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(base).args(args);
    if options.non_incremental {
        command.env("CARGO_INCREMENTAL", "0");
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {} {}` failed",
            base.join(" "),
            args.join(" ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{Options, base_features};

    #[test]
    fn the_base_is_the_default_without_the_categories() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\ndefault = [\n    \"aws-lc-rs\",\n    \
                        \"a\",\n    \"b_c\",\n]\nlegacy = []\na = [\"_shared\"]\nb_c = []\n";
        assert_eq!(base_features(manifest, &["a", "b_c"]), ["aws-lc-rs"]);
    }

    #[test]
    fn options_are_checked() {
        assert!(Options::parse(&["--runs", "0"]).is_err());
        assert!(Options::parse(&["--fast"]).is_err());
        let o = Options::parse(&["--runs", "3", "--every-category"]).expect("valid");
        assert_eq!(
            (o.runs, o.every_category, o.non_incremental),
            (3, true, false)
        );
    }
}
