//! Bounded fuzzing of every parser that takes text from outside: any string, including control
//! characters, combining marks and invalid calendar dates, gives a value or an error code, never
//! a panic. (cargo-fuzz needs a nightly toolchain, which this project does not use; these run in
//! the ordinary test command with a fixed number of cases.)

#[cfg(test)]
mod tests {
    use crate::dates::{parse_date, parse_optional_date};
    use crate::ids::ProjectId;
    use crate::import::{check, reject_duplicates, Kind, Mapping};
    use crate::participant::IntakeForm;
    use crate::search::{name_terms, text_terms, SearchQuery, TextLang};
    use crate::services::parse_time;
    use crate::text::{euros_to_cents, name, optional_int, required};
    use crate::validated::{BusinessId, Email, Hetu, PostalCode};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    /// Strings that look like the real input often enough to reach deep into each parser.
    fn near_miss() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9]{6}[-+ABCDEFUVWXY][0-9]{3}[0-9A-Z]",
            "[0-9]{7}-[0-9]",
            "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{0,5}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9]{1,2}[.:][0-9]{0,3}",
            "[a-zäöå\\u{300}-\\u{36f} ]{0,30}",
            "[ -~\\u{0}-\\u{1f}\\u{202a}-\\u{202e}]{0,40}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn identity_codes_and_ids(s in near_miss()) {
            if let Ok(h) = Hetu::parse(&s) {
                let _ = h.birth_date();
                prop_assert_eq!(h.as_str().len(), 11);
            }
            if let Ok(b) = BusinessId::parse(&s) {
                prop_assert_eq!(b.as_str().len(), 9);
            }
            let _ = Email::parse(&s);
            let _ = PostalCode::parse(&s);
        }

        #[test]
        fn dates_times_and_numbers(s in near_miss()) {
            if let Ok(d) = parse_date(&s) {
                prop_assert!(d >= NaiveDate::MIN && d <= NaiveDate::MAX);
            }
            let _ = parse_optional_date(&s);
            let _ = parse_time(&s);
            let _ = optional_int(&s, i64::MIN, i64::MAX);
            let _ = euros_to_cents(&s);
        }

        #[test]
        fn text_and_names(s in near_miss()) {
            if let Ok(t) = required(&s, 50) {
                prop_assert!(!t.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')));
            }
            if let Ok(n) = name(&s, 50) {
                prop_assert!(!n.is_empty());
            }
        }

        #[test]
        fn search_queries(s in near_miss()) {
            let _ = SearchQuery::parse(&s);
            let _ = name_terms(&s, &s);
            for lang in [TextLang::Fi, TextLang::Sv, TextLang::En] {
                let _ = text_terms(&s, lang);
            }
        }

        #[test]
        fn whole_intake_forms(a in near_miss(), b in near_miss(), c in near_miss(), d in near_miss()) {
            let form = IntakeForm {
                project_id: a.clone(),
                first_name: a,
                last_name: b.clone(),
                hetu: b,
                birth_date: c.clone(),
                municipality: c.clone(),
                entry_date: d.clone(),
                unemployed_since: d.clone(),
                subsidy_days: c,
                postal_code: d,
                ..IntakeForm::default()
            };
            let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
            let _ = form.parse(today);
        }

        /// The import's row checks and heading guesses over any cells (the CSV and XLSX
        /// readers themselves are fuzzed in `polku_reports::sheet`).
        #[test]
        fn import_rows(headings in prop::collection::vec(near_miss(), 0..6), cells in prop::collection::vec(near_miss(), 0..8)) {
            let mut headings = headings;
            headings.extend(["Sukunimi", "Henkilötunnus", "Kunta", "Aloituspäivä", "Tilanne poistuessa"].map(String::from));
            let mapping = Mapping::guess(Kind::Participants, &headings);
            let rows = vec![(2, cells.clone()), (3, cells)];
            let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
            if let Ok(mut c) = check(&headings, &rows, &mapping, ProjectId(1), true, today) {
                prop_assert_eq!(c.rows.len() + c.errors.len(), 2);
                reject_duplicates(&mut c, &|h| h.as_str().to_string(), &Default::default(), &Default::default());
                prop_assert_eq!(c.rows.len() + c.errors.len(), 2);
            }
            let _ = Mapping::parse_spec(Kind::Participants, &headings.join(","));
            let employers = Mapping::guess(Kind::Employers, &headings);
            if let Ok(mut c) = crate::import::employers::check(&headings, &rows, &employers) {
                prop_assert_eq!(c.rows.len() + c.errors.len(), 2);
                crate::import::employers::reject_duplicates(&mut c, &Default::default(), &Default::default());
                prop_assert_eq!(c.rows.len() + c.errors.len(), 2);
            }
        }
    }
}
