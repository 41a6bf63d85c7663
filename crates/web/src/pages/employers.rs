//! The employer register: the list, an employer's details form, and an employer's page with
//! its contact persons, timeline, openings and placements (small forms come back in place).

use super::{form_errors, render};
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::reshown::{saved_or_again as again, Reshown};
use crate::submitted::Submitted;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use polku_domain::authz::Action;
use polku_domain::employer::{
    Attendees, ContactPersonForm, EmployerForm, Industry, InteractionForm, InteractionKind,
    SizeClass,
};
use polku_domain::ids::{EmployerId, InteractionId, OpeningId, ParticipantId, UserId};
use polku_domain::placement::{OpeningForm, OpeningKind, PlacementForm, PlacementKind};
use polku_store::employers::EmployerRow;
use polku_store::participants::ParticipantRow;
use polku_store::projects::ProjectRow;
use polku_store::users::UserRow;
use polku_usecases::employers::{self as uc, EmployerView};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employers", get(list).post(create))
        .route("/employers/new", get(new))
        .route("/employers/{e}", get(show).post(update))
        .route("/employers/{e}/edit", get(edit))
        .route("/employers/{e}/contacts", post(add_contact))
        .route("/employers/{e}/interactions", post(add_interaction))
        .route("/employers/{e}/openings", post(add_opening))
        .route("/employers/{e}/placements", post(place))
        .route("/employers/{e}/shares", post(share))
        .route("/employers/{e}/contacts/{c}/remove", post(remove_contact))
}

/// One page of the list.
pub const PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "employers/list.html")]
struct List {
    c: Chrome,
    employers: Vec<EmployerRow>,
    q: String,
    /// The next page's start (the last employer shown), when the list goes on.
    next: Option<EmployerId>,
}

crate::form!(struct ListQuery { q, after, format });

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    if let Some(format) = crate::export::Format::from_query(&q.format) {
        let all = uc::list(&st, &ctx.actor, &q.q, None, i64::MAX).await?;
        return crate::export::respond(&register(&ctx.c, &all), format, ctx.c.lang, "employers");
    }
    let after = polku_domain::text::optional_int(&q.after, 1, i64::MAX)
        .map_err(|c| polku_domain::DomainError::field("after", c))?
        .map(EmployerId);
    let mut employers = uc::list(&st, &ctx.actor, &q.q, after, PAGE + 1).await?;
    let next = (employers.len() as i64 > PAGE).then(|| {
        employers.truncate(PAGE as usize);
        employers.last().map_or(EmployerId(0), |e| e.id)
    });
    render(&List {
        c: ctx.c,
        employers,
        q: q.q,
        next,
    })
}

/// The register as a table for CSV (Excel) and XLSX.
fn register(c: &Chrome, rows: &[EmployerRow]) -> polku_reports::Table {
    let headers = [
        "field-name",
        "field-business-id",
        "field-industry",
        "field-size-class",
        "field-town",
        "field-owner-id",
        "field-contact-consent",
    ];
    crate::export::table(c, "nav-employers", &headers, rows, |e| {
        vec![
            e.name.as_str().into(),
            e.business_id.as_str().into(),
            e.industry
                .map(|i| c.choice("industry", i))
                .unwrap_or_default()
                .into(),
            e.size_class
                .map(|s| c.choice("size-class", s))
                .unwrap_or_default()
                .into(),
            e.municipality
                .as_deref()
                .map(|m| polku_domain::validated::municipality_names(m, c.lang_code()))
                .unwrap_or_default()
                .into(),
            e.owner_name.clone().unwrap_or_default().into(),
            c.t(if e.contact_consent { "yes" } else { "no" }).into(),
        ]
    })
}

#[derive(Template)]
#[template(path = "employers/form.html")]
struct Edit {
    c: Chrome,
    f: EmployerForm,
    id: Option<EmployerId>,
    owners: Vec<UserRow>,
    industries: Vec<&'static str>,
    sizes: Vec<&'static str>,
}

impl Edit {
    fn consented(&self) -> bool {
        self.f.contact_consent.as_deref() == Some("on")
    }
}

async fn edit_page(
    st: &AppState,
    ctx: Ctx,
    f: EmployerForm,
    id: Option<EmployerId>,
    errors: Vec<polku_domain::error::FieldError>,
) -> Result<Response, AppError> {
    let mut conn = st.db.acquire().await?;
    let refused = !errors.is_empty();
    let page = Edit {
        owners: polku_store::users::list(&mut conn, Some(ctx.actor.org)).await?,
        c: ctx.with_errors(errors),
        f,
        id,
        industries: Industry::ALL.iter().map(|i| i.as_str()).collect(),
        sizes: SizeClass::ALL.iter().map(|s| s.as_str()).collect(),
    };
    crate::pages::shown(&page, refused)
}

async fn new(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageEmployers, Some(ctx.actor.org))?;
    let f = EmployerForm {
        owner_id: ctx.actor.user.to_string(),
        ..Default::default()
    };
    edit_page(&st, ctx, f, None, vec![]).await
}

async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<EmployerForm>,
) -> Result<Response, AppError> {
    match uc::create(&st, &ctx.actor, &f).await {
        Ok(id) => {
            crate::ctx::flash(&ctx.session, "saved").await?;
            Ok(Redirect::to(&format!("/employers/{id}")).into_response())
        }
        Err(e) => edit_page(&st, ctx, f, None, form_errors(e)?).await,
    }
}

async fn edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let e = uc::details(&st, &ctx.actor, EmployerId(id)).await?;
    let f = EmployerForm {
        business_id: e.business_id,
        name: e.name,
        industry: e.industry.map(|i| i.as_str().into()).unwrap_or_default(),
        size_class: e.size_class.map(|s| s.as_str().into()).unwrap_or_default(),
        town: e.municipality.unwrap_or_default(),
        address: e.address.unwrap_or_default(),
        contact_consent: e.contact_consent.then(|| "on".into()),
        owner_id: e.owner_id.map(|u| u.to_string()).unwrap_or_default(),
        notes: e.notes.unwrap_or_default(),
        version: e.version.to_string(),
        same_name: None,
    };
    edit_page(&st, ctx, f, Some(EmployerId(id)), vec![]).await
}

async fn update(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EmployerForm>,
) -> Result<Response, AppError> {
    match uc::update(&st, &ctx.actor, EmployerId(id), &f).await {
        Ok(()) => {
            crate::ctx::flash(&ctx.session, "saved").await?;
            Ok(Redirect::to(&format!("/employers/{id}")).into_response())
        }
        Err(e) => edit_page(&st, ctx, f, Some(EmployerId(id)), form_errors(e)?).await,
    }
}

#[derive(Template)]
#[template(path = "employers/show.html")]
struct Show {
    c: Chrome,
    v: EmployerView,
    municipality: String,
    projects: Vec<ProjectRow>,
    interaction_kinds: Vec<&'static str>,
    opening_kinds: Vec<&'static str>,
    placement_kinds: Vec<&'static str>,
    /// Whom the placement and interaction forms offer, namesakes told apart.
    people: Vec<(ParticipantId, String)>,
    /// The organisation's staff, whom the interaction form offers.
    staff: Vec<(UserId, String)>,
    /// Who took part in each interaction, by name.
    attended: HashMap<InteractionId, String>,
    /// Another organisation's employer, shared with the reader's.
    shared_to_us: bool,
    /// The placement kind the form shows chosen.
    chosen_kind: String,
    today: String,
    again: Reshown,
}

fresh_page!(show => page);

/// The employer's page; with a refused form, that form shown again in place (422).
pub(super) async fn page(
    st: &AppState,
    ctx: Ctx,
    id: i64,
    again: Reshown,
) -> Result<Response, AppError> {
    let v = uc::view(st, &ctx.actor, EmployerId(id)).await?;
    let mut conn = st.db.acquire().await?;
    let projects = polku_store::projects::for_org(&mut conn, ctx.actor.org).await?;
    let participants = if v.can_place || v.can_manage {
        active_participants(st, &ctx).await?
    } else {
        vec![]
    };
    let staff = polku_store::users::list(&mut conn, Some(v.e.org_id))
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut attended: HashMap<InteractionId, String> = HashMap::new();
    for a in &v.attendees {
        let names = attended.entry(a.interaction_id).or_default();
        if !names.is_empty() {
            names.push_str(", ");
        }
        names.push_str(&a.name);
    }
    let municipality =
        v.e.municipality
            .as_deref()
            .map(|m| polku_domain::validated::municipality_names(m, ctx.c.lang_code()))
            .unwrap_or_default();
    let people = crate::names::choices(&participants, &ctx.c);
    let show = Show {
        c: again.chrome(&ctx),
        chosen_kind: again.typed("placement", "kind", "work_trial"),
        people,
        staff,
        attended,
        shared_to_us: v.e.org_id != ctx.actor.org,
        v,
        municipality,
        projects,
        interaction_kinds: InteractionKind::ALL.iter().map(|k| k.as_str()).collect(),
        opening_kinds: OpeningKind::ALL.iter().map(|k| k.as_str()).collect(),
        placement_kinds: PlacementKind::ALL.iter().map(|k| k.as_str()).collect(),
        today: polku_domain::dates::format_fi(st.clock.today()),
        again,
    };
    crate::pages::shown(&show, show.again.is_refused())
}

async fn add_contact(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ContactPersonForm>,
) -> Result<Response, AppError> {
    let r = uc::add_contact_person(&st, &ctx.actor, EmployerId(id), &s.form).await;
    let to = format!("/employers/{id}#contacts");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("person", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

async fn add_interaction(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<InteractionForm>,
) -> Result<Response, AppError> {
    let r = match Attendees::from_pairs(&s.typed) {
        Ok(who) => uc::add_interaction(&st, &ctx.actor, EmployerId(id), (&s.form, &who)).await,
        Err(e) => Err(e.into()),
    };
    let to = format!("/employers/{id}#timeline");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("interaction", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

async fn remove_contact(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, contact)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    uc::remove_contact_person(&st, &ctx.actor, EmployerId(id), contact).await?;
    crate::ctx::flash(&ctx.session, "saved").await?;
    Ok(Redirect::to(&format!("/employers/{id}#contacts")).into_response())
}

crate::form!(struct ShareForm { org_id });

async fn share(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<ShareForm>,
) -> Result<Response, AppError> {
    let with = crate::submitted::chosen_id(&s.form.org_id).map(polku_domain::ids::OrgId);
    let r = uc::share(&st, &ctx.actor, EmployerId(id), with).await;
    let to = format!("/employers/{id}");
    again(
        r,
        (move |_| to, &ctx.session.clone()),
        ("share", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

async fn add_opening(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<OpeningForm>,
) -> Result<Response, AppError> {
    let r = polku_usecases::placements::add_opening(&st, &ctx.actor, EmployerId(id), &s.form).await;
    again(
        r,
        (
            |o: &OpeningId| format!("/openings/{o}"),
            &ctx.session.clone(),
        ),
        ("opening", s.typed),
        |a| page(&st, ctx, id, a),
    )
    .await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PlaceForm {
    opening_id: String,
    #[serde(flatten)]
    f: PlacementForm,
}

/// Places a participant directly, or from an opening (`opening_id`), whose page then shows
/// the form again if it is refused.
async fn place(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    s: Submitted<PlaceForm>,
) -> Result<Response, AppError> {
    let opening = crate::submitted::chosen_id(&s.form.opening_id).map(OpeningId);
    let r = polku_usecases::placements::place(&st, &ctx.actor, EmployerId(id), opening, &s.form.f)
        .await;
    let to = |p: &polku_domain::ids::PlacementId| format!("/placements/{p}");
    match opening {
        Some(o) => {
            again(r, (to, &ctx.session.clone()), ("placement", s.typed), |a| {
                super::openings::page(&st, ctx, o.0, a)
            })
            .await
        }
        None => {
            again(r, (to, &ctx.session.clone()), ("placement", s.typed), |a| {
                page(&st, ctx, id, a)
            })
            .await
        }
    }
}

/// The organisation's participants still in a project: whom a placement or a proposal can name.
pub(super) async fn active_participants(
    st: &AppState,
    ctx: &Ctx,
) -> Result<Vec<ParticipantRow>, AppError> {
    Ok(polku_usecases::placements::candidates(st, &ctx.actor).await?)
}
