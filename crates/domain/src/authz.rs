//! Who may do what, and in which organisation. Every route asks here; the web layer never decides.

use crate::ids::{OrgId, UserId};
use crate::DomainError;

crate::choice_enum!(
    /// Staff roles. Job seekers get their own channel in a later issue.
    Role {
        // The platform operator: keeps the register of organisations and invites the first users
        // of any organisation, but sees no organisation's personal data.
        Operator = "operator",
        Admin = "admin",
        ProjectManager = "project_manager",
        Counsellor = "counsellor",
        EmployerCoordinator = "employer_coordinator",
        PartnerStaff = "partner_staff",
        Auditor = "auditor",
    }
);

/// The signed-in person as the domain sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub org: OrgId,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Project descriptions are public ESF data; every staff role sees them.
    ViewProjects,
    /// Create or edit a project owned by the given organisation.
    ManageProject,
    ViewParticipant,
    CreateParticipant,
    EditParticipant,
    ManageOrganisations,
    /// Invite, list and unlock the staff accounts of the given organisation.
    ManageUsers,
    ViewAuditLog,
    /// Own API tokens.
    ManageOwnTokens,
    /// The shared service catalogue is visible to every staff role.
    ViewServices,
    /// Add or change a catalogue entry organised by the given organisation.
    ManageService,
    /// Approve or reject a participant-proposed module.
    ApproveService,
    /// Erase a person's personal data (on their justified request, or when the retention
    /// period has passed), keeping the anonymous ESF+ record.
    ErasePersonalData,
    /// Take or give back a duty shift at any organisation's drop-in point, for one's own organisation.
    TakeShift,
    /// See the organisation's employer register, openings and placements.
    ViewEmployers,
    /// Add and change employers, their contacts, interactions and openings, and record an
    /// employer's answer to a proposal.
    ManageEmployers,
    /// Propose one's own participants to an opening, and place them with an employer.
    PlaceParticipants,
    /// Refer one's own participants to another organisation, and follow the referral.
    ReferParticipants,
    /// See the referrals sent to one's organisation and the items shared with them, and
    /// answer them (accept, decline, return; started, completed, interrupted).
    ReceiveReferrals,
    /// Build the organisation's surveys, send them and read their results.
    ManageSurveys,
}

/// Whether `actor` may do `action` on a resource owned by `owner` (`None` for org-less actions).
/// Personal data never crosses an organisation boundary, not even for admins.
pub fn authorize(actor: &Actor, action: Action, owner: Option<OrgId>) -> Result<(), DomainError> {
    use Action::*;
    use Role::*;
    let same_org = owner.is_none_or(|o| o == actor.org);
    let allowed = match (actor.role, action) {
        (_, ViewProjects | ManageOwnTokens | ViewServices) => true,
        (Admin | ProjectManager | Counsellor | PartnerStaff, ManageService) => same_org,
        (Admin | ProjectManager | Counsellor, ApproveService) => same_org,
        (Admin | ProjectManager | Counsellor | EmployerCoordinator | PartnerStaff, TakeShift) => {
            true
        }
        // An organisation admin manages only their own organisation; only the platform operator
        // reaches across, and even then a new account's password is set by its owner alone.
        (Operator | Admin, ManageOrganisations) => true,
        (Operator, ManageUsers) => true,
        (Admin, ManageUsers | ManageProject | ViewAuditLog) => same_org,
        (ProjectManager, ManageProject | ViewAuditLog) => same_org,
        (Admin | ProjectManager, ErasePersonalData) => same_org,
        (Auditor, ViewAuditLog) => same_org,
        (
            Admin | ProjectManager | Counsellor,
            ViewParticipant | CreateParticipant | EditParticipant,
        ) => same_org,
        (EmployerCoordinator, ViewParticipant) => same_org,
        (Admin | ProjectManager | Counsellor | EmployerCoordinator, ViewEmployers) => same_org,
        (Admin | ProjectManager | EmployerCoordinator, ManageEmployers) => same_org,
        (Admin | ProjectManager | Counsellor | EmployerCoordinator, PlaceParticipants) => same_org,
        (Admin | ProjectManager | Counsellor, ReferParticipants) => same_org,
        (Admin | ProjectManager | Counsellor | PartnerStaff, ReceiveReferrals) => same_org,
        (Admin | ProjectManager | Counsellor | EmployerCoordinator, ManageSurveys) => same_org,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

/// [`authorize`] for a participant of `owner`. Partner staff reach a participant of their own
/// organisation only when the person came to it through a referral (`referred_here`), and then
/// to see and keep their record (enrol, mark attendance), never to search the others.
pub fn authorize_participant(
    actor: &Actor,
    action: Action,
    owner: OrgId,
    referred_here: bool,
) -> Result<(), DomainError> {
    let partner_reach = actor.role == Role::PartnerStaff
        && referred_here
        && owner == actor.org
        && matches!(action, Action::ViewParticipant | Action::EditParticipant);
    if partner_reach {
        return Ok(());
    }
    authorize(actor, action, Some(owner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user: UserId(1),
            org: OrgId(1),
            role,
        }
    }

    #[test]
    fn participant_access_table() {
        use Action::*;
        let own = Some(OrgId(1));
        let other = Some(OrgId(2));
        // (role, action, own org allowed, other org allowed)
        let table = [
            (Role::Admin, ViewParticipant, true, false),
            (Role::ProjectManager, EditParticipant, true, false),
            (Role::Counsellor, ViewParticipant, true, false),
            (Role::Counsellor, CreateParticipant, true, false),
            (Role::Counsellor, EditParticipant, true, false),
            (Role::EmployerCoordinator, ViewParticipant, true, false),
            (Role::EmployerCoordinator, EditParticipant, false, false),
            (Role::PartnerStaff, ViewParticipant, false, false),
            (Role::Auditor, ViewParticipant, false, false),
            (Role::Counsellor, ManageProject, false, false),
            (Role::ProjectManager, ManageProject, true, false),
            (Role::Admin, ManageProject, true, false),
            (Role::Admin, ManageUsers, true, false),
            (Role::Admin, ViewAuditLog, true, false),
            (Role::Operator, ManageUsers, true, true),
            (Role::Operator, ManageOrganisations, true, true),
            (Role::Operator, ViewParticipant, false, false),
            (Role::Operator, ViewAuditLog, false, false),
            (Role::Operator, ManageProject, false, false),
            (Role::Counsellor, ManageUsers, false, false),
            (Role::Auditor, ViewProjects, true, true),
            (Role::Auditor, ViewAuditLog, true, false),
            (Role::ProjectManager, ErasePersonalData, true, false),
            (Role::Counsellor, ErasePersonalData, false, false),
            (Role::Operator, ErasePersonalData, false, false),
            (Role::PartnerStaff, ManageService, true, false),
            (Role::PartnerStaff, ApproveService, false, false),
            (Role::Counsellor, ApproveService, true, false),
            (Role::EmployerCoordinator, ManageService, false, false),
            (Role::Counsellor, ReferParticipants, true, false),
            (Role::PartnerStaff, ReferParticipants, false, false),
            (Role::EmployerCoordinator, ReferParticipants, false, false),
            (Role::PartnerStaff, ReceiveReferrals, true, false),
            (Role::Counsellor, ReceiveReferrals, true, false),
            (Role::Auditor, ReceiveReferrals, false, false),
        ];
        for (role, action, own_ok, other_ok) in table {
            assert_eq!(
                authorize(&actor(role), action, own).is_ok(),
                own_ok,
                "{role:?} {action:?} own"
            );
            assert_eq!(
                authorize(&actor(role), action, other).is_ok(),
                other_ok,
                "{role:?} {action:?} other"
            );
        }
    }

    #[test]
    fn partner_staff_reach_only_people_referred_to_their_organisation() {
        use Action::*;
        let partner = actor(Role::PartnerStaff);
        let own = OrgId(1);
        let other = OrgId(2);
        assert!(authorize_participant(&partner, ViewParticipant, own, true).is_ok());
        assert!(authorize_participant(&partner, EditParticipant, own, true).is_ok());
        assert!(authorize_participant(&partner, ViewParticipant, own, false).is_err());
        assert!(authorize_participant(&partner, ViewParticipant, other, true).is_err());
        assert!(authorize_participant(&partner, ErasePersonalData, own, true).is_err());
        let counsellor = actor(Role::Counsellor);
        assert!(authorize_participant(&counsellor, EditParticipant, own, false).is_ok());
        assert!(authorize_participant(&counsellor, ViewParticipant, other, true).is_err());
    }
}
