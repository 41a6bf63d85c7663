//! One id type per entity, so a participant id can never be passed where a project id is meant.

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
        }
        /// In the API an id is a plain integer.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <i64 as utoipa::PartialSchema>::schema()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    )*};
}

/// Calls macro `$m` with every id type, so other crates can implement their traits for all.
#[macro_export]
macro_rules! with_id_types {
    ($m:ident) => {
        $m!(
            OrgId,
            UserId,
            ProjectId,
            TargetGroupId,
            ParticipantId,
            ConsentId,
            GoalId,
            StepId,
            NoteId,
            ApiTokenId,
            ServiceId,
            SessionId,
            PointId,
            ShiftId,
            VisitId,
            ContactId,
            WebhookId,
            EmployerId,
            InteractionId,
            OpeningId,
            PlacementId,
            CoachId,
            TrainingId,
            MeetingId,
            ReferralId,
            SurveyId,
            QuestionId
        );
    };
}

with_id_types!(id_type);
