//! Retention per kind of data, as data: [`RETENTION`] names every kind of data Vangnet keeps
//! about clients and about access to them, with its period, from when the period runs, its
//! source and whether it is an assumption (`aanname`), and [`past_retention`] decides whether
//! one client's record may be deleted on a given day. Pure: "today" is passed in.
//!
//! # What the seeds say, and what is assumed
//!
//! Neither the seeds (`/work/shared/seeds`) nor DOMAIN.md set a retention period for any of
//! this data, so **every period here is an `aanname`** for the region to confirm. What the
//! table leans on:
//!
//! - The **client record** (facts, the person, what is derived from them) is Wmo data of a
//!   centrumgemeente's coordination point. The Wmo 2015 itself sets no period; for a
//!   gemeente the Archiefwet and its selectielijst apply, which was not consulted. The
//!   periods of the WGBO (art. 7:454 lid 3 BW) and the Jeugdwet (art. 7.3.8) — 20 years since
//!   2020 — are for a hulpverlener's or jeugdhulpaanbieder's own dossier, which Vangnet is
//!   not. Kept at the 15 years Vangnet used before (the region's choice until confirmed),
//!   counted from the client's **last fact** (its latest effective date) and only for a
//!   client whose case is closed (refused or out of care).
//! - The **person record** (BSN, name, date of birth), the **idempotency receipts** and the
//!   **client-level projections** (state, deadlines, waiting list, occupancy) go with the
//!   record: they are deleted in the same transaction as its facts.
//! - The **monitor's counts** are anonymous aggregates (no client id, published only after
//!   small-number suppression): kept. A deleted client's share of them is kept in a protected
//!   archive so that a rebuild from the remaining facts gives the same figures.
//! - The **access log** (NEN 7513) keeps its own period, from the moment a row is written,
//!   also for the rows about a deleted client: 5 years, the minimum the ministerial decree
//!   sets for zorgaanbieders (NEN 7513 §8.5 itself: at least 2 years), applied by analogy.

#[cfg(doc)]
use crate::state::ClientState;
use crate::state::Phase;
use crate::{ClientId, Date};

/// How long a kind of data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// This many years after the moment named in [`RetentionRule::from`].
    Years(u32),
    /// As long as the client record of [`RetentionRule::follows`]; deleted with it.
    WithRecord,
    /// No period: not personal data (anonymous counts).
    Kept,
}

impl Period {
    /// The period in Dutch ("15 jaar", "met het cliëntdossier", "onbeperkt").
    pub fn label(self) -> String {
        match self {
            Period::Years(y) => format!("{y} jaar"),
            Period::WithRecord => "met het cliëntdossier".to_owned(),
            Period::Kept => "onbeperkt".to_owned(),
        }
    }
}

/// One kind of data with its retention period (see [`RETENTION`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRule {
    /// Stable key.
    pub kind: &'static str,
    /// What it is, in Dutch.
    pub label: &'static str,
    /// Where Vangnet keeps it (tables), for the operator.
    pub tables: &'static str,
    /// How long.
    pub period: Period,
    /// From when the period runs (empty for [`Period::WithRecord`] and [`Period::Kept`]).
    pub from: &'static str,
    /// The source of the period.
    pub source: &'static str,
    /// `true`: not set by the seeds or DOMAIN.md, an assumption (`aanname`) to be confirmed.
    pub assumption: bool,
}

impl RetentionRule {
    /// The period in years, when it is one.
    pub fn years(&self) -> Option<u32> {
        match self.period {
            Period::Years(y) => Some(y),
            _ => None,
        }
    }

    /// The first day that is still within the period when it is `today`: data whose period
    /// started before this day is past it. `None` unless the period is in years.
    pub fn cutoff(&self, today: Date) -> Option<Date> {
        self.years()
            .map(|y| today.add_months(-12 * i32::try_from(y).unwrap_or(i32::MAX / 12)))
    }
}

/// Key of the client record's rule (facts and idempotency receipts).
pub const CLIENT_RECORD: &str = "clientdossier";
/// Key of the access log's rule.
pub const ACCESS_LOG: &str = "toegangslog";

/// The retention periods per kind of data (see the module documentation for the sources).
pub const RETENTION: &[RetentionRule] = &[
    RetentionRule {
        kind: CLIENT_RECORD,
        label: "Cliëntgegevens: gebeurtenissen (aanmelding, besluiten, zorg), idempotentiebewijzen en besluitbrieven",
        tables: "events, commands, letters",
        period: Period::Years(15),
        from: "de laatste gebeurtenis (ingangsdatum), alleen na afwijzing of uitstroom",
        source: "Geen termijn in de seeds of DOMAIN.md. De Wmo 2015 noemt geen termijn; voor de \
                 gemeente gelden de Archiefwet en de selectielijst (niet geraadpleegd). WGBO \
                 (art. 7:454 lid 3 BW) en Jeugdwet (art. 7.3.8): 20 jaar voor het dossier van \
                 een hulpverlener of jeugdhulpaanbieder, wat Vangnet niet is. Keuze van de regio: \
                 15 jaar, vast te stellen",
        assumption: true,
    },
    RetentionRule {
        kind: "persoon",
        label: "Persoonsgegevens (BSN, naam, geboortedatum)",
        tables: "persons",
        period: Period::WithRecord,
        from: "",
        source: "Volgt het cliëntdossier: zonder gebeurtenissen geen reden om iemand te kennen \
                 (AVG art. 5 lid 1 onder e, opslagbeperking)",
        assumption: true,
    },
    RetentionRule {
        kind: "projecties",
        label: "Afgeleide cliëntgegevens (stand, termijnen, wachtlijst, bezetting)",
        tables: "client_state, deadlines, waitlist, occupancy",
        period: Period::WithRecord,
        from: "",
        source: "Afgeleid uit de gebeurtenissen; gaat mee met het cliëntdossier",
        assumption: true,
    },
    RetentionRule {
        kind: "monitor",
        label: "Monitortellingen (anoniem, per maand)",
        tables: "monitor, monitor_archive",
        period: Period::Kept,
        from: "",
        source: "Geen persoonsgegevens: tellingen zonder cliëntnummer, gepubliceerd alleen met \
                 onderdrukking van kleine aantallen. Het aandeel van een verwijderde cliënt blijft \
                 in het monitorarchief, zodat herbouwen dezelfde cijfers geeft",
        assumption: true,
    },
    RetentionRule {
        kind: ACCESS_LOG,
        label: "Toegangslog (NEN 7513), ook de rijen over verwijderde cliënten",
        tables: "access_log, access_anchor",
        period: Period::Years(5),
        from: "het schrijven van de logregel",
        source: "Besluit van de Minister voor Medische Zorg van 27 juni 2019, Stcrt. 2019, 38007 \
                 (ten minste 5 jaar; NEN 7513 §8.5: minimaal 2 jaar). Geldt voor zorgaanbieders; \
                 voor Vangnet (Wmo) naar analogie toegepast",
        assumption: true,
    },
];

/// The retention rule of `kind`.
pub fn retention(kind: &str) -> Option<&'static RetentionRule> {
    RETENTION.iter().find(|r| r.kind == kind)
}

/// The client record's rule.
pub fn client_record() -> &'static RetentionRule {
    retention(CLIENT_RECORD).expect("the client record has a rule")
}

/// Whether client `client`, in `phase` ([`ClientState::phase`]) and whose latest fact is
/// effective on `last_fact`, is past the client record's retention period on `today`: the
/// case is closed (refused or out of care) and the last fact lies before the cutoff. `Err`
/// says why not, in Dutch.
pub fn past_retention(
    client: ClientId,
    phase: Phase,
    last_fact: Date,
    today: Date,
) -> Result<(), String> {
    let rule = client_record();
    let cutoff = rule
        .cutoff(today)
        .expect("the client record's period is in years");
    if !matches!(phase, Phase::Afgewezen | Phase::Uitgestroomd) {
        return Err(format!(
            "cliënt {client} is niet over de bewaartermijn: de casus is niet afgesloten (fase {})",
            phase.key()
        ));
    }
    if last_fact >= cutoff {
        return Err(format!(
            "cliënt {client} is niet over de bewaartermijn: laatste gebeurtenis {last_fact}, de termijn ({}) loopt tot gebeurtenissen vóór {cutoff}",
            rule.period.label()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn periods_are_data_with_sources() {
        let log = retention(ACCESS_LOG).unwrap();
        assert!(log.years().unwrap() >= 5 && log.source.contains("Stcrt. 2019, 38007"));
        assert_eq!(client_record().years(), Some(15));
        for r in RETENTION {
            assert!(!r.source.is_empty() && !r.label.is_empty() && !r.tables.is_empty());
            // Nothing in the seeds or DOMAIN.md sets a period: every rule says so.
            assert!(r.assumption, "{}", r.kind);
            assert_eq!(r.from.is_empty(), r.years().is_none(), "{}", r.kind);
        }
        // Every client table is covered by some rule.
        for t in [
            "events",
            "commands",
            "letters",
            "persons",
            "client_state",
            "deadlines",
            "waitlist",
            "occupancy",
            "monitor",
            "access_log",
        ] {
            assert!(
                RETENTION
                    .iter()
                    .any(|r| r.tables.split(", ").any(|x| x == t)),
                "{t}"
            );
        }
    }

    #[test]
    fn cutoff_counts_back_whole_years() {
        assert_eq!(
            client_record().cutoff(d("2026-12-03")),
            Some(d("2011-12-03"))
        );
        assert_eq!(
            retention(ACCESS_LOG).unwrap().cutoff(d("2024-02-29")),
            Some(d("2019-02-28"))
        );
        assert_eq!(retention("monitor").unwrap().cutoff(d("2026-12-03")), None);
    }

    #[test]
    fn only_closed_cases_past_the_period() {
        let today = d("2026-12-03");
        assert!(past_retention(ClientId(7), Phase::Afgewezen, d("2011-12-02"), today).is_ok());
        assert!(past_retention(ClientId(7), Phase::Uitgestroomd, d("2005-01-01"), today).is_ok());
        let e = past_retention(ClientId(7), Phase::Afgewezen, d("2011-12-03"), today).unwrap_err();
        assert!(e.contains("laatste gebeurtenis 2011-12-03"), "{e}");
        for p in [
            Phase::Aangemeld,
            Phase::Toegewezen,
            Phase::Wachtend,
            Phase::InZorg,
        ] {
            let e = past_retention(ClientId(7), p, d("2001-01-01"), today).unwrap_err();
            assert!(e.contains("niet afgesloten"), "{e}");
        }
    }
}
