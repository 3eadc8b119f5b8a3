//! Random but valid client streams for property-style tests (rebuild == incremental,
//! engine equivalence). Unlike the demo generator, which simulates a region's capacity,
//! this produces one client's path at a time and deliberately includes the awkward cases:
//! back-dated facts, corrections of start dates, voided events, doorstroom, extensions,
//! MO nights and Wlz transfers — and issue 14's facts: a local front door with advice asked
//! (and answered) or a referral, needs in the beoordeling, a proposal answered by the
//! provider, a temporary stay beside care, a provider's request answered in onderzoek and
//! then refused, an MO-traject after the nights. Those come from a second generator derived
//! from the client and the first date, so the facts drawn from `rng` are the same as before.
//! Issue 15's housing path comes from a third one ([`housing_path`]): a woonbehoefte
//! (uitstroomklaar, or expected soon), urgentie applied for and decided, an offer refused
//! or left to lapse and a new one accepted, the tenancy and the move, and `einde_zorg` with
//! the destination home.

use vangnet_domain::events::{
    Advies, Behoefte, Bestemming, Leveringsvorm, Melder, Urgentie, VerzoekUitkomst, Voordeur,
    Wijziging, Woningtype, WoonRoute, Woonbehoefte, Woonbestemming, Woonsituatie, ZRM_DOMAINS,
};
use vangnet_domain::gemeenten::Gemeenten;
use vangnet_domain::region::{Domain, RegionProfile, Unit};
use vangnet_domain::rng::Rng;
use vangnet_domain::{ClientEvent, ClientId, Date, Regions};

/// One client's stream in recording order: (effective date, fact). Valid by construction.
pub fn random_stream(
    rng: &mut Rng,
    regions: &Regions,
    client: ClientId,
) -> Vec<(Date, ClientEvent)> {
    let profile = rng.pick(regions.all());
    let mut out: Vec<(Date, ClientEvent)> = Vec::new();
    let t0 = Date::from_ymd(2019, 1, 1)
        .expect("date")
        .add_days(rng.below(6 * 365) as i32);
    let herkomst = if rng.chance(0.05) {
        None
    } else {
        // Only gemeenten that belong to the region on that day (membership has dates).
        let members: Vec<_> = profile.members_on(t0).collect();
        Some(rng.pick(&members).code)
    };
    // Issue 14's facts: drawn from their own generator (see the module doc).
    let mut net = Rng::derive(client.0 ^ ((t0.days_since_epoch() as u64) << 40), 14);
    // Issue 15's housing facts: a third generator (see the module doc).
    let mut wonen = Rng::derive(client.0 ^ ((t0.days_since_epoch() as u64) << 40), 15);
    let local_door = herkomst.filter(|_| {
        vangnet_domain::frontdoor::has_local_front_doors(profile.toegang_op(t0).model)
            && net.chance(0.5)
    });
    out.push((
        t0,
        ClientEvent::Aanmelding {
            regio: profile.id.clone(),
            melder: *rng.pick(&[
                Melder::Zelf,
                Melder::Wijkteam,
                Melder::Huisarts,
                Melder::Zorgaanbieder,
                Melder::Politie,
            ]),
            herkomst_gemeente: herkomst,
            woonsituatie: *rng.pick(&[
                Woonsituatie::Dakloos,
                Woonsituatie::Thuis,
                Woonsituatie::Kliniek,
            ]),
            urgentie: if rng.chance(0.1) {
                Urgentie::Urgent
            } else {
                Urgentie::Regulier
            },
            voordeur: local_door.map(|gemeente| Voordeur::Lokaal { gemeente }),
        },
    ));
    if local_door.is_some() {
        if net.chance(0.4) {
            out.push((
                t0.add_days(1),
                ClientEvent::AdviesGevraagd {
                    vraag: "past beschermd wonen?".into(),
                },
            ));
            let asked = out.len() as u32;
            if net.chance(0.8) {
                out.push((
                    t0.add_days(net.range(1, 6) as i32),
                    ClientEvent::AdviesGegeven {
                        vraag: asked,
                        advies: "ja, intramuraal".into(),
                    },
                ));
            }
        }
        if net.chance(0.25) {
            out.push((
                t0.add_days(2),
                ClientEvent::Doorverwijzing {
                    reden: "complexe situatie".into(),
                },
            ));
        }
    }
    // MO nights, if the region has a night shelter.
    let night = profile
        .products
        .iter()
        .find(|p| p.domain == Domain::Mo && p.unit == Unit::Nacht && p.valid_on(t0));
    if let Some(p) = night
        && rng.chance(0.25)
        && let Some(loc) = profile
            .locations
            .iter()
            .find(|l| l.places.contains_key(&p.code))
    {
        let mut t = t0;
        for _ in 0..rng.range(1, 4) {
            let n = rng.range(1, 20) as u16;
            out.push((
                t,
                ClientEvent::MoOvernachting {
                    product: p.code.clone(),
                    locatie: loc.id.clone(),
                    nachten: n,
                },
            ));
            t = t.add_days(i32::from(n) + rng.range(0, 30) as i32);
        }
        let nights: u32 = out
            .iter()
            .map(|(_, e)| match e {
                ClientEvent::MoOvernachting { nachten, .. } => u32::from(*nachten),
                _ => 0,
            })
            .sum();
        if nights > 3 && net.chance(0.7) {
            out.push((
                t0.add_days(net.range(3, 10) as i32),
                ClientEvent::MoTraject {
                    toelichting: "individueel begeleidingstraject".into(),
                },
            ));
        }
    }
    // Needs no location of the region refuses, so a proposal below always fits.
    let behoeften: Vec<Behoefte> = Behoefte::ALL
        .into_iter()
        .filter(|b| {
            !profile
                .locations
                .iter()
                .any(|l| l.niet_geschikt_voor.contains(b))
        })
        .filter(|_| net.chance(0.15))
        .collect();
    let beoordeling = ClientEvent::Beoordeling {
        criteria: vec![],
        zrm: std::array::from_fn::<_, ZRM_DOMAINS, _>(|_| Some(rng.range(1, 5) as u8)),
        doelgroep: None,
        advies: Advies::Toewijzen,
        behoeften,
    };
    let t1 = t0.add_days(rng.range(5, 40) as i32);
    let late_assessment = rng.chance(0.3);
    if !late_assessment {
        out.push((t1, beoordeling.clone()));
    }
    // Candidate products: places with at least one location.
    let products: Vec<_> = profile
        .products
        .iter()
        .filter(|p| {
            p.unit == Unit::Plaats
                && p.domain == Domain::Bw
                && p.valid_on(t1)
                && profile
                    .locations
                    .iter()
                    .any(|l| l.places.contains_key(&p.code))
        })
        .collect();
    if products.is_empty() || rng.chance(0.12) {
        out.push((
            t1.add_days(3),
            ClientEvent::Afwijzing {
                reden: "niet voldaan aan criteria".into(),
                casusregie: "wijkteam herkomstgemeente".into(),
            },
        ));
        if rng.chance(0.3) {
            out.push((
                t1.add_days(20),
                ClientEvent::Bezwaar {
                    reden: "cliënt is het oneens".into(),
                },
            ));
        }
        if late_assessment {
            out.push((t1, beoordeling));
        }
        return out;
    }
    let p = *rng.pick(&products);
    let t2 = t1.add_days(rng.range(1, 30) as i32);
    let einde = p.default_end(t2);
    let locs: Vec<_> = profile
        .locations
        .iter()
        .filter(|l| l.places.contains_key(&p.code))
        .collect();
    let loc = *rng.pick(&locs);
    let aanbieder = if rng.chance(0.5) {
        Some(loc.provider)
    } else {
        None
    };
    out.push((
        t2,
        ClientEvent::Toewijzing {
            product: p.code.clone(),
            start: t2,
            einde,
            leveringsvorm: if rng.chance(0.06) {
                Leveringsvorm::Pgb
            } else {
                Leveringsvorm::Zin
            },
            aanbieder,
        },
    ));
    if late_assessment {
        out.push((t1, beoordeling)); // arrives after the decision, dated before it
    }
    let waits = rng.chance(0.7);
    if waits {
        out.push((
            t2,
            ClientEvent::WachtlijstIn {
                product: p.code.clone(),
                prioriteit: rng.below(2) as u8,
            },
        ));
        if net.chance(0.4) {
            // Proposed for a place at the allocated location, answered the same day.
            out.push((
                t2,
                ClientEvent::Voorstel {
                    locatie: loc.id.clone(),
                    product: p.code.clone(),
                    geldig_tot: t2.add_days(14),
                },
            ));
            let voorstel = out.len() as u32;
            let akkoord = net.chance(0.7);
            out.push((
                t2,
                ClientEvent::VoorstelAntwoord {
                    voorstel,
                    akkoord,
                    reden: if akkoord {
                        String::new()
                    } else {
                        "past niet in de groep".into()
                    },
                },
            ));
        }
        if rng.chance(0.2) {
            return out; // still waiting
        }
    }
    let span = t2.days_until(einde).max(1);
    let t3 = t2.add_days(rng.below(span.min(200) as u64) as i32);
    out.push((
        t3,
        ClientEvent::StartZorg {
            product: p.code.clone(),
            locatie: loc.id.clone(),
            overbezetting: None,
        },
    ));
    let start_version = out.len() as u32;
    if rng.chance(0.25) {
        // The provider corrects the start date by a few days (never before the allocation).
        let moved = t3.add_days(rng.range(-5, 10) as i32).max(t2).min(einde);
        out.push((
            moved,
            ClientEvent::Correctie {
                corrigeert: start_version,
                vervanging: Box::new(ClientEvent::StartZorg {
                    product: p.code.clone(),
                    locatie: loc.id.clone(),
                    overbezetting: None,
                }),
                reden: "startdatum gecorrigeerd".into(),
            },
        ));
    }
    // Beside the care (after any corrected start, which moves it at most 10 days): a
    // temporary stay and a provider's request for an extension, answered twice.
    if let Some((q, l)) = profile
        .products
        .iter()
        .filter(|q| q.valid_on(t3.add_days(12)))
        .find_map(|q| {
            let max = q.max_nachten?;
            profile
                .locations
                .iter()
                .find(|l| l.places.contains_key(&q.code))
                .map(|l| ((q, max), l))
        })
        && net.chance(0.2)
    {
        out.push((
            t3.add_days(12),
            ClientEvent::TijdelijkVerblijf {
                product: q.0.code.clone(),
                locatie: l.id.clone(),
                nachten: net.range(1, i64::from(q.1.min(14))) as u16,
            },
        ));
    }
    if p.max_months.is_none() && net.chance(0.2) {
        out.push((
            t3.add_days(13),
            ClientEvent::VerzoekWijziging {
                aanbieder: loc.provider,
                wijziging: Wijziging::Verlenging {
                    nieuw_einde: einde.add_months(6),
                },
                reden: "herstel vraagt meer tijd".into(),
            },
        ));
        let verzoek = out.len() as u32;
        out.push((
            t3.add_days(15),
            ClientEvent::VerzoekAntwoord {
                verzoek,
                uitkomst: VerzoekUitkomst::InOnderzoek,
                toelichting: String::new(),
            },
        ));
        if net.chance(0.6) {
            out.push((
                t3.add_days(20),
                ClientEvent::VerzoekAntwoord {
                    verzoek,
                    uitkomst: VerzoekUitkomst::Afgewezen,
                    toelichting: "nog niet nodig".into(),
                },
            ));
        }
    }
    let mut now = t3.add_days(30);
    if rng.chance(0.3) {
        // Doorstroom to another product at a location of the same provider or any other.
        let others: Vec<_> = profile
            .products
            .iter()
            .filter(|q| {
                q.code != p.code
                    && q.unit == Unit::Plaats
                    && q.domain == Domain::Bw
                    && q.valid_on(now)
            })
            .filter_map(|q| {
                profile
                    .locations
                    .iter()
                    .find(|l| l.places.contains_key(&q.code))
                    .map(|l| (q, l))
            })
            .collect();
        if !others.is_empty() {
            let (q, l) = *rng.pick(&others);
            out.push((
                now,
                ClientEvent::Wijziging(Wijziging::Doorstroom {
                    product: q.code.clone(),
                    locatie: l.id.clone(),
                }),
            ));
            now = now.add_days(rng.range(10, 200) as i32);
        }
    } else if rng.chance(0.3) && p.max_months.is_none() {
        out.push((
            now,
            ClientEvent::Wijziging(Wijziging::Verlenging {
                nieuw_einde: einde.add_months(12),
            }),
        ));
        now = now.add_days(rng.range(10, 200) as i32);
    }
    if rng.chance(0.1) {
        // Void the waiting-list placement (registered by mistake).
        if let Some(pos) = out
            .iter()
            .position(|(_, e)| matches!(e, ClientEvent::WachtlijstIn { .. }))
        {
            out.push((
                now,
                ClientEvent::Intrekking {
                    trekt_in: pos as u32 + 1,
                    reden: "ten onrechte geregistreerd".into(),
                },
            ));
        }
    }
    match rng.below(10) {
        0 => out.push((
            now.add_days(rng.range(0, 400) as i32),
            ClientEvent::WlzOvergang,
        )),
        1..=5 => {
            let dest = *rng.pick(&[
                Bestemming::EigenWoningSociaal,
                Bestemming::HousingFirst,
                Bestemming::Kliniek,
                Bestemming::Onbekend,
                Bestemming::AndereRegio,
            ]);
            let end = now.add_days(rng.range(0, 600) as i32);
            let home = housing_path(&mut out, &mut wonen, profile, now, Some(end));
            let woning = if dest.is_housing() {
                home.filter(|h| Gemeenten::national().valid_on(h.gemeente, end).is_ok())
                    .or_else(|| any_home(&mut wonen, profile, end))
            } else {
                None
            };
            out.push((
                end,
                ClientEvent::EindeZorg {
                    bestemming: dest,
                    woning,
                },
            ));
        }
        _ => {
            // Still in care.
            housing_path(&mut out, &mut wonen, profile, now, None);
        }
    }
    out
}

/// A destination home in one of the region's gemeenten (a gemeente on `on`), or none.
fn any_home(w: &mut Rng, profile: &RegionProfile, on: Date) -> Option<Woonbestemming> {
    let reg = Gemeenten::national();
    let members: Vec<_> = profile
        .gemeenten
        .iter()
        .filter(|g| reg.valid_on(g.code, on).is_ok())
        .collect();
    if members.is_empty() || w.chance(0.2) {
        return None;
    }
    Some(Woonbestemming {
        gemeente: w.pick(&members).code,
        woningtype: *w.pick(&Woningtype::ALL),
    })
}

/// Issue 15: the housing path of someone in care from `from`, every fact dated after it and
/// (with `until`, the end of care) not after `until`: for half of them a woonbehoefte in a
/// corporation's werkgebied (uitstroomklaar, or expected within a month), an urgentie
/// application and usually its decision, an offer that is accepted, refused (then a new
/// one) or left to lapse (then a new one), the tenancy and the move. The home moved into,
/// if the path got that far.
fn housing_path(
    out: &mut Vec<(Date, ClientEvent)>,
    w: &mut Rng,
    profile: &RegionProfile,
    from: Date,
    until: Option<Date>,
) -> Option<Woonbestemming> {
    if profile.corporaties.is_empty() || !w.chance(0.5) {
        return None;
    }
    let reg = Gemeenten::national();
    let t = from.add_days(w.range(0, 20) as i32);
    let fits = |on: Date| until.is_none_or(|u| on <= u);
    // A corporation with a gemeente of its werkgebied that is a gemeente on `t` (and for
    // the rest of the path: two months on).
    let options: Vec<(&str, vangnet_domain::GemeenteCode)> = profile
        .corporaties
        .iter()
        .flat_map(|c| c.gemeenten.iter().map(move |g| (c.id.as_str(), *g)))
        .filter(|(_, g)| reg.valid_on(*g, t).is_ok() && reg.valid_on(*g, t.add_days(90)).is_ok())
        .collect();
    if options.is_empty() || !fits(t.add_days(1)) {
        return None;
    }
    let (corporatie, gemeente) = *w.pick(&options);
    let woningtype = *w.pick(&Woningtype::ALL);
    let route = *w.pick(&WoonRoute::ALL);
    let expected = w.chance(0.3);
    out.push((
        t,
        ClientEvent::Woonbehoefte(Woonbehoefte {
            woningtype,
            prikkelarm: w.chance(0.3),
            gemeenten: vec![gemeente],
            ambulante_begeleiding: w.chance(0.7),
            route,
            // Expected within a month: a candidate already (three months before).
            verwacht_klaar: expected.then(|| t.add_days(30)),
        }),
    ));
    if !expected {
        out.push((t.add_days(1), ClientEvent::Uitstroomklaar));
    }
    // Each step only while it fits before the end of care.
    let mut step = |on: Date, e: ClientEvent| -> Option<u32> {
        fits(on).then(|| {
            out.push((on, e));
            out.len() as u32
        })
    };
    if w.chance(0.5) {
        let aanvraag = step(t.add_days(2), ClientEvent::UrgentieAanvraag { gemeente })?;
        if w.chance(0.8) {
            let toegekend = w.chance(0.7);
            step(
                t.add_days(20),
                ClientEvent::UrgentieBesluit {
                    aanvraag,
                    toegekend,
                    toelichting: if toegekend {
                        String::new()
                    } else {
                        "geen urgentiegrond".into()
                    },
                },
            )?;
        }
    }
    let offer = |on: Date| ClientEvent::Woningaanbod {
        corporatie: corporatie.to_owned(),
        gemeente,
        woningtype,
        route,
        reageren_voor: on.add_days(14),
    };
    let answer = |aanbod: u32, akkoord: bool| ClientEvent::AanbodAntwoord {
        aanbod,
        akkoord,
        reden: if akkoord {
            String::new()
        } else {
            "te ver van het netwerk".into()
        },
    };
    let first = step(t.add_days(25), offer(t.add_days(25)))?;
    let (aanbod, accepted) = match w.below(3) {
        0 => {
            // Refused, then a new offer.
            step(t.add_days(30), answer(first, false))?;
            let second = step(t.add_days(35), offer(t.add_days(35)))?;
            (second, t.add_days(40))
        }
        1 => {
            // Lapsed unanswered (term to t+39), then a new offer.
            let second = step(t.add_days(45), offer(t.add_days(45)))?;
            (second, t.add_days(50))
        }
        _ => (first, t.add_days(30)),
    };
    step(accepted, answer(aanbod, true))?;
    step(
        accepted.add_days(5),
        ClientEvent::Huurovereenkomst {
            aanbod,
            ingangsdatum: accepted.add_days(10),
        },
    )?;
    step(accepted.add_days(12), ClientEvent::Verhuizing { aanbod })?;
    Some(Woonbestemming {
        gemeente,
        woningtype,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::state::{StreamEntry, fold_stream};

    /// Every random stream folds (valid by construction), and issue 14's facts occur.
    #[test]
    fn random_streams_fold_and_include_the_network_facts() {
        let regions = Regions::builtin();
        let mut rng = Rng::new(14);
        let mut kinds = std::collections::BTreeSet::new();
        for c in 0..1500u64 {
            let stream = random_stream(&mut rng, &regions, ClientId(c));
            let entries: Vec<StreamEntry<'_>> = stream
                .iter()
                .enumerate()
                .map(|(i, (d, e))| StreamEntry {
                    version: i as u32 + 1,
                    effective: *d,
                    event: e,
                })
                .collect();
            if let Err(e) = fold_stream(ClientId(c), &entries, &regions) {
                panic!("client {c}: {e}\n{stream:#?}");
            }
            kinds.extend(stream.iter().map(|(_, e)| e.kind()));
        }
        for k in [
            "advies_gevraagd",
            "advies_gegeven",
            "doorverwijzing",
            "voorstel",
            "voorstel_antwoord",
            "tijdelijk_verblijf",
            "verzoek_wijziging",
            "verzoek_antwoord",
            "mo_traject",
            "woonbehoefte",
            "uitstroomklaar",
            "urgentie_aanvraag",
            "urgentie_besluit",
            "woningaanbod",
            "aanbod_antwoord",
            "huurovereenkomst",
            "verhuizing",
        ] {
            assert!(kinds.contains(k), "no {k} in the random streams: {kinds:?}");
        }
    }
}
