//! Strong identification of job seekers over OpenID Connect, as the Finnish Trust Network
//! profile (Traficom 213/2023 S) asks of a relying party: the authorisation request as a
//! signed request object (RS256) with PKCE (S256), state and nonce; the code exchanged with a
//! signed client assertion (`private_key_jwt`), never a shared secret; the ID token encrypted
//! to this service's key (JWE) and signed by the provider, whose keys come from its JWKS. The
//! provider's endpoints come from its discovery document. This service's two public keys
//! (signing, encryption) are published at `/my/sign-in/strong/jwks.json` for registration.

pub mod jose;

use chrono::{DateTime, Utc};
use jose::{JoseError, Key};
use polku_domain::validated::Hetu;
use polku_web::portal::strong::{Pending, StrongError, StrongId};
use serde_json::{json, Value};

/// What the service is registered with at the provider.
#[derive(Debug)]
pub struct Settings {
    /// The provider's issuer identifier; its discovery document is under it.
    pub issuer: String,
    pub client_id: String,
    /// Where the provider sends the person back: `/my/sign-in/strong/done` of this service.
    pub redirect_url: String,
    /// Signs the request objects and client assertions.
    pub signing_key: Key,
    /// Decrypts the ID tokens.
    pub decryption_key: Key,
    /// The ID token's claim that holds the henkilötunnus.
    pub claim: String,
    pub scope: String,
    /// The level of assurance asked for (`acr_values`), if the provider wants one named.
    pub acr: Option<String>,
}

#[derive(serde::Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

/// How long the provider may be slow, and how far its clock may be from ours.
const TIMEOUT_SECONDS: u64 = 20;
const LEEWAY_SECONDS: i64 = 60;

pub struct Provider {
    http: reqwest::Client,
    s: Settings,
    /// The discovery document, read once when first needed.
    meta: tokio::sync::OnceCell<Metadata>,
}

impl Provider {
    pub fn new(s: Settings) -> anyhow::Result<Provider> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(TIMEOUT_SECONDS))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Provider {
            http,
            s,
            meta: Default::default(),
        })
    }

    async fn metadata(&self) -> Result<&Metadata, StrongError> {
        self.meta
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.s.issuer.trim_end_matches('/')
                );
                let m: Metadata = serde_json::from_value(self.get_json(&url).await?)
                    .map_err(|_| failed("discovery document lacks an endpoint"))?;
                match m.issuer == self.s.issuer {
                    true => Ok(m),
                    false => Err(failed("discovery document names another issuer")),
                }
            })
            .await
    }

    async fn get_json(&self, url: &str) -> Result<Value, StrongError> {
        let r = self.http.get(url).send().await.map_err(unreachable)?;
        json_of(r).await
    }

    fn signed(&self, typ: &str, claims: &Value) -> Result<String, StrongError> {
        self.s.signing_key.sign(typ, claims).map_err(refused)
    }

    /// The ID token's claims, once every check holds.
    fn checked(
        &self,
        claims: Value,
        m: &Metadata,
        pending: &Pending,
        now: i64,
    ) -> Result<Value, StrongError> {
        let id = self.s.client_id.as_str();
        let for_us = match &claims["aud"] {
            Value::String(a) => a == id,
            Value::Array(a) => a.iter().any(|v| v == id),
            _ => false,
        };
        let nonce = claims["nonce"].as_str().unwrap_or_default();
        let checks = [
            (claims["iss"] == m.issuer.as_str(), "issuer"),
            (for_us, "audience"),
            (
                claims["exp"]
                    .as_i64()
                    .is_some_and(|e| e > now - LEEWAY_SECONDS),
                "expiry",
            ),
            (
                claims["iat"]
                    .as_i64()
                    .is_none_or(|i| i <= now + LEEWAY_SECONDS),
                "issued in the future",
            ),
            (
                polku_domain::secret::same(nonce.as_bytes(), pending.nonce.as_bytes()),
                "nonce",
            ),
        ];
        match checks.iter().find(|(holds, _)| !holds) {
            Some((_, what)) => Err(StrongError(format!("ID token refused: {what}"))),
            None => Ok(claims),
        }
    }
}

#[async_trait::async_trait]
impl StrongId for Provider {
    async fn begin(
        &self,
        lang: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, Pending), StrongError> {
        let m = self.metadata().await?;
        let pending = Pending {
            state: jose::random(),
            nonce: jose::random(),
            verifier: jose::random(),
        };
        let at = now.timestamp();
        let mut claims = json!({
            "iss": self.s.client_id, "aud": m.issuer, "client_id": self.s.client_id,
            "response_type": "code", "redirect_uri": self.s.redirect_url, "scope": self.s.scope,
            "state": pending.state, "nonce": pending.nonce,
            "code_challenge": jose::challenge(&pending.verifier), "code_challenge_method": "S256",
            "ui_locales": lang, "iat": at, "nbf": at, "exp": at + 300, "jti": jose::random(),
        });
        if let Some(acr) = &self.s.acr {
            claims["acr_values"] = json!(acr);
        }
        let request = self.signed("oauth-authz-req+jwt", &claims)?;
        let url = reqwest::Url::parse_with_params(
            &m.authorization_endpoint,
            [
                ("client_id", self.s.client_id.as_str()),
                ("response_type", "code"),
                ("scope", self.s.scope.as_str()),
                ("request", request.as_str()),
            ],
        )
        .map_err(|_| failed("authorization endpoint is not a URL"))?;
        Ok((url.into(), pending))
    }

    async fn finish(
        &self,
        pending: &Pending,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Hetu, StrongError> {
        let m = self.metadata().await?;
        let at = now.timestamp();
        let id = self.s.client_id.as_str();
        let assertion = self.signed(
            "JWT",
            &json!({ "iss": id, "sub": id, "aud": m.token_endpoint, "jti": jose::random(), "iat": at, "exp": at + 60 }),
        )?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.s.redirect_url),
            ("code_verifier", &pending.verifier),
            ("client_id", id),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
        ];
        let r = self
            .http
            .post(&m.token_endpoint)
            .form(&form)
            .send()
            .await
            .map_err(unreachable)?;
        let tokens = json_of(r).await?;
        let sealed = tokens["id_token"]
            .as_str()
            .ok_or(failed("token answer without an ID token"))?;
        let signed = self.s.decryption_key.decrypt(sealed).map_err(refused)?;
        let signed = String::from_utf8(signed).map_err(|_| failed("ID token is not text"))?;
        let jwks = self.get_json(&m.jwks_uri).await?;
        let keys = jwks["keys"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let claims = jose::verify(&signed, keys).map_err(refused)?;
        let claims = self.checked(claims, m, pending, at)?;
        let hetu = claims[self.s.claim.as_str()]
            .as_str()
            .ok_or(failed("ID token without the henkilötunnus claim"))?;
        Hetu::parse(hetu).map_err(|_| failed("the henkilötunnus claim is not one"))
    }

    fn jwks(&self) -> Value {
        json!({ "keys": [
            self.s.signing_key.public_jwk("sig", "RS256"),
            self.s.decryption_key.public_jwk("enc", "RSA-OAEP-256"),
        ]})
    }
}

async fn json_of(r: reqwest::Response) -> Result<Value, StrongError> {
    if !r.status().is_success() {
        return Err(StrongError(format!(
            "provider answered {}",
            r.status().as_u16()
        )));
    }
    let body = r.bytes().await.map_err(unreachable)?;
    serde_json::from_slice(&body).map_err(|_| failed("provider's answer is not JSON"))
}

fn failed(what: &str) -> StrongError {
    StrongError(what.to_string())
}

fn refused(e: JoseError) -> StrongError {
    StrongError(e.0.to_string())
}

fn unreachable(e: reqwest::Error) -> StrongError {
    StrongError(format!("provider not reached: {}", e.without_url()))
}
