//! The generator's fixed part: organisations, counsellors, projects, group programmes and their
//! sessions. Found again by name on a second run, so generating twice adds only participants.

use super::{GROUP_SIZE, PROJECTS, SESSIONS_PER_GROUP};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use polku_domain::authz::Role;
use polku_domain::ids::{OrgId, ProjectId, UserId};
use polku_domain::validated::Email;
use polku_store::{orgs, projects, users, Db, Tx};

/// One generated project: its organisation, counsellors and groups with their session ids.
pub struct ProjectSetup {
    pub org: OrgId,
    pub project: ProjectId,
    /// The last one works in Swedish.
    pub counsellors: Vec<UserId>,
    pub groups: Vec<(i64, Vec<i64>)>,
}

pub async fn projects(
    db: &Db,
    n: usize,
    seed: u64,
    now: DateTime<Utc>,
    hash: &str,
) -> anyhow::Result<Vec<ProjectSetup>> {
    let mut setup = vec![];
    let mut tx = db.begin().await?;
    for p in 0..PROJECTS {
        let name = format!("Kansallinen osahanke {:02} ({seed})", p + 1);
        let org = match orgs::find_by_name(&mut tx, &name).await? {
            Some(o) => o.id,
            None => orgs::create(&mut tx, &name, None, "project_owner", now).await?,
        };
        let counsellors = counsellors(&mut tx, org, seed, p, hash, now).await?;
        let form = polku_domain::project::ProjectForm {
            code: format!("GEN{seed}-{:02}", p + 1),
            name: name.clone(),
            start_date: "1.1.2021".into(),
            end_date: "31.12.2027".into(),
            target_participants: (n / PROJECTS).to_string(),
            ..Default::default()
        };
        let draft = form.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        let project = match projects::by_code(&mut tx, &draft.code).await {
            Ok(p) => p.id,
            Err(_) => projects::create(&mut tx, &draft, org, now).await?,
        };
        let groups = groups(
            &mut tx,
            org,
            project,
            (n / PROJECTS / GROUP_SIZE).max(2),
            now,
        )
        .await?;
        setup.push(ProjectSetup {
            org,
            project,
            counsellors,
            groups,
        });
    }
    tx.commit().await?;
    Ok(setup)
}

/// Five counsellors of project `p`; one in five works in Swedish.
async fn counsellors(
    tx: &mut Tx,
    org: OrgId,
    seed: u64,
    p: usize,
    hash: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<UserId>> {
    let mut counsellors = vec![];
    for c in 0..5 {
        let email = format!("ohjaaja{c}.gen{seed}.{p}@polku.example");
        let uid = match users::by_email(tx, &email).await? {
            Some(u) => u.id,
            None => {
                let e = Email::parse(&email).map_err(|c| anyhow::anyhow!(c.code()))?;
                users::create(
                    tx,
                    users::NewUser {
                        org,
                        email: &e,
                        name: &format!("Ohjaaja {c}"),
                        password_hash: hash,
                        role: Role::Counsellor,
                        locale: if c == 4 { "sv" } else { "fi" },
                    },
                    now,
                )
                .await?
            }
        };
        counsellors.push(uid);
    }
    Ok(counsellors)
}

/// `count` weekly group programmes of the project, each with its sessions.
async fn groups(
    tx: &mut Tx,
    org: OrgId,
    project: ProjectId,
    count: usize,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(i64, Vec<i64>)>> {
    let mut groups = vec![];
    for g in 0..count {
        let sf = polku_domain::services::ServiceForm {
            project_id: project.to_string(),
            kind: "group_coaching".into(),
            name: format!("Ryhmä {}", g + 1),
            ..Default::default()
        };
        let sd = sf.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        let sid = polku_store::services::create(tx, org, org, &sd, now).await?;
        let start = NaiveDate::from_ymd_opt(2021 + (g % 6) as i32, 1 + (g % 12) as u32, 4)
            .unwrap_or_default();
        let mut ids = vec![];
        for s in 0..SESSIONS_PER_GROUP {
            let day = start + Duration::days(7 * s as i64);
            let f = polku_domain::services::SessionForm {
                date: polku_domain::dates::format_fi(day),
                start_time: "9".into(),
                end_time: "14".into(),
                ..Default::default()
            };
            let session = f.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            ids.push(polku_store::services::add_session(tx, sid, &session).await?);
        }
        groups.push((sid, ids));
    }
    Ok(groups)
}
