//! Limits at the edge (issue 11, findings 2 and 9): every date that enters a fact lies
//! within 1900-01-01 … today + 10 years, an overnachting is not in the future, names and
//! free text have a maximum length and carry no control characters or bidi overrides.
//! **Planned facts** (issue 12): a fact dated after today is *planned* — recorded now, in
//! force only from its date ([`crate::state::fold_stream_as_of`]). Only what a team plans
//! may be dated ahead ([`may_be_planned`]): a start zorg (a placement from a date), a
//! wijziging (verlenging, op-/afschalen, doorstroom), an einde zorg and an overgang naar de
//! Wlz. Not: an aanmelding, beoordeling or besluit (a decision is dated the day it is
//! taken; the allocation's `start` and `einde` fields may lie ahead), a bezwaar, a
//! wachtlijst entry or exit, an overnachting (a night is recorded after it was slept), a
//! BRP registration, a woonplaats determination, eerdere zorg, woningzoekend,
//! uitstroomklaar or a voorkeur (facts established, not planned), nor an intrekking; a
//! correctie follows the fact it carries. Refused with `feit.toekomst` (an overnachting:
//! `mo_overnachting.toekomst`). "Today" is the civil date in Europe/Amsterdam
//! ([`crate::clock::today_in_amsterdam`]): a fact dated tomorrow is planned until 00:00
//! Dutch time, not UTC.
//!
//! Pure: "today" is passed in (the store passes `vangnet_store::time::today()`); every
//! refusal is a [`RuleError`] with a stable code and a Dutch message.

use crate::date::Date;
use crate::events::{ClientEvent, Wijziging};
use crate::person::Person;
use crate::state::RuleError;

/// The earliest date a fact may carry.
pub const EARLIEST_YEAR: i32 = 1900;
/// How many years after today a fact's date may lie (an allocation's end, a review date).
pub const YEARS_AHEAD: i32 = 10;
/// Maximum length of a name (voornaam, achternaam), in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Maximum length of free text (reasons, notes, explanations), in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The last date a fact may carry when it is recorded on `today`.
pub fn latest(today: Date) -> Date {
    today.add_months(12 * YEARS_AHEAD)
}

/// `date` (field `field`) lies within 1900-01-01 … today + 10 years.
pub fn check_date(field: &'static str, date: Date, today: Date) -> Result<(), RuleError> {
    let earliest = Date::from_ymd(EARLIEST_YEAR, 1, 1).expect("1900-01-01 is a date");
    let last = latest(today);
    if date < earliest || date > last {
        return Err(RuleError::new(
            "datum.buiten_bereik",
            field,
            format!(
                "datum {} ligt buiten het toegestane bereik {} … {}",
                date.nl(),
                earliest.nl(),
                last.nl()
            ),
        ));
    }
    Ok(())
}

/// Whether `c` may not appear in a name or free text: a control character (NUL, escape,
/// …; in free text a line break or tab is allowed) or a bidirectional override or isolate
/// (U+202A–U+202E, U+2066–U+2069), which can make text read differently than it is stored.
fn forbidden(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` (field `field`) has at most `max` characters and no forbidden characters.
pub fn check_text(
    field: &'static str,
    text: &str,
    max: usize,
    multiline: bool,
) -> Result<(), RuleError> {
    let n = text.chars().count();
    if n > max {
        return Err(RuleError::new(
            "tekst.te_lang",
            field,
            format!("tekst is {n} tekens lang; ten hoogste {max} toegestaan"),
        ));
    }
    if let Some(c) = text.chars().find(|c| forbidden(*c, multiline)) {
        return Err(RuleError::new(
            "tekst.ongeldig_teken",
            field,
            format!(
                "tekst bevat een niet-toegestaan teken (U+{:04X}: stuurteken of richtingsteken)",
                u32::from(c)
            ),
        ));
    }
    Ok(())
}

fn free_text(field: &'static str, text: &str) -> Result<(), RuleError> {
    check_text(field, text, MAX_TEXT_CHARS, true)
}

/// Check a fact recorded with effective date `effective` on `today`: every date in range,
/// an overnachting not in the future, free text within limits.
pub fn check_fact(effective: Date, event: &ClientEvent, today: Date) -> Result<(), RuleError> {
    check_date("effective", effective, today)?;
    if matches!(event, ClientEvent::MoOvernachting { .. }) && effective > today {
        return Err(RuleError::new(
            "mo_overnachting.toekomst",
            "effective",
            format!(
                "een overnachting op {} ligt in de toekomst (vandaag is {})",
                effective.nl(),
                today.nl()
            ),
        ));
    }
    if effective > today && !may_be_planned(event) {
        return Err(RuleError::new(
            "feit.toekomst",
            "effective",
            format!(
                "'{}' kan niet vooruit worden vastgelegd: {} ligt na vandaag ({}). Alleen start zorg, wijzigingen, einde zorg en overgang naar de Wlz kunnen gepland worden",
                event.label(),
                effective.nl(),
                today.nl()
            ),
        ));
    }
    match event {
        ClientEvent::Toewijzing { start, einde, .. } => {
            check_date("start", *start, today)?;
            check_date("einde", *einde, today)?;
        }
        ClientEvent::Wijziging(Wijziging::Verlenging { nieuw_einde }) => {
            check_date("nieuw_einde", *nieuw_einde, today)?;
        }
        ClientEvent::BrpInschrijving { vanaf, .. } => check_date("vanaf", *vanaf, today)?,
        ClientEvent::EerdereZorg { einde, .. } => check_date("einde", *einde, today)?,
        ClientEvent::Beoordeling {
            criteria,
            doelgroep,
            ..
        } => {
            for c in criteria {
                check_text("criteria", &c.criterium, MAX_NAME_CHARS, false)?;
            }
            if let Some(d) = doelgroep {
                check_text("doelgroep", d, MAX_NAME_CHARS, false)?;
            }
        }
        ClientEvent::Afwijzing { reden, casusregie } => {
            free_text("reden", reden)?;
            check_text("casusregie", casusregie, MAX_NAME_CHARS, false)?;
        }
        ClientEvent::Bezwaar { reden } | ClientEvent::WachtlijstUit { reden } => {
            free_text("reden", reden)?;
        }
        ClientEvent::WoonplaatsBepaald {
            afwijking, uitleg, ..
        } => {
            if let Some(a) = afwijking {
                free_text("afwijking", a)?;
            }
            if let Some(u) = uitleg {
                free_text("uitleg", u)?;
            }
        }
        ClientEvent::Woningzoekend { bij } => check_text("bij", bij, MAX_NAME_CHARS, false)?,
        ClientEvent::Voorkeur { toelichting, .. } => free_text("toelichting", toelichting)?,
        ClientEvent::Correctie {
            vervanging, reden, ..
        } => {
            free_text("reden", reden)?;
            check_fact(effective, vervanging, today)?;
        }
        ClientEvent::Intrekking { reden, .. } => free_text("reden", reden)?,
        ClientEvent::VerzoekToewijzing {
            start,
            einde,
            reden,
            ..
        } => {
            check_date("start", *start, today)?;
            if let Some(e) = einde {
                check_date("einde", *e, today)?;
            }
            free_text("reden", reden)?;
        }
        ClientEvent::VerzoekWijziging {
            wijziging, reden, ..
        } => {
            if let Wijziging::Verlenging { nieuw_einde } = wijziging {
                check_date("nieuw_einde", *nieuw_einde, today)?;
            }
            free_text("reden", reden)?;
        }
        ClientEvent::VerzoekAntwoord { toelichting, .. } => free_text("toelichting", toelichting)?,
        ClientEvent::Voorstel { geldig_tot, .. } => check_date("geldig_tot", *geldig_tot, today)?,
        ClientEvent::VoorstelAntwoord { reden, .. } => free_text("reden", reden)?,
        ClientEvent::Doorverwijzing { reden } => free_text("reden", reden)?,
        ClientEvent::AdviesGevraagd { vraag } => free_text("vraag", vraag)?,
        ClientEvent::AdviesGegeven { advies, .. } => free_text("advies", advies)?,
        ClientEvent::MoTraject { toelichting } => free_text("toelichting", toelichting)?,
        // Issue 15: the housing facts.
        ClientEvent::Woonbehoefte(w) => {
            if let Some(d) = w.verwacht_klaar {
                check_date("verwacht_klaar", d, today)?;
            }
        }
        ClientEvent::UrgentieBesluit { toelichting, .. } => free_text("toelichting", toelichting)?,
        ClientEvent::Woningaanbod {
            corporatie,
            reageren_voor,
            ..
        } => {
            check_text("corporatie", corporatie, MAX_NAME_CHARS, false)?;
            check_date("reageren_voor", *reageren_voor, today)?;
        }
        ClientEvent::AanbodAntwoord { reden, .. } => free_text("reden", reden)?,
        ClientEvent::Huurovereenkomst { ingangsdatum, .. } => {
            check_date("ingangsdatum", *ingangsdatum, today)?
        }
        ClientEvent::UrgentieAanvraag { .. } | ClientEvent::Verhuizing { .. } => {}
        ClientEvent::TijdelijkVerblijf { .. }
        | ClientEvent::Aanmelding { .. }
        | ClientEvent::WachtlijstIn { .. }
        | ClientEvent::StartZorg { .. }
        | ClientEvent::Wijziging(_)
        | ClientEvent::EindeZorg { .. }
        | ClientEvent::MoOvernachting { .. }
        | ClientEvent::WlzOvergang
        | ClientEvent::Uitstroomklaar => {}
    }
    Ok(())
}

/// Whether a fact of this kind may carry an effective date after today (a planned fact; see
/// the module doc for the decision and why). A correctie follows the fact it carries.
pub fn may_be_planned(event: &ClientEvent) -> bool {
    match event {
        ClientEvent::StartZorg { .. }
        | ClientEvent::Wijziging(_)
        | ClientEvent::EindeZorg { .. }
        | ClientEvent::WlzOvergang
        | ClientEvent::TijdelijkVerblijf { .. } => true,
        ClientEvent::Correctie { vervanging, .. } => may_be_planned(vervanging),
        ClientEvent::Aanmelding { .. }
        | ClientEvent::Beoordeling { .. }
        | ClientEvent::Toewijzing { .. }
        | ClientEvent::Afwijzing { .. }
        | ClientEvent::Bezwaar { .. }
        | ClientEvent::WachtlijstIn { .. }
        | ClientEvent::WachtlijstUit { .. }
        | ClientEvent::MoOvernachting { .. }
        | ClientEvent::BrpInschrijving { .. }
        | ClientEvent::WoonplaatsBepaald { .. }
        | ClientEvent::EerdereZorg { .. }
        | ClientEvent::Woningzoekend { .. }
        | ClientEvent::Uitstroomklaar
        | ClientEvent::Voorkeur { .. }
        | ClientEvent::VerzoekToewijzing { .. }
        | ClientEvent::VerzoekWijziging { .. }
        | ClientEvent::VerzoekAntwoord { .. }
        | ClientEvent::Voorstel { .. }
        | ClientEvent::VoorstelAntwoord { .. }
        | ClientEvent::Doorverwijzing { .. }
        | ClientEvent::AdviesGevraagd { .. }
        | ClientEvent::AdviesGegeven { .. }
        | ClientEvent::MoTraject { .. }
        | ClientEvent::Woonbehoefte(_)
        | ClientEvent::UrgentieAanvraag { .. }
        | ClientEvent::UrgentieBesluit { .. }
        | ClientEvent::Woningaanbod { .. }
        | ClientEvent::AanbodAntwoord { .. }
        | ClientEvent::Huurovereenkomst { .. }
        | ClientEvent::Verhuizing { .. }
        | ClientEvent::Intrekking { .. } => false,
    }
}

/// Whether a fact dated `effective` is planned at the instant `now`: dated after today in
/// the Netherlands (Europe/Amsterdam), so a fact dated tomorrow is planned until 00:00 Dutch
/// time.
pub fn is_planned(effective: Date, now: crate::clock::Timestamp) -> bool {
    effective > crate::clock::today_in_amsterdam(now)
}

/// Plausibility of age (issue 12): on `on` (an allocation's start) the person is within the
/// product's age band (`min_age`/`max_age` in the profile, where it has one), and born before
/// that day at all. `leeftijd.onder_minimum`, `leeftijd.boven_maximum`,
/// `leeftijd.niet_geboren`; Dutch messages with the age in years.
pub fn check_age(
    person: &Person,
    on: Date,
    product: &crate::region::Product,
) -> Result<(), RuleError> {
    if person.geboortedatum > on {
        return Err(RuleError::new(
            "leeftijd.niet_geboren",
            "geboortedatum",
            format!(
                "de geboortedatum {} ligt na de startdatum {}",
                person.geboortedatum.nl(),
                on.nl()
            ),
        ));
    }
    let age = person.age_on(on);
    if let Some(min) = product.min_age
        && age < i32::try_from(min).unwrap_or(i32::MAX)
    {
        return Err(RuleError::new(
            "leeftijd.onder_minimum",
            "geboortedatum",
            format!(
                "{} is voor {} jaar en ouder; de cliënt is op {} {age} jaar",
                product.name,
                min,
                on.nl()
            ),
        ));
    }
    if let Some(max) = product.max_age
        && age > i32::try_from(max).unwrap_or(i32::MAX)
    {
        return Err(RuleError::new(
            "leeftijd.boven_maximum",
            "geboortedatum",
            format!(
                "{} is voor mensen tot en met {} jaar; de cliënt is op {} {age} jaar",
                product.name,
                max,
                on.nl()
            ),
        ));
    }
    Ok(())
}

/// Check a person record: names within [`MAX_NAME_CHARS`] without forbidden characters, a
/// birth date from 1900 and not after today.
pub fn check_person(p: &Person, today: Date) -> Result<(), RuleError> {
    check_text("voornaam", &p.voornaam, MAX_NAME_CHARS, false)?;
    check_text("achternaam", &p.achternaam, MAX_NAME_CHARS, false)?;
    check_date("geboortedatum", p.geboortedatum, today)?;
    if p.geboortedatum > today {
        return Err(RuleError::new(
            "persoon.geboortedatum_toekomst",
            "geboortedatum",
            format!("geboortedatum {} ligt in de toekomst", p.geboortedatum.nl()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Melder, Urgentie, Woonsituatie};
    use crate::ids::{LocationId, ProductCode, RegionId};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }
    const TODAY: &str = "2026-12-03";

    fn aanmelding() -> ClientEvent {
        ClientEvent::Aanmelding {
            regio: RegionId::parse("drechtsteden").unwrap(),
            melder: Melder::Zelf,
            herkomst_gemeente: None,
            woonsituatie: Woonsituatie::Dakloos,
            urgentie: Urgentie::Regulier,
            voordeur: None,
        }
    }

    /// Issue 11, finding 2: an aanmelding and an overnachting dated 9999-12-31 are refused
    /// with a rule code; the range's ends are accepted.
    #[test]
    fn finding_2_dates_far_in_the_future_are_refused() {
        let today = d(TODAY);
        let far = d("9999-12-31");
        let e = check_fact(far, &aanmelding(), today).unwrap_err();
        assert_eq!((e.code, e.field), ("datum.buiten_bereik", "effective"));
        let night = ClientEvent::MoOvernachting {
            product: ProductCode::parse("mo-nachtopvang").unwrap(),
            locatie: LocationId::parse("x").unwrap(),
            nachten: 1,
        };
        assert_eq!(
            check_fact(far, &night, today).unwrap_err().code,
            "datum.buiten_bereik"
        );
        // Tomorrow is in range but an overnachting cannot be in the future.
        assert_eq!(
            check_fact(today.add_days(1), &night, today)
                .unwrap_err()
                .code,
            "mo_overnachting.toekomst"
        );
        assert!(check_fact(today, &night, today).is_ok());
        assert!(check_fact(d("1900-01-01"), &aanmelding(), today).is_ok());
        assert!(check_fact(d("1899-12-31"), &aanmelding(), today).is_err());
        // The range's far end, with a fact that may be planned (issue 12: an aanmelding
        // cannot be dated ahead at all).
        let einde = ClientEvent::EindeZorg {
            bestemming: crate::events::Bestemming::HousingFirst,
            woning: None,
        };
        assert!(check_fact(d("2036-12-03"), &einde, today).is_ok());
        assert_eq!(
            check_fact(d("2036-12-04"), &einde, today).unwrap_err().code,
            "datum.buiten_bereik"
        );
        assert_eq!(
            check_fact(d("2036-12-03"), &aanmelding(), today)
                .unwrap_err()
                .code,
            "feit.toekomst"
        );
        // Dates inside a fact: an allocation ending in 9999, an extension to 9999.
        let t = ClientEvent::Toewijzing {
            product: ProductCode::parse("bw").unwrap(),
            start: today,
            einde: far,
            leveringsvorm: crate::events::Leveringsvorm::Zin,
            aanbieder: None,
        };
        assert_eq!(check_fact(today, &t, today).unwrap_err().field, "einde");
        let v = ClientEvent::Wijziging(Wijziging::Verlenging { nieuw_einde: far });
        assert_eq!(
            check_fact(today, &v, today).unwrap_err().field,
            "nieuw_einde"
        );
        // … also when hidden in a correction.
        let c = ClientEvent::Correctie {
            corrigeert: 2,
            vervanging: Box::new(v),
            reden: "r".into(),
        };
        assert_eq!(
            check_fact(today, &c, today).unwrap_err().field,
            "nieuw_einde"
        );
    }

    /// Issue 11, finding 9: a 1.9 MB name, NUL and U+202E are refused.
    #[test]
    fn finding_9_huge_names_nul_and_bidi_overrides_are_refused() {
        let today = d(TODAY);
        let p = |voornaam: &str| Person {
            bsn: crate::ids::Bsn::with_check_digit(90_000_001).unwrap(),
            voornaam: voornaam.into(),
            achternaam: "Jansen".into(),
            geboortedatum: d("1990-04-01"),
            synthetic: true,
        };
        assert!(check_person(&p("Anna"), today).is_ok());
        assert!(check_person(&p("Ayşe"), today).is_ok());
        let huge = "a".repeat(1_900_000);
        assert_eq!(
            check_person(&p(&huge), today).unwrap_err().code,
            "tekst.te_lang"
        );
        assert!(check_person(&p(&"é".repeat(MAX_NAME_CHARS)), today).is_ok());
        assert!(check_person(&p(&"é".repeat(MAX_NAME_CHARS + 1)), today).is_err());
        for bad in [
            "An\u{0}na",
            "Anna\u{202E}nosnaJ",
            "\u{2066}x",
            "a\nb",
            "a\u{1b}[31m",
        ] {
            assert_eq!(
                check_person(&p(bad), today).unwrap_err().code,
                "tekst.ongeldig_teken",
                "{bad:?}"
            );
        }
        // Free text allows line breaks but not NUL or overrides, and has its own length.
        let bezwaar = |r: &str| ClientEvent::Bezwaar { reden: r.into() };
        assert!(check_fact(today, &bezwaar("regel 1\nregel 2"), today).is_ok());
        assert!(check_fact(today, &bezwaar("x\u{0}"), today).is_err());
        assert!(check_fact(today, &bezwaar("x\u{202E}"), today).is_err());
        assert!(check_fact(today, &bezwaar(&"x".repeat(MAX_TEXT_CHARS)), today).is_ok());
        assert_eq!(
            check_fact(today, &bezwaar(&"x".repeat(MAX_TEXT_CHARS + 1)), today)
                .unwrap_err()
                .code,
            "tekst.te_lang"
        );
        // A birth date in the future or before 1900.
        let mut q = p("Anna");
        q.geboortedatum = today.add_days(1);
        assert!(check_person(&q, today).is_err());
        q.geboortedatum = d("1850-01-01");
        assert!(check_person(&q, today).is_err());
    }

    /// Issue 12: which facts may be planned (dated after today), refused with a stable code
    /// and a Dutch message otherwise; a correctie follows the fact it carries.
    #[test]
    fn only_planned_kinds_may_be_dated_after_today() {
        let today = d(TODAY);
        let tomorrow = today.add_days(1);
        let einde = ClientEvent::EindeZorg {
            bestemming: crate::events::Bestemming::HousingFirst,
            woning: None,
        };
        let start = ClientEvent::StartZorg {
            product: ProductCode::parse("bw").unwrap(),
            locatie: LocationId::parse("x").unwrap(),
            overbezetting: None,
        };
        for e in [&einde, &start, &ClientEvent::WlzOvergang] {
            assert!(may_be_planned(e), "{}", e.kind());
            assert!(check_fact(tomorrow, e, today).is_ok(), "{}", e.kind());
        }
        let beoordeling = ClientEvent::Bezwaar { reden: "x".into() };
        for e in [&aanmelding(), &beoordeling, &ClientEvent::Uitstroomklaar] {
            assert!(!may_be_planned(e), "{}", e.kind());
            let err = check_fact(tomorrow, e, today).unwrap_err();
            assert_eq!((err.code, err.field), ("feit.toekomst", "effective"));
            assert!(
                err.message.contains("kan niet vooruit worden vastgelegd"),
                "{}",
                err.message
            );
            assert!(check_fact(today, e, today).is_ok(), "{}", e.kind());
        }
        let besluit = ClientEvent::Toewijzing {
            product: ProductCode::parse("bw").unwrap(),
            start: tomorrow,
            einde: tomorrow.add_days(90),
            leveringsvorm: crate::events::Leveringsvorm::Zin,
            aanbieder: None,
        };
        // A decision is dated the day it is taken; its allocation may start and end later.
        assert!(check_fact(today, &besluit, today).is_ok());
        assert_eq!(
            check_fact(tomorrow, &besluit, today).unwrap_err().code,
            "feit.toekomst"
        );
        let fix = |e: &ClientEvent| ClientEvent::Correctie {
            corrigeert: 3,
            vervanging: Box::new(e.clone()),
            reden: "datum".into(),
        };
        assert!(check_fact(tomorrow, &fix(&einde), today).is_ok());
        assert_eq!(
            check_fact(tomorrow, &fix(&besluit), today)
                .unwrap_err()
                .code,
            "feit.toekomst"
        );
    }

    /// Issue 12: a fact dated tomorrow is planned until 00:00 Dutch time, not UTC — in
    /// winter (UTC+1) and summer (UTC+2).
    #[test]
    fn a_fact_dated_tomorrow_is_planned_until_midnight_in_amsterdam() {
        let ts = |s: &str| s.parse::<crate::clock::Timestamp>().unwrap();
        // Winter: 2026-12-04 00:00 in Amsterdam is 2026-12-03 23:00 UTC.
        let tomorrow = d("2026-12-04");
        assert!(is_planned(tomorrow, ts("2026-12-03T22:59:59Z")));
        assert!(!is_planned(tomorrow, ts("2026-12-03T23:00:00Z")));
        // At 23:30 UTC the UTC date is still the 3rd, but in Amsterdam it is the 4th.
        assert!(!is_planned(tomorrow, ts("2026-12-03T23:30:00Z")));
        // Summer: 2027-07-01 00:00 in Amsterdam is 2027-06-30 22:00 UTC.
        let july = d("2027-07-01");
        assert!(is_planned(july, ts("2027-06-30T21:59:59Z")));
        assert!(!is_planned(july, ts("2027-06-30T22:00:00Z")));
    }

    /// Issue 12: plausibility of age against a product's band; never a negative age.
    #[test]
    fn age_within_the_products_band() {
        let regions = crate::region::Regions::builtin();
        let mb = regions
            .get(&RegionId::parse("meierij-bommelerwaard").unwrap())
            .unwrap();
        let band = mb
            .products
            .iter()
            .find(|p| p.min_age == Some(18) && p.max_age == Some(24))
            .expect("a product for 18–24");
        let person = |born: &str| Person {
            bsn: crate::ids::Bsn::with_check_digit(90_000_001).unwrap(),
            voornaam: "Anna".into(),
            achternaam: "Jansen".into(),
            geboortedatum: d(born),
            synthetic: true,
        };
        let on = d("2026-12-03");
        assert!(check_age(&person("2008-12-03"), on, band).is_ok());
        assert!(check_age(&person("2002-12-04"), on, band).is_ok());
        let e = check_age(&person("2008-12-04"), on, band).unwrap_err();
        assert_eq!(
            (e.code, e.field),
            ("leeftijd.onder_minimum", "geboortedatum")
        );
        assert!(e.message.contains("17 jaar"), "{}", e.message);
        let e = check_age(&person("2001-12-03"), on, band).unwrap_err();
        assert_eq!(e.code, "leeftijd.boven_maximum");
        assert!(
            e.message.contains("24 jaar") && e.message.contains("25 jaar"),
            "{}",
            e.message
        );
        let e = check_age(&person("2030-01-01"), on, band).unwrap_err();
        assert_eq!(e.code, "leeftijd.niet_geboren");
        assert!(
            !e.message.contains("jaar"),
            "no age in years: {}",
            e.message
        );
    }
}
