//! Woningafspraken a region entered on screen (issue 15; table `woningafspraak`, migration
//! 0019 in both engines), next to the profile's `housing_quotas`, which are the first
//! agreements. Not client data. The rules both engines share live here, the engines only
//! move rows — the pattern of [`crate::tarieven`]:
//!
//! - who may record ([`decide`]): the region's policy and team roles
//!   ([`vangnet_domain::access::may_enter_woningafspraken_of`]) or the system; anyone else
//!   is refused with [`StoreError::Denied`]; every decision, a refusal too, is one
//!   access-log row (action [`ACTION`], no client) in the same transaction;
//! - the checks are the pure model's ([`vangnet_domain::woningafspraken::check_afspraak`]):
//!   an unknown or retired gemeente, an unknown corporation or one without homes there, a
//!   year outside the range, negative homes, an empty kind or herkomst → [`StoreError::Rule`]
//!   with the code, the field and a Dutch message, nothing written;
//! - **a repeated identical submit records nothing** ([`Vastlegging::AlVastgelegd`]);
//! - append-only (triggers refuse UPDATE and DELETE). An entered agreement with the same
//!   gemeente, corporation, year and route as an earlier one — the profile's or entered —
//!   **replaces** it from then on ([`geldende`]): a change is a new row with its source,
//!   the old one stays in the register.
//!
//! - an agreement may name the one it is part of (`onderdeel_van`, migration 0020, checked
//!   against the agreements in force by [`vangnet_domain::woningafspraken::check_onderdeel`]);
//! - **other groups' use** ([`AnderGebruik`], table `woningafspraak_gebruik`, migration
//!   0020): how many of an agreement's homes went to other target groups in a month or year,
//!   recorded by the same roles ([`decide_gebruik`], action [`ACTION_GEBRUIK`]), checked by
//!   [`vangnet_domain::woningafspraken::check_ander_gebruik`]; a later figure of the same
//!   agreement, period and target group replaces the earlier
//!   ([`vangnet_domain::woningafspraken::geldend_ander_gebruik`]).
//!
//! [`story`] is the test every engine runs.

use vangnet_domain::events::WoonRoute;
use vangnet_domain::region::{Herkomst, RegionProfile};
use vangnet_domain::woningafspraken::{
    Afspraak, AfspraakSleutel, AnderGebruik, check_afspraak, check_ander_gebruik, check_onderdeel,
    geldend_ander_gebruik, profiel_afspraken,
};
use vangnet_domain::{GemeenteCode, RegionId, Regions, Role};

pub use crate::tarieven::Vastlegging;

use crate::gate::{AccessEntry, AccessGate};
use crate::{StoreError, StoreResult};

/// The access-log action of recording a woningafspraak.
pub const ACTION: &str = "woningafspraak_vastleggen";
/// The access-log action of recording other groups' use of an agreement.
pub const ACTION_GEBRUIK: &str = "woningafspraak_gebruik_vastleggen";

/// An agreement as the region entered it, with who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAfspraak {
    /// The agreement.
    pub afspraak: Afspraak,
    /// Login of who recorded it.
    pub door: String,
    /// When (RFC 3339, UTC), set by the engine.
    pub vastgelegd_op: String,
}

/// The stored columns of an agreement (both engines, same names as the table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfspraakRow {
    /// Region id.
    pub region: String,
    /// `GMdddd`.
    pub gemeente: String,
    /// Corporation id (`None`: the gemeente's corporations together).
    pub corporatie: Option<String>,
    /// Year.
    pub jaar: i64,
    /// Route key (`None`: any route).
    pub route: Option<String>,
    /// Homes agreed.
    pub woningen: i64,
    /// Kind of agreement.
    pub soort: String,
    /// `bron` or `aanname`.
    pub herkomst_soort: String,
    /// The source or the reason.
    pub herkomst_tekst: String,
    /// Login of who recorded it.
    pub user_id: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
    /// The key text of the agreement this one is part of (migration 0020).
    pub onderdeel_van: Option<String>,
}

impl AfspraakRow {
    /// The row of `a` for `region`.
    pub fn of(region: &RegionId, a: &Afspraak, user_id: &str, recorded_at: &str) -> AfspraakRow {
        let (soort, tekst) = match &a.herkomst {
            Herkomst::Bron(t) => ("bron", t.clone()),
            Herkomst::Aanname(t) => ("aanname", t.clone()),
        };
        AfspraakRow {
            region: region.to_string(),
            gemeente: a.gemeente.to_string(),
            corporatie: a.corporatie.clone(),
            jaar: i64::from(a.jaar),
            route: a.route.map(|r| r.key().to_owned()),
            woningen: a.woningen,
            soort: a.soort.clone(),
            herkomst_soort: soort.to_owned(),
            herkomst_tekst: tekst,
            user_id: user_id.to_owned(),
            recorded_at: recorded_at.to_owned(),
            onderdeel_van: a.onderdeel_van.as_ref().map(AfspraakSleutel::tekst),
        }
    }

    /// The stored agreement of this row ([`StoreError::Backend`] for one that does not parse).
    pub fn stored(&self) -> StoreResult<StoredAfspraak> {
        let bad = |what: &str| {
            StoreError::Backend(format!(
                "woningafspraak van {} ({}): {what} onleesbaar",
                self.region, self.gemeente
            ))
        };
        let afspraak = Afspraak {
            gemeente: GemeenteCode::parse(&self.gemeente).map_err(|_| bad("gemeente"))?,
            corporatie: self.corporatie.clone(),
            jaar: i32::try_from(self.jaar).map_err(|_| bad("jaar"))?,
            route: self
                .route
                .as_deref()
                .map(|r| WoonRoute::from_key(r).ok_or_else(|| bad("route")))
                .transpose()?,
            woningen: self.woningen,
            soort: self.soort.clone(),
            herkomst: match self.herkomst_soort.as_str() {
                "bron" => Herkomst::Bron(self.herkomst_tekst.clone()),
                "aanname" => Herkomst::Aanname(self.herkomst_tekst.clone()),
                _ => return Err(bad("herkomst")),
            },
            onderdeel_van: self
                .onderdeel_van
                .as_deref()
                .map(|k| AfspraakSleutel::parse(k).ok_or_else(|| bad("onderdeel_van")))
                .transpose()?,
        };
        Ok(StoredAfspraak {
            afspraak,
            door: self.user_id.clone(),
            vastgelegd_op: self.recorded_at.clone(),
        })
    }
}

/// Where an agreement in force comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Oorsprong {
    /// The region profile's `housing_quotas`.
    Profiel,
    /// Entered on screen: by whom and when.
    Ingevoerd {
        /// Login.
        door: String,
        /// RFC 3339.
        op: String,
    },
}

/// The agreements in force of `profile`: the profile's, then the entered ones in the order
/// entered, a later one with the same gemeente, corporation, year and route replacing the
/// earlier (in its place). Each with its origin.
pub fn geldende(profile: &RegionProfile, stored: &[StoredAfspraak]) -> Vec<(Afspraak, Oorsprong)> {
    let key = |a: &Afspraak| (a.gemeente, a.corporatie.clone(), a.jaar, a.route);
    let mut out: Vec<(Afspraak, Oorsprong)> = profiel_afspraken(profile)
        .into_iter()
        .map(|a| (a, Oorsprong::Profiel))
        .collect();
    for s in stored {
        let o = Oorsprong::Ingevoerd {
            door: s.door.clone(),
            op: s.vastgelegd_op.clone(),
        };
        match out.iter_mut().find(|(a, _)| key(a) == key(&s.afspraak)) {
            Some(slot) => *slot = (s.afspraak.clone(), o),
            None => out.push((s.afspraak.clone(), o)),
        }
    }
    out
}

/// Whether `gate`'s actor may record agreements of `region`.
pub fn may_record(gate: &AccessGate, regions: &Regions, region: &RegionId) -> bool {
    let a = gate.actor();
    a.role == Role::Systeem
        || regions
            .get(region)
            .is_some_and(|p| vangnet_domain::access::may_enter_woningafspraken_of(a, p))
}

/// Decide on recording `afspraak` for `region`, given the region's stored agreements: the
/// access-log row (written in the same transaction, a refusal's too) and the verdict.
pub fn decide(
    gate: &AccessGate,
    regions: &Regions,
    region: &RegionId,
    afspraak: &Afspraak,
    stored: &[StoredAfspraak],
) -> (AccessEntry, StoreResult<Vastlegging>) {
    let what = format!(
        "woningafspraak {} {} {} {} {} woningen",
        region,
        afspraak.gemeente,
        afspraak.corporatie.as_deref().unwrap_or("alle corporaties"),
        afspraak.jaar,
        afspraak.woningen
    );
    if !may_record(gate, regions, region) {
        let reason = format!(
            "alleen beleid, analisten en het toegangsteam van {region} leggen woningafspraken vast"
        );
        let mut entry = gate.note_refused(ACTION, reason.clone());
        entry.purpose = format!("{}: {what}", entry.purpose);
        return (entry, Err(StoreError::Denied(reason)));
    }
    let verdict = match regions.get(region) {
        None => Err(StoreError::Invalid(format!(
            "regio: '{region}' bestaat niet"
        ))),
        Some(p) => check_afspraak(p, afspraak)
            .and_then(|()| {
                let inforce: Vec<Afspraak> =
                    geldende(p, stored).into_iter().map(|(a, _)| a).collect();
                check_onderdeel(&inforce, afspraak)
            })
            .map_err(|error| StoreError::Rule { index: 0, error })
            .map(|()| {
                if stored.iter().any(|s| s.afspraak == *afspraak) {
                    Vastlegging::AlVastgelegd
                } else {
                    Vastlegging::Nieuw
                }
            }),
    };
    let reason = match &verdict {
        Ok(Vastlegging::Nieuw) => "woningafspraak vastgelegd".to_owned(),
        Ok(Vastlegging::AlVastgelegd) => {
            "woningafspraak was al vastgelegd; niets gewijzigd".to_owned()
        }
        Err(StoreError::Rule { error, .. }) => {
            format!(
                "woningafspraak afgewezen: {} ({})",
                error.message, error.code
            )
        }
        Err(e) => format!("woningafspraak afgewezen: {e}"),
    };
    let mut entry = gate.note(ACTION, reason);
    entry.purpose = format!("{}: {what}", entry.purpose);
    (entry, verdict)
}

/// A figure of other groups' use as recorded, with who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGebruik {
    /// The figure.
    pub gebruik: AnderGebruik,
    /// Login of who recorded it.
    pub door: String,
    /// When (RFC 3339, UTC), set by the engine.
    pub vastgelegd_op: String,
}

/// The stored columns of a figure of other groups' use (table `woningafspraak_gebruik`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GebruikRow {
    /// Region id.
    pub region: String,
    /// The agreement's key text ([`AfspraakSleutel::tekst`]).
    pub afspraak: String,
    /// Year.
    pub jaar: i64,
    /// Month 1–12 (`None`: the whole year).
    pub maand: Option<i64>,
    /// Target group.
    pub doelgroep: String,
    /// Homes.
    pub aantal: i64,
    /// `bron` or `aanname`.
    pub herkomst_soort: String,
    /// The source or the reason.
    pub herkomst_tekst: String,
    /// Login of who recorded it.
    pub user_id: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

impl GebruikRow {
    /// The row of `g` for `region`.
    pub fn of(region: &RegionId, g: &AnderGebruik, user_id: &str, recorded_at: &str) -> GebruikRow {
        let (soort, tekst) = match &g.herkomst {
            Herkomst::Bron(t) => ("bron", t.clone()),
            Herkomst::Aanname(t) => ("aanname", t.clone()),
        };
        GebruikRow {
            region: region.to_string(),
            afspraak: g.afspraak.tekst(),
            jaar: i64::from(g.jaar),
            maand: g.maand.map(i64::from),
            doelgroep: g.doelgroep.clone(),
            aantal: g.aantal,
            herkomst_soort: soort.to_owned(),
            herkomst_tekst: tekst,
            user_id: user_id.to_owned(),
            recorded_at: recorded_at.to_owned(),
        }
    }

    /// The stored figure of this row ([`StoreError::Backend`] for one that does not parse).
    pub fn stored(&self) -> StoreResult<StoredGebruik> {
        let bad = |what: &str| {
            StoreError::Backend(format!(
                "gebruik van woningafspraak {} ({}): {what} onleesbaar",
                self.region, self.afspraak
            ))
        };
        Ok(StoredGebruik {
            gebruik: AnderGebruik {
                afspraak: AfspraakSleutel::parse(&self.afspraak).ok_or_else(|| bad("afspraak"))?,
                jaar: i32::try_from(self.jaar).map_err(|_| bad("jaar"))?,
                maand: self
                    .maand
                    .map(|m| u32::try_from(m).map_err(|_| bad("maand")))
                    .transpose()?,
                doelgroep: self.doelgroep.clone(),
                aantal: self.aantal,
                herkomst: match self.herkomst_soort.as_str() {
                    "bron" => Herkomst::Bron(self.herkomst_tekst.clone()),
                    "aanname" => Herkomst::Aanname(self.herkomst_tekst.clone()),
                    _ => return Err(bad("herkomst")),
                },
            },
            door: self.user_id.clone(),
            vastgelegd_op: self.recorded_at.clone(),
        })
    }
}

/// Decide on recording other groups' use `g` for `region`, given the region's stored
/// agreements and figures: the access-log row (a refusal's too) and the verdict. Who: as
/// [`decide`]. A repeat of the figure in force writes nothing.
pub fn decide_gebruik(
    gate: &AccessGate,
    regions: &Regions,
    region: &RegionId,
    g: &AnderGebruik,
    afspraken: &[StoredAfspraak],
    eerder: &[StoredGebruik],
) -> (AccessEntry, StoreResult<Vastlegging>) {
    let what = format!(
        "gebruik woningafspraak {} {} {}{} {}: {} woningen",
        region,
        g.afspraak.tekst(),
        g.jaar,
        g.maand.map(|m| format!("-{m:02}")).unwrap_or_default(),
        g.doelgroep,
        g.aantal
    );
    if !may_record(gate, regions, region) {
        let reason = format!(
            "alleen beleid, analisten en het toegangsteam van {region} leggen het gebruik van woningafspraken vast"
        );
        let mut entry = gate.note_refused(ACTION_GEBRUIK, reason.clone());
        entry.purpose = format!("{}: {what}", entry.purpose);
        return (entry, Err(StoreError::Denied(reason)));
    }
    let verdict = match regions.get(region) {
        None => Err(StoreError::Invalid(format!(
            "regio: '{region}' bestaat niet"
        ))),
        Some(p) => {
            let inforce: Vec<Afspraak> =
                geldende(p, afspraken).into_iter().map(|(a, _)| a).collect();
            let eerder: Vec<AnderGebruik> = eerder.iter().map(|s| s.gebruik.clone()).collect();
            let geldend = geldend_ander_gebruik(&eerder);
            check_ander_gebruik(&inforce, &geldend, g)
                .map_err(|error| StoreError::Rule { index: 0, error })
                .map(|()| {
                    if geldend.iter().any(|x| x == g) {
                        Vastlegging::AlVastgelegd
                    } else {
                        Vastlegging::Nieuw
                    }
                })
        }
    };
    let reason = match &verdict {
        Ok(Vastlegging::Nieuw) => "gebruik van woningafspraak vastgelegd".to_owned(),
        Ok(Vastlegging::AlVastgelegd) => {
            "gebruik van woningafspraak was al vastgelegd; niets gewijzigd".to_owned()
        }
        Err(StoreError::Rule { error, .. }) => format!(
            "gebruik van woningafspraak afgewezen: {} ({})",
            error.message, error.code
        ),
        Err(e) => format!("gebruik van woningafspraak afgewezen: {e}"),
    };
    let mut entry = gate.note(ACTION_GEBRUIK, reason);
    entry.purpose = format!("{}: {what}", entry.purpose);
    (entry, verdict)
}

/// The story every engine runs: a policy officer of the region records an agreement (read
/// back with who and when), a repeated submit writes no second row, a later one with the
/// same key replaces the profile's in [`geldende`], the bad input is refused with
/// its code and field and writes nothing, other roles and another region are refused,
/// every decision is an access-log row, other regions see none of it, and the table
/// refuses UPDATE and DELETE.
pub fn story(store: &dyn crate::Store, raw: &dyn Fn(&str) -> Result<(), String>) {
    use vangnet_domain::{Actor, Organisation};
    let nr = RegionId::parse("nijmegen-rivierenland").expect("id");
    let ds = RegionId::parse("drechtsteden").expect("id");
    let profile = store.regions().get(&nr).expect("built-in").clone();
    let g = |s: &str| GemeenteCode::parse(s).expect("gm");
    let gate = |user: &str, role: Role, org: Organisation| {
        AccessGate::new(
            Actor {
                user: user.into(),
                role,
                organisation: org,
            },
            "woningafspraken beheren",
        )
    };
    let beleid = gate(
        "beleid-nijmegen",
        Role::Beleidsmedewerker,
        Organisation::Gemeente(g("GM0268")),
    );
    let log_rows = |store: &dyn crate::Store| {
        store
            .access_log(&AccessGate::system("test"), 100_000)
            .expect("log")
            .into_iter()
            .filter(|e| e.action == ACTION)
            .collect::<Vec<_>>()
    };
    assert_eq!(store.woningafspraken(&nr).expect("read"), vec![]);
    let hf = Afspraak {
        gemeente: g("GM0268"),
        corporatie: Some("waalstad".into()),
        jaar: 2025,
        route: Some(WoonRoute::HousingFirst),
        woningen: 12,
        soort: "Housing First".into(),
        herkomst: Herkomst::Bron("seed 000 thema 1: 'circa 10 woningen per jaar'".into()),
        onderdeel_van: None,
    };
    assert_eq!(
        store
            .record_woningafspraak(&beleid, &nr, &hf)
            .expect("recorded"),
        Vastlegging::Nieuw
    );
    assert_eq!(
        store
            .record_woningafspraak(&beleid, &nr, &hf)
            .expect("again"),
        Vastlegging::AlVastgelegd
    );
    let got = store.woningafspraken(&nr).expect("read");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].afspraak, hf);
    assert_eq!(got[0].door, "beleid-nijmegen");
    // Replacing the profile's Housing First agreement (no corporation): same key.
    let vervang = Afspraak {
        corporatie: None,
        woningen: 15,
        herkomst: Herkomst::Aanname("bijgesteld in het regio-overleg (fictief)".into()),
        ..hf.clone()
    };
    let team = gate(
        "team-nr",
        Role::Toegangsmedewerker,
        Organisation::Regio(nr.clone()),
    );
    assert_eq!(
        store
            .record_woningafspraak(&team, &nr, &vervang)
            .expect("team"),
        Vastlegging::Nieuw
    );
    let stored = store.woningafspraken(&nr).expect("read");
    let inforce = geldende(&profile, &stored);
    // Profile: 3; entered: the Waalstad one is new, the replacement takes the first's place.
    assert_eq!(inforce.len(), 4);
    assert_eq!(inforce[0].0, vervang);
    assert!(matches!(&inforce[0].1, Oorsprong::Ingevoerd { door, .. } if door == "team-nr"));
    assert_eq!(inforce[1].1, Oorsprong::Profiel);
    assert_eq!(inforce[3].0, hf);
    // Bad input: code and field, nothing written.
    let bad: [(Afspraak, &str, &str); 6] = [
        (
            Afspraak {
                gemeente: g("GM0202"),
                corporatie: None,
                ..hf.clone()
            },
            "afspraak.gemeente_onbekend",
            "gemeente",
        ),
        (
            Afspraak {
                corporatie: Some("talis".into()),
                ..hf.clone()
            },
            "afspraak.corporatie_onbekend",
            "corporatie",
        ),
        (
            Afspraak {
                jaar: 1999,
                ..hf.clone()
            },
            "afspraak.jaar",
            "jaar",
        ),
        (
            Afspraak {
                woningen: -3,
                ..hf.clone()
            },
            "afspraak.woningen_negatief",
            "woningen",
        ),
        (
            Afspraak {
                herkomst: Herkomst::Bron(String::new()),
                ..hf.clone()
            },
            "afspraak.herkomst",
            "herkomst",
        ),
        (
            Afspraak {
                corporatie: Some("rivierhuis".into()),
                ..hf.clone()
            },
            "afspraak.buiten_werkgebied",
            "corporatie",
        ),
    ];
    for (a, code, field) in &bad {
        match store.record_woningafspraak(&beleid, &nr, a) {
            Err(StoreError::Rule { error, .. }) => {
                assert_eq!((error.code, error.field), (*code, *field), "{a:?}")
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    // A retired gemeente (Drechtsteden ends memberships in 2018).
    let dp = store.regions().get(&ds).expect("ds").clone();
    let retired = dp
        .gemeenten
        .iter()
        .find(|m| m.valid_to.is_some())
        .expect("a retired member");
    let job = AccessGate::job(
        Actor {
            user: "beheerder-cli".into(),
            role: Role::Beheerder,
            organisation: Organisation::Vangnet,
        },
        ACTION,
    );
    match store.record_woningafspraak(
        &job,
        &ds,
        &Afspraak {
            gemeente: retired.code,
            corporatie: None,
            route: None,
            jaar: 2025,
            ..hf.clone()
        },
    ) {
        Err(StoreError::Rule { error, .. }) => {
            assert_eq!(error.code, "afspraak.gemeente_opgeheven")
        }
        other => panic!("retired: {other:?}"),
    }
    assert_eq!(store.woningafspraken(&nr).expect("read").len(), 2);
    assert_eq!(store.woningafspraken(&ds).expect("read"), vec![]);
    // Other actors: refused, nothing written.
    for (who, role, org) in [
        (
            "aanbieder",
            Role::Zorgaanbieder,
            Organisation::Aanbieder(profile.providers[0].agb),
        ),
        (
            "corporatie",
            Role::Woningcorporatie,
            Organisation::Corporatie("waalstad".into()),
        ),
        (
            "beleid-ds",
            Role::Beleidsmedewerker,
            Organisation::Regio(ds.clone()),
        ),
        (
            "wijkteam",
            Role::Wijkteam,
            Organisation::Gemeente(g("GM0268")),
        ),
        ("auditor", Role::Auditor, Organisation::Vangnet),
    ] {
        assert!(
            matches!(
                store.record_woningafspraak(&gate(who, role, org), &nr, &hf),
                Err(StoreError::Denied(_))
            ),
            "{who}"
        );
    }
    assert_eq!(store.woningafspraken(&nr).expect("read").len(), 2);
    // Every decision one row: 2 recorded + 1 repeat + 6 bad + 1 retired + 5 refused.
    let rows = log_rows(store);
    assert_eq!(rows.len(), 2 + 1 + 6 + 1 + 5, "{rows:#?}");
    assert_eq!(rows.iter().filter(|e| !e.allowed).count(), 5);
    assert!(rows.iter().all(|e| e.client.is_none()));
    // Append-only.
    assert!(raw("UPDATE woningafspraak SET woningen = 1").is_err());
    assert!(raw("DELETE FROM woningafspraak").is_err());
    assert_eq!(store.woningafspraken(&nr).expect("read").len(), 2);
    onderdelen_en_gebruik(store, raw, &beleid, &hf);
}

/// Part of [`story`]: `onderdeel_van` checked and stored (migration 0020); other groups'
/// use recorded, repeated, replaced, refused at its field, read back; append-only.
fn onderdelen_en_gebruik(
    store: &dyn crate::Store,
    raw: &dyn Fn(&str) -> Result<(), String>,
    beleid: &AccessGate,
    hf: &Afspraak,
) {
    use vangnet_domain::{Actor, Organisation};
    let nr = RegionId::parse("nijmegen-rivierenland").expect("id");
    let profile = store.regions().get(&nr).expect("built-in").clone();
    let zes = AfspraakSleutel::parse("GM0268/2025/*/*").expect("key");
    let rule = |r: StoreResult<Vastlegging>| match r {
        Err(StoreError::Rule { error, .. }) => (error.code, error.field),
        other => panic!("{other:?}"),
    };
    // Waalstad's Housing First is part of the 6 % share.
    let deel = Afspraak {
        onderdeel_van: Some(zes.clone()),
        ..hf.clone()
    };
    assert_eq!(
        store
            .record_woningafspraak(beleid, &nr, &deel)
            .expect("part"),
        Vastlegging::Nieuw
    );
    let stored = store.woningafspraken(&nr).expect("read");
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[2].afspraak.onderdeel_van, Some(zes.clone()));
    // Making the 6 % share part of it: a cycle; itself; an unknown one; nothing written.
    let zes_afspraak = geldende(&profile, &stored)
        .into_iter()
        .find(|(a, _)| a.sleutel() == zes)
        .expect("6 %")
        .0;
    assert_eq!(
        rule(store.record_woningafspraak(
            beleid,
            &nr,
            &Afspraak {
                onderdeel_van: Some(deel.sleutel()),
                ..zes_afspraak.clone()
            }
        )),
        ("afspraak.onderdeel_kring", "onderdeel_van")
    );
    assert_eq!(
        rule(store.record_woningafspraak(
            beleid,
            &nr,
            &Afspraak {
                onderdeel_van: Some(deel.sleutel()),
                ..deel.clone()
            }
        )),
        ("afspraak.onderdeel_zelf", "onderdeel_van")
    );
    assert_eq!(
        rule(store.record_woningafspraak(
            beleid,
            &nr,
            &Afspraak {
                onderdeel_van: AfspraakSleutel::parse("GM0268/2025/waalstad/regulier"),
                ..deel.clone()
            }
        )),
        ("afspraak.onderdeel_onbekend", "onderdeel_van")
    );
    assert_eq!(store.woningafspraken(&nr).expect("read").len(), 3);
    // Other groups' use of the 6 % share.
    assert_eq!(store.ander_gebruik(&nr).expect("read"), vec![]);
    let fig = |maand: Option<u32>, groep: &str, n: i64| AnderGebruik {
        afspraak: zes.clone(),
        jaar: 2025,
        maand,
        doelgroep: groep.into(),
        aantal: n,
        herkomst: Herkomst::Bron("opgave Waalstad (fictief)".into()),
    };
    let st = fig(Some(3), "statushouders", 30);
    assert_eq!(
        store.record_ander_gebruik(beleid, &nr, &st).expect("use"),
        Vastlegging::Nieuw
    );
    assert_eq!(
        store.record_ander_gebruik(beleid, &nr, &st).expect("again"),
        Vastlegging::AlVastgelegd
    );
    let corr = fig(Some(3), "statushouders", 31);
    assert_eq!(
        store
            .record_ander_gebruik(beleid, &nr, &corr)
            .expect("corrected"),
        Vastlegging::Nieuw
    );
    let year = fig(None, "mantelzorg", 12);
    assert_eq!(
        store
            .record_ander_gebruik(beleid, &nr, &year)
            .expect("year"),
        Vastlegging::Nieuw
    );
    let got = store.ander_gebruik(&nr).expect("read");
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].gebruik, st);
    assert_eq!(got[1].gebruik, corr);
    assert_eq!(got[2].gebruik, year);
    assert_eq!(got[2].door, "beleid-nijmegen");
    let inforce: Vec<AnderGebruik> =
        geldend_ander_gebruik(&got.iter().map(|s| s.gebruik.clone()).collect::<Vec<_>>());
    assert_eq!(inforce, vec![corr.clone(), year.clone()]);
    // Bad input: code and field, nothing written.
    let bad: [(AnderGebruik, &str, &str); 5] = [
        (
            AnderGebruik {
                afspraak: AfspraakSleutel::parse("GM0268/2025/waalstad/regulier").expect("k"),
                ..st.clone()
            },
            "gebruik.afspraak_onbekend",
            "afspraak",
        ),
        (
            AnderGebruik {
                jaar: 2026,
                ..st.clone()
            },
            "gebruik.maand",
            "maand",
        ),
        (
            fig(Some(4), "overig", -2),
            "gebruik.aantal_negatief",
            "aantal",
        ),
        (
            fig(Some(4), "mantelzorg", 2),
            "gebruik.jaar_en_maand",
            "maand",
        ),
        (fig(Some(4), "", 2), "gebruik.doelgroep", "doelgroep"),
    ];
    for (g, code, field) in &bad {
        assert_eq!(
            rule(store.record_ander_gebruik(beleid, &nr, g)),
            (*code, *field),
            "{g:?}"
        );
    }
    // Above the agreed 120: recorded (a warning on the page, not a refusal).
    assert_eq!(
        store
            .record_ander_gebruik(beleid, &nr, &fig(Some(5), "overig", 500))
            .expect("above"),
        Vastlegging::Nieuw
    );
    // The corporation itself may not record it; another region's policy officer neither.
    for (who, role, org) in [
        (
            "corporatie",
            Role::Woningcorporatie,
            Organisation::Corporatie("waalstad".into()),
        ),
        (
            "beleid-ds",
            Role::Beleidsmedewerker,
            Organisation::Regio(RegionId::parse("drechtsteden").expect("id")),
        ),
    ] {
        let g = AccessGate::new(
            Actor {
                user: who.into(),
                role,
                organisation: org,
            },
            "woningafspraken beheren",
        );
        assert!(
            matches!(
                store.record_ander_gebruik(&g, &nr, &st),
                Err(StoreError::Denied(_))
            ),
            "{who}"
        );
    }
    assert_eq!(store.ander_gebruik(&nr).expect("read").len(), 4);
    let rows: Vec<_> = store
        .access_log(&AccessGate::system("test"), 100_000)
        .expect("log")
        .into_iter()
        .filter(|e| e.action == ACTION_GEBRUIK)
        .collect();
    // 4 recorded + 1 repeat + 5 bad + 2 refused.
    assert_eq!(rows.len(), 4 + 1 + 5 + 2, "{rows:#?}");
    assert_eq!(rows.iter().filter(|e| !e.allowed).count(), 2);
    assert!(raw("UPDATE woningafspraak_gebruik SET aantal = 1").is_err());
    assert!(raw("DELETE FROM woningafspraak_gebruik").is_err());
    assert_eq!(store.ander_gebruik(&nr).expect("read").len(), 4);
}
