//! The special-category answers (GDPR art. 9 and the ESF+ "disadvantaged" indicators), kept
//! together so they are stored as one encrypted value.

use crate::participant::Sensitive;

/// The five voluntary answers the ESF+ indicators EECO12–EECO16 read.
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SpecialCategories {
    pub disability: Sensitive,
    pub foreign_background: Sensitive,
    pub third_country_national: Sensitive,
    pub minority: Sensitive,
    pub homeless: Sensitive,
}

impl std::fmt::Debug for SpecialCategories {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SpecialCategories(<redacted>)")
    }
}

/// Nothing asked: what a record without answers holds.
impl Default for SpecialCategories {
    fn default() -> Self {
        let n = Sensitive::NotAsked;
        SpecialCategories {
            disability: n,
            foreign_background: n,
            third_country_national: n,
            minority: n,
            homeless: n,
        }
    }
}

fn letter(s: Sensitive) -> char {
    match s {
        Sensitive::Yes => 'y',
        Sensitive::No => 'n',
        Sensitive::Refused => 'r',
        Sensitive::NotAsked => '-',
    }
}

fn from_letter(c: char) -> Option<Sensitive> {
    Some(match c {
        'y' => Sensitive::Yes,
        'n' => Sensitive::No,
        'r' => Sensitive::Refused,
        '-' => Sensitive::NotAsked,
        _ => return None,
    })
}

impl SpecialCategories {
    fn fields(&self) -> [Sensitive; 5] {
        [
            self.disability,
            self.foreign_background,
            self.third_country_national,
            self.minority,
            self.homeless,
        ]
    }

    /// Five letters, one per answer: every value has the same length, so the ciphertext's
    /// length tells nothing about the answers.
    pub fn encode(&self) -> String {
        self.fields().into_iter().map(letter).collect()
    }

    pub fn decode(s: &str) -> Option<SpecialCategories> {
        let v: Vec<Sensitive> = s.chars().map(from_letter).collect::<Option<_>>()?;
        match v[..] {
            [disability, foreign_background, third_country_national, minority, homeless] => {
                Some(SpecialCategories {
                    disability,
                    foreign_background,
                    third_country_national,
                    minority,
                    homeless,
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer() -> impl Strategy<Value = Sensitive> {
        prop::sample::select(Sensitive::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn encoding_round_trips_at_one_length(a in answer(), b in answer(), c in answer(), d in answer(), e in answer()) {
            let s = SpecialCategories { disability: a, foreign_background: b, third_country_national: c, minority: d, homeless: e };
            let code = s.encode();
            prop_assert_eq!(code.len(), 5);
            prop_assert_eq!(SpecialCategories::decode(&code), Some(s));
        }
    }

    #[test]
    fn bad_codes_are_refused() {
        assert_eq!(SpecialCategories::decode("yyyy"), None);
        assert_eq!(SpecialCategories::decode("yyyyx"), None);
        assert_eq!(SpecialCategories::decode("yyyyyy"), None);
    }
}
