//! One delivery attempt: a POST over a fresh plain-HTTP connection (hyper's connection-level
//! client; `https` URLs are refused, since a test's receiver listens on a local port), within
//! the limits PortOne gives it, measured on the fake's clock.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::policy::{Limits, Outcome};
use crate::clock::{Clock, Elapsed};

/// POSTs `body` to `url`: the receiver's status, or why there is none.
pub(super) async fn attempt(
    clock: &Clock,
    limits: Limits,
    url: &str,
    content_type: &str,
    body: &str,
) -> Outcome {
    let (authority, path) = split(url)?;
    let connect = async {
        TcpStream::connect(authority)
            .await
            .map_err(|e| format!("cannot connect to {authority}: {e}"))
    };
    let too_slow = |secs: i64| move |Elapsed| format!("no answer within {secs} s");
    match limits {
        Limits::Phases {
            connect: to_connect,
            answer,
        } => {
            let stream = clock
                .within(to_connect, connect)
                .await
                .map_err(|Elapsed| {
                    format!("not connected to {authority} within {to_connect} s")
                })??;
            let exchange = post(stream, authority, path, content_type, body);
            clock
                .within(answer, exchange)
                .await
                .map_err(too_slow(answer))?
        }
        Limits::Total(secs) => {
            let whole = async { post(connect.await?, authority, path, content_type, body).await };
            clock.within(secs, whole).await.map_err(too_slow(secs))?
        }
    }
}

/// The authority and path of a plain-HTTP URL.
fn split(url: &str) -> Result<(&str, &str), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: the fake delivers to http:// URLs only"))?;
    Ok(match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    })
}

async fn post(
    stream: TcpStream,
    authority: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> Outcome {
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let request = http::Request::post(path)
        .header(http::header::HOST, authority)
        .header(http::header::CONTENT_TYPE, content_type)
        .body(Full::new(Bytes::from(body.to_owned())))
        .map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::webhook::policy::limits;

    #[tokio::test]
    async fn an_attempt_posts_the_body_and_reads_the_receivers_status() {
        let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/portone", receiver.local_addr().unwrap());
        let received = tokio::spawn(async move {
            let (mut stream, _) = receiver.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buf = [0; 1024];
            while !String::from_utf8_lossy(&request).contains(r#""imp_1"}"#) {
                let n = stream.read(&mut buf).await.unwrap();
                request.extend_from_slice(&buf[..n]);
            }
            stream
                .write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
                .await
                .unwrap();
            String::from_utf8(request).unwrap()
        });
        let clock = Clock::new();
        let body = r#"{"imp_uid":"imp_1"}"#;
        let outcome = attempt(&clock, limits(1), &url, "application/json", body).await;
        assert_eq!(outcome, Ok(202));
        let request = received.await.unwrap().to_ascii_lowercase();
        assert!(
            request.starts_with("post /hooks/portone http/1.1\r\n"),
            "{request}"
        );
        assert!(
            request.contains("content-type: application/json\r\n"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn failed_attempts_say_why() {
        let clock = Clock::new();
        let https = attempt(&clock, limits(1), "https://example.com/", "a/b", "{}").await;
        assert!(https.unwrap_err().contains("http:// URLs only"));
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", closed.local_addr().unwrap());
        drop(closed);
        let refused = attempt(&clock, limits(1), &url, "a/b", "{}").await;
        assert!(refused.unwrap_err().contains("cannot connect"));
    }
}
