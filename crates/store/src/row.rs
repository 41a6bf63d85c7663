//! Typed rows: the store hands out dates, times, booleans, enums and id types, whatever the
//! column holds on either backend (dates and times are text, flags are integers, choices are
//! their stable strings). A value that does not parse is a decode error, never a silent default.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use polku_domain::ids::*;

use sqlx::any::AnyRow;
use sqlx::Row;

/// How one column's stored value becomes the type a row field has.
pub trait Column: Sized {
    type Raw: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>;
    fn from_raw(raw: Self::Raw) -> Result<Self, String>;
}

/// Reads column `name` of `row` as `T`.
pub fn column<T: Column>(row: &AnyRow, name: &str) -> Result<T, sqlx::Error> {
    let raw: T::Raw = row.try_get(name)?;
    T::from_raw(raw).map_err(|e| sqlx::Error::ColumnDecode {
        index: name.to_string(),
        source: e.into(),
    })
}

macro_rules! as_stored {
    ($($t:ty),*) => {$(
        impl Column for $t {
            type Raw = $t;
            fn from_raw(raw: $t) -> Result<$t, String> { Ok(raw) }
        }
    )*};
}
as_stored!(i64, String);

impl<T: Column> Column for Option<T> {
    type Raw = Option<T::Raw>;
    fn from_raw(raw: Option<T::Raw>) -> Result<Self, String> {
        raw.map(T::from_raw).transpose()
    }
}

/// Flags are INTEGER 0/1 on both backends.
impl Column for bool {
    type Raw = i64;
    fn from_raw(raw: i64) -> Result<bool, String> {
        Ok(raw != 0)
    }
}

/// Dates are stored as yyyy-mm-dd ([`crate::date`]).
impl Column for NaiveDate {
    type Raw = String;
    fn from_raw(raw: String) -> Result<NaiveDate, String> {
        crate::parse_date(&raw).ok_or_else(|| format!("not a date: {raw:?}"))
    }
}

/// Local wall-clock times (sessions, shifts) are stored as yyyy-mm-ddThh:mm.
impl Column for NaiveDateTime {
    type Raw = String;
    fn from_raw(raw: String) -> Result<NaiveDateTime, String> {
        NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| format!("not a local time: {raw:?}"))
    }
}

/// Instants are stored as RFC 3339 UTC text ([`crate::ts`]).
impl Column for DateTime<Utc> {
    type Raw = String;
    fn from_raw(raw: String) -> Result<DateTime<Utc>, String> {
        DateTime::parse_from_rfc3339(&raw)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| format!("not a timestamp: {raw:?}"))
    }
}

macro_rules! ids {
    ($($t:ident),*) => {$(
        impl Column for $t {
            type Raw = i64;
            fn from_raw(raw: i64) -> Result<$t, String> { Ok($t(raw)) }
        }
    )*};
}
polku_domain::with_id_types!(ids);

macro_rules! choices {
    ($($t:path),*) => {$(
        impl Column for $t {
            type Raw = String;
            fn from_raw(raw: String) -> Result<$t, String> {
                <$t>::parse(&raw).map_err(|_| format!("not a {}: {raw:?}", stringify!($t)))
            }
        }
    )*};
}
choices!(
    polku_domain::authz::Role,
    polku_domain::participant::Gender,
    polku_domain::participant::Education,
    polku_domain::participant::LabourStatus,
    polku_domain::participant::ExitStatus,
    polku_domain::participant::ConsentKind,
    polku_domain::participant::GoalKind,
    polku_domain::participant::GoalStatus,
    polku_domain::services::ServiceKind,
    polku_domain::services::Channel,
    polku_domain::services::OfferedBy,
    polku_domain::services::Approval,
    polku_domain::services::EnrolmentStatus,
    polku_domain::services::Attendance,
    polku_domain::services::ContactKind,
    polku_domain::employer::Industry,
    polku_domain::employer::SizeClass,
    polku_domain::employer::InteractionKind,
    polku_domain::placement::OpeningKind,
    polku_domain::placement::OpeningStatus,
    polku_domain::placement::ProposalStatus,
    polku_domain::placement::PlacementKind,
    polku_domain::placement::PlacementResult,
    polku_domain::employer::AttendeeKind,
    polku_domain::coach::TrainingStatus,
    polku_domain::coach::MeetingKind,
    polku_domain::referral::Referrer,
    polku_domain::referral::ReferralStatus,
    polku_domain::portal::DataRequestKind,
    polku_domain::assessment::AssessmentItem,
    polku_domain::assessment::Phase,
    polku_domain::survey::QuestionKind,
    polku_domain::survey::SurveyStatus,
    polku_domain::survey::Audience
);

/// The one row `sql` finds with the id as `$1`, or [`crate::StoreError::NotFound`].
pub async fn one<T>(conn: &mut crate::Conn, sql: &str, id: i64) -> Result<T, crate::StoreError>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

/// Every row the query with one id finds, in its order.
pub async fn all<T>(conn: &mut crate::Conn, sql: &str, id: i64) -> Result<Vec<T>, crate::StoreError>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql).bind(id).fetch_all(conn).await?)
}

/// Every row of a report's query over one owner (`$1`: a project or an organisation) and a
/// period (`$2` to `$3`, days inclusive).
pub async fn in_period<T>(
    conn: &mut crate::Conn,
    sql: &str,
    owner: i64,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<T>, crate::StoreError>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql)
        .bind(owner)
        .bind(crate::date(from))
        .bind(crate::date(to))
        .fetch_all(conn)
        .await?)
}

/// The one row of such a query (its counts).
pub async fn one_in_period<T>(
    conn: &mut crate::Conn,
    sql: &str,
    owner: i64,
    period: (NaiveDate, NaiveDate),
) -> Result<T, crate::StoreError>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    in_period(conn, sql, owner, period)
        .await?
        .into_iter()
        .next()
        .ok_or(crate::StoreError::NotFound)
}

/// How many of `ids` belong to the organisation `org`: `sql` counts rows with `$1` the
/// organisation and `{ids}` where the list of ids goes. One query per 500 ids, not one per id.
pub async fn count_of_org(
    conn: &mut crate::Conn,
    sql: &str,
    org: OrgId,
    ids: &[i64],
) -> Result<usize, crate::StoreError> {
    let mut found = 0;
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = sql.replace("{ids}", &marks.join(", "));
        let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(org.0);
        for id in chunk {
            q = q.bind(*id);
        }
        found += usize::try_from(q.fetch_one(&mut *conn).await?).unwrap_or(0);
    }
    Ok(found)
}

/// Declares a row struct whose fields are read by name through [`Column`], so a field's type is
/// what the application needs, not what the column stores.
#[macro_export]
macro_rules! typed_row {
    ($(#[$m:meta])* $vis:vis struct $name:ident {
        $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[$m])* $vis struct $name { $($(#[$fm])* $fvis $field: $ty),* }
        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $name {
            fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                Ok(Self { $($field: $crate::row::column(row, stringify!($field))?),* })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_becomes_typed_values() {
        assert_eq!(
            NaiveDate::from_raw("2026-11-30".into()),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
        );
        assert!(NaiveDate::from_raw("30.11.2026".into()).is_err());
        assert_eq!(
            NaiveDateTime::from_raw("2026-11-30T09:15".into()).map(|t| t.to_string()),
            Ok("2026-11-30 09:15:00".to_string())
        );
        assert_eq!(
            DateTime::<Utc>::from_raw("2026-11-30T07:15:00Z".into()).map(|t| t.to_rfc3339()),
            Ok("2026-11-30T07:15:00+00:00".to_string())
        );
        assert_eq!(bool::from_raw(1), Ok(true));
        assert_eq!(bool::from_raw(0), Ok(false));
        assert_eq!(Option::<bool>::from_raw(None), Ok(None));
        assert!(polku_domain::services::ServiceKind::from_raw("nonsense".into()).is_err());
    }
}
