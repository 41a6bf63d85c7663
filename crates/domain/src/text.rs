use crate::ErrorCode;
use unicode_normalization::UnicodeNormalization;

/// Control characters other than tab and line breaks are refused wherever text comes in: they
/// have no place in a note or a name, and PostgreSQL cannot store a NUL byte at all.
pub fn check_chars(input: &str) -> Result<(), ErrorCode> {
    if input
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        Err(ErrorCode::CharactersInvalid)
    } else {
        Ok(())
    }
}

/// Characters that reorder how text is displayed (bidi embeddings, overrides and isolates): in a
/// name they can make one person's name look like another's.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A person's name: required text, no bidi controls, in Unicode NFC so that "Pääkkönen" typed
/// with combining marks is stored, shown and found as the same name.
pub fn name(input: &str, max: usize) -> Result<String, ErrorCode> {
    let s = required(input, max)?;
    if s.chars().any(is_bidi_control) {
        return Err(ErrorCode::CharactersInvalid);
    }
    Ok(s.nfc().collect())
}

/// Trimmed, non-empty text of bounded length (names, titles).
pub fn required(input: &str, max: usize) -> Result<String, ErrorCode> {
    check_chars(input)?;
    let s = input.trim();
    if s.is_empty() {
        Err(ErrorCode::Required)
    } else if s.chars().count() > max {
        Err(ErrorCode::TooLong)
    } else {
        Ok(s.to_string())
    }
}

/// Trimmed optional text; empty becomes `None`.
pub fn optional(input: &str, max: usize) -> Result<Option<String>, ErrorCode> {
    check_chars(input)?;
    let s = input.trim();
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max {
        Err(ErrorCode::TooLong)
    } else {
        Ok(Some(s.to_string()))
    }
}

pub fn optional_int(input: &str, min: i64, max: i64) -> Result<Option<i64>, ErrorCode> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        Ok(_) => Err(ErrorCode::NumberRange { min, max }),
        Err(_) => Err(ErrorCode::NumberInvalid),
    }
}

/// Euro amounts as typed in Finland ("373 016", "373016,50") into cents.
pub fn euros_to_cents(input: &str) -> Result<Option<i64>, ErrorCode> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€')
        .collect::<String>()
        .replace(',', ".");
    if s.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.bytes().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|c| c.is_ascii_digit())
    {
        return Err(ErrorCode::NumberInvalid);
    }
    let w: i64 = whole.parse().map_err(|_| ErrorCode::NumberInvalid)?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}")
            .parse()
            .map_err(|_| ErrorCode::NumberInvalid)?
    };
    w.checked_mul(100)
        .and_then(|c| c.checked_add(f))
        .map(Some)
        .ok_or(ErrorCode::NumberInvalid)
}

/// Cents as Finnish euros with a space as thousands separator and a decimal comma.
pub fn format_euros(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if cents % 100 != 0 {
        out.push_str(&format!(",{:02}", cents % 100));
    }
    out.push_str("\u{a0}€");
    out
}

/// An HTML checkbox ("on" when ticked, absent when not) or, from JSON, a boolean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Checkbox(pub bool);

impl<'de> serde::Deserialize<'de> for Checkbox {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum V {
            Bool(bool),
            Text(String),
        }
        Ok(Checkbox(match V::deserialize(d)? {
            V::Bool(b) => b,
            V::Text(s) => matches!(s.as_str(), "on" | "true" | "1" | "yes"),
        }))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Checkbox {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        bool::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Checkbox {}

/// Defines a closed set of choices stored and submitted as stable strings.
#[macro_export]
macro_rules! choice_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),* } }
            pub fn parse(s: &str) -> Result<Self, $crate::ErrorCode> {
                match s.trim() { $($s => Ok($name::$variant),)* "" => Err($crate::ErrorCode::Required), _ => Err($crate::ErrorCode::ChoiceInvalid) }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str { self.as_str() }
        }
        /// In the API a choice is its stable string, one of a listed set.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($s),*]))
                    .into()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn euros() {
        assert_eq!(euros_to_cents("373 016"), Ok(Some(37_301_600)));
        assert_eq!(euros_to_cents("12,5"), Ok(Some(1250)));
        assert_eq!(euros_to_cents("12,555"), Err(ErrorCode::NumberInvalid));
        assert_eq!(euros_to_cents("-5"), Err(ErrorCode::NumberInvalid));
        assert_eq!(format_euros(37_301_600), "373\u{a0}016\u{a0}€");
        assert_eq!(optional_int("1 200", 0, 10_000), Ok(Some(1200)));
        assert_eq!(required("  ", 5), Err(ErrorCode::Required));
        assert_eq!(required("abcdef", 5), Err(ErrorCode::TooLong));
    }

    #[test]
    fn control_and_bidi_characters_are_refused_names_are_nfc() {
        let bad = ErrorCode::CharactersInvalid;
        assert_eq!(required("a\0b", 9), Err(bad));
        assert_eq!(optional("a\u{1b}[31m", 20), Err(bad));
        assert_eq!(required("rivi 1\nrivi 2\tja\r\n", 40).map(|_| ()), Ok(()));
        assert_eq!(name("Vir\u{202E}tanen", 40), Err(bad));
        assert_eq!(name("Vir\u{2066}tanen", 40), Err(bad));
        let composed = name("Pa\u{308}a\u{308}kko\u{308}nen", 40);
        assert_eq!(composed.as_deref(), Ok("Pääkkönen"));
        assert_eq!(name("Pääkkönen", 40).as_deref(), Ok("Pääkkönen"));
    }
}
