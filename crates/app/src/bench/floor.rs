//! The memory-bandwidth floor: no report can be faster than streaming, once, the bytes it must
//! read. Bandwidth is measured on this machine in this run, so the ratio compares across machines.

use polku_store::Db;
use std::hint::black_box;
use std::time::Instant;

/// Bytes per second of a sequential read of 256 MiB, best of five.
pub fn bandwidth() -> f64 {
    let words: Vec<u64> = (0..(32u64 << 20)).collect();
    let bytes = (words.len() * 8) as f64;
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        // Four independent sums keep the adder from being the limit.
        let mut acc = [0u64; 4];
        for c in black_box(&words).chunks_exact(4) {
            for (a, w) in acc.iter_mut().zip(c) {
                *a = a.wrapping_add(*w);
            }
        }
        black_box(acc);
        best = best.min(t.elapsed().as_secs_f64());
    }
    bytes / best.max(1e-9)
}

/// The bytes of the columns the ESF+ report reads for one project (participants and completed
/// follow-ups), integers counted as 8 bytes. Codes and dates are ASCII, so characters = bytes.
pub async fn report_bytes(db: &Db, project: i64) -> anyhow::Result<i64> {
    let text = [
        "hetu_index",
        "gender",
        "birth_date",
        "entry_date",
        "labour_status",
        "unemployed_since",
        "education",
        "special_enc",
        "municipality",
        "exit_date",
        "exit_status",
    ];
    let lengths: Vec<String> = text
        .iter()
        .map(|c| format!("COALESCE(LENGTH(p.{c}), 0)"))
        .collect();
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(8 + {}), 0) AS BIGINT) + \
           (SELECT CAST(COALESCE(SUM(16 + COALESCE(LENGTH(f.status), 0)), 0) AS BIGINT) FROM follow_ups f JOIN participants q ON q.id = f.participant_id \
            WHERE q.project_id = $1 AND f.done_at IS NOT NULL) \
         FROM participants p WHERE p.project_id = $1",
        lengths.join(" + ")
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(project)
        .fetch_one(db.pool())
        .await?)
}
