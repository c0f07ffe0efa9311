//! `webhook send` (the notification PortOne would send, posted to a handler) and `webhook
//! listen` (every notification posted to a local port, printed).

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use bytes::Bytes;
use clap::ArgMatches;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use portone_v1::GetPaymentQuery;
use portone_v1::webhook::{MAX_NOTIFICATION_SIZE, Notification};
use portone_v1_runtime::{BodyFormat, NotificationBody};
use serde_json::{Map, Value, json};

use crate::config::Connection;
use crate::exit::{Exit, Failure};
use crate::flows::payment_json;
use crate::globals::Globals;
use crate::spec::WEBHOOK;
use crate::{http, input, output, time};

/// How much of the handler's answer is shown.
const ANSWER_SHOWN: usize = 1_000;

/// `webhook send --to URL --imp-uid X [--status S] [--form] [...]`.
pub(crate) async fn send(matches: &ArgMatches, globals: &Globals) -> Result<(), Failure> {
    let fields = WEBHOOK.unwrap_or_default();
    let to = matches.get_one::<String>("to").cloned().unwrap_or_default();
    let given: Vec<Option<String>> = fields
        .iter()
        .map(|f| matches.get_one::<Value>(f.arg.name).map(input::text))
        .collect();
    let lookup = fields
        .iter()
        .zip(&given)
        .any(|(f, given)| given.is_none() && f.from_payment.is_some());
    let payment = match (lookup, globals.dry_run) {
        (true, false) => {
            let id = fields
                .iter()
                .zip(&given)
                .find(|(f, _)| f.names_payment)
                .and_then(|(_, given)| given.clone())
                .ok_or_else(|| Failure::usage("name the payment whose notification to send"))?;
            let client = Connection::resolve(&globals.options)?.client()?;
            let payment = client
                .get_payment(&id, &GetPaymentQuery::new())
                .await
                .map_err(|e| Failure::call(&e, false))?;
            Some(payment_json(&payment))
        }
        _ => None,
    };
    let mut notification = Map::new();
    for (field, given) in fields.iter().zip(given) {
        let looked_up = || {
            let key = field.from_payment?;
            match &payment {
                Some(payment) => payment.get(key)?.as_str().map(str::to_owned),
                None => Some(format!("<{key} of the payment>")),
            }
        };
        if let Some(value) = given.or_else(looked_up) {
            notification.insert(field.arg.wire.to_owned(), Value::String(value));
        }
    }
    let (format, body) = if matches.get_flag("form") {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &notification {
            form.append_pair(key, value.as_str().unwrap_or_default());
        }
        (BodyFormat::Form, form.finish())
    } else {
        (
            BodyFormat::Json,
            Value::Object(notification.clone()).to_string(),
        )
    };
    let content_type = format.media_type();
    let mut shown = json!({"to": to, "content_type": content_type, "notification": notification});
    if globals.dry_run {
        output::print(shown);
        return Ok(());
    }
    let client = http::client()?;
    let started = Instant::now();
    let answer = client
        .post(&to)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await;
    let answer = match answer {
        Ok(answer) => answer,
        Err(e) => {
            return Err(Failure::new(
                Exit::Failed,
                format!("cannot deliver to {to}: {e}"),
            ));
        }
    };
    let status = answer.status();
    let text = answer.text().await.unwrap_or_default();
    let elapsed = started.elapsed();
    shown["status"] = json!(status.as_u16());
    shown["time_ms"] = json!((elapsed.as_secs_f64() * 10_000.0).round() / 10.0);
    shown["answer"] = json!(text.chars().take(ANSWER_SHOWN).collect::<String>());
    output::print(shown);
    if status.is_success() {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::Refused,
            format!("the handler answered HTTP {}", status.as_u16()),
        )
        .hint("PortOne resends (when support has enabled resends) only after a network error or a 5xx"))
    }
}

/// `webhook listen [--port N]`: runs until interrupted.
pub(crate) async fn listen(matches: &ArgMatches) -> Result<(), Failure> {
    let port = matches.get_one::<u16>("port").copied().unwrap_or_default();
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|e| Failure::new(Exit::Failed, format!("cannot listen on port {port}: {e}")))?;
    let address = listener
        .local_addr()
        .map_err(|e| Failure::new(Exit::Failed, e.to_string()))?;
    output::note(&format!(
        "listening on http://{address}/ (any path); Ctrl-C stops"
    ));
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| receive(request, peer));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Prints one received request as a JSON line, and answers 200 for a notification, 400 (413
/// when too large) for anything else.
async fn receive(
    request: Request<Incoming>,
    peer: SocketAddr,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let content_type = request
        .headers()
        .get(hyper::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let mut line = json!({
        "at": time::now(),
        "from": peer.to_string(),
        "method": request.method().as_str(),
        "path": request.uri().path(),
        "content_type": content_type,
    });
    let body = Limited::new(request.into_body(), MAX_NOTIFICATION_SIZE)
        .collect()
        .await
        .map(|b| b.to_bytes());
    let (status, answer) = match body {
        Err(e) => {
            line["error"] = json!(format!("the body could not be read: {e}"));
            (413, "too large".to_owned())
        }
        Ok(body) => match Notification::parse(&body, &content_type) {
            Ok(_) => {
                let formats = &[BodyFormat::Json, BodyFormat::Form];
                let entries = NotificationBody::parse(&body, &content_type, formats)
                    .map(NotificationBody::rest)
                    .unwrap_or_default();
                line["notification"] = json!(entries);
                (200, "OK".to_owned())
            }
            Err(e) => {
                line["error"] = json!(e.to_string());
                (400, e.to_string())
            }
        },
    };
    output::print_line(line);
    let mut response = Response::new(Full::new(Bytes::from(answer)));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
    Ok(response)
}
