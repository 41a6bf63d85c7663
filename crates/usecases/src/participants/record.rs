//! Reading a person's whole record, as their page shows it.

use super::{load, repo};
use crate::{Polku, Result};
use polku_domain::authz::{Action, Actor};
use polku_domain::ids::ParticipantId;
use polku_domain::special::SpecialCategories;
use polku_store::audit::{Audit, Entity};
use polku_store::participants::{ConsentRow, GoalRow, NoteRow, ParticipantRow, StepRow};
use polku_store::projects::{self, TargetGroup};
use polku_store::services::{ContactRow, ParticipantServiceRow};

/// Everything shown on a person's page.
pub struct ViewData {
    pub p: ParticipantRow,
    pub hetu: String,
    pub special: SpecialCategories,
    pub group: Option<TargetGroup>,
    pub consents: Vec<ConsentRow>,
    pub goals: Vec<GoalRow>,
    pub steps: Vec<StepRow>,
    pub notes: Vec<NoteRow>,
    pub services: Vec<ParticipantServiceRow>,
    pub contacts: Vec<ContactRow>,
    pub visits: Vec<polku_store::dropin::OwnVisit>,
    pub follow_up: Option<polku_store::follow_ups::FollowUpRow>,
    /// The next session of a group the person is enrolled in, for the page's summary.
    pub next_session: Option<polku_store::services::NextSessionRow>,
    /// Who referred them from outside Polku.
    pub referred_by: Vec<polku_store::referrals::IncomingRow>,
    /// Referrals sent for them to other organisations.
    pub referrals: Vec<polku_store::referrals::ReferralRow>,
    /// Their messages with the staff, oldest first.
    pub messages: Vec<polku_store::messages::MessageRow>,
    /// Their requests to correct or erase, newest first.
    pub requests: Vec<polku_store::portal::RequestRow>,
    /// Their self-assessment at entry and exit.
    pub assessment: Vec<polku_store::assessments::ScoreRow>,
    /// The files of their messages (without the bytes).
    pub attachments: Vec<polku_store::messages::AttachmentRow>,
}

/// The whole record, read in one transaction that also audits the read. The page and the
/// load benchmark's bare page both use it.
#[tracing::instrument(skip_all, fields(participant = id.0))]
pub async fn view(app: &Polku, actor: &Actor, id: ParticipantId) -> Result<ViewData> {
    let mut tx = app.db.begin().await?;
    let p = load(&mut tx, actor, id, Action::ViewParticipant).await?;
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Participant(id.0), "")
        .await?;
    let data = gather(&mut tx, app, p).await?;
    tx.commit().await?;
    Ok(data)
}

/// Everything held on the record, read in the caller's transaction once it has authorised
/// and audited the read (the person's own channel reads it too).
pub(crate) async fn gather(
    tx: &mut polku_store::Conn,
    app: &Polku,
    p: polku_store::participants::ParticipantRow,
) -> Result<ViewData> {
    let id = p.id;
    let hetu = repo::hetu(&app.cipher, &p)?.unwrap_or_default();
    let group = projects::target_groups(tx, p.project_id)
        .await?
        .into_iter()
        .find(|g| Some(g.id) == p.target_group_id.map(|t| t.0));
    let data = ViewData {
        hetu,
        special: polku_store::encrypted::special(tx, &app.cipher, id).await?,
        group,
        consents: repo::consents(tx, id).await?,
        goals: repo::goals(tx, id).await?,
        steps: repo::steps(tx, id).await?,
        notes: repo::notes(tx, id).await?,
        services: polku_store::services::for_participant(tx, id).await?,
        contacts: polku_store::services::contacts(tx, id).await?,
        visits: polku_store::dropin::participant_visits(tx, id).await?,
        follow_up: polku_store::follow_ups::get(tx, id).await?,
        referred_by: polku_store::referrals::incoming_of(tx, id).await?,
        referrals: polku_store::referrals::sent_for(tx, id).await?,
        messages: polku_store::messages::conversation(tx, id).await?,
        requests: polku_store::portal::requests_of(tx, id).await?,
        assessment: polku_store::assessments::of(tx, id).await?,
        attachments: polku_store::messages::attachments_of(tx, id).await?,
        next_session: polku_store::services::next_session_for(
            tx,
            id,
            polku_domain::dates::helsinki(app.clock.now()),
        )
        .await?,
        p,
    };
    Ok(data)
}
