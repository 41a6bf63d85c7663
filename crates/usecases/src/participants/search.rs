//! Finding people, and reading one record as the API returns it.

use super::{load, repo};
use crate::{Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::ParticipantId;
use polku_domain::ids::ProjectId;
use polku_domain::special::SpecialCategories;
use polku_store::audit::{Audit, AuditAction, Entity};
use polku_store::participants::ParticipantRow;

/// A search: the words or identity code, the project, and the page (`limit` rows from
/// `offset`; no limit reads every match).
#[derive(Debug, Clone, Default)]
pub struct Search<'a> {
    pub text: &'a str,
    pub project: Option<ProjectId>,
    pub limit: Option<i64>,
    pub offset: i64,
    /// An export is audited as one; a search as a search.
    pub export: bool,
    /// Which channel searched, for the audit log (never the query text: it may be personal data).
    pub via: &'a str,
}

/// The organisation's participants matching a search. Searches touch personal data: each is
/// audited with its number of results, never the query.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn search(app: &Polku, actor: &Actor, q: Search<'_>) -> Result<Vec<ParticipantRow>> {
    authorize(actor, Action::ViewParticipant, Some(actor.org))?;
    let mut tx = app.db.begin().await?;
    let rows = repo::search_page(
        &mut tx,
        &app.cipher,
        actor.org,
        q.text,
        q.project,
        q.limit,
        q.offset,
    )
    .await?;
    let action = if q.export {
        AuditAction::Export
    } else {
        AuditAction::Search
    };
    let detail = format!("{}results={}", q.via, rows.len());
    Audit::by(actor, app.clock.now())
        .log(&mut tx, action, Entity::ParticipantSearch, &detail)
        .await?;
    tx.commit().await?;
    Ok(rows)
}

/// An export read page by page from one snapshot of the database, so nothing is missed or
/// repeated while others write.
pub struct ExportCursor {
    snapshot: polku_store::Tx,
    cipher: std::sync::Arc<polku_store::crypto::FieldCipher>,
    org: polku_domain::ids::OrgId,
    text: String,
    project: Option<ProjectId>,
    offset: i64,
}

impl ExportCursor {
    /// The next `page` rows; fewer than `page` means the export is complete.
    pub async fn next_page(&mut self, page: i64) -> Result<Vec<ParticipantRow>> {
        let rows = repo::search_page(
            &mut self.snapshot,
            &self.cipher,
            self.org,
            &self.text,
            self.project,
            Some(page),
            self.offset,
        )
        .await?;
        self.offset += rows.len() as i64;
        Ok(rows)
    }
}

/// Starts an export of every match (audited before the first row is read), as `format`.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn export(
    app: &Polku,
    actor: &Actor,
    text: &str,
    project: Option<ProjectId>,
    format: &str,
) -> Result<ExportCursor> {
    authorize(actor, Action::ViewParticipant, Some(actor.org))?;
    let mut tx = app.db.begin().await?;
    Audit::by(actor, app.clock.now())
        .export(&mut tx, Entity::ParticipantSearch, format)
        .await?;
    tx.commit().await?;
    Ok(ExportCursor {
        snapshot: app.db.begin_snapshot().await?,
        cipher: app.cipher.clone(),
        org: actor.org,
        text: text.to_string(),
        project,
        offset: 0,
    })
}

/// One record with its identity code and special-category answers decrypted.
pub struct Record {
    pub p: ParticipantRow,
    pub hetu: Option<String>,
    pub special: SpecialCategories,
}

/// Reads one record (audited, `via` naming the channel).
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn get(app: &Polku, actor: &Actor, id: ParticipantId, via: &str) -> Result<Record> {
    let mut tx = app.db.begin().await?;
    let p = load(&mut tx, actor, id, Action::ViewParticipant).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), via)
        .await?;
    let special = polku_store::encrypted::special(&mut tx, &app.cipher, id).await?;
    tx.commit().await?;
    let hetu = repo::hetu(&app.cipher, &p)?;
    Ok(Record { p, hetu, special })
}
