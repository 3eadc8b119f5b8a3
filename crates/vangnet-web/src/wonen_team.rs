//! Issue 15, the access team's side of the outflow to housing: the "Wonen" block of the
//! dossier (`/clienten/{id}#wonen`) — the housing need (woonbehoefte), the urgentie
//! application and its decision, the offers of a home with the client's answers, the tenancy
//! and the move — and the destination home in the "Einde zorg" form.
//!
//! The forms post to `/clienten/{id}/gebeurtenis` like the dossier's other forms
//! ([`crate::voordeur_pages`]); [`event_of`] builds the fact, the store's rules
//! (`vangnet_domain::state` `wonen.rs`) refuse with a code and a field, shown at that field
//! ([`at_form_field`]), nothing written.

use maud::{Markup, html};
use vangnet_domain::events::{Bestemming, Woningtype, WoonRoute, Woonbehoefte, Woonbestemming};
use vangnet_domain::gemeenten::Gemeenten;
use vangnet_domain::state::{ClientState, StreamEntry, facts_in_force};
use vangnet_domain::{ClientEvent, Date, GemeenteCode, RegionProfile};
use vangnet_store::ClientRecord;

use crate::voordeur_pages::{
    Values, date_of, enum_of, gemeente_input, gemeente_of, hidden_common, input, select, text,
};
use crate::{WebError, html as page, labels};

/// The dossier forms of this block (`soort`).
pub(crate) const SOORTEN: [&str; 7] = [
    "woonbehoefte",
    "urgentie_aanvraag",
    "urgentie_besluit",
    "woningaanbod",
    "aanbod_antwoord",
    "huurovereenkomst",
    "verhuizing",
];

/// Whether `soort` is one of this block's forms.
pub(crate) fn is_housing_form(soort: &str) -> bool {
    SOORTEN.contains(&soort)
}

/// A rule's field as the form's field: the effective date is the form's `datum`, the
/// destination home of `einde_zorg` its `woning_gemeente`, the answered offer or application
/// the answer.
pub(crate) fn at_form_field(soort: &str, mut e: WebError) -> WebError {
    if !(is_housing_form(soort) || soort == "einde_zorg") {
        return e;
    }
    // The offer or application a form answers is a hidden field: its error goes to the
    // answer itself (or the date).
    let renamed = match (soort, e.field.as_deref()) {
        (_, Some("effective_date")) => Some("datum"),
        // A refusal of the fact itself (not uitstroomklaar, already housed, an offer or
        // application still running): judged on the fact's date, so shown there.
        (_, Some("type")) => Some("datum"),
        (_, Some("woning" | "woning.gemeente")) => Some("woning_gemeente"),
        ("aanbod_antwoord", Some("aanbod")) => Some("akkoord"),
        ("huurovereenkomst" | "verhuizing", Some("aanbod")) => Some("datum"),
        ("urgentie_besluit", Some("aanvraag")) => Some("toegekend"),
        _ => None,
    };
    if let Some(f) = renamed {
        e.field = Some(f.into());
    }
    e
}

fn gemeente_naam(g: GemeenteCode) -> String {
    Gemeenten::national()
        .get(g)
        .map_or_else(|| g.to_string(), |x| x.name.clone())
}

fn corporatie_naam(profile: &RegionProfile, id: &str) -> String {
    profile
        .corporatie(id)
        .map_or_else(|| id.to_owned(), |c| c.naam.clone())
}

fn ja(values: &Values, name: &str) -> bool {
    text(values, name) == "ja"
}

/// Build the fact of a housing form: (effective date, fact). `None` when `soort` is not one
/// of this block's forms.
pub(crate) fn event_of(
    soort: &str,
    values: &Values,
    today: Date,
) -> Option<Result<(Date, ClientEvent), WebError>> {
    if !is_housing_form(soort) {
        return None;
    }
    Some(build(soort, values, today))
}

fn build(soort: &str, values: &Values, today: Date) -> Result<(Date, ClientEvent), WebError> {
    let datum = date_of(values, "datum", today)?;
    let version = |name: &str, what: &str| -> Result<u32, WebError> {
        text(values, name)
            .parse::<u32>()
            .map_err(|_| WebError::invalid_field(name.to_owned(), format!("geen {what} gekozen")))
    };
    let event = match soort {
        "woonbehoefte" => {
            let mut gemeenten = Vec::new();
            for name in ["gemeenten_1", "gemeenten_2", "gemeenten_3"] {
                if let Some(g) = gemeente_of(values, name, datum)?
                    && !gemeenten.contains(&g)
                {
                    gemeenten.push(g);
                }
            }
            if gemeenten.is_empty() {
                return Err(WebError::invalid_field(
                    "gemeenten_1",
                    "noem ten minste één gemeente van voorkeur",
                ));
            }
            let verwacht_klaar = match text(values, "verwacht_klaar") {
                "" => None,
                _ => Some(date_of(values, "verwacht_klaar", today)?),
            };
            ClientEvent::Woonbehoefte(Woonbehoefte {
                woningtype: enum_of(values, "woningtype")?,
                prikkelarm: ja(values, "prikkelarm"),
                gemeenten,
                ambulante_begeleiding: ja(values, "ambulante_begeleiding"),
                route: enum_of(values, "route")?,
                verwacht_klaar,
            })
        }
        "urgentie_aanvraag" => {
            let gemeente = gemeente_of(values, "gemeente", datum)?.ok_or_else(|| {
                WebError::invalid_field(
                    "gemeente",
                    "vul de gemeente in waar urgentie is aangevraagd",
                )
            })?;
            ClientEvent::UrgentieAanvraag { gemeente }
        }
        "urgentie_besluit" => ClientEvent::UrgentieBesluit {
            aanvraag: version("aanvraag", "urgentieaanvraag")?,
            toegekend: match text(values, "toegekend") {
                "ja" => true,
                "nee" => false,
                _ => {
                    return Err(WebError::invalid_field(
                        "toegekend",
                        "kies of urgentie is toegekend of afgewezen",
                    ));
                }
            },
            toelichting: text(values, "toelichting").to_owned(),
        },
        "woningaanbod" => {
            let corporatie = match text(values, "corporatie") {
                "" => {
                    return Err(WebError::invalid_field(
                        "corporatie",
                        "kies de woningcorporatie die de woning aanbiedt",
                    ));
                }
                c => c.to_owned(),
            };
            let gemeente = GemeenteCode::parse(text(values, "gemeente")).map_err(|_| {
                WebError::invalid_field("gemeente", "kies de gemeente van de woning")
            })?;
            if text(values, "reageren_voor").is_empty() {
                return Err(WebError::invalid_field(
                    "reageren_voor",
                    "vul in tot wanneer de cliënt kan reageren",
                ));
            }
            ClientEvent::Woningaanbod {
                corporatie,
                gemeente,
                woningtype: enum_of(values, "woningtype")?,
                route: enum_of(values, "route")?,
                reageren_voor: date_of(values, "reageren_voor", today)?,
            }
        }
        "aanbod_antwoord" => ClientEvent::AanbodAntwoord {
            aanbod: version("aanbod", "woningaanbod")?,
            akkoord: match text(values, "akkoord") {
                "ja" => true,
                "nee" => false,
                _ => {
                    return Err(WebError::invalid_field(
                        "akkoord",
                        "kies of de cliënt het aanbod aanvaardt of weigert",
                    ));
                }
            },
            reden: text(values, "reden").to_owned(),
        },
        "huurovereenkomst" => {
            if text(values, "ingangsdatum").is_empty() {
                return Err(WebError::invalid_field(
                    "ingangsdatum",
                    "de ingangsdatum van de huur is verplicht",
                ));
            }
            ClientEvent::Huurovereenkomst {
                aanbod: version("aanbod", "woningaanbod")?,
                ingangsdatum: date_of(values, "ingangsdatum", today)?,
            }
        }
        "verhuizing" => ClientEvent::Verhuizing {
            aanbod: version("aanbod", "woningaanbod")?,
        },
        other => unreachable!("not a housing form: {other}"),
    };
    Ok((datum, event))
}

/// The destination home of the "Einde zorg" form: required (the gemeente) when the
/// destination is a home, passed on when typed otherwise (the rule then refuses it at the
/// field: a home belongs only with a destination 'woning').
pub(crate) fn woning_of(
    values: &Values,
    bestemming: Bestemming,
    datum: Date,
) -> Result<Option<Woonbestemming>, WebError> {
    let gemeente = gemeente_of(values, "woning_gemeente", datum)?;
    match (gemeente, bestemming.is_housing()) {
        (None, true) => Err(WebError::invalid_field(
            "woning_gemeente",
            "vul de gemeente van de nieuwe woning in (bij een bestemming 'woning' verplicht: zo is de spreiding te meten)",
        )),
        (None, false) => Ok(None),
        (Some(gemeente), _) => Ok(Some(Woonbestemming {
            gemeente,
            woningtype: enum_of(values, "woning_woningtype")?,
        })),
    }
}

/// The destination-home fields of the "Einde zorg" form (prefilled from the home the client
/// moved into, else the housing need).
pub(crate) fn einde_zorg_fields(s: &ClientState, failed: Option<(&WebError, &Values)>) -> Markup {
    let err = failed.map(|f| f.0);
    let v = |name: &str, default: String| -> String {
        failed
            .and_then(|f| f.1.get(name).cloned())
            .unwrap_or(default)
    };
    let gemeente = s
        .aanbod
        .as_ref()
        .filter(|a| a.huur.is_some())
        .map(|a| gemeente_naam(a.gemeente))
        .unwrap_or_default();
    let soort = s
        .aanbod
        .as_ref()
        .filter(|a| a.huur.is_some())
        .map(|a| a.woningtype)
        .or(s.woonbehoefte.as_ref().map(|w| w.woningtype))
        .unwrap_or(Woningtype::Studio);
    html! {
        fieldset {
            legend { "Nieuwe woning (alleen bij een bestemming 'woning')" }
            (gemeente_input("ez", "woning_gemeente", "Gemeente van de nieuwe woning", &v("woning_gemeente", gemeente), false, err, "Verplicht bij een eigen woning, Housing First of Kamers met Aandacht; laat leeg bij een andere bestemming."))
            (select("ez", "woning_woningtype", "Soort woning", &woningtype_opts(), &v("woning_woningtype", soort.key().to_owned()), err))
        }
    }
}

fn woningtype_opts() -> Vec<(String, String)> {
    Woningtype::ALL
        .iter()
        .map(|w| (w.key().to_owned(), w.label().to_owned()))
        .collect()
}

fn route_opts() -> Vec<(String, String)> {
    WoonRoute::ALL
        .iter()
        .map(|r| (r.key().to_owned(), r.label().to_owned()))
        .collect()
}

fn ja_nee(id: &str, name: &str, legend: &str, current: &str, labels: [&str; 2]) -> Markup {
    html! {
        fieldset.keuzes {
            legend { (legend) }
            @for (val, lab) in [("ja", labels[0]), ("nee", labels[1])] {
                @let i = format!("{id}-{name}-{val}");
                div.keuze {
                    input type="radio" id=(i) name=(name) value=(val) checked[current == val];
                    label for=(i) { (lab) }
                }
            }
        }
    }
}

fn checkbox(id: &str, name: &str, label: &str, checked: bool) -> Markup {
    let i = format!("{id}-{name}");
    html! {
        div.keuze {
            input type="checkbox" id=(i) name=(name) value="ja" checked[checked];
            label for=(i) { (label) }
        }
    }
}

/// One offer in force (corrections and voids resolved), with what became of it.
struct Offer {
    versie: u32,
    datum: Date,
    corporatie: String,
    gemeente: GemeenteCode,
    woningtype: Woningtype,
    route: WoonRoute,
    reageren_voor: Date,
    stand: String,
}

/// The offers of the client's facts in force — corrections and voids resolved by
/// [`facts_in_force`], the same resolution the state's fold uses, so a corrected offer shows
/// its corrected values and a voided one (or a voided answer) is gone — in effective order,
/// each with its answer, tenancy and move.
fn offers(rec: &ClientRecord, today: Date) -> Vec<Offer> {
    let stream: Vec<StreamEntry<'_>> = rec.events.iter().map(StreamEntry::from).collect();
    // A stored stream folded when it was written; should it ever not resolve, no table
    // rather than the raw facts.
    let facts = facts_in_force(&stream).unwrap_or_default();
    let mut out: Vec<Offer> = Vec::new();
    for (effective, version, event) in facts {
        match event {
            ClientEvent::Woningaanbod {
                corporatie,
                gemeente,
                woningtype,
                route,
                reageren_voor,
            } => out.push(Offer {
                versie: version,
                datum: effective,
                corporatie: corporatie.clone(),
                gemeente: *gemeente,
                woningtype: *woningtype,
                route: *route,
                reageren_voor: *reageren_voor,
                stand: if *reageren_voor < today {
                    format!("verlopen zonder antwoord ({})", reageren_voor.nl())
                } else {
                    "wacht op antwoord".to_owned()
                },
            }),
            ClientEvent::AanbodAntwoord {
                aanbod,
                akkoord,
                reden,
            } => {
                if let Some(o) = out.iter_mut().find(|o| o.versie == *aanbod) {
                    o.stand = if *akkoord {
                        format!("aanvaard op {}", effective.nl())
                    } else {
                        format!("geweigerd op {}: {reden}", effective.nl())
                    };
                }
            }
            ClientEvent::Huurovereenkomst {
                aanbod,
                ingangsdatum,
            } => {
                if let Some(o) = out.iter_mut().find(|o| o.versie == *aanbod) {
                    o.stand = format!(
                        "huurovereenkomst getekend op {}, ingang {}",
                        effective.nl(),
                        ingangsdatum.nl()
                    );
                }
            }
            ClientEvent::Verhuizing { aanbod } => {
                if let Some(o) = out.iter_mut().find(|o| o.versie == *aanbod) {
                    o.stand = format!("verhuisd op {}", effective.nl());
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether the dossier has anything for this block: in care, or housing facts recorded.
pub(crate) fn shown(s: &ClientState) -> bool {
    s.zorg.is_some()
        || s.woonbehoefte.is_some()
        || s.woonurgentie.is_some()
        || s.aanbod.is_some()
        || s.gehuisvest.is_some()
}

/// The "Wonen" section of the dossier for the region's access team. `failed`: the housing
/// form that was refused, its error and the values typed (shown again, the error at its
/// field).
pub(crate) fn section(
    profile: &RegionProfile,
    rec: &ClientRecord,
    failed: Option<(&str, &WebError, &Values)>,
    today: Date,
    focus: Option<&str>,
) -> Markup {
    let s = &rec.state;
    let version = s.version;
    let err = |soort: &str| failed.filter(|f| f.0 == soort).map(|f| f.1);
    let v = |soort: &str, name: &str, default: &str| -> String {
        failed
            .filter(|f| f.0 == soort)
            .and_then(|f| f.2.get(name).cloned())
            .unwrap_or_else(|| default.to_owned())
    };
    let action = format!("/clienten/{}/gebeurtenis#wonen", s.client);
    let in_zorg = s.zorg.is_some() && s.gehuisvest.is_none();
    let wb = s.woonbehoefte.as_ref();
    let wb_gemeente = |i: usize| {
        wb.and_then(|w| w.gemeenten.get(i))
            .map(|g| gemeente_naam(*g))
            .unwrap_or_default()
    };
    let gemeente_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "— kies —".to_owned()))
            .chain(
                profile
                    .gemeenten
                    .iter()
                    .map(|g| (g.code.to_string(), g.name.clone())),
            )
            .collect();
    let corporatie_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "— kies —".to_owned()))
            .chain(profile.corporaties.iter().map(|c| {
                (
                    c.id.clone(),
                    format!(
                        "{} (werkgebied: {})",
                        c.naam,
                        c.gemeenten
                            .iter()
                            .map(|g| gemeente_naam(*g))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }))
            .collect();
    let list = offers(rec, today);
    let today_s = today.to_string();
    html! {
        section.voordeur aria-labelledby="kop-vd-wonen" id="wonen" {
            h2 id="kop-vd-wonen" { "Wonen" }
            dl.gegevens {
                dt { "Woonbehoefte" }
                dd {
                    @if let Some(w) = wb { (labels::event_summary(Some(profile), &ClientEvent::Woonbehoefte(w.clone()))) } @else { "nog niet vastgelegd" }
                }
                dt { "Uitstroomklaar" }
                dd {
                    @if let Some(d) = s.uitstroomklaar { "sinds " (labels::date(d)) }
                    @else if let Some(d) = wb.and_then(|w| w.verwacht_klaar) { "verwacht op " (labels::date(d)) }
                    @else { "nee" }
                    @if s.woon_kandidaat(today) { " — kandidaat voor een woning" }
                }
                dt { "Urgentie" }
                dd {
                    @match &s.woonurgentie {
                        None => "niet aangevraagd",
                        Some(u) => {
                            "aangevraagd bij " (gemeente_naam(u.gemeente)) " op " (labels::date(u.aangevraagd)) ": "
                            @match u.besluit {
                                None => "nog geen besluit",
                                Some((d, true)) => { "toegekend op " (labels::date(d)) }
                                Some((d, false)) => { "afgewezen op " (labels::date(d)) }
                            }
                        }
                    }
                }
                @if let Some(d) = s.gehuisvest {
                    dt { "Gehuisvest" }
                    dd { "verhuisd naar een eigen woning op " (labels::date(d)) }
                }
            }
            @if list.is_empty() {
                p { "Er is nog geen woning aangeboden." }
            } @else {
                table {
                    caption { "Woningaanbiedingen" }
                    thead { tr { th scope="col" { "Aangeboden" } th scope="col" { "Corporatie" } th scope="col" { "Woning" } th scope="col" { "Route" } th scope="col" { "Reageren vóór" } th scope="col" { "Stand" } } }
                    tbody {
                        @for o in &list {
                            tr {
                                td { (labels::date(o.datum)) }
                                td { (corporatie_naam(profile, &o.corporatie)) }
                                td { (o.woningtype.label()) " in " (gemeente_naam(o.gemeente)) }
                                td { (o.route.label()) }
                                td { (labels::date(o.reageren_voor)) }
                                td { (o.stand) }
                            }
                        }
                    }
                }
            }
            @if in_zorg {
                details open[err("woonbehoefte").is_some() || wb.is_none()] {
                    summary { @if wb.is_some() { "Woonbehoefte wijzigen" } @else { "Woonbehoefte vastleggen" } }
                    form.formulier method="post" action=(action) {
                        (crate::users::csrf_field())
                        (hidden_common("woonbehoefte", version, focus))
                        (page::error_summary(err("woonbehoefte"), None))
                        (select("wb", "woningtype", "Soort woning", &woningtype_opts(), &v("woonbehoefte", "woningtype", wb.map_or("studio", |w| w.woningtype.key())), err("woonbehoefte")))
                        (select("wb", "route", "Route naar een woning", &route_opts(), &v("woonbehoefte", "route", wb.map_or("regulier", |w| w.route.key())), err("woonbehoefte")))
                        fieldset {
                            legend { "Gemeenten van voorkeur (de eerste is de liefste)" }
                            @if let Some(m) = err("woonbehoefte").and_then(|e| e.message_for("gemeenten")) {
                                (page::field_message("gemeenten", &page::sentence(m)))
                            }
                            @for (i, name) in ["gemeenten_1", "gemeenten_2", "gemeenten_3"].iter().enumerate() {
                                (gemeente_input("wb", name, &format!("{}e voorkeur", i + 1), &v("woonbehoefte", name, &wb_gemeente(i)), i == 0, err("woonbehoefte"), "Typ de naam van de gemeente."))
                            }
                        }
                        fieldset {
                            legend { "Wat de woning en de begeleiding moeten bieden" }
                            (checkbox("wb", "prikkelarm", "Prikkelarm (rustige woning en omgeving)", failed.filter(|f| f.0 == "woonbehoefte").map_or(wb.is_some_and(|w| w.prikkelarm), |f| f.2.get("prikkelarm").is_some_and(|x| x == "ja"))))
                            (checkbox("wb", "ambulante_begeleiding", "Met ambulante begeleiding na de verhuizing", failed.filter(|f| f.0 == "woonbehoefte").map_or(wb.is_none_or(|w| w.ambulante_begeleiding), |f| f.2.get("ambulante_begeleiding").is_some_and(|x| x == "ja"))))
                        }
                        (input("wb", "verwacht_klaar", "Verwacht uitstroomklaar op", "date", &v("woonbehoefte", "verwacht_klaar", &wb.and_then(|w| w.verwacht_klaar).map(|d| d.to_string()).unwrap_or_default()), false, err("woonbehoefte"), Some("Drie maanden vóór deze datum is de cliënt kandidaat voor een woning (aanname). Leeg: al uitstroomklaar of nog onbekend.")))
                        (input("wb", "datum", "Datum", "date", &v("woonbehoefte", "datum", &today_s), true, err("woonbehoefte"), None))
                        button.knop type="submit" { "Woonbehoefte opslaan" }
                    }
                }
                @match s.woonurgentie.as_ref().filter(|u| u.besluit.is_none()) {
                    Some(u) => {
                        details open[err("urgentie_besluit").is_some()] {
                            summary { "Besluit op de urgentieaanvraag" }
                            form.formulier method="post" action=(action) {
                                (crate::users::csrf_field())
                                (hidden_common("urgentie_besluit", version, focus))
                                input type="hidden" name="aanvraag" value=(u.versie);
                                (page::error_summary(err("urgentie_besluit"), None))
                                p { "Aanvraag bij " (gemeente_naam(u.gemeente)) " van " (labels::date(u.aangevraagd)) "." }
                                @if let Some(m) = err("urgentie_besluit").and_then(|e| e.message_for("toegekend")) { (page::field_message("toegekend", &page::sentence(m))) }
                                (ja_nee("ub", "toegekend", "Besluit van de gemeente", &v("urgentie_besluit", "toegekend", ""), ["urgentie toegekend", "urgentie afgewezen"]))
                                (input("ub", "toelichting", "Toelichting", "text", &v("urgentie_besluit", "toelichting", ""), false, err("urgentie_besluit"), Some("Verplicht bij een afwijzing: de reden.")))
                                (input("ub", "datum", "Datum van het besluit", "date", &v("urgentie_besluit", "datum", &today_s), true, err("urgentie_besluit"), None))
                                button.knop type="submit" { "Besluit vastleggen" }
                            }
                        }
                    }
                    None => {
                        details open[err("urgentie_aanvraag").is_some()] {
                            summary { "Urgentie aanvragen" }
                            form.formulier method="post" action=(action) {
                                (crate::users::csrf_field())
                                (hidden_common("urgentie_aanvraag", version, focus))
                                (page::error_summary(err("urgentie_aanvraag"), None))
                                (gemeente_input("ua", "gemeente", "Gemeente (urgentiecommissie)", &v("urgentie_aanvraag", "gemeente", &wb_gemeente(0)), true, err("urgentie_aanvraag"), "Typ de naam van de gemeente waar de aanvraag is ingediend."))
                                (input("ua", "datum", "Datum van de aanvraag", "date", &v("urgentie_aanvraag", "datum", &today_s), true, err("urgentie_aanvraag"), None))
                                button.knop type="submit" { "Urgentieaanvraag vastleggen" }
                            }
                        }
                    }
                }
                @if let Some(a) = &s.aanbod {
                    @if a.geaccepteerd.is_none() && a.reageren_voor >= today {
                        details open {
                            summary { "Antwoord van de cliënt op het aanbod van " (labels::date(a.datum)) }
                            form.formulier method="post" action=(action) {
                                (crate::users::csrf_field())
                                (hidden_common("aanbod_antwoord", version, focus))
                                input type="hidden" name="aanbod" value=(a.versie);
                                (page::error_summary(err("aanbod_antwoord"), None))
                                p { (a.woningtype.label()) " in " (gemeente_naam(a.gemeente)) " van " (corporatie_naam(profile, &a.corporatie)) "; reageren vóór " (labels::date(a.reageren_voor)) "." }
                                @if let Some(m) = err("aanbod_antwoord").and_then(|e| e.message_for("akkoord")) { (page::field_message("akkoord", &page::sentence(m))) }
                                (ja_nee("aa", "akkoord", "Antwoord", &v("aanbod_antwoord", "akkoord", ""), ["aanvaard", "geweigerd"]))
                                (input("aa", "reden", "Reden van weigering", "text", &v("aanbod_antwoord", "reden", ""), false, err("aanbod_antwoord"), Some("Verplicht bij een weigering; de weigering komt op de werklijst.")))
                                (input("aa", "datum", "Datum van het antwoord", "date", &v("aanbod_antwoord", "datum", &today_s), true, err("aanbod_antwoord"), None))
                                button.knop type="submit" { "Antwoord vastleggen" }
                            }
                        }
                    } @else if a.geaccepteerd.is_some() && a.huur.is_none() {
                        details open {
                            summary { "Huurovereenkomst getekend" }
                            form.formulier method="post" action=(action) {
                                (crate::users::csrf_field())
                                (hidden_common("huurovereenkomst", version, focus))
                                input type="hidden" name="aanbod" value=(a.versie);
                                (page::error_summary(err("huurovereenkomst"), None))
                                (input("ho", "datum", "Getekend op", "date", &v("huurovereenkomst", "datum", &today_s), true, err("huurovereenkomst"), None))
                                (input("ho", "ingangsdatum", "Ingangsdatum van de huur", "date", &v("huurovereenkomst", "ingangsdatum", ""), true, err("huurovereenkomst"), None))
                                button.knop type="submit" { "Huurovereenkomst vastleggen" }
                            }
                        }
                    } @else if a.huur.is_some() && a.verhuisd.is_none() {
                        details open {
                            summary { "Verhuisd naar de woning" }
                            form.formulier method="post" action=(action) {
                                (crate::users::csrf_field())
                                (hidden_common("verhuizing", version, focus))
                                input type="hidden" name="aanbod" value=(a.versie);
                                (page::error_summary(err("verhuizing"), None))
                                (input("vh", "datum", "Verhuisd op", "date", &v("verhuizing", "datum", &a.huur.map_or(today_s.clone(), |h| h.1.max(today).to_string())), true, err("verhuizing"), None))
                                button.knop type="submit" { "Verhuizing vastleggen" }
                            }
                        }
                    }
                }
                @if s.aanbod.as_ref().is_none_or(|a| a.geaccepteerd.is_none() && a.reageren_voor < today) {
                    details open[err("woningaanbod").is_some()] {
                        summary { "Woningaanbod vastleggen (gemeld door de corporatie)" }
                        @if profile.corporaties.is_empty() {
                            p { "Het regioprofiel noemt geen woningcorporaties." }
                        } @else {
                            form.formulier method="post" action=(action) {
                                (crate::users::csrf_field())
                                (hidden_common("woningaanbod", version, focus))
                                (page::error_summary(err("woningaanbod"), None))
                                (select("wa", "corporatie", "Woningcorporatie", &corporatie_opts, &v("woningaanbod", "corporatie", ""), err("woningaanbod")))
                                (select("wa", "gemeente", "Gemeente van de woning", &gemeente_opts, &v("woningaanbod", "gemeente", ""), err("woningaanbod")))
                                (select("wa", "woningtype", "Soort woning", &woningtype_opts(), &v("woningaanbod", "woningtype", wb.map_or("studio", |w| w.woningtype.key())), err("woningaanbod")))
                                (select("wa", "route", "Route", &route_opts(), &v("woningaanbod", "route", wb.map_or("regulier", |w| w.route.key())), err("woningaanbod")))
                                (input("wa", "reageren_voor", "Reageren vóór", "date", &v("woningaanbod", "reageren_voor", &today.add_days(14).to_string()), true, err("woningaanbod"), None))
                                (input("wa", "datum", "Datum van het aanbod", "date", &v("woningaanbod", "datum", &today_s), true, err("woningaanbod"), None))
                                button.knop type="submit" { "Aanbod vastleggen" }
                            }
                        }
                    }
                }
            }
        }
    }
}
