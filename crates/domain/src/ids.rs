//! One id type per entity, so a participant id can never be passed where a project id is meant.

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
        }
    )*};
}

id_type!(
    OrgId,
    UserId,
    ProjectId,
    TargetGroupId,
    ParticipantId,
    ConsentId,
    GoalId,
    StepId,
    NoteId,
    ApiTokenId
);
