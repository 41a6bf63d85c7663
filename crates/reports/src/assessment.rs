//! The funder's report's part on the participants' self-assessment: per item, the average
//! score at entry and at exit of those who answered both times (TEHDAS's empowerment measure).

use crate::esf::EsfReport;
use crate::{Cell, Table};
use polku_domain::assessment::AssessmentItem;
use polku_domain::share::tenths;

/// One item: (item, people who answered both times, sum at entry, sum at exit).
pub type Change = (AssessmentItem, i64, i64, i64);

fn decimal(tenths: i64) -> String {
    format!("{},{}", tenths / 10, tenths % 10)
}

impl EsfReport {
    /// Entry and exit averages per item; an item with fewer than five people is hidden from
    /// anyone but the project's own staff, as every small cell is.
    pub(crate) fn assessment_table(&self, t: &dyn Fn(&str) -> String) -> Table {
        let rows = self
            .self_assessment
            .iter()
            .map(|(item, n, entry, exit)| {
                let name = t(&format!(
                    "choice-assessment-item-{}",
                    item.as_str().replace('_', "-")
                ));
                match self.shown(*n) {
                    Some(n) => {
                        let (a, b) = (tenths(*entry, n), tenths(*exit, n));
                        let change = a.zip(b).map(|(a, b)| b - a);
                        vec![
                            name.into(),
                            Cell::Int(n),
                            a.map(decimal).into(),
                            b.map(decimal).into(),
                            change
                                .map(|c| {
                                    format!("{}{}", if c < 0 { "−" } else { "+" }, decimal(c.abs()))
                                })
                                .into(),
                        ]
                    }
                    None => vec![
                        name.into(),
                        self.small(*n),
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                    ],
                }
            })
            .collect();
        Table {
            title: t("report-self-assessment"),
            headers: [
                "report-assessment-item",
                "report-assessment-people",
                "report-assessment-entry",
                "report-assessment-exit",
                "report-assessment-change",
            ]
            .iter()
            .map(|k| t(k))
            .collect(),
            rows,
        }
    }

    /// The same as JSON: averages in tenths, null where hidden.
    pub(crate) fn assessment_json(&self) -> serde_json::Value {
        self.self_assessment
            .iter()
            .map(|(item, n, entry, exit)| {
                let shown = self.shown(*n);
                serde_json::json!({
                    "item": item,
                    "people": shown,
                    "entry_tenths": shown.and_then(|n| tenths(*entry, n)),
                    "exit_tenths": shown.and_then(|n| tenths(*exit, n)),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_written_with_a_decimal_comma() {
        assert_eq!(decimal(34), "3,4");
        assert_eq!(decimal(50), "5,0");
    }
}
