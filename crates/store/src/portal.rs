//! The job seeker's own channel: finding the person by the address they sign in with, and
//! their one-time sign-in codes (kept as a keyed hash only).

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::portal::DataRequestKind;
use polku_domain::validated::Email;

crate::typed_row! {
    /// Who signs in: one participation, the newest still open first.
    #[derive(Debug, Clone, Copy)]
    pub struct PortalPerson {
        pub id: ParticipantId,
        pub org_id: OrgId,
    }
}

/// Of a person's participations, the one they sign in to: of those not erased and with
/// consent to processing, the one still open (else the latest) that entered last.
const SIGNS_IN_TO: &str = "AND erased_at IS NULL AND processing_consent = 1 \
    ORDER BY CASE WHEN exit_date IS NULL THEN 0 ELSE 1 END, entry_date DESC, id DESC LIMIT 1";

/// What a person signs in with, besides a mobile number.
pub enum SignsInWith<'a> {
    Email(&'a Email),
    /// A strong identification's henkilötunnus, as its blind index (the column the duplicate
    /// check compares).
    HetuKey(&'a str),
}

/// The participation a person signs in to with an address or identity ([`SIGNS_IN_TO`]).
pub async fn person_by(
    conn: &mut Conn,
    with: SignsInWith<'_>,
) -> Result<Option<PortalPerson>, StoreError> {
    let (column, value) = match with {
        SignsInWith::Email(e) => ("email", e.as_str()),
        SignsInWith::HetuKey(k) => ("hetu_index", k),
    };
    let sql = format!("SELECT id, org_id FROM participants WHERE {column} = $1 {SIGNS_IN_TO}");
    Ok(sqlx::query_as(&sql)
        .bind(value)
        .fetch_optional(conn)
        .await?)
}

/// [`person_by`] for a mobile number, as the record holds it written in either form
/// (spaces and dashes left out).
pub async fn person_by_mobile(
    conn: &mut Conn,
    mobile: &polku_domain::validated::Mobile,
) -> Result<Option<PortalPerson>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT id, org_id FROM participants WHERE REPLACE(REPLACE(phone, ' ', ''), '-', '') IN ($1, $2) {SIGNS_IN_TO}"
    ))
    .bind(mobile.as_str())
    .bind(mobile.national())
    .fetch_optional(conn)
    .await?)
}

/// How many codes were made for the person since `since`.
pub async fn codes_since(
    conn: &mut Conn,
    person: ParticipantId,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM portal_codes WHERE participant_id = $1 AND created_at >= $2",
    )
    .bind(person.0)
    .bind(ts(since))
    .fetch_one(conn)
    .await?)
}

pub async fn add_code(
    conn: &mut Conn,
    person: ParticipantId,
    hash: &str,
    (at, expires): (DateTime<Utc>, DateTime<Utc>),
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO portal_codes (participant_id, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(person.0)
    .bind(hash)
    .bind(ts(expires))
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

crate::typed_row! {
    /// The person's newest code still to be used.
    #[derive(Clone)]
    pub struct CodeRow {
        pub id: i64,
        pub code_hash: String,
        pub expires_at: DateTime<Utc>,
        pub attempts: i64,
    }
}

pub async fn open_code(
    conn: &mut Conn,
    person: ParticipantId,
) -> Result<Option<CodeRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, code_hash, expires_at, attempts FROM portal_codes \
         WHERE participant_id = $1 AND used_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(person.0)
    .fetch_optional(conn)
    .await?)
}

/// Counts a wrong try.
pub async fn tried(conn: &mut Conn, code: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE portal_codes SET attempts = attempts + 1 WHERE id = $1")
        .bind(code)
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses the code; false when it was used meanwhile (a second tab, a second node).
pub async fn use_code(conn: &mut Conn, code: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE portal_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(ts(at))
            .bind(code)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// A request to correct or erase, from the person.
pub async fn add_request(
    conn: &mut Conn,
    person: ParticipantId,
    (kind, details): (DataRequestKind, &str),
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO data_requests (participant_id, kind, details, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(person.0)
    .bind(kind.as_str())
    .bind(details)
    .bind(ts(at))
    .fetch_one(conn)
    .await?)
}

crate::typed_row! {
    #[derive(Clone, serde::Serialize)]
    pub struct RequestRow {
        pub id: i64,
        pub participant_id: ParticipantId,
        pub first_name: String,
        pub last_name: String,
        pub kind: DataRequestKind,
        pub details: String,
        pub created_at: DateTime<Utc>,
        pub handled_at: Option<DateTime<Utc>>,
    }
}

const REQUESTS: &str = "SELECT r.id, r.participant_id, p.first_name, p.last_name, r.kind, r.details, r.created_at, r.handled_at \
    FROM data_requests r JOIN participants p ON p.id = r.participant_id";

/// The person's requests, newest first.
pub async fn requests_of(
    conn: &mut Conn,
    person: ParticipantId,
) -> Result<Vec<RequestRow>, StoreError> {
    crate::row::all(
        conn,
        &format!("{REQUESTS} WHERE r.participant_id = $1 ORDER BY r.id DESC"),
        person.0,
    )
    .await
}

/// The organisation's requests not yet handled: a counsellor's own people's and those with no
/// counsellor (`mine`), or all; oldest first.
pub async fn open_requests(
    conn: &mut Conn,
    org: OrgId,
    mine: Option<polku_domain::ids::UserId>,
) -> Result<Vec<RequestRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "{REQUESTS} WHERE p.org_id = $1 AND r.handled_at IS NULL \
         AND ($2 IS NULL OR p.counsellor_id = $2 OR p.counsellor_id IS NULL) ORDER BY r.id LIMIT 200"
    ))
    .bind(org.0)
    .bind(mine.map(|u| u.0))
    .fetch_all(conn)
    .await?)
}

/// Marks the person's request handled (once: a second time changes nothing); false when the
/// person has no such request.
pub async fn handle_request(
    conn: &mut Conn,
    (person, request): (ParticipantId, i64),
    by: polku_domain::ids::UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let theirs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM data_requests WHERE id = $1 AND participant_id = $2",
    )
    .bind(request)
    .bind(person.0)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE data_requests SET handled_at = $1, handled_by = $2 WHERE id = $3 AND participant_id = $4 AND handled_at IS NULL",
    )
    .bind(ts(at))
    .bind(by.0)
    .bind(request)
    .bind(person.0)
    .execute(conn)
    .await?;
    Ok(theirs == 1)
}
