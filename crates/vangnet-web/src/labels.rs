//! Dutch labels and formatting for screens: numbers, dates, the event vocabulary's enums,
//! organisations, masked BSNs, one-line event summaries, and where a region fact comes from
//! ([`herkomst`]: its source, or an "aanname" badge with the reason).

use maud::{Markup, html};
use vangnet_domain::events::{Advies, Leveringsvorm, Melder, Urgentie, Wijziging, Woonsituatie};
use vangnet_domain::region::{AccessModel, Herkomst};
use vangnet_domain::{Bsn, ClientEvent, Date, Organisation, RegionProfile, Regions};

pub use vangnet_publish::names::{bestemming, thousands};

/// A date as written in Dutch: `12-03-2024`.
pub fn date(d: Date) -> String {
    d.nl().to_string()
}

/// A BSN with all but the last three digits masked: `******123`.
pub fn masked_bsn(bsn: Bsn) -> String {
    let digits = bsn.digits();
    let keep = digits.len().saturating_sub(3);
    format!("{}{}", "*".repeat(keep), &digits[keep..])
}

/// Who applied.
pub fn melder(m: Melder) -> &'static str {
    match m {
        Melder::Zelf => "de persoon zelf",
        Melder::Wijkteam => "wijkteam / sociaal loket",
        Melder::Huisarts => "huisarts",
        Melder::Zorgaanbieder => "zorgaanbieder",
        Melder::Politie => "politie",
        Melder::Meldpunt => "meldpunt zorg en overlast",
        Melder::Wvggz => "Wvggz-melding",
        Melder::Overig => "overig",
    }
}

/// Living situation.
pub fn woonsituatie(w: Woonsituatie) -> &'static str {
    match w {
        Woonsituatie::Dakloos => "dakloos",
        Woonsituatie::DreigendDakloos => "dreigend dakloos",
        Woonsituatie::Thuis => "thuis",
        Woonsituatie::Kliniek => "in een kliniek",
        Woonsituatie::Detentie => "in detentie",
        Woonsituatie::Wlz => "in een Wlz-instelling",
        Woonsituatie::AndereRegio => "in zorg in een andere regio",
        Woonsituatie::Overig => "overig",
    }
}

/// Urgency.
pub fn urgentie(u: Urgentie) -> &'static str {
    match u {
        Urgentie::Regulier => "regulier",
        Urgentie::Urgent => "urgent",
        Urgentie::Crisis => "crisis",
    }
}

/// ZIN or PGB.
pub fn leveringsvorm(l: Leveringsvorm) -> &'static str {
    match l {
        Leveringsvorm::Zin => "zorg in natura (ZIN)",
        Leveringsvorm::Pgb => "persoonsgebonden budget (pgb)",
    }
}

/// The assessor's advice.
pub fn advies(a: Advies) -> &'static str {
    match a {
        Advies::Toewijzen => "toewijzen",
        Advies::Afwijzen => "afwijzen",
        Advies::Doorverwijzen => "doorverwijzen",
    }
}

/// How the front door is organised.
pub fn access_model(m: AccessModel) -> &'static str {
    match m {
        AccessModel::Centraal => {
            "centraal: één regionale toegang beoordeelt en besluit voor alle gemeenten"
        }
        AccessModel::Gezamenlijk => {
            "gezamenlijk: de lokale toegang beoordeelt samen met regionale deskundigen; de regio besluit"
        }
        AccessModel::Hybride => {
            "hybride: het lokale loket indiceert, een regionaal expertteam is achterwacht"
        }
        AccessModel::Lokaal => "lokaal: elke gemeente besluit voor de eigen inwoners",
    }
}

/// Where a region fact comes from, for screens: the source in small text, or an "aanname"
/// badge (the reason as its title) followed by the reason in small text. Every screen that
/// shows a profile fact shows this next to it, so nobody mistakes an assumption for the
/// region's rule.
pub fn herkomst(h: &Herkomst) -> Markup {
    match h {
        Herkomst::Bron(b) => html! { span.klein.herkomst { "Bron: " (source_words(b)) } },
        Herkomst::Aanname(a) => {
            let a = source_words(a);
            html! {
                span.klein.herkomst {
                    abbr.label.label-onbekend title=(a) { "aanname" } " " (a)
                }
            }
        }
    }
}

/// The same as text, for tables that are also downloaded and for tooltips:
/// `bron: …` or `aanname: …`.
pub fn herkomst_tekst(h: &Herkomst) -> String {
    source_words(&h.beschrijving())
}

/// The policy documents behind the region profiles and the agreed actions
/// (`../shared/seeds/`), by the number a profile cites them with (`seed 001 §3.1`), and their
/// titles as a reader knows them.
pub const SOURCE_DOCUMENTS: [(&str, &str); 5] = [
    (
        "000",
        "Evaluatie van het beleidsplan \u{2018}Samen Dichtbij\u{2019} (Rijk van Nijmegen en Rivierenland)",
    ),
    (
        "001",
        "Transformatieplan \u{2018}Samen aan zet!\u{2019} (Centraal Gelderland, 2019)",
    ),
    (
        "002",
        "Uitvoeringsplan \u{2018}beschermd wonen, beschermd thuis\u{2019} van Duiven en Westervoort (januari 2024)",
    ),
    (
        "003",
        "Regiovisie beschermd wonen en maatschappelijke opvang (2020 en verder), Meierij en Bommelerwaard",
    ),
    (
        "004",
        "Transformatieagenda beschermd wonen en maatschappelijke opvang, Drechtsteden en Alblasserwaard-Vijfheerenlanden",
    ),
];

/// The reference files a profile cites (`../shared/reference/`), in words; longer names
/// first, so `reference/regions-notes.md` is replaced before `regions-notes.md`.
const REFERENCE_FILES: [(&str, &str); 8] = [
    (
        "reference/regions-notes.md",
        "toelichting bij de regio-indeling",
    ),
    ("reference/regions.csv", "regio-indeling (referentielijst)"),
    (
        "reference/finance.md",
        "financieringsoverzicht (referentie)",
    ),
    (
        "centrumgemeenten-notes.md",
        "toelichting bij de centrumgemeenten",
    ),
    ("regions-notes.md", "toelichting bij de regio-indeling"),
    ("regions.csv", "regio-indeling (referentielijst)"),
    ("region_id ", "regio "),
    ("drechtsteden-av", "Drechtsteden/AV"),
];

/// `text` with every citation of a seed file (`seed 001`, `Seed 002`, `seed 001_81d6….txt`)
/// replaced by the document's title and `§` by "paragraaf", reference files in words and
/// ISO dates as dd-mm-jjjj, so no file name or code reaches the screen
/// ("seed 001 §3.1" → "Transformatieplan ‘Samen aan zet!’ (…) paragraaf 3.1").
pub fn source_words(text: &str) -> String {
    let mut text = text.to_owned();
    for (file, words) in REFERENCE_FILES {
        if text.contains(file) {
            text = text.replace(file, words);
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text.as_str();
    while let Some(i) = rest.find("eed 0").filter(|i| *i > 0) {
        let s_char = &rest[i - 1..i];
        let number = rest.get(i + 4..i + 7).unwrap_or("");
        let title = SOURCE_DOCUMENTS
            .iter()
            .find(|(n, _)| *n == number)
            .map(|(_, t)| *t)
            .filter(|_| s_char.eq_ignore_ascii_case("s"));
        match title {
            Some(title) => {
                out.push_str(&rest[..i - 1]);
                out.push_str(title);
                let mut tail = &rest[i + 7..];
                // The file name's hash and extension (`_81d6ca9954efb168.txt`).
                if let Some(t) = tail.strip_prefix('_') {
                    let end = t.find(".txt").map_or(0, |e| e + ".txt".len());
                    tail = &t[end..];
                }
                // The 003 sources repeat the document's title after the file name.
                if let Some(t) = tail.strip_prefix(
                    ", Regiovisie beschermd wonen en maatschappelijke opvang (2020 en verder)",
                ) {
                    tail = t;
                }
                rest = tail;
            }
            None => {
                out.push_str(&rest[..i + 4]);
                rest = &rest[i + 4..];
            }
        }
    }
    out.push_str(rest);
    iso_dates_in_dutch(&out.replace("§§", "paragrafen ").replace('§', "paragraaf "))
}

/// `text` with every ISO date (`2025-01-01`) written as a Dutch reader does (`01-01-2025`).
fn iso_dates_in_dutch(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i + 10 <= b.len() {
        let candidate = &b[i..i + 10];
        let shape = candidate.iter().enumerate().all(|(k, c)| {
            if k == 4 || k == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
        let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        if shape
            && bounded
            && let Ok(d) = Date::parse(&text[i..i + 10])
        {
            out.push_str(&text[copied..i]);
            out.push_str(&d.nl().to_string());
            i += 10;
            copied = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// An organisation by name, looked up in the regions where possible.
pub fn organisation(regions: &Regions, o: &Organisation) -> String {
    match o {
        Organisation::Regio(r) => regions
            .get(r)
            .map_or_else(|| format!("Regio {r}"), |p| p.name.clone()),
        Organisation::Gemeente(g) => {
            let name = regions
                .all()
                .iter()
                .find_map(|p| p.gemeente(*g).map(|m| m.name.clone()))
                .or_else(|| {
                    vangnet_domain::gemeenten::Gemeenten::national()
                        .get(*g)
                        .map(|x| x.name.clone())
                })
                .unwrap_or_else(|| g.to_string());
            format!("Gemeente {name}")
        }
        Organisation::Aanbieder(a) => regions
            .all()
            .iter()
            .find_map(|p| p.provider(*a).map(|x| x.name.clone()))
            .unwrap_or_else(|| format!("Zorgaanbieder {a}")),
        Organisation::Corporatie(c) => c.clone(),
        Organisation::Vangnet => "Vangnet (coördinatiepunt)".to_owned(),
    }
}

/// An access-log action key (`lezen`, `toegangslog_lezen`, …) in words; an unknown key with
/// its underscores as spaces (no code words on screen).
pub fn access_action(key: &str) -> std::borrow::Cow<'_, str> {
    let label = match key {
        "lezen" => "dossier ingezien",
        "lezen_wonen" => "woongegevens ingezien",
        "aanmaken" => "dossier aangemaakt",
        "schrijven" => "gegevens vastgelegd",
        "weigering" => "vastleggen geweigerd door een regel (niets opgeslagen)",
        "feit_vastleggen" => "feit vastleggen (recht per feit)",
        "bulk" => "verwerkt in bulk",
        "import" => "import",
        "export" => "export",
        "herbouwen" => "projecties herbouwd",
        "personen_registreren" => "personen geregistreerd",
        "toegangslog_lezen" => "toegangslog gelezen",
        "toegangslog_controleren" => "toegangslog gecontroleerd",
        "toegangslog_anker" => "anker van het toegangslog gezet",
        "toegangslog_opschonen" => "toegangslog opgeschoond (bewaartermijn)",
        "inzage_toegangslog" => "inzageoverzicht voor de cliënt opgesteld",
        "bewaartermijn_clienten" => "cliëntgegevens na bewaartermijn verwijderd",
        "beheer" => "gebruikersbeheer",
        other => return std::borrow::Cow::Owned(other.replace('_', " ")),
    };
    std::borrow::Cow::Borrowed(label)
}

fn product(profile: Option<&RegionProfile>, code: &vangnet_domain::ProductCode) -> String {
    vangnet_publish::names::product(profile, code.as_str())
}

fn location(profile: Option<&RegionProfile>, id: &vangnet_domain::LocationId) -> String {
    vangnet_publish::names::location(profile, id.as_str())
}

/// A one-line Dutch summary of an event's content, for the history table.
pub fn event_summary(profile: Option<&RegionProfile>, e: &ClientEvent) -> String {
    let gemeente = |g: Option<vangnet_domain::GemeenteCode>| match g {
        Some(g) => profile.map_or_else(
            || g.to_string(),
            |p| vangnet_publish::names::gemeente_name(p, &g.to_string()),
        ),
        None => "niet ingeschreven".to_owned(),
    };
    match e {
        ClientEvent::Aanmelding {
            regio,
            melder: m,
            herkomst_gemeente,
            woonsituatie: w,
            urgentie: u,
            ..
        } => format!(
            "{}; gemeld door {}; herkomst {}; woonsituatie {}; urgentie {}",
            profile
                .filter(|p| &p.id == regio)
                .map_or_else(|| format!("regio {regio}"), |p| p.name.clone()),
            melder(*m),
            gemeente(*herkomst_gemeente),
            woonsituatie(*w),
            urgentie(*u)
        ),
        ClientEvent::Beoordeling {
            doelgroep,
            advies: a,
            ..
        } => {
            format!(
                "advies: {}{}",
                advies(*a),
                doelgroep
                    .as_ref()
                    .map(|d| format!("; doelgroep {d}"))
                    .unwrap_or_default()
            )
        }
        ClientEvent::Toewijzing {
            product: p,
            start,
            einde,
            leveringsvorm: l,
            ..
        } => {
            format!(
                "{} van {} t/m {}; {}",
                product(profile, p),
                date(*start),
                date(*einde),
                leveringsvorm(*l)
            )
        }
        ClientEvent::Afwijzing { reden, casusregie } => {
            format!("reden: {reden}; casusregie: {casusregie}")
        }
        ClientEvent::Bezwaar { reden } => format!("gronden: {reden}"),
        ClientEvent::WachtlijstIn {
            product: p,
            prioriteit,
        } => format!(
            "{}; prioriteit {}",
            product(profile, p),
            self::prioriteit(*prioriteit)
        ),
        ClientEvent::WachtlijstUit { reden } => format!("reden: {reden}"),
        ClientEvent::StartZorg {
            product: p,
            locatie,
            overbezetting,
        } => match overbezetting {
            None => format!("{} bij {}", product(profile, p), location(profile, locatie)),
            Some(r) => format!(
                "{} bij {} — overbezetting: {r}",
                product(profile, p),
                location(profile, locatie)
            ),
        },
        ClientEvent::Wijziging(w) => match w {
            Wijziging::Verlenging { nieuw_einde } => {
                format!("verlenging tot {}", date(*nieuw_einde))
            }
            Wijziging::Opschalen { product: p, .. } => {
                format!("opschalen naar {}", product(profile, p))
            }
            Wijziging::Afschalen { product: p, .. } => {
                format!("afschalen naar {}", product(profile, p))
            }
            Wijziging::Doorstroom {
                product: p,
                locatie,
            } => format!(
                "doorstroom naar {} bij {}",
                product(profile, p),
                location(profile, locatie)
            ),
        },
        ClientEvent::EindeZorg { bestemming: b, .. } => format!("bestemming: {}", bestemming(*b)),
        ClientEvent::MoOvernachting {
            product: p,
            locatie,
            nachten,
        } => {
            format!(
                "{nachten} {} {} in {}",
                if *nachten == 1 { "nacht" } else { "nachten" },
                product(profile, p),
                location(profile, locatie)
            )
        }
        ClientEvent::WlzOvergang => "overgang naar de Wet langdurige zorg".to_owned(),
        ClientEvent::BrpInschrijving {
            vanaf,
            gemeente: g,
            instelling,
            briefadres,
        } => format!(
            "vanaf {}: {} in {}{}",
            date(*vanaf),
            if *briefadres {
                "briefadres (geen woonadres)"
            } else {
                "woonadres"
            },
            gemeente(*g),
            if *instelling {
                " (aangewezen instelling)"
            } else {
                ""
            }
        ),
        ClientEvent::EerdereZorg {
            soort,
            gemeente: g,
            einde,
            bron,
        } => format!(
            "{} in {} tot en met {} (bekend via: {})",
            match soort {
                vangnet_domain::events::EerdereZorgSoort::BeschermdWonen => "beschermd wonen",
                vangnet_domain::events::EerdereZorgSoort::JeugdhulpMetVerblijf => {
                    "jeugdhulp met verblijf"
                }
            },
            gemeente(Some(*g)),
            date(*einde),
            vangnet_domain::woonplaats::kennisbron_label(*bron)
        ),
        ClientEvent::WoonplaatsBepaald {
            gemeente: g,
            berekend,
            afwijking,
            ..
        } => match afwijking {
            Some(r) if g != berekend => format!(
                "verantwoordelijk: {} (berekend: {}; reden van afwijken: {r})",
                gemeente(Some(*g)),
                gemeente(Some(*berekend))
            ),
            _ => format!("verantwoordelijk: {}", gemeente(Some(*g))),
        },
        ClientEvent::Woningzoekend { bij } => format!("ingeschreven bij {bij}"),
        ClientEvent::Uitstroomklaar => "klaar om uit te stromen; wacht op een woning".to_owned(),
        ClientEvent::Voorkeur {
            gemeenten,
            toelichting,
        } => {
            let names: Vec<String> = gemeenten.iter().map(|g| gemeente(Some(*g))).collect();
            if toelichting.trim().is_empty() {
                format!("voorkeur: {}", names.join(", "))
            } else {
                format!("voorkeur: {} ({toelichting})", names.join(", "))
            }
        }
        ClientEvent::Correctie {
            corrigeert,
            vervanging,
            reden,
        } => {
            format!(
                "corrigeert versie {corrigeert} ({}): {}; reden: {reden}",
                vervanging.label(),
                event_summary(profile, vervanging)
            )
        }
        ClientEvent::Intrekking { trekt_in, reden } => {
            format!("trekt versie {trekt_in} in; reden: {reden}")
        }
        ClientEvent::VerzoekToewijzing {
            aanbieder,
            product: p,
            start,
            einde,
            reden,
        } => format!(
            "aanbieder {} vraagt {} vanaf {}{}; reden: {reden}",
            profile
                .and_then(|p| p.provider(*aanbieder))
                .map_or_else(|| aanbieder.to_string(), |p| p.name.clone()),
            product(profile, p),
            date(*start),
            einde.map_or_else(String::new, |e| format!(" tot en met {}", date(e)))
        ),
        ClientEvent::VerzoekWijziging {
            aanbieder,
            wijziging,
            reden,
        } => format!(
            "aanbieder {} vraagt: {}; reden: {reden}",
            profile
                .and_then(|p| p.provider(*aanbieder))
                .map_or_else(|| aanbieder.to_string(), |p| p.name.clone()),
            event_summary(profile, &ClientEvent::Wijziging(wijziging.clone()))
        ),
        ClientEvent::VerzoekAntwoord {
            verzoek,
            uitkomst,
            toelichting,
        } => format!(
            "verzoek (versie {verzoek}): {}{}",
            match uitkomst {
                vangnet_domain::events::VerzoekUitkomst::Toegekend => "toegekend",
                vangnet_domain::events::VerzoekUitkomst::Afgewezen => "afgewezen",
                vangnet_domain::events::VerzoekUitkomst::InOnderzoek => "in onderzoek",
            },
            if toelichting.trim().is_empty() {
                String::new()
            } else {
                format!("; {toelichting}")
            }
        ),
        ClientEvent::Voorstel {
            locatie,
            product: p,
            geldig_tot,
        } => format!(
            "voorgesteld voor {} bij {}; plaats gereserveerd tot en met {}",
            product(profile, p),
            location(profile, locatie),
            date(*geldig_tot)
        ),
        ClientEvent::VoorstelAntwoord {
            voorstel,
            akkoord,
            reden,
        } => {
            if *akkoord {
                format!("aanbieder neemt voorstel (versie {voorstel}) aan")
            } else {
                format!("aanbieder wijst voorstel (versie {voorstel}) af; reden: {reden}")
            }
        }
        ClientEvent::TijdelijkVerblijf {
            product: p,
            locatie,
            nachten,
        } => format!(
            "{} bij {}, {nachten} {}",
            product(profile, p),
            location(profile, locatie),
            if *nachten == 1 { "nacht" } else { "nachten" }
        ),
        ClientEvent::Doorverwijzing { reden } => {
            format!("doorverwezen naar het regionale team; reden: {reden}")
        }
        ClientEvent::AdviesGevraagd { vraag } => format!("vraag: {vraag}"),
        ClientEvent::AdviesGegeven { vraag, advies } => {
            format!("advies op vraag (versie {vraag}): {advies}")
        }
        ClientEvent::MoTraject { toelichting } => {
            format!("individueel begeleidingstraject gestart: {toelichting}")
        }
        ClientEvent::Woonbehoefte(w) => format!(
            "{}{}, {}; voorkeur: {}{}{}",
            w.woningtype.label(),
            if w.prikkelarm { " (prikkelarm)" } else { "" },
            w.route.label(),
            w.gemeenten
                .iter()
                .map(|g| gemeente(Some(*g)))
                .collect::<Vec<_>>()
                .join(", "),
            if w.ambulante_begeleiding {
                "; met ambulante begeleiding"
            } else {
                ""
            },
            w.verwacht_klaar
                .map(|d| format!("; verwacht uitstroomklaar {}", d.nl()))
                .unwrap_or_default()
        ),
        ClientEvent::UrgentieAanvraag { gemeente: g } => {
            format!("urgentie aangevraagd bij {}", gemeente(Some(*g)))
        }
        ClientEvent::UrgentieBesluit {
            aanvraag,
            toegekend,
            toelichting,
        } => format!(
            "urgentie (aanvraag versie {aanvraag}) {}{}",
            if *toegekend { "toegekend" } else { "afgewezen" },
            if toelichting.is_empty() {
                String::new()
            } else {
                format!("; {toelichting}")
            }
        ),
        ClientEvent::Woningaanbod {
            corporatie,
            gemeente: gemeente_code,
            woningtype,
            route,
            reageren_voor,
        } => format!(
            "{} in {} van {}, {}; reageren vóór {}",
            woningtype.label(),
            gemeente(Some(*gemeente_code)),
            profile
                .and_then(|p| p.corporatie(corporatie))
                .map_or(corporatie.as_str(), |c| c.naam.as_str()),
            route.label(),
            reageren_voor.nl()
        ),
        ClientEvent::AanbodAntwoord {
            aanbod,
            akkoord,
            reden,
        } => {
            if *akkoord {
                format!("woningaanbod (versie {aanbod}) aanvaard")
            } else {
                format!("woningaanbod (versie {aanbod}) geweigerd; reden: {reden}")
            }
        }
        ClientEvent::Huurovereenkomst {
            aanbod,
            ingangsdatum,
        } => format!(
            "huurovereenkomst getekend (aanbod versie {aanbod}), ingang {}",
            ingangsdatum.nl()
        ),
        ClientEvent::Verhuizing { aanbod } => {
            format!("verhuisd naar de woning van aanbod versie {aanbod}")
        }
    }
}

// ---- feat/werklijst (issue 12): one set of priority labels ----

/// Priority on the waiting list (`wachtlijst_in`'s `prioriteit`: 0, 1 or
/// [`vangnet_domain::state::MAX_PRIORITEIT`]), the one label every screen uses.
pub fn prioriteit(p: u8) -> &'static str {
    match p {
        0 => "regulier",
        1 => "urgent",
        _ => "crisis",
    }
}

/// The priority choices for a form: (value, label), regular first.
pub fn prioriteit_keuzes() -> Vec<(String, String)> {
    (0..=vangnet_domain::state::MAX_PRIORITEIT)
        .map(|p| (p.to_string(), prioriteit(p).to_owned()))
        .collect()
}

/// A priority as a badge: urgent and crisis stand out, regular does not.
pub fn prioriteit_badge(p: u8) -> Markup {
    html! {
        @if p == 0 {
            span.prioriteit { (prioriteit(p)) }
        } @else {
            span.label.label-fout.prioriteit { (prioriteit(p)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_number_and_date_formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1141), "1.141");
        assert_eq!(thousands(1_234_567), "1.234.567");
        assert_eq!(date(Date::parse("2024-03-07").unwrap()), "07-03-2024");
    }

    #[test]
    fn bsn_shows_only_last_three_digits() {
        let bsn = Bsn::with_check_digit(91_234_567).unwrap();
        let m = masked_bsn(bsn);
        assert_eq!(m.len(), 9);
        assert!(m.starts_with("******"));
        assert_eq!(&m[6..], &bsn.digits()[6..]);
    }

    #[test]
    fn herkomst_shows_the_source_or_an_aanname_badge_with_the_reason() {
        let b = herkomst(&Herkomst::Bron("seed 001 §3.3".into())).into_string();
        assert!(
            b.contains("Bron: Transformatieplan \u{2018}Samen aan zet!\u{2019} (Centraal Gelderland, 2019) paragraaf 3.3"),
            "{b}"
        );
        assert!(!b.contains("aanname"), "{b}");
        let a = herkomst(&Herkomst::Aanname("demo-waarde <fictief>".into())).into_string();
        assert!(a.contains(">aanname</abbr>"), "{a}");
        assert!(a.contains("title=\"demo-waarde &lt;fictief&gt;\""), "{a}");
        assert_eq!(herkomst_tekst(&Herkomst::Aanname("x".into())), "aanname: x");
    }

    #[test]
    fn access_models_say_who_indicates() {
        assert!(access_model(AccessModel::Hybride).contains("lokale loket indiceert"));
        assert!(access_model(AccessModel::Hybride).contains("achterwacht"));
        assert!(access_model(AccessModel::Gezamenlijk).contains("regio besluit"));
    }

    #[test]
    fn one_priority_label_for_each_value() {
        assert_eq!(
            prioriteit_keuzes(),
            vec![
                ("0".to_owned(), "regulier".to_owned()),
                ("1".to_owned(), "urgent".to_owned()),
                ("2".to_owned(), "crisis".to_owned()),
            ]
        );
        assert!(prioriteit_badge(1).into_string().contains("label-fout"));
    }
}

#[cfg(test)]
mod source_tests {
    use super::source_words;

    #[test]
    fn seed_file_names_become_document_titles() {
        assert_eq!(
            source_words("seed 001 §3.1"),
            "Transformatieplan \u{2018}Samen aan zet!\u{2019} (Centraal Gelderland, 2019) paragraaf 3.1"
        );
        assert_eq!(
            source_words("seed 000_74878d9276aeb8ca.txt, appendix A; zie ook Seed 004 §§7.2"),
            "Evaluatie van het beleidsplan \u{2018}Samen Dichtbij\u{2019} (Rijk van Nijmegen en Rivierenland), appendix A; zie ook Transformatieagenda beschermd wonen en maatschappelijke opvang, Drechtsteden en Alblasserwaard-Vijfheerenlanden paragrafen 7.2"
        );
        assert_eq!(source_words("seed 9 is geen bron"), "seed 9 is geen bron");
        assert_eq!(source_words("Wmo 2015 art. 2.3.2"), "Wmo 2015 art. 2.3.2");
        assert_eq!(
            source_words(
                "reference/regions.csv (region_id meierij-bommelerwaard); regions-notes.md punt 2"
            ),
            "regio-indeling (referentielijst) (regio meierij-bommelerwaard); toelichting bij de regio-indeling punt 2"
        );
        assert_eq!(
            source_words(
                "De ingangsdatum 2025-01-01 is een aanname; 2025-13-01 en 12025-01-01 niet."
            ),
            "De ingangsdatum 01-01-2025 is een aanname; 2025-13-01 en 12025-01-01 niet."
        );
    }
}
