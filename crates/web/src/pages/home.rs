use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polku_domain::authz::Role;
use polku_store::projects::{self, ProjectRow};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    name: String,
    projects: Vec<ProjectRow>,
    tasks: Vec<polku_store::follow_ups::TaskRow>,
    today: chrono::NaiveDate,
    /// The project manager's and the organisation admin's view: figures against targets.
    figures: bool,
}

impl Home {
    fn overdue(&self, due: &chrono::NaiveDate) -> bool {
        *due < self.today
    }
    fn overdue_count(&self) -> i64 {
        self.tasks
            .iter()
            .filter(|t| self.overdue(&t.due_date))
            .count() as i64
    }
    /// The list stops at the store's cap: say so.
    fn capped(&self) -> bool {
        self.tasks.len() >= polku_store::follow_ups::DUE_CAP
    }
    /// "34 / 40 (85 %)": a realised figure against its target.
    fn against(&self, done: &i64, target: &Option<i64>) -> String {
        match target {
            Some(t) if *t > 0 => format!(
                "{done} / {t} ({})",
                polku_domain::services::format_rate(Some(done * 1000 / t), self.c.lang_code())
            ),
            _ => done.to_string(),
        }
    }
    /// Budget used: realised euros against the granted budget.
    fn budget(&self, p: &ProjectRow) -> String {
        let euros = |c: i64| polku_reports::grouped(c / 100, self.c.lang_code());
        match (p.budget_realised_cents, p.budget_granted_cents) {
            (Some(r), Some(g)) if g > 0 => format!(
                "{} / {} € ({})",
                euros(r),
                euros(g),
                polku_domain::services::format_rate(Some(r * 1000 / g), self.c.lang_code())
            ),
            (Some(r), _) => format!("{} €", euros(r)),
            _ => "—".into(),
        }
    }
}

async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut conn = st.db.acquire().await?;
    let projects = projects::for_org(&mut conn, ctx.actor.org).await?;
    // Follow-ups due within two weeks: the counsellor's own, or the organisation's for a manager.
    let tasks = if ctx
        .authorize(
            polku_domain::authz::Action::EditParticipant,
            Some(ctx.actor.org),
        )
        .is_ok()
    {
        let mine = (ctx.actor.role == Role::Counsellor).then_some(ctx.actor.user);
        polku_store::follow_ups::due(
            &mut conn,
            ctx.actor.org,
            mine,
            st.clock.today() + chrono::Duration::days(14),
        )
        .await?
    } else {
        vec![]
    };
    let figures = matches!(ctx.actor.role, Role::ProjectManager | Role::Admin);
    super::render(&Home {
        c: ctx.c,
        name: ctx.name,
        projects,
        tasks,
        today: st.clock.today(),
        figures,
    })
}
