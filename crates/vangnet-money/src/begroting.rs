//! Budgets per gemeente and year: historical `H(g,t)`, objective `O(g,t)`, `B(g,t)` along the
//! ingroeipad, the herverdeeleffect and per inhabitant; and the ingroeipad from a file.
//!
//! - `H(g,t)`: the region's historical budget in year `t` (integratie-uitkering BW +
//!   decentralisatie-uitkering MO) minus the region's Wlz uitname, split by the internal key
//!   with [`allocate`] (sums to the region amount exactly).
//! - `O(g,t)`: the objective model normalised to its macro budget ([`ObjectiefModel::voor`]).
//! - `B(g,t) = H + α_t × (O − H)` ([`Ingroeipad::budget`], the shift rounded half away from
//!   zero; at 100 % exactly `O`).
//! - herverdeeleffect `B − H`; per inhabitant rounded half away from zero.
//!
//! Ingroeipad file (`;`-separated, `#` comments with exactly one `# bron:` or `# aanname:`):
//! `jaar;aandeel` header, then one row per path year `1, 2, …` (year 1 = the start year given
//! by the profile) with the share of the objective model as a Dutch percentage (`10,00`).

use vangnet_domain::GemeenteCode;
use vangnet_domain::region::{Herkomst, RegionProfile};

use crate::allocate::allocate;
use crate::cents::Cents;
use crate::ingroeipad::{Ingroeipad, PathError};
use crate::objectief::ObjectiefModel;
use crate::profiel::{FinanceProfile, HistorischeVerdeling, parse_procent};
use crate::rapport::GeldError;

/// Parse an ingroeipad file with year 1 = `startjaar`; errors name the line (not monotone,
/// not reaching 100 %, not a number, out of range).
pub fn pad_uit_bestand(text: &str, startjaar: i32) -> Result<(Ingroeipad, Herkomst), GeldError> {
    let e = |code: &'static str, line: usize, m: String| {
        GeldError::new(code, format!("ingroeipad, regel {line}: {m}"))
    };
    let mut herkomst = None;
    let mut rows: Vec<(i32, i64, usize)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(c) = l.strip_prefix('#') {
            let c = c.trim();
            if let Some(b) = c.strip_prefix("bron:") {
                herkomst = Some(Herkomst::Bron(b.trim().into()));
            } else if let Some(a) = c.strip_prefix("aanname:") {
                herkomst = Some(Herkomst::Aanname(a.trim().into()));
            }
            continue;
        }
        if l == "jaar;aandeel" {
            continue;
        }
        let (j, a) = l.split_once(';').ok_or_else(|| {
            e(
                "ingroeipad.regel",
                line,
                format!("verwacht jaar;aandeel, niet {l:?}"),
            )
        })?;
        let k: i32 = j.trim().parse().ok().filter(|k| *k >= 1).ok_or_else(|| {
            e(
                "ingroeipad.getal",
                line,
                format!("jaar {j:?} is geen padjaar 1, 2, …"),
            )
        })?;
        if k != i32::try_from(rows.len()).unwrap_or(i32::MAX) + 1 {
            return Err(e(
                "ingroeipad.regel",
                line,
                format!("padjaar {k} volgt niet op padjaar {}", rows.len()),
            ));
        }
        let share = parse_procent(a).ok_or_else(|| {
            e(
                "ingroeipad.getal",
                line,
                format!("aandeel {a:?} is geen percentage"),
            )
        })?;
        rows.push((startjaar + k - 1, share, line));
    }
    let herkomst = herkomst.ok_or_else(|| {
        e(
            "ingroeipad.herkomst",
            1,
            "geen regel '# bron: …' of '# aanname: …'".into(),
        )
    })?;
    let table: Vec<(i32, i64)> = rows.iter().map(|r| (r.0, r.1)).collect();
    let line_of = |year: i32| rows.iter().find(|r| r.0 == year).map_or(0, |r| r.2);
    let pad = Ingroeipad::from_table(&table).map_err(|pe| match pe {
        PathError::Decreasing { year, .. } => {
            e("ingroeipad.niet_monotoon", line_of(year), pe.to_string())
        }
        PathError::LastNotFull { year, .. } => {
            e("ingroeipad.niet_100", line_of(year), pe.to_string())
        }
        PathError::OutOfRange { year, .. } => e("ingroeipad.getal", line_of(year), pe.to_string()),
        other => e("ingroeipad.regel", 0, other.to_string()),
    })?;
    Ok((pad, herkomst))
}

/// One gemeente's budgets in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Begroting {
    /// The gemeente.
    pub gemeente: GemeenteCode,
    /// Inhabitants.
    pub inwoners: u64,
    /// `H(g,t)`.
    pub historisch: Cents,
    /// `O(g,t)`.
    pub objectief: Cents,
    /// Whether the model has data for the gemeente (if not, `objectief` is 0 and only
    /// allowed in a year in which the ingroeipad's share is 0 %).
    pub objectief_bekend: bool,
    /// `B(g,t)` along the ingroeipad.
    pub budget: Cents,
    /// `B − H`.
    pub herverdeeleffect: Cents,
    /// `(B − H) / inwoners`, half away from zero (zero without inhabitants).
    pub per_inwoner: Cents,
}

/// The gemeenten that are members of the region on 1 January of `jaar`, with their
/// inhabitants (0 when unknown), in profile order. A gemeente that joins or leaves during a
/// year counts for the years whose 1 January it is a member on.
pub fn leden(region: &RegionProfile, jaar: i32) -> Vec<(GemeenteCode, u64)> {
    let jan1 = vangnet_domain::Date::from_ymd(jaar, 1, 1).expect("a year start");
    region
        .members_on(jan1)
        .map(|g| (g.code, u64::from(g.inhabitants.unwrap_or(0))))
        .collect()
}

/// The region's historical budget in `jaar` after the Wlz uitname: `BW + MO − uitname`.
pub fn historisch_regio(fin: &FinanceProfile, jaar: i32) -> Result<Cents, GeldError> {
    let j = fin.jaar(jaar)?;
    j.bw.0
        .checked_add(j.mo.0)
        .and_then(|x| x.checked_sub(j.wlz_uitname()))
        .map_err(|_| GeldError::overloop())
}

/// `H(g,t)` per member gemeente ([`leden`]), in profile order.
pub fn historisch(
    fin: &FinanceProfile,
    region: &RegionProfile,
    jaar: i32,
) -> Result<Vec<(GemeenteCode, Cents)>, GeldError> {
    let total = historisch_regio(fin, jaar)?;
    let inw = leden(region, jaar);
    let weights: Vec<u64> = match &fin.historische_verdeling.0 {
        HistorischeVerdeling::Centrumgemeente => inw
            .iter()
            .map(|(g, _)| u64::from(*g == region.centrumgemeente))
            .collect(),
        HistorischeVerdeling::Inwoners => inw.iter().map(|x| x.1).collect(),
        HistorischeVerdeling::Procent(k) => inw
            .iter()
            .map(|(g, _)| {
                k.iter()
                    .find(|x| x.0 == *g)
                    .map_or(0, |x| x.1.unsigned_abs())
            })
            .collect(),
    };
    let parts = allocate(total, &weights).map_err(|x| {
        GeldError::new("begroting.verdeling", format!("historische verdeling: {x}"))
    })?;
    Ok(inw.iter().map(|x| x.0).zip(parts).collect())
}

/// The budgets of every member gemeente in `jaar` along `pad`, in profile order.
pub fn begroting(
    fin: &FinanceProfile,
    region: &RegionProfile,
    model: &ObjectiefModel,
    pad: &Ingroeipad,
    jaar: i32,
) -> Result<Vec<Begroting>, GeldError> {
    let h = historisch(fin, region, jaar)?;
    let codes: Vec<GemeenteCode> = h.iter().map(|x| x.0).collect();
    // A gemeente without data in the model is an error when the path uses the model this
    // year; in a year with share 0 % its objective budget is shown as 0 and marked.
    let o: Vec<(GemeenteCode, Cents, bool)> = if pad.share(jaar) > 0 {
        model
            .voor(&codes)?
            .into_iter()
            .map(|(g, c)| (g, c, true))
            .collect()
    } else {
        let all = model.budgetten()?;
        codes
            .iter()
            .map(|g| match all.iter().find(|x| x.0 == *g) {
                Some(&(_, c)) => (*g, c, true),
                None => (*g, Cents::ZERO, false),
            })
            .collect()
    };
    let inw = leden(region, jaar);
    h.iter()
        .zip(o)
        .zip(inw)
        .map(|((&(g, hist), (_, obj, bekend)), (_, n))| {
            let budget = pad
                .budget(jaar, hist, obj)
                .map_err(|_| GeldError::overloop())?;
            let eff = budget
                .checked_sub(hist)
                .map_err(|_| GeldError::overloop())?;
            let per = if n == 0 {
                Cents::ZERO
            } else {
                eff.mul_ratio(1, i64::try_from(n).unwrap_or(i64::MAX))
                    .map_err(|_| GeldError::overloop())?
            };
            Ok(Begroting {
                gemeente: g,
                inwoners: n,
                historisch: hist,
                objectief: obj,
                objectief_bekend: bekend,
                budget,
                herverdeeleffect: eff,
                per_inwoner: per,
            })
        })
        .collect()
}
