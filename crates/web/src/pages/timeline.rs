//! The participant's timeline: entry, plan, consents, notes, contacts, services and visits in
//! one list, newest first.

use crate::ctx::Chrome;
use chrono::NaiveDate;
use polku_store::participants::{ConsentRow, GoalRow, NoteRow, ParticipantRow};
use polku_usecases::participants::ViewData;

/// One line on the participant's timeline, newest first.
pub struct TimelineItem {
    pub date: NaiveDate,
    /// Fluent key of the event kind.
    pub kind: &'static str,
    pub text: String,
}

/// What the participant's timeline is built from.
pub(super) struct TimelineSources<'a> {
    pub(super) notes: &'a [NoteRow],
    pub(super) goals: &'a [GoalRow],
    pub(super) consents: &'a [ConsentRow],
    pub(super) contacts: &'a [polku_store::services::ContactRow],
    pub(super) services: &'a [polku_store::services::ParticipantServiceRow],
    pub(super) visits: &'a [polku_store::dropin::OwnVisit],
    pub(super) messages: &'a [polku_store::messages::MessageRow],
}

/// The person's timeline from everything on their page (also the right-of-access PDF's).
pub fn timeline_of(d: &ViewData, c: &Chrome) -> Vec<TimelineItem> {
    let src = TimelineSources {
        notes: &d.notes,
        goals: &d.goals,
        consents: &d.consents,
        contacts: &d.contacts,
        services: &d.services,
        visits: &d.visits,
        messages: &d.messages,
    };
    timeline(&d.p, src, c)
}

pub(super) fn timeline(
    p: &ParticipantRow,
    src: TimelineSources<'_>,
    c: &Chrome,
) -> Vec<TimelineItem> {
    let TimelineSources {
        notes,
        goals,
        consents,
        contacts,
        services,
        visits,
        messages,
    } = src;

    let mut items = vec![TimelineItem {
        date: p.entry_date,
        kind: "timeline-entry",
        text: p.project_code.clone(),
    }];
    for g in goals {
        items.push(TimelineItem {
            date: g.created_at.date_naive(),
            kind: "timeline-goal",
            text: format!("{}: {}", c.choice("goal-kind", g.kind), g.description),
        });
    }
    for k in consents {
        let answer = if k.granted {
            c.t("consent-given")
        } else {
            c.t("consent-not-given")
        };
        items.push(TimelineItem {
            date: k.recorded_at.date_naive(),
            kind: "timeline-consent",
            text: format!("{}: {answer}", c.choice("consent", k.kind)),
        });
    }
    for v in visits {
        let point = &v.point_name;
        items.push(TimelineItem {
            date: v.date,
            kind: "timeline-visit",
            text: v
                .topic
                .as_ref()
                .map_or(point.clone(), |t| format!("{point} – {t}")),
        });
    }
    for n in notes {
        items.push(TimelineItem {
            date: n.created_at.date_naive(),
            kind: "timeline-note",
            text: n.body.chars().take(120).collect(),
        });
    }
    for m in messages {
        let who = match &m.author_name {
            Some(n) => n.clone(),
            None => p.first_name.clone(),
        };
        items.push(TimelineItem {
            date: m.created_at.date_naive(),
            kind: "timeline-message",
            text: format!("{who}: {}", m.body.chars().take(120).collect::<String>()),
        });
    }
    for k in contacts {
        items.push(TimelineItem {
            date: k.date,
            kind: "timeline-contact",
            text: format!(
                "{} {} min – {}",
                c.choice("contact-kind", k.kind),
                k.duration_min,
                k.summary
            ),
        });
    }
    for sv in services {
        if let Some(d) = sv.starts_on {
            items.push(TimelineItem {
                date: d,
                kind: "timeline-service",
                text: format!("{} ({})", sv.name, c.choice("enrolment", sv.status)),
            });
        }
    }
    if let (Some(d), Some(s)) = (p.exit_date, p.exit_status) {
        items.push(TimelineItem {
            date: d,
            kind: "timeline-exit",
            text: c.choice("exit-status", s),
        });
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.date));
    items
}
