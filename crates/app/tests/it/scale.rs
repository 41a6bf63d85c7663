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
    let r = app.client.post(format!("{node_b}/participants")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303, "node B accepts node A's session");
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    // ... and read it back on node A, with the identity code decrypted by the shared keys.
    let (status, html) = app.get(&loc).await;
    assert_eq!(status, 200);
    assert!(html.contains("Maija Solmu") && html.contains("131052-308T"));
    // Logging out on B ends the session on A too.
    let r = app.client.post(format!("{node_b}/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (status, _) = app.get("/participants").await;
    assert_eq!(status, 303, "logged out everywhere");
});
