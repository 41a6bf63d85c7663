//! Import throughput: the whole import a user starts (upload, every row checked, the rows
//! written in one transaction with their consents, search terms and audit entries) against a
//! bare bulk insert of the same participant rows, prepared beforehand, in one transaction.

use polku_domain::authz::{Actor, Role};
use polku_domain::ids::ProjectId;
use polku_domain::validated::Email;
use polku_store::bulk;
use polku_store::{imports, orgs, projects, users};
use polku_web::import::{self, Progress, Target};
use polku_web::AppState;
use std::time::{Duration, Instant};

pub struct Measurement {
    pub rows: usize,
    pub product: Duration,
    pub baseline: Duration,
}

impl Measurement {
    pub fn ratio(&self) -> f64 {
        self.product.as_secs_f64() / self.baseline.as_secs_f64().max(1e-9)
    }
}

/// A valid identity code for person `i` (individual numbers 900–999, the test range); unique
/// for the first million.
fn hetu(i: usize) -> String {
    const CHECK: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let (d, m, y, n) = (
        1 + i % 28,
        1 + (i / 28) % 12,
        50 + (i / 336) % 30,
        900 + (i / 10_080) % 100,
    );
    let base = ((d * 10_000 + m * 100 + y) * 1000 + n) as u64;
    format!(
        "{d:02}{m:02}{y:02}-{n:03}{}",
        CHECK[(base % 31) as usize] as char
    )
}

/// `rows` people as a CSV file as Excel in Finland saves it.
fn csv(rows: usize) -> Vec<u8> {
    let mut out = String::from("Etunimi;Sukunimi;Henkilötunnus;Kunta;Aloituspäivä;Koulutustaso;Työmarkkina-asema;Vamma\r\n");
    for i in 0..rows {
        out.push_str(&format!(
            "{};Vertailu{i};{};{};{}.2.2026;{};työtön;{}\r\n",
            ["Maija", "Pekka", "Aino", "Juhani"][i % 4],
            hetu(i),
            ["Kuopio", "Salo", "Jakobstad", "Helsinki"][i % 4],
            1 + i % 27,
            ["3", "7", "perusaste", "4"][i % 4],
            ["ei", "kyllä", "", "ei"][i % 4],
        ));
    }
    out.into_bytes()
}

async fn setup(st: &AppState, tag: &str) -> anyhow::Result<(Actor, ProjectId, ProjectId)> {
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let org = orgs::create(
        &mut tx,
        &format!("Tuontivertailu {tag}"),
        None,
        "project_owner",
        now,
    )
    .await?;
    let email = Email::parse(&format!("tuonti.{tag}@polku.example"))
        .map_err(|c| anyhow::anyhow!(c.code()))?;
    let user = users::create(
        &mut tx,
        users::NewUser {
            org,
            email: &email,
            name: "Tuoja",
            password_hash: "",
            role: Role::Counsellor,
            locale: "fi",
        },
        now,
    )
    .await?;
    let mut ids = vec![];
    for side in ["A", "B"] {
        let form = polku_domain::project::ProjectForm {
            code: format!("IMP{tag}{side}"),
            name: format!("Tuontivertailu {side}"),
            start_date: "1.1.2025".into(),
            end_date: "31.12.2027".into(),
            ..Default::default()
        };
        let draft = form.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        ids.push(projects::create(&mut tx, &draft, org, now).await?);
    }
    tx.commit().await?;
    let actor = Actor {
        user,
        org,
        role: Role::Counsellor,
    };
    Ok((actor, ids[0], ids[1]))
}

/// Imports `rows` people into one new project and bulk-inserts the same rows into another.
pub async fn run(st: &AppState, rows: usize) -> anyhow::Result<Measurement> {
    let tag = format!("{}", st.clock.now().timestamp());
    let (actor, mine, bare) = setup(st, &tag).await?;
    let bytes = csv(rows);
    let show = |e| anyhow::anyhow!("{e:?}");

    let t = Instant::now();
    let id = import::upload(
        st,
        &actor,
        Target::Participants(mine),
        "vertailu.csv",
        &bytes,
    )
    .await
    .map_err(show)?;
    let review = import::review(st, &actor, id, None).await.map_err(show)?;
    let mapping = review.mapping.clone();
    let written = import::run(st, &actor, id, mapping, true, false, &Progress::default())
        .await
        .map_err(show)?;
    let product = t.elapsed();
    anyhow::ensure!(written == rows, "imported {written} of {rows}");

    // The same rows as the import stores them, prepared before the clock starts.
    let now = st.clock.now();
    let mut values = vec![];
    let import::Rows::Participants(people) = &review.rows else {
        anyhow::bail!("a file of participants");
    };
    for row in people {
        let intake = polku_domain::participant::Intake {
            project_id: bare,
            ..row.intake.clone()
        };
        values.push(imports::values(&st.cipher, &intake, actor.org, now)?);
    }
    let columns = imports::columns();
    let t = Instant::now();
    let mut tx = st.db.begin().await?;
    bulk::insert(&mut tx, "participants", &columns, &values).await?;
    tx.commit().await?;
    let baseline = t.elapsed();
    Ok(Measurement {
        rows,
        product,
        baseline,
    })
}
