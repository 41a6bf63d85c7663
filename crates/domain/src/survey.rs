//! Feedback and final surveys (Töitä!'s final survey, AURA's feedback): staff build one of
//! questions on a 1–5 scale, one choice of several or free text, send it to a project's or a
//! group's participants (answered in their own channel) or to employers (by a link), and read
//! the results with small numbers hidden.

use crate::error::Errors;
use crate::ids::{ProjectId, QuestionId, ServiceId};
use crate::text::{optional, required};
use crate::{DomainError, ErrorCode};

crate::choice_enum!(
    /// A question's kind: a 1–5 scale, one choice of the options, or free text.
    QuestionKind { Scale = "scale", Choice = "choice", Text = "text" }
);

crate::choice_enum!(
    /// A draft's questions can change; an open survey takes answers; a closed one no more.
    SurveyStatus { Draft = "draft", Open = "open", Closed = "closed" }
);

impl SurveyStatus {
    /// Whether one asked may still answer, if they have not (`answered`).
    pub fn takes_answer(self, answered: bool) -> bool {
        self == SurveyStatus::Open && !answered
    }
}

crate::choice_enum!(
    /// Who was asked: participants (in their own channel) or employers (by a link).
    Audience { Participant = "participant", Employer = "employer" }
);

crate::choice_enum!(
    /// To whom a survey is sent: a project's participants, a group's, or the employers of the
    /// register who agreed to be contacted.
    SendTo { Project = "project", Group = "group", Employers = "employers" }
);

/// At most this many questions, so each has a form field of its own (`q1` … `q30`).
pub const MAX_QUESTIONS: usize = 30;
/// A choice question's options, at least two and at most this many.
pub const MAX_OPTIONS: usize = 12;

const FIELDS: [&str; MAX_QUESTIONS] = [
    "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12", "q13", "q14", "q15",
    "q16", "q17", "q18", "q19", "q20", "q21", "q22", "q23", "q24", "q25", "q26", "q27", "q28",
    "q29", "q30",
];

/// The form field of the question at `position` (1-based).
pub fn field(position: i64) -> &'static str {
    usize::try_from(position - 1)
        .ok()
        .and_then(|i| FIELDS.get(i))
        .copied()
        .unwrap_or("form")
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SurveyForm {
    pub title: String,
    pub intro: String,
    pub project_id: String,
    /// "on" when the answers are kept without the name of whoever gave them.
    pub anonymous: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub title: String,
    pub intro: Option<String>,
    pub project_id: Option<ProjectId>,
    pub anonymous: bool,
}

impl SurveyForm {
    pub fn parse(&self) -> Result<NewSurvey, DomainError> {
        let mut e = Errors::new();
        let title = e.take("title", required(&self.title, 200));
        let intro = e.take("intro", optional(&self.intro, 2000));
        let project = e.take(
            "project_id",
            crate::text::optional_int(&self.project_id, 1, i64::MAX),
        );
        e.into_result()?;
        Ok(NewSurvey {
            title: title.unwrap_or_default(),
            intro: intro.flatten(),
            project_id: project.flatten().map(ProjectId),
            anonymous: self.anonymous.as_deref().is_some_and(|v| !v.is_empty()),
        })
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    pub kind: String,
    pub text: String,
    /// A choice question's options, one per line.
    pub options: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub kind: QuestionKind,
    pub text: String,
    pub options: Vec<String>,
}

impl QuestionForm {
    pub fn parse(&self) -> Result<NewQuestion, DomainError> {
        let mut e = Errors::new();
        let kind = e.take("kind", QuestionKind::parse(&self.kind));
        let text = e.take("text", required(&self.text, 500));
        let mut options: Vec<String> = vec![];
        if kind == Some(QuestionKind::Choice) {
            for line in self.options.lines() {
                match optional(line, 100) {
                    Ok(Some(o)) if !options.contains(&o) => options.push(o),
                    Ok(_) => {}
                    Err(code) => e.push("options", code),
                }
            }
            if e.is_empty() && !(2..=MAX_OPTIONS).contains(&options.len()) {
                e.push(
                    "options",
                    ErrorCode::NumberRange {
                        min: 2,
                        max: MAX_OPTIONS as i64,
                    },
                );
            }
        }
        e.into_result()?;
        Ok(NewQuestion {
            kind: kind.unwrap_or(QuestionKind::Text),
            text: text.unwrap_or_default(),
            options,
        })
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SendForm {
    pub to: String,
    pub project_id: String,
    pub service_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipients {
    Project(ProjectId),
    Group(ServiceId),
    Employers,
}

impl SendForm {
    pub fn parse(&self) -> Result<Recipients, DomainError> {
        let id = |field, s: &str| match crate::text::optional_int(s, 1, i64::MAX) {
            Ok(Some(n)) => Ok(n),
            Ok(None) => Err(DomainError::field(field, ErrorCode::Required)),
            Err(code) => Err(DomainError::field(field, code)),
        };
        match SendTo::parse(&self.to).map_err(|c| DomainError::field("to", c))? {
            SendTo::Project => Ok(Recipients::Project(ProjectId(id(
                "project_id",
                &self.project_id,
            )?))),
            SendTo::Group => Ok(Recipients::Group(ServiceId(id(
                "service_id",
                &self.service_id,
            )?))),
            SendTo::Employers => Ok(Recipients::Employers),
        }
    }
}

/// A question as asked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    pub id: QuestionId,
    pub position: i64,
    pub kind: QuestionKind,
    pub text: String,
    pub options: Vec<String>,
}

impl Question {
    /// A question as it is kept: its choice options one to a line.
    pub fn stored(
        (id, position): (QuestionId, i64),
        kind: QuestionKind,
        text: String,
        options: Option<&str>,
    ) -> Question {
        let options = options
            .map(|o| o.lines().map(str::to_string).collect())
            .unwrap_or_default();
        Question {
            id,
            position,
            kind,
            text,
            options,
        }
    }
    /// Its form field on the answer page.
    pub fn field(&self) -> &'static str {
        field(self.position)
    }
}

/// One answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Score(i64),
    Choice(String),
    Text(String),
}

/// The answers from the form's pairs (`q<position>` = a score 1–5, an option's number from 1,
/// or text). A scale or a choice must be answered; free text may be left empty.
pub fn parse_answers(
    questions: &[Question],
    pairs: &[(String, String)],
) -> Result<Vec<(QuestionId, Answer)>, DomainError> {
    let mut e = Errors::new();
    let mut out = vec![];
    for q in questions {
        let f = q.field();
        let given = pairs
            .iter()
            .find(|(k, _)| k == f)
            .map_or("", |(_, v)| v.as_str());
        match q.kind {
            QuestionKind::Text => match optional(given, 2000) {
                Ok(Some(t)) => out.push((q.id, Answer::Text(t))),
                Ok(None) => {}
                Err(code) => e.push(f, code),
            },
            _ if given.trim().is_empty() => e.push(f, ErrorCode::Required),
            QuestionKind::Scale => match given.trim().parse::<i64>() {
                Ok(n) if (1..=5).contains(&n) => out.push((q.id, Answer::Score(n))),
                _ => e.push(f, ErrorCode::NumberRange { min: 1, max: 5 }),
            },
            QuestionKind::Choice => {
                let chosen = given
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| q.options.get(i));
                match chosen {
                    Some(o) => out.push((q.id, Answer::Choice(o.clone()))),
                    None => e.push(f, ErrorCode::ChoiceInvalid),
                }
            }
        }
    }
    e.into_result()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: i64, kind: QuestionKind, options: &[&str]) -> Question {
        let options = options.join("\n");
        Question::stored((QuestionId(id), id), kind, format!("Q{id}"), Some(&options))
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn answers_follow_their_questions() {
        let qs = [
            q(1, QuestionKind::Scale, &[]),
            q(2, QuestionKind::Choice, &["Kyllä", "Ei"]),
            q(3, QuestionKind::Text, &[]),
        ];
        let ok = parse_answers(&qs, &pairs(&[("q1", "4"), ("q2", "2"), ("q3", "  ")]));
        assert_eq!(
            ok,
            Ok(vec![
                (QuestionId(1), Answer::Score(4)),
                (QuestionId(2), Answer::Choice("Ei".into()))
            ]),
            "empty free text is no answer"
        );
        let Err(DomainError::Invalid(errors)) =
            parse_answers(&qs, &pairs(&[("q1", "6"), ("q2", "3")]))
        else {
            panic!("refused");
        };
        let got: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("q1", ErrorCode::NumberRange { min: 1, max: 5 }),
                ("q2", ErrorCode::ChoiceInvalid)
            ]
        );
        let Err(DomainError::Invalid(errors)) = parse_answers(&qs, &[]) else {
            panic!("refused");
        };
        assert_eq!(errors.len(), 2, "scale and choice must be answered");
    }

    #[test]
    fn a_choice_needs_two_distinct_options() {
        let f = |options: &str| QuestionForm {
            kind: "choice".into(),
            text: "Mistä kuulit?".into(),
            options: options.into(),
        };
        let one = f("Lehdestä\nLehdestä\n").parse();
        assert_eq!(
            one.err(),
            Some(DomainError::field(
                "options",
                ErrorCode::NumberRange { min: 2, max: 12 }
            ))
        );
        let two = f(" Lehdestä \n\nKaverilta").parse().map(|q| q.options);
        assert_eq!(
            two,
            Ok(vec!["Lehdestä".to_string(), "Kaverilta".to_string()])
        );
        let scale = QuestionForm {
            kind: "scale".into(),
            text: "Kuinka tyytyväinen olit?".into(),
            options: "ignored".into(),
        };
        assert_eq!(scale.parse().map(|q| q.options.len()), Ok(0));
        assert_eq!(field(30), "q30");
        assert_eq!(field(31), "form");
    }

    #[test]
    fn sending_names_its_recipients() {
        let f = |to: &str, p: &str| SendForm {
            to: to.into(),
            project_id: p.into(),
            service_id: String::new(),
        };
        assert_eq!(
            f("project", "7").parse(),
            Ok(Recipients::Project(ProjectId(7)))
        );
        assert_eq!(
            f("group", "").parse(),
            Err(DomainError::field("service_id", ErrorCode::Required))
        );
        assert_eq!(f("employers", "").parse(), Ok(Recipients::Employers));
        assert_eq!(
            f("", "").parse(),
            Err(DomainError::field("to", ErrorCode::Required))
        );
    }
}
