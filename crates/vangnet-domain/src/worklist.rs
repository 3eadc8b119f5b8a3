//! The access team's worklist: pure functions of client states, the region's norms and
//! today's date. (The ranking of candidates for a free place is [`crate::matching`].)
//!
//! Worklist items (DOMAIN.md §5, issue 3): decision terms (beslistermijn) running out,
//! allocations ending or up for review, groepswonen nearing its maximum, people waiting
//! longer than the norm. Sorted by urgency: the most overdue first, then what falls due
//! soonest.

use serde::Serialize;

use crate::date::Date;
use crate::events::Wijziging;
use crate::ids::{ClientId, GemeenteCode, LocationId, ProductCode};
use crate::region::RegionProfile;
use crate::state::{ClientState, Phase, VerzoekSoort};

/// What needs doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Decide on an application within the term.
    Beslistermijn,
    /// An allocation ends: extend, re-assess (herindicatie) or plan the outflow.
    EindeToewijzing,
    /// A time-limited product (groepswonen ≤ 2 years) nears its maximum: plan the next step.
    MaximumDuur,
    /// Waiting longer than the norm.
    WachttijdNorm,
    /// In BW care but not yet registered as house-seeker (CG: within one month of entry).
    Woningzoekend,
    /// Issue 14: a provider's request (verzoek om toewijzing / wijziging) to answer: within
    /// [`VERZOEK_TERMIJN_DAGEN`], or [`ONDERZOEK_TERMIJN_DAGEN`] once "in onderzoek".
    Verzoek,
    /// Issue 14: a proposal awaiting the provider's answer, due on its `geldig_tot` (past it:
    /// propose again).
    Voorstel,
    /// Issue 14: the local front door's advice question, due within [`ADVIES_TERMIJN_DAGEN`].
    Advies,
    /// Issue 14, seed 004: after the 3rd night in the night shelter an individueel traject is
    /// due, within [`MO_TRAJECT_TERMIJN_DAGEN`] of the 4th night.
    MoTraject,
    /// Issue 15: an offer of a home was refused: look for another one, within
    /// [`AANBOD_GEWEIGERD_TERMIJN_DAGEN`] of the refusal.
    AanbodGeweigerd,
    /// Issue 15: an offer of a home awaits the client's answer, due on its `reageren_voor`
    /// (past it: the offer lapsed unanswered, a new offer may replace it).
    Reactietermijn,
    /// Issue 15: an urgentie application without a decision, due
    /// [`URGENTIE_TERMIJN_WEKEN`] weeks after it was made.
    UrgentieOpen,
}

/// Term to answer a provider's request: 10 werkdagen, counted as 14 calendar days. An
/// **aanname** — iWmo sets no answer term for a VOT/VOW; 10 werkdagen is our choice.
pub const VERZOEK_TERMIJN_DAGEN: i32 = 14;
/// Term once a request is "in onderzoek": 8 weeks, the Wmo 2015 decision term (art. 2.3.5
/// lid 3, for a melding; applied to a request by analogy — an **aanname**).
pub const ONDERZOEK_TERMIJN_DAGEN: i32 = 56;
/// Term to answer the local front door's advice question: 5 werkdagen ≈ 7 calendar days
/// (**aanname**; seed 002 names the expert team as achterwacht without a term).
pub const ADVIES_TERMIJN_DAGEN: i32 = 7;
/// Term for the individueel traject after the 4th night in the night shelter: 7 days
/// (**aanname**; seed 004 says a traject is started for those staying longer than 3 nights,
/// not within how long).
pub const MO_TRAJECT_TERMIJN_DAGEN: i32 = 7;
/// Issue 15: term to find the next offer after a refused one: 14 days (**aanname**; no seed
/// names one — a refusal should be followed up within two weeks so the wait does not stall).
pub const AANBOD_GEWEIGERD_TERMIJN_DAGEN: i32 = 14;
/// Issue 15: weeks within which a gemeente decides on an urgentie application: 8 weeks
/// (**aanname**: the Awb's default decision term, art. 4:13 lid 2, where no regulation sets
/// one; the gemeenten's own huisvestingsverordeningen may say otherwise).
pub const URGENTIE_TERMIJN_WEKEN: i32 = 8;

impl Task {
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Task::Beslistermijn => "Beslistermijn",
            Task::EindeToewijzing => "Einde toewijzing / herindicatie",
            Task::MaximumDuur => "Maximale duur product",
            Task::WachttijdNorm => "Wachttijd boven norm",
            Task::Woningzoekend => "Inschrijving woningzoekende",
            Task::Verzoek => "Verzoek van aanbieder beantwoorden",
            Task::Voorstel => "Voorstel wacht op aanbieder",
            Task::Advies => "Adviesvraag lokale toegang",
            Task::MoTraject => "Individueel traject MO (na 3e nacht)",
            Task::AanbodGeweigerd => "Woningaanbod geweigerd: nieuw aanbod zoeken",
            Task::Reactietermijn => "Reactietermijn woningaanbod",
            Task::UrgentieOpen => "Urgentieaanvraag zonder besluit",
        }
    }

    /// Stable key, as stored in the `deadlines` projection.
    pub fn key(self) -> &'static str {
        match self {
            Task::Beslistermijn => "beslistermijn",
            Task::EindeToewijzing => "einde_toewijzing",
            Task::MaximumDuur => "maximum_duur",
            Task::WachttijdNorm => "wachttijd_norm",
            Task::Woningzoekend => "woningzoekend",
            Task::Verzoek => "verzoek",
            Task::Voorstel => "voorstel",
            Task::Advies => "advies",
            Task::MoTraject => "mo_traject",
            Task::AanbodGeweigerd => "aanbod_geweigerd",
            Task::Reactietermijn => "reactietermijn",
            Task::UrgentieOpen => "urgentie_open",
        }
    }

    /// Every task, in the order shown.
    pub const ALL: [Task; 12] = [
        Task::Beslistermijn,
        Task::EindeToewijzing,
        Task::MaximumDuur,
        Task::WachttijdNorm,
        Task::Woningzoekend,
        Task::Verzoek,
        Task::Voorstel,
        Task::Advies,
        Task::MoTraject,
        Task::AanbodGeweigerd,
        Task::Reactietermijn,
        Task::UrgentieOpen,
    ];

    /// The task with this key.
    pub fn from_key(key: &str) -> Option<Task> {
        Task::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// One item on the worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    /// Client.
    pub client: ClientId,
    /// Task.
    pub task: Task,
    /// When it falls (fell) due.
    pub due: Date,
    /// Days until due (negative: overdue).
    pub days_left: i32,
    /// What it is about, in Dutch.
    pub detail: String,
}

/// How far ahead the worklist looks.
pub const HORIZON_DAYS: i32 = 56;

/// Every deadline of one client, whatever today is: (task, due date, what it is about). The
/// pure per-state part of [`worklist`]; stores keep these rows as a projection so the
/// worklist is an index range scan instead of a pass over every state.
pub fn deadlines_of(s: &ClientState, profile: &RegionProfile) -> Vec<(Task, Date, String)> {
    let norms = &profile.norms;
    let mut out = Vec::new();
    match s.phase() {
        // Nachtopvang is the first shelter for everyone (DOMAIN.md, seed 003): a person who
        // came in only for nights and was never assessed asked for no decision.
        Phase::Aangemeld
            if s.beoordeeld.is_none() && s.mo_laatste_nacht.is_some_and(|n| n >= s.aangemeld) => {}
        Phase::Aangemeld => {
            let due = s.aangemeld.add_days(7 * norms.beslistermijn_weken as i32);
            out.push((
                Task::Beslistermijn,
                due,
                format!("aangemeld op {}, nog geen besluit", s.aangemeld.nl()),
            ));
        }
        Phase::Wachtend => {
            if let Some(w) = &s.wacht {
                let due = w.sinds.add_days(7 * norms.wachttijd_weken as i32);
                out.push((
                    Task::WachttijdNorm,
                    due,
                    format!(
                        "wacht sinds {} op {}",
                        w.sinds.nl(),
                        product_name(profile, &w.product)
                    ),
                ));
            }
        }
        _ => {}
    }
    // An allocation that is used (in care) or waited on can be extended, re-assessed or
    // ended; one that is neither (the person left the waiting list, helped elsewhere)
    // lapses by itself on its end date and asks nothing of the team.
    if let Some((product, _, einde, _, _)) = s.toewijzing()
        && matches!(s.phase(), Phase::InZorg | Phase::Wachtend)
    {
        out.push((
            Task::EindeToewijzing,
            einde,
            format!(
                "toewijzing {} loopt af op {}",
                product_name(profile, product),
                einde.nl()
            ),
        ));
    }
    if let Some(z) = &s.zorg
        && let Some(p) = profile.product(&z.product)
        && let (Some(max), Some(due)) = (p.max_months, p.max_end(z.sinds))
    {
        out.push((
            Task::MaximumDuur,
            due,
            format!(
                "{} sinds {}: maximaal {max} maanden",
                product_name(profile, &z.product),
                z.sinds.nl()
            ),
        ));
    }
    // Only where the region has the rule and only for the products it covers (Centraal
    // Gelderland, seed 001 bijlage 3: clients with zelfstandig wonen as perspective).
    if let Some(z) = &s.zorg
        && s.woningzoekend.is_none()
        && let Some(rule) = profile.woningzoekend.as_ref()
        && rule.producten.contains(&z.product)
    {
        let due = z.episode_start.add_days(rule.binnen_dagen as i32);
        out.push((
            Task::Woningzoekend,
            due,
            format!(
                "in zorg sinds {}; nog niet ingeschreven als woningzoekende",
                z.episode_start.nl()
            ),
        ));
    }
    network_deadlines(s, profile, &mut out);
    housing_deadlines(s, profile, &mut out);
    out
}

/// Issue 15's deadlines, for someone in care who has not moved into a home yet: a refused
/// offer with no new one running, an offer awaiting the answer, an urgentie application
/// without a decision.
fn housing_deadlines(
    s: &ClientState,
    profile: &RegionProfile,
    out: &mut Vec<(Task, Date, String)>,
) {
    if s.zorg.is_none() || s.gehuisvest.is_some() {
        return;
    }
    let corporatie = |id: &str| {
        profile
            .corporatie(id)
            .map_or_else(|| id.to_owned(), |c| c.naam.clone())
    };
    if let Some(w) = &s.aanbod_geweigerd
        && s.aanbod.is_none()
    {
        let reden: String = w.reden.chars().take(80).collect();
        out.push((
            Task::AanbodGeweigerd,
            w.datum.add_days(AANBOD_GEWEIGERD_TERMIJN_DAGEN),
            format!(
                "woningaanbod van {} geweigerd op {}: {reden}; zoek een nieuw aanbod (termijn 14 dagen, aanname)",
                corporatie(&w.corporatie),
                w.datum.nl()
            ),
        ));
    }
    if let Some(a) = &s.aanbod
        && a.geaccepteerd.is_none()
    {
        out.push((
            Task::Reactietermijn,
            a.reageren_voor,
            format!(
                "{} in {} aangeboden door {} op {}; antwoord van de cliënt uiterlijk {}",
                a.woningtype.label(),
                crate::gemeenten::Gemeenten::national()
                    .get(a.gemeente)
                    .map_or_else(|| a.gemeente.to_string(), |g| g.name.clone()),
                corporatie(&a.corporatie),
                a.datum.nl(),
                a.reageren_voor.nl()
            ),
        ));
    }
    if let Some(u) = &s.woonurgentie
        && u.besluit.is_none()
    {
        out.push((
            Task::UrgentieOpen,
            u.aangevraagd.add_days(7 * URGENTIE_TERMIJN_WEKEN),
            format!(
                "urgentie aangevraagd bij {} op {}, nog geen besluit; termijn 8 weken (aanname)",
                crate::gemeenten::Gemeenten::national()
                    .get(u.gemeente)
                    .map_or_else(|| u.gemeente.to_string(), |g| g.name.clone()),
                u.aangevraagd.nl()
            ),
        ));
    }
}

/// Issue 14's deadlines: open requests, proposals awaiting the provider, advice questions
/// and the MO-traject after the 3rd night. A refused proposal leaves none (the candidate is
/// waiting again; the waiting list's own items apply), an accepted one neither (the provider
/// starts the care).
fn network_deadlines(
    s: &ClientState,
    profile: &RegionProfile,
    out: &mut Vec<(Task, Date, String)>,
) {
    for v in &s.verzoeken {
        let wat = match &v.soort {
            VerzoekSoort::Toewijzing { product, start, .. } => format!(
                "verzoek om toewijzing {} per {}",
                product_name(profile, product),
                start.nl()
            ),
            VerzoekSoort::Wijziging { wijziging } => match wijziging {
                Wijziging::Verlenging { nieuw_einde } => {
                    format!("verzoek om verlenging tot {}", nieuw_einde.nl())
                }
                Wijziging::Opschalen { product, .. } => {
                    format!(
                        "verzoek om opschalen naar {}",
                        product_name(profile, product)
                    )
                }
                Wijziging::Afschalen { product, .. } => {
                    format!(
                        "verzoek om afschalen naar {}",
                        product_name(profile, product)
                    )
                }
                Wijziging::Doorstroom { product, locatie } => format!(
                    "verzoek om doorstroom naar {} ({})",
                    product_name(profile, product),
                    location_name(profile, locatie)
                ),
            },
        };
        let (due, termijn) = match v.in_onderzoek {
            Some(d) => (
                v.sinds.add_days(ONDERZOEK_TERMIJN_DAGEN),
                format!("in onderzoek sinds {}; termijn 8 weken (aanname)", d.nl()),
            ),
            None => (
                v.sinds.add_days(VERZOEK_TERMIJN_DAGEN),
                "termijn 10 werkdagen (aanname)".to_owned(),
            ),
        };
        out.push((
            Task::Verzoek,
            due,
            format!(
                "{wat} van {} sinds {}; {termijn}",
                provider_name(profile, v.aanbieder),
                v.sinds.nl()
            ),
        ));
    }
    if let Some(v) = &s.voorstel
        && v.akkoord.is_none()
    {
        out.push((
            Task::Voorstel,
            v.geldig_tot,
            format!(
                "voorgesteld op {} voor {} ({}); antwoord van {} uiterlijk {}",
                v.sinds.nl(),
                location_name(profile, &v.locatie),
                product_name(profile, &v.product),
                provider_name(profile, v.aanbieder),
                v.geldig_tot.nl()
            ),
        ));
    }
    for a in &s.adviesvragen {
        let vraag: String = a.vraag.chars().take(80).collect();
        out.push((
            Task::Advies,
            a.sinds.add_days(ADVIES_TERMIJN_DAGEN),
            format!(
                "adviesvraag van de lokale toegang sinds {}: {vraag}; termijn 5 werkdagen (aanname)",
                a.sinds.nl()
            ),
        ));
    }
    if let Some(h) = s.mo_historie(&s.regio)
        && let Some(vierde) = h.vierde_nacht
        && s.mo_traject.is_none_or(|t| t < vierde)
    {
        let waar = h
            .locatie
            .as_ref()
            .map(|l| format!(" ({})", location_name(profile, l)))
            .unwrap_or_default();
        out.push((
            Task::MoTraject,
            vierde.add_days(MO_TRAJECT_TERMIJN_DAGEN),
            format!(
                "4e nacht in de nachtopvang{waar} op {}: individueel begeleidingstraject nog niet gestart (seed 004; termijn 7 dagen, aanname)",
                vierde.nl()
            ),
        ));
    }
}

fn provider_name(profile: &RegionProfile, agb: crate::ids::AgbCode) -> String {
    profile
        .provider(agb)
        .map_or_else(|| format!("aanbieder {agb}"), |p| p.name.clone())
}

fn location_name(profile: &RegionProfile, id: &LocationId) -> String {
    profile
        .location(id)
        .map_or_else(|| id.to_string(), |l| l.name.clone())
}

/// The worklist for `states` (one region's clients) on `today`.
pub fn worklist<'a>(
    states: impl IntoIterator<Item = &'a ClientState>,
    profile: &RegionProfile,
    today: Date,
) -> Vec<WorkItem> {
    let mut items = Vec::new();
    for s in states {
        for (task, due, detail) in deadlines_of(s, profile) {
            let days_left = today.days_until(due);
            if days_left <= HORIZON_DAYS {
                items.push(WorkItem {
                    client: s.client,
                    task,
                    due,
                    days_left,
                    detail,
                });
            }
        }
    }
    items.sort_by_key(|i| (i.days_left, i.task as u8, i.client));
    items
}

fn product_name(profile: &RegionProfile, code: &ProductCode) -> String {
    profile
        .product(code)
        .map_or_else(|| code.to_string(), |p| p.name.clone())
}

// ---------------------------------------------------------------------------------------
// The worklist page: filters, sort, paging and counts (issue 12)

/// Items per page of the worklist.
pub const PAGE_SIZE: usize = 50;

/// Which items by their date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Termijn {
    /// Everything due by the horizon, overdue or not.
    #[default]
    Alle,
    /// Past its date.
    Verlopen,
    /// Due today or within the horizon.
    Binnenkort,
}

impl Termijn {
    /// Every choice, in the order shown.
    pub const ALL: [Termijn; 3] = [Termijn::Alle, Termijn::Verlopen, Termijn::Binnenkort];

    /// Key in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Termijn::Alle => "alle",
            Termijn::Verlopen => "verlopen",
            Termijn::Binnenkort => "binnenkort",
        }
    }

    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Termijn::Alle => "alle termijnen",
            Termijn::Verlopen => "verlopen",
            Termijn::Binnenkort => "vandaag en binnenkort",
        }
    }
}

/// Order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Volgorde {
    /// The most overdue first (earliest date first).
    #[default]
    OudsteEerst,
    /// The newest deadlines first (latest date first): today's applications on top.
    NieuwsteEerst,
}

impl Volgorde {
    /// Every choice, in the order shown.
    pub const ALL: [Volgorde; 2] = [Volgorde::OudsteEerst, Volgorde::NieuwsteEerst];

    /// Key in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Volgorde::OudsteEerst => "oudste",
            Volgorde::NieuwsteEerst => "nieuwste",
        }
    }

    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Volgorde::OudsteEerst => "oudste eerst (meest verlopen bovenaan)",
            Volgorde::NieuwsteEerst => "nieuwste eerst (laatste termijn bovenaan)",
        }
    }
}

/// The worklist's filters as typed in the URL (every field optional, empty = no filter).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct RawWorklistFilter {
    /// Task key ([`Task::key`]).
    pub taak: Option<String>,
    /// Gemeente of origin, by name (or CBS code).
    pub gemeente: Option<String>,
    /// Product code.
    pub product: Option<String>,
    /// [`Termijn::key`].
    pub termijn: Option<String>,
    /// Only items more than this many days past their date.
    pub ouder_dan: Option<String>,
    /// [`Volgorde::key`].
    pub volgorde: Option<String>,
    /// Page, from 1.
    pub pagina: Option<String>,
}

/// A filter that cannot be used: the field and a Dutch message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// The URL field.
    pub field: &'static str,
    /// What is wrong, in Dutch.
    pub message: String,
}

/// The worklist's filters, parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorklistFilter {
    /// Only this task.
    pub task: Option<Task>,
    /// Only clients from this gemeente (of origin).
    pub gemeente: Option<GemeenteCode>,
    /// Only items about this product.
    pub product: Option<ProductCode>,
    /// Overdue, due soon, or all.
    pub termijn: Termijn,
    /// Only items more than this many days past their date.
    pub ouder_dan: Option<u32>,
    /// Order.
    pub volgorde: Volgorde,
    /// Page, from 1 (a page beyond the last shows the last).
    pub page: usize,
}

/// Longest age filter accepted: ten years.
const MAX_AGE_DAYS: u32 = 3650;

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl WorklistFilter {
    /// Parse the URL's filters for `profile`'s worklist: the gemeente by its name (any
    /// case) or CBS code among the region's gemeenten, the product among its products.
    /// The first unusable field is the error.
    pub fn parse(
        raw: &RawWorklistFilter,
        profile: &RegionProfile,
    ) -> Result<WorklistFilter, FilterError> {
        let err = |field, message: String| FilterError { field, message };
        let task = given(&raw.taak)
            .map(|t| Task::from_key(t).ok_or_else(|| err("taak", format!("Onbekende taak: {t}."))))
            .transpose()?;
        let gemeente = given(&raw.gemeente)
            .map(|g| {
                profile
                    .gemeenten
                    .iter()
                    .find(|m| {
                        m.name.to_lowercase() == g.to_lowercase()
                            || m.code.to_string().eq_ignore_ascii_case(g)
                    })
                    .map(|m| m.code)
                    .ok_or_else(|| {
                        err(
                            "gemeente",
                            format!("{g} is geen gemeente van regio {}; kies een gemeente uit de lijst.", profile.name),
                        )
                    })
            })
            .transpose()?;
        let product = given(&raw.product)
            .map(|p| {
                ProductCode::parse(p)
                    .ok()
                    .filter(|c| profile.product(c).is_some())
                    .ok_or_else(|| err("product", format!("Onbekend product in deze regio: {p}.")))
            })
            .transpose()?;
        let termijn = match given(&raw.termijn) {
            None => Termijn::Alle,
            Some(t) => Termijn::ALL
                .into_iter()
                .find(|x| x.key() == t)
                .ok_or_else(|| err("termijn", format!("Onbekende keuze voor de termijn: {t}.")))?,
        };
        let ouder_dan = given(&raw.ouder_dan)
            .map(|n| {
                n.parse::<u32>()
                    .ok()
                    .filter(|n| *n <= MAX_AGE_DAYS)
                    .ok_or_else(|| {
                        err(
                            "ouder_dan",
                            format!("Vul een aantal dagen in van 0 tot en met {MAX_AGE_DAYS} (niet: {n})."),
                        )
                    })
            })
            .transpose()?;
        if ouder_dan.is_some() && termijn == Termijn::Binnenkort {
            return Err(err(
                "ouder_dan",
                "Alleen verlopen termijnen hebben een ouderdom: kies bij Termijn 'verlopen' of 'alle termijnen', of laat dit veld leeg.".into(),
            ));
        }
        let volgorde = match given(&raw.volgorde) {
            None => Volgorde::OudsteEerst,
            Some(v) => Volgorde::ALL
                .into_iter()
                .find(|x| x.key() == v)
                .ok_or_else(|| err("volgorde", format!("Onbekende volgorde: {v}.")))?,
        };
        let page = match given(&raw.pagina) {
            None => 1,
            Some(p) => p
                .parse::<usize>()
                .ok()
                .filter(|p| (1..=1_000_000).contains(p))
                .ok_or_else(|| err("pagina", format!("Ongeldig paginanummer: {p}.")))?,
        };
        Ok(WorklistFilter {
            task,
            gemeente,
            product,
            termijn,
            ouder_dan,
            volgorde,
            page,
        })
    }

    /// The last due date the list reads on `today` (the horizon).
    pub fn until(today: Date) -> Date {
        today.add_days(HORIZON_DAYS)
    }

    /// Whether `row` passes every filter but the task (the counts per task).
    fn matches_but_task(&self, row: &DeadlineRow, today: Date) -> bool {
        let days_left = today.days_until(row.due);
        days_left <= HORIZON_DAYS
            && match self.termijn {
                Termijn::Alle => true,
                Termijn::Verlopen => days_left < 0,
                Termijn::Binnenkort => days_left >= 0,
            }
            && self
                .ouder_dan
                .is_none_or(|n| i64::from(-days_left) > i64::from(n))
            && self.gemeente.is_none_or(|g| row.gemeente == Some(g))
            && self
                .product
                .as_ref()
                .is_none_or(|p| row.product.as_ref() == Some(p))
    }

    /// Filter, count, sort and cut one page from `rows` (one region's deadlines, already
    /// decided by the access gate).
    pub fn select(&self, rows: Vec<DeadlineRow>, today: Date) -> WorklistPage {
        let mut per_task: Vec<(Task, usize)> = Task::ALL.iter().map(|t| (*t, 0)).collect();
        let mut kept: Vec<DeadlineRow> = Vec::new();
        for r in rows {
            if !self.matches_but_task(&r, today) {
                continue;
            }
            if let Some(c) = per_task.iter_mut().find(|(t, _)| *t == r.task) {
                c.1 += 1;
            }
            if self.task.is_none_or(|t| t == r.task) {
                kept.push(r);
            }
        }
        match self.volgorde {
            Volgorde::OudsteEerst => kept.sort_by(|a, b| {
                (a.due, a.task as u8, a.client).cmp(&(b.due, b.task as u8, b.client))
            }),
            Volgorde::NieuwsteEerst => kept.sort_by(|a, b| {
                (std::cmp::Reverse(a.due), a.task as u8, a.client).cmp(&(
                    std::cmp::Reverse(b.due),
                    b.task as u8,
                    b.client,
                ))
            }),
        }
        let total = kept.len();
        let overdue = kept.iter().filter(|r| r.due < today).count();
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = self.page.clamp(1, pages);
        let items = kept
            .into_iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect();
        WorklistPage {
            items,
            total,
            overdue,
            per_task,
            page,
            pages,
        }
    }
}

/// One deadline as the store reads it, with what the filters and the page need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineRow {
    /// Client.
    pub client: ClientId,
    /// Task.
    pub task: Task,
    /// When it falls (fell) due.
    pub due: Date,
    /// What it is about, in Dutch.
    pub detail: String,
    /// The client's gemeente of origin ([`filter_keys`]).
    pub gemeente: Option<GemeenteCode>,
    /// The product the item is about ([`filter_keys`]).
    pub product: Option<ProductCode>,
    /// The client's name, when the store holds the person.
    pub name: Option<String>,
}

/// What the filters read from a client's state: the gemeente of origin, and the product of
/// the care, else of the wait, else of the allocation (none before a decision).
pub fn filter_keys(s: &ClientState) -> (Option<GemeenteCode>, Option<ProductCode>) {
    let product = s
        .zorg
        .as_ref()
        .map(|z| z.product.clone())
        .or_else(|| s.wacht.as_ref().map(|w| w.product.clone()))
        .or_else(|| s.toewijzing().map(|t| t.0.clone()));
    (s.herkomst, product)
}

/// One page of the worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorklistPage {
    /// The items of this page, in the chosen order.
    pub items: Vec<DeadlineRow>,
    /// Items passing every filter (all pages).
    pub total: usize,
    /// Of those, past their date.
    pub overdue: usize,
    /// Items per task passing every filter but the task (all pages), in [`Task::ALL`] order.
    pub per_task: Vec<(Task, usize)>,
    /// This page, from 1.
    pub page: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{ClientEvent, Leveringsvorm, Melder, Urgentie, Woonsituatie};
    use crate::ids::{GemeenteCode, LocationId, RegionId};
    use crate::region::Regions;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn state(
        regions: &Regions,
        id: u64,
        herkomst: &str,
        on: &str,
        steps: &[(&str, ClientEvent)],
    ) -> ClientState {
        state_in(regions, "centraal-gelderland", id, herkomst, on, steps)
    }

    fn state_in(
        regions: &Regions,
        regio: &str,
        id: u64,
        herkomst: &str,
        on: &str,
        steps: &[(&str, ClientEvent)],
    ) -> ClientState {
        let aanmelding = ClientEvent::Aanmelding {
            regio: RegionId::parse(regio).unwrap(),
            melder: Melder::Wijkteam,
            herkomst_gemeente: Some(GemeenteCode::parse(herkomst).unwrap()),
            woonsituatie: Woonsituatie::Thuis,
            urgentie: Urgentie::Regulier,
            voordeur: None,
        };
        let mut s = ClientState::open(ClientId(id), 1, d(on), &aanmelding, regions).unwrap();
        for (i, (date, e)) in steps.iter().enumerate() {
            s.apply(i as u32 + 2, d(date), e, regions).unwrap();
        }
        s
    }

    fn toewijzing(product: &str, start: &str, einde: &str) -> ClientEvent {
        ClientEvent::Toewijzing {
            product: ProductCode::parse(product).unwrap(),
            start: d(start),
            einde: d(einde),
            leveringsvorm: Leveringsvorm::Zin,
            aanbieder: None,
        }
    }
    fn wacht(product: &str, prio: u8) -> ClientEvent {
        ClientEvent::WachtlijstIn {
            product: ProductCode::parse(product).unwrap(),
            prioriteit: prio,
        }
    }

    #[test]
    fn worklist_shows_what_is_late_first() {
        let regions = Regions::builtin();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        let today = d("2025-06-01");
        let undecided = state(&regions, 1, "GM0202", "2025-03-01", &[]);
        let waiting = state(
            &regions,
            2,
            "GM0226",
            "2025-01-10",
            &[
                (
                    "2025-02-01",
                    toewijzing("bw-beschermd-wonen", "2025-02-01", "2027-01-31"),
                ),
                ("2025-02-01", wacht("bw-beschermd-wonen", 0)),
            ],
        );
        let group = state(
            &regions,
            3,
            "GM0202",
            "2023-05-01",
            &[
                (
                    "2023-06-01",
                    toewijzing("bw-groepswonen", "2023-06-01", "2025-05-31"),
                ),
                (
                    "2023-06-10",
                    ClientEvent::StartZorg {
                        product: ProductCode::parse("bw-groepswonen").unwrap(),
                        locatie: LocationId::parse("rijnbeschut-arnhem-centrum").unwrap(),
                        overbezetting: None,
                    },
                ),
            ],
        );
        let fresh = state(&regions, 4, "GM0202", "2025-05-30", &[]);
        let items = worklist([&undecided, &waiting, &group, &fresh], p, today);
        let summary: Vec<(u64, Task, i32)> = items
            .iter()
            .map(|i| (i.client.0, i.task, i.days_left))
            .collect();
        assert_eq!(
            summary,
            vec![
                (3, Task::Woningzoekend, -692),
                (2, Task::WachttijdNorm, -64),
                (1, Task::Beslistermijn, -36),
                (3, Task::EindeToewijzing, -1),
                (3, Task::MaximumDuur, 9),
                (4, Task::Beslistermijn, 54),
            ]
        );
    }

    /// Issue 15's three housing tasks, counted by hand on 2025-06-01 over six clients in
    /// care and uitstroomklaar since 2025-03-01.
    #[test]
    fn housing_tasks_refused_offer_lapsing_term_and_open_urgentie() {
        use crate::events::{Woningtype, WoonRoute};
        let regions = Regions::builtin();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        let gm = |g: &str| GemeenteCode::parse(g).unwrap();
        let aanbod = |corporatie: &str, gemeente: &str, voor: &str| ClientEvent::Woningaanbod {
            corporatie: corporatie.into(),
            gemeente: gm(gemeente),
            woningtype: Woningtype::Studio,
            route: WoonRoute::Regulier,
            reageren_voor: d(voor),
        };
        // Versions: 2 toewijzing, 3 start, 4 uitstroomklaar; the next fact is version 5.
        let klaar = |more: Vec<(&'static str, ClientEvent)>| {
            let mut v = vec![
                (
                    "2025-01-01",
                    toewijzing("bw-beschermd-wonen", "2025-01-01", "2026-12-31"),
                ),
                (
                    "2025-01-10",
                    ClientEvent::StartZorg {
                        product: ProductCode::parse("bw-beschermd-wonen").unwrap(),
                        locatie: LocationId::parse("rijnbeschut-arnhem-centrum").unwrap(),
                        overbezetting: None,
                    },
                ),
                ("2025-03-01", ClientEvent::Uitstroomklaar),
            ];
            v.extend(more);
            v
        };
        let antwoord = |aanbod: u32, akkoord: bool| ClientEvent::AanbodAntwoord {
            aanbod,
            akkoord,
            reden: if akkoord { "" } else { "te ver van familie" }.into(),
        };
        let urgentie = ClientEvent::UrgentieAanvraag {
            gemeente: gm("GM0202"),
        };
        let clients = [
            // 1: an offer unanswered, its term passed on 2025-05-15.
            klaar(vec![(
                "2025-05-01",
                aanbod("woonbrug", "GM0202", "2025-05-15"),
            )]),
            // 2: an offer refused on 2025-05-20, no new one: find another by 2025-06-03.
            klaar(vec![
                ("2025-05-10", aanbod("woonbrug", "GM0274", "2025-05-24")),
                ("2025-05-20", antwoord(5, false)),
            ]),
            // 3: urgentie applied for on 2025-03-02, undecided: due 2025-04-27.
            klaar(vec![("2025-03-02", urgentie.clone())]),
            // 4: refused, then a new offer awaiting the answer until 2025-06-20 (only that).
            klaar(vec![
                ("2025-05-01", aanbod("woonbrug", "GM0202", "2025-05-15")),
                ("2025-05-02", antwoord(5, false)),
                (
                    "2025-05-25",
                    aanbod("liemers-wonen", "GM0226", "2025-06-20"),
                ),
            ]),
            // 5: accepted, urgentie decided: nothing.
            klaar(vec![
                ("2025-03-02", urgentie.clone()),
                (
                    "2025-04-01",
                    ClientEvent::UrgentieBesluit {
                        aanvraag: 5,
                        toegekend: true,
                        toelichting: String::new(),
                    },
                ),
                ("2025-05-01", aanbod("woonbrug", "GM0202", "2025-05-15")),
                ("2025-05-02", antwoord(7, true)),
            ]),
            // 6: moved into a home with urgentie still open: nothing.
            klaar(vec![
                ("2025-03-02", urgentie),
                ("2025-04-01", aanbod("woonbrug", "GM0202", "2025-04-15")),
                ("2025-04-02", antwoord(6, true)),
                (
                    "2025-04-03",
                    ClientEvent::Huurovereenkomst {
                        aanbod: 6,
                        ingangsdatum: d("2025-05-01"),
                    },
                ),
                ("2025-05-01", ClientEvent::Verhuizing { aanbod: 6 }),
            ]),
        ];
        let states: Vec<ClientState> = clients
            .iter()
            .enumerate()
            .map(|(i, steps)| state(&regions, i as u64 + 1, "GM0202", "2024-12-01", steps))
            .collect();
        let housing = [
            Task::AanbodGeweigerd,
            Task::Reactietermijn,
            Task::UrgentieOpen,
        ];
        let items: Vec<(u64, Task, Date, i32)> = worklist(&states, p, d("2025-06-01"))
            .into_iter()
            .filter(|i| housing.contains(&i.task))
            .map(|i| (i.client.0, i.task, i.due, i.days_left))
            .collect();
        assert_eq!(
            items,
            vec![
                (3, Task::UrgentieOpen, d("2025-04-27"), -35),
                (1, Task::Reactietermijn, d("2025-05-15"), -17),
                (2, Task::AanbodGeweigerd, d("2025-06-03"), 2),
                (4, Task::Reactietermijn, d("2025-06-20"), 19),
            ]
        );
        let detail = |c: u64, t: Task| {
            deadlines_of(&states[c as usize - 1], p)
                .into_iter()
                .find(|x| x.0 == t)
                .unwrap()
                .2
        };
        assert_eq!(
            detail(2, Task::AanbodGeweigerd),
            "woningaanbod van Woonstichting De Brug (fictief) geweigerd op 20-05-2025: te ver van familie; zoek een nieuw aanbod (termijn 14 dagen, aanname)"
        );
        assert_eq!(
            detail(3, Task::UrgentieOpen),
            "urgentie aangevraagd bij Arnhem op 02-03-2025, nog geen besluit; termijn 8 weken (aanname)"
        );
    }

    #[test]
    fn house_seeker_registration_is_a_deadline_only_where_the_rule_applies() {
        let regions = Regions::builtin();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        let in_care = |product: &str, locatie: &str| {
            vec![
                (
                    "2025-01-01",
                    toewijzing(product, "2025-01-01", "2026-12-31"),
                ),
                (
                    "2025-01-10",
                    ClientEvent::StartZorg {
                        product: ProductCode::parse(product).unwrap(),
                        locatie: LocationId::parse(locatie).unwrap(),
                        overbezetting: None,
                    },
                ),
            ]
        };
        let woningzoekend = |s: &ClientState, p: &RegionProfile| -> Vec<Date> {
            deadlines_of(s, p)
                .into_iter()
                .filter(|(t, ..)| *t == Task::Woningzoekend)
                .map(|(_, due, _)| due)
                .collect()
        };
        // Groepswonen (doel = doorstroom naar zelfstandig wonen): within a month.
        let steps = in_care("bw-groepswonen", "rijnbeschut-arnhem-centrum");
        let s = state(&regions, 1, "GM0226", "2025-01-01", &steps);
        assert_eq!(
            woningzoekend(&s, p),
            [d("2025-02-09")],
            "30 days after the start of care"
        );
        let mut registered = steps;
        registered.push((
            "2025-01-20",
            ClientEvent::Woningzoekend {
                bij: "Entree".into(),
            },
        ));
        let s = state(&regions, 1, "GM0226", "2025-01-01", &registered);
        assert!(woningzoekend(&s, p).is_empty());
        // Intramural BW: the seed's perspective is not known per client, so no deadline.
        let steps = in_care("bw-beschermd-wonen", "liemers-duiven");
        let s = state(&regions, 2, "GM0226", "2025-01-01", &steps);
        assert!(woningzoekend(&s, p).is_empty());
        // Other regions have no such rule in their seeds.
        let nr = regions
            .get(&RegionId::parse("nijmegen-rivierenland").unwrap())
            .unwrap();
        let steps = in_care("bw-intramuraal", "waalbeschut-nijmegen-centrum");
        let s = state_in(
            &regions,
            "nijmegen-rivierenland",
            3,
            "GM0268",
            "2025-01-01",
            &steps,
        );
        assert!(
            deadlines_of(&s, nr)
                .iter()
                .any(|(t, ..)| *t == Task::EindeToewijzing)
        );
        assert!(woningzoekend(&s, nr).is_empty());
    }

    fn cg() -> RegionProfile {
        Regions::builtin()
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap()
            .clone()
    }

    fn raw(pairs: &[(&str, &str)]) -> RawWorklistFilter {
        let mut r = RawWorklistFilter::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "taak" => r.taak = v,
                "gemeente" => r.gemeente = v,
                "product" => r.product = v,
                "termijn" => r.termijn = v,
                "ouder_dan" => r.ouder_dan = v,
                "volgorde" => r.volgorde = v,
                "pagina" => r.pagina = v,
                _ => panic!("{k}"),
            }
        }
        r
    }

    /// 120 rows: client i, due today − 60 + i (so 60 overdue, today, 59 ahead of which
    /// 56 within the horizon), tasks and gemeenten alternating, a product on the odd ones.
    fn rows(today: Date) -> Vec<DeadlineRow> {
        (0..120u64)
            .map(|i| DeadlineRow {
                client: ClientId(i + 1),
                task: if i % 2 == 0 {
                    Task::Beslistermijn
                } else {
                    Task::WachttijdNorm
                },
                due: today.add_days(i as i32 - 60),
                detail: String::new(),
                gemeente: Some(
                    GemeenteCode::parse(if i % 3 == 0 { "GM0202" } else { "GM0226" }).unwrap(),
                ),
                product: (i % 2 == 1).then(|| ProductCode::parse("bw-beschermd-wonen").unwrap()),
                name: None,
            })
            .collect()
    }

    #[test]
    fn filters_parse_with_a_gemeente_by_name_and_refuse_with_the_field() {
        let p = cg();
        let f = WorklistFilter::parse(
            &raw(&[
                ("taak", "wachttijd_norm"),
                ("gemeente", "arnhem"),
                ("product", "bw-beschermd-wonen"),
                ("termijn", "verlopen"),
                ("ouder_dan", "30"),
                ("volgorde", "nieuwste"),
                ("pagina", "2"),
            ]),
            &p,
        )
        .unwrap();
        assert_eq!(f.task, Some(Task::WachttijdNorm));
        assert_eq!(f.gemeente, Some(GemeenteCode::parse("GM0202").unwrap()));
        assert_eq!(
            (f.termijn, f.ouder_dan, f.volgorde, f.page),
            (Termijn::Verlopen, Some(30), Volgorde::NieuwsteEerst, 2)
        );
        assert_eq!(
            WorklistFilter::parse(&raw(&[("gemeente", " ")]), &p).unwrap(),
            WorklistFilter {
                page: 1,
                ..Default::default()
            }
        );
        for (field, value) in [
            ("taak", "koffie"),
            ("gemeente", "Amsterdam"),
            ("product", "mo-nachtopvang-xyz"),
            ("termijn", "morgen"),
            ("ouder_dan", "-3"),
            ("ouder_dan", "veel"),
            ("volgorde", "willekeurig"),
            ("pagina", "0"),
            ("pagina", "een"),
        ] {
            let e = WorklistFilter::parse(&raw(&[(field, value)]), &p).unwrap_err();
            assert_eq!(e.field, field, "{value}");
        }
        let e = WorklistFilter::parse(&raw(&[("termijn", "binnenkort"), ("ouder_dan", "5")]), &p)
            .unwrap_err();
        assert_eq!(e.field, "ouder_dan");
        assert!(e.message.contains("verlopen"));
    }

    #[test]
    fn select_counts_every_page_sorts_both_ways_and_pages_by_fifty() {
        let today = d("2026-06-01");
        let all = WorklistFilter {
            page: 1,
            ..Default::default()
        };
        let page = all.select(rows(today), today);
        assert_eq!(page.total, 117, "60 overdue, today and 56 days ahead");
        assert_eq!(page.overdue, 60);
        assert_eq!(page.pages, 3);
        assert_eq!(page.items.len(), PAGE_SIZE);
        assert_eq!(page.items[0].due, today.add_days(-60), "oldest first");
        assert_eq!(
            page.per_task
                .iter()
                .find(|(t, _)| *t == Task::Beslistermijn)
                .unwrap()
                .1,
            59
        );
        let last = WorklistFilter {
            page: 99,
            ..all.clone()
        }
        .select(rows(today), today);
        assert_eq!(
            (last.page, last.items.len()),
            (3, 17),
            "a page beyond the last is the last"
        );
        let newest = WorklistFilter {
            volgorde: Volgorde::NieuwsteEerst,
            ..all.clone()
        }
        .select(rows(today), today);
        assert_eq!(
            newest.items[0].due,
            today.add_days(HORIZON_DAYS),
            "the newest deadline on top"
        );
        // Filters: the counts per task ignore the task filter, the total does not.
        let f = WorklistFilter {
            task: Some(Task::WachttijdNorm),
            termijn: Termijn::Verlopen,
            ouder_dan: Some(30),
            ..all.clone()
        };
        let p = f.select(rows(today), today);
        assert!(
            p.items
                .iter()
                .all(|r| r.task == Task::WachttijdNorm && today.days_until(r.due) < -30)
        );
        assert_eq!(p.total, 15, "odd i < 29: due 31…59 days ago");
        assert_eq!(
            p.per_task,
            vec![
                (Task::Beslistermijn, 15),
                (Task::EindeToewijzing, 0),
                (Task::MaximumDuur, 0),
                (Task::WachttijdNorm, 15),
                (Task::Woningzoekend, 0),
                (Task::Verzoek, 0),
                (Task::Voorstel, 0),
                (Task::Advies, 0),
                (Task::MoTraject, 0),
                (Task::AanbodGeweigerd, 0),
                (Task::Reactietermijn, 0),
                (Task::UrgentieOpen, 0),
            ]
        );
        let soon = WorklistFilter {
            termijn: Termijn::Binnenkort,
            ..all.clone()
        }
        .select(rows(today), today);
        assert_eq!((soon.total, soon.overdue), (57, 0));
        let gem = WorklistFilter {
            gemeente: Some(GemeenteCode::parse("GM0202").unwrap()),
            product: Some(ProductCode::parse("bw-beschermd-wonen").unwrap()),
            ..all
        }
        .select(rows(today), today);
        assert!(gem.total > 0);
        assert!(
            gem.items.iter().all(|r| r.client.0 % 6 == 4),
            "i % 3 == 0 and odd"
        );
    }

    #[test]
    fn night_shelter_guests_and_unused_allocations_ask_nothing() {
        let regions = Regions::builtin();
        let p = cg();
        let aanmelding = ClientEvent::Aanmelding {
            regio: RegionId::parse("centraal-gelderland").unwrap(),
            melder: Melder::Zelf,
            herkomst_gemeente: Some(GemeenteCode::parse("GM0202").unwrap()),
            woonsituatie: Woonsituatie::Dakloos,
            urgentie: Urgentie::Crisis,
            voordeur: None,
        };
        let mut guest =
            ClientState::open(ClientId(1), 1, d("2025-01-01"), &aanmelding, &regions).unwrap();
        assert_eq!(
            deadlines_of(&guest, &p).len(),
            1,
            "an application asks a decision"
        );
        let shelter = p
            .products
            .iter()
            .find(|x| x.unit == crate::region::Unit::Nacht)
            .expect("a night shelter");
        let loc = p
            .locations
            .iter()
            .find(|l| l.places.contains_key(&shelter.code))
            .unwrap();
        guest
            .apply(
                2,
                d("2025-01-01"),
                &ClientEvent::MoOvernachting {
                    product: shelter.code.clone(),
                    locatie: loc.id.clone(),
                    nachten: 3,
                },
                &regions,
            )
            .unwrap();
        assert!(
            deadlines_of(&guest, &p).is_empty(),
            "nachtopvang asks no decision"
        );
        // Allocated, waited, left the list (helped elsewhere): the allocation lapses.
        let left = state(
            &regions,
            2,
            "GM0202",
            "2025-01-10",
            &[
                (
                    "2025-02-01",
                    toewijzing("bw-beschermd-wonen", "2025-02-01", "2026-01-31"),
                ),
                ("2025-02-01", wacht("bw-beschermd-wonen", 0)),
                (
                    "2025-05-01",
                    ClientEvent::WachtlijstUit {
                        reden: "elders geholpen".into(),
                    },
                ),
            ],
        );
        assert!(deadlines_of(&left, &p).is_empty());
    }

    /// Issue 14: requests (10 werkdagen, 8 weeks in onderzoek), proposals (their
    /// `geldig_tot`), advice (5 werkdagen) and the MO-traject after the 3rd night; a refused
    /// proposal, an answered request or question and a started traject leave no item.
    #[test]
    fn the_network_facts_have_their_deadlines() {
        let regions = Regions::builtin();
        let cg = regions
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        let bw = ProductCode::parse("bw-beschermd-wonen").unwrap();
        let loc = cg
            .locations
            .iter()
            .find(|l| l.places.contains_key(&bw))
            .unwrap();
        let start = ClientEvent::StartZorg {
            product: bw.clone(),
            locatie: loc.id.clone(),
            overbezetting: None,
        };
        let vot = ClientEvent::VerzoekToewijzing {
            aanbieder: loc.provider,
            product: ProductCode::parse("bw-intensief").unwrap(),
            start: d("2025-04-01"),
            einde: None,
            reden: "r".into(),
        };
        let antwoord = |u| ClientEvent::VerzoekAntwoord {
            verzoek: 5,
            uitkomst: u,
            toelichting: "t".into(),
        };
        let tasks = |s: &ClientState| -> Vec<(Task, Date)> {
            deadlines_of(s, cg)
                .into_iter()
                .filter(|(t, _, _)| {
                    !matches!(
                        t,
                        Task::EindeToewijzing | Task::Woningzoekend | Task::MaximumDuur
                    )
                })
                .map(|(t, due, _)| (t, due))
                .collect()
        };
        let base = [
            (
                "2025-01-10",
                toewijzing("bw-beschermd-wonen", "2025-02-01", "2026-01-31"),
            ),
            ("2025-02-01", start.clone()),
            ("2025-03-01", ClientEvent::Uitstroomklaar),
            ("2025-03-03", vot.clone()),
        ];
        let s = state(&regions, 1, "GM0202", "2025-01-02", &base);
        assert_eq!(tasks(&s), vec![(Task::Verzoek, d("2025-03-17"))]);
        let detail = &deadlines_of(&s, cg)
            .into_iter()
            .find(|t| t.0 == Task::Verzoek)
            .unwrap()
            .2;
        assert!(
            detail.contains(&cg.provider(loc.provider).unwrap().name),
            "{detail}"
        );
        assert!(detail.contains("aanname"), "{detail}");
        let mut steps = base.to_vec();
        steps.push((
            "2025-03-05",
            antwoord(crate::events::VerzoekUitkomst::InOnderzoek),
        ));
        let s = state(&regions, 1, "GM0202", "2025-01-02", &steps);
        assert_eq!(tasks(&s), vec![(Task::Verzoek, d("2025-04-28"))]);
        steps.push((
            "2025-03-06",
            antwoord(crate::events::VerzoekUitkomst::Afgewezen),
        ));
        let s = state(&regions, 1, "GM0202", "2025-01-02", &steps);
        assert_eq!(tasks(&s), vec![]);

        // A proposal awaiting the provider, due on geldig_tot; refused: nothing of its own.
        let voorstel = ClientEvent::Voorstel {
            locatie: loc.id.clone(),
            product: bw.clone(),
            geldig_tot: d("2025-01-25"),
        };
        let wachtend = [
            (
                "2025-01-10",
                toewijzing("bw-beschermd-wonen", "2025-02-01", "2026-01-31"),
            ),
            ("2025-01-11", wacht("bw-beschermd-wonen", 0)),
            ("2025-01-15", voorstel),
        ];
        let s = state(&regions, 2, "GM0202", "2025-01-02", &wachtend);
        assert!(tasks(&s).contains(&(Task::Voorstel, d("2025-01-25"))));
        let detail = &deadlines_of(&s, cg)
            .into_iter()
            .find(|t| t.0 == Task::Voorstel)
            .unwrap()
            .2;
        assert!(detail.contains(&loc.name), "{detail}");
        let mut refused = wachtend.to_vec();
        refused.push((
            "2025-01-16",
            ClientEvent::VoorstelAntwoord {
                voorstel: 4,
                akkoord: false,
                reden: "vol".into(),
            },
        ));
        let s = state(&regions, 2, "GM0202", "2025-01-02", &refused);
        assert!(tasks(&s).iter().all(|(t, _)| *t != Task::Voorstel));
        assert!(
            tasks(&s).iter().any(|(t, _)| *t == Task::WachttijdNorm),
            "waiting again"
        );

        // Advice asked: 7 days; answered: gone.
        let vraag = [(
            "2025-01-05",
            ClientEvent::AdviesGevraagd {
                vraag: "BW?".into(),
            },
        )];
        let s = state(&regions, 3, "GM0226", "2025-01-02", &vraag);
        assert!(tasks(&s).contains(&(Task::Advies, d("2025-01-12"))));
        let mut answered = vraag.to_vec();
        answered.push((
            "2025-01-08",
            ClientEvent::AdviesGegeven {
                vraag: 2,
                advies: "ja".into(),
            },
        ));
        let s = state(&regions, 3, "GM0226", "2025-01-02", &answered);
        assert!(tasks(&s).iter().all(|(t, _)| *t != Task::Advies));

        // MO: 3 nights ask nothing; the 4th night opens the traject item (+7 days); a traject
        // started after it closes it, one started before it does not.
        let nacht = |n: u16| ClientEvent::MoOvernachting {
            product: ProductCode::parse("mo-nachtopvang").unwrap(),
            locatie: crate::ids::LocationId::parse("opvang-arnhem-nacht").unwrap(),
            nachten: n,
        };
        let s = state(
            &regions,
            4,
            "GM0202",
            "2025-01-02",
            &[("2025-01-02", nacht(3))],
        );
        assert_eq!(tasks(&s), vec![]);
        let s = state(
            &regions,
            4,
            "GM0202",
            "2025-01-02",
            &[("2025-01-02", nacht(3)), ("2025-01-10", nacht(2))],
        );
        assert_eq!(tasks(&s), vec![(Task::MoTraject, d("2025-01-17"))]);
        let s = state(
            &regions,
            4,
            "GM0202",
            "2025-01-02",
            &[
                ("2025-01-02", nacht(3)),
                ("2025-01-10", nacht(2)),
                (
                    "2025-01-12",
                    ClientEvent::MoTraject {
                        toelichting: "plan".into(),
                    },
                ),
            ],
        );
        assert_eq!(tasks(&s), vec![]);
        let s = state(
            &regions,
            4,
            "GM0202",
            "2025-01-02",
            &[
                ("2025-01-02", nacht(1)),
                (
                    "2025-01-03",
                    ClientEvent::MoTraject {
                        toelichting: "vroeg".into(),
                    },
                ),
                ("2025-01-10", nacht(4)),
            ],
        );
        assert_eq!(tasks(&s), vec![(Task::MoTraject, d("2025-01-19"))]);

        // Every task has a distinct key the filter accepts.
        for t in Task::ALL {
            assert_eq!(Task::from_key(t.key()), Some(t));
            let f = WorklistFilter::parse(&raw(&[("taak", t.key())]), cg).unwrap();
            assert_eq!(f.task, Some(t));
        }
    }
}
