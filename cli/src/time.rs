//! Times on the command line: UNIX seconds, dates and date-times, or a span before now.
//! PortOne keeps times as UNIX seconds; a date or date-time without an offset is Korean time
//! (UTC+9), the time PortOne's console shows.

use std::time::{SystemTime, UNIX_EPOCH};

/// Korean Standard Time, in seconds east of UTC (no daylight saving).
const KST: i64 = 9 * 3600;

/// What the time flags accept, for their help texts.
pub(crate) const FORMATS: &str = "UNIX seconds (1700000000), a date (2024-03-01, midnight Korean \
     time), a date-time (2024-03-01T09:30:00, Korean time unless it ends in Z or an offset such \
     as +09:00), `now`, or a span before now (90d, 12h, 30m, 45s)";

/// Reads a time as UNIX seconds; `now` is the current time in UNIX seconds.
pub(crate) fn parse_at(text: &str, now: i64) -> Result<i64, String> {
    let text = text.trim();
    let invalid = || format!("`{text}` is not a time: use {FORMATS}");
    if text == "now" {
        return Ok(now);
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return Ok(seconds);
    }
    let (count, unit) = text.split_at(text.char_indices().last().map_or(0, |(i, _)| i));
    let span = match unit {
        "d" => Some(86_400),
        "h" => Some(3_600),
        "m" => Some(60),
        "s" => Some(1),
        _ => None,
    };
    if let (Some(seconds), Ok(count)) = (span, count.parse::<i64>()) {
        return count
            .checked_mul(seconds)
            .and_then(|span| now.checked_sub(span))
            .ok_or_else(invalid);
    }
    date_time(text).ok_or_else(invalid)
}

/// Reads a time as UNIX seconds, against the clock.
pub(crate) fn parse(text: &str) -> Result<i64, String> {
    parse_at(text, now())
}

/// The current time in UNIX seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fraction]]`, then
/// optionally `Z` or `±HH:MM`.
fn date_time(text: &str) -> Option<i64> {
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, rest) = match text.find(['T', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (year, month, day) = (
        number(parts.next()?)?,
        number(parts.next()?)?,
        number(parts.next()?)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&month) || day < 1 || day > days_in(year, month)
    {
        return None;
    }
    let (clock, offset) = match rest {
        None => ("00:00", -KST),
        Some(rest) => {
            if let Some(clock) = rest.strip_suffix('Z') {
                (clock, 0)
            } else if let Some(i) = rest.rfind(['+', '-']) {
                let (sign, zone) = (&rest[i..i + 1], &rest[i + 1..]);
                let (h, m) = zone.split_once(':')?;
                let east = number(h)? * 3600 + number(m)? * 60;
                (&rest[..i], if sign == "+" { -east } else { east })
            } else {
                (rest, -KST)
            }
        }
    };
    let clock = clock.split('.').next()?;
    let mut fields = clock.split(':');
    let hour = number(fields.next()?)?;
    let minute = number(fields.next()?)?;
    let second = fields.next().map_or(Some(0), number)?;
    if fields.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second + offset)
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn accepted_forms() {
        assert_eq!(parse_at("1700000000", NOW), Ok(1_700_000_000));
        assert_eq!(parse_at("now", NOW), Ok(NOW));
        assert_eq!(parse_at("1970-01-01T00:00:00Z", NOW), Ok(0));
        assert_eq!(parse_at("1970-01-01T09:00:00", NOW), Ok(0), "Korean time");
        assert_eq!(
            parse_at("1970-01-01", NOW),
            Ok(-KST),
            "midnight Korean time"
        );
        assert_eq!(parse_at("2023-11-14T22:13:20Z", NOW), Ok(NOW));
        assert_eq!(parse_at("2023-11-15T07:13:20+09:00", NOW), Ok(NOW));
        assert_eq!(parse_at("2023-11-14 17:13:20.5-05:00", NOW), Ok(NOW));
        assert_eq!(parse_at("2024-02-29", NOW), Ok(1_709_132_400));
        assert_eq!(parse_at("90d", NOW), Ok(NOW - 90 * 86_400));
        assert_eq!(parse_at("12h", NOW), Ok(NOW - 12 * 3_600));
        assert_eq!(parse_at("30m", NOW), Ok(NOW - 1_800));
        assert_eq!(parse_at("45s", NOW), Ok(NOW - 45));
    }

    #[test]
    fn refused_forms_name_the_accepted_ones() {
        for bad in [
            "",
            "yesterday",
            "2023-02-29",
            "2023-13-01",
            "2023-1-1x",
            "10y",
            "d",
            "2023-11-14T25:00",
            "2023-11-14T10:00+9",
            "99999999999999999999d",
        ] {
            let error = parse_at(bad, NOW).unwrap_err();
            assert!(error.contains("UNIX seconds"), "{bad}: {error}");
        }
    }
}
