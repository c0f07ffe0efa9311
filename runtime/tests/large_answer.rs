//! A 200 MB answer costs the client no more than its response-size limit.
//!
//! Its own test binary, so that the peak resident memory it reads (`VmHWM`) belongs to this
//! test alone. It serves 200 MB twice from a raw server on 127.0.0.1 that writes the same
//! 64 KiB chunk over and over (so the server itself holds nothing): once with the length
//! announced, once chunked without a length.

use std::time::Duration;

use portone_v1_runtime::{Call, Core, Endpoint, Error, Method, Request, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ANSWER_BYTES: usize = 200 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;
const PEAK_LIMIT_KIB: u64 = 64 * 1024;

const ENDPOINT: Endpoint = Endpoint {
    method: Method::Get,
    path: "/payments",
    idempotent: true,
    auth: false,
};

/// Serves every request with a 200 MB JSON-looking body.
async fn server(chunked: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = stream.read(&mut head).await;
                let framing = if chunked {
                    "transfer-encoding: chunked".to_owned()
                } else {
                    format!("content-length: {ANSWER_BYTES}")
                };
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{framing}\r\n\r\n"
                );
                if stream.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; CHUNK];
                for _ in 0..ANSWER_BYTES / CHUNK {
                    let sent = if chunked {
                        let size = format!("{CHUNK:x}\r\n");
                        stream.write_all(size.as_bytes()).await.is_ok()
                            && stream.write_all(&chunk).await.is_ok()
                            && stream.write_all(b"\r\n").await.is_ok()
                    } else {
                        stream.write_all(&chunk).await.is_ok()
                    };
                    if !sent {
                        return;
                    }
                }
                if chunked {
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                }
            });
        }
    });
    base
}

/// Peak resident memory of this process so far, in KiB (Linux only).
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn fetch(chunked: bool) -> Error {
    let core = Core::builder()
        .credentials("imp-key", "imp-secret")
        .base_url(&server(chunked).await)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let call: Call<'_, serde_json::Value> = Call::new(&core, Request::new(&ENDPOINT, &[]));
    call.await.expect_err("200 MB is over the default limit")
}

#[tokio::test]
async fn a_200_mb_answer_stays_under_64_mb_of_memory() {
    for chunked in [false, true] {
        match fetch(chunked).await {
            Error::ResponseTooLarge(e) => assert_eq!(e.limit(), 16 * 1024 * 1024),
            other => panic!("expected ResponseTooLarge (chunked: {chunked}), got {other:?}"),
        }
    }
    if let Some(peak) = peak_kib() {
        println!("peak resident memory after two 200 MB answers: {peak} KiB");
        assert!(peak < PEAK_LIMIT_KIB, "peak {peak} KiB");
    }
}
