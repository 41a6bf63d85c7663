//! The steps the demo's partner network is made of, each through its use case on the day the
//! history clock is set to: staff, groups, referring, accepting, answering.

use super::{org, user, History};
use chrono::{Duration, NaiveDate};
use polku_domain::authz::{Actor, Role};
use polku_domain::clock::Clock;
use polku_domain::ids::{OrgId, ParticipantId, ProjectId, ReferralId};
use polku_domain::referral::{ProgressForm, ReferralForm};
use polku_domain::text::Checkbox;
use polku_store::{projects, users};
use polku_usecases::referrals as uc;

pub(super) fn failed(what: &'static str) -> impl Fn(polku_usecases::Error) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo referrals, {what}: {e:?}")
}

/// An organisation's staff member, made if missing.
pub(super) async fn staff(
    history: &History,
    (org_name, email, name, role): (&str, &str, &str, Role),
    hash: &str,
    clock: &dyn Clock,
) -> anyhow::Result<Actor> {
    let mut tx = history.app.db.begin().await?;
    let org = org(&mut tx, (org_name, None, "partner"), clock).await?;
    let user = user(&mut tx, org, email, name, role, hash, clock).await?;
    tx.commit().await?;
    Ok(Actor { user, org, role })
}

/// The counsellor of a seed project (`ohjaaja.<slug>`).
pub(super) async fn counsellor(history: &History, slug: &str) -> anyhow::Result<Actor> {
    let mut tx = history.app.db.begin().await?;
    let u = users::by_email(&mut tx, &format!("ohjaaja.{slug}@polku.example"))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no counsellor {slug}"))?;
    Ok(Actor {
        user: u.id,
        org: u.org_id,
        role: Role::Counsellor,
    })
}

/// Up to `n` of the project's participants in the project from `day` for two months, the
/// earliest first.
pub(super) async fn active(
    history: &History,
    project: ProjectId,
    day: NaiveDate,
    n: i64,
) -> anyhow::Result<Vec<ParticipantId>> {
    let until = polku_store::date(day + Duration::days(60));
    let day = polku_store::date(day);
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM participants WHERE project_id = $1 AND entry_date <= $2 \
         AND (exit_date IS NULL OR exit_date > $3) AND erased_at IS NULL ORDER BY entry_date, id LIMIT $4",
    )
    .bind(project.0)
    .bind(day)
    .bind(until)
    .bind(n)
    .fetch_all(history.app.db.pool())
    .await?;
    Ok(ids.into_iter().map(ParticipantId).collect())
}

/// A group of `org`'s in `project`, with weekly sessions from `first`.
pub(super) async fn group(
    history: &History,
    actor: &Actor,
    (project, name, town): (ProjectId, &str, &str),
    (first, capacity): (NaiveDate, i64),
) -> anyhow::Result<i64> {
    use polku_domain::services::{ServiceForm, SessionForm};
    use polku_usecases::services as suc;
    let app = history.on(first - Duration::days(21));
    let form = ServiceForm {
        project_id: project.to_string(),
        kind: "group_coaching".into(),
        name: name.into(),
        town: town.into(),
        place: town.into(),
        capacity: capacity.to_string(),
        starts_on: polku_domain::dates::format_fi(first),
        offered_by: "partner".into(),
        languages: "fi".into(),
        ..Default::default()
    };
    let new = suc::NewService {
        form: &form,
        provider_org_id: "",
        target_groups: &[],
    };
    let sid = suc::create(app, actor, new)
        .await
        .map_err(failed("group"))?;
    for week in 0..6 {
        let f = SessionForm {
            date: polku_domain::dates::format_fi(first + Duration::weeks(week)),
            start_time: "9.00".into(),
            end_time: "12.00".into(),
            place: town.into(),
            facilitators: String::new(),
        };
        suc::add_session(app, actor, sid, &f)
            .await
            .map_err(failed("session"))?;
    }
    Ok(sid)
}

/// `from` refers `who` to `to` (and its group) on `day`, sharing the contact details, the plan
/// and the identity code (the receiver keeps its own student or client register).
pub(super) async fn refer(
    history: &History,
    (from, who, day): (&Actor, ParticipantId, NaiveDate),
    (to, group): (OrgId, Option<i64>),
    reason: &str,
) -> anyhow::Result<ReferralId> {
    let f = ReferralForm {
        to_org_id: to.to_string(),
        to_service_id: group.map(|g| g.to_string()).unwrap_or_default(),
        reason: reason.into(),
        share_contact: Checkbox(true),
        share_plan: Checkbox(true),
        share_hetu: Checkbox(group.is_some()),
        consent: Checkbox(true),
        ..Default::default()
    };
    uc::send(history.on(day), from, who, (&f, vec![]))
        .await
        .map_err(failed("send"))
}

/// The receiver accepts on `day` with a new record of the person in `project`.
pub(super) async fn accept(
    history: &History,
    (by, day): (&Actor, NaiveDate),
    r: ReferralId,
    project: ProjectId,
) -> anyhow::Result<ParticipantId> {
    let app = history.on(day);
    let (row, mut f) = uc::intake_form_for(app, by, r)
        .await
        .map_err(failed("intake"))?;
    f.project_id = project.to_string();
    f.consent_data_processing = Checkbox(true);
    let a = uc::accept_new(app, by, r, (&f, row.version))
        .await
        .map_err(failed("accept"))?;
    Ok(a.participant)
}

/// A later step (or a decline) on `day`.
pub(super) async fn step(
    history: &History,
    (by, day): (&Actor, NaiveDate),
    r: ReferralId,
    (status, reason): (&str, &str),
) -> anyhow::Result<()> {
    let app = history.on(day);
    let version = uc::show(app, by, r)
        .await
        .map_err(failed("show"))?
        .r
        .version;
    let f = ProgressForm {
        status: status.into(),
        on: polku_domain::dates::format_fi(day),
        reason: reason.into(),
        version: version.to_string(),
    };
    uc::progress(app, by, r, &f).await.map_err(failed("step"))?;
    Ok(())
}

/// The college's own project, for the people it takes in: a person has one open
/// participation per project, so the college does not enter VOIMA's people into VOIMA's.
pub(super) async fn college_project(
    history: &History,
    college: OrgId,
    clock: &dyn Clock,
) -> anyhow::Result<ProjectId> {
    use polku_domain::dates::format_fi;
    let today = clock.today();
    let form = polku_domain::project::ProjectForm {
        code: "SSAO-2026".into(),
        name: "Osaamispolku – aikuisopiskelijoiden ohjaus".into(),
        funding_line: super::seeds::FUNDING_LINE.into(),
        objective: super::seeds::OBJECTIVE.into(),
        start_date: format_fi(today - Duration::days(200)),
        end_date: format_fi(today + Duration::days(500)),
        authority: "Varsinais-Suomen ELY-keskus".into(),
        municipalities: "734".into(),
        target_participants: "40".into(),
        target_companies: "0".into(),
        budget_public: "180000".into(),
        budget_granted: "150000".into(),
        budget_realised: "40000".into(),
        ..Default::default()
    };
    let draft = form
        .parse()
        .map_err(|e| anyhow::anyhow!("SSAO-2026: {e}"))?;
    let mut tx = history.app.db.begin().await?;
    let id = projects::create(&mut tx, &draft, college, clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// On `day` the person (`who`) writes to the partner that took them in, in the thread its
/// record (`theirs`) holds, and the partner's staff (`by`) answer.
pub(super) async fn talk(
    history: &History,
    (by, day): (&Actor, NaiveDate),
    who: polku_usecases::portal::Person,
    theirs: ParticipantId,
) -> anyhow::Result<()> {
    use polku_domain::portal::MessageForm;
    let app = history.on(day);
    let ask = MessageForm {
        body: "Hei! Mitä tarvitsen mukaan ensimmäiselle kerralle?".into(),
    };
    polku_usecases::portal::write(app, &who, Some(theirs), (&ask, None))
        .await
        .map_err(failed("message"))?;
    let answer = MessageForm {
        body: "Tervetuloa! Kynä riittää, tietokoneet ovat meiltä.".into(),
    };
    let notice = (
        "Sinulle on uusi viesti Omassa Polussa".to_string(),
        "Sinulle on uusi viesti. Kirjaudu Omaan Polkuun lukemaan se.".to_string(),
    );
    polku_usecases::messages::reply(app, by, theirs, (&answer, None), notice)
        .await
        .map_err(failed("answer"))?;
    Ok(())
}
