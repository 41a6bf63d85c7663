use super::render;
use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polku_domain::authz::Action;
use polku_store::audit::{self, AuditRow, Filter};

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

crate::form!(pub struct AuditQuery { pub action, pub entity, pub entity_id, pub from, pub to, pub format, pub before });

impl AuditQuery {
    fn query(&self) -> String {
        let e = crate::error::urlencode;
        format!(
            "action={}&entity={}&entity_id={}&from={}&to={}",
            e(&self.action),
            e(&self.entity),
            e(&self.entity_id),
            e(&self.from),
            e(&self.to)
        )
    }
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct List {
    c: Chrome,
    rows: Vec<AuditRow>,
    f: AuditQuery,
    actions: Vec<&'static str>,
    /// Where the next, older page starts, when there is one.
    older: Option<i64>,
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn list(
    State(st): State<AppState>,
    ctx: Ctx,
    Query(f): Query<AuditQuery>,
) -> Result<Response, AppError> {
    ctx.authorize(Action::ViewAuditLog, Some(ctx.actor.org))?;
    let date = |s: &str, field: &'static str| -> Result<Option<String>, AppError> {
        Ok(polku_domain::dates::parse_optional_date(s)
            .map_err(|c| polku_domain::DomainError::field(field, c))?
            .map(polku_store::date))
    };
    let filter = Filter {
        // Everyone sees their own organisation's log only, admins included.
        org: Some(ctx.actor.org.0),
        action: some(&f.action),
        entity: some(&f.entity),
        entity_id: polku_domain::text::optional_int(&f.entity_id, 1, i64::MAX)
            .map_err(|c| polku_domain::DomainError::field("entity_id", c))?,
        from: date(&f.from, "from")?,
        to: date(&f.to, "to")?,
        before: polku_domain::text::optional_int(&f.before, 1, i64::MAX)
            .map_err(|c| polku_domain::DomainError::field("before", c))?,
    };
    let export = crate::export::Format::from_query(&f.format);
    // An export holds every matching entry; the page shows the newest 500 and says so.
    let limit = if export.is_some() { i64::MAX } else { 501 };
    let mut conn = st.db.acquire().await?;
    // One person's entries include those about their notes, contacts and plan.
    let person = match (&filter.entity, filter.entity_id) {
        (Some(e), Some(id)) if e == "participant" && filter.action.is_none() => Some(id),
        _ => None,
    };
    let rows = match person {
        Some(id) if filter.from.is_none() && filter.to.is_none() => {
            let mut rows = audit::about_participant(&mut conn, ctx.actor.org, id).await?;
            rows.reverse();
            rows
        }
        _ => audit::list(&mut conn, &filter, limit).await?,
    };
    if let Some(format) = export {
        return crate::export::respond(
            &audit_table(&ctx.c, &rows),
            format,
            ctx.c.lang,
            "audit-log",
        );
    }
    let actions = vec![
        "read",
        "create",
        "update",
        "search",
        "export",
        "login",
        "login_failed",
        "logout",
    ];
    let mut c = ctx.c;
    let rows: Vec<AuditRow> = rows.into_iter().take(501).collect();
    // The list goes on after the 500th: the next page starts below its last entry.
    let older = (rows.len() > 500).then(|| rows[499].id);
    if older.is_some() {
        c.notice = Some(c.t("audit-capped"));
    }
    render(&List {
        c,
        rows: rows.into_iter().take(500).collect(),
        f,
        actions,
        older,
    })
}

fn audit_table(c: &Chrome, rows: &[AuditRow]) -> polku_reports::Table {
    let headers = [
        "audit-at",
        "audit-user",
        "audit-action",
        "audit-entity",
        "field-entity-id",
        "audit-detail",
    ];
    crate::export::table(c, "nav-audit", &headers, rows, |r| {
        vec![
            polku_store::ts(r.at).into(),
            r.user_name.clone().into(),
            r.action.as_str().into(),
            r.entity.as_str().into(),
            r.entity_id.into(),
            r.detail.as_str().into(),
        ]
    })
}
