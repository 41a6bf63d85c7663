//! People's names as lists show them: "Last, First", with the birth year added where two people
//! on the same list share the name, so the right one is marked or chosen.

use crate::ctx::Chrome;
use chrono::{Datelike, NaiveDate};
use polku_domain::ids::ParticipantId;
use std::collections::HashMap;

/// One person on a list.
pub struct Named<'a> {
    pub id: ParticipantId,
    pub first: &'a str,
    pub last: &'a str,
    pub born: NaiveDate,
}

/// Each person's name on this list, told apart from namesakes by the year of birth.
pub fn told_apart<'a>(
    people: impl IntoIterator<Item = Named<'a>>,
    c: &Chrome,
) -> HashMap<ParticipantId, String> {
    let people: Vec<Named> = people.into_iter().collect();
    let key = |p: &Named| (p.last.to_lowercase(), p.first.to_lowercase());
    let mut count: HashMap<(String, String), usize> = HashMap::new();
    for p in &people {
        *count.entry(key(p)).or_default() += 1;
    }
    people
        .iter()
        .map(|p| {
            let name = format!("{}, {}", p.last, p.first);
            let shown = if count.get(&key(p)).copied().unwrap_or(0) > 1 {
                format!(
                    "{name} ({})",
                    c.t1("born-year", "year", p.born.year().to_string())
                )
            } else {
                name
            };
            (p.id, shown)
        })
        .collect()
}
