//! The decision letter's model: plain words only, the bezwaar clause, a stable kenmerk.

use super::*;
use vangnet_domain::events::{Advies, Leveringsvorm, Melder, Urgentie, Woonsituatie};
use vangnet_domain::person::Person;
use vangnet_domain::region::Regions;
use vangnet_domain::state::{StreamEntry, fold_stream};
use vangnet_domain::{Actor, Bsn, ClientState, RecordedEvent, RegionId};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn cg() -> RegionProfile {
    Regions::builtin()
        .get(&RegionId::parse("centraal-gelderland").unwrap())
        .unwrap()
        .clone()
}

struct Built {
    person: Person,
    state: ClientState,
    events: Vec<RecordedEvent>,
}

impl Built {
    fn dossier(&self) -> Dossier<'_> {
        Dossier {
            person: Some(&self.person),
            state: &self.state,
            events: &self.events,
        }
    }
}

fn build(facts: Vec<(&str, ClientEvent)>) -> Built {
    let events: Vec<RecordedEvent> = facts
        .into_iter()
        .enumerate()
        .map(|(i, (on, event))| RecordedEvent {
            seq: i as u64 + 1,
            client: ClientId(42),
            version: i as u32 + 1,
            effective: d(on),
            recorded_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            actor: Actor::system("test"),
            event,
        })
        .collect();
    let entries: Vec<StreamEntry<'_>> = events.iter().map(StreamEntry::from).collect();
    let state = fold_stream(ClientId(42), &entries, &Regions::builtin())
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap();
    Built {
        person: Person::new(
            Bsn::parse("900000004").unwrap(),
            "Noëlle",
            "Van Eijk-Hoëvenaar",
            d("1990-05-01"),
            true,
        )
        .unwrap(),
        state,
        events,
    }
}

fn bw(p: &RegionProfile) -> vangnet_domain::ProductCode {
    p.products
        .iter()
        .find(|x| x.domain == vangnet_domain::region::Domain::Bw && x.max_months.is_none())
        .unwrap()
        .code
        .clone()
}

fn facts(p: &RegionProfile, besluit: ClientEvent) -> Vec<(&'static str, ClientEvent)> {
    let gm = GemeenteCode::parse("GM0202").unwrap();
    vec![
        (
            "2026-03-02",
            ClientEvent::Aanmelding {
                regio: p.id.clone(),
                melder: Melder::Wijkteam,
                herkomst_gemeente: Some(gm),
                woonsituatie: Woonsituatie::Dakloos,
                urgentie: Urgentie::Regulier,
                voordeur: None,
            },
        ),
        (
            "2026-03-10",
            ClientEvent::Beoordeling {
                criteria: frontdoor::judgements(p, &|_| Some(true)),
                zrm: [Some(1); vangnet_domain::events::ZRM_DOMAINS],
                doelgroep: None,
                advies: Advies::Toewijzen,
                behoeften: Vec::new(),
            },
        ),
        ("2026-03-20", besluit),
        (
            "2026-03-20",
            ClientEvent::WoonplaatsBepaald {
                gemeente: gm,
                berekend: gm,
                afwijking: None,
                regime: None,
                grond: None,
                uitleg: Some("U woonde in Arnhem (GM0202) toen u zich meldde.".into()),
            },
        ),
    ]
}

fn toewijzing(p: &RegionProfile) -> ClientEvent {
    ClientEvent::Toewijzing {
        product: bw(p),
        start: d("2026-04-01"),
        einde: d("2027-03-31"),
        leveringsvorm: Leveringsvorm::Zin,
        aanbieder: None,
    }
}

fn text(l: &Letter) -> String {
    l.all_text().join("\n")
}

/// What no letter may show: sources, profile lines, engine words, CBS codes, "onbekend".
fn assert_plain(t: &str) {
    for bad in [
        "seed",
        "Profielregel",
        "regelmotor",
        "onbekend",
        "aanname",
        "Advies",
    ] {
        assert!(!t.contains(bad), "de brief bevat '{bad}':\n{t}");
    }
    let b = t.as_bytes();
    for i in 0..b.len().saturating_sub(3) {
        assert!(
            !(b[i] == b'G' && b[i + 1] == b'M' && b[i + 2].is_ascii_digit()),
            "de brief bevat een CBS-code:\n{t}"
        );
    }
}

#[test]
fn a_toewijzing_letter_is_plain_and_complete() {
    let p = cg();
    let b = build(facts(&p, toewijzing(&p)));
    let dossier = b.dossier();
    let ev = frontdoor::evaluate_record(&p, p.product(&bw(&p)).unwrap(), &dossier, d("2026-03-20"));
    assert_eq!(ev.eligible(), Some(true), "{:?}", ev.rules);
    let l = letter(&p, &dossier).unwrap();
    let t = text(&l);
    assert_plain(&t);
    let tpl = p.brief.as_ref().unwrap();
    assert_eq!(
        l.kenmerk,
        format!("{}-2026-P00000042-3", tpl.kenmerk_prefix)
    );
    assert_eq!(l.datum_voluit, "20 maart 2026");
    assert_eq!(
        l.geadresseerde,
        ["Noëlle Van Eijk-Hoëvenaar", "per adres van de toegang"]
    );
    // Letterhead, contact, signatory.
    assert_eq!(l.afzender[0], tpl.organisatie);
    assert!(l.afzender.contains(&tpl.postadres[0]));
    assert!(t.contains(&tpl.telefoon) && t.contains(&tpl.email) && t.contains(&tpl.ondertekenaar));
    // Bezwaar clause: six weeks, Awb 6:7, where to, the last day.
    assert!(t.contains("binnen zes weken"), "{t}");
    assert!(t.contains("artikel 6:7"), "{t}");
    assert!(t.contains(&tpl.bezwaar_adres.join(", ")), "{t}");
    assert!(t.contains("uiterlijk op 1 mei 2026"), "{t}");
    // Reasons in words; the woonplaatsbeginsel by name, without its code.
    assert!(t.contains("U bent 18 jaar of ouder."), "{t}");
    assert!(
        t.contains("Voor u is Arnhem de verantwoordelijke gemeente"),
        "{t}"
    );
    assert!(t.contains("U woonde in Arnhem toen u zich meldde."), "{t}");
    assert!(l.onderwerp.starts_with("Besluit op uw aanvraag: u krijgt "));
}

#[test]
fn the_kenmerk_is_stable_and_a_correction_gets_a_new_one() {
    let p = cg();
    let a = letter(&p, &build(facts(&p, toewijzing(&p))).dossier()).unwrap();
    let b = letter(&p, &build(facts(&p, toewijzing(&p))).dossier()).unwrap();
    assert_eq!(a, b, "the same decision gives the same letter");
    let mut f = facts(&p, toewijzing(&p));
    f.push((
        "2026-03-20",
        ClientEvent::Correctie {
            corrigeert: 3,
            vervanging: Box::new(ClientEvent::Toewijzing {
                product: bw(&p),
                start: d("2026-04-15"),
                einde: d("2027-03-31"),
                leveringsvorm: Leveringsvorm::Pgb,
                aanbieder: None,
            }),
            reden: "startdatum verkeerd".into(),
        },
    ));
    let c = letter(&p, &build(f).dossier()).unwrap();
    assert!(c.kenmerk.ends_with("-P00000042-5"), "{}", c.kenmerk);
    assert!(text(&c).contains("15 april 2026") && text(&c).contains("persoonsgebonden budget"));
}

#[test]
fn an_afwijzing_names_a_fixed_ground_never_the_clerks_words() {
    let p = cg();
    let afw = ClientEvent::Afwijzing {
        reden: "Wlz-indicatie loopt via huisarts Pietersen, zie mail 12/3".into(),
        casusregie: "wijkteam Arnhem-Oost".into(),
    };
    let l = letter(&p, &build(facts(&p, afw)).dossier()).unwrap();
    let t = text(&l);
    assert_plain(&t);
    assert!(!t.contains("Pietersen") && !t.contains("mail 12/3"), "{t}");
    assert!(t.contains("Wet langdurige zorg (Wlz)"), "{t}");
    assert!(t.contains("wijkteam Arnhem-Oost"), "{t}");
    assert!(t.contains("binnen zes weken") && t.contains("artikel 6:7"));
    assert!(l.onderwerp.contains("u krijgt geen"));
}

#[test]
fn grounds_from_reasons_and_codes_out_of_text() {
    assert_eq!(Grond::of_reden("Wlz gaat voor"), Grond::Wlz);
    assert_eq!(Grond::of_reden("behandeling via Zvw gaat voor"), Grond::Zvw);
    assert_eq!(
        Grond::of_reden("ambulante Wmo-ondersteuning volstaat"),
        Grond::AmbulantVolstaat
    );
    assert_eq!(
        Grond::of_reden("niet voldaan aan criteria"),
        Grond::Criteria
    );
    assert_eq!(
        without_cbs_codes("Arnhem (GM0202) en GM0268."),
        "Arnhem en Nijmegen."
    );
    assert_eq!(without_cbs_codes("Noël (GM12"), "Noël (GM12");
}

#[test]
fn no_decision_no_letter() {
    let p = cg();
    let mut f = facts(&p, toewijzing(&p));
    f.truncate(2);
    assert_eq!(
        letter(&p, &build(f).dossier()),
        Err(LetterError::GeenBesluit)
    );
}
