//! `polku demo`: the five seed projects of shared/domain/seeds with their organisations, staff,
//! target groups and synthetic participants. Idempotent: a project already present is skipped.

use chrono::{Datelike, Duration, NaiveDate};
use polku_domain::authz::{Actor, Role};
use polku_domain::clock::{Clock, FixedClock};
use polku_domain::ids::{OrgId, ParticipantId, ProjectId, TargetGroupId, UserId};
use polku_domain::participant::{ExitForm, ExitStatus, IntakeForm};
use polku_domain::project::ProjectForm;
use polku_domain::services::ContactForm;
use polku_domain::validated::Email;
use polku_store::crypto::FieldCipher;
use polku_store::{orgs, projects, users, Db, Tx};
use polku_usecases::participants as uc;
use polku_usecases::Polku;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;

/// Password of every demo account; printed by `polku demo`.
pub const DEMO_PASSWORD: &str = "polku-demo-2026";
mod employers;
mod groups;
mod referral_steps;
mod referrals;
mod seed_employers;
mod seeds;
mod surveys;
mod today;

use groups::programmes;
use seeds::{seeds, Group, Seed, FIRST_F, FIRST_M, FUNDING_LINE, LAST, OBJECTIVE};

const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// A valid synthetic henkilötunnus. Individual numbers 900–999 are the range reserved for
/// temporary and test codes, so a demo code never collides with a real person's.
pub fn synthetic_hetu(birth: NaiveDate, male: bool, rng: &mut StdRng) -> String {
    let mut n: u32 = rng.gen_range(900..=998);
    if (n % 2 == 1) != male {
        n += 1;
    }
    let n = n.min(999);
    let (d, m, y) = (birth.day(), birth.month(), birth.year());
    let sign = if y >= 2000 { 'A' } else { '-' };
    let num =
        u64::from(d) * 10_000_000 + u64::from(m) * 100_000 + (y % 100) as u64 * 1000 + u64::from(n);
    format!(
        "{d:02}{m:02}{:02}{sign}{n:03}{}",
        y % 100,
        CHECK[(num % 31) as usize] as char
    )
}

async fn org(
    tx: &mut Tx,
    (name, bid, kind): (&str, Option<&str>, &str),
    clock: &dyn Clock,
) -> anyhow::Result<OrgId> {
    Ok(match orgs::find_by_name(tx, name).await? {
        Some(o) => o.id,
        None => orgs::create(tx, name, bid, kind, clock.now()).await?,
    })
}

async fn user(
    tx: &mut Tx,
    org: OrgId,
    email: &str,
    name: &str,
    role: Role,
    hash: &str,
    clock: &dyn Clock,
) -> anyhow::Result<UserId> {
    if let Some(u) = users::by_email(tx, email).await? {
        return Ok(u.id);
    }
    let email = Email::parse(email).map_err(|c| anyhow::anyhow!("demo e-mail: {}", c.code()))?;
    Ok(users::create(
        tx,
        users::NewUser {
            org,
            email: &email,
            name,
            password_hash: hash,
            role,
            locale: "fi",
        },
        clock.now(),
    )
    .await?)
}

/// Loads the seed projects; returns a summary with the demo logins.
pub async fn load(db: &Db, cipher: &Arc<FieldCipher>, clock: &dyn Clock) -> anyhow::Result<String> {
    let hash =
        polku_web::auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut out = String::from("Demo data:\n");
    let mut tx = db.begin().await?;
    let admin_org = org(&mut tx, ("Polku-ylläpito", None, "project_owner"), clock).await?;
    user(
        &mut tx,
        admin_org,
        "admin@polku.example",
        "Ylläpitäjä",
        Role::Operator,
        &hash,
        clock,
    )
    .await?;
    let funder = org(&mut tx, ("Hämeen ELY-keskus", None, "funder"), clock).await?;
    user(
        &mut tx,
        funder,
        "auditor@polku.example",
        "Tarkastaja ELY",
        Role::Auditor,
        &hash,
        clock,
    )
    .await?;
    // EECO17 needs the degree of urbanisation, which is imported, not shipped: the demo loads
    // values of its own, marked as such, so the rural indicator has something to count.
    polku_store::reference::replace(
        &mut tx,
        polku_store::reference::Kind::Degurba,
        &[("224".into(), "3".into()), ("710".into(), "3".into())],
        "demo values, not Eurostat's",
        clock.now(),
    )
    .await?;
    tx.commit().await?;
    let mut rng = StdRng::seed_from_u64(20_151_101);
    let history = History::new(db, cipher, clock);
    for seed in seeds() {
        let mut tx = db.begin().await?;
        if projects::by_code(&mut tx, seed.code).await.is_ok() {
            out.push_str(&format!("  {} already present, skipped\n", seed.code));
            continue;
        }
        let owner = org(&mut tx, seed.owner, clock).await?;
        // The project's staff; participants are the counsellor's.
        let short_name = seed.name.split(' ').next().unwrap_or("");
        let staff_user = |login: &str, title: &str| {
            (
                format!("{login}.{}@polku.example", seed.staff_slug),
                format!("{title} {short_name}"),
            )
        };
        let (email, name) = staff_user("ohjaaja", "Ohjaaja");
        let counsellor = user(
            &mut tx,
            owner,
            &email,
            &name,
            Role::Counsellor,
            &hash,
            clock,
        )
        .await?;
        let mut coordinator = counsellor;
        for (login, title, role) in [
            ("pp", "Projektipäällikkö", Role::ProjectManager),
            ("yritys", "Yrityskoordinaattori", Role::EmployerCoordinator),
            ("paakayttaja", "Pääkäyttäjä", Role::Admin),
        ] {
            let (email, name) = staff_user(login, title);
            let id = user(&mut tx, owner, &email, &name, role, &hash, clock).await?;
            if role == Role::EmployerCoordinator {
                coordinator = id;
            }
        }
        let form = ProjectForm {
            code: seed.code.into(),
            name: seed.name.into(),
            funding_line: FUNDING_LINE.into(),
            objective: OBJECTIVE.into(),
            start_date: seed.start.into(),
            end_date: seed.end.into(),
            authority: seed.authority.into(),
            municipalities: seed.municipalities.into(),
            target_participants: seed.target_participants.into(),
            target_companies: seed.target_companies.into(),
            budget_public: seed.budget.into(),
            budget_granted: seed.granted.into(),
            budget_realised: seed.realised.into(),
            ..Default::default()
        };
        let draft = form
            .parse()
            .map_err(|e| anyhow::anyhow!("seed {}: {e}", seed.code))?;
        let pid = projects::create(&mut tx, &draft, owner, clock.now()).await?;
        for p in seed.partners {
            let o = org(&mut tx, *p, clock).await?;
            projects::add_partner(&mut tx, pid, o, "co_implementer").await?;
            if p.2 == "te_office" || p.2 == "company" {
                user(
                    &mut tx,
                    o,
                    &format!("kumppani.{}.{}@polku.example", seed.staff_slug, o.0),
                    &format!("Kumppani {}", p.0),
                    Role::PartnerStaff,
                    &hash,
                    clock,
                )
                .await?;
            }
        }
        let mut groups: Vec<(TargetGroupId, &Group)> = vec![];
        for g in &seed.groups {
            groups.push((
                projects::add_target_group(&mut tx, pid, g.name, &g.rules).await?,
                g,
            ));
        }
        let actor = Actor {
            user: counsellor,
            org: owner,
            role: Role::Counsellor,
        };
        tx.commit().await?;
        let n = participants_for(&history, &seed, pid, &groups, &actor, &mut rng).await?;
        programmes(&history, &seed, pid, owner, &actor, &mut rng, clock).await?;
        let staff = seed_employers::Staff {
            coordinator: Actor {
                user: coordinator,
                org: owner,
                role: Role::EmployerCoordinator,
            },
            counsellor: actor,
        };
        employer_work(db, &history, &seed, pid, &staff).await?;
        out.push_str(&format!(
            "  {} {}: {} participants\n",
            seed.code, seed.name, n
        ));
    }
    // VOIMA's work as of today, by its counsellor.
    let mut tx = db.begin().await?;
    let voima = projects::by_code(&mut tx, "S21358").await?;
    let mut staff = vec![];
    for (login, role) in [
        ("ohjaaja", Role::Counsellor),
        ("yritys", Role::EmployerCoordinator),
    ] {
        let u = users::by_email(&mut tx, &format!("{login}.voima@polku.example"))
            .await?
            .ok_or_else(|| anyhow::anyhow!("VOIMA's {login}"))?;
        staff.push(Actor {
            user: u.id,
            org: voima.owner_org_id,
            role,
        });
    }
    tx.commit().await?;
    let [counsellor, coordinator] = staff[..] else {
        anyhow::bail!("VOIMA's staff");
    };
    out.push_str(&today::load(&history, (&counsellor, &coordinator), &mut rng, clock).await?);
    out.push_str(&referrals::load(&history, &hash, clock).await?);
    out.push_str(&surveys::load(&history, &counsellor, &mut rng).await?);
    out.push_str(&format!(
        "Logins (password {DEMO_PASSWORD}): admin@polku.example (platform operator), paakayttaja.<aura|tehdas|toita|voima|kopa>@polku.example (organisation admin), ohjaaja.<…>@polku.example (counsellor), pp.<…>@polku.example (project manager), yritys.<…>@polku.example (employer coordinator), opisto@polku.example and kela@polku.example (partner staff receiving VOIMA's referrals), ohjaaja.turku@polku.example (Töitä!'s city), auditor@polku.example\n"
    ));
    Ok(out)
}

/// The seed's employer work, for the seeds that report companies.
async fn employer_work(
    db: &Db,
    history: &History,
    seed: &Seed,
    pid: ProjectId,
    staff: &seed_employers::Staff,
) -> anyhow::Result<()> {
    let day = |s: &str| polku_domain::dates::parse_date(s).map_err(|c| anyhow::anyhow!(c.code()));
    let period = (day(seed.start)?, day(seed.end)?);
    match seed.code {
        "S21358" => seed_employers::voima(history, staff, pid, period).await,
        "S20363" => seed_employers::aura(history, staff, pid, period).await,
        "KOPA-2011" => {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, entry_date FROM participants WHERE project_id = $1 ORDER BY entry_date, id",
            )
            .bind(pid.0)
            .fetch_all(db.pool())
            .await?;
            let people: Vec<(ParticipantId, NaiveDate)> = rows
                .into_iter()
                .filter_map(|(id, d)| Some((ParticipantId(id), polku_store::parse_date(&d)?)))
                .collect();
            seed_employers::kopa(history, staff, pid, &people, period).await
        }
        _ => Ok(()),
    }
}

/// The application layer on a clock the loader sets to each event's day, so the seeds' history
/// is written through the same use cases (rules, audit trail, webhooks) as today's work.
pub(crate) struct History {
    app: Polku,
    clock: FixedClock,
}

impl History {
    fn new(db: &Db, cipher: &Arc<FieldCipher>, clock: &dyn Clock) -> History {
        let fixed = FixedClock::new(clock.now());
        History {
            app: Polku {
                db: db.clone(),
                cipher: cipher.clone(),
                clock: Arc::new(fixed.clone()),
            },
            clock: fixed,
        }
    }
    /// The application as it was on `day`, during office hours.
    fn on(&self, day: NaiveDate) -> &Polku {
        let nine = day.and_hms_opt(7, 0, 0).unwrap_or_default().and_utc();
        self.clock.set(nine);
        &self.app
    }
}

fn failed(what: &str, i: usize) -> impl Fn(polku_usecases::Error) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("synthetic participant {i}, {what}: {e:?}")
}

async fn participants_for(
    history: &History,
    seed: &Seed,
    pid: ProjectId,
    groups: &[(TargetGroupId, &Group)],
    actor: &Actor,
    rng: &mut StdRng,
) -> anyhow::Result<usize> {
    let start =
        polku_domain::dates::parse_date(seed.start).map_err(|c| anyhow::anyhow!(c.code()))?;
    let end = polku_domain::dates::parse_date(seed.end).map_err(|c| anyhow::anyhow!(c.code()))?;
    let span = (end - start).num_days().max(1);
    let mut outcomes: Vec<ExitStatus> = seed
        .outcomes
        .iter()
        .flat_map(|(s, n)| std::iter::repeat_n(*s, *n))
        .collect();
    outcomes.resize(seed.participants, ExitStatus::Unknown);
    let municipalities: Vec<&str> = seed.municipalities.split(',').collect();
    for (i, outcome) in outcomes.iter().enumerate() {
        // AURA: 80 % over 54 (the seed's own figure); others spread over the group's band.
        let (gid, g) = groups[if groups.len() > 1 && rng.gen_bool(0.2) {
            1
        } else {
            0
        }];
        let entry = start + Duration::days(rng.gen_range(0..span * 3 / 4));
        let age = rng.gen_range(g.min_age..=g.max_age);
        let birth = NaiveDate::from_ymd_opt(
            entry.year() - age,
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        )
        .unwrap_or(entry);
        // Birthday later in the entry year would make them one year younger; keep the band.
        let birth = if polku_domain::dates::age_on(birth, entry) < age {
            birth - Duration::days(366)
        } else {
            birth
        };
        let male = rng.gen_bool(if seed.code == "S20494" { 0.4 } else { 0.5 });
        let first = if male {
            FIRST_M[rng.gen_range(0..FIRST_M.len())]
        } else {
            FIRST_F[rng.gen_range(0..FIRST_F.len())]
        };
        let exit = (entry + Duration::days(rng.gen_range(60..360))).min(end);
        let form = IntakeForm {
            project_id: pid.to_string(),
            target_group_id: gid.to_string(),
            first_name: first.into(),
            last_name: LAST[rng.gen_range(0..LAST.len())].into(),
            hetu: synthetic_hetu(birth, male, rng),
            municipality: municipalities[i % municipalities.len()].into(),
            education: seed.education[rng.gen_range(0..seed.education.len())]
                .as_str()
                .into(),
            labour_status: "unemployed".into(),
            unemployed_since: polku_domain::dates::format_fi(
                entry - Duration::days(rng.gen_range(90..1500)),
            ),
            subsidy_days: rng
                .gen_range(if seed.code == "S21358" {
                    200..900
                } else {
                    0..700
                })
                .to_string(),
            disability: if seed.code == "KOPA-2011" {
                "yes".into()
            } else {
                ["no", "no", "no", "refused", "not_asked"][rng.gen_range(0..5)].into()
            },
            foreign_background: ["no", "no", "no", "no", "yes", "refused"][rng.gen_range(0..6)]
                .into(),
            third_country_national: "no".into(),
            minority: "not_asked".into(),
            homeless: "no".into(),
            entry_date: polku_domain::dates::format_fi(entry),
            counsellor_id: actor.user.to_string(),
            consent_data_processing: polku_domain::text::Checkbox(true),
            consent_sensitive_data: polku_domain::text::Checkbox(true),
            ..Default::default()
        };
        let id = uc::intake(history.on(entry), actor, &form)
            .await
            .map_err(failed("intake", i))?;
        // A guidance meeting with a written summary, so search by what was discussed has
        // something to find. Chosen by position, not by `rng`, so the figures above stay put.
        let met = entry + Duration::days(14);
        let contact = ContactForm {
            kind: "meeting".into(),
            date: polku_domain::dates::format_fi(met),
            duration_min: "45".into(),
            summary: crate::generate::NOTES_FI[i % crate::generate::NOTES_FI.len()].into(),
        };
        uc::add_contact(history.on(met.min(exit)), actor, id, &contact)
            .await
            .map_err(failed("contact", i))?;
        let form = ExitForm {
            exit_date: polku_domain::dates::format_fi(exit),
            exit_status: outcome.as_str().into(),
            version: "1".into(),
            ..Default::default()
        };
        uc::exit(history.on(exit), actor, id, &form, "")
            .await
            .map_err(failed("exit", i))?;
        // Most follow-ups of these closed projects were done: employment mostly lasted.
        if rng.gen_bool(0.7) {
            let employed = matches!(
                outcome,
                ExitStatus::EmployedOpen
                    | ExitStatus::EmployedSubsidised
                    | ExitStatus::SelfEmployed
            );
            let later = if employed && rng.gen_bool(0.85) {
                *outcome
            } else if rng.gen_bool(0.2) {
                ExitStatus::EmployedOpen
            } else {
                ExitStatus::JobSearching
            };
            let due = exit
                .checked_add_months(chrono::Months::new(6))
                .unwrap_or(exit);
            uc::record_follow_up(history.on(due), actor, id, later.as_str(), false)
                .await
                .map_err(failed("follow-up", i))?;
        }
    }
    Ok(outcomes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_hetus_validate() {
        let mut rng = StdRng::seed_from_u64(1);
        for y in [1950, 1961, 1999, 2003] {
            let b = NaiveDate::from_ymd_opt(y, 7, 9).unwrap();
            for male in [true, false] {
                let h = synthetic_hetu(b, male, &mut rng);
                let parsed = polku_domain::validated::Hetu::parse(&h).unwrap();
                assert_eq!(parsed.birth_date(), b);
                assert_eq!(
                    parsed.sex() == polku_domain::validated::HetuSex::Male,
                    male,
                    "{h}"
                );
            }
        }
    }

    #[test]
    fn seed_outcomes_add_up() {
        for s in seeds() {
            let total: usize = s.outcomes.iter().map(|(_, n)| n).sum();
            assert!(total <= s.participants, "{}", s.code);
        }
        let voima = seeds().into_iter().find(|s| s.code == "S21358").unwrap();
        assert_eq!(voima.outcomes.iter().map(|(_, n)| n).sum::<usize>(), 257);
    }
}
