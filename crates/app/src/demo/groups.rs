//! The seeds' programmes in the demo: services with sessions, enrolment and attendance, and
//! VOIMA's drop-in point with partner duty shifts and visits.

use super::seeds::Seed;
use super::{org, History};
use chrono::{Datelike, Duration};
use polku_domain::authz::Actor;
use polku_domain::clock::Clock;
use polku_domain::ids::{OrgId, ParticipantId, ProjectId};
use polku_store::participants;
use rand::rngs::StdRng;
use rand::Rng;

/// One demo programme: a service with weekday sessions, members enrolled and attendance marked.
pub(super) struct Programme<'a> {
    pub(super) kind: &'a str,
    pub(super) name: &'a str,
    pub(super) town: &'a str,
    pub(super) capacity: i64,
    pub(super) first_day: &'a str,
    pub(super) sessions: usize,
    pub(super) provider: Option<OrgId>,
    pub(super) offered_by: &'a str,
    pub(super) proposer: Option<i64>,
}

/// Creates the service, its weekday sessions, enrols the members (over capacity they queue)
/// and marks attendance, each through its use case on the programme's first day.
pub(super) async fn programme(
    history: &History,
    pid: ProjectId,
    p: &Programme<'_>,
    members: &[i64],
    actor: &Actor,
    rng: &mut StdRng,
) -> anyhow::Result<i64> {
    use polku_domain::services::{Attendance, ServiceForm, SessionForm};
    use polku_usecases::services as uc;
    let failed = |what: &'static str| {
        let name = p.name;
        move |e: polku_usecases::Error| anyhow::anyhow!("demo programme {name}, {what}: {e:?}")
    };
    let form = ServiceForm {
        project_id: pid.to_string(),
        kind: p.kind.into(),
        name: p.name.into(),
        town: p.town.into(),
        place: p.town.into(),
        capacity: p.capacity.to_string(),
        starts_on: p.first_day.into(),
        offered_by: p.offered_by.into(),
        proposed_by_participant_id: p.proposer.map(|x| x.to_string()).unwrap_or_default(),
        languages: "fi".into(),
        ..Default::default()
    };
    let first =
        polku_domain::dates::parse_date(p.first_day).map_err(|c| anyhow::anyhow!(c.code()))?;
    let app = history.on(first - Duration::days(14));
    let new = uc::NewService {
        form: &form,
        provider_org_id: &p.provider.map(|o| o.to_string()).unwrap_or_default(),
        target_groups: &[],
    };
    let sid = uc::create(app, actor, new)
        .await
        .map_err(failed("create"))?;
    if p.offered_by == "participant" {
        uc::decide_approval(app, actor, sid, "approved")
            .await
            .map_err(failed("approval"))?;
    }
    let mut day = first;
    let mut sessions = vec![];
    while sessions.len() < p.sessions {
        if day.weekday().num_days_from_monday() < 5 {
            let f = SessionForm {
                date: polku_domain::dates::format_fi(day),
                start_time: "9.00".into(),
                end_time: "14.30".into(),
                place: p.town.into(),
                facilitators: String::new(),
            };
            let session = uc::add_session(app, actor, sid, &f)
                .await
                .map_err(failed("session"))?;
            sessions.push((session, day));
        }
        day += Duration::days(1);
    }
    // Drawn member by member, session by session, as the figures always were; saved per session.
    let mut marks: Vec<Vec<(i64, String)>> = vec![vec![]; sessions.len()];
    for m in members {
        // Over capacity the rest queue on the waiting list, as they would.
        let status = uc::enrol(app, actor, sid, Some(ParticipantId(*m)), true)
            .await
            .map_err(failed("enrolment"))?;
        if status == polku_domain::services::EnrolmentStatus::Enrolled {
            for list in marks.iter_mut() {
                let a = match rng.gen_range(0..10) {
                    0 => Attendance::Absent,
                    1 => Attendance::Excused,
                    _ => Attendance::Present,
                };
                list.push((*m, a.as_str().to_string()));
            }
        }
    }
    for ((session, day), list) in sessions.iter().zip(&marks) {
        uc::mark_attendance(history.on(*day), actor, sid, *session, list, None)
            .await
            .map_err(failed("attendance"))?;
    }
    Ok(sid)
}

/// Who takes part in a demo group: the `i`-th `n` participants of the project, or all.
#[derive(Clone, Copy)]
pub(super) enum Members {
    Slice(usize, usize),
    All,
}

/// A staff-run demo group.
pub(super) struct DemoGroup {
    /// The project's code.
    pub(super) project: &'static str,
    pub(super) kind: &'static str,
    pub(super) name: &'static str,
    pub(super) town: &'static str,
    pub(super) capacity: i64,
    pub(super) first_day: &'static str,
    pub(super) sessions: usize,
    pub(super) members: Members,
}

pub(super) const fn g(
    project: &'static str,
    kind: &'static str,
    name: &'static str,
    town: &'static str,
    (capacity, first_day, sessions): (i64, &'static str, usize),
    members: Members,
) -> DemoGroup {
    DemoGroup {
        project,
        kind,
        name,
        town,
        capacity,
        first_day,
        sessions,
        members,
    }
}

/// The seeds' staff-run groups, in the order they are created (the random draws follow it).
pub(super) const GROUPS: &[DemoGroup] = &[
    g(
        "S20363",
        "group_coaching",
        "Startti-valmennus, syksy 2015",
        "Vantaa",
        (20, "5.10.2015", 5),
        Members::Slice(0, 22),
    ),
    g(
        "S20363",
        "theme_day",
        "Teemapäivä: yrittäjyys vaihtoehtona",
        "Espoo",
        (40, "2.11.2015", 1),
        Members::Slice(1, 30),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Lohja, 20 päivää",
        "Lohja",
        (20, "7.9.2015", 20),
        Members::Slice(0, 22),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Vihti, 20 päivää",
        "Vihti",
        (20, "7.9.2015", 20),
        Members::Slice(1, 22),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Karkkila, 20 päivää",
        "Karkkila",
        (20, "7.9.2015", 20),
        Members::Slice(2, 22),
    ),
    g(
        "S20364",
        "group_coaching",
        "TEHDAS-ryhmä Hanko, 20 päivää",
        "Hanko",
        (20, "7.9.2015", 20),
        Members::Slice(3, 22),
    ),
    g(
        "S20494",
        "group_coaching",
        "Uravalmennusryhmä 1, Tampere",
        "Tampere",
        (24, "11.1.2016", 10),
        Members::Slice(0, 24),
    ),
    g(
        "S20494",
        "group_coaching",
        "Uravalmennusryhmä 2, Tampere",
        "Tampere",
        (24, "5.9.2016", 10),
        Members::Slice(1, 24),
    ),
    g(
        "S20494",
        "webinar",
        "Webinaari: osaaminen näkyväksi",
        "Turku",
        (100, "14.3.2016", 1),
        Members::Slice(2, 40),
    ),
    g(
        "KOPA-2011",
        "group_coaching",
        "Työhönvalmennuskoulutus",
        "Helsinki",
        (12, "7.2.2011", 3),
        Members::All,
    ),
    g(
        "KOPA-2011",
        "follow_up_meeting",
        "Työnohjauksellinen tapaaminen",
        "Helsinki",
        (12, "2.5.2011", 2),
        Members::All,
    ),
    g(
        "S21358",
        "recruitment_event",
        "Rekrytointitapahtuma, kevät 2019",
        "Salo",
        (200, "10.4.2019", 1),
        Members::Slice(0, 40),
    ),
    g(
        "S21358",
        "recruitment_event",
        "Rekrytointitapahtuma, syksy 2019",
        "Salo",
        (200, "9.10.2019", 1),
        Members::Slice(0, 40),
    ),
    g(
        "S21358",
        "e_services_help",
        "Verkkovalmennus: sähköinen työnhaku",
        "Salo",
        (30, "6.4.2020", 6),
        Members::Slice(0, 30),
    ),
];

pub(super) fn group<'a>(
    kind: &'a str,
    name: &'a str,
    town: &'a str,
    capacity: i64,
    first_day: &'a str,
    sessions: usize,
) -> Programme<'a> {
    Programme {
        kind,
        name,
        town,
        capacity,
        first_day,
        sessions,
        provider: None,
        offered_by: "staff",
        proposer: None,
    }
}

/// The seeds' service models in the demo: AURA's Startti and theme day, TEHDAS's groups in four
/// towns with a partner-run exercise group and a participant-run language café, Töitä!'s two
/// Tampere coaching groups of 24, VOIMA's drop-in point with a week of partner duty shifts and
/// its recruitment events, KoPa's job-coaching days and supervision meetings.
#[allow(clippy::too_many_arguments)]
pub(super) async fn programmes(
    history: &History,
    seed: &Seed,
    pid: ProjectId,
    owner: OrgId,
    actor: &Actor,
    rng: &mut StdRng,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let db = &history.app.db;
    let all: Vec<i64> = participants::search(
        &mut *db.acquire().await?,
        &history.app.cipher,
        owner,
        "",
        Some(pid),
        500,
    )
    .await?
    .into_iter()
    .map(|p| p.id.0)
    .collect();
    let chunk = |i: usize, n: usize| all.iter().skip(i * n).take(n).copied().collect::<Vec<_>>();
    // VOIMA's drop-in point comes before its events, as the random draws always followed.
    if seed.code == "S21358" {
        voimala(history, pid, owner, actor, &all, rng, clock).await?;
    }
    for g in GROUPS.iter().filter(|g| g.project == seed.code) {
        let members = match g.members {
            Members::Slice(i, n) => chunk(i, n),
            Members::All => all.clone(),
        };
        let p = group(g.kind, g.name, g.town, g.capacity, g.first_day, g.sessions);
        programme(history, pid, &p, &members, actor, rng).await?;
    }
    if seed.code == "S20364" {
        let mut tx = db.begin().await?;
        let partner = org(
            &mut tx,
            ("Länsi-Uudenmaan liikuntaseura", None, "ngo"),
            clock,
        )
        .await?;
        tx.commit().await?;
        let exercise = Programme {
            provider: Some(partner),
            offered_by: "partner",
            ..group(
                "training_module",
                "Ohjattu liikuntaryhmä",
                "Lohja",
                15,
                "5.10.2015",
                6,
            )
        };
        programme(history, pid, &exercise, &chunk(5, 12), actor, rng).await?;
        let cafe = Programme {
            offered_by: "participant",
            proposer: all.first().copied(),
            ..group(
                "workshop",
                "Kielikahvila (asiakkaan vetämä)",
                "Lohja",
                12,
                "1.10.2015",
                8,
            )
        };
        programme(history, pid, &cafe, &chunk(6, 8), actor, rng).await?;
    }
    Ok(())
}

/// VOIMA's "Voimala": opening hours, a drop-in week of duty shifts by the partner network
/// (TE office, Kela, college, a company) with one slot still open, visits (anonymous apart from
/// registered). Its recruitment events are in [`GROUPS`].
pub(super) async fn voimala(
    history: &History,
    pid: ProjectId,
    owner: OrgId,
    actor: &Actor,
    members: &[i64],
    rng: &mut StdRng,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    use polku_domain::dropin::{ShiftForm, VisitForm};
    use polku_usecases::dropin as uc;
    let failed = |what: &'static str| {
        move |e: polku_usecases::Error| anyhow::anyhow!("demo drop-in point, {what}: {e:?}")
    };
    let partner = |name: &'static str, kind: &'static str| (name, None::<&'static str>, kind);
    let mut tx = history.app.db.begin().await?;
    let te = org(
        &mut tx,
        partner("Varsinais-Suomen TE-toimisto", "te_office"),
        clock,
    )
    .await?;
    let kela = org(&mut tx, partner("Kela, Salon toimisto", "kela"), clock).await?;
    let college = org(
        &mut tx,
        partner("Salon seudun ammattiopisto", "college"),
        clock,
    )
    .await?;
    let company = org(&mut tx, partner("Yrityssalo Oy", "company"), clock).await?;
    tx.commit().await?;
    let day = |d: &str| polku_domain::dates::parse_date(d).map_err(|c| anyhow::anyhow!(c.code()));
    // The point opened, and the partners' week was planned, a fortnight before the week.
    let app = history.on(day("18.2.2019")?);
    let d = open_point(app, actor, pid).await?;
    // The week of 4.–7.3.2019.
    let week = [
        ("4.3.2019", "9", "12", Some(te), "Työnhaku ja TE-palvelut"),
        (
            "4.3.2019",
            "12",
            "15",
            Some(kela),
            "Etuudet ja Kelan asiointi",
        ),
        ("5.3.2019", "9", "12", Some(college), "Koulutusneuvonta"),
        (
            "5.3.2019",
            "12",
            "15",
            Some(company),
            "Rekrytoinnit ja piilotyöpaikat",
        ),
        ("6.3.2019", "9", "12", Some(te), "Palkkatuki ja työkokeilu"),
        ("6.3.2019", "12", "15", None, "Sähköiset palvelut"),
        ("7.3.2019", "9", "15", Some(owner), "Osaamiskartoitus"),
    ];
    for (date, start, end, by, topic) in week {
        let f = ShiftForm {
            date: date.into(),
            start_time: start.into(),
            end_time: end.into(),
            org_id: by.map(|o| o.to_string()).unwrap_or_default(),
            topic: topic.into(),
        };
        uc::add_shift(app, actor, d, &f)
            .await
            .map_err(failed("shift"))?;
    }
    for (i, date) in ["4.3.2019", "5.3.2019", "6.3.2019", "7.3.2019"]
        .iter()
        .enumerate()
    {
        let app = history.on(day(date)?);
        let anonymous = VisitForm {
            date: (*date).into(),
            anonymous_count: rng.gen_range(4..12).to_string(),
            topic: "Avoin neuvonta".into(),
            ..Default::default()
        };
        uc::add_visit(app, actor, d, &anonymous)
            .await
            .map_err(failed("visit"))?;
        for m in members.iter().skip(i * 3).take(3) {
            guided(app, actor, d, date, *m).await?;
        }
    }
    Ok(())
}

/// VOIMA's drop-in point "Voimala" in Salo for the project, open Monday to Thursday 9–15.
pub(super) async fn open_point(
    app: &polku_usecases::Polku,
    actor: &Actor,
    pid: ProjectId,
) -> anyhow::Result<i64> {
    use polku_domain::dropin::{HoursForm, PointForm};
    use polku_usecases::dropin as uc;
    let failed = |e: polku_usecases::Error| anyhow::anyhow!("demo drop-in point: {e:?}");
    let point = PointForm {
        name: "Voimala".into(),
        address: "Vilhonkatu 10".into(),
        town: "Salo".into(),
        project_id: pid.to_string(),
    };
    let d = uc::create_point(app, actor, &point).await.map_err(failed)?;
    for wd in 0..4 {
        let h = HoursForm {
            weekday: wd.to_string(),
            opens: "9".into(),
            closes: "15".into(),
        };
        uc::set_hours(app, actor, d, &h, false)
            .await
            .map_err(failed)?;
    }
    Ok(d)
}

/// A participant's visit to the drop-in point for guidance on `date` (d.m.yyyy).
pub(super) async fn guided(
    app: &polku_usecases::Polku,
    actor: &Actor,
    point: i64,
    date: &str,
    participant: i64,
) -> anyhow::Result<()> {
    let v = polku_domain::dropin::VisitForm {
        date: date.into(),
        participant_id: participant.to_string(),
        topic: "Ohjaus".into(),
        ..Default::default()
    };
    polku_usecases::dropin::add_visit(app, actor, point, &v)
        .await
        .map_err(|e| anyhow::anyhow!("demo drop-in visit: {e:?}"))?;
    Ok(())
}
