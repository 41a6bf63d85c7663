//! Outbound webhooks: what an integration can be told, and where it may be told.

use crate::ErrorCode;

crate::choice_enum!(
    /// What happened. Payloads carry ids only; the receiver reads more through the API.
    WebhookEvent {
        ParticipantEntered = "participant.entered",
        ParticipantExited = "participant.exited",
        EnrolmentCreated = "enrolment.created",
        FollowUpDue = "follow_up.due",
    }
);

/// A receiver's address: HTTPS, or plain HTTP only to this machine (for development).
pub fn receiver_url(s: &str) -> Result<String, ErrorCode> {
    let s = s.trim();
    let rest = if let Some(r) = s.strip_prefix("https://") {
        r
    } else if let Some(r) = s.strip_prefix("http://") {
        let host = r.split(['/', ':']).next().unwrap_or("");
        if !matches!(host, "127.0.0.1" | "localhost") {
            return Err(ErrorCode::ChoiceInvalid);
        }
        r
    } else {
        return Err(ErrorCode::ChoiceInvalid);
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || s.len() > 500 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ErrorCode::ChoiceInvalid);
    }
    Ok(s.to_string())
}

/// Seconds to wait before the next attempt after `attempts` failed ones: 30 s doubling, at
/// most six hours.
pub fn backoff_seconds(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) - 1;
    (30i64 << exp).min(6 * 3600)
}

/// Attempts after which a delivery is given up (about a day and a half of retries).
pub const MAX_ATTEMPTS: i64 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers_are_https_or_this_machine() {
        assert!(receiver_url("https://hooks.example/polku").is_ok());
        assert!(receiver_url("http://127.0.0.1:8080/x").is_ok());
        assert!(receiver_url("http://hooks.example/x").is_err());
        assert!(receiver_url("ftp://x").is_err());
        assert!(receiver_url("https://").is_err());
        assert!(receiver_url("https://a b").is_err());
    }

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(
            (backoff_seconds(1), backoff_seconds(2), backoff_seconds(3)),
            (30, 60, 120)
        );
        assert_eq!(backoff_seconds(15), 6 * 3600);
    }
}
