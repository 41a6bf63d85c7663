//! Intake and editing the intake answers.

use super::{load_open, repo};
use crate::{Error, Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::participant::{Intake, IntakeForm};
use polku_domain::special::SpecialCategories;
use polku_domain::webhook::WebhookEvent;
use polku_domain::ErrorCode;
use polku_store::audit::{Audit, Entity};
use polku_store::participants::ParticipantRow;
use polku_store::{projects, users, Conn};

/// The project must be one the actor's organisation runs or co-implements, the target group
/// must belong to it and the counsellor must be one of the organisation's.
async fn check_project(conn: &mut Conn, org: OrgId, intake: &Intake) -> Result<()> {
    let allowed = projects::for_org(conn, org).await?;
    if !allowed.iter().any(|p| p.id == intake.project_id) {
        return Err(Error::field("project_id", ErrorCode::ChoiceInvalid));
    }
    if let Some(tg) = intake.target_group_id {
        let groups = projects::target_groups(conn, intake.project_id).await?;
        if !groups.iter().any(|g| g.id == tg.0) {
            return Err(Error::field("target_group_id", ErrorCode::ChoiceInvalid));
        }
    }
    if let Some(cid) = intake.counsellor_id {
        if !users::counsellors(conn, org)
            .await?
            .iter()
            .any(|u| u.id == cid)
        {
            return Err(Error::field("counsellor_id", ErrorCode::ChoiceInvalid));
        }
    }
    Ok(())
}

/// Records a new participant from the intake answers.
#[tracing::instrument(skip_all, fields(org = actor.org.0))]
pub async fn intake(app: &Polku, actor: &Actor, f: &IntakeForm) -> Result<ParticipantId> {
    authorize(actor, Action::CreateParticipant, Some(actor.org))?;
    let mut tx = app.db.begin().await?;
    let id = intake_in(&mut tx, app, actor, f).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`intake`] in the caller's transaction, once the caller has authorised it (accepting a
/// referral creates the receiver's own record this way).
pub(crate) async fn intake_in(
    tx: &mut Conn,
    app: &Polku,
    actor: &Actor,
    f: &IntakeForm,
) -> Result<ParticipantId> {
    let intake = f.parse(app.clock.today())?;
    let now = app.clock.now();
    check_project(tx, actor.org, &intake).await?;
    let id = repo::create(tx, &app.cipher, actor.org, &intake, actor, now).await?;
    Audit::by(actor, now)
        .create(tx, Entity::Participant(id.0), "intake")
        .await?;
    let data = serde_json::json!({"participant_id": id.0, "project_id": intake.project_id.0});
    crate::webhooks::notify(
        tx,
        actor.org,
        WebhookEvent::ParticipantEntered,
        data,
        now,
        now,
    )
    .await?;
    Ok(id)
}

/// What the edit form starts from: the record, its decrypted identity code and answers.
pub struct EditForm {
    pub p: ParticipantRow,
    pub hetu: String,
    pub special: SpecialCategories,
}

/// Reads a record for editing (refused once archived); the read is audited.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn edit_form(app: &Polku, actor: &Actor, id: ParticipantId) -> Result<EditForm> {
    let mut tx = app.db.begin().await?;
    let p = load_open(&mut tx, actor, id, app.clock.today()).await?;
    let special = polku_store::encrypted::special(&mut tx, &app.cipher, id).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), "edit form")
        .await?;
    tx.commit().await?;
    let hetu = repo::hetu(&app.cipher, &p)?.unwrap_or_default();
    Ok(EditForm { p, hetu, special })
}

/// Saves changed intake answers if `version` is still the stored one (else a conflict). The
/// project is fixed at intake: a move between projects is a new participation.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn update(
    app: &Polku,
    actor: &Actor,
    id: ParticipantId,
    f: &IntakeForm,
    version: i64,
) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let p = load_open(&mut tx, actor, id, app.clock.today()).await?;
    let mut f = f.clone();
    f.project_id = p.project_id.to_string();
    f.consent_data_processing = polku_domain::text::Checkbox(true);
    let intake = f.parse(app.clock.today())?;
    check_project(&mut tx, actor.org, &intake).await?;
    let now = app.clock.now();
    repo::update(&mut tx, &app.cipher, id, &intake, version, now).await?;
    Audit::by(actor, now)
        .update(&mut tx, Entity::Participant(id.0), "intake")
        .await?;
    tx.commit().await?;
    Ok(())
}
