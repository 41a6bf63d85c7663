//! Self-assessments: the person's scores at entry and exit, and their change for a project.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use polku_domain::assessment::{AssessmentItem, Phase};
use polku_domain::ids::{ParticipantId, ProjectId};

crate::typed_row! {
    #[derive(Debug, Clone, Copy, serde::Serialize)]
    pub struct ScoreRow {
        pub phase: Phase,
        pub item: AssessmentItem,
        pub score: i64,
    }
}

/// Saves the phase's answers, replacing any given before.
pub async fn save(
    conn: &mut Conn,
    person: ParticipantId,
    phase: Phase,
    answers: &[(AssessmentItem, i64)],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM self_assessments WHERE participant_id = $1 AND phase = $2")
        .bind(person.0)
        .bind(phase.as_str())
        .execute(&mut *conn)
        .await?;
    for (item, score) in answers {
        sqlx::query(
            "INSERT INTO self_assessments (participant_id, phase, item, score, answered_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(person.0)
        .bind(phase.as_str())
        .bind(item.as_str())
        .bind(score)
        .bind(ts(at))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn of(conn: &mut Conn, person: ParticipantId) -> Result<Vec<ScoreRow>, StoreError> {
    crate::row::all(
        conn,
        "SELECT phase, item, score FROM self_assessments WHERE participant_id = $1 ORDER BY phase, item",
        person.0,
    )
    .await
}

crate::typed_row! {
    /// One item's change over the project's participants who answered at entry and at exit.
    #[derive(Debug, Clone, Copy, serde::Serialize)]
    pub struct ChangeRow {
        pub item: AssessmentItem,
        pub n: i64,
        pub entry_sum: i64,
        pub exit_sum: i64,
    }
}

/// Per item, of the project's participants who entered within the period and answered both
/// times: how many, and the sums of their scores at entry and at exit.
pub async fn change(
    conn: &mut Conn,
    project: ProjectId,
    period: (NaiveDate, NaiveDate),
) -> Result<Vec<ChangeRow>, StoreError> {
    let sql = "SELECT a.item, COUNT(*) AS n, CAST(SUM(a.score) AS BIGINT) AS entry_sum, CAST(SUM(b.score) AS BIGINT) AS exit_sum \
         FROM self_assessments a JOIN self_assessments b ON b.participant_id = a.participant_id AND b.item = a.item AND b.phase = 'exit' \
         JOIN participants p ON p.id = a.participant_id \
         WHERE a.phase = 'entry' AND p.project_id = $1 AND p.entry_date >= $2 AND p.entry_date <= $3 \
         GROUP BY a.item ORDER BY a.item";
    crate::row::in_period(conn, sql, project.0, period).await
}
