//! `/regio/{id}/woningafspraken` (issue 15): the region's woningafspraken — quota agreements
//! with the housing corporations per gemeente × corporation × route × year — and what was
//! delivered against them (offers, acceptances, refusals, tenancies; per month, with the
//! agreed homes pro rata), the spreiding of outflow over the destination gemeenten against
//! each gemeente's agreed share and its share of inhabitants, and a form to add an
//! agreement with its source. `/regio/{id}/woningafspraken.csv` has the same tables.
//!
//! Issue 15 (feat/afspraken2): per agreement also the homes used by other target groups
//! (recorded with a second form on the same page — `formulier=gebruik` in the POST — and
//! listed in the table `afspraken-gebruik`, CSV `tabel=gebruik`) and what is left; an
//! agreement that is part of another (`onderdeel_van`) is shown indented under it and not
//! counted again in the total row or the spreiding.
//!
//! **Who sees what** ([`RouteRule::Agreements`](crate::RouteRule::Agreements), narrowed to
//! the region in the path here): the audience of the region's money and places pages
//! ([`access::may_view_woningafspraken_of`]); exact figures for the region's own access team,
//! the policy roles get the monitor's small-number rule (every count below the region's
//! threshold shown as `<t`, a realisation percentage only where its tenancies are exact).
//! Entering: the region's policy and team roles
//! ([`access::may_enter_woningafspraken_of`]); the store decides again and logs it.
//!
//! **Where the numbers come from**: the monitor's housing measures (`woning_aanbod`,
//! `aanbod_akkoord`, `aanbod_geweigerd`, `huurovereenkomst`, `uitstroom_woning`) from the
//! in-memory index — never a client stream — and the pure model
//! ([`vangnet_domain::woningafspraken`]) for realisation and spreiding.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::events::WoonRoute;
use vangnet_domain::monitor::Measure;
use vangnet_domain::region::Herkomst;
use vangnet_domain::woningafspraken::{
    Afspraak, AfspraakSleutel, AnderGebruik, Realisatie, Spreiding, WoonTelling, gebruik,
    geldend_ander_gebruik, genest, realisatie, spreiding, telling_uit_cel,
};
use vangnet_domain::{Date, GemeenteCode, Maand, RegionProfile, access};
use vangnet_store::woningafspraken::{
    Oorsprong, StoredAfspraak, StoredGebruik, Vastlegging, geldende,
};
use vangnet_tabular::{Cell, Table};

use crate::error::Query;
use crate::figures::{self, Figure};
use crate::html::{self, Nav};
use crate::pages::region;
use crate::users::{DemoUser, LoggedIn};
use crate::{AppState, WebError};

/// The measures the page reads, in this order.
const MEASURES: [Measure; 5] = [
    Measure::WoningAanbod,
    Measure::AanbodAkkoord,
    Measure::AanbodGeweigerd,
    Measure::Huurovereenkomst,
    Measure::UitstroomWoning,
];

/// Query of `GET /regio/{id}/woningafspraken`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AfsprakenQuery {
    /// The year shown (default: this year).
    jaar: Option<String>,
    /// After a save: `opgeslagen` or `al-vastgelegd`.
    melding: Option<String>,
    /// The CSV's table: `realisatie` (default), `maand`, `spreiding` or `gebruik`.
    tabel: Option<String>,
}

/// Everything the page shows.
struct Data {
    /// Agreements in force, with origin.
    afspraken: Vec<(Afspraak, Oorsprong)>,
    /// Offer facts of every year.
    tellingen: Vec<WoonTelling>,
    /// Outflow with a home: (year, destination gemeente, n).
    uitstroom: Vec<(i32, GemeenteCode, i64)>,
    /// Other groups' use as recorded, oldest first.
    gebruik: Vec<StoredGebruik>,
}

impl Data {
    /// The figures of other groups' use in force.
    fn ander(&self) -> Vec<AnderGebruik> {
        geldend_ander_gebruik(
            &self
                .gebruik
                .iter()
                .map(|s| s.gebruik.clone())
                .collect::<Vec<_>>(),
        )
    }
}

async fn load(st: &AppState, profile: &RegionProfile) -> Result<Data, WebError> {
    let p = profile.clone();
    st.blocking(move |s| {
        let stored: Vec<StoredAfspraak> = s.woningafspraken(&p.id)?;
        let gebruik = s.ander_gebruik(&p.id)?;
        let view = s.monitor_view(&p.id, &MEASURES)?;
        let mut tellingen = Vec::new();
        let mut uitstroom = Vec::new();
        for (m, cells) in MEASURES.iter().zip(view.measures.iter()) {
            for c in cells.until(u32::MAX) {
                let g = GemeenteCode::parse(view.dict.name(c.gemeente)).ok();
                if *m == Measure::UitstroomWoning {
                    if let Some(g) = g {
                        uitstroom.push(((c.maand / 100) as i32, g, c.n));
                    }
                } else if let Some(t) = telling_uit_cel(&p, *m, c.maand, g, c.extra, c.n) {
                    tellingen.push(t);
                }
            }
        }
        Ok(Data {
            afspraken: geldende(&p, &stored),
            tellingen,
            uitstroom,
            gebruik,
        })
    })
    .await
    .map_err(WebError::from)
}

/// How a viewer sees counts.
#[derive(Clone, Copy)]
struct Zicht(Option<u32>);

impl Zicht {
    fn n(self, n: i64) -> Figure {
        figures::cell(u64::try_from(n).unwrap_or(0), self.0)
    }
    /// A percentage of `deel` (a count) of `van` (a public number): only when `deel` is exact.
    fn pct(self, deel: i64, pct: Option<f64>) -> Option<f64> {
        self.n(deel).exact().and(pct)
    }
}

fn pct_text(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{p:.1} %").replace('.', ","))
}

fn corporatie_naam(profile: &RegionProfile, c: Option<&str>) -> String {
    match c {
        None => "alle corporaties".to_owned(),
        Some(id) => profile
            .corporatie(id)
            .map_or_else(|| id.to_owned(), |c| c.naam.clone()),
    }
}

fn route_naam(r: Option<WoonRoute>) -> &'static str {
    r.map_or("alle routes", WoonRoute::label)
}

/// An agreement in words: "Nijmegen — alle corporaties — Housing First: Housing First".
fn afspraak_label(profile: &RegionProfile, a: &Afspraak) -> String {
    format!(
        "{} — {} — {}: {}",
        figures::gemeente_name(profile, &a.gemeente.to_string()),
        corporatie_naam(profile, a.corporatie.as_deref()),
        route_naam(a.route),
        a.soort
    )
}

fn herkomst_text(h: &Herkomst) -> String {
    match h {
        Herkomst::Bron(t) => format!("bron: {t}"),
        Herkomst::Aanname(t) => format!("aanname: {t}"),
    }
}

fn oorsprong_text(o: &Oorsprong) -> String {
    match o {
        Oorsprong::Profiel => "regioprofiel".to_owned(),
        Oorsprong::Ingevoerd { door, op } => {
            format!("vastgelegd door {door} op {}", op.get(..10).unwrap_or(op))
        }
    }
}

/// The month up to which the pro rata share counts: this month in this year, all 12 in a
/// past year, none in a future year.
fn maanden_verstreken(jaar: i32, today: Date) -> u32 {
    let now = Maand::of(today);
    match now.jaar().cmp(&jaar) {
        std::cmp::Ordering::Greater => 12,
        std::cmp::Ordering::Equal => now.nummer(),
        std::cmp::Ordering::Less => 0,
    }
}

/// The agreements of year `jaar` in force, with their origin.
fn van_jaar(data: &Data, jaar: i32) -> Vec<(Afspraak, Oorsprong)> {
    data.afspraken
        .iter()
        .filter(|(a, _)| a.jaar == jaar)
        .cloned()
        .collect()
}

/// The realisation table (page and CSV): the agreements in [`genest`] order (a part indented
/// under its parent with "↳ "), agreed, the steps, used by other groups, left, and a total
/// row of the agreements that are not part of another. Also the warnings (agreements where
/// more was used than agreed).
fn realisatie_tabel(
    profile: &RegionProfile,
    data: &Data,
    r: &[Realisatie],
    jaar: i32,
    z: Zicht,
    today: Date,
) -> (Table, Vec<String>) {
    let m = maanden_verstreken(jaar, today);
    let afs = van_jaar(data, jaar);
    let alleen: Vec<Afspraak> = afs.iter().map(|(a, _)| a.clone()).collect();
    let ander = data.ander();
    let mut waarschuwingen = Vec::new();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (i, diepte) in genest(&alleen) {
        let (r, o) = (&r[i], &afs[i].1);
        let a = &r.afspraak;
        let u = gebruik(r, &ander);
        let exact = z.n(r.totaal.huur).exact().is_some();
        if u.boven_afspraak() && exact {
            waarschuwingen.push(format!(
                "{}: {} woningen afgesproken, {} gebruikt door uitstroom uit BW/MO en {} door andere doelgroepen — {} meer dan afgesproken",
                afspraak_label(profile, a),
                u.afgesproken,
                u.bw_mo,
                u.ander,
                -u.over()
            ));
        }
        let ouder = a.onderdeel_van.as_ref().and_then(|k| {
            alleen
                .iter()
                .find(|x| x.sleutel() == *k)
                .map(|x| afspraak_label(profile, x))
        });
        rows.push(vec![
            Cell::Text(format!(
                "{}{}",
                "↳ ".repeat(diepte),
                figures::gemeente_name(profile, &a.gemeente.to_string())
            )),
            Cell::Text(corporatie_naam(profile, a.corporatie.as_deref())),
            Cell::Text(route_naam(a.route).to_owned()),
            Cell::Text(a.soort.clone()),
            Cell::Int(a.woningen),
            z.n(r.totaal.aanbod).cel(),
            z.n(r.totaal.akkoord).cel(),
            z.n(r.totaal.geweigerd).cel(),
            z.n(r.totaal.huur).cel(),
            Cell::Int(u.ander),
            if exact {
                Cell::Int(u.over())
            } else {
                Cell::Text("—".into())
            },
            Cell::Text(pct_text(z.pct(r.totaal.huur, r.percentage()))),
            Cell::Text(format!("{:.1}", r.pro_rata(m)).replace('.', ",")),
            ouder.map_or(Cell::Empty, Cell::Text),
            Cell::Text(herkomst_text(&a.herkomst)),
            Cell::Text(oorsprong_text(o)),
        ]);
    }
    if !rows.is_empty() {
        let top: Vec<usize> = (0..alleen.len())
            .filter(|i| vangnet_domain::woningafspraken::telt_in_totaal(&alleen, *i))
            .collect();
        let mut totaal = vec![Cell::Empty; 16];
        totaal[0] = Cell::Text("Totaal (zonder onderdelen)".into());
        totaal[4] = Cell::Int(vangnet_domain::woningafspraken::afgesproken_totaal(
            &alleen, jaar,
        ));
        totaal[9] = Cell::Int(top.iter().map(|i| gebruik(&r[*i], &ander).ander).sum());
        rows.push(totaal);
    }
    let table = Table {
        title: format!("Woningafspraken {jaar} en realisatie — {}", profile.name),
        sheet: "Realisatie".into(),
        preamble: Vec::new(),
        columns: [
            "Gemeente",
            "Corporatie",
            "Route",
            "Soort afspraak",
            "Afgesproken",
            "Aangeboden",
            "Geaccepteerd",
            "Geweigerd",
            "Huurovereenkomsten (uitstroom BW/MO)",
            "Andere doelgroepen",
            "Over",
            "Realisatie",
            "Pro rata tot nu",
            "Onderdeel van",
            "Herkomst",
            "Vastgelegd",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        notes: vec![
            "Realisatie = getekende huurovereenkomsten in het jaar gedeeld door de afgesproken woningen. Pro rata tot nu = afgesproken × verstreken maanden / 12. Een afspraak telt de feiten in haar gemeente en jaar, van haar corporatie en route als ze die noemt; een Housing First-woning telt dus ook bij een algemene afspraak van die gemeente. Bron: de monitor (woningaanbod, antwoord, huurovereenkomst naar gemeente van de woning).".into(),
            "Andere doelgroepen = woningen van de afspraak die naar andere doelgroepen gingen (bijvoorbeeld statushouders), zoals de regio ze vastlegde met hun bron. Over = afgesproken − huurovereenkomsten − andere doelgroepen; negatief als er meer is gebruikt dan afgesproken (de cijfers van de corporatie gelden: een signaal, geen fout). Voor wie gepubliceerde cijfers ziet staat Over alleen waar de huurovereenkomsten exact zijn.".into(),
            "Een afspraak die onderdeel is van een andere (bijvoorbeeld Housing First binnen het aandeel voor bijzondere doelgroepen) staat ingesprongen onder die afspraak en telt in het totaal en in de spreiding niet nog eens mee. Afspraken die niet aan elkaar gekoppeld zijn tellen op (aanname: ze overlappen niet).".into(),
        ],
    };
    (table, waarschuwingen)
}

/// The figures of other groups' use in force of year `jaar` (page and CSV).
fn gebruik_tabel(profile: &RegionProfile, data: &Data, jaar: i32) -> Table {
    let afs = van_jaar(data, jaar);
    let ander = data.ander();
    let door = |g: &AnderGebruik| {
        data.gebruik
            .iter()
            .rev()
            .find(|s| s.gebruik == *g)
            .map(|s| {
                oorsprong_text(&Oorsprong::Ingevoerd {
                    door: s.door.clone(),
                    op: s.vastgelegd_op.clone(),
                })
            })
            .unwrap_or_default()
    };
    let rows = ander
        .iter()
        .filter(|g| g.jaar == jaar)
        .map(|g| {
            let naam = afs
                .iter()
                .find(|(a, _)| a.sleutel() == g.afspraak)
                .map_or_else(|| g.afspraak.tekst(), |(a, _)| afspraak_label(profile, a));
            vec![
                Cell::Text(naam),
                Cell::Text(match g.maand.and_then(|m| Maand::new(g.jaar, m)) {
                    Some(m) => m.naam(),
                    None => format!("heel {}", g.jaar),
                }),
                Cell::Text(g.doelgroep.clone()),
                Cell::Int(g.aantal),
                Cell::Text(herkomst_text(&g.herkomst)),
                Cell::Text(door(g)),
            ]
        })
        .collect();
    Table {
        title: format!("Gebruik door andere doelgroepen {jaar} — {}", profile.name),
        sheet: "Andere doelgroepen".into(),
        preamble: Vec::new(),
        columns: [
            "Afspraak",
            "Periode",
            "Doelgroep",
            "Woningen",
            "Herkomst",
            "Vastgelegd",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        notes: vec![
            "Een later cijfer voor dezelfde afspraak, periode en doelgroep vervangt het eerdere; het eerdere blijft in het register.".into(),
        ],
    }
}

/// Per month: offers, acceptances and tenancies of every agreement, with tenancies
/// cumulative against the pro rata share (page and CSV).
fn maand_tabel(profile: &RegionProfile, r: &[Realisatie], jaar: i32, z: Zicht) -> Table {
    let mut rows = Vec::new();
    for r in r {
        let a = &r.afspraak;
        let naam = format!(
            "{} — {} — {}",
            figures::gemeente_name(profile, &a.gemeente.to_string()),
            corporatie_naam(profile, a.corporatie.as_deref()),
            route_naam(a.route)
        );
        for m in 1..=12u32 {
            let s = r.per_maand[m as usize - 1];
            rows.push(vec![
                Cell::Text(naam.clone()),
                Cell::Text(Maand::new(jaar, m).map(|x| x.naam()).unwrap_or_default()),
                z.n(s.aanbod).cel(),
                z.n(s.akkoord).cel(),
                z.n(s.huur).cel(),
                z.n(r.huur_tot(m)).cel(),
                Cell::Text(format!("{:.1}", r.pro_rata(m)).replace('.', ",")),
            ]);
        }
    }
    Table {
        title: format!("Realisatie per maand {jaar} — {}", profile.name),
        sheet: "Per maand".into(),
        preamble: Vec::new(),
        columns: [
            "Afspraak",
            "Maand",
            "Aangeboden",
            "Geaccepteerd",
            "Huurovereenkomsten",
            "Huurovereenkomsten t/m maand",
            "Afgesproken pro rata t/m maand",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        notes: Vec::new(),
    }
}

fn spreiding_tabel(profile: &RegionProfile, s: &Spreiding, jaar: i32, z: Zicht) -> Table {
    let mut rows: Vec<Vec<Cell>> = s
        .rijen
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.naam.clone()),
                z.n(r.uitstroom).cel(),
                Cell::Text(pct_text(z.pct(r.uitstroom, r.aandeel_uitstroom))),
                Cell::Int(r.afgesproken),
                Cell::Text(pct_text(r.aandeel_afspraak)),
                r.inwoners.map_or(Cell::Empty, |i| Cell::Int(i64::from(i))),
                Cell::Text(pct_text(r.aandeel_inwoners)),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text("Buiten de regio".into()),
        z.n(s.buiten_regio).cel(),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ]);
    let mut notes = vec![
        "Uitstroom: einde zorg met een woning als bestemming en de gemeente van die woning vastgelegd, naar de gemeente van de woning. Aandelen van de regio: uitstroom binnen de regio, alle afgesproken woningen van het jaar (opgeteld over de afspraken van een gemeente; een afspraak die onderdeel is van een andere telt niet nog eens mee — aanname: afspraken die niet aan elkaar gekoppeld zijn tellen op), alle inwoners.".to_owned(),
    ];
    if !s.inwoners_compleet {
        notes.push("Niet van elke gemeente is een inwonertal bekend: aandelen in de inwoners worden niet getoond.".into());
    } else if s.inwoners_aanname {
        notes.push(
            "Inwonertallen: deels demo-waarden uit het regioprofiel (aanname, geen CBS-cijfers)."
                .into(),
        );
    }
    Table {
        title: format!(
            "Spreiding van de uitstroom naar een woning {jaar} — {}",
            profile.name
        ),
        sheet: "Spreiding".into(),
        preamble: Vec::new(),
        columns: [
            "Gemeente",
            "Uitstroom naar woning",
            "Aandeel uitstroom",
            "Afgesproken woningen",
            "Aandeel afspraken",
            "Inwoners",
            "Aandeel inwoners",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        notes,
    }
}

struct Tabellen {
    realisatie: Table,
    /// Agreements where more was used than agreed.
    waarschuwingen: Vec<String>,
    gebruik: Table,
    maand: Table,
    spreiding: Table,
}

fn tabellen(profile: &RegionProfile, data: &Data, jaar: i32, z: Zicht, today: Date) -> Tabellen {
    let afspraken: Vec<Afspraak> = data
        .afspraken
        .iter()
        .filter(|(a, _)| a.jaar == jaar)
        .map(|(a, _)| a.clone())
        .collect();
    let r = realisatie(&afspraken, &data.tellingen);
    let uit: Vec<(GemeenteCode, i64)> = data
        .uitstroom
        .iter()
        .filter(|(y, _, _)| *y == jaar)
        .map(|(_, g, n)| (*g, *n))
        .collect();
    let s = spreiding(profile, jaar, &afspraken, &uit);
    let (realisatie, waarschuwingen) = realisatie_tabel(profile, data, &r, jaar, z, today);
    Tabellen {
        realisatie,
        waarschuwingen,
        gebruik: gebruik_tabel(profile, data, jaar),
        maand: maand_tabel(profile, &r, jaar, z),
        spreiding: spreiding_tabel(profile, &s, jaar, z),
    }
}

fn jaar_of(q: Option<&str>, today: Date) -> i32 {
    q.and_then(|j| j.trim().parse::<i32>().ok())
        .filter(|j| (1900..=9999).contains(j))
        .unwrap_or_else(|| today.year())
}

fn refuse_unless_viewer(user: &DemoUser, profile: &RegionProfile) -> Result<(), WebError> {
    if access::may_view_woningafspraken_of(&user.actor, profile) {
        Ok(())
    } else {
        Err(WebError::forbidden(format!(
            "De woningafspraken van {} zijn er voor het toegangsteam, de beleidsmedewerkers en de analisten van de regio. Uw rol of organisatie geeft daar geen recht op.",
            profile.name
        )))
    }
}

/// `GET /regio/{id}/woningafspraken`.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    Query(q): Query<AfsprakenQuery>,
) -> Result<Response, WebError> {
    let profile = region(&st, &id)?;
    refuse_unless_viewer(&user, &profile)?;
    let today = st.today();
    let data = load(&st, &profile).await?;
    let jaar = jaar_of(q.jaar.as_deref(), today);
    let body = render(
        &profile,
        &user,
        &data,
        &q,
        jaar,
        (&FormState::default(), &FormState::default()),
        today,
    );
    Ok(respond(&st, &user, &profile, StatusCode::OK, body))
}

/// `GET /regio/{id}/woningafspraken.csv?jaar=…&tabel=…`: one table of the page (`tabel`:
/// `realisatie`, the default; `maand`; `spreiding`).
pub(crate) async fn csv(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    Query(q): Query<AfsprakenQuery>,
) -> Result<Response, WebError> {
    let profile = region(&st, &id)?;
    refuse_unless_viewer(&user, &profile)?;
    let today = st.today();
    let data = load(&st, &profile).await?;
    let jaar = jaar_of(q.jaar.as_deref(), today);
    let z = Zicht(figures::threshold_for(Some(&user.actor), &profile));
    let t = tabellen(&profile, &data, jaar, z, today);
    let (naam, tabel) = match q.tabel.as_deref() {
        None | Some("realisatie") => ("realisatie", t.realisatie),
        Some("maand") => ("per-maand", t.maand),
        Some("spreiding") => ("spreiding", t.spreiding),
        Some("gebruik") => ("andere-doelgroepen", t.gebruik),
        Some(other) => {
            return Err(WebError::invalid_field(
                "tabel",
                format!("'{other}' is geen realisatie, maand, spreiding of gebruik"),
            ));
        }
    };
    Ok(crate::pages::download(
        &format!("woningafspraken-{}-{jaar}-{naam}", profile.id),
        &[tabel],
        false,
    ))
}

/// The values and errors of the form.
use crate::plaatsen_pages::FormState;

const FORM_FIELDS: [&str; 9] = [
    "onderdeel_van",
    "gemeente",
    "corporatie",
    "jaar",
    "route",
    "woningen",
    "soort",
    "herkomst_soort",
    "herkomst",
];

/// The agreement a submitted form asks to record, or the errors at their fields: the
/// edge's parsing, then the pure model's checks.
fn check_form(
    profile: &RegionProfile,
    f: &FormState,
) -> Result<Afspraak, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let gemeente = match GemeenteCode::parse(f.get("gemeente").trim()) {
        Ok(g) => Some(g),
        Err(_) => {
            errors.push(("gemeente", "kies een gemeente".into()));
            None
        }
    };
    let corporatie = match f.get("corporatie").trim() {
        "" => None,
        c => Some(c.to_owned()),
    };
    let jaar = match f.get("jaar").trim() {
        "" => {
            errors.push((
                "jaar",
                "vul het jaar van de afspraak in, bijvoorbeeld 2026".into(),
            ));
            None
        }
        j => match j.parse::<i32>() {
            Ok(j) => Some(j),
            Err(_) => {
                errors.push(("jaar", format!("'{j}' is geen jaartal")));
                None
            }
        },
    };
    let route = match f.get("route").trim() {
        "" => Ok(None),
        r => WoonRoute::from_key(r).map(Some).ok_or(()),
    };
    let route = match route {
        Ok(r) => r,
        Err(()) => {
            errors.push(("route", "kies een route".into()));
            None
        }
    };
    let woningen = match f.get("woningen").trim().parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push((
                "woningen",
                "vul het aantal woningen in (een heel getal)".into(),
            ));
            None
        }
    };
    let tekst = f.get("herkomst").trim().to_owned();
    let herkomst = match f.get("herkomst_soort") {
        "bron" => Herkomst::Bron(tekst),
        _ => Herkomst::Aanname(tekst),
    };
    let onderdeel_van = match f.get("onderdeel_van").trim() {
        "" => None,
        k => match AfspraakSleutel::parse(k) {
            Some(k) => Some(k),
            None => {
                errors.push((
                    "onderdeel_van",
                    "kies de afspraak waar deze onderdeel van is uit de lijst".into(),
                ));
                None
            }
        },
    };
    let (Some(gemeente), Some(jaar), Some(woningen)) = (gemeente, jaar, woningen) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let a = Afspraak {
        gemeente,
        corporatie,
        jaar,
        route,
        woningen,
        soort: f.get("soort").trim().to_owned(),
        herkomst,
        onderdeel_van,
    };
    vangnet_domain::woningafspraken::check_afspraak(profile, &a)
        .map_err(|e| vec![(field_of(e.field), e.message)])?;
    Ok(a)
}

fn field_of(f: &'static str) -> &'static str {
    if FORM_FIELDS.contains(&f) {
        f
    } else {
        "herkomst"
    }
}

/// `POST /regio/{id}/woningafspraken`: the region's policy or team role adds an agreement.
pub(crate) async fn submit(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let profile = region(&st, &id)?;
    if !access::may_enter_woningafspraken_of(&user.actor, &profile) {
        return Err(WebError::forbidden(format!(
            "Woningafspraken van {} leggen de beleidsmedewerkers, analisten en het toegangsteam van de regio vast.",
            profile.name
        )));
    }
    let mut form = FormState::default();
    for (k, v) in form_urlencoded::parse(&body) {
        if k != "csrf" {
            form.values.insert(k.into_owned(), v.into_owned());
        }
    }
    let today = st.today();
    if form.get("formulier") == "gebruik" {
        return submit_gebruik(&st, &user, &profile, form, today).await;
    }
    let fail = |form: FormState, data: Data| {
        let jaar = jaar_of(Some(form.get("jaar")), today);
        let body = render(
            &profile,
            &user,
            &data,
            &AfsprakenQuery::default(),
            jaar,
            (&form, &FormState::default()),
            today,
        );
        Ok(respond(
            &st,
            &user,
            &profile,
            StatusCode::UNPROCESSABLE_ENTITY,
            body,
        ))
    };
    let afspraak = match check_form(&profile, &form) {
        Ok(a) => a,
        Err(errors) => {
            form.errors = errors;
            let data = load(&st, &profile).await?;
            return fail(form, data);
        }
    };
    let gate = user.gate("woningafspraak vastleggen");
    let rid = profile.id.clone();
    let a = afspraak.clone();
    let result = st
        .blocking(move |s| s.record_woningafspraak(&gate, &rid, &a))
        .await;
    let melding = match result {
        Ok(Vastlegging::Nieuw) => "opgeslagen",
        Ok(Vastlegging::AlVastgelegd) => "al-vastgelegd",
        Err(vangnet_store::StoreError::Rule { error, .. }) => {
            form.errors = vec![(field_of(error.field), error.message)];
            let data = load(&st, &profile).await?;
            return fail(form, data);
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!(
        "/regio/{}/woningafspraken?jaar={}&melding={melding}#nieuw",
        profile.id, afspraak.jaar
    ))
    .into_response())
}

const GEBRUIK_FIELDS: [&str; 5] = ["afspraak", "maand", "doelgroep", "aantal", "herkomst"];

/// The figure of other groups' use a submitted form asks to record, or the errors at their
/// fields (the edge's parsing; the pure model's checks run in the store).
fn check_gebruik_form(f: &FormState) -> Result<AnderGebruik, Vec<(&'static str, String)>> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let afspraak = AfspraakSleutel::parse(f.get("afspraak"));
    if afspraak.is_none() {
        errors.push(("afspraak", "kies een afspraak".into()));
    }
    let m = f.get("maand").trim();
    let periode = if m.is_empty() {
        errors.push((
            "maand",
            "vul de maand in (jjjj-mm) of het jaar (jjjj) voor een cijfer over het hele jaar"
                .into(),
        ));
        None
    } else {
        let parsed = match m.split_once('-') {
            None => m.parse::<i32>().ok().map(|j| (j, None)),
            Some((j, mm)) => match (j.parse::<i32>(), mm.parse::<u32>()) {
                (Ok(j), Ok(mm)) => Some((j, Some(mm))),
                _ => None,
            },
        };
        if parsed.is_none() {
            errors.push((
                "maand",
                format!("'{m}' is geen maand (jjjj-mm) of jaar (jjjj)"),
            ));
        }
        parsed
    };
    let aantal = match f.get("aantal").trim().parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push((
                "aantal",
                "vul het aantal woningen in (een heel getal)".into(),
            ));
            None
        }
    };
    let tekst = f.get("herkomst").trim().to_owned();
    let herkomst = match f.get("herkomst_soort") {
        "aanname" => Herkomst::Aanname(tekst),
        _ => Herkomst::Bron(tekst),
    };
    match (afspraak, periode, aantal) {
        (Some(afspraak), Some((jaar, maand)), Some(aantal)) if errors.is_empty() => {
            Ok(AnderGebruik {
                afspraak,
                jaar,
                maand,
                doelgroep: f.get("doelgroep").trim().to_owned(),
                aantal,
                herkomst,
            })
        }
        _ => Err(errors),
    }
}

/// The `formulier=gebruik` POST: record other groups' use of an agreement. More than agreed
/// is recorded, with a warning (`melding=gebruik-boven-afspraak`).
async fn submit_gebruik(
    st: &AppState,
    user: &DemoUser,
    profile: &RegionProfile,
    mut form: FormState,
    today: Date,
) -> Result<Response, WebError> {
    let fail = |form: FormState, data: Data| {
        let jaar =
            AfspraakSleutel::parse(form.get("afspraak")).map_or_else(|| today.year(), |k| k.jaar);
        let body = render(
            profile,
            user,
            &data,
            &AfsprakenQuery::default(),
            jaar,
            (&FormState::default(), &form),
            today,
        );
        Ok(respond(
            st,
            user,
            profile,
            StatusCode::UNPROCESSABLE_ENTITY,
            body,
        ))
    };
    let g = match check_gebruik_form(&form) {
        Ok(g) => g,
        Err(errors) => {
            form.errors = errors;
            let data = load(st, profile).await?;
            return fail(form, data);
        }
    };
    let gate = user.gate("gebruik van woningafspraak vastleggen");
    let rid = profile.id.clone();
    let x = g.clone();
    let result = st
        .blocking(move |s| s.record_ander_gebruik(&gate, &rid, &x))
        .await;
    let melding = match result {
        Ok(Vastlegging::Nieuw) => "gebruik-opgeslagen",
        Ok(Vastlegging::AlVastgelegd) => "gebruik-al-vastgelegd",
        Err(vangnet_store::StoreError::Rule { error, .. }) => {
            let field = if GEBRUIK_FIELDS.contains(&error.field) {
                error.field
            } else {
                "herkomst"
            };
            form.errors = vec![(field, error.message)];
            let data = load(st, profile).await?;
            return fail(form, data);
        }
        Err(e) => return Err(e.into()),
    };
    let data = load(st, profile).await?;
    let afs: Vec<Afspraak> = van_jaar(&data, g.jaar)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let boven = realisatie(&afs, &data.tellingen)
        .iter()
        .find(|r| r.afspraak.sleutel() == g.afspraak)
        .is_some_and(|r| gebruik(r, &data.ander()).boven_afspraak());
    let melding = if boven && melding == "gebruik-opgeslagen" {
        "gebruik-boven-afspraak"
    } else {
        melding
    };
    Ok(Redirect::to(&format!(
        "/regio/{}/woningafspraken?jaar={}&melding={melding}#gebruik",
        profile.id, g.jaar
    ))
    .into_response())
}

fn respond(
    st: &AppState,
    user: &DemoUser,
    profile: &RegionProfile,
    status: StatusCode,
    body: Markup,
) -> Response {
    let title = format!("Woningafspraken — {}", profile.name);
    (
        status,
        Html(
            html::page(
                &title,
                Some(user),
                st.store().regions(),
                &Nav::Region(profile.id.to_string()),
                body,
            )
            .into_string(),
        ),
    )
        .into_response()
}

fn cell_html(c: &Cell) -> Markup {
    html! {
        @match c {
            Cell::Text(t) => (t),
            Cell::Int(n) => (n),
            Cell::Number(x) => (x),
            Cell::Withheld { shown, note } => abbr title=(note) { (shown) },
            Cell::Empty => "",
        }
    }
}

/// A table as on every page: the first column a row header, numbers right-aligned from
/// column `getal_vanaf`.
fn table_html(id: &str, t: &Table, getal_vanaf: usize, tot: usize) -> Markup {
    let kop = format!("kop-{id}");
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-labelledby=(kop) {
            table id=(id) {
                caption id=(kop) { (t.title) }
                thead { tr {
                    @for (i, c) in t.columns.iter().enumerate() {
                        @if i >= getal_vanaf && i < tot { th.getal scope="col" { (c) } } @else { th scope="col" { (c) } }
                    }
                } }
                tbody {
                    @for row in &t.rows {
                        tr {
                            @for (i, c) in row.iter().enumerate() {
                                @if i == 0 { th scope="row" { (cell_html(c)) } }
                                @else if i >= getal_vanaf && i < tot { td.getal { (cell_html(c)) } }
                                @else { td { (cell_html(c)) } }
                            }
                        }
                    }
                }
            }
        }
        @if !t.notes.is_empty() { p.toelichting { (t.notes.join(" ")) } }
    }
}

fn render(
    profile: &RegionProfile,
    user: &DemoUser,
    data: &Data,
    q: &AfsprakenQuery,
    jaar: i32,
    (form, form_gebruik): (&FormState, &FormState),
    today: Date,
) -> Markup {
    let threshold = figures::threshold_for(Some(&user.actor), profile);
    let z = Zicht(threshold);
    let t = tabellen(profile, data, jaar, z, today);
    let mut jaren: Vec<i32> = data.afspraken.iter().map(|(a, _)| a.jaar).collect();
    jaren.push(today.year());
    jaren.push(jaar);
    jaren.sort_unstable();
    jaren.dedup();
    html! {
        h1 { "Woningafspraken — " (profile.name) }
        p { "Wat de regio met de woningcorporaties heeft afgesproken over woningen voor uitstroom uit beschermd wonen en maatschappelijke opvang, wat er is geleverd (aanbiedingen, acceptaties, huurovereenkomsten) en waar mensen naartoe zijn verhuisd. Cijfers uit de monitor; geen gegevens van personen." }
        @if threshold.is_some() {
            div.melding role="note" {
                p { "U ziet gepubliceerde cijfers: aantallen kleiner dan " (profile.norms.kleine_aantallen_drempel) " staan er als "
                    "\u{201c}<" (profile.norms.kleine_aantallen_drempel) "\u{201d}; een percentage alleen waar het aantal exact is." }
            }
        }
        form.inline method="get" action={ "/regio/" (profile.id) "/woningafspraken" } aria-label="Jaar" {
            div.veld {
                label for="afspraken-jaar" { "Jaar" }
                select id="afspraken-jaar" name="jaar" {
                    @for j in &jaren { option value=(j) selected[*j == jaar] { (j) } }
                }
            }
            button.knop.knop-secundair type="submit" { "Toon" }
        }
        p { "Download (CSV): "
            a href={ "/regio/" (profile.id) "/woningafspraken.csv?jaar=" (jaar) } download { "realisatie" } ", "
            a href={ "/regio/" (profile.id) "/woningafspraken.csv?jaar=" (jaar) "&tabel=maand" } download { "per maand" } ", "
            a href={ "/regio/" (profile.id) "/woningafspraken.csv?jaar=" (jaar) "&tabel=spreiding" } download { "spreiding" } ", "
            a href={ "/regio/" (profile.id) "/woningafspraken.csv?jaar=" (jaar) "&tabel=gebruik" } download { "andere doelgroepen" } }
        section aria-labelledby="kop-realisatie-sectie" {
            h2 id="kop-realisatie-sectie" { "Afspraken en realisatie " (jaar) }
            @if t.realisatie.rows.is_empty() {
                p { "Voor " (jaar) " zijn geen woningafspraken vastgelegd." }
            } @else {
                @if !t.waarschuwingen.is_empty() {
                    div.melding role="note" id="boven-afspraak" {
                        p { "Let op: meer woningen gebruikt dan afgesproken. De cijfers van de corporatie gelden; dit is een signaal voor het overleg, geen fout in de invoer." }
                        ul { @for w in &t.waarschuwingen { li { (w) } } }
                    }
                }
                (table_html("afspraken-realisatie", &t.realisatie, 4, 13))
            }
        }
        section aria-labelledby="kop-gebruik-sectie" {
            h2 id="kop-gebruik-sectie" { "Gebruik door andere doelgroepen " (jaar) }
            p { "Seed 000: 6 % van de vrijkomende sociale huurwoningen gaat naar bijzondere doelgroepen, en uitstroom uit beschermd wonen en opvang deelt dat aandeel met andere groepen. Hier staat wat de corporaties over dat andere gebruik opgaven." }
            @if t.gebruik.rows.is_empty() {
                p { "Voor " (jaar) " is geen gebruik door andere doelgroepen vastgelegd." }
            } @else {
                (table_html("afspraken-gebruik", &t.gebruik, 3, 4))
            }
        }
        @if !t.realisatie.rows.is_empty() {
            section aria-labelledby="kop-maand-sectie" {
                h2 id="kop-maand-sectie" { "Per maand" }
                details {
                    summary { "Toon de realisatie per maand (" (t.realisatie.rows.len()) " afspraken × 12 maanden)" }
                    (table_html("afspraken-maand", &t.maand, 2, 7))
                }
            }
        }
        section aria-labelledby="kop-spreiding-sectie" {
            h2 id="kop-spreiding-sectie" { "Spreiding " (jaar) }
            p { "Naar welke gemeente mensen met een woning zijn uitgestroomd, naast het aandeel van die gemeente in de afspraken en in de inwoners (seed 003: uitstroom komt terecht in 's-Hertogenbosch; seed 004 §8: cliënten blijven in de gemeente van de voorziening)." }
            (table_html("afspraken-spreiding", &t.spreiding, 1, 7))
        }
        (form_section(profile, user, data, q, form, today))
        (gebruik_section(profile, user, data, q, jaar, form_gebruik))
    }
}

fn gebruik_section(
    profile: &RegionProfile,
    user: &DemoUser,
    data: &Data,
    q: &AfsprakenQuery,
    jaar: i32,
    form: &FormState,
) -> Markup {
    if !access::may_enter_woningafspraken_of(&user.actor, profile) {
        return html! {};
    }
    // Every agreement in force, the shown year's first.
    let mut afs: Vec<&Afspraak> = data.afspraken.iter().map(|(a, _)| a).collect();
    afs.sort_by_key(|a| a.jaar != jaar);
    let described = |name: &str| form.error(name).map(|_| format!("fout-gebruik-{name}"));
    let veld = |name: &'static str, label: &str, hint: Option<&str>, body: Markup| {
        let e = form.error(name);
        html! {
            div.veld.veld-fout[e.is_some()] {
                label for={ "gebruik-" (name) } { (label) }
                @if let Some(h) = hint { p.hint { (h) } }
                @if let Some(m) = e { (html::field_message(&format!("gebruik-{name}"), m)) }
                (body)
            }
        }
    };
    let items: Vec<(Option<String>, &str)> = form
        .errors
        .iter()
        .map(|(f, m)| (Some(format!("#gebruik-{f}")), m.as_str()))
        .collect();
    html! {
        section id="gebruik" aria-labelledby="kop-gebruik" {
            h2 id="kop-gebruik" { "Gebruik door andere doelgroepen vastleggen" }
            @match q.melding.as_deref() {
                Some("gebruik-opgeslagen") => div.melding.melding-goed role="status" { p { "Het gebruik is vastgelegd." } },
                Some("gebruik-boven-afspraak") => div.melding role="status" { p { "Het gebruik is vastgelegd. Let op: bij deze afspraak is nu meer gebruikt dan afgesproken (zie de tabel)." } },
                Some("gebruik-al-vastgelegd") => div.melding role="status" { p { "Dit cijfer was al vastgelegd; er is niets dubbel opgeslagen." } },
                _ => {},
            }
            (html::error_box(&items))
            @if afs.is_empty() {
                p { "Er zijn geen afspraken om gebruik bij vast te leggen." }
            } @else {
                p { "Hoeveel woningen van een afspraak naar andere doelgroepen gingen (bijvoorbeeld statushouders, mantelzorg, overig), per maand of voor het hele jaar, met de bron (meestal de opgave van de corporatie). Een later cijfer voor dezelfde afspraak, periode en doelgroep vervangt het eerdere." }
                form method="post" action={ "/regio/" (profile.id) "/woningafspraken" } aria-labelledby="kop-gebruik" novalidate {
                    (crate::users::csrf_field())
                    input type="hidden" name="formulier" value="gebruik";
                    (veld("afspraak", "Afspraak", None, html! {
                        select id="gebruik-afspraak" name="afspraak" aria-describedby=[described("afspraak")] {
                            option value="" { "Kies een afspraak" }
                            @for a in &afs {
                                @let k = a.sleutel().tekst();
                                option value=(k) selected[form.get("afspraak") == k] { (a.jaar) ": " (afspraak_label(profile, a)) " (" (a.woningen) ")" }
                            }
                        }
                    }))
                    (veld("maand", "Maand", Some("jjjj-mm, of alleen het jaar (jjjj) voor een cijfer over het hele jaar"), html! {
                        input id="gebruik-maand" name="maand" type="text" inputmode="numeric" maxlength="7" value=(form.get("maand")) aria-describedby=[described("maand")];
                    }))
                    (veld("doelgroep", "Doelgroep", None, html! {
                        input id="gebruik-doelgroep" name="doelgroep" type="text" list="gebruik-doelgroepen" maxlength=(vangnet_domain::woningafspraken::MAX_DOELGROEP) value=(form.get("doelgroep")) aria-describedby=[described("doelgroep")];
                        datalist id="gebruik-doelgroepen" {
                            option value="statushouders" {}
                            option value="mantelzorg" {}
                            option value="overig" {}
                        }
                    }))
                    (veld("aantal", "Aantal woningen", None, html! {
                        input id="gebruik-aantal" name="aantal" type="number" inputmode="numeric" min="0" value=(form.get("aantal")) aria-describedby=[described("aantal")];
                    }))
                    fieldset {
                        legend { "Herkomst" }
                        div.keuze {
                            input id="gebruik-herkomst-bron" name="herkomst_soort" type="radio" value="bron" checked[form.get("herkomst_soort") != "aanname"];
                            label for="gebruik-herkomst-bron" { "Bron (bijvoorbeeld de opgave van de corporatie)" }
                        }
                        div.keuze {
                            input id="gebruik-herkomst-aanname" name="herkomst_soort" type="radio" value="aanname" checked[form.get("herkomst_soort") == "aanname"];
                            label for="gebruik-herkomst-aanname" { "Aanname (met de reden)" }
                        }
                        (veld("herkomst", "Bron of reden", None, html! {
                            textarea id="gebruik-herkomst" name="herkomst" rows="2" maxlength=(vangnet_domain::limits::MAX_TEXT_CHARS) aria-describedby=[described("herkomst")] { (form.get("herkomst")) }
                        }))
                    }
                    button.knop type="submit" { "Gebruik vastleggen" }
                }
            }
        }
    }
}

fn form_section(
    profile: &RegionProfile,
    user: &DemoUser,
    data: &Data,
    q: &AfsprakenQuery,
    form: &FormState,
    today: Date,
) -> Markup {
    if !access::may_enter_woningafspraken_of(&user.actor, profile) {
        return html! {};
    }
    let described = |name: &str| form.error(name).map(|_| format!("fout-afspraak-{name}"));
    let veld = |name: &'static str, label: &str, body: Markup| {
        let e = form.error(name);
        html! {
            div.veld.veld-fout[e.is_some()] {
                label for={ "afspraak-" (name) } { (label) }
                @if let Some(m) = e { (html::field_message(&format!("afspraak-{name}"), m)) }
                (body)
            }
        }
    };
    let items: Vec<(Option<String>, &str)> = form
        .errors
        .iter()
        .map(|(f, m)| (Some(format!("#afspraak-{f}")), m.as_str()))
        .collect();
    let jaar = if form.get("jaar").is_empty() {
        today.year().to_string()
    } else {
        form.get("jaar").to_owned()
    };
    html! {
        section id="nieuw" aria-labelledby="kop-nieuw" {
            h2 id="kop-nieuw" { "Afspraak toevoegen" }
            @match q.melding.as_deref() {
                Some("opgeslagen") => div.melding.melding-goed role="status" { p { "De afspraak is vastgelegd." } },
                Some("al-vastgelegd") => div.melding role="status" { p { "Deze afspraak was al vastgelegd; er is niets dubbel opgeslagen." } },
                _ => {},
            }
            (html::error_box(&items))
            p { "Noem de bron (een seed, een convenant, een raadsbesluit) of leg uit waarom het aantal een aanname is. Een afspraak met dezelfde gemeente, corporatie, jaar en route als een eerdere vervangt die vanaf nu; de eerdere blijft in het register. Voorbeelden uit de seeds: Rijk van Nijmegen 6 % van de vrijkomende sociale huurwoningen voor bijzondere doelgroepen en Housing First \u{201c}circa 10 woningen per jaar\u{201d} (seed 000); de Arnhemse regeling van \u{201c}120 woningen\u{201d} (seed 001); afspraken over aantallen woningen (seed 003)." }
            form method="post" action={ "/regio/" (profile.id) "/woningafspraken" } aria-labelledby="kop-nieuw" novalidate {
                (crate::users::csrf_field())
                (veld("gemeente", "Gemeente", html! {
                    select id="afspraak-gemeente" name="gemeente" aria-describedby=[described("gemeente")] {
                        option value="" { "Kies een gemeente" }
                        @for m in profile.members_on(today) {
                            option value=(m.code.to_string()) selected[form.get("gemeente") == m.code.to_string()] { (m.name) }
                        }
                    }
                }))
                (veld("corporatie", "Corporatie", html! {
                    select id="afspraak-corporatie" name="corporatie" aria-describedby=[described("corporatie")] {
                        option value="" { "Alle corporaties in de gemeente" }
                        @for c in &profile.corporaties {
                            option value=(c.id) selected[form.get("corporatie") == c.id] { (c.naam) }
                        }
                    }
                }))
                (veld("jaar", "Jaar", html! {
                    input id="afspraak-jaar" name="jaar" type="number" inputmode="numeric" min=(vangnet_domain::woningafspraken::EERSTE_JAAR) max=(vangnet_domain::woningafspraken::LAATSTE_JAAR) value=(jaar) aria-describedby=[described("jaar")];
                }))
                (veld("route", "Route", html! {
                    select id="afspraak-route" name="route" aria-describedby=[described("route")] {
                        option value="" { "Alle routes" }
                        @for r in WoonRoute::ALL {
                            option value=(r.key()) selected[form.get("route") == r.key()] { (r.label()) }
                        }
                    }
                }))
                (veld("onderdeel_van", "Onderdeel van (niet dubbel tellen)", html! {
                    select id="afspraak-onderdeel_van" name="onderdeel_van" aria-describedby=[described("onderdeel_van")] {
                        option value="" { "Geen: een afspraak op zichzelf" }
                        @for (a, _) in &data.afspraken {
                            @let k = a.sleutel().tekst();
                            option value=(k) selected[form.get("onderdeel_van") == k] { (a.jaar) ": " (afspraak_label(profile, a)) " (" (a.woningen) ")" }
                        }
                    }
                }))
                (veld("woningen", "Aantal woningen in het jaar", html! {
                    input id="afspraak-woningen" name="woningen" type="number" inputmode="numeric" min="0" value=(form.get("woningen")) aria-describedby=[described("woningen")];
                }))
                (veld("soort", "Soort afspraak", html! {
                    input id="afspraak-soort" name="soort" type="text" maxlength="200" value=(form.get("soort")) aria-describedby=[described("soort")];
                }))
                fieldset {
                    legend { "Herkomst" }
                    div.keuze {
                        input id="afspraak-herkomst-bron" name="herkomst_soort" type="radio" value="bron" checked[form.get("herkomst_soort") != "aanname"];
                        label for="afspraak-herkomst-bron" { "Bron (document en vindplaats)" }
                    }
                    div.keuze {
                        input id="afspraak-herkomst-aanname" name="herkomst_soort" type="radio" value="aanname" checked[form.get("herkomst_soort") == "aanname"];
                        label for="afspraak-herkomst-aanname" { "Aanname (met de reden)" }
                    }
                    (veld("herkomst", "Bron of reden", html! {
                        textarea id="afspraak-herkomst" name="herkomst" rows="2" maxlength=(vangnet_domain::limits::MAX_TEXT_CHARS) aria-describedby=[described("herkomst")] { (form.get("herkomst")) }
                    }))
                }
                button.knop type="submit" { "Afspraak vastleggen" }
            }
        }
    }
}
