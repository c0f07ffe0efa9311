//! `portone-v1-fake [--port PORT]`: serves the fake PortOne on 127.0.0.1 until killed, for
//! tests written in other languages.

use std::process::ExitCode;

const USAGE: &str = "usage: portone-v1-fake [--port PORT]

Serves a fake PortOne V1 API on 127.0.0.1:PORT (default: a free port) until killed, and prints
its base URL and the REST API key and secret it accepts. Tests drive it with JSON control
endpoints: POST /__fake/pay, /__fake/deposit, /__fake/run_due_schedules, /__fake/clock and
GET /__fake/payments/{imp_uid} (see the crate's README).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match parse(&args) {
        Ok(Some(port)) => port,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
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
        let fake = match portone_v1_fake::FakePortOne::builder().bind(port).await {
            Ok(fake) => fake,
            Err(e) => {
                eprintln!("cannot listen on 127.0.0.1:{port}: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("base URL:   {}", fake.base_url());
        println!("imp_key:    {}", fake.key());
        println!("imp_secret: {}", fake.secret());
        std::future::pending::<()>().await;
        ExitCode::SUCCESS
    })
}

/// The port to listen on, `None` for `--help`.
fn parse(args: &[String]) -> Result<Option<u16>, String> {
    match args {
        [] => Ok(Some(0)),
        [flag] if flag == "--help" || flag == "-h" => Ok(None),
        [flag, port] if flag == "--port" => port
            .parse()
            .map(Some)
            .map_err(|_| format!("--port takes a number from 0 to 65535, got {port:?}")),
        [flag] if flag == "--port" => Err("--port needs a number".into()),
        _ => Err(format!("unexpected arguments: {}", args.join(" "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments() {
        assert_eq!(parse(&args(&[])), Ok(Some(0)));
        assert_eq!(parse(&args(&["--port", "8080"])), Ok(Some(8080)));
        assert_eq!(parse(&args(&["--help"])), Ok(None));
        assert!(
            parse(&args(&["--port", "99999"]))
                .unwrap_err()
                .contains("99999")
        );
        assert!(parse(&args(&["--port"])).is_err());
        assert!(
            parse(&args(&["--verbose"]))
                .unwrap_err()
                .contains("--verbose")
        );
    }
}
