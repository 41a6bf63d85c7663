use std::fmt;

/// Stable error codes. The UI translates `code()` through Fluent (`err-<code>`);
/// API clients get the same code in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    HetuInvalid,
    HetuChecksum,
    HetuDate,
    BusinessIdInvalid,
    BusinessIdChecksum,
    DateInvalid,
    DateRange,
    DateFuture,
    TimeInvalid,
    CapacityFull,
    AlreadyEnrolled,
    NotApproved,
    NotInTargetGroup,
    EmailInvalid,
    /// Neither an e-mail address nor a mobile number (where either signs in).
    AddressInvalid,
    PostalCodeInvalid,
    MunicipalityInvalid,
    Required,
    TooLong,
    NumberInvalid,
    /// A number outside what the field allows; the message names the range.
    NumberRange {
        min: i64,
        max: i64,
    },
    ChoiceInvalid,
    ProjectCodeInvalid,
    Forbidden,
    NotFound,
    Conflict,
    Duplicate,
    LoginFailed,
    PasswordWeak,
    CsrfFailed,
    RateLimited,
    AccountLocked,
    ConsentWithdrawn,
    ProjectArchived,
    CharactersInvalid,
    Unauthenticated,
    BadRequest,
    UnsupportedMediaType,
    PayloadTooLarge,
    FileUnreadable,
    ImportHasErrors,
    /// A period that begins before the one it continues has ended.
    PeriodOverlap,
    /// An employer with this Y-tunnus is already in the organisation's register.
    EmployerExists,
    /// Another employer of the register has this name: the same one, or really another?
    EmployerNameExists,
    /// The opening was filled or closed: it takes no more proposals.
    OpeningClosed,
    /// The placement already has its result: it can be neither extended nor ended again.
    PlacementEnded,
    /// An imported row names an employer of the register by name (under another Y-tunnus).
    EmployerNameInRegister,
    /// An imported row repeats one earlier in the same file.
    RepeatedInFile,
    /// The referral is not at a step where this can be done (already answered, not started).
    ReferralState,
    /// A sign-in code that is wrong, used already or expired.
    CodeInvalid,
    /// Strong identification did not succeed (cancelled, refused, or the answer failed a check).
    StrongFailed,
    /// The strongly identified person has no participation they could sign in to.
    StrongUnknown,
    /// A message's file that is empty or of a kind not taken.
    AttachmentUnfit,
    /// The survey is not at a step where this can be done (questions change only in a draft;
    /// a closed one takes no answers).
    SurveyState,
    /// This invitation was answered already: one answer each.
    SurveyAnswered,
    Internal,
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::HetuInvalid,
        ErrorCode::HetuChecksum,
        ErrorCode::HetuDate,
        ErrorCode::BusinessIdInvalid,
        ErrorCode::BusinessIdChecksum,
        ErrorCode::DateInvalid,
        ErrorCode::DateRange,
        ErrorCode::DateFuture,
        ErrorCode::TimeInvalid,
        ErrorCode::CapacityFull,
        ErrorCode::AlreadyEnrolled,
        ErrorCode::NotApproved,
        ErrorCode::NotInTargetGroup,
        ErrorCode::EmailInvalid,
        ErrorCode::AddressInvalid,
        ErrorCode::PostalCodeInvalid,
        ErrorCode::MunicipalityInvalid,
        ErrorCode::Required,
        ErrorCode::TooLong,
        ErrorCode::NumberInvalid,
        ErrorCode::NumberRange { min: 0, max: 0 },
        ErrorCode::ChoiceInvalid,
        ErrorCode::ProjectCodeInvalid,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::Duplicate,
        ErrorCode::LoginFailed,
        ErrorCode::PasswordWeak,
        ErrorCode::CsrfFailed,
        ErrorCode::RateLimited,
        ErrorCode::AccountLocked,
        ErrorCode::ConsentWithdrawn,
        ErrorCode::ProjectArchived,
        ErrorCode::CharactersInvalid,
        ErrorCode::Unauthenticated,
        ErrorCode::BadRequest,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::FileUnreadable,
        ErrorCode::ImportHasErrors,
        ErrorCode::PeriodOverlap,
        ErrorCode::EmployerExists,
        ErrorCode::EmployerNameExists,
        ErrorCode::OpeningClosed,
        ErrorCode::PlacementEnded,
        ErrorCode::EmployerNameInRegister,
        ErrorCode::RepeatedInFile,
        ErrorCode::ReferralState,
        ErrorCode::CodeInvalid,
        ErrorCode::StrongFailed,
        ErrorCode::StrongUnknown,
        ErrorCode::AttachmentUnfit,
        ErrorCode::SurveyState,
        ErrorCode::SurveyAnswered,
        ErrorCode::Internal,
    ];

    pub fn code(self) -> &'static str {
        use ErrorCode::*;
        match self {
            HetuInvalid => "hetu-invalid",
            HetuChecksum => "hetu-checksum",
            HetuDate => "hetu-date",
            BusinessIdInvalid => "business-id-invalid",
            BusinessIdChecksum => "business-id-checksum",
            DateInvalid => "date-invalid",
            DateRange => "date-range",
            DateFuture => "date-future",
            TimeInvalid => "time-invalid",
            CapacityFull => "capacity-full",
            AlreadyEnrolled => "already-enrolled",
            NotApproved => "not-approved",
            NotInTargetGroup => "not-in-target-group",
            EmailInvalid => "email-invalid",
            AddressInvalid => "address-invalid",
            PostalCodeInvalid => "postal-code-invalid",
            MunicipalityInvalid => "municipality-invalid",
            Required => "required",
            TooLong => "too-long",
            NumberInvalid => "number-invalid",
            NumberRange { .. } => "number-range",
            ChoiceInvalid => "choice-invalid",
            ProjectCodeInvalid => "project-code-invalid",
            Forbidden => "forbidden",
            NotFound => "not-found",
            Conflict => "conflict",
            Duplicate => "duplicate",
            LoginFailed => "login-failed",
            PasswordWeak => "password-weak",
            CsrfFailed => "csrf-failed",
            RateLimited => "rate-limited",
            AccountLocked => "account-locked",
            ConsentWithdrawn => "consent-withdrawn",
            ProjectArchived => "project-archived",
            CharactersInvalid => "characters-invalid",
            Unauthenticated => "unauthenticated",
            BadRequest => "bad-request",
            UnsupportedMediaType => "unsupported-media-type",
            PayloadTooLarge => "payload-too-large",
            FileUnreadable => "file-unreadable",
            ImportHasErrors => "import-has-errors",
            PeriodOverlap => "period-overlap",
            EmployerExists => "employer-exists",
            EmployerNameExists => "employer-name-exists",
            OpeningClosed => "opening-closed",
            PlacementEnded => "placement-ended",
            EmployerNameInRegister => "employer-name-in-register",
            RepeatedInFile => "repeated-in-file",
            ReferralState => "referral-state",
            CodeInvalid => "code-invalid",
            StrongFailed => "strong-failed",
            StrongUnknown => "strong-unknown",
            AttachmentUnfit => "attachment-unfit",
            SurveyState => "survey-state",
            SurveyAnswered => "survey-answered",
            Internal => "internal",
        }
    }
}

/// A rule violation, optionally tied to a form field so the UI can show it in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: ErrorCode,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("edit conflict")]
    Conflict,
}

impl DomainError {
    pub fn field(field: &'static str, code: ErrorCode) -> Self {
        DomainError::Invalid(vec![FieldError { field, code }])
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.code.code())
    }
}

/// Collects field errors while a form is parsed, so the user sees all of them at once.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }
    /// Records the error of `r` under `field` and returns the value if any.
    pub fn take<T>(&mut self, field: &'static str, r: Result<T, ErrorCode>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(code) => {
                self.0.push(FieldError { field, code });
                None
            }
        }
    }
    pub fn push(&mut self, field: &'static str, code: ErrorCode) {
        self.0.push(FieldError { field, code });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_result(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}
