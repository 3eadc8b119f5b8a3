//! Matching (issue 14): who is proposed for a free place. A pure function of the waiting
//! clients' states, the region profile, the place (location × product) and today.
//!
//! "A free place ranks waiting candidates (product fit, stated preference and own gemeente
//! first — 'zo dicht mogelijk bij huis', seed 000 —, priority, waiting time) and the needs the
//! beoordeling recorded where a location cannot serve them (e.g. lvb, somatiek, prikkelarm —
//! seed 004 §4.1)". The order, as [`rank`] applies it:
//!
//! 1. **Product fit.** Only clients on the waiting list for *this* product are candidates. A
//!    client waiting for a lighter or heavier product is **not listed at all** (decision): the
//!    waiting list entry follows the besluit, and a place of another product needs a new
//!    besluit first (op-/afschalen in the dossier), after which the client waits for — and is
//!    ranked for — the new product.
//! 2. **Priority** (crisis, urgent, regulier), as the waiting list has always ranked.
//! 3. **Stated preference** for the place's gemeente: 1st choice before 2nd before 3rd.
//! 4. **Own gemeente** (herkomst = the place's gemeente): "zo dicht mogelijk bij huis".
//! 5. **Waiting time**: the longest wait first; the client number breaks ties.
//!
//! Clients whose latest beoordeling recorded a need the location says it cannot serve
//! (`Location::niet_geschikt_voor`) are **not proposed**: they come after the ranked list,
//! marked "niet geschikt" with the need named, in the same order (no rank). Clients with an
//! open proposal for another place are marked (`voorstel`), still ranked: the access team
//! sees that a second proposal would hold two places. Without a location (`None`, or one the
//! profile does not know) the product's whole list by priority and wait (the waiting list).

use serde::Serialize;

use crate::date::Date;
use crate::events::Behoefte;
use crate::ids::{ClientId, GemeenteCode, LocationId, ProductCode};
use crate::region::RegionProfile;
use crate::state::ClientState;

/// A waiting client as a candidate for a free place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kandidaat {
    /// Client.
    pub client: ClientId,
    /// Rank among those proposed (1 = first); `None` for a client the location cannot serve.
    pub rank: Option<usize>,
    /// Priority on the waiting list (0 regulier, 1 urgent, 2 crisis).
    pub prioriteit: u8,
    /// On the waiting list since.
    pub sinds: Date,
    /// Days waiting on `today`.
    pub wachtdagen: i32,
    /// Position of the place's gemeente in the client's stated preference (0 = 1st choice).
    pub voorkeur: Option<usize>,
    /// The client's own gemeente (herkomst) is the place's gemeente.
    pub eigen_gemeente: bool,
    /// Needs the latest beoordeling recorded that this location cannot serve (non-empty:
    /// "niet geschikt", not proposed).
    pub niet_geschikt: Vec<Behoefte>,
    /// An open proposal of this client (location, reserved until), if any — elsewhere or here.
    pub voorstel: Option<(LocationId, Date)>,
}

impl Kandidaat {
    /// May be proposed for this place (no need the location cannot serve).
    pub fn geschikt(&self) -> bool {
        self.niet_geschikt.is_empty()
    }

    /// Has an open proposal for another location than `here`.
    pub fn voorstel_elders(&self, here: Option<&LocationId>) -> bool {
        self.voorstel
            .as_ref()
            .is_some_and(|(l, _)| here.is_none_or(|h| h != l))
    }

    /// Why here, in Dutch (the priority has its own label on every screen, so it is not
    /// repeated here).
    pub fn reden(&self) -> String {
        let mut out = String::new();
        if let Some(p) = self.voorkeur {
            out.push_str(&format!(
                "{}e voorkeur van de cliënt voor deze gemeente; ",
                p + 1
            ));
        }
        if self.eigen_gemeente {
            out.push_str("uit dezelfde gemeente als de plaats; ");
        }
        out.push_str(&format!(
            "wacht {} (sinds {})",
            crate::date::dagen(i64::from(self.wachtdagen)),
            self.sinds.nl()
        ));
        if !self.niet_geschikt.is_empty() {
            out.push_str(&format!(
                "; niet geschikt: de locatie biedt geen {}",
                self.niet_geschikt
                    .iter()
                    .map(|b| b.label().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out
    }
}

/// The sort key of a candidate: priority (high first), preference, own gemeente, waiting
/// since, client number — packed so the sort compares integers only.
type Key = (std::cmp::Reverse<u8>, usize, bool, Date, ClientId);

/// Rank the clients in `waiting` for a free place of `product` at `location` (see the module
/// doc for the order and what "niet geschikt" means). The result lists the ranked candidates
/// first (rank 1, 2, …), then those the location cannot serve (rank `None`). States that are
/// not waiting for `product` are skipped, so a caller may pass a region's whole list.
pub fn rank<'a>(
    waiting: impl IntoIterator<Item = &'a ClientState>,
    profile: &RegionProfile,
    product: &ProductCode,
    location: Option<&LocationId>,
    today: Date,
) -> Vec<Kandidaat> {
    let loc = location.and_then(|l| profile.location(l));
    let here: Option<GemeenteCode> = loc.map(|l| l.gemeente);
    let cannot: &[Behoefte] = loc.map_or(&[], |l| l.niet_geschikt_voor.as_slice());
    let mut keyed: Vec<(Key, &ClientState)> = waiting
        .into_iter()
        .filter_map(|s| {
            let w = s.wacht.as_ref().filter(|w| &w.product == product)?;
            let pref = here.and_then(|h| s.voorkeur.iter().position(|g| *g == h));
            let local = here.is_some() && s.herkomst == here;
            Some((
                (
                    std::cmp::Reverse(w.prioriteit),
                    pref.unwrap_or(usize::MAX),
                    !local,
                    w.sinds,
                    s.client,
                ),
                s,
            ))
        })
        .collect();
    // The client number makes every key unique, so an unstable sort is deterministic.
    keyed.sort_unstable_by_key(|(k, _)| *k);
    let mut ranked = Vec::with_capacity(keyed.len());
    let mut unsuitable = Vec::new();
    for ((std::cmp::Reverse(prioriteit), pref, not_local, sinds, client), s) in keyed {
        let niet_geschikt: Vec<Behoefte> = if cannot.is_empty() {
            Vec::new()
        } else {
            s.behoeften
                .iter()
                .copied()
                .filter(|b| cannot.contains(b))
                .collect()
        };
        let voorstel = s
            .voorstel
            .as_ref()
            .filter(|v| v.akkoord.is_some() || v.geldig_tot >= today)
            .map(|v| (v.locatie.clone(), v.geldig_tot));
        let k = Kandidaat {
            client,
            rank: None,
            prioriteit,
            sinds,
            wachtdagen: sinds.days_until(today),
            voorkeur: (pref != usize::MAX).then_some(pref),
            eigen_gemeente: !not_local,
            niet_geschikt,
            voorstel,
        };
        if k.geschikt() {
            ranked.push(k);
        } else {
            unsuitable.push(k);
        }
    }
    for (i, k) in ranked.iter_mut().enumerate() {
        k.rank = Some(i + 1);
    }
    ranked.extend(unsuitable);
    ranked
}

#[cfg(test)]
mod tests;
