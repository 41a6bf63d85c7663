//! The person's own data (download, a request to correct or erase) and self-assessment.

use super::*;

#[derive(Template)]
#[template(path = "portal/data.html")]
struct DataPage {
    c: Chrome,
    again: Reshown,
}

pub(super) async fn data_page(ctx: PortalCtx) -> Result<Response, AppError> {
    render(&DataPage {
        c: ctx.c,
        again: Reshown::default(),
    })
}

crate::form!(pub(super) struct DownloadQuery { format });

/// Everything they may download about themself, as JSON or a PDF in their language.
pub(super) async fn download(
    State(st): State<AppState>,
    ctx: PortalCtx,
    axum::extract::Query(q): axum::extract::Query<DownloadQuery>,
) -> Result<Response, AppError> {
    let (d, log) = uc::my_data(&st, &ctx.person).await?;
    let a = polku_usecases::participants::Access { d, log };
    let (bytes, mime, ext) = match q.format.as_str() {
        "pdf" => (
            crate::pages::privacy::access_pdf(&a, &ctx.c, st.clock.today())?,
            "application/pdf",
            "pdf",
        ),
        _ => (
            serde_json::to_vec_pretty(&crate::pages::privacy::access_json(&a))
                .map_err(|e| AppError::Internal(e.to_string()))?,
            "application/json",
            "json",
        ),
    };
    let disposition = format!("attachment; filename=\"my-data.{ext}\"");
    Ok(crate::export::download(mime, disposition, bytes))
}

pub(super) async fn ask(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: Submitted<polku_domain::portal::DataRequestForm>,
) -> Result<Response, AppError> {
    let r = uc::request(&st, &ctx.person, &s.form).await;
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (|_| "/my/data".to_string(), &session),
        ("request", s.typed),
        |again| async move {
            let c = again.chrome_from(&ctx.c);
            let page = DataPage { c, again };
            crate::pages::shown(&page, true)
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "portal/assessment.html")]
struct AssessmentPage {
    c: Chrome,
    rows: Vec<polku_store::assessments::ScoreRow>,
    phase: polku_domain::assessment::Phase,
    items: &'static [polku_domain::assessment::AssessmentItem],
    again: Reshown,
}

impl AssessmentPage {
    /// Which assessment the form asks now.
    fn heading(&self) -> String {
        self.c
            .t(format!("portal-assessment-{}", self.phase.as_str()))
    }
    fn score(&self, item: &polku_domain::assessment::AssessmentItem, phase: &str) -> String {
        self.rows
            .iter()
            .find(|r| r.item == *item && r.phase.as_str() == phase)
            .map_or("—".into(), |r| r.score.to_string())
    }
    /// The score ticked: as sent when refused, else as answered before in this phase.
    fn ticked(&self, field: &str, n: &str) -> bool {
        if self.again.is_refused() {
            return self.again.chosen("assessment", field, n);
        }
        self.rows
            .iter()
            .any(|r| r.phase == self.phase && r.item.field() == field && r.score.to_string() == n)
    }
}

pub(super) async fn assessment_page(
    State(st): State<AppState>,
    ctx: PortalCtx,
) -> Result<Response, AppError> {
    assessment(&st, ctx, Reshown::default()).await
}

pub(super) async fn assessment(
    st: &AppState,
    ctx: PortalCtx,
    again: Reshown,
) -> Result<Response, AppError> {
    let (rows, phase) = uc::my_assessment(st, &ctx.person).await?;
    let page = AssessmentPage {
        c: again.chrome_from(&ctx.c),
        rows,
        phase,
        items: polku_domain::assessment::AssessmentItem::ALL,
        again,
    };
    crate::pages::shown(&page, page.again.is_refused())
}

pub(super) async fn assess(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: Submitted<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = uc::assess(&st, &ctx.person, &s.typed).await;
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (|_| "/my/assessment".to_string(), &session),
        ("assessment", s.typed),
        |a| assessment(&st, ctx, a),
    )
    .await
}
