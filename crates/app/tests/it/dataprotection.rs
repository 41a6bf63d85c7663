//! The data-protection capabilities of issue 9: the tamper-evident audit log, erasure that
//! keeps the funder's figures, the right of access.

use crate::common::*;
use polku_domain::authz::Role;

/// Lets the test change the audit log as someone with direct database access could.
async fn disable_append_only(app: &TestApp) {
    let sql: &[&str] = match app.db.backend() {
        polku_store::Backend::Postgres => {
            &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"]
        }
        polku_store::Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
    };
    for s in sql {
        sqlx::query(s).execute(app.db.pool()).await.unwrap();
    }
}

async fn problems(app: &TestApp, anchors: &[(i64, String)]) -> Vec<String> {
    polku_store::audit::verify(&app.db, anchors)
        .await
        .unwrap()
        .problems
}

db_test!(
    audit_verify_detects_changes_made_in_the_database,
    |app| async move {
        let org = app.org("Salo").await;
        app.user(org, "c@salo.example", Role::Counsellor).await;
        let project = app.project(org, "S21358").await;
        let csrf = app.login("c@salo.example").await;
        for day in [1, 2] {
            let (status, _, _) = app
                .enter(&csrf, project, &hetu(day, 1, 70, 902), "Nimi")
                .await;
            assert_eq!(status, 303);
        }
        app.get("/participants").await;
        let v = polku_store::audit::verify(&app.db, &[]).await.unwrap();
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert!(v.entries >= 4, "{}", v.entries);
        let anchor = v.head.clone().unwrap();
        assert!(problems(app, std::slice::from_ref(&anchor)).await.is_empty());

        disable_append_only(app).await;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM audit_log ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        // An altered entry.
        sqlx::query("UPDATE audit_log SET detail = 'nothing to see' WHERE id = $1")
            .bind(ids[1])
            .execute(app.db.pool())
            .await
            .unwrap();
        let found = problems(app, &[]).await;
        assert_eq!(
            found,
            [format!("entry {}: its content was changed", ids[1])]
        );
        // A deleted entry.
        sqlx::query("DELETE FROM audit_log WHERE id = $1")
            .bind(ids[1])
            .execute(app.db.pool())
            .await
            .unwrap();
        let found = problems(app, &[]).await;
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(&format!("entry {}: does not follow", ids[2]))),
            "{found:?}"
        );
        // The newest entry deleted and the head moved back: only the anchor tells.
        sqlx::query("DELETE FROM audit_log WHERE id > $1")
            .bind(ids[1])
            .execute(app.db.pool())
            .await
            .unwrap();
        let found = problems(app, std::slice::from_ref(&anchor)).await;
        assert!(
            found.iter().any(|p| p.contains("anchored but missing")),
            "{found:?}"
        );
    }
);
