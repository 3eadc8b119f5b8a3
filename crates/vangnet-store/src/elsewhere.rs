//! Across regions (issue 12, feat/zoeken), the engine-independent part: a person whose
//! record is under another region (or another organisation's residents) can be registered
//! anew once the case there is closed ([`vangnet_domain::frontdoor::intake_elsewhere`]).
//!
//! - [`AccessGate::check_elsewhere`] decides `Store::find_elsewhere`: who may register the
//!   given aanmelding ([`AccessGate::would_allow_new`]) learns that the BSN is known under
//!   another region, which one when the case there is closed, and — for an open case —
//!   whom to contact; nothing of the record itself. Logged per lookup (action
//!   [`ELSEWHERE_ACTION`]), refusals too.
//! - [`AccessGate::check_append`] is the client-level decision of every append: the policy
//!   ([`AccessGate::check`]), and, where it refuses, the one exception — a command that is
//!   exactly one aanmelding, through a gate for the BSN of the stream's person
//!   ([`AccessGate::for_intake`]: the front door knows the person, not only a number), by
//!   someone who may register it, into a stream whose case is closed. The new aanmelding goes into the person's one stream (no second dossier,
//!   nothing copied; the stream's region becomes the new one).

use vangnet_domain::access::{Action, ClientScope, decide};
use vangnet_domain::frontdoor::intake_elsewhere;
use vangnet_domain::state::ClientState;
use vangnet_domain::{ClientEvent, ClientId, RegionId, Regions};

use crate::gate::{AccessEntry, AccessGate, scope_of_new};
use crate::{AppendCommand, StoreError, StoreResult};

/// The access-log action of a lookup of a BSN known under another region.
pub const ELSEWHERE_ACTION: &str = "bsn_andere_regio";

/// A person's record under another region, as far as a registering clerk may know it.
#[derive(Debug, Clone, PartialEq)]
pub struct Elsewhere {
    /// The record (the new aanmelding goes into it).
    pub client: ClientId,
    /// Its version (expected by the append).
    pub version: u32,
    /// The region it is under.
    pub regio: RegionId,
    /// That region's name.
    pub regio_naam: String,
    /// The case there is open: the rule's refusal (`aanmelding.open_casus_andere_regio`,
    /// with the region's access organisation to contact); `None` when closed.
    pub lopend: Option<vangnet_domain::RuleError>,
}

impl AccessGate {
    /// Decide a lookup of the record `state` (found by BSN) for a new aanmelding `probe`
    /// (its first fact): refused unless this actor may register that aanmelding; an open
    /// case there is refused with the region to contact (the rule's error); otherwise the
    /// region is named. One row either way, about the client.
    pub fn check_elsewhere(
        &self,
        state: &ClientState,
        probe: &AppendCommand,
        regions: &Regions,
    ) -> (AccessEntry, StoreResult<Elsewhere>) {
        let Some((_, ClientEvent::Aanmelding { regio, .. })) = probe.events.first() else {
            let reason = "alleen voor een nieuwe aanmelding".to_owned();
            return (
                self.refused_about(state.client, reason.clone()),
                Err(StoreError::Denied(reason)),
            );
        };
        if !self.would_allow_new(probe, regions) {
            let reason = format!("mag in regio {regio} niet aanmelden");
            return (
                self.refused_about(state.client, reason.clone()),
                Err(StoreError::Denied(reason)),
            );
        }
        let lopend = intake_elsewhere(state, regio, regions).err();
        let mut entry = self.note(
            ELSEWHERE_ACTION,
            if lopend.is_some() {
                format!(
                    "lopende casus onder regio {}: niet over te nemen",
                    state.regio
                )
            } else {
                format!(
                    "afgesloten casus onder regio {}; nieuwe aanmelding in regio {regio}",
                    state.regio
                )
            },
        );
        entry.client = Some(state.client);
        let regio_naam = regions
            .get(&state.regio)
            .map_or_else(|| state.regio.to_string(), |p| p.name.clone());
        (
            entry,
            Ok(Elsewhere {
                client: state.client,
                version: state.version,
                regio: state.regio.clone(),
                regio_naam,
                lopend,
            }),
        )
    }

    fn refused_about(&self, client: ClientId, reason: String) -> AccessEntry {
        let mut e = self.note_refused(ELSEWHERE_ACTION, reason);
        e.client = Some(client);
        e
    }

    /// The client-level decision of an append ([`AccessGate::check`] on the stored scope,
    /// or on the aanmelding for a new client), with one exception where the policy refuses
    /// a write: a command of exactly one aanmelding, through a gate made
    /// [`AccessGate::for_intake`] of the BSN of the stream's person (`holder_bsn` reads it;
    /// so a client number alone — the API's event route — never opens a stream), by someone
    /// who may register that aanmelding ([`AccessGate::would_allow_new`]), into a stream
    /// whose case is closed ([`intake_elsewhere`]) — a new application for a person known
    /// under another region or gemeente. Returns the row to log and the verdict.
    pub fn check_append(
        &self,
        cmd: &AppendCommand,
        current: Option<&ClientState>,
        action: Action,
        scope: &ClientScope,
        regions: &Regions,
        holder_bsn: &mut dyn FnMut() -> StoreResult<Option<vangnet_domain::Bsn>>,
    ) -> StoreResult<(AccessEntry, StoreResult<()>)> {
        let (entry, verdict) = self.check(cmd.client, action, scope);
        let (Err(_), Some(state), Action::Write, Some(bsn)) =
            (&verdict, current, action, self.intake_bsn())
        else {
            return Ok((entry, verdict));
        };
        let [(_, ClientEvent::Aanmelding { regio, .. })] = cmd.events.as_slice() else {
            return Ok((entry, verdict));
        };
        let may_register = scope_of_new(cmd)
            .is_some_and(|s| decide(self.actor(), Action::Create, &s).allowed())
            && self.would_allow_new(cmd, regions);
        if !may_register
            || intake_elsewhere(state, regio, regions).is_err()
            || holder_bsn()? != Some(bsn)
        {
            return Ok((entry, verdict));
        }
        let mut allowed = self.note(
            Action::Write.key(),
            format!(
                "nieuwe aanmelding in regio {regio}; de casus onder regio {} is afgesloten",
                state.regio
            ),
        );
        allowed.client = Some(cmd.client);
        Ok((allowed, Ok(())))
    }
}
