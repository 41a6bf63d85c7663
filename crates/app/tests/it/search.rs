//! Participant search: names by prefix, notes and contact summaries by stem in the writer's
//! language, every word required, a renamed person's old name forgotten, and the index built
//! at start for participants stored before it existed.

use crate::common::*;

/// Names (as "Last, First") the search page lists for `q`.
async fn found(app: &TestApp, q: &str) -> Vec<&'static str> {
    let (status, html) = app
        .get(&format!("/participants?q={}", q.replace(' ', "+")))
        .await;
    assert_eq!(status, 200, "{q}");
    ["Kärkkäinen, Maija", "Virtanen, Maija", "Nieminen, Maija"]
        .into_iter()
        .filter(|n| html.contains(n))
        .collect()
}

db_test!(search_by_name_prefix_and_stemmed_text, |app| async move {
    let (_, project, csrf) = app
        .counsellor_in("Salon kaupunki", "c@salo.example", "S21358")
        .await;
    let mut people = vec![];
    for (hetu, name) in [("131052-308T", "Kärkkäinen"), ("020365-123E", "Virtanen")] {
        let (status, _, loc) = app.enter(&csrf, project, hetu, name).await;
        assert_eq!(status, 303);
        people.push(loc.unwrap());
    }
    let contact = |summary: &'static str| {
        [
            ("kind", "meeting"),
            ("date", "2.3.2026"),
            ("duration_min", "45"),
            ("summary", summary),
        ]
    };
    let (k, v) = (&people[0], &people[1]);
    let posted = app
        .post(
            &format!("{k}/contacts"),
            &csrf,
            &contact("Harjoiteltiin työhaastatteluun logistiikka-alalle."),
        )
        .await;
    assert_eq!(posted.0, 303);
    let posted = app
        .post(
            &format!("{v}/notes"),
            &csrf,
            &[("body", "Sovittiin työkokeilusta kaupan alalla.")],
        )
        .await;
    assert_eq!(posted.0, 303);

    assert_eq!(found(app, "kärk").await, ["Kärkkäinen, Maija"]);
    assert_eq!(
        found(app, "MAIJA").await.len(),
        2,
        "a first name finds both"
    );
    assert!(
        found(app, "ärkkä").await.is_empty(),
        "prefix, not substring"
    );
    // Inflected forms meet in one stem; every word must match.
    for q in [
        "työhaastattelu",
        "työhaastatteluja",
        "haastattelu",
        "kärkkäinen logistiikka",
    ] {
        assert_eq!(found(app, q).await, ["Kärkkäinen, Maija"], "{q}");
    }
    for q in ["työkokeilu", "kaupan työkokeiluun"] {
        assert_eq!(found(app, q).await, ["Virtanen, Maija"], "{q}");
    }
    assert!(found(app, "virtanen työhaastattelu").await.is_empty());

    // A counsellor writing in Swedish is stemmed as Swedish.
    assert_eq!(
        app.post("/lang", &csrf, &[("lang", "sv"), ("back", "/")])
            .await
            .0,
        303
    );
    let posted = app
        .post(
            &format!("{v}/contacts"),
            &csrf,
            &contact("Övade inför intervjuer."),
        )
        .await;
    assert_eq!(posted.0, 303);
    assert_eq!(found(app, "intervjun").await, ["Virtanen, Maija"]);

    // A new name replaces the old one in the index; the texts stay findable.
    let mut form = intake(project, "020365-123E", "Nieminen");
    form.push(("version", "1".into()));
    assert_eq!(app.post(v, &csrf, &borrow(&form)).await.0, 303);
    assert!(found(app, "virtanen").await.is_empty());
    assert_eq!(found(app, "niemi työkokeilu").await, ["Nieminen, Maija"]);

    // Participants stored before the index existed are indexed once, at start.
    sqlx::query("DELETE FROM search_terms")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert!(found(app, "kärk").await.is_empty());
    sqlx::query("UPDATE settings SET value = '0' WHERE key = 'search_terms_built'")
        .execute(app.db.pool())
        .await
        .unwrap();
    polku_store::search::build_if_needed(&app.db).await.unwrap();
    assert_eq!(found(app, "kärk").await, ["Kärkkäinen, Maija"]);
    assert_eq!(found(app, "intervju").await, ["Nieminen, Maija"]);
    assert_eq!(found(app, "työhaastattelu").await, ["Kärkkäinen, Maija"]);
});
