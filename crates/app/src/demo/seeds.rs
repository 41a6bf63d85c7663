//! The five seed projects as data: organisations, partners, target groups, budgets, outcome
//! shares, and the name lists synthetic participants are drawn from.

use polku_domain::eligibility::Rules;
use polku_domain::participant::{Education, ExitStatus, LabourStatus};

pub(super) struct Group {
    pub(super) name: &'static str,
    pub(super) rules: Rules,
    pub(super) min_age: i32,
    pub(super) max_age: i32,
}

pub(super) struct Seed {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) owner: (&'static str, Option<&'static str>, &'static str),
    pub(super) partners: &'static [(&'static str, Option<&'static str>, &'static str)],
    pub(super) start: &'static str,
    pub(super) end: &'static str,
    pub(super) authority: &'static str,
    pub(super) municipalities: &'static str,
    pub(super) target_participants: &'static str,
    pub(super) target_companies: &'static str,
    pub(super) budget: &'static str,
    pub(super) granted: &'static str,
    pub(super) realised: &'static str,
    pub(super) participants: usize,
    pub(super) groups: Vec<Group>,
    /// Exit outcomes as (status, count) to reproduce the seed's reported shares.
    pub(super) outcomes: Vec<(ExitStatus, usize)>,
    pub(super) staff_slug: &'static str,
    pub(super) education: &'static [Education],
}

pub(super) const FUNDING_LINE: &str = "3. Työllisyys ja työvoiman liikkuvuus";
pub(super) const OBJECTIVE: &str =
    "6.1. Nuorten ja muiden heikossa työmarkkina-asemassa olevien työllistymisen edistäminen";

pub(super) fn rules(f: impl FnOnce(&mut Rules)) -> Rules {
    let mut r = Rules::default();
    f(&mut r);
    r
}

pub(super) fn seeds() -> Vec<Seed> {
    use Education::{
        Bachelor, Basic, Doctoral, Master, PostSecondary, ShortTertiary, UpperSecondary,
    };
    use ExitStatus::{
        EmployedOpen, EmployedSubsidised, JobSearching, OutsideLabourForce, SelfEmployed,
        Unemployed, Unknown,
    };
    vec![
        Seed {
            code: "S20363",
            name: "AURA",
            owner: (
                "Itä-Uudenmaan koulutuskuntayhtymä",
                Some("0210838-1"),
                "college",
            ),
            partners: &[
                ("Espoon kaupunki", None, "municipality"),
                ("Vantaan kaupunki", None, "municipality"),
            ],
            start: "1.9.2015",
            end: "31.12.2017",
            authority: "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "092,049",
            target_participants: "255",
            target_companies: "26",
            budget: "373016",
            granted: "279762",
            realised: "327883",
            participants: 244,
            groups: vec![
                Group {
                    name: "Yli 54-vuotiaat työttömäksi jääneet",
                    rules: rules(|r| {
                        r.min_age = Some(55);
                        r.municipalities = vec!["049".into(), "092".into()];
                    }),
                    min_age: 55,
                    max_age: 63,
                },
                Group {
                    name: "50–54-vuotiaat työttömäksi jääneet",
                    rules: rules(|r| {
                        r.min_age = Some(50);
                        r.max_age = Some(54);
                        r.municipalities = vec!["049".into(), "092".into()];
                    }),
                    min_age: 50,
                    max_age: 54,
                },
            ],
            // 58 % employed, started vocational training or a business (142 of 244).
            outcomes: vec![
                (EmployedOpen, 80),
                (EmployedSubsidised, 12),
                (SelfEmployed, 10),
                (ExitStatus::Education, 40),
                (JobSearching, 52),
                (OutsideLabourForce, 20),
                (Unemployed, 30),
            ],
            staff_slug: "aura",
            education: &[
                Basic,
                UpperSecondary,
                UpperSecondary,
                PostSecondary,
                ShortTertiary,
                Bachelor,
            ],
        },
        Seed {
            code: "S20364",
            name: "TEHDAS – tehtaillaan työtä ja yrittäjyyttä",
            owner: ("Länsi-Uudenmaan koulutuskuntayhtymä", None, "college"),
            partners: &[],
            start: "1.8.2015",
            end: "30.6.2017",
            authority: "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "444,927,224,078",
            target_participants: "300",
            target_companies: "",
            budget: "849238",
            granted: "",
            realised: "",
            participants: 304,
            groups: vec![Group {
                name: "Yli 45-vuotiaat työnhakijat",
                rules: rules(|r| {
                    r.min_age = Some(45);
                    r.municipalities = vec!["444".into(), "927".into(), "224".into(), "078".into()];
                }),
                min_age: 45,
                max_age: 63,
            }],
            outcomes: vec![
                (EmployedOpen, 90),
                (SelfEmployed, 14),
                (ExitStatus::Education, 50),
                (JobSearching, 80),
                (OutsideLabourForce, 20),
                (Unemployed, 40),
                (Unknown, 10),
            ],
            staff_slug: "tehdas",
            education: &[
                Basic,
                UpperSecondary,
                UpperSecondary,
                PostSecondary,
                Bachelor,
            ],
        },
        Seed {
            code: "S20494",
            name: "Töitä! Osaaminen käyttöön",
            owner: ("Turun yliopisto", Some("0245896-3"), "college"),
            partners: &[
                ("Tampereen kaupunki", None, "municipality"),
                ("Turun kaupunki", None, "municipality"),
            ],
            start: "1.11.2015",
            end: "30.4.2018",
            authority: "Hämeen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "853,837",
            target_participants: "268",
            target_companies: "58",
            budget: "680344",
            granted: "491641",
            realised: "639608",
            participants: 268,
            groups: vec![Group {
                name: "Työttömät korkeakoulutetut työnhakijat",
                rules: rules(|r| {
                    r.min_education = Some(5);
                    r.labour_statuses = vec![LabourStatus::Unemployed];
                    r.municipalities = vec!["853".into(), "837".into()];
                }),
                min_age: 25,
                max_age: 62,
            }],
            outcomes: vec![
                (EmployedOpen, 110),
                (SelfEmployed, 15),
                (ExitStatus::Education, 30),
                (JobSearching, 70),
                (Unemployed, 35),
                (Unknown, 8),
            ],
            staff_slug: "toita",
            education: &[ShortTertiary, Bachelor, Bachelor, Master, Master, Doctoral],
        },
        Seed {
            code: "S21358",
            name: "VOIMA",
            owner: ("Salon kaupunki", Some("0139533-1"), "municipality"),
            partners: &[
                ("Varsinais-Suomen TE-toimisto", None, "te_office"),
                ("Kela, Salon toimisto", None, "kela"),
                ("Salon seudun ammattiopisto", None, "college"),
                ("Yrityssalo Oy", None, "company"),
            ],
            start: "3.9.2018",
            end: "31.12.2020",
            authority: "Keski-Suomen elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "734",
            target_participants: "275",
            target_companies: "50",
            budget: "562165",
            granted: "420875",
            realised: "562165",
            participants: 257,
            groups: vec![Group {
                name: "Vähintään 200 päivää työmarkkinatukea saaneet salolaiset",
                rules: rules(|r| {
                    r.min_subsidy_days = Some(200);
                    r.municipalities = vec!["734".into()];
                }),
                min_age: 30,
                max_age: 63,
            }],
            // Seed: 44 % employed, 14.5 % education, 4.5 % outside labour force, 19 % job seeking, 18 % unemployed (n = 257).
            outcomes: vec![
                (EmployedOpen, 85),
                (EmployedSubsidised, 28),
                (ExitStatus::Education, 37),
                (OutsideLabourForce, 12),
                (JobSearching, 49),
                (Unemployed, 46),
            ],
            staff_slug: "voima",
            education: &[Basic, Basic, UpperSecondary, UpperSecondary, PostSecondary],
        },
        Seed {
            code: "KOPA-2011",
            name: "KoPa – Koulutuksella palkkatyöhön",
            owner: ("Asumispalvelusäätiö ASPA", None, "ngo"),
            partners: &[("Uudenmaan TE-toimisto", None, "te_office")],
            start: "1.1.2011",
            end: "31.12.2011",
            authority: "Uudenmaan elinkeino-, liikenne- ja ympäristökeskus",
            municipalities: "091",
            target_participants: "11",
            target_companies: "15",
            budget: "",
            granted: "",
            realised: "",
            participants: 11,
            groups: vec![Group {
                name: "Osatyökykyiset, sosiaali- ja terveysalan tausta",
                rules: rules(|r| {
                    r.requires_partial_work_ability = true;
                }),
                min_age: 35,
                max_age: 57,
            }],
            outcomes: vec![
                (EmployedSubsidised, 3),
                (EmployedOpen, 1),
                (ExitStatus::Education, 2),
                (JobSearching, 3),
                (Unemployed, 2),
            ],
            staff_slug: "kopa",
            education: &[UpperSecondary, PostSecondary],
        },
    ]
}

pub(super) const FIRST_F: &[&str] = &[
    "Anneli", "Tuula", "Pirjo", "Marja", "Riitta", "Leena", "Sari", "Päivi", "Kaija", "Eija",
    "Sirpa", "Helena", "Åsa", "Birgitta",
];
pub(super) const FIRST_M: &[&str] = &[
    "Juha", "Timo", "Matti", "Kari", "Mikko", "Jari", "Pekka", "Antti", "Markku", "Heikki",
    "Seppo", "Jukka", "Göran", "Mats",
];
pub(super) const LAST: &[&str] = &[
    "Korhonen",
    "Virtanen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Öhman",
    "Lindqvist",
    "Kärkkäinen",
];
