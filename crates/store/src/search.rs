//! The participant search index: `search_terms` (organisation, term, participant), kept in the
//! same transaction as the name, note or contact it comes from. What a term is and how a query
//! word matches lives in `polku_domain::search`.

use crate::{Conn, Db, StoreError};
use polku_domain::ids::{OrgId, ParticipantId, UserId};
use polku_domain::search::{name_terms, text_terms, TextLang, WordMatch};
use std::collections::BTreeSet;

/// Rows per INSERT: 3 parameters each, well under both backends' limits.
const CHUNK: usize = 300;

/// Adds `terms` for one participant; terms already there are left as they are.
pub async fn add_terms(
    conn: &mut Conn,
    org: OrgId,
    participant: ParticipantId,
    terms: &BTreeSet<String>,
) -> Result<(), StoreError> {
    let rows: Vec<(i64, &str, i64)> = terms
        .iter()
        .map(|t| (org.0, t.as_str(), participant.0))
        .collect();
    insert_rows(conn, &rows).await
}

/// Inserts (org, term, participant) rows, skipping ones already present.
pub async fn insert_rows(conn: &mut Conn, rows: &[(i64, &str, i64)]) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<String> = (0..chunk.len())
            .map(|n| format!("(${}, ${}, ${})", 3 * n + 1, 3 * n + 2, 3 * n + 3))
            .collect();
        let sql = format!(
            "INSERT INTO search_terms (org_id, term, participant_id) VALUES {} ON CONFLICT DO NOTHING",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (org, term, participant) in chunk {
            q = q.bind(*org).bind(*term).bind(*participant);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Indexes free text written by `author`, stemmed in the author's interface language.
pub async fn index_text(
    conn: &mut Conn,
    participant: ParticipantId,
    author: UserId,
    text: &str,
) -> Result<(), StoreError> {
    let (org, locale): (i64, String) = sqlx::query_as(
        "SELECT p.org_id, u.locale FROM participants p, users u WHERE p.id = $1 AND u.id = $2",
    )
    .bind(participant.0)
    .bind(author.0)
    .fetch_one(&mut *conn)
    .await?;
    let terms = text_terms(text, TextLang::from_locale(&locale));
    add_terms(conn, OrgId(org), participant, &terms).await
}

/// Rebuilds one participant's terms from their name, notes and contact summaries; used when a
/// name changes, since the old name's words must go.
pub async fn reindex(conn: &mut Conn, participant: ParticipantId) -> Result<(), StoreError> {
    let terms = collect(conn, &[participant.0]).await?;
    sqlx::query("DELETE FROM search_terms WHERE participant_id = $1")
        .bind(participant.0)
        .execute(&mut *conn)
        .await?;
    let rows: Vec<(i64, &str, i64)> = terms
        .iter()
        .map(|(org, term, p)| (*org, term.as_str(), *p))
        .collect();
    insert_rows(conn, &rows).await
}

/// Every (org, term, participant) the given participants' data yields.
async fn collect(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String, i64)>, StoreError> {
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let marks = marks.join(", ");
    let names_sql =
        format!("SELECT id, org_id, first_name, last_name FROM participants WHERE id IN ({marks})");
    let mut q = sqlx::query_as::<_, (i64, i64, String, String)>(&names_sql);
    for id in ids {
        q = q.bind(*id);
    }
    let mut out = BTreeSet::new();
    let mut orgs = std::collections::HashMap::new();
    for (id, org, first, last) in q.fetch_all(&mut *conn).await? {
        orgs.insert(id, org);
        for t in name_terms(&first, &last) {
            out.insert((org, t, id));
        }
    }
    let texts_sql = format!(
        "SELECT n.participant_id, u.locale, n.body FROM notes n JOIN users u ON u.id = n.author_id WHERE n.participant_id IN ({marks}) \
         UNION ALL SELECT c.participant_id, u.locale, c.summary FROM contacts c JOIN users u ON u.id = c.counsellor_id WHERE c.participant_id IN ({marks})"
    );
    let mut q = sqlx::query_as::<_, (i64, String, String)>(&texts_sql);
    for id in ids {
        q = q.bind(*id);
    }
    for (id, locale, text) in q.fetch_all(&mut *conn).await? {
        if let Some(org) = orgs.get(&id) {
            for t in text_terms(&text, TextLang::from_locale(&locale)) {
                out.insert((*org, t, id));
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Fills the index for participants stored before it existed, once, at start.
pub async fn build_if_needed(db: &Db) -> Result<(), StoreError> {
    let mut conn = db.acquire().await?;
    if crate::settings::get(&mut conn, "search_terms_built")
        .await?
        .as_deref()
        != Some("0")
    {
        return Ok(());
    }
    drop(conn);
    let mut after = 0i64;
    loop {
        let mut tx = db.begin().await?;
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM participants WHERE id > $1 ORDER BY id LIMIT 500")
                .bind(after)
                .fetch_all(&mut *tx)
                .await?;
        let Some(last) = ids.last().copied() else {
            crate::settings::set(&mut tx, "search_terms_built", "1").await?;
            tx.commit().await?;
            return Ok(());
        };
        let terms = collect(&mut tx, &ids).await?;
        let rows: Vec<(i64, &str, i64)> = terms
            .iter()
            .map(|(org, term, p)| (*org, term.as_str(), *p))
            .collect();
        insert_rows(&mut tx, &rows).await?;
        tx.commit().await?;
        after = last;
    }
}

/// Participants of `org` (optionally one project) matching every query word, newest first;
/// `limit` from `offset` on, or all with `None`.
pub async fn find(
    conn: &mut Conn,
    org: OrgId,
    words: &[WordMatch],
    project: Option<i64>,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<i64>, StoreError> {
    let Some((first, rest)) = words.split_first() else {
        return Ok(vec![]);
    };
    // $1 is the organisation, then the project when there is one, then the words' values.
    let first_word = if project.is_some() { 3 } else { 2 };
    let mut binds: Vec<String> = vec![];
    let param = |binds: &mut Vec<String>, v: String| {
        binds.push(v);
        format!("${}", binds.len() + first_word - 1)
    };
    let cond = |alias: &str, w: &WordMatch, binds: &mut Vec<String>| {
        let from = param(binds, w.prefix.clone());
        let to = param(binds, w.prefix_end());
        let mut c = format!("({alias}.term >= {from} AND {alias}.term < {to}");
        for s in &w.stems {
            let p = param(binds, s.clone());
            c.push_str(&format!(" OR {alias}.term = {p}"));
        }
        c.push(')');
        c
    };
    // The participant row is joined only to filter by project.
    let project_join = match project {
        Some(_) => " JOIN participants p ON p.id = t0.participant_id AND p.project_id = $2",
        None => "",
    };
    let mut sql = format!(
        "SELECT DISTINCT t0.participant_id FROM search_terms t0{project_join} WHERE t0.org_id = $1 AND {}",
        cond("t0", first, &mut binds)
    );
    for (n, w) in rest.iter().enumerate() {
        let a = format!("t{}", n + 1);
        let c = cond(&a, w, &mut binds);
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM search_terms {a} WHERE {a}.participant_id = t0.participant_id AND {a}.org_id = $1 AND {c})"
        ));
    }
    sql.push_str(" ORDER BY t0.participant_id DESC");
    if let Some(limit) = limit {
        sql.push_str(&format!(" LIMIT {} OFFSET {}", limit.max(1), offset.max(0)));
    }
    let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(org.0);
    if let Some(p) = project {
        q = q.bind(p);
    }
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_all(conn).await?)
}
