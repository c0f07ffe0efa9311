//! Reading decoded calls, answers, refusals and paging shared by every rule set.

use serde_json::{Map, Value};

use crate::exchange::Refusal;
use crate::json::ToJson;

/// What every rule answers: an HTTP status and the envelope's `response` as JSON text, or a
/// refusal.
pub(super) type Answer = Result<(u16, String), Refusal>;

/// The longest time window the payment list accepts, in seconds.
pub(super) const NINETY_DAYS: i64 = 90 * 86_400;

/// Unknown id in a lookup; code and wording as PortOne sends them (seen in the official Python
/// client's tests and users' code).
pub(super) const NO_SUCH_PAYMENT: &str = "존재하지 않는 결제정보입니다.";
/// Cancelling what does not exist; PortOne's code 1 and wording (DOMAIN.md §2).
pub(super) const NO_PAYMENT_TO_CANCEL: &str = "취소할 결제건이 존재하지 않습니다.";
/// A second full refund; PortOne's code 1 and wording, as seen in users' published code.
pub(super) const ALREADY_CANCELLED: &str = "이미 전액취소된 주문입니다.";
/// Refund above what is left; PortOne's wording unknown, this one is the fake's (code 1).
pub(super) const OVER_REFUND: &str = "취소 요청 금액이 취소 가능 잔액보다 큽니다.";
/// `checksum` differs from what is left; PortOne's wording unknown, the fake's (code 1).
pub(super) const CHECKSUM_MISMATCH: &str = "checksum이 취소 가능 잔액과 일치하지 않습니다.";
/// Refunding a payment that was never paid; the fake's wording (code 1).
pub(super) const NOT_PAID: &str = "결제완료 상태가 아닌 결제건은 취소할 수 없습니다.";
/// A virtual-account refund without the refund account (`refund_holder`, `refund_bank`,
/// `refund_account`); the fake's wording (code 1).
pub(super) const NEEDS_REFUND_ACCOUNT: &str = "가상계좌 환불에는 환불 계좌 정보가 필요합니다.";
/// A refund's `tax_free` above the refund or above the tax-free part left; the fake's wording
/// (code 1).
pub(super) const TAX_FREE_OVER: &str =
    "취소 요청 면세금액이 취소 금액 또는 취소 가능한 면세금액보다 큽니다.";
/// A refund's `vat_amount` above its taxable part or above the VAT left; the fake's wording
/// (code 1).
pub(super) const VAT_OVER: &str =
    "취소 요청 부가세가 과세 취소 금액 또는 취소 가능한 부가세보다 큽니다.";
/// A refund smaller than the promotion discount it must take back (the rest of the order would
/// break the promotion's minimum and `retain_promotion` is not set); the fake's wording (code 1).
pub(super) const PROMOTION_RECLAIM: &str = "취소 금액이 회수할 프로모션 할인 금액보다 작습니다.";
/// Amount differs from the prepared one; the fake's wording, also the payment's `fail_reason`.
pub(super) const PREPARED_MISMATCH: &str = "사전 등록된 결제 금액과 일치하지 않습니다.";
/// An order id that was already paid, charged again; the fake's wording (code 1).
pub(super) const ALREADY_PAID: &str = "이미 결제완료된 merchant_uid입니다.";
/// Preparing an order id twice; the fake's wording (code 1).
pub(super) const ALREADY_PREPARED: &str = "이미 사전 등록된 merchant_uid입니다.";
/// No prepared amount for the order id; the fake's wording (404, code 1).
pub(super) const NOT_PREPARED: &str = "사전 등록된 결제정보가 없습니다.";
/// Unknown billing key; the fake's wording (404 for lookups, 200 for charges; code 1).
pub(super) const NO_SUCH_BILLING_KEY: &str = "등록된 빌링키가 없습니다.";
/// Card number or expiry the PG would refuse: code -1 as for PG refusals (DOMAIN.md §2), the
/// fake's wording.
pub(super) const BAD_CARD: &str = "카드 정보가 올바르지 않거나 유효기간이 지났습니다.";
/// Booking an order id that is already scheduled or paid; the fake's wording (code 1).
pub(super) const ALREADY_SCHEDULED: &str = "이미 예약되었거나 결제된 merchant_uid입니다.";
/// The longest window the schedule lists accept: three months, counted as the longest three
/// consecutive months (July to September), since PortOne says only "three months".
pub(super) const THREE_MONTHS: i64 = 92 * 86_400;
/// Unknown schedule; the fake's wording (404, code 1).
pub(super) const NO_SUCH_SCHEDULE: &str = "예약된 결제정보가 없습니다.";
/// Revoke that matched no pending schedule; PortOne's code 1 (DOMAIN.md §2), the fake's wording.
pub(super) const NOTHING_TO_REVOKE: &str = "취소할 예약결제 기록이 존재하지 않습니다.";
/// A schedule operation that its state forbids; the fake's wording (400, code 1).
pub(super) const SCHEDULE_STATE: &str = "예약 상태가 이 요청을 허용하지 않습니다.";
/// A planned time not in the future; the fake's wording (400, code 1).
pub(super) const PAST_TIME: &str = "예약 시각은 현재 이후여야 합니다.";
/// A virtual-account change once it is no longer `ready`; the fake's wording (400, code 1).
pub(super) const VBANK_NOT_READY: &str = "입금대기 상태의 가상계좌가 아닙니다.";
/// Failing scheduled charge after its billing key was deleted; the fake's `fail_reason`.
pub(super) const KEY_DELETED: &str = "빌링키가 삭제되어 결제할 수 없습니다.";

pub(super) fn refuse(status: u16, code: i64, message: &str) -> Refusal {
    Refusal {
        status,
        code,
        message: message.to_owned(),
    }
}

/// A 400 naming a request value; the server's decoding normally catches these first.
pub(super) fn bad(what: &str) -> Refusal {
    Refusal {
        status: 400,
        code: 1,
        message: format!("{what}: 올바르지 않은 값입니다."),
    }
}

/// A 200 with `response`.
pub(super) fn ok(response: &(impl ToJson + ?Sized)) -> Answer {
    answer(200, response)
}

pub(super) fn answer(status: u16, response: &(impl ToJson + ?Sized)) -> Answer {
    let mut text = String::new();
    response.write_json(&mut text);
    Ok((status, text))
}

/// A string value; `null` and `""` count as absent.
pub(super) fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

pub(super) fn owned(map: &Map<String, Value>, key: &str) -> Option<String> {
    text(map, key).map(str::to_owned)
}

pub(super) fn required<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a str, Refusal> {
    text(map, key).ok_or_else(|| bad(key))
}

pub(super) fn number(map: &Map<String, Value>, key: &str) -> Option<f64> {
    map.get(key).and_then(Value::as_f64)
}

pub(super) fn required_number(map: &Map<String, Value>, key: &str) -> Result<f64, Refusal> {
    number(map, key).ok_or_else(|| bad(key))
}

/// An integer value; a whole float (as a form body may decode to) counts too.
pub(super) fn integer(map: &Map<String, Value>, key: &str) -> Option<i64> {
    let value = map.get(key)?;
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0)
            .map(|f| f as i64)
    })
}

pub(super) fn required_integer(map: &Map<String, Value>, key: &str) -> Result<i64, Refusal> {
    integer(map, key).ok_or_else(|| bad(key))
}

pub(super) fn flag(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// A list of strings; a single string is a list of one (PortOne takes both for order ids).
pub(super) fn strings(map: &Map<String, Value>, key: &str) -> Vec<String> {
    match map.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// One page of a list, as the spec's page types have it.
pub(super) struct Page<T> {
    pub total: i64,
    pub previous: i64,
    pub next: i64,
    pub list: Vec<T>,
}

/// One page of `items`. Pages count from 1; a page past the last one (or below 1) and a
/// limit outside 1..=1000 are refused with 400, as PortOne documents; an empty result has
/// one empty page.
pub(super) fn page<T>(
    items: Vec<T>,
    page: Option<i64>,
    limit: Option<i64>,
) -> Result<Page<T>, Refusal> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(20);
    if !(1..=1000).contains(&limit) {
        return Err(bad("limit"));
    }
    let total = items.len() as i64;
    let pages = ((total + limit - 1) / limit).max(1);
    if page < 1 || page > pages {
        return Err(bad("page"));
    }
    let list: Vec<T> = items
        .into_iter()
        .skip(((page - 1) * limit) as usize)
        .take(limit as usize)
        .collect();
    Ok(Page {
        total,
        previous: page - 1,
        next: if page < pages { page + 1 } else { 0 },
        list,
    })
}

/// The answer to a lookup of several ids: 200 when all were found, 207 when some were, `none`
/// when none was.
pub(super) fn several<T: ToJson>(found: Vec<T>, asked: usize, none: Refusal) -> Answer {
    match found.len() {
        0 => Err(none),
        n if n < asked => answer(207, &found),
        _ => ok(&found),
    }
}
