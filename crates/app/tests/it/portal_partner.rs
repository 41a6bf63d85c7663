//! The job seeker and a partner's staff after a referral (issue 15): a thread the partner's
//! record holds, reached from the person's own channel while the consent to share holds, and
//! by no one else.

use crate::common::*;
use crate::portal::{maija_in_voima, signed_in_as, timo_too};

db_test!(
    a_job_seeker_writes_to_the_partner_that_took_them_in,
    |app| async move {
        let (org, project, csrf, person) = maija_in_voima(app).await;
        timo_too(app, &csrf, project).await;
        let x: i64 = person.rsplit('/').next().unwrap().parse().unwrap();
        let maija = signed_in_as(app, "maija@example.fi").await;
        // Before the referral is accepted there is no thread with a partner.
        let page = maija.0.get(app.url("/my/messages")).text_body().await;
        assert!(!page.contains("/my/messages/with/"), "{page}");

        let (referral, theirs, ps) = app
            .accepted_by_partner((org, x), ("Opisto", "ps@college.example"))
            .await;
        let thread = format!("/my/messages/with/{theirs}");
        let page = maija.0.get(app.url("/my/messages")).text_body().await;
        assert!(
            page.contains(&format!("href=\"{thread}\">Opisto</a>")),
            "{page}"
        );

        // Empty refused in place; then her message lands in the partner's record, unread on
        // their front page, and not in her own organisation's conversation.
        let (status, html, _) = post_as(app, &maija, &thread, &[("body", " ")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("id=\"e-message-body\""), "{html}");
        let (status, _, loc) =
            post_as(app, &maija, &thread, &[("body", "Milloin ryhmä alkaa?")]).await;
        assert_eq!((status, loc.as_deref()), (303, Some(thread.as_str())));
        let (_, home) = (200, ps.0.get(app.url("/")).text_body().await);
        assert!(home.contains("Berg, Maija</a> (1 uusi viesti)"), "{home}");
        let partner_record = format!("/participants/{theirs}");
        let page = ps.0.get(app.url(&partner_record)).text_body().await;
        assert!(page.contains("Milloin ryhmä alkaa?"), "{page}");
        let (_, own) = app.get(&person).await;
        assert!(
            !own.contains("Milloin ryhmä alkaa?"),
            "the city's record holds none of it"
        );
        let in_partner_log: i64 = app
            .scalar_for(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'message' AND action = 'create' AND user_id IS NULL AND org_id = (SELECT org_id FROM participants WHERE id = $1)",
                theirs,
            )
            .await;
        assert_eq!(in_partner_log, 1, "logged in the partner's log");

        // The partner answers; she sees it with the organisation's name, counted as new.
        let (status, _, _) = post_as(
            app,
            &ps,
            &format!("{partner_record}/messages"),
            &[("body", "Ryhmä alkaa maanantaina.")],
        )
        .await;
        assert_eq!(status, 303);
        let front = maija.0.get(app.url("/my")).text_body().await;
        assert!(front.contains("Sinulle on 1 uusi viesti."), "{front}");
        let page = maija.0.get(app.url("/my/messages")).text_body().await;
        assert!(page.contains("Opisto</a> (1 uusi viesti)"), "{page}");
        let page = maija.0.get(app.url(&thread)).text_body().await;
        assert!(
            page.contains("Ryhmä alkaa maanantaina.") && page.contains("(Opisto)"),
            "{page}"
        );
        let front = maija.0.get(app.url("/my")).text_body().await;
        assert!(!front.contains("uusi viesti"), "read");
        // Her own data holds both threads.
        let data: serde_json::Value = maija
            .0
            .get(app.url("/my/data/download?format=json"))
            .json_body()
            .await;
        assert_eq!(data["messages"].as_array().map(Vec::len), Some(2));

        // Timo reaches none of it: the thread answers as missing, and writing to it too.
        let timo = signed_in_as(app, "timo@example.fi").await;
        assert_eq!(timo.0.get(app.url(&thread)).sent().await.status(), 404);
        let (status, _, _) = post_as(app, &timo, &thread, &[("body", "Hei")]).await;
        assert_eq!(status, 404);
        let page = timo.0.get(app.url("/my/messages")).text_body().await;
        assert!(!page.contains("Opisto"), "{page}");

        // Once the partner's project has ended the thread is only read: refused, kept typed.
        sqlx::query("UPDATE projects SET end_date = '2026-03-01' WHERE id = (SELECT project_id FROM participants WHERE id = $1)")
            .bind(theirs)
            .execute(app.db.pool())
            .await
            .unwrap();
        let (status, html, _) = post_as(app, &maija, &thread, &[("body", "Vielä yksi")]).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Hanke on päättynyt") && html.contains("Vielä yksi</textarea>"),
            "{html}"
        );

        // Consent withdrawn: the thread is no longer hers to reach from the city's channel.
        let (status, _, _) = app
            .post(
                &format!("/referrals/{referral}/withdraw-consent"),
                &csrf,
                &[],
            )
            .await;
        assert_eq!(status, 303);
        assert_eq!(maija.0.get(app.url(&thread)).sent().await.status(), 404);
        let written: i64 = app
            .scalar_for(
                "SELECT COUNT(*) FROM messages WHERE participant_id = $1",
                theirs,
            )
            .await;
        assert_eq!(written, 2, "nothing written by anyone else");
    }
);
