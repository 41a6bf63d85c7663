//! The job seeker's own channel: signing in with a one-time code sent by e-mail, and their own
//! plan — the goals and steps (never the staff's notes), steps of their own, steps done. A
//! signed-in person reaches their own participation and nothing else; each read and change is
//! in their organisation's audit log as done by the person.

use crate::{Error, Polku, Result};
use polku_domain::ids::{GoalId, OrgId, ParticipantId, StepId};
use polku_domain::participant::StepForm;
use polku_domain::portal::{self, Address, Code, SignInForm};
use polku_domain::{DomainError, ErrorCode};
use polku_store::audit::{Audit, AuditAction, Entity};
use polku_store::participants::{self as prepo, GoalRow, StepRow};
use polku_store::portal as repo;
use polku_store::Conn;
use rand::RngCore;

mod assessment;
mod data;
mod messages;
mod signups;
pub use assessment::{assess, my_assessment};
pub use data::{my_data, request};
pub use messages::{attachment, messages, unread, write, Conversation};
pub use signups::{cancel, offered, propose, sign_up, Offered};

/// A signed-in job seeker: one participation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub participant: ParticipantId,
    pub org: OrgId,
}

impl From<repo::PortalPerson> for Person {
    fn from(p: repo::PortalPerson) -> Person {
        Person {
            participant: p.id,
            org: p.org_id,
        }
    }
}

/// The entry a person's own act leaves in their organisation's log (no staff member did it).
pub(crate) fn by_person(who: &Person, at: chrono::DateTime<chrono::Utc>) -> Audit<'static> {
    Audit::new(None, at).in_org(Some(who.org))
}

fn hash(app: &Polku, person: ParticipantId, code: &Code) -> String {
    app.cipher
        .blind_index(&format!("portal:{}:{}", person.0, code.as_str()))
}

/// Sends a sign-in code to the address, if a participant has it: `compose` words the message
/// (subject, body) around the code; a mobile number (taken when `sms`, a gateway, is on) gets
/// the body as a text message. The answer is the same whether or not anyone has the
/// address, so the form tells no one who is a participant; past [`portal::MAX_CODES`] codes
/// in a while no more are sent.
#[tracing::instrument(skip_all)]
pub async fn request_code(
    app: &Polku,
    (f, sms): (&SignInForm, bool),
    compose: impl Fn(&str) -> (String, String),
) -> Result<()> {
    let address = f.parse(sms)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let Some(p) = person_at(&mut tx, &address).await? else {
        return Ok(());
    };
    let sent = repo::codes_since(&mut tx, p.id, now - portal::sending_window()).await?;
    if sent >= portal::MAX_CODES {
        tracing::warn!(participant = p.id.0, "sign-in codes asked for too often");
        return Ok(());
    }
    let code = Code::from_random(rand::rngs::OsRng.next_u32());
    let hashed = hash(app, p.id, &code);
    repo::add_code(&mut tx, p.id, &hashed, (now, now + portal::code_lifetime())).await?;
    let (subject, body) = compose(code.as_str());
    match &address {
        Address::Email(email) => {
            polku_store::outbox::queue(&mut tx, email.as_str(), &subject, &body, now).await?
        }
        Address::Mobile(m) => polku_store::outbox::queue_sms(&mut tx, m, &body, now).await?,
    };
    by_person(&Person::from(p), now)
        .create(
            &mut tx,
            Entity::Participant(p.id.0),
            "portal: sign-in code sent",
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Signs in with the code sent to the address: right, not expired, not used, within its tries.
/// Any other answer is the same refusal, and a wrong try counts.
#[tracing::instrument(skip_all)]
pub async fn sign_in(app: &Polku, (f, sms): (&SignInForm, bool), code: &str) -> Result<Person> {
    let address = f.parse(sms)?;
    let code = Code::parse(code)?;
    let refused = || Error::field("code", ErrorCode::CodeInvalid);
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let Some(p) = person_at(&mut tx, &address).await? else {
        return Err(refused());
    };
    let Some(c) = repo::open_code(&mut tx, p.id).await? else {
        return Err(refused());
    };
    if c.expires_at <= now || c.attempts >= portal::MAX_TRIES {
        return Err(refused());
    }
    if !polku_domain::secret::same(c.code_hash.as_bytes(), hash(app, p.id, &code).as_bytes()) {
        repo::tried(&mut tx, c.id).await?;
        tx.commit().await?;
        return Err(refused());
    }
    if !repo::use_code(&mut tx, c.id, now).await? {
        return Err(refused());
    }
    signed_in(tx, p, now, "portal sign-in").await
}

/// Signs in the person a strong identification named: their participation
/// ([`repo::person_by`]), or a refusal that says none was found.
#[tracing::instrument(skip_all)]
pub async fn sign_in_identified(
    app: &Polku,
    hetu: &polku_domain::validated::Hetu,
) -> Result<Person> {
    let key = polku_store::imports::person_key(&app.cipher, hetu);
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let Some(p) = repo::person_by(&mut tx, repo::SignsInWith::HetuKey(&key)).await? else {
        return Err(Error::field("strong", ErrorCode::StrongUnknown));
    };
    signed_in(tx, p, now, "portal sign-in (strong identification)").await
}

/// The sign-in in the person's organisation's log, and the transaction committed.
async fn signed_in(
    mut tx: polku_store::Tx,
    p: repo::PortalPerson,
    now: chrono::DateTime<chrono::Utc>,
    how: &str,
) -> Result<Person> {
    let who = Person::from(p);
    by_person(&who, now)
        .log(
            &mut tx,
            AuditAction::Login,
            Entity::Participant(p.id.0),
            how,
        )
        .await?;
    tx.commit().await?;
    Ok(who)
}

async fn person_at(conn: &mut Conn, a: &Address) -> Result<Option<repo::PortalPerson>> {
    Ok(match a {
        Address::Email(e) => repo::person_by(conn, repo::SignsInWith::Email(e)).await?,
        Address::Mobile(m) => repo::person_by_mobile(conn, m).await?,
    })
}

/// The person's plan as they see it.
pub struct MyPlan {
    pub first_name: String,
    pub counsellor: Option<String>,
    pub goals: Vec<GoalRow>,
    pub steps: Vec<StepRow>,
    /// Once the project has ended the plan is only read.
    pub archived: bool,
}

/// The signed-in person's participation, still theirs to reach (not erased, consent to
/// processing not withdrawn); anything else ends the session.
pub(crate) async fn own(conn: &mut Conn, who: &Person) -> Result<prepo::ParticipantRow> {
    match prepo::get(conn, who.participant).await {
        Ok(p) if p.processing_consent && p.org_id == who.org => Ok(p),
        _ => Err(DomainError::Forbidden.into()),
    }
}

/// The person's first name for the page's frame, while the participation is still theirs to
/// reach (else refused: the session ends).
pub async fn first_name(app: &Polku, who: &Person) -> Result<String> {
    let mut conn = app.db.acquire().await?;
    Ok(own(&mut conn, who).await?.first_name)
}

#[tracing::instrument(skip_all, fields(participant = who.participant.0))]
pub async fn my_plan(app: &Polku, who: &Person) -> Result<MyPlan> {
    let mut tx = app.db.begin().await?;
    let p = own(&mut tx, who).await?;
    let plan = MyPlan {
        goals: prepo::goals(&mut tx, who.participant).await?,
        steps: prepo::steps(&mut tx, who.participant).await?,
        archived: crate::participants::archived(&p, app.clock.today()),
        counsellor: p.counsellor_name,
        first_name: p.first_name,
    };
    by_person(who, app.clock.now())
        .read(
            &mut tx,
            Entity::Participant(who.participant.0),
            "portal: own plan",
        )
        .await?;
    tx.commit().await?;
    Ok(plan)
}

/// A step of their own towards one of their goals.
#[tracing::instrument(skip_all, fields(participant = who.participant.0, goal = goal.0))]
pub async fn add_step(app: &Polku, who: &Person, goal: GoalId, f: &StepForm) -> Result<StepId> {
    let mut tx = app.db.begin().await?;
    let p = own(&mut tx, who).await?;
    if prepo::goal_owner(&mut tx, goal).await? != who.participant {
        return Err(DomainError::NotFound.into());
    }
    if crate::participants::archived(&p, app.clock.today()) {
        return Err(Error::field("form", ErrorCode::ProjectArchived));
    }
    let step = f.parse()?;
    let sid = prepo::add_step(&mut tx, goal, &step, true).await?;
    by_person(who, app.clock.now())
        .create(&mut tx, Entity::Step(sid.0), "portal: by the participant")
        .await?;
    tx.commit().await?;
    Ok(sid)
}

/// Marks one of their steps done, or not done after all.
#[tracing::instrument(skip_all, fields(participant = who.participant.0, step = step.0))]
pub async fn set_step_done(app: &Polku, who: &Person, step: StepId, done: bool) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let p = own(&mut tx, who).await?;
    if prepo::step_owner(&mut tx, step).await? != who.participant {
        return Err(DomainError::NotFound.into());
    }
    if crate::participants::archived(&p, app.clock.today()) {
        return Err(Error::field("form", ErrorCode::ProjectArchived));
    }
    prepo::set_step_done(&mut tx, step, done).await?;
    let detail = if done {
        "portal: done"
    } else {
        "portal: not done"
    };
    by_person(who, app.clock.now())
        .update(&mut tx, Entity::Step(step.0), detail)
        .await?;
    tx.commit().await?;
    Ok(())
}
