//! Accounts: the first administrator, signing in and out, invitations with a one-time link to
//! set a password, unlocking, API tokens and organisations.

use crate::{Error, Polku, Result};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Duration;
use polku_domain::authz::{authorize, Action, Actor, Role};
use polku_domain::error::Errors;
use polku_domain::ids::{ApiTokenId, OrgId, UserId};
use polku_domain::validated::{BusinessId, Email};
use polku_domain::{text, DomainError, ErrorCode};
use polku_store::audit::{Audit, AuditAction, Entity};
use polku_store::users::UserRow;
use polku_store::{orgs, outbox, settings, tokens, users};
use rand::RngCore;

/// The setting that holds the hash of the one-time setup link's token.
pub const SETUP_TOKEN_KEY: &str = "setup_token_hash";
/// Failed logins in a row after which an account is locked until an admin unlocks it. Below the
/// per-address burst, so one address cannot try more passwords than this on one account.
pub const LOCK_AFTER: i64 = 8;
/// How long a link to set one's password stays usable.
pub const LINK_HOURS: i64 = 72;

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Passwords: at least 12 characters; length beats composition rules (NIST SP 800-63B).
pub fn check_password(p: &str) -> Result<(), ErrorCode> {
    if p.chars().count() >= 12 {
        Ok(())
    } else {
        Err(ErrorCode::PasswordWeak)
    }
}

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut raw = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

/// A login's outcome: the signed-in user, or the code to show (a failed login, or a locked
/// account, which only someone who knows the password learns).
pub enum Login {
    SignedIn(UserRow),
    Refused(ErrorCode),
}

/// Checks an e-mail address and password. Every attempt is audited; failures count towards
/// locking the account.
#[tracing::instrument(skip_all)]
pub async fn login(app: &Polku, email: &str, password: &str) -> Result<Login> {
    let mut tx = app.db.begin().await?;
    // An address no account can have (a NUL byte, which PostgreSQL refuses in text) is unknown.
    let user = match text::check_chars(email) {
        Ok(()) => users::by_email(&mut tx, email).await?,
        Err(_) => None,
    };
    // Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
    let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    let ok = verify_password(password, user.as_ref().map_or(dummy, |u| &u.password_hash));
    let now = app.clock.now();
    let locked = user.as_ref().is_some_and(|u| u.locked_at.is_some());
    let actor = user
        .as_ref()
        .filter(|u| ok && u.active && !locked)
        .map(|u| u.actor());
    let outcome = match (actor, user) {
        (Some(actor), Some(user)) => {
            users::login_succeeded(&mut tx, actor.user).await?;
            Audit::by(&actor, now)
                .log(&mut tx, AuditAction::Login, Entity::User(actor.user.0), "")
                .await?;
            Login::SignedIn(user)
        }
        (_, user) => {
            let mut code = ErrorCode::LoginFailed;
            if let Some(u) = &user {
                let now_locked = users::login_failed(&mut tx, u.id, LOCK_AFTER, now).await?;
                if now_locked && ok {
                    code = ErrorCode::AccountLocked;
                }
            }
            let entity = user
                .as_ref()
                .map_or(Entity::UnknownUser, |u| Entity::User(u.id.0));
            Audit::new(None, now)
                .in_org(user.as_ref().map(|u| u.org_id))
                .log(
                    &mut tx,
                    AuditAction::LoginFailed,
                    entity,
                    if locked { "locked" } else { "" },
                )
                .await?;
            Login::Refused(code)
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Audits a sign-out.
#[tracing::instrument(skip_all, fields(user = uid.0))]
pub async fn logout(app: &Polku, uid: UserId) -> Result<()> {
    let mut tx = app.db.begin().await?;
    let actor = users::get(&mut tx, uid).await.ok().map(|u| u.actor());
    Audit::new(actor.as_ref(), app.clock.now())
        .log(&mut tx, AuditAction::Logout, Entity::User(uid.0), "")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a setup link is still good: its token matches and no user exists yet.
pub async fn setup_token_valid(app: &Polku, token: &str) -> Result<bool> {
    let mut conn = app.db.acquire().await?;
    let stored = settings::get(&mut conn, SETUP_TOKEN_KEY).await?;
    Ok(stored.is_some_and(|h| h == tokens::hash(token)) && users::count(&mut conn).await? == 0)
}

/// An organisation's name and business id as typed, each checked into `e`.
fn org_fields(
    e: &mut Errors,
    name: &str,
    business_id: &str,
) -> (Option<String>, Option<BusinessId>) {
    let name = e.take("org_name", text::required(name, 200));
    let bid =
        text::optional(business_id, 20).and_then(|b| b.map(|b| BusinessId::parse(&b)).transpose());
    (name, e.take("business_id", bid).flatten())
}

/// The first organisation and its administrator, from the one-time setup link.
pub struct Setup<'a> {
    pub org_name: &'a str,
    pub business_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub locale: &'a str,
}

#[tracing::instrument(skip_all)]
pub async fn setup(app: &Polku, token: &str, s: Setup<'_>) -> Result<UserId> {
    if !setup_token_valid(app, token).await? {
        return Err(DomainError::NotFound.into());
    }
    let mut e = Errors::new();
    let (org_name, business_id) = org_fields(&mut e, s.org_name, s.business_id);
    let name = e.take("name", text::required(s.name, 200));
    let email = e.take("email", Email::parse(s.email));
    e.take("password", check_password(s.password));
    e.into_result()?;
    let (Some(org_name), Some(name), Some(email)) = (org_name, name, email) else {
        return Err(Error::Internal("validated form incomplete".into()));
    };
    let hash = hash_password(s.password)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    // Consumed first, in one conditional statement: a second submission of the same link,
    // even a concurrent one, finds it gone and creates nothing.
    if !settings::take(&mut tx, SETUP_TOKEN_KEY, &tokens::hash(token)).await? {
        return Err(DomainError::NotFound.into());
    }
    let bid = business_id.as_ref().map(|b| b.as_str());
    let org = orgs::create(&mut tx, &org_name, bid, "project_owner", now).await?;
    let user = users::NewUser {
        org,
        email: &email,
        name: &name,
        password_hash: &hash,
        role: Role::Admin,
        locale: s.locale,
    };
    let uid = users::create(&mut tx, user, now).await?;
    let actor = Actor {
        user: uid,
        org,
        role: Role::Admin,
    };
    Audit::by(&actor, now)
        .create(&mut tx, Entity::User(uid.0), "first admin")
        .await?;
    tx.commit().await?;
    Ok(uid)
}

/// A validated invitation.
pub struct Invitation {
    pub org: OrgId,
    pub name: String,
    pub email: Email,
    pub role: Role,
    pub locale: &'static str,
}

/// The message that carries a link to set one's password, in the invitee's language:
/// (subject, body) from the organisation's name, the hours the link lasts and the link.
pub type InviteText<'a> = &'a (dyn Fn(&str, i64, &str) -> (String, String) + Sync);

/// Creates the account without a password, stores a one-time link and queues the message that
/// carries it, in one transaction; audited in the actor's organisation and, when the account
/// is in another one, in that organisation too. `actor` is `None` for the command line, whose
/// user runs the platform. Returns the new id and the link (for the command line).
#[tracing::instrument(skip_all, fields(org = inv.org.0))]
pub async fn invite(
    app: &Polku,
    actor: Option<&Actor>,
    inv: &Invitation,
    base_url: &str,
    text: InviteText<'_>,
) -> Result<(UserId, String)> {
    if let Some(a) = actor {
        authorize(a, Action::ManageUsers, Some(inv.org))?;
        // Only the operator makes operators; an organisation admin cannot raise anyone above itself.
        if inv.role == Role::Operator && a.role != Role::Operator {
            return Err(Error::field("role", ErrorCode::ChoiceInvalid));
        }
    }
    let mut tx = app.db.begin().await?;
    let org = orgs::get(&mut tx, inv.org)
        .await
        .map_err(|_| Error::field("org_id", ErrorCode::ChoiceInvalid))?;
    let now = app.clock.now();
    let new = users::NewUser {
        org: inv.org,
        email: &inv.email,
        name: &inv.name,
        password_hash: "",
        role: inv.role,
        locale: inv.locale,
    };
    let uid = users::create(&mut tx, new, now).await?;
    let token = random_hex(32);
    users::create_password_link(&mut tx, uid, &token, now, now + Duration::hours(LINK_HOURS))
        .await?;
    let link = format!("{}/password/{token}", base_url.trim_end_matches('/'));
    let (subject, body) = text(&org.name, LINK_HOURS, &link);
    outbox::queue(&mut tx, inv.email.as_str(), &subject, &body, now).await?;
    let detail = inv.role.as_str();
    let actor_org = actor.map(|a| a.org);
    Audit::new(actor, now)
        .in_org(actor_org.or(Some(inv.org)))
        .create(&mut tx, Entity::User(uid.0), detail)
        .await?;
    if actor_org.is_some_and(|o| o != inv.org) {
        Audit::new(actor, now)
            .in_org(Some(inv.org))
            .create(&mut tx, Entity::User(uid.0), detail)
            .await?;
    }
    tx.commit().await?;
    Ok((uid, link))
}

/// Whether a link to set a password is still usable.
pub async fn password_link_valid(app: &Polku, token: &str) -> Result<bool> {
    let mut conn = app.db.acquire().await?;
    Ok(
        users::password_link_user(&mut conn, token, app.clock.now(), false)
            .await?
            .is_some(),
    )
}

/// Sets the password through a one-time link, which is used up.
#[tracing::instrument(skip_all)]
pub async fn set_password_by_link(app: &Polku, token: &str, password: &str) -> Result<UserId> {
    if !password_link_valid(app, token).await? {
        return Err(DomainError::NotFound.into());
    }
    check_password(password).map_err(|c| Error::field("password", c))?;
    let hash = hash_password(password)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let uid = users::password_link_user(&mut tx, token, now, true)
        .await?
        .ok_or(DomainError::NotFound)?;
    users::set_password(&mut tx, uid, &hash).await?;
    let actor = users::get(&mut tx, uid).await?.actor();
    Audit::new(Some(&actor), now)
        .update(&mut tx, Entity::User(uid.0), "password set by link")
        .await?;
    tx.commit().await?;
    Ok(uid)
}

/// The platform operator works across organisations; everyone else within their own.
pub fn scope(actor: &Actor) -> Option<OrgId> {
    (actor.role != Role::Operator).then_some(actor.org)
}

/// Unlocks an account locked after failed logins, within the actor's reach.
#[tracing::instrument(skip_all, fields(user = id.0))]
pub async fn unlock(app: &Polku, actor: &Actor, id: UserId) -> Result<()> {
    authorize(actor, Action::ManageUsers, Some(actor.org))?;
    let mut tx = app.db.begin().await?;
    users::unlock(&mut tx, id, scope(actor)).await?;
    Audit::by(actor, app.clock.now())
        .update(&mut tx, Entity::User(id.0), "unlocked")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A new API token for the actor; returned once, only its hash is stored.
#[tracing::instrument(skip_all, fields(user = actor.user.0))]
pub async fn create_token(app: &Polku, actor: &Actor, name: &str) -> Result<(ApiTokenId, String)> {
    authorize(actor, Action::ManageOwnTokens, None)?;
    let name = text::required(name, 100).map_err(|c| Error::field("name", c))?;
    let token = format!("polku_{}", random_hex(32));
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let id = tokens::create(&mut tx, actor.user, &name, &token, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::ApiToken(id.0), "")
        .await?;
    tx.commit().await?;
    Ok((id, token))
}

#[tracing::instrument(skip_all, fields(token = id.0))]
pub async fn revoke_token(app: &Polku, actor: &Actor, id: ApiTokenId) -> Result<()> {
    let mut tx = app.db.begin().await?;
    tokens::revoke(&mut tx, actor.user, id).await?;
    Audit::by(actor, app.clock.now())
        .update(&mut tx, Entity::ApiToken(id.0), "revoked")
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The kinds of organisation in the network.
pub const ORG_KINDS: &[&str] = &[
    "project_owner",
    "te_office",
    "municipality",
    "kela",
    "college",
    "ngo",
    "company",
    "funder",
];

/// Adds an organisation (the platform operator's task).
#[tracing::instrument(skip_all)]
pub async fn create_org(
    app: &Polku,
    actor: &Actor,
    name: &str,
    business_id: &str,
    kind: &str,
) -> Result<OrgId> {
    authorize(actor, Action::ManageOrganisations, None)?;
    let mut e = Errors::new();
    let (name, bid) = org_fields(&mut e, name, business_id);
    let kind_ok = ORG_KINDS.contains(&kind);
    e.take(
        "kind",
        if kind_ok {
            Ok(())
        } else {
            Err(ErrorCode::ChoiceInvalid)
        },
    );
    e.into_result()?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let bid = bid.as_ref().map(|b| b.as_str());
    let id = orgs::create(&mut tx, &name.unwrap_or_default(), bid, kind, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::Organisation(id.0), "")
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Remembers the user's language for messages and the next sign-in.
#[tracing::instrument(skip_all, fields(user = uid.0))]
pub async fn set_locale(app: &Polku, uid: UserId, locale: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    users::set_locale(&mut tx, uid, locale).await?;
    tx.commit().await?;
    Ok(())
}

/// A secret address for subscribing to the organisation's annual calendar; shown once, like an
/// API token. Returns the token.
#[tracing::instrument(skip_all, fields(user = actor.user.0))]
pub async fn create_calendar_feed(app: &Polku, actor: &Actor) -> Result<String> {
    authorize(actor, Action::ViewServices, None)?;
    let token = random_hex(24);
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    polku_store::calendar::create_feed(&mut tx, actor.user, &token, now).await?;
    Audit::by(actor, now)
        .create(&mut tx, Entity::User(actor.user.0), "calendar feed")
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// An invitation as typed; `locale` is one of the interface's languages (fi, sv, en).
pub struct InvitationForm<'a> {
    pub org_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub locale: &'static str,
}

impl InvitationForm<'_> {
    /// Checked after the actor's right to manage users, so a refusal says nothing about the form.
    pub fn parse(&self, actor: &Actor) -> Result<Invitation> {
        authorize(actor, Action::ManageUsers, Some(actor.org))?;
        let mut e = Errors::new();
        let org = e.take(
            "org_id",
            text::optional_int(self.org_id, 1, i64::MAX).and_then(|v| v.ok_or(ErrorCode::Required)),
        );
        let name = e.take("name", text::required(self.name, 200));
        let email = e.take("email", Email::parse(self.email));
        let role = e.take("role", Role::parse(self.role));
        e.into_result()?;
        let (Some(org), Some(name), Some(email), Some(role)) = (org, name, email, role) else {
            return Err(Error::Internal("validated form incomplete".into()));
        };
        Ok(Invitation {
            org: OrgId(org),
            name,
            email,
            role,
            locale: self.locale,
        })
    }
}

/// The accounts the actor may manage: the platform operator's every one, an admin's own
/// organisation's.
pub async fn list_users(app: &Polku, actor: &Actor) -> Result<Vec<UserRow>> {
    authorize(actor, Action::ManageUsers, Some(actor.org))?;
    Ok(users::list(&mut *app.db.acquire().await?, scope(actor)).await?)
}

/// The organisations of the network (managed by the platform operator; admins see them to
/// invite).
pub async fn list_orgs(app: &Polku, actor: &Actor) -> Result<Vec<orgs::Org>> {
    authorize(actor, Action::ManageUsers, Some(actor.org))?;
    let all = orgs::list(&mut *app.db.acquire().await?).await?;
    let scope = scope(actor);
    Ok(all
        .into_iter()
        .filter(|o| scope.is_none_or(|s| s == o.id))
        .collect())
}

/// The organisation's annual calendar between two dates: sessions and duty shifts (no
/// personal data).
pub async fn calendar(
    app: &Polku,
    actor: &Actor,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Vec<polku_store::calendar::EntryRow>> {
    authorize(actor, Action::ViewServices, None)?;
    let mut conn = app.db.acquire().await?;
    Ok(polku_store::calendar::entries(&mut conn, actor.org, from, to).await?)
}
