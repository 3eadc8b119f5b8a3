//! The local front door's screens (issue 14): `/wijkteam` for a wijkteam (`wijkteam`,
//! `wijkteam-<regio>`) — which access model applies in its region today and what the
//! wijkteam may do under it (registers, assesses, decides: [`steps`], with the model's
//! herkomst from the profile), its gemeente's residents' open cases (read through the gate,
//! one log row per client: `Store::resident_cases`), a link to register an aanmelding, and on
//! each resident's dossier the local door's forms ([`dossier_section`]): the beoordeling and
//! the besluit where the model gives them to the local door (the dossier's own forms, shown by
//! `voordeur_pages`), a doorverwijzing to the regional team and a question for its advice,
//! with the advice given. The store decides every fact again (`Recorder::LokaleToegang`) and
//! logs a refusal — a wijkteam acting outside its gemeente writes nothing.

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use vangnet_domain::region::AccessModel;
use vangnet_domain::{ClientEvent, Date, GemeenteCode, Organisation, RegionProfile, Role};
use vangnet_store::ClientRecord;

use crate::html::Nav;
use crate::users::DemoUser;
use crate::voordeur_pages::render;
use crate::{AppState, WebError, figures, labels};

/// Who takes the front door's steps under a model: `true` where the local door (the
/// wijkteam of the resident's gemeente) may, as feat/feiten's
/// `access::toegang_stappen(model)` decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    /// The local door registers the aanmelding.
    pub registreert: bool,
    /// The local door assesses (beoordeling).
    pub beoordeelt: bool,
    /// The local door decides (toewijzing / afwijzing; BW only).
    pub beslist: bool,
    /// The local door may refer the case or ask the regional team's advice.
    pub verwijst: bool,
}

/// The steps of the local door under `model`.
pub fn steps(model: AccessModel) -> Steps {
    use vangnet_domain::access::{Wie, toegang_stappen};
    let s = toegang_stappen(model);
    Steps {
        registreert: s.registreert == Wie::Lokaal,
        beoordeelt: s.beoordeelt == Wie::Lokaal,
        beslist: s.beslist == Wie::Lokaal,
        verwijst: vangnet_domain::frontdoor::has_local_front_doors(model),
    }
}

/// The gemeente of a wijkteam user.
pub(crate) fn wijkteam_gemeente(user: &DemoUser) -> Option<GemeenteCode> {
    match (&user.actor.role, &user.actor.organisation) {
        (Role::Wijkteam, Organisation::Gemeente(g)) => Some(*g),
        _ => None,
    }
}

/// The region a gemeente belongs to on `on`.
fn region_of(st: &AppState, g: GemeenteCode, on: Date) -> Option<RegionProfile> {
    st.store()
        .regions()
        .all()
        .iter()
        .find(|p| p.member_on(g, on))
        .cloned()
}

/// The model that applies and what the local door may do, in Dutch.
fn model_box(profile: &RegionProfile, today: Date) -> Markup {
    let t = profile.toegang_op(today);
    let s = steps(t.model);
    let who = |local: bool| {
        if local {
            "u (lokale toegang)"
        } else {
            "de regio"
        }
    };
    html! {
        div.kader id="toegangsmodel" {
            h2 { "Toegangsmodel in " (profile.name) }
            p { strong { (t.naam) } " — " (labels::access_model(t.model)) " " (labels::herkomst(&t.herkomst)) }
            @if let Some(x) = &t.toelichting { p.klein { (x) } }
            table id="stappen" {
                caption { "Wie doet wat (per " (labels::date(t.vanaf)) ")" }
                tbody {
                    tr { th scope="row" { "Aanmelden" } td { @if s.registreert { "u (lokale toegang)" } @else { "de regio; u mag een aanmelding doen voor een inwoner" } } }
                    tr { th scope="row" { "Beoordelen" } td { (who(s.beoordeelt)) } }
                    tr { th scope="row" { "Besluiten (beschermd wonen; MO blijft centraal)" } td { (who(s.beslist)) } }
                    tr { th scope="row" { "Doorverwijzen of advies vragen aan het regionale team" } td { @if s.verwijst { "u" } @else { "niet nodig: de regio doet alles" } } }
                }
            }
        }
    }
}

/// `GET /wijkteam`: the wijkteam's start page.
pub(crate) async fn page(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    crate::error::Query(q): crate::error::Query<crate::aanbieder::PageQuery>,
) -> Result<Response, WebError> {
    let Some(g) = wijkteam_gemeente(&user) else {
        return Err(WebError::forbidden(
            "Deze pagina is voor het wijkteam (de lokale toegang) van een gemeente.",
        ));
    };
    let today = st.today();
    let Some(profile) = region_of(&st, g, today) else {
        return Err(WebError::not_found(format!(
            "Uw gemeente ({g}) hoort op {} bij geen regio in Vangnet.",
            labels::date(today)
        )));
    };
    let gate = user.gate("wijkteam: lopende zaken van eigen inwoners");
    let rid = profile.id.clone();
    // One page of 50 (feat/portaal: Dordrecht has over a thousand open cases): only the
    // cases shown are read and logged; a page beyond the last shows the last.
    use crate::aanbieder::{PAGE_SIZE, page_number, page_of, pager};
    let requested = page_number(q.pagina.as_deref());
    let cases = st
        .blocking(move |s| {
            let read = |page: usize| {
                s.resident_cases(&gate, &rid, g, (page - 1) * PAGE_SIZE..page * PAGE_SIZE)
            };
            let mut cases = read(requested)?;
            let last = cases.total.div_ceil(PAGE_SIZE).max(1);
            if requested > last {
                cases = read(last)?;
            }
            Ok(cases)
        })
        .await?;
    let total = cases.total;
    let (range, page_no, pages) = page_of(q.pagina.as_deref(), total);
    let gemeente = figures::gemeente_name(&profile, &g.to_string());
    let body = html! {
        h1 { "Wijkteam " (gemeente) }
        p.inleiding { "De lopende zaken aan de voordeur (aangemeld, toegewezen of wachtend; wie in zorg is, staat bij de aanbieder) van inwoners van " (gemeente) " in " (profile.name) ". U ziet alleen uw eigen inwoners; elke inzage staat in het toegangslog." }
        (model_box(&profile, today))
        p { a.knop href="/aanmelden" { "Nieuwe aanmelding" } " " a href="/zoeken" { "Een inwoner zoeken" } }
        h2 id="kop-zaken" { "Lopende zaken (" (total) ")" }
        @if total == 0 {
            p { "Er zijn geen lopende zaken van inwoners van " (gemeente) "." }
        } @else {
            p.klein { "Volgorde: op cliëntnummer, dus wie het eerst in Vangnet is ingeschreven staat bovenaan — de oudste zaken eerst. " (PAGE_SIZE) " per pagina." }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-zaken" {
                table id="zaken" {
                    thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Fase" } th scope="col" { "Aangemeld" } th scope="col" { "Doorverwezen" } th scope="col" { "Adviesvraag" } } }
                    tbody {
                        @for (s, name) in &cases.shown {
                            tr {
                                th scope="row" { a href={ "/clienten/" (s.client) "#lokale-toegang" } { @if let Some(n) = name { (n) " " span.klein { "(" (s.client) ")" } } @else { "cliënt " (s.client) } } }
                                td { (s.phase().label()) }
                                td { (labels::date(s.aangemeld)) }
                                td { @if let Some(d) = s.doorverwezen { (labels::date(d)) } @else { "—" } }
                                td { @if s.adviesvragen.is_empty() { "—" } @else { span.label { (s.adviesvragen.len()) " open" } } }
                            }
                        }
                    }
                }
            }
            (pager("/wijkteam", "kop-zaken", page_no, pages, &range, total))
        }
    };
    Ok(render(
        &st,
        axum::http::StatusCode::OK,
        "Wijkteam",
        &user,
        &Nav::Wijkteam,
        body,
    ))
}

/// Whether `user` is the wijkteam of this client's gemeente (its local front door), under a
/// model with local doors on `today`; the steps it may take.
pub(crate) fn local_door(
    user: &DemoUser,
    profile: &RegionProfile,
    rec: &ClientRecord,
    today: Date,
) -> Option<Steps> {
    let g = wijkteam_gemeente(user)?;
    (rec.state.herkomst == Some(g) && profile.member_on(g, today))
        .then(|| steps(profile.toegang_op(today).model))
}

/// The local door's part of a resident's dossier: the model, the advice asked and given,
/// and the forms for a doorverwijzing and an advice question (posted to the dossier's
/// `/clienten/{id}/gebeurtenis`, soort `doorverwijzing` / `advies_gevraagd`). `err` is a
/// refused one of these forms with its values.
pub(crate) fn dossier_section(
    profile: &RegionProfile,
    rec: &ClientRecord,
    err: Option<(&str, &WebError, &crate::voordeur_pages::Values)>,
    today: Date,
) -> Markup {
    let s = &rec.state;
    let t = profile.toegang_op(today);
    let st = steps(t.model);
    let asked: Vec<(u32, Date, &str)> = rec
        .events
        .iter()
        .filter_map(|e| match &e.event {
            ClientEvent::AdviesGevraagd { vraag } => Some((e.version, e.effective, vraag.as_str())),
            _ => None,
        })
        .collect();
    let answer = |v: u32| {
        rec.events.iter().find_map(|e| match &e.event {
            ClientEvent::AdviesGegeven { vraag, advies } if *vraag == v => {
                Some((e.effective, advies.as_str()))
            }
            _ => None,
        })
    };
    let err_of = |soort: &str| err.filter(|f| f.0 == soort).map(|f| f.1);
    let val = |soort: &str, name: &str| {
        err.filter(|f| f.0 == soort)
            .and_then(|f| f.2.get(name).cloned())
            .unwrap_or_default()
    };
    html! {
        section.voordeur aria-labelledby="kop-lokaal" id="lokale-toegang" {
            h2 id="kop-lokaal" { "Lokale toegang" }
            p { "Toegangsmodel: " strong { (t.naam) } " — " (labels::access_model(t.model)) " " (labels::herkomst(&t.herkomst)) }
            p {
                "U mag: aanmelden"
                @if st.beoordeelt { ", beoordelen" }
                @if st.beslist { ", besluiten over beschermd wonen" }
                @if st.verwijst { ", doorverwijzen naar en advies vragen aan het regionale team" }
                ". "
                @if !st.beoordeelt { "Beoordelen doet de regio. " }
                @if !st.beslist { "Besluiten doet de regio. " }
            }
            @if let Some(d) = s.doorverwezen { p { strong { "Doorverwezen naar het regionale team op " (labels::date(d)) "." } " De regio beoordeelt en besluit verder." } }
            @if !asked.is_empty() {
                h3 { "Adviesvragen" }
                ul id="adviezen" {
                    @for (v, d, vraag) in &asked {
                        li {
                            (labels::date(*d)) ": " (vraag) " — "
                            @if let Some((ad, advies)) = answer(*v) {
                                strong { "advies van het regionale team (" (labels::date(ad)) "): " } (advies)
                            } @else {
                                span.label { "wacht op advies" }
                            }
                        }
                    }
                }
            }
            @if st.verwijst && s.doorverwezen.is_none() && s.besluit.is_none() {
                details open[err_of("advies_gevraagd").is_some()] {
                    summary { "Advies vragen aan het regionale team" }
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#lokale-toegang" } {
                        (crate::users::csrf_field())
                        (crate::voordeur_pages::hidden_common("advies_gevraagd", s.version, None))
                        (crate::html::error_summary(err_of("advies_gevraagd"), Some("adv")))
                        div.veld {
                            label for="adv-vraag" { "Uw vraag" }
                            @if let Some(e) = err_of("advies_gevraagd") { p.fout-melding id="fout-adv-vraag" { span.visueel-verborgen { "Fout: " } (e.message) } }
                            textarea id="adv-vraag" name="vraag" rows="3" { (val("advies_gevraagd", "vraag")) }
                        }
                        button.knop type="submit" { "Advies vragen" }
                    }
                }
                details open[err_of("doorverwijzing").is_some()] {
                    summary { "Doorverwijzen naar het regionale team" }
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#lokale-toegang" } {
                        (crate::users::csrf_field())
                        (crate::voordeur_pages::hidden_common("doorverwijzing", s.version, None))
                        (crate::html::error_summary(err_of("doorverwijzing"), Some("dv")))
                        div.veld {
                            label for="dv-reden" { "Reden" }
                            @if let Some(e) = err_of("doorverwijzing") { p.fout-melding id="fout-dv-reden" { span.visueel-verborgen { "Fout: " } (e.message) } }
                            input type="text" id="dv-reden" name="reden" value=(val("doorverwijzing", "reden"));
                        }
                        button.knop.knop-secundair type="submit" { "Doorverwijzen" }
                    }
                }
            }
        }
    }
}
