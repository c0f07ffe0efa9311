//! Delivering notifications: one POST per notice over a fresh plain-HTTP connection (hyper's
//! connection-level client; `https` URLs are refused, since a test's receiver listens on a
//! local port).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::exchange::Notice;
use crate::inspect::Notification;
use crate::server::WebhookFormat;

/// How long a receiver may take to answer before the delivery counts as failed.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The body of a notice as PortOne sends it, in `format`.
pub(crate) fn body(notice: &Notice, format: WebhookFormat) -> (&'static str, String) {
    let mut fields = vec![
        ("imp_uid", notice.imp_uid.as_str()),
        ("merchant_uid", notice.merchant_uid.as_str()),
        ("status", notice.status.as_str()),
    ];
    if let Some(id) = &notice.cancellation_id {
        fields.push(("cancellation_id", id));
    }
    match format {
        WebhookFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> = fields
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.into()))
                .collect();
            (
                "application/json",
                serde_json::Value::Object(object).to_string(),
            )
        }
        WebhookFormat::Form => {
            let mut out = form_urlencoded::Serializer::new(String::new());
            out.extend_pairs(fields);
            ("application/x-www-form-urlencoded", out.finish())
        }
    }
}

/// POSTs `body` to `url` and records what happened.
pub(crate) async fn deliver(url: String, content_type: &'static str, body: String) -> Notification {
    let outcome = match tokio::time::timeout(TIMEOUT, post(&url, content_type, &body)).await {
        Ok(outcome) => outcome,
        Err(_) => Err(format!("no answer within {TIMEOUT:?}")),
    };
    Notification {
        url,
        content_type: content_type.to_owned(),
        body,
        outcome,
    }
}

async fn post(url: &str, content_type: &str, body: &str) -> Result<u16, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: the fake delivers to http:// URLs only"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let stream = TcpStream::connect(authority)
        .await
        .map_err(|e| format!("cannot connect to {authority}: {e}"))?;
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

    #[tokio::test]
    async fn delivery_posts_the_body_and_records_the_receivers_status() {
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
        let sent = deliver(
            url.clone(),
            "application/json",
            r#"{"imp_uid":"imp_1"}"#.into(),
        )
        .await;
        assert_eq!(sent.outcome, Ok(202));
        assert_eq!(sent.url, url);
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
    async fn failed_deliveries_say_why() {
        let https = deliver(
            "https://example.com/".into(),
            "application/json",
            "{}".into(),
        )
        .await;
        assert!(https.outcome.unwrap_err().contains("http:// URLs only"));
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", closed.local_addr().unwrap());
        drop(closed);
        let refused = deliver(url, "application/json", "{}".into()).await;
        assert!(refused.outcome.unwrap_err().contains("cannot connect"));
    }

    #[test]
    fn bodies_in_both_formats() {
        let notice = Notice {
            notice_url: None,
            imp_uid: "imp_1".into(),
            merchant_uid: "order 1".into(),
            status: "cancelled".into(),
            cancellation_id: Some("c1".into()),
        };
        assert_eq!(
            body(&notice, WebhookFormat::Json),
            (
                "application/json",
                r#"{"cancellation_id":"c1","imp_uid":"imp_1","merchant_uid":"order 1","status":"cancelled"}"#.into()
            )
        );
        assert_eq!(
            body(&notice, WebhookFormat::Form).1,
            "imp_uid=imp_1&merchant_uid=order+1&status=cancelled&cancellation_id=c1"
        );
    }
}
