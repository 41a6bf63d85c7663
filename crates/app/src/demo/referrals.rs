//! The partner network in the demo, through the same use cases as the pages: Töitä!'s
//! university and city refer to each other's groups; VOIMA refers to Kela and to the college's
//! group today, some answered and some waiting in the inbox; the TE office's referrals to KoPa
//! are recorded on KoPa's participants.

use super::referral_steps::*;
use super::History;
use chrono::Duration;
use polku_domain::authz::Role;
use polku_domain::clock::Clock;
use polku_domain::ids::{ParticipantId, ProjectId};
use polku_domain::referral::IncomingReferralForm;
use polku_store::projects;
use polku_usecases::referrals as uc;

/// Loads the network's referrals; returns a line for the summary.
pub(super) async fn load(
    history: &History,
    hash: &str,
    clock: &dyn Clock,
) -> anyhow::Result<String> {
    let mut tx = history.app.db.begin().await?;
    let toita = projects::by_code(&mut tx, "S20494").await?;
    let voima = projects::by_code(&mut tx, super::today::CODE).await?;
    let kopa = projects::by_code(&mut tx, "KOPA-2011").await?;
    let already: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM referrals")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    if already > 0 {
        return Ok("  referrals already present, skipped\n".into());
    }
    let (n, (college, kela), te) = (
        toita_cities(history, toita.id, hash, clock).await?,
        voima_today(history, voima.id, hash, clock).await?,
        kopa_referred(history, kopa.id).await?,
    );
    Ok(format!(
        "  referrals: Töitä! {n} between the university and the city, VOIMA {college} to the college and {kela} to Kela, KoPa {te} from the TE office\n"
    ))
}

/// Töitä!: the university's counsellor refers to the city's job club, the city back to the
/// university's career group. Returns how many referrals.
async fn toita_cities(
    history: &History,
    project: ProjectId,
    hash: &str,
    clock: &dyn Clock,
) -> anyhow::Result<usize> {
    let day = |s: &str| polku_domain::dates::parse_date(s).map_err(|c| anyhow::anyhow!(c.code()));
    let university = counsellor(history, "toita").await?;
    let city = staff(
        history,
        (
            "Turun kaupunki",
            "ohjaaja.turku@polku.example",
            "Ohjaaja Turun kaupunki",
            Role::Counsellor,
        ),
        hash,
        clock,
    )
    .await?;
    let march = day("1.3.2017")?;
    let club = group(
        history,
        &city,
        (project, "Työnhakuklubi", "Turku"),
        (march + Duration::days(14), 15),
    )
    .await?;
    let career = group(
        history,
        &university,
        (project, "Urasuunnittelun ryhmä", "Turku"),
        (march + Duration::days(21), 12),
    )
    .await?;
    let people = active(history, project, march, 4).await?;
    let mut to_club = vec![];
    for who in &people[..3.min(people.len())] {
        to_club.push(
            refer(
                history,
                (&university, *who, march),
                (city.org, Some(club)),
                "Työnhaun tuki ja verkostot",
            )
            .await?,
        );
    }
    let answer = march + Duration::days(3);
    let mut city_people = vec![];
    for r in to_club.iter().take(2) {
        city_people.push(accept(history, (&city, answer), *r, project).await?);
        step(
            history,
            (&city, march + Duration::days(14)),
            *r,
            ("started", ""),
        )
        .await?;
    }
    if let Some(r) = to_club.get(2) {
        step(
            history,
            (&city, answer),
            *r,
            (
                "declined",
                "Klubi on täynnä tälle keväälle; ohjaa syksyn ryhmään",
            ),
        )
        .await?;
    }
    if let Some(r) = to_club.first() {
        step(
            history,
            (&city, march + Duration::days(56)),
            *r,
            ("completed", ""),
        )
        .await?;
    }
    if let Some(who) = city_people.first() {
        let back = refer(
            history,
            (&city, *who, march + Duration::days(20)),
            (university.org, Some(career)),
            "Uran suunnittelu yliopiston ryhmässä",
        )
        .await?;
        // The university already has her: the referral is linked to its own record.
        let app = history.on(march + Duration::days(21));
        let version = uc::show(app, &university, back)
            .await
            .map_err(failed("show"))?
            .r
            .version;
        uc::accept_link(app, &university, back, (people.first().copied(), version))
            .await
            .map_err(failed("link"))?;
    }
    Ok(to_club.len() + usize::from(!city_people.is_empty()))
}

/// VOIMA today: two to the college's IT group (one taken in, one waiting in the college's
/// inbox) and two to Kela (one declined, one waiting). Returns how many to each.
async fn voima_today(
    history: &History,
    project: ProjectId,
    hash: &str,
    clock: &dyn Clock,
) -> anyhow::Result<(usize, usize)> {
    let voimala = counsellor(history, "voima").await?;
    let college = staff(
        history,
        (
            "Salon seudun ammattiopisto",
            "opisto@polku.example",
            "Opinto-ohjaaja Salon seudun ammattiopisto",
            Role::PartnerStaff,
        ),
        hash,
        clock,
    )
    .await?;
    let kela = staff(
        history,
        (
            "Kela, Salon toimisto",
            "kela@polku.example",
            "Kela Salon toimisto",
            Role::PartnerStaff,
        ),
        hash,
        clock,
    )
    .await?;
    let today = clock.today();
    let studies = college_project(history, college.org, clock).await?;
    let it = group(
        history,
        &college,
        (studies, "Tietotekniikka arkeen", "Salo"),
        (today + Duration::days(7), 12),
    )
    .await?;
    let people = active(history, project, today - Duration::days(20), 4).await?;
    let sent = today - Duration::days(10);
    let mut to_college = vec![];
    for who in people.iter().take(2) {
        to_college.push(
            refer(
                history,
                (&voimala, *who, sent),
                (college.org, Some(it)),
                "Haluaa oppia sähköistä asiointia",
            )
            .await?,
        );
    }
    if let (Some(r), Some(who)) = (to_college.first(), people.first()) {
        let taken = accept(history, (&college, sent + Duration::days(2)), *r, studies).await?;
        let person = polku_usecases::portal::Person {
            participant: *who,
            org: voimala.org,
        };
        talk(history, (&college, sent + Duration::days(3)), person, taken).await?;
    }
    let mut to_kela = vec![];
    for who in people.iter().skip(2) {
        to_kela.push(
            refer(
                history,
                (&voimala, *who, sent),
                (kela.org, None),
                "Toimeentulon selvittäminen",
            )
            .await?,
        );
    }
    if let Some(r) = to_kela.first() {
        step(
            history,
            (&kela, sent + Duration::days(3)),
            *r,
            ("declined", "Asia kuuluu TE-toimiston palveluihin"),
        )
        .await?;
    }
    Ok((to_college.len(), to_kela.len()))
}

/// KoPa's participants came referred by the TE office. Returns how many.
async fn kopa_referred(history: &History, project: ProjectId) -> anyhow::Result<usize> {
    let kopa_counsellor = counsellor(history, "kopa").await?;
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, entry_date FROM participants WHERE project_id = $1 ORDER BY id")
            .bind(project.0)
            .fetch_all(history.app.db.pool())
            .await?;
    for (id, entry) in &rows {
        let entry =
            polku_store::parse_date(entry).ok_or_else(|| anyhow::anyhow!("KoPa entry date"))?;
        let f = IncomingReferralForm {
            referrer: "te_office".into(),
            referrer_name: "Uudenmaan TE-toimisto".into(),
            referred_on: polku_domain::dates::format_fi(entry - Duration::days(14)),
            reason: "Osatyökykyinen, sosiaali- ja terveysalan tausta".into(),
        };
        polku_usecases::participants::record_referred_by(
            history.on(entry),
            &kopa_counsellor,
            ParticipantId(*id),
            &f,
        )
        .await
        .map_err(failed("referred by"))?;
    }
    Ok(rows.len())
}
