//! A stand-in OpenID Connect provider for the strong identification tests, checking what a
//! provider of the Finnish Trust Network profile checks: the request object's signature with
//! the key Polku publishes, the client assertion, PKCE and a single-use code; it answers with
//! an ID token it signs and encrypts to Polku's published encryption key. Its JOSE is written
//! here, apart from Polku's, so the two check each other. The keys under `oidc_keys/` are for
//! these tests only.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rand::RngCore;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Oaep, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const CLIENT_ID: &str = "polku-test-client";
pub const HETU_CLAIM: &str = "urn:oid:1.2.246.21";

/// How the provider answers the next token request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    Right,
    /// Signed with a key not in the provider's JWKS.
    ForeignSignature,
    /// A nonce other than the one asked with.
    WrongNonce,
    /// Signed but not encrypted.
    Unencrypted,
    /// For another client.
    OtherAudience,
    /// From another issuer.
    OtherIssuer,
    /// Expired before it came.
    Expired,
}

pub struct Stand {
    /// The henkilötunnus the next identification gives.
    pub hetu: String,
    pub answer: Answer,
    /// Key transport: RSA-OAEP-256 or RSA-OAEP.
    pub alg: &'static str,
    /// Content encryption: A256GCM or A128CBC-HS256.
    pub enc: &'static str,
}

struct Grant {
    nonce: String,
    challenge: String,
    redirect_uri: String,
}

struct Inner {
    stand: Stand,
    /// Polku's address, where its keys are published.
    client: String,
    grants: HashMap<String, Grant>,
    /// The checks that held, in order.
    checked: Vec<&'static str>,
}

#[derive(Clone)]
pub struct Provider {
    pub url: String,
    /// The time the tokens are made at (the tests' fixed clock).
    now: i64,
    inner: Arc<Mutex<Inner>>,
}

fn provider_key() -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_pem(include_str!("oidc_keys/provider.pem")).unwrap()
}

/// Polku's keys, as the binary reads them from files.
pub fn polku_settings(issuer: &str, node: &str) -> polku::oidc::Settings {
    use polku::oidc::jose::Key;
    polku::oidc::Settings {
        issuer: issuer.to_string(),
        client_id: CLIENT_ID.to_string(),
        redirect_url: format!("{node}/my/sign-in/strong/done"),
        signing_key: Key::from_pem(include_str!("oidc_keys/polku-sign.pem")).unwrap(),
        decryption_key: Key::from_pem(include_str!("oidc_keys/polku-enc.pem")).unwrap(),
        claim: HETU_CLAIM.to_string(),
        scope: "openid".to_string(),
        acr: Some("http://ftn.ficora.fi/2017/loa2".to_string()),
    }
}

impl Provider {
    /// A provider that identifies `hetu` (RSA-OAEP-256, A256GCM), and a node of `app` that
    /// offers sign-in through it: (provider, the node's address).
    pub async fn with_node(app: &crate::common::TestApp, hetu: &str) -> (Provider, String) {
        use polku_domain::clock::Clock;
        let stand = Stand {
            hetu: hetu.to_string(),
            answer: Answer::Right,
            alg: "RSA-OAEP-256",
            enc: "A256GCM",
        };
        let provider = Provider::start(stand, app.clock.now().timestamp()).await;
        let issuer = provider.url.clone();
        let node = app
            // Returns are throttled as logins are; the tests make more than a burst's worth.
            .node_where(
                polku_web::Config {
                    login_burst: 100,
                    ..Default::default()
                },
                |state, node| {
                    let p = polku::oidc::Provider::new(polku_settings(&issuer, node)).unwrap();
                    state.with_strong(Arc::new(p))
                },
            )
            .await;
        provider.register(&node);
        (provider, node)
    }

    pub async fn start(stand: Stand, now: i64) -> Provider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let p = Provider {
            url,
            now,
            inner: Arc::new(Mutex::new(Inner {
                stand,
                client: String::new(),
                grants: HashMap::new(),
                checked: vec![],
            })),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(p.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        p
    }

    /// Polku's node, whose published keys the provider trusts.
    pub fn register(&self, node: &str) {
        self.inner.lock().unwrap().client = node.to_string();
    }

    pub fn set(&self, change: impl FnOnce(&mut Stand)) {
        change(&mut self.inner.lock().unwrap().stand);
    }

    pub fn checked(&self) -> Vec<&'static str> {
        self.inner.lock().unwrap().checked.clone()
    }

    fn check(&self, what: &'static str) {
        self.inner.lock().unwrap().checked.push(what);
    }

    async fn client_key(&self, usage: &str) -> (RsaPublicKey, String) {
        let client = self.inner.lock().unwrap().client.clone();
        let jwks: Value = reqwest::get(format!("{client}/my/sign-in/strong/jwks.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let k = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["use"] == usage)
            .unwrap()
            .clone();
        let n =
            |name: &str| BigUint::from_bytes_be(&B64.decode(k[name].as_str().unwrap()).unwrap());
        (
            RsaPublicKey::new(n("n"), n("e")).unwrap(),
            k["kid"].as_str().unwrap().to_string(),
        )
    }
}

async fn discovery(State(p): State<Provider>) -> Json<Value> {
    Json(json!({
        "issuer": p.url,
        "authorization_endpoint": format!("{}/authorize", p.url),
        "token_endpoint": format!("{}/token", p.url),
        "jwks_uri": format!("{}/jwks", p.url),
    }))
}

async fn jwks() -> Json<Value> {
    let public = provider_key().to_public_key();
    Json(json!({ "keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": "provider-1",
        "n": B64.encode(public.n().to_bytes_be()), "e": B64.encode(public.e().to_bytes_be()),
    }]}))
}

fn refuse(what: &str) -> Response {
    (axum::http::StatusCode::BAD_REQUEST, what.to_string()).into_response()
}

/// The claims of `jws` if `key` signed it RS256 and its header names `kid` and `typ`.
fn verified(jws: &str, key: &RsaPublicKey, kid: &str, typ: &str) -> Option<Value> {
    let parts: Vec<&str> = jws.split('.').collect();
    let [h, p, s] = parts[..] else { return None };
    let header: Value = serde_json::from_slice(&B64.decode(h).ok()?).ok()?;
    if header["alg"] != "RS256" || header["kid"] != kid || header["typ"] != typ {
        return None;
    }
    let signature = Signature::try_from(B64.decode(s).ok()?.as_slice()).ok()?;
    VerifyingKey::<Sha256>::new(key.clone())
        .verify(format!("{h}.{p}").as_bytes(), &signature)
        .ok()?;
    serde_json::from_slice(&B64.decode(p).ok()?).ok()
}

async fn authorize(
    State(p): State<Provider>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (key, kid) = p.client_key("sig").await;
    let Some(c) = q
        .get("request")
        .and_then(|r| verified(r, &key, &kid, "oauth-authz-req+jwt"))
    else {
        return refuse("request object not signed by the client");
    };
    let node = p.inner.lock().unwrap().client.clone();
    let holds = [
        q.get("client_id").map(String::as_str) == Some(CLIENT_ID),
        c["iss"] == CLIENT_ID && c["client_id"] == CLIENT_ID,
        c["aud"] == p.url.as_str(),
        c["response_type"] == "code" && c["scope"] == "openid",
        c["redirect_uri"] == format!("{node}/my/sign-in/strong/done").as_str(),
        c["code_challenge_method"] == "S256" && c["code_challenge"].is_string(),
        c["acr_values"] == "http://ftn.ficora.fi/2017/loa2",
        c["exp"].as_i64().is_some_and(|e| e > p.now),
        c["state"].is_string() && c["nonce"].is_string(),
    ];
    if holds.contains(&false) {
        return refuse(&format!("request object refused: {holds:?}"));
    }
    p.check("request object");
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let code = hex::encode(raw);
    let text = |k: &str| c[k].as_str().unwrap().to_string();
    let redirect = text("redirect_uri");
    p.inner.lock().unwrap().grants.insert(
        code.clone(),
        Grant {
            nonce: text("nonce"),
            challenge: text("code_challenge"),
            redirect_uri: redirect.clone(),
        },
    );
    Redirect::to(&format!("{redirect}?code={code}&state={}", text("state"))).into_response()
}

async fn token(State(p): State<Provider>, Form(f): Form<HashMap<String, String>>) -> Response {
    let field = |k: &str| f.get(k).map(String::as_str).unwrap_or_default();
    let (key, kid) = p.client_key("sig").await;
    let Some(a) = verified(field("client_assertion"), &key, &kid, "JWT") else {
        return refuse("client assertion not signed by the client");
    };
    let token_url = format!("{}/token", p.url);
    if field("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        || a["iss"] != CLIENT_ID
        || a["sub"] != CLIENT_ID
        || a["aud"] != token_url.as_str()
        || field("grant_type") != "authorization_code"
    {
        return refuse("client assertion refused");
    }
    p.check("client assertion");
    // A code is good once.
    let Some(grant) = p.inner.lock().unwrap().grants.remove(field("code")) else {
        return refuse("unknown code");
    };
    let challenge = B64.encode(Sha256::digest(field("code_verifier").as_bytes()));
    if challenge != grant.challenge || field("redirect_uri") != grant.redirect_uri {
        return refuse("PKCE or redirect refused");
    }
    p.check("pkce");
    let (hetu, answer, alg, enc) = {
        let i = p.inner.lock().unwrap();
        (
            i.stand.hetu.clone(),
            i.stand.answer,
            i.stand.alg,
            i.stand.enc,
        )
    };
    let nonce = match answer {
        Answer::WrongNonce => "another".to_string(),
        _ => grant.nonce,
    };
    let mut claims = json!({
        "iss": p.url, "sub": "ftn-subject-1", "aud": [CLIENT_ID, "broker"], "iat": p.now,
        "exp": p.now + 300, "nonce": nonce, HETU_CLAIM: hetu,
        "acr": "http://ftn.ficora.fi/2017/loa2",
    });
    match answer {
        Answer::OtherAudience => claims["aud"] = json!("another-client"),
        Answer::OtherIssuer => claims["iss"] = json!("https://issuer.example"),
        Answer::Expired => {
            (claims["iat"], claims["exp"]) = (json!(p.now - 900), json!(p.now - 300))
        }
        _ => {}
    }
    let signer = match answer {
        Answer::ForeignSignature => {
            RsaPrivateKey::from_pkcs8_pem(include_str!("oidc_keys/polku-sign.pem")).unwrap()
        }
        _ => provider_key(),
    };
    let signed = sign(&signer, &claims);
    let id_token = match answer {
        Answer::Unencrypted => signed,
        _ => {
            let (to, kid) = p.client_key("enc").await;
            encrypt(signed.as_bytes(), &to, &kid, alg, enc)
        }
    };
    Json(json!({ "access_token": "at", "token_type": "Bearer", "id_token": id_token }))
        .into_response()
}

fn sign(key: &RsaPrivateKey, claims: &Value) -> String {
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": "provider-1" });
    let input = format!(
        "{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string())
    );
    let s = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", B64.encode(s.to_bytes()))
}

/// A compact JWE of `plain` to `to` (RFC 7516, with RFC 7518's algorithms).
fn encrypt(plain: &[u8], to: &RsaPublicKey, kid: &str, alg: &str, enc: &str) -> String {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let h = B64.encode(json!({ "alg": alg, "enc": enc, "kid": kid, "cty": "JWT" }).to_string());
    let mut rng = rand::rngs::OsRng;
    let mut cek = [0u8; 32];
    rng.fill_bytes(&mut cek);
    let ek = match alg {
        "RSA-OAEP-256" => to.encrypt(&mut rng, Oaep::new::<Sha256>(), &cek),
        _ => to.encrypt(&mut rng, Oaep::new::<sha1::Sha1>(), &cek),
    }
    .unwrap();
    let (iv, text, tag) = match enc {
        "A256GCM" => {
            let mut iv = [0u8; 12];
            rng.fill_bytes(&mut iv);
            let sealed = aes_gcm::Aes256Gcm::new_from_slice(&cek)
                .unwrap()
                .encrypt(
                    aes_gcm::Nonce::from_slice(&iv),
                    Payload {
                        msg: plain,
                        aad: h.as_bytes(),
                    },
                )
                .unwrap();
            let (text, tag) = sealed.split_at(sealed.len() - 16);
            (iv.to_vec(), text.to_vec(), tag.to_vec())
        }
        _ => {
            use cbc::cipher::{block_padding::Pkcs7, BlockEncryptMut, KeyIvInit};
            use hmac::Mac;
            let mut iv = [0u8; 16];
            rng.fill_bytes(&mut iv);
            let (mac_key, enc_key) = cek.split_at(16);
            let text = cbc::Encryptor::<aes::Aes128>::new_from_slices(enc_key, &iv)
                .unwrap()
                .encrypt_padded_vec_mut::<Pkcs7>(plain);
            let mut mac = <hmac::Hmac<Sha256> as Mac>::new_from_slice(mac_key).unwrap();
            for part in [
                h.as_bytes(),
                &iv,
                &text,
                &(h.len() as u64 * 8).to_be_bytes(),
            ] {
                mac.update(part);
            }
            (
                iv.to_vec(),
                text,
                mac.finalize().into_bytes()[..16].to_vec(),
            )
        }
    };
    [
        h,
        B64.encode(ek),
        B64.encode(iv),
        B64.encode(text),
        B64.encode(tag),
    ]
    .join(".")
}
