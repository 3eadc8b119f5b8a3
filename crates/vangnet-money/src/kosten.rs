//! Costs from volumes and tariffs: the cost table ([`KostenRegel`]) per attribution, month,
//! product, provider and gemeente.
//!
//! **Exactness.** Per key (month, soort, product, leveringsvorm, location) the days are
//! summed once and the total is priced once ([`Tarief::kosten`]: rounded half away from zero
//! to a whole cent). That total is then split over the gemeenten of each attribution with
//! [`allocate`] (largest remainder) weighted by their days, so under every attribution the
//! gemeenten sum to the same region total to the cent. The volumes' contract is that the days
//! per key are equal under every attribution; if they are not, that is an error
//! (`volume.ongelijk`), never a silently different total.
//!
//! A day with care and no tariff is the error `tarief.ontbreekt` — never a partial table.
//! The provider comes from the location in the region profile.

use std::collections::BTreeMap;

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::RegionProfile;
use vangnet_domain::{AgbCode, GemeenteCode, LocationId, Maand, ProductCode};

use crate::allocate::allocate;
use crate::cents::Cents;
use crate::rapport::{GeldError, KostenRegel};
use crate::tarief::{Tarieven, lv_rang, lv_van_rang};
use crate::volume::{Attribution, Volume, VolumeSoort};

/// The key a total is priced on.
type PriceKey = (Maand, VolumeSoort, ProductCode, u8, Option<LocationId>);
/// The key of a cost line.
type LineKey = (
    Attribution,
    Maand,
    ProductCode,
    Option<AgbCode>,
    Option<GemeenteCode>,
);

/// One gemeente's part of a priced key: (gemeente, days, people, cost).
pub type Deel = (Option<GemeenteCode>, i64, i64, Cents);

/// One priced key: the total, and per attribution the gemeenten's shares.
#[derive(Debug, Clone)]
pub struct Geprijsd {
    /// Month.
    pub maand: Maand,
    /// What was counted.
    pub soort: VolumeSoort,
    /// Product.
    pub product: ProductCode,
    /// Leveringsvorm.
    pub leveringsvorm: Leveringsvorm,
    /// Provider (None: no location).
    pub aanbieder: Option<AgbCode>,
    /// Days of the key.
    pub dagen: i64,
    /// The total cost, rounded once.
    pub totaal: Cents,
    /// Per attribution: (gemeente, days, people, cost), the costs summing to `totaal`.
    pub delen: BTreeMap<Attribution, Vec<Deel>>,
}

/// Price every key of `volumes` whose month lies in `van ..= tot` (see the module rules).
pub fn prijs(
    volumes: &[Volume],
    tarieven: &Tarieven,
    region: &RegionProfile,
    van: Maand,
    tot: Maand,
) -> Result<Vec<Geprijsd>, GeldError> {
    type Rows = BTreeMap<Attribution, BTreeMap<Option<GemeenteCode>, (i64, i64)>>;
    let mut keys: BTreeMap<PriceKey, Rows> = BTreeMap::new();
    for v in volumes {
        if v.maand < van || v.maand > tot {
            continue;
        }
        if v.aantal < 0 || v.personen < 0 {
            return Err(GeldError::new(
                "volume.negatief",
                format!(
                    "negatief aantal dagen of personen voor {} in {}",
                    v.product,
                    v.maand.naam()
                ),
            ));
        }
        let slot = keys
            .entry((
                v.maand,
                v.soort,
                v.product.clone(),
                lv_rang(v.leveringsvorm),
                v.locatie.clone(),
            ))
            .or_default()
            .entry(v.attribution)
            .or_default()
            .entry(v.gemeente)
            .or_default();
        slot.0 += v.aantal;
        slot.1 += v.personen;
    }
    let mut out = Vec::with_capacity(keys.len());
    for ((maand, soort, product, lv, locatie), rows) in keys {
        let lv = lv_van_rang(lv);
        let mut dagen: Option<i64> = None;
        for (attr, gm) in &rows {
            let d: i64 = gm.values().map(|x| x.0).sum();
            match dagen {
                None => dagen = Some(d),
                Some(e) if e != d => {
                    return Err(GeldError::new(
                        "volume.ongelijk",
                        format!(
                            "{product} in {}: {d} dagen onder toerekening {attr:?}, {e} onder een andere; de dagen per sleutel moeten onder elke toerekening gelijk zijn",
                            maand.naam()
                        ),
                    ));
                }
                _ => {}
            }
        }
        let dagen = dagen.unwrap_or(0);
        let aanbieder = match &locatie {
            None => None,
            Some(id) => Some(
                region
                    .location(id)
                    .ok_or_else(|| {
                        GeldError::new(
                            "volume.locatie",
                            format!(
                                "locatie {} staat niet in het regioprofiel {}",
                                id.as_str(),
                                region.name
                            ),
                        )
                    })?
                    .provider,
            ),
        };
        let totaal = if dagen == 0 {
            Cents::ZERO
        } else {
            tarieven
                .vereist(&product, lv, maand)?
                .kosten(dagen, maand)?
        };
        let mut delen = BTreeMap::new();
        for (attr, gm) in rows {
            let list: Vec<(Option<GemeenteCode>, i64, i64)> =
                gm.into_iter().map(|(g, (d, p))| (g, d, p)).collect();
            let weights: Vec<u64> = list.iter().map(|x| x.1.unsigned_abs()).collect();
            let parts = if dagen == 0 {
                vec![Cents::ZERO; list.len()]
            } else {
                allocate(totaal, &weights).expect("days present")
            };
            delen.insert(
                attr,
                list.into_iter()
                    .zip(parts)
                    .map(|((g, d, p), c)| (g, d, p, c))
                    .collect(),
            );
        }
        out.push(Geprijsd {
            maand,
            soort,
            product,
            leveringsvorm: lv,
            aanbieder,
            dagen,
            totaal,
            delen,
        });
    }
    Ok(out)
}

/// The cost table for `van ..= tot`: one line per attribution, month, product, provider and
/// gemeente (ZIN and PGB, and the locations of one provider, summed). Realised days and MO
/// nights go to `gerealiseerd` and `dagen`; committed days to `verplicht`.
pub fn kosten(
    volumes: &[Volume],
    tarieven: &Tarieven,
    region: &RegionProfile,
    van: Maand,
    tot: Maand,
) -> Result<Vec<KostenRegel>, GeldError> {
    Ok(regels(&prijs(volumes, tarieven, region, van, tot)?))
}

/// Fold priced keys into cost lines.
pub fn regels(geprijsd: &[Geprijsd]) -> Vec<KostenRegel> {
    let mut lines: BTreeMap<LineKey, KostenRegel> = BTreeMap::new();
    for p in geprijsd {
        for (&attr, parts) in &p.delen {
            for &(g, d, pers, c) in parts {
                let line = lines
                    .entry((attr, p.maand, p.product.clone(), p.aanbieder, g))
                    .or_insert_with(|| KostenRegel {
                        attribution: attr,
                        maand: p.maand,
                        product: p.product.clone(),
                        aanbieder: p.aanbieder,
                        gemeente: g,
                        gerealiseerd: Cents::ZERO,
                        verplicht: Cents::ZERO,
                        dagen: 0,
                        personen: 0,
                    });
                match p.soort {
                    VolumeSoort::Verplicht => line.verplicht = Cents(line.verplicht.0 + c.0),
                    VolumeSoort::Zorgdagen | VolumeSoort::Nachten => {
                        line.gerealiseerd = Cents(line.gerealiseerd.0 + c.0);
                        line.dagen += d;
                        line.personen += pers;
                    }
                }
            }
        }
    }
    lines.into_values().collect()
}
