//! Stands of a region's agreed actions recorded in the app (issue 12; table `actie_stand`,
//! migration 0009 in both engines): the row, the one check both engines run before they
//! write ([`check`]: the region exists, the actor is its coordinator —
//! [`vangnet_domain::acties::may_update`] — and the row holds a valid stand), and the story
//! test every engine runs ([`story`]). Not client data, so no access-gate row: the table is
//! append-only and is itself the log of who changed what when (triggers refuse UPDATE and
//! DELETE).

use vangnet_domain::acties::{self, Betreft, Stand, Vastlegging};
use vangnet_domain::{Actor, Date, GemeenteCode, RegionId, Regions};

use crate::{Store, StoreError, StoreResult};

/// One recorded stand, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionStandRow {
    /// Region id.
    pub region: String,
    /// Action id in the region's file.
    pub actie: String,
    /// `regio` or a gemeente code ([`acties::betreft_key`]).
    pub betreft: String,
    /// Stand key ([`Stand::key`]).
    pub stand: String,
    /// Peildatum `JJJJ-MM-DD`.
    pub peildatum: String,
    /// The note.
    pub toelichting: String,
    /// Login of who recorded it.
    pub user_id: String,
    /// Display name of who recorded it.
    pub user_name: String,
    /// When (RFC 3339, UTC), set by the engine from the store's clock.
    pub recorded_at: String,
}

impl ActionStandRow {
    /// The row as the domain reads it (`op`: the recording time in Dutch time); `None` for
    /// a row that does not parse (never written by [`check`]ed code).
    pub fn vastlegging(&self) -> Option<Vastlegging> {
        let betreft = match self.betreft.as_str() {
            "regio" => Betreft::Regio,
            g => Betreft::Gemeente(GemeenteCode::parse(g).ok()?),
        };
        let op = self
            .recorded_at
            .parse::<vangnet_domain::clock::Timestamp>()
            .map(vangnet_domain::clock::amsterdam_label)
            .unwrap_or_else(|_| self.recorded_at.clone());
        Some(Vastlegging {
            actie: self.actie.clone(),
            betreft,
            stand: Stand::parse(&self.stand)?,
            peildatum: Date::parse(&self.peildatum).ok()?,
            toelichting: self.toelichting.clone(),
            door: self.user_id.clone(),
            door_naam: self.user_name.clone(),
            op,
        })
    }
}

/// What both engines check before writing `row` for `actor`: the region is known, the actor
/// coordinates its actions, the stand and the date parse. [`StoreError::Denied`] for another
/// actor, [`StoreError::Invalid`] for a malformed row.
pub fn check(regions: &Regions, actor: &Actor, row: &ActionStandRow) -> StoreResult<()> {
    let profile = RegionId::parse(&row.region)
        .ok()
        .and_then(|r| regions.get(&r))
        .ok_or_else(|| StoreError::Invalid(format!("regio '{}' bestaat niet", row.region)))?;
    if !acties::may_update(actor, profile) {
        return Err(StoreError::Denied(format!(
            "alleen de coördinator van {} (beleidsmedewerker van de centrumgemeente) legt de stand van afgesproken acties vast",
            profile.name
        )));
    }
    let probe = ActionStandRow {
        recorded_at: "2000-01-01T00:00:00Z".into(),
        ..row.clone()
    };
    if probe.vastlegging().is_none() || row.actie.is_empty() {
        return Err(StoreError::Invalid(
            "stand van een afgesproken actie onleesbaar".into(),
        ));
    }
    Ok(())
}

/// The story every engine runs: a coordinator records two stands (read back in order, with
/// who and when), another actor is refused and writes nothing, a malformed stand is refused,
/// other regions see none of it, and the table refuses UPDATE and DELETE (`raw` runs SQL on
/// the store's database directly).
pub fn story(store: &dyn Store, raw: &dyn Fn(&str) -> Result<(), String>) {
    use vangnet_domain::{Organisation, Role};
    let regions = store.regions().clone();
    let cg = regions
        .get(&RegionId::parse("centraal-gelderland").expect("id"))
        .expect("built-in region")
        .clone();
    let coordinator = Actor {
        user: "beleidsmedewerker".into(),
        role: Role::Beleidsmedewerker,
        organisation: Organisation::Gemeente(cg.centrumgemeente),
    };
    let row = |stand: &str, peildatum: &str| ActionStandRow {
        region: cg.id.to_string(),
        actie: "DW-01".into(),
        betreft: "GM0226".into(),
        stand: stand.into(),
        peildatum: peildatum.into(),
        toelichting: "Gesprek met de corporatie gepland.".into(),
        user_id: coordinator.user.clone(),
        user_name: "Mark de Graaf".into(),
        recorded_at: String::new(),
    };
    assert_eq!(store.action_stands(&cg.id).expect("read"), vec![]);
    store
        .record_action_stand(&coordinator, &row("in_uitvoering", "2026-01-15"))
        .expect("the coordinator records");
    store
        .record_action_stand(&coordinator, &row("gereed", "2026-02-15"))
        .expect("and again");
    let got = store.action_stands(&cg.id).expect("read");
    assert_eq!(got.len(), 2);
    assert_eq!(
        (got[0].stand.as_str(), got[1].stand.as_str()),
        ("in_uitvoering", "gereed")
    );
    assert_eq!(got[1].user_name, "Mark de Graaf");
    assert!(
        got[1]
            .recorded_at
            .parse::<vangnet_domain::clock::Timestamp>()
            .is_ok(),
        "{}",
        got[1].recorded_at
    );
    let v = got[1].vastlegging().expect("parses");
    assert_eq!(v.stand, Stand::Gereed);
    // Another region's access team, an analyst of the region, a beleidsmedewerker of another
    // gemeente: refused, nothing written.
    for other in [
        Actor {
            user: "toegang".into(),
            role: Role::Toegangsmedewerker,
            organisation: Organisation::Regio(cg.id.clone()),
        },
        Actor {
            user: "analist".into(),
            role: Role::Analist,
            organisation: Organisation::Regio(cg.id.clone()),
        },
        Actor {
            user: "bm-duiven".into(),
            role: Role::Beleidsmedewerker,
            organisation: Organisation::Gemeente(GemeenteCode::parse("GM0226").expect("code")),
        },
    ] {
        assert!(matches!(
            store.record_action_stand(&other, &row("vertraagd", "2026-02-20")),
            Err(StoreError::Denied(_))
        ));
    }
    assert!(matches!(
        store.record_action_stand(&coordinator, &row("klaar", "2026-02-20")),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.action_stands(&cg.id).expect("read").len(), 2);
    let other = RegionId::parse("drechtsteden").expect("id");
    assert_eq!(store.action_stands(&other).expect("read"), vec![]);
    // Append-only: the history cannot be rewritten behind the page's back.
    assert!(raw("UPDATE actie_stand SET stand = 'gepland'").is_err());
    assert!(raw("DELETE FROM actie_stand").is_err());
    assert_eq!(store.action_stands(&cg.id).expect("read"), got);
}
