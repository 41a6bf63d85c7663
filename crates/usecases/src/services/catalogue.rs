//! Adding a service to the shared catalogue, and its approval.

use super::organised;
use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::{OrgId, ParticipantId, ProjectId};
use polku_domain::services::{Approval, ServiceForm};
use polku_domain::{text, ErrorCode};
use polku_store::audit::{Audit, Entity};
use polku_store::services as repo;
use polku_store::{orgs, projects};

/// A new catalogue entry: its form, the providing organisation (empty: the actor's own) and
/// the target groups it is for (ids as typed).
pub struct NewService<'a> {
    pub form: &'a ServiceForm,
    pub provider_org_id: &'a str,
    pub target_groups: &'a [String],
}

#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn create(app: &Polku, actor: &Actor, new: NewService<'_>) -> Result<i64> {
    authorize(actor, Action::ManageService, Some(actor.org))?;
    let d = new.form.parse()?;
    let provider = text::optional_int(new.provider_org_id, 1, i64::MAX)
        .map_err(|c| Error::field("provider_org_id", c))?
        .map_or(actor.org, OrgId);
    let mut tx = app.db.begin().await?;
    orgs::get(&mut tx, provider)
        .await
        .map_err(|_| Error::field("provider_org_id", ErrorCode::ChoiceInvalid))?;
    crate::projects::offered(&mut tx, actor, d.project_id.map(ProjectId)).await?;
    if let Some(pid) = d.proposed_by_participant_id {
        // The proposer must be one of our own participants.
        crate::participants::load(&mut tx, actor, ParticipantId(pid), Action::EditParticipant)
            .await
            .map_err(|_| Error::field("proposed_by_participant_id", ErrorCode::ChoiceInvalid))?;
    }
    // Only the groups of the service's own project.
    let allowed = match d.project_id {
        Some(p) => projects::target_groups(&mut tx, ProjectId(p)).await?,
        None => vec![],
    };
    let mut groups = vec![];
    for g in new.target_groups {
        let gid = text::optional_int(g, 1, i64::MAX)
            .ok()
            .flatten()
            .filter(|gid| allowed.iter().any(|x| x.id == *gid))
            .ok_or_else(|| Error::field("target_groups", ErrorCode::ChoiceInvalid))?;
        groups.push(gid);
    }
    let now = app.clock.now();
    let id = repo::create(&mut tx, actor.org, provider, &d, now).await?;
    repo::set_target_groups(&mut tx, id, &groups).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::Service(id), d.kind.as_str())
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Approves or rejects a proposed entry (the project manager's decision); returns the entry as
/// saved.
#[tracing::instrument(skip_all, fields(service = id))]
pub async fn decide_approval(
    app: &Polku,
    actor: &Actor,
    id: i64,
    decision: &str,
) -> Result<repo::ServiceRow> {
    let mut tx = app.db.begin().await?;
    let s = organised(&mut tx, actor, id).await?;
    authorize(actor, Action::ApproveService, Some(s.org_id))?;
    let decision = match Approval::parse(decision) {
        Ok(a @ (Approval::Approved | Approval::Rejected)) => a,
        _ => return Err(Error::field("decision", ErrorCode::ChoiceInvalid)),
    };
    let now = app.clock.now();
    repo::set_approval(&mut tx, id, decision, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Service(id), decision.as_str())
        .await?;
    let saved = repo::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(saved)
}

/// The catalogue as the actor may see it, filtered as the list page filters it.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn list(
    app: &Polku,
    actor: &Actor,
    filter: &repo::Filter,
) -> Result<Vec<repo::ServiceRow>> {
    authorize(actor, Action::ViewServices, None)?;
    let mut conn = app.db.acquire().await?;
    Ok(repo::list(&mut conn, actor.org, filter).await?)
}
