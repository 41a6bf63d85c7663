//! A survey's results: response rates per audience, and per question how the answers fell —
//! with cells under five hidden as in the ESF+ report (and any cell the others would give
//! away), the mean of a scale and the free texts only from five answers up.

use crate::{Cell, Table};
use polku_domain::esf::SMALL_CELL;
use polku_domain::ids::QuestionId;
use polku_domain::share::{permille, tenths};
use polku_domain::suppression::{suppress, Sum};
use polku_domain::survey::{Audience, Question, QuestionKind};

/// One option's count: `None` when hidden. `permille` of the question's answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    pub label: String,
    pub count: Option<i64>,
    pub permille: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct QuestionResult {
    pub position: i64,
    pub text: String,
    pub kind: QuestionKind,
    /// How many answered it; `None` when fewer than five did.
    pub answers: Option<i64>,
    /// A scale's options 1–5 or a choice's, in order; none for free text.
    pub lines: Vec<Line>,
    /// A scale's mean in tenths (37 = 3,7).
    pub mean_tenths: Option<i64>,
    /// Free texts in alphabetical order, so their order tells nothing of who wrote them.
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rate {
    pub audience: Audience,
    pub invited: i64,
    pub answered: i64,
    pub permille: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SurveyResults {
    pub rates: Vec<Rate>,
    pub questions: Vec<QuestionResult>,
}

/// One answer as counted: to which question, and its score, choice or text.
pub struct Given<'a> {
    pub question: QuestionId,
    pub score: Option<i64>,
    pub choice: Option<&'a str>,
    pub text: Option<&'a str>,
}

impl SurveyResults {
    pub fn build(
        questions: &[Question],
        given: &[Given<'_>],
        rates: &[(Audience, i64, i64)],
    ) -> SurveyResults {
        let rates = rates
            .iter()
            .map(|&(audience, invited, answered)| Rate {
                audience,
                invited,
                answered,
                permille: permille(answered, invited),
            })
            .collect();
        let questions = questions.iter().map(|q| result(q, given)).collect();
        SurveyResults { rates, questions }
    }

    /// The downloads' tables: response rates, the answers per option, and the free texts.
    pub fn tables(&self, t: &dyn Fn(&str) -> String) -> Vec<Table> {
        let heads = |keys: &[&str]| keys.iter().map(|k| t(k)).collect::<Vec<_>>();
        let hidden = || Cell::Text(format!("<{SMALL_CELL}"));
        let rates = Table {
            title: t("survey-rates"),
            headers: heads(&[
                "survey-audience",
                "survey-invited",
                "survey-answered",
                "survey-rate",
            ]),
            rows: self
                .rates
                .iter()
                .map(|r| {
                    vec![
                        t(&format!("choice-audience-{}", r.audience.as_str())).into(),
                        r.invited.into(),
                        r.answered.into(),
                        r.permille.map_or(Cell::Empty, Cell::Permille),
                    ]
                })
                .collect(),
        };
        let mut counts = vec![];
        let mut texts = vec![];
        for q in &self.questions {
            let name = format!("{}. {}", q.position, q.text);
            for l in &q.lines {
                counts.push(vec![
                    name.clone().into(),
                    l.label.clone().into(),
                    l.count.map_or_else(hidden, Cell::Int),
                    l.permille.map_or(Cell::Empty, Cell::Permille),
                ]);
            }
            for text in &q.texts {
                texts.push(vec![name.clone().into(), text.clone().into()]);
            }
        }
        vec![
            rates,
            Table {
                title: t("survey-answers"),
                headers: heads(&[
                    "survey-question",
                    "survey-option",
                    "survey-count",
                    "survey-share",
                ]),
                rows: counts,
            },
            Table {
                title: t("survey-texts"),
                headers: heads(&["survey-question", "survey-text"]),
                rows: texts,
            },
        ]
    }
}

fn result(q: &Question, given: &[Given<'_>]) -> QuestionResult {
    let of: Vec<&Given<'_>> = given.iter().filter(|g| g.question == q.id).collect();
    let n = of.len() as i64;
    let labels: Vec<String> = match q.kind {
        QuestionKind::Scale => (1..=5).map(|s| s.to_string()).collect(),
        QuestionKind::Choice => q.options.clone(),
        QuestionKind::Text => vec![],
    };
    let counts: Vec<i64> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            of.iter()
                .filter(|g| match q.kind {
                    QuestionKind::Scale => g.score == Some(i as i64 + 1),
                    _ => g.choice == Some(label.as_str()),
                })
                .count() as i64
        })
        .collect();
    // The options add up to the question's answers: hide what that sum would give away.
    let mut values = counts.clone();
    values.push(n);
    let sums = [Sum {
        parts: (0..counts.len()).collect(),
        total: counts.len(),
    }];
    let hidden = if q.kind == QuestionKind::Text {
        vec![n > 0 && n < SMALL_CELL]
    } else {
        suppress(&values, &sums)
    };
    let total_shown = !hidden.last().copied().unwrap_or(false);
    let lines = labels
        .into_iter()
        .zip(counts.iter().zip(&hidden))
        .map(|(label, (&count, &h))| Line {
            label,
            count: (!h).then_some(count),
            permille: (!h && total_shown).then(|| permille(count, n)).flatten(),
        })
        .collect();
    let enough = n >= SMALL_CELL;
    let mean_tenths = (enough && q.kind == QuestionKind::Scale)
        .then(|| tenths(of.iter().filter_map(|g| g.score).sum(), n))
        .flatten();
    let mut texts: Vec<String> = if enough {
        of.iter()
            .filter_map(|g| g.text.map(str::to_string))
            .collect()
    } else {
        vec![]
    };
    texts.sort();
    QuestionResult {
        position: q.position,
        text: q.text.clone(),
        kind: q.kind,
        answers: total_shown.then_some(n),
        lines,
        mean_tenths,
        texts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: i64, kind: QuestionKind, options: &[&str]) -> Question {
        let options = options.join("\n");
        Question::stored((QuestionId(id), id), kind, format!("Q{id}"), Some(&options))
    }

    fn score(n: i64) -> Given<'static> {
        Given {
            question: QuestionId(1),
            score: Some(n),
            choice: None,
            text: None,
        }
    }

    #[test]
    fn small_cells_and_what_gives_them_away_are_hidden() {
        // Seven answers: 5 × "4", 2 × "5". The two would follow from 7 − 5, so the five goes too.
        let qs = [question(1, QuestionKind::Scale, &[])];
        let given: Vec<Given> = [4, 4, 4, 4, 4, 5, 5].into_iter().map(score).collect();
        let r = SurveyResults::build(&qs, &given, &[(Audience::Participant, 10, 7)]);
        let q = &r.questions[0];
        assert_eq!(q.answers, Some(7));
        let counts: Vec<Option<i64>> = q.lines.iter().map(|l| l.count).collect();
        assert_eq!(counts, vec![Some(0), Some(0), Some(0), None, None]);
        assert_eq!(q.mean_tenths, Some(43));
        assert_eq!(r.rates[0].permille, Some(700));
    }

    #[test]
    fn under_five_answers_nothing_shows_but_zeros() {
        let qs = [
            question(1, QuestionKind::Scale, &[]),
            question(2, QuestionKind::Text, &[]),
        ];
        let mut given: Vec<Given> = [3, 3].into_iter().map(score).collect();
        given.push(Given {
            question: QuestionId(2),
            score: None,
            choice: None,
            text: Some("Matti Meikäläinen täällä"),
        });
        let r = SurveyResults::build(&qs, &given, &[]);
        assert_eq!(r.questions[0].answers, None);
        assert_eq!(r.questions[0].mean_tenths, None);
        assert!(r.questions[0].lines.iter().all(|l| l.permille.is_none()));
        assert_eq!(r.questions[1].answers, None);
        assert!(
            r.questions[1].texts.is_empty(),
            "one free text is not shown"
        );
        let tables = r.tables(&|k: &str| k.to_string());
        let flat = format!("{:?}", tables);
        assert!(!flat.contains("Matti"), "{flat}");
        assert!(flat.contains("<5"));
    }

    #[test]
    fn a_choice_counts_each_option() {
        let qs = [question(1, QuestionKind::Choice, &["Kyllä", "Ei"])];
        let given: Vec<Given> = (0..12)
            .map(|i| Given {
                question: QuestionId(1),
                score: None,
                choice: Some(if i < 6 { "Kyllä" } else { "Ei" }),
                text: None,
            })
            .collect();
        let r = SurveyResults::build(&qs, &given, &[]);
        let lines: Vec<(String, Option<i64>, Option<i64>)> = r.questions[0]
            .lines
            .iter()
            .map(|l| (l.label.clone(), l.count, l.permille))
            .collect();
        assert_eq!(
            lines,
            vec![
                ("Kyllä".into(), Some(6), Some(500)),
                ("Ei".into(), Some(6), Some(500))
            ]
        );
    }
}
