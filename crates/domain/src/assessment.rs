//! The job seeker's self-assessment of skills and wellbeing on a 1–5 scale, at entry and at
//! exit, so the change can be reported (TEHDAS's empowerment measure).

use crate::error::Errors;
use crate::{DomainError, ErrorCode};

crate::choice_enum!(
    /// What the person rates: three skills, three sides of wellbeing.
    AssessmentItem {
        DigitalSkills = "digital_skills",
        JobSearch = "job_search",
        OwnField = "own_field",
        Coping = "coping",
        Confidence = "confidence",
        Relationships = "relationships",
    }
);

crate::choice_enum!(
    /// When: on entering the project, or on leaving it.
    Phase { Entry = "entry", Exit = "exit" }
);

/// One answer per item: `score_<item>` = 1…5 from the form's pairs.
pub fn parse_answers(
    pairs: &[(String, String)],
) -> Result<Vec<(AssessmentItem, i64)>, DomainError> {
    let mut e = Errors::new();
    let mut out = vec![];
    for item in AssessmentItem::ALL {
        let key = format!("score_{}", item.as_str());
        let given = pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.trim());
        match given {
            None | Some("") => e.push(item.field(), ErrorCode::Required),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (1..=5).contains(&n) => out.push((*item, n)),
                _ => e.push(item.field(), ErrorCode::NumberRange { min: 1, max: 5 }),
            },
        }
    }
    e.into_result()?;
    Ok(out)
}

impl AssessmentItem {
    /// The form field that holds its score.
    pub fn field(self) -> &'static str {
        match self {
            AssessmentItem::DigitalSkills => "score_digital_skills",
            AssessmentItem::JobSearch => "score_job_search",
            AssessmentItem::OwnField => "score_own_field",
            AssessmentItem::Coping => "score_coping",
            AssessmentItem::Confidence => "score_confidence",
            AssessmentItem::Relationships => "score_relationships",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_item_is_answered_on_the_scale() {
        let Err(DomainError::Invalid(errors)) = parse_answers(&pairs(&[
            ("score_digital_skills", "3"),
            ("score_job_search", "6"),
        ])) else {
            panic!("refused");
        };
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields[0],
            (
                "score_job_search",
                ErrorCode::NumberRange { min: 1, max: 5 }
            )
        );
        assert_eq!(fields.len(), 5, "one out of range, four missing");
        let all: Vec<(String, String)> = AssessmentItem::ALL
            .iter()
            .map(|i| (i.field().to_string(), "4".to_string()))
            .collect();
        let ok = parse_answers(&all).ok().map(|v| v.len());
        assert_eq!(ok, Some(6));
    }
}
