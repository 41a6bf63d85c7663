//! Referrals (issue 14): who referred a person from outside Polku is recorded on their record
//! by the receiving organisation, refused in place when incomplete, and reported by referrer.

use crate::common::*;

db_test!(
    a_referral_from_the_te_office_is_recorded_and_reported,
    |app| async move {
        let (project, csrf, person) = app
            .person_in("VOIMA", "c@voima.example", "S21358", "131052-308T", "Berg")
            .await;
        let _ = project;
        let referred = format!("{person}/referred-by");
        let written = || app.scalar::<i64>("SELECT COUNT(*) FROM referrals");

        // No referrer and a day to come: both said, in Finnish, what was typed kept.
        let form = [
            ("referrer_name", "Salon TE-toimisto"),
            ("referred_on", "3.3.2026"),
        ];
        let (status, html, _) = app.post(&referred, &csrf, &form).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-referral-referrer\""), "{html}");
        assert!(html.contains("id=\"e-referral-referred_on\""));
        assert!(html.contains("value=\"Salon TE-toimisto\""));
        assert_eq!(written().await, 0, "nothing written");

        let form = [
            ("referrer", "te_office"),
            ("referrer_name", "Salon TE-toimisto"),
            ("referred_on", "16.2.2026"),
            ("reason", "Pitkään työttömänä"),
        ];
        assert_eq!(app.post(&referred, &csrf, &form).await.0, 303);
        let (_, page) = app.get(&person).await;
        assert!(
            page.contains("16.2.2026 TE-toimisto, Salon TE-toimisto: Pitkään työttömänä"),
            "{page}"
        );
        let report = app.esf_json("S21358", true).await;
        assert_eq!(
            report["referred_by"],
            serde_json::json!([{"referrer": "te_office", "count": 1}])
        );
        // Others than the project's own staff see a small count hidden.
        let shown = app.esf_json("S21358", false).await;
        assert_eq!(shown["referred_by"][0]["count"], serde_json::Value::Null);

        // Another organisation's counsellor: the person is not there.
        let aura = TestApp::new_client();
        let org = app.org("AURA").await;
        app.user(org, "c@aura.example", polku_domain::authz::Role::Counsellor)
            .await;
        let aura_csrf = app.login_as(&aura, "c@aura.example").await;
        let r = aura
            .post(app.url(&referred))
            .form(&[
                ("csrf", aura_csrf.as_str()),
                ("referrer", "kela"),
                ("referred_on", "1.2.2026"),
            ])
            .sent()
            .await;
        assert_eq!(r.status(), 404);
        assert_eq!(written().await, 1);
    }
);
