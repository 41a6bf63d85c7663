//! The demo as of today. The seed projects are history (2011–2021); so that the front page,
//! the calendar and the drop-in week show real work on the first run, VOIMA's work goes on in a
//! project running now: people entered over the past months, a weekly job-search group with
//! sessions behind and ahead (the latest one still to be marked), the drop-in point's duty
//! shifts this week and next, plan steps coming due, and six-month follow-ups — one overdue.

use super::seeds::{seeds, FIRST_F, FIRST_M, FUNDING_LINE, LAST, OBJECTIVE};
use super::{org, synthetic_hetu, History};
use chrono::{Datelike, Duration, NaiveDate};
use polku_domain::authz::Actor;
use polku_domain::clock::Clock;
use polku_domain::dates::format_fi;
use polku_domain::ids::{ParticipantId, ProjectId, TargetGroupId};
use polku_domain::participant::{ExitForm, GoalForm, IntakeForm, StepForm};
use polku_domain::project::ProjectForm;
use polku_domain::services::ContactForm;
use polku_store::projects;
use rand::rngs::StdRng;
use rand::Rng;

/// The running project's code.
pub(super) const CODE: &str = "S21358-2";

fn failed(what: &'static str) -> impl Fn(polku_usecases::Error) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo of today, {what}: {e:?}")
}

/// Adds the running project to VOIMA's organisation, as its counsellor; skipped when present.
pub(super) async fn load(
    history: &History,
    (actor, coordinator): (&Actor, &Actor),
    rng: &mut StdRng,
    clock: &dyn Clock,
) -> anyhow::Result<String> {
    let db = &history.app.db;
    let mut tx = db.begin().await?;
    if projects::by_code(&mut tx, CODE).await.is_ok() {
        return Ok(format!("  {CODE} already present, skipped\n"));
    }
    let today = clock.today();
    // Began on the first of the month ten months ago; runs for another year.
    let start = (today - Duration::days(300)).with_day(1).unwrap_or(today);
    let form = ProjectForm {
        code: CODE.into(),
        name: "VOIMA jatkuu – Voimala tänään".into(),
        funding_line: FUNDING_LINE.into(),
        objective: OBJECTIVE.into(),
        start_date: format_fi(start),
        end_date: format_fi(today + Duration::days(400)),
        authority: "Varsinais-Suomen ELY-keskus".into(),
        municipalities: "734".into(),
        target_participants: "60".into(),
        target_companies: "20".into(),
        budget_public: "420000".into(),
        budget_granted: "400000".into(),
        budget_realised: "150000".into(),
        ..Default::default()
    };
    let draft = form.parse().map_err(|e| anyhow::anyhow!("{CODE}: {e}"))?;
    let pid = projects::create(&mut tx, &draft, actor.org, clock.now()).await?;
    let voima = seeds()
        .into_iter()
        .find(|s| s.code == "S21358")
        .ok_or_else(|| anyhow::anyhow!("VOIMA's seed"))?;
    let group = &voima.groups[0];
    let gid = projects::add_target_group(&mut tx, pid, group.name, &group.rules).await?;
    tx.commit().await?;
    let people = participants(history, actor, pid, (gid, group), start, today, rng).await?;
    job_search_group(history, actor, pid, &people[6..18], today).await?;
    drop_in(history, actor, pid, &people, today, clock).await?;
    super::employers::load(history, (coordinator, actor), pid, &people, today).await?;
    Ok(format!(
        "  {CODE} {}: {} participants, running today\n",
        form.name,
        people.len()
    ))
}

/// Twenty-four people entered over the months, each with a guidance meeting and a goal with a
/// step coming due; the first six left about six months ago, so their follow-ups fall due now.
async fn participants(
    history: &History,
    actor: &Actor,
    pid: ProjectId,
    (gid, group): (TargetGroupId, &super::seeds::Group),
    start: NaiveDate,
    today: NaiveDate,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<ParticipantId>> {
    use polku_usecases::participants as uc;
    let mut people = vec![];
    for i in 0..24i64 {
        let entry = start + Duration::days(i * 11);
        let age = rng.gen_range(group.min_age..=group.max_age);
        let birth = NaiveDate::from_ymd_opt(entry.year() - age - 1, rng.gen_range(1..=12), 15)
            .unwrap_or(entry);
        let male = i % 2 == 0;
        let names = if male { FIRST_M } else { FIRST_F };
        let form = IntakeForm {
            project_id: pid.to_string(),
            target_group_id: gid.to_string(),
            first_name: names[rng.gen_range(0..names.len())].into(),
            last_name: LAST[rng.gen_range(0..LAST.len())].into(),
            hetu: synthetic_hetu(birth, male, rng),
            municipality: "734".into(),
            education: "isced_3".into(),
            labour_status: "unemployed".into(),
            unemployed_since: format_fi(entry - Duration::days(rng.gen_range(400..1500))),
            subsidy_days: rng.gen_range(300..900).to_string(),
            disability: "not_asked".into(),
            foreign_background: "no".into(),
            third_country_national: "no".into(),
            minority: "not_asked".into(),
            homeless: "no".into(),
            entry_date: format_fi(entry),
            counsellor_id: actor.user.to_string(),
            consent_data_processing: polku_domain::text::Checkbox(true),
            consent_sensitive_data: polku_domain::text::Checkbox(true),
            ..Default::default()
        };
        let app = history.on(entry);
        let id = uc::intake(app, actor, &form)
            .await
            .map_err(failed("intake"))?;
        let met = entry + Duration::days(7);
        let contact = ContactForm {
            kind: "meeting".into(),
            date: format_fi(met),
            duration_min: "45".into(),
            summary: crate::generate::NOTES_FI[i as usize % crate::generate::NOTES_FI.len()].into(),
        };
        let app = history.on(met);
        uc::add_contact(app, actor, id, &contact)
            .await
            .map_err(failed("contact"))?;
        let goal = GoalForm {
            kind: "work".into(),
            description: "Työ avoimilta työmarkkinoilta".into(),
            target_date: format_fi(today + Duration::days(120)),
        };
        let g = uc::add_goal(app, actor, id, &goal)
            .await
            .map_err(failed("goal"))?;
        let step = StepForm {
            description: "Päivitä CV ja hae kolmea paikkaa".into(),
            due_date: format_fi(today + Duration::days(i % 12 - 2)),
        };
        uc::add_step(app, actor, id, g, &step)
            .await
            .map_err(failed("step"))?;
        if i < 6 {
            // Six months and a few days ago, two days apart: follow-ups due from last week on.
            let exit = today - Duration::days(190 - i * 3);
            let form = ExitForm {
                exit_date: format_fi(exit),
                exit_status: ["employed_open", "job_searching", "education"][i as usize % 3].into(),
                version: "1".into(),
                ..Default::default()
            };
            uc::exit(history.on(exit), actor, id, &form, "")
                .await
                .map_err(failed("exit"))?;
        }
        people.push(id);
    }
    Ok(people)
}

/// A weekly job-search group on Tuesdays, six weeks behind and six ahead. Attendance is marked
/// but for last week's session, which waits for its marks.
async fn job_search_group(
    history: &History,
    actor: &Actor,
    pid: ProjectId,
    members: &[ParticipantId],
    today: NaiveDate,
) -> anyhow::Result<()> {
    use polku_domain::services::{Attendance, ServiceForm, SessionForm};
    use polku_usecases::services as uc;
    let tuesday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()))
        + Duration::days(1);
    let first = tuesday - Duration::weeks(6);
    let form = ServiceForm {
        project_id: pid.to_string(),
        kind: "group_coaching".into(),
        name: "Työnhakuryhmä".into(),
        town: "Salo".into(),
        place: "Voimala, Vilhonkatu 10".into(),
        capacity: "14".into(),
        starts_on: format_fi(first),
        ends_on: format_fi(first + Duration::weeks(11)),
        offered_by: "staff".into(),
        languages: "fi".into(),
        ..Default::default()
    };
    let app = history.on(first - Duration::days(14));
    let new = uc::NewService {
        form: &form,
        provider_org_id: "",
        target_groups: &[],
    };
    let sid = uc::create(app, actor, new).await.map_err(failed("group"))?;
    let mut sessions = vec![];
    for week in 0..12 {
        let day = first + Duration::weeks(week);
        let f = SessionForm {
            date: format_fi(day),
            start_time: "9.30".into(),
            end_time: "11.30".into(),
            place: "Voimala".into(),
            facilitators: "Ohjaaja VOIMA".into(),
        };
        sessions.push((
            uc::add_session(app, actor, sid, &f)
                .await
                .map_err(failed("session"))?,
            day,
        ));
    }
    for m in members {
        uc::enrol(app, actor, sid, Some(*m), true)
            .await
            .map_err(failed("enrolment"))?;
    }
    for (k, (session, day)) in sessions.iter().enumerate() {
        if *day >= today - Duration::days(7) {
            break;
        }
        let absent = members[k % members.len()].0;
        let marks = [(absent, Attendance::Absent.as_str().to_string())];
        uc::mark_attendance(
            history.on(*day),
            actor,
            sid,
            *session,
            &marks,
            Some(Attendance::Present),
        )
        .await
        .map_err(failed("attendance"))?;
    }
    Ok(())
}

/// The drop-in point this week and next: partners' duty shifts Monday to Thursday, one still
/// free each week, and the visits of the days already behind.
async fn drop_in(
    history: &History,
    actor: &Actor,
    pid: ProjectId,
    people: &[ParticipantId],
    today: NaiveDate,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    use polku_domain::dropin::{ShiftForm, VisitForm};
    use polku_usecases::dropin as uc;
    let mut tx = history.app.db.begin().await?;
    let mut partners = vec![];
    for (name, kind) in [
        ("Varsinais-Suomen TE-toimisto", "te_office"),
        ("Kela, Salon toimisto", "kela"),
        ("Salon seudun ammattiopisto", "college"),
    ] {
        partners.push(org(&mut tx, (name, None, kind), clock).await?);
    }
    tx.commit().await?;
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let app = history.on(monday - Duration::days(14));
    let d = super::groups::open_point(app, actor, pid).await?;
    let topics = [
        "Työnhaku ja TE-palvelut",
        "Etuudet ja Kelan asiointi",
        "Koulutusneuvonta",
        "Sähköiset palvelut",
    ];
    for week in 0..2 {
        for wd in 0..4i64 {
            let day = monday + Duration::weeks(week) + Duration::days(wd);
            let by = partners
                .get(wd as usize)
                .map(|o| o.to_string())
                .unwrap_or_default();
            let f = ShiftForm {
                date: format_fi(day),
                start_time: "9".into(),
                end_time: "12".into(),
                org_id: by,
                topic: topics[wd as usize].into(),
            };
            uc::add_shift(app, actor, d, &f)
                .await
                .map_err(failed("shift"))?;
        }
    }
    let mut day = monday;
    let mut k = 0;
    while day < today {
        let app = history.on(day);
        let anonymous = VisitForm {
            date: format_fi(day),
            anonymous_count: (5 + k % 4).to_string(),
            topic: "Avoin neuvonta".into(),
            ..Default::default()
        };
        uc::add_visit(app, actor, d, &anonymous)
            .await
            .map_err(failed("visit"))?;
        if let Some(p) = people.get(6 + k) {
            super::groups::guided(app, actor, d, &format_fi(day), p.0).await?;
        }
        day += Duration::days(1);
        k += 1;
    }
    Ok(())
}
