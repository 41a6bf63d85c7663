//! Data protection of the stored data (issue 9): the tamper-evident audit log, backups, and
//! key rotation. The data subject's rights are in `rights.rs`.

use crate::common::*;

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
        let (_, project, csrf) = app.counsellor_in("Salo", "c@salo.example", "S21358").await;
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
        assert!(problems(app, std::slice::from_ref(&anchor))
            .await
            .is_empty());

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

db_test!(backup_and_restore_lose_nothing, |app| async move {
    let (org, project, csrf) = app.voima_counsellor().await;
    for day in 1..=3 {
        app.enter(&csrf, project, &hetu(day, 6, 62, 908), "Varmuuskopio")
            .await;
    }
    let dir = temp_dir("backup");
    let file = dir.join(format!("{:?}.backup", app.db.backend()));
    let _ = std::fs::remove_file(&file);
    polku::backup::backup(&app.db, &app.db_url, &file)
        .await
        .unwrap();
    let tables = [
        "participants",
        "users",
        "projects",
        "search_terms",
        "audit_log",
    ];
    let mut at_backup = vec![];
    for t in tables {
        at_backup.push(
            app.scalar::<i64>(&format!("SELECT COUNT(*) FROM {t}"))
                .await,
        );
    }
    // Written after the backup: not in it.
    app.enter(&csrf, project, &hetu(4, 6, 62, 908), "Myöhempi")
        .await;

    let target = match app.db.backend() {
        polku_store::Backend::Sqlite => format!("sqlite:{}", dir.join("restored.db").display()),
        polku_store::Backend::Postgres => {
            create_pg_database(&format!("polku_restore_{}", std::process::id())).await
        }
    };
    let _ = std::fs::remove_file(dir.join("restored.db"));
    polku::backup::restore(&target, &file).await.unwrap();
    assert!(
        polku::backup::restore(&target, &file).await.is_err(),
        "never over an existing database"
    );
    let restored = polku_store::Db::connect(&target).await.unwrap();
    for (t, n) in tables.iter().zip(at_backup) {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let got: i64 = sqlx::query_scalar(&sql)
            .fetch_one(restored.pool())
            .await
            .unwrap();
        assert_eq!(got, n, "{t}");
    }
    let audit = polku_store::audit::verify(&restored, &[]).await.unwrap();
    assert!(audit.problems.is_empty(), "{:?}", audit.problems);
    // Identity codes still decrypt with the same key file.
    let row = polku_store::participants::search(
        &mut restored.acquire().await.unwrap(),
        &app.cipher,
        org,
        &hetu(2, 6, 62, 908),
        None,
        5,
    )
    .await
    .unwrap();
    assert_eq!(row.len(), 1);
    assert_eq!(
        polku_store::participants::hetu(&app.cipher, &row[0])
            .unwrap()
            .as_deref(),
        Some(hetu(2, 6, 62, 908).as_str())
    );
    restored.close().await;
    if let polku_store::Backend::Postgres = app.db.backend() {
        let name = target.rsplit('/').next().unwrap().to_string();
        let admin = polku_store::Db::connect_raw(&pg_admin_url()).await.unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
    }
    let _ = std::fs::remove_dir_all(&dir);
});

db_test!(keys_rotate_while_serving, |app| async move {
    let (_, project, csrf) = app.voima_counsellor().await;
    for day in 1..=4 {
        app.enter(&csrf, project, &hetu(day, 7, 63, 910), "Avain")
            .await;
    }
    let dir = temp_dir("keys");
    let path = dir.join("keys.json");
    std::fs::write(&path, serde_json::to_string(&app.keys).unwrap()).unwrap();

    let (id, n) = polku::keys::rotate(&app.db, &path).await.unwrap();
    // Four identity codes and four sets of special-category answers.
    assert_eq!((id.as_str(), n), ("k2", 8));
    let rotated = polku::load_or_create_keys(&path).unwrap();
    let special: Vec<String> = sqlx::query_scalar("SELECT special_enc FROM participants")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    for enc in &special {
        assert_eq!(rotated.decrypt(enc).unwrap(), "-----", "{enc}");
    }
    let stored: Vec<String> = sqlx::query_scalar("SELECT hetu_enc FROM participants ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    for (day, enc) in (1..=4).zip(&stored) {
        assert!(enc.starts_with("k2:"), "{enc}");
        assert_eq!(rotated.decrypt(enc).unwrap(), hetu(day, 7, 63, 910));
    }
    // The app still runs with the old file: it writes under k1, which the new file reads, and
    // its search by identity code works (the blind index key is unchanged).
    app.enter(&csrf, project, &hetu(5, 7, 63, 910), "Avain")
        .await;
    let (_, html) = app
        .get(&format!("/participants?q={}", hetu(2, 7, 63, 910)))
        .await;
    assert!(html.contains("Avain, Maija"));
    assert!(
        polku::keys::retire(&app.db, &path, "k1").await.is_err(),
        "k1 still in use"
    );
    assert_eq!(polku::keys::reencrypt(&app.db, &rotated).await.unwrap(), 2);
    assert!(
        polku::keys::retire(&app.db, &path, "k2").await.is_err(),
        "never the current key"
    );
    polku::keys::retire(&app.db, &path, "k1").await.unwrap();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["current"], "k2");
    assert!(file["keys"].get("k1").is_none());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "key file");
        if let Some(db) = app.db_url.strip_prefix("sqlite:") {
            assert_eq!(mode(std::path::Path::new(db)), 0o600, "SQLite file");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
});

db_test!(special_categories_are_encrypted_at_rest, |app| async move {
    let (_, project, csrf) = app.voima_counsellor().await;
    let mut form = intake(project, &hetu(6, 7, 63, 910), "Erityinen");
    form.extend([
        ("disability", "yes".to_string()),
        ("foreign_background", "no".into()),
        ("third_country_national", "refused".into()),
        ("homeless", "yes".into()),
    ]);
    let (status, _, loc) = app.post("/participants", &csrf, &borrow(&form)).await;
    assert_eq!(status, 303);
    let page = loc.unwrap();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();

    // Stored as one value under the current key, of one length whatever the answers.
    let stored: String = app
        .scalar_for("SELECT special_enc FROM participants WHERE id = $1", id)
        .await;
    assert!(stored.starts_with("k1:"), "{stored}");
    // disability, foreign background, third-country national, minority (not asked), homeless
    assert_eq!(app.cipher.decrypt(&stored).unwrap(), "ynr-y");
    app.enter(&csrf, project, &hetu(7, 7, 63, 910), "Tavallinen")
        .await;
    let lengths: Vec<i64> = sqlx::query_scalar("SELECT LENGTH(special_enc) FROM participants")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(lengths.len(), 2);
    assert_eq!(lengths[0], lengths[1]);
    let columns: i64 = app
        .scalar(match app.db.backend() {
            polku_store::Backend::Sqlite => {
                "SELECT COUNT(*) FROM pragma_table_info('participants') WHERE name IN ('disability', 'homeless')"
            }
            polku_store::Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'participants' AND column_name IN ('disability', 'homeless')"
            }
        })
        .await;
    assert_eq!(columns, 0, "no plaintext columns are left");

    // Read back decrypted: the page, the edit form, the API and the ESF+ figures.
    let (_, html) = app.get(&page).await;
    assert!(html.contains("Asunnoton"), "{html}");
    let (_, edit) = app.get(&format!("{page}/edit")).await;
    assert!(edit.contains(r#"value="refused" selected"#), "{edit}");
    let token = app.api_token(&app.client, &csrf, "t").await;
    let api: serde_json::Value = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/participants/{id}")))
        .bearer_auth(&token)
        .json_body()
        .await;
    assert_eq!(api["special_categories"]["disability"], "yes");
    assert_eq!(
        api["special_categories"]["third_country_national"],
        "refused"
    );
    let report: serde_json::Value = app.esf_json("S21358", true).await;
    let total = |code: &str| {
        report["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .map(|r| r["counts"]["total"].clone())
    };
    assert_eq!(total("EECO12"), Some(1.into()), "{report}");
    assert_eq!(total("EECO16"), Some(1.into()));

    // A value a migration left in plaintext is encrypted at start-up, once.
    sqlx::query("UPDATE participants SET special_enc = 'plain:nnnny' WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let sealed = polku_store::encrypted::encrypt_pending(&app.db, &app.cipher)
        .await
        .unwrap();
    assert_eq!(sealed, 1);
    let stored: String = app
        .scalar_for("SELECT special_enc FROM participants WHERE id = $1", id)
        .await;
    assert_eq!(app.cipher.decrypt(&stored).unwrap(), "nnnny");
    assert_eq!(
        polku_store::encrypted::encrypt_pending(&app.db, &app.cipher)
            .await
            .unwrap(),
        0
    );
});
