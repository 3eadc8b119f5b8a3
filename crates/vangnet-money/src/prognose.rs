//! The forecast's volumes for the money: occupancy per product per month (the simulation's
//! fan: 5 %, median and 95 % quantiles) turned into days to price, [`PrognoseRegel`].
//!
//! Approximation (an *aanname*, shown with the scenario): the month's days are the month-end
//! occupancy × the days in that month, rounded half away from zero per quantile; the forecast
//! does not split ZIN and PGB, so every day is priced at the ZIN tariff. The bands are the
//! forecast's 90 % band (5 % and 95 % quantiles), the middle its median.

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::{Maand, ProductCode};

use crate::rapport::PrognoseRegel;

/// What the forecast assumes when it is priced, in words for the screen.
pub const AANNAME: &str = "Prognose in geld: dagen per maand = bezetting aan het eind van de maand × dagen in de maand (mediaan, met de 90%-band van de prognose); alles tegen het ZIN-tarief, want de prognose splitst ZIN en PGB niet (aanname).";

/// One product of the forecast: its code and per month (`yyyymm`) the quantiles of the
/// occupancy `[5 %, 25 %, median, 75 %, 95 %]`.
pub struct ProductFan<'a> {
    /// Product.
    pub product: &'a ProductCode,
    /// `(yyyymm, quantiles)` per month.
    pub months: &'a [(u32, [f64; 5])],
}

fn days(occupancy: f64, in_month: i64) -> i64 {
    if !occupancy.is_finite() || occupancy <= 0.0 {
        return 0;
    }
    // Half away from zero; occupancy is a count of people (bounded by the simulation's
    // population), so the product stays far inside i64.
    (occupancy * in_month as f64).round() as i64
}

/// The forecast's days per product and month, in the order given; months whose key is not a
/// calendar month are skipped.
pub fn regels(fans: &[ProductFan<'_>]) -> Vec<PrognoseRegel> {
    let mut out = Vec::new();
    for f in fans {
        for &(key, q) in f.months {
            let Some(maand) = Maand::from_key(key) else {
                continue;
            };
            let n = i64::from(maand.first_day().days_until(maand.last_day())) + 1;
            out.push(PrognoseRegel {
                maand,
                product: f.product.clone(),
                leveringsvorm: Leveringsvorm::Zin,
                laag: days(q[0], n),
                midden: days(q[2], n),
                hoog: days(q[4], n),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_end_occupancy_times_days_in_month() {
        let p: ProductCode = "bw-intramuraal".parse().unwrap();
        let months = [
            (202702, [9.0, 10.0, 10.5, 11.0, 12.25]),
            (202703, [0.0, 0.0, -1.0, f64::NAN, 2.0]),
            (202713, [1.0; 5]),
        ];
        let r = regels(&[ProductFan {
            product: &p,
            months: &months,
        }]);
        assert_eq!(r.len(), 2, "month 13 is skipped");
        // February 2027 has 28 days: 9 × 28 = 252, 10.5 × 28 = 294, 12.25 × 28 = 343.
        assert_eq!((r[0].laag, r[0].midden, r[0].hoog), (252, 294, 343));
        assert_eq!(r[0].maand.to_string(), "2027-02");
        assert_eq!(r[0].leveringsvorm, Leveringsvorm::Zin);
        // March: negative and NaN are no days; 2 × 31 = 62.
        assert_eq!((r[1].laag, r[1].midden, r[1].hoog), (0, 0, 62));
    }
}
