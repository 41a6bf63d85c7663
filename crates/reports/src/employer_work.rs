//! The funder's report's part on employers: placements by kind and result, and the employers
//! taking part by industry.

use crate::esf::EsfReport;
use crate::{Cell, Table};
use polku_domain::employer::Industry;
use polku_domain::placement::{PlacementKind, PlacementResult};

/// The project's work with employers: placements by kind and result, and the employers
/// taking part by industry with how many told their skill and recruitment needs.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct EmployerWork {
    /// (kind, result — none while running —, placements)
    pub placements: Vec<(PlacementKind, Option<PlacementResult>, i64)>,
    /// (industry — none when not recorded —, employers, of them with needs told)
    pub industries: Vec<(Option<Industry>, i64, i64)>,
    /// Workplace coaches trained (present on a training day of the project), and the
    /// workplaces they are at.
    pub coaches_trained: (i64, i64),
}

impl EsfReport {
    /// Placements by kind (rows) and result (columns), and employers by industry.
    pub(crate) fn employer_tables(&self, t: &dyn Fn(&str) -> String) -> [Table; 2] {
        let w = &self.employers;
        let mut headers = vec![t("field-kind"), t("placement-running")];
        headers.extend(PlacementResult::ALL.iter().map(|r| {
            t(&format!(
                "choice-placement-result-{}",
                r.as_str().replace('_', "-")
            ))
        }));
        headers.push(t("total"));
        let rows = PlacementKind::ALL
            .iter()
            .filter(|k| w.placements.iter().any(|(pk, _, _)| pk == *k))
            .map(|k| {
                let n = |r: Option<PlacementResult>| {
                    w.placements
                        .iter()
                        .filter(|(pk, pr, _)| pk == k && *pr == r)
                        .map(|x| x.2)
                        .sum::<i64>()
                };
                let mut row: Vec<Cell> = vec![
                    t(&format!(
                        "choice-placement-kind-{}",
                        k.as_str().replace('_', "-")
                    ))
                    .into(),
                    self.small(n(None)),
                ];
                row.extend(PlacementResult::ALL.iter().map(|r| self.small(n(Some(*r)))));
                let total: i64 = w
                    .placements
                    .iter()
                    .filter(|(pk, _, _)| pk == k)
                    .map(|x| x.2)
                    .sum();
                row.push(self.small(total));
                row
            })
            .collect();
        let placements = Table {
            title: t("report-placements"),
            headers,
            rows,
        };
        let industries = Table {
            title: t("report-industries"),
            headers: vec![
                t("field-industry"),
                t("report-employers"),
                t("report-needs-told"),
            ],
            rows: w
                .industries
                .iter()
                .map(|(i, employers, needs)| {
                    let name = match i {
                        Some(i) => t(&format!("choice-industry-{}", i.as_str())),
                        None => "—".into(),
                    };
                    vec![name.into(), Cell::Int(*employers), Cell::Int(*needs)]
                })
                .collect(),
        };
        [placements, industries]
    }
}
