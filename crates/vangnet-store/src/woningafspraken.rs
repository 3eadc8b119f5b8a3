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
//! [`story`] is the test every engine runs.

use vangnet_domain::events::WoonRoute;
use vangnet_domain::region::{Herkomst, RegionProfile};
use vangnet_domain::woningafspraken::{Afspraak, check_afspraak, profiel_afspraken};
use vangnet_domain::{GemeenteCode, RegionId, Regions, Role};

pub use crate::tarieven::Vastlegging;

use crate::gate::{AccessEntry, AccessGate};
use crate::{StoreError, StoreResult};

/// The access-log action of recording a woningafspraak.
pub const ACTION: &str = "woningafspraak_vastleggen";

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
}
