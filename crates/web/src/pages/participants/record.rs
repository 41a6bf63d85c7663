//! A person's record as their page shows it.

use crate::ctx::{Chrome, Ctx};
use crate::error::AppError;
use crate::pages::timeline::{timeline, TimelineItem, TimelineSources};
pub(crate) use crate::reshown::Reshown;
use crate::AppState;
use askama::Template;
use axum::response::Response;
use polku_domain::authz::Action;
use polku_domain::dates::{age_on, months_between};
use polku_domain::eligibility::{Facts, Verdict};
use polku_domain::ids::{GoalId, ParticipantId};
use polku_domain::participant::ConsentKind;
use polku_domain::special::SpecialCategories;
use polku_store::participants::{ConsentRow, GoalRow, NoteRow, ParticipantRow, StepRow};
use polku_usecases::participants::{self as uc, archived, ViewData};

#[derive(Template)]
#[template(path = "participants/show.html")]
struct Show {
    c: Chrome,
    p: ParticipantRow,
    hetu: String,
    special: Vec<(&'static str, &'static str)>,
    age: i32,
    municipality: String,
    group_name: String,
    verdict: Option<Verdict>,
    consents: Vec<ConsentRow>,
    goals: Vec<GoalRow>,
    steps: Vec<StepRow>,
    notes: Vec<NoteRow>,
    can_edit: bool,
    can_erase: bool,
    can_audit: bool,
    archived: bool,
    /// Consents, the follow-up and the data subject's rights stay open after the project ends.
    can_record: bool,
    exit_statuses: Vec<&'static str>,
    goal_kinds: Vec<&'static str>,
    consent_kinds: Vec<&'static str>,
    today: String,
    services: Vec<polku_store::services::ParticipantServiceRow>,
    contacts: Vec<polku_store::services::ContactRow>,
    contact_kinds: Vec<&'static str>,
    timeline: Vec<TimelineItem>,
    follow_up: Option<polku_store::follow_ups::FollowUpRow>,
    next_session: Option<polku_store::services::NextSessionRow>,
    referred_by: Vec<polku_store::referrals::IncomingRow>,
    referrers: Vec<&'static str>,
    referrals: Vec<polku_store::referrals::ReferralRow>,
    messages: Vec<polku_store::messages::MessageRow>,
    /// The person's requests to correct or erase.
    requests: Vec<polku_store::portal::RequestRow>,
    /// Their self-assessment at entry and exit.
    assessment: Vec<polku_store::assessments::ScoreRow>,
    attachments: Vec<polku_store::messages::AttachmentRow>,
    /// May refer the person to another organisation (not after the project ended).
    can_refer: bool,
    today_date: chrono::NaiveDate,
    again: Reshown,
}

impl Show {
    /// The first step not yet done, soonest due first (undated ones last).
    fn next_step(&self) -> Option<&StepRow> {
        self.steps
            .iter()
            .filter(|s| !s.done)
            .min_by_key(|s| (s.due_date.is_none(), s.due_date))
    }
    /// The six-month follow-up, while it is still to be done.
    fn open_follow_up(&self) -> Option<&polku_store::follow_ups::FollowUpRow> {
        self.follow_up.as_ref().filter(|f| f.status.is_none())
    }
    fn overdue(&self, due: &chrono::NaiveDate) -> bool {
        *due < self.today_date
    }
    fn service_rate(&self, s: &polku_store::services::ParticipantServiceRow) -> String {
        let t = polku_domain::services::AttendanceTally {
            present: s.present,
            absent: s.recorded - s.present,
            excused: 0,
        };
        polku_domain::services::format_rate(t.rate_permille(), self.c.lang_code())
    }
    fn steps_of(&self, goal: &GoalId) -> Vec<&StepRow> {
        self.steps.iter().filter(|s| s.goal_id == *goal).collect()
    }
    /// The exit date the form starts with: the recorded one, else today.
    fn exit_date_shown(&self) -> String {
        self.p
            .exit_date
            .map_or(self.today.clone(), polku_domain::dates::format_fi)
    }
    /// The exit status selected: as typed into a refused form, else as recorded.
    fn exit_status_is(&self, s: &str) -> bool {
        if self.again.form == "exit" {
            return self.again.chosen("exit", "exit_status", s);
        }
        self.p.exit_status.is_some_and(|x| x.as_str() == s)
    }
    /// An exit checkbox: as typed into a refused form, else as recorded.
    fn exit_flag(&self, field: &str, recorded: &bool) -> bool {
        if self.again.form == "exit" {
            return self.again.chosen("exit", field, "on");
        }
        *recorded
    }
    /// Having left, how many referrals to other services they had by then (TEHDAS's measure);
    /// none while still in the project or never referred.
    fn referred_before_exit(&self) -> Option<usize> {
        let exit = self.p.exit_date?;
        let n = self
            .referrals
            .iter()
            .filter(|r| {
                r.referred_on <= exit
                    && r.status != polku_domain::referral::ReferralStatus::Returned
            })
            .count();
        (n > 0).then_some(n)
    }
    fn files_of(&self, message: &i64) -> Vec<&polku_store::messages::AttachmentRow> {
        self.attachments
            .iter()
            .filter(|a| a.message_id == *message)
            .collect()
    }
    /// The self-assessment's items, for its table.
    fn assessment_items(&self) -> &'static [polku_domain::assessment::AssessmentItem] {
        polku_domain::assessment::AssessmentItem::ALL
    }
    fn score(&self, item: &polku_domain::assessment::AssessmentItem, phase: &str) -> String {
        self.assessment
            .iter()
            .find(|r| r.item == *item && r.phase.as_str() == phase)
            .map_or("—".into(), |r| r.score.to_string())
    }
    fn consent_state(&self, kind: &&str) -> Option<&ConsentRow> {
        self.consents.iter().find(|c| c.kind.as_str() == *kind)
    }
}

pub fn facts(p: &ParticipantRow, special: &SpecialCategories) -> Facts {
    Facts {
        age: Some(age_on(p.birth_date, p.entry_date)),
        municipality: Some(p.municipality.clone()),
        education: p.education,
        subsidy_days: p.subsidy_days,
        unemployed_months: p.unemployed_since.map(|s| months_between(s, p.entry_date)),
        partial_work_ability: special.disability,
        labour_status: p.labour_status,
    }
}

fresh_page!(pub(super) show => page);

/// The person's page; with a refused form, that form shown again in place (422).
pub(crate) async fn page(
    st: &AppState,
    ctx: Ctx,
    id: i64,
    again: Reshown,
) -> Result<Response, AppError> {
    let ViewData {
        p,
        hetu,
        special,
        group,
        consents,
        goals,
        steps,
        notes,
        services,
        contacts,
        visits,
        follow_up,
        next_session,
        referred_by,
        referrals,
        messages,
        requests,
        assessment,
        attachments,
    } = uc::view(st, &ctx.actor, ParticipantId(id)).await?;
    if can_answer_messages(&ctx, &p) {
        polku_usecases::messages::seen(st, &ctx.actor, ParticipantId(id)).await?;
    }
    let f = facts(&p, &special);
    let verdict = group.as_ref().map(|g| g.rules.evaluate(&f));
    let municipality = polku_domain::validated::Municipality::parse(&p.municipality)
        .map(|m| m.name(ctx.c.lang_code()).to_string())
        .unwrap_or_else(|_| p.municipality.clone());
    let can_record = ctx
        .authorize(Action::EditParticipant, Some(p.org_id))
        .is_ok();
    let can_edit = can_record && !archived(&p, st.clock.today());
    let can_erase = ctx
        .authorize(Action::ErasePersonalData, Some(p.org_id))
        .is_ok();
    let can_audit = ctx.authorize(Action::ViewAuditLog, Some(p.org_id)).is_ok();
    let can_refer = can_edit
        && ctx
            .authorize(Action::ReferParticipants, Some(p.org_id))
            .is_ok();
    let timeline = timeline(
        &p,
        TimelineSources {
            notes: &notes,
            goals: &goals,
            consents: &consents,
            contacts: &contacts,
            services: &services,
            visits: &visits,
            messages: &messages,
        },
        &ctx.c,
    );
    let refused = again.is_refused();
    let c = again.chrome(&ctx);
    let show = Show {
        again,
        follow_up,
        next_session,
        referred_by,
        referrals,
        messages,
        requests,
        assessment,
        attachments,
        can_refer,
        referrers: polku_domain::referral::Referrer::ALL
            .iter()
            .map(|r| r.as_str())
            .collect(),
        today_date: st.clock.today(),
        services,
        contacts,
        contact_kinds: polku_domain::services::ContactKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect(),
        timeline,
        group_name: group.map(|g| g.name).unwrap_or_default(),
        c,
        hetu,
        special: special_answers(&special),
        age: f.age.unwrap_or_default(),
        municipality,
        verdict,
        consents,
        goals,
        steps,
        notes,
        can_edit,
        can_erase,
        can_audit,
        archived: archived(&p, st.clock.today()),
        can_record,
        exit_statuses: polku_domain::participant::ExitStatus::ALL
            .iter()
            .map(|s| s.as_str())
            .collect(),
        goal_kinds: polku_domain::participant::GoalKind::ALL
            .iter()
            .map(|s| s.as_str())
            .collect(),
        consent_kinds: ConsentKind::ALL.iter().map(|s| s.as_str()).collect(),
        today: polku_domain::dates::format_fi(st.clock.today()),
        p,
    };
    crate::pages::shown(&show, refused)
}

/// Staff who may answer the person's messages; their reading marks them read.
fn can_answer_messages(ctx: &Ctx, p: &ParticipantRow) -> bool {
    ctx.authorize(Action::EditParticipant, Some(p.org_id))
        .is_ok()
}

/// The special-category answers as (field, choice) pairs, for pages and the PDF.
pub fn special_answers(s: &SpecialCategories) -> Vec<(&'static str, &'static str)> {
    vec![
        ("disability", s.disability.as_str()),
        ("foreign_background", s.foreign_background.as_str()),
        ("third_country_national", s.third_country_national.as_str()),
        ("minority", s.minority.as_str()),
        ("homeless", s.homeless.as_str()),
    ]
}
