//! Tests of the helper types, pagination, redaction and the blocking client.

use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;
use portone_v1_runtime::{
    Call, Core, Error, Page, QueryValue, Request, RetryPolicy, Timestamp, paginate,
};

/// Test enum.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum PaymentStatus {
    /// Not paid.
    Ready,
    /// Paid.
    Paid,
    /// Anything else.
    Unknown(portone_v1_runtime::UnknownValue),
}
portone_v1_runtime::open_enum!(PaymentStatus { Ready = "ready", Paid = "paid" });

/// Equality and hashing follow the wire value, so a value read as `Unknown` by an older SDK
/// and the named variant of a newer one meet in a set or a map.
#[test]
fn open_enum_values_compare_and_hash_by_wire_value() {
    use std::collections::HashSet;
    let raw = PaymentStatus::Unknown(portone_v1_runtime::UnknownValue::new("paid".into()));
    assert_eq!(raw, PaymentStatus::Paid);
    assert_ne!(PaymentStatus::Ready, PaymentStatus::Paid);
    assert_ne!(PaymentStatus::from("partial"), PaymentStatus::from("other"));
    let set: HashSet<PaymentStatus> = [raw, PaymentStatus::Paid, PaymentStatus::Ready].into();
    assert_eq!(set.len(), 2);
}

#[test]
fn open_enum_round_trips_known_and_unknown_values() {
    let known: PaymentStatus = serde_json::from_value(json!("paid")).expect("known");
    assert_eq!(known, PaymentStatus::Paid);
    assert!(known.is_known());
    assert!(!PaymentStatus::from("piad").is_known());
    assert_eq!(known.as_str(), "paid");
    let unknown: PaymentStatus =
        serde_json::from_value(json!("partial_cancelled")).expect("unknown");
    match &unknown {
        PaymentStatus::Unknown(raw) => assert_eq!(raw.as_str(), "partial_cancelled"),
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(unknown.to_string(), "partial_cancelled");
    assert_eq!(
        serde_json::to_value(&unknown).expect("ser"),
        json!("partial_cancelled")
    );
    assert_eq!(format!("{unknown:?}"), "Unknown(\"partial_cancelled\")");
    assert_eq!("ready".parse::<PaymentStatus>(), Ok(PaymentStatus::Ready));
    assert_eq!(PaymentStatus::from("x"), "x".parse().expect("infallible"));
    let mut pairs = Vec::new();
    PaymentStatus::Ready.append_to("status", &mut pairs);
    unknown.append_to("status", &mut pairs);
    assert_eq!(
        pairs,
        [
            ("status", "ready".to_owned()),
            ("status", "partial_cancelled".to_owned())
        ]
    );
    let wrong: Result<PaymentStatus, _> = serde_json::from_value(json!(3));
    assert!(wrong.is_err());
}

#[test]
fn a_bare_timestamp_reads_only_a_set_time() {
    let decode = |v: Value| serde_json::from_value::<Timestamp>(v);
    assert_eq!(decode(json!(123)).expect("int").as_unix(), 123);
    assert_eq!(decode(json!("123")).expect("str").as_unix(), 123);
    assert_eq!(
        decode(json!(1_700_000_000.0)).expect("float").as_unix(),
        1_700_000_000
    );
    assert_eq!(decode(json!(-5)).expect("negative").as_unix(), -5);
    // The unset forms have no bare `Timestamp` to become: an error, never a zero time.
    for unset in [json!(0), json!(0.0), json!(""), json!("0"), json!(null)] {
        let err = decode(unset.clone()).expect_err("unset");
        assert!(err.to_string().contains("unset"), "{unset}: {err}");
    }
    assert!(decode(json!(1.5)).is_err());
    assert!(decode(json!("soon")).is_err());
    assert!(decode(json!(u64::MAX)).is_err());
    assert!(decode(json!(true)).is_err());
    assert_eq!(
        serde_json::to_value(Timestamp::from_unix(42)).expect("ser"),
        json!(42)
    );
}

/// A response type with one time field, decoded the way generated impls decode one.
#[derive(Debug)]
struct Paid {
    paid_at: Option<Timestamp>,
}

impl<'de> serde::Deserialize<'de> for Paid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        portone_v1_runtime::wire::read_object(deserializer)
    }
}

impl portone_v1_runtime::wire::Object for Paid {
    const EXPECTING: &'static str = "a Paid object";

    fn read<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<Self, A::Error> {
        use portone_v1_runtime::wire;
        let mut paid_at_ = None;
        let index = |key: &str| if key == "paid_at" { 0 } else { usize::MAX };
        wire::fields(
            map,
            index,
            &mut [("paid_at", &mut wire::Time(&mut paid_at_))],
        )?;
        Ok(Paid {
            paid_at: paid_at_.flatten(),
        })
    }
}

#[test]
fn a_response_time_reads_every_unset_form_as_none() {
    let read = |body: &str| serde_json::from_str::<Paid>(body).map(|p| p.paid_at);
    for unset in [
        r#"{"paid_at": 0}"#,
        r#"{"paid_at": 0.0}"#,
        r#"{"paid_at": -0.0}"#,
        r#"{"paid_at": ""}"#,
        r#"{"paid_at": " "}"#,
        r#"{"paid_at": "0"}"#,
        r#"{"paid_at": null}"#,
        r#"{"other": 1}"#,
        "{}",
    ] {
        assert_eq!(read(unset).expect(unset), None, "{unset}");
    }
    let set = Some(Timestamp::from_unix(1_700_000_060));
    assert_eq!(read(r#"{"paid_at": 1700000060}"#).expect("int"), set);
    assert_eq!(read(r#"{"paid_at": 1700000060.0}"#).expect("float"), set);
    assert_eq!(read(r#"{"paid_at": "1700000060"}"#).expect("string"), set);
    for garbage in [
        r#"{"paid_at": "soon"}"#,
        r#"{"paid_at": 1.5}"#,
        r#"{"paid_at": true}"#,
        r#"{"paid_at": {}}"#,
        r#"{"paid_at": 18446744073709551615}"#,
    ] {
        let err = read(garbage).expect_err(garbage);
        assert!(err.to_string().contains("`paid_at`"), "{garbage}: {err}");
    }
    let err = read(r#"{"paid_at": 0, "paid_at": 1}"#).expect_err("twice");
    assert!(
        err.to_string().contains("duplicate field `paid_at`"),
        "{err}"
    );
}

#[test]
fn deserialize_option_reads_unset_forms_as_none_in_users_types() {
    #[derive(serde::Deserialize)]
    struct Notice {
        #[serde(default, deserialize_with = "Timestamp::deserialize_option")]
        paid_at: Option<Timestamp>,
    }
    let read = |v: Value| serde_json::from_value::<Notice>(v).map(|n| n.paid_at);
    assert_eq!(read(json!({ "paid_at": 0 })).expect("0"), None);
    assert_eq!(read(json!({ "paid_at": "" })).expect("empty"), None);
    assert_eq!(read(json!({ "paid_at": null })).expect("null"), None);
    assert_eq!(read(json!({})).expect("missing"), None);
    assert_eq!(
        read(json!({ "paid_at": 7 })).expect("set"),
        Some(Timestamp::from_unix(7))
    );
    assert!(read(json!({ "paid_at": "soon" })).is_err());
}

#[test]
fn timestamp_converts_to_and_from_system_time() {
    use std::time::{Duration, UNIX_EPOCH};
    let t = Timestamp::from(UNIX_EPOCH + Duration::from_millis(1_500));
    assert_eq!(t.as_unix(), 1);
    let in_30_days = Timestamp::from(1_700_000_000) + Duration::from_secs(30 * 86_400);
    assert_eq!(in_30_days.as_unix(), 1_702_592_000);
    assert_eq!(
        t.to_system_time(),
        Some(UNIX_EPOCH + Duration::from_secs(1))
    );
    // Zero is the epoch like any other time: only an out-of-range value has no SystemTime.
    assert_eq!(Timestamp::from_unix(0).to_system_time(), Some(UNIX_EPOCH));
    assert_eq!(
        Timestamp::from_unix(-5).to_system_time(),
        UNIX_EPOCH.checked_sub(Duration::from_secs(5))
    );
    // Extreme values must not panic, whatever the platform can represent.
    let _ = Timestamp::from_unix(i64::MIN).to_system_time();
    let _ = Timestamp::from_unix(i64::MAX).to_system_time();
}

#[derive(serde::Deserialize)]
struct PagedPayments {
    next: u32,
    list: Vec<Value>,
}

impl Page for PagedPayments {
    type Item = Value;

    fn into_items(self) -> (Vec<Value>, Option<u32>) {
        (self.list, (self.next != 0).then_some(self.next))
    }
}

fn list_page(client: &Core, page: u32) -> Call<'_, PagedPayments> {
    let mut request = Request::new(&LIST, &[]);
    request.query("page", &page);
    Call::new(client, request)
}

async fn mount_page(server: &MockServer, page: u32, next: u32, ids: &[&str]) {
    let list: Vec<Value> = ids.iter().map(|id| json!({ "imp_uid": id })).collect();
    Mock::given(path("/payments"))
        .and(query_param("page", page.to_string()))
        .respond_with(ok_json(json!({ "total": 5, "next": next, "list": list })))
        .mount(server)
        .await;
}

#[tokio::test]
async fn paginate_walks_all_pages_and_stops() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    mount_page(&server, 1, 2, &["a", "b"]).await;
    mount_page(&server, 2, 3, &[]).await;
    mount_page(&server, 3, 0, &["c", "d", "e"]).await;
    let client = client(&server.uri());
    fn unpin_send<T: Unpin + Send>(stream: T) -> T {
        stream
    }
    // Unpin, so `StreamExt::next` works without pinning; Send, so it can cross tasks.
    let mut stream = unpin_send(paginate(1, |page| list_page(&client, page)));
    let first = stream.next().await.expect("first item").expect("ok");
    assert_eq!(first["imp_uid"], "a");
    let mut items: Vec<Result<Value, Error>> = vec![Ok(first)];
    items.extend(stream.collect::<Vec<_>>().await);
    let ids: Vec<String> = items
        .into_iter()
        .map(|item| {
            item.expect("item")["imp_uid"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(count(&server, "/payments").await, 3);
}

#[tokio::test]
async fn paginate_stops_when_next_does_not_advance() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    mount_page(&server, 1, 2, &["a"]).await;
    mount_page(&server, 2, 2, &["b"]).await;
    let client = client(&server.uri());
    let items: Vec<Result<Value, Error>> =
        paginate(1, |page| list_page(&client, page)).collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(count(&server, "/payments").await, 2);
}

#[tokio::test]
async fn paginate_stops_after_the_first_error() {
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    mount_page(&server, 1, 2, &["a"]).await;
    Mock::given(path("/payments"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({ "code": -1, "message": "page out of range" })),
        )
        .mount(&server)
        .await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let items: Vec<Result<Value, Error>> =
        paginate(1, |page| list_page(&client, page)).collect().await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(&items[1], Err(Error::Api(api)) if api.status() == 400));
    assert_eq!(count(&server, "/payments").await, 2);
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_traces() {
    let captured = global_capture();
    let server = MockServer::start().await;
    mount_token(&server, 1800).await;
    Mock::given(path("/payments/cancel"))
        .respond_with(ok_json(json!({ "done": true })))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut request = Request::new(&CANCEL, &[]);
    request.query("q", "query-value-xyz");
    request.json(&json!({ "reason": "body-value-xyz" }));
    let call: Call<'_, Value> = Call::new(&client, request);
    call.await.expect("ok");
    let debug = format!("{client:?}");
    assert!(debug.contains("[redacted]"), "{debug}");
    let traces = captured.text();
    let closed = traces
        .lines()
        .find(|line| {
            line.contains("portone.request")
                && line.contains("/payments/cancel")
                && line.contains("close")
        })
        .unwrap_or_else(|| panic!("no span for the call in {traces}"));
    for field in [
        "method=\"POST\"",
        "attempt=1",
        "status=200",
        "code=0",
        "elapsed_ms=",
    ] {
        assert!(closed.contains(field), "{field} missing in {closed}");
    }
    for leak in [SECRET, "tok-1", "query-value-xyz", "body-value-xyz"] {
        assert!(!debug.contains(leak), "Debug leaks {leak}: {debug}");
        assert!(!traces.contains(leak), "traces leak {leak}: {traces}");
    }
    let builder = format!("{:?}", Core::builder().credentials("k", SECRET));
    assert!(!builder.contains(SECRET), "{builder}");
}

#[test]
fn public_types_are_thread_safe() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Core>();
    send_sync::<Error>();
    send_sync::<portone_v1_runtime::ClientBuilder>();
    let client = Core::new("k", "s");
    let future = std::future::IntoFuture::into_future(get_payment(&client, "imp_1"));
    send(&future);
    let request = Request::new(&CANCEL, &[]);
    let shown = format!("{request:?}");
    assert!(shown.contains("/payments/cancel"), "{shown}");
}

#[test]
fn request_debug_hides_values() {
    let mut request = Request::new(&GET_PAYMENT, &["imp_private"]);
    request.query("q", "query-secret");
    request.json(&json!({ "imp_secret": SECRET }));
    let shown = format!("{request:?}");
    for hidden in ["imp_private", "query-secret", SECRET] {
        assert!(!shown.contains(hidden), "{shown}");
    }
}
