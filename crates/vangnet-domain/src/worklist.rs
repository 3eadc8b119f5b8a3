//! The access team's worklist and the ranking of candidates for a free place: pure
//! functions of client states, the region's norms and today's date.
//!
//! Worklist items (DOMAIN.md §5, issue 3): decision terms (beslistermijn) running out,
//! allocations ending or up for review, groepswonen nearing its maximum, people waiting
//! longer than the norm. Sorted by urgency: the most overdue first, then what falls due
//! soonest.

use serde::Serialize;

use crate::date::Date;
use crate::ids::{ClientId, LocationId, ProductCode};
use crate::region::RegionProfile;
use crate::state::{ClientState, Phase};

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
}

impl Task {
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Task::Beslistermijn => "Beslistermijn",
            Task::EindeToewijzing => "Einde toewijzing / herindicatie",
            Task::MaximumDuur => "Maximale duur product",
            Task::WachttijdNorm => "Wachttijd boven norm",
            Task::Woningzoekend => "Inschrijving woningzoekende",
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
        }
    }

    /// The task with this key.
    pub fn from_key(key: &str) -> Option<Task> {
        [
            Task::Beslistermijn,
            Task::EindeToewijzing,
            Task::MaximumDuur,
            Task::WachttijdNorm,
            Task::Woningzoekend,
        ]
        .into_iter()
        .find(|t| t.key() == key)
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
        Phase::Aangemeld => {
            let due = s.aangemeld.add_days(7 * norms.beslistermijn_weken as i32);
            out.push((
                Task::Beslistermijn,
                due,
                format!("aangemeld op {}, nog geen besluit", s.aangemeld),
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
                        w.sinds,
                        product_name(profile, &w.product)
                    ),
                ));
            }
        }
        _ => {}
    }
    if let Some((product, _, einde, _, _)) = s.toewijzing()
        && matches!(
            s.phase(),
            Phase::InZorg | Phase::Wachtend | Phase::Toegewezen
        )
    {
        out.push((
            Task::EindeToewijzing,
            einde,
            format!(
                "toewijzing {} loopt af op {einde}",
                product_name(profile, product)
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
                z.sinds
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
                z.episode_start
            ),
        ));
    }
    out
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

/// A ranked candidate for a free place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// Client.
    pub client: ClientId,
    /// Rank (1 = first).
    pub rank: usize,
    /// Why here, in Dutch.
    pub reden: String,
}

/// Rank the people waiting for `product` when `location` reports a free place: priority
/// first, then the person's stated preference for the place's gemeente (first choice
/// before second and third), then own gemeente ("zo dicht mogelijk bij huis"), then the
/// longest wait.
pub fn candidates<'a>(
    waiting: impl IntoIterator<Item = &'a ClientState>,
    profile: &RegionProfile,
    product: &ProductCode,
    location: &LocationId,
    today: Date,
) -> Vec<Candidate> {
    let here = profile.location(location).map(|l| l.gemeente);
    let mut list: Vec<(&ClientState, u8, Option<usize>, bool, Date)> = waiting
        .into_iter()
        .filter_map(|s| {
            s.wacht.as_ref().filter(|w| &w.product == product).map(|w| {
                let pref = here.and_then(|h| s.voorkeur.iter().position(|g| *g == h));
                (
                    s,
                    w.prioriteit,
                    pref,
                    s.herkomst.is_some() && s.herkomst == here,
                    w.sinds,
                )
            })
        })
        .collect();
    list.sort_by_key(|(s, prio, pref, local, since)| {
        (
            std::cmp::Reverse(*prio),
            pref.unwrap_or(usize::MAX),
            !*local,
            *since,
            s.client,
        )
    });
    list.into_iter()
        .enumerate()
        .map(|(i, (s, prio, pref, local, since))| Candidate {
            client: s.client,
            rank: i + 1,
            reden: format!(
                "{}{}{}wacht {} dagen (sinds {since})",
                if prio > 0 { "voorrang (urgent); " } else { "" },
                match pref {
                    Some(p) => format!("{}e voorkeur van de cliënt voor deze gemeente; ", p + 1),
                    None => String::new(),
                },
                if local {
                    "uit dezelfde gemeente als de plaats; "
                } else {
                    ""
                },
                since.days_until(today)
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{ClientEvent, Leveringsvorm, Melder, Urgentie, Woonsituatie};
    use crate::ids::{GemeenteCode, RegionId};
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

    #[test]
    fn candidates_rank_priority_then_own_gemeente_then_waiting_time() {
        let regions = Regions::builtin();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        let w = |id, herkomst, since: &str, prio| {
            state(
                &regions,
                id,
                herkomst,
                since,
                &[
                    (since, toewijzing("bw-beschermd-wonen", since, "2027-01-01")),
                    (since, wacht("bw-beschermd-wonen", prio)),
                ],
            )
        };
        let a = w(1, "GM0202", "2025-01-01", 0); // longest wait, other gemeente
        let b = w(2, "GM0226", "2025-03-01", 0); // own gemeente (Duiven location)
        let c = w(3, "GM0202", "2025-04-01", 1); // urgent
        let other = state(
            &regions,
            4,
            "GM0226",
            "2025-01-01",
            &[
                (
                    "2025-01-01",
                    toewijzing("bw-groepswonen", "2025-01-01", "2026-01-01"),
                ),
                ("2025-01-01", wacht("bw-groepswonen", 1)),
            ],
        );
        let ranked = candidates(
            [&a, &b, &c, &other],
            p,
            &ProductCode::parse("bw-beschermd-wonen").unwrap(),
            &LocationId::parse("liemers-duiven").unwrap(),
            d("2025-06-01"),
        );
        assert_eq!(
            ranked.iter().map(|c| c.client.0).collect::<Vec<_>>(),
            vec![3, 2, 1]
        );
        assert!(ranked[0].reden.contains("voorrang"));
        assert!(ranked[1].reden.contains("dezelfde gemeente"));
    }

    #[test]
    fn a_stated_preference_ranks_before_own_gemeente_and_waiting_time() {
        let regions = Regions::builtin();
        let p = regions
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap();
        let w = |id, herkomst, since: &str, pref: Vec<&str>| {
            let mut steps = vec![
                (since, toewijzing("bw-beschermd-wonen", since, "2027-01-01")),
                (since, wacht("bw-beschermd-wonen", 0)),
            ];
            if !pref.is_empty() {
                steps.push((
                    since,
                    ClientEvent::Voorkeur {
                        gemeenten: pref
                            .iter()
                            .map(|g| GemeenteCode::parse(g).unwrap())
                            .collect(),
                        toelichting: "dicht bij familie".into(),
                    },
                ));
            }
            state(&regions, id, herkomst, since, &steps)
        };
        let longest = w(1, "GM0202", "2025-01-01", vec![]);
        let own = w(2, "GM0226", "2025-03-01", vec![]);
        let second_choice = w(3, "GM0202", "2025-04-01", vec!["GM0202", "GM0226"]);
        let first_choice = w(4, "GM0274", "2025-05-01", vec!["GM0226"]);
        let ranked = candidates(
            [&longest, &own, &second_choice, &first_choice],
            p,
            &ProductCode::parse("bw-beschermd-wonen").unwrap(),
            &LocationId::parse("liemers-duiven").unwrap(),
            d("2025-06-01"),
        );
        assert_eq!(
            ranked.iter().map(|c| c.client.0).collect::<Vec<_>>(),
            vec![4, 3, 2, 1]
        );
        assert!(ranked[0].reden.contains("1e voorkeur"));
        assert!(ranked[1].reden.contains("2e voorkeur"));
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
}
