//! A webhook receiver on 127.0.0.1, as a user's test would write one: a plain
//! `tokio::net::TcpListener` that answers every POST with 200 and hands its content type,
//! path and body to the test.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// One POST the receiver got.
#[derive(Debug)]
pub struct Hook {
    pub path: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// A running receiver; dropping it stops it.
pub struct Receiver {
    base: String,
    hooks: mpsc::UnboundedReceiver<Hook>,
    task: JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    pub async fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (send, hooks) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let send = send.clone();
                tokio::spawn(async move {
                    if let Some(hook) = answer(stream).await {
                        let _ = send.send(hook);
                    }
                });
            }
        });
        Receiver { base, hooks, task }
    }

    /// The URL of `path` on this receiver, for a `notice_url`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The next POST, waiting up to 5 seconds.
    pub async fn next(&mut self) -> Hook {
        tokio::time::timeout(Duration::from_secs(5), self.hooks.recv())
            .await
            .expect("a webhook within 5 s")
            .expect("the receiver runs")
    }

    /// Fails if a POST arrives within `wait`.
    pub async fn assert_quiet(&mut self, wait: Duration) {
        if let Ok(Some(hook)) = tokio::time::timeout(wait, self.hooks.recv()).await {
            panic!("unexpected webhook: {hook:?}");
        }
    }
}

/// Reads one request (head, then a `content-length` body) and answers 200.
async fn answer(mut stream: TcpStream) -> Option<Hook> {
    let mut data = Vec::new();
    let mut buf = [0; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let length: usize = header("content-length")?.parse().ok()?;
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .await
        .ok()?;
    let path = head.split(' ').nth(1)?.to_owned();
    Some(Hook {
        path,
        content_type: header("content-type").unwrap_or_default(),
        body: data[head_end..head_end + length].to_vec(),
    })
}
