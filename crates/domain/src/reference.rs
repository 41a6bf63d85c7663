//! National reference data, compiled in from `crates/domain/reference/` (sources and dates in
//! its SOURCES.md): municipalities with their region and wellbeing services county, postal
//! codes, municipality mergers, countries, languages, ISCED 2011 levels and TOL 2008 classes.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The rows of a tab-separated table, header skipped; a row of the wrong width is left out
/// (the count tests would notice).
fn rows<const N: usize>(text: &'static str) -> Vec<[&'static str; N]> {
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').collect::<Vec<_>>().try_into().ok())
        .collect()
}

/// One municipality of the current classification.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MunicipalityRef {
    pub code: &'static str,
    pub name_fi: &'static str,
    pub name_sv: &'static str,
    /// The region (maakunta) as its NUTS 3 code, and its names.
    pub nuts3: &'static str,
    pub region_fi: &'static str,
    pub region_sv: &'static str,
}

/// A merged-away municipality: its code stays on old records.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Merger {
    pub old_code: &'static str,
    pub old_name: &'static str,
    pub new_code: &'static str,
    pub from_year: i32,
}

pub static MUNICIPALITIES: LazyLock<Vec<MunicipalityRef>> = LazyLock::new(|| {
    rows::<6>(include_str!("../reference/municipalities.tsv"))
        .into_iter()
        .map(
            |[code, name_fi, name_sv, nuts3, region_fi, region_sv]| MunicipalityRef {
                code,
                name_fi,
                name_sv,
                nuts3,
                region_fi,
                region_sv,
            },
        )
        .collect()
});

pub static MERGERS: LazyLock<Vec<Merger>> = LazyLock::new(|| {
    rows::<4>(include_str!("../reference/mergers.tsv"))
        .into_iter()
        .filter_map(|[old_code, old_name, new_code, year]| {
            Some(Merger {
                old_code,
                old_name,
                new_code,
                from_year: year.parse().ok()?,
            })
        })
        .collect()
});

/// Postal code → municipality code.
pub static POSTAL_CODES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    rows::<4>(include_str!("../reference/postal_codes.tsv"))
        .into_iter()
        .map(|[postal, municipality, _, _]| (postal, municipality))
        .collect()
});

/// A municipality as stored: the current one, or a merged-away one that keeps its code on
/// old records and points to the municipality it became part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Current(&'static MunicipalityRef),
    Merged(&'static Merger, &'static MunicipalityRef),
}

/// Lower-cased codes and names, Finnish and Swedish, current first, then merged ones.
static INDEX: LazyLock<HashMap<String, Place>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for m in MERGERS.iter() {
        if let Some(current) = current(m.new_code) {
            let place = Place::Merged(m, current);
            index.insert(m.old_code.to_string(), place);
            index.insert(m.old_name.to_lowercase(), place);
        }
    }
    for m in MUNICIPALITIES.iter() {
        for key in [m.code, m.name_fi, m.name_sv] {
            index.insert(key.to_lowercase(), Place::Current(m));
        }
    }
    index
});

fn current(code: &str) -> Option<&'static MunicipalityRef> {
    MUNICIPALITIES.iter().find(|m| m.code == code)
}

/// A municipality by code (`091`, or `91`) or by its Finnish or Swedish name in any case.
pub fn place(input: &str) -> Option<Place> {
    let s = input.trim();
    let key = if !s.is_empty() && s.len() < 3 && s.bytes().all(|b| b.is_ascii_digit()) {
        format!("{s:0>3}")
    } else {
        s.to_lowercase()
    };
    INDEX.get(&key).copied()
}

/// The municipality a postal code belongs to.
pub fn postal_municipality(postal_code: &str) -> Option<&'static MunicipalityRef> {
    POSTAL_CODES
        .get(postal_code.trim())
        .and_then(|code| current(code))
}

/// The wellbeing services county (or the City of Helsinki) that organises social and health
/// services in a municipality, in Finnish and Swedish; Åland has none.
pub fn wellbeing_county(m: &MunicipalityRef) -> Option<(&'static str, &'static str)> {
    static COUNTIES: LazyLock<Vec<[&'static str; 3]>> =
        LazyLock::new(|| rows::<3>(include_str!("../reference/wellbeing_counties.tsv")));
    COUNTIES
        .iter()
        .find(|[key, _, _]| key.split(' ').any(|k| k == m.code) || *key == m.region_fi)
        .map(|[_, fi, sv]| (*fi, *sv))
}

/// A country (ISO 3166-1) with EU and EEA membership, for third-country nationals.
#[derive(Debug, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    pub numeric: &'static str,
    pub name_fi: &'static str,
    pub name_sv: &'static str,
    pub name_en: &'static str,
    pub eu: bool,
    pub eea: bool,
}

pub static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    rows::<8>(include_str!("../reference/countries.tsv"))
        .into_iter()
        .map(
            |[alpha2, alpha3, numeric, name_fi, name_sv, name_en, eu, eea]| Country {
                alpha2,
                alpha3,
                numeric,
                name_fi,
                name_sv,
                name_en,
                eu: eu == "1",
                eea: eea == "1",
            },
        )
        .collect()
});

/// A citizen of this country is a third-country national (ESF+ EECO13): outside the EU.
pub fn third_country(alpha2: &str) -> Option<bool> {
    COUNTRIES
        .iter()
        .find(|c| c.alpha2.eq_ignore_ascii_case(alpha2.trim()))
        .map(|c| !c.eu)
}

/// Languages (ISO 639-1, 639-2) with Finnish, Swedish and English names.
pub static LANGUAGES: LazyLock<Vec<[&'static str; 5]>> =
    LazyLock::new(|| rows::<5>(include_str!("../reference/languages.tsv")));

/// ISCED 2011 levels 0–8: level, the ESF+ education group, Finnish, Swedish, English name.
pub static ISCED: LazyLock<Vec<[&'static str; 5]>> =
    LazyLock::new(|| rows::<5>(include_str!("../reference/isced.tsv")));

/// TOL 2008 main classes A–U: section, Finnish, English name.
pub static INDUSTRIES: LazyLock<Vec<[&'static str; 3]>> =
    LazyLock::new(|| rows::<3>(include_str!("../reference/tol2008.tsv")));

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Each table against the total its source states (reference/SOURCES.md).
    #[test]
    fn counts_match_the_sources() {
        assert_eq!(MUNICIPALITIES.len(), 308);
        let aland = MUNICIPALITIES
            .iter()
            .filter(|m| m.region_fi == "Ahvenanmaa")
            .count();
        assert_eq!((MUNICIPALITIES.len() - aland, aland), (292, 16));
        let regions: HashSet<_> = MUNICIPALITIES.iter().map(|m| m.nuts3).collect();
        assert_eq!(regions.len(), 19, "18 mainland regions and Åland");
        assert_eq!(POSTAL_CODES.len(), 5033);
        assert_eq!(COUNTRIES.len(), 250);
        assert_eq!(COUNTRIES.iter().filter(|c| c.eu).count(), 27);
        assert_eq!(COUNTRIES.iter().filter(|c| c.eea).count(), 30);
        assert_eq!(LANGUAGES.len(), 184);
        assert_eq!(ISCED.len(), 9);
        assert_eq!(INDUSTRIES.len(), 21);
        assert_eq!(MERGERS.len(), 9);
    }

    #[test]
    fn every_municipality_has_one_county_except_aland() {
        let mut counties = HashSet::new();
        for m in MUNICIPALITIES.iter() {
            match wellbeing_county(m) {
                Some(c) => {
                    counties.insert(c);
                }
                None => assert_eq!(m.region_fi, "Ahvenanmaa", "{}", m.name_fi),
            }
        }
        assert_eq!(counties.len(), 22, "21 counties and the City of Helsinki");
        let vantaa = place("Vanda").and_then(|p| match p {
            Place::Current(m) => wellbeing_county(m),
            Place::Merged(..) => None,
        });
        assert_eq!(
            vantaa.map(|c| c.0),
            Some("Vantaan ja Keravan hyvinvointialue")
        );
    }

    #[test]
    fn mergers_point_from_gone_codes_to_current_ones() {
        for m in MERGERS.iter() {
            assert!(current(m.old_code).is_none(), "{} still listed", m.old_name);
            assert!(
                current(m.new_code).is_some(),
                "{} has no successor",
                m.old_name
            );
        }
        match place("588") {
            Some(Place::Merged(m, now)) => {
                assert_eq!((m.old_name, now.name_fi), ("Pertunmaa", "Mäntyharju"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_in_either_language_and_any_case() {
        let code = |s: &str| match place(s) {
            Some(Place::Current(m)) => Some(m.code),
            _ => None,
        };
        assert_eq!(code("Kuopio"), Some("297"));
        assert_eq!(code("ÄHTÄRI"), code("Ähtäri"));
        assert_eq!(code("Jakobstad"), Some("598"));
        assert_eq!(code("91"), Some("091"));
        assert_eq!(code("Atlantis"), None);
        assert_eq!(
            postal_municipality("70100").map(|m| m.name_fi),
            Some("Kuopio")
        );
        assert_eq!(
            postal_municipality("19430").map(|m| m.name_fi),
            Some("Mäntyharju")
        );
        assert_eq!(third_country("SE"), Some(false));
        assert_eq!(third_country("NO"), Some(true), "EEA but not EU");
    }
}
