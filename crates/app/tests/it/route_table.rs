//! The route × role table: every page and API route, and the roles that may use it.
//! `tests/it/routes.rs` checks it route by route; the phone sweep visits its pages.

use polku_domain::authz::Role;

pub const ALL: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::EmployerCoordinator,
    Role::PartnerStaff,
    Role::Auditor,
    Role::Operator,
];
const STAFF_WITH_PERSONAL_DATA: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::EmployerCoordinator,
];
const CASEWORK: &[Role] = &[Role::Admin, Role::ProjectManager, Role::Counsellor];
const PROJECT_ADMIN: &[Role] = &[Role::Admin, Role::ProjectManager];
const ADMIN: &[Role] = &[Role::Admin];
const USER_ADMINS: &[Role] = &[Role::Admin, Role::Operator];
const AUDIT_READERS: &[Role] = &[Role::Admin, Role::ProjectManager, Role::Auditor];
/// Who keep the catalogue and run their organisation's groups (sessions, attendance).
const CATALOGUE_EDITORS: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::PartnerStaff,
];
/// Who sees the employer register, proposes and places participants: the staff who see
/// the organisation's people.
const EMPLOYER_WORK: &[Role] = STAFF_WITH_PERSONAL_DATA;
/// Who keeps the register itself.
const EMPLOYER_REGISTER: &[Role] = &[Role::Admin, Role::ProjectManager, Role::EmployerCoordinator];
/// Who answers and follows the referrals sent to the organisation: those who run its
/// groups, partner staff among them.
const REFERRAL_DESK: &[Role] = CATALOGUE_EDITORS;
/// Who build the organisation's surveys, send them and read the results.
const SURVEYORS: &[Role] = STAFF_WITH_PERSONAL_DATA;
const SHIFT_TAKERS: &[Role] = &[
    Role::Admin,
    Role::ProjectManager,
    Role::Counsellor,
    Role::EmployerCoordinator,
    Role::PartnerStaff,
];

/// (method, path, roles allowed). `{p}` project id, `{code}` its code, `{x}` participant, `{g}` goal,
/// `{s}` service, `{ss}` its session, `{t}` the admin's token, `{u}` a counsellor's account.
pub const ROUTES: &[(&str, &str, &[Role])] = &[
    ("GET", "/", ALL),
    ("GET", "/projects", ALL),
    ("GET", "/projects/new", PROJECT_ADMIN),
    ("POST", "/projects", PROJECT_ADMIN),
    ("GET", "/projects/{p}", ALL),
    ("GET", "/projects/{p}/edit", PROJECT_ADMIN),
    ("POST", "/projects/{p}", PROJECT_ADMIN),
    ("POST", "/projects/{p}/target-groups", PROJECT_ADMIN),
    ("POST", "/projects/{p}/partners", PROJECT_ADMIN),
    ("GET", "/projects/{p}/esf", ALL),
    ("GET", "/projects/{p}/import", CASEWORK),
    // Not a spreadsheet: refused as unreadable (422) once access is granted.
    ("POST", "/projects/{p}/import", CASEWORK),
    ("GET", "/imports/{i}", CASEWORK),
    // Without the consent statement: 422 once access is granted; nothing is imported.
    ("POST", "/imports/{i}/run", CASEWORK),
    ("GET", "/imports/{i}/progress", CASEWORK),
    ("GET", "/employers/import", EMPLOYER_REGISTER),
    // Not a spreadsheet: 422 once access is granted.
    ("POST", "/employers/import", EMPLOYER_REGISTER),
    ("GET", "/imports/{ei}", EMPLOYER_REGISTER),
    // The first allowed caller imports the file (303); the others find it imported (409).
    ("POST", "/imports/{ei}/run", EMPLOYER_REGISTER),
    ("GET", "/imports/{ei}/progress", EMPLOYER_REGISTER),
    ("GET", "/participants", STAFF_WITH_PERSONAL_DATA),
    ("GET", "/participants/new", CASEWORK),
    ("POST", "/participants", CASEWORK),
    ("GET", "/participants/{x}", STAFF_WITH_PERSONAL_DATA),
    ("GET", "/participants/{x}/edit", CASEWORK),
    ("POST", "/participants/{x}", CASEWORK),
    ("POST", "/participants/{x}/exit", CASEWORK),
    ("POST", "/participants/{x}/notes", CASEWORK),
    ("POST", "/participants/{x}/goals", CASEWORK),
    ("POST", "/participants/{x}/goals/{g}/steps", CASEWORK),
    ("POST", "/participants/{x}/consents", CASEWORK),
    ("POST", "/participants/{x}/contacts", CASEWORK),
    // Nothing chosen: refused in place (422) once access is granted.
    ("POST", "/participants/{x}/referred-by", CASEWORK),
    // An empty message: refused in place (422) once access is granted.
    ("POST", "/participants/{x}/messages", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/messages",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/messages", CASEWORK),
    ("POST", "/participants/{x}/requests/{rq}/handled", CASEWORK),
    (
        "GET",
        "/participants/{x}/files/{f}",
        STAFF_WITH_PERSONAL_DATA,
    ),
    (
        "GET",
        "/api/v1/participants/{x}/files/{f}",
        STAFF_WITH_PERSONAL_DATA,
    ),
    (
        "POST",
        "/api/v1/participants/{x}/requests/{rq}/handled",
        CASEWORK,
    ),
    ("GET", "/referrals", REFERRAL_DESK),
    ("GET", "/referrals/new", CASEWORK),
    ("GET", "/referrals/report", REFERRAL_DESK),
    // Without consent: refused in place (422) once access is granted.
    ("POST", "/participants/{x}/referrals", CASEWORK),
    // {rr}: a referral another organisation sent to this one; {rs}: one this one sent.
    ("GET", "/referrals/{rr}", REFERRAL_DESK),
    ("GET", "/referrals/{rs}", CASEWORK),
    ("GET", "/referrals/{rr}/accept", REFERRAL_DESK),
    // An empty intake, no one chosen, no step: refused (422); the referral stays unanswered.
    ("POST", "/referrals/{rr}/accept", REFERRAL_DESK),
    ("POST", "/referrals/{rr}/link", REFERRAL_DESK),
    ("POST", "/referrals/{rr}/progress", REFERRAL_DESK),
    // The first allowed caller records the withdrawal (303); the others find it done (422).
    ("POST", "/referrals/{rs}/withdraw-consent", CASEWORK),
    ("GET", "/api/v1/referrals", REFERRAL_DESK),
    ("GET", "/api/v1/referrals/report", REFERRAL_DESK),
    ("POST", "/api/v1/participants/{x}/referrals", CASEWORK),
    ("GET", "/api/v1/referrals/{rr}", REFERRAL_DESK),
    ("POST", "/api/v1/referrals/{rr}/accept", REFERRAL_DESK),
    ("POST", "/api/v1/referrals/{rr}/progress", REFERRAL_DESK),
    ("POST", "/api/v1/referrals/{rs}/withdraw-consent", CASEWORK),
    ("POST", "/participants/{x}/follow-up", CASEWORK),
    ("GET", "/participants/{x}/data", CASEWORK),
    ("POST", "/participants/{x}/erase", PROJECT_ADMIN),
    ("GET", "/services", ALL),
    ("GET", "/services/new", CATALOGUE_EDITORS),
    ("POST", "/services", CATALOGUE_EDITORS),
    ("GET", "/services/{s}", ALL),
    ("POST", "/services/{s}/sessions", CATALOGUE_EDITORS),
    ("POST", "/services/{s}/enrol", CATALOGUE_EDITORS),
    // Partner staff enrol and cancel only people referred to them; {x} was not.
    ("POST", "/services/{s}/enrolments/{x}/cancel", CASEWORK),
    ("POST", "/services/{s}/approval", CASEWORK),
    ("GET", "/services/{s}/sessions/{ss}", CATALOGUE_EDITORS),
    ("POST", "/services/{s}/sessions/{ss}", CATALOGUE_EDITORS),
    ("GET", "/services/{s}/export", CATALOGUE_EDITORS),
    ("GET", "/dropin", ALL),
    ("POST", "/dropin", CATALOGUE_EDITORS),
    ("GET", "/dropin/{d}", ALL),
    ("POST", "/dropin/{d}/hours", CATALOGUE_EDITORS),
    ("POST", "/dropin/{d}/shifts", CATALOGUE_EDITORS),
    ("POST", "/dropin/{d}/shifts/{sh}/take", SHIFT_TAKERS),
    ("POST", "/dropin/{d}/shifts/{sh}/release", SHIFT_TAKERS),
    ("POST", "/dropin/{d}/visits", CASEWORK),
    ("GET", "/employers", EMPLOYER_WORK),
    ("GET", "/employers/new", EMPLOYER_REGISTER),
    ("POST", "/employers", EMPLOYER_REGISTER),
    ("GET", "/employers/{e}", EMPLOYER_WORK),
    ("GET", "/employers/{e}/edit", EMPLOYER_REGISTER),
    ("POST", "/employers/{e}", EMPLOYER_REGISTER),
    ("POST", "/employers/{e}/contacts", EMPLOYER_REGISTER),
    (
        "POST",
        "/employers/{e}/contacts/{c}/remove",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/employers/{e}/interactions", EMPLOYER_REGISTER),
    // No partner chosen: refused in place (422) once access is granted.
    ("POST", "/employers/{e}/shares", EMPLOYER_REGISTER),
    // An empty form: refused in place (422) once access is granted.
    ("POST", "/employers/{e}/coaches", EMPLOYER_REGISTER),
    ("GET", "/coach-trainings", EMPLOYER_WORK),
    ("POST", "/coach-trainings", EMPLOYER_REGISTER),
    ("GET", "/coach-trainings/{ct}", EMPLOYER_WORK),
    (
        "POST",
        "/coach-trainings/{ct}/attendance",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/placements/{pl}/meetings", EMPLOYER_WORK),
    ("POST", "/employers/{e}/openings", EMPLOYER_REGISTER),
    ("POST", "/employers/{e}/placements", EMPLOYER_WORK),
    ("GET", "/openings", EMPLOYER_WORK),
    ("GET", "/openings/{o}", EMPLOYER_WORK),
    ("POST", "/openings/{o}/status", EMPLOYER_REGISTER),
    ("POST", "/openings/{o}/proposals", EMPLOYER_WORK),
    ("POST", "/openings/{o}/proposals/{x}", EMPLOYER_REGISTER),
    ("GET", "/placements/{pl}", EMPLOYER_WORK),
    ("POST", "/placements/{pl}/extensions", EMPLOYER_WORK),
    ("POST", "/placements/{pl}/end", EMPLOYER_WORK),
    ("GET", "/api/v1/employers", EMPLOYER_WORK),
    ("POST", "/api/v1/employers", EMPLOYER_REGISTER),
    ("GET", "/api/v1/employers/{e}", EMPLOYER_WORK),
    ("PUT", "/api/v1/employers/{e}", EMPLOYER_REGISTER),
    ("POST", "/api/v1/employers/{e}/contacts", EMPLOYER_REGISTER),
    (
        "DELETE",
        "/api/v1/employers/{e}/contacts/{c}",
        EMPLOYER_REGISTER,
    ),
    (
        "POST",
        "/api/v1/employers/{e}/interactions",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/api/v1/employers/{e}/openings", EMPLOYER_REGISTER),
    ("POST", "/api/v1/employers/{e}/placements", EMPLOYER_WORK),
    ("GET", "/api/v1/openings", EMPLOYER_WORK),
    ("GET", "/api/v1/openings/{o}", EMPLOYER_WORK),
    ("PUT", "/api/v1/openings/{o}/status", EMPLOYER_REGISTER),
    ("POST", "/api/v1/openings/{o}/proposals", EMPLOYER_WORK),
    (
        "POST",
        "/api/v1/openings/{o}/proposals/{x}",
        EMPLOYER_REGISTER,
    ),
    ("GET", "/api/v1/placements/{pl}", EMPLOYER_WORK),
    ("POST", "/api/v1/placements/{pl}/extensions", EMPLOYER_WORK),
    ("POST", "/api/v1/placements/{pl}/end", EMPLOYER_WORK),
    ("POST", "/api/v1/employers/{e}/coaches", EMPLOYER_REGISTER),
    ("POST", "/api/v1/employers/{e}/shares", EMPLOYER_REGISTER),
    ("GET", "/api/v1/coach-trainings", EMPLOYER_WORK),
    ("POST", "/api/v1/coach-trainings", EMPLOYER_REGISTER),
    ("GET", "/api/v1/coach-trainings/{ct}", EMPLOYER_WORK),
    (
        "PUT",
        "/api/v1/coach-trainings/{ct}/attendance",
        EMPLOYER_REGISTER,
    ),
    ("POST", "/api/v1/placements/{pl}/meetings", EMPLOYER_WORK),
    // {sv}: a draft survey of the organisation; {sq}: its question (put back before each call).
    ("GET", "/surveys", SURVEYORS),
    // No title: refused (422) once access is granted.
    ("POST", "/surveys", SURVEYORS),
    ("GET", "/surveys/{sv}", SURVEYORS),
    ("POST", "/surveys/{sv}/questions", SURVEYORS),
    ("POST", "/surveys/{sv}/questions/{sq}/remove", SURVEYORS),
    // To no one: refused (422); a draft cannot be closed (422).
    ("POST", "/surveys/{sv}/send", SURVEYORS),
    ("POST", "/surveys/{sv}/close", SURVEYORS),
    ("GET", "/surveys/{sv}/results", SURVEYORS),
    ("GET", "/api/v1/surveys", SURVEYORS),
    ("POST", "/api/v1/surveys", SURVEYORS),
    ("GET", "/api/v1/surveys/{sv}", SURVEYORS),
    ("POST", "/api/v1/surveys/{sv}/questions", SURVEYORS),
    ("DELETE", "/api/v1/surveys/{sv}/questions/{sq}", SURVEYORS),
    ("POST", "/api/v1/surveys/{sv}/send", SURVEYORS),
    ("POST", "/api/v1/surveys/{sv}/close", SURVEYORS),
    ("GET", "/api/v1/surveys/{sv}/results", SURVEYORS),
    // /survey/{token} needs no login: the employer's own link is the authority (tests/it/surveys.rs).
    ("GET", "/calendar", ALL),
    ("GET", "/calendar.ics", ALL),
    ("POST", "/calendar/feed", ALL),
    // /ical/{token} needs no login by design (calendar apps cannot log in): tests/it/dropin.rs.
    // /setup/{token} and /password/{token} need no login: their one-time token is the
    // authority (tests/it/auth.rs, tests/it/security.rs).
    ("GET", "/admin/orgs", USER_ADMINS),
    ("POST", "/admin/orgs", USER_ADMINS),
    ("GET", "/admin/users", USER_ADMINS),
    ("POST", "/admin/users", USER_ADMINS),
    ("POST", "/admin/users/{u}/unlock", USER_ADMINS),
    ("GET", "/admin/webhooks", USER_ADMINS),
    // No events ticked: refused (422) once access is granted.
    ("POST", "/admin/webhooks", USER_ADMINS),
    ("GET", "/audit", AUDIT_READERS),
    ("GET", "/account/tokens", ALL),
    ("POST", "/account/tokens", ALL),
    ("GET", "/api/v1/me", ALL),
    ("GET", "/api/v1/projects", ALL),
    ("POST", "/api/v1/projects", PROJECT_ADMIN),
    ("GET", "/api/v1/projects/{code}", ALL),
    ("GET", "/api/v1/projects/{code}/reports/esf", ALL),
    ("GET", "/api/v1/participants", STAFF_WITH_PERSONAL_DATA),
    ("POST", "/api/v1/participants", CASEWORK),
    ("GET", "/api/v1/participants/{x}", STAFF_WITH_PERSONAL_DATA),
    ("POST", "/api/v1/participants/{x}/exit", CASEWORK),
    ("GET", "/api/v1/participants/{x}/data", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/plan",
        STAFF_WITH_PERSONAL_DATA,
    ),
    (
        "GET",
        "/api/v1/participants/{x}/notes",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/notes", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/contacts",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/contacts", CASEWORK),
    (
        "GET",
        "/api/v1/participants/{x}/referred-by",
        STAFF_WITH_PERSONAL_DATA,
    ),
    ("POST", "/api/v1/participants/{x}/referred-by", CASEWORK),
    ("POST", "/api/v1/participants/{x}/goals", CASEWORK),
    ("POST", "/api/v1/participants/{x}/goals/{g}/steps", CASEWORK),
    ("POST", "/api/v1/participants/{x}/consents", CASEWORK),
    ("POST", "/api/v1/participants/{x}/follow-up", CASEWORK),
    ("GET", "/api/v1/services", ALL),
    ("POST", "/api/v1/services", CATALOGUE_EDITORS),
    ("GET", "/api/v1/services/{s}", ALL),
    ("POST", "/api/v1/services/{s}/sessions", CATALOGUE_EDITORS),
    ("POST", "/api/v1/services/{s}/enrolments", CATALOGUE_EDITORS),
    (
        "POST",
        "/api/v1/services/{s}/enrolments/{x}/cancel",
        CASEWORK,
    ),
    ("POST", "/api/v1/services/{s}/approval", CASEWORK),
    (
        "GET",
        "/api/v1/services/{s}/sessions/{ss}/attendance",
        CATALOGUE_EDITORS,
    ),
    (
        "PUT",
        "/api/v1/services/{s}/sessions/{ss}/attendance",
        CATALOGUE_EDITORS,
    ),
    ("GET", "/api/v1/dropin", ALL),
    ("POST", "/api/v1/dropin", CATALOGUE_EDITORS),
    ("GET", "/api/v1/dropin/{d}", ALL),
    ("PUT", "/api/v1/dropin/{d}/hours", CATALOGUE_EDITORS),
    ("POST", "/api/v1/dropin/{d}/shifts", CATALOGUE_EDITORS),
    ("POST", "/api/v1/dropin/{d}/shifts/{sh}/take", SHIFT_TAKERS),
    (
        "POST",
        "/api/v1/dropin/{d}/shifts/{sh}/release",
        SHIFT_TAKERS,
    ),
    ("POST", "/api/v1/dropin/{d}/visits", CASEWORK),
    ("GET", "/api/v1/calendar", ALL),
    ("GET", "/api/v1/users", USER_ADMINS),
    ("POST", "/api/v1/users", USER_ADMINS),
    ("POST", "/api/v1/users/{u}/unlock", USER_ADMINS),
    ("GET", "/api/v1/organisations", USER_ADMINS),
    ("POST", "/api/v1/organisations", USER_ADMINS),
    ("PUT", "/api/v1/projects/{code}", PROJECT_ADMIN),
    (
        "POST",
        "/api/v1/projects/{code}/target-groups",
        PROJECT_ADMIN,
    ),
    ("POST", "/api/v1/projects/{code}/partners", PROJECT_ADMIN),
    // Erasure without a reason is refused (422) once access is granted: nothing is erased here.
    ("POST", "/api/v1/participants/{x}/erase", PROJECT_ADMIN),
    // Last: it changes state. A token can only be revoked by its owner.
    ("POST", "/account/tokens/{t}/revoke", ADMIN),
];
