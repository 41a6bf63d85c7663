//! iCalendar (RFC 5545) for the annual calendar: events in Finnish local time.

use chrono::{DateTime, NaiveDateTime, Utc};

#[derive(Debug, Clone)]
pub struct Event {
    /// Stable per event, so a subscribed calendar updates instead of duplicating.
    pub uid: String,
    pub summary: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub location: Option<String>,
    pub category: Option<String>,
}

/// Europe/Helsinki with its EU daylight-saving rules, since events carry TZID.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:EEST\r\nDTSTART:19700329T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:EET\r\nDTSTART:19701025T040000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

pub fn calendar(name: &str, events: &[Event], stamp: DateTime<Utc>) -> String {
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Polku//Vuosikello//FI\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", escape(name))));
    out.push_str("X-WR-TIMEZONE:Europe/Helsinki\r\n");
    out.push_str(VTIMEZONE);
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for e in events {
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&fold(&format!("UID:{}", e.uid)));
        out.push_str(&format!("DTSTAMP:{dtstamp}\r\n"));
        out.push_str(&format!(
            "DTSTART;TZID=Europe/Helsinki:{}\r\n",
            local(e.start)
        ));
        out.push_str(&format!("DTEND;TZID=Europe/Helsinki:{}\r\n", local(e.end)));
        out.push_str(&fold(&format!("SUMMARY:{}", escape(&e.summary))));
        if let Some(l) = &e.location {
            out.push_str(&fold(&format!("LOCATION:{}", escape(l))));
        }
        if let Some(c) = &e.category {
            out.push_str(&fold(&format!("CATEGORIES:{}", escape(c))));
        }
        out.push_str("END:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn event_escaped_folded_and_zoned() {
        let d = NaiveDate::from_ymd_opt(2019, 3, 4).unwrap();
        let e = Event {
            uid: "shift-7@polku".into(),
            summary: "Voimala: Varsinais-Suomen TE-toimisto; työnhaun ja sähköisten palvelujen neuvonta, ilman ajanvarausta".into(),
            start: d.and_hms_opt(10, 0, 0).unwrap(),
            end: d.and_hms_opt(12, 0, 0).unwrap(),
            location: Some("Salo, Vilhonkatu 10".into()),
            category: None,
        };
        let ics = calendar(
            "VOIMA – vuosikello",
            &[e],
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        );
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
                && ics.ends_with("END:VCALENDAR\r\n")
        );
        assert!(ics.contains("DTSTART;TZID=Europe/Helsinki:20190304T100000\r\n"));
        assert!(
            ics.contains("TZID:Europe/Helsinki\r\n")
                && ics.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
        );
        assert!(ics.contains("LOCATION:Salo\\, Vilhonkatu 10\r\n"));
        assert!(ics.contains("TE-toimisto\\; työnhaun"), "semicolon escaped");
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line over 75 octets: {line}");
        }
        // Unfolding gives the summary back intact, ä and ö included.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("sähköisten palvelujen neuvonta\\, ilman ajanvarausta"));
    }
}
