//! The front door's screens for a toegangsmedewerker (Dutch, server-rendered, no scripts):
//! `/aanmelden` (with duplicate detection as a clear choice), the forms on the client page
//! (beoordeling with the explained evaluation, besluit with the woonplaatsbeginsel, wachtlijst,
//! start, wijziging, einde). The decision letter is in `brief.rs`, the waiting list and the
//! worklist in `werklijst.rs`.
//!
//! Every form carries a fresh idempotency key (a double submit writes nothing twice) and the
//! version it was rendered from (two clerks at once get a clear conflict and keep their
//! input). Every read and write goes through the access gate with a stated purpose.

use std::collections::HashMap;

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use vangnet_domain::events::Voordeur;
use vangnet_domain::events::{
    Advies, Behoefte, Bestemming, Leveringsvorm, Melder, Urgentie, Wijziging, Woonsituatie,
    ZRM_DOMAIN_NAMES,
};
use vangnet_domain::frontdoor;
use vangnet_domain::gemeenten::Gemeenten;
use vangnet_domain::rules::{Evaluation, Outcome};
use vangnet_domain::state::Phase;
use vangnet_domain::woonplaats;
use vangnet_domain::{
    AgbCode, ClientEvent, ClientId, Date, GemeenteCode, LocationId, Organisation, ProductCode,
    RegionId, RegionProfile, Role,
};
use vangnet_store::ClientRecord;

use crate::html::{self, Nav};
use crate::users::DemoUser;
use crate::voordeur::{self, Override, Registered};
use crate::{AppState, WebError, figures, labels};

/// Submitted form values by name (the last value wins).
pub(crate) type Values = HashMap<String, String>;

const WOONSITUATIES: [Woonsituatie; 8] = [
    Woonsituatie::Dakloos,
    Woonsituatie::DreigendDakloos,
    Woonsituatie::Thuis,
    Woonsituatie::Kliniek,
    Woonsituatie::Detentie,
    Woonsituatie::Wlz,
    Woonsituatie::AndereRegio,
    Woonsituatie::Overig,
];
const URGENTIES: [Urgentie; 3] = [Urgentie::Regulier, Urgentie::Urgent, Urgentie::Crisis];

/// The serde key of an enum value (`"dreigend_dakloos"`).
pub(crate) fn key_of<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn enum_of<T: DeserializeOwned>(values: &Values, name: &str) -> Result<T, WebError> {
    let s = values.get(name).map(String::as_str).unwrap_or("");
    if s.is_empty() {
        return Err(WebError::invalid_field(name.to_owned(), "Maak een keuze."));
    }
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| {
        WebError::invalid_field(
            name.to_owned(),
            "Deze keuze bestaat niet; kies een van de mogelijkheden.",
        )
    })
}

pub(crate) fn text<'a>(values: &'a Values, name: &str) -> &'a str {
    values.get(name).map_or("", |s| s.trim())
}

pub(crate) fn date_of(values: &Values, name: &str, default: Date) -> Result<Date, WebError> {
    match text(values, name) {
        "" => Ok(default),
        s => Date::parse(s).map_err(|_| {
            WebError::invalid_field(
                name.to_owned(),
                "Dit is geen bestaande datum. Vul dag, maand en jaar in.",
            )
        }),
    }
}

pub(crate) fn render(
    st: &AppState,
    status: StatusCode,
    title: &str,
    user: &DemoUser,
    nav: &Nav,
    body: Markup,
) -> Response {
    (
        status,
        Html(html::page(title, Some(user), st.store().regions(), nav, body).into_string()),
    )
        .into_response()
}

/// The region of a toegangsmedewerker.
pub(crate) fn clerk_region(user: &DemoUser) -> Option<&RegionId> {
    match (&user.actor.role, &user.actor.organisation) {
        (Role::Toegangsmedewerker, Organisation::Regio(r)) => Some(r),
        _ => None,
    }
}

/// The profile of the clerk's region, or the Dutch 403 for everyone who is not a region's
/// toegangsmedewerker.
pub(crate) fn clerk_profile(st: &AppState, user: &DemoUser) -> Result<RegionProfile, WebError> {
    clerk_region(user)
        .and_then(|r| st.store().regions().get(r))
        .cloned()
        .ok_or_else(not_a_clerk)
}

/// The region whose application form `user` gets ([`crate::RouteRule::Register`]): a
/// clerk's own region, a wijkteam's the region its gemeente belongs to for new clients today
/// (the store decides on each application: region, and for a wijkteam its own residents).
fn registrar_profile(st: &AppState, user: &DemoUser) -> Option<RegionProfile> {
    let regions = st.store().regions();
    match (&user.actor.role, &user.actor.organisation) {
        (Role::Toegangsmedewerker, Organisation::Regio(r)) => regions.get(r).cloned(),
        (Role::Wijkteam, Organisation::Gemeente(g)) => regions
            .all()
            .iter()
            .find(|p| p.member_for_new_on(*g, st.today()))
            .cloned(),
        _ => None,
    }
}

pub(crate) fn not_a_clerk() -> WebError {
    WebError::forbidden("Deze pagina is voor de toegangsmedewerkers van een regio.")
}

/// Whether a failed submission is shown again in its form (bad input, a rule refused, a
/// clash: the user can act on it there) rather than as the error page (no access, not
/// found, a database fault — with its `Retry-After` when busy).
fn shown_in_form(e: &WebError) -> bool {
    matches!(
        e.status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
    )
}

// ---------------------------------------------------------------------------------------
// Form pieces

/// The error message for `name`, shown next to the field.
fn field_error(err: Option<&WebError>, name: &str) -> Markup {
    html! {
        @if let Some(m) = err.and_then(|e| e.message_for(name)) {
            (html::field_message(name, &html::sentence(m)))
        }
    }
}

fn invalid(err: Option<&WebError>, name: &str) -> Option<&'static str> {
    err.and_then(|e| e.message_for(name)).map(|_| "true")
}

fn described(err: Option<&WebError>, name: &str) -> Option<String> {
    err.and_then(|e| e.message_for(name))
        .map(|_| format!("fout-{name}"))
}

/// A labelled text-like input.
#[allow(clippy::too_many_arguments)]
pub(crate) fn input(
    id_prefix: &str,
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    required: bool,
    err: Option<&WebError>,
    hint: Option<&str>,
) -> Markup {
    let id = format!("{id_prefix}-{name}");
    html! {
        div.veld {
            label for=(id) { (label) @if !required { span.klein { " (optioneel)" } } }
            @if let Some(h) = hint { span.hint id={ (id) "-hint" } { (h) } }
            (field_error(err, name))
            input id=(id) name=(name) type=(kind) value=(value) required[required]
                aria-invalid=[invalid(err, name)]
                aria-describedby=[described(err, name).or_else(|| hint.map(|_| format!("{id}-hint")))];
        }
    }
}

/// A labelled select with (value, label) options.
pub(crate) fn select(
    id_prefix: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    err: Option<&WebError>,
) -> Markup {
    let id = format!("{id_prefix}-{name}");
    html! {
        div.veld {
            label for=(id) { (label) }
            (field_error(err, name))
            select id=(id) name=(name) aria-invalid=[invalid(err, name)] aria-describedby=[described(err, name)] {
                @for (v, l) in options {
                    option value=(v) selected[v == selected] { (l) }
                }
            }
        }
    }
}

pub(crate) fn hidden_common(soort: &str, version: u32, product: Option<&str>) -> Markup {
    html! {
        input type="hidden" name="soort" value=(soort);
        input type="hidden" name="versie" value=(version);
        input type="hidden" name="sleutel" value=(voordeur::form_key());
        @if let Some(p) = product { input type="hidden" name="focus" value=(p); }
    }
}

// ---------------------------------------------------------------------------------------
// Aanmelden

fn aanmeld_form(
    profile: &RegionProfile,
    values: Option<&Values>,
    err: Option<&WebError>,
    today: Date,
) -> Markup {
    let v = |name: &str, default: &str| -> String {
        values
            .and_then(|x| x.get(name))
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    };
    let mut gemeenten: Vec<(String, String)> =
        vec![(String::new(), "niet ingeschreven in de BRP".into())];
    gemeenten.extend(
        profile
            .gemeenten
            .iter()
            .map(|g| (g.code.to_string(), g.name.clone())),
    );
    let door_date = values
        .and_then(|x| x.get("datum"))
        .and_then(|d| Date::parse(d.trim()).ok())
        .unwrap_or(today);
    let deuren: Vec<(String, String)> = std::iter::once((
        "centraal".to_owned(),
        format!("Centrale toegang van {} (standaard)", profile.name),
    ))
    // Only the local front doors allowed on the date entered (or today).
    .chain(
        frontdoor::local_front_doors_on(profile, door_date)
            .into_iter()
            .map(|g| {
                (
                    format!("lokaal:{}", g.code),
                    format!("Lokaal loket van {}", g.name),
                )
            }),
    )
    .chain(std::iter::once((
        "andere_regio".to_owned(),
        "Voordeur buiten de regio (kies de gemeente hieronder)".to_owned(),
    )))
    .collect();
    let melders: Vec<(String, String)> = Melder::ALL
        .iter()
        .map(|m| (key_of(*m), labels::melder(*m).to_owned()))
        .collect();
    let woon: Vec<(String, String)> = WOONSITUATIES
        .iter()
        .map(|w| (key_of(*w), labels::woonsituatie(*w).to_owned()))
        .collect();
    html! {
        h1 { "Aanmelden" }
        p.inleiding {
            "Leg een aanmelding of melding vast voor " strong { (profile.name) } ". "
            "Bestaat er al een cliënt met hetzelfde BSN, dan krijgt u eerst een keuze: er wordt nooit stilzwijgend een tweede casus geopend."
        }
        (html::error_summary(err, Some("aanm")))
        form.formulier method="post" action="/aanmelden" novalidate {
            (crate::users::csrf_field())
            input type="hidden" name="sleutel" value=(v("sleutel", &voordeur::form_key()));
            input type="hidden" name="regio" value=(profile.id);
            @if values.is_some_and(|x| x.contains_key("bevestig")) {
                input type="hidden" name="bevestig" value="1";
            }
            fieldset {
                legend { "Persoon" }
                (input("aanm", "bsn", "BSN", "text", &v("bsn", ""), true, err, Some("9 cijfers; de elfproef wordt gecontroleerd. Alleen synthetische personen (9xxxxxxxx).")))
                (input("aanm", "voornaam", "Voornaam", "text", &v("voornaam", ""), true, err, None))
                (input("aanm", "achternaam", "Achternaam", "text", &v("achternaam", ""), true, err, None))
                (input("aanm", "geboortedatum", "Geboortedatum", "date", &v("geboortedatum", ""), true, err, None))
            }
            fieldset {
                legend { "Aanmelding" }
                (input("aanm", "datum", "Datum van aanmelding", "date", &v("datum", &today.to_string()), true, err, None))
                (select("aanm", "voordeur", "Voordeur die de aanmelding ontving", &deuren, &v("voordeur", "centraal"), err))
                (gemeente_input("aanm", "voordeur_gemeente", "Gemeente van de voordeur buiten de regio", &v("voordeur_gemeente", ""), false, err, "Alleen bij een voordeur buiten de regio; typ de naam van de gemeente. Onder de huidige wet is de gemeente waartoe iemand zich wendt verantwoordelijk — dat is de voordeur, niet de inschrijving."))
                (select("aanm", "melder", "Wie meldt aan", &melders, &v("melder", "wijkteam"), err))
                (select("aanm", "herkomst_gemeente", "Inschrijving in de BRP (gemeente van herkomst)", &gemeenten, &v("herkomst_gemeente", ""), err))
                (gemeente_input("aanm", "herkomst_anders", "Of: ingeschreven in een gemeente buiten de regio", &v("herkomst_anders", ""), false, err, "Typ de naam van de gemeente, bijvoorbeeld Amsterdam; vult u dit in, dan geldt deze gemeente."))
                (select("aanm", "woonsituatie", "Huidige woonsituatie", &woon, &v("woonsituatie", "thuis"), err))
                fieldset.keuzes {
                    legend { "Urgentie" }
                    (field_error(err, "urgentie"))
                    @for u in URGENTIES {
                        @let id = format!("aanm-urgentie-{}", key_of(u));
                        div.keuze {
                            input type="radio" id=(id) name="urgentie" value=(key_of(u)) checked[v("urgentie", "regulier") == key_of(u)];
                            label for=(id) { (labels::urgentie(u)) }
                        }
                    }
                }
            }
            button.knop type="submit" { "Aanmelding vastleggen" }
        }
        (gemeenten_datalist(door_date))
    }
}

/// The names of the gemeenten on `date`, alphabetically.
fn gemeenten_by_name(date: Date) -> Vec<&'static str> {
    let mut names: Vec<&str> = Gemeenten::national()
        .current_on(date)
        .into_iter()
        .map(|g| g.name.as_str())
        .collect();
    names.sort_by_key(|n| n.trim_start_matches('\'').to_lowercase());
    names
}

/// The national list of gemeenten on `date` as suggestions for [`gemeente_input`].
fn gemeenten_datalist(date: Date) -> Markup {
    html! {
        datalist id="gemeenten-lijst" {
            @for g in gemeenten_by_name(date) { option value=(g) {} }
        }
    }
}

/// A text input for a gemeente by name, with the national list as suggestions
/// (`<datalist>`: the browser offers matching names while typing, no script).
pub(crate) fn gemeente_input(
    id_prefix: &str,
    name: &str,
    label: &str,
    value: &str,
    required: bool,
    err: Option<&WebError>,
    hint: &str,
) -> Markup {
    let id = format!("{id_prefix}-{name}");
    html! {
        div.veld {
            label for=(id) { (label) @if !required { span.klein { " (optioneel)" } } }
            span.hint id={ (id) "-hint" } { (hint) }
            (field_error(err, name))
            input id=(id) name=(name) type="text" value=(value) list="gemeenten-lijst" autocomplete="off"
                aria-invalid=[invalid(err, name)]
                aria-describedby=[described(err, name).or_else(|| Some(format!("{id}-hint")))];
        }
    }
}

/// The gemeente typed in `field`: a name current on `date` (or, for who knows them, a CBS
/// code); `None` when empty. A Dutch error naming what to do otherwise.
pub(crate) fn gemeente_of(
    values: &Values,
    field: &str,
    date: Date,
) -> Result<Option<GemeenteCode>, WebError> {
    let typed = text(values, field);
    if typed.is_empty() {
        return Ok(None);
    }
    if let Some(g) = Gemeenten::national().by_name_on(typed, date) {
        return Ok(Some(g.code));
    }
    match GemeenteCode::parse(&typed.to_uppercase()) {
        Ok(code) => match Gemeenten::national().valid_on(code, date) {
            Ok(_) => Ok(Some(code)),
            Err(_) => Err(WebError::invalid_field(
                field.to_owned(),
                format!(
                    "Er is geen gemeente met code \"{typed}\" op {}. Typ de naam van de gemeente.",
                    labels::date(date)
                ),
            )),
        },
        Err(_) => Err(WebError::invalid_field(
            field.to_owned(),
            format!(
                "Er is geen gemeente \"{typed}\" op {}. Kies een naam uit de lijst die verschijnt tijdens het typen.",
                labels::date(date)
            ),
        )),
    }
}

/// `GET /aanmelden`.
pub(crate) async fn aanmelden_form(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
) -> Result<Response, WebError> {
    let profile = registrar_profile(&st, &user).ok_or_else(not_a_clerk)?;
    Ok(render(
        &st,
        StatusCode::OK,
        "Aanmelden",
        &user,
        &Nav::Aanmelden,
        aanmeld_form(&profile, None, None, st.today()),
    ))
}

/// Collects the refusals of one form, so that every error is shown at once.
#[derive(Default)]
struct Refusals(Option<WebError>);

impl Refusals {
    /// The value, or `None` with the error kept.
    fn take<T>(&mut self, r: Result<T, WebError>) -> Option<T> {
        r.map_err(|e| self.add(e)).ok()
    }

    fn add(&mut self, e: WebError) {
        self.0 = Some(match self.0.take() {
            None => e,
            Some(first) => e
                .field_errors()
                .into_iter()
                .fold(first, |acc, (f, m)| acc.also(f, m)),
        });
    }
}

fn parse_aanmeld_form(values: &Values, today: Date) -> Result<voordeur::Aanmelding, WebError> {
    let mut refused = Refusals::default();
    let person = refused.take(voordeur::parse_person(
        text(values, "bsn"),
        text(values, "voornaam"),
        text(values, "achternaam"),
        text(values, "geboortedatum"),
    ));
    let regio = refused.take(RegionId::parse(text(values, "regio")).map_err(|_| {
        WebError::invalid_field(
            "regio",
            "De regio van het formulier ontbreekt; open het aanmeldformulier opnieuw.",
        )
    }));
    let datum = refused.take(date_of(values, "datum", today));
    let on = datum.unwrap_or(today);
    let anders = refused.take(gemeente_of(values, "herkomst_anders", on));
    let gekozen = refused.take(match text(values, "herkomst_gemeente") {
        "" => Ok(None),
        g => GemeenteCode::parse(g).map(Some).map_err(|_| {
            WebError::invalid_field("herkomst_gemeente", "Kies een gemeente uit de lijst.")
        }),
    });
    let herkomst = anders.flatten().or(gekozen.flatten());
    let voordeur = refused.take(match text(values, "voordeur") {
        "" | "centraal" => Ok(Voordeur::Centraal),
        "andere_regio" => match gemeente_of(values, "voordeur_gemeente", on) {
            Ok(Some(gemeente)) => Ok(Voordeur::AndereRegio { gemeente }),
            Ok(None) => Err(WebError::invalid_field(
                "voordeur_gemeente",
                "Typ de gemeente van de voordeur buiten de regio.",
            )),
            Err(e) => Err(e),
        },
        other => match other.strip_prefix("lokaal:").map(GemeenteCode::parse) {
            Some(Ok(gemeente)) => Ok(Voordeur::Lokaal { gemeente }),
            _ => Err(WebError::invalid_field(
                "voordeur",
                "Deze voordeur bestaat niet; kies een van de mogelijkheden.",
            )),
        },
    });
    let melder = refused.take(enum_of(values, "melder"));
    let woonsituatie = refused.take(enum_of(values, "woonsituatie"));
    let urgentie = refused.take(enum_of(values, "urgentie"));
    match (
        person,
        regio,
        voordeur,
        melder,
        woonsituatie,
        urgentie,
        datum,
        refused.0,
    ) {
        (
            Some(person),
            Some(regio),
            Some(voordeur),
            Some(melder),
            Some(woonsituatie),
            Some(urgentie),
            Some(datum),
            None,
        ) => Ok(voordeur::Aanmelding {
            person,
            regio,
            voordeur,
            melder,
            herkomst,
            woonsituatie,
            urgentie,
            datum,
            key: values.get("sleutel").filter(|k| !k.is_empty()).cloned(),
            bevestig: values.contains_key("bevestig"),
            bevestig_gegevens: values.contains_key("bevestig_gegevens"),
        }),
        (.., Some(e)) => Err(e),
        // `take` keeps a refusal for every value it leaves out; this arm is not reached.
        (.., None) => Err(WebError::invalid(
            "Het formulier is niet volledig ingevuld.",
        )),
    }
}

/// The anchor and title of a section of the client page (`verder` in the query).
fn section_title(anchor: &str) -> Option<(&'static str, &'static str)> {
    [
        ("kop-zorg", "de zorg"),
        ("beoordeling", "de beoordeling"),
        ("besluit", "het besluit"),
        ("plaatsing", "wachtlijst en plaatsing"),
        ("zorg-wijzigen", "de zorg wijzigen of beëindigen"),
        ("lokale-toegang", "de lokale toegang"),
        ("verzoeken", "verzoeken en adviesvragen"),
        ("wonen", "wonen"),
    ]
    .into_iter()
    .find(|(a, _)| *a == anchor)
}

/// `POST /aanmelden`.
pub(crate) async fn aanmelden_submit(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    // Who may not register anywhere still goes to the store, which refuses and logs it,
    // as for `POST /api/clienten`.
    let profile = registrar_profile(&st, &user);
    let values: Values = pairs.into_iter().collect();
    let result = match parse_aanmeld_form(&values, st.today()) {
        Ok(a) => voordeur::register(&st, &user, a).await,
        Err(e) => Err(e),
    };
    Ok(match result {
        Ok(r) => {
            let melding = match r {
                Registered::Nieuw(_) => "aangemeld",
                Registered::Heraanmelding(_) => "heraangemeld",
                Registered::AlVerwerkt(_) => "dubbel",
            };
            Redirect::to(&format!(
                "/clienten/{}?melding={melding}",
                r.receipt().client
            ))
            .into_response()
        }
        Err(e) if e.bestaande_client().is_some() => render(
            &st,
            StatusCode::CONFLICT,
            "Bestaande cliënt",
            &user,
            &Nav::Aanmelden,
            duplicate_choice(&e, &values),
        ),
        Err(e) => match profile {
            Some(profile) if shown_in_form(&e) => render(
                &st,
                e.status,
                "Aanmelden",
                &user,
                &Nav::Aanmelden,
                aanmeld_form(&profile, Some(&values), Some(&e), st.today()),
            ),
            _ => return Err(e),
        },
    })
}

fn duplicate_choice(e: &WebError, values: &Values) -> Markup {
    let (existing, open) = e.bestaande_client().expect("checked");
    // feat/zoeken: another region, or the same BSN with another name or birth date.
    let (andere_regio, bekend) = e.elsewhere_detail();
    if andere_regio.is_some() || bekend.is_some() {
        return crate::zoeken::duplicate_choice_elsewhere(e, values, existing, open);
    }
    html! {
        h1 { "Er bestaat al een cliënt met dit BSN" }
        div.melding role="alert" {
            p { "Het BSN hoort bij dossier " strong { (existing) } ". " (e.message) "." }
        }
        h2 { "Wat wilt u doen?" }
        ul.keuzelijst {
            li {
                a.knop href={ "/clienten/" (existing) } { "Het bestaande dossier " (existing) " openen" }
            }
            @if !open {
                li {
                    form method="post" action="/aanmelden" {
                        (crate::users::csrf_field())
                        @for (k, v) in values {
                            @if k != "bevestig" && k != "csrf" { input type="hidden" name=(k) value=(v); }
                        }
                        input type="hidden" name="bevestig" value="1";
                        button.knop type="submit" { "Nieuwe aanmelding vastleggen in dossier " (existing) }
                    }
                    p.klein { "De vorige casus is afgesloten (afgewezen of uitgestroomd). De nieuwe aanmelding komt in hetzelfde dossier; er komt geen tweede dossier." }
                }
            } @else {
                li { p { "Een tweede casus naast de lopende casus is niet mogelijk. Werk het bestaande dossier bij." } }
            }
            li { a href="/aanmelden" { "Terug naar een leeg aanmeldformulier" } }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Client page: the front-door forms

/// Query of the client page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ClientQuery {
    /// Which product the evaluation is shown for.
    pub product: Option<String>,
    /// A notice after a redirect (`opgeslagen`, `dubbel`, `aangemeld`, …).
    pub melding: Option<String>,
    /// The section of the page the saved form was in (linked from the notice).
    pub verder: Option<String>,
    /// The location to preselect in the placement form (`id="plaatsing"`), e.g. from the
    /// waiting list's "Plaatsen" link.
    pub locatie: Option<String>,
}

/// A failed form submission to show again on the client page.
pub(crate) struct Failed<'a> {
    soort: &'a str,
    error: &'a WebError,
    values: &'a Values,
}

impl<'a> Failed<'a> {
    /// The refused form `soort` with its error and the values typed.
    pub(crate) fn new(soort: &'a str, error: &'a WebError, values: &'a Values) -> Failed<'a> {
        Failed {
            soort,
            error,
            values,
        }
    }
}

/// Clients in care at `l` with `product` today (from the region's occupancy counters).
fn occupied_at(
    l: &vangnet_domain::region::Location,
    product: &vangnet_domain::ProductCode,
    occupancy: &[(String, String, u64)],
) -> u64 {
    occupancy
        .iter()
        .find(|(loc, p, _)| *loc == l.id.as_str() && *p == product.as_str())
        .map_or(0, |o| o.2)
}

/// A location in the placement form: name, gemeente and its occupancy today ("vol" when
/// full), so the clerk sees where there is room before choosing.
fn placement_option(
    profile: &RegionProfile,
    l: &vangnet_domain::region::Location,
    product: &vangnet_domain::ProductCode,
    occupancy: &[(String, String, u64)],
) -> String {
    let places = l.places.get(product).copied().unwrap_or(0);
    let occupied = occupied_at(l, product, occupancy);
    format!(
        "{} — {} · {occupied} van {places} bezet{}",
        l.name,
        figures::gemeente_name(profile, &l.gemeente.to_string()),
        if occupied >= u64::from(places) {
            " (vol)"
        } else {
            ""
        }
    )
}

/// The client page: the record, and for the region's own access team the front-door forms.
pub(crate) async fn client_page(
    st: &AppState,
    user: &DemoUser,
    client: ClientId,
    q: ClientQuery,
    failed: Option<Failed<'_>>,
) -> Result<Response, WebError> {
    let gate = user.gate("dossier inzien");
    let rec = st.blocking(move |s| s.read_client(&gate, client)).await?;
    let today = st.today();
    let profile = st.store().regions().get(&rec.state.regio);
    let own = clerk_region(user).is_some_and(|r| *r == rec.state.regio);
    // feat/toegang (issue 14): the wijkteam of the client's gemeente, the local front door.
    let local = profile.and_then(|p| crate::wijkteam::local_door(user, p, &rec, today));
    let notice = q.melding.as_deref().and_then(|m| match m {
        "opgeslagen" => Some("De gegevens zijn opgeslagen."),
        "aangemeld" => Some("De aanmelding is vastgelegd; er is een nieuw dossier aangemaakt."),
        "heraangemeld" => Some("De nieuwe aanmelding is vastgelegd in het bestaande dossier."),
        "dubbel" => Some("Dit formulier was al verwerkt; er is niets opnieuw opgeslagen."),
        "geplaatst" => Some("De plaatsing is vastgelegd: de zorg is gestart."),
        _ => None,
    });
    let status = failed.as_ref().map_or(StatusCode::OK, |f| f.error.status);
    let mut actors: Vec<String> = rec.events.iter().map(|e| e.actor.user.clone()).collect();
    actors.sort();
    actors.dedup();
    let names = crate::toegangslog::UserNames::of(st, actors).await;
    // Occupancy for the placement form (aggregate counts, no client data).
    let occupancy = if own && matches!(rec.state.phase(), Phase::Toegewezen | Phase::Wachtend) {
        let region = rec.state.regio.clone();
        st.blocking(move |s| s.overview(&region, today))
            .await?
            .occupancy
    } else {
        Vec::new()
    };
    let brieven = crate::brief::letters_section(st, user, &rec).await;
    // The forms of facts only the region's team records (BRP, eerdere zorg) are shown to who
    // may record them by the rights per fact — the store would refuse the others.
    let may = |e: &ClientEvent| crate::voordeur::may_record(st, &user.actor, &rec, e, today);
    let forms = Forms {
        brp: may(&ClientEvent::BrpInschrijving {
            vanaf: today,
            gemeente: None,
            instelling: false,
            briefadres: false,
        }),
        eerdere_zorg: profile.is_some_and(|p| {
            may(&ClientEvent::EerdereZorg {
                soort: vangnet_domain::events::EerdereZorgSoort::BeschermdWonen,
                gemeente: p.centrumgemeente,
                einde: today,
                bron: vangnet_domain::events::Kennisbron::EigenVerklaring,
            })
        }),
    };
    let body = html! {
        @if let Some(n) = notice {
            // In view and focused after the redirect (`#melding`, `autofocus`: no script).
            div.melding.melding-goed id="melding" role="status" tabindex="-1" autofocus {
                p { (n) }
                @if let Some(a) = q.verder.as_deref().and_then(section_title) {
                    p { a href={ "#" (a.0) } { "Verder naar " (a.1) } }
                }
            }
        }
        (html::client(&rec, st.store().regions(), today, &|u| names.name(u).map(str::to_owned)))
        @if let Some(p) = profile { (who_is_who(p, &rec, today)) }
        @if let (true, Some(p)) = (own, profile) {
            (front_door(p, &rec, &q, failed.as_ref(), today, &occupancy, None, forms))
            (gemeenten_datalist(today))
        } @else if let (Some(steps), Some(p)) = (local, profile) {
            (crate::wijkteam::dossier_section(p, &rec, failed.as_ref().map(|f| (f.soort, f.error, f.values)), today))
            @if steps.beoordeelt || steps.beslist {
                (front_door(p, &rec, &q, failed.as_ref(), today, &occupancy, Some(steps), forms))
                (gemeenten_datalist(today))
            }
        }
        (brieven)
    };
    Ok(render(
        st,
        status,
        &format!("Dossier {client}"),
        user,
        &Nav::None,
        body,
    ))
}

/// The dossier's "who is who" for the current application, each labelled: the front door,
/// the registration, the responsible gemeente (as recorded with the decision, else as
/// computed now, said so), who decides and who pays today.
fn who_is_who(profile: &RegionProfile, rec: &ClientRecord, today: Date) -> Markup {
    let d = voordeur::dossier(rec);
    let s = &rec.state;
    let product = frontdoor::focus_product(profile, s, None, today);
    let computed = product.map(|p| woonplaats::woonplaats_of(profile, p, &d, today));
    let recorded = woonplaats::vastgesteld(&d);
    let domain = product.map_or(vangnet_domain::region::Domain::Bw, |p| p.domain);
    let (regime, gemeente) = match (&recorded, &computed) {
        (Some(r), _) => (r.regime_or(profile, s.aangemeld), Some(r.gemeente)),
        (None, Some(c)) => (c.regime, Some(c.gemeente)),
        (None, None) => (profile.regime_on(s.aangemeld), None),
    };
    let rollen = woonplaats::rollen(
        profile,
        s,
        regime,
        gemeente.unwrap_or(profile.centrumgemeente),
        domain,
    );
    html! {
        section aria-labelledby="kop-wie" id="wie" {
            h2 id="kop-wie" { "Voordeur en verantwoordelijke gemeente" }
            dl.kenmerken.kenmerken-breed {
                dt { "Voordeur" } dd { (rollen.voordeur) }
                dt { "Inschrijving" } dd { (rollen.inschrijving) }
                dt { "Verantwoordelijke gemeente" }
                dd {
                    @match (&recorded, &computed) {
                        (Some(r), _) => { (woonplaats::naam(r.gemeente)) " — vastgesteld bij het besluit van " (labels::date(r.datum)) @if r.afwijkend() { " (afwijkend van de berekende " (woonplaats::naam(r.berekend)) ")" } }
                        (None, Some(c)) => { (woonplaats::naam(c.gemeente)) " — berekend, nog niet vastgesteld" @if c.onzeker { " (onzeker)" } }
                        (None, None) => { "onbekend" }
                    }
                }
                dt { "Regime" } dd { (regime.label()) }
                dt { "Wie beslist" } dd { (rollen.beslist) }
                dt { "Wie betaalt (nu)" } dd { (rollen.betaalt) }
            }
        }
    }
}

/// The criteria table: for the team (`internal`) with each rule's source, profile line and the
/// rules engine's advice; in a letter only criterion, outcome and the fact used — no seed
/// references, profile lines or engine wording (issue 17 §3).
pub(crate) fn evaluation_table(ev: &Evaluation, caption: &str, internal: bool) -> Markup {
    html! {
        div.tabel-scroll tabindex="0" role="region" aria-label=(caption) {
            table id="toets" {
                caption { (caption) }
                thead {
                    tr {
                        th scope="col" { "Criterium" }
                        th scope="col" { "Uitkomst" }
                        th scope="col" { "Gebruikt feit" }
                        @if internal {
                            th scope="col" { "Bron" }
                            th.getal scope="col" { "Profielregel" }
                        }
                    }
                }
                tbody {
                    @for r in &ev.rules {
                        tr {
                            th scope="row" { (r.label) }
                            td {
                                @match r.outcome {
                                    Outcome::Voldaan => span.label.label-goed { "voldaan" },
                                    Outcome::NietVoldaan => span.label.label-fout { "niet voldaan" },
                                    Outcome::Onbekend => span.label.label-onbekend { "onbekend" },
                                }
                            }
                            td { (r.feit) }
                            @if internal {
                                td { (r.bron) }
                                td.getal { @if r.regel > 0 { (r.regel) } @else { "catalogus" } }
                            }
                        }
                    }
                }
            }
        }
        @if internal {
            p { strong { "Advies van de regelmotor: " } (ev.advice()) " Het besluit blijft mensenwerk." }
        }
    }
}

fn failed_for<'a>(failed: Option<&'a Failed<'a>>, soorten: &[&str]) -> Option<&'a WebError> {
    failed
        .filter(|f| soorten.contains(&f.soort))
        .map(|f| f.error)
}

fn form_error_box(err: Option<&WebError>) -> Markup {
    html::error_summary(err, None)
}

/// Which of the dossier's forms for facts outside the steps of the front door the user may
/// use (by [`vangnet_domain::access::may_record`]; the store decides again).
#[derive(Debug, Clone, Copy)]
struct Forms {
    /// BRP-inschrijving.
    brp: bool,
    /// Eerdere zorg elders.
    eerdere_zorg: bool,
}

#[allow(clippy::too_many_arguments)]
fn front_door(
    profile: &RegionProfile,
    rec: &ClientRecord,
    q: &ClientQuery,
    failed: Option<&Failed<'_>>,
    today: Date,
    occupancy: &[(String, String, u64)],
    local: Option<crate::wijkteam::Steps>,
    forms: Forms,
) -> Markup {
    // The region's team sees every form; the local front door (a wijkteam) only the
    // beoordeling and the besluit where its access model gives it those steps.
    let all = local.is_none();
    let may_assess = local.is_none_or(|l| l.beoordeelt);
    let may_decide = local.is_none_or(|l| l.beslist);
    let s = &rec.state;
    let version = s.version;
    let vals = |soort: &str| failed.filter(|f| f.soort == soort).map(|f| f.values);
    let v = |soort: &str, name: &str, default: &str| -> String {
        vals(soort)
            .and_then(|x| x.get(name))
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    };
    let d = voordeur::dossier(rec);
    let focus = frontdoor::focus_product(profile, s, q.product.as_deref(), today);
    let focus_code = focus.map(|p| p.code.to_string());
    let ev = focus.map(|p| frontdoor::evaluate_record(profile, p, &d, today));
    let woon = focus.map(|p| woonplaats::woonplaats_of(profile, p, &d, today));
    let latest = frontdoor::latest_beoordeling(&d);
    let facts = frontdoor::case_facts(profile, &d, today);
    let valid = frontdoor::products_on(profile, today);
    let product_opts: Vec<(String, String)> = valid
        .iter()
        .map(|p| (p.code.to_string(), p.name.clone()))
        .collect();
    let phase = s.phase();
    let prior = |key: &str| -> &'static str {
        if let Some((_, ClientEvent::Beoordeling { criteria, .. })) = latest
            && let Some(o) = criteria.iter().find(|o| o.criterium == key)
        {
            return match o.voldaan {
                Some(true) => "ja",
                Some(false) => "nee",
                None => "onbekend",
            };
        }
        "onbekend"
    };
    let err_beo = failed_for(failed, &["beoordeling"]);
    let err_besluit = failed_for(failed, &["toewijzing"]);
    let err_afw = failed_for(failed, &["afwijzing"]);
    let err_plaats = failed_for(failed, &["wachtlijst_in", "start_zorg"]);
    let err_zorg = failed_for(
        failed,
        &[
            "verlenging",
            "opschalen",
            "afschalen",
            "doorstroom",
            "einde_zorg",
        ],
    );
    let err_bezwaar = failed_for(failed, &["bezwaar"]);
    let err_brp = failed_for(failed, &["brp_inschrijving"]);
    let err_voorkeur = failed_for(failed, &["voorkeur"]);
    let err_uitstroom = failed_for(failed, &["woningzoekend", "uitstroomklaar"]);
    let gemeente_opts: Vec<(String, String)> = std::iter::once((String::new(), "—".to_owned()))
        .chain(profile.gemeenten.iter().map(|g| {
            (
                g.code.to_string(),
                figures::gemeente_name(profile, &g.code.to_string()),
            )
        }))
        .collect();
    let bepaald = woonplaats::vastgesteld(&d);
    let err_elders = failed_for(failed, &["eerdere_zorg"]);
    let conflict = failed.filter(|f| f.error.field.as_deref() == Some("expected_version"));
    html! {
        @if let Some(c) = conflict {
            div.fout role="alert" {
                p { strong { "Niet opgeslagen: " } (c.error.message) "." }
                p { "Uw invoer staat nog in het formulier hieronder; het dossier erboven is bijgewerkt naar de nieuwste versie." }
            }
        }
        @if may_assess {
        section.voordeur aria-labelledby="kop-vd-beoordeling" id="beoordeling" {
            h2 id="kop-vd-beoordeling" { "Beoordeling" }
            form.inline method="get" action={ "/clienten/" (s.client) } {
                (select("toon", "product", "Criteria tonen voor product", &product_opts, focus_code.as_deref().unwrap_or(""), None))
                button.knop.knop-secundair type="submit" { "Toon criteria" }
            }
            @if let (Some(ev), Some(p)) = (&ev, focus) {
                (evaluation_table(ev, &format!("Toetsing aan de criteria van {} voor {} (peildatum {})", profile.name, p.name, labels::date(today)), true))
                @if let Some((d, _)) = latest {
                    p.klein { "Gebaseerd op de beoordeling van " (labels::date(d)) ", de geboortedatum en de woonsituatie bij aanmelding." }
                } @else {
                    p.klein { "Er is nog geen beoordeling vastgelegd." }
                }
            }
            details open[latest.is_none() || err_beo.is_some()] {
                summary { "Beoordeling vastleggen" }
                form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#beoordeling" } {
                    (crate::users::csrf_field())
                    (hidden_common("beoordeling", version, focus_code.as_deref()))
                    (form_error_box(err_beo))
                    (input("beo", "datum", "Datum van de beoordeling", "date", &v("beoordeling", "datum", &today.to_string()), true, err_beo, None))
                    p {
                        "Leeftijd: " strong { @if let Some(a) = facts.leeftijd { (a) " jaar" } @else { "onbekend" } } " (uit de geboortedatum). "
                        "Woonsituatie bij aanmelding: " strong { (labels::woonsituatie(s.woonsituatie)) } "."
                    }
                    fieldset {
                        legend { "Criteria van de regio (uit het regioprofiel)" }
                        @for c in profile.criteria.iter().filter(|c| frontdoor::judged(c.test)) {
                            @let name = format!("crit_{}", c.key);
                            @let current = v("beoordeling", &name, prior(&c.key));
                            fieldset.keuzes.criterium {
                                legend { (c.label) span.klein { " — " (c.bron) ", profielregel " (c.line) } }
                                @for (val, lab) in [("ja", "ja"), ("nee", "nee"), ("onbekend", "onbekend")] {
                                    @let id = format!("beo-{}-{val}", c.key);
                                    div.keuze {
                                        input type="radio" id=(id) name=(name) value=(val) checked[current == val];
                                        label for=(id) { (lab) }
                                    }
                                }
                            }
                        }
                    }
                    fieldset {
                        legend { "Zelfredzaamheid-Matrix (ZRM): score per levensdomein" }
                        p.klein { "1 acute problematiek · 2 niet zelfredzaam · 3 beperkt zelfredzaam · 4 voldoende zelfredzaam · 5 volledig zelfredzaam" }
                        (field_error(err_beo, "zrm"))
                        div.zrm {
                            @for (i, domein) in ZRM_DOMAIN_NAMES.iter().enumerate() {
                                @let name = format!("zrm_{i}");
                                @let prev = match latest { Some((_, ClientEvent::Beoordeling { zrm, .. })) => zrm[i].map(|x| x.to_string()).unwrap_or_default(), _ => String::new() };
                                @let current = v("beoordeling", &name, &prev);
                                div.veld {
                                    label for={ "beo-" (name) } { (domein) }
                                    select id={ "beo-" (name) } name=(name) {
                                        option value="" selected[current.is_empty()] { "niet gescoord" }
                                        @for (n, l) in frontdoor::ZRM_LEVELS.iter().enumerate() {
                                            @let n = (n + 1).to_string();
                                            option value=(n) selected[current == n] { (l) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (input("beo", "doelgroep", "Doelgroep", "text", &v("beoordeling", "doelgroep", ""), false, err_beo, Some("Bijvoorbeeld pechhebbers, moeilijk-kunners, niet-willers, niet-kunners.")))
                    fieldset.keuzes id="beo-behoeften" {
                        legend { "Behoeften waar een locatie op moet kunnen inspelen" }
                        p.klein { "Voor de matching: een locatie die een aangevinkte behoefte niet kan bieden, krijgt deze cliënt niet voorgesteld (seed 004 §4.1)." }
                        (field_error(err_beo, "behoeften"))
                        @for b in Behoefte::ALL {
                            @let name = format!("behoefte_{}", b.key());
                            @let prev = match latest { Some((_, ClientEvent::Beoordeling { behoeften, .. })) => behoeften.contains(&b), _ => false };
                            @let checked = match vals("beoordeling") { Some(x) => x.get(&name).is_some_and(|v| v == "ja"), None => prev };
                            div.keuze {
                                input type="checkbox" id={ "beo-" (name) } name=(name) value="ja" checked[checked];
                                label for={ "beo-" (name) } { (b.label()) }
                            }
                        }
                    }
                    fieldset.keuzes {
                        legend { "Advies" }
                        @for a in [Advies::Toewijzen, Advies::Afwijzen, Advies::Doorverwijzen] {
                            @let id = format!("beo-advies-{}", key_of(a));
                            div.keuze {
                                input type="radio" id=(id) name="advies" value=(key_of(a)) checked[v("beoordeling", "advies", "toewijzen") == key_of(a)];
                                label for=(id) { (labels::advies(a)) }
                            }
                        }
                    }
                    button.knop type="submit" { "Beoordeling vastleggen" }
                }
            }
        }

        }
        @if may_decide {
        section.voordeur aria-labelledby="kop-vd-besluit" id="besluit" {
            h2 id="kop-vd-besluit" { "Besluit" }
            @if let Some(w) = &woon {
                div.kader {
                    h3 { "Woonplaatsbeginsel: verantwoordelijke gemeente" }
                    @if let Some(b) = &bepaald {
                        p {
                            "Vastgesteld bij het besluit van " (labels::date(b.datum)) ": " strong { (woonplaats::naam(b.gemeente)) }
                            " — " (b.regime_or(profile, s.aangemeld).label())
                            @if b.afwijkend() { " — afwijkend van de berekende gemeente " (woonplaats::naam(b.berekend)) }
                        }
                        @if let Some(r) = &b.afwijking { p.klein { "Interne notitie (niet in de brief): " (r) } }
                        p.klein { "In de brief: " (b.brieftekst()) }
                        p { "Berekend met de feiten van nu (ter controle; de brief toont wat is vastgesteld):" }
                    }
                    p { strong { (woonplaats::naam(w.gemeente)) } " — " (w.regime.label()) }
                    p { (w.toelichting) }
                    @if w.onzeker { p.klein { "Let op: deze uitkomst is onzeker — ze berust op een deel van de wet dat onze bronnen niet volledig bevatten; controleer." } }
                    h4 { "BRP-woonhistorie" }
                    @if s.brp.is_empty() {
                        p.klein { "Geen BRP-historie vastgelegd; Vangnet gebruikt de inschrijving die bij elke aanmelding is opgegeven." }
                    } @else {
                        div.tabel-scroll tabindex="0" role="region" aria-label="BRP-woonhistorie" {
                        table {
                            caption.klein { "Vastgelegde inschrijvingen (woonadres)" }
                            thead { tr { th scope="col" { "Vanaf" } th scope="col" { "Gemeente" } th scope="col" { "Aangewezen instelling" } th scope="col" { "Soort adres" } } }
                            tbody {
                                @for r in &s.brp {
                                    tr {
                                        td { (labels::date(r.van)) }
                                        td { @if let Some(g) = r.gemeente { (figures::gemeente_name(profile, &g.to_string())) } @else { "niet ingeschreven" } }
                                        td { @if r.instelling { "ja" } @else { "nee" } }
                                        td { @if r.briefadres { "briefadres (geen woonadres)" } @else if r.gemeente.is_some() { "woonadres" } @else { "—" } }
                                    }
                                }
                            }
                        }
                        }
                    }
                    @if forms.brp {
                    details open[err_brp.is_some()] {
                        summary { "BRP-inschrijving toevoegen" }
                        form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#besluit" } {
                            (crate::users::csrf_field())
                            (hidden_common("brp_inschrijving", version, focus_code.as_deref()))
                            (form_error_box(err_brp))
                            (input("brp", "vanaf", "Ingeschreven vanaf", "date", &v("brp_inschrijving", "vanaf", ""), true, err_brp, None))
                            (gemeente_input("brp", "gemeente", "Gemeente van het woonadres", &v("brp_inschrijving", "gemeente", ""), false, err_brp, "Typ de naam, bijvoorbeeld Arnhem. Laat leeg als de persoon vanaf die datum nergens ingeschreven is."))
                            div.keuze {
                                input type="checkbox" id="brp-instelling" name="instelling" value="ja" checked[v("brp_inschrijving", "instelling", "") == "ja"];
                                label for="brp-instelling" { "Adres van een aangewezen instelling (kliniek, detentie, Wlz, BW-locatie)" }
                            }
                            div.keuze {
                                input type="checkbox" id="brp-briefadres" name="briefadres" value="ja" checked[v("brp_inschrijving", "briefadres", "") == "ja"];
                                label for="brp-briefadres" { "Alleen een briefadres (geen woonadres)" }
                            }
                            button.knop type="submit" { "Inschrijving vastleggen" }
                        }
                    }
                    }
                    h4 { "Eerdere zorg elders" }
                    @if s.eerdere_zorg.is_empty() {
                        p.klein { "Geen eerdere zorg buiten dit dossier vastgelegd." }
                    } @else {
                        ul { @for z in &s.eerdere_zorg {
                            li { (labels::event_summary(Some(profile), &ClientEvent::EerdereZorg { soort: z.soort, gemeente: z.gemeente, einde: z.einde, bron: z.bron })) }
                        } }
                    }
                    @if forms.eerdere_zorg {
                    details open[err_elders.is_some()] {
                        summary { "Eerdere zorg elders vastleggen (zonder daar een casus te openen)" }
                        form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#besluit" } {
                            (crate::users::csrf_field())
                            (hidden_common("eerdere_zorg", version, focus_code.as_deref()))
                            (form_error_box(err_elders))
                            (select("ez", "soort", "Soort zorg", &[("beschermd_wonen".into(), "Beschermd wonen".into()), ("jeugdhulp_met_verblijf".into(), "Jeugdhulp met verblijf".into())], &v("eerdere_zorg", "soort", "beschermd_wonen"), err_elders))
                            (gemeente_input("ez", "gemeente", "Gemeente die de zorg gaf", &v("eerdere_zorg", "gemeente", ""), true, err_elders, "Typ de naam, bijvoorbeeld Amsterdam."))
                            (input("ez", "einde", "Laatste dag van die zorg", "date", &v("eerdere_zorg", "einde", ""), true, err_elders, None))
                            (select("ez", "bron", "Hoe is dit bekend", &[("eigen_verklaring".into(), "Eigen verklaring van de persoon".into()), ("andere_gemeente".into(), "Opgave van de andere gemeente of regio".into()), ("aanbieder".into(), "Gegevens van de aanbieder".into()), ("overdracht".into(), "Overdrachtsdossier".into())], &v("eerdere_zorg", "bron", "eigen_verklaring"), err_elders))
                            button.knop type="submit" { "Eerdere zorg vastleggen" }
                        }
                    }
                    }
                }
            }
            @if s.besluit.is_some() {
                p { a href={ "/clienten/" (s.client) "/besluitbrief" } { "Besluitbrief bekijken en afdrukken" } }
            }
            @if matches!(phase, Phase::Aangemeld) || s.bezwaar_open {
                @if let Some(ev) = &ev && !ev.missing().is_empty() {
                    div.melding role="status" {
                        p { strong { "Een toewijzing kan nog niet: " } "deze feiten zijn nog niet vastgesteld:" }
                        ul { @for m in ev.missing() { li { (m) } } }
                    }
                }
                details open[err_besluit.is_some()] {
                    summary { "Toewijzing vastleggen" }
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#besluit" } {
                        (crate::users::csrf_field())
                        (hidden_common("toewijzing", version, focus_code.as_deref()))
                        (form_error_box(err_besluit))
                        (select("tw", "product", "Product (catalogus geldig op vandaag)", &product_opts, &v("toewijzing", "product", focus_code.as_deref().unwrap_or("")), err_besluit))
                        (input("tw", "start", "Startdatum", "date", &v("toewijzing", "start", &today.to_string()), true, err_besluit, None))
                        (input("tw", "einde", "Einddatum", "date", &v("toewijzing", "einde", ""), false, err_besluit, Some(&default_end_hint(profile, today))))
                        fieldset.keuzes {
                            legend { "Leveringsvorm" }
                            @for l in [Leveringsvorm::Zin, Leveringsvorm::Pgb] {
                                @let id = format!("tw-lv-{}", key_of(l));
                                div.keuze {
                                    input type="radio" id=(id) name="leveringsvorm" value=(key_of(l)) checked[v("toewijzing", "leveringsvorm", "ZIN") == key_of(l)];
                                    label for=(id) { (labels::leveringsvorm(l)) }
                                }
                            }
                        }
                        @let aanbieders: Vec<(String, String)> = std::iter::once((String::new(), "nog niet kiezen (later)".to_owned())).chain(profile.providers.iter().map(|p| (p.agb.to_string(), format!("{} (AGB {})", p.name, p.agb)))).collect();
                        (select("tw", "aanbieder", "Aanbieder", &aanbieders, &v("toewijzing", "aanbieder", ""), err_besluit))
                        fieldset {
                            legend { "Woonplaatsbeginsel afwijken (alleen met reden)" }
                            (gemeente_input("tw", "woonplaats_gemeente", "Andere verantwoordelijke gemeente", &v("toewijzing", "woonplaats_gemeente", ""), false, err_besluit, "Typ de naam. Laat leeg om de berekende gemeente te volgen."))
                            (input("tw", "woonplaats_reden", "Reden van afwijken (interne notitie)", "text", &v("toewijzing", "woonplaats_reden", ""), false, err_besluit, Some("Voor het dossier en het toegangslog; komt nooit in de brief. Is de gemeente gelijk aan de berekende, dan is dit een bevestiging en is een reden niet nodig.")))
                            (input("tw", "woonplaats_brieftekst", "Uitleg voor de besluitbrief", "text", &v("toewijzing", "woonplaats_brieftekst", ""), false, err_besluit, Some("In woorden voor de persoon, zonder interne afkortingen. Leeg: de brief zegt dat de gemeenten na overleg deze gemeente hebben vastgesteld.")))
                        }
                        button.knop type="submit" { "Toewijzing vastleggen" }
                    }
                }
                details open[err_afw.is_some()] {
                    summary { "Afwijzing vastleggen" }
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#besluit" } {
                        (crate::users::csrf_field())
                        (hidden_common("afwijzing", version, focus_code.as_deref()))
                        (form_error_box(err_afw))
                        (input("afw", "reden", "Reden van afwijzing", "text", &v("afwijzing", "reden", ""), true, err_afw, None))
                        (input("afw", "casusregie", "Wie heeft daarna de casusregie", "text", &v("afwijzing", "casusregie", ""), true, err_afw, Some("Bijvoorbeeld: wijkteam Arnhem-Oost. Zo valt niemand tussen wal en schip.")))
                        button.knop type="submit" { "Afwijzing vastleggen" }
                    }
                }
            }
            @if all && s.besluit.is_some() && !s.bezwaar_open {
                details open[err_bezwaar.is_some()] {
                    summary { "Bezwaar registreren (heropent het besluit)" }
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#besluit" } {
                        (crate::users::csrf_field())
                        (hidden_common("bezwaar", version, focus_code.as_deref()))
                        (form_error_box(err_bezwaar))
                        (input("bzw", "reden", "Gronden van het bezwaar", "text", &v("bezwaar", "reden", ""), true, err_bezwaar, None))
                        button.knop type="submit" { "Bezwaar registreren" }
                    }
                }
            }
        }

        }
        @if all && matches!(phase, Phase::Toegewezen | Phase::Wachtend) {
            @let (product, _, _, _, aanbieder) = s.toewijzing().expect("allocated");
            section.voordeur aria-labelledby="kop-vd-plaatsing" id="plaatsing" {
                h2 id="kop-vd-plaatsing" { "Wachtlijst en plaatsing" }
                (form_error_box(err_plaats))
                @if phase == Phase::Toegewezen {
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#plaatsing" } {
                        (crate::users::csrf_field())
                        (hidden_common("wachtlijst_in", version, focus_code.as_deref()))
                        @let prio = frontdoor::priority_of(s.urgentie).to_string();
                        (select("wl", "prioriteit", "Prioriteit op de wachtlijst", &labels::prioriteit_keuzes(), &v("wachtlijst_in", "prioriteit", &prio), err_plaats))
                        button.knop type="submit" { "Op de wachtlijst plaatsen" }
                    }
                } @else {
                    p { a href={ "/regio/" (profile.id) "/wachtlijst?product=" (product) } { "Naar de wachtlijst voor dit product (kandidaten voor een vrije plaats)" } }
                }
                @let locs: Vec<(String, String)> = profile.locations.iter()
                    .filter(|l| l.places.contains_key(product) && aanbieder.is_none_or(|a| a == l.provider))
                    .map(|l| (l.id.to_string(), placement_option(profile, l, product, occupancy)))
                    .collect();
                // Preselected: the location from the query (the waiting list's link), else the
                // first one with room.
                @let first_free = profile.locations.iter()
                    .filter(|l| l.places.contains_key(product) && aanbieder.is_none_or(|a| a == l.provider))
                    .find(|l| occupied_at(l, product, occupancy) < u64::from(l.places.get(product).copied().unwrap_or(0)))
                    .map(|l| l.id.to_string())
                    .unwrap_or_default();
                details open[err_voorkeur.is_some()] {
                    summary {
                        "Voorkeur voor de plaats"
                        @if !s.voorkeur.is_empty() {
                            " (nu: " (s.voorkeur.iter().map(|g| figures::gemeente_name(profile, &g.to_string())).collect::<Vec<_>>().join(", ")) ")"
                        }
                    }
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#plaatsing" } {
                        (crate::users::csrf_field())
                        (hidden_common("voorkeur", version, focus_code.as_deref()))
                        (form_error_box(err_voorkeur))
                        @for (i, name) in ["voorkeur_1", "voorkeur_2", "voorkeur_3"].iter().enumerate() {
                            @let current = s.voorkeur.get(i).map(|g| g.to_string()).unwrap_or_default();
                            (select("vk", name, &format!("{}e voorkeur (gemeente)", i + 1), &gemeente_opts, &v("voorkeur", name, &current), err_voorkeur))
                        }
                        (input("vk", "toelichting", "Toelichting", "text", &v("voorkeur", "toelichting", ""), false, err_voorkeur, Some("Bijvoorbeeld: dicht bij familie, niet terug naar de oude wijk.")))
                        button.knop type="submit" { "Voorkeur vastleggen" }
                    }
                }
                form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#plaatsing" } {
                    (crate::users::csrf_field())
                    (hidden_common("start_zorg", version, focus_code.as_deref()))
                    input type="hidden" name="product" value=(product);
                    (select("sz", "locatie", "Locatie", &locs, &v("start_zorg", "locatie", q.locatie.as_deref().unwrap_or(&first_free)), err_plaats))
                    (input("sz", "datum", "Startdatum zorg", "date", &v("start_zorg", "datum", &today.to_string()), true, err_plaats, Some("De bezetting wordt geteld op de startdatum; een startdatum na vandaag is een geplande plaatsing.")))
                    @if profile.overbezetting_toegestaan() {
                        (input("sz", "overbezetting", "Reden van overbezetting", "text", &v("start_zorg", "overbezetting", ""), false, err_plaats, Some("Alleen als de locatie vol is: de regio staat een overbezetting met reden toe. Laat leeg bij een gewone plaatsing.")))
                    }
                    button.knop type="submit" { "Plaatsen: zorg starten" }
                }
            }
        }

        @if all && phase == Phase::InZorg {
            @let zorg = s.zorg.as_ref().expect("in care");
            section.voordeur aria-labelledby="kop-vd-zorg" id="zorg-wijzigen" {
                h2 id="kop-vd-zorg" { "Wijziging en einde zorg" }
                (form_error_box(err_zorg))
                details open[failed.is_some_and(|f| f.soort == "verlenging")] {
                    summary { "Verlenging" }
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#zorg-wijzigen" } {
                        (crate::users::csrf_field())
                        (hidden_common("verlenging", version, focus_code.as_deref()))
                        (input("vl", "nieuw_einde", "Nieuwe einddatum", "date", &v("verlenging", "nieuw_einde", ""), true, err_zorg, None))
                        button.knop type="submit" { "Verlenging vastleggen" }
                    }
                }
                @let scale_opts: Vec<(String, String)> = std::iter::once((String::new(), "kies product en locatie".to_owned())).chain(profile.locations.iter().flat_map(|l| l.places.keys().filter(|p| **p != zorg.product && profile.product(p).is_some_and(|x| x.valid_on(today) && profile.product(&zorg.product).is_none_or(|c| c.domain == x.domain))).map(move |p| {
                    let here = l.id == zorg.locatie;
                    (format!("{p}|{}", if here { "" } else { l.id.as_str() }), format!("{} — {}{}", profile.product(p).map_or(p.to_string(), |x| x.name.clone()), l.name, if here { " (zelfde locatie)" } else { "" }))
                }))).collect();
                @for (soort, title, button) in [("opschalen", "Opschalen naar een zwaarder product", "Opschalen vastleggen"), ("afschalen", "Afschalen naar een lichter product", "Afschalen vastleggen")] {
                    details open[failed.is_some_and(|f| f.soort == soort)] id={ "zorg-" (soort) } {
                        summary { (title) }
                        form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#zorg-wijzigen" } {
                            (crate::users::csrf_field())
                            (hidden_common(soort, version, focus_code.as_deref()))
                            (select(&soort[..2], "naar", "Naar product en locatie", &scale_opts, &v(soort, "naar", ""), if failed.is_some_and(|f| f.soort == soort) { err_zorg } else { None }))
                            (input(&soort[..2], "datum", "Ingangsdatum", "date", &v(soort, "datum", &today.to_string()), true, if failed.is_some_and(|f| f.soort == soort) { err_zorg } else { None }, Some("Het product wijzigt op deze datum; zonder andere locatie blijft de cliënt waar hij woont.")))
                            button.knop type="submit" { (button) }
                        }
                    }
                }
                details open[failed.is_some_and(|f| f.soort == "doorstroom")] {
                    summary { "Doorstroom naar een ander product" }
                    @let opts: Vec<(String, String)> = profile.locations.iter().flat_map(|l| l.places.keys().filter(|p| **p != zorg.product && profile.product(p).is_some_and(|x| x.valid_on(today))).map(move |p| (format!("{p}|{}", l.id), format!("{} — {}", profile.product(p).map_or(p.to_string(), |x| x.name.clone()), l.name)))).collect();
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#zorg-wijzigen" } {
                        (crate::users::csrf_field())
                        (hidden_common("doorstroom", version, focus_code.as_deref()))
                        (select("ds", "naar", "Naar product en locatie", &opts, &v("doorstroom", "naar", ""), err_zorg))
                        (input("ds", "datum", "Datum", "date", &v("doorstroom", "datum", &today.to_string()), true, err_zorg, None))
                        button.knop type="submit" { "Doorstroom vastleggen" }
                    }
                }
                div.kader {
                    h3 { "Uitstroom naar wonen" }
                    p {
                        "Woningzoekend: "
                        @if let Some(d) = s.woningzoekend { strong { "ingeschreven sinds " (labels::date(d)) } } @else {
                            strong { "nog niet ingeschreven" }
                            @if s.zorg.as_ref().is_some_and(|z| profile.woningzoekend_geldt(&z.product)) {
                                " (afspraak: binnen " (profile.norms.woningzoekend_binnen_dagen) " dagen na de start)"
                            }
                        }
                        ". Uitstroomklaar: "
                        @if let Some(d) = s.uitstroomklaar { strong { "sinds " (labels::date(d)) " — wacht op een woning" } } @else { strong { "nee" } }
                        "."
                    }
                    (form_error_box(err_uitstroom))
                    @if s.woningzoekend.is_none() {
                        form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#zorg-wijzigen" } {
                            (crate::users::csrf_field())
                            (hidden_common("woningzoekend", version, focus_code.as_deref()))
                            (input("wz", "datum", "Datum inschrijving als woningzoekende", "date", &v("woningzoekend", "datum", &today.to_string()), true, err_uitstroom, None))
                            (input("wz", "bij", "Ingeschreven bij", "text", &v("woningzoekend", "bij", ""), true, err_uitstroom, Some("Bijvoorbeeld het regionale woonruimteverdeelsysteem.")))
                            button.knop type="submit" { "Inschrijving woningzoekende vastleggen" }
                        }
                    }
                    @if s.uitstroomklaar.is_none() {
                        form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#zorg-wijzigen" } {
                            (crate::users::csrf_field())
                            (hidden_common("uitstroomklaar", version, focus_code.as_deref()))
                            (input("uk", "datum", "Uitstroomklaar sinds", "date", &v("uitstroomklaar", "datum", &today.to_string()), true, err_uitstroom, Some("De cliënt kan zelfstandig wonen en wacht alleen nog op een woning.")))
                            button.knop.knop-secundair type="submit" { "Uitstroomklaar melden" }
                        }
                    }
                }
                details open[failed.is_some_and(|f| f.soort == "einde_zorg")] {
                    summary { "Einde zorg (uitstroom)" }
                    @let opts: Vec<(String, String)> = Bestemming::ALL.iter().map(|b| (key_of(*b), labels::bestemming(*b).to_owned())).collect();
                    form.formulier method="post" action={ "/clienten/" (s.client) "/gebeurtenis#zorg-wijzigen" } {
                        (crate::users::csrf_field())
                        (hidden_common("einde_zorg", version, focus_code.as_deref()))
                        (select("ez", "bestemming", "Bestemming", &opts, &v("einde_zorg", "bestemming", "eigen_woning_sociaal"), err_zorg))
                        (input("ez", "datum", "Laatste dag zorg", "date", &v("einde_zorg", "datum", &today.to_string()), true, err_zorg, None))
                        (crate::wonen_team::einde_zorg_fields(s, failed.filter(|f| f.soort == "einde_zorg").map(|f| (f.error, f.values))))
                        button.knop type="submit" { "Einde zorg vastleggen" }
                    }
                }
            }
        }
        // Issue 15: the outflow to housing (woonbehoefte, urgentie, offers, tenancy, move).
        @if all && crate::wonen_team::shown(s) {
            (crate::wonen_team::section(profile, rec, failed.map(|f| (f.soort, f.error, f.values)), today, focus_code.as_deref()))
        }
        // feat/toegang (issue 14): the open requests and advice questions, answered here too.
        @if all && (!s.verzoeken.is_empty() || !s.adviesvragen.is_empty()) {
            section.voordeur aria-labelledby="kop-vd-verzoeken" id="verzoeken" {
                h2 id="kop-vd-verzoeken" { "Verzoeken en adviesvragen" }
                // A refused answer given here is shown here again (issue 14).
                @let answered = failed
                    .filter(|f| matches!(f.soort, "verzoek" | "advies"))
                    .map(|f| (text(f.values, "nummer").parse::<u32>().unwrap_or(0), f.error, f.values));
                (crate::verzoeken::answer_forms(profile, s, "dossier", answered, today))
            }
        }
        // feat/zoeken: corrections and withdrawals beside the originals, a link per fact.
        @if all { (crate::correctie::section(rec, profile)) }
    }
}

fn default_end_hint(profile: &RegionProfile, today: Date) -> String {
    let parts: Vec<String> = frontdoor::products_on(profile, today)
        .iter()
        .map(|p| match p.max_months {
            Some(m) => format!("{}: {} mnd (max {m})", p.name, p.allocation_months()),
            None => format!("{}: {} mnd", p.name, p.allocation_months()),
        })
        .collect();
    format!(
        "Leeg laten: standaardduur van het product. {}",
        parts.join("; ")
    )
}

/// The needs ticked in the beoordeling form (`behoefte_<key>` = `ja`); any other value of
/// such a field is refused at the field (a form Vangnet did not render).
fn behoeften_of(values: &Values) -> Result<Vec<Behoefte>, WebError> {
    let mut out = Vec::new();
    for b in Behoefte::ALL {
        match text(values, &format!("behoefte_{}", b.key())) {
            "" => {}
            "ja" => out.push(b),
            other => {
                return Err(WebError::invalid_field(
                    "behoeften",
                    format!("'{other}' is geen keuze bij de behoefte {}", b.label()),
                ));
            }
        }
    }
    Ok(out)
}

/// The product and location of an op-/afschaal form (`naar` = `product|locatie`, an empty
/// location: the current one), checked at the edge: an existing product of the region other
/// than the current one, offered at the chosen (or current) location.
fn scaling_target(
    profile: &RegionProfile,
    rec: &ClientRecord,
    values: &Values,
) -> Result<(ProductCode, Option<LocationId>), WebError> {
    let t = text(values, "naar");
    if t.is_empty() {
        return Err(WebError::invalid_field(
            "naar",
            "kies het nieuwe product en de locatie",
        ));
    }
    let (p, l) = t
        .split_once('|')
        .ok_or_else(|| WebError::invalid_field("naar", "kies een product en locatie"))?;
    let product = ProductCode::parse(p)
        .ok()
        .filter(|c| profile.product(c).is_some())
        .ok_or_else(|| {
            WebError::invalid_field("naar", format!("'{p}' is geen product van deze regio"))
        })?;
    let zorg = rec.state.zorg.as_ref().ok_or_else(|| {
        WebError::invalid_field(
            "naar",
            "de cliënt is niet in zorg; op- of afschalen kan alleen tijdens zorg",
        )
    })?;
    if product == zorg.product {
        return Err(WebError::invalid_field(
            "naar",
            "dat is het huidige product; kies een zwaarder of lichter product",
        ));
    }
    let locatie = match l {
        "" => None,
        l => Some(
            LocationId::parse(l)
                .ok()
                .filter(|x| profile.location(x).is_some())
                .ok_or_else(|| {
                    WebError::invalid_field("naar", format!("'{l}' is geen locatie van deze regio"))
                })?,
        ),
    };
    let at = locatie.as_ref().unwrap_or(&zorg.locatie);
    if !profile
        .location(at)
        .is_some_and(|x| x.places.contains_key(&product))
    {
        return Err(WebError::invalid_field(
            "naar",
            format!(
                "{} biedt {} niet; kies een locatie die het product biedt",
                profile
                    .location(at)
                    .map_or(at.to_string(), |x| x.name.clone()),
                figures::product_name(profile, product.as_str())
            ),
        ));
    }
    Ok((product, locatie))
}

/// Build the fact a client-page form stands for.
fn event_of(
    profile: &RegionProfile,
    rec: &ClientRecord,
    soort: &str,
    values: &Values,
    today: Date,
) -> Result<(Date, ClientEvent, Option<Override>), WebError> {
    let s = &rec.state;
    if let Some(housing) = crate::wonen_team::event_of(soort, values, today) {
        let (datum, event) = housing?;
        return Ok((datum, event, None));
    }
    let datum = date_of(values, "datum", today)?;
    let required = |name: &str, what: &str| -> Result<String, WebError> {
        match text(values, name) {
            "" => Err(WebError::invalid_field(
                name.to_owned(),
                format!("{what} is verplicht"),
            )),
            t => Ok(t.to_owned()),
        }
    };
    let product_of = |name: &str| -> Result<ProductCode, WebError> {
        let t = text(values, name);
        ProductCode::parse(t).map_err(|_| {
            WebError::invalid_field(name.to_owned(), format!("'{t}' is geen productcode"))
        })
    };
    Ok(match soort {
        "beoordeling" => {
            let answer = |key: &str| match text(values, &format!("crit_{key}")) {
                "ja" => Some(true),
                "nee" => Some(false),
                _ => None,
            };
            let mut zrm = [None; frontdoor::ZRM_N];
            for (i, z) in zrm.iter_mut().enumerate() {
                let t = text(values, &format!("zrm_{i}"));
                if !t.is_empty() {
                    *z = Some(t.parse::<u8>().map_err(|_| {
                        WebError::invalid_field("zrm", format!("ZRM-score '{t}' is geen getal 1–5"))
                    })?);
                }
            }
            let doelgroep = Some(text(values, "doelgroep").to_owned()).filter(|d| !d.is_empty());
            (
                datum,
                ClientEvent::Beoordeling {
                    criteria: frontdoor::judgements(profile, &answer),
                    zrm,
                    doelgroep,
                    advies: enum_of(values, "advies")?,
                    behoeften: behoeften_of(values)?,
                },
                None,
            )
        }
        "toewijzing" => {
            let product = product_of("product")?;
            let start = date_of(values, "start", today)?;
            let p = profile.product(&product).ok_or_else(|| {
                WebError::invalid_field(
                    "product",
                    format!(
                        "product {product} staat niet in de catalogus van {}",
                        profile.name
                    ),
                )
            })?;
            let einde = match text(values, "einde") {
                "" => p.default_end(start),
                _ => date_of(values, "einde", start)?,
            };
            let aanbieder = match text(values, "aanbieder") {
                "" => None,
                a => Some(AgbCode::parse(a).map_err(|e| {
                    WebError::invalid_field("aanbieder", format!("AGB-code '{a}': {e}"))
                })?),
            };
            let over = match text(values, "woonplaats_gemeente") {
                "" => {
                    if !text(values, "woonplaats_reden").is_empty() {
                        return Err(WebError::invalid_field(
                            "woonplaats_gemeente",
                            "u gaf een reden maar geen andere gemeente op",
                        ));
                    }
                    None
                }
                _ => Some(Override {
                    gemeente: gemeente_of(values, "woonplaats_gemeente", today)?
                        .expect("a gemeente was typed"),
                    reden: text(values, "woonplaats_reden").to_owned(),
                    brieftekst: Some(text(values, "woonplaats_brieftekst").to_owned())
                        .filter(|b| !b.is_empty()),
                }),
            };
            (
                start,
                ClientEvent::Toewijzing {
                    product,
                    start,
                    einde,
                    leveringsvorm: enum_of(values, "leveringsvorm")?,
                    aanbieder,
                },
                over,
            )
        }
        "afwijzing" => (
            datum,
            ClientEvent::Afwijzing {
                reden: required("reden", "de reden")?,
                casusregie: required("casusregie", "wie de casusregie heeft")?,
            },
            None,
        ),
        "bezwaar" => (
            datum,
            ClientEvent::Bezwaar {
                reden: required("reden", "de gronden")?,
            },
            None,
        ),
        "wachtlijst_in" => {
            let product = s.toewijzing().map(|t| t.0.clone()).ok_or_else(|| {
                WebError::invalid_field(
                    "product",
                    "geen toewijzing: alleen wie een toewijzing heeft kan op de wachtlijst",
                )
            })?;
            let prioriteit = text(values, "prioriteit").parse::<u8>().map_err(|_| {
                WebError::invalid_field(
                    "prioriteit",
                    "kies een prioriteit: regulier, urgent of crisis",
                )
            })?;
            (
                datum,
                ClientEvent::WachtlijstIn {
                    product,
                    prioriteit,
                },
                None,
            )
        }
        "start_zorg" => {
            let t = required("locatie", "de locatie")?;
            let locatie = LocationId::parse(&t).map_err(|_| {
                WebError::invalid_field("locatie", format!("'{t}' is geen locatie"))
            })?;
            (
                datum,
                ClientEvent::StartZorg {
                    product: product_of("product")?,
                    locatie,
                    overbezetting: Some(text(values, "overbezetting").trim())
                        .filter(|r| !r.is_empty())
                        .map(str::to_owned),
                },
                None,
            )
        }
        "verlenging" => {
            let nieuw_einde = date_of(values, "nieuw_einde", today)?;
            if text(values, "nieuw_einde").is_empty() {
                return Err(WebError::invalid_field(
                    "nieuw_einde",
                    "de nieuwe einddatum is verplicht",
                ));
            }
            (
                datum,
                ClientEvent::Wijziging(Wijziging::Verlenging { nieuw_einde }),
                None,
            )
        }
        "opschalen" | "afschalen" => {
            let (product, locatie) = scaling_target(profile, rec, values)?;
            (
                datum,
                ClientEvent::Wijziging(if soort == "opschalen" {
                    Wijziging::Opschalen { product, locatie }
                } else {
                    Wijziging::Afschalen { product, locatie }
                }),
                None,
            )
        }
        "doorstroom" => {
            let t = required("naar", "het nieuwe product en de locatie")?;
            let (p, l) = t
                .split_once('|')
                .ok_or_else(|| WebError::invalid_field("naar", "kies een product en locatie"))?;
            let product = ProductCode::parse(p).map_err(|_| {
                WebError::invalid_field("naar", format!("'{p}' is geen productcode"))
            })?;
            let locatie = LocationId::parse(l)
                .map_err(|_| WebError::invalid_field("naar", format!("'{l}' is geen locatie")))?;
            (
                datum,
                ClientEvent::Wijziging(Wijziging::Doorstroom { product, locatie }),
                None,
            )
        }
        "einde_zorg" => {
            let bestemming = enum_of(values, "bestemming")?;
            (
                datum,
                ClientEvent::EindeZorg {
                    bestemming,
                    woning: crate::wonen_team::woning_of(values, bestemming, datum)?,
                },
                None,
            )
        }
        "brp_inschrijving" => {
            if text(values, "vanaf").is_empty() {
                return Err(WebError::invalid_field(
                    "vanaf",
                    "de datum van inschrijving is verplicht",
                ));
            }
            let vanaf = date_of(values, "vanaf", today)?;
            let gemeente = gemeente_of(values, "gemeente", vanaf)?;
            (
                today,
                ClientEvent::BrpInschrijving {
                    vanaf,
                    gemeente,
                    instelling: text(values, "instelling") == "ja",
                    briefadres: text(values, "briefadres") == "ja",
                },
                None,
            )
        }
        "eerdere_zorg" => {
            required("gemeente", "de gemeente")?;
            if text(values, "einde").is_empty() {
                return Err(WebError::invalid_field(
                    "einde",
                    "de laatste dag is verplicht",
                ));
            }
            let einde = date_of(values, "einde", today)?;
            let gemeente = gemeente_of(values, "gemeente", einde)?.expect("a gemeente was typed");
            (
                today,
                ClientEvent::EerdereZorg {
                    soort: enum_of(values, "soort")?,
                    gemeente,
                    einde,
                    bron: enum_of(values, "bron")?,
                },
                None,
            )
        }
        "voorkeur" => {
            let mut gemeenten = Vec::new();
            for name in ["voorkeur_1", "voorkeur_2", "voorkeur_3"] {
                let g = text(values, name);
                if g.is_empty() {
                    continue;
                }
                let code = GemeenteCode::parse(g).map_err(|e| {
                    WebError::invalid_field(name.to_owned(), format!("gemeentecode '{g}': {e}"))
                })?;
                if !gemeenten.contains(&code) {
                    gemeenten.push(code);
                }
            }
            if gemeenten.is_empty() {
                return Err(WebError::invalid_field(
                    "voorkeur_1",
                    "kies ten minste één voorkeursgemeente",
                ));
            }
            (
                datum,
                ClientEvent::Voorkeur {
                    gemeenten,
                    toelichting: text(values, "toelichting").to_owned(),
                },
                None,
            )
        }
        "woningzoekend" => (
            datum,
            ClientEvent::Woningzoekend {
                bij: required("bij", "waar de inschrijving is gedaan")?,
            },
            None,
        ),
        "uitstroomklaar" => (datum, ClientEvent::Uitstroomklaar, None),
        "doorverwijzing" => (
            datum,
            ClientEvent::Doorverwijzing {
                reden: required("reden", "de reden")?,
            },
            None,
        ),
        "advies_gevraagd" => (
            datum,
            ClientEvent::AdviesGevraagd {
                vraag: required("vraag", "de vraag")?,
            },
            None,
        ),
        other => {
            return Err(WebError::invalid_field(
                "soort",
                format!("onbekend formulier '{other}'"),
            ));
        }
    })
}

/// `POST /clienten/{id}/gebeurtenis`: one of the client page's forms.
pub(crate) async fn gebeurtenis_submit(
    State(st): State<AppState>,
    crate::users::LoggedIn(user): crate::users::LoggedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let values: Values = pairs.into_iter().collect();
    let soort = text(&values, "soort").to_owned();
    let today = st.today();
    let (rec, profile) = record_or_error(&st, &user, &id, "formulier verwerken").await?;
    let profile = &profile;
    let client = rec.state.client;
    let expected = text(&values, "versie").parse::<u32>().ok();
    let key = values.get("sleutel").filter(|k| !k.is_empty()).cloned();
    let result = match event_of(profile, &rec, &soort, &values, today) {
        Ok((datum, event, over)) => {
            voordeur::record(&st, &user, client, expected, key, datum, event, over).await
        }
        Err(e) => Err(e),
    }
    .map_err(|e| crate::wonen_team::at_form_field(&soort, e));
    let focus = text(&values, "focus").to_owned();
    match result {
        Ok(r) => {
            if text(&values, "terug") == "wachtlijst" {
                return Ok(Redirect::to(&format!(
                    "/regio/{}/wachtlijst?product={}&locatie={}&melding={}",
                    rec.state.regio,
                    text(&values, "product"),
                    text(&values, "locatie"),
                    if r.replay { "dubbel" } else { "geplaatst" }
                ))
                .into_response());
            }
            let anchor = match soort.as_str() {
                "start_zorg" => "kop-zorg",
                "beoordeling" => "beoordeling",
                "toewijzing" | "afwijzing" | "bezwaar" => "besluit",
                "wachtlijst_in" | "voorkeur" => "plaatsing",
                "brp_inschrijving" | "eerdere_zorg" => "besluit",
                "doorverwijzing" | "advies_gevraagd" => "lokale-toegang",
                s if crate::wonen_team::is_housing_form(s) => "wonen",
                _ => "zorg-wijzigen",
            };
            let product = if soort == "toewijzing" {
                text(&values, "product").to_owned()
            } else {
                focus
            };
            // To the confirmation at the top (it takes the focus), with a link on to the
            // section the form was in: a jump to the section scrolled the confirmation away.
            Ok(Redirect::to(&format!(
                "/clienten/{client}?melding={}&product={product}&verder={anchor}#melding",
                match (r.replay, soort.as_str()) {
                    (true, _) => "dubbel",
                    (false, "start_zorg") => "geplaatst",
                    _ => "opgeslagen",
                }
            ))
            .into_response())
        }
        Err(e) if !shown_in_form(&e) => Err(e),
        Err(e) => {
            let q = ClientQuery {
                product: Some(focus).filter(|f| !f.is_empty()),
                ..ClientQuery::default()
            };
            client_page(
                &st,
                &user,
                client,
                q,
                Some(Failed {
                    soort: &soort,
                    error: &e,
                    values: &values,
                }),
            )
            .await
        }
    }
}

/// The client record named in the path, read through the gate for `purpose`, with its
/// region profile; or the error that says why not (404, refusal, unknown region).
pub(crate) async fn record_or_error(
    st: &AppState,
    user: &DemoUser,
    id: &str,
    purpose: &str,
) -> Result<(ClientRecord, RegionProfile), WebError> {
    let Ok(client) = ClientId::parse(id) else {
        return Err(WebError::not_found(format!("'{id}' is geen cliëntnummer.")));
    };
    let gate = user.gate(purpose);
    let rec = st.blocking(move |s| s.read_client(&gate, client)).await?;
    let Some(profile) = st.store().regions().get(&rec.state.regio).cloned() else {
        tracing::error!(regio = %rec.state.regio, "regio van een opgeslagen cliënt is onbekend");
        return Err(WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "De regio van deze cliënt is onbekend.",
        )
        .code("storing"));
    };
    Ok((rec, profile))
}
