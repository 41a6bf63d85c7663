//! The funder's report of a project: ESF+ indicators and monitoring.

use crate::{Polku, Result};
use polku_domain::authz::{authorize, Action, Actor};
use polku_domain::ids::ProjectId;
use polku_domain::validated::municipality_names;
use polku_reports::esf::{EsfReport, ProjectFacts};
use polku_store::audit::{Audit, Entity};
use polku_store::crypto::FieldCipher;
use polku_store::projects::{self, ProjectRow};
use polku_store::Conn;

/// Whether the actor is the project's own staff: they see exact small numbers.
pub fn own_staff(actor: &Actor, project: &ProjectRow) -> bool {
    authorize(actor, Action::ViewParticipant, Some(project.owner_org_id)).is_ok()
}

/// Builds the report from the project's records; small counts are hidden unless `own_staff`.
pub async fn build(
    conn: &mut Conn,
    cipher: &FieldCipher,
    project: &ProjectRow,
    own_staff: bool,
) -> Result<EsfReport> {
    let pid = project.id;
    let records = polku_store::esf::records(conn, cipher, pid).await?;
    let facts = ProjectFacts {
        code: project.code.clone(),
        name: project.name.clone(),
        owner: project.owner_name.clone(),
        start_date: Some(project.start_date),
        end_date: Some(project.end_date),
        authority: project.authority.clone(),
        municipalities: municipality_names(&project.municipalities, "fi"),
        target_participants: project.target_participants,
        target_companies: project.target_companies,
        realised_companies: polku_store::placements::company_count(
            conn,
            pid,
            (project.start_date, project.end_date),
        )
        .await?,
        budget_public_cents: project.budget_public_cents,
        budget_granted_cents: project.budget_granted_cents,
        budget_realised_cents: project.budget_realised_cents,
    };
    let period = (project.start_date, project.end_date);
    let employers = polku_reports::esf::EmployerWork {
        placements: polku_store::placements::summary(conn, pid, period)
            .await?
            .into_iter()
            .map(|c| (c.kind, c.result, c.n))
            .collect(),
        industries: polku_store::employers::by_industry(conn, pid, period)
            .await?
            .into_iter()
            .map(|c| (c.industry, c.employers, c.with_needs))
            .collect(),
        coaches_trained: polku_store::coaches::trained(conn, pid, period).await?,
    };
    let mut report = polku_reports::esf::build(facts, &records, own_staff, employers);
    report.referred_by = polku_store::referrals::referred_by(conn, pid, period)
        .await?
        .into_iter()
        .map(|r| (r.referrer_kind, r.n))
        .collect();
    report.self_assessment = polku_store::assessments::change(conn, pid, period)
        .await?
        .into_iter()
        .map(|c| (c.item, c.n, c.entry_sum, c.exit_sum))
        .collect();
    Ok(report)
}

/// Which project: by id (the pages) or by code (the API and the command line).
pub enum Which<'a> {
    Id(ProjectId),
    Code(&'a str),
}

/// A project's report with whether the actor is its own staff. Read outside any write
/// transaction (at scale it takes a while and must not hold SQLite's write lock); only an
/// export, named by `export` (its format and channel), writes its audit entry.
#[tracing::instrument(skip_all)]
pub async fn report(
    app: &Polku,
    actor: &Actor,
    which: Which<'_>,
    export: Option<&str>,
) -> Result<(ProjectRow, EsfReport, bool)> {
    authorize(actor, Action::ViewProjects, None)?;
    let p = {
        let mut conn = app.db.acquire().await?;
        match which {
            Which::Id(id) => projects::get(&mut conn, id).await?,
            Which::Code(code) => projects::by_code(&mut conn, code).await?,
        }
    };
    let own = own_staff(actor, &p);
    let report = build(&mut *app.db.acquire_read().await?, &app.cipher, &p, own).await?;
    if let Some(detail) = export {
        let mut tx = app.db.begin().await?;
        Audit::by(actor, app.clock.now())
            .export(&mut tx, Entity::EsfReport(p.id.0), detail)
            .await?;
        tx.commit().await?;
    }
    Ok((p, report, own))
}
