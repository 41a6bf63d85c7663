//! A survey's results: response rates, the answers per question with small cells hidden, and
//! — when the survey is not anonymous — who gave each response and what they answered.

use super::survey_for;
use crate::{Polku, Result};
use polku_domain::authz::Actor;
use polku_domain::ids::SurveyId;
use polku_domain::survey::Question;
use polku_reports::surveys::{Given, SurveyResults};
use polku_store::audit::{Audit, Entity};
use polku_store::surveys::{self as repo, RespondentRow, SurveyRow};

/// One linked response: who gave it, and (question's position, answer as text) in order.
pub struct Respondent {
    pub who: RespondentRow,
    pub answers: Vec<(i64, String)>,
}

pub struct ResultsView {
    pub s: SurveyRow,
    pub questions: Vec<Question>,
    pub results: SurveyResults,
    pub respondents: Vec<Respondent>,
}

#[tracing::instrument(skip_all, fields(survey = id.0))]
pub async fn results(app: &Polku, actor: &Actor, id: SurveyId) -> Result<ResultsView> {
    let mut tx = app.db.begin().await?;
    let s = survey_for(&mut tx, actor, id).await?;
    let questions = repo::questions(&mut tx, id).await?;
    let rows = repo::answers(&mut tx, id).await?;
    let rates: Vec<_> = repo::rates(&mut tx, id)
        .await?
        .into_iter()
        .map(|r| (r.audience, r.invited, r.answered))
        .collect();
    let given: Vec<Given<'_>> = rows
        .iter()
        .map(|a| Given {
            question: a.question_id,
            score: a.score,
            choice: a.choice.as_deref(),
            text: a.text.as_deref(),
        })
        .collect();
    let results = SurveyResults::build(&questions, &given, &rates);
    let respondents = if s.anonymous {
        vec![]
    } else {
        let position = |q| {
            questions
                .iter()
                .find(|x| x.id == q)
                .map_or(0, |x| x.position)
        };
        let mut by_response: std::collections::HashMap<i64, Vec<(i64, String)>> =
            std::collections::HashMap::new();
        for a in &rows {
            let said = a
                .score
                .map(|n| n.to_string())
                .or_else(|| a.choice.clone())
                .or_else(|| a.text.clone())
                .unwrap_or_default();
            by_response
                .entry(a.response_id)
                .or_default()
                .push((position(a.question_id), said));
        }
        repo::respondents(&mut tx, id)
            .await?
            .into_iter()
            .map(|who| Respondent {
                answers: by_response.remove(&who.response_id).unwrap_or_default(),
                who,
            })
            .collect()
    };
    let detail = if s.anonymous {
        "results"
    } else {
        "results with respondents"
    };
    Audit::by(actor, app.clock.now())
        .read(&mut tx, Entity::Survey(id.0), detail)
        .await?;
    tx.commit().await?;
    Ok(ResultsView {
        s,
        questions,
        results,
        respondents,
    })
}
