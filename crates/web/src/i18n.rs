//! Finnish, Swedish and English through Fluent. Error codes translate as `err-<code>`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use polku_domain::ErrorCode;
use std::borrow::Cow;
use std::collections::HashMap;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fi",
        // Dates and numbers are formatted by us; no Unicode isolation marks in the HTML.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fi,
    Sv,
    En,
}

pub const LANG_COOKIE: &str = "polku_lang";

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fi") => Some(Lang::Fi),
            Some("sv") => Some(Lang::Sv),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The `polku_lang` cookie first, then Accept-Language, then Finnish.
    pub fn from_headers(h: &HeaderMap) -> Lang {
        let cookie = h
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|kv| {
                let (k, v) = kv.trim().split_once('=')?;
                if k == LANG_COOKIE {
                    Lang::parse(v)
                } else {
                    None
                }
            });
        cookie
            .or_else(|| {
                h.get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| {
                        v.split(',')
                            .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
                    })
            })
            .unwrap_or(Lang::Fi)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Fi => fluent_templates::langid!("fi"),
            Lang::Sv => fluent_templates::langid!("sv"),
            Lang::En => fluent_templates::langid!("en"),
        }
    }

    pub fn t(self, key: &str) -> String {
        LOCALES.try_lookup(&self.id(), key).unwrap_or_else(|| {
            tracing::warn!(key, "missing translation");
            key.to_string()
        })
    }

    pub fn t_args(self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Owned(k.to_string()), FluentValue::from(v.clone())))
            .collect();
        LOCALES
            .try_lookup_with_args(&self.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    /// A message whose words follow a number ("1 merkintä", "2 merkintää"): `$count` is passed
    /// as a number, so the message's plural variants choose by the language's rules.
    pub fn t_count(self, key: &str, count: i64) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> =
            HashMap::from([(Cow::Borrowed("count"), FluentValue::from(count))]);
        LOCALES
            .try_lookup_with_args(&self.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    pub fn error(self, code: ErrorCode) -> String {
        let key = format!("err-{}", code.code());
        match code {
            ErrorCode::NumberRange { min, max } => {
                let n = |v: i64| polku_reports::grouped(v, self.code());
                self.t_args(&key, &[("min", n(min)), ("max", n(max))])
            }
            _ => self.t(&key),
        }
    }

    /// Does this key exist in this language? (used by the translation-completeness test)
    pub fn has(self, key: &str) -> bool {
        // A message with arguments (a range's ends) only formats with them.
        let ends: HashMap<Cow<'static, str>, FluentValue<'_>> = [("min", 1), ("max", 2)]
            .map(|(k, v)| (Cow::Borrowed(k), FluentValue::from(v)))
            .into_iter()
            .collect();
        LOCALES.try_lookup(&self.id(), key).is_some()
            || LOCALES
                .try_lookup_with_args(&self.id(), key, &ends)
                .is_some()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_headers(&parts.headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polku_domain::authz::Role;
    use polku_domain::participant::{
        ConsentKind, Education, ExitStatus, Gender, GoalKind, LabourStatus, Sensitive,
    };
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{lang}/main.ftl", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
            .map(|l| l.split(" = ").next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn all_languages_have_the_same_keys() {
        let fi = keys("fi");
        assert!(fi.len() > 200);
        for lang in ["sv", "en"] {
            let other = keys(lang);
            assert_eq!(
                fi.difference(&other).collect::<Vec<_>>(),
                Vec::<&String>::new(),
                "missing in {lang}"
            );
            assert_eq!(
                other.difference(&fi).collect::<Vec<_>>(),
                Vec::<&String>::new(),
                "extra in {lang}"
            );
        }
    }

    #[test]
    fn every_error_code_and_choice_is_translated() {
        let mut needed: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| format!("err-{}", c.code()))
            .collect();
        let choice = |group: &str, v: &str| format!("choice-{group}-{}", v.replace('_', "-"));
        needed.extend(Gender::ALL.iter().map(|v| choice("gender", v.as_str())));
        needed.extend(
            Education::ALL
                .iter()
                .map(|v| choice("education", v.as_str())),
        );
        needed.extend(
            LabourStatus::ALL
                .iter()
                .map(|v| choice("labour-status", v.as_str())),
        );
        needed.extend(
            Sensitive::ALL
                .iter()
                .map(|v| choice("sensitive", v.as_str())),
        );
        needed.extend(
            ExitStatus::ALL
                .iter()
                .map(|v| choice("exit-status", v.as_str())),
        );
        needed.extend(
            ConsentKind::ALL
                .iter()
                .map(|v| choice("consent", v.as_str())),
        );
        needed.extend(
            GoalKind::ALL
                .iter()
                .map(|v| choice("goal-kind", v.as_str())),
        );
        needed.extend(Role::ALL.iter().map(|v| choice("role", v.as_str())));
        {
            use polku_domain::services::{
                Approval, Attendance, Channel, ContactKind, EnrolmentStatus, OfferedBy, ServiceKind,
            };
            needed.extend(
                ServiceKind::ALL
                    .iter()
                    .map(|v| choice("service-kind", v.as_str())),
            );
            needed.extend(Channel::ALL.iter().map(|v| choice("channel", v.as_str())));
            needed.extend(
                OfferedBy::ALL
                    .iter()
                    .map(|v| choice("offered-by", v.as_str())),
            );
            needed.extend(Approval::ALL.iter().map(|v| choice("approval", v.as_str())));
            needed.extend(
                EnrolmentStatus::ALL
                    .iter()
                    .map(|v| choice("enrolment", v.as_str())),
            );
            needed.extend(
                Attendance::ALL
                    .iter()
                    .map(|v| choice("attendance", v.as_str())),
            );
            needed.extend(
                ContactKind::ALL
                    .iter()
                    .map(|v| choice("contact-kind", v.as_str())),
            );
        }
        needed.extend(
            polku_domain::esf::INDICATORS
                .iter()
                .map(|i| i.key.to_string()),
        );
        needed.extend(
            polku_reports::esf::AGE_BANDS
                .iter()
                .map(|(k, _, _)| k.to_string()),
        );
        for lang in Lang::ALL {
            for k in &needed {
                assert!(lang.has(k), "{k} missing in {}", lang.code());
            }
        }
        assert_eq!(
            Lang::Sv.error(ErrorCode::HetuChecksum),
            "Personbeteckningens kontrolltecken stämmer inte. Kontrollera siffrorna."
        );
        assert_eq!(
            Lang::En.t_args("home-welcome", &[("name", "Pia".into())]),
            "Welcome, Pia"
        );
    }
}
