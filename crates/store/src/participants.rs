use crate::bulk::Val;
use crate::crypto::FieldCipher;
use crate::{date, ts, Conn, StoreError};
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use polku_domain::authz::Actor;
use polku_domain::ids::{GoalId, OrgId, ParticipantId, StepId};
use polku_domain::ids::{NoteId, ProjectId, TargetGroupId, UserId};
use polku_domain::participant::{ConsentKind, Exit, GoalStatus, Intake, NewGoal, NewStep};
use polku_domain::participant::{Education, ExitStatus, Gender, GoalKind, LabourStatus};
use polku_domain::search::SearchQuery;

crate::typed_row! {
    /// One participant as the application reads them; Debug is redacted.
    #[derive(Clone, serde::Serialize)]
    pub struct ParticipantRow {
        pub id: ParticipantId,
        pub project_id: ProjectId,
        pub project_code: String,
        pub org_id: OrgId,
        pub target_group_id: Option<TargetGroupId>,
        pub first_name: String,
        pub last_name: String,
        #[serde(skip)]
        pub hetu_enc: Option<String>,
        pub birth_date: NaiveDate,
        pub gender: Option<Gender>,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub municipality: String,
        pub postal_code: Option<String>,
        pub education: Option<Education>,
        pub labour_status: Option<LabourStatus>,
        pub unemployed_since: Option<NaiveDate>,
        pub subsidy_days: Option<i64>,
        pub entry_date: NaiveDate,
        pub counsellor_id: Option<UserId>,
        pub counsellor_name: Option<String>,
        pub exit_date: Option<NaiveDate>,
        pub exit_status: Option<ExitStatus>,
        /// Whether a qualification was gained upon leaving (ESF+ EECR03).
        pub exit_qualification: bool,
        /// Whether in education or training upon leaving (ESF+ EECR02).
        pub exit_in_education: bool,
        pub version: i64,
        /// False once the person withdrew consent to processing.
        pub processing_consent: bool,
        /// The project's end date: after it the record is archived (read-only).
        pub project_end_date: NaiveDate,
    }
}

impl std::fmt::Debug for ParticipantRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ParticipantRow {{ id: {}, project_id: {}, org_id: {}, <personal data redacted> }}",
            self.id, self.project_id, self.org_id
        )
    }
}

/// The columns of [`ParticipantRow`], for queries that return whole participants.
pub const SELECT: &str = "SELECT p.id, p.project_id, pr.code AS project_code, p.org_id, p.target_group_id, p.first_name, p.last_name, p.hetu_enc, \
    p.birth_date, p.gender, p.email, p.phone, p.municipality, p.postal_code, p.education, p.labour_status, p.unemployed_since, \
    p.subsidy_days, p.entry_date, \
    p.counsellor_id, u.name AS counsellor_name, p.exit_date, p.exit_status, p.exit_qualification, p.exit_in_education, p.version, p.processing_consent, pr.end_date AS project_end_date \
    FROM participants p JOIN projects pr ON pr.id = p.project_id LEFT JOIN users u ON u.id = p.counsellor_id";

fn search_name(i: &Intake) -> String {
    format!("{} {}", i.first_name, i.last_name).to_lowercase()
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Intake columns in the order both INSERT and UPDATE use them ($1..$19).
pub const INTAKE_COLUMNS: [&str; 19] = [
    "target_group_id",
    "first_name",
    "last_name",
    "search_name",
    "hetu_enc",
    "hetu_index",
    "birth_date",
    "gender",
    "email",
    "phone",
    "municipality",
    "postal_code",
    "education",
    "labour_status",
    "unemployed_since",
    "subsidy_days",
    "special_enc",
    "entry_date",
    "counsellor_id",
];

/// The intake's values in [`INTAKE_COLUMNS`] order, the identity code and the special-category
/// answers encrypted.
pub fn intake_values(cipher: &FieldCipher, i: &Intake) -> Result<Vec<Val>, StoreError> {
    let (hetu_enc, hetu_index) = match &i.hetu {
        Some(h) => (
            Some(cipher.encrypt(h.as_str())?),
            Some(cipher.blind_index(h.as_str())),
        ),
        None => (None, None),
    };
    let text = |v: Option<&str>| Val::opt_text(v.map(str::to_string));
    Ok(vec![
        Val::opt_int(i.target_group_id.map(|t| t.0)),
        Val::T(i.first_name.clone()),
        Val::T(i.last_name.clone()),
        Val::T(search_name(i)),
        Val::opt_text(hetu_enc),
        Val::opt_text(hetu_index),
        Val::T(date(i.birth_date)),
        text(i.gender.map(|g| g.as_str())),
        text(i.email.as_ref().map(|e| e.as_str())),
        text(i.phone.as_deref()),
        Val::T(i.municipality.code().into()),
        text(i.postal_code.as_ref().map(|p| p.as_str())),
        text(i.education.map(|e| e.as_str())),
        text(i.labour_status.map(|s| s.as_str())),
        Val::opt_text(i.unemployed_since.map(date)),
        Val::opt_int(i.subsidy_days),
        Val::T(crate::encrypted::seal_special(cipher, &i.special)?),
        Val::T(date(i.entry_date)),
        Val::opt_int(i.counsellor_id.map(|c| c.0)),
    ])
}

fn bind_intake<'q>(
    mut q: AnyQuery<'q>,
    cipher: &FieldCipher,
    i: &Intake,
) -> Result<AnyQuery<'q>, StoreError> {
    for v in intake_values(cipher, i)? {
        q = crate::bulk::bind(q, &v);
    }
    Ok(q)
}

/// Inserts the intake and its consents. The caller owns the transaction and writes the audit entry.
pub async fn create(
    conn: &mut Conn,
    cipher: &FieldCipher,
    org: OrgId,
    i: &Intake,
    by: &Actor,
    at: DateTime<Utc>,
) -> Result<ParticipantId, StoreError> {
    if let Some(h) = &i.hetu {
        // One open participation per person and project; a new one may start after exit.
        let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM participants WHERE project_id = $1 AND hetu_index = $2 AND exit_date IS NULL")
            .bind(i.project_id.0)
            .bind(cipher.blind_index(h.as_str()))
            .fetch_one(&mut *conn)
            .await?;
        if open > 0 {
            return Err(StoreError::Duplicate("hetu"));
        }
    }
    let placeholders: Vec<String> = (1..=INTAKE_COLUMNS.len())
        .map(|n| format!("${n}"))
        .collect();
    let sql = format!(
        "INSERT INTO participants ({}, project_id, org_id, version, created_at, updated_at) VALUES ({}, $20, $21, 1, $22, $22) RETURNING id",
        INTAKE_COLUMNS.join(", "),
        placeholders.join(", ")
    );
    let q = bind_intake(sqlx::query(&sql), cipher, i)?
        .bind(i.project_id.0)
        .bind(org.0)
        .bind(ts(at));
    let id: i64 = sqlx::Row::try_get(&q.fetch_one(&mut *conn).await?, 0)?;
    let pid = ParticipantId(id);
    crate::search::add_terms(
        conn,
        org,
        pid,
        &polku_domain::search::name_terms(&i.first_name, &i.last_name),
    )
    .await?;
    record_consent(
        conn,
        pid,
        ConsentKind::DataProcessing,
        i.consent_data_processing,
        by,
        at,
    )
    .await?;
    record_consent(
        conn,
        pid,
        ConsentKind::SensitiveData,
        i.consent_sensitive_data,
        by,
        at,
    )
    .await?;
    Ok(pid)
}

/// Saves an edited intake if nobody saved since `version` was read.
pub async fn update(
    conn: &mut Conn,
    cipher: &FieldCipher,
    id: ParticipantId,
    i: &Intake,
    version: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let before: Option<(String, String)> =
        sqlx::query_as("SELECT first_name, last_name FROM participants WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    let sets: Vec<String> = INTAKE_COLUMNS
        .iter()
        .enumerate()
        .map(|(n, c)| format!("{c} = ${}", n + 1))
        .collect();
    let sql = format!("UPDATE participants SET {}, version = version + 1, updated_at = $20 WHERE id = $21 AND version = $22", sets.join(", "));
    let r = bind_intake(sqlx::query(&sql), cipher, i)?
        .bind(ts(at))
        .bind(id.0)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    // A new name's old words must stop finding this person; other edits leave the index be.
    if before != Some((i.first_name.clone(), i.last_name.clone())) {
        crate::search::reindex(conn, id).await?;
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, id: ParticipantId) -> Result<ParticipantRow, StoreError> {
    crate::row::one(
        conn,
        &format!("{SELECT} WHERE p.id = $1 AND p.erased_at IS NULL"),
        id.0,
    )
    .await
}

pub fn hetu(cipher: &FieldCipher, row: &ParticipantRow) -> Result<Option<String>, StoreError> {
    row.hetu_enc
        .as_deref()
        .map(|h| cipher.decrypt(h))
        .transpose()
}

/// Search within one organisation: by henkilötunnus (exact, via the blind index), or by words
/// that must each match a name by prefix or notes and contact summaries by stem. Results come
/// in name order; at most `limit` (1–500).
pub async fn search(
    conn: &mut Conn,
    cipher: &FieldCipher,
    org: OrgId,
    query: &str,
    project: Option<ProjectId>,
    limit: i64,
) -> Result<Vec<ParticipantRow>, StoreError> {
    search_page(
        conn,
        cipher,
        org,
        query,
        project,
        Some(limit.clamp(1, 500)),
        0,
    )
    .await
}

/// [`search`] from row `offset` on, `limit` rows or, with `None`, every row that matches (for
/// exports, which must never lose rows). Name searches page by match (newest first), each
/// page in name order.
pub async fn search_page(
    conn: &mut Conn,
    cipher: &FieldCipher,
    org: OrgId,
    query: &str,
    project: Option<ProjectId>,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<ParticipantRow>, StoreError> {
    let project = project.map(|p| p.0);
    let offset = offset.max(0);
    let page = match limit {
        Some(l) => format!(" LIMIT {} OFFSET {offset}", l.max(1)),
        None => String::new(),
    };
    let order = format!(" ORDER BY p.last_name, p.first_name, p.id{page}");
    // Erased persons and those who withdrew consent to processing are in no list or export.
    let scope = "p.org_id = $1 AND ($2 IS NULL OR p.project_id = $2) AND p.erased_at IS NULL AND p.processing_consent = 1";
    let rows = match SearchQuery::parse(query) {
        SearchQuery::All => {
            sqlx::query_as(&format!("{SELECT} WHERE {scope}{order}"))
                .bind(org.0)
                .bind(project)
                .fetch_all(conn)
                .await?
        }
        SearchQuery::Hetu(h) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE {scope} AND p.hetu_index = $3{order}"
            ))
            .bind(org.0)
            .bind(project)
            .bind(cipher.blind_index(h.as_str()))
            .fetch_all(conn)
            .await?
        }
        SearchQuery::Words(words) => {
            let ids = crate::search::find(conn, org, &words, project, limit, offset).await?;
            let mut rows = vec![];
            // Bounded batches: a bind list has a limit on both engines.
            for chunk in ids.chunks(500) {
                let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
                let sql = format!(
                    "{SELECT} WHERE p.id IN ({}) AND p.processing_consent = 1 ORDER BY p.last_name, p.first_name, p.id",
                    marks.join(", ")
                );
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                rows.extend(q.fetch_all(&mut *conn).await?);
            }
            if ids.len() > 500 {
                rows.sort_by(|a: &ParticipantRow, b: &ParticipantRow| {
                    (&a.last_name, &a.first_name, a.id).cmp(&(&b.last_name, &b.first_name, b.id))
                });
            }
            rows
        }
    };
    Ok(rows)
}

pub async fn set_exit(
    conn: &mut Conn,
    id: ParticipantId,
    exit: &Exit,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let r = sqlx::query("UPDATE participants SET exit_date = $1, exit_status = $2, exit_qualification = $6, exit_in_education = $7, \
         version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5")
        .bind(date(exit.date))
        .bind(exit.status.as_str())
        .bind(ts(at))
        .bind(id.0)
        .bind(exit.version)
        .bind(i64::from(exit.qualification))
        .bind(i64::from(exit.in_education))
        .execute(conn)
        .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub async fn record_consent(
    conn: &mut Conn,
    id: ParticipantId,
    kind: ConsentKind,
    granted: bool,
    by: &Actor,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO consents (participant_id, kind, granted, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.0)
        .bind(kind.as_str())
        .bind(i64::from(granted))
        .bind(ts(at))
        .bind(by.user.0)
        .execute(&mut *conn)
        .await?;
    // Withdrawing consent to processing takes effect at once; granting it again restores it.
    if kind == ConsentKind::DataProcessing {
        sqlx::query("UPDATE participants SET processing_consent = $1 WHERE id = $2")
            .bind(i64::from(granted))
            .bind(id.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ConsentRow {
        pub kind: ConsentKind,
        pub granted: bool,
        pub recorded_at: DateTime<Utc>,
    }
}

/// Every consent event, newest first: the history is kept, the first row per kind is in force.
pub async fn consents(conn: &mut Conn, id: ParticipantId) -> Result<Vec<ConsentRow>, StoreError> {
    crate::row::all(conn, "SELECT kind, granted, recorded_at FROM consents WHERE participant_id = $1 ORDER BY id DESC", id.0).await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct GoalRow {
        pub id: GoalId,
        pub kind: GoalKind,
        pub description: String,
        pub target_date: Option<NaiveDate>,
        pub status: GoalStatus,
        pub created_at: DateTime<Utc>,
    }
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct StepRow {
        pub id: StepId,
        pub goal_id: GoalId,
        pub description: String,
        pub due_date: Option<NaiveDate>,
        pub done: bool,
        /// Added by the participant in their own channel.
        pub by_participant: bool,
    }
}

pub async fn add_goal(
    conn: &mut Conn,
    id: ParticipantId,
    g: &NewGoal,
    at: DateTime<Utc>,
) -> Result<GoalId, StoreError> {
    let gid: i64 = sqlx::query_scalar("INSERT INTO goals (participant_id, kind, description, target_date, status, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(id.0)
        .bind(g.kind.as_str())
        .bind(&g.description)
        .bind(g.target_date.map(date))
        .bind(GoalStatus::Open.as_str())
        .bind(ts(at))
        .fetch_one(conn)
        .await?;
    Ok(GoalId(gid))
}

pub async fn goals(conn: &mut Conn, id: ParticipantId) -> Result<Vec<GoalRow>, StoreError> {
    crate::row::all(conn, "SELECT id, kind, description, target_date, status, created_at FROM goals WHERE participant_id = $1 ORDER BY id", id.0).await
}

/// The participant a goal belongs to, for authorisation.
pub async fn goal_owner(conn: &mut Conn, goal: GoalId) -> Result<ParticipantId, StoreError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT participant_id FROM goals WHERE id = $1")
        .bind(goal.0)
        .fetch_optional(conn)
        .await?;
    id.map(ParticipantId).ok_or(StoreError::NotFound)
}

/// A step of the goal's, written by staff or (`by_participant`) by the person themself.
pub async fn add_step(
    conn: &mut Conn,
    goal: GoalId,
    s: &NewStep,
    by_participant: bool,
) -> Result<StepId, StoreError> {
    let sid: i64 = sqlx::query_scalar("INSERT INTO steps (goal_id, description, due_date, done, by_participant) VALUES ($1, $2, $3, 0, $4) RETURNING id")
        .bind(goal.0)
        .bind(&s.description)
        .bind(s.due_date.map(date))
        .bind(i64::from(by_participant))
        .fetch_one(conn)
        .await?;
    Ok(StepId(sid))
}

/// The participant a step belongs to, for authorisation.
pub async fn step_owner(conn: &mut Conn, step: StepId) -> Result<ParticipantId, StoreError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT g.participant_id FROM steps s JOIN goals g ON g.id = s.goal_id WHERE s.id = $1",
    )
    .bind(step.0)
    .fetch_optional(conn)
    .await?;
    id.map(ParticipantId).ok_or(StoreError::NotFound)
}

pub async fn set_step_done(conn: &mut Conn, step: StepId, done: bool) -> Result<(), StoreError> {
    sqlx::query("UPDATE steps SET done = $1 WHERE id = $2")
        .bind(i64::from(done))
        .bind(step.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn steps(conn: &mut Conn, id: ParticipantId) -> Result<Vec<StepRow>, StoreError> {
    crate::row::all(conn, "SELECT s.id, s.goal_id, s.description, s.due_date, s.done, s.by_participant FROM steps s JOIN goals g ON g.id = s.goal_id WHERE g.participant_id = $1 ORDER BY s.due_date, s.id", id.0).await
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct NoteRow {
        pub id: NoteId,
        pub author_name: String,
        pub body: String,
        pub created_at: DateTime<Utc>,
    }
}

pub async fn add_note(
    conn: &mut Conn,
    id: ParticipantId,
    by: &Actor,
    body: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let note = sqlx::query_scalar("INSERT INTO notes (participant_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(id.0)
        .bind(by.user.0)
        .bind(body)
        .bind(ts(at))
        .fetch_one(&mut *conn)
        .await?;
    crate::search::index_text(conn, id, by.user, body).await?;
    Ok(note)
}

pub async fn notes(conn: &mut Conn, id: ParticipantId) -> Result<Vec<NoteRow>, StoreError> {
    crate::row::all(conn, "SELECT n.id, u.name AS author_name, n.body, n.created_at FROM notes n JOIN users u ON u.id = n.author_id WHERE n.participant_id = $1 ORDER BY n.id DESC", id.0).await
}

/// "First Last" for many participants at once (chunks of 500 ids per query).
pub async fn names(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id, first_name || ' ' || last_name FROM participants WHERE id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}
