//! VOIMA's employer work as of today: five employers of the Salo region with their contact
//! persons, visits, an employer brunch and a recruitment event for the running project, openings
//! (a hidden job, a work trial place with people proposed), a work practice under way and a
//! work trial that was extended and ended in a hire — so the register, the coordinator's front
//! page and the project's participating companies show real work.

use super::History;
use chrono::{Duration, NaiveDate};
use polku_domain::authz::Actor;
use polku_domain::dates::format_fi;
use polku_domain::employer::{
    AttendeeKind, Attendees, ContactPersonForm, EmployerForm, InteractionForm,
};
use polku_domain::ids::{EmployerId, ParticipantId, ProjectId};
use polku_domain::placement::{ExtensionForm, OpeningForm, PlacementEndForm, PlacementForm};
use polku_domain::validated::BusinessId;
use polku_usecases::{employers as uc, placements as pc};

fn failed(what: &'static str) -> impl Fn(polku_usecases::Error) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo employers, {what}: {e:?}")
}

/// (seven digits, name, industry, size, contact person, their role)
const EMPLOYERS: &[(u32, &str, &str, &str, &str, &str)] = &[
    (
        2_345_671,
        "Salon Konepaja Oy",
        "C",
        "medium",
        "Jari Lehto",
        "tuotantopäällikkö",
    ),
    (
        1_987_650,
        "Hoivakoti Kuusela",
        "Q",
        "small",
        "Anne Kuusela",
        "johtaja",
    ),
    (
        3_012_341,
        "Varsinais-Suomen Logistiikka Oy",
        "H",
        "medium",
        "Mika Saari",
        "varastopäällikkö",
    ),
    (
        2_760_012,
        "Kauppakeskus Plaza Salo",
        "G",
        "small",
        "Riikka Aho",
        "kauppakeskusjohtaja",
    ),
    (
        2_210_457,
        "Salon Siivouspalvelu Oy",
        "N",
        "micro",
        "Tiina Ranta",
        "yrittäjä",
    ),
];

/// Adds the employers and their history, by the coordinator; placements by the counsellor.
pub(super) async fn load(
    history: &History,
    (coordinator, counsellor): (&Actor, &Actor),
    pid: ProjectId,
    people: &[ParticipantId],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let start = today - Duration::days(120);
    let app = history.on(start);
    let mut ids = vec![];
    for (digits, name, industry, size, person, role) in EMPLOYERS {
        let business_id = (*digits..)
            .find_map(BusinessId::of_number)
            .map(|b| b.as_str().to_string())
            .unwrap_or_default();
        let f = EmployerForm {
            business_id,
            name: (*name).into(),
            industry: (*industry).into(),
            size_class: (*size).into(),
            town: "734".into(),
            owner_id: coordinator.user.to_string(),
            contact_consent: Some("on".into()),
            ..Default::default()
        };
        let id = uc::create(app, coordinator, &f)
            .await
            .map_err(failed("employer"))?;
        let c = ContactPersonForm {
            name: (*person).into(),
            role: (*role).into(),
            phone: "040 123 4567".into(),
            ..Default::default()
        };
        uc::add_contact_person(app, coordinator, id, &c)
            .await
            .map_err(failed("contact"))?;
        ids.push(id);
    }
    interactions(history, coordinator, pid, &ids, today).await?;
    openings_and_placements(history, (coordinator, counsellor), &ids, people, today).await
}

async fn interactions(
    history: &History,
    coordinator: &Actor,
    pid: ProjectId,
    ids: &[EmployerId],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let visits = [
        (
            0,
            "visit",
            100,
            "Tutustumiskäynti tuotannossa",
            "Koneistajia ja hitsaajia, myös kokeneita",
            0,
            Some((3, "Soita: koneistajan piilotyöpaikka")),
        ),
        (
            1,
            "call",
            95,
            "Työkokeilupaikoista hoiva-avustajille",
            "Hoiva-avustajia, oppisopimus mahdollinen",
            0,
            None,
        ),
        (
            2,
            "visit",
            80,
            "Varaston työharjoittelupaikat",
            "Trukkikortilliset varastotyöntekijät",
            0,
            Some((-2, "Lähetä harjoittelijaehdokkaat")),
        ),
        (
            3,
            "recruitment_event",
            40,
            "Rekrytointipäivä kauppakeskuksessa",
            "Myyjiä kesäksi ja osa-aikaisiksi",
            46,
            None,
        ),
        (
            4,
            "brunch",
            20,
            "Työnantajabrunssi Voimalassa",
            "Siivoojia, ajokortti tarpeen",
            8,
            Some((10, "Tarjoa siivousalan työkokeilua")),
        ),
    ];
    for (i, kind, days_ago, summary, needs, others, follow_up) in visits {
        let date = today - Duration::days(days_ago);
        let (follow_up_date, follow_up_task) = match follow_up {
            Some((due, task)) => (format_fi(today + Duration::days(due)), task.to_string()),
            None => (String::new(), String::new()),
        };
        let f = InteractionForm {
            project_id: pid.to_string(),
            kind: kind.into(),
            date: format_fi(date),
            summary: summary.into(),
            needs: needs.into(),
            others_count: others.to_string(),
            follow_up_date,
            follow_up_task,
        };
        let who = Attendees(vec![(AttendeeKind::Staff, coordinator.user.0)]);
        uc::add_interaction(history.on(date), coordinator, ids[i], (&f, &who))
            .await
            .map_err(failed("interaction"))?;
    }
    Ok(())
}

async fn openings_and_placements(
    history: &History,
    (coordinator, counsellor): (&Actor, &Actor),
    ids: &[EmployerId],
    people: &[ParticipantId],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let day = |d: i64| today - Duration::days(d);
    let app = history.on(day(90));
    let hidden = OpeningForm {
        kind: "hidden_job".into(),
        title: "Koneistaja".into(),
        requirements: "Koneistajan perustutkinto tai vastaava kokemus".into(),
        ..Default::default()
    };
    pc::add_opening(app, coordinator, ids[0], &hidden)
        .await
        .map_err(failed("opening"))?;
    let trial = OpeningForm {
        kind: "work_trial".into(),
        title: "Hoiva-avustaja".into(),
        places: "2".into(),
        deadline: format_fi(today + Duration::days(21)),
        ..Default::default()
    };
    let o = pc::add_opening(app, coordinator, ids[1], &trial)
        .await
        .map_err(failed("opening"))?;
    for who in [people[7], people[8]] {
        pc::propose(app, counsellor, o, Some(who))
            .await
            .map_err(failed("proposal"))?;
    }
    pc::answer(app, coordinator, o, people[7], "accepted")
        .await
        .map_err(failed("answer"))?;
    // Work trial from the opening: three months ago, extended once, ended last week in a hire.
    let placed = |p: ParticipantId, kind: &str, from: i64, to: i64| PlacementForm {
        participant_id: p.to_string(),
        kind: kind.into(),
        agreement_ref: format!("TK-{}", p.0),
        agreement_date: format_fi(day(from + 7)),
        starts_on: format_fi(day(from)),
        ends_on: format_fi(day(to)),
        coach: "Anne Kuusela".into(),
    };
    let f = placed(people[7], "work_trial", 84, 24);
    let pl = pc::place(app, counsellor, ids[1], Some(o), &f)
        .await
        .map_err(failed("placement"))?;
    let x = ExtensionForm {
        starts_on: format_fi(day(23)),
        ends_on: format_fi(day(7)),
        reason: "Työkokeilu jatkuu: työtehtävät laajenevat".into(),
    };
    pc::extend(history.on(day(25)), counsellor, pl, &x, "")
        .await
        .map_err(failed("extension"))?;
    let end = PlacementEndForm {
        result: "hired".into(),
        ended_on: format_fi(day(7)),
        reason: String::new(),
    };
    pc::end(history.on(day(6)), counsellor, pl, &end, "")
        .await
        .map_err(failed("end"))?;
    // Work practice at the warehouse, six weeks in, two months in all.
    let f = PlacementForm {
        coach: "Mika Saari".into(),
        ..placed(people[9], "work_practice", 42, -19)
    };
    pc::place(history.on(day(42)), counsellor, ids[2], None, &f)
        .await
        .map_err(failed("placement"))?;
    Ok(())
}
