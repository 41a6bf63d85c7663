//! People's names as lists show them: "Last, First", with the birth year added where two people
//! on the same list share the name, so the right one is marked or chosen.

use crate::ctx::Chrome;
use chrono::{Datelike, NaiveDate};
use polku_domain::ids::ParticipantId;
use polku_store::participants::ParticipantRow;
use polku_store::placements::ProposalRow;
use polku_store::services::RosterRow;
use std::collections::HashMap;

/// One person on a list.
pub struct Named<'a> {
    pub id: ParticipantId,
    pub first: &'a str,
    pub last: &'a str,
    pub born: NaiveDate,
}

/// The rows that name a participant.
macro_rules! named_rows {
    ($($row:ty),*) => {$(
        impl<'a> From<&'a $row> for Named<'a> {
            fn from(r: &'a $row) -> Self {
                Named { id: r.participant_id(), first: &r.first_name, last: &r.last_name, born: r.birth_date }
            }
        }
    )*};
}

trait Who {
    fn participant_id(&self) -> ParticipantId;
}
impl Who for ParticipantRow {
    fn participant_id(&self) -> ParticipantId {
        self.id
    }
}
impl Who for RosterRow {
    fn participant_id(&self) -> ParticipantId {
        self.participant_id
    }
}
impl Who for ProposalRow {
    fn participant_id(&self) -> ParticipantId {
        self.participant_id
    }
}
named_rows!(ParticipantRow, RosterRow, ProposalRow);

/// A list to choose from, in its order: (id, name), namesakes told apart.
pub fn choices<'a, T: 'a>(rows: &'a [T], c: &Chrome) -> Vec<(ParticipantId, String)>
where
    Named<'a>: From<&'a T>,
{
    let names = told_apart(rows.iter().map(Named::from), c);
    rows.iter()
        .map(|r| {
            let id = Named::from(r).id;
            (id, names.get(&id).cloned().unwrap_or_default())
        })
        .collect()
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
