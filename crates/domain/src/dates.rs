use crate::ErrorCode;
use chrono::{Datelike, NaiveDate};

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

/// d.m.yyyy, the Finnish and Swedish display form (English UI uses it too: one format, no ambiguity).
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
