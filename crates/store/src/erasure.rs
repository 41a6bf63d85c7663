//! Erasure that keeps the funder's figures right: a person's personal data goes from every
//! table, and each participation stays as an anonymous ESF+ record with exactly what the
//! indicators read (gender, age at entry, labour status, education, the sensitive answers,
//! municipality, entry, exit and follow-up).

use crate::{date, parse_date, ts, Conn, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use polku_domain::dates::age_on;
use polku_domain::ids::{OrgId, ParticipantId};
use rand::RngCore;

/// A birth date that gives the same age at entry and nothing more: the entry day, `age` years
/// earlier (28 February for a 29 February entry in a common year).
fn same_age_birth_date(birth: NaiveDate, entry: NaiveDate) -> NaiveDate {
    let age = age_on(birth, entry);
    let year = entry.year() - age;
    NaiveDate::from_ymd_opt(year, entry.month(), entry.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, entry.month(), 28))
        .unwrap_or(birth)
}

/// Every participation of the person behind `id` in `org` (the same identity code), so that
/// the person is erased whole.
pub async fn participations(
    conn: &mut Conn,
    org: OrgId,
    id: ParticipantId,
) -> Result<Vec<ParticipantId>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT p.id FROM participants p, participants me WHERE me.id = $1 AND p.org_id = $2 AND me.org_id = $2 \
         AND p.erased_at IS NULL AND (p.id = me.id OR (me.hetu_index IS NOT NULL AND p.hetu_index = me.hetu_index)) ORDER BY p.id",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(ParticipantId).collect())
}

/// Erases the personal data of these participations (one person's) in the caller's transaction.
/// Returns those it erased: one erased already (by a concurrent run) is left as it is.
pub async fn erase(
    conn: &mut Conn,
    ids: &[ParticipantId],
    at: DateTime<Utc>,
) -> Result<Vec<ParticipantId>, StoreError> {
    let mut erased = vec![];
    // One pseudonym for all of them, so the report still counts the person once.
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let pseudonym = format!("erased:{}", hex::encode(raw));
    for id in ids {
        let (birth, entry): (String, String) =
            sqlx::query_as("SELECT birth_date, entry_date FROM participants WHERE id = $1")
                .bind(id.0)
                .fetch_one(&mut *conn)
                .await?;
        let birth = match (parse_date(&birth), parse_date(&entry)) {
            (Some(b), Some(e)) => date(same_age_birth_date(b, e)),
            _ => birth,
        };
        let done = sqlx::query(
            "UPDATE participants SET first_name = '', last_name = '', search_name = '', hetu_enc = NULL, \
             hetu_index = $1, birth_date = $2, email = NULL, phone = NULL, postal_code = NULL, subsidy_days = NULL, \
             erased_at = $3, updated_at = $3, version = version + 1 WHERE id = $4 AND erased_at IS NULL",
        )
        .bind(&pseudonym)
        .bind(birth)
        .bind(ts(at))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 0 {
            continue;
        }
        erased.push(*id);
        for sql in [
            "DELETE FROM steps WHERE goal_id IN (SELECT id FROM goals WHERE participant_id = $1)",
            "DELETE FROM goals WHERE participant_id = $1",
            "DELETE FROM referral_notes WHERE note_id IN (SELECT id FROM notes WHERE participant_id = $1)",
            "DELETE FROM notes WHERE participant_id = $1",
            // A referral stays counted; why it was made is about the person.
            "UPDATE referrals SET reason = NULL, decision_reason = NULL WHERE from_participant_id = $1 OR to_participant_id = $1",
            "DELETE FROM contacts WHERE participant_id = $1",
            "DELETE FROM consents WHERE participant_id = $1",
            "DELETE FROM portal_codes WHERE participant_id = $1",
            "DELETE FROM message_attachments WHERE message_id IN (SELECT id FROM messages WHERE participant_id = $1)",
            "DELETE FROM messages WHERE participant_id = $1",
            "DELETE FROM data_requests WHERE participant_id = $1",
            // A linked survey answer stays counted, unlinked and without its free text.
            "UPDATE survey_answers SET text = NULL WHERE response_id IN (SELECT id FROM survey_responses WHERE participant_id = $1)",
            "UPDATE survey_responses SET participant_id = NULL WHERE participant_id = $1",
            "UPDATE survey_invitations SET participant_id = NULL WHERE participant_id = $1",
            "DELETE FROM search_terms WHERE participant_id = $1",
            // A drop-in visit stays counted, as an anonymous one.
            "UPDATE visits SET participant_id = NULL, anonymous_count = 1 WHERE participant_id = $1",
            "UPDATE services SET proposed_by_participant_id = NULL WHERE proposed_by_participant_id = $1",
        ] {
            sqlx::query(sql).bind(id.0).execute(&mut *conn).await?;
        }
    }
    Ok(erased)
}

/// One person's participations, with the name for a preview.
pub type Person = Vec<(ParticipantId, String)>;

/// Participants of a project whose retention period has ended and who are not erased yet,
/// grouped by person (the same identity code), with their names for the preview.
pub async fn due_in_project(conn: &mut Conn, project: i64) -> Result<Vec<Person>, StoreError> {
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT id, hetu_index, first_name, last_name FROM participants WHERE project_id = $1 AND erased_at IS NULL ORDER BY last_name, first_name, id",
    )
    .bind(project)
    .fetch_all(conn)
    .await?;
    let mut groups: Vec<(Option<String>, Person)> = vec![];
    for (id, key, first, last) in rows {
        let item = (ParticipantId(id), format!("{last}, {first}"));
        match groups.iter_mut().find(|(k, _)| key.is_some() && *k == key) {
            Some((_, g)) => g.push(item),
            None => groups.push((key, vec![item])),
        }
    }
    Ok(groups.into_iter().map(|(_, g)| g).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_substitute_birth_date_keeps_the_age_at_entry() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        for (birth, entry) in [
            (d(1961, 12, 31), d(2026, 3, 2)),
            (d(1961, 3, 2), d(2026, 3, 2)),
            (d(1961, 3, 3), d(2026, 3, 2)),
            (d(2000, 2, 29), d(2024, 2, 29)),
            (d(1999, 5, 5), d(2023, 2, 28)),
        ] {
            let s = same_age_birth_date(birth, entry);
            assert_eq!(age_on(s, entry), age_on(birth, entry), "{birth} {entry}");
        }
    }
}
