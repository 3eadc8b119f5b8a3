//! The counting conventions the definitions page states (issue 10 §5, "definitions a recount
//! can follow"), each pinned on a small stream folded by the registry's rules and counted by
//! `vangnet_domain::monitor::contributions` — the same path as append, import and rebuild —
//! and, where a published figure depends on it, on the monitor section that shows it.

use vangnet_domain::events::{
    Bestemming, Leveringsvorm, Melder, Urgentie, Wijziging, Woonsituatie,
};
use vangnet_domain::monitor::{Measure, contributions};
use vangnet_domain::state::{StreamEntry, fold_stream_observed};
use vangnet_domain::{
    AgbCode, ClientEvent, ClientId, Date, GemeenteCode, LocationId, Maand, ProductCode, RegionId,
    Regions,
};
use vangnet_publish::monitor::{
    CellCount, DAGEN_PER_MAAND, DEFINITIES, Data, Filters, Indeling, Monitor, Soort, TELREGELS,
    Val, kwantiel,
};

const REGIO: &str = "centraal-gelderland";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn pc(s: &str) -> ProductCode {
    ProductCode::parse(s).unwrap()
}

fn aanmelding(herkomst: &str) -> ClientEvent {
    ClientEvent::Aanmelding {
        regio: RegionId::parse(REGIO).unwrap(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(GemeenteCode::parse(herkomst).unwrap()),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    }
}

fn toewijzing(product: &str, start: &str) -> ClientEvent {
    ClientEvent::Toewijzing {
        product: pc(product),
        start: d(start),
        einde: d(start).add_months(24),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: Some(AgbCode::parse("98000101").unwrap()),
    }
}

fn start(product: &str) -> ClientEvent {
    ClientEvent::StartZorg {
        product: pc(product),
        locatie: LocationId::parse("rijnbeschut-arnhem-centrum").unwrap(),
        overbezetting: None,
    }
}

fn wachtlijst(product: &str) -> ClientEvent {
    ClientEvent::WachtlijstIn {
        product: pc(product),
        prioriteit: 0,
    }
}

/// Every monitor cell of one client's stream (effective date, fact), summed.
fn cells(events: &[(&str, ClientEvent)]) -> Vec<(vangnet_domain::monitor::CellRow, i64)> {
    let regions = Regions::builtin();
    let stream: Vec<StreamEntry<'_>> = events
        .iter()
        .enumerate()
        .map(|(i, (on, e))| StreamEntry {
            version: i as u32 + 1,
            effective: d(on),
            event: e,
        })
        .collect();
    let mut out: Vec<(vangnet_domain::monitor::CellRow, i64)> = Vec::new();
    fold_stream_observed(
        ClientId::parse("P1").unwrap(),
        &stream,
        &regions,
        &mut |before, on, fact, after| {
            contributions(&regions, before, on, fact, after, &mut |c, n| {
                let row = c.row(&regions);
                match out.iter_mut().find(|(r, _)| *r == row) {
                    Some((_, m)) => *m += n,
                    None => out.push((row, n)),
                }
            });
        },
    )
    .expect("a valid stream");
    out.retain(|(_, n)| *n != 0);
    out
}

/// The month-end stock of `measure` in `maand` (running sum of the net flows).
fn stock(cells: &[(vangnet_domain::monitor::CellRow, i64)], measure: Measure, maand: &str) -> i64 {
    let m = Maand::parse(maand).unwrap().key();
    cells
        .iter()
        .filter(|(r, _)| r.measure == measure.key() && r.maand <= m)
        .map(|(_, n)| n)
        .sum()
}

fn monitor_data(cells: &[(vangnet_domain::monitor::CellRow, i64)]) -> Data {
    let regions = Regions::builtin();
    let p = regions.get(&RegionId::parse(REGIO).unwrap()).unwrap();
    Data::from_cells(
        p,
        cells.iter().map(|(r, n)| CellCount {
            measure: Measure::parse(r.measure).unwrap(),
            maand: r.maand,
            product: &r.product,
            gemeente: &r.gemeente,
            locatie: &r.locatie,
            extra: r.extra,
            n: *n,
        }),
    )
}

fn filters(van: &str, tot: &str) -> Filters {
    Filters {
        gemeente: None,
        product: None,
        aanbieder: None,
        van: Maand::parse(van).unwrap(),
        tot: Maand::parse(tot).unwrap(),
        soort: Soort::Herkomst,
        indeling: Indeling::Product,
    }
}

fn all_text() -> String {
    DEFINITIES
        .iter()
        .flat_map(|d| d.tekst.iter())
        .chain(TELREGELS.iter().map(|(_, t)| t))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// Waiting longer than the norm at a month end counts from the day the norm (8 weeks = 56
/// days) is full: 56 days at the month end counts, 55 does not. A start of care after exactly
/// 56 days on the list counts as *within* the norm. Both stated on the page.
#[test]
fn the_norm_boundary_at_month_end_and_at_the_start() {
    // On the list from 2025-01-04: 31 January is day 27, 28 February day 55, 1 March day 56.
    let c = cells(&[
        ("2024-12-20", aanmelding("GM0202")),
        ("2025-01-02", toewijzing("bw-beschermd-wonen", "2025-01-02")),
        ("2025-01-04", wachtlijst("bw-beschermd-wonen")),
    ]);
    assert_eq!(stock(&c, Measure::Wachtend, "2025-02"), 1);
    assert_eq!(d("2025-01-04").days_until(d("2025-02-28")), 55);
    assert_eq!(
        stock(&c, Measure::WachtendBovenNorm, "2025-02"),
        0,
        "55 days"
    );
    // On the list from 2025-01-03: 28 February is exactly day 56.
    let c = cells(&[
        ("2024-12-20", aanmelding("GM0202")),
        ("2025-01-02", toewijzing("bw-beschermd-wonen", "2025-01-02")),
        ("2025-01-03", wachtlijst("bw-beschermd-wonen")),
    ]);
    assert_eq!(
        stock(&c, Measure::WachtendBovenNorm, "2025-02"),
        1,
        "56 days"
    );
    // Started after exactly 56 days: within the norm.
    let mut c = c;
    c.extend(cells(&[
        ("2024-12-20", aanmelding("GM0202")),
        ("2025-01-02", toewijzing("bw-beschermd-wonen", "2025-01-02")),
        ("2025-01-03", wachtlijst("bw-beschermd-wonen")),
        ("2025-02-28", start("bw-beschermd-wonen")),
    ]));
    let wachttijd: Vec<u32> = c
        .iter()
        .filter(|(r, _)| r.measure == Measure::Wachttijd.key())
        .map(|(r, _)| r.extra)
        .collect();
    assert_eq!(wachttijd, vec![56]);
    let regions = Regions::builtin();
    let p = regions.get(&RegionId::parse(REGIO).unwrap()).unwrap();
    let data = monitor_data(&c);
    let f = filters("2025-01", "2025-03");
    let s = Monitor::new(p, &data, &f, None).wachttijd();
    let binnen = s
        .kerncijfers
        .iter()
        .find(|(l, _)| l == "Binnen de norm")
        .map(|(_, v)| v.clone());
    assert_eq!(
        binnen,
        Some(Val::N(
            Some(100.0),
            vangnet_publish::monitor::Eenheid::Procent
        ))
    );
    let text = all_text();
    assert!(text.contains("56 dagen of langer"), "{text}");
    assert!(text.contains("precies de norm"), "{text}");
}

/// The median of an even number of observations is the lower of the two middle values
/// (nearest rank), not their average; quartiles likewise.
#[test]
fn the_median_of_an_even_count_is_the_lower_middle_value() {
    let v = [(10, 1), (20, 1), (30, 1), (40, 1)].into_iter().collect();
    assert_eq!(kwantiel(&v, 0.5), Some(20.0));
    assert_eq!(kwantiel(&v, 0.25), Some(10.0));
    assert_eq!(kwantiel(&v, 0.75), Some(30.0));
    assert!(all_text().contains("de laagste van de twee middelste"));
}

/// A finished stay counts under the product at the end of care, with its length from the
/// first start of the episode (a doorstroom does not interrupt it).
#[test]
fn a_stay_counts_under_the_product_at_the_end_of_care() {
    let c = cells(&[
        ("2024-01-10", aanmelding("GM0202")),
        ("2024-02-01", toewijzing("bw-beschermd-wonen", "2024-02-01")),
        ("2024-02-01", start("bw-beschermd-wonen")),
        (
            "2024-08-01",
            ClientEvent::Wijziging(Wijziging::Doorstroom {
                product: pc("bw-groepswonen"),
                locatie: LocationId::parse("rijnbeschut-arnhem-centrum").unwrap(),
            }),
        ),
        (
            "2024-12-01",
            ClientEvent::EindeZorg {
                bestemming: Bestemming::EigenWoningSociaal,
                woning: None,
            },
        ),
    ]);
    let stays: Vec<(&str, u32, u32)> = c
        .iter()
        .filter(|(r, _)| r.measure == Measure::Verblijfsduur.key())
        .map(|(r, _)| (r.product.as_str(), r.maand, r.extra))
        .collect();
    assert_eq!(
        stays,
        vec![(
            "bw-groepswonen",
            202412,
            d("2024-02-01").days_until(d("2024-12-01")) as u32
        )]
    );
    assert!(all_text().contains("product aan het einde van de zorg"));
}

/// A correction's replacement counts on the correction's effective date: a start corrected
/// to a later date is inflow in the later month, and not in the first.
#[test]
fn a_corrections_replacement_takes_the_corrections_effective_date() {
    let c = cells(&[
        ("2024-01-10", aanmelding("GM0202")),
        ("2024-02-01", toewijzing("bw-beschermd-wonen", "2024-02-01")),
        ("2024-02-05", start("bw-beschermd-wonen")),
        (
            "2024-04-08",
            ClientEvent::Correctie {
                corrigeert: 3,
                vervanging: Box::new(start("bw-beschermd-wonen")),
                reden: "start later dan eerst vastgelegd".into(),
            },
        ),
    ]);
    let instroom: Vec<u32> = c
        .iter()
        .filter(|(r, _)| r.measure == Measure::Instroom.key())
        .map(|(r, _)| r.maand)
        .collect();
    assert_eq!(instroom, vec![202404]);
    assert_eq!(stock(&c, Measure::InZorg, "2024-03"), 0);
    assert_eq!(stock(&c, Measure::InZorg, "2024-04"), 1);
    assert!(all_text().contains("ingangsdatum van de correctie"));
}

/// One month length everywhere: the constant, the definitions page and the table note.
#[test]
fn one_month_length() {
    assert_eq!(DAGEN_PER_MAAND, 365.25 / 12.0);
    let text = all_text();
    assert!(text.contains("30,4375"), "{text}");
    assert!(!text.contains("30,44"), "{text}");
    let regions = Regions::builtin();
    let p = regions.get(&RegionId::parse(REGIO).unwrap()).unwrap();
    let data = Data::default();
    let f = filters("2024-01", "2024-12");
    let s = Monitor::new(p, &data, &f, None).verblijfsduur();
    assert!(
        s.tabel.noten.iter().any(|n| n.contains("30,4375 dagen")),
        "{:?}",
        s.tabel.noten
    );
}

/// A client counts in the region whose front door received the aanmelding (the region of
/// the current episode), whatever their gemeente of origin; people from outside the region
/// are in the row "buiten de regio".
#[test]
fn a_client_counts_in_the_region_of_the_aanmelding() {
    let c = cells(&[
        ("2024-01-10", aanmelding("GM0505")),
        ("2024-02-01", toewijzing("bw-beschermd-wonen", "2024-02-01")),
        ("2024-02-05", start("bw-beschermd-wonen")),
    ]);
    assert!(c.iter().all(|(r, _)| r.regio == REGIO), "{c:?}");
    let in_zorg: Vec<&str> = c
        .iter()
        .filter(|(r, _)| r.measure == Measure::InZorg.key())
        .map(|(r, _)| r.gemeente.as_str())
        .collect();
    assert_eq!(in_zorg, vec!["GM0505"], "Dordrecht, outside the region");
    assert!(all_text().contains("regio waar de aanmelding binnenkwam"));
}
