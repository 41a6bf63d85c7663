//! Field encryption with a key id, and a keyed blind index for exact-match search.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::fmt;

use crate::StoreError;

/// Keys as stored in the key file: `{ "current": "k1", "keys": { "k1": "<base64>" }, "index": "<base64>" }`.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct KeyFile {
    pub current: String,
    pub keys: BTreeMap<String, String>,
    pub index: String,
}

impl fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KeyFile {{ current: {:?}, keys: <{} redacted> }}",
            self.current,
            self.keys.len()
        )
    }
}

impl KeyFile {
    /// Adds a new key and makes it current; the old ones stay, so values written under them
    /// (and by nodes still running with the old file) keep decrypting. Returns the new key id.
    pub fn add_key(&mut self) -> String {
        let next = (1..)
            .map(|n| format!("k{n}"))
            .find(|id| !self.keys.contains_key(id))
            .unwrap_or_else(|| "k0".into());
        let mut k = [0u8; 32];
        OsRng.fill_bytes(&mut k);
        self.keys.insert(next.clone(), B64.encode(k));
        self.current = next.clone();
        next
    }

    pub fn generate() -> KeyFile {
        let mut k = [0u8; 32];
        let mut i = [0u8; 32];
        OsRng.fill_bytes(&mut k);
        OsRng.fill_bytes(&mut i);
        KeyFile {
            current: "k1".into(),
            keys: BTreeMap::from([("k1".to_string(), B64.encode(k))]),
            index: B64.encode(i),
        }
    }
}

/// Encrypts personal fields. Ciphertext is `kid:base64(nonce‖ct)`, so keys can rotate:
/// new writes use `current`, old rows still decrypt with their own key id.
pub struct FieldCipher {
    current: String,
    keys: BTreeMap<String, SecretBox<[u8; 32]>>,
    index: SecretBox<[u8; 32]>,
}

impl fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FieldCipher {{ current: {:?}, keys: <redacted> }}",
            self.current
        )
    }
}

fn key32(b64: &str) -> Result<SecretBox<[u8; 32]>, StoreError> {
    let v = B64
        .decode(b64.trim())
        .map_err(|_| StoreError::Crypto("key is not base64"))?;
    let arr: [u8; 32] = v
        .try_into()
        .map_err(|_| StoreError::Crypto("key must be 32 bytes"))?;
    Ok(SecretBox::new(Box::new(arr)))
}

impl FieldCipher {
    pub fn from_keyfile(k: &KeyFile) -> Result<FieldCipher, StoreError> {
        let mut keys = BTreeMap::new();
        for (id, v) in &k.keys {
            if id.contains(':') {
                return Err(StoreError::Crypto("key id may not contain ':'"));
            }
            keys.insert(id.clone(), key32(v)?);
        }
        if !keys.contains_key(&k.current) {
            return Err(StoreError::Crypto("current key id not among keys"));
        }
        Ok(FieldCipher {
            current: k.current.clone(),
            keys,
            index: key32(&k.index)?,
        })
    }

    /// The id of the key new values are encrypted with.
    pub fn current(&self) -> &str {
        &self.current
    }

    pub fn encrypt(&self, plain: &str) -> Result<String, StoreError> {
        let key = self
            .keys
            .get(&self.current)
            .ok_or(StoreError::Crypto("no current key"))?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(key.expose_secret()));
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = cipher
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|_| StoreError::Crypto("encrypt"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(format!("{}:{}", self.current, B64.encode(out)))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, StoreError> {
        let (kid, body) = stored
            .split_once(':')
            .ok_or(StoreError::Crypto("no key id"))?;
        let key = self
            .keys
            .get(kid)
            .ok_or(StoreError::Crypto("unknown key id"))?;
        let raw = B64
            .decode(body)
            .map_err(|_| StoreError::Crypto("not base64"))?;
        if raw.len() < 24 {
            return Err(StoreError::Crypto("too short"));
        }
        let (nonce, ct) = raw.split_at(24);
        let cipher = XChaCha20Poly1305::new(Key::from_slice(key.expose_secret()));
        let plain = cipher
            .decrypt(XNonce::from_slice(nonce), ct)
            .map_err(|_| StoreError::Crypto("decrypt"))?;
        String::from_utf8(plain).map_err(|_| StoreError::Crypto("not utf-8"))
    }

    /// Deterministic keyed hash of a normalised value: equal inputs match, the value itself is not revealed.
    pub fn blind_index(&self, plain: &str) -> String {
        let normalised: String = plain.trim().to_uppercase();
        // HMAC accepts keys of any length; 32 bytes cannot fail.
        match <Hmac<Sha256> as Mac>::new_from_slice(self.index.expose_secret()) {
            Ok(mut mac) => {
                mac.update(normalised.as_bytes());
                hex::encode(mac.finalize().into_bytes())
            }
            Err(_) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_rotation() {
        let mut kf = KeyFile::generate();
        let c1 = FieldCipher::from_keyfile(&kf).unwrap();
        let old = c1.encrypt("131052-308T").unwrap();
        assert!(old.starts_with("k1:"));
        assert!(!old.contains("131052"));
        // Rotate: add k2 as current; k1 rows still decrypt.
        let new_key = KeyFile::generate().keys.remove("k1").unwrap();
        kf.keys.insert("k2".into(), new_key);
        kf.current = "k2".into();
        let c2 = FieldCipher::from_keyfile(&kf).unwrap();
        assert_eq!(c2.decrypt(&old).unwrap(), "131052-308T");
        assert!(c2.encrypt("x").unwrap().starts_with("k2:"));
        assert_eq!(
            c1.blind_index("131052-308t "),
            c2.blind_index("131052-308T")
        );
        assert!(c2.decrypt("k9:AAAA").is_err());
    }
}
