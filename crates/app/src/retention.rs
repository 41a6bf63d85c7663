//! The retention job: once a project's retention period has ended (the funder's final payment,
//! then the years it sets), every participant's personal data is erased and the anonymous ESF+
//! records stay. It runs daily in `polku serve` and as `polku retention run`; it is idempotent
//! and safe on several nodes at once (each erasure is conditional, so a second run finds nothing
//! left and logs nothing twice).

use chrono::NaiveDate;
use polku_domain::clock::Clock;
use polku_domain::project::erase_from;
use polku_store::audit::{Audit, Entity};
use polku_store::{erasure, projects, Db};

/// One project whose retention period has ended, and the persons still to erase in it.
#[derive(Debug)]
pub struct Due {
    pub code: String,
    pub erase_from: NaiveDate,
    /// Per person, their participations and names (for the preview).
    pub persons: Vec<erasure::Person>,
}

/// What the job would erase today.
pub async fn preview(db: &Db, today: NaiveDate) -> anyhow::Result<Vec<Due>> {
    let mut conn = db.acquire().await?;
    let mut due = vec![];
    for p in projects::list(&mut conn).await? {
        let Some(from) =
            erase_from(p.final_payment_date, p.retention_years).filter(|d| *d <= today)
        else {
            continue;
        };
        let persons = erasure::due_in_project(&mut conn, p.id.0).await?;
        due.push(Due {
            code: p.code,
            erase_from: from,
            persons,
        });
    }
    Ok(due)
}

/// Erases everyone due; returns how many participations were erased. One transaction per
/// project, so a stop midway leaves whole projects done or untouched.
pub async fn run(db: &Db, clock: &dyn Clock) -> anyhow::Result<usize> {
    let mut total = 0;
    for due in preview(db, clock.today()).await? {
        let mut tx = db.begin().await?;
        let project = projects::by_code(&mut tx, &due.code).await?;
        let audit = Audit::new(None, clock.now()).in_org(Some(project.owner_org_id));
        for person in &due.persons {
            let ids: Vec<_> = person.iter().map(|(id, _)| *id).collect();
            for id in erasure::erase(&mut tx, &ids, clock.now()).await? {
                audit
                    .update(&mut tx, Entity::Participant(id.0), "erased: retention")
                    .await?;
                total += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(total)
}
