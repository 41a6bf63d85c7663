//! The job seeker's own channel: signing in with a one-time code sent by e-mail (or by text
//! message, where a gateway is configured). The rules
//! that keep the code safe: it is short-lived, used once, tried a few times at most, and sent
//! only a few times in a while.

use crate::error::Errors;
use crate::validated::{Email, Mobile};
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

/// Where a sign-in code goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Email(Email),
    Mobile(Mobile),
}

impl SignInForm {
    /// The address; a mobile number only when codes can be sent by text message (`sms`).
    pub fn parse(&self, sms: bool) -> Result<Address, DomainError> {
        let refuse = |c| DomainError::field("email", c);
        if !sms || self.email.contains('@') {
            return Email::parse(&self.email)
                .map(Address::Email)
                .map_err(refuse);
        }
        match Mobile::parse(&self.email) {
            Ok(m) => Ok(Address::Mobile(m)),
            Err(ErrorCode::Required) => Err(refuse(ErrorCode::Required)),
            Err(_) => Err(refuse(ErrorCode::AddressInvalid)),
        }
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

/// The largest file a message may carry.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// A file sent with a message: its name as the sender's device gave it (without any folder),
/// its kind by the name's ending, and its bytes.
#[derive(Clone)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Attachment {{ {} bytes, {} }}",
            self.bytes.len(),
            self.content_type
        )
    }
}

impl Attachment {
    /// Documents and pictures a job seeker sends (a CV, a certificate, a photo of one); no
    /// file that runs or renders as a page.
    pub fn parse(file_name: &str, bytes: Vec<u8>) -> Result<Attachment, DomainError> {
        let name = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .trim();
        let name = crate::text::required(name, 200).map_err(|c| DomainError::field("file", c))?;
        if bytes.is_empty() {
            return Err(DomainError::field("file", ErrorCode::AttachmentUnfit));
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(DomainError::field("file", ErrorCode::PayloadTooLarge));
        }
        let ending = name.rsplit('.').next().unwrap_or_default().to_lowercase();
        let content_type = match ending.as_str() {
            "pdf" => "application/pdf",
            "jpg" | "jpeg" => "image/jpeg",
            "png" => "image/png",
            "txt" => "text/plain; charset=utf-8",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "odt" => "application/vnd.oasis.opendocument.text",
            _ => return Err(DomainError::field("file", ErrorCode::AttachmentUnfit)),
        };
        Ok(Attachment {
            file_name: name,
            content_type,
            bytes,
        })
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

    #[test]
    fn an_attachment_is_a_document_or_picture_within_the_limit() {
        let cv = Attachment::parse("C:\\Users\\maija\\CV.PDF", b"%PDF-1.4".to_vec());
        assert_eq!(
            cv.map(|a| (a.file_name, a.content_type)).ok(),
            Some(("CV.PDF".to_string(), "application/pdf"))
        );
        let code = |r: Result<Attachment, DomainError>| match r {
            Err(DomainError::Invalid(e)) => e.first().map(|e| e.code),
            _ => None,
        };
        assert_eq!(
            code(Attachment::parse("x.html", b"<p>".to_vec())),
            Some(ErrorCode::AttachmentUnfit)
        );
        assert_eq!(
            code(Attachment::parse("x.pdf", vec![])),
            Some(ErrorCode::AttachmentUnfit)
        );
        let big = vec![0u8; MAX_ATTACHMENT_BYTES + 1];
        assert_eq!(
            code(Attachment::parse("x.pdf", big)),
            Some(ErrorCode::PayloadTooLarge)
        );
    }
}
