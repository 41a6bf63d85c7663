//! Shares and averages as the reports show them: integers until shown, rounded half up (a
//! share per mille, 37,5 % is 375; an average in tenths, 3,4 is 34).

/// `part` of `whole` per mille; `None` when the whole is nothing.
pub fn permille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 1000 + whole / 2) / whole)
}

/// The average of `sum` over `n` in tenths; `None` over nobody.
pub fn tenths(sum: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| (sum * 20 + n) / (2 * n))
}

#[cfg(test)]
mod tests {
    use super::{permille, tenths};

    #[test]
    fn rounds_half_up_and_has_no_share_of_nothing() {
        assert_eq!(permille(3, 4), Some(750));
        assert_eq!(permille(1, 3), Some(333));
        assert_eq!(permille(2, 3), Some(667));
        assert_eq!(permille(1, 8), Some(125));
        assert_eq!(permille(0, 0), None);
        assert_eq!(tenths(17, 5), Some(34));
        assert_eq!(tenths(10, 4), Some(25));
        assert_eq!(tenths(7, 3), Some(23));
        assert_eq!(tenths(3, 0), None);
    }
}
