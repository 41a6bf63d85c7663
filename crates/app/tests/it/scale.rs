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
        .sent()
        .await;
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
        .sent()
        .await;
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
        let first: String = app
            .scalar("SELECT birth_date FROM participants ORDER BY id LIMIT 1")
            .await;
        assert_eq!(first.len(), 10);
        // Ordinary writes after the bulk load get fresh ids (PostgreSQL's sequences were moved on).
        let org: i64 = app
            .scalar("SELECT owner_org_id FROM projects WHERE code = 'GEN7-01'")
            .await;
        app.user(
            polku_domain::ids::OrgId(org),
            "c@gen.example",
            Role::Counsellor,
        )
        .await;
        let project: i64 = app
            .scalar("SELECT id FROM projects WHERE code = 'GEN7-01'")
            .await;
        let csrf = app.login("c@gen.example").await;
        let (status, _, loc) = app.enter(&csrf, project, "131052-308T", "Jälkeen").await;
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
        let r: serde_json::Value = app.esf_json("GEN7-01", true).await;
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
        let n: i64 = app
            .scalar("SELECT COUNT(*) FROM organisations WHERE business_id IS NULL")
            .await;
        assert_eq!(n, 1);
    }
);

db_test!(
    benchmark_parts_measure_real_work_on_generated_data,
    |app| async move {
        polku::generate::generate(&app.db, &app.cipher, 400, 3, &app.clock, false)
            .await
            .unwrap();
        // Generated people are findable by name, by stemmed text and by henkilötunnus; on
        // PostgreSQL the full-text baseline finds exactly the same people.
        let (org, n) = polku::bench::search::largest_org(&app.db).await.unwrap();
        assert!(n > 0);
        let rows = polku::bench::search::run(&app.db, &app.cipher, org, 1)
            .await
            .unwrap();
        assert_eq!(rows.len(), 3);
        for r in &rows {
            assert!(r.hits > 0, "{} finds someone", r.kind);
            if app.db.backend() == polku_store::Backend::Postgres {
                assert_eq!(r.baseline_hits, Some(r.hits), "{}", r.kind);
            }
        }
        // The memory floor counts the bytes the report reads.
        for (id, _) in &polku::bench::projects(&app.db, &[]).await.unwrap() {
            let persons: i64 = app
                .scalar_for(
                    "SELECT COUNT(*) FROM participants WHERE project_id = $1",
                    id,
                )
                .await;
            let b = polku::bench::floor::report_bytes(&app.db, *id)
                .await
                .unwrap();
            assert!(
                b >= persons * 8 * 5,
                "at least the dates and codes of {persons} people"
            );
        }
        assert!(polku::bench::floor::bandwidth() > 1e8);
        // The bare page reads what the real page reads, and refuses what the real page refuses.
        let st = polku_web::AppState::new(
            app.db.clone(),
            app.cipher.clone(),
            std::sync::Arc::new(app.clock.clone()),
            Default::default(),
        );
        let (user, own): (i64, i64) = sqlx::query_as(
            "SELECT u.id, (SELECT MIN(p.id) FROM participants p WHERE p.org_id = u.org_id) FROM users u WHERE u.org_id = $1 ORDER BY u.id LIMIT 1",
        )
        .bind(org.0)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        let other: i64 = app
            .scalar_for("SELECT MIN(id) FROM participants WHERE org_id <> $1", org.0)
            .await;
        let actor = polku_domain::authz::Actor {
            user: polku_domain::ids::UserId(user),
            org,
            role: polku_domain::authz::Role::Counsellor,
        };
        let bare = polku_web::bare::router(st.clone(), actor);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, bare).await });
        let contacts: i64 = app
            .scalar_for(
                "SELECT COUNT(*) FROM contacts WHERE participant_id = $1",
                own,
            )
            .await;
        let r = reqwest::get(format!("{base}/bare/participants/{own}"))
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let counts: Vec<i64> = r
            .text()
            .await
            .unwrap()
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!((counts[0], counts[2]), (own, contacts));
        let r = reqwest::get(format!("{base}/bare/participants/{other}"))
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "another organisation's participant");
        // Its session cookie opens the real page for the same user.
        let cookie = polku_web::bare::session_cookie(&app.db, actor.user)
            .await
            .unwrap();
        let r = TestApp::new_client()
            .get(app.url(&format!("/participants/{own}")))
            .header("Cookie", format!("polku_session={cookie}"))
            .sent()
            .await;
        assert_eq!(r.status(), 200);
    }
);

/// An empty database beside the app's, on the same engine: (URL, what to drop afterwards).
async fn sibling_database(app: &TestApp) -> (String, Option<String>) {
    match app.db.backend() {
        polku_store::Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!(
                "polku-replica-{}-{}.db",
                std::process::id(),
                app.addr.port()
            ));
            (format!("sqlite:{}", path.display()), None)
        }
        polku_store::Backend::Postgres => {
            let name = format!("polku_replica_{}", app.addr.port());
            (create_pg_database(&name).await, Some(name))
        }
    }
}

db_test!(
    reports_read_from_the_replica_and_writes_go_to_the_primary,
    |app| async move {
        // A replica that has not yet replayed the latest changes: the same generated data, then
        // ten exits changed on the primary only.
        let (replica_url, drop_after) = sibling_database(app).await;
        let replica = polku_store::Db::connect(&replica_url).await.unwrap();
        for db in [&app.db, &replica] {
            polku::generate::generate(db, &app.cipher, 80, 5, &app.clock, false)
                .await
                .unwrap();
        }
        let changed = sqlx::query(
            "UPDATE participants SET exit_date = '2025-06-30', exit_status = 'employed_open' WHERE id IN \
             (SELECT p.id FROM participants p JOIN projects pr ON pr.id = p.project_id \
              WHERE pr.code = 'GEN5-01' AND (p.exit_status IS NULL OR p.exit_status <> 'employed_open') ORDER BY p.id LIMIT 10)",
        )
        .execute(app.db.pool())
        .await
        .unwrap()
        .rows_affected();
        assert!(changed > 0);
        let employed = |db: polku_store::Db| async move {
            let json: serde_json::Value = serde_json::from_slice(
                &polku::esf_report(&db, &app.cipher, "GEN5-01", "json", "fi", true, &app.clock)
                    .await
                    .unwrap(),
            )
            .unwrap();
            json["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["code"] == "EECR04")
                .unwrap()["counts"]["total"]
                .as_i64()
                .unwrap()
        };
        let routed = polku_store::Db::connect(&app.db_url)
            .await
            .unwrap()
            .with_read_replica(&replica_url)
            .await
            .unwrap();
        let (on_primary, on_replica) = (
            employed(app.db.clone()).await,
            employed(replica.clone()).await,
        );
        assert!(on_primary > on_replica, "the primary has the newer exits");
        assert_eq!(
            employed(routed.clone()).await,
            on_replica,
            "the report reads the replica"
        );
        // Writes through the same handle land on the primary.
        let mut tx = routed.begin().await.unwrap();
        polku_store::orgs::create(&mut tx, "Kirjoitus", None, "ngo", app.clock_now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let count = |db: polku_store::Db| async move {
            let n: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE name = 'Kirjoitus'")
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            n
        };
        assert_eq!(
            (count(app.db.clone()).await, count(replica.clone()).await),
            (1, 0)
        );
        // A replica of another database system is refused.
        let other = match app.db.backend() {
            polku_store::Backend::Sqlite => "postgres://x@127.0.0.1:1/x",
            polku_store::Backend::Postgres => "sqlite::memory:",
        };
        assert!(app.db.clone().with_read_replica(other).await.is_err());
        routed.pool().close().await;
        replica.pool().close().await;
        if let Some(name) = drop_after {
            let admin = polku_store::Db::connect_raw(&pg_admin_url()).await.unwrap();
            sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .execute(&admin)
                .await
                .unwrap();
        } else if let Some(path) = replica_url.strip_prefix("sqlite:") {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
    }
);
