//! Signing up for groups and modules, cancelling, proposing a module of one's own.

use super::*;

#[derive(Template)]
#[template(path = "portal/services.html")]
struct ServicesPage {
    c: Chrome,
    o: uc::Offered,
    again: Reshown,
}

impl ServicesPage {
    /// Where the person stands in the service, if signed up and not cancelled.
    fn my_status(&self, s: &polku_store::services::ServiceRow) -> Option<EnrolmentStatus> {
        self.o
            .mine
            .iter()
            .find(|m| m.service_id == s.id)
            .map(|m| m.status)
            .filter(|st| *st != EnrolmentStatus::Cancelled)
    }
    /// Whether signing up for this service was just refused (the reason shows in its card,
    /// where the error summary links).
    fn refused_here(&self, s: &polku_store::services::ServiceRow) -> bool {
        self.again.refused(format!("service-{}", s.id), "rule")
    }
    /// Free places, or that the group is full and how many wait.
    fn places(&self, s: &polku_store::services::ServiceRow) -> String {
        match s.capacity {
            None => self.c.t("portal-places-open"),
            Some(cap) if s.enrolled_count < cap => self.c.t1(
                "portal-places-free",
                "count",
                (cap - s.enrolled_count).to_string(),
            ),
            Some(_) => self
                .c
                .t1("portal-places-full", "count", s.waiting_count.to_string()),
        }
    }
}

pub(super) async fn services_page(
    State(st): State<AppState>,
    ctx: PortalCtx,
) -> Result<Response, AppError> {
    services(&st, ctx, Reshown::default()).await
}

pub(super) async fn services(
    st: &AppState,
    ctx: PortalCtx,
    again: Reshown,
) -> Result<Response, AppError> {
    let o = uc::offered(st, &ctx.person).await?;
    let c = again.chrome_from(&ctx.c);
    let page = ServicesPage { c, o, again };
    crate::pages::shown(&page, page.again.is_refused())
}

#[tracing::instrument(skip_all, fields(service = s))]
pub(super) async fn sign_up(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(s): Path<i64>,
) -> Result<Response, AppError> {
    let said = match uc::sign_up(&st, &ctx.person, s).await {
        Ok(EnrolmentStatus::Waiting) => "portal-signed-up-waiting",
        Ok(_) => "portal-signed-up",
        Err(e) => {
            let errors = form_errors(e)?;
            let again = Reshown {
                form: format!("service-{s}"),
                typed: vec![],
                errors,
            };
            return services(&st, ctx, again).await;
        }
    };
    crate::ctx::flash(&ctx.session, said).await?;
    Ok(Redirect::to(&format!("/my/services#service-{s}")).into_response())
}

#[tracing::instrument(skip_all, fields(service = s))]
pub(super) async fn cancel(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(s): Path<i64>,
) -> Result<Response, AppError> {
    uc::cancel(&st, &ctx.person, s).await?;
    crate::ctx::flash(&ctx.session, "portal-cancelled").await?;
    Ok(Redirect::to(&format!("/my/services#service-{s}")).into_response())
}

pub(super) async fn propose(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: Submitted<polku_domain::services::ServiceForm>,
) -> Result<Response, AppError> {
    let r = uc::propose(&st, &ctx.person, &s.form).await;
    let session = ctx.session.clone();
    saved_or_again(
        r,
        (|_| "/my/services#propose".to_string(), &session),
        ("propose", s.typed),
        |a| services(&st, ctx, a),
    )
    .await
}
