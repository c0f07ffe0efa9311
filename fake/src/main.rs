//! `portone-v1-fake [--port PORT] [--seed FILE]`: serves the fake PortOne on 127.0.0.1 until
//! killed, for tests written in other languages.

use std::io::Write;
use std::process::ExitCode;

use portone_v1_fake::{FakePortOne, Seed};

const USAGE: &str = "usage: portone-v1-fake [--port PORT] [--seed FILE]

Serves a fake PortOne V1 API on 127.0.0.1:PORT (default: a free port) until killed, and prints
its base URL and the REST API key and secret it accepts. With --seed, it starts from the
payments, billing keys, schedules and prepared amounts of a seed file (JSON; see the crate's
README). Tests drive it with JSON control endpoints: POST /__fake/pay, /__fake/deposit,
/__fake/run_due_schedules, /__fake/clock, /__fake/reset, /__fake/faults, DELETE
/__fake/faults and GET /__fake/payments/{imp_uid} (see the crate's README).";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
struct Options {
    port: u16,
    seed: Option<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut builder = FakePortOne::builder();
    if let Some(file) = &options.seed {
        match Seed::from_file(file) {
            Ok(seed) => builder = builder.seed(seed),
            Err(e) => {
                eprintln!("the seed is refused: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let port = options.port;
        let fake = match builder.bind(port).await {
            Ok(fake) => fake,
            Err(e) => {
                eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
                return ExitCode::FAILURE;
            }
        };
        // A closed stdout must not stop the server: its users may not read what it prints.
        let _ = writeln!(
            std::io::stdout(),
            "base URL:   {}\nimp_key:    {}\nimp_secret: {}",
            fake.base_url(),
            fake.key(),
            fake.secret()
        );
        std::future::pending::<()>().await;
        ExitCode::SUCCESS
    })
}

/// The options, `None` for `--help`.
fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        port: 0,
        seed: None,
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--port" => {
                let port = rest.next().ok_or("--port needs a number")?;
                options.port = port
                    .parse()
                    .map_err(|_| format!("--port takes a number from 0 to 65535, got {port:?}"))?;
            }
            "--seed" => {
                let file = rest.next().ok_or("--seed needs a file")?;
                options.seed = Some(file.clone());
            }
            other => return Err(format!("unexpected argument: {other}")),
        }
    }
    Ok(Some(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn options(port: u16, seed: Option<&str>) -> Result<Option<Options>, String> {
        Ok(Some(Options {
            port,
            seed: seed.map(str::to_owned),
        }))
    }

    #[test]
    fn arguments() {
        assert_eq!(parse(&args(&[])), options(0, None));
        assert_eq!(parse(&args(&["--port", "8080"])), options(8080, None));
        assert_eq!(
            parse(&args(&["--seed", "seed.json", "--port", "8080"])),
            options(8080, Some("seed.json"))
        );
        assert_eq!(parse(&args(&["--help"])), Ok(None));
        assert!(
            parse(&args(&["--port", "99999"]))
                .unwrap_err()
                .contains("99999")
        );
        assert!(parse(&args(&["--port"])).is_err());
        assert!(parse(&args(&["--seed"])).is_err());
        assert!(
            parse(&args(&["--verbose"]))
                .unwrap_err()
                .contains("--verbose")
        );
    }
}
