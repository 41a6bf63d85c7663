//! The job seeker's self-assessment of skills and wellbeing, at entry and at exit.

use super::{by_person, own, Person};
use crate::{Polku, Result};
use polku_domain::assessment::{parse_answers, Phase};
use polku_store::assessments::{self as repo, ScoreRow};
use polku_store::audit::Entity;

/// Their answers so far, and which phase the form asks now: entry until it is answered, then
/// exit (which can be answered again until they leave).
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn my_assessment(app: &Polku, who: &Person) -> Result<(Vec<ScoreRow>, Phase)> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let rows = repo::of(&mut tx, who.participant).await?;
    by_person(who, app.clock.now())
        .read(
            &mut tx,
            Entity::Participant(who.participant.0),
            "portal: self-assessment",
        )
        .await?;
    tx.commit().await?;
    let phase = if rows.iter().any(|r| r.phase == Phase::Entry) {
        Phase::Exit
    } else {
        Phase::Entry
    };
    Ok((rows, phase))
}

/// Saves the answers of the phase the form asks now (`pairs`: `score_<item>` = 1…5).
#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn assess(app: &Polku, who: &Person, pairs: &[(String, String)]) -> Result<Phase> {
    let mut tx = app.db.begin().await?;
    own(&mut tx, who).await?;
    let answers = parse_answers(pairs)?;
    let done = repo::of(&mut tx, who.participant).await?;
    let phase = if done.iter().any(|r| r.phase == Phase::Entry) {
        Phase::Exit
    } else {
        Phase::Entry
    };
    let now = app.clock.now();
    repo::save(&mut tx, who.participant, phase, &answers, now).await?;
    by_person(who, now)
        .update(
            &mut tx,
            Entity::Participant(who.participant.0),
            &format!("portal: self-assessment {}", phase.as_str()),
        )
        .await?;
    tx.commit().await?;
    Ok(phase)
}
