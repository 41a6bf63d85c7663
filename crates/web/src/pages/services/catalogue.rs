//! The shared service catalogue: the list with its filters and downloads, and a new entry.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::pages::{form_errors, render, unprocessable};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use polku_domain::authz::Action;
use polku_domain::services::{Channel, OfferedBy, ServiceForm, ServiceKind};
use polku_domain::text;
use polku_store::orgs::{self, Org};
use polku_store::participants::{self as prepo, ParticipantRow};
use polku_store::projects::{self, ProjectRow};
use polku_store::services::{Filter, ServiceRow};
use polku_usecases::services as uc;

crate::form!(pub struct ListQuery { pub kind, pub project, pub town, pub q, pub channel, pub language, pub org, pub free, pub format });

impl ListQuery {
    /// The same filters as a query string, for the download links.
    fn query(&self) -> String {
        let e = crate::error::urlencode;
        format!(
            "kind={}&project={}&town={}&q={}&channel={}&language={}&org={}&free={}",
            e(&self.kind),
            e(&self.project),
            e(&self.town),
            e(&self.q),
            e(&self.channel),
            e(&self.language),
            e(&self.org),
            e(&self.free)
        )
    }
}

#[derive(Template)]
#[template(path = "services/list.html")]
struct List {
    c: Chrome,
    rows: Vec<ServiceRow>,
    f: ListQuery,
    kinds: Vec<&'static str>,
    projects: Vec<ProjectRow>,
    orgs: Vec<Org>,
    can_add: bool,
    /// May refer own participants to another organisation's service.
    can_refer: bool,
    own_org: polku_domain::ids::OrgId,
    /// (service, target group): who may join.
    groups: Vec<(i64, String)>,
}

impl List {
    fn channels(&self) -> Vec<&'static str> {
        Channel::ALL.iter().map(|c| c.as_str()).collect()
    }
    fn who_may_join(&self, s: &ServiceRow) -> String {
        let names: Vec<&str> = self
            .groups
            .iter()
            .filter(|(id, _)| *id == s.id.0)
            .map(|(_, n)| n.as_str())
            .collect();
        if names.is_empty() {
            self.c.t("service-open-to-all")
        } else {
            names.join("; ")
        }
    }
    /// Another organisation's approved service takes referrals.
    fn referable(&self, s: &ServiceRow) -> bool {
        self.can_refer
            && s.org_id != self.own_org
            && s.approval == polku_domain::services::Approval::Approved
    }
    fn free_places(&self, s: &ServiceRow) -> String {
        s.capacity.map_or_else(
            || self.c.t("service-no-limit"),
            |cap| (cap - s.enrolled_count).max(0).to_string(),
        )
    }
}

fn nonempty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub(super) async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(f): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = Filter {
        kind: nonempty(&f.kind),
        project_id: text::optional_int(&f.project, 1, i64::MAX).unwrap_or(None),
        town: nonempty(&f.town),
        text: nonempty(&f.q),
        channel: nonempty(&f.channel),
        language: nonempty(&f.language),
        org_id: text::optional_int(&f.org, 1, i64::MAX).unwrap_or(None),
        free_only: !f.free.is_empty(),
    };
    let rows = uc::list(&st, &ctx.actor, &filter).await?;
    if let Some(format) = crate::export::Format::from_query(&f.format) {
        return crate::export::respond(
            &catalogue_table(&ctx.c, &rows),
            format,
            ctx.c.lang,
            "services",
        );
    }
    let mut conn = st.db.acquire().await?;
    let projects = projects::list(&mut conn).await?;
    let orgs = orgs::list(&mut conn).await?;
    let groups = polku_store::services::target_group_names(&mut conn).await?;
    let can_add = ctx
        .authorize(Action::ManageService, Some(ctx.actor.org))
        .is_ok();
    let can_refer = ctx
        .authorize(Action::ReferParticipants, Some(ctx.actor.org))
        .is_ok();
    render(&List {
        c: ctx.c,
        rows,
        f,
        kinds: ServiceKind::ALL.iter().map(|k| k.as_str()).collect(),
        projects,
        orgs,
        can_add,
        can_refer,
        own_org: ctx.actor.org,
        groups,
    })
}

fn catalogue_table(c: &Chrome, rows: &[ServiceRow]) -> polku_reports::Table {
    let headers = [
        "field-name",
        "field-kind",
        "field-project-id",
        "service-organiser",
        "service-provider",
        "field-channel",
        "field-town",
        "field-capacity",
        "service-enrolled",
        "service-waiting-count",
        "field-starts-on",
        "field-ends-on",
        "status",
    ];
    crate::export::table(c, "nav-services", &headers, rows, |s| {
        vec![
            s.name.as_str().into(),
            c.choice("service-kind", s.kind).into(),
            s.project_code.clone().into(),
            s.org_name.as_str().into(),
            s.provider_name.as_str().into(),
            c.choice("channel", s.channel).into(),
            s.town.clone().into(),
            s.capacity.into(),
            s.enrolled_count.into(),
            s.waiting_count.into(),
            s.starts_on.into(),
            s.ends_on.into(),
            c.choice("approval", s.approval).into(),
        ]
    })
}

#[derive(Template)]
#[template(path = "services/form.html")]
struct Edit {
    c: Chrome,
    f: ServiceForm,
    provider_org_id: String,
    /// (id, "CODE: name") of the target groups of the organisation's projects.
    groups: Vec<(i64, String)>,
    ticked: Vec<String>,
    projects: Vec<ProjectRow>,
    orgs: Vec<Org>,
    participants: Vec<ParticipantRow>,
    kinds: Vec<&'static str>,
    channels: Vec<&'static str>,
    offered: Vec<&'static str>,
}

impl Edit {
    fn is_ticked(&self, id: &i64) -> bool {
        self.ticked.contains(&id.to_string())
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CreateForm {
    #[serde(flatten)]
    f: ServiceForm,
    provider_org_id: String,
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    c: Chrome,
    f: ServiceForm,
    provider_org_id: String,
    ticked: Vec<String>,
) -> Result<Edit, AppError> {
    let mut conn = st.db.acquire().await?;
    let projects = projects::for_org(&mut conn, ctx.actor.org).await?;
    let codes: std::collections::HashMap<i64, &str> =
        projects.iter().map(|p| (p.id.0, p.code.as_str())).collect();
    let groups = projects::target_groups_for_org(&mut conn, ctx.actor.org)
        .await?
        .into_iter()
        .map(|g| {
            (
                g.id,
                format!(
                    "{}: {}",
                    codes.get(&g.project_id).copied().unwrap_or(""),
                    g.name
                ),
            )
        })
        .collect();
    Ok(Edit {
        c,
        f,
        provider_org_id,
        groups,
        ticked,
        projects,
        orgs: orgs::list(&mut conn).await?,
        // Participants who can propose a module: the organisation's active ones.
        participants: prepo::search(&mut conn, &st.cipher, ctx.actor.org, "", None, 500)
            .await?
            .into_iter()
            .filter(|p| p.exit_date.is_none())
            .collect(),
        kinds: ServiceKind::ALL.iter().map(|k| k.as_str()).collect(),
        channels: Channel::ALL.iter().map(|k| k.as_str()).collect(),
        offered: OfferedBy::ALL.iter().map(|k| k.as_str()).collect(),
    })
}

pub(super) async fn new(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.authorize(Action::ManageService, Some(ctx.actor.org))?;
    let f = ServiceForm {
        languages: "fi".into(),
        ..Default::default()
    };
    render(
        &edit_page(
            &st,
            &ctx,
            ctx.c.clone(),
            f,
            ctx.actor.org.to_string(),
            vec![],
        )
        .await?,
    )
}

/// The form's fields, and the target groups ticked (`tg=<id>`, repeated).
fn parse_create(body: &[u8]) -> (CreateForm, Vec<String>) {
    let form = serde_urlencoded::from_bytes::<CreateForm>(body).unwrap_or_default();
    let groups = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == "tg")
        .map(|(_, v)| v)
        .collect();
    (form, groups)
}

pub(super) async fn create(
    State(st): State<AppState>,
    ctx: Ctx,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let (CreateForm { f, provider_org_id }, tg) = parse_create(&body);
    let new = uc::NewService {
        form: &f,
        provider_org_id: &provider_org_id,
        target_groups: &tg,
    };
    match uc::create(&st, &ctx.actor, new).await {
        Ok(id) => Ok(Redirect::to(&format!("/services/{id}")).into_response()),
        Err(e) => {
            let errors = form_errors(e)?;
            let c = ctx.with_errors(errors);
            unprocessable(&edit_page(&st, &ctx, c, f, provider_org_id, tg).await?)
        }
    }
}
