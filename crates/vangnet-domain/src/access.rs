//! The access policy: may this actor do this to this client's record? (DOMAIN.md §2, §5)
//!
//! This is the *decision*; the store's access gate is the single place that asks it and
//! writes the access-log entry (NEN 7513) in the same transaction as the read or write.
//! Pure: the caller supplies the client's scope (region, gemeente of origin, provider).

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::events::{Actor, ClientEvent, Organisation, Role, Wijziging};
use crate::ids::{AgbCode, GemeenteCode, RegionId};
use crate::region::{AccessModel, Domain, Regions};

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
    /// Whether the client is (or may become) a candidate to move out to housing
    /// ([`crate::state::ClientState::woon_kandidaat_ooit`]).
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
        // Issue 15: a corporation reads the housing minimum of a candidate and records the
        // housing facts its rights row allows (offer, answer, tenancy, move — checked per
        // fact by `may_record`: only its own offers, in its werkgebied). Which candidates a
        // corporation is shown (its werkgebied) is the store's candidate list's filter.
        (Role::Woningcorporatie, Organisation::Corporatie(_)) => match action {
            Action::ReadHousing | Action::Write if scope.uitstroom_kandidaat => Allow("kandidaat voor uitstroom naar een woning".into()),
            _ => Deny("woningcorporaties zien alleen wat nodig is voor huisvesting van uitstroomkandidaten".into()),
        },
        (Role::Beleidsmedewerker | Role::Analist, _) => Deny("deze rol ziet alleen geaggregeerde cijfers".into()),
        (Role::Auditor, _) => Deny("de auditor leest het toegangslog, geen cliëntdossiers".into()),
        (Role::Beheerder, _) => Deny("de beheerder beheert accounts, geen cliëntdossiers".into()),
        (role, org) => Deny(format!("rol {} past niet bij organisatie {org}", role.key())),
    }
}

/// May this role see the monitor and the agreed actions (`/monitor`, `/monitor/{regio}/acties`):
/// everyone who sees aggregates; not the auditor, who reads the access log only, nor the
/// beheerder, who manages accounts only. (The agreed actions and the monitor are the same
/// audience; one predicate.)
pub fn may_view_monitor(role: Role) -> bool {
    !matches!(role, Role::Auditor | Role::Beheerder)
}

/// Must this role pass a second factor (TOTP) at login (BIO): every role that sees client
/// records or manages accounts. Not the policy officer and the analyst, who see aggregates
/// only. (The system never logs in.)
pub fn requires_second_factor(role: Role) -> bool {
    match role {
        Role::Toegangsmedewerker
        | Role::Wijkteam
        | Role::Zorgaanbieder
        | Role::Woningcorporatie
        | Role::Auditor
        | Role::Beheerder
        | Role::Systeem => true,
        Role::Beleidsmedewerker | Role::Analist => false,
    }
}

/// May this actor manage accounts and API tokens: the beheerder and the system.
pub fn may_manage_accounts(role: Role) -> bool {
    matches!(role, Role::Beheerder | Role::Systeem)
}

/// May an account (or an API token) act in `role` for `organisation`: the organisation kind
/// each role works for ([`decide`] refuses any other pair anyway). Never the system: no
/// login and no token is the system.
pub fn may_hold_account(role: Role, organisation: &Organisation) -> bool {
    matches!(
        (role, organisation),
        (Role::Toegangsmedewerker, Organisation::Regio(_))
            | (Role::Wijkteam, Organisation::Gemeente(_))
            | (Role::Zorgaanbieder, Organisation::Aanbieder(_))
            | (Role::Woningcorporatie, Organisation::Corporatie(_))
            | (
                Role::Beleidsmedewerker | Role::Analist,
                Organisation::Gemeente(_) | Organisation::Regio(_)
            )
            | (
                Role::Auditor | Role::Beheerder,
                Organisation::Vangnet | Organisation::Regio(_)
            )
    )
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

/// May this role look people up (`/zoeken`, issue 12): the roles that read client records —
/// the access team, a wijkteam and a zorgaanbieder. Each finds only the clients [`decide`]
/// lets it read (the team its region's, a wijkteam its own residents, a provider its own
/// allocated clients); the store's gate decides per client and logs every search. Not the
/// woningcorporatie (housing view only), nor the roles that see aggregates, the log or
/// accounts.
pub fn may_search_clients(role: Role) -> bool {
    matches!(
        role,
        Role::Toegangsmedewerker | Role::Wijkteam | Role::Zorgaanbieder | Role::Systeem
    )
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

/// May this role see the money pages (`/geld/…`, issue 13; DOMAIN.md §2, §7): the policy
/// roles and the regional finance working group — beleidsmedewerker, analist — and the
/// region's access team; the system (the CLI's reports). Aggregates only, never a client. Not
/// the zorgaanbieder, woningcorporatie, wijkteam, auditor or beheerder. Which region:
/// [`may_view_money_of`].
pub fn may_view_money(role: Role) -> bool {
    matches!(
        role,
        Role::Beleidsmedewerker | Role::Analist | Role::Toegangsmedewerker | Role::Systeem
    )
}

/// May `actor` see the money pages of `region`: a role of [`may_view_money`] whose
/// organisation is the region itself, or a gemeente of the region (a beleidsmedewerker of a
/// gemeente sees its own region, with its own gemeente preselected — the monitor's scoping
/// of a gemeente, narrowed to its region: the money of other regions is theirs). The system
/// sees every region.
pub fn may_view_money_of(actor: &Actor, region: &crate::region::RegionProfile) -> bool {
    may_view_money(actor.role)
        && match &actor.organisation {
            Organisation::Regio(r) => *r == region.id,
            Organisation::Gemeente(g) => region.gemeente(*g).is_some(),
            Organisation::Vangnet => actor.role == Role::Systeem,
            _ => false,
        }
}

/// May this role enter tariffs (`POST /geld/{regio}/tarieven`): the analist — the regional
/// finance working group — and the system. Read-only for every other role that sees the money
/// pages (the policy roles and the access team).
pub fn may_enter_tariffs(role: Role) -> bool {
    matches!(role, Role::Analist | Role::Systeem)
}

/// May `actor` enter tariffs for `region`: [`may_enter_tariffs`] and [`may_view_money_of`]
/// (an analist of the region or of one of its gemeenten).
pub fn may_enter_tariffs_of(actor: &Actor, region: &crate::region::RegionProfile) -> bool {
    may_enter_tariffs(actor.role) && may_view_money_of(actor, region)
}

/// May `actor` see the woningafspraken of `region` (issue 15, `/regio/{id}/woningafspraken`):
/// the money pages' audience ([`may_view_money_of`]: a beleidsmedewerker or analist of the
/// region or of one of its gemeenten, the region's access team, the system). Aggregates
/// only; small numbers suppressed unless [`may_see_exact_figures`].
pub fn may_view_woningafspraken_of(actor: &Actor, region: &crate::region::RegionProfile) -> bool {
    may_view_money_of(actor, region)
}

/// May `actor` enter a woningafspraak for `region` (issue 15): the region's policy and team
/// roles — a beleidsmedewerker or analist of the region or of one of its gemeenten, the
/// region's access team — and the system.
pub fn may_enter_woningafspraken_of(actor: &Actor, region: &crate::region::RegionProfile) -> bool {
    matches!(
        actor.role,
        Role::Beleidsmedewerker | Role::Analist | Role::Toegangsmedewerker | Role::Systeem
    ) && may_view_money_of(actor, region)
}

/// May `actor` record a capacity period or report a free place for `location` of `region`
/// (issue 14, `vangnet_store::plaatsen`): the region's own access team, the location's own
/// provider (its zorgaanbieder, by AGB code), or the system. Nobody else.
pub fn may_record_capacity(
    actor: &Actor,
    region: &crate::region::RegionProfile,
    location: &crate::ids::LocationId,
) -> bool {
    match (actor.role, &actor.organisation) {
        (Role::Systeem, _) => true,
        (Role::Toegangsmedewerker, Organisation::Regio(r)) => *r == region.id,
        (Role::Zorgaanbieder, Organisation::Aanbieder(agb)) => region
            .location(location)
            .is_some_and(|l| l.provider == *agb),
        _ => false,
    }
}

/// Who, besides the system, may record a fact (one column of [`FACT_RIGHTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorder {
    /// The access team (toegangsmedewerker) of the client's region.
    Toegangsteam,
    /// A zorgaanbieder, for its own allocations only: the allocation's, the care's or the
    /// location's provider is the actor's AGB code.
    EigenAanbieder,
    /// A wijkteam, only in the region its gemeente belongs to.
    WijkteamEigenRegio,
    /// The local front door (issue 14): a wijkteam of a gemeente of the region, for its own
    /// residents, where the region's access model on the fact's date lets the local door
    /// take this step ([`crate::region::AccessModel`]: who registers, assesses, decides).
    LokaleToegang,
    /// Issue 15: a woningcorporatie of the client's region, for its own offers only: the
    /// offer names the actor's corporation and a gemeente of its werkgebied; the answer,
    /// tenancy and move name the actor's running offer.
    EigenCorporatie,
}

/// One row of the rights table: a fact kind ([`fact_key`]) and who may record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactRight {
    /// The fact kind (`ClientEvent::kind`, or `wijziging.<soort>` for a change).
    pub kind: &'static str,
    /// Who may record it (the system always may).
    pub recorders: &'static [Recorder],
    /// A correctie / intrekking: it follows the rights of the fact it corrects or voids.
    pub follows_original: bool,
}

const fn row(kind: &'static str, recorders: &'static [Recorder]) -> FactRight {
    FactRight {
        kind,
        recorders,
        follows_original: false,
    }
}

const TEAM: &[Recorder] = &[Recorder::Toegangsteam];
const TEAM_PROVIDER: &[Recorder] = &[Recorder::Toegangsteam, Recorder::EigenAanbieder];
const TEAM_LOCAL: &[Recorder] = &[Recorder::Toegangsteam, Recorder::LokaleToegang];
const PROVIDER: &[Recorder] = &[Recorder::EigenAanbieder];
const LOCAL: &[Recorder] = &[Recorder::LokaleToegang];
const TEAM_PROVIDER_CORPORATION: &[Recorder] = &[
    Recorder::Toegangsteam,
    Recorder::EigenAanbieder,
    Recorder::EigenCorporatie,
];
const TEAM_CORPORATION: &[Recorder] = &[Recorder::Toegangsteam, Recorder::EigenCorporatie];

/// Which role may record which fact (issue 11): data, not code paths. Every fact kind has a
/// row (a unit test enumerates them); the store's gate asks [`may_record`] for every fact of
/// every append, so web, API and import are covered alike.
pub const FACT_RIGHTS: &[FactRight] = &[
    row(
        "aanmelding",
        &[Recorder::Toegangsteam, Recorder::WijkteamEigenRegio],
    ),
    row("beoordeling", TEAM_LOCAL),
    row("toewijzing", TEAM_LOCAL),
    row("afwijzing", TEAM_LOCAL),
    row("bezwaar", TEAM),
    row("wachtlijst_in", TEAM),
    row("wachtlijst_uit", TEAM),
    row("start_zorg", TEAM_PROVIDER),
    row("wijziging.verlenging", TEAM),
    row("wijziging.opschalen", TEAM),
    row("wijziging.afschalen", TEAM),
    row("wijziging.doorstroom", TEAM),
    row("einde_zorg", TEAM_PROVIDER),
    row("mo_overnachting", TEAM_PROVIDER),
    row("wlz_overgang", TEAM),
    row("brp_inschrijving", TEAM),
    // Recorded with every toewijzing and afwijzing: whoever decides records it (issue 14:
    // also the local door where it decides).
    row("woonplaats_bepaald", TEAM_LOCAL),
    row("eerdere_zorg", TEAM),
    row("woningzoekend", TEAM_PROVIDER),
    row("uitstroomklaar", TEAM_PROVIDER),
    row("voorkeur", TEAM),
    // Issue 14: the network's facts (iWmo names in `ClientEvent`'s docs).
    row("verzoek_toewijzing", PROVIDER),
    row("verzoek_wijziging", PROVIDER),
    row("verzoek_antwoord", TEAM),
    row("voorstel", TEAM),
    row("voorstel_antwoord", PROVIDER),
    row("tijdelijk_verblijf", TEAM_PROVIDER),
    row("doorverwijzing", LOCAL),
    row("advies_gevraagd", LOCAL),
    row("advies_gegeven", TEAM),
    row("mo_traject", TEAM_PROVIDER),
    // Issue 15: outflow to housing. The need and urgentie are the team's (and the
    // provider's, who knows the person); offers, tenancies and moves the corporation's own.
    row("woonbehoefte", TEAM_PROVIDER),
    row("urgentie_aanvraag", TEAM_PROVIDER),
    row("urgentie_besluit", TEAM),
    row("woningaanbod", TEAM_CORPORATION),
    row("aanbod_antwoord", TEAM_PROVIDER_CORPORATION),
    row("huurovereenkomst", TEAM_CORPORATION),
    row("verhuizing", TEAM_PROVIDER_CORPORATION),
    FactRight {
        kind: "correctie",
        recorders: &[],
        follows_original: true,
    },
    FactRight {
        kind: "intrekking",
        recorders: &[],
        follows_original: true,
    },
];

/// The key of a fact in [`FACT_RIGHTS`]: its kind, and for a wijziging its soort (an
/// extension is a decision; the other changes are too, but each has its own row).
pub fn fact_key(event: &ClientEvent) -> &'static str {
    match event {
        ClientEvent::Wijziging(w) => match w {
            Wijziging::Verlenging { .. } => "wijziging.verlenging",
            Wijziging::Opschalen { .. } => "wijziging.opschalen",
            Wijziging::Afschalen { .. } => "wijziging.afschalen",
            Wijziging::Doorstroom { .. } => "wijziging.doorstroom",
        },
        other => other.kind(),
    }
}

/// The row of `event` in [`FACT_RIGHTS`] (`None`: no row — refused).
pub fn fact_right(event: &ClientEvent) -> Option<&'static FactRight> {
    let key = fact_key(event);
    FACT_RIGHTS.iter().find(|r| r.kind == key)
}

/// What [`may_record`] needs to know about the client and the fact.
#[derive(Debug, Clone, Copy)]
pub struct FactContext<'a> {
    /// The client's region (for a new client: the aanmelding's).
    pub regio: &'a RegionId,
    /// The provider of the current allocation, if chosen.
    pub toewijzing_aanbieder: Option<AgbCode>,
    /// The provider of the running care, if any.
    pub zorg_aanbieder: Option<AgbCode>,
    /// The fact a correctie / intrekking corrects or voids (`None`: not found).
    pub original: Option<&'a ClientEvent>,
    /// The fact's effective date (membership of a gemeente is read on it).
    pub effective: Date,
    /// The region profiles (locations and their providers, gemeenten and their region).
    pub regions: &'a Regions,
    /// The client's current state (`None`: a new client). Issue 14's rights read it: the
    /// open proposal's provider, the resident's gemeente for the local front door, the
    /// night shelter of the latest MO block.
    pub client: Option<&'a crate::state::ClientState>,
}

/// Who takes a step of the front door: the region (its central access team or expert
/// team) or the local door (wijkteam, sociaal loket of the resident's gemeente).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wie {
    /// The region's access team / expert team.
    Regio,
    /// The local front door of the resident's gemeente.
    Lokaal,
}

impl Wie {
    /// Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Wie::Regio => "regionale toegang",
            Wie::Lokaal => "lokale toegang",
        }
    }
}

/// Who registers, who assesses and who decides under an access model (issue 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToegangStappen {
    /// Who registers the aanmelding.
    pub registreert: Wie,
    /// Who assesses (beoordeling).
    pub beoordeelt: Wie,
    /// Who decides (toewijzing / afwijzing; for BW — MO stays central, see [`may_record`]).
    pub beslist: Wie,
}

/// The front door's steps per [`AccessModel`], as a table (issue 14). The region's access
/// team may always take every step (it is the achterwacht); this says when the local door
/// may too.
pub fn toegang_stappen(model: AccessModel) -> ToegangStappen {
    use Wie::{Lokaal, Regio};
    let (registreert, beoordeelt, beslist) = match model {
        // One regional access team registers, assesses and decides for all gemeenten
        // (Drechtsteden seed 004 §2.3, Nijmegen seed 000 thema 1). A wijkteam may still
        // register an aanmelding in its own region, as before (`WijkteamEigenRegio`).
        AccessModel::Centraal => (Regio, Regio, Regio),
        // The local team receives and assesses, together with the region's specialists; the
        // region decides (seed 001 §3.1: aandachtsfunctionarissen uit Arnhem; seed 003: the
        // sociale wijkteams in the NOW expertiseteam).
        AccessModel::Gezamenlijk => (Lokaal, Lokaal, Regio),
        // The local loket registers, assesses and decides; a regional expert team is
        // achterwacht (seed 002, Sociaal Loket Duiven/Westervoort, hybride toegangsmodel).
        AccessModel::Hybride => (Lokaal, Lokaal, Lokaal),
        // Every gemeente decides for its own residents.
        AccessModel::Lokaal => (Lokaal, Lokaal, Lokaal),
    };
    ToegangStappen {
        registreert,
        beoordeelt,
        beslist,
    }
}

/// May `actor` record `event` about a client in `ctx`? Decided from [`FACT_RIGHTS`]; the
/// system (import, demo, rebuild) records every fact.
pub fn may_record(actor: &Actor, event: &ClientEvent, ctx: &FactContext<'_>) -> Decision {
    use Decision::{Allow, Deny};
    if matches!(
        (actor.role, &actor.organisation),
        (Role::Systeem, Organisation::Vangnet)
    ) {
        return Allow("systeemtaak".into());
    }
    let key = fact_key(event);
    let Some(right) = fact_right(event) else {
        return Deny(format!("voor feit '{key}' is geen recht vastgelegd"));
    };
    if right.follows_original {
        // The replacement must be allowed, and so must the fact it replaces or voids.
        let replacement = match event {
            ClientEvent::Correctie { vervanging, .. } => Some(vervanging.as_ref()),
            _ => None,
        };
        let Some(original) = ctx.original else {
            return Deny(format!(
                "{key}: het gecorrigeerde feit is niet gevonden; alleen het toegangsteam corrigeert"
            ));
        };
        // A correction of a correction follows the fact it put in place; undoing a void (or
        // a replacement that is itself a correctie/intrekking) is for the access team only.
        let original = match original {
            ClientEvent::Correctie { vervanging, .. } => vervanging.as_ref(),
            other => other,
        };
        for fact in replacement.into_iter().chain([original]) {
            if matches!(
                fact,
                ClientEvent::Correctie { .. } | ClientEvent::Intrekking { .. }
            ) {
                return match (actor.role, &actor.organisation) {
                    (Role::Toegangsmedewerker, Organisation::Regio(r)) if r == ctx.regio => {
                        Allow(format!("toegangsteam van regio {r} legt '{key}' vast"))
                    }
                    _ => Deny(format!(
                        "{key} van een {}: alleen het toegangsteam van de regio",
                        fact.kind()
                    )),
                };
            }
            let d = may_record(
                actor,
                fact,
                &FactContext {
                    original: None,
                    ..*ctx
                },
            );
            if !d.allowed() {
                return Deny(format!("{key}: {}", d.reason()));
            }
        }
        return Allow(format!("{key} volgt de rechten van het gecorrigeerde feit"));
    }
    for recorder in right.recorders {
        match (recorder, actor.role, &actor.organisation) {
            (Recorder::Toegangsteam, Role::Toegangsmedewerker, Organisation::Regio(r))
                if r == ctx.regio =>
            {
                return Allow(format!("toegangsteam van regio {r} legt '{key}' vast"));
            }
            (Recorder::EigenAanbieder, Role::Zorgaanbieder, Organisation::Aanbieder(a))
                if own_allocation(*a, event, ctx) =>
            {
                return Allow(format!(
                    "aanbieder {a} legt '{key}' vast voor de eigen toewijzing"
                ));
            }
            (Recorder::LokaleToegang, Role::Wijkteam, Organisation::Gemeente(g))
                if local_step(*g, event, ctx) =>
            {
                return Allow(format!(
                    "lokale toegang {g} legt '{key}' vast voor een eigen inwoner, zoals het toegangsmodel van {} toelaat",
                    ctx.regio
                ));
            }
            (Recorder::EigenCorporatie, Role::Woningcorporatie, Organisation::Corporatie(c))
                if own_offer(c, event, ctx) =>
            {
                return Allow(format!(
                    "corporatie {c} legt '{key}' vast voor het eigen aanbod"
                ));
            }
            (Recorder::WijkteamEigenRegio, Role::Wijkteam, Organisation::Gemeente(g))
                if ctx
                    .regions
                    .get(ctx.regio)
                    .is_some_and(|p| p.member_on(*g, ctx.effective)) =>
            {
                return Allow(format!(
                    "wijkteam {g} meldt aan in de eigen regio {}",
                    ctx.regio
                ));
            }
            _ => {}
        }
    }
    let who = right
        .recorders
        .iter()
        .map(|r| match r {
            Recorder::Toegangsteam => "het toegangsteam van de regio",
            Recorder::EigenAanbieder => "de aanbieder van de eigen toewijzing",
            Recorder::WijkteamEigenRegio => "het wijkteam van een gemeente in de regio",
            Recorder::LokaleToegang => {
                "de lokale toegang (wijkteam) waar het toegangsmodel van de regio dat toelaat"
            }
            Recorder::EigenCorporatie => {
                "de woningcorporatie van het eigen aanbod, in het eigen werkgebied"
            }
        })
        .collect::<Vec<_>>()
        .join(" of ");
    Deny(format!(
        "rol {} mag '{key}' niet vastleggen; dat doet {who}",
        actor.role.key()
    ))
}

/// Whether the wijkteam of gemeente `g` may take the step `event` as the local front door
/// (issue 14): `g` is a member of the client's region on the fact's date and the client is
/// its resident (`herkomst`), and the region's access model on that date
/// ([`toegang_stappen`]) gives the step to the local door:
/// - beoordeling: when the local door assesses (gezamenlijk, hybride, lokaal);
/// - toewijzing / afwijzing: when the local door decides (hybride, lokaal), and only for BW.
///   MO stays central in every shipped region (seed 001 §8.1: "MO: centrale toegang, de
///   VGGM vervult deze rol"; seed 003: the aanmeldpunt MO; MO is landelijk toegankelijk,
///   not a matter of the resident's own gemeente): a toewijzing of an MO product, or an
///   afwijzing of a client who came in through the night shelter under this application,
///   is for the region;
/// - woonplaats bepaald (recorded with every decision): when the local door decides;
/// - doorverwijzing / advies gevraagd: under every model with local front doors
///   ([`crate::frontdoor::has_local_front_doors`]: not centraal).
fn local_step(g: GemeenteCode, event: &ClientEvent, ctx: &FactContext<'_>) -> bool {
    let Some(profile) = ctx.regions.get(ctx.regio) else {
        return false;
    };
    let Some(client) = ctx.client else {
        return false;
    };
    if !profile.member_on(g, ctx.effective) || client.herkomst != Some(g) {
        return false;
    }
    let model = profile.toegang_op(ctx.effective).model;
    let stappen = toegang_stappen(model);
    match event {
        ClientEvent::Beoordeling { .. } => stappen.beoordeelt == Wie::Lokaal,
        ClientEvent::Toewijzing { product, .. } => {
            stappen.beslist == Wie::Lokaal
                && profile
                    .product(product)
                    .is_some_and(|p| p.domain == Domain::Bw)
        }
        // The decision's companion fact (the responsible gemeente) goes with the decision.
        ClientEvent::WoonplaatsBepaald { .. } => stappen.beslist == Wie::Lokaal,
        ClientEvent::Afwijzing { .. } => {
            stappen.beslist == Wie::Lokaal
                && client
                    .mo_historie(ctx.regio)
                    .is_none_or(|h| h.laatste_nacht < client.aangemeld)
        }
        ClientEvent::Doorverwijzing { .. } | ClientEvent::AdviesGevraagd { .. } => {
            crate::frontdoor::has_local_front_doors(model)
        }
        _ => false,
    }
}

/// Whether `event` is corporation `id`'s own (issue 15): an offer by `id` (a corporation of
/// the client's region) in a gemeente of its werkgebied; an answer, tenancy or move naming
/// the client's running offer when that offer is `id`'s.
fn own_offer(id: &str, event: &ClientEvent, ctx: &FactContext<'_>) -> bool {
    let Some(c) = ctx.regions.get(ctx.regio).and_then(|p| p.corporatie(id)) else {
        return false;
    };
    match event {
        ClientEvent::Woningaanbod {
            corporatie,
            gemeente,
            ..
        } => corporatie == id && c.gemeenten.contains(gemeente),
        ClientEvent::AanbodAntwoord { aanbod, .. }
        | ClientEvent::Huurovereenkomst { aanbod, .. }
        | ClientEvent::Verhuizing { aanbod } => ctx.client.is_some_and(|s| {
            s.aanbod
                .as_ref()
                .is_some_and(|a| a.versie == *aanbod && a.corporatie == id)
        }),
        _ => false,
    }
}

/// Whether `event` concerns `agb`'s own allocation: the location's provider (start zorg,
/// overnachting, tijdelijk verblijf), the open proposal's provider (its answer), the
/// requesting provider when it holds the allocation or care (a verzoek), else the running
/// care's or the allocation's provider (for an MO-traject also the shelter of the latest
/// night).
fn own_allocation(agb: AgbCode, event: &ClientEvent, ctx: &FactContext<'_>) -> bool {
    let location_provider = |locatie: &crate::ids::LocationId| {
        ctx.regions
            .get(ctx.regio)
            .and_then(|p| p.location(locatie))
            .map(|l| l.provider)
    };
    let holds = ctx.zorg_aanbieder == Some(agb)
        || ctx.toewijzing_aanbieder == Some(agb)
        || ctx
            .client
            .is_some_and(|s| s.besluit_aanbieder() == Some(agb));
    match event {
        ClientEvent::StartZorg { locatie, .. }
        | ClientEvent::MoOvernachting { locatie, .. }
        | ClientEvent::TijdelijkVerblijf { locatie, .. } => location_provider(locatie) == Some(agb),
        ClientEvent::VerzoekToewijzing { aanbieder, .. }
        | ClientEvent::VerzoekWijziging { aanbieder, .. } => *aanbieder == agb && holds,
        ClientEvent::VoorstelAntwoord { voorstel, .. } => ctx.client.is_some_and(|s| {
            s.voorstel
                .as_ref()
                .is_some_and(|v| v.versie == *voorstel && v.aanbieder == agb)
        }),
        ClientEvent::MoTraject { .. } => {
            ctx.zorg_aanbieder == Some(agb)
                || ctx.client.is_some_and(|s| {
                    s.mo_historie(ctx.regio)
                        .and_then(|h| h.locatie.as_ref())
                        .and_then(location_provider)
                        == Some(agb)
                })
        }
        _ => ctx.zorg_aanbieder.or(ctx.toewijzing_aanbieder) == Some(agb),
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
                actor(Role::Beheerder, Organisation::Vangnet),
                Action::Read,
                false,
            ),
            (
                actor(
                    Role::Beheerder,
                    Organisation::Regio(RegionId::parse("drechtsteden").unwrap()),
                ),
                Action::Create,
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
            assert_eq!(
                may_view_monitor(r),
                !matches!(r, Role::Auditor | Role::Beheerder),
                "{r:?}"
            );
            assert_eq!(
                requires_second_factor(r),
                !matches!(r, Role::Beleidsmedewerker | Role::Analist),
                "{r:?}"
            );
            assert_eq!(
                may_manage_accounts(r),
                matches!(r, Role::Beheerder | Role::Systeem),
                "{r:?}"
            );
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
    fn money_is_for_the_policy_roles_the_working_group_and_the_access_team() {
        for r in Role::ALL {
            assert_eq!(
                may_view_money(r),
                matches!(
                    r,
                    Role::Beleidsmedewerker
                        | Role::Analist
                        | Role::Toegangsmedewerker
                        | Role::Systeem
                ),
                "{r:?}"
            );
            assert_eq!(
                may_enter_tariffs(r),
                matches!(r, Role::Analist | Role::Systeem),
                "{r:?}"
            );
        }
        for r in [
            Role::Zorgaanbieder,
            Role::Woningcorporatie,
            Role::Wijkteam,
            Role::Auditor,
            Role::Beheerder,
        ] {
            assert!(!may_view_money(r), "{r:?}");
        }
        assert!(!may_enter_tariffs(Role::Beleidsmedewerker));
        assert!(!may_enter_tariffs(Role::Toegangsmedewerker));
    }

    #[test]
    fn money_of_a_region_for_its_own_organisations_only() {
        let regions = Regions::builtin();
        let ds = regions
            .get(&RegionId::parse("drechtsteden").unwrap())
            .unwrap();
        let other = regions.all().iter().find(|p| p.id != ds.id).unwrap();
        let member = ds.gemeenten[0].code;
        let outsider = other.gemeenten[0].code;
        let gem = |role, g| actor(role, Organisation::Gemeente(g));
        let reg = |role, r: &RegionId| actor(role, Organisation::Regio(r.clone()));
        // A beleidsmedewerker of a gemeente: its own region, not another.
        assert!(may_view_money_of(&gem(Role::Beleidsmedewerker, member), ds));
        assert!(!may_view_money_of(
            &gem(Role::Beleidsmedewerker, outsider),
            ds
        ));
        assert!(!may_enter_tariffs_of(
            &gem(Role::Beleidsmedewerker, member),
            ds
        ));
        // The region's analist enters tariffs there, not in another region.
        assert!(may_enter_tariffs_of(&reg(Role::Analist, &ds.id), ds));
        assert!(!may_enter_tariffs_of(&reg(Role::Analist, &ds.id), other));
        assert!(!may_view_money_of(&reg(Role::Analist, &ds.id), other));
        // The access team sees its own region's money, read-only.
        assert!(may_view_money_of(
            &reg(Role::Toegangsmedewerker, &ds.id),
            ds
        ));
        assert!(!may_view_money_of(
            &reg(Role::Toegangsmedewerker, &other.id),
            ds
        ));
        assert!(!may_enter_tariffs_of(
            &reg(Role::Toegangsmedewerker, &ds.id),
            ds
        ));
        // A wijkteam of a member gemeente does not (clients, not budgets).
        assert!(!may_view_money_of(&gem(Role::Wijkteam, member), ds));
        // The system sees every region.
        assert!(may_view_money_of(
            &actor(Role::Systeem, Organisation::Vangnet),
            other
        ));
        // The auditor of Vangnet does not.
        assert!(!may_view_money_of(
            &actor(Role::Auditor, Organisation::Vangnet),
            ds
        ));
    }

    #[test]
    fn accounts_fit_their_organisation_and_never_the_system() {
        let regio = Organisation::Regio(RegionId::parse("drechtsteden").unwrap());
        let gemeente = Organisation::Gemeente(GemeenteCode::parse("GM0505").unwrap());
        assert!(may_hold_account(Role::Toegangsmedewerker, &regio));
        assert!(!may_hold_account(Role::Toegangsmedewerker, &gemeente));
        assert!(may_hold_account(Role::Wijkteam, &gemeente));
        assert!(may_hold_account(Role::Beheerder, &Organisation::Vangnet));
        assert!(may_hold_account(Role::Beheerder, &regio));
        assert!(!may_hold_account(Role::Beheerder, &gemeente));
        assert!(!may_hold_account(Role::Systeem, &Organisation::Vangnet));
        assert!(!may_hold_account(
            Role::Zorgaanbieder,
            &Organisation::Corporatie("x".into())
        ));
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

    /// Every fact kind, one sample each (the samples' exhaustive match makes a new kind fail
    /// to compile until it has a sample, and so is checked for a row).
    fn every_fact() -> Vec<ClientEvent> {
        crate::events::samples::one_of_each_kind(&crate::events::samples::SampleRefs {
            regio: RegionId::parse("drechtsteden").unwrap(),
            product: crate::ids::ProductCode::parse("bw1").unwrap(),
            locatie: crate::ids::LocationId::parse("x").unwrap(),
            gemeente: GemeenteCode::parse("GM0505").unwrap(),
            datum: Date::parse("2026-01-01").unwrap(),
            versie: 1,
            aanbieder: crate::ids::AgbCode::parse("98000101").unwrap(),
        })
    }

    #[test]
    fn every_fact_kind_has_exactly_one_rights_row_and_no_row_is_stale() {
        let facts = every_fact();
        for e in &facts {
            let key = fact_key(e);
            let rows = FACT_RIGHTS.iter().filter(|r| r.kind == key).count();
            assert_eq!(rows, 1, "feit '{key}' heeft {rows} rijen in FACT_RIGHTS");
            let r = fact_right(e).unwrap();
            assert!(
                r.follows_original || !r.recorders.is_empty(),
                "'{key}' mag door niemand worden vastgelegd"
            );
        }
        for r in FACT_RIGHTS {
            assert!(
                facts.iter().any(|e| fact_key(e) == r.kind),
                "rij '{}' hoort bij geen feit",
                r.kind
            );
        }
        assert_eq!(FACT_RIGHTS.len(), facts.len());
    }

    struct World {
        regions: Regions,
        regio: RegionId,
        own_location: crate::ids::LocationId,
        agb: AgbCode,
        other_agb: AgbCode,
        member: GemeenteCode,
    }

    fn world() -> World {
        let regions = Regions::builtin();
        let regio = RegionId::parse("drechtsteden").unwrap();
        let p = regions.get(&regio).unwrap();
        let loc = p.locations.first().expect("een locatie");
        let other_agb = p
            .locations
            .iter()
            .map(|l| l.provider)
            .find(|a| *a != loc.provider)
            .unwrap_or_else(|| AgbCode::parse("98999999").unwrap());
        let member = p.gemeenten.first().expect("een gemeente").code;
        World {
            own_location: loc.id.clone(),
            agb: loc.provider,
            other_agb,
            member,
            regio,
            regions,
        }
    }

    fn ctx<'a>(w: &'a World, original: Option<&'a ClientEvent>) -> FactContext<'a> {
        FactContext {
            regio: &w.regio,
            toewijzing_aanbieder: Some(w.agb),
            zorg_aanbieder: Some(w.agb),
            original,
            effective: Date::parse("2026-03-01").unwrap(),
            regions: &w.regions,
            client: None,
        }
    }

    /// Issue 11, finding 3: a provider may not extend its own allocation or file an
    /// appeal; a wijkteam may not assess or decide.
    #[test]
    fn finding_3_providers_and_wijkteams_do_not_decide() {
        let w = world();
        let c = ctx(&w, None);
        let provider = actor(Role::Zorgaanbieder, Organisation::Aanbieder(w.agb));
        let verlenging = ClientEvent::Wijziging(Wijziging::Verlenging {
            nieuw_einde: Date::parse("2031-01-01").unwrap(),
        });
        let bezwaar = ClientEvent::Bezwaar { reden: "x".into() };
        assert!(!may_record(&provider, &verlenging, &c).allowed());
        assert!(!may_record(&provider, &bezwaar, &c).allowed());
        let wijkteam = actor(Role::Wijkteam, Organisation::Gemeente(w.member));
        let facts = every_fact();
        let beoordeling = facts.iter().find(|e| e.kind() == "beoordeling").unwrap();
        let toewijzing = facts.iter().find(|e| e.kind() == "toewijzing").unwrap();
        assert!(!may_record(&wijkteam, beoordeling, &c).allowed());
        assert!(!may_record(&wijkteam, toewijzing, &c).allowed());
        let team = actor(
            Role::Toegangsmedewerker,
            Organisation::Regio(w.regio.clone()),
        );
        for e in [&verlenging, &bezwaar, beoordeling, toewijzing] {
            assert!(may_record(&team, e, &c).allowed(), "{e:?}");
            assert!(may_record(&Actor::system("t"), e, &c).allowed(), "{e:?}");
        }
        let other_team = actor(
            Role::Toegangsmedewerker,
            Organisation::Regio(RegionId::parse("centraal-gelderland").unwrap()),
        );
        assert!(!may_record(&other_team, toewijzing, &c).allowed());
    }

    /// The beheerder manages accounts: it records no fact, in any organisation.
    #[test]
    fn the_beheerder_records_no_fact() {
        let w = world();
        let c = ctx(&w, None);
        for org in [Organisation::Vangnet, Organisation::Regio(w.regio.clone())] {
            let beheer = actor(Role::Beheerder, org);
            for e in every_fact() {
                let original = every_fact().into_iter().find(|o| o.kind() == "beoordeling");
                let c = ctx(&w, original.as_ref());
                assert!(!may_record(&beheer, &e, &c).allowed(), "{e:?}");
            }
            assert!(!may_record(&beheer, &every_fact()[0], &c).allowed());
        }
    }

    #[test]
    fn a_provider_records_care_for_its_own_allocations_only() {
        let w = world();
        let mine = actor(Role::Zorgaanbieder, Organisation::Aanbieder(w.agb));
        let theirs = actor(Role::Zorgaanbieder, Organisation::Aanbieder(w.other_agb));
        let p = crate::ids::ProductCode::parse("bw1").unwrap();
        let start = ClientEvent::StartZorg {
            product: p.clone(),
            locatie: w.own_location.clone(),
            overbezetting: None,
        };
        let night = ClientEvent::MoOvernachting {
            product: p,
            locatie: w.own_location.clone(),
            nachten: 1,
        };
        let einde = ClientEvent::EindeZorg {
            bestemming: crate::events::Bestemming::Onbekend,
            woning: None,
        };
        let c = ctx(&w, None);
        for e in [&start, &night, &einde] {
            assert!(may_record(&mine, e, &c).allowed(), "{e:?}");
            assert!(!may_record(&theirs, e, &c).allowed(), "{e:?}");
        }
        // Not their allocation or care: einde zorg refused even for the location's provider.
        let none = FactContext {
            toewijzing_aanbieder: Some(w.other_agb),
            zorg_aanbieder: None,
            ..c
        };
        assert!(!may_record(&mine, &einde, &none).allowed());
        // A wijkteam, a corporation and the auditor record none of them.
        for a in [
            actor(Role::Wijkteam, Organisation::Gemeente(w.member)),
            actor(Role::Woningcorporatie, Organisation::Corporatie("T".into())),
            actor(Role::Auditor, Organisation::Vangnet),
        ] {
            for e in [&start, &night, &einde] {
                assert!(!may_record(&a, e, &c).allowed(), "{a:?} {e:?}");
            }
        }
    }

    #[test]
    fn a_wijkteam_registers_only_in_its_own_region() {
        let w = world();
        let facts = every_fact();
        let aanmelding = facts.iter().find(|e| e.kind() == "aanmelding").unwrap();
        let own = actor(Role::Wijkteam, Organisation::Gemeente(w.member));
        assert!(may_record(&own, aanmelding, &ctx(&w, None)).allowed());
        // GM0202 (Arnhem) is in Centraal-Gelderland, not in Drechtsteden.
        let foreign = actor(
            Role::Wijkteam,
            Organisation::Gemeente(GemeenteCode::parse("GM0202").unwrap()),
        );
        assert!(!may_record(&foreign, aanmelding, &ctx(&w, None)).allowed());
    }

    #[test]
    fn corrections_follow_the_rights_of_the_corrected_fact() {
        let w = world();
        let provider = actor(Role::Zorgaanbieder, Organisation::Aanbieder(w.agb));
        let einde = ClientEvent::EindeZorg {
            bestemming: crate::events::Bestemming::Onbekend,
            woning: None,
        };
        let bezwaar = ClientEvent::Bezwaar { reden: "x".into() };
        let fix = |e: &ClientEvent| ClientEvent::Correctie {
            corrigeert: 4,
            vervanging: Box::new(e.clone()),
            reden: "r".into(),
        };
        let void = ClientEvent::Intrekking {
            trekt_in: 4,
            reden: "r".into(),
        };
        assert!(may_record(&provider, &fix(&einde), &ctx(&w, Some(&einde))).allowed());
        assert!(may_record(&provider, &void, &ctx(&w, Some(&einde))).allowed());
        assert!(!may_record(&provider, &fix(&bezwaar), &ctx(&w, Some(&bezwaar))).allowed());
        assert!(!may_record(&provider, &void, &ctx(&w, Some(&bezwaar))).allowed());
        // Dressing a decision up as a correction of the provider's own fact does not help.
        assert!(!may_record(&provider, &fix(&bezwaar), &ctx(&w, Some(&einde))).allowed());
        // Unknown original: refused.
        assert!(!may_record(&provider, &void, &ctx(&w, None)).allowed());
        // A correction of a correction follows the fact the first one put in place.
        let fixed_einde = fix(&einde);
        let fixed_bezwaar = fix(&bezwaar);
        assert!(may_record(&provider, &fix(&einde), &ctx(&w, Some(&fixed_einde))).allowed());
        assert!(!may_record(&provider, &fix(&einde), &ctx(&w, Some(&fixed_bezwaar))).allowed());
        // Voiding an intrekking: the access team only.
        let team = actor(
            Role::Toegangsmedewerker,
            Organisation::Regio(w.regio.clone()),
        );
        assert!(!may_record(&provider, &void, &ctx(&w, Some(&void))).allowed());
        assert!(may_record(&team, &void, &ctx(&w, Some(&void))).allowed());
    }

    /// Issue 14: a client of Centraal Gelderland (resident of Duiven) folded from `facts`
    /// (dated in order), for the rights of the network's facts.
    fn cg_state(facts: &[(&str, ClientEvent)]) -> crate::state::ClientState {
        let regions = Regions::builtin();
        let d = |s: &str| Date::parse(s).unwrap();
        let aanmelding = ClientEvent::Aanmelding {
            regio: RegionId::parse("centraal-gelderland").unwrap(),
            melder: crate::events::Melder::Wijkteam,
            herkomst_gemeente: Some(GemeenteCode::parse("GM0226").unwrap()),
            woonsituatie: crate::events::Woonsituatie::Thuis,
            urgentie: crate::events::Urgentie::Regulier,
            voordeur: None,
        };
        let mut st = crate::state::ClientState::open(
            crate::ids::ClientId(7),
            1,
            d("2024-01-02"),
            &aanmelding,
            &regions,
        )
        .unwrap();
        for (i, (on, e)) in facts.iter().enumerate() {
            st.apply(i as u32 + 2, d(on), e, &regions)
                .unwrap_or_else(|err| panic!("stap {}: {err}", i + 2));
        }
        st
    }

    fn cg_ctx<'a>(
        regions: &'a Regions,
        regio: &'a RegionId,
        st: &'a crate::state::ClientState,
        on: &str,
    ) -> FactContext<'a> {
        FactContext {
            regio,
            toewijzing_aanbieder: st.toewijzing().and_then(|t| t.4),
            zorg_aanbieder: st.zorg.as_ref().map(|z| z.aanbieder),
            original: None,
            effective: Date::parse(on).unwrap(),
            regions,
            client: Some(st),
        }
    }

    #[test]
    fn the_front_door_steps_per_access_model() {
        use Wie::{Lokaal, Regio};
        let t = |m| {
            let s = toegang_stappen(m);
            (s.registreert, s.beoordeelt, s.beslist)
        };
        assert_eq!(t(AccessModel::Centraal), (Regio, Regio, Regio));
        assert_eq!(t(AccessModel::Gezamenlijk), (Lokaal, Lokaal, Regio));
        assert_eq!(t(AccessModel::Hybride), (Lokaal, Lokaal, Lokaal));
        assert_eq!(t(AccessModel::Lokaal), (Lokaal, Lokaal, Lokaal));
        // Local registration exactly where the front door has local doors.
        for m in [
            AccessModel::Centraal,
            AccessModel::Gezamenlijk,
            AccessModel::Hybride,
            AccessModel::Lokaal,
        ] {
            assert_eq!(
                toegang_stappen(m).registreert == Lokaal,
                crate::frontdoor::has_local_front_doors(m),
                "{m:?}"
            );
        }
    }

    /// Issue 14: the providers' new facts, for the right provider only.
    #[test]
    fn a_provider_records_the_network_facts_for_its_own_clients_only() {
        let regions = Regions::builtin();
        let regio = RegionId::parse("centraal-gelderland").unwrap();
        let p = regions.get(&regio).unwrap();
        let product = crate::ids::ProductCode::parse("bw-beschermd-wonen").unwrap();
        let mut locs = p
            .locations
            .iter()
            .filter(|l| l.places.contains_key(&product));
        let l1 = locs.next().unwrap();
        let l2 = locs.find(|l| l.provider != l1.provider).unwrap();
        let (a, b) = (l1.provider, l2.provider);
        let short = crate::ids::ProductCode::parse("bw-logeeropvang").unwrap();
        let ls = p
            .locations
            .iter()
            .find(|l| l.places.contains_key(&short))
            .unwrap();
        let nacht = crate::ids::ProductCode::parse("mo-nachtopvang").unwrap();
        let shelter = p
            .locations
            .iter()
            .find(|l| l.places.contains_key(&nacht))
            .unwrap();
        let toewijzing = ClientEvent::Toewijzing {
            product: product.clone(),
            start: Date::parse("2024-02-01").unwrap(),
            einde: Date::parse("2025-01-31").unwrap(),
            leveringsvorm: crate::events::Leveringsvorm::Zin,
            aanbieder: None,
        };
        let in_zorg = cg_state(&[
            ("2024-01-10", toewijzing.clone()),
            (
                "2024-02-01",
                ClientEvent::StartZorg {
                    product: product.clone(),
                    locatie: l1.id.clone(),
                    overbezetting: None,
                },
            ),
        ]);
        let c = cg_ctx(&regions, &regio, &in_zorg, "2024-03-01");
        let prov = |agb| actor(Role::Zorgaanbieder, Organisation::Aanbieder(agb));
        let vot = |agb| ClientEvent::VerzoekToewijzing {
            aanbieder: agb,
            product: product.clone(),
            start: Date::parse("2024-04-01").unwrap(),
            einde: None,
            reden: "r".into(),
        };
        let vow = |agb| ClientEvent::VerzoekWijziging {
            aanbieder: agb,
            wijziging: Wijziging::Verlenging {
                nieuw_einde: Date::parse("2025-06-30").unwrap(),
            },
            reden: "r".into(),
        };
        assert!(may_record(&prov(a), &vot(a), &c).allowed());
        assert!(may_record(&prov(a), &vow(a), &c).allowed());
        // Another provider: not in its own name, nor in the right provider's.
        assert!(!may_record(&prov(b), &vot(b), &c).allowed());
        assert!(!may_record(&prov(b), &vot(a), &c).allowed());
        assert!(!may_record(&prov(b), &vow(b), &c).allowed());
        // The right provider cannot ask in another's name either.
        assert!(!may_record(&prov(a), &vot(b), &c).allowed());
        // Tijdelijk verblijf: the short-stay location's provider (and the team).
        let tijdelijk = ClientEvent::TijdelijkVerblijf {
            product: short.clone(),
            locatie: ls.id.clone(),
            nachten: 2,
        };
        assert!(may_record(&prov(ls.provider), &tijdelijk, &c).allowed());
        let not_ls = if ls.provider == a { b } else { a };
        assert!(!may_record(&prov(not_ls), &tijdelijk, &c).allowed());
        // The answer to a proposal: the provider of the proposed location only.
        let voorgesteld = cg_state(&[
            ("2024-01-10", toewijzing.clone()),
            (
                "2024-01-11",
                ClientEvent::WachtlijstIn {
                    product: product.clone(),
                    prioriteit: 0,
                },
            ),
            (
                "2024-01-20",
                ClientEvent::Voorstel {
                    locatie: l2.id.clone(),
                    product: product.clone(),
                    geldig_tot: Date::parse("2024-02-03").unwrap(),
                },
            ),
        ]);
        let c = cg_ctx(&regions, &regio, &voorgesteld, "2024-01-22");
        let antwoord = |v| ClientEvent::VoorstelAntwoord {
            voorstel: v,
            akkoord: true,
            reden: String::new(),
        };
        assert!(may_record(&prov(b), &antwoord(4), &c).allowed());
        assert!(!may_record(&prov(a), &antwoord(4), &c).allowed());
        assert!(
            !may_record(&prov(b), &antwoord(3), &c).allowed(),
            "not that proposal"
        );
        // The MO-traject: the shelter of the latest night, not any provider.
        let gast = cg_state(&[(
            "2024-01-03",
            ClientEvent::MoOvernachting {
                product: nacht.clone(),
                locatie: shelter.id.clone(),
                nachten: 4,
            },
        )]);
        let c = cg_ctx(&regions, &regio, &gast, "2024-01-08");
        let traject = ClientEvent::MoTraject {
            toelichting: "plan".into(),
        };
        assert!(may_record(&prov(shelter.provider), &traject, &c).allowed());
        let not_shelter = if shelter.provider == a { b } else { a };
        assert!(!may_record(&prov(not_shelter), &traject, &c).allowed());
        // The team answers requests and proposes; providers do not.
        let team = actor(Role::Toegangsmedewerker, Organisation::Regio(regio.clone()));
        let verzoek_antwoord = ClientEvent::VerzoekAntwoord {
            verzoek: 4,
            uitkomst: crate::events::VerzoekUitkomst::InOnderzoek,
            toelichting: String::new(),
        };
        let c = cg_ctx(&regions, &regio, &in_zorg, "2024-03-01");
        assert!(may_record(&team, &verzoek_antwoord, &c).allowed());
        assert!(!may_record(&prov(a), &verzoek_antwoord, &c).allowed());
        for e in [&tijdelijk, &traject] {
            assert!(may_record(&team, e, &c).allowed(), "{e:?}");
        }
        // The team proposes and answers advice; neither a provider nor a wijkteam does.
        let voorstel = ClientEvent::Voorstel {
            locatie: l1.id.clone(),
            product: product.clone(),
            geldig_tot: Date::parse("2024-03-15").unwrap(),
        };
        let advies = ClientEvent::AdviesGegeven {
            vraag: 2,
            advies: "a".into(),
        };
        let duiven = actor(
            Role::Wijkteam,
            Organisation::Gemeente(GemeenteCode::parse("GM0226").unwrap()),
        );
        let other_team = actor(
            Role::Toegangsmedewerker,
            Organisation::Regio(RegionId::parse("drechtsteden").unwrap()),
        );
        for e in [&voorstel, &advies] {
            assert!(may_record(&team, e, &c).allowed(), "{e:?}");
            assert!(!may_record(&other_team, e, &c).allowed(), "{e:?}");
            assert!(!may_record(&prov(a), e, &c).allowed(), "{e:?}");
            assert!(!may_record(&duiven, e, &c).allowed(), "{e:?}");
        }
    }

    /// Issue 14: the local front door per access model (Centraal Gelderland: gezamenlijk
    /// until 2024, hybride from 2025; Drechtsteden: centraal).
    #[test]
    fn the_local_front_door_takes_the_steps_its_access_model_gives_it() {
        let regions = Regions::builtin();
        let regio = RegionId::parse("centraal-gelderland").unwrap();
        let duiven = actor(
            Role::Wijkteam,
            Organisation::Gemeente(GemeenteCode::parse("GM0226").unwrap()),
        );
        let arnhem = actor(
            Role::Wijkteam,
            Organisation::Gemeente(GemeenteCode::parse("GM0202").unwrap()),
        );
        let dordrecht = actor(
            Role::Wijkteam,
            Organisation::Gemeente(GemeenteCode::parse("GM0505").unwrap()),
        );
        let team = actor(Role::Toegangsmedewerker, Organisation::Regio(regio.clone()));
        let beoordeling = ClientEvent::Beoordeling {
            criteria: Vec::new(),
            zrm: [None; crate::events::ZRM_DOMAINS],
            doelgroep: None,
            advies: crate::events::Advies::Toewijzen,
            behoeften: Vec::new(),
        };
        let toewijzing = |p: &str| ClientEvent::Toewijzing {
            product: crate::ids::ProductCode::parse(p).unwrap(),
            start: Date::parse("2025-02-01").unwrap(),
            einde: Date::parse("2025-12-31").unwrap(),
            leveringsvorm: crate::events::Leveringsvorm::Zin,
            aanbieder: None,
        };
        let afwijzing = ClientEvent::Afwijzing {
            reden: "r".into(),
            casusregie: "wijkteam".into(),
        };
        let doorverwijzing = ClientEvent::Doorverwijzing { reden: "r".into() };
        let advies = ClientEvent::AdviesGevraagd { vraag: "v".into() };
        let st = cg_state(&[]);
        // 2024: gezamenlijk — the local team assesses, refers and asks advice; the region decides.
        let c = cg_ctx(&regions, &regio, &st, "2024-06-01");
        for e in [&beoordeling, &doorverwijzing, &advies] {
            assert!(may_record(&duiven, e, &c).allowed(), "{e:?}");
            assert!(
                !may_record(&arnhem, e, &c).allowed(),
                "another gemeente: {e:?}"
            );
            assert!(
                !may_record(&dordrecht, e, &c).allowed(),
                "another region: {e:?}"
            );
        }
        for e in [&toewijzing("bw-beschermd-wonen"), &afwijzing] {
            assert!(!may_record(&duiven, e, &c).allowed(), "gezamenlijk: {e:?}");
            assert!(may_record(&team, e, &c).allowed(), "{e:?}");
        }
        // 2025: hybride — the local loket decides too, for BW only.
        let c = cg_ctx(&regions, &regio, &st, "2025-06-01");
        for e in [&beoordeling, &toewijzing("bw-beschermd-wonen"), &afwijzing] {
            assert!(may_record(&duiven, e, &c).allowed(), "{e:?}");
            assert!(
                !may_record(&arnhem, e, &c).allowed(),
                "another gemeente: {e:?}"
            );
            assert!(may_record(&team, e, &c).allowed(), "achterwacht: {e:?}");
        }
        assert!(
            !may_record(&duiven, &toewijzing("mo-24uurs"), &c).allowed(),
            "MO stays central"
        );
        let woonplaats = ClientEvent::WoonplaatsBepaald {
            gemeente: GemeenteCode::parse("GM0226").unwrap(),
            berekend: GemeenteCode::parse("GM0226").unwrap(),
            afwijking: None,
            grond: None,
            regime: None,
            uitleg: None,
        };
        assert!(
            may_record(&duiven, &woonplaats, &c).allowed(),
            "with the decision"
        );
        let c2024 = cg_ctx(&regions, &regio, &st, "2024-06-01");
        assert!(
            !may_record(&duiven, &woonplaats, &c2024).allowed(),
            "the region decides"
        );
        let gast = cg_state(&[(
            "2024-01-03",
            ClientEvent::MoOvernachting {
                product: crate::ids::ProductCode::parse("mo-nachtopvang").unwrap(),
                locatie: crate::ids::LocationId::parse("opvang-arnhem-nacht").unwrap(),
                nachten: 2,
            },
        )]);
        let c = cg_ctx(&regions, &regio, &gast, "2025-06-01");
        assert!(
            !may_record(&duiven, &afwijzing, &c).allowed(),
            "an MO case stays central"
        );
        // Centraal (Drechtsteden): no local step at all, even for the own resident.
        let dd = RegionId::parse("drechtsteden").unwrap();
        let mut resident = cg_state(&[]);
        resident.regio = dd.clone();
        resident.herkomst = Some(GemeenteCode::parse("GM0505").unwrap());
        let c = cg_ctx(&regions, &dd, &resident, "2025-06-01");
        for e in [
            &beoordeling,
            &toewijzing("bw-instelling"),
            &afwijzing,
            &doorverwijzing,
            &advies,
        ] {
            assert!(!may_record(&dordrecht, e, &c).allowed(), "centraal: {e:?}");
        }
        // A new client (no state yet): the local steps wait for the aanmelding.
        let none = FactContext {
            client: None,
            ..cg_ctx(&regions, &regio, &st, "2025-06-01")
        };
        assert!(!may_record(&duiven, &beoordeling, &none).allowed());
    }
}
