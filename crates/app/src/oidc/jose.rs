//! The parts of JOSE that strong identification uses: RS256 signatures (compact JWS) and
//! decrypting an encrypted ID token (compact JWE: RSA-OAEP-256 or RSA-OAEP key transport;
//! A128GCM, A256GCM or A128CBC-HS256 content encryption). Keys are RSA, read from PEM. A
//! refusal names the check that failed and never a token's content.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Oaep, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Which check a token failed.
#[derive(Debug, PartialEq, Eq)]
pub struct JoseError(pub &'static str);

pub type Result<T> = std::result::Result<T, JoseError>;

/// One of this service's private RSA keys, with its key id: the RFC 7638 thumbprint of its
/// public half, so the id follows the key and never needs configuring.
pub struct Key {
    private: RsaPrivateKey,
    pub kid: String,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key {{ kid: {}, private: <redacted> }}", self.kid)
    }
}

impl Key {
    /// A key of 2048 bits or more in PEM, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1.
    pub fn from_pem(pem: &str) -> anyhow::Result<Key> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::pkcs8::DecodePrivateKey;
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| anyhow::anyhow!("not an RSA private key in PEM (PKCS#8 or PKCS#1)"))?;
        if private.size() < 256 {
            anyhow::bail!("the RSA key has fewer than 2048 bits");
        }
        let kid = thumbprint(&private.to_public_key());
        Ok(Key { private, kid })
    }

    /// The public half as a JWK for `usage` (`sig` or `enc`) with algorithm `alg`.
    pub fn public_jwk(&self, usage: &str, alg: &str) -> Value {
        let p = self.private.to_public_key();
        json!({
            "kty": "RSA", "use": usage, "alg": alg, "kid": self.kid,
            "n": B64.encode(p.n().to_bytes_be()), "e": B64.encode(p.e().to_bytes_be()),
        })
    }

    /// `claims` as a compact JWS signed RS256, its header naming `typ` and this key.
    pub fn sign(&self, typ: &str, claims: &Value) -> Result<String> {
        let header = json!({ "alg": "RS256", "typ": typ, "kid": self.kid });
        let input = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        );
        let signature = SigningKey::<Sha256>::new(self.private.clone())
            .try_sign(input.as_bytes())
            .map_err(|_| JoseError("signing failed"))?;
        Ok(format!("{input}.{}", B64.encode(signature.to_bytes())))
    }

    /// The plaintext of a compact JWE encrypted to this key. Compressed content is refused.
    pub fn decrypt(&self, jwe: &str) -> Result<Vec<u8>> {
        let parts: Vec<&str> = jwe.split('.').collect();
        let [h, key, iv, text, tag] = parts[..] else {
            return Err(JoseError(
                "not a compact JWE (the ID token is not encrypted)",
            ));
        };
        let header: Value = from_json(&b64(h)?)?;
        if header.get("zip").is_some() {
            return Err(JoseError("compressed JWE is not taken"));
        }
        if header["kid"].as_str().is_some_and(|kid| kid != self.kid) {
            return Err(JoseError("JWE encrypted to another key"));
        }
        let key = b64(key)?;
        let cek = match header["alg"].as_str() {
            Some("RSA-OAEP-256") => self.private.decrypt(Oaep::new::<Sha256>(), &key),
            Some("RSA-OAEP") => self.private.decrypt(Oaep::new::<sha1::Sha1>(), &key),
            _ => return Err(JoseError("key encryption algorithm not taken")),
        }
        .map_err(|_| JoseError("content key does not decrypt"))?;
        let sealed = Sealed {
            iv: b64(iv)?,
            text: b64(text)?,
            tag: b64(tag)?,
            aad: h.as_bytes(),
        };
        match header["enc"].as_str() {
            Some("A128GCM") => sealed.gcm::<Aes128Gcm>(&cek),
            Some("A256GCM") => sealed.gcm::<Aes256Gcm>(&cek),
            Some("A128CBC-HS256") => sealed.cbc_hs256(&cek),
            _ => Err(JoseError("content encryption not taken")),
        }
    }
}

/// A JWE's encrypted content with what authenticates it.
struct Sealed<'a> {
    iv: Vec<u8>,
    text: Vec<u8>,
    tag: Vec<u8>,
    /// The protected header as it came (ASCII of its base64url).
    aad: &'a [u8],
}

impl Sealed<'_> {
    fn gcm<C: KeyInit + Aead>(&self, cek: &[u8]) -> Result<Vec<u8>> {
        let cipher =
            C::new_from_slice(cek).map_err(|_| JoseError("content key of the wrong length"))?;
        if self.iv.len() != 12 || self.tag.len() != 16 {
            return Err(JoseError("GCM nonce or tag of the wrong length"));
        }
        let msg = [self.text.as_slice(), self.tag.as_slice()].concat();
        let nonce = aes_gcm::aead::Nonce::<C>::from_slice(&self.iv);
        cipher
            .decrypt(
                nonce,
                Payload {
                    msg: &msg,
                    aad: self.aad,
                },
            )
            .map_err(|_| JoseError("content does not decrypt"))
    }

    /// RFC 7518 5.2: HMAC-SHA-256 over AAD, IV, ciphertext and the AAD's length in bits
    /// (first half of the key), then AES-128-CBC (second half).
    fn cbc_hs256(&self, cek: &[u8]) -> Result<Vec<u8>> {
        use cbc::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
        use hmac::Mac;
        if cek.len() != 32 || self.iv.len() != 16 {
            return Err(JoseError("content key or IV of the wrong length"));
        }
        let (mac_key, enc_key) = cek.split_at(16);
        let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(mac_key)
            .map_err(|_| JoseError("content key of the wrong length"))?;
        mac.update(self.aad);
        mac.update(&self.iv);
        mac.update(&self.text);
        mac.update(&(self.aad.len() as u64 * 8).to_be_bytes());
        let full = mac.finalize().into_bytes();
        if !polku_domain::secret::same(&full[..16], &self.tag) {
            return Err(JoseError("content does not authenticate"));
        }
        cbc::Decryptor::<aes::Aes128>::new_from_slices(enc_key, &self.iv)
            .map_err(|_| JoseError("content key of the wrong length"))?
            .decrypt_padded_vec_mut::<Pkcs7>(&self.text)
            .map_err(|_| JoseError("content does not decrypt"))
    }
}

/// The claims of a compact JWS signed RS256 with one of `keys` (a JWKS's `keys`), chosen by
/// the token's `kid`.
pub fn verify(jws: &str, keys: &[Value]) -> Result<Value> {
    let parts: Vec<&str> = jws.split('.').collect();
    let [h, payload, signature] = parts[..] else {
        return Err(JoseError("not a compact JWS"));
    };
    let header: Value = from_json(&b64(h)?)?;
    if header["alg"] != "RS256" {
        return Err(JoseError("signature algorithm is not RS256"));
    }
    let kid = header["kid"].as_str();
    let key = keys
        .iter()
        .filter(|k| k["kty"] == "RSA" && k["use"].as_str().is_none_or(|u| u == "sig"))
        .find(|k| kid.is_none() || k["kid"].as_str() == kid)
        .ok_or(JoseError("no signing key with the token's kid"))?;
    let number = |name: &str| -> Result<BigUint> {
        let v = key[name]
            .as_str()
            .ok_or(JoseError("signing key without n or e"))?;
        Ok(BigUint::from_bytes_be(&b64(v)?))
    };
    let public = RsaPublicKey::new(number("n")?, number("e")?)
        .map_err(|_| JoseError("signing key is not a valid RSA key"))?;
    let signature = Signature::try_from(b64(signature)?.as_slice())
        .map_err(|_| JoseError("signature of the wrong form"))?;
    VerifyingKey::<Sha256>::new(public)
        .verify(format!("{h}.{payload}").as_bytes(), &signature)
        .map_err(|_| JoseError("signature does not verify"))?;
    from_json(&b64(payload)?)
}

/// RFC 7638: SHA-256 of the required members in order, base64url.
fn thumbprint(p: &RsaPublicKey) -> String {
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        B64.encode(p.e().to_bytes_be()),
        B64.encode(p.n().to_bytes_be())
    );
    B64.encode(Sha256::digest(canonical.as_bytes()))
}

/// A random value for `state`, `nonce`, a PKCE verifier or a `jti`: 256 bits, base64url.
pub fn random() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    B64.encode(b)
}

/// The PKCE S256 challenge of `verifier`.
pub fn challenge(verifier: &str) -> String {
    B64.encode(Sha256::digest(verifier.as_bytes()))
}

fn b64(s: &str) -> Result<Vec<u8>> {
    B64.decode(s).map_err(|_| JoseError("not base64url"))
}

fn from_json(b: &[u8]) -> Result<Value> {
    serde_json::from_slice(b).map_err(|_| JoseError("not JSON"))
}
