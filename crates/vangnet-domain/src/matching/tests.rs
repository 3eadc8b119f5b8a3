//! Matching ranks as specified (table-driven, issue 14).

use super::*;
use crate::events::{ClientEvent, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use crate::ids::{AgbCode, RegionId};
use crate::region::Regions;
use crate::state::OpenVoorstel;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// One waiting client of a table row.
struct Wachtende {
    id: u64,
    herkomst: &'static str,
    product: &'static str,
    prio: u8,
    sinds: &'static str,
    voorkeur: &'static [&'static str],
    behoeften: &'static [Behoefte],
    /// An open proposal: location and reserved-until.
    voorstel: Option<(&'static str, &'static str)>,
}

const fn w(id: u64, herkomst: &'static str, prio: u8, sinds: &'static str) -> Wachtende {
    Wachtende {
        id,
        herkomst,
        product: "bw-beschermd-wonen",
        prio,
        sinds,
        voorkeur: &[],
        behoeften: &[],
        voorstel: None,
    }
}

fn state_of(regions: &Regions, c: &Wachtende) -> ClientState {
    let aanmelding = ClientEvent::Aanmelding {
        regio: RegionId::parse("centraal-gelderland").unwrap(),
        melder: Melder::Wijkteam,
        herkomst_gemeente: Some(GemeenteCode::parse(c.herkomst).unwrap()),
        woonsituatie: Woonsituatie::Thuis,
        urgentie: Urgentie::Regulier,
        voordeur: None,
    };
    let on = d(c.sinds);
    let mut s = ClientState::open(ClientId(c.id), 1, on, &aanmelding, regions).unwrap();
    let product = ProductCode::parse(c.product).unwrap();
    let mut steps = vec![
        ClientEvent::Toewijzing {
            product: product.clone(),
            start: on,
            einde: on.add_days(365),
            leveringsvorm: Leveringsvorm::Zin,
            aanbieder: None,
        },
        ClientEvent::WachtlijstIn {
            product,
            prioriteit: c.prio,
        },
    ];
    if !c.voorkeur.is_empty() {
        steps.push(ClientEvent::Voorkeur {
            gemeenten: c
                .voorkeur
                .iter()
                .map(|g| GemeenteCode::parse(g).unwrap())
                .collect(),
            toelichting: "dicht bij familie".into(),
        });
    }
    for (i, e) in steps.iter().enumerate() {
        s.apply(i as u32 + 2, on, e, regions).unwrap();
    }
    // The needs and the proposal as the state rules (feat/feiten) record them.
    s.behoeften = c.behoeften.to_vec();
    s.voorstel = c.voorstel.map(|(l, tot)| OpenVoorstel {
        versie: 9,
        sinds: on,
        locatie: LocationId::parse(l).unwrap(),
        aanbieder: AgbCode::parse("98000101").unwrap(),
        product: ProductCode::parse(c.product).unwrap(),
        geldig_tot: d(tot),
        akkoord: None,
    });
    s
}

/// One case: the clients, the place, and what the ranking must say.
struct Case {
    name: &'static str,
    locatie: Option<&'static str>,
    clients: Vec<Wachtende>,
    /// Client numbers proposed, in rank order.
    ranked: &'static [u64],
    /// Client numbers listed as "niet geschikt", in order, with the needs named.
    niet_geschikt: &'static [(u64, &'static [Behoefte])],
}

#[test]
fn matching_ranks_as_specified_table_driven() {
    let regions = Regions::builtin();
    let base = regions
        .get(&RegionId::parse("centraal-gelderland").unwrap())
        .unwrap();
    // Duiven (GM0226) cannot serve lvb and somatiek in these cases (the shipped profile names
    // no such limits yet).
    let mut profile = base.clone();
    let duiven = profile
        .locations
        .iter_mut()
        .find(|l| l.id.as_str() == "liemers-duiven")
        .unwrap();
    duiven.niet_geschikt_voor = vec![Behoefte::Lvb, Behoefte::Somatiek];
    let cases = vec![
        Case {
            name: "priority first, then own gemeente, then the longest wait",
            locatie: Some("liemers-duiven"),
            clients: vec![
                w(1, "GM0202", 0, "2025-01-01"),
                w(2, "GM0226", 0, "2025-03-01"),
                w(3, "GM0202", 1, "2025-04-01"),
            ],
            ranked: &[3, 2, 1],
            niet_geschikt: &[],
        },
        Case {
            name: "crisis before urgent before regulier, whatever the wait",
            locatie: Some("liemers-duiven"),
            clients: vec![
                w(1, "GM0226", 0, "2024-01-01"),
                w(2, "GM0202", 1, "2025-01-01"),
                w(3, "GM0202", 2, "2025-05-01"),
            ],
            ranked: &[3, 2, 1],
            niet_geschikt: &[],
        },
        Case {
            name: "stated preference (1st before 2nd) before own gemeente and waiting time",
            locatie: Some("liemers-duiven"),
            clients: vec![
                w(1, "GM0202", 0, "2025-01-01"),
                w(2, "GM0226", 0, "2025-03-01"),
                Wachtende {
                    voorkeur: &["GM0202", "GM0226"],
                    ..w(3, "GM0202", 0, "2025-04-01")
                },
                Wachtende {
                    voorkeur: &["GM0226"],
                    ..w(4, "GM0274", 0, "2025-05-01")
                },
            ],
            ranked: &[4, 3, 2, 1],
            niet_geschikt: &[],
        },
        Case {
            name: "product fit: someone waiting for another product is not listed",
            locatie: Some("liemers-duiven"),
            clients: vec![
                w(1, "GM0202", 0, "2025-02-01"),
                Wachtende {
                    product: "bw-groepswonen",
                    ..w(2, "GM0226", 2, "2024-01-01")
                },
                Wachtende {
                    product: "bw-intensief",
                    ..w(3, "GM0226", 2, "2024-01-01")
                },
            ],
            ranked: &[1],
            niet_geschikt: &[],
        },
        Case {
            name: "a need the location cannot serve: listed apart with the need, not ranked",
            locatie: Some("liemers-duiven"),
            clients: vec![
                Wachtende {
                    behoeften: &[Behoefte::Lvb, Behoefte::Prikkelarm],
                    ..w(1, "GM0226", 2, "2024-01-01")
                },
                w(2, "GM0202", 0, "2025-03-01"),
                Wachtende {
                    behoeften: &[Behoefte::Verslaving],
                    ..w(3, "GM0202", 0, "2025-04-01")
                },
                Wachtende {
                    behoeften: &[Behoefte::Somatiek],
                    ..w(4, "GM0202", 1, "2025-04-01")
                },
            ],
            ranked: &[2, 3],
            niet_geschikt: &[(1, &[Behoefte::Lvb]), (4, &[Behoefte::Somatiek])],
        },
        Case {
            name: "the same needs at a location that can serve them: ranked as usual",
            locatie: Some("rijnbeschut-arnhem-centrum"),
            clients: vec![
                Wachtende {
                    behoeften: &[Behoefte::Lvb],
                    ..w(1, "GM0226", 2, "2024-01-01")
                },
                w(2, "GM0202", 0, "2025-03-01"),
            ],
            ranked: &[1, 2],
            niet_geschikt: &[],
        },
        Case {
            name: "without a location: the product's whole list by priority and wait",
            locatie: None,
            clients: vec![
                Wachtende {
                    voorkeur: &["GM0226"],
                    behoeften: &[Behoefte::Lvb],
                    ..w(1, "GM0226", 0, "2025-03-01")
                },
                w(2, "GM0202", 0, "2025-01-01"),
                w(3, "GM0202", 1, "2025-05-01"),
            ],
            ranked: &[3, 2, 1],
            niet_geschikt: &[],
        },
        Case {
            name: "an open proposal elsewhere is marked, not dropped",
            locatie: Some("liemers-duiven"),
            clients: vec![
                Wachtende {
                    voorstel: Some(("rijnbeschut-renkum", "2025-06-05")),
                    ..w(1, "GM0202", 0, "2025-01-01")
                },
                w(2, "GM0202", 0, "2025-02-01"),
            ],
            ranked: &[1, 2],
            niet_geschikt: &[],
        },
    ];
    let today = d("2025-06-01");
    for case in &cases {
        let states: Vec<ClientState> = case.clients.iter().map(|c| state_of(&regions, c)).collect();
        let loc = case.locatie.map(|l| LocationId::parse(l).unwrap());
        let got = rank(
            &states,
            &profile,
            &ProductCode::parse("bw-beschermd-wonen").unwrap(),
            loc.as_ref(),
            today,
        );
        let ranked: Vec<u64> = got
            .iter()
            .filter(|k| k.geschikt())
            .map(|k| k.client.0)
            .collect();
        assert_eq!(ranked, case.ranked, "{}: ranked", case.name);
        let unsuitable: Vec<(u64, &[Behoefte])> = got
            .iter()
            .filter(|k| !k.geschikt())
            .map(|k| (k.client.0, k.niet_geschikt.as_slice()))
            .collect();
        assert_eq!(
            unsuitable, case.niet_geschikt,
            "{}: niet geschikt",
            case.name
        );
        // Ranks are 1..n over the proposed, none for the unsuitable, which come last.
        for (i, k) in got.iter().enumerate() {
            if k.geschikt() {
                assert_eq!(k.rank, Some(i + 1), "{}: rank of {}", case.name, k.client);
            } else {
                assert_eq!(k.rank, None, "{}: unsuitable has no rank", case.name);
                assert!(k.reden().contains("niet geschikt"), "{}", case.name);
            }
        }
    }
}

#[test]
fn the_reason_names_preference_own_gemeente_wait_and_proposal() {
    let regions = Regions::builtin();
    let profile = regions
        .get(&RegionId::parse("centraal-gelderland").unwrap())
        .unwrap();
    let states = [
        state_of(
            &regions,
            &Wachtende {
                voorkeur: &["GM0202", "GM0226"],
                voorstel: Some(("rijnbeschut-renkum", "2025-06-05")),
                ..w(1, "GM0226", 1, "2025-05-02")
            },
        ),
        state_of(
            &regions,
            &Wachtende {
                voorstel: Some(("liemers-duiven", "2025-05-20")),
                ..w(2, "GM0202", 0, "2025-01-01")
            },
        ),
    ];
    let here = LocationId::parse("liemers-duiven").unwrap();
    let got = rank(
        &states,
        profile,
        &ProductCode::parse("bw-beschermd-wonen").unwrap(),
        Some(&here),
        d("2025-06-01"),
    );
    assert_eq!(got[0].client, ClientId(1));
    assert_eq!(got[0].prioriteit, 1);
    assert_eq!(got[0].voorkeur, Some(1));
    assert!(got[0].eigen_gemeente);
    assert_eq!(
        got[0].reden(),
        "2e voorkeur van de cliënt voor deze gemeente; uit dezelfde gemeente als de plaats; wacht 30 dagen (sinds 02-05-2025)"
    );
    assert!(
        !got[0].reden().contains("voorrang"),
        "priority has its own label"
    );
    assert!(got[0].voorstel_elders(Some(&here)));
    // An expired proposal (reserved until 20 May, not answered) holds nothing.
    assert_eq!(got[1].voorstel, None);
    assert!(!got[1].voorstel_elders(Some(&here)));
}
