//! What every page needs: the signed-in user, the language and the CSRF token.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use polku_domain::authz::{authorize, Action, Actor, Role};
use polku_domain::error::FieldError;
use polku_domain::ids::UserId;
use polku_store::users;
use tower_sessions::Session;

pub const USER_KEY: &str = "user_id";
/// A notice for the next page the user sees (a Fluent key), shown once.
const FLASH_KEY: &str = "flash";

/// Says `key` (a Fluent key) on the next page, once: how a save that redirects says it saved.
pub async fn flash(session: &Session, key: &'static str) -> Result<(), AppError> {
    session
        .insert(FLASH_KEY, key)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn session_of(parts: &mut Parts, state: &AppState) -> Result<Session, AppError> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::Internal("no session layer".into()))
}

/// Frame data every template gets as `c`.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub csrf: String,
    pub errors: Vec<FieldError>,
    pub notice: Option<String>,
    /// The page's own path, so the language switch can return to it.
    pub path: String,
    /// Prefix of the ids the error summary links to (`f-` on a page with one form).
    pub error_anchor: String,
}

impl Chrome {
    pub fn anonymous(lang: Lang) -> Chrome {
        Chrome {
            lang,
            user_name: None,
            role: None,
            csrf: String::new(),
            errors: vec![],
            notice: None,
            path: "/".into(),
            error_anchor: "f-".into(),
        }
    }
    pub fn t(&self, key: impl AsRef<str>) -> String {
        self.lang.t(key.as_ref())
    }
    /// "Rows 201–400 shown; the list goes on on the next page" for a paged list.
    pub fn t_range(&self, first: &i64, shown: usize) -> String {
        let last = first + shown as i64 - 1;
        self.lang.t_args(
            "pager-range",
            &[
                ("first", first.to_string()),
                ("last", last.max(*first).to_string()),
            ],
        )
    }
    /// A message in the plural form `count` asks for.
    pub fn tn(&self, key: &str, count: impl Shown<i64>) -> String {
        self.lang.t_count(key, count.value())
    }
    pub fn t1(&self, key: &str, name: &str, value: impl AsRef<str>) -> String {
        self.lang.t_args(key, &[(name, value.as_ref().to_string())])
    }
    /// Form label: `field-<name>`.
    pub fn label(&self, field: &str) -> String {
        self.lang.t(&format!("field-{}", field.replace('_', "-")))
    }
    pub fn has_hint(&self, field: &str) -> bool {
        self.lang.has(&format!("hint-{}", field.replace('_', "-")))
    }
    pub fn hint(&self, field: &str) -> String {
        self.lang.t(&format!("hint-{}", field.replace('_', "-")))
    }
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
    /// An error message by its code, for notices that are not a form's.
    pub fn error_text(&self, code: &str) -> String {
        self.lang.t(&format!("err-{code}"))
    }
    /// Translated error for a form field, empty when the field is fine.
    pub fn err(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| self.lang.error(e.code))
            .collect::<Vec<_>>()
            .join(" ")
    }
    /// Whether `field` was refused with the error `code` (its stable name, as `ErrorCode::code` gives it).
    pub fn refused_as(&self, field: &str, code: &str) -> bool {
        self.errors
            .iter()
            .any(|e| e.field == field && e.code.code() == code)
    }
    pub fn has_err(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
    pub fn error_summary(&self) -> Vec<(String, String)> {
        self.errors
            .iter()
            .map(|e| {
                (
                    e.field.to_string(),
                    format!("{}: {}", self.field_name(e.field), self.lang.error(e.code)),
                )
            })
            .collect()
    }
    /// A field's name in the error summary; a survey's answer fields (`q1`…) by number.
    fn field_name(&self, field: &str) -> String {
        match field.strip_prefix('q').filter(|n| n.parse::<u8>().is_ok()) {
            Some(n) => self.t1("survey-question-n", "n", n),
            None => self.lang.t(&format!("field-{}", field.replace('_', "-"))),
        }
    }
    pub fn can(&self, what: &str) -> bool {
        let Some(role) = self.role else { return false };
        let actor = Actor {
            user: UserId(0),
            org: polku_domain::ids::OrgId(0),
            role,
        };
        let action = match what {
            "admin" => Action::ManageUsers,
            "projects" => Action::ManageProject,
            "participants" => Action::CreateParticipant,
            "search" => Action::ViewParticipant,
            "employers" => Action::ManageEmployers,
            "employer-register" => Action::ViewEmployers,
            "audit" => Action::ViewAuditLog,
            "referrals" => Action::ReceiveReferrals,
            "surveys" => Action::ManageSurveys,
            _ => return false,
        };
        authorize(&actor, action, None).is_ok()
    }
    pub fn same(&self, a: impl AsRef<str>, b: impl AsRef<str>) -> bool {
        a.as_ref() == b.as_ref()
    }
    /// A date as the user's language writes it: "2.3.2026", or "2 Mar 2026" in English.
    pub fn date(&self, d: impl Shown<NaiveDate>) -> String {
        let d = d.value();
        match self.lang {
            Lang::En => d.format("%-d %b %Y").to_string(),
            _ => polku_domain::dates::format_fi(d),
        }
    }
    /// A time of day: "klo 9.05", "kl. 9.05", "9:05".
    fn time_of_day(&self, t: NaiveDateTime) -> String {
        match self.lang {
            Lang::Fi => format!("klo {}", t.format("%-H.%M")),
            Lang::Sv => format!("kl. {}", t.format("%-H.%M")),
            Lang::En => t.format("%-H:%M").to_string(),
        }
    }
    /// A stored "HH:MM" as people write it: "9.00" in Finnish and Swedish, "9:00" in English.
    pub fn clock(&self, hhmm: impl AsRef<str>) -> String {
        let s = hhmm.as_ref();
        let (h, m) = s.split_once(':').unwrap_or((s, "00"));
        let h = h.trim_start_matches('0');
        let h = if h.is_empty() { "0" } else { h };
        if self.lang == Lang::En {
            format!("{h}:{m}")
        } else {
            format!("{h}.{m}")
        }
    }
    /// "5.10.2015 9.00–15.30" from two local times on the same day.
    pub fn datetime_span(
        &self,
        start: impl Shown<NaiveDateTime>,
        end: impl Shown<NaiveDateTime>,
    ) -> String {
        let (s, e) = (&start.value(), &end.value());
        let sep = if self.lang == Lang::En { ':' } else { '.' };
        format!(
            "{} {}{sep}{}–{}{sep}{}",
            self.date(s.date()),
            s.format("%-H"),
            s.format("%M"),
            e.format("%-H"),
            e.format("%M")
        )
    }
    pub fn opt_date(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| self.date(d)).unwrap_or_default()
    }
    /// A stored instant in Finnish local time, as the user's language writes it:
    /// "2.3.2026 klo 11.00", "2 Mar 2026, 11:00".
    pub fn instant(&self, t: impl Shown<DateTime<Utc>>) -> String {
        let local = polku_domain::dates::helsinki(t.value());
        let sep = if self.lang == Lang::En { ", " } else { " " };
        format!(
            "{}{sep}{}",
            self.date(local.date()),
            self.time_of_day(local)
        )
    }
    /// Translates a stored choice (`choice-<group>-<value>`), e.g. `choice-gender-woman`.
    pub fn choice(&self, group: &str, value: impl AsRef<str>) -> String {
        let value = value.as_ref();
        if value.is_empty() {
            return "—".to_string();
        }
        self.lang
            .t(&format!("choice-{group}-{}", value.replace('_', "-")))
    }
    pub fn opt_choice<T: AsRef<str>>(&self, group: &str, value: &Option<T>) -> String {
        self.choice(group, value.as_ref().map_or("", |v| v.as_ref()))
    }
}

/// A typed value a template passes, by value or through references (askama adds them).
pub trait Shown<T> {
    fn value(&self) -> T;
}
impl<T, R: Shown<T> + ?Sized> Shown<T> for &R {
    fn value(&self) -> T {
        (**self).value()
    }
}
macro_rules! shown {
    ($($t:ty),*) => {$(
        impl Shown<$t> for $t {
            fn value(&self) -> $t { *self }
        }
    )*};
}
shown!(NaiveDate, NaiveDateTime, DateTime<Utc>, i64);

/// A signed-in staff member on a page.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub name: String,
    pub session: Session,
    pub c: Chrome,
}

impl Ctx {
    pub fn authorize(
        &self,
        action: Action,
        owner: Option<polku_domain::ids::OrgId>,
    ) -> Result<(), AppError> {
        authorize(&self.actor, action, owner).map_err(AppError::from)
    }
    pub fn with_errors(&self, errors: Vec<FieldError>) -> Chrome {
        Chrome {
            errors,
            ..self.c.clone()
        }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = session_of(parts, state).await?;
        let user_id: Option<i64> = session
            .get(USER_KEY)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let Some(user_id) = user_id else {
            return Err(AppError::Unauthenticated);
        };
        let mut conn = state.db.acquire().await?;
        let user = match users::get(&mut conn, UserId(user_id)).await {
            Ok(u) if u.active => u,
            _ => return Err(AppError::Unauthenticated),
        };
        let actor = user.actor();
        let c = Chrome {
            user_name: Some(user.name.clone()),
            role: Some(actor.role),
            ..public_chrome(parts, &session).await?
        };
        Ok(Ctx {
            actor,
            name: user.name,
            session,
            c,
        })
    }
}

/// A page anyone may see (login, setup): language and CSRF token only.
pub struct PublicCtx {
    pub session: Session,
    pub c: Chrome,
}

impl FromRequestParts<AppState> for PublicCtx {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = session_of(parts, state).await?;
        let c = public_chrome(parts, &session).await?;
        Ok(PublicCtx { session, c })
    }
}

/// The page's frame for anyone: the reader's language, the session's CSRF token, the path.
async fn public_chrome(parts: &Parts, session: &Session) -> Result<Chrome, AppError> {
    let mut c = Chrome::anonymous(Lang::from_headers(&parts.headers));
    c.csrf = crate::csrf::token(session).await?;
    c.path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    // Read before removing: a removal marks the session changed, and a page that only reads
    // must not write the session (a long import holds SQLite's write lock meanwhile).
    if let Ok(Some(key)) = session.get::<String>(FLASH_KEY).await {
        c.notice = Some(c.t(key));
        let _ = session.remove::<String>(FLASH_KEY).await;
    }
    Ok(c)
}
