//! All of Finland (issue 10): every municipality at intake in Finnish and Swedish, the postal
//! code filling in the municipality, and old records keeping a merged municipality's code.

use crate::common::*;

db_test!(every_municipality_is_accepted_at_intake, |app| async move {
    let (_, project, csrf) = app.voima_counsellor().await;
    let mut stored = vec![];
    let cases = [
        ("Kuopio", "", "297"),
        ("Jakobstad", "", "598"),
        ("ÄHTÄRI", "", "989"),
        ("", "70100", "297"),
        ("", "19430", "507"),
    ];
    for (day, (municipality, postal, want)) in (1..).zip(cases) {
        let mut form = intake(project, &hetu(day, 8, 64, 910), "Kuntalainen");
        form.retain(|(k, _)| *k != "municipality");
        form.push(("municipality", municipality.into()));
        form.push(("postal_code", postal.into()));
        let (status, body, loc) = app.post("/participants", &csrf, &borrow(&form)).await;
        assert_eq!(status, 303, "{municipality}/{postal}: {body}");
        let id: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
        let code: String = app
            .scalar_for("SELECT municipality FROM participants WHERE id = $1", id)
            .await;
        assert_eq!(code, want, "{municipality}/{postal}");
        stored.push(id);
    }
    // The page names it in the reader's language.
    let (_, html) = app.get(&format!("/participants/{}", stored[1])).await;
    assert!(html.contains("Pietarsaari"), "{html}");

    // An unknown one is refused in place, with what was typed kept.
    let mut form = intake(project, &hetu(9, 8, 64, 910), "Kuntalainen");
    form.retain(|(k, _)| *k != "municipality");
    form.push(("municipality", "Atlantis".into()));
    let (status, body, _) = app.post("/participants", &csrf, &borrow(&form)).await;
    assert_eq!(status, 422);
    assert!(body.contains(r#"value="Atlantis""#), "{body}");

    // An old record keeps a merged municipality's code and shows its name.
    sqlx::query("UPDATE participants SET municipality = '911' WHERE id = $1")
        .bind(stored[0])
        .execute(app.db.pool())
        .await
        .unwrap();
    let (status, html) = app.get(&format!("/participants/{}", stored[0])).await;
    assert_eq!(status, 200);
    assert!(html.contains("Valtimo"), "{html}");
});
