//! Loads a project's participations as ESF+ indicator records.

use crate::crypto::FieldCipher;
use crate::encrypted::open_special;
use crate::{Conn, StoreError};
use chrono::NaiveDate;
use polku_domain::esf::{FollowUp, Record};
use polku_domain::ids::ProjectId;
use polku_domain::participant::{Education, ExitStatus, Gender, LabourStatus};

crate::typed_row! {
    struct Row {
        id: i64,
        hetu_index: Option<String>,
        gender: Option<Gender>,
        birth_date: NaiveDate,
        entry_date: NaiveDate,
        labour_status: Option<LabourStatus>,
        unemployed_since: Option<NaiveDate>,
        education: Option<Education>,
        special_enc: Option<String>,
        degurba: Option<String>,
        exit_date: Option<NaiveDate>,
        exit_status: Option<ExitStatus>,
        exit_qualification: bool,
        exit_in_education: bool,
        fu_status: Option<ExitStatus>,
        fu_improved: Option<bool>,
    }
}

/// The special-category answers are decrypted here, one value per participation.
pub async fn records(
    conn: &mut Conn,
    cipher: &FieldCipher,
    project: ProjectId,
) -> Result<Vec<Record>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.id, p.hetu_index, p.gender, p.birth_date, p.entry_date, p.labour_status, p.unemployed_since, p.education, p.special_enc, \
         d.value AS degurba, p.exit_date, p.exit_status, p.exit_qualification, p.exit_in_education, \
         f.status AS fu_status, f.improved AS fu_improved \
         FROM participants p LEFT JOIN follow_ups f ON f.participant_id = p.id AND f.done_at IS NOT NULL \
         LEFT JOIN reference_values d ON d.kind = 'degurba' AND d.code = p.municipality WHERE p.project_id = $1",
    )
    .bind(project.0)
    .fetch_all(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let special = open_special(cipher, r.special_enc.as_deref())?;
        out.push(Record {
            participant_id: r.id,
            person_key: r.hetu_index.unwrap_or_else(|| format!("id:{}", r.id)),
            gender: r.gender,
            birth_date: Some(r.birth_date),
            entry_date: r.entry_date,
            labour_status: r.labour_status,
            unemployed_since: r.unemployed_since,
            education: r.education,
            special,
            // DEGURBA 3, "rural areas"; unknown until the classification is imported.
            rural: r.degurba.map(|d| d == "3"),
            exit_date: r.exit_date,
            exit_status: r.exit_status,
            exit_qualification: r.exit_qualification,
            exit_in_education: r.exit_in_education,
            follow_up: r.fu_status.map(|status| FollowUp {
                status,
                improved: r.fu_improved == Some(true),
            }),
        });
    }
    Ok(out)
}
