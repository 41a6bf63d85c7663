use crate::ErrorCode;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};

/// Parses a date as Finns write it (d.m.yyyy) or as HTML date inputs send it (yyyy-mm-dd).
pub fn parse_date(input: &str) -> Result<NaiveDate, ErrorCode> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ErrorCode::Required);
    }
    let parsed = if s.contains('.') {
        let parts: Vec<&str> = s.trim_end_matches('.').split('.').collect();
        match parts.as_slice() {
            [d, m, y] if y.len() == 4 => {
                match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
                    (Ok(d), Ok(m), Ok(y)) => NaiveDate::from_ymd_opt(y, m, d),
                    _ => None,
                }
            }
            _ => None,
        }
    } else {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    };
    match parsed {
        Some(d) if (1900..=2200).contains(&d.year()) => Ok(d),
        _ => Err(ErrorCode::DateInvalid),
    }
}

pub fn parse_optional_date(input: &str) -> Result<Option<NaiveDate>, ErrorCode> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(input).map(Some)
    }
}

/// Finnish local time (Europe/Helsinki) of an instant: UTC+2, and UTC+3 in summer time, which in
/// the EU runs from the last Sunday of March to the last Sunday of October, changing at 01:00
/// UTC. The rule has held since 1996; Polku shows no older instants. (A rule of our own instead
/// of a time-zone database crate: one zone, one rule, and a build that stays lean.)
pub fn helsinki(at: DateTime<Utc>) -> NaiveDateTime {
    let year = at.year();
    let change = |month| {
        last_sunday(year, month)
            .and_hms_opt(1, 0, 0)
            .unwrap_or_default()
    };
    let utc = at.naive_utc();
    let summer = utc >= change(3) && utc < change(10);
    utc + Duration::hours(if summer { 3 } else { 2 })
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let mut d = next.and_then(|n| n.pred_opt()).unwrap_or_default();
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt().unwrap_or_default();
    }
    d
}

/// d.m.yyyy, the Finnish and Swedish form, and how dates are typed into Polku's forms.
pub fn format_fi(d: NaiveDate) -> String {
    format!("{}.{}.{}", d.day(), d.month(), d.year())
}

/// Whole years between `birth` and `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Whole months between two dates (used for unemployment duration).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        m -= 1;
    }
    m.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helsinki_time_follows_summer_time() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| helsinki(t.with_timezone(&Utc)).to_string())
                .unwrap_or_default()
        };
        assert_eq!(at("2026-01-15T10:51:35Z"), "2026-01-15 12:51:35");
        // 2026: summer time from Sunday 29 March to Sunday 25 October, at 01:00 UTC.
        assert_eq!(at("2026-03-29T00:59:00Z"), "2026-03-29 02:59:00");
        assert_eq!(at("2026-03-29T01:00:00Z"), "2026-03-29 04:00:00");
        assert_eq!(at("2026-10-25T00:59:00Z"), "2026-10-25 03:59:00");
        assert_eq!(at("2026-10-25T01:00:00Z"), "2026-10-25 03:00:00");
        // Late evening in UTC is already the next day in Finland.
        assert_eq!(at("2026-11-23T22:30:00Z"), "2026-11-24 00:30:00");
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    #[test]
    fn finnish_and_iso_forms() {
        assert_eq!(parse_date("1.9.2015"), Ok(d(2015, 9, 1)));
        assert_eq!(parse_date("01.09.2015"), Ok(d(2015, 9, 1)));
        assert_eq!(parse_date("2015-09-01"), Ok(d(2015, 9, 1)));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(parse_date("31.2.2020"), Err(ErrorCode::DateInvalid));
        assert_eq!(parse_date("1.13.2020"), Err(ErrorCode::DateInvalid));
        assert_eq!(parse_date("1.1.20"), Err(ErrorCode::DateInvalid));
        assert_eq!(parse_date("yesterday"), Err(ErrorCode::DateInvalid));
        assert_eq!(parse_date(""), Err(ErrorCode::Required));
    }

    #[test]
    fn age_counts_birthdays() {
        assert_eq!(age_on(d(1960, 5, 10), d(2015, 5, 9)), 54);
        assert_eq!(age_on(d(1960, 5, 10), d(2015, 5, 10)), 55);
        assert_eq!(months_between(d(2020, 1, 15), d(2021, 1, 14)), 11);
        assert_eq!(months_between(d(2020, 1, 15), d(2021, 1, 15)), 12);
        assert_eq!(format_fi(d(2015, 9, 1)), "1.9.2015");
    }
}
