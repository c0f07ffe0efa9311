//! `portone-v1-fake [--port PORT] [--seed FILE] [--retry-webhooks]`: serves the fake PortOne
//! on 127.0.0.1 until killed, for tests written in other languages.

use std::io::Write;
use std::process::ExitCode;

use portone_v1_fake::{FakePortOne, Seed};

const USAGE: &str = "usage: portone-v1-fake [--port PORT] [--seed FILE] [--retry-webhooks]

Serves a fake PortOne V1 API on 127.0.0.1:PORT (default: a free port) until killed, and prints
its base URL and the REST API key and secret it accepts. With --seed, it starts from the
payments, billing keys, schedules and prepared amounts of a seed file (JSON; see the crate's
README). With --retry-webhooks, a failed notification is sent again as PortOne does on request
(up to 5 attempts, a minute apart on the fake's clock). Tests drive it with JSON control
endpoints: POST /__fake/pay, /__fake/deposit, /__fake/run_due_schedules,
/__fake/refund_in_console, /__fake/clock, /__fake/webhooks, /__fake/reset, /__fake/faults,
DELETE /__fake/faults and GET /__fake/payments/{imp_uid}, /__fake/notifications (see the
crate's README).";

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
    if options.retry_webhooks {
        builder = builder.retry_webhooks();
    }
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

/// What the command line asks for.
#[derive(Debug, PartialEq, Default)]
struct Options {
    /// 0: a free port.
    port: u16,
    /// The seed file to start from.
    seed: Option<String>,
    retry_webhooks: bool,
}

/// The options, `None` for `--help`.
fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--retry-webhooks" => options.retry_webhooks = true,
            "--port" => {
                let port = args.next().ok_or("--port needs a number")?;
                options.port = port
                    .parse()
                    .map_err(|_| format!("--port takes a number from 0 to 65535, got {port:?}"))?;
            }
            "--seed" => {
                let file = args.next().ok_or("--seed needs a file")?;
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

    #[test]
    fn arguments() {
        let options = |port, seed: Option<&str>, retry_webhooks| {
            Ok(Some(Options {
                port,
                seed: seed.map(str::to_owned),
                retry_webhooks,
            }))
        };
        assert_eq!(parse(&args(&[])), options(0, None, false));
        assert_eq!(
            parse(&args(&["--port", "8080"])),
            options(8080, None, false)
        );
        assert_eq!(
            parse(&args(&["--retry-webhooks", "--port", "80"])),
            options(80, None, true)
        );
        assert_eq!(
            parse(&args(&["--seed", "seed.json", "--port", "8080"])),
            options(8080, Some("seed.json"), false)
        );
        assert_eq!(parse(&args(&["--port", "1", "--help"])), Ok(None));
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
