//! Append-only log of reads and writes of personal data. `detail` must never hold personal data.

use crate::{ts, Conn, StoreError};
use chrono::{DateTime, Utc};
use polku_domain::authz::Actor;
use polku_domain::ids::OrgId;

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
    EsfReport(i64),
    FollowUp(i64),
    Goal(i64),
    Note(i64),
    Organisation(i64),
    Participant(i64),
    Service(i64),
    ServiceRoster(i64),
    Session(i64),
    Step(i64),
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
            EsfReport(id) => ("esf_report", Some(*id)),
            FollowUp(id) => ("follow_up", Some(*id)),
            Goal(id) => ("goal", Some(*id)),
            Note(id) => ("note", Some(*id)),
            Organisation(id) => ("organisation", Some(*id)),
            Participant(id) => ("participant", Some(*id)),
            Service(id) => ("service", Some(*id)),
            ServiceRoster(id) => ("service_roster", Some(*id)),
            Session(id) => ("session", Some(*id)),
            Step(id) => ("step", Some(*id)),
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

    pub async fn log(
        &self,
        conn: &mut Conn,
        action: AuditAction,
        entity: Entity,
        detail: &str,
    ) -> Result<(), StoreError> {
        let (name, id) = entity.parts();
        sqlx::query("INSERT INTO audit_log (at, user_id, org_id, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(ts(self.at))
            .bind(self.actor.map(|a| a.user.0))
            .bind(self.org.map(|o| o.0))
            .bind(action.as_str())
            .bind(name)
            .bind(id)
            .bind(detail)
            .execute(conn)
            .await?;
        Ok(())
    }
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub detail: String,
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
         ORDER BY a.id DESC LIMIT $7",
    )
    .bind(f.org)
    .bind(&f.action)
    .bind(&f.entity)
    .bind(f.entity_id)
    .bind(&f.from)
    .bind(to_excl)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
