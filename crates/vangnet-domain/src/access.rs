//! The access policy: may this actor do this to this client's record? (DOMAIN.md §2, §5)
//!
//! This is the *decision*; the store's access gate is the single place that asks it and
//! writes the access-log entry (NEN 7513) in the same transaction as the read or write.
//! Pure: the caller supplies the client's scope (region, gemeente of origin, provider).

use serde::{Deserialize, Serialize};

use crate::events::{Actor, Organisation, Role};
use crate::ids::{AgbCode, GemeenteCode, RegionId};

/// What is being done to a client record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read the full record (events, state, person).
    Read,
    /// Register a new client (person + aanmelding).
    Create,
    /// Append events to an existing stream.
    Write,
    /// Read the minimum needed for housing (no medical facts).
    ReadHousing,
    /// Bulk system work: import, demo generation, rebuild.
    Bulk,
}

impl Action {
    /// Snake-case key as stored in the log.
    pub fn key(self) -> &'static str {
        match self {
            Action::Read => "lezen",
            Action::Create => "aanmaken",
            Action::Write => "schrijven",
            Action::ReadHousing => "lezen_wonen",
            Action::Bulk => "bulk",
        }
    }
}

/// The facts about a client that decide who may see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientScope {
    /// Region of the current episode.
    pub regio: RegionId,
    /// Gemeente of registration at application.
    pub herkomst: Option<GemeenteCode>,
    /// Providers the client is (or was, in the current episode) allocated to or in care with.
    pub aanbieders: Vec<AgbCode>,
    /// Whether the client is a candidate to move out to housing.
    pub uitstroom_kandidaat: bool,
}

/// The outcome of a decision, with a Dutch reason either way (it goes into the log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Allowed, and why.
    Allow(String),
    /// Refused, and why.
    Deny(String),
}

impl Decision {
    /// Whether allowed.
    pub fn allowed(&self) -> bool {
        matches!(self, Decision::Allow(_))
    }
    /// The reason text.
    pub fn reason(&self) -> &str {
        match self {
            Decision::Allow(r) | Decision::Deny(r) => r,
        }
    }
}

/// Decide whether `actor` may perform `action` on a client with `scope`.
pub fn decide(actor: &Actor, action: Action, scope: &ClientScope) -> Decision {
    use Decision::{Allow, Deny};
    match (actor.role, &actor.organisation) {
        (Role::Systeem, Organisation::Vangnet) => Allow("systeemtaak".into()),
        (_, _) if action == Action::Bulk => Deny("bulkbewerkingen zijn alleen voor het systeem".into()),
        (Role::Toegangsmedewerker, Organisation::Regio(r)) => {
            if *r == scope.regio {
                Allow(format!("toegangsteam van regio {r}"))
            } else {
                Deny(format!("cliënt valt onder regio {}, niet onder {r}", scope.regio))
            }
        }
        (Role::Wijkteam, Organisation::Gemeente(g)) => match action {
            Action::Read | Action::Create | Action::Write if scope.herkomst == Some(*g) => Allow(format!("inwoner van {g}")),
            _ => Deny(format!("wijkteam {g} ziet alleen de eigen inwoners")),
        },
        (Role::Zorgaanbieder, Organisation::Aanbieder(a)) => match action {
            Action::Read | Action::Write if scope.aanbieders.contains(a) => Allow(format!("cliënt is toegewezen aan aanbieder {a}")),
            _ => Deny(format!("aanbieder {a} ziet alleen cliënten die aan haar zijn toegewezen")),
        },
        (Role::Woningcorporatie, Organisation::Corporatie(_)) => match action {
            Action::ReadHousing if scope.uitstroom_kandidaat => Allow("kandidaat voor uitstroom naar een woning".into()),
            _ => Deny("woningcorporaties zien alleen wat nodig is voor huisvesting van uitstroomkandidaten".into()),
        },
        (Role::Beleidsmedewerker | Role::Analist, _) => Deny("deze rol ziet alleen geaggregeerde cijfers".into()),
        (Role::Auditor, _) => Deny("de auditor leest het toegangslog, geen cliëntdossiers".into()),
        (role, org) => Deny(format!("rol {} past niet bij organisatie {org}", role.key())),
    }
}

/// May this role see the monitor and the agreed actions (`/monitor`, `/monitor/{regio}/acties`):
/// everyone who sees aggregates; not the auditor, who reads the access log only. (The agreed
/// actions and the monitor are the same audience; one predicate.)
pub fn may_view_monitor(role: Role) -> bool {
    !matches!(role, Role::Auditor)
}

/// May this role use the forecast (`/prognose`): policy officers, analysts and the access
/// team.
pub fn may_forecast(role: Role) -> bool {
    matches!(
        role,
        Role::Beleidsmedewerker | Role::Analist | Role::Toegangsmedewerker
    )
}

/// May this role read the access log (`/toegangslog`): the auditor / privacy officer, and
/// the system.
pub fn may_read_access_log(role: Role) -> bool {
    matches!(role, Role::Auditor | Role::Systeem)
}

/// May `actor` see the exact (unsuppressed) aggregate figures of `region`: only the
/// region's own access team — who may see every client behind them anyway — and the system.
/// Everyone else, and an anonymous visitor (`None`), gets published figures.
pub fn may_see_exact_figures(actor: Option<&Actor>, region: &RegionId) -> bool {
    match actor {
        Some(a) => match (a.role, &a.organisation) {
            (Role::Toegangsmedewerker, Organisation::Regio(r)) => r == region,
            (Role::Systeem, Organisation::Vangnet) => true,
            _ => false,
        },
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> ClientScope {
        ClientScope {
            regio: RegionId::parse("drechtsteden").unwrap(),
            herkomst: Some(GemeenteCode::parse("GM0505").unwrap()),
            aanbieders: vec![AgbCode::parse("98000401").unwrap()],
            uitstroom_kandidaat: false,
        }
    }
    fn actor(role: Role, org: Organisation) -> Actor {
        Actor {
            user: "t".into(),
            role,
            organisation: org,
        }
    }

    #[test]
    fn each_role_sees_only_its_own_clients() {
        let s = scope();
        let cases = [
            (
                actor(
                    Role::Toegangsmedewerker,
                    Organisation::Regio(RegionId::parse("drechtsteden").unwrap()),
                ),
                Action::Read,
                true,
            ),
            (
                actor(
                    Role::Toegangsmedewerker,
                    Organisation::Regio(RegionId::parse("centraal-gelderland").unwrap()),
                ),
                Action::Read,
                false,
            ),
            (
                actor(
                    Role::Wijkteam,
                    Organisation::Gemeente(GemeenteCode::parse("GM0505").unwrap()),
                ),
                Action::Read,
                true,
            ),
            (
                actor(
                    Role::Wijkteam,
                    Organisation::Gemeente(GemeenteCode::parse("GM0590").unwrap()),
                ),
                Action::Read,
                false,
            ),
            (
                actor(
                    Role::Zorgaanbieder,
                    Organisation::Aanbieder(AgbCode::parse("98000401").unwrap()),
                ),
                Action::Write,
                true,
            ),
            (
                actor(
                    Role::Zorgaanbieder,
                    Organisation::Aanbieder(AgbCode::parse("98000402").unwrap()),
                ),
                Action::Read,
                false,
            ),
            (
                actor(
                    Role::Woningcorporatie,
                    Organisation::Corporatie("Trivire".into()),
                ),
                Action::Read,
                false,
            ),
            (
                actor(
                    Role::Woningcorporatie,
                    Organisation::Corporatie("Trivire".into()),
                ),
                Action::ReadHousing,
                false,
            ),
            (
                actor(
                    Role::Beleidsmedewerker,
                    Organisation::Gemeente(GemeenteCode::parse("GM0505").unwrap()),
                ),
                Action::Read,
                false,
            ),
            (
                actor(Role::Auditor, Organisation::Vangnet),
                Action::Read,
                false,
            ),
            (
                actor(
                    Role::Toegangsmedewerker,
                    Organisation::Regio(RegionId::parse("drechtsteden").unwrap()),
                ),
                Action::Bulk,
                false,
            ),
            (Actor::system("import"), Action::Bulk, true),
        ];
        for (a, act, expect) in cases {
            assert_eq!(decide(&a, act, &s).allowed(), expect, "{a:?} {act:?}");
        }
    }

    #[test]
    fn housing_associations_see_only_outflow_candidates() {
        let mut s = scope();
        s.uitstroom_kandidaat = true;
        let a = actor(
            Role::Woningcorporatie,
            Organisation::Corporatie("Trivire".into()),
        );
        assert!(decide(&a, Action::ReadHousing, &s).allowed());
        assert!(!decide(&a, Action::Read, &s).allowed());
    }

    #[test]
    fn page_predicates_per_role() {
        for r in Role::ALL {
            assert_eq!(may_view_monitor(r), r != Role::Auditor, "{r:?}");
            assert_eq!(
                may_forecast(r),
                matches!(
                    r,
                    Role::Beleidsmedewerker | Role::Analist | Role::Toegangsmedewerker
                ),
                "{r:?}"
            );
            assert_eq!(
                may_read_access_log(r),
                matches!(r, Role::Auditor | Role::Systeem),
                "{r:?}"
            );
        }
        assert!(!may_forecast(Role::Auditor) && !may_view_monitor(Role::Auditor));
        assert!(!may_forecast(Role::Zorgaanbieder) && may_view_monitor(Role::Zorgaanbieder));
    }

    #[test]
    fn exact_figures_only_for_the_regions_own_access_team_and_the_system() {
        let ds = RegionId::parse("drechtsteden").unwrap();
        let other = RegionId::parse("centraal-gelderland").unwrap();
        assert!(!may_see_exact_figures(None, &ds));
        let team = actor(Role::Toegangsmedewerker, Organisation::Regio(ds.clone()));
        assert!(may_see_exact_figures(Some(&team), &ds));
        assert!(!may_see_exact_figures(Some(&team), &other));
        assert!(may_see_exact_figures(
            Some(&actor(Role::Systeem, Organisation::Vangnet)),
            &ds
        ));
        assert!(!may_see_exact_figures(
            Some(&actor(Role::Analist, Organisation::Regio(ds.clone()))),
            &ds
        ));
        assert!(!may_see_exact_figures(
            Some(&actor(
                Role::Beleidsmedewerker,
                Organisation::Gemeente(GemeenteCode::parse("GM0505").unwrap())
            )),
            &ds
        ));
    }
}
