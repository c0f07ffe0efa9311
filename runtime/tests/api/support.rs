//! Helpers shared by the runtime's tests: fake endpoints, a token responder,
//! request counting and a raw TCP server for broken connections.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request as WireRequest, Respond, ResponseTemplate};

use portone_v1_runtime::{Call, Core, Endpoint, Method, Request, RetryPolicy};

pub(crate) const SECRET: &str = "s3cr3t-imp-secret";

pub(crate) const GET_PAYMENT: Endpoint = Endpoint {
    method: Method::Get,
    path: "/payments/{imp_uid}",
    idempotent: true,
    auth: true,
};

pub(crate) const CANCEL: Endpoint = Endpoint {
    method: Method::Post,
    path: "/payments/cancel",
    idempotent: false,
    auth: true,
};

pub(crate) const LIST: Endpoint = Endpoint {
    method: Method::Get,
    path: "/payments",
    idempotent: true,
    auth: true,
};

/// A money-moving endpoint without authentication, to test connection
/// failures without a token server.
pub(crate) const OPEN_POST: Endpoint = Endpoint {
    method: Method::Post,
    path: "/open/pay",
    idempotent: false,
    auth: false,
};

/// Fast retries so tests stay quick.
pub(crate) fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

pub(crate) fn client(base: &str) -> Core {
    client_with(base, fast_retry())
}

pub(crate) fn client_with(base: &str, retry: RetryPolicy) -> Core {
    Core::builder()
        .credentials("imp-key", SECRET)
        .base_url(base)
        .retry(retry)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid test client")
}

pub(crate) fn get_payment<'a>(client: &'a Core, imp_uid: &str) -> Call<'a, Value> {
    Call::new(client, Request::new(&GET_PAYMENT, &[imp_uid]))
}

pub(crate) fn cancel<'a>(client: &'a Core, imp_uid: &str) -> Call<'a, Value> {
    let mut request = Request::new(&CANCEL, &[]);
    request.json(&json!({ "imp_uid": imp_uid }));
    Call::new(client, request)
}

pub(crate) fn envelope(response: Value) -> Value {
    json!({ "code": 0, "message": null, "response": response })
}

pub(crate) fn ok_json(response: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope(response))
}

/// Hands out `tok-1`, `tok-2`, ... with the given lifetime in seconds.
pub(crate) struct TokenSeq {
    issued: AtomicUsize,
    lifetime: i64,
}

impl Respond for TokenSeq {
    fn respond(&self, _: &WireRequest) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ok_json(json!({
            "access_token": format!("tok-{n}"),
            "expired_at": 1_700_000_000 + self.lifetime,
            "now": 1_700_000_000,
        }))
    }
}

pub(crate) async fn mount_token(server: &MockServer, lifetime: i64) {
    Mock::given(method("POST"))
        .and(path("/users/getToken"))
        .respond_with(TokenSeq {
            issued: AtomicUsize::new(0),
            lifetime,
        })
        .mount(server)
        .await;
}

/// Answers with each template in turn, repeating the last one.
pub(crate) struct Seq {
    served: AtomicUsize,
    templates: Vec<ResponseTemplate>,
}

impl Seq {
    pub(crate) fn new(templates: Vec<ResponseTemplate>) -> Self {
        Seq {
            served: AtomicUsize::new(0),
            templates,
        }
    }
}

impl Respond for Seq {
    fn respond(&self, _: &WireRequest) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        let last = self.templates.len().saturating_sub(1);
        self.templates[n.min(last)].clone()
    }
}

/// Requests the server received on `path`.
pub(crate) async fn received(server: &MockServer, on_path: &str) -> Vec<WireRequest> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == on_path)
        .collect()
}

pub(crate) async fn count(server: &MockServer, on_path: &str) -> usize {
    received(server, on_path).await.len()
}

/// How the raw server treats requests other than the token request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RawMode {
    /// Read the request and close the connection without answering.
    Close,
    /// Announce a 100-byte body, send a few bytes and close.
    Truncate,
}

/// A minimal HTTP/1.1 server that serves tokens and breaks every other
/// request. Returns its base URL and the number of non-token requests seen.
pub(crate) async fn raw_server(mode: RawMode) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_raw(stream, mode, counter.clone()));
        }
    });
    (base, hits)
}

async fn serve_raw(mut stream: TcpStream, mode: RawMode, hits: Arc<AtomicUsize>) {
    loop {
        let Some(head) = read_request(&mut stream).await else {
            return;
        };
        if head.starts_with("POST /users/getToken") {
            let body = envelope(json!({
                "access_token": "tok-raw", "expired_at": 2000, "now": 200
            }))
            .to_string();
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            if stream.write_all(reply.as_bytes()).await.is_err() {
                return;
            }
            continue;
        }
        hits.fetch_add(1, Ordering::SeqCst);
        if let RawMode::Truncate = mode {
            let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"code\":0,";
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.flush().await;
        }
        return;
    }
}

/// Reads one request (head and `content-length` body); returns the head.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = find(&data, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let length = content_length(&head);
            while data.len() < end + 4 + length {
                let n = stream.read(&mut buf).await.ok()?;
                if n == 0 {
                    return None;
                }
                data.extend_from_slice(&buf[..n]);
            }
            return Some(head);
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &str) -> usize {
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

/// A `tracing` writer that collects everything into a shared buffer.
#[derive(Clone, Default)]
pub(crate) struct Captured(pub(crate) Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).to_string()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Installs (once) a process-wide subscriber that records TRACE output of
/// every test into one buffer, and returns that buffer.
///
/// A global subscriber is used because per-thread subscribers race with
/// `tracing`'s callsite interest cache when tests run in parallel.
pub(crate) fn global_capture() -> &'static Captured {
    static CAPTURE: OnceLock<Captured> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(captured.clone())
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        captured
    })
}

/// An address on which nothing listens.
pub(crate) async fn refused_base() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}
