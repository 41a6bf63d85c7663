//! `polku keys rotate` and `polku keys retire`: a new field-encryption key without downtime.
//! Rotation adds a key and makes it current, keeping the old ones, so nodes still running with
//! the old file go on decrypting and their writes stay readable; then every stored value is
//! re-encrypted under the new key, in batches, while Polku serves. Once every node runs with the
//! new file, `retire` removes an old key that no stored value uses any more.

use polku_store::crypto::{FieldCipher, KeyFile};
use polku_store::Db;
use std::path::Path;

fn read(path: &Path) -> anyhow::Result<KeyFile> {
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

/// Replaces the key file in one rename, readable by its owner only.
fn write(path: &Path, keys: &KeyFile) -> anyhow::Result<()> {
    let tmp = path.with_extension("new");
    let _ = std::fs::remove_file(&tmp);
    crate::write_private(&tmp, &serde_json::to_string_pretty(keys)?)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Returns the new key id and how many stored values were re-encrypted.
pub async fn rotate(db: &Db, path: &Path) -> anyhow::Result<(String, u64)> {
    let mut keys = read(path)?;
    let id = keys.add_key();
    let cipher = FieldCipher::from_keyfile(&keys)?;
    write(path, &keys)?;
    let total = reencrypt(db, &cipher).await?;
    Ok((id, total))
}

/// Re-encrypts everything not yet under the cipher's current key; safe to run again.
pub async fn reencrypt(db: &Db, cipher: &FieldCipher) -> anyhow::Result<u64> {
    let mut total = 0;
    loop {
        let mut conn = db.acquire().await?;
        let n = polku_store::encrypted::reencrypt_batch(&mut conn, cipher, 500).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}

/// Removes key `kid` once nothing is encrypted under it.
pub async fn retire(db: &Db, path: &Path, kid: &str) -> anyhow::Result<()> {
    let mut keys = read(path)?;
    if keys.current == kid {
        anyhow::bail!("{kid} is the current key: rotate first");
    }
    let left = polku_store::encrypted::count_under_key(&mut *db.acquire().await?, kid).await?;
    if left > 0 {
        anyhow::bail!("{left} values are still encrypted under {kid}: run `polku keys rotate` to finish re-encrypting");
    }
    if keys.keys.remove(kid).is_none() {
        anyhow::bail!("no key {kid} in {}", path.display());
    }
    write(path, &keys)
}
