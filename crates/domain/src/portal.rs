//! The job seeker's own channel: signing in with a one-time code sent by e-mail. The rules
//! that keep the code safe: it is short-lived, used once, tried a few times at most, and sent
//! only a few times in a while.

use crate::error::Errors;
use crate::validated::Email;
use crate::{DomainError, ErrorCode};
use chrono::Duration;

/// How long a code is good for.
pub fn code_lifetime() -> Duration {
    Duration::minutes(10)
}
/// Wrong tries allowed per code.
pub const MAX_TRIES: i64 = 5;
/// Codes sent per person within [`sending_window`].
pub const MAX_CODES: i64 = 3;
pub fn sending_window() -> Duration {
    Duration::minutes(15)
}

/// The sign-in form: the address the person gave their counsellor.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SignInForm {
    pub email: String,
}

impl SignInForm {
    pub fn parse(&self) -> Result<Email, DomainError> {
        Email::parse(&self.email).map_err(|c| DomainError::field("email", c))
    }
}

/// The six digits from the message; spaces and dashes as typed from a phone are ignored.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Code(<redacted>)")
    }
}

impl Code {
    pub fn parse(input: &str) -> Result<Code, DomainError> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let mut e = Errors::new();
        if digits.is_empty() {
            e.push("code", ErrorCode::Required);
        } else if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
            e.push("code", ErrorCode::CodeInvalid);
        }
        e.into_result()?;
        Ok(Code(digits))
    }
    /// Six digits from a random number (any `u32`).
    pub fn from_random(n: u32) -> Code {
        Code(format!("{:06}", n % 1_000_000))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::choice_enum!(
    /// What a person asks to be done with the data held about them.
    DataRequestKind { Correct = "correct", Erase = "erase" }
);

/// A request to correct or erase, in the person's own words.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DataRequestForm {
    pub kind: String,
    pub details: String,
}

impl DataRequestForm {
    pub fn parse(&self) -> Result<(DataRequestKind, String), DomainError> {
        let mut e = Errors::new();
        let kind = e.take("kind", DataRequestKind::parse(&self.kind));
        let details = e.take("details", crate::text::required(&self.details, 4000));
        e.into_result()?;
        match (kind, details) {
            (Some(k), Some(d)) => Ok((k, d)),
            _ => Err(DomainError::field("form", ErrorCode::Internal)),
        }
    }
}

/// A message's text, as either side writes it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MessageForm {
    pub body: String,
}

impl MessageForm {
    pub fn parse(&self) -> Result<String, DomainError> {
        crate::text::required(&self.body, 4000).map_err(|c| DomainError::field("body", c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits_however_typed() {
        assert_eq!(
            Code::parse(" 123 456 ").map(|c| c.0).ok(),
            Some("123456".into())
        );
        assert_eq!(
            Code::parse("123-456").map(|c| c.0).ok(),
            Some("123456".into())
        );
        for bad in ["12345", "1234567", "12a456"] {
            assert_eq!(
                Code::parse(bad).err(),
                Some(DomainError::field("code", ErrorCode::CodeInvalid)),
                "{bad}"
            );
        }
        assert_eq!(
            Code::parse("").err(),
            Some(DomainError::field("code", ErrorCode::Required))
        );
        assert_eq!(Code::from_random(42).as_str(), "000042");
        assert_eq!(format!("{:?}", Code::from_random(42)), "Code(<redacted>)");
    }
}
