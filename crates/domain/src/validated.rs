//! Newtypes parsed at the edge. Each `parse` returns an [`ErrorCode`] the UI translates.

use crate::reference::{self, Place};
use crate::ErrorCode;
use chrono::NaiveDate;
use std::fmt;

const HETU_CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// Finnish personal identity code (henkilötunnus), incl. the century signs of the 2023 reform.
/// Debug never shows the value: it is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Hetu(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HetuSex {
    Female,
    Male,
}

impl Hetu {
    pub fn parse(input: &str) -> Result<Self, ErrorCode> {
        let s: String = input.trim().to_uppercase();
        let b = s.as_bytes();
        if b.len() != 11
            || !b[..6].iter().all(u8::is_ascii_digit)
            || !b[7..10].iter().all(u8::is_ascii_digit)
        {
            return Err(ErrorCode::HetuInvalid);
        }
        let century = match b[6] {
            b'+' => 1800,
            b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
            b'A' | b'B' | b'C' | b'D' | b'E' | b'F' => 2000,
            _ => return Err(ErrorCode::HetuInvalid),
        };
        let num = |r: std::ops::Range<usize>| -> u32 {
            b[r].iter().fold(0, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        let (dd, mm, yy, individual) = (num(0..2), num(2..4), num(4..6), num(7..10));
        if NaiveDate::from_ymd_opt(century + yy as i32, mm, dd).is_none() {
            return Err(ErrorCode::HetuDate);
        }
        if individual < 2 {
            return Err(ErrorCode::HetuInvalid);
        }
        let n = u64::from(num(0..6)) * 1000 + u64::from(individual);
        let expected = HETU_CHECK[(n % 31) as usize];
        if b[10] != expected {
            return Err(ErrorCode::HetuChecksum);
        }
        Ok(Hetu(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        let b = self.0.as_bytes();
        let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
        let century = match b[6] {
            b'+' => 1800,
            b'A'..=b'F' => 2000,
            _ => 1900,
        };
        // parse() guaranteed the date exists.
        NaiveDate::from_ymd_opt(century + two(4) as i32, two(2), two(0)).unwrap_or_default()
    }

    pub fn sex(&self) -> HetuSex {
        let b = self.0.as_bytes();
        if (b[9] - b'0') % 2 == 1 {
            HetuSex::Male
        } else {
            HetuSex::Female
        }
    }

    /// Masked form for lists: birth date part only.
    pub fn masked(&self) -> String {
        format!("{}{}****", &self.0[..6], &self.0[6..7])
    }
}

impl fmt::Debug for Hetu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hetu(<redacted>)")
    }
}

/// Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessId(String);

impl BusinessId {
    pub fn parse(input: &str) -> Result<Self, ErrorCode> {
        let s = input.trim();
        let b = s.as_bytes();
        // Old IDs with six digits are written with a leading zero.
        let padded;
        let b = if b.len() == 8 && b[6] == b'-' {
            padded = format!("0{s}");
            padded.as_bytes()
        } else {
            b
        };
        if b.len() != 9
            || b[7] != b'-'
            || !b[..7].iter().all(u8::is_ascii_digit)
            || !b[8].is_ascii_digit()
        {
            return Err(ErrorCode::BusinessIdInvalid);
        }
        match Self::check_digit(&b[..7]) {
            Some(check) if u32::from(b[8] - b'0') == check => {
                Ok(BusinessId(String::from_utf8_lossy(b).into_owned()))
            }
            _ => Err(ErrorCode::BusinessIdChecksum),
        }
    }
    /// The check digit of seven ASCII digits; none when the remainder is 1 (no such Y-tunnus).
    fn check_digit(digits: &[u8]) -> Option<u32> {
        const W: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = digits
            .iter()
            .zip(W)
            .map(|(c, w)| u32::from(c - b'0') * w)
            .sum();
        match sum % 11 {
            0 => Some(0),
            1 => None,
            r => Some(11 - r),
        }
    }
    /// The Y-tunnus of a seven-digit number with its check digit, if the number has one
    /// (for synthetic data).
    pub fn of_number(n: u32) -> Option<BusinessId> {
        let digits = format!("{:07}", n % 10_000_000);
        let check = Self::check_digit(digits.as_bytes())?;
        Some(BusinessId(format!("{digits}-{check}")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address; deliberately loose (one @, a dot in the domain) since the real test is delivery.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ErrorCode> {
        let s = input.trim().to_lowercase();
        let ok = s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains('@')
                }
                None => false,
            };
        if ok {
            Ok(Email(s))
        } else if s.is_empty() {
            Err(ErrorCode::Required)
        } else {
            Err(ErrorCode::EmailInvalid)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(<redacted>)")
    }
}

/// A mobile number in international form (`+358401234567`): typed with spaces, dashes or
/// brackets, as `040 123 4567` (a Finnish number) or `+46 70 …` / `0046 70 …`.
#[derive(Clone, PartialEq, Eq)]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(input: &str) -> Result<Self, ErrorCode> {
        let kept: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')' | '.'))
            .collect();
        let international = if let Some(rest) = kept.strip_prefix('+') {
            rest.to_string()
        } else if let Some(rest) = kept.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = kept.strip_prefix('0') {
            format!("358{rest}")
        } else if kept.is_empty() {
            return Err(ErrorCode::Required);
        } else {
            return Err(ErrorCode::NumberInvalid);
        };
        let digits = international.chars().all(|c| c.is_ascii_digit());
        if digits && (8..=15).contains(&international.len()) && !international.starts_with('0') {
            Ok(Mobile(format!("+{international}")))
        } else {
            Err(ErrorCode::NumberInvalid)
        }
    }
    /// `+358401234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// How a Finnish number is usually written down (`0401234567`); others as they are.
    pub fn national(&self) -> String {
        match self.0.strip_prefix("+358") {
            Some(rest) => format!("0{rest}"),
            None => self.0.clone(),
        }
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mobile(<redacted>)")
    }
}

/// Finnish postal code: five digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(input: &str) -> Result<Self, ErrorCode> {
        let s = input.trim();
        if s.len() == 5 && s.bytes().all(|c| c.is_ascii_digit()) {
            Ok(PostalCode(s.to_string()))
        } else {
            Err(ErrorCode::PostalCodeInvalid)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A municipality of Statistics Finland's classification (three-digit code), current or
/// merged away (an old record keeps its code); see [`crate::reference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Municipality(Place);

impl Municipality {
    /// By code or by Finnish or Swedish name, in any case.
    pub fn parse(input: &str) -> Result<Self, ErrorCode> {
        reference::place(input)
            .map(Municipality)
            .ok_or(ErrorCode::MunicipalityInvalid)
    }

    /// The municipality a postal code belongs to.
    pub fn of_postal_code(postal_code: &str) -> Option<Self> {
        reference::postal_municipality(postal_code).map(|m| Municipality(Place::Current(m)))
    }

    /// The code as stored: a merged municipality keeps its own.
    pub fn code(&self) -> &'static str {
        match self.0 {
            Place::Current(m) => m.code,
            Place::Merged(old, _) => old.old_code,
        }
    }

    pub fn name(&self, lang: &str) -> &'static str {
        match self.0 {
            Place::Current(m) if lang == "sv" => m.name_sv,
            Place::Current(m) => m.name_fi,
            Place::Merged(old, _) => old.old_name,
        }
    }

    /// The municipality it is part of today (itself unless merged).
    pub fn current(&self) -> &'static reference::MunicipalityRef {
        match self.0 {
            Place::Current(m) | Place::Merged(_, m) => m,
        }
    }
}

/// Comma-separated municipality codes as their names in `lang`, joined with commas; codes
/// that are no municipality are left out.
pub fn municipality_names(codes: &str, lang: &str) -> String {
    codes
        .split(',')
        .filter_map(|c| Municipality::parse(c).ok())
        .map(|m| m.name(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_as_typed() {
        for typed in [
            "040 123 4567",
            "+358 40 123 4567",
            "00358-40-1234567",
            "(040) 1234567",
        ] {
            let m = Mobile::parse(typed).map_err(|e| e.code());
            assert_eq!(
                m.as_ref().map(Mobile::as_str),
                Ok("+358401234567"),
                "{typed}"
            );
            assert_eq!(m.map(|m| m.national()), Ok("0401234567".to_string()));
        }
        assert_eq!(
            Mobile::parse("+46 70 123 45 67").map(|m| m.national()),
            Ok("+46701234567".to_string())
        );
        assert_eq!(Mobile::parse(" ").err(), Some(ErrorCode::Required));
        for bad in [
            "12345",
            "040 12",
            "+358 40 abc",
            "maija@example.fi",
            "+0 40 1234567",
        ] {
            assert_eq!(
                Mobile::parse(bad).err(),
                Some(ErrorCode::NumberInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn hetu_valid_examples() {
        let h = Hetu::parse("131052-308T").map_err(|e| e.code());
        assert_eq!(
            h.as_ref().map(|h| h.birth_date()),
            Ok(NaiveDate::from_ymd_opt(1952, 10, 13).unwrap_or_default())
        );
        assert_eq!(h.map(|h| h.sex()), Ok(HetuSex::Female));
        // 2023 reform: the new century signs carry the same check character.
        for sign in ['Y', 'X', 'W', 'V', 'U'] {
            assert!(Hetu::parse(&format!("131052{sign}308T")).is_ok(), "{sign}");
        }
        // The 1900s signs U-Y carry the same check character as "-".
        let ok = Hetu::parse("010594Y9032").map(|h| h.birth_date());
        assert_eq!(
            ok,
            Ok(NaiveDate::from_ymd_opt(1994, 5, 1).unwrap_or_default())
        );
        assert!(Hetu::parse("010594y9032").is_ok(), "lower case accepted");
        // 2000s: A and the reform's B-F.
        for sign in ['A', 'B', 'C', 'D', 'E', 'F'] {
            let h = Hetu::parse(&format!("010105{sign}963T")).map(|h| h.birth_date());
            assert_eq!(
                h,
                Ok(NaiveDate::from_ymd_opt(2005, 1, 1).unwrap_or_default()),
                "{sign}"
            );
        }
        assert_eq!(Hetu::parse("010105A963W"), Err(ErrorCode::HetuChecksum));
    }

    #[test]
    fn hetu_errors_are_specific() {
        assert_eq!(Hetu::parse("131052-308A"), Err(ErrorCode::HetuChecksum));
        assert_eq!(Hetu::parse("310252-308T"), Err(ErrorCode::HetuDate));
        assert_eq!(Hetu::parse("131052Z308T"), Err(ErrorCode::HetuInvalid));
        assert_eq!(Hetu::parse("131052-308"), Err(ErrorCode::HetuInvalid));
        assert_eq!(Hetu::parse("131052-001H"), Err(ErrorCode::HetuInvalid));
        assert_eq!(
            format!("{:?}", Hetu::parse("131052-308T")),
            "Ok(Hetu(<redacted>))"
        );
    }

    #[test]
    fn business_id_check_digit() {
        // From the seed documents.
        for ok in ["0210838-1", "0245896-3", "0139533-1", "210838-1"] {
            assert!(BusinessId::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            BusinessId::parse("0210838-2"),
            Err(ErrorCode::BusinessIdChecksum)
        );
        assert_eq!(
            BusinessId::parse("02108381"),
            Err(ErrorCode::BusinessIdInvalid)
        );
        assert_eq!(BusinessId::parse("abc"), Err(ErrorCode::BusinessIdInvalid));
        // Synthetic ones carry their check digit, and parse back.
        assert_eq!(
            BusinessId::of_number(210_838).map(|b| b.as_str().to_string()),
            Some("0210838-1".into())
        );
        let made: Vec<BusinessId> = (1_000_000..1_000_100)
            .filter_map(BusinessId::of_number)
            .collect();
        assert!(made.len() > 80);
        assert!(made
            .iter()
            .all(|b| BusinessId::parse(b.as_str()).as_ref() == Ok(b)));
    }

    #[test]
    fn email_and_postal_code() {
        assert!(Email::parse("Taina.P@Edupoli.fi").is_ok());
        assert_eq!(Email::parse("taina@edupoli"), Err(ErrorCode::EmailInvalid));
        assert_eq!(Email::parse("a b@c.fi"), Err(ErrorCode::EmailInvalid));
        assert!(PostalCode::parse("06450").is_ok());
        assert_eq!(PostalCode::parse("6450"), Err(ErrorCode::PostalCodeInvalid));
        assert_eq!(Municipality::parse("Åbo").map(|m| m.code()), Ok("853"));
        assert_eq!(Municipality::parse("kuopio").map(|m| m.code()), Ok("297"));
        let valtimo = Municipality::parse("Valtimo");
        assert_eq!(
            valtimo.map(|m| (m.code(), m.current().name_fi)),
            Ok(("911", "Nurmes"))
        );
        assert_eq!(
            Municipality::parse("999"),
            Err(ErrorCode::MunicipalityInvalid)
        );
    }
}
