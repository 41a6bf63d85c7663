//! Marking a 20-person session with two absences, on a phone: everyone present, then the
//! exceptions, in at most four clicks; then straight on to the next session still unmarked.

use super::Browser;
use crate::common::*;
use fantoccini::Locator;
use std::sync::atomic::Ordering;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_people_two_absent_in_four_clicks() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let (org, project, csrf) = app.voima_counsellor().await;
    let (service, today) = app.programme(org, "CV-paja", "20").await;
    // Last week's session was never marked.
    let earlier = app.session(service, "23.2.2026").await;
    // Twenty people; two of them are both Maija Virtanen, born in different years.
    let names = [
        "Aho",
        "Virtanen",
        "Berg",
        "Costa",
        "Eskola",
        "Forsman",
        "Grönroos",
        "Haapala",
        "Ilves",
        "Järvi",
        "Kallio",
        "Lind",
        "Mäkelä",
        "Nurmi",
        "Oja",
        "Peltonen",
        "Virtanen",
        "Rantala",
        "Salo",
        "Tuomi",
    ];
    let mut people = vec![];
    for (i, name) in names.iter().enumerate() {
        let hetu = hetu(1 + i as u32, 5, 50 + i as u32, 902);
        let (status, _, loc) = app.enter(&csrf, project, &hetu, name).await;
        assert_eq!(status, 303, "intake of {name}");
        let id: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
        let form = [("participant_id", id.to_string())];
        let (status, _, _) = app
            .post(&format!("/services/{service}/enrol"), &csrf, &borrow(&form))
            .await;
        assert_eq!(status, 303);
        people.push(id);
    }

    let b = Browser::phone(375).await;
    b.login(&app, "c@voima.example", PASSWORD).await;
    b.c.goto(&app.url(&format!("/services/{service}/sessions/{today}")))
        .await
        .unwrap();
    // The namesakes are told apart by their year of birth.
    for (id, year) in [(people[1], "1951"), (people[16], "1966")] {
        let legend = b
            .text_at(Locator::XPath(&format!(
                "//fieldset[.//input[@name='a_{id}']]/legend"
            )))
            .await;
        assert_eq!(legend, format!("Virtanen, Maija (s. {year})"));
    }
    let before = b.clicks.load(Ordering::Relaxed);
    b.click(&format!("input[name='a_{}'][value='absent']", people[3]))
        .await;
    b.click(&format!("input[name='a_{}'][value='absent']", people[7]))
        .await;
    b.click("button[name=rest][value=present]").await;
    // Saved, and on to last week's session, still unmarked.
    b.wait_text("main .notice", "Tallennettu").await;
    let url = b.c.current_url().await.unwrap();
    assert!(
        url.path().ends_with(&format!("/sessions/{earlier}")),
        "went on to the unmarked session, not {url}"
    );
    let clicks = b.clicks.load(Ordering::Relaxed) - before;
    assert!(clicks <= 4, "{clicks} clicks");
    // Everyone present but the two.
    let marks = app.marks(today).await;
    let expected: Vec<(i64, String)> = people
        .iter()
        .map(|p| {
            let absent = *p == people[3] || *p == people[7];
            (*p, if absent { "absent" } else { "present" }.to_string())
        })
        .collect();
    assert_eq!(marks, expected);
    // The group's page shows which sessions are marked.
    b.c.goto(&app.url(&format!("/services/{service}")))
        .await
        .unwrap();
    b.wait_text("#sessions", "✓ 20 merkintää").await;
    b.c.clone().close().await.unwrap();
    app.cleanup().await;
}
