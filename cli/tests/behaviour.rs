//! What is the same for every command, and the hand-written commands, against the fake
//! PortOne: credentials, output, errors and exit codes, secrets, the question and
//! `--dry-run`, `--json`, the refund's checksum and the reconciliation of unknown outcomes,
//! `verify`, `payments sweep`, `webhook send` and `listen`, `fake serve` and `pay`, `api`,
//! completions.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStderr, ChildStdout, Stdio};

use portone_v1_fake::{Fault, Operation};
use serde_json::Value;
use support::{Fake, Run, bare, scratch};

/// A paid order in a fresh fake: the fake and the payment's imp_uid.
fn paid(amount: u32) -> (Fake, String) {
    let fake = Fake::start();
    let imp_uid = fake.pay("order-1001", amount);
    (fake, imp_uid)
}

/// The body the fake received in the only request to `operation`.
fn body_of(fake: &Fake, operation: Operation) -> Value {
    let seen = fake.requests_to(operation);
    assert_eq!(seen.len(), 1, "{seen:?}");
    serde_json::from_str(&seen[0].body).expect("a JSON body")
}

fn secret_file(value: &str) -> String {
    let file = scratch("secret").join("value");
    std::fs::write(&file, format!("{value}\n")).unwrap();
    file.display().to_string()
}

#[test]
fn a_lookup_prints_the_payload_as_one_json_line_when_piped() {
    let (fake, imp_uid) = paid(64_900);
    let run = fake.run(&["payments", "get", &imp_uid]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 1, "{run:?}");
    let payment = run.json();
    assert_eq!(payment["imp_uid"], imp_uid.as_str());
    assert_eq!(payment["amount"], 64_900);
    assert_eq!(
        payment["card_number"], "[redacted]",
        "a secret field is hidden"
    );
    assert!(run.stderr.is_empty(), "{run:?}");
}

#[test]
fn a_refusal_goes_to_stderr_with_portones_code_and_message_and_exits_1() {
    let fake = Fake::start();
    let run = fake.run(&["payments", "get", "imp_000000000999"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: PortOne refused GET /payments/{imp_uid} (HTTP 404, code "),
        "{run:?}"
    );
}

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let fake = Fake::start();
    let missing = fake.run(&["payments", "prepare", "create", "--merchant-uid", "order-1"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing
            .stderr
            .contains(r#"missing --amount (or "amount" in --json)"#),
        "{missing:?}"
    );
    let choice = fake.run(&["payments", "find", "order-1", "--sorting", "newest"]);
    assert_eq!(choice.code, 2, "{choice:?}");
    assert!(
        choice.stderr.contains("possible values: -started, started"),
        "{choice:?}"
    );
    let number = fake.run(&["payments", "find-all", "order-1", "--limit", "ten"]);
    assert_eq!(number.code, 2, "{number:?}");
    let not_json = fake.run(&["payments", "prepare", "create", "--json", "{amount: 1}"]);
    assert_eq!(not_json.code, 2, "{not_json:?}");
    let not_object = fake.run(&["payments", "prepare", "create", "--json", "[1]"]);
    assert_eq!(not_object.code, 2, "{not_object:?}");
    assert!(
        not_object.stderr.contains("must be a JSON object"),
        "{not_object:?}"
    );
    let tier = fake.run(&["payments", "get", "imp_1", "--tier", "not a tier"]);
    assert_eq!(tier.code, 2, "{tier:?}");
    assert!(
        fake.fake
            .requests()
            .iter()
            .all(|r| r.endpoint == Some(Operation::GetToken) || r.endpoint.is_none()),
        "{:?}",
        fake.fake.requests()
    );
}

#[test]
fn credentials_come_from_a_profile_readable_by_its_owner_alone() {
    let (fake, imp_uid) = paid(1_000);
    let dir = scratch("profile");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[default]\nimp_key = \"{}\"\nimp_secret = \"{}\"\nbase_url = \"{url}\"\n\n\
             [other]\nimp_key = \"k\"\nimp_secret = \"wrong-secret\"\nbase_url = \"{url}\"\n",
            fake.fake.key(),
            fake.fake.secret(),
            url = fake.fake.base_url()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut command = bare(args);
        command.env("PORTONE_CONFIG", &config).stdin(Stdio::null());
        Run::of(command.output().unwrap())
    };
    set_mode(&config, 0o600);
    let ok = run(&["payments", "get", &imp_uid]);
    assert_eq!(ok.code, 0, "{ok:?}");
    let named = run(&["payments", "get", &imp_uid, "--profile", "other"]);
    assert_eq!(
        named.code, 3,
        "the fake refuses the other profile's pair: {named:?}"
    );
    assert!(!named.stderr.contains("wrong-secret"), "{named:?}");
    let unknown = run(&["payments", "get", &imp_uid, "--profile", "nope"]);
    assert_eq!(unknown.code, 3, "{unknown:?}");
    assert!(
        unknown.stderr.contains("has no profile `nope`"),
        "{unknown:?}"
    );
    set_mode(&config, 0o644);
    let readable = run(&["payments", "get", &imp_uid]);
    assert_eq!(readable.code, 3, "{readable:?}");
    assert!(
        readable
            .stderr
            .contains("can be read by other users (mode 644)"),
        "{readable:?}"
    );
    assert!(readable.stderr.contains("chmod 600"), "{readable:?}");
    assert!(
        !readable.stderr.contains(fake.fake.secret()),
        "{readable:?}"
    );
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn missing_or_refused_credentials_exit_3() {
    let fake = Fake::start();
    let none = Run::of(
        bare(&[
            "payments",
            "get",
            "imp_1",
            "--base-url",
            fake.fake.base_url(),
        ])
        .output()
        .unwrap(),
    );
    assert_eq!(none.code, 3, "{none:?}");
    assert!(none.stderr.contains("no credentials"), "{none:?}");
    let half = Run::of(
        bare(&["payments", "get", "imp_1"])
            .env("PORTONE_IMP_KEY", "k")
            .output()
            .unwrap(),
    );
    assert_eq!(half.code, 3, "{half:?}");
    let refused = Run::of(
        fake.command(&["payments", "get", "imp_1"])
            .env("PORTONE_IMP_SECRET", "not-the-secret")
            .output()
            .unwrap(),
    );
    assert_eq!(refused.code, 3, "{refused:?}");
    assert!(
        refused.stderr.contains("authentication failed"),
        "{refused:?}"
    );
    assert!(!refused.stderr.contains("not-the-secret"), "{refused:?}");
}

#[test]
fn a_call_that_cannot_connect_exits_5() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let fake = Fake::start();
    let run = Run::of(
        fake.command(&["payments", "get", "imp_1", "--base-url", &url])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 5, "{run:?}");
    assert!(run.stderr.contains("could not connect"), "{run:?}");
}

#[test]
fn a_money_moving_call_asks_first_and_sends_nothing_without_an_answer() {
    let (fake, imp_uid) = paid(10_000);
    let run = fake.run(&[
        "payments",
        "cancel",
        "--imp-uid",
        &imp_uid,
        "--amount",
        "100",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("nothing was sent"), "{run:?}");
    assert!(fake.requests_to(Operation::CancelPayment).is_empty());
}

#[test]
fn dry_run_prints_the_request_without_secrets_and_sends_nothing() {
    let fake = Fake::start();
    let card = secret_file("4579-7312-3456-1234");
    let expiry = secret_file("2030-12");
    let run = fake.run(&[
        "billing-keys",
        "issue",
        "customer_1",
        "--card-number-file",
        &card,
        "--expiry-file",
        &expiry,
        "--channel-key",
        "channel-1",
        "--tier",
        "A1B",
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let request = run.json();
    assert_eq!(request["method"], "POST");
    assert_eq!(
        request["url"],
        format!("{}/subscribe/customers/customer_1", fake.fake.base_url())
    );
    assert_eq!(request["tier"], "A1B");
    assert_eq!(request["body"]["card_number"], "[redacted]");
    assert_eq!(request["body"]["channel_key"], "channel-1");
    assert!(
        !run.stdout.contains("4579") && !run.stdout.contains("2030-12"),
        "{run:?}"
    );
    assert!(
        fake.fake.requests().is_empty(),
        "{:?}",
        fake.fake.requests()
    );
}

#[test]
fn secrets_are_read_from_files_and_never_printed() {
    let fake = Fake::start();
    let secret = secret_file(fake.fake.secret());
    let run = Run::of(
        bare(&[
            "auth",
            "get-token",
            "--imp-key",
            fake.fake.key(),
            "--imp-secret-file",
            &secret,
            "--base-url",
            fake.fake.base_url(),
        ])
        .output()
        .unwrap(),
    );
    assert_eq!(
        run.code, 0,
        "no credentials are needed for the token endpoint: {run:?}"
    );
    let token = run.json();
    assert_eq!(token["access_token"], "[redacted]");
    assert!(token["expired_at"].is_i64(), "{run:?}");
    assert!(!run.stdout.contains(fake.fake.secret()), "{run:?}");
    assert_eq!(
        body_of(&fake, Operation::GetToken)["imp_key"],
        fake.fake.key()
    );
}

#[test]
fn json_bodies_come_inline_from_a_file_or_stdin_and_flags_replace_their_keys() {
    let fake = Fake::start();
    let inline = fake.run(&[
        "payments",
        "prepare",
        "create",
        "--json",
        r#"{"merchant_uid":"order-1","amount":5000}"#,
        "--amount",
        "6000",
        "--yes",
    ]);
    assert_eq!(inline.code, 0, "{inline:?}");
    let file = scratch("json").join("body.json");
    std::fs::write(&file, r#"{"merchant_uid":"order-2","amount":7000}"#).unwrap();
    let from_file = fake.run(&[
        "payments",
        "prepare",
        "create",
        "--json",
        &format!("@{}", file.display()),
        "--yes",
    ]);
    assert_eq!(from_file.code, 0, "{from_file:?}");
    let mut child = fake
        .command(&["payments", "prepare", "create", "--json", "-", "--yes"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"merchant_uid":"order-3","amount":8000}"#)
        .unwrap();
    let from_stdin = Run::of(child.wait_with_output().unwrap());
    assert_eq!(from_stdin.code, 0, "{from_stdin:?}");
    let bodies: Vec<Value> = fake
        .requests_to(Operation::CreatePaymentPrepare)
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    let sent: Vec<(&str, i64)> = bodies
        .iter()
        .map(|b| {
            (
                b["merchant_uid"].as_str().unwrap(),
                b["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [("order-1", 6000), ("order-2", 7000), ("order-3", 8000)]
    );
}

#[test]
fn a_repeated_flag_is_a_list() {
    let fake = Fake::start();
    let (a, b) = (fake.pay("order-1", 100), fake.pay("order-2", 200));
    let run = fake.run(&["payments", "get-many", "--imp-uid", &a, "--imp-uid", &b]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json().as_array().map(Vec::len), Some(2), "{run:?}");
    let seen = fake.requests_to(Operation::GetPayments);
    assert_eq!(
        seen[0].query,
        format!("imp_uid%5B%5D={a}&imp_uid%5B%5D={b}"),
        "{seen:?}"
    );
}

#[test]
fn the_tier_is_sent_as_a_header() {
    let (fake, imp_uid) = paid(1_000);
    let run = fake.run(&["payments", "get", &imp_uid, "--tier", "A1B"]);
    assert_eq!(run.code, 0, "{run:?}");
    let seen = fake.requests_to(Operation::GetPayment);
    assert!(
        seen[0].headers.contains(&("tier".into(), "A1B".into())),
        "{seen:?}"
    );
}

#[test]
fn a_refund_without_checksum_sends_the_refundable_balance_looked_up_first() {
    let (fake, imp_uid) = paid(10_000);
    let first = fake.run(&[
        "payments",
        "cancel",
        "--imp-uid",
        &imp_uid,
        "--amount",
        "1000",
        "--yes",
    ]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stderr.contains("checksum 10000"), "{first:?}");
    assert_eq!(body_of(&fake, Operation::CancelPayment)["checksum"], 10_000);
    let second = fake.run(&[
        "payments",
        "cancel",
        "--imp-uid",
        &imp_uid,
        "--amount",
        "1000",
        "--yes",
    ]);
    assert_eq!(second.code, 0, "{second:?}");
    assert!(second.stderr.contains("checksum 9000"), "{second:?}");
    assert_eq!(second.json()["cancel_amount"], 2_000);
}

#[test]
fn a_refund_whose_answer_is_lost_is_reconciled_and_not_sent_again() {
    let (fake, imp_uid) = paid(10_000);
    fake.fake
        .inject(Operation::CancelPayment, Fault::reset_after_read());
    let run = fake.run(&[
        "payments",
        "cancel",
        "--imp-uid",
        &imp_uid,
        "--amount",
        "1000",
        "--yes",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let outcome = run.json();
    assert_eq!(outcome["outcome"], "applied", "{run:?}");
    assert_eq!(outcome["payment"]["cancel_amount"], 1_000);
    assert!(run.stderr.contains("looking the payment up"), "{run:?}");
    assert_eq!(
        fake.requests_to(Operation::CancelPayment).len(),
        1,
        "never sent again"
    );
}

#[test]
fn a_refund_that_never_arrived_is_reported_not_applied() {
    let (fake, imp_uid) = paid(10_000);
    fake.fake
        .inject(Operation::CancelPayment, Fault::reset_unhandled());
    let run = fake.run(&["payments", "cancel", "--imp-uid", &imp_uid, "--yes"]);
    assert_eq!(run.code, 5, "{run:?}");
    let outcome = run.json();
    assert_eq!(outcome["outcome"], "not_applied", "{run:?}");
    assert_eq!(outcome["refundable"], 10_000);
    assert!(
        run.stderr
            .contains("send it again, with the checksum 10000"),
        "{run:?}"
    );
}

#[test]
fn a_charge_whose_answer_is_lost_is_reconciled() {
    let fake = Fake::start();
    let card = secret_file("4579-7312-3456-1234");
    let expiry = secret_file("2030-12");
    let issued = fake.run(&[
        "billing-keys",
        "issue",
        "customer_1",
        "--card-number-file",
        &card,
        "--expiry-file",
        &expiry,
        "--channel-key",
        "channel-1",
        "--yes",
    ]);
    assert_eq!(issued.code, 0, "{issued:?}");
    fake.fake
        .inject(Operation::PayAgain, Fault::reset_after_read());
    let run = fake.run(&[
        "pay",
        "again",
        "--customer-uid",
        "customer_1",
        "--merchant-uid",
        "order-7",
        "--amount",
        "9900",
        "--name",
        "monthly",
        "--yes",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["outcome"], "charged", "{run:?}");
    assert_eq!(
        fake.requests_to(Operation::PayAgain).len(),
        1,
        "never sent again"
    );
}

#[test]
fn any_other_unknown_outcome_exits_4() {
    let fake = Fake::start();
    fake.fake
        .inject(Operation::CreatePaymentPrepare, Fault::reset_after_read());
    let run = fake.run(&[
        "payments",
        "prepare",
        "create",
        "--merchant-uid",
        "order-1",
        "--amount",
        "1000",
        "--yes",
    ]);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(
        run.stderr.contains("look it up before sending it again"),
        "{run:?}"
    );
}

#[test]
fn verify_exits_0_only_for_a_paid_order() {
    let (fake, imp_uid) = paid(64_900);
    let ok = fake.run(&[
        "verify",
        &imp_uid,
        "--order",
        "order-1001",
        "--amount",
        "64900",
    ]);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert_eq!(ok.json()["verdict"], "paid");
    let forged = fake.run(&[
        "verify",
        &imp_uid,
        "--order",
        "order-1001",
        "--amount",
        "100",
    ]);
    assert_eq!(forged.code, 1, "{forged:?}");
    let verdict = forged.json();
    assert_eq!(verdict["verdict"], "mismatch");
    assert_eq!(verdict["discrepancies"][0]["field"], "amount");
    let unknown = fake.run(&[
        "verify",
        "imp_000000000999",
        "--order",
        "x",
        "--amount",
        "1",
    ]);
    assert_eq!(unknown.code, 1, "{unknown:?}");
}

#[test]
fn sweep_walks_every_page_of_every_window() {
    let fake = Fake::start();
    for order in ["order-1", "order-2", "order-3"] {
        fake.pay(order, 1_000);
    }
    let run = fake.run(&[
        "payments", "sweep", "--since", "200d", "--status", "paid", "--limit", "1",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let orders: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["merchant_uid"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(orders.len(), 3, "{run:?}");
    assert!(run.stderr.contains("3 payments"), "{run:?}");
    let lists = fake.requests_to(Operation::ListPaymentsByStatus);
    let windows: std::collections::BTreeSet<&str> = lists
        .iter()
        .filter_map(|r| r.query.split('&').find(|p| p.starts_with("from=")))
        .collect();
    assert_eq!(
        windows.len(),
        3,
        "200 days are 3 windows of at most 90: {lists:?}"
    );
    assert!(
        lists.iter().all(|r| r.path == "/payments/status/paid"),
        "{lists:?}"
    );
}

/// A running `webhook listen` and where it listens.
struct Listener {
    child: Child,
    url: String,
    lines: BufReader<ChildStdout>,
    _stderr: BufReader<ChildStderr>,
}

impl Listener {
    fn start(fake: &Fake) -> Listener {
        let mut child = fake
            .command(&["webhook", "listen"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {first:?}"))
            .trim_end_matches('/')
            .to_owned();
        let lines = BufReader::new(child.stdout.take().unwrap());
        Listener {
            child,
            url,
            lines,
            _stderr: stderr,
        }
    }

    fn next(&mut self) -> Value {
        let mut line = String::new();
        self.lines.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn webhook_send_posts_the_notification_portone_would_send_and_listen_prints_it() {
    let (fake, imp_uid) = paid(64_900);
    let mut listener = Listener::start(&fake);
    let to = format!("{}/portone/webhook", listener.url);
    let sent = fake.run(&["webhook", "send", "--to", &to, "--imp-uid", &imp_uid]);
    assert_eq!(sent.code, 0, "{sent:?}");
    let report = sent.json();
    assert_eq!(report["status"], 200);
    assert!(report["time_ms"].is_number(), "{sent:?}");
    assert_eq!(
        report["notification"]["merchant_uid"], "order-1001",
        "looked up"
    );
    assert_eq!(report["notification"]["status"], "paid", "looked up");
    let received = listener.next();
    assert_eq!(received["path"], "/portone/webhook");
    assert_eq!(received["content_type"], "application/json");
    assert_eq!(received["notification"]["imp_uid"], imp_uid.as_str());

    let form = fake.run(&[
        "webhook",
        "send",
        "--to",
        &to,
        "--imp-uid",
        &imp_uid,
        "--status",
        "cancelled",
        "--form",
    ]);
    assert_eq!(form.code, 0, "{form:?}");
    let received = listener.next();
    assert_eq!(
        received["content_type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        received["notification"]["status"], "cancelled",
        "the flag wins"
    );

    let paid_with_notice = fake.run(&[
        "fake",
        "pay",
        "--order",
        "order-2",
        "--amount",
        "500",
        "--notice-url",
        &to,
    ]);
    assert_eq!(paid_with_notice.code, 0, "{paid_with_notice:?}");
    let received = listener.next();
    assert_eq!(
        received["notification"]["merchant_uid"], "order-2",
        "the fake's own notification"
    );
}

#[test]
fn webhook_send_to_nobody_exits_5() {
    let (fake, imp_uid) = paid(1_000);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let to = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let run = fake.run(&[
        "webhook",
        "send",
        "--to",
        &to,
        "--imp-uid",
        &imp_uid,
        "--merchant-uid",
        "o",
        "--status",
        "paid",
    ]);
    assert_eq!(run.code, 5, "{run:?}");
    assert!(run.stderr.contains("cannot deliver"), "{run:?}");
}

#[test]
fn fake_serve_prints_its_environment_and_serves() {
    let mut child = bare(&["fake", "serve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut env = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let (name, value) = line
            .trim()
            .strip_prefix("export ")
            .unwrap()
            .split_once('=')
            .unwrap();
        env.push((name.to_owned(), value.to_owned()));
    }
    let run = |args: &[&str]| {
        let mut command = bare(args);
        command.envs(env.iter().map(|(k, v)| (k, v)));
        Run::of(command.output().unwrap())
    };
    let paid = run(&["fake", "pay", "--order", "order-1", "--amount", "1000"]);
    let looked_up = run(&["payments", "get", paid.json()["imp_uid"].as_str().unwrap()]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(looked_up.code, 0, "{looked_up:?}");
    assert_eq!(looked_up.json()["merchant_uid"], "order-1");
}

#[test]
fn api_calls_any_path_and_asks_before_anything_but_get() {
    let (fake, imp_uid) = paid(1_000);
    let get = fake.run(&["api", "get", &format!("/payments?imp_uid[]={imp_uid}")]);
    assert_eq!(get.code, 0, "{get:?}");
    assert_eq!(get.json()[0]["imp_uid"], imp_uid.as_str());
    let post = fake.run(&[
        "api",
        "POST",
        "/payments/cancel",
        "--json",
        &format!(r#"{{"imp_uid":"{imp_uid}"}}"#),
    ]);
    assert_eq!(post.code, 2, "{post:?}");
    assert!(fake.requests_to(Operation::CancelPayment).is_empty());
    let sent = fake.run(&[
        "api",
        "POST",
        "/payments/cancel",
        "--json",
        &format!(r#"{{"imp_uid":"{imp_uid}"}}"#),
        "--yes",
    ]);
    assert_eq!(sent.code, 0, "{sent:?}");
    assert_eq!(sent.json()["status"], "cancelled");
}

#[test]
fn completions_cover_the_generated_commands() {
    let run = Run::of(bare(&["completions", "bash"]).output().unwrap());
    assert_eq!(run.code, 0, "{run:?}");
    for word in [
        "portone-v1",
        "payments",
        "find-all-by-status",
        "--include-sandbox",
        "webhook",
    ] {
        assert!(run.stdout.contains(word), "{word}");
    }
}

#[test]
fn webhook_send_reports_a_handler_that_says_no() {
    use std::io::Read;
    let (fake, imp_uid) = paid(1_000);
    let handler = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let to = format!("http://{}/hook", handler.local_addr().unwrap());
    let answering = std::thread::spawn(move || {
        let (mut stream, _) = handler.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0; 4096];
        while !String::from_utf8_lossy(&request).contains(r#""status":"paid"}"#) {
            let n = stream.read(&mut buf).unwrap();
            request.extend_from_slice(&buf[..n]);
        }
        stream
            .write_all(
                b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 15\r\n\r\ntry again later",
            )
            .unwrap();
    });
    let run = fake.run(&["webhook", "send", "--to", &to, "--imp-uid", &imp_uid]);
    answering.join().unwrap();
    assert_eq!(run.code, 1, "{run:?}");
    let report = run.json();
    assert_eq!(report["status"], 503);
    assert_eq!(report["answer"], "try again later");
    assert!(
        run.stderr.contains("the handler answered HTTP 503"),
        "{run:?}"
    );
}

/// Runs `portone-v1 ARGS` on a terminal (util-linux `script` gives it one), answering
/// `answer` to its question; `None` where `script` is missing.
fn on_a_terminal(fake: &Fake, args: &[&str], answer: &str) -> Option<Run> {
    let line = std::iter::once(env!("CARGO_BIN_EXE_portone-v1"))
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &line, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // The environment `fake.command` sets up (its variables, an empty home).
    for (name, value) in fake.command(&[]).get_envs() {
        match value {
            Some(value) => script.env(name, value),
            None => script.env_remove(name),
        };
    }
    let mut child = script.spawn().ok()?;
    child.stdin.take()?.write_all(answer.as_bytes()).ok()?;
    Some(Run::of(child.wait_with_output().ok()?))
}

#[test]
fn on_a_terminal_the_question_is_asked_and_the_answer_is_pretty() {
    let (fake, imp_uid) = paid(10_000);
    let refund = [
        "payments",
        "cancel",
        "--imp-uid",
        &imp_uid,
        "--amount",
        "100",
    ];
    let Some(declined) = on_a_terminal(&fake, &refund, "n\n") else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert_eq!(declined.code, 1, "{declined:?}");
    assert!(declined.stdout.contains("Send it? [y/N]"), "{declined:?}");
    assert!(
        declined.stdout.contains("\"checksum\": 10000"),
        "{declined:?}"
    );
    assert!(
        fake.requests_to(Operation::CancelPayment).is_empty(),
        "nothing sent"
    );
    let accepted = on_a_terminal(&fake, &refund, "y\n").expect("script runs");
    assert_eq!(accepted.code, 0, "{accepted:?}");
    assert!(
        accepted.stdout.contains("\n  \"cancel_amount\": 100,"),
        "pretty: {accepted:?}"
    );
    assert_eq!(fake.requests_to(Operation::CancelPayment).len(), 1);
}
