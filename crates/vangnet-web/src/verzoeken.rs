//! The access team answers (issue 14): `/verzoeken` lists the region's open provider
//! requests (verzoek om toewijzing, iWmo WMO315; verzoek om wijziging, WMO317) and the local
//! front door's advice questions, with their terms, overdue first; each with its answer form,
//! which the client's dossier shows too (`answer_forms`).
//!
//! - A request is **toegekend** (the toewijzing — product, start, end, leveringsvorm, the
//!   requesting provider — or the wijziging is recorded together with `VerzoekAntwoord {
//!   uitkomst: Toegekend }` **in one append**, through the front door's decision rules:
//!   [`crate::voordeur::record_with`]), **afgewezen** (a reason is required) or put **in
//!   onderzoek** (stays open).
//! - An advice question is answered with `AdviesGegeven` naming it.
//!
//! The list comes from the worklist projection (feat/feiten's `Task::Verzoek` and
//! `Task::Advies` with their terms — aannames: a request within 10 werkdagen, 8 weeks once in
//! onderzoek; advice within 5 werkdagen), the first page of each; every client's state is
//! then read through the gate. Every form carries an idempotency key and the version it was
//! rendered from.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::events::{Leveringsvorm, VerzoekUitkomst};
use vangnet_domain::state::{OpenAdvies, OpenVerzoek, VerzoekSoort};
use vangnet_domain::worklist::{
    ADVIES_TERMIJN_DAGEN, ONDERZOEK_TERMIJN_DAGEN, RawWorklistFilter, Task, VERZOEK_TERMIJN_DAGEN,
    WorklistFilter,
};
use vangnet_domain::{ClientEvent, ClientId, ClientState, Date, RegionProfile};

use crate::error::Query;
use crate::html::Nav;
use crate::users::DemoUser;
use crate::voordeur_pages::{Values, clerk_profile, record_or_error, render, text};
use crate::{AppState, WebError, figures, labels, voordeur};

/// Query of `/verzoeken`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct VerzoekenQuery {
    melding: Option<String>,
}

/// One open item: a request or an advice question of a client.
enum Item<'a> {
    Verzoek(&'a OpenVerzoek),
    Advies(&'a OpenAdvies),
}

impl Item<'_> {
    fn due(&self) -> Date {
        match self {
            Item::Verzoek(v) => verzoek_due(v),
            Item::Advies(a) => a.sinds.add_days(ADVIES_TERMIJN_DAGEN),
        }
    }
    fn versie(&self) -> u32 {
        match self {
            Item::Verzoek(v) => v.versie,
            Item::Advies(a) => a.versie,
        }
    }
}

/// When a request falls due: 10 werkdagen, 8 weeks once "in onderzoek" (the worklist's
/// terms, feat/feiten).
fn verzoek_due(v: &OpenVerzoek) -> Date {
    v.sinds.add_days(if v.in_onderzoek.is_some() {
        ONDERZOEK_TERMIJN_DAGEN
    } else {
        VERZOEK_TERMIJN_DAGEN
    })
}

/// The open items of `states`, overdue first (by due date, then client and version).
fn items(states: &[ClientState]) -> Vec<(&ClientState, Item<'_>)> {
    let mut out: Vec<(&ClientState, Item<'_>)> = states
        .iter()
        .flat_map(|s| {
            s.verzoeken
                .iter()
                .map(move |v| (s, Item::Verzoek(v)))
                .chain(s.adviesvragen.iter().map(move |a| (s, Item::Advies(a))))
        })
        .collect();
    out.sort_by_key(|(s, i)| (i.due(), s.client, i.versie()));
    out
}

/// What a request asks, in Dutch.
pub(crate) fn asked(profile: &RegionProfile, v: &OpenVerzoek) -> String {
    let provider = profile
        .provider(v.aanbieder)
        .map_or_else(|| v.aanbieder.to_string(), |p| p.name.clone());
    match &v.soort {
        VerzoekSoort::Toewijzing {
            product,
            start,
            einde,
        } => format!(
            "{provider} vraagt een toewijzing {} vanaf {}{}",
            figures::product_name(profile, product.as_str()),
            labels::date(*start),
            einde.map_or_else(String::new, |e| format!(" tot en met {}", labels::date(e)))
        ),
        VerzoekSoort::Wijziging { wijziging } => format!(
            "{provider} vraagt een wijziging: {}",
            labels::event_summary(Some(profile), &ClientEvent::Wijziging(wijziging.clone()))
        ),
    }
}

/// The term's status, in Dutch.
fn term(due: Date, today: Date) -> Markup {
    let left = today.days_until(due);
    html! {
        time datetime=(due.to_string()) { (labels::date(due)) } " — "
        @if left < 0 { span.label.label-fout { (vangnet_domain::date::dagen(i64::from(-left))) " te laat" } }
        @else if left == 0 { span.label.label-fout { "vandaag" } }
        @else { "nog " (vangnet_domain::date::dagen(i64::from(left))) }
    }
}

/// The answer forms of one client's open requests and advice questions (for `/verzoeken`
/// and the dossier); `back` is where to return (`verzoeken` or `dossier`), `failed` the
/// refused answer (version answered, error, values) to show again.
pub(crate) fn answer_forms(
    profile: &RegionProfile,
    s: &ClientState,
    back: &str,
    failed: Option<(u32, &WebError, &Values)>,
    today: Date,
) -> Markup {
    let err_for = |versie: u32| failed.filter(|f| f.0 == versie).map(|f| f.1);
    let val = |versie: u32, name: &str, default: &str| -> String {
        failed
            .filter(|f| f.0 == versie)
            .and_then(|f| f.2.get(name).cloned())
            .unwrap_or_else(|| default.to_owned())
    };
    html! {
        @for v in &s.verzoeken {
            @let id = format!("verzoek-{}-{}", s.client, v.versie);
            @let err = err_for(v.versie);
            div.kader id=(id) {
                h3 { "Verzoek van " (labels::date(v.sinds)) " (versie " (v.versie) ")" }
                p { (asked(profile, v)) "." }
                p { "Reden van de aanbieder: " (v.reden) }
                p { "Termijn: " (term(verzoek_due(v), today)) @if v.in_onderzoek.is_some() { " (8 weken na het verzoek, aanname)" } @else { " (10 werkdagen, aanname)" }
                    @if let Some(d) = v.in_onderzoek { ". In onderzoek sinds " (labels::date(d)) } "." }
                (crate::html::error_summary(err, Some(&id)))
                form.formulier method="post" action="/verzoeken" {
                    (crate::users::csrf_field())
                    input type="hidden" name="soort" value="verzoek";
                    input type="hidden" name="client" value=(s.client);
                    input type="hidden" name="versie" value=(s.version);
                    input type="hidden" name="nummer" value=(v.versie);
                    input type="hidden" name="sleutel" value=(voordeur::form_key());
                    input type="hidden" name="terug" value=(back);
                    fieldset.keuzes id={ (id) "-uitkomst" } {
                        legend { "Antwoord" }
                        @for (key, label) in [("toegekend", "Toekennen"), ("afgewezen", "Afwijzen (met reden)"), ("in_onderzoek", "In onderzoek")] {
                            @if key != "in_onderzoek" || v.in_onderzoek.is_none() {
                                @let rid = format!("{id}-uitkomst-{key}");
                                div.keuze {
                                    input type="radio" id=(rid) name="uitkomst" value=(key) checked[val(v.versie, "uitkomst", "toegekend") == key];
                                    label for=(rid) { (label) }
                                }
                            }
                        }
                    }
                    @if matches!(v.soort, VerzoekSoort::Toewijzing { .. }) {
                        div.veld {
                            label for={ (id) "-leveringsvorm" } { "Leveringsvorm bij toekennen" }
                            select id={ (id) "-leveringsvorm" } name="leveringsvorm" {
                                @for l in [Leveringsvorm::Zin, Leveringsvorm::Pgb] {
                                    @let k = crate::voordeur_pages::key_of(l);
                                    option value=(k) selected[val(v.versie, "leveringsvorm", "ZIN") == k] { (labels::leveringsvorm(l)) }
                                }
                            }
                        }
                    }
                    div.veld.(if err.is_some_and(|e| e.field.as_deref() == Some("toelichting")) { "veld-fout" } else { "" }) {
                        label for={ (id) "-toelichting" } { "Toelichting (verplicht bij afwijzen)" }
                        @if let Some(e) = err.filter(|e| e.field.as_deref() == Some("toelichting")) {
                            p.fout-melding id={ "fout-" (id) "-toelichting" } { span.visueel-verborgen { "Fout: " } (e.message) }
                        }
                        input type="text" id={ (id) "-toelichting" } name="toelichting" value=(val(v.versie, "toelichting", ""));
                    }
                    button.knop type="submit" { "Antwoord vastleggen" }
                }
            }
        }
        @for a in &s.adviesvragen {
            @let id = format!("advies-{}-{}", s.client, a.versie);
            @let err = err_for(a.versie);
            div.kader id=(id) {
                h3 { "Adviesvraag van het wijkteam, " (labels::date(a.sinds)) " (versie " (a.versie) ")" }
                p { "Vraag: " (a.vraag) }
                p { "Termijn: " (term(a.sinds.add_days(ADVIES_TERMIJN_DAGEN), today)) " (5 werkdagen, aanname)." }
                (crate::html::error_summary(err, Some(&id)))
                form.formulier method="post" action="/verzoeken" {
                    (crate::users::csrf_field())
                    input type="hidden" name="soort" value="advies";
                    input type="hidden" name="client" value=(s.client);
                    input type="hidden" name="versie" value=(s.version);
                    input type="hidden" name="nummer" value=(a.versie);
                    input type="hidden" name="sleutel" value=(voordeur::form_key());
                    input type="hidden" name="terug" value=(back);
                    div.veld.(if err.is_some() { "veld-fout" } else { "" }) {
                        label for={ (id) "-advies" } { "Advies van het regionale team" }
                        @if let Some(e) = err {
                            p.fout-melding id={ "fout-" (id) "-advies" } { span.visueel-verborgen { "Fout: " } (e.message) }
                        }
                        textarea id={ (id) "-advies" } name="advies" rows="3" { (val(a.versie, "advies", "")) }
                    }
                    button.knop type="submit" { "Advies geven" }
                }
            }
        }
    }
}

/// The clients with an open request or advice question, from the worklist projection
/// (feat/feiten's `Task::Verzoek` / `Task::Advies`: the first page of each, oldest first —
/// overdue first), each client's state then read through the gate (one log row per client).
/// Returns the states and how many items did not fit on the first pages.
async fn open_states(
    st: &AppState,
    user: &DemoUser,
    profile: &RegionProfile,
    today: Date,
) -> Result<(Vec<ClientState>, usize), WebError> {
    let gate = user.gate("verzoeken en adviesvragen beantwoorden");
    let rid = profile.id.clone();
    let mut filters = Vec::new();
    for taak in [Task::Verzoek, Task::Advies] {
        let raw = RawWorklistFilter {
            taak: Some(taak.key().to_owned()),
            ..RawWorklistFilter::default()
        };
        filters.push(
            WorklistFilter::parse(&raw, profile)
                .map_err(|e| WebError::invalid_field(e.field, e.message))?,
        );
    }
    let states = st
        .blocking(move |s| {
            let mut clients: Vec<ClientId> = Vec::new();
            let mut more = 0;
            for f in &filters {
                let page = s.worklist_page(&gate, &rid, f, today)?;
                more += page.total - page.items.len();
                for i in page.items {
                    if !clients.contains(&i.client) {
                        clients.push(i.client);
                    }
                }
            }
            let mut states = Vec::with_capacity(clients.len());
            for c in clients {
                states.push(s.read_client(&gate, c)?.state);
            }
            Ok((states, more))
        })
        .await?;
    Ok(states)
}

/// `GET /verzoeken`: the open requests and advice questions of the clerk's region, overdue
/// first, each with its answer form.
pub(crate) async fn page(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Query(q): Query<VerzoekenQuery>,
) -> Result<Response, WebError> {
    let profile = clerk_profile(&st, &user)?;
    show(&st, &user, &profile, q.melding.as_deref(), None).await
}

async fn show(
    st: &AppState,
    user: &DemoUser,
    profile: &RegionProfile,
    melding: Option<&str>,
    failed: Option<(ClientId, u32, &WebError, &Values)>,
) -> Result<Response, WebError> {
    let today = st.today();
    let (states, more) = open_states(st, user, profile, today).await?;
    let list = items(&states);
    let overdue = list.iter().filter(|(_, i)| i.due() < today).count();
    let mut clients: Vec<&ClientState> = Vec::new();
    for (s, _) in &list {
        if !clients.iter().any(|c| c.client == s.client) {
            clients.push(s);
        }
    }
    let status = failed.map_or(StatusCode::OK, |f| f.2.status);
    let body = html! {
        h1 { "Verzoeken en adviesvragen — " (profile.name) }
        p.inleiding {
            "Verzoeken van aanbieders om een toewijzing of een wijziging (iWmo-verzoeken) en adviesvragen van de lokale toegang, het oudste verlopen eerst. "
            "Termijnen (aanname, geen bron noemt ze): een verzoek binnen " (VERZOEK_TERMIJN_DAGEN) " dagen (10 werkdagen), een advies binnen " (ADVIES_TERMIJN_DAGEN) " dagen (5 werkdagen). Peildatum " (labels::date(today)) "."
        }
        @match melding {
            Some("beantwoord") => div.melding.melding-goed role="status" id="melding" { p { "Het antwoord is vastgelegd." } },
            Some("dubbel") => div.melding.melding-goed role="status" id="melding" { p { "Dit antwoord was al verwerkt; er is niets opnieuw opgeslagen." } },
            _ => {},
        }
        p id="verzoeken-totaal" {
            strong { (list.len() + more) } " open (" (overdue) " verlopen op deze pagina)."
            @if more > 0 { " De oudste " (list.len()) " staan hieronder; de rest staat in de " a href="/werklijst?taak=verzoek" { "werklijst" } "." }
        }
        @if list.is_empty() {
            p { "Er staan geen verzoeken of adviesvragen open." }
        } @else {
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-verzoeken" {
                table id="verzoeken" {
                    caption id="kop-verzoeken" { "Open verzoeken en adviesvragen, verlopen eerst" }
                    thead { tr { th scope="col" { "Cliënt" } th scope="col" { "Soort" } th scope="col" { "Wat" } th scope="col" { "Termijn" } th scope="col" { "Beantwoorden" } } }
                    tbody {
                        @for (s, i) in &list {
                            tr {
                                th scope="row" { a href={ "/clienten/" (s.client) } { "cliënt " (s.client) } }
                                @match i {
                                    Item::Verzoek(v) => {
                                        td { @if matches!(v.soort, VerzoekSoort::Toewijzing { .. }) { "Verzoek om toewijzing" } @else { "Verzoek om wijziging" } @if v.in_onderzoek.is_some() { " " span.label { "in onderzoek" } } }
                                        td { (asked(profile, v)) }
                                        td { (term(i.due(), today)) }
                                        td { a href={ "#verzoek-" (s.client) "-" (v.versie) } { "Antwoord" } }
                                    }
                                    Item::Advies(a) => {
                                        td { "Adviesvraag wijkteam" }
                                        td { (a.vraag) }
                                        td { (term(i.due(), today)) }
                                        td { a href={ "#advies-" (s.client) "-" (a.versie) } { "Advies geven" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @for s in &clients {
                section aria-labelledby={ "kop-client-" (s.client) } {
                    h2 id={ "kop-client-" (s.client) } { a href={ "/clienten/" (s.client) } { "Cliënt " (s.client) } }
                    (answer_forms(profile, s, "verzoeken", failed.filter(|f| f.0 == s.client).map(|f| (f.1, f.2, f.3)), today))
                }
            }
        }
    };
    Ok(render(
        st,
        status,
        "Verzoeken en adviesvragen",
        user,
        &Nav::Werklijst,
        body,
    ))
}

/// The facts an answer form stands for: the answer, and for a toekenning the toewijzing or
/// wijziging first (one append).
fn answer_of(
    profile: &RegionProfile,
    s: &ClientState,
    values: &Values,
) -> Result<(ClientEvent, Vec<ClientEvent>), WebError> {
    let nummer = text(values, "nummer")
        .parse::<u32>()
        .map_err(|_| WebError::invalid_field("nummer", "Kies een openstaand verzoek of vraag."))?;
    match text(values, "soort") {
        "advies" => {
            let advies = text(values, "advies");
            if advies.is_empty() {
                return Err(WebError::invalid_field("advies", "Vul het advies in."));
            }
            Ok((
                ClientEvent::AdviesGegeven {
                    vraag: nummer,
                    advies: advies.to_owned(),
                },
                Vec::new(),
            ))
        }
        "verzoek" => {
            let v = s
                .verzoeken
                .iter()
                .find(|v| v.versie == nummer)
                .ok_or_else(|| {
                    WebError::invalid_field(
                        "nummer",
                        "Dit verzoek staat niet (meer) open; het is misschien al beantwoord.",
                    )
                })?;
            let toelichting = text(values, "toelichting").to_owned();
            let uitkomst = match text(values, "uitkomst") {
                "toegekend" => VerzoekUitkomst::Toegekend,
                "afgewezen" => VerzoekUitkomst::Afgewezen,
                "in_onderzoek" => VerzoekUitkomst::InOnderzoek,
                "" => return Err(WebError::invalid_field("uitkomst", "Kies een antwoord.")),
                _ => {
                    return Err(WebError::invalid_field(
                        "uitkomst",
                        "Deze keuze bestaat niet; kies toekennen, afwijzen of in onderzoek.",
                    ));
                }
            };
            if uitkomst == VerzoekUitkomst::Afgewezen && toelichting.is_empty() {
                return Err(WebError::invalid_field(
                    "toelichting",
                    "Geef de reden van de afwijzing; de aanbieder krijgt die te zien.",
                ));
            }
            let antwoord = ClientEvent::VerzoekAntwoord {
                verzoek: nummer,
                uitkomst,
                toelichting,
            };
            if uitkomst != VerzoekUitkomst::Toegekend {
                return Ok((antwoord, Vec::new()));
            }
            let first = match &v.soort {
                VerzoekSoort::Toewijzing {
                    product,
                    start,
                    einde,
                } => {
                    let p = profile.product(product).ok_or_else(|| {
                        WebError::invalid_field(
                            "nummer",
                            format!("product {product} staat niet in de catalogus"),
                        )
                    })?;
                    let leveringsvorm = serde_json::from_value::<Leveringsvorm>(
                        serde_json::Value::String(text(values, "leveringsvorm").to_owned()),
                    )
                    .map_err(|_| {
                        WebError::invalid_field("leveringsvorm", "Kies zorg in natura of pgb.")
                    })?;
                    ClientEvent::Toewijzing {
                        product: product.clone(),
                        start: *start,
                        einde: einde.unwrap_or_else(|| p.default_end(*start)),
                        leveringsvorm,
                        aanbieder: Some(v.aanbieder),
                    }
                }
                VerzoekSoort::Wijziging { wijziging } => ClientEvent::Wijziging(wijziging.clone()),
            };
            Ok((first, vec![antwoord]))
        }
        _ => Err(WebError::invalid_field("soort", "Onbekend formulier.")),
    }
}

/// `POST /verzoeken`: answer a request or an advice question (from `/verzoeken` or the
/// dossier). Refused input: 422 on the page it came from with the message at the field,
/// nothing written.
pub(crate) async fn answer(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let profile = clerk_profile(&st, &user)?;
    // A body that is no form is answered like an empty one.
    let values: Values = form
        .map(|Form(pairs)| pairs.into_iter().collect())
        .unwrap_or_default();
    let today = st.today();
    let id = text(&values, "client").to_owned();
    if ClientId::parse(&id).is_err() {
        return Err(WebError::invalid_field(
            "client",
            "Kies een verzoek of adviesvraag uit de lijst; het formulier noemt geen cliënt.",
        ));
    }
    let (rec, rprofile) =
        record_or_error(&st, &user, &id, "verzoek of adviesvraag beantwoorden").await?;
    if rprofile.id != profile.id {
        return Err(crate::voordeur_pages::not_a_clerk());
    }
    let client = rec.state.client;
    let expected = text(&values, "versie").parse::<u32>().ok();
    let key = values.get("sleutel").filter(|k| !k.is_empty()).cloned();
    let nummer = text(&values, "nummer").parse::<u32>().unwrap_or(0);
    let back = text(&values, "terug").to_owned();
    let result = match answer_of(&profile, &rec.state, &values) {
        Ok((first, after)) => {
            voordeur::record_with(&st, &user, client, expected, key, today, first, None, after)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => {
            let m = if r.replay { "dubbel" } else { "beantwoord" };
            Ok(Redirect::to(&if back == "dossier" {
                format!(
                    "/clienten/{client}?melding={}#melding",
                    if r.replay { "dubbel" } else { "opgeslagen" }
                )
            } else {
                format!("/verzoeken?melding={m}#melding")
            })
            .into_response())
        }
        Err(e) if e.status == StatusCode::FORBIDDEN || e.status.is_server_error() => Err(e),
        Err(e) => {
            // The rules of the toewijzing speak of its fields; on this form they are the
            // request's, so the message stands at the answer.
            let e = match e.field.as_deref() {
                Some("toelichting" | "advies" | "uitkomst" | "leveringsvorm") => e,
                _ => {
                    let field = if text(&values, "soort") == "advies" {
                        "advies"
                    } else {
                        "uitkomst"
                    };
                    e.field(field)
                }
            };
            if back == "dossier" {
                // Given in the dossier: shown there again, at the answer (issue 14).
                let soort = text(&values, "soort").to_owned();
                return crate::voordeur_pages::client_page(
                    &st,
                    &user,
                    client,
                    crate::voordeur_pages::ClientQuery::default(),
                    Some(crate::voordeur_pages::Failed::new(&soort, &e, &values)),
                )
                .await;
            }
            show(
                &st,
                &user,
                &profile,
                None,
                Some((client, nummer, &e, &values)),
            )
            .await
        }
    }
}
