//! `vangnet geld`: the money reports of issue 13 at the command line — per gemeente the year
//! overview (costs under the three attributions, historical / objective / ingroeipad budget,
//! herverdeeleffect, regional share), the cost table and the settlement statement, made by
//! the same model functions as the screens (`vangnet_money::jaaroverzicht`,
//! `kosten_tabel`) from the same volumes (`vangnet_store::geld::money_volumes`) and the
//! tariffs of the finance profile together with those the region entered
//! (`vangnet_store::tarieven::all_tariffs`). On SQLite (default) or `--database-url`.
//!
//! `--objectief FILE` and `--ingroeipad FILE` load another objective model or ingroeipad;
//! bad input is the model's Dutch error with its line, and the command exits non-zero
//! without printing a partial report. `--csv`/`--xlsx` write exactly the printed tables.
//! The command is an operator's tool: amounts are exact (the screens apply the
//! small-number suppression for viewers who may not see the people behind them).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use vangnet_domain::{Maand, ProductCode, RegionId};
use vangnet_money::profiel::parse_procent;
use vangnet_money::{
    Ambulantisering, Attribution, Cents, FinanceProfile, Jaaroverzicht, KostenRegel,
    ObjectiefModel, Scenario,
};
use vangnet_store::Store;
use vangnet_tabular::{Cell, Table};

/// Options of `vangnet geld`.
#[derive(Args, Debug)]
pub struct GeldArgs {
    /// Region id (e.g. `centraal-gelderland`).
    #[arg(long)]
    regio: String,
    /// Year.
    #[arg(long)]
    jaar: i32,
    /// Attribution of the cost table: `besluit` (today's law), `woonplaatsbeginsel` (bill
    /// 36 288) or `zorglocatie`; default the regime of the year in the finance profile.
    #[arg(long)]
    toerekening: Option<String>,
    /// Write the printed tables as CSV: FILE with `-overzicht`, `-kosten` and `-afrekening`
    /// before the extension.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Write the printed tables as one Excel workbook.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Another objective-model file (CSV, as `regions/geld/objectief-voorbeeld-2027.csv`).
    #[arg(long, value_name = "FILE")]
    objectief: Option<PathBuf>,
    /// Another ingroeipad file (CSV, as `regions/geld/ingroeipad-lineair-10.csv`); year 1 is
    /// the profile's start year (or `--scenario objectief=JJJJ`).
    #[arg(long, value_name = "FILE")]
    ingroeipad: Option<PathBuf>,
    /// A scenario setting, repeatable: `wpb=JJJJ` (woonplaatsbeginsel from), `objectief=JJJJ`
    /// (ingroeipad starts), `wlz=PCT` (share of BW days to the Wlz), `ambulant=PCT/JAREN/VANAF/PRODUCT`
    /// (intramural BW days that become ambulant).
    #[arg(long, value_name = "SLEUTEL=WAARDE")]
    scenario: Vec<String>,
}

/// Parse the `--scenario` settings (Dutch errors naming the setting).
pub fn parse_scenario(settings: &[String]) -> Result<Scenario> {
    let mut s = Scenario::default();
    let jaar = |k: &str, v: &str| -> Result<i32> {
        v.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .with_context(|| format!("--scenario {k}={v}: geen jaar (1900–2100)"))
    };
    let pct = |k: &str, v: &str| -> Result<i64> {
        parse_procent(v)
            .filter(|bp| (0..=10_000).contains(bp))
            .with_context(|| format!("--scenario {k}={v}: geen percentage tussen 0 en 100"))
    };
    for setting in settings {
        let Some((k, v)) = setting.split_once('=') else {
            bail!("--scenario {setting}: schrijf sleutel=waarde (wpb, objectief, wlz of ambulant)");
        };
        match k.trim() {
            "wpb" => s.wpb_vanaf = Some(jaar(k, v)?),
            "objectief" => s.objectief_vanaf = Some(jaar(k, v)?),
            "wlz" => s.wlz_bp = Some(pct(k, v)?),
            "ambulant" => {
                let parts: Vec<&str> = v.split('/').collect();
                let [p, n, y, product] = parts.as_slice() else {
                    bail!(
                        "--scenario ambulant={v}: schrijf PCT/JAREN/VANAF/PRODUCT, bijvoorbeeld 20/5/2026/bw-zelfstandig-intensief"
                    );
                };
                let jaren = n
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=50).contains(n))
                    .with_context(|| {
                        format!("--scenario ambulant={v}: {n} is geen aantal jaren (1–50)")
                    })?;
                s.ambulantisering = Some(Ambulantisering {
                    procent_bp: pct(k, p)?,
                    jaren,
                    vanaf: jaar(k, y)?,
                    naar: ProductCode::parse(product.trim())
                        .map_err(|e| anyhow::anyhow!("--scenario ambulant={v}: product: {e}"))?,
                });
            }
            other => {
                bail!("--scenario {other}: onbekende sleutel (wpb, objectief, wlz of ambulant)")
            }
        }
    }
    Ok(s)
}

fn attribution_of(s: &str) -> Result<Attribution> {
    Ok(match s.trim() {
        "besluit" => Attribution::Besluit,
        "woonplaatsbeginsel" | "woonplaats" => Attribution::Woonplaatsbeginsel,
        "zorglocatie" => Attribution::Zorglocatie,
        other => bail!("--toerekening {other}: kies besluit, woonplaatsbeginsel of zorglocatie"),
    })
}

/// The Dutch name of an attribution.
pub fn attribution_label(a: Attribution) -> &'static str {
    match a {
        Attribution::Besluit => "besluitende gemeente (huidige wet)",
        Attribution::Woonplaatsbeginsel => "woonplaatsbeginsel (wetsvoorstel 36 288)",
        Attribution::Zorglocatie => "gemeente van de zorglocatie",
    }
}

/// Everything the command computes for one region-year (also used by the benchmark).
pub struct Report {
    /// The year overview and settlement.
    pub overzicht: Jaaroverzicht,
    /// The cost table (every attribution).
    pub kosten: Vec<KostenRegel>,
}

/// The finance profile of `region` with the tariffs the region entered: each takes over from
/// the profile's tariff of its product and leveringsvorm for its own period
/// (`vangnet_store::tarieven::all_tariffs`, the money pages' rule).
pub fn finance_profile(store: &dyn Store, region: &RegionId) -> Result<FinanceProfile> {
    let profile = store
        .regions()
        .get(region)
        .with_context(|| format!("regio '{region}' bestaat niet"))?;
    let (fin, _) = vangnet_store::geld::priced_profile(store, profile)
        .with_context(|| format!("financieel profiel van {region}"))?;
    Ok(fin)
}

/// Compute the report of `region` in `jaar` (volumes from the store, then the model).
pub fn report(
    store: &dyn Store,
    fin: &FinanceProfile,
    model: &ObjectiefModel,
    region: &RegionId,
    jaar: i32,
    scenario: &Scenario,
) -> Result<Report> {
    let profile = store
        .regions()
        .get(region)
        .with_context(|| format!("regio '{region}' bestaat niet"))?;
    let (van, tot) = (
        Maand::new(jaar, 1).context("jaar")?,
        Maand::new(jaar, 12).context("jaar")?,
    );
    let volumes = vangnet_store::geld::money_volumes(store, region, van, tot)?;
    let overzicht = vangnet_money::jaaroverzicht(fin, profile, model, &volumes, jaar, scenario)?;
    let kosten = vangnet_money::kosten_tabel(fin, profile, &volumes, van, tot, scenario)?;
    Ok(Report { overzicht, kosten })
}

fn euro(c: Cents) -> Cell {
    // Exact: cents as a decimal number of euros with two decimals (a float only in the file
    // cell; the text on screen is exact).
    Cell::Number(c.0 as f64 / 100.0)
}

/// The three tables the command prints and writes.
pub fn tables(r: &Report, attribution: Attribution, scenario: &Scenario) -> [Table; 3] {
    let o = &r.overzicht;
    let naam = |g| vangnet_domain::woonplaats::naam(g);
    let mut preamble = vec![format!("Regio {}, jaar {}", o.regio, o.jaar)];
    preamble.extend(
        scenario
            .omschrijving()
            .into_iter()
            .map(|s| format!("Scenario: {s}")),
    );
    let notes: Vec<String> = o
        .aannames
        .iter()
        .map(|a| format!("Aanname: {a}"))
        .chain([format!("Verdeelsleutel: {}", o.sleutel)])
        .collect();
    let overzicht = Table {
        title: format!("Jaaroverzicht {} {}", o.regio, o.jaar),
        sheet: "Jaaroverzicht".into(),
        preamble: preamble.clone(),
        columns: [
            "Gemeente",
            "Code",
            "Inwoners",
            "Kosten besluit (€)",
            "Kosten woonplaatsbeginsel (€)",
            "Kosten zorglocatie (€)",
            "Verplicht woonplaatsbeginsel (€)",
            "Historisch budget (€)",
            "Objectief budget (€)",
            "Budget ingroeipad (€)",
            "Herverdeeleffect (€)",
            "Herverdeeleffect per inwoner (€)",
            "Aandeel regionale voorzieningen (€)",
        ]
        .map(String::from)
        .to_vec(),
        rows: o
            .gemeenten
            .iter()
            .map(|g| {
                vec![
                    naam(g.gemeente).into(),
                    g.gemeente.to_string().into(),
                    Cell::Int(g.inwoners as i64),
                    euro(g.kosten[0]),
                    euro(g.kosten[1]),
                    euro(g.kosten[2]),
                    euro(g.verplicht[1]),
                    euro(g.historisch),
                    euro(g.objectief),
                    euro(g.budget),
                    euro(g.herverdeeleffect),
                    euro(g.herverdeeleffect_per_inwoner),
                    euro(g.regionaal_aandeel),
                ]
            })
            .collect(),
        notes: notes.clone(),
    };
    // Cost table: per gemeente and product, the year's totals under one attribution.
    let mut per: std::collections::BTreeMap<(String, String), (i64, i64, i64)> = Default::default();
    for k in r.kosten.iter().filter(|k| k.attribution == attribution) {
        let g = k
            .gemeente
            .map_or_else(|| "(onbekend)".to_owned(), |g| g.to_string());
        let e = per.entry((g, k.product.to_string())).or_default();
        e.0 += k.gerealiseerd.0;
        e.1 += k.verplicht.0;
        e.2 += k.dagen;
    }
    let kosten = Table {
        title: format!("Kosten {} {} — {}", o.regio, o.jaar, attribution_label(attribution)),
        sheet: "Kosten".into(),
        preamble: preamble.clone(),
        columns: [
            "Gemeente",
            "Code",
            "Product",
            "Gerealiseerd (€)",
            "Verplicht (€)",
            "Dagen of nachten",
        ]
        .map(String::from)
        .to_vec(),
        rows: per
            .into_iter()
            .map(|((g, p), (real, verpl, dagen))| {
                let name = vangnet_domain::GemeenteCode::parse(&g)
                    .map_or_else(|_| g.clone(), naam);
                vec![
                    name.into(),
                    g.into(),
                    p.into(),
                    euro(Cents(real)),
                    euro(Cents(verpl)),
                    Cell::Int(dagen),
                ]
            })
            .collect(),
        notes: vec![
            "Gerealiseerd: zorgdagen en MO-nachten × tarief; verplicht: toegewezen, (nog) niet gestart."
                .into(),
        ],
    };
    let afrekening = Table {
        title: format!("Afrekening {} {}", o.regio, o.jaar),
        sheet: "Afrekening".into(),
        preamble,
        columns: std::iter::once("Gemeente".to_owned())
            .chain(std::iter::once("Code".to_owned()))
            .chain(
                o.gemeenten
                    .first()
                    .map(|g| {
                        g.afrekening
                            .lines()
                            .map(|(l, _)| format!("{l} (€)"))
                            .to_vec()
                    })
                    .unwrap_or_default(),
            )
            .collect(),
        rows: o
            .gemeenten
            .iter()
            .map(|g| {
                [naam(g.gemeente).into(), g.gemeente.to_string().into()]
                    .into_iter()
                    .chain(g.afrekening.lines().iter().map(|(_, c)| euro(*c)))
                    .collect()
            })
            .collect(),
        notes,
    };
    [overzicht, kosten, afrekening]
}

/// The tables as text for the terminal (amounts exact, `€ 1.234,56`).
fn render(r: &Report, attribution: Attribution, scenario: &Scenario) -> String {
    let o = &r.overzicht;
    let mut s = String::new();
    let _ = writeln!(s, "Geld — regio {}, jaar {}", o.regio, o.jaar);
    for sc in scenario.omschrijving() {
        let _ = writeln!(s, "Scenario: {sc}");
    }
    let _ = writeln!(
        s,
        "Totale kosten (gerealiseerd): {}; Wlz-uitname: {}; aandeel objectief model: {},{:02} %",
        o.totaal_kosten,
        o.wlz_uitname,
        o.ingroei_aandeel_bp / 100,
        o.ingroei_aandeel_bp % 100
    );
    let _ = writeln!(s, "Verdeelsleutel: {}", o.sleutel);
    for (naam, bedrag, herkomst) in &o.regionale_voorzieningen {
        let _ = writeln!(s, "Regionale voorziening: {naam}: {bedrag} ({herkomst})");
    }
    let [overzicht, kosten, afrekening] = tables(r, attribution, scenario);
    for t in [&overzicht, &kosten, &afrekening] {
        let _ = writeln!(s, "\n{}", t.title);
        let _ = writeln!(s, "{}", t.columns.join(" | "));
        for row in &t.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => t.clone(),
                    Cell::Int(n) => n.to_string(),
                    Cell::Number(x) => Cents((x * 100.0).round() as i64).to_string(),
                    Cell::Withheld { shown, .. } => shown.clone(),
                    Cell::Empty => String::new(),
                })
                .collect();
            let _ = writeln!(s, "{}", cells.join(" | "));
        }
    }
    let _ = writeln!(s);
    for a in &o.aannames {
        let _ = writeln!(s, "Aanname: {a}");
    }
    s
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "geld".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map_or_else(|| "csv".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-{suffix}.{ext}"))
}

/// Run `vangnet geld`.
pub fn run(args: &GeldArgs, store: &dyn Store) -> Result<()> {
    let region = RegionId::parse(&args.regio)
        .ok()
        .filter(|r| store.regions().get(r).is_some())
        .with_context(|| format!("--regio {}: onbekende regio", args.regio))?;
    if !(1900..=2100).contains(&args.jaar) {
        bail!("--jaar {}: kies een jaar tussen 1900 en 2100", args.jaar);
    }
    let scenario = parse_scenario(&args.scenario)?;
    let mut fin = finance_profile(store, &region)?;
    let model = match &args.objectief {
        None => ObjectiefModel::parse(vangnet_money::objectief::VOORBEELD_2027)
            .context("het meegeleverde objectieve model")?,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{} lezen", path.display()))?;
            ObjectiefModel::parse(&text).with_context(|| format!("{}", path.display()))?
        }
    };
    if let Some(path) = &args.ingroeipad {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("{} lezen", path.display()))?;
        let (pad, herkomst) =
            vangnet_money::begroting::pad_uit_bestand(&text, fin.ingroeipad.start_year())
                .with_context(|| format!("{}", path.display()))?;
        fin.ingroeipad = pad;
        fin.ingroeipad_bron = (path.display().to_string(), herkomst);
    }
    let attribution = match &args.toerekening {
        Some(t) => attribution_of(t)?,
        None if scenario
            .wpb_vanaf
            .map_or_else(|| fin.wpb_in(args.jaar), |y| args.jaar >= y) =>
        {
            Attribution::Woonplaatsbeginsel
        }
        None => Attribution::Besluit,
    };
    // Everything is computed before anything is printed or written: no partial report.
    let r = report(store, &fin, &model, &region, args.jaar, &scenario)?;
    let text = render(&r, attribution, &scenario);
    let tables = tables(&r, attribution, &scenario);
    if let Some(path) = &args.csv {
        for (t, suffix) in tables.iter().zip(["overzicht", "kosten", "afrekening"]) {
            let p = with_suffix(path, suffix);
            std::fs::write(&p, vangnet_tabular::to_csv(t))
                .with_context(|| format!("{} schrijven", p.display()))?;
        }
    }
    if let Some(path) = &args.xlsx {
        std::fs::write(path, vangnet_tabular::to_xlsx(&tables))
            .with_context(|| format!("{} schrijven", path.display()))?;
    }
    print!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_settings_parse_and_bad_ones_are_named() {
        let s = parse_scenario(&[
            "wpb=2027".into(),
            "objectief=2028".into(),
            "wlz=7,5".into(),
            "ambulant=20/5/2026/bw-zelfstandig-intensief".into(),
        ])
        .expect("parses");
        assert_eq!(s.wpb_vanaf, Some(2027));
        assert_eq!(s.objectief_vanaf, Some(2028));
        assert_eq!(s.wlz_bp, Some(750));
        let a = s.ambulantisering.expect("ambulant");
        assert_eq!((a.procent_bp, a.jaren, a.vanaf), (2000, 5, 2026));
        assert!(parse_scenario(&[]).expect("empty").is_basis());
        for (bad, word) in [
            ("wpb", "sleutel=waarde"),
            ("wpb=twee", "geen jaar"),
            ("wlz=120", "percentage"),
            ("ambulant=20/5/2026", "PCT/JAREN/VANAF/PRODUCT"),
            ("ambulant=20/0/2026/bw-x", "aantal jaren"),
            ("kleur=rood", "onbekende sleutel"),
        ] {
            let e = parse_scenario(&[bad.into()]).expect_err(bad).to_string();
            assert!(e.contains(word), "{bad}: {e}");
        }
    }

    #[test]
    fn csv_names_get_the_table_before_the_extension() {
        assert_eq!(
            with_suffix(Path::new("/tmp/geld.csv"), "kosten"),
            PathBuf::from("/tmp/geld-kosten.csv")
        );
        assert_eq!(
            with_suffix(Path::new("uit"), "overzicht"),
            PathBuf::from("uit-overzicht.csv")
        );
    }
}
