//! Participant search: the terms a participant is found by, and how a query matches them.
//!
//! Names are indexed as lower-cased words and match by prefix ("virt" finds Virtanen). Free
//! text (notes, guidance contact summaries) is indexed as Snowball stems in the writer's
//! language, so "haastatteluun" is found by "haastattelu" and "intervjuer" by "intervju". A
//! query word is stemmed in every supported language, because the searcher's language need not
//! be the writer's. A henkilötunnus never becomes a term: it is found through its blind index.

use crate::validated::Hetu;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::BTreeSet;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Languages whose stemming rules apply to stored text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLang {
    Fi,
    Sv,
    En,
}

impl TextLang {
    pub const ALL: [TextLang; 3] = [TextLang::Fi, TextLang::Sv, TextLang::En];

    /// A user's interface language; anything unknown is taken as Finnish, the majority language.
    pub fn from_locale(locale: &str) -> TextLang {
        match locale {
            "sv" => TextLang::Sv,
            "en" => TextLang::En,
            _ => TextLang::Fi,
        }
    }

    fn stemmer(self) -> &'static Stemmer {
        static FI: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Finnish));
        static SV: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Swedish));
        static EN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
        match self {
            TextLang::Fi => &FI,
            TextLang::Sv => &SV,
            TextLang::En => &EN,
        }
    }

    fn stopwords(self) -> &'static [&'static str] {
        match self {
            TextLang::Fi => &[
                "ja", "ei", "on", "oli", "se", "ne", "että", "tai", "kun", "jos", "mutta", "myös",
                "hän", "sekä", "olla", "ovat", "kanssa", "siitä", "sen", "jo", "vielä",
            ],
            TextLang::Sv => &[
                "och", "att", "det", "är", "en", "ett", "som", "på", "av", "för", "med", "till",
                "den", "har", "de", "om", "var", "men", "så", "vi", "sig",
            ],
            TextLang::En => &[
                "the", "and", "of", "to", "in", "is", "was", "for", "on", "with", "as", "at", "by",
                "an", "be", "or", "it", "he", "she", "they",
            ],
        }
    }

    /// First parts of compounds common in employment services. No dictionary-free splitter is
    /// reliable for Finnish or Swedish; a short list of heads catches the frequent cases.
    pub fn compound_heads(self) -> &'static [&'static str] {
        match self {
            TextLang::Fi => &[
                "työ",
                "työn",
                "ura",
                "palkka",
                "koulutus",
                "ammatti",
                "kieli",
                "terveys",
                "sosiaali",
                "kuntoutus",
                "yritys",
                "asiakas",
                "rekrytointi",
                "osaamis",
                "opiskelu",
                "oppisopimus",
                "digi",
                "starttira",
            ],
            TextLang::Sv => &[
                "arbets",
                "utbildnings",
                "löne",
                "språk",
                "yrkes",
                "anställnings",
                "social",
                "hälso",
                "kompetens",
                "lager",
                "jobb",
            ],
            TextLang::En => &[],
        }
    }

    /// The Snowball stem, with one Finnish consonant-gradation fix the algorithm lacks:
    /// "hakemus" and "hakemuksen" stem to "hakemus" and "hakemuks"; both become "hakemus".
    pub fn stem(self, word: &str) -> String {
        let s = self.stemmer().stem(word).into_owned();
        if self == TextLang::Fi {
            if let Some(base) = s.strip_suffix("ks") {
                if base.ends_with(['u', 'y', 'o', 'ö', 'i', 'e', 'a', 'ä']) {
                    return format!("{base}s");
                }
            }
        }
        s
    }
}

/// The longest term kept; longer "words" are noise (pasted links, codes).
const MAX_TERM_CHARS: usize = 40;

/// Lower-cased words of at least two characters, split at anything not a letter or digit.
/// In Unicode NFC, so a name typed with combining marks finds the same terms.
fn words(text: &str) -> impl Iterator<Item = String> {
    let text: String = text.nfc().collect();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            let n = w.chars().count();
            (2..=MAX_TERM_CHARS).contains(&n)
        })
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .into_iter()
}

/// A name's terms: its words, unstemmed (names are matched by prefix, not by grammar).
pub fn name_terms(first_name: &str, last_name: &str) -> BTreeSet<String> {
    words(first_name).chain(words(last_name)).collect()
}

/// Free text's terms: stems in the writer's language, without stop words. A compound that
/// starts with a common head of this field's vocabulary is also indexed by its last part, so
/// "haastattelu" finds "työhaastattelua" and "intervju" finds "anställningsintervjuer".
pub fn text_terms(text: &str, lang: TextLang) -> BTreeSet<String> {
    let stop = lang.stopwords();
    let mut out = BTreeSet::new();
    for w in words(text).filter(|w| !stop.contains(&w.as_str())) {
        for head in lang.compound_heads() {
            if let Some(rest) = w.strip_prefix(head) {
                if rest.chars().count() >= 4 {
                    out.insert(lang.stem(rest));
                }
            }
        }
        out.insert(lang.stem(&w));
    }
    out.retain(|s| s.chars().count() >= 2);
    out
}

/// One query word: it matches a term that starts with `prefix`, or equals one of its `stems`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordMatch {
    pub prefix: String,
    pub stems: Vec<String>,
}

impl WordMatch {
    /// The exclusive upper end of the prefix range: every term starting with the prefix sorts
    /// below it, both in SQLite's binary order and in PostgreSQL's "C" collation.
    pub fn prefix_end(&self) -> String {
        format!("{}{}", self.prefix, char::MAX)
    }
}

/// Most words a query may have; more narrow nothing a person would type.
pub const MAX_QUERY_WORDS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchQuery {
    /// An empty query: everyone, in name order.
    All,
    Hetu(Hetu),
    /// Every word must match; the most selective-looking (longest) word comes first.
    Words(Vec<WordMatch>),
}

impl SearchQuery {
    pub fn parse(q: &str) -> SearchQuery {
        let q = q.trim();
        if let Ok(h) = Hetu::parse(q) {
            return SearchQuery::Hetu(h);
        }
        let mut seen = BTreeSet::new();
        let mut out: Vec<WordMatch> = words(q)
            .filter(|w| seen.insert(w.clone()))
            .take(MAX_QUERY_WORDS)
            .map(|w| {
                let mut stems: Vec<String> = TextLang::ALL.iter().map(|l| l.stem(&w)).collect();
                stems.sort();
                stems.dedup();
                // A stem the prefix range already covers needs no separate match.
                stems.retain(|s| !s.starts_with(w.as_str()));
                WordMatch { prefix: w, stems }
            })
            .collect();
        if out.is_empty() {
            return SearchQuery::All;
        }
        out.sort_by_key(|w| std::cmp::Reverse(w.prefix.chars().count()));
        SearchQuery::Words(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(query: &str, terms: &BTreeSet<String>) -> bool {
        match SearchQuery::parse(query) {
            SearchQuery::Words(ws) => ws.iter().all(|w| {
                terms
                    .iter()
                    .any(|t| t.starts_with(&w.prefix) || w.stems.contains(t))
            }),
            _ => false,
        }
    }

    #[test]
    fn finnish_inflections_meet_in_one_stem() {
        let stored = text_terms(
            "Harjoiteltiin haastatteluun, päivitettiin työhakemuksen teksti.",
            TextLang::Fi,
        );
        for q in [
            "haastattelu",
            "haastatteluja",
            "työhakemus",
            "työhakemuksia",
            "päivitettiin",
        ] {
            assert!(matches(q, &stored), "{q} in {stored:?}");
        }
        assert!(!matches("palkkatuki", &stored));
    }

    #[test]
    fn swedish_text_is_found_by_swedish_words() {
        let stored = text_terms("Vi övade inför intervjuer och utbildningen.", TextLang::Sv);
        assert!(matches("intervju", &stored));
        assert!(matches("utbildning intervjuerna", &stored));
        assert!(!stored.contains("och"), "stop words are not indexed");
    }

    #[test]
    fn compounds_are_found_by_their_last_part() {
        let fi = text_terms(
            "Harjoiteltiin työhaastattelua ja haettiin palkkatukea.",
            TextLang::Fi,
        );
        for q in ["haastattelu", "työhaastattelu", "palkkatuki", "tukea"] {
            assert!(matches(q, &fi), "{q} in {fi:?}");
        }
        let sv = text_terms("Övade inför anställningsintervjuer.", TextLang::Sv);
        assert!(matches("intervju", &sv), "{sv:?}");
        assert!(!matches(
            "anställning",
            &text_terms("Intervjun gick bra.", TextLang::Sv)
        ));
    }

    #[test]
    fn names_match_by_prefix_and_every_word_must_match() {
        let terms = name_terms("Anna-Liisa", "Kärkkäinen");
        assert!(matches("kärk", &terms));
        assert!(matches("LIISA kärkkäinen", &terms));
        assert!(!matches("liisa virtanen", &terms));
        assert!(!matches("ärk", &terms), "prefix, not substring");
    }

    #[test]
    fn hetu_and_empty_queries() {
        assert!(matches!(
            SearchQuery::parse(" 131052-308T "),
            SearchQuery::Hetu(_)
        ));
        assert_eq!(SearchQuery::parse("  - "), SearchQuery::All);
        match SearchQuery::parse("a b c d e f g hh ii jj kk ll") {
            SearchQuery::Words(w) => assert_eq!(w.len(), MAX_QUERY_WORDS),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn prefix_end_bounds_every_extension() {
        let w = WordMatch {
            prefix: "virt".into(),
            stems: vec![],
        };
        let end = w.prefix_end();
        assert!("virtanen" < end.as_str() && "virt" < end.as_str());
        assert!("virtu" < end.as_str() && "virz" > end.as_str());
    }
}
