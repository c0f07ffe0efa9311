//! Running the `portone-v1` binary against a fake PortOne started in the test: the helpers of
//! the generated `tests/commands/` (one test per command) and of the hand-written tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use portone_v1_fake::{FakePortOne, Operation, Received, Served};

/// A fake PortOne and the runtime serving it, for a synchronous test.
pub struct Fake {
    pub fake: FakePortOne,
    pub runtime: tokio::runtime::Runtime,
}

impl Fake {
    /// A fake with its default credentials.
    pub fn start() -> Fake {
        Fake::with(FakePortOne::builder())
    }

    /// A fake accepting the `imp_key` and `imp_secret` of a token request's body.
    pub fn accepting(token_body: &str) -> Fake {
        let body: serde_json::Value = serde_json::from_str(token_body).expect("sample JSON");
        let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
        Fake::with(FakePortOne::builder().credentials(field("imp_key"), field("imp_secret")))
    }

    fn with(builder: portone_v1_fake::FakePortOneBuilder) -> Fake {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let fake = runtime.block_on(builder.start());
        Fake { fake, runtime }
    }

    /// The command `portone-v1 ARGS` pointed at this fake with its credentials, in an empty
    /// home (no config file of the machine's user).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = bare(args);
        command
            .env("PORTONE_BASE_URL", self.fake.base_url())
            .env("PORTONE_IMP_KEY", self.fake.key())
            .env("PORTONE_IMP_SECRET", self.fake.secret());
        command
    }

    /// Runs `portone-v1 ARGS` against this fake.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(
            self.command(args)
                .stdin(Stdio::null())
                .output()
                .expect("the binary runs"),
        )
    }

    /// The requests the fake received for `operation`.
    pub fn requests_to(&self, operation: Operation) -> Vec<Received> {
        self.fake
            .requests()
            .into_iter()
            .filter(|r| r.endpoint == Some(operation))
            .collect()
    }

    /// Pays an order in the fake through `portone-v1 fake pay`, returning its imp_uid.
    pub fn pay(&self, order: &str, amount: u32) -> String {
        let run = self.run(&[
            "fake",
            "pay",
            "--order",
            order,
            "--amount",
            &amount.to_string(),
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        run.json()["imp_uid"]
            .as_str()
            .expect("an imp_uid")
            .to_owned()
    }
}

/// `portone-v1 ARGS` with no PortOne settings at all: no `PORTONE_*` variable, an empty home.
pub fn bare(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portone-v1"));
    for (name, _) in std::env::vars() {
        if name.starts_with("PORTONE_") {
            command.env_remove(name);
        }
    }
    command
        .args(args)
        .env("HOME", scratch("home"))
        .env("XDG_CONFIG_HOME", scratch("config"));
    command
}

/// A fresh directory of this test process.
pub fn scratch(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "portone-v1-cli-{}-{}-{name}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    pub fn of(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Standard output as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }
}

/// Runs a generated command against a fresh fake, with `--yes`, each secret written to a
/// file its flag names: the fake must have routed and decoded exactly one request to `key`
/// (neither routing, the token check nor decoding refused it), and the command must have
/// printed the answer as JSON, or, when the fake's ledger refused the call, exited 1 saying
/// so.
pub fn command(key: &str, args: &[&str], secrets: &[(&str, &str)], token_body: Option<&str>) {
    let fake = match token_body {
        Some(body) => Fake::accepting(body),
        None => Fake::start(),
    };
    let dir = scratch(key);
    let mut line: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    for (flag, value) in secrets {
        let file = dir.join(flag);
        std::fs::write(&file, format!("{value}\n")).expect("a secret file");
        line.push(format!("--{flag}={}", file.display()));
    }
    line.push("--yes".into());
    let line: Vec<&str> = line.iter().map(String::as_str).collect();
    let run = fake.run(&line);
    let operation: Operation = key
        .parse()
        .unwrap_or_else(|e| panic!("{key} is no endpoint of the spec: {e}"));
    let seen = fake.requests_to(operation);
    assert_eq!(seen.len(), 1, "{key}: requests {seen:?}\n{run:?}");
    let served = seen[0].served;
    assert!(
        matches!(served, Served::Sample | Served::Ledger | Served::Token),
        "{key}: the fake refused the command's request: {:?}\n{run:?}",
        seen[0]
    );
    match run.code {
        0 => {
            run.json();
        }
        1 if served == Served::Ledger => {
            assert!(run.stderr.contains("PortOne refused"), "{run:?}");
        }
        _ => panic!("{key}: {run:?}"),
    }
    for (_, value) in secrets {
        assert!(
            !run.stdout.contains(value) && !run.stderr.contains(value),
            "{key}: a secret was printed: {run:?}"
        );
    }
}
