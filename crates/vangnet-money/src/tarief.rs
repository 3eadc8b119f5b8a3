//! Tariffs (*tarieven*) per product, leveringsvorm and period, with their unit, yearly
//! indexation and source; [`Tarieven`] is a validated set with lookup by month.
//!
//! Rules (checked by [`Tarieven::new`], errors in Dutch naming the line or row):
//! - a period starts on the first day of a month and, when closed, ends on the last day of a
//!   month (`tot ≥ van`), so a month is always priced by exactly one tariff;
//! - no two periods of the same product and leveringsvorm overlap (the error names both lines);
//! - unit `Uur` needs `uren_per_week_x100`; `Nacht` is only for MO products.
//!
//! Cost of `n` days in a month ([`Tarief::kosten`]): day and night `bedrag × n`, week
//! `bedrag × n / 7`, month `bedrag × n / days in that month`, hour
//! `bedrag × uren_per_week × n / 7`; rounded **once**, half away from zero, to a whole cent.
//!
//! Indexation ([`Tarief::indexeer`]): one period per calendar year, each year's amount is the
//! previous year's (already rounded) amount × (1 + percentage), rounded half away from zero per
//! period — so the amounts shown on screen are exactly the amounts used.

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::{Domain, Herkomst, RegionProfile};
use vangnet_domain::{Date, Maand, ProductCode};

use crate::cents::Cents;
use crate::rapport::GeldError;

/// The unit a tariff is priced in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Eenheid {
    /// Per day in care.
    Dag,
    /// Per week in care (a day costs 1/7).
    Week,
    /// Per month in care (a day costs 1/days-in-that-month).
    Maand,
    /// Per hour of support; hours per week come with the tariff (`uren_per_week`).
    Uur,
    /// Per MO night.
    Nacht,
}

impl Eenheid {
    /// Parse the profile word (`dag`, `week`, `maand`, `uur`, `nacht`).
    pub fn parse(s: &str) -> Option<Eenheid> {
        Some(match s.trim() {
            "dag" => Eenheid::Dag,
            "week" => Eenheid::Week,
            "maand" => Eenheid::Maand,
            "uur" => Eenheid::Uur,
            "nacht" => Eenheid::Nacht,
            _ => return None,
        })
    }

    /// Dutch label: "per dag", …
    pub fn label(self) -> &'static str {
        match self {
            Eenheid::Dag => "per dag",
            Eenheid::Week => "per week",
            Eenheid::Maand => "per maand",
            Eenheid::Uur => "per uur",
            Eenheid::Nacht => "per nacht",
        }
    }
}

/// Dutch short name of a leveringsvorm (`ZIN`, `PGB`).
pub fn leveringsvorm_label(lv: Leveringsvorm) -> &'static str {
    match lv {
        Leveringsvorm::Zin => "ZIN",
        Leveringsvorm::Pgb => "PGB",
    }
}

/// A sortable stand-in for a leveringsvorm (`Leveringsvorm` is not `Ord`): ZIN 0, PGB 1.
pub fn lv_rang(lv: Leveringsvorm) -> u8 {
    match lv {
        Leveringsvorm::Zin => 0,
        Leveringsvorm::Pgb => 1,
    }
}

/// The leveringsvorm of a [`lv_rang`].
pub fn lv_van_rang(r: u8) -> Leveringsvorm {
    if r == 0 {
        Leveringsvorm::Zin
    } else {
        Leveringsvorm::Pgb
    }
}

/// One tariff: an amount per unit for a product and leveringsvorm from `van` up to and
/// including `tot` (open-ended when `None`). Periods start on the first day of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tarief {
    /// Product.
    pub product: ProductCode,
    /// ZIN or PGB (PGB: care only — the care budget never pays housing costs, seed 001
    /// bijlage 3).
    pub leveringsvorm: Leveringsvorm,
    /// Unit.
    pub eenheid: Eenheid,
    /// Amount per unit.
    pub bedrag: Cents,
    /// First day (the first of a month).
    pub van: Date,
    /// Last day, inclusive (None: open-ended).
    pub tot: Option<Date>,
    /// Hours per week (only for `Eenheid::Uur`), in hundredths of an hour.
    pub uren_per_week_x100: Option<u32>,
    /// Where the amount comes from (seeds give no tariffs: demo tariffs are an `aanname`).
    pub herkomst: Herkomst,
}

impl Tarief {
    /// Whether the tariff's period covers the whole of `maand`.
    pub fn geldt_in(&self, maand: Maand) -> bool {
        self.van <= maand.first_day() && self.tot.is_none_or(|t| t >= maand.last_day())
    }

    /// The cost of `n` days (or nights) in `maand`, rounded once, half away from zero.
    pub fn kosten(&self, n: i64, maand: Maand) -> Result<Cents, GeldError> {
        let (num, den): (i128, i128) = match self.eenheid {
            Eenheid::Dag | Eenheid::Nacht => (i128::from(n), 1),
            Eenheid::Week => (i128::from(n), 7),
            Eenheid::Maand => {
                let days = maand.first_day().days_until(maand.last_day()) + 1;
                (i128::from(n), i128::from(days))
            }
            Eenheid::Uur => {
                let h = self.uren_per_week_x100.ok_or_else(|| {
                    GeldError::new(
                        "tarief.uren",
                        format!("tarief {}: eenheid uur zonder uren per week", self.product),
                    )
                })?;
                (i128::from(n) * i128::from(h), 700)
            }
        };
        let p = i128::from(self.bedrag.0) * num;
        let r = crate::cents::div_round_half_away(p, den);
        i64::try_from(r)
            .map(Cents)
            .map_err(|_| GeldError::overloop())
    }

    /// Yearly indexation: this tariff (open-ended, or closed at the end of a year) in its
    /// start year, then one period per year of `percentages` (`(year, basis points)`,
    /// consecutive years after the start year), each amount the previous one × (1 + p),
    /// rounded half away from zero per period. The last period keeps this tariff's `tot`
    /// (open-ended when it was). Years before or in the start year are ignored.
    pub fn indexeer(&self, percentages: &[(i32, i64)]) -> Result<Vec<Tarief>, GeldError> {
        let start = self.van.year();
        let mut steps: Vec<(i32, i64)> = percentages
            .iter()
            .copied()
            .filter(|&(y, _)| y > start && self.tot.is_none_or(|t| t.year() >= y))
            .collect();
        steps.sort();
        let mut out = Vec::with_capacity(steps.len() + 1);
        let mut current = self.clone();
        for (expected, (year, bp)) in (start + 1..).zip(steps) {
            if year != expected {
                return Err(GeldError::new(
                    "tarief.indexatie",
                    format!(
                        "indexatie van {}: jaar {year} volgt niet op jaar {} (één percentage per jaar)",
                        self.product,
                        expected - 1
                    ),
                ));
            }
            let jan1 = Date::from_ymd(year, 1, 1).expect("a year start");
            current.tot = Some(jan1.add_days(-1));
            let bedrag = current
                .bedrag
                .mul_ratio(10_000 + bp, 10_000)
                .map_err(|_| GeldError::overloop())?;
            out.push(current.clone());
            current = Tarief {
                bedrag,
                van: jan1,
                tot: self.tot,
                ..self.clone()
            };
        }
        out.push(current);
        Ok(out)
    }
}

/// A validated set of tariffs (see the module rules), with the line or row each came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tarieven {
    items: Vec<(Tarief, usize)>,
}

impl Tarieven {
    /// Validate tariffs with the line (profile) or row (screen) each came from. The profile
    /// gives each product's domain (`Nacht` only for MO) and refuses unknown products.
    pub fn new(items: Vec<(Tarief, usize)>, region: &RegionProfile) -> Result<Tarieven, GeldError> {
        for (t, line) in &items {
            let at = |m: String| {
                format!(
                    "regel {line}: tarief {} ({}): {m}",
                    t.product,
                    leveringsvorm_label(t.leveringsvorm)
                )
            };
            let Some(product) = region.product(&t.product) else {
                return Err(GeldError::new(
                    "tarief.product",
                    at(format!(
                        "product staat niet in de productcatalogus van {}",
                        region.name
                    )),
                ));
            };
            if t.van.ymd().2 != 1 {
                return Err(GeldError::new(
                    "tarief.periode",
                    at(format!(
                        "van {} moet de eerste dag van een maand zijn",
                        t.van
                    )),
                ));
            }
            if let Some(tot) = t.tot {
                if tot < t.van {
                    return Err(GeldError::new(
                        "tarief.periode",
                        at(format!("tot {tot} ligt vóór van {}", t.van)),
                    ));
                }
                if tot != Maand::of(tot).last_day() {
                    return Err(GeldError::new(
                        "tarief.periode",
                        at(format!("tot {tot} moet de laatste dag van een maand zijn")),
                    ));
                }
            }
            if t.bedrag < Cents::ZERO {
                return Err(GeldError::new(
                    "tarief.bedrag",
                    at("het bedrag is negatief".into()),
                ));
            }
            match t.eenheid {
                Eenheid::Uur if t.uren_per_week_x100.is_none_or(|h| h == 0) => {
                    return Err(GeldError::new(
                        "tarief.uren",
                        at("eenheid uur vraagt uren per week (veld uren_per_week)".into()),
                    ));
                }
                Eenheid::Nacht if product.domain != Domain::Mo => {
                    return Err(GeldError::new(
                        "tarief.nacht",
                        at("eenheid nacht kan alleen bij een MO-product".into()),
                    ));
                }
                _ => {}
            }
        }
        for (i, (a, la)) in items.iter().enumerate() {
            for (b, lb) in &items[i + 1..] {
                let same = a.product == b.product && a.leveringsvorm == b.leveringsvorm;
                let overlap = a.tot.is_none_or(|t| t >= b.van) && b.tot.is_none_or(|t| t >= a.van);
                if same && overlap {
                    return Err(GeldError::new(
                        "tarief.overlap",
                        format!(
                            "tarieven op regel {la} en regel {lb} overlappen: {} ({}) vanaf {} en vanaf {}",
                            a.product,
                            leveringsvorm_label(a.leveringsvorm),
                            a.van,
                            b.van
                        ),
                    ));
                }
            }
        }
        Ok(Tarieven { items })
    }

    /// The tariffs with their lines, in input order.
    pub fn items(&self) -> &[(Tarief, usize)] {
        &self.items
    }

    /// The tariff for a product and leveringsvorm in a month.
    pub fn zoek(&self, product: &ProductCode, lv: Leveringsvorm, maand: Maand) -> Option<&Tarief> {
        self.items
            .iter()
            .map(|(t, _)| t)
            .find(|t| &t.product == product && t.leveringsvorm == lv && t.geldt_in(maand))
    }

    /// Like [`Tarieven::zoek`], but a missing tariff is the error `tarief.ontbreekt`.
    pub fn vereist(
        &self,
        product: &ProductCode,
        lv: Leveringsvorm,
        maand: Maand,
    ) -> Result<&Tarief, GeldError> {
        self.zoek(product, lv, maand).ok_or_else(|| {
            GeldError::new(
                "tarief.ontbreekt",
                format!(
                    "geen tarief voor {product} ({}) in {}: er is zorg geleverd, dus de kosten zijn niet te berekenen",
                    leveringsvorm_label(lv),
                    maand.naam()
                ),
            )
        })
    }
}
