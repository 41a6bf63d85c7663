//! Sending a survey: to a project's or a group's participants, who answer in their own channel
//! and are told by e-mail that a survey waits; or to the employers of the register who agreed
//! to be contacted, each by a link of its own (only its hash is kept). No one is asked twice.

use super::survey_for;
use crate::accounts::random_hex;
use crate::{Error, Polku, Result};
use polku_domain::authz::Actor;
use polku_domain::ids::SurveyId;
use polku_domain::survey::{Audience, Recipients, SendForm, SurveyStatus};
use polku_domain::ErrorCode;
use polku_store::audit::{Audit, Entity};
use polku_store::surveys as repo;

/// How many were asked now (those asked before are not asked again).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Invitations {
    pub participants: usize,
    pub employers: usize,
    /// Participants asked in their own channel without an e-mail address to tell them.
    pub without_email: usize,
}

/// Sends the survey (a draft opens). `text` words the e-mail (subject, body) for an audience
/// around the link to the survey; `base_url` is where Polku answers.
#[tracing::instrument(skip_all, fields(survey = id.0))]
pub async fn send(
    app: &Polku,
    actor: &Actor,
    id: SurveyId,
    f: &SendForm,
    base_url: &str,
    text: &(dyn Fn(Audience, &str) -> (String, String) + Sync),
) -> Result<Invitations> {
    let mut tx = app.db.begin().await?;
    let s = survey_for(&mut tx, actor, id).await?;
    let to = f.parse()?;
    repo::touch(&mut tx, id, None).await?;
    if s.status == SurveyStatus::Closed || repo::questions(&mut tx, id).await?.is_empty() {
        return Err(Error::field("to", ErrorCode::SurveyState));
    }
    let base = base_url.trim_end_matches('/');
    let (now, today) = (app.clock.now(), app.clock.today());
    let mut sent = Invitations::default();
    let people = match to {
        Recipients::Project(p) => {
            crate::projects::offered(&mut tx, actor, Some(p)).await?;
            repo::participants_of(&mut tx, actor.org, Some(p), None).await?
        }
        Recipients::Group(g) => {
            // Another organisation's group, or none, is not a choice; a failing read is no refusal.
            match polku_store::services::get(&mut tx, g.0).await {
                Ok(group) if group.org_id == actor.org => {}
                Ok(_) | Err(polku_store::StoreError::NotFound) => {
                    return Err(Error::field("service_id", ErrorCode::ChoiceInvalid))
                }
                Err(e) => return Err(e.into()),
            }
            repo::participants_of(&mut tx, actor.org, None, Some(g)).await?
        }
        Recipients::Employers => vec![],
    };
    let (subject, body) = text(
        Audience::Participant,
        &format!("{base}/my/surveys/{}", id.0),
    );
    for (who, email) in people {
        if !repo::invite_participant(&mut tx, id, who, today).await? {
            continue;
        }
        sent.participants += 1;
        match email {
            Some(to) => {
                polku_store::outbox::queue(&mut tx, &to, &subject, &body, now).await?;
            }
            None => sent.without_email += 1,
        }
    }
    if to == Recipients::Employers {
        for (employer, email) in repo::employers_to_ask(&mut tx, actor.org).await? {
            let token = random_hex(24);
            let hash = polku_store::tokens::hash(&token);
            if !repo::invite_employer(&mut tx, id, employer, &hash, today).await? {
                continue;
            }
            sent.employers += 1;
            let (subject, body) = text(Audience::Employer, &format!("{base}/survey/{token}"));
            polku_store::outbox::queue(&mut tx, &email, &subject, &body, now).await?;
        }
    }
    if s.status == SurveyStatus::Draft {
        repo::set_status(&mut tx, id, SurveyStatus::Open).await?;
    }
    Audit::by(actor, now)
        .update(
            &mut tx,
            Entity::Survey(id.0),
            &format!(
                "sent participants={} employers={}",
                sent.participants, sent.employers
            ),
        )
        .await?;
    tx.commit().await?;
    Ok(sent)
}
