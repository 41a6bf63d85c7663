//! Messages with the staff (their own organisation's, and a partner's after a referral), and
//! the files they carry.

use super::*;

#[derive(Template)]
#[template(path = "portal/messages.html")]
struct MessagesPage {
    c: Chrome,
    conv: uc::Conversation,
    again: Reshown,
}

impl MessagesPage {
    fn files_of(&self, message: &i64) -> Vec<&polku_store::messages::AttachmentRow> {
        self.conv
            .attachments
            .iter()
            .filter(|a| a.message_id == *message)
            .collect()
    }
    /// "1,2 Mt" or "340 kt".
    fn size(&self, bytes: &i64) -> String {
        if *bytes >= 1024 * 1024 {
            let tenths = bytes * 10 / (1024 * 1024);
            format!("{},{} MB", tenths / 10, tenths % 10)
        } else {
            format!("{} kB", (bytes + 1023) / 1024)
        }
    }
    /// Where this thread's form is sent, and the page comes back to.
    fn here(&self) -> String {
        thread_path(self.conv.with.as_ref().map(|l| l.participant_id))
    }
}

/// A thread's page: with their own staff, or with a partner whose record `with` is.
fn thread_path(with: Option<ParticipantId>) -> String {
    match with {
        Some(p) => format!("/my/messages/with/{}", p.0),
        None => "/my/messages".into(),
    }
}

pub(super) async fn messages_page(
    State(st): State<AppState>,
    ctx: PortalCtx,
) -> Result<Response, AppError> {
    messages(&st, ctx, None, Reshown::default()).await
}

/// The thread with a partner's staff, held in their record of the person (`p`).
pub(super) async fn thread_page(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(p): Path<i64>,
) -> Result<Response, AppError> {
    messages(&st, ctx, Some(ParticipantId(p)), Reshown::default()).await
}

async fn messages(
    st: &AppState,
    ctx: PortalCtx,
    with: Option<ParticipantId>,
    again: Reshown,
) -> Result<Response, AppError> {
    let conv = uc::messages(st, &ctx.person, with).await?;
    let c = again.chrome_from(&ctx.c);
    let page = MessagesPage { c, conv, again };
    crate::pages::shown(&page, page.again.is_refused())
}

type MessageSent = crate::submitted::WithFile<polku_domain::portal::MessageForm>;

pub(super) async fn write(
    State(st): State<AppState>,
    ctx: PortalCtx,
    s: MessageSent,
) -> Result<Response, AppError> {
    send(st, ctx, None, s).await
}

pub(super) async fn write_to(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(p): Path<i64>,
    s: MessageSent,
) -> Result<Response, AppError> {
    send(st, ctx, Some(ParticipantId(p)), s).await
}

async fn send(
    st: AppState,
    ctx: PortalCtx,
    with: Option<ParticipantId>,
    s: MessageSent,
) -> Result<Response, AppError> {
    let r = match crate::submitted::attachment(s.file) {
        Ok(file) => uc::write(&st, &ctx.person, with, (&s.form, file.as_ref())).await,
        Err(e) => Err(e.into()),
    };
    let back = thread_path(with);
    let session = ctx.session.clone();
    saved_or_again(r, (|_| back, &session), ("message", s.typed), |a| {
        messages(&st, ctx, with, a)
    })
    .await
}

/// A file as a download: never shown in the page, whatever it holds.
pub(crate) fn file_download((name, mime, bytes): (String, String, Vec<u8>)) -> Response {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    crate::export::download(mime, format!("attachment; filename=\"{safe}\""), bytes)
}

pub(super) async fn file(
    State(st): State<AppState>,
    ctx: PortalCtx,
    Path(a): Path<i64>,
) -> Result<Response, AppError> {
    Ok(file_download(uc::attachment(&st, &ctx.person, a).await?))
}
