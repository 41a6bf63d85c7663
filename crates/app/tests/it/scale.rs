//! App nodes keep no state: sessions live in the database, so a load balancer may send each
//! request to any node.

use crate::common::*;
use polku_domain::authz::Role;

db_test!(session_survives_a_switch_between_nodes, |app| async move {
    let org = app.org("Salo").await;
    app.user(org, "c@salo.example", Role::Counsellor).await;
    let project = app.project(org, "S21358").await;
    let node_b = app.second_node().await;
    // Log in on node A ...
    let csrf = app.login("c@salo.example").await;
    // ... write on node B with the same session cookie and CSRF token ...
    let fields = intake(project, "131052-308T", "Solmu");
    let mut form = borrow(&fields);
    form.push(("csrf", &csrf));
    let r = app
        .client
        .post(format!("{node_b}/participants"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "node B accepts node A's session");
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    // ... and read it back on node A, with the identity code decrypted by the shared keys.
    let (status, html) = app.get(&loc).await;
    assert_eq!(status, 200);
    assert!(html.contains("Maija Solmu") && html.contains("131052-308T"));
    // Logging out on B ends the session on A too.
    let r = app
        .client
        .post(format!("{node_b}/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (status, _) = app.get("/participants").await;
    assert_eq!(status, 303, "logged out everywhere");
});

db_test!(
    generated_data_is_consistent_and_sequences_move_on,
    |app| async move {
        let s = polku::generate::generate(&app.db, &app.cipher, 120, 7, &app.clock, false)
            .await
            .unwrap();
        assert_eq!(
            (s.participants, s.events),
            (120, 2400),
            "about 20 events each"
        );
        let (people, contacts, marks, enrolled): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM participants), (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM attendance), (SELECT CAST(SUM(enrolled_count) AS BIGINT) FROM services)",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
        assert_eq!((people, contacts, marks, enrolled), (120, 1200, 1200, 120));
        // Same seed, same data: the generator is deterministic.
        let first: String =
            sqlx::query_scalar("SELECT birth_date FROM participants ORDER BY id LIMIT 1")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(first.len(), 10);
        // Ordinary writes after the bulk load get fresh ids (PostgreSQL's sequences were moved on).
        let org: i64 =
            sqlx::query_scalar("SELECT owner_org_id FROM projects WHERE code = 'GEN7-01'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        app.user(
            polku_domain::ids::OrgId(org),
            "c@gen.example",
            Role::Counsellor,
        )
        .await;
        let project: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE code = 'GEN7-01'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let csrf = app.login("c@gen.example").await;
        let (status, _, loc) = app
            .post(
                "/participants",
                &csrf,
                &borrow(&intake(project, "131052-308T", "Jälkeen")),
            )
            .await;
        assert_eq!(status, 303);
        let id: i64 = loc.unwrap().rsplit('/').next().unwrap().parse().unwrap();
        assert_eq!(id, 121);
        let (status, _, _) = app
            .post(
                &format!("/participants/{id}/contacts"),
                &csrf,
                &[
                    ("kind", "phone"),
                    ("date", "2.3.2026"),
                    ("duration_min", "15"),
                    ("summary", "Soitto"),
                ],
            )
            .await;
        assert_eq!(status, 303, "contact ids continue after the generated ones");
        // The report over generated data: every person once, outcomes from the skewed table.
        let r: serde_json::Value = serde_json::from_slice(
            &polku::esf_report(&app.db, "GEN7-01", "json", "fi", true, &app.clock)
                .await
                .unwrap(),
        )
        .unwrap();
        assert!(r["persons"].as_i64().unwrap() > 0);
    }
);

db_test!(
    bulk_insert_reuses_a_statement_with_nulls,
    |app| async move {
        use polku_store::bulk::{insert, Val};
        let cols = ["name", "business_id", "kind", "created_at"];
        let row = |name: &str, bid: Val| {
            vec![
                Val::T(name.into()),
                bid,
                Val::T("ngo".into()),
                Val::T("2026-03-02T09:00:00Z".into()),
            ]
        };
        let mut tx = app.db.begin().await.unwrap();
        // The same statement text twice: first a value, then a NULL, in the same text column.
        insert(
            &mut tx,
            "organisations",
            &cols,
            &[row("A", Val::T("0210838-1".into()))],
        )
        .await
        .unwrap();
        insert(&mut tx, "organisations", &cols, &[row("B", Val::NullText)])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE business_id IS NULL")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(n, 1);
    }
);
