//! What the generator draws from: municipalities by weight, outcomes, education, names
//! (Finnish and Swedish), guidance contact summaries, and the draws over them.

use polku_domain::special::SpecialCategories;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Municipalities weighted roughly by the number of job seekers.
pub(super) const MUNICIPALITIES: &[(&str, u32)] = &[
    ("091", 30),
    ("049", 12),
    ("092", 10),
    ("837", 10),
    ("853", 9),
    ("564", 8),
    ("179", 6),
    ("734", 3),
    ("444", 2),
    ("638", 2),
    ("927", 1),
    ("224", 1),
    ("078", 1),
    ("710", 1),
];
pub(super) const EXITS: &[(&str, u32)] = &[
    ("employed_open", 33),
    ("employed_subsidised", 11),
    ("education", 14),
    ("outside_labour_force", 5),
    ("job_searching", 19),
    ("unemployed", 18),
];
pub(super) const EDUCATION: &[(&str, u32)] = &[
    ("isced_0_2", 20),
    ("isced_3", 40),
    ("isced_4", 8),
    ("isced_5", 8),
    ("isced_6", 14),
    ("isced_7", 9),
    ("isced_8", 1),
];
// Names and guidance texts, most common first: picked with Zipf-like skew, so a search for a
// common surname finds many and a rare one few, as in a real register.
pub(super) const SURNAMES: &[&str] = &[
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
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
    "Savolainen",
    "Lahtinen",
    "Ahonen",
    "Kärkkäinen",
    "Hiltunen",
    "Lindqvist",
    "Nyström",
    "Lindroos",
    "Holmström",
    "Eriksson",
    "Granström",
    "Sjöberg",
    "Backman",
    "Ahola",
    "Kettunen",
    "Pesonen",
    "Hirvonen",
    "Mustonen",
];
pub(super) const FIRST_MEN: &[&str] = &[
    "Juha", "Timo", "Matti", "Kari", "Mikko", "Jari", "Antti", "Jukka", "Mika", "Markku", "Pekka",
    "Hannu", "Heikki", "Seppo", "Janne", "Ari", "Sami", "Petri", "Ville", "Esa",
];
pub(super) const FIRST_WOMEN: &[&str] = &[
    "Anne", "Tuula", "Päivi", "Anna", "Leena", "Katja", "Pirjo", "Sari", "Minna", "Marja",
    "Riitta", "Tiina", "Merja", "Sanna", "Eija", "Kaisa", "Maija", "Hanna", "Outi", "Johanna",
];
pub(super) const FIRST_SV: &[&str] = &["Erik", "Johan", "Karin", "Anna-Lena", "Mikael", "Kristina"];
pub(crate) const NOTES_FI: &[&str] = &[
    "Päivitettiin ansioluettelo ja käytiin läpi avoimia työpaikkoja.",
    "Harjoiteltiin työhaastattelua logistiikka-alan tehtävään.",
    "Keskusteltiin palkkatuesta ja työkokeilun mahdollisuuksista.",
    "Laadittiin työhakemus varastotyöntekijän paikkaan.",
    "Selvitettiin koulutusvaihtoehtoja sosiaali- ja terveysalalla.",
    "Sovittiin työkokeilusta kaupan alalla.",
    "Käytiin läpi osaamiskartoitus ja vahvuudet.",
    "Ohjattiin digitaitojen kurssille.",
    "Keskusteltiin jaksamisesta; ohjattiin työkykykoordinaattorille.",
    "Tutustuttiin rekrytointitapahtuman työnantajiin.",
    "Haettiin oppisopimuskoulutusta kiinteistöhuoltoon.",
    "Sovittiin kuntoutusselvityksestä Kelan kanssa.",
    "Selvitettiin yrittäjyyttä ja starttirahaa.",
    "Keskusteltiin suomen kielen opinnoista.",
];
pub(super) const NOTES_SV: &[&str] = &[
    "Vi uppdaterade meritförteckningen och gick igenom lediga jobb.",
    "Övade inför en anställningsintervju inom logistik.",
    "Diskuterade lönesubvention och arbetsprövning.",
    "Skrev en arbetsansökan till ett lagerjobb.",
    "Utredde utbildningsalternativ inom social- och hälsovården.",
    "Gick igenom kompetenskartläggningen och styrkorna.",
];
/// Swedish-speaking municipalities' share of Swedish-speaking participants, roughly.
pub(super) const SWEDISH_IN: &[(&str, f64)] =
    &[("710", 0.65), ("078", 0.5), ("091", 0.05), ("049", 0.07)];

/// Answers at plausible shares (about one in eight with partial work ability), from a
/// generator of their own so the rest of the data stays as it was.
pub(super) fn special_answers(id: i64) -> SpecialCategories {
    use polku_domain::participant::Sensitive::{NotAsked, Refused, Yes};
    let mut rng = StdRng::seed_from_u64(0x05be_c1a1_u64 ^ id as u64);
    let mut answer = |yes: f64| match rng.gen_range(0.0..1.0) {
        x if x < yes => Yes,
        x if x < yes + 0.05 => Refused,
        _ => polku_domain::participant::Sensitive::No,
    };
    SpecialCategories {
        disability: answer(0.12),
        foreign_background: answer(0.08),
        third_country_national: answer(0.04),
        minority: NotAsked,
        homeless: answer(0.02),
    }
}

pub(super) fn pick<'a>(rng: &mut StdRng, table: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total);
    for (v, w) in table {
        if r < *w {
            return v;
        }
        r -= w;
    }
    table[0].0
}

/// One of `items`, the first ones most likely (weights 1/(rank+1)).
pub(super) fn zipf<'a>(rng: &mut StdRng, items: &'a [&'a str]) -> &'a str {
    let total: f64 = (1..=items.len()).map(|r| 1.0 / r as f64).sum();
    let mut x = rng.gen_range(0.0..total);
    for (r, item) in items.iter().enumerate() {
        x -= 1.0 / (r + 1) as f64;
        if x <= 0.0 {
            return item;
        }
    }
    items[0]
}
