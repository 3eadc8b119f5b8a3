//! The tables of the money pages (issue 13), built once from the model's
//! [`vangnet_money::Jaaroverzicht`] and [`vangnet_money::KostenRegel`]s and then written three
//! ways — HTML, CSV/XLSX ([`GTabel::tabular`]) and JSON ([`GTabel::json`]) — so a download
//! holds exactly what the screen shows. Pure: no I/O.
//!
//! **Suppression.** An amount per gemeente that rests on fewer people than the region's
//! small-number threshold (`kleine_aantallen_drempel`, the monitor's) is shown as `<t`
//! ("onderdrukt") to everyone but the region's own access team, and complementary figures
//! are hidden (`—`) so the region total, which stays exact, does not give it away: the
//! monitor's complementary suppression ([`vangnet_publish::complementary::suppress`]) over
//! the gemeenten of the column, with the region total as the most important aggregate. In
//! the cost table the rows of one gemeente are protected the same way against the
//! gemeente's year total on the overview. An amount whose people count is 0 but which is not
//! 0 (days in a month that ended before the month end) counts as small.

use serde_json::{Value, json};
use vangnet_domain::{GemeenteCode, RegionProfile};
use vangnet_money::{Attribution, Cents, GemeenteJaar, Jaaroverzicht, KostenRegel};
use vangnet_publish::complementary::{self, Aggregate, Outcome};

use crate::figures::{Figure, gemeente_name, product_name};

/// One cell of a money table, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GCel {
    /// Text.
    Tekst(String),
    /// An exact amount.
    Bedrag(Cents),
    /// A whole number (days, inhabitants).
    Getal(i64),
    /// Suppressed: a small number of people behind it (`<t`).
    Klein(u32),
    /// Hidden so a suppressed amount cannot be derived (`—`).
    Verborgen,
    /// A date (`dd-mm-jjjj` on screen and in the CSV, ISO in the JSON).
    Datum(vangnet_domain::Date),
}

impl GCel {
    /// The text on screen (and in the CSV for text and suppressed cells).
    pub(crate) fn tekst(&self) -> String {
        match self {
            GCel::Tekst(s) => s.clone(),
            GCel::Bedrag(c) => c.to_string(),
            GCel::Getal(n) => crate::labels::thousands(n.unsigned_abs())
                .to_string()
                .chars()
                .fold(
                    if *n < 0 {
                        "-".to_owned()
                    } else {
                        String::new()
                    },
                    |mut s, ch| {
                        s.push(ch);
                        s
                    },
                ),
            GCel::Klein(t) => Figure::Small(*t).to_string(),
            GCel::Verborgen => Figure::Hidden.to_string(),
            GCel::Datum(d) => crate::labels::date(*d),
        }
    }

    /// Whether the cell hides something.
    pub(crate) fn onderdrukt(&self) -> bool {
        matches!(self, GCel::Klein(_) | GCel::Verborgen)
    }

    /// As a spreadsheet cell: an amount is a number in euros (exact cents written as a
    /// decimal; the conversion happens here, at the edge, and prints the cents exactly —
    /// amounts stay far below 2⁵³ cents), a suppressed cell is withheld with its note.
    fn cel(&self) -> vangnet_tabular::Cell {
        use vangnet_tabular::Cell;
        match self {
            GCel::Tekst(s) => Cell::Text(s.clone()),
            GCel::Bedrag(c) => Cell::Number(c.get() as f64 / 100.0),
            GCel::Getal(n) => Cell::Int(*n),
            GCel::Klein(t) => Figure::Small(*t).cel(),
            GCel::Verborgen => Figure::Hidden.cel(),
            GCel::Datum(d) => Cell::Text(crate::labels::date(*d)),
        }
    }

    /// As JSON: an amount as an exact decimal string in euros (`"1234.56"`), a number as a
    /// number, a suppressed cell as its short form (`"<5"`) or `null` when hidden.
    fn json(&self) -> Value {
        match self {
            GCel::Tekst(s) => json!(s),
            GCel::Bedrag(c) => json!(euro_decimaal(*c)),
            GCel::Getal(n) => json!(n),
            GCel::Klein(t) => json!(format!("<{t}")),
            GCel::Verborgen => Value::Null,
            GCel::Datum(d) => json!(d.to_string()),
        }
    }
}

/// `12345` cents as `"123.45"` (exact, no float).
pub(crate) fn euro_decimaal(c: Cents) -> String {
    let n = c.get();
    let sign = if n < 0 { "-" } else { "" };
    let a = n.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Basis points as a Dutch percentage: `2500` → `25,00 %`.
pub(crate) fn procent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    format!("{sign}{},{:02} %", a / 100, a % 100)
}

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GRij {
    /// The row's label (first column).
    pub label: String,
    /// The cells, one per column after the first.
    pub cellen: Vec<GCel>,
    /// A total row (bold, last).
    pub totaal: bool,
    /// The viewer's own gemeente (marked on screen).
    pub eigen: bool,
}

/// One table of a money page: what the screen, the CSV/XLSX and the JSON show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GTabel {
    /// Key (`tabel=` of the downloads, the table's id on the page).
    pub sleutel: &'static str,
    /// Caption.
    pub titel: String,
    /// Header of the first column.
    pub kop: String,
    /// Headers of the other columns.
    pub kolommen: Vec<String>,
    /// Rows.
    pub rijen: Vec<GRij>,
    /// Notes under the table (also in the workbook).
    pub noten: Vec<String>,
}

impl GTabel {
    /// The same table for a download.
    pub(crate) fn tabular(&self) -> vangnet_tabular::Table {
        let mut columns = vec![self.kop.clone()];
        columns.extend(self.kolommen.iter().cloned());
        vangnet_tabular::Table {
            title: self.titel.clone(),
            sheet: String::new(),
            preamble: Vec::new(),
            columns,
            rows: self
                .rijen
                .iter()
                .map(|r| {
                    std::iter::once(vangnet_tabular::Cell::Text(r.label.clone()))
                        .chain(r.cellen.iter().map(GCel::cel))
                        .collect()
                })
                .collect(),
            notes: self.noten.clone(),
        }
    }

    /// The same table as JSON.
    pub(crate) fn json(&self) -> Value {
        json!({
            "tabel": self.sleutel,
            "titel": self.titel,
            "kolommen": std::iter::once(&self.kop).chain(&self.kolommen).collect::<Vec<_>>(),
            "rijen": self.rijen.iter().map(|r| {
                let mut v = vec![json!(r.label)];
                v.extend(r.cellen.iter().map(GCel::json));
                json!({"waarden": v, "totaal": r.totaal})
            }).collect::<Vec<_>>(),
            "noten": self.noten,
        })
    }
}

/// The Dutch name of an attribution (column headers, the choice on the cost table).
pub(crate) fn toerekening_naam(a: Attribution) -> &'static str {
    match a {
        Attribution::Besluit => "gemeente van het besluit (huidige wet)",
        Attribution::Woonplaatsbeginsel => "woonplaatsbeginsel (wetsvoorstel 36 288)",
        Attribution::Zorglocatie => "gemeente van de zorglocatie",
    }
}

/// The key of an attribution in a URL (`?toerekening=`).
pub(crate) fn toerekening_sleutel(a: Attribution) -> &'static str {
    match a {
        Attribution::Besluit => "besluit",
        Attribution::Woonplaatsbeginsel => "woonplaatsbeginsel",
        Attribution::Zorglocatie => "zorglocatie",
    }
}

/// An attribution from its URL key.
pub(crate) fn toerekening_van(s: &str) -> Option<Attribution> {
    Attribution::ALL
        .into_iter()
        .find(|a| toerekening_sleutel(*a) == s)
}

fn index(a: Attribution) -> usize {
    Attribution::ALL
        .iter()
        .position(|x| *x == a)
        .unwrap_or_default()
}

/// Which amounts of one column may be shown: `people[i]` and `amounts[i]` per part, the total
/// of all parts published when it is not itself small. Without a threshold (exact figures)
/// everything is published.
pub(crate) fn onderdruk(people: &[i64], amounts: &[Cents], t: Option<u32>) -> Vec<Outcome> {
    onderdruk_met_totaal(people, amounts, t).1
}

/// [`onderdruk`], with the outcome of the total of the parts first: the total is published
/// only where the rules allow it (a total resting on fewer than `t` people is small itself).
pub(crate) fn onderdruk_met_totaal(
    people: &[i64],
    amounts: &[Cents],
    t: Option<u32>,
) -> (Outcome, Vec<Outcome>) {
    let Some(t) = t else {
        return (Outcome::Published, vec![Outcome::Published; people.len()]);
    };
    // The people behind each part; an amount without people at a month end is small.
    let atoms: Vec<u64> = people
        .iter()
        .zip(amounts)
        .map(|(p, a)| match (a.get(), u64::try_from(*p).unwrap_or(0)) {
            (0, _) => 0,
            (_, 0) => 1,
            (_, n) => n,
        })
        .collect();
    let mut aggregates = vec![Aggregate {
        atoms: (0..atoms.len()).collect(),
        rank: 0,
    }];
    aggregates.extend((0..atoms.len()).map(|i| Aggregate {
        atoms: vec![i],
        rank: 1,
    }));
    let out = complementary::suppress(&atoms, &aggregates, t);
    (out[0], out[1..].to_vec())
}

fn shown(a: Cents, o: Outcome, t: Option<u32>) -> GCel {
    match (o, t) {
        (Outcome::Published, _) | (_, None) => GCel::Bedrag(a),
        (Outcome::Small, Some(t)) => GCel::Klein(t),
        (Outcome::Hidden, _) => GCel::Verborgen,
    }
}

/// The remainder of the region's costs not attributed to a member gemeente (outside the region
/// or not registered), per attribution.
fn overig(o: &Jaaroverzicht, ai: usize) -> Cents {
    let own: i64 = o.gemeenten.iter().map(|g| g.kosten[ai].get()).sum();
    Cents(o.totaal_kosten.get() - own)
}

/// For each attribution, which gemeente's realised cost may be shown.
pub(crate) fn kosten_uitkomsten(o: &Jaaroverzicht, t: Option<u32>) -> [Vec<Outcome>; 3] {
    std::array::from_fn(|ai| {
        let mut people: Vec<i64> = o.gemeenten.iter().map(|g| g.personen[ai]).collect();
        let mut amounts: Vec<Cents> = o.gemeenten.iter().map(|g| g.kosten[ai]).collect();
        // The remainder (outside the region / unknown) is a part of the total too; its
        // people are not known per gemeente: counted as not small, so it may be chosen to
        // protect a small gemeente but is never itself primary.
        let rest = overig(o, ai);
        if rest != Cents::ZERO {
            people.push(i64::from(t.unwrap_or(0)));
            amounts.push(rest);
        }
        onderdruk(&people, &amounts, t)
    })
}

/// The overview table: per gemeente the costs under the three attributions, committed
/// (besluit), the budgets, the herverdeeleffect (total and per inhabitant), the share of the
/// regional provisions and what is settled; a row for costs outside the region and the
/// region total.
pub(crate) fn overzicht(
    p: &RegionProfile,
    o: &Jaaroverzicht,
    regels: &[KostenRegel],
    t: Option<u32>,
    eigen: Option<GemeenteCode>,
) -> GTabel {
    let uit = kosten_uitkomsten(o, t);
    // Committed costs per gemeente (besluit) are protected like realised costs, on the people
    // with a committed allocation: the most at a month end in the cost table's committed
    // lines (those without a place yet).
    let (verplicht_totaal_uit, verplicht_uit) = onderdruk_met_totaal(
        &o.gemeenten
            .iter()
            .map(|g| verplichte_personen(regels, g.gemeente))
            .collect::<Vec<_>>(),
        &o.gemeenten
            .iter()
            .map(|g| g.verplicht[0])
            .collect::<Vec<_>>(),
        t,
    );
    let mut rijen: Vec<GRij> = o
        .gemeenten
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut cellen: Vec<GCel> = (0..3)
                .map(|ai| shown(g.kosten[ai], uit[ai][i], t))
                .collect();
            cellen.push(shown(g.verplicht[0], verplicht_uit[i], t));
            cellen.extend([
                GCel::Bedrag(g.historisch),
                GCel::Bedrag(g.objectief),
                GCel::Bedrag(g.budget),
                GCel::Bedrag(g.herverdeeleffect),
                GCel::Bedrag(g.herverdeeleffect_per_inwoner),
            ]);
            cellen.push(if statement_hidden(t, &uit, i) {
                GCel::Verborgen
            } else {
                GCel::Bedrag(g.regionaal_aandeel)
            });
            cellen.push(settlement_cel(g, t, &uit, i));
            GRij {
                label: gemeente_name(p, &g.gemeente.to_string()),
                cellen,
                totaal: false,
                eigen: eigen == Some(g.gemeente),
            }
        })
        .collect();
    let rest: [Cents; 3] = std::array::from_fn(|ai| overig(o, ai));
    if rest.iter().any(|c| *c != Cents::ZERO) {
        let n = o.gemeenten.len();
        let mut cellen: Vec<GCel> = (0..3)
            .map(|ai| match uit[ai].get(n) {
                Some(out) => shown(rest[ai], *out, t),
                None => GCel::Bedrag(rest[ai]),
            })
            .collect();
        cellen.extend(std::iter::repeat_n(GCel::Tekst(String::new()), 8));
        rijen.push(GRij {
            label: "Buiten de regio of niet ingeschreven".to_owned(),
            cellen,
            totaal: false,
            eigen: false,
        });
    }
    let som = |f: &dyn Fn(&GemeenteJaar) -> Cents| {
        GCel::Bedrag(Cents(o.gemeenten.iter().map(|g| f(g).get()).sum()))
    };
    // The committed total is decided with its parts: when one gemeente holds every committed
    // allocation (the centrumgemeente under today's law), a small part makes the total small.
    let verplicht_totaal = shown(
        Cents(o.gemeenten.iter().map(|g| g.verplicht[0].get()).sum()),
        verplicht_totaal_uit,
        t,
    );
    rijen.push(GRij {
        label: "Regio totaal".to_owned(),
        cellen: vec![
            GCel::Bedrag(o.totaal_kosten),
            GCel::Bedrag(o.totaal_kosten),
            GCel::Bedrag(o.totaal_kosten),
            verplicht_totaal,
            som(&|g| g.historisch),
            som(&|g| g.objectief),
            som(&|g| g.budget),
            som(&|g| g.herverdeeleffect),
            GCel::Tekst(String::new()),
            som(&|g| g.regionaal_aandeel),
            som(&|g| g.afrekening.settlement),
        ],
        totaal: true,
        eigen: false,
    });
    let mut noten = vec![
        "Bedragen in euro's, exact tot op de cent. Afronding: per berekening half van nul af \
         afgerond; restcenten bij een verdeling naar de grootste rest, zodat delen optellen tot \
         het totaal."
            .to_owned(),
        format!(
            "Budget langs het ingroeipad: {} van het objectieve budget in {}.",
            procent(o.ingroei_aandeel_bp),
            o.jaar
        ),
    ];
    if o.wlz_uitname != Cents::ZERO {
        noten.push(format!(
            "Wlz-uitname in {}: {} (al van het historische budget afgetrokken).",
            o.jaar, o.wlz_uitname
        ));
    }
    if let Some(t) = t {
        noten.push(format!(
            "Kosten die op minder dan {t} personen rusten staan als \"<{t}\"; \"—\" is verborgen \
             zodat het regiototaal ze niet verraadt."
        ));
    }
    GTabel {
        sleutel: "overzicht",
        titel: format!("Kosten en budgetten per gemeente, {}", o.jaar),
        kop: "Gemeente".to_owned(),
        kolommen: vec![
            "Kosten: besluit (huidige wet)".to_owned(),
            "Kosten: woonplaatsbeginsel".to_owned(),
            "Kosten: zorglocatie".to_owned(),
            "Verplicht (toegewezen, niet gestart)".to_owned(),
            "Historisch budget".to_owned(),
            "Objectief budget".to_owned(),
            "Budget ingroeipad".to_owned(),
            "Herverdeeleffect".to_owned(),
            "Herverdeeleffect per inwoner".to_owned(),
            "Aandeel regionale voorzieningen".to_owned(),
            "Te verrekenen".to_owned(),
        ],
        rijen,
        noten,
    }
}

/// The most people with a committed (not started) allocation at a month end for gemeente `g`
/// under today's law: the cost lines without a provider are the committed ones.
fn verplichte_personen(regels: &[KostenRegel], g: GemeenteCode) -> i64 {
    let mut per_maand: std::collections::BTreeMap<vangnet_domain::Maand, i64> =
        std::collections::BTreeMap::new();
    for r in regels.iter().filter(|r| {
        r.attribution == Attribution::Besluit
            && r.gemeente == Some(g)
            && r.aanbieder.is_none()
            && r.verplicht != Cents::ZERO
    }) {
        *per_maand.entry(r.maand).or_default() += r.personen;
    }
    per_maand.values().copied().max().unwrap_or(0)
}

/// Whether gemeente `i`'s statement is hidden: its own costs (under the law in force —
/// current law or the woonplaatsbeginsel, so either) or its use of the regional provisions
/// (a key by use reads the woonplaatsbeginsel costs) rest on few people. Each column hides
/// none or at least two gemeenten, so their union does too.
fn statement_hidden(t: Option<u32>, uit: &[Vec<Outcome>; 3], i: usize) -> bool {
    t.is_some() && (uit[0][i] != Outcome::Published || uit[1][i] != Outcome::Published)
}

/// The settlement of gemeente `i` as shown ([`statement_hidden`]).
fn settlement_cel(g: &GemeenteJaar, t: Option<u32>, uit: &[Vec<Outcome>; 3], i: usize) -> GCel {
    if statement_hidden(t, uit, i) {
        GCel::Verborgen
    } else {
        GCel::Bedrag(g.afrekening.settlement)
    }
}

/// The settlement statement: one column per gemeente, one row per line of
/// [`vangnet_money::Statement::lines`], and a column with the region total (the lines that
/// settle sum to zero). A gemeente whose own costs are suppressed shows only its budget and
/// regional share; a second one is hidden with it so the zero total gives nothing away.
pub(crate) fn verrekening(p: &RegionProfile, o: &Jaaroverzicht, t: Option<u32>) -> GTabel {
    let uit = kosten_uitkomsten(o, t);
    let verborgen: Vec<bool> = (0..o.gemeenten.len())
        .map(|i| statement_hidden(t, &uit, i))
        .collect();
    let labels = o
        .gemeenten
        .first()
        .map(|g| g.afrekening.lines().map(|(l, _)| l).to_vec())
        .unwrap_or_default();
    let rijen: Vec<GRij> = labels
        .iter()
        .enumerate()
        .map(|(li, label)| {
            let mut cellen: Vec<GCel> = o
                .gemeenten
                .iter()
                .enumerate()
                .map(|(gi, g)| {
                    let v = g.afrekening.lines()[li].1;
                    // Only the budget (0) does not rest on people.
                    if verborgen[gi] && li != 0 {
                        GCel::Verborgen
                    } else {
                        GCel::Bedrag(v)
                    }
                })
                .collect();
            let total: i64 = o
                .gemeenten
                .iter()
                .map(|g| g.afrekening.lines()[li].1.get())
                .sum();
            cellen.push(GCel::Bedrag(Cents(total)));
            GRij {
                label: (*label).to_owned(),
                cellen,
                totaal: *label == "Te verrekenen",
                eigen: false,
            }
        })
        .collect();
    let mut kolommen: Vec<String> = o
        .gemeenten
        .iter()
        .map(|g| gemeente_name(p, &g.gemeente.to_string()))
        .collect();
    kolommen.push("Regio (som)".to_owned());
    let mut noten = vec![
        "\"Te verrekenen\": positief ontvangt de gemeente, negatief betaalt zij. De regels \
         \"Solidariteit\", \"Verrekening regionale kosten\" en \"Te verrekenen\" tellen over de \
         regio op tot € 0,00."
            .to_owned(),
        format!("Verdeelsleutel: {}.", o.sleutel),
    ];
    if verborgen.iter().any(|v| *v) {
        noten.push(
            "Bij gemeenten waarvan de eigen kosten of het gebruik van de regionale voorzieningen \
             op kleine aantallen rusten staat alleen het budget; de andere regels zijn verborgen \
             (—)."
                .to_owned(),
        );
    }
    GTabel {
        sleutel: "verrekening",
        titel: format!("Verrekening tussen de gemeenten, {}", o.jaar),
        kop: "Regel".to_owned(),
        kolommen,
        rijen,
        noten,
    }
}

/// The cost table for one attribution: month × product × provider × gemeente, realised and
/// committed, days; rows of a gemeente whose year figure is published are protected against
/// it, rows of a suppressed gemeente are all suppressed.
pub(crate) fn kosten(
    p: &RegionProfile,
    o: &Jaaroverzicht,
    regels: &[KostenRegel],
    a: Attribution,
    t: Option<u32>,
    gemeente: Option<GemeenteCode>,
) -> GTabel {
    let mut regels: Vec<&KostenRegel> = regels
        .iter()
        .filter(|r| r.attribution == a && gemeente.is_none_or(|g| r.gemeente == Some(g)))
        .collect();
    regels.sort_by(|x, y| {
        (x.maand, &x.product, x.aanbieder, x.gemeente).cmp(&(
            y.maand,
            &y.product,
            y.aanbieder,
            y.gemeente,
        ))
    });
    // Per gemeente (None: outside/unknown), protect its rows against its total.
    let mut shown_rows: Vec<Option<(GCel, GCel)>> = vec![None; regels.len()];
    let mut keys: Vec<Option<GemeenteCode>> = regels.iter().map(|r| r.gemeente).collect();
    keys.sort();
    keys.dedup();
    let ai = index(a);
    let year_uit = kosten_uitkomsten(o, t);
    for key in keys {
        let idx: Vec<usize> = (0..regels.len())
            .filter(|i| regels[*i].gemeente == key)
            .collect();
        let people: Vec<i64> = idx.iter().map(|i| regels[*i].personen).collect();
        let real: Vec<Cents> = idx.iter().map(|i| regels[*i].gerealiseerd).collect();
        let comm: Vec<Cents> = idx.iter().map(|i| regels[*i].verplicht).collect();
        let gem_pos = key.and_then(|g| o.gemeenten.iter().position(|x| x.gemeente == g));
        let gem_suppressed = t.is_some()
            && gem_pos.is_some_and(|gi| {
                year_uit[ai]
                    .get(gi)
                    .is_some_and(|u| *u != Outcome::Published)
            });
        let ur = onderdruk(&people, &real, t);
        let uc = onderdruk(&people, &comm, t);
        for (k, i) in idx.iter().enumerate() {
            let r = regels[*i];
            let (ro, co) = if gem_suppressed {
                (
                    if r.gerealiseerd == Cents::ZERO {
                        Outcome::Published
                    } else {
                        Outcome::Hidden
                    },
                    if r.verplicht == Cents::ZERO {
                        Outcome::Published
                    } else {
                        Outcome::Hidden
                    },
                )
            } else {
                (ur[k], uc[k])
            };
            shown_rows[*i] = Some((shown(r.gerealiseerd, ro, t), shown(r.verplicht, co, t)));
        }
    }
    let mut rijen: Vec<GRij> = regels
        .iter()
        .zip(shown_rows)
        .map(|(r, s)| {
            let (real, comm) =
                s.unwrap_or((GCel::Bedrag(r.gerealiseerd), GCel::Bedrag(r.verplicht)));
            let dagen = if real.onderdrukt() {
                real.clone()
            } else {
                GCel::Getal(r.dagen)
            };
            GRij {
                label: r.maand.naam(),
                cellen: vec![
                    GCel::Tekst(product_name(p, r.product.as_str())),
                    GCel::Tekst(r.aanbieder.map_or_else(
                        || "(nog geen plaats)".to_owned(),
                        |a| {
                            p.provider(a)
                                .map_or_else(|| a.to_string(), |x| x.name.clone())
                        },
                    )),
                    GCel::Tekst(r.gemeente.map_or_else(
                        || "niet ingeschreven / onbekend".to_owned(),
                        |g| gemeente_name(p, &g.to_string()),
                    )),
                    dagen,
                    real,
                    comm,
                ],
                totaal: false,
                eigen: false,
            }
        })
        .collect();
    let real: i64 = regels.iter().map(|r| r.gerealiseerd.get()).sum();
    let comm: i64 = regels.iter().map(|r| r.verplicht.get()).sum();
    let dagen: i64 = regels.iter().map(|r| r.dagen).sum();
    // The total of a filtered gemeente is the overview's figure: shown as it is shown there.
    let total_cel =
        |c: Cents| match gemeente.and_then(|g| o.gemeenten.iter().position(|x| x.gemeente == g)) {
            Some(gi) => shown(c, year_uit[ai][gi], t),
            None => GCel::Bedrag(c),
        };
    let real_total = total_cel(Cents(real));
    rijen.push(GRij {
        label: "Totaal".to_owned(),
        cellen: vec![
            GCel::Tekst(String::new()),
            GCel::Tekst(String::new()),
            GCel::Tekst(String::new()),
            if real_total.onderdrukt() {
                real_total.clone()
            } else {
                GCel::Getal(dagen)
            },
            real_total.clone(),
            if real_total.onderdrukt() {
                real_total.clone()
            } else {
                GCel::Bedrag(Cents(comm))
            },
        ],
        totaal: true,
        eigen: false,
    });
    let mut noten = vec![format!(
        "Toegerekend aan de {}. Dagen: zorgdagen (de startdag telt mee, de dag van einde zorg \
         niet) of MO-nachten. Gerealiseerd: dagen in zorg; verplicht: toegewezen dagen zonder \
         gestarte zorg.",
        toerekening_naam(a)
    )];
    if let Some(t) = t {
        noten.push(format!(
            "Regels die op minder dan {t} personen rusten staan als \"<{t}\"; \"—\" is verborgen \
             zodat het totaal van de gemeente ze niet verraadt."
        ));
    }
    GTabel {
        sleutel: "kosten",
        titel: format!(
            "Kosten per maand, product, aanbieder en gemeente, {}",
            o.jaar
        ),
        kop: "Maand".to_owned(),
        kolommen: vec![
            "Product".to_owned(),
            "Aanbieder".to_owned(),
            "Gemeente".to_owned(),
            "Dagen".to_owned(),
            "Gerealiseerd".to_owned(),
            "Verplicht".to_owned(),
        ],
        rijen,
        noten,
    }
}

/// The regional provisions of the year: name, amount, source or assumption.
pub(crate) fn voorzieningen(o: &Jaaroverzicht) -> GTabel {
    let mut rijen: Vec<GRij> = o
        .regionale_voorzieningen
        .iter()
        .map(|(naam, bedrag, bron)| GRij {
            label: naam.clone(),
            cellen: vec![GCel::Bedrag(*bedrag), GCel::Tekst(bron.clone())],
            totaal: false,
            eigen: false,
        })
        .collect();
    rijen.push(GRij {
        label: "Totaal".to_owned(),
        cellen: vec![
            GCel::Bedrag(Cents(
                o.regionale_voorzieningen.iter().map(|v| v.1.get()).sum(),
            )),
            GCel::Tekst(String::new()),
        ],
        totaal: true,
        eigen: false,
    });
    GTabel {
        sleutel: "voorzieningen",
        titel: format!("Regionale voorzieningen, {}", o.jaar),
        kop: "Voorziening".to_owned(),
        kolommen: vec!["Bedrag".to_owned(), "Bron of aanname".to_owned()],
        rijen,
        noten: vec![format!("Verdeeld met de sleutel: {}.", o.sleutel)],
    }
}

/// The budget along the ingroeipad per gemeente per year (one column per year), from the
/// year overviews `jaren` (the share of the objective model in each year in the header).
pub(crate) fn ingroeipad(p: &RegionProfile, jaren: &[Jaaroverzicht]) -> GTabel {
    let Some(first) = jaren.first() else {
        return GTabel {
            sleutel: "ingroeipad",
            titel: "Budget langs het ingroeipad".to_owned(),
            kop: "Gemeente".to_owned(),
            kolommen: Vec::new(),
            rijen: Vec::new(),
            noten: Vec::new(),
        };
    };
    let mut rijen: Vec<GRij> = first
        .gemeenten
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let mut cellen = vec![GCel::Bedrag(g.historisch)];
            cellen.extend(jaren.iter().map(|j| {
                j.gemeenten
                    .get(gi)
                    .map_or(GCel::Tekst(String::new()), |x| GCel::Bedrag(x.budget))
            }));
            GRij {
                label: gemeente_name(p, &g.gemeente.to_string()),
                cellen,
                totaal: false,
                eigen: false,
            }
        })
        .collect();
    let mut tot = vec![GCel::Bedrag(Cents(
        first.gemeenten.iter().map(|g| g.historisch.get()).sum(),
    ))];
    tot.extend(
        jaren
            .iter()
            .map(|j| GCel::Bedrag(Cents(j.gemeenten.iter().map(|g| g.budget.get()).sum()))),
    );
    rijen.push(GRij {
        label: "Regio".to_owned(),
        cellen: tot,
        totaal: true,
        eigen: false,
    });
    let mut kolommen = vec![format!("Historisch {}", first.jaar)];
    kolommen.extend(
        jaren
            .iter()
            .map(|j| format!("{} ({} objectief)", j.jaar, procent(j.ingroei_aandeel_bp))),
    );
    GTabel {
        sleutel: "ingroeipad",
        titel: "Budget per gemeente langs het ingroeipad".to_owned(),
        kop: "Gemeente".to_owned(),
        kolommen,
        rijen,
        noten: vec![
            "Budget = historisch + aandeel × (objectief − historisch); de verschuiving is half \
             van nul af afgerond, zodat het laatste jaar precies het objectieve budget is."
                .to_owned(),
        ],
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use vangnet_domain::{Maand, ProductCode, RegionId, Regions};
    use vangnet_money::{GemeenteYear, Key, KeyBasis, Verdeelsleutel, settle};

    /// The first builtin region and a hand-built year overview of its first three gemeenten:
    /// the costs per attribution (people behind each in brackets) are
    ///
    /// | gemeente | besluit        | wpb            | zorglocatie    |
    /// |----------|----------------|----------------|----------------|
    /// | g0       | 100.000,00 (40)| 90.000,00 (36) | 120.000,00 (48)|
    /// | g1       |  30.000,00 (12)| 41.000,00 (15) |  10.000,00 (4) |
    /// | g2       |   2.000,00 (2) |   1.000,00 (1) |   2.000,00 (1) |
    ///
    /// each column sums to the region total 132.000,00.
    pub(crate) fn voorbeeld() -> (RegionProfile, Jaaroverzicht) {
        let regions = Regions::builtin();
        let p = regions.all()[0].clone();
        let codes: Vec<GemeenteCode> = p.gemeenten.iter().take(3).map(|g| g.code).collect();
        let kosten = [
            [10_000_000, 9_000_000, 12_000_000],
            [3_000_000, 4_100_000, 1_000_000],
            [200_000, 100_000, 200_000],
        ];
        let personen = [[40, 36, 48], [12, 15, 4], [2, 1, 1]];
        let budget = [9_000_000i64, 3_500_000, 700_000];
        let input: Vec<GemeenteYear> = codes
            .iter()
            .enumerate()
            .map(|(i, g)| GemeenteYear {
                gemeente: *g,
                budget: Cents(budget[i]),
                own_costs: Cents(kosten[i][0]),
            })
            .collect();
        let key = Key::Single(
            Verdeelsleutel::new(
                KeyBasis::BasisPoints,
                &[(codes[0], 6_000), (codes[1], 3_000), (codes[2], 1_000)],
                &codes,
            )
            .unwrap(),
        );
        let statements = settle(&input, Cents(1_000_000), &key, codes[0], 5_000).unwrap();
        let gemeenten = codes
            .iter()
            .enumerate()
            .map(|(i, g)| GemeenteJaar {
                gemeente: *g,
                inwoners: 10_000 * (3 - i as u64),
                kosten: kosten[i].map(Cents),
                verplicht: [Cents(50_000); 3],
                personen: personen[i],
                historisch: Cents(budget[i] - 100_000),
                objectief: Cents(budget[i] + 100_000),
                budget: Cents(budget[i]),
                herverdeeleffect: Cents(100_000),
                herverdeeleffect_per_inwoner: Cents(10),
                regionaal_aandeel: statements[i].regional_share,
                afrekening: statements[i],
            })
            .collect();
        let o = Jaaroverzicht {
            regio: RegionId::parse(p.id.as_str()).unwrap(),
            jaar: 2027,
            gemeenten,
            totaal_kosten: Cents(13_200_000),
            regionale_voorzieningen: vec![(
                "Crisisopvang".to_owned(),
                Cents(1_000_000),
                "aanname: demo".to_owned(),
            )],
            ingroei_aandeel_bp: 5_000,
            wlz_uitname: Cents::ZERO,
            sleutel: "vaste percentages".to_owned(),
            aannames: vec!["Tarieven zijn demowaarden.".to_owned()],
        };
        (p, o)
    }

    fn cellen(t: &GTabel, row: usize) -> Vec<String> {
        t.rijen[row].cellen.iter().map(GCel::tekst).collect()
    }

    #[test]
    fn exact_viewers_see_every_amount_and_columns_sum_to_the_total() {
        let (p, o) = voorbeeld();
        let t = overzicht(&p, &o, &[], None, None);
        assert_eq!(t.rijen.len(), 4, "three gemeenten and the region");
        for ai in 0..3 {
            let sum: i64 = t.rijen[..3]
                .iter()
                .map(|r| match &r.cellen[ai] {
                    GCel::Bedrag(c) => c.get(),
                    other => panic!("{other:?}"),
                })
                .sum();
            assert_eq!(sum, 13_200_000);
            assert_eq!(t.rijen[3].cellen[ai], GCel::Bedrag(Cents(13_200_000)));
        }
        assert_eq!(cellen(&t, 0)[0], "€ 100.000,00");
        // The settlement column sums to zero in the region row.
        assert_eq!(t.rijen[3].cellen[10], GCel::Bedrag(Cents::ZERO));
    }

    #[test]
    fn a_small_gemeente_is_suppressed_and_a_second_hidden_so_the_total_does_not_reveal_it() {
        let (p, o) = voorbeeld();
        let t = overzicht(&p, &o, &[], Some(5), None);
        // Besluit: g2 rests on 2 people → "<5"; with the exact total and g0 shown, g1 must be
        // hidden (else 132.000 − 100.000 − 30.000 = 2.000 gives g2 away).
        assert_eq!(t.rijen[2].cellen[0], GCel::Klein(5));
        assert_eq!(t.rijen[1].cellen[0], GCel::Verborgen);
        assert_eq!(t.rijen[0].cellen[0], GCel::Bedrag(Cents(10_000_000)));
        assert_eq!(t.rijen[3].cellen[0], GCel::Bedrag(Cents(13_200_000)));
        // Zorglocatie: g1 (4) and g2 (1) are both small: no further hiding needed.
        assert_eq!(t.rijen[1].cellen[2], GCel::Klein(5));
        assert_eq!(t.rijen[2].cellen[2], GCel::Klein(5));
        assert_eq!(t.rijen[0].cellen[2], GCel::Bedrag(Cents(12_000_000)));
        // Budgets never rest on people.
        assert_eq!(t.rijen[2].cellen[6], GCel::Bedrag(Cents(700_000)));
        // The settlement of a gemeente with suppressed own costs is hidden too.
        assert_eq!(t.rijen[2].cellen[10], GCel::Verborgen);
        // No published figures of a column let one compute a suppressed one.
        for ai in 0..3 {
            let shown: Vec<Option<i64>> = t.rijen[..3]
                .iter()
                .map(|r| match &r.cellen[ai] {
                    GCel::Bedrag(c) => Some(c.get()),
                    _ => None,
                })
                .collect();
            assert_ne!(
                shown.iter().filter(|s| s.is_none()).count(),
                1,
                "column {ai}"
            );
        }
    }

    #[test]
    fn committed_costs_rest_on_the_people_waiting_to_start() {
        let (p, o) = voorbeeld();
        let g0 = o.gemeenten[0].gemeente;
        // No committed lines: each gemeente's committed € 500,00 rests on nobody at a month
        // end — small, suppressed; exact viewers see it.
        let t = overzicht(&p, &o, &[], Some(5), None);
        assert_eq!(t.rijen[0].cellen[3], GCel::Klein(5));
        let exact = overzicht(&p, &o, &[], None, None);
        assert_eq!(exact.rijen[0].cellen[3], GCel::Bedrag(Cents(50_000)));
        // Six people waiting in g0 in one month: published.
        let regel = KostenRegel {
            attribution: Attribution::Besluit,
            maand: vangnet_domain::Maand::new(2027, 3).unwrap(),
            product: p.products[0].code.clone(),
            aanbieder: None,
            gemeente: Some(g0),
            gerealiseerd: Cents::ZERO,
            verplicht: Cents(50_000),
            dagen: 0,
            personen: 6,
        };
        let t = overzicht(&p, &o, &[regel], Some(5), None);
        assert_eq!(t.rijen[0].cellen[3], GCel::Bedrag(Cents(50_000)));
    }

    #[test]
    fn the_download_and_the_json_hold_what_the_table_shows() {
        let (p, o) = voorbeeld();
        let t = overzicht(&p, &o, &[], Some(5), None);
        let tab = t.tabular();
        assert_eq!(tab.columns.len(), 12);
        assert_eq!(tab.rows.len(), t.rijen.len());
        let csv = vangnet_tabular::to_csv(&tab);
        let line = csv.lines().nth(1).unwrap();
        assert!(line.starts_with(&gemeente_name(&p, &o.gemeenten[0].gemeente.to_string())));
        assert!(line.contains(";100000;"), "{line}");
        let small = csv.lines().nth(3).unwrap();
        assert!(small.contains(";<5;"), "{small}");
        let j = t.json();
        assert_eq!(j["rijen"][0]["waarden"][1], json!("100000.00"));
        assert_eq!(j["rijen"][2]["waarden"][1], json!("<5"));
        assert_eq!(j["rijen"][1]["waarden"][1], Value::Null);
    }

    #[test]
    fn the_settlement_lines_sum_to_zero_over_the_region() {
        let (p, o) = voorbeeld();
        let t = verrekening(&p, &o, None);
        let last = t.kolommen.len() - 1;
        for r in &t.rijen {
            if matches!(
                r.label.as_str(),
                "Te verrekenen" | "Verrekening regionale kosten"
            ) || r.label.starts_with("Solidariteit")
            {
                assert_eq!(r.cellen[last], GCel::Bedrag(Cents::ZERO), "{}", r.label);
            }
        }
        let totaal = t.rijen.iter().find(|r| r.totaal).unwrap();
        assert_eq!(totaal.label, "Te verrekenen");
        // Suppressed: g2's lines hidden but its budget, the regional share too.
        let s = verrekening(&p, &o, Some(5));
        assert_eq!(s.rijen[0].cellen[2], GCel::Bedrag(Cents(700_000)));
        assert_eq!(s.rijen[1].cellen[2], GCel::Verborgen);
        assert_eq!(s.rijen[2].cellen[2], GCel::Verborgen);
        assert!(matches!(s.rijen[2].cellen[0], GCel::Bedrag(_)), "g0 shown");
        // g1 (12 people) is the complement hidden with it.
        assert_eq!(s.rijen[1].cellen[1], GCel::Verborgen);
    }

    #[test]
    fn cost_rows_are_protected_against_their_gemeentes_total() {
        let (p, o) = voorbeeld();
        let g0 = o.gemeenten[0].gemeente;
        let prod = p.products[0].code.clone();
        let regel = |m: u32, kosten: i64, personen: i64| KostenRegel {
            attribution: Attribution::Besluit,
            maand: Maand::new(2027, m).unwrap(),
            product: prod.clone(),
            aanbieder: None,
            gemeente: Some(g0),
            gerealiseerd: Cents(kosten),
            verplicht: Cents::ZERO,
            dagen: personen * 30,
            personen,
        };
        let regels = vec![
            regel(1, 5_000_000, 20),
            regel(2, 4_900_000, 19),
            regel(3, 100_000, 1),
        ];
        let exact = kosten(&p, &o, &regels, Attribution::Besluit, None, None);
        assert_eq!(exact.rijen.len(), 4);
        assert_eq!(exact.rijen[3].cellen[4], GCel::Bedrag(Cents(10_000_000)));
        let t = kosten(&p, &o, &regels, Attribution::Besluit, Some(5), None);
        assert_eq!(t.rijen[2].cellen[4], GCel::Klein(5));
        assert_eq!(t.rijen[1].cellen[4], GCel::Verborgen, "the complement");
        assert_eq!(t.rijen[0].cellen[4], GCel::Bedrag(Cents(5_000_000)));
        // Another attribution: no rows.
        let w = kosten(&p, &o, &regels, Attribution::Zorglocatie, None, None);
        assert_eq!(w.rijen.len(), 1);
        let _ = ProductCode::parse("x");
    }

    #[test]
    fn a_committed_total_held_by_one_small_gemeente_is_not_published() {
        // Under today's law the centrumgemeente holds every committed allocation: when that
        // rests on fewer than t people, the region total would give its amount away.
        let (p, mut o) = voorbeeld();
        for (i, g) in o.gemeenten.iter_mut().enumerate() {
            g.verplicht = [Cents(if i == 0 { 123_456 } else { 0 }); 3];
        }
        let g0 = o.gemeenten[0].gemeente;
        let regels = vec![KostenRegel {
            attribution: Attribution::Besluit,
            maand: Maand::new(2027, 3).unwrap(),
            product: p.products[0].code.clone(),
            aanbieder: None,
            gemeente: Some(g0),
            gerealiseerd: Cents::ZERO,
            verplicht: Cents(123_456),
            dagen: 60,
            personen: 2,
        }];
        let col = 3;
        let t = overzicht(&p, &o, &regels, Some(5), None);
        assert_eq!(t.rijen[0].cellen[col], GCel::Klein(5));
        let totaal = t.rijen.iter().find(|r| r.label == "Regio totaal").unwrap();
        assert!(totaal.cellen[col].onderdrukt(), "{:?}", totaal.cellen[col]);
        let exact = overzicht(&p, &o, &regels, None, None);
        let totaal = exact
            .rijen
            .iter()
            .find(|r| r.label == "Regio totaal")
            .unwrap();
        assert_eq!(totaal.cellen[col], GCel::Bedrag(Cents(123_456)));
    }

    #[test]
    fn attributions_round_trip_through_their_url_keys() {
        for a in Attribution::ALL {
            assert_eq!(toerekening_van(toerekening_sleutel(a)), Some(a));
        }
        assert_eq!(toerekening_van("gemeente"), None);
        assert_eq!(procent(2_550), "25,50 %");
        assert_eq!(euro_decimaal(Cents(-5)), "-0.05");
    }
}
