//! Append-only log of reads and writes of personal data. `detail` must never hold personal data.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::authz::Actor;
use polku_domain::ids::OrgId;
use polku_domain::ids::UserId;

#[derive(Debug, Clone, Copy)]
pub enum AuditAction {
    Read,
    Create,
    Update,
    Search,
    Export,
    Login,
    LoginFailed,
    Logout,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Read => "read",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Search => "search",
            AuditAction::Export => "export",
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
        }
    }
}

/// What an entry is about: the kind of record and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    ApiToken(i64),
    Attendance(i64),
    Consent(i64),
    Contact(i64),
    DropinPoint(i64),
    DutyShift(i64),
    Enrolment(i64),
    Employer(i64),
    /// A row of an employer's timeline.
    Interaction(i64),
    /// A message between a job seeker and staff.
    Message(i64),
    Opening(i64),
    Placement(i64),
    /// A workplace coach at an employer.
    Coach(i64),
    Referral(i64),
    /// A training day for workplace coaches.
    CoachTraining(i64),
    EsfReport(i64),
    FollowUp(i64),
    Goal(i64),
    /// An uploaded spreadsheet being imported.
    ImportFile(i64),
    Note(i64),
    Organisation(i64),
    Participant(i64),
    Project(i64),
    Service(i64),
    ServiceRoster(i64),
    Session(i64),
    Step(i64),
    /// A feedback or final survey, its questions, invitations and answers.
    Survey(i64),
    User(i64),
    Visit(i64),
    Visits(i64),
    /// A search or export over many participants.
    ParticipantSearch,
    /// A login attempt with an address no account has.
    UnknownUser,
}

impl Entity {
    /// The stored entity name and id.
    pub fn parts(&self) -> (&'static str, Option<i64>) {
        use Entity::*;
        match self {
            ApiToken(id) => ("api_token", Some(*id)),
            Attendance(id) => ("attendance", Some(*id)),
            Consent(id) => ("consent", Some(*id)),
            Contact(id) => ("contact", Some(*id)),
            DropinPoint(id) => ("dropin_point", Some(*id)),
            DutyShift(id) => ("duty_shift", Some(*id)),
            Enrolment(id) => ("enrolment", Some(*id)),
            Employer(id) => ("employer", Some(*id)),
            Interaction(id) => ("interaction", Some(*id)),
            Message(id) => ("message", Some(*id)),
            Opening(id) => ("opening", Some(*id)),
            Placement(id) => ("placement", Some(*id)),
            Coach(id) => ("coach", Some(*id)),
            Referral(id) => ("referral", Some(*id)),
            CoachTraining(id) => ("coach_training", Some(*id)),
            EsfReport(id) => ("esf_report", Some(*id)),
            FollowUp(id) => ("follow_up", Some(*id)),
            Goal(id) => ("goal", Some(*id)),
            ImportFile(id) => ("import_file", Some(*id)),
            Note(id) => ("note", Some(*id)),
            Organisation(id) => ("organisation", Some(*id)),
            Participant(id) => ("participant", Some(*id)),
            Project(id) => ("project", Some(*id)),
            Service(id) => ("service", Some(*id)),
            ServiceRoster(id) => ("service_roster", Some(*id)),
            Session(id) => ("session", Some(*id)),
            Step(id) => ("step", Some(*id)),
            Survey(id) => ("survey", Some(*id)),
            User(id) => ("user", Some(*id)),
            Visit(id) => ("visit", Some(*id)),
            Visits(id) => ("visits", Some(*id)),
            ParticipantSearch => ("participant", None),
            UnknownUser => ("user", None),
        }
    }
}

/// Who acts, when, and in whose log: one per use case, then [`Audit::log`] for each entry.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    at: DateTime<Utc>,
    actor: Option<&'a Actor>,
    org: Option<OrgId>,
}

impl<'a> Audit<'a> {
    /// An entry in the actor's own organisation's log.
    pub fn by(actor: &'a Actor, at: DateTime<Utc>) -> Self {
        Self::new(Some(actor), at)
    }

    /// Without a signed-in actor (a failed login, the command line), in no organisation's log
    /// until [`Audit::in_org`] names one.
    pub fn new(actor: Option<&'a Actor>, at: DateTime<Utc>) -> Self {
        Audit {
            at,
            actor,
            org: actor.map(|a| a.org),
        }
    }

    /// In `org`'s log instead, which may be another organisation than the actor's (the
    /// platform operator's acts on an organisation are logged in both).
    pub fn in_org(self, org: Option<OrgId>) -> Self {
        Audit { org, ..self }
    }

    pub async fn read(&self, c: &mut Conn, e: Entity, detail: &str) -> Result<(), StoreError> {
        self.log(c, AuditAction::Read, e, detail).await
    }

    pub async fn create(&self, c: &mut Conn, e: Entity, detail: &str) -> Result<(), StoreError> {
        self.log(c, AuditAction::Create, e, detail).await
    }

    pub async fn update(&self, c: &mut Conn, e: Entity, detail: &str) -> Result<(), StoreError> {
        self.log(c, AuditAction::Update, e, detail).await
    }

    pub async fn export(&self, c: &mut Conn, e: Entity, detail: &str) -> Result<(), StoreError> {
        self.log(c, AuditAction::Export, e, detail).await
    }

    /// Appends the entry to the hash chain: the head row is locked (by a no-op update, which
    /// both engines support) until the caller's transaction ends, so entries chain in order.
    pub async fn log(
        &self,
        conn: &mut Conn,
        action: AuditAction,
        entity: Entity,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.log_many(conn, action, &[(entity, detail.to_string())])
            .await
    }

    /// One entry per entity, chained in order and written together (an import writes thousands).
    pub async fn log_many(
        &self,
        conn: &mut Conn,
        action: AuditAction,
        entries: &[(Entity, String)],
    ) -> Result<(), StoreError> {
        use crate::bulk::Val;
        if entries.is_empty() {
            return Ok(());
        }
        let mut prev = lock_head(conn).await?;
        let mut rows = Vec::with_capacity(entries.len());
        for (entity, detail) in entries {
            let (name, id) = entity.parts();
            let entry = Entry {
                at: ts(self.at),
                user_id: self.actor.map(|a| a.user.0),
                org_id: self.org.map(|o| o.0),
                action: action.as_str().to_string(),
                entity: name.to_string(),
                entity_id: id,
                detail: detail.clone(),
            };
            let hash = entry.hash(&prev);
            rows.push(vec![
                Val::T(entry.at),
                Val::opt_int(entry.user_id),
                Val::opt_int(entry.org_id),
                Val::T(entry.action),
                Val::T(entry.entity),
                Val::opt_int(entry.entity_id),
                Val::T(entry.detail),
                Val::T(std::mem::replace(&mut prev, hash.clone())),
                Val::T(hash),
            ]);
        }
        let columns = [
            "at",
            "user_id",
            "org_id",
            "action",
            "entity",
            "entity_id",
            "detail",
            "prev_hash",
            "hash",
        ];
        crate::bulk::insert(conn, "audit_log", &columns, &rows).await?;
        // The head is locked, so the newest entry is the last one written here.
        let last: i64 = sqlx::query_scalar("SELECT MAX(id) FROM audit_log")
            .fetch_one(&mut *conn)
            .await?;
        set_head(conn, &prev, last).await
    }
}

/// The hash the first entry follows.
const GENESIS: &str = "polku-audit-genesis";

/// One entry's content, as hashed.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Entry {
    at: String,
    user_id: Option<i64>,
    org_id: Option<i64>,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    detail: String,
}

impl Entry {
    /// SHA-256 over the previous hash and every field, each length-prefixed so that no two
    /// different entries hash alike.
    fn hash(&self, prev: &str) -> String {
        use sha2::{Digest, Sha256};
        let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
        let mut h = Sha256::new();
        for field in [
            prev,
            &self.at,
            &opt(self.user_id),
            &opt(self.org_id),
            &self.action,
            &self.entity,
            &opt(self.entity_id),
            &self.detail,
        ] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Locks the head of the chain for this transaction and returns its hash.
async fn lock_head(conn: &mut Conn) -> Result<String, StoreError> {
    let lock = "UPDATE audit_head SET last_id = last_id WHERE id = 1 RETURNING hash";
    if let Some(h) = sqlx::query_scalar(lock).fetch_optional(&mut *conn).await? {
        return Ok(h);
    }
    sqlx::query(
        "INSERT INTO audit_head (id, hash, last_id) VALUES (1, $1, 0) ON CONFLICT (id) DO NOTHING",
    )
    .bind(GENESIS)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query_scalar(lock).fetch_one(&mut *conn).await?)
}

async fn set_head(conn: &mut Conn, hash: &str, last_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET hash = $1, last_id = $2 WHERE id = 1")
        .bind(hash)
        .bind(last_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ChainRow {
    id: i64,
    #[sqlx(flatten)]
    entry: Entry,
    prev_hash: Option<String>,
    hash: Option<String>,
}

const CHAIN_COLS: &str =
    "id, at, user_id, org_id, action, entity, entity_id, detail, prev_hash, hash";

/// Entries written before the chain existed get their hashes, in order, once (at start; a
/// no-op afterwards). The database allows exactly this one change to an unhashed entry.
pub async fn chain_if_needed(db: &crate::Db) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let mut prev = lock_head(&mut tx).await?;
    let rows: Vec<ChainRow> = sqlx::query_as(&format!(
        "SELECT {CHAIN_COLS} FROM audit_log WHERE hash IS NULL ORDER BY id"
    ))
    .fetch_all(&mut *tx)
    .await?;
    let mut last = None;
    for r in rows {
        let hash = r.entry.hash(&prev);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(r.id)
            .execute(&mut *tx)
            .await?;
        prev = hash;
        last = Some(r.id);
    }
    if let Some(id) = last {
        set_head(&mut tx, &prev, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What `polku audit verify` found: the number of entries checked and every break in the chain.
#[derive(Debug, Default)]
pub struct Verification {
    pub entries: u64,
    pub problems: Vec<String>,
    /// The newest entry and its hash: what to anchor outside the database.
    pub head: Option<(i64, String)>,
}

/// Walks the whole log in order: every entry must follow the previous one's hash and hash to
/// what it holds, and the head must be the last entry. A deleted entry breaks the next link, an
/// inserted one its own or the next, an altered one its hash. `anchors` are (id, hash) pairs
/// kept outside the database; each must still be in the chain, so that a chain rebuilt from
/// scratch after tampering is found too.
pub async fn verify(db: &crate::Db, anchors: &[(i64, String)]) -> Result<Verification, StoreError> {
    use std::collections::HashMap;
    let mut conn = db.acquire().await?;
    let mut v = Verification::default();
    let mut prev = GENESIS.to_string();
    let mut after = 0i64;
    let mut seen: HashMap<i64, String> = HashMap::new();
    loop {
        // In pages, so the whole log is never in memory at once.
        let rows: Vec<ChainRow> = sqlx::query_as(&format!(
            "SELECT {CHAIN_COLS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000"
        ))
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in rows {
            v.entries += 1;
            let (Some(p), Some(h)) = (&r.prev_hash, &r.hash) else {
                v.problems.push(format!("entry {}: not in the chain", r.id));
                continue;
            };
            if *p != prev {
                v.problems.push(format!(
                    "entry {}: does not follow the entry before it (one was removed or inserted)",
                    r.id
                ));
            }
            if r.entry.hash(p) != *h {
                v.problems
                    .push(format!("entry {}: its content was changed", r.id));
            }
            if anchors.iter().any(|(id, _)| *id == r.id) {
                seen.insert(r.id, h.clone());
            }
            prev = h.clone();
            v.head = Some((r.id, h.clone()));
        }
    }
    let head: Option<(String, i64)> =
        sqlx::query_as("SELECT hash, last_id FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?;
    match (&head, &v.head) {
        (Some((h, id)), Some((last, hash))) if h != hash || id != last => v.problems.push(format!(
            "the newest entries are missing: the head names entry {id}, the log ends at {last}"
        )),
        (Some((_, id)), None) if *id > 0 => v.problems.push("every entry is missing".into()),
        _ => {}
    }
    // An anchor of the empty log (entry 0) holds nothing to check.
    for (id, hash) in anchors.iter().filter(|(id, h)| *id > 0 || h != GENESIS) {
        match seen.get(id) {
            Some(h) if h == hash => {}
            Some(_) => v
                .problems
                .push(format!("entry {id}: differs from its anchored hash")),
            None => v.problems.push(format!("entry {id}: anchored but missing")),
        }
    }
    Ok(v)
}

/// The head of the chain (newest entry id and hash), for anchoring outside the database.
pub async fn head(conn: &mut Conn) -> Result<Option<(i64, String)>, StoreError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT last_id, hash FROM audit_head WHERE id = 1")
            .fetch_optional(conn)
            .await?;
    Ok(row)
}

crate::typed_row! {
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct AuditRow {
        pub id: i64,
        pub at: DateTime<Utc>,
        pub user_id: Option<UserId>,
        pub user_name: Option<String>,
        pub action: String,
        pub entity: String,
        pub entity_id: Option<i64>,
        pub detail: String,
    }
}

/// Filters for reading the log; every field optional. Dates are yyyy-mm-dd, `to` inclusive.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub org: Option<i64>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only entries older than this one (the next page of a list, newest first).
    pub before: Option<i64>,
}

/// Every entry of `org`'s log about one participant: reads and changes of the person's record,
/// consents and follow-up (by the person's id), and of their notes, contacts, goals and steps
/// (which name the person in their detail), oldest first.
pub async fn about_participant(
    conn: &mut Conn,
    org: OrgId,
    id: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.entity, a.entity_id, a.detail \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.org_id = $1 AND ((a.entity IN ('participant', 'consent', 'follow_up') AND a.entity_id = $2) OR a.detail = $3) \
         ORDER BY a.id",
    )
    .bind(org.0)
    .bind(id)
    .bind(format!("participant={id}"))
    .fetch_all(conn)
    .await?)
}

/// Newest first.
pub async fn list(conn: &mut Conn, f: &Filter, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    // Timestamps are RFC 3339 text, so a day's end is the next day's start as a string bound.
    let to_excl =
        f.to.as_ref()
            .and_then(|d| crate::parse_date(d))
            .and_then(|d| d.succ_opt())
            .map(crate::date);
    Ok(sqlx::query_as(
        "SELECT a.id, a.at, a.user_id, u.name AS user_name, a.action, a.entity, a.entity_id, a.detail \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE ($1 IS NULL OR a.org_id = $1) AND ($2 IS NULL OR a.action = $2) AND ($3 IS NULL OR a.entity = $3) \
         AND ($4 IS NULL OR a.entity_id = $4) AND ($5 IS NULL OR a.at >= $5) AND ($6 IS NULL OR a.at < $6) \
         AND ($8 IS NULL OR a.id < $8) ORDER BY a.id DESC LIMIT $7",
    )
    .bind(f.org)
    .bind(&f.action)
    .bind(&f.entity)
    .bind(f.entity_id)
    .bind(&f.from)
    .bind(to_excl)
    .bind(limit)
    .bind(f.before)
    .fetch_all(conn)
    .await?)
}
