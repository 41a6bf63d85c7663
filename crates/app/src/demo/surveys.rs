//! A survey in the demo, through the same use cases as the pages: VOIMA's counsellor asks the
//! project's participants for feedback, and some of them have answered in their own channel.

use super::History;
use polku_domain::authz::Actor;
use polku_domain::ids::{OrgId, ParticipantId};
use polku_domain::survey::{QuestionForm, SendForm, SurveyForm};
use polku_usecases::portal::Person;
use polku_usecases::surveys as uc;
use rand::rngs::StdRng;
use rand::Rng;

const SAID: [&str; 5] = [
    "Ohjaaja ehti kuunnella.",
    "Ryhmässä oli hyvä henki.",
    "Enemmän apua hakemusten kanssa.",
    "Toivoisin iltapäiväaikoja.",
    "Sain rohkeutta hakea töitä.",
];

/// VOIMA's feedback survey with answers; returns a line for the summary.
pub(super) async fn load(
    history: &History,
    counsellor: &Actor,
    rng: &mut StdRng,
) -> anyhow::Result<String> {
    let app = &history.app;
    if !uc::list(app, counsellor).await?.is_empty() {
        return Ok("  surveys already present, skipped\n".into());
    }
    let project = uc::projects(app, counsellor)
        .await?
        .into_iter()
        .find(|p| p.code == super::today::CODE)
        .ok_or_else(|| anyhow::anyhow!("VOIMA's project"))?;
    let form = SurveyForm {
        title: "Palautekysely: VOIMA-palvelupiste".into(),
        intro: "Kerro, miten palvelupiste on auttanut sinua. Vastaat nimettömänä.".into(),
        project_id: project.id.to_string(),
        anonymous: Some("on".into()),
    };
    let id = uc::create(app, counsellor, &form).await?;
    for (kind, text, options) in [
        ("scale", "Kuinka tyytyväinen olet saamaasi ohjaukseen?", ""),
        (
            "choice",
            "Mistä kuulit palvelupisteestä?",
            "TE-toimistosta\nKaverilta tai sukulaiselta\nSosiaalisesta mediasta\nLehdestä",
        ),
        ("text", "Mitä haluaisit meidän tekevän toisin?", ""),
    ] {
        let q = QuestionForm {
            kind: kind.into(),
            text: text.into(),
            options: options.into(),
        };
        uc::add_question(app, counsellor, id, &q).await?;
    }
    let to = SendForm {
        to: "project".into(),
        project_id: project.id.to_string(),
        service_id: String::new(),
    };
    // The demo's participants have no e-mail addresses: nothing is mailed.
    let no_mail = |_, _: &str| (String::new(), String::new());
    let sent = uc::send(app, counsellor, id, &to, "http://127.0.0.1:8080", &no_mail).await?;
    let invited: Vec<i64> = sqlx::query_scalar(
        "SELECT participant_id FROM survey_invitations WHERE survey_id = $1 ORDER BY participant_id LIMIT 14",
    )
    .bind(id.0)
    .fetch_all(app.db.pool())
    .await?;
    for (i, p) in invited.iter().enumerate() {
        let who = Person {
            participant: ParticipantId(*p),
            org: OrgId(counsellor.org.0),
        };
        let score = rng.gen_range(3..=5).to_string();
        let heard = rng.gen_range(1..=4).to_string();
        let said = if i % 3 == 0 { SAID[i % SAID.len()] } else { "" };
        let pairs: Vec<(String, String)> = [("q1", score.as_str()), ("q2", &heard), ("q3", said)]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        uc::answer_mine(app, &who, id, &pairs).await?;
    }
    Ok(format!(
        "  survey: VOIMA's feedback sent to {} participants, {} answered\n",
        sent.participants,
        invited.len()
    ))
}
