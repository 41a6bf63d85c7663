//! Small-cell suppression that cannot be undone by arithmetic. Counts under five are hidden
//! (primary suppression); then, wherever the sums that hold between a table's cells (a row's
//! genders add up to its total, age bands to all persons, exit statuses to the leavers) would
//! let a hidden cell be computed from the shown ones, more cells are hidden (secondary
//! suppression) until no hidden cell can be.

use crate::esf::SMALL_CELL;

/// `parts` add up to `total` (indices into the cells), give or take a constant the reader may
/// know: a person with no recorded gender counts in a total but under no gender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub parts: Vec<usize>,
    pub total: usize,
}

/// Which cells to hide. Zero is shown: it reveals nobody.
pub fn suppress(values: &[i64], sums: &[Sum]) -> Vec<bool> {
    let mut hidden: Vec<bool> = values.iter().map(|&v| v > 0 && v < SMALL_CELL).collect();
    loop {
        // The common case first: a sum with exactly one hidden cell gives it away by subtraction.
        let lone = sums
            .iter()
            .find(|s| cells(s).filter(|&i| hidden[i]).count() == 1);
        let target = match lone {
            Some(s) => Some(s),
            // Then any hidden cell that several sums together still pin down.
            None => (0..values.len())
                .find(|&i| hidden[i] && determined(i, &hidden, sums))
                .and_then(|i| {
                    sums.iter()
                        .find(|s| cells(s).any(|c| c == i) && has_shown(s, &hidden))
                }),
        };
        let Some(sum) = target else {
            return hidden;
        };
        match cheapest_shown(sum, values, &hidden) {
            Some(i) => hidden[i] = true,
            None => return hidden,
        }
    }
}

fn cells(s: &Sum) -> impl Iterator<Item = usize> + '_ {
    s.parts.iter().copied().chain(std::iter::once(s.total))
}

fn has_shown(s: &Sum, hidden: &[bool]) -> bool {
    cells(s).any(|i| !hidden[i])
}

/// The shown cell of `s` whose hiding loses the least: the smallest positive count among the
/// parts, else the smallest part, else the total.
fn cheapest_shown(s: &Sum, values: &[i64], hidden: &[bool]) -> Option<usize> {
    let shown_parts = || s.parts.iter().copied().filter(|&i| !hidden[i]);
    shown_parts()
        .filter(|&i| values[i] > 0)
        .min_by_key(|&i| (values[i], i))
        .or_else(|| shown_parts().min_by_key(|&i| (values[i], i)))
        .or_else(|| (!hidden[s.total]).then_some(s.total))
}

/// Whether the hidden cell `i` follows from the shown cells through the sums: the system of
/// sums over the hidden cells fixes `x_i` exactly when column `i` is not a combination of the
/// other hidden cells' columns (removing it lowers the rank).
fn determined(i: usize, hidden: &[bool], sums: &[Sum]) -> bool {
    let unknowns: Vec<usize> = (0..hidden.len()).filter(|&c| hidden[c]).collect();
    let row = |s: &Sum, cols: &[usize]| -> Vec<f64> {
        cols.iter()
            .map(|&c| {
                let part = s.parts.iter().filter(|&&p| p == c).count() as f64;
                let total = if s.total == c { 1.0 } else { 0.0 };
                part - total
            })
            .collect()
    };
    let all: Vec<Vec<f64>> = sums.iter().map(|s| row(s, &unknowns)).collect();
    let others: Vec<usize> = unknowns.iter().copied().filter(|&c| c != i).collect();
    let without: Vec<Vec<f64>> = sums.iter().map(|s| row(s, &others)).collect();
    rank(all) > rank(without)
}

/// Rank by Gaussian elimination; entries are small integers, so a tolerance is exact enough.
fn rank(mut m: Vec<Vec<f64>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for c in 0..cols {
        let Some(p) = (rank..m.len()).find(|&r| m[r][c].abs() > 1e-9) else {
            continue;
        };
        m.swap(rank, p);
        let pivot = m[rank].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != rank && row[c].abs() > 1e-9 {
                let f = row[c] / pivot[c];
                for (x, y) in row.iter_mut().zip(&pivot) {
                    *x -= f * y;
                }
            }
        }
        rank += 1;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The attacker of the review: repeatedly solves any sum with one unknown left, using what
    /// was solved before. Returns the cells recovered.
    fn subtract(hidden: &[bool], sums: &[Sum]) -> Vec<usize> {
        let mut known: Vec<bool> = hidden.iter().map(|h| !h).collect();
        let mut found = vec![];
        loop {
            let next = sums.iter().find_map(|s| {
                let unknown: Vec<usize> = cells(s).filter(|&c| !known[c]).collect();
                (unknown.len() == 1).then(|| unknown[0])
            });
            match next {
                Some(c) => {
                    known[c] = true;
                    found.push(c);
                }
                None => return found,
            }
        }
    }

    /// A report-like table: `rows` rows of (women, men, non-binary, total) with some people of
    /// no gender, and a last row that is the column sums of the others (all persons).
    fn table(counts: &[(i64, i64, i64, i64)]) -> (Vec<i64>, Vec<Sum>) {
        let mut values = vec![];
        let mut sums = vec![];
        let n = counts.len();
        for (r, (w, m, nb, unknown)) in counts.iter().enumerate() {
            values.extend([*w, *m, *nb, w + m + nb + unknown]);
            sums.push(Sum {
                parts: vec![4 * r, 4 * r + 1, 4 * r + 2],
                total: 4 * r + 3,
            });
        }
        for c in 0..4 {
            values.push((0..n).map(|r| values[4 * r + c]).sum());
            sums.push(Sum {
                parts: (0..n).map(|r| 4 * r + c).collect(),
                total: 4 * n + c,
            });
        }
        sums.push(Sum {
            parts: vec![4 * n, 4 * n + 1, 4 * n + 2],
            total: 4 * n + 3,
        });
        (values, sums)
    }

    #[test]
    fn the_reviewers_subtraction_no_longer_works() {
        // Men 8, total 11, women 3 (suppressed): the women must not be derivable.
        let values = vec![3, 8, 0, 11];
        let sums = vec![Sum {
            parts: vec![0, 1, 2],
            total: 3,
        }];
        let hidden = suppress(&values, &sums);
        assert!(hidden[0]);
        assert!(hidden[1] || hidden[3], "a second cell of the row is hidden");
        assert!(subtract(&hidden, &sums).is_empty());
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let (values, sums) = table(&[(10, 12, 0, 1), (6, 7, 0, 0)]);
        assert!(suppress(&values, &sums).iter().all(|h| !h));
    }

    proptest! {
        #[test]
        fn no_hidden_cell_can_be_derived(
            counts in prop::collection::vec((0i64..12, 0i64..12, 0i64..4, 0i64..3), 1..7)
        ) {
            let (values, sums) = table(&counts);
            let hidden = suppress(&values, &sums);
            for (i, v) in values.iter().enumerate() {
                if *v > 0 && *v < SMALL_CELL {
                    prop_assert!(hidden[i], "small cell {} shown", i);
                }
            }
            for s in &sums {
                let n = cells(s).filter(|&c| hidden[c]).count();
                prop_assert!(n != 1, "a sum with one hidden cell: {:?}", s);
            }
            prop_assert!(subtract(&hidden, &sums).is_empty());
            for i in 0..values.len() {
                prop_assert!(!hidden[i] || !determined(i, &hidden, &sums), "cell {} derivable", i);
            }
        }
    }
}
