use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use polku_domain::authz::{Action, Role};
use polku_domain::ids::UserId;
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
    /// Follow-up tasks with employers: the coordinator's own, or the organisation's.
    employer_tasks: Vec<polku_store::employers::EmployerTaskRow>,
    today: chrono::NaiveDate,
    /// The project manager's and the organisation admin's view: figures against targets.
    figures: bool,
    /// Participants whose messages are waiting for an answer.
    unread: Vec<polku_store::messages::UnreadRow>,
    /// Requests to correct or erase, waiting to be handled.
    requests: Vec<polku_store::portal::RequestRow>,
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
    // What falls due within two weeks: the person's own (a counsellor's participants, a
    // coordinator's employers), or the organisation's for a manager.
    let until = st.clock.today() + chrono::Duration::days(14);
    let org = ctx.actor.org;
    let tasks = match whose(&ctx, Action::EditParticipant, Role::Counsellor) {
        Some(mine) => polku_store::follow_ups::due(&mut conn, org, mine, until).await?,
        None => vec![],
    };
    let employer_tasks = match whose(&ctx, Action::ManageEmployers, Role::EmployerCoordinator) {
        Some(mine) => polku_store::employers::tasks_due(&mut conn, org, mine, until).await?,
        None => vec![],
    };
    let (unread, requests) = match whose(&ctx, Action::EditParticipant, Role::Counsellor) {
        Some(mine) => (
            polku_store::messages::unread_for_staff(&mut conn, org, (mine, false)).await?,
            polku_store::portal::open_requests(&mut conn, org, mine).await?,
        ),
        // Partner staff: the people referred to them, who write to them after a referral.
        None if ctx.authorize(Action::ReceiveReferrals, Some(org)).is_ok() => (
            polku_store::messages::unread_for_staff(&mut conn, org, (None, true)).await?,
            vec![],
        ),
        None => (vec![], vec![]),
    };
    let figures = matches!(ctx.actor.role, Role::ProjectManager | Role::Admin);
    super::render(&Home {
        c: ctx.c,
        name: ctx.name,
        projects,
        tasks,
        employer_tasks,
        today: st.clock.today(),
        figures,
        unread,
        requests,
    })
}

/// Whose tasks the front page lists, when the user may do `action` at all: their own if they
/// are in the role that owns such tasks, else (`None` inside) the whole organisation's.
fn whose(ctx: &Ctx, action: Action, owner: Role) -> Option<Option<UserId>> {
    ctx.authorize(action, Some(ctx.actor.org))
        .ok()
        .map(|_| (ctx.actor.role == owner).then_some(ctx.actor.user))
}
