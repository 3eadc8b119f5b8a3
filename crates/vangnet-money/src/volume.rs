//! Volumes: the client-days and MO nights the money is computed from, read from the monitor's
//! day measures (one vocabulary of client events: the same contributions that count people in
//! care count their days). [`from_rows`] turns a region's stored monitor rows of
//! [`MONEY_MEASURES`] into [`Volume`]s per month under the three attributions:
//!
//! - days (`zorgdagen`, `verplichte_dagen` and their `_wpb` twins) are stored in the
//!   net-flow day representation (`Measure::is_day_count`): per key, the days in month `M`
//!   are `days_in_month(M) × Σ_{m<M} stand(m) + deel(M)` and the people at the end of `M`
//!   are `Σ_{m≤M} stand(m)`, running from the key's first stored month;
//! - `Besluit` reads `zorgdagen`/`verplichte_dagen` (the deciding gemeente),
//!   `Woonplaatsbeginsel` the `_wpb` measures, `Zorglocatie` the `zorgdagen` rows with the
//!   gemeente of their location (committed days have no location yet: gemeente `None`);
//! - MO nights (`mo_nachten`, per shelter and registration) are not under bill 36 288 and
//!   are decided by the region's centrumgemeente: under `Besluit` and `Woonplaatsbeginsel`
//!   they go to the centrumgemeente, under `Zorglocatie` to the shelter's gemeente; their
//!   `personen` are the month's `mo_personen` of that shelter and product.

use std::collections::BTreeMap;

use vangnet_domain::Maand;
use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::ids::{GemeenteCode, LocationId, ProductCode};
use vangnet_domain::monitor::{Measure, day_part, days_in_month};
use vangnet_domain::region::RegionProfile;

use crate::rapport::GeldError;

/// To which gemeente a cost is attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribution {
    /// Today's law (art. 1.2.1 sub b Wmo 2015): the gemeente that decided — the
    /// centrumgemeente at a central front door, the local gemeente at a local front door.
    Besluit,
    /// Bill 36 288 (*woonplaatsbeginsel*, not in force): the responsible gemeente recorded
    /// with the toewijzing (fallback: registration at application). MO is not covered by the
    /// bill: MO nights are attributed as under `Besluit`.
    Woonplaatsbeginsel,
    /// The gemeente where the care is delivered (the location's gemeente).
    Zorglocatie,
}

impl Attribution {
    /// All three, in display order.
    pub const ALL: [Attribution; 3] = [
        Attribution::Besluit,
        Attribution::Woonplaatsbeginsel,
        Attribution::Zorglocatie,
    ];
}

/// What a volume counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VolumeSoort {
    /// Realised: days in care (start day counted, the day of `einde_zorg` not).
    Zorgdagen,
    /// Committed: days on which a toewijzing is valid and the client is not (yet) in care.
    Verplicht,
    /// MO nights (`mo_overnachting`).
    Nachten,
}

/// One month's volume for one key and one attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    /// Which attribution `gemeente` is under.
    pub attribution: Attribution,
    /// Month.
    pub maand: Maand,
    /// What is counted.
    pub soort: VolumeSoort,
    /// Product.
    pub product: ProductCode,
    /// ZIN or PGB (nights: ZIN).
    pub leveringsvorm: Leveringsvorm,
    /// Location (None for committed days without a place yet).
    pub locatie: Option<LocationId>,
    /// Gemeente under `attribution` (None: not registered / unknown).
    pub gemeente: Option<GemeenteCode>,
    /// Days or nights.
    pub aantal: i64,
    /// People counted at the month end (for suppression of small numbers; nights: people
    /// with a night in the month).
    pub personen: i64,
}

/// The monitor measures the money reads (`Store::monitor(region, &MONEY_MEASURES, until)`).
pub const MONEY_MEASURES: [Measure; 6] = [
    Measure::Zorgdagen,
    Measure::ZorgdagenWpb,
    Measure::VerplichteDagen,
    Measure::VerplichteDagenWpb,
    Measure::MoNachten,
    Measure::MoPersonen,
];

/// One stored monitor row of a region, borrowed (the fields of `vangnet_store::MonitorRow`
/// without the region; this crate does not depend on the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRow<'a> {
    /// Measure key.
    pub measure: &'a str,
    /// `yyyymm`.
    pub maand: u32,
    /// Product code ("" for none).
    pub product: &'a str,
    /// `GMdddd` ("" for unknown).
    pub gemeente: &'a str,
    /// Location id ("" for none).
    pub locatie: &'a str,
    /// Measure-specific number (days: leveringsvorm code × 2 + part).
    pub extra: u32,
    /// Count.
    pub n: i64,
}

fn fout(code: &'static str, bericht: String) -> GeldError {
    GeldError { code, bericht }
}

/// (product, gemeente, locatie) of a row, checked against the profile.
type RowKey = (ProductCode, Option<GemeenteCode>, Option<LocationId>);

fn row_key(profile: &RegionProfile, r: &DayRow<'_>) -> Result<RowKey, GeldError> {
    let waar = || format!("maat {} maand {} ", r.measure, r.maand);
    let product = ProductCode::parse(r.product)
        .ok()
        .filter(|p| profile.products.iter().any(|x| &x.code == p))
        .ok_or_else(|| {
            fout(
                "volume.onbekend_product",
                format!(
                    "{}: product '{}' komt niet voor in het profiel van {}",
                    waar(),
                    r.product,
                    profile.id
                ),
            )
        })?;
    let gemeente = match r.gemeente {
        "" => None,
        g => Some(GemeenteCode::parse(g).map_err(|_| {
            fout(
                "volume.ongeldige_gemeente",
                format!("{}: '{g}' is geen gemeentecode (GMdddd)", waar()),
            )
        })?),
    };
    let locatie = match r.locatie {
        "" => None,
        l => Some(
            LocationId::parse(l)
                .ok()
                .filter(|id| profile.location(id).is_some())
                .ok_or_else(|| {
                    fout(
                        "volume.onbekende_locatie",
                        format!(
                            "{}: locatie '{l}' komt niet voor in het profiel van {}",
                            waar(),
                            profile.id
                        ),
                    )
                })?,
        ),
    };
    Ok((product, gemeente, locatie))
}

fn leveringsvorm(code: u32) -> Result<Leveringsvorm, GeldError> {
    match code {
        0 => Ok(Leveringsvorm::Zin),
        1 => Ok(Leveringsvorm::Pgb),
        c => Err(fout(
            "volume.onbekende_leveringsvorm",
            format!("leveringsvormcode {c} bestaat niet (0: ZIN, 1: PGB)"),
        )),
    }
}

/// Aggregation key of a volume.
type VolumeKey = (
    Attribution,
    u32,
    VolumeSoort,
    ProductCode,
    u32,
    Option<LocationId>,
    Option<GemeenteCode>,
);

/// The volumes of one region for the months `from..=until`, from its stored monitor rows of
/// [`MONEY_MEASURES`] (rows of other known measures are ignored; rows after `until` do not
/// matter). Days and people run from each key's first stored month, so the rows must
/// include every month before `from`. Sorted by attribution, month, kind, product,
/// leveringsvorm, location and gemeente; zero volumes left out.
///
/// # Errors
/// A Dutch message naming the measure and month: an unknown measure key, product, location,
/// gemeente code or leveringsvorm, or a running stock below zero (a damaged projection).
pub fn from_rows<'a>(
    profile: &RegionProfile,
    rows: impl IntoIterator<Item = DayRow<'a>>,
    from: Maand,
    until: Maand,
) -> Result<Vec<Volume>, GeldError> {
    // Day keys: per (measure, product, gemeente, locatie, leveringsvorm) the (stand, deel)
    // per month.
    type DayKey = (Measure, RowKey, u32);
    let mut days: BTreeMap<DayKey, BTreeMap<u32, (i64, i64)>> = BTreeMap::new();
    let mut out: BTreeMap<VolumeKey, (i64, i64)> = BTreeMap::new();
    let mut mo_personen: BTreeMap<(u32, ProductCode, Option<LocationId>), i64> = BTreeMap::new();
    let (lo, hi) = (from.key(), until.key());
    let centrum = Some(profile.centrumgemeente);
    let location_gemeente = |l: &Option<LocationId>| {
        l.as_ref()
            .and_then(|id| profile.location(id))
            .map(|x| x.gemeente)
    };
    for r in rows {
        let m = Measure::parse(r.measure).ok_or_else(|| {
            fout(
                "volume.onbekende_maat",
                format!("onbekende maat '{}' (maand {})", r.measure, r.maand),
            )
        })?;
        if !MONEY_MEASURES.contains(&m) || r.maand > hi {
            continue;
        }
        let key = row_key(profile, &r)?;
        if m.is_day_count() {
            let (lv, deel) = day_part(r.extra);
            leveringsvorm(lv)?;
            let e = days
                .entry((m, key, lv))
                .or_default()
                .entry(r.maand)
                .or_insert((0, 0));
            if deel {
                e.1 += r.n;
            } else {
                e.0 += r.n;
            }
        } else if r.maand >= lo {
            let (product, _, locatie) = key;
            if m == Measure::MoPersonen {
                *mo_personen.entry((r.maand, product, locatie)).or_insert(0) += r.n;
                continue;
            }
            let zl = location_gemeente(&locatie);
            for (a, g) in [
                (Attribution::Besluit, centrum),
                (Attribution::Woonplaatsbeginsel, centrum),
                (Attribution::Zorglocatie, zl),
            ] {
                out.entry((
                    a,
                    r.maand,
                    VolumeSoort::Nachten,
                    product.clone(),
                    0,
                    locatie.clone(),
                    g,
                ))
                .or_insert((0, 0))
                .0 += r.n;
            }
        }
    }
    for ((m, (product, gemeente, locatie), lv), months) in days {
        let (soort, wpb) = match m {
            Measure::Zorgdagen => (VolumeSoort::Zorgdagen, false),
            Measure::ZorgdagenWpb => (VolumeSoort::Zorgdagen, true),
            Measure::VerplichteDagen => (VolumeSoort::Verplicht, false),
            _ => (VolumeSoort::Verplicht, true),
        };
        let mut targets = Vec::with_capacity(2);
        if wpb {
            targets.push((Attribution::Woonplaatsbeginsel, gemeente));
        } else {
            targets.push((Attribution::Besluit, gemeente));
            targets.push((Attribution::Zorglocatie, location_gemeente(&locatie)));
        }
        let first = *months.keys().next().expect("a key has a month");
        let mut maand = Maand::from_key(first).ok_or_else(|| {
            fout(
                "volume.ongeldige_maand",
                format!("maat {} : {first} is geen maand (JJJJMM)", m.key()),
            )
        })?;
        let mut stand: i64 = 0;
        while maand.key() <= hi {
            let k = maand.key();
            let (s, deel) = months.get(&k).copied().unwrap_or((0, 0));
            let aantal = days_in_month(k).expect("a month") * stand + deel;
            stand += s;
            if stand < 0 || aantal < 0 {
                return Err(fout(
                    "volume.negatief",
                    format!(
                        "maat {} maand {k} product {product}: {aantal} dagen, stand {stand} — de monitorprojectie is beschadigd; herbouw de monitor",
                        m.key()
                    ),
                ));
            }
            if k >= lo && (aantal != 0 || stand != 0) {
                for (a, g) in &targets {
                    let e = out
                        .entry((*a, k, soort, product.clone(), lv, locatie.clone(), *g))
                        .or_insert((0, 0));
                    e.0 += aantal;
                    e.1 += stand;
                }
            }
            maand = maand.plus(1);
        }
    }
    let mut volumes = Vec::with_capacity(out.len());
    for ((attribution, k, soort, product, lv, locatie, gemeente), (aantal, personen)) in out {
        let personen = if soort == VolumeSoort::Nachten {
            mo_personen
                .get(&(k, product.clone(), locatie.clone()))
                .copied()
                .unwrap_or(0)
        } else {
            personen
        };
        if aantal == 0 && personen == 0 {
            continue;
        }
        volumes.push(Volume {
            attribution,
            maand: Maand::from_key(k).expect("a month"),
            soort,
            product,
            leveringsvorm: leveringsvorm(lv)?,
            locatie,
            gemeente,
            aantal,
            personen,
        });
    }
    Ok(volumes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::events::{Bestemming, Melder, Urgentie, Woonsituatie};
    use vangnet_domain::monitor::Tally;
    use vangnet_domain::region::{Domain, Unit};
    use vangnet_domain::state::{StreamEntry, fold_stream_observed};
    use vangnet_domain::{ClientEvent, ClientId, Date, RegionId, Regions};

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    fn m(s: &str) -> Maand {
        Maand::parse(s).expect("maand")
    }

    /// One client in Centraal Gelderland registered in a member gemeente other than Arnhem,
    /// no front door recorded (the central one): allocated 2 January 2024, in care 10
    /// January … 20 February (einde), five MO nights from 30 January before.
    fn rows() -> (Regions, Vec<vangnet_domain::monitor::CellRow>, Vec<i64>) {
        let regions = Regions::builtin();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").expect("id"))
            .expect("cg");
        let on = d("2024-01-01");
        let (product, locatie) = p
            .products
            .iter()
            .filter(|q| q.domain == Domain::Bw && q.unit == Unit::Plaats && q.valid_on(on))
            .find_map(|q| {
                p.locations
                    .iter()
                    .find(|l| l.places.contains_key(&q.code))
                    .map(|l| (q.code.clone(), l.id.clone()))
            })
            .expect("a BW place");
        let herkomst = p
            .members_on(on)
            .map(|m| m.code)
            .find(|g| *g != p.centrumgemeente)
            .expect("member");
        let facts = [
            (
                "2024-01-01",
                ClientEvent::Aanmelding {
                    regio: p.id.clone(),
                    melder: Melder::Zelf,
                    herkomst_gemeente: Some(herkomst),
                    woonsituatie: Woonsituatie::Dakloos,
                    urgentie: Urgentie::Regulier,
                    voordeur: None,
                },
            ),
            (
                "2024-01-02",
                ClientEvent::Toewijzing {
                    product: product.clone(),
                    start: d("2024-01-02"),
                    einde: d("2024-12-31"),
                    leveringsvorm: Leveringsvorm::Zin,
                    aanbieder: None,
                },
            ),
            (
                "2024-01-10",
                ClientEvent::StartZorg {
                    product: product.clone(),
                    locatie: locatie.clone(),
                    overbezetting: None,
                },
            ),
            (
                "2024-02-20",
                ClientEvent::EindeZorg {
                    bestemming: Bestemming::EigenWoningSociaal,
                    woning: None,
                },
            ),
            (
                "2024-02-22",
                ClientEvent::MoOvernachting {
                    product: ProductCode::parse("mo-nachtopvang").expect("code"),
                    locatie: LocationId::parse("opvang-arnhem-nacht").expect("loc"),
                    nachten: 10,
                },
            ),
        ];
        let entries: Vec<StreamEntry<'_>> = facts
            .iter()
            .enumerate()
            .map(|(i, (on, e))| StreamEntry {
                version: i as u32 + 1,
                effective: d(on),
                event: e,
            })
            .collect();
        let mut t = Tally::new();
        fold_stream_observed(ClientId(1), &entries, &regions, &mut |b, on, e, a| {
            t.observe(&regions, b, on, e, a, 1)
        })
        .expect("folds");
        let mut cells: Vec<_> = t.nonzero().map(|(c, n)| (c.row(&regions), n)).collect();
        cells.sort();
        let (rows, ns) = cells.into_iter().unzip();
        (regions, rows, ns)
    }

    fn day_rows<'a>(
        rows: &'a [vangnet_domain::monitor::CellRow],
        ns: &'a [i64],
    ) -> impl Iterator<Item = DayRow<'a>> {
        rows.iter().zip(ns).map(|(r, n)| DayRow {
            measure: r.measure,
            maand: r.maand,
            product: &r.product,
            gemeente: &r.gemeente,
            locatie: &r.locatie,
            extra: r.extra,
            n: *n,
        })
    }

    /// Care days 22 (January) and 19 (February) under all three attributions — Arnhem (the
    /// centrumgemeente decides at the central front door), the registration under the bill,
    /// the location's gemeente; committed 8 days in January; MO nights 22 Feb … 2 Mar: 8 in
    /// February, 2 in March, to Arnhem under `Besluit` and `Woonplaatsbeginsel` and to the
    /// shelter's gemeente, one person each month.
    #[test]
    fn days_nights_and_people_per_attribution() {
        let (regions, rows, ns) = rows();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").expect("id"))
            .expect("cg");
        let v = from_rows(p, day_rows(&rows, &ns), m("2024-01"), m("2024-04")).expect("volumes");
        let pick = |a: Attribution, soort: VolumeSoort, maand: &str| {
            v.iter()
                .filter(|x| x.attribution == a && x.soort == soort && x.maand == m(maand))
                .map(|x| (x.gemeente, x.aantal, x.personen))
                .collect::<Vec<_>>()
        };
        let arnhem = Some(p.centrumgemeente);
        let herkomst = Some(
            p.members_on(d("2024-01-01"))
                .map(|m| m.code)
                .find(|g| *g != p.centrumgemeente)
                .expect("member"),
        );
        let loc = v
            .iter()
            .find(|x| x.soort == VolumeSoort::Zorgdagen)
            .and_then(|x| x.locatie.clone())
            .expect("a location");
        let loc_g = Some(p.location(&loc).expect("loc").gemeente);
        use Attribution::*;
        use VolumeSoort::*;
        assert_eq!(pick(Besluit, Zorgdagen, "2024-01"), vec![(arnhem, 22, 1)]);
        assert_eq!(pick(Besluit, Zorgdagen, "2024-02"), vec![(arnhem, 19, 0)]);
        assert_eq!(
            pick(Woonplaatsbeginsel, Zorgdagen, "2024-01"),
            vec![(herkomst, 22, 1)]
        );
        assert_eq!(
            pick(Zorglocatie, Zorgdagen, "2024-02"),
            vec![(loc_g, 19, 0)]
        );
        assert_eq!(pick(Besluit, Zorgdagen, "2024-03"), vec![]);
        assert_eq!(pick(Besluit, Verplicht, "2024-01"), vec![(arnhem, 8, 0)]);
        assert_eq!(
            pick(Woonplaatsbeginsel, Verplicht, "2024-01"),
            vec![(herkomst, 8, 0)]
        );
        assert_eq!(pick(Zorglocatie, Verplicht, "2024-01"), vec![(None, 8, 0)]);
        let shelter = p
            .location(&LocationId::parse("opvang-arnhem-nacht").expect("loc"))
            .expect("shelter")
            .gemeente;
        assert_eq!(pick(Besluit, Nachten, "2024-02"), vec![(arnhem, 8, 1)]);
        assert_eq!(
            pick(Woonplaatsbeginsel, Nachten, "2024-03"),
            vec![(arnhem, 2, 1)]
        );
        assert_eq!(
            pick(Zorglocatie, Nachten, "2024-03"),
            vec![(Some(shelter), 2, 1)]
        );
        // Every attribution has the same total per kind.
        for soort in [Zorgdagen, Verplicht, Nachten] {
            let total = |a| {
                v.iter()
                    .filter(|x| x.attribution == a && x.soort == soort)
                    .map(|x| x.aantal)
                    .sum::<i64>()
            };
            assert_eq!(total(Besluit), total(Woonplaatsbeginsel), "{soort:?}");
            assert_eq!(total(Besluit), total(Zorglocatie), "{soort:?}");
        }
        // A later range still counts the people who started before it.
        let later = from_rows(p, day_rows(&rows, &ns), m("2024-02"), m("2024-02")).expect("ok");
        assert!(later.iter().all(|x| x.maand == m("2024-02")));
        assert!(
            later
                .iter()
                .any(|x| x.soort == Zorgdagen && x.attribution == Besluit && x.aantal == 19)
        );
    }

    #[test]
    fn unknown_keys_are_dutch_errors() {
        let (regions, mut rows, ns) = rows();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").expect("id"))
            .expect("cg");
        let i = rows
            .iter()
            .position(|r| r.measure == "zorgdagen")
            .expect("a day row");
        rows[i].product = "bestaat-niet".into();
        let e = from_rows(p, day_rows(&rows, &ns), m("2024-01"), m("2024-03")).unwrap_err();
        assert_eq!(e.code, "volume.onbekend_product");
        assert!(e.bericht.contains("bestaat-niet"), "{}", e.bericht);
        let good = p.products[0].code.to_string();
        let mut r = day_rows(&rows, &ns).collect::<Vec<_>>();
        r[i].product = &good;
        r[i].locatie = "nergens";
        let e = from_rows(p, r.clone(), m("2024-01"), m("2024-03")).unwrap_err();
        assert_eq!(e.code, "volume.onbekende_locatie");
        r[i].locatie = "";
        r[i].measure = "zorgdagen_x";
        let e = from_rows(p, r, m("2024-01"), m("2024-03")).unwrap_err();
        assert_eq!(e.code, "volume.onbekende_maat");
        assert!(e.bericht.contains("onbekende maat"), "{}", e.bericht);
    }
}
