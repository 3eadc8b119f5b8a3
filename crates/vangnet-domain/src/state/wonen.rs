//! Issue 15: the housing facts folded into [`ClientState`] — the housing need, urgentie, the
//! corporation's offer, the tenancy and the move — and who is a housing candidate.

use serde::{Deserialize, Serialize};

use super::{ClientState, RuleError, check_gemeente_on, rule};
use crate::date::Date;
use crate::events::{ClientEvent, Woningtype, WoonRoute, Woonbehoefte};
use crate::ids::GemeenteCode;
use crate::region::RegionProfile;

/// A person is a housing candidate from this many months before the date they are expected
/// to be uitstroomklaar (`woonbehoefte.verwacht_klaar`). Aanname (issue 15 says "within N
/// months"; no seed names N): three months is about the time a corporation needs from
/// nomination to keys.
pub const WOON_KANDIDAAT_MAANDEN: i32 = 3;

/// The urgentie application and its decision (issue 15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WoonUrgentie {
    /// Stream version of the application (what a decision names).
    pub versie: u32,
    /// Date applied.
    pub aangevraagd: Date,
    /// Gemeente applied to.
    pub gemeente: GemeenteCode,
    /// The decision: its date and whether urgentie was granted (`None`: not decided yet).
    pub besluit: Option<(Date, bool)>,
}

/// The current offer of a home (issue 15): open, accepted, signed or moved into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WoonAanbod {
    /// Stream version of the offer (what an answer, tenancy and move name).
    pub versie: u32,
    /// Date of the offer.
    pub datum: Date,
    /// The offering corporation's id.
    pub corporatie: String,
    /// Gemeente of the home.
    pub gemeente: GemeenteCode,
    /// Kind of home.
    pub woningtype: Woningtype,
    /// Route of the offer.
    pub route: WoonRoute,
    /// Last day to answer.
    pub reageren_voor: Date,
    /// Accepted on.
    pub geaccepteerd: Option<Date>,
    /// Tenancy signed on, and the lease's first day.
    pub huur: Option<(Date, Date)>,
    /// Moved in on.
    pub verhuisd: Option<Date>,
}

/// The latest refused offer (shows on the worklist).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AanbodWeigering {
    /// Date of the refusal.
    pub datum: Date,
    /// The corporation whose offer was refused.
    pub corporatie: String,
    /// The reason given.
    pub reden: String,
}

impl ClientState {
    /// Is this person a housing candidate on `today`: in care and not yet moved into a home,
    /// and uitstroomklaar, or expected to be within [`WOON_KANDIDAAT_MAANDEN`] months, or
    /// holding an offer that is still running (open, accepted or signed).
    pub fn woon_kandidaat(&self, today: Date) -> bool {
        if self.gehuisvest.is_some() || self.zorg.is_none() {
            return false;
        }
        self.uitstroomklaar.is_some()
            || self.aanbod.is_some()
            || self.woonbehoefte.as_ref().is_some_and(|w| {
                w.verwacht_klaar
                    .is_some_and(|d| d.add_months(-WOON_KANDIDAAT_MAANDEN) <= today)
            })
    }

    /// Whether the person may become a housing candidate at all (the access scope, which has
    /// no "today"): in care, not yet housed, and uitstroomklaar, with a housing need recorded,
    /// or holding an offer.
    pub fn woon_kandidaat_ooit(&self) -> bool {
        self.gehuisvest.is_none()
            && self.zorg.is_some()
            && (self.uitstroomklaar.is_some()
                || self.woonbehoefte.is_some()
                || self.aanbod.is_some())
    }

    /// Fold one housing fact (issue 15); every refusal a stable code, the field, Dutch.
    pub(super) fn wonen(
        &mut self,
        version: u32,
        on: Date,
        event: &ClientEvent,
        profile: &RegionProfile,
    ) -> Result<(), RuleError> {
        match event {
            ClientEvent::Woonbehoefte(w) => self.woonbehoefte(on, w),
            ClientEvent::UrgentieAanvraag { gemeente } => {
                check_gemeente_on(*gemeente, on)?;
                if let Some(u) = &self.woonurgentie
                    && u.besluit.is_none()
                {
                    return Err(rule(
                        "urgentie.open",
                        "type",
                        format!(
                            "er loopt al een urgentieaanvraag (sinds {}) zonder besluit",
                            u.aangevraagd.nl()
                        ),
                    ));
                }
                self.woonurgentie = Some(WoonUrgentie {
                    versie: version,
                    aangevraagd: on,
                    gemeente: *gemeente,
                    besluit: None,
                });
                Ok(())
            }
            ClientEvent::UrgentieBesluit {
                aanvraag,
                toegekend,
                toelichting,
            } => {
                let u = self
                    .woonurgentie
                    .as_mut()
                    .filter(|u| u.versie == *aanvraag && u.besluit.is_none())
                    .ok_or_else(|| {
                        rule(
                            "urgentie.onbekend",
                            "aanvraag",
                            format!("versie {aanvraag} is geen openstaande urgentieaanvraag"),
                        )
                    })?;
                if on < u.aangevraagd {
                    return Err(rule(
                        "urgentie.voor_aanvraag",
                        "effective_date",
                        format!(
                            "het besluit ({}) ligt vóór de aanvraag ({})",
                            on.nl(),
                            u.aangevraagd.nl()
                        ),
                    ));
                }
                if !*toegekend && toelichting.trim().is_empty() {
                    return Err(rule(
                        "urgentie.reden_ontbreekt",
                        "toelichting",
                        "een afwijzing van urgentie heeft een reden nodig",
                    ));
                }
                u.besluit = Some((on, *toegekend));
                Ok(())
            }
            ClientEvent::Woningaanbod {
                corporatie,
                gemeente,
                woningtype,
                route,
                reageren_voor,
            } => {
                if self.gehuisvest.is_some() {
                    return Err(rule(
                        "woningaanbod.al_gehuisvest",
                        "type",
                        "deze cliënt woont al in een eigen woning",
                    ));
                }
                if !self.woon_kandidaat(on) {
                    return Err(rule(
                        "woningaanbod.geen_kandidaat",
                        "type",
                        "alleen wie in zorg is en uitstroomklaar is (of binnenkort wordt) kan een woning aangeboden krijgen",
                    ));
                }
                // A running offer blocks a new one, unless it lapsed: unanswered past its
                // `reageren_voor` (the worklist's "reactietermijn verlopen"; a new offer
                // replaces it).
                if let Some(a) = &self.aanbod
                    && (a.geaccepteerd.is_some() || on <= a.reageren_voor)
                {
                    return Err(rule(
                        "woningaanbod.loopt_al",
                        "type",
                        format!(
                            "er loopt al een woningaanbod van {} (versie {}, {})",
                            a.corporatie,
                            a.versie,
                            a.datum.nl()
                        ),
                    ));
                }
                let c = profile.corporatie(corporatie).ok_or_else(|| {
                    rule(
                        "woningaanbod.corporatie_onbekend",
                        "corporatie",
                        format!(
                            "'{corporatie}' is geen woningcorporatie van regio {}",
                            profile.id
                        ),
                    )
                })?;
                check_gemeente_on(*gemeente, on)?;
                if !c.gemeenten.contains(gemeente) {
                    return Err(rule(
                        "woningaanbod.buiten_werkgebied",
                        "gemeente",
                        format!("{gemeente} hoort niet bij het werkgebied van {}", c.naam),
                    ));
                }
                if *reageren_voor < on {
                    return Err(rule(
                        "woningaanbod.termijn",
                        "reageren_voor",
                        format!(
                            "de reactietermijn ({}) ligt vóór de datum van het aanbod ({})",
                            reageren_voor.nl(),
                            on.nl()
                        ),
                    ));
                }
                self.aanbod = Some(WoonAanbod {
                    versie: version,
                    datum: on,
                    corporatie: corporatie.clone(),
                    gemeente: *gemeente,
                    woningtype: *woningtype,
                    route: *route,
                    reageren_voor: *reageren_voor,
                    geaccepteerd: None,
                    huur: None,
                    verhuisd: None,
                });
                Ok(())
            }
            ClientEvent::AanbodAntwoord {
                aanbod,
                akkoord,
                reden,
            } => {
                let a = self.aanbod_met(*aanbod)?;
                if a.geaccepteerd.is_some() {
                    return Err(rule(
                        "aanbod.al_beantwoord",
                        "aanbod",
                        format!("het aanbod (versie {aanbod}) is al geaccepteerd"),
                    ));
                }
                if on < a.datum {
                    return Err(rule(
                        "aanbod.voor_aanbod",
                        "effective_date",
                        format!(
                            "het antwoord ({}) ligt vóór het aanbod ({})",
                            on.nl(),
                            a.datum.nl()
                        ),
                    ));
                }
                if on > a.reageren_voor {
                    return Err(rule(
                        "aanbod.verlopen",
                        "aanbod",
                        format!(
                            "de reactietermijn liep tot en met {}; het antwoord op {} is te laat",
                            a.reageren_voor.nl(),
                            on.nl()
                        ),
                    ));
                }
                if *akkoord {
                    a.geaccepteerd = Some(on);
                } else if reden.trim().is_empty() {
                    return Err(rule(
                        "aanbod.reden_ontbreekt",
                        "reden",
                        "een weigering van een woningaanbod heeft een reden nodig",
                    ));
                } else {
                    let corporatie = a.corporatie.clone();
                    self.aanbod = None;
                    self.aanbod_geweigerd = Some(AanbodWeigering {
                        datum: on,
                        corporatie,
                        reden: reden.clone(),
                    });
                }
                Ok(())
            }
            ClientEvent::Huurovereenkomst {
                aanbod,
                ingangsdatum,
            } => {
                let a = self.aanbod_met(*aanbod)?;
                let Some(geaccepteerd) = a.geaccepteerd else {
                    return Err(rule(
                        "huur.niet_geaccepteerd",
                        "aanbod",
                        "een huurovereenkomst volgt op een geaccepteerd aanbod",
                    ));
                };
                if a.huur.is_some() {
                    return Err(rule(
                        "huur.al_getekend",
                        "aanbod",
                        format!(
                            "voor het aanbod (versie {aanbod}) is al een huurovereenkomst getekend"
                        ),
                    ));
                }
                if on < geaccepteerd {
                    return Err(rule(
                        "huur.voor_aanbod",
                        "effective_date",
                        format!(
                            "de huurovereenkomst ({}) ligt vóór de acceptatie van het aanbod ({})",
                            on.nl(),
                            geaccepteerd.nl()
                        ),
                    ));
                }
                if *ingangsdatum < a.datum {
                    return Err(rule(
                        "huur.ingang_voor_aanbod",
                        "ingangsdatum",
                        format!(
                            "de ingangsdatum ({}) ligt vóór het aanbod ({})",
                            ingangsdatum.nl(),
                            a.datum.nl()
                        ),
                    ));
                }
                a.huur = Some((on, *ingangsdatum));
                Ok(())
            }
            ClientEvent::Verhuizing { aanbod } => {
                let a = self.aanbod_met(*aanbod)?;
                let Some((getekend, _)) = a.huur else {
                    return Err(rule(
                        "verhuizing.geen_huur",
                        "aanbod",
                        "een verhuizing volgt op een getekende huurovereenkomst",
                    ));
                };
                if a.verhuisd.is_some() {
                    return Err(rule(
                        "verhuizing.al_verhuisd",
                        "aanbod",
                        "de verhuizing is al vastgelegd",
                    ));
                }
                if on < getekend {
                    return Err(rule(
                        "verhuizing.voor_huur",
                        "effective_date",
                        format!(
                            "de verhuizing ({}) ligt vóór het tekenen van de huurovereenkomst ({})",
                            on.nl(),
                            getekend.nl()
                        ),
                    ));
                }
                a.verhuisd = Some(on);
                self.gehuisvest = Some(on);
                Ok(())
            }
            _ => unreachable!("wonen() is only called for housing facts"),
        }
    }

    fn woonbehoefte(&mut self, on: Date, w: &Woonbehoefte) -> Result<(), RuleError> {
        if self.zorg.is_none() {
            return Err(rule(
                "woonbehoefte.niet_in_zorg",
                "type",
                "een woonbehoefte wordt vastgelegd voor wie in zorg is",
            ));
        }
        if w.gemeenten.is_empty() || w.gemeenten.len() > 10 {
            return Err(rule(
                "woonbehoefte.gemeenten",
                "gemeenten",
                "noem 1 tot 10 gemeenten van voorkeur",
            ));
        }
        for g in &w.gemeenten {
            check_gemeente_on(*g, on)
                .map_err(|e| RuleError::new(e.code, "gemeenten", e.message))?;
        }
        if let Some(d) = w.verwacht_klaar
            && d > on.add_months(60)
        {
            return Err(rule(
                "woonbehoefte.verwacht_klaar",
                "verwacht_klaar",
                format!("{}: meer dan vijf jaar vooruit", d.nl()),
            ));
        }
        self.woonbehoefte = Some(w.clone());
        Ok(())
    }

    /// The running offer named by `versie`, mutable; the rule error when there is none
    /// (`aanbod.onbekend`; the fold makes it a date error when the offer comes later, see
    /// [`before_its_offer`]).
    fn aanbod_met(&mut self, versie: u32) -> Result<&mut WoonAanbod, RuleError> {
        self.aanbod
            .as_mut()
            .filter(|a| a.versie == versie)
            .ok_or_else(|| {
                rule(
                    "aanbod.onbekend",
                    "aanbod",
                    format!("versie {versie} is geen lopend woningaanbod van deze cliënt"),
                )
            })
    }
}

/// A housing fact that names an offer (answer, tenancy, move) dated before that offer: in a
/// fold the facts are applied in effective order, so the offer is not there yet and the rule
/// says `aanbod.onbekend` — no offer at all. When the offer named is among the `later` facts
/// in force (those after `on` in effective order), the error is the date instead, at
/// `effective_date`: an answer `aanbod.voor_aanbod`, a tenancy `huur.voor_aanbod`, a move
/// `verhuizing.voor_huur` (before the offer is before any tenancy of it). Any other error is
/// returned as it is.
pub(super) fn before_its_offer(
    err: RuleError,
    on: Date,
    event: &ClientEvent,
    later: &[(Date, u32, &ClientEvent)],
) -> RuleError {
    if err.code != "aanbod.onbekend" {
        return err;
    }
    let (versie, code, wat) = match event {
        ClientEvent::AanbodAntwoord { aanbod, .. } => {
            (*aanbod, "aanbod.voor_aanbod", "het antwoord")
        }
        ClientEvent::Huurovereenkomst { aanbod, .. } => {
            (*aanbod, "huur.voor_aanbod", "de huurovereenkomst")
        }
        ClientEvent::Verhuizing { aanbod } => (*aanbod, "verhuizing.voor_huur", "de verhuizing"),
        _ => return err,
    };
    match later
        .iter()
        .find(|(_, v, e)| *v == versie && matches!(e, ClientEvent::Woningaanbod { .. }))
    {
        Some((datum, _, _)) if *datum > on => rule(
            code,
            "effective_date",
            format!(
                "{wat} ({}) ligt vóór het aanbod ({}) waar het bij hoort",
                on.nl(),
                datum.nl()
            ),
        ),
        _ => err,
    }
}

#[cfg(test)]
mod tests;
