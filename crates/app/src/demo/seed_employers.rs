//! The seeds' employer work, so their company figures come out of the records: VOIMA's 54
//! participating companies (a visit each, and a recruitment event), AURA's five companies met
//! at employer brunches, and KoPa's 15 workplaces with 14 trained workplace coaches, three
//! training days and eleven two-month work practices, three of them extended by four months.

use super::History;
use chrono::{Duration, NaiveDate};
use polku_domain::authz::Actor;
use polku_domain::coach::{MeetingForm, TrainingForm, TrainingStatus};
use polku_domain::dates::format_fi;
use polku_domain::employer::{AttendeeKind, Attendees, EmployerForm, InteractionForm};
use polku_domain::ids::{CoachId, EmployerId, ProjectId};
use polku_domain::placement::{ExtensionForm, PlacementEndForm, PlacementForm};
use polku_domain::validated::BusinessId;
use polku_usecases::{coaches, employers as uc, placements as pc};

fn failed(what: &'static str) -> impl Fn(polku_usecases::Error) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo seed employers, {what}: {e:?}")
}

/// Who does the work: the coordinator keeps the register, the counsellor places.
pub(super) struct Staff {
    pub coordinator: Actor,
    pub counsellor: Actor,
}

const FIRMS: &[&str] = &[
    "Konepaja",
    "Hoivakoti",
    "Logistiikka",
    "Kiinteistöhuolto",
    "Leipomo",
    "Siivouspalvelu",
    "Rakennus",
    "Autokorjaamo",
    "Kukkakauppa",
    "Kahvila",
    "Tilitoimisto",
    "IT-tuki",
];
const INDUSTRIES: &[&str] = &["C", "Q", "H", "L", "C", "N", "F", "G", "G", "I", "M", "J"];

/// `n` employers of the seed's region (`place` in the genitive: "Salon"), by the coordinator on `day`.
async fn register(
    history: &History,
    staff: &Staff,
    (place, town): (&str, &str),
    n: usize,
    day: NaiveDate,
) -> anyhow::Result<Vec<EmployerId>> {
    let app = history.on(day);
    let mut ids = vec![];
    let mut number = 2_400_000;
    for i in 0..n {
        let business_id = loop {
            number += 7;
            if let Some(b) = BusinessId::of_number(number) {
                break b.as_str().to_string();
            }
        };
        let f = EmployerForm {
            business_id,
            name: format!("{place} {} {}", FIRMS[i % FIRMS.len()], i / FIRMS.len() + 1),
            industry: INDUSTRIES[i % INDUSTRIES.len()].into(),
            size_class: ["micro", "small", "small", "medium"][i % 4].into(),
            town: town.into(),
            owner_id: staff.coordinator.user.to_string(),
            contact_consent: Some("on".into()),
            ..Default::default()
        };
        ids.push(
            uc::create(app, &staff.coordinator, &f)
                .await
                .map_err(failed("employer"))?,
        );
    }
    Ok(ids)
}

/// One interaction with each employer in `ids`, for the project, on `day`.
async fn met(
    history: &History,
    staff: &Staff,
    pid: ProjectId,
    ids: &[EmployerId],
    (kind, day, summary, others): (&str, NaiveDate, &str, usize),
) -> anyhow::Result<()> {
    let app = history.on(day);
    for (i, id) in ids.iter().enumerate() {
        let f = InteractionForm {
            project_id: pid.to_string(),
            kind: kind.into(),
            date: format_fi(day),
            summary: summary.into(),
            needs: [
                "",
                "Asiakaspalvelijoita",
                "Hoiva-avustajia",
                "Varastotyöntekijöitä",
            ][i % 4]
                .into(),
            others_count: if i == 0 {
                others.to_string()
            } else {
                "0".into()
            },
            ..Default::default()
        };
        let who = Attendees(vec![(AttendeeKind::Staff, staff.coordinator.user.0)]);
        uc::add_interaction(app, &staff.coordinator, *id, (&f, &who))
            .await
            .map_err(failed("interaction"))?;
    }
    Ok(())
}

/// VOIMA: 54 companies visited over the project, a dozen of them at a recruitment event.
pub(super) async fn voima(
    history: &History,
    staff: &Staff,
    pid: ProjectId,
    (start, _end): (NaiveDate, NaiveDate),
) -> anyhow::Result<()> {
    let ids = register(history, staff, ("Salon", "734"), 54, start).await?;
    for (i, id) in ids.iter().enumerate() {
        let day = start + Duration::days(20 + 12 * i as i64);
        met(
            history,
            staff,
            pid,
            &[*id],
            ("visit", day, "Yrityskäynti", 0),
        )
        .await?;
    }
    let event = start + Duration::days(400);
    let summary = "Rekrytointitapahtuma Voimalassa";
    met(
        history,
        staff,
        pid,
        &ids[..12],
        ("recruitment_event", event, summary, 60),
    )
    .await
}

/// AURA: five companies met at two employer brunches on the over-50s in working life.
pub(super) async fn aura(
    history: &History,
    staff: &Staff,
    pid: ProjectId,
    (start, _end): (NaiveDate, NaiveDate),
) -> anyhow::Result<()> {
    let ids = register(history, staff, ("Porvoon", "638"), 5, start).await?;
    let summary = "Työnantajabrunssi: yli 50-vuotiaat työmarkkinoilla";
    let first = start + Duration::days(150);
    met(
        history,
        staff,
        pid,
        &ids[..3],
        ("brunch", first, summary, 9),
    )
    .await?;
    let second = start + Duration::days(320);
    met(
        history,
        staff,
        pid,
        &ids[2..],
        ("brunch", second, summary, 6),
    )
    .await
}

/// KoPa: 15 workplaces, 14 coaches trained on three days, eleven two-month work practices
/// (three extended by four months) each supported by its workplace's coach.
pub(super) async fn kopa(
    history: &History,
    staff: &Staff,
    pid: ProjectId,
    people: &[(polku_domain::ids::ParticipantId, NaiveDate)],
    (start, _end): (NaiveDate, NaiveDate),
) -> anyhow::Result<()> {
    let ids = register(history, staff, ("Helsingin", "091"), 15, start).await?;
    met(
        history,
        staff,
        pid,
        &ids,
        (
            "visit",
            start + Duration::days(10),
            "Työpaikan kartoitus",
            0,
        ),
    )
    .await?;
    let app = history.on(start + Duration::days(20));
    let (mut coach_ids, mut names): (Vec<CoachId>, Vec<String>) = (vec![], vec![]);
    for (i, id) in ids.iter().take(14).enumerate() {
        let first = ["Anna", "Pekka", "Leena", "Jussi", "Marja", "Ari", "Tuula"][i % 7];
        let f = polku_domain::coach::CoachForm {
            name: format!("{first} {}", ["Koski", "Niemi", "Mäkelä", "Laine"][i % 4]),
            role: "Työpaikkavalmentaja".into(),
            ..Default::default()
        };
        let coach = coaches::add(app, &staff.coordinator, *id, &f).await;
        coach_ids.push(coach.map_err(failed("coach"))?);
        names.push(f.name);
    }
    for (day, who) in [(40, 0..10), (75, 4..14), (110, 0..14)] {
        let date = start + Duration::days(day);
        let app = history.on(date);
        let f = TrainingForm {
            project_id: pid.to_string(),
            title: "Työpaikkavalmentajakoulutus".into(),
            date: format_fi(date),
            hours: "6".into(),
            place: "ASPA, Helsinki".into(),
        };
        let t = coaches::add_training(app, &staff.coordinator, &f)
            .await
            .map_err(failed("training"))?;
        let marks: Vec<(CoachId, TrainingStatus)> = coach_ids
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let present = who.contains(&i);
                let status =
                    [TrainingStatus::Absent, TrainingStatus::Present][usize::from(present)];
                (*c, status)
            })
            .collect();
        coaches::mark(app, &staff.coordinator, t, &marks)
            .await
            .map_err(failed("attendance"))?;
    }
    for (i, (who, entry)) in people.iter().take(11).enumerate() {
        let from = *entry + Duration::days(14);
        let until = from + Duration::days(60);
        let app = history.on(from);
        let coach = names[i].clone();
        let f = PlacementForm {
            participant_id: who.to_string(),
            kind: "work_practice".into(),
            agreement_ref: format!("KOPA-{}", i + 1),
            agreement_date: format_fi(from - Duration::days(7)),
            starts_on: format_fi(from),
            ends_on: format_fi(until),
            coach,
        };
        let pl = pc::place(app, &staff.counsellor, ids[i], None, &f)
            .await
            .map_err(failed("placement"))?;
        let check = until - Duration::days(30);
        let m = MeetingForm {
            kind: "follow_up".into(),
            date: format_fi(check),
            notes: "Harjoittelu etenee suunnitellusti".into(),
        };
        coaches::add_meeting(history.on(check), &staff.counsellor, pl, &m)
            .await
            .map_err(failed("meeting"))?;
        let mut last = until;
        if i < 3 {
            last = until + Duration::days(120);
            let x = ExtensionForm {
                starts_on: format_fi(until + Duration::days(1)),
                ends_on: format_fi(last),
                reason: "Harjoittelua jatketaan työpaikalla (2 kk + 4 kk)".into(),
            };
            pc::extend(history.on(until), &staff.counsellor, pl, &x, "")
                .await
                .map_err(failed("extension"))?;
        }
        let result = match i {
            0 | 4 => "hired",
            5 => "other_job",
            _ => "ended",
        };
        let end = PlacementEndForm {
            result: result.into(),
            ended_on: format_fi(last),
            reason: String::new(),
        };
        pc::end(
            history.on(last + Duration::days(1)),
            &staff.counsellor,
            pl,
            &end,
            "",
        )
        .await
        .map_err(failed("end"))?;
    }
    Ok(())
}
