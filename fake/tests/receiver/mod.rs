//! A webhook receiver on 127.0.0.1, as a user's test would write one: a plain
//! `tokio::net::TcpListener` that hands each POST (content type, path, body, when it arrived)
//! to the test as soon as it is read, then answers as scripted: 200 unless told otherwise.

#![allow(dead_code)] // Each test crate uses part of it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};

/// One POST the receiver got.
#[derive(Debug)]
pub struct Hook {
    pub path: String,
    pub content_type: String,
    pub body: Vec<u8>,
    pub arrived: Instant,
}

/// How the receiver answers one POST.
#[derive(Debug, Clone, Copy)]
pub enum Reply {
    /// This status, at once.
    Status(u16),
    /// This status after a pause in real time.
    Slow(Duration, u16),
    /// Closes the connection without answering: a network error for the sender.
    Close,
    /// Never answers; the connection stays open until the receiver is dropped.
    Hang,
}

/// A running receiver; dropping it stops it and closes its connections.
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
    /// A receiver that answers every POST with 200.
    pub async fn start() -> Receiver {
        Receiver::replying([]).await
    }

    /// A receiver that answers its POSTs with `replies` in order, then with 200.
    pub async fn replying(replies: impl IntoIterator<Item = Reply>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let replies = Arc::new(Mutex::new(replies.into_iter().collect::<VecDeque<_>>()));
        let (send, hooks) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            // Owned by this task, so aborting it closes hanging connections too.
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let send = send.clone();
                let replies = replies.clone();
                connections.spawn(answer(stream, send, replies));
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

    /// A POST that already arrived, without waiting.
    pub fn arrived(&mut self) -> Option<Hook> {
        self.hooks.try_recv().ok()
    }

    /// Fails if a POST arrives within `wait`.
    pub async fn assert_quiet(&mut self, wait: Duration) {
        if let Ok(Some(hook)) = tokio::time::timeout(wait, self.hooks.recv()).await {
            panic!("unexpected webhook: {hook:?}");
        }
    }
}

/// Reads one request (head, then a `content-length` body), hands it over, and answers with
/// the next scripted reply.
async fn answer(
    mut stream: TcpStream,
    hooks: mpsc::UnboundedSender<Hook>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
) {
    let Some(hook) = read(&mut stream).await else {
        return;
    };
    let _ = hooks.send(hook);
    let reply = replies.lock().unwrap().pop_front();
    let status = match reply.unwrap_or(Reply::Status(200)) {
        Reply::Status(status) => status,
        Reply::Slow(pause, status) => {
            tokio::time::sleep(pause).await;
            status
        }
        Reply::Close => return,
        Reply::Hang => std::future::pending().await,
    };
    let head = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
}

async fn read(stream: &mut TcpStream) -> Option<Hook> {
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
    Some(Hook {
        path: head.split(' ').nth(1)?.to_owned(),
        content_type: header("content-type").unwrap_or_default(),
        body: data[head_end..head_end + length].to_vec(),
        arrived: Instant::now(),
    })
}
