//! Projects: creating and editing one, its target groups and its partner organisations.

use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::error::Errors;
use polku_domain::ids::{OrgId, ProjectId, TargetGroupId};
use polku_domain::project::{ProjectForm, TargetGroupForm};
use polku_domain::text::optional_int;
use polku_domain::ErrorCode;
use polku_store::audit::{Audit, Entity};
use polku_store::projects::{self, ProjectRow};
use polku_store::{orgs, Conn};

/// Refuses, as a choice not offered (`project_id`), a project that is not the organisation's
/// own or one it is a partner in; none chosen passes.
pub(crate) async fn offered(
    conn: &mut Conn,
    actor: &Actor,
    project: Option<ProjectId>,
) -> Result<()> {
    let Some(p) = project else { return Ok(()) };
    if projects::for_org(conn, actor.org)
        .await?
        .iter()
        .any(|x| x.id == p)
    {
        Ok(())
    } else {
        Err(Error::field("project_id", ErrorCode::ChoiceInvalid))
    }
}

/// The roles a partner organisation can have in a project.
pub const PARTNER_ROLES: &[&str] = &["co_implementer", "partner", "funder"];

/// A new project, owned by the actor's organisation or (for the operator) the one named.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn create(app: &Polku, actor: &Actor, f: &ProjectForm) -> Result<ProjectRow> {
    authorize(actor, Action::ManageProject, Some(actor.org))?;
    let d = f.parse()?;
    let owner = d.owner_org_id.map_or(actor.org, OrgId);
    authorize(actor, Action::ManageProject, Some(owner))?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let id = projects::create(&mut tx, &d, owner, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::Project(id.0), &d.code)
        .await?;
    let p = projects::get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(p)
}

/// The project, if the actor's organisation owns it.
async fn owned(conn: &mut Conn, actor: &Actor, id: ProjectId) -> Result<ProjectRow> {
    let p = projects::get(conn, id).await?;
    authorize(actor, Action::ManageProject, Some(p.owner_org_id))?;
    Ok(p)
}

/// Saves the project's details if the form's version is still the stored one.
#[tracing::instrument(skip_all, fields(project = id.0))]
pub async fn update(app: &Polku, actor: &Actor, id: ProjectId, f: &ProjectForm) -> Result<()> {
    let mut tx = app.db.begin().await?;
    owned(&mut tx, actor, id).await?;
    let d = f.parse()?;
    let version = d
        .version
        .ok_or_else(|| Error::field("version", ErrorCode::Required))?;
    let now = app.clock.now();
    projects::update(&mut tx, id, &d, version, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Project(id.0), "details")
        .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(project = id.0))]
pub async fn add_target_group(
    app: &Polku,
    actor: &Actor,
    id: ProjectId,
    f: &TargetGroupForm,
) -> Result<TargetGroupId> {
    let mut tx = app.db.begin().await?;
    owned(&mut tx, actor, id).await?;
    let (name, rules) = f.parse()?;
    let gid = projects::add_target_group(&mut tx, id, &name, &rules).await?;
    Audit::by(actor, app.clock.now())
        .create(
            &mut tx,
            Entity::Project(id.0),
            &format!("target group {}", gid.0),
        )
        .await?;
    tx.commit().await?;
    Ok(gid)
}

/// Adds a partner organisation (not the owner itself) in one of [`PARTNER_ROLES`].
#[tracing::instrument(skip_all, fields(project = id.0))]
pub async fn add_partner(
    app: &Polku,
    actor: &Actor,
    id: ProjectId,
    org_id: &str,
    role: &str,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let p = owned(&mut tx, actor, id).await?;
    let mut e = Errors::new();
    let org = e.take(
        "org_id",
        optional_int(org_id, 1, i64::MAX).and_then(|v| v.ok_or(ErrorCode::Required)),
    );
    let role_ok = PARTNER_ROLES.contains(&role);
    e.take(
        "role",
        if role_ok {
            Ok(())
        } else {
            Err(ErrorCode::ChoiceInvalid)
        },
    );
    e.into_result()?;
    let org = org.ok_or_else(|| Error::Internal("validated form incomplete".into()))?;
    orgs::get(&mut tx, OrgId(org))
        .await
        .map_err(|_| Error::field("org_id", ErrorCode::ChoiceInvalid))?;
    if OrgId(org) == p.owner_org_id {
        return Err(Error::field("org_id", ErrorCode::ChoiceInvalid));
    }
    projects::add_partner(&mut tx, id, OrgId(org), role).await?;
    Audit::by(actor, app.clock.now())
        .create(
            &mut tx,
            Entity::Project(id.0),
            &format!("partner {org} {role}"),
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A project by its code (any case), as the API and the command line name projects.
pub async fn by_code(app: &Polku, actor: &Actor, code: &str) -> Result<ProjectRow> {
    authorize(actor, Action::ViewProjects, None)?;
    Ok(projects::by_code(&mut *app.db.acquire().await?, code).await?)
}
