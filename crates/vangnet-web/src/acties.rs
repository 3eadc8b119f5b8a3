//! `/monitor/{regio}/acties`: the region's agreed actions with their stand per gemeente — the
//! qualitative monitoring next to the numbers (DOMAIN.md §6). The actions and statuses come
//! from the region's actions file ([`vangnet_domain::acties`]); nothing here is client data.
//!
//! The page groups the actions by theme; per theme one table, action × (region, member
//! gemeenten), every cell the current stand as a text label with its peildatum (a cell without
//! any status says "onbekend" in plain, quiet text, so the known stands stand out), and under
//! it the explanations with their history. Filters (a GET form): `?gemeente=GM....` shows the
//! region column and that gemeente only, with the actions that concern it; `?stand=...` keeps
//! the actions for which a shown cell has that stand.
//!
//! Who may see it: everyone who sees the monitor's aggregates — every role except the auditor,
//! whose task is the access log (DOMAIN.md §2); the auditor gets the Dutch 403 page. Without a
//! `gemeente` in the query, a user of a member gemeente sees their own gemeente preselected
//! ("Alle gemeenten" sends an empty value and shows all).
//!
//! **Updating a stand** (issue 12): `?actie=ID` opens the action's history (the file's
//! statuses and every stand recorded in the app, with who and when) and, for the region's
//! coordinator — a beleidsmedewerker of the centrumgemeente,
//! [`vangnet_domain::acties::may_update`] — a form (`POST /monitor/{regio}/acties`, CSRF
//! token like every form): for the region or a gemeente the action concerns, a stand from the
//! fixed list, a peildatum (2015 … today) and a note (`limits::MAX_TEXT_CHARS`), checked by
//! [`vangnet_domain::acties::check_update`] (Dutch messages at the fields, 422, the values
//! kept). The store keeps the stand append-only (`actie_stand`, migration 0009) and refuses
//! anyone else again; the page adds the stored stands to the file's
//! ([`vangnet_domain::acties::met_vastleggingen`]), so the newest peildatum is current.
//! Anyone else gets 403 on the POST, nothing written.
//!
//! **No seed file names on screen**: a source such as `seed 001_….txt, §10.4 …` is shown as
//! the document's title and the section in words ([`labels::source_words`]); the file keeps the
//! exact source.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::acties::{self, Actie, Betreft, Stand, Status};
use vangnet_domain::region::MemberGemeente;
use vangnet_domain::{GemeenteCode, Organisation, RegionProfile};
use vangnet_store::acties::ActionStandRow;

use crate::AppState;
use crate::WebError;
use crate::error::Query;
use crate::html::{self, Nav};
use crate::labels;
use crate::pages::region;
use crate::users::{DemoUser, LoggedIn};

// Roles that may see the agreed actions: the monitor's audience (one predicate).

/// Query of `GET /monitor/{regio}/acties` (empty values mean "no filter").
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FilterQuery {
    gemeente: Option<String>,
    stand: Option<String>,
    /// The action whose history (and, for the coordinator, update form) is opened.
    actie: Option<String>,
    /// `opgeslagen` after a saved update.
    melding: Option<String>,
}

/// The filter, validated.
#[derive(Debug)]
struct Filter {
    gemeente: Option<GemeenteCode>,
    stand: Option<Stand>,
}

fn parse_filter(profile: &RegionProfile, q: FilterQuery) -> Result<Filter, String> {
    let gemeente = match q
        .gemeente
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => {
            let code = GemeenteCode::parse(s).map_err(|e| format!("Filter gemeente: {e}."))?;
            if profile.gemeente(code).is_none() {
                return Err(format!(
                    "Filter gemeente: {code} hoort niet bij {}.",
                    profile.name
                ));
            }
            Some(code)
        }
    };
    let stand = match q.stand.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Stand::parse(s).ok_or_else(|| {
            format!(
                "Filter stand: '{s}' bestaat niet (kies uit: {}).",
                Stand::ALL.map(Stand::key).join(", ")
            )
        })?),
    };
    Ok(Filter { gemeente, stand })
}

/// The submitted update form.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct UpdateForm {
    #[serde(default)]
    actie: String,
    #[serde(default)]
    betreft: String,
    #[serde(default)]
    stand: String,
    #[serde(default)]
    peildatum: String,
    #[serde(default)]
    toelichting: String,
}

/// What the update form shows: the values and the errors per field.
#[derive(Debug, Default)]
struct FormState {
    values: UpdateForm,
    errors: Vec<(&'static str, String)>,
}

/// The user's own gemeente when it belongs to the region (the filter's default).
fn own_gemeente(profile: &RegionProfile, user: &DemoUser) -> Option<GemeenteCode> {
    match user.actor.organisation {
        Organisation::Gemeente(g) if profile.gemeente(g).is_some() => Some(g),
        _ => None,
    }
}

/// The region's actions: the file, plus every stand recorded in the app.
async fn load(st: &AppState, profile: &RegionProfile) -> Result<Vec<Actie>, WebError> {
    let rid = profile.id.clone();
    let rows = st.blocking(move |s| s.action_stands(&rid)).await?;
    let v: Vec<acties::Vastlegging> = rows
        .iter()
        .filter_map(ActionStandRow::vastlegging)
        .collect();
    Ok(acties::met_vastleggingen(
        acties::builtin(profile.id.as_str()),
        &v,
    ))
}

/// `/monitor/{regio}/acties`.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(mut q): Query<FilterQuery>,
) -> Result<Response, WebError> {
    let profile = region(&st, &regio)?;
    if q.gemeente.is_none() {
        q.gemeente = own_gemeente(&profile, &user).map(|g| g.to_string());
    }
    let actie = q.actie.take().filter(|a| !a.trim().is_empty());
    let saved = q.melding.take().as_deref() == Some("opgeslagen");
    let filter = parse_filter(&profile, q)
        .map_err(|msg| WebError::invalid(msg).titled("Invoer niet geldig"))?;
    let acties = load(&st, &profile).await?;
    let form = FormState {
        values: UpdateForm {
            peildatum: st.today().to_string(),
            ..UpdateForm::default()
        },
        errors: Vec::new(),
    };
    let open = actie
        .as_deref()
        .and_then(|a| acties.iter().find(|x| x.id == a));
    if actie.is_some() && open.is_none() {
        return Err(
            WebError::invalid_field("actie", "Deze actie bestaat niet in deze regio.")
                .titled("Invoer niet geldig"),
        );
    }
    let ctx = Ctx {
        profile: &profile,
        user: &user,
        may_update: acties::may_update(&user.actor, &profile),
    };
    let body = render(&ctx, &acties, &filter, open.map(|a| (a, &form, saved)));
    Ok(respond(&st, &user, &profile, StatusCode::OK, body))
}

fn respond(
    st: &AppState,
    user: &DemoUser,
    profile: &RegionProfile,
    status: StatusCode,
    body: Markup,
) -> Response {
    let title = format!("Afgesproken acties — {}", profile.name);
    (
        status,
        Html(
            html::page(
                &title,
                Some(user),
                st.store().regions(),
                &Nav::Region(profile.id.to_string()),
                body,
            )
            .into_string(),
        ),
    )
        .into_response()
}

/// `POST /monitor/{regio}/acties`: the coordinator records a stand.
pub(crate) async fn update(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    form: Result<Form<UpdateForm>, FormRejection>,
) -> Result<Response, WebError> {
    let profile = region(&st, &regio)?;
    if !acties::may_update(&user.actor, &profile) {
        return Err(WebError::forbidden(format!(
            "Alleen de coördinator van {} (een beleidsmedewerker van de centrumgemeente) legt de stand van afgesproken acties vast. U kunt de acties wel bekijken.",
            profile.name
        )));
    }
    let Ok(Form(f)) = form else {
        return Err(WebError::bad_request("Het formulier is onvolledig."));
    };
    let acties = load(&st, &profile).await?;
    let checked = acties::check_update(
        &profile,
        &acties,
        f.actie.trim(),
        &f.betreft,
        &f.stand,
        &f.peildatum,
        &f.toelichting,
        st.today(),
    );
    let (betreft, stand, peildatum, toelichting) = match checked {
        Ok(x) => x,
        Err(errors) => {
            let Some(open) = acties.iter().find(|a| a.id == f.actie.trim()) else {
                return Err(WebError::invalid_field(
                    "actie",
                    "Deze actie bestaat niet in deze regio.",
                ));
            };
            let filter = Filter {
                gemeente: own_gemeente(&profile, &user),
                stand: None,
            };
            let form = FormState {
                values: f.clone(),
                errors,
            };
            let ctx = Ctx {
                profile: &profile,
                user: &user,
                may_update: true,
            };
            let body = render(&ctx, &acties, &filter, Some((open, &form, false)));
            return Ok(respond(
                &st,
                &user,
                &profile,
                StatusCode::UNPROCESSABLE_ENTITY,
                body,
            ));
        }
    };
    let row = ActionStandRow {
        region: profile.id.to_string(),
        actie: f.actie.trim().to_owned(),
        betreft: acties::betreft_key(betreft),
        stand: stand.key().to_owned(),
        peildatum: peildatum.to_string(),
        toelichting,
        user_id: user.actor.user.clone(),
        user_name: user.naam.clone(),
        recorded_at: String::new(),
    };
    let actor = user.actor.clone();
    st.blocking(move |s| s.record_action_stand(&actor, &row))
        .await?;
    Ok(Redirect::to(&format!(
        "/monitor/{}/acties?actie={}&melding=opgeslagen#bijwerken",
        profile.id,
        form_urlencoded::byte_serialize(f.actie.trim().as_bytes()).collect::<String>()
    ))
    .into_response())
}

/// Who is looking.
struct Ctx<'a> {
    profile: &'a RegionProfile,
    user: &'a DemoUser,
    may_update: bool,
}

/// One cell of the table: what is shown for the region or a gemeente.
enum Cell<'a> {
    /// The action does not concern this gemeente (or, for a local action, the region).
    NietVanToepassing,
    /// The current status, if any (none: onbekend).
    Stand(Option<&'a Status>),
}

impl Cell<'_> {
    fn stand(&self) -> Option<Stand> {
        match self {
            Cell::NietVanToepassing => None,
            Cell::Stand(s) => Some(s.map_or(Stand::Onbekend, |s| s.stand)),
        }
    }
}

fn cell<'a>(a: &'a Actie, wie: Betreft) -> Cell<'a> {
    match wie {
        Betreft::Regio if !a.gemeenten.is_empty() && a.actueel(Betreft::Regio).is_none() => {
            Cell::NietVanToepassing
        }
        Betreft::Gemeente(g) if !a.geldt_voor(g) => Cell::NietVanToepassing,
        _ => Cell::Stand(a.actueel(wie)),
    }
}

fn badge(stand: Stand) -> Markup {
    let class = match stand {
        Stand::Gereed => "label label-goed",
        Stand::Vertraagd => "label label-fout",
        Stand::Onbekend => "label label-onbekend",
        Stand::Gepland | Stand::InUitvoering => "label",
    };
    html! { span class=(class) { (stand.label()) } }
}

fn cell_td(c: &Cell<'_>) -> Markup {
    html! {
        @match c {
            Cell::NietVanToepassing => td { span.klein { abbr title="niet van toepassing: de actie geldt hier niet" { "n.v.t." } } },
            Cell::Stand(None) => td { span.klein { "onbekend" } },
            Cell::Stand(Some(s)) => td {
                (badge(s.stand))
                br;
                span.klein { "peildatum " time datetime=(s.peildatum.to_string()) { (labels::date(s.peildatum)) } }
                @if s.herkomst.is_aanname() { br; abbr.label.label-onbekend title=(labels::source_words(&labels::herkomst_tekst(&s.herkomst))) { "aanname" } }
            },
        }
    }
}

fn who(profile: &RegionProfile, b: Betreft) -> String {
    match b {
        Betreft::Regio => "Regio".to_owned(),
        Betreft::Gemeente(g) => profile
            .gemeente(g)
            .map_or_else(|| g.to_string(), |m| m.name.clone()),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

fn render(
    ctx: &Ctx<'_>,
    acties: &[Actie],
    f: &Filter,
    open: Option<(&Actie, &FormState, bool)>,
) -> Markup {
    let profile = ctx.profile;
    let id = profile.id.to_string();
    let gemeente_q = f
        .gemeente
        .map_or_else(|| "&gemeente=".to_owned(), |g| format!("&gemeente={g}"));
    let columns: Vec<&MemberGemeente> = profile
        .gemeenten
        .iter()
        .filter(|g| f.gemeente.is_none_or(|c| c == g.code))
        .collect();
    let mut wie: Vec<Betreft> = vec![Betreft::Regio];
    wie.extend(columns.iter().map(|g| Betreft::Gemeente(g.code)));
    let shown: Vec<&Actie> = acties
        .iter()
        .filter(|a| f.gemeente.is_none_or(|g| a.geldt_voor(g)))
        .filter(|a| {
            f.stand
                .is_none_or(|s| wie.iter().any(|w| cell(a, *w).stand() == Some(s)))
        })
        .collect();
    let mut tally = [0usize; 5];
    for a in &shown {
        for w in &wie {
            if let Some(s) = cell(a, *w).stand() {
                tally[Stand::ALL.iter().position(|x| *x == s).expect("listed")] += 1;
            }
        }
    }
    let themas = acties::themas(acties);
    let filtered = f.gemeente.is_some() || f.stand.is_some();
    html! {
        h1 { "Afgesproken acties" }
        p.inleiding {
            "Kwalitatieve monitoring van " strong { (profile.name) } ": de acties die de regio heeft afgesproken en hoe ver ze zijn, per gemeente. "
            "De stand komt uit de bron die bij elke actie staat, of wordt door de regio ingevuld. "
            "Waar niets bekend is, staat \u{201c}onbekend\u{201d}: Vangnet vult geen voortgang in die niet in een bron staat."
        }
        p {
            a href={ "/monitor/" (id) } { "Naar de monitor van " (profile.name) }
            " · "
            a href={ "/regio/" (id) } { "Naar het regio-overzicht" }
        }
        @if ctx.may_update {
            p.toelichting {
                "U bent coördinator van de afgesproken acties van " (profile.name) ": kies een actienummer om de stand bij te werken."
            }
        }
        @if let Some((a, form, saved)) = open {
            (bijwerken(ctx, a, form, saved))
        }

        form.inline method="get" action={ "/monitor/" (id) "/acties" } aria-label="Acties filteren" {
            div.veld {
                label for="filter-gemeente" { "Gemeente" }
                select id="filter-gemeente" name="gemeente" {
                    option value="" selected[f.gemeente.is_none()] { "Alle gemeenten" }
                    @for g in &profile.gemeenten {
                        option value=(g.code.to_string()) selected[f.gemeente == Some(g.code)] { (g.name) }
                    }
                }
            }
            div.veld {
                label for="filter-stand" { "Stand" }
                select id="filter-stand" name="stand" aria-describedby="filter-stand-hint" {
                    option value="" selected[f.stand.is_none()] { "Elke stand" }
                    @for s in Stand::ALL {
                        option value=(s.key()) selected[f.stand == Some(s)] { (s.label()) }
                    }
                }
                span.hint id="filter-stand-hint" { "Acties waarbij de regio of een getoonde gemeente deze stand heeft." }
            }
            button.knop type="submit" { "Filteren" }
            @if filtered {
                a href={ "/monitor/" (id) "/acties" } { "Filter wissen" }
            }
        }

        @if acties.is_empty() {
            div.melding {
                p {
                    "Voor deze regio zijn (nog) geen afgesproken acties vastgelegd in Vangnet."
                }
            }
        } @else {
            p id="samenvatting" {
                (shown.len()) " van " (acties.len()) " acties"
                @if let Some(g) = f.gemeente { ", voor " (who(profile, Betreft::Gemeente(g))) }
                @if let Some(s) = f.stand { ", met stand \u{201c}" (s.label()) "\u{201d}" }
                ". Getoonde cellen: "
                @for (i, s) in Stand::ALL.iter().enumerate() {
                    @if i > 0 { ", " }
                    (s.label().to_lowercase()) " " (tally[i])
                }
                "."
            }
            p.toelichting {
                "Elke cel toont de nieuwste stand met de peildatum waarop die gold. "
                "De kolom \u{201c}Regio\u{201d} is een uitspraak van de bron over de regio als geheel; een gemeentekolom toont alleen wat voor die gemeente zelf bekend is. "
                "\u{201c}n.v.t.\u{201d}: de actie geldt niet voor die gemeente (bijvoorbeeld een lokaal plan van een andere gemeente); een thema toont alleen de gemeenten waar een van zijn acties voor geldt."
            }
            @if shown.is_empty() {
                p.melding { "Geen acties voor dit filter." }
            }
            @for (ti, thema) in themas.iter().enumerate() {
                @let rows: Vec<&Actie> = shown.iter().copied().filter(|a| a.thema == *thema).collect();
                @if !rows.is_empty() {
                    (thema_section(profile, ti, thema, &rows, &wie, &gemeente_q))
                }
            }
        }
    }
}

/// One theme: its table and the explanations. The columns are `wie` (region, then gemeenten)
/// narrowed to those some action of the theme concerns, so a theme of one gemeente's local
/// plan does not show a row of "n.v.t." for every other gemeente.
fn thema_section(
    profile: &RegionProfile,
    index: usize,
    thema: &str,
    rows: &[&Actie],
    wie: &[Betreft],
    gemeente_q: &str,
) -> Markup {
    let wie: Vec<Betreft> = wie
        .iter()
        .copied()
        .filter(|w| {
            rows.iter()
                .any(|a| !matches!(cell(a, *w), Cell::NietVanToepassing))
        })
        .collect();
    let kop = format!("thema-{}-{}", index + 1, slug(thema));
    let explained: Vec<&Actie> = rows
        .iter()
        .copied()
        .filter(|a| a.status.iter().any(|s| wie.contains(&s.betreft)))
        .collect();
    html! {
        section aria-labelledby=(kop) {
            h2 id=(kop) { (thema) }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby=(kop) {
                table.acties {
                    caption { "Stand per gemeente van de acties in \u{201c}" (thema) "\u{201d}" }
                    thead {
                        tr {
                            th scope="col" { "Nr." }
                            th scope="col" { "Actie" }
                            @for w in &wie { th scope="col" { (who(profile, *w)) } }
                        }
                    }
                    tbody {
                        @for a in rows {
                            tr id={ "actie-" (a.id) } {
                                th scope="row" {
                                    a href={ "/monitor/" (profile.id) "/acties?actie=" (a.id) (gemeente_q) "#bijwerken" }
                                        aria-label={ "Actie " (a.id) ": stand en geschiedenis" } { (a.id) }
                                }
                                td {
                                    (a.titel)
                                    br;
                                    (labels::herkomst(&a.herkomst))
                                    @if let Some(v) = &a.verantwoordelijk {
                                        br;
                                        span.klein { "Verantwoordelijk: " (v) }
                                    }
                                }
                                @for w in &wie { (cell_td(&cell(a, *w))) }
                            }
                        }
                    }
                }
            }
            @if !explained.is_empty() {
                h3 { "Toelichting bij de stand" }
                dl.toelichting-acties {
                    @for a in explained {
                        dt { strong { (a.id) } " " (a.titel) }
                        dd {
                            ul {
                                @for w in &wie {
                                    @for s in a.historie(*w) {
                                        li {
                                            strong { (who(profile, *w)) } ": "
                                            (s.stand.label().to_lowercase())
                                            " (peildatum " time datetime=(s.peildatum.to_string()) { (labels::date(s.peildatum)) } ")"
                                            @if !s.toelichting.is_empty() { " — " (labels::source_words(&s.toelichting)) }
                                            " " (labels::herkomst(&s.herkomst))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The opened action: its history for the region and every gemeente it concerns (newest
/// first, with who recorded it and when), and for the coordinator the update form.
fn bijwerken(ctx: &Ctx<'_>, a: &Actie, form: &FormState, saved: bool) -> Markup {
    let profile = ctx.profile;
    let mut wie: Vec<Betreft> = vec![Betreft::Regio];
    wie.extend(
        profile
            .gemeenten
            .iter()
            .filter(|g| a.geldt_voor(g.code))
            .map(|g| Betreft::Gemeente(g.code)),
    );
    let err = |field: &str| {
        form.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let own = own_gemeente(profile, ctx.user);
    let betreft_value = if form.values.betreft.is_empty() {
        own.filter(|g| a.geldt_voor(*g))
            .map_or_else(|| "regio".to_owned(), |g| g.to_string())
    } else {
        form.values.betreft.clone()
    };
    let stand_value = if form.values.stand.is_empty() {
        a.stand(acties::Betreft::Gemeente(
            own.unwrap_or(profile.centrumgemeente),
        ))
        .key()
        .to_owned()
    } else {
        form.values.stand.clone()
    };
    let veld = |name: &'static str, label: &str, body: Markup| {
        let e = err(name);
        html! {
            div.veld.veld-fout[e.is_some()] {
                label for={ "actie-" (name) } { (label) }
                @if let Some(m) = &e {
                    p.fout-melding id={ "actie-" (name) "-fout" } { span.visueel-verborgen { "Fout: " } (m) }
                }
                (body)
            }
        }
    };
    let described = |name: &str| err(name).map(|_| format!("actie-{name}-fout"));
    html! {
        section id="bijwerken" aria-labelledby="kop-bijwerken" {
            h2 id="kop-bijwerken" { "Actie " (a.id) ": " (a.titel) }
            p { (labels::herkomst(&a.herkomst)) }
            @if saved {
                div.melding.melding-goed role="status" {
                    p { "De stand is opgeslagen en staat hieronder in de geschiedenis." }
                }
            }
            (crate::html::error_box(&form.errors.iter().map(|(f, m)| (Some(format!("#actie-{f}")), m.as_str())).collect::<Vec<_>>()))
            @if ctx.may_update {
                form method="post" action={ "/monitor/" (profile.id) "/acties" } aria-labelledby="kop-bijwerken" novalidate {
                    input type="hidden" name="csrf" value=(ctx.user.csrf.as_deref().unwrap_or_default());
                    input type="hidden" name="actie" value=(a.id);
                    (veld("betreft", "Voor", html! {
                        select id="actie-betreft" name="betreft" aria-describedby=[described("betreft")] {
                            @for w in &wie {
                                @let k = acties::betreft_key(*w);
                                option value=(k) selected[k == betreft_value] { (who(profile, *w)) }
                            }
                        }
                    }))
                    (veld("stand", "Stand", html! {
                        select id="actie-stand" name="stand" aria-describedby=[described("stand")] {
                            @for st in Stand::ALL {
                                option value=(st.key()) selected[st.key() == stand_value] { (st.label()) }
                            }
                        }
                    }))
                    (veld("peildatum", "Peildatum", html! {
                        input id="actie-peildatum" name="peildatum" type="date" value=(form.values.peildatum)
                            aria-describedby=[described("peildatum")];
                    }))
                    (veld("toelichting", "Toelichting", html! {
                        textarea id="actie-toelichting" name="toelichting" rows="3" maxlength=(vangnet_domain::limits::MAX_TEXT_CHARS)
                            aria-describedby=[described("toelichting")] { (form.values.toelichting) }
                    }))
                    button.knop type="submit" { "Stand opslaan" }
                }
            } @else {
                p.toelichting {
                    "Alleen de coördinator van " (profile.name) " (een beleidsmedewerker van de centrumgemeente) legt de stand vast."
                }
            }
            h3 { "Geschiedenis" }
            @let any = wie.iter().any(|w| !a.historie(*w).is_empty());
            @if !any {
                p { "Nog geen stand bekend." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-label="Geschiedenis van de stand" {
                    table {
                        caption { "Geschiedenis van de stand van actie " (a.id) ", nieuwste peildatum eerst" }
                        thead { tr {
                            th scope="col" { "Voor" }
                            th scope="col" { "Stand" }
                            th scope="col" { "Peildatum" }
                            th scope="col" { "Toelichting" }
                            th scope="col" { "Herkomst" }
                        } }
                        tbody {
                            @for w in &wie {
                                @for s in a.historie(*w) {
                                    tr {
                                        th scope="row" { (who(profile, *w)) }
                                        td { (badge(s.stand)) }
                                        td { time datetime=(s.peildatum.to_string()) { (labels::date(s.peildatum)) } }
                                        td { (labels::source_words(&s.toelichting)) }
                                        td { (labels::herkomst(&s.herkomst)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::{RegionId, Regions};

    fn nr() -> RegionProfile {
        Regions::builtin()
            .get(&RegionId::parse("nijmegen-rivierenland").unwrap())
            .unwrap()
            .clone()
    }

    #[test]
    fn filters_are_validated() {
        let p = nr();
        let q = |g: &str, s: &str| FilterQuery {
            gemeente: Some(g.into()),
            stand: Some(s.into()),
            ..FilterQuery::default()
        };
        let f = parse_filter(&p, q("GM0268", "gereed")).unwrap();
        assert_eq!(f.gemeente, GemeenteCode::parse("GM0268").ok());
        assert_eq!(f.stand, Some(Stand::Gereed));
        let f = parse_filter(&p, q(" ", "")).unwrap();
        assert!(f.gemeente.is_none() && f.stand.is_none());
        assert!(
            parse_filter(&p, q("GM0202", ""))
                .unwrap_err()
                .contains("hoort niet bij")
        );
        assert!(
            parse_filter(&p, q("Nijmegen", ""))
                .unwrap_err()
                .contains("GM + 4")
        );
        assert!(
            parse_filter(&p, q("", "klaar"))
                .unwrap_err()
                .contains("in_uitvoering")
        );
    }

    #[test]
    fn sources_are_shown_as_documents_not_seed_files() {
        assert_eq!(
            labels::source_words(
                "seed 001_81d6ca9954efb168.txt, §10.4 'In 2019: ontwikkeling en keuzes', punt 1"
            ),
            "Transformatieplan \u{2018}Samen aan zet!\u{2019} (Centraal Gelderland, 2019), paragraaf 10.4 'In 2019: ontwikkeling en keuzes', punt 1"
        );
        assert_eq!(
            labels::source_words("Seed 002 (inleiding): in de regionale kadernota"),
            "Uitvoeringsplan \u{2018}beschermd wonen, beschermd thuis\u{2019} van Duiven en Westervoort (januari 2024) (inleiding): in de regionale kadernota"
        );
        assert_eq!(
            labels::source_words(
                "seed 003_ec5d1b5a2e235e04.txt, Regiovisie beschermd wonen en maatschappelijke opvang (2020 en verder), 'Wonen'"
            ),
            "Regiovisie beschermd wonen en maatschappelijke opvang (2020 en verder), Meierij en Bommelerwaard, 'Wonen'"
        );
        assert_eq!(
            labels::source_words("geen bron; need 0 seeds"),
            "geen bron; need 0 seeds"
        );
        assert_eq!(
            labels::source_words("seed 009 onbekend"),
            "seed 009 onbekend"
        );
        for id in [
            "centraal-gelderland",
            "drechtsteden",
            "meierij-bommelerwaard",
            "nijmegen-rivierenland",
        ] {
            for a in acties::builtin(id) {
                let mut texts = vec![a.herkomst.tekst().to_owned()];
                texts.extend(a.status.iter().map(|s| s.toelichting.clone()));
                texts.extend(a.status.iter().map(|s| s.herkomst.tekst().to_owned()));
                for t in texts {
                    let shown = labels::source_words(&t);
                    assert!(
                        !shown.to_lowercase().contains("seed 00") && !shown.contains(".txt"),
                        "{id} {}: {shown}",
                        a.id
                    );
                }
            }
        }
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(
            slug("6. (Overige) organisatorische onderwerpen"),
            "6-overige-organisatorische-onderwerpen"
        );
    }
}
