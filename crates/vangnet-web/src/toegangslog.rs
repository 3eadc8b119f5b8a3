//! `/toegangslog` and its CSV/XLSX downloads: the auditor's view of the access log (NEN 7513).
//! Filters by period (`van`/`tot`, Dutch calendar days), organisation, role, purpose
//! (substring), client, user (login name or display name) and refusals, all applied in SQL by
//! the store in one query; users are shown by display name with the login name beside it,
//! actions as Dutch labels, times in Dutch time. An invalid filter is answered 422 with the
//! same form, the error at its field and the other filters kept (no error page).

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use vangnet_domain::{ClientId, Date, Organisation, Regions, Role, clock};
use vangnet_store::{AccessEntry, AccessLogFilter};

use crate::html::{self, Nav};
use crate::labels;
use crate::pages::download;
use crate::users::{DemoUser, LoggedIn};
use crate::{AppState, WebError};

/// The filters of `/toegangslog` (all optional; as typed by the auditor).
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct AccessLogQuery {
    /// Client number (`P00000042`).
    #[serde(default)]
    pub client: String,
    /// User: login name or display name.
    #[serde(default)]
    pub gebruiker: String,
    /// `"1"`: refused attempts only.
    #[serde(default)]
    pub geweigerd: String,
    /// Number of entries (default 200, at most 5,000).
    #[serde(default)]
    pub aantal: String,
    /// First day (Dutch calendar day, `jjjj-mm-dd` or `dd-mm-jjjj`).
    #[serde(default)]
    pub van: String,
    /// Last day, inclusive.
    #[serde(default)]
    pub tot: String,
    /// Organisation key as logged (`regio:…`, `gemeente:…`, `vangnet`).
    #[serde(default)]
    pub organisatie: String,
    /// Role key (`auditor`, `toegangsmedewerker`, …).
    #[serde(default)]
    pub rol: String,
    /// Part of the stated purpose.
    #[serde(default)]
    pub doel: String,
}

/// Most entries one page or download shows.
pub(crate) const ACCESS_LOG_MAX: usize = 5_000;

/// A filter error: the form field and a Dutch message.
type FieldError = (&'static str, String);

/// A day typed as `jjjj-mm-dd` (the date input) or `dd-mm-jjjj`.
fn parse_day(s: &str) -> Option<Date> {
    if let Ok(d) = Date::parse(s) {
        return Some(d);
    }
    let mut it = s.split('-');
    let (d, m, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 {
        return None;
    }
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The instant Dutch calendar day `d` begins (00:00 Europe/Amsterdam), as stored (RFC 3339 UTC).
fn start_of_dutch_day(d: Date) -> Option<String> {
    let tz = jiff::tz::db().get(clock::TIME_ZONE).ok()?;
    let civil: jiff::civil::Date = d.to_string().parse().ok()?;
    // Midnight is never in a DST gap in the Netherlands (the clocks change at 02:00/03:00).
    let at = tz
        .to_timestamp(civil.to_datetime(jiff::civil::Time::midnight()))
        .ok()?;
    Some(clock::rfc3339(at))
}

impl AccessLogQuery {
    /// The store filter, or the bad field and a Dutch message. `users`: (login, display name).
    fn filter(&self, users: &UserNames) -> Result<AccessLogFilter, FieldError> {
        let client = match self.client.trim() {
            "" => None,
            c => Some(ClientId::parse(c).map_err(|_| {
                (
                    "client",
                    format!("'{c}' is geen cliëntnummer (verwacht bijvoorbeeld P00000042)."),
                )
            })?),
        };
        let limit = match self.aantal.trim() {
            "" => 200,
            a => match a.parse::<usize>() {
                Ok(n) if (1..=ACCESS_LOG_MAX).contains(&n) => n,
                _ => {
                    return Err((
                        "aantal",
                        format!(
                            "Aantal '{a}' is ongeldig: kies een getal van 1 tot en met {ACCESS_LOG_MAX}."
                        ),
                    ));
                }
            },
        };
        let day = |field: &'static str, s: &str, what: &str| -> Result<Option<Date>, FieldError> {
            match s.trim() {
                "" => Ok(None),
                t => parse_day(t).map(Some).ok_or_else(|| {
                    (
                        field,
                        format!("'{t}' is geen geldige datum voor '{what}' (verwacht bijvoorbeeld 01-03-2026)."),
                    )
                }),
            }
        };
        let van = day("van", &self.van, "van")?;
        let tot = day("tot", &self.tot, "tot en met")?;
        if let (Some(v), Some(t)) = (van, tot)
            && t < v
        {
            return Err((
                "tot",
                format!(
                    "'Tot en met' ({}) ligt vóór 'van' ({}).",
                    labels::date(t),
                    labels::date(v)
                ),
            ));
        }
        let bad_day = |f: &'static str| (f, "Deze datum valt buiten het bereik.".to_owned());
        let from = van
            .map(|d| start_of_dutch_day(d).ok_or_else(|| bad_day("van")))
            .transpose()?;
        let until = tot
            .map(|d| start_of_dutch_day(d.add_days(1)).ok_or_else(|| bad_day("tot")))
            .transpose()?;
        let organisation = match self.organisatie.trim() {
            "" => None,
            o => match Organisation::parse(o) {
                Some(org) => Some(org.to_string()),
                None => {
                    return Err((
                        "organisatie",
                        format!("'{o}' is geen bekende organisatie; kies er een uit de lijst."),
                    ));
                }
            },
        };
        let role = match self.rol.trim() {
            "" => None,
            r => match Role::parse(r) {
                Some(role) => Some(role.key().to_owned()),
                None => {
                    return Err((
                        "rol",
                        format!("'{r}' is geen bekende rol; kies er een uit de lijst."),
                    ));
                }
            },
        };
        let user = match self.gebruiker.trim() {
            "" => None,
            u => Some(users.login_of(u)),
        };
        Ok(AccessLogFilter {
            client,
            user,
            only_refused: self.geweigerd == "1",
            from,
            until,
            organisation,
            role,
            purpose: Some(self.doel.trim().to_owned()).filter(|p| !p.is_empty()),
            limit,
        })
    }

    /// The query string of these filters (for the download links), empty fields left out.
    fn query_string(&self) -> String {
        let pairs: Vec<(&str, String)> = [
            ("van", &self.van),
            ("tot", &self.tot),
            ("organisatie", &self.organisatie),
            ("rol", &self.rol),
            ("doel", &self.doel),
            ("client", &self.client),
            ("gebruiker", &self.gebruiker),
            ("geweigerd", &self.geweigerd),
            ("aantal", &self.aantal),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
        crate::monitor::query_string(&pairs)
    }
}

/// Display names of every known user: accounts and demo users, by login name.
pub(crate) struct UserNames(HashMap<String, String>);

impl UserNames {
    /// Accounts (`store.accounts().users()`, read off the async runtime) and the demo users;
    /// an account wins.
    pub(crate) async fn load(st: &AppState) -> UserNames {
        let mut m: HashMap<String, String> = st
            .users()
            .iter()
            .map(|u| (u.id.clone(), u.naam.clone()))
            .collect();
        if let Ok(accounts) = st.blocking(|s| s.accounts().users()).await {
            m.extend(accounts.into_iter().map(|a| (a.id, a.naam)));
        }
        UserNames(m)
    }

    /// The display names of just these users (accounts read one by one off the async runtime,
    /// then the demo users): for a page that names a few people, such as a dossier's history.
    pub(crate) async fn of(st: &AppState, ids: Vec<String>) -> UserNames {
        let mut m: HashMap<String, String> = st
            .users()
            .iter()
            .filter(|u| ids.contains(&u.id))
            .map(|u| (u.id.clone(), u.naam.clone()))
            .collect();
        let accounts = st
            .blocking(move |s| {
                let accounts = s.accounts();
                Ok(ids
                    .iter()
                    .filter_map(|id| accounts.user(id).ok().flatten())
                    .collect::<Vec<_>>())
            })
            .await;
        if let Ok(accounts) = accounts {
            m.extend(accounts.into_iter().map(|a| (a.id, a.naam)));
        }
        UserNames(m)
    }

    /// The login name for what the auditor typed: a login name as is, else the one user
    /// whose display name it is (case-insensitive), else the text itself (matches nothing
    /// unless some log row has it, e.g. a command-line operator).
    fn login_of(&self, typed: &str) -> String {
        if self.0.contains_key(typed) {
            return typed.to_owned();
        }
        let lower = typed.to_lowercase();
        let mut hits = self
            .0
            .iter()
            .filter(|(_, naam)| naam.to_lowercase() == lower);
        match (hits.next(), hits.next()) {
            (Some((id, _)), None) => id.clone(),
            _ => typed.to_owned(),
        }
    }

    /// The display name of a logged user (system jobs in words; unknown: `None`).
    pub(crate) fn name(&self, user: &str) -> Option<&str> {
        if user.starts_with("systeem") {
            return Some("Vangnet (systeemtaak)");
        }
        self.0.get(user).map(String::as_str)
    }
}

/// Labels computed once per distinct value (an access log repeats few users, roles and
/// organisations over thousands of rows).
struct Labeler<'a> {
    regions: &'a Regions,
    users: &'a UserNames,
    orgs: HashMap<String, String>,
}

impl Labeler<'_> {
    fn organisation(&mut self, key: &str) -> &str {
        if !self.orgs.contains_key(key) {
            let label = Organisation::parse(key).map_or_else(
                || key.to_owned(),
                |o| labels::organisation(self.regions, &o),
            );
            self.orgs.insert(key.to_owned(), label);
        }
        &self.orgs[key]
    }
}

/// The role of an access-log entry in words.
fn role_label(role: &str) -> &str {
    Role::parse(role).map_or(role, |r| r.label())
}

/// An access-log time (RFC 3339, UTC) in Dutch time, to the second: `07-03-2024 11:11:12`.
fn logged_at(at: &str) -> String {
    match clock::parse_stored_instant(at).map(clock::in_amsterdam) {
        Some(c) => format!(
            "{:02}-{:02}-{:04} {:02}:{:02}:{:02}",
            c.day(),
            c.month(),
            c.year(),
            c.hour(),
            c.minute(),
            c.second()
        ),
        None => at.to_owned(),
    }
}

/// The access log's columns, on the page and in downloads.
const COLUMNS: [&str; 12] = [
    "Tijdstip (Nederlandse tijd)",
    "Gebruiker",
    "Gebruikersnaam",
    "Rol",
    "Organisatie",
    "Cliënt",
    "Handeling",
    "Doel",
    "Besluit",
    "Reden",
    "Sessie",
    "Netwerkadres",
];

/// HTML-escape `s` onto `out`.
fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Rows per table block. A browser lays out a block only when it comes near the screen
/// (`content-visibility: auto` on `.logblok`), so 5,000 rows open in well under a second
/// (one table of 5,000 rows took Chromium 3–4 s); the columns have fixed widths, so the
/// blocks line up as one list.
const BLOCK_ROWS: usize = 200;

/// CSS classes of the columns (widths in `vangnet.css`), in [`COLUMNS`] order.
const COLUMN_CLASSES: [&str; 12] = [
    "k-tijd",
    "k-naam",
    "k-login",
    "k-rol",
    "k-org",
    "k-client",
    "k-handeling",
    "k-doel",
    "k-besluit",
    "k-reden",
    "k-sessie",
    "k-adres",
];

/// The table head and column widths (repeated at the top of every block).
fn head_html(out: &mut String) {
    out.push_str("<colgroup>");
    for c in COLUMN_CLASSES {
        let _ = write!(out, "<col class=\"{c}\">");
    }
    out.push_str("</colgroup><thead><tr>");
    for c in COLUMNS {
        let _ = write!(out, "<th scope=\"col\">{c}</th>");
    }
    out.push_str("</tr></thead>");
}

/// The entries as table blocks of [`BLOCK_ROWS`], built as one string in one pass (labels
/// cached). The first table is `#toegangslog` with the caption; the others are labelled
/// with their row numbers.
fn tables_html(entries: &[AccessEntry], lab: &mut Labeler<'_>) -> String {
    let mut out = String::with_capacity(entries.len() * 600 + 2_000);
    if entries.is_empty() {
        out.push_str("<div class=\"logblok\"><table id=\"toegangslog\" class=\"logtabel\"><caption id=\"kop-log\">Toegangslog, nieuwste eerst</caption>");
        head_html(&mut out);
        let _ = write!(
            out,
            "<tbody><tr><td colspan=\"{}\">Geen vastleggingen die aan het filter voldoen.</td></tr></tbody></table></div>",
            COLUMNS.len()
        );
        return out;
    }
    for (b, block) in entries.chunks(BLOCK_ROWS).enumerate() {
        if b == 0 {
            out.push_str("<div class=\"logblok\"><table id=\"toegangslog\" class=\"logtabel\"><caption id=\"kop-log\">Toegangslog, nieuwste eerst</caption>");
        } else {
            let first = b * BLOCK_ROWS + 1;
            let _ = write!(
                out,
                "<div class=\"logblok\"><table class=\"logtabel\" aria-label=\"Toegangslog, vastleggingen {first} tot en met {}\">",
                first + block.len() - 1
            );
        }
        head_html(&mut out);
        out.push_str("<tbody>");
        for e in block {
            row_html(&mut out, e, lab);
        }
        out.push_str("</tbody></table></div>");
    }
    out
}

/// One entry as a table row.
fn row_html(out: &mut String, e: &AccessEntry, lab: &mut Labeler<'_>) {
    out.push_str("<tr><th scope=\"row\"><time datetime=\"");
    esc(out, &e.at);
    out.push_str("\">");
    esc(out, &logged_at(&e.at));
    out.push_str("</time></th><td>");
    esc(out, lab.users.name(&e.user).unwrap_or(&e.user));
    out.push_str("</td><td><code>");
    esc(out, &e.user);
    out.push_str("</code></td><td>");
    esc(out, role_label(&e.role));
    out.push_str("</td><td>");
    let org = lab.organisation(&e.organisation);
    esc(out, org);
    out.push_str("</td><td>");
    match e.client {
        Some(c) => {
            let _ = write!(out, "<a href=\"/toegangslog?client={c}\">{c}</a>");
        }
        None => out.push('—'),
    }
    out.push_str("</td><td>");
    esc(out, &labels::access_action(&e.action));
    out.push_str("</td><td>");
    esc(out, &e.purpose);
    out.push_str("</td><td>");
    out.push_str(if e.allowed {
        "<span class=\"label label-goed\">toegestaan</span>"
    } else {
        "<span class=\"label label-fout\">geweigerd</span>"
    });
    out.push_str("</td><td>");
    esc(out, &e.reason);
    out.push_str("</td><td>");
    esc(out, e.session.as_deref().unwrap_or("—"));
    out.push_str("</td><td>");
    esc(out, e.address.as_deref().unwrap_or("—"));
    out.push_str("</td></tr>");
}

/// The organisations to choose from: Vangnet, each region and its gemeenten.
fn organisation_options(regions: &Regions, chosen: &str) -> Markup {
    html! {
        option value="" selected[chosen.is_empty()] { "Alle organisaties" }
        option value="vangnet" selected[chosen == "vangnet"] { "Vangnet (coördinatiepunt)" }
        @for p in regions.all() {
            @let key = format!("regio:{}", p.id);
            optgroup label=(p.name) {
                option value=(key) selected[chosen == key] { (p.name) " (regio)" }
                @for g in &p.gemeenten {
                    @let gk = format!("gemeente:{}", g.code);
                    option value=(gk) selected[chosen == gk] { "Gemeente " (g.name) }
                }
            }
        }
    }
}

/// One form field's error, if it is about `field`.
fn field_error<'e>(error: Option<&'e FieldError>, field: &str) -> Option<&'e str> {
    error.filter(|(f, _)| *f == field).map(|(_, m)| m.as_str())
}

/// The page: the form (with the error at its field, if any), download links and entries.
fn page_body(
    q: &AccessLogQuery,
    error: Option<&FieldError>,
    filter: Option<&AccessLogFilter>,
    entries: &[AccessEntry],
    lab: &mut Labeler<'_>,
) -> Markup {
    let limit = match filter {
        Some(f) => f.limit.to_string(),
        None if q.aantal.trim().is_empty() => "200".to_owned(),
        None => q.aantal.clone(),
    };
    let filtered = filter.is_some_and(|f| *f != AccessLogFilter::newest(f.limit));
    let query = q.query_string();
    let regions = lab.regions;
    let described = |field: &str| field_error(error, field).map(|_| format!("fout-{field}"));
    let field = |field: &'static str, label: &str, input: Markup| -> Markup {
        let err = field_error(error, field);
        html! {
            div.veld.(if err.is_some() { "veld-fout" } else { "" }) {
                label for={ "f-" (field) } { (label) }
                @if let Some(m) = err {
                    p.fout-melding id={ "fout-" (field) } { span.visueel-verborgen { "Fout: " } (m) }
                }
                (input)
            }
        }
    };
    html! {
        h1 { "Toegangslog" }
        p.inleiding {
            "Vastleggingen van inzage in en wijziging van cliëntgegevens, ook geweigerde pogingen (NEN 7513), nieuwste eerst. "
            "Ook het lezen en downloaden van dit log is vastgelegd. Elke vastlegging is met een hash aan de vorige gekoppeld; "
            "de keten controleren kan met " code { "vangnet audit verify" } ". Tijden in Nederlandse tijd."
        }
        @if let Some((f, m)) = error {
            (html::error_box(&[(Some(format!("#f-{f}")), m.as_ref())]))
        }
        form.filters method="get" action="/toegangslog" aria-labelledby="kop-logfilter" {
            h2 id="kop-logfilter" { "Filter" }
            div.filter-rij {
                (field("van", "Van (datum)", html! {
                    input type="date" id="f-van" name="van" value=(q.van) aria-describedby=[described("van")] aria-invalid=[field_error(error, "van").map(|_| "true")];
                }))
                (field("tot", "Tot en met (datum)", html! {
                    input type="date" id="f-tot" name="tot" value=(q.tot) aria-describedby=[described("tot")] aria-invalid=[field_error(error, "tot").map(|_| "true")];
                }))
                (field("organisatie", "Organisatie", html! {
                    select id="f-organisatie" name="organisatie" aria-describedby=[described("organisatie")] aria-invalid=[field_error(error, "organisatie").map(|_| "true")] {
                        (organisation_options(regions, q.organisatie.trim()))
                    }
                }))
                (field("rol", "Rol", html! {
                    select id="f-rol" name="rol" aria-describedby=[described("rol")] aria-invalid=[field_error(error, "rol").map(|_| "true")] {
                        option value="" selected[q.rol.trim().is_empty()] { "Alle rollen" }
                        @for r in Role::ALL {
                            option value=(r.key()) selected[q.rol.trim() == r.key()] { (r.label()) }
                        }
                    }
                }))
            }
            div.filter-rij {
                (field("doel", "Doel bevat", html! {
                    input type="text" id="f-doel" name="doel" value=(q.doel) list="doelen" autocomplete="off" aria-describedby=[described("doel")];
                    datalist id="doelen" {
                        @for d in PURPOSES { option value=(d) {} }
                    }
                }))
                (field("gebruiker", "Gebruiker (naam of gebruikersnaam)", html! {
                    input type="text" id="f-gebruiker" name="gebruiker" value=(q.gebruiker) autocomplete="off" aria-describedby=[described("gebruiker")];
                }))
                (field("client", "Cliëntnummer", html! {
                    input type="text" id="f-client" name="client" value=(q.client) placeholder="P00000042" autocomplete="off" aria-describedby=[described("client")] aria-invalid=[field_error(error, "client").map(|_| "true")];
                }))
                (field("aantal", "Aantal (maximaal 5.000)", html! {
                    input type="number" id="f-aantal" name="aantal" value=(limit) min="1" max="5000" aria-describedby=[described("aantal")] aria-invalid=[field_error(error, "aantal").map(|_| "true")];
                }))
            }
            fieldset.keuzes {
                legend { "Besluit" }
                label.keuze {
                    input type="checkbox" name="geweigerd" value="1" checked[q.geweigerd == "1"];
                    " alleen geweigerde pogingen"
                }
            }
            div.filter-knoppen {
                button.knop type="submit" { "Toon" }
                a href="/toegangslog" { "Alles wissen" }
            }
        }
        @if error.is_none() {
            p {
                (entries.len()) @if entries.len() == 1 { " vastlegging" } @else { " vastleggingen" }
                @if filtered { " die aan het filter voldoen" }
                ". Download precies deze lijst: "
                a href={ "/toegangslog.csv?" (query) } download { "CSV" }
                " of "
                a href={ "/toegangslog.xlsx?" (query) } download { "Excel" }
                "."
            }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-log" {
                (PreEscaped(tables_html(entries, lab)))
            }
        }
    }
}

/// Purposes the application states (suggestions for the purpose filter).
const PURPOSES: [&str; 8] = [
    "dossier inzien",
    "aanmelding registreren",
    "wachtlijst beheren",
    "toegangslog controleren",
    "toegangslog downloaden",
    "inzage cliënt",
    "werklijst",
    "beheer",
];

/// Read the entries (the store decides and logs; one query).
async fn entries(
    st: &AppState,
    user: &DemoUser,
    filter: &AccessLogFilter,
    purpose: &str,
) -> Result<Vec<AccessEntry>, WebError> {
    let gate = user.gate(purpose);
    let f = filter.clone();
    Ok(st
        .blocking(move |s| s.access_log_filtered(&gate, &f))
        .await?)
}

/// `GET /toegangslog`: an invalid filter gives 422 with the same form (the other filters kept).
pub(crate) async fn access_log(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    q: Result<Query<AccessLogQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let names = UserNames::load(&st).await;
    let regions = st.store().regions();
    let mut lab = Labeler {
        regions,
        users: &names,
        orgs: HashMap::new(),
    };
    let (status, body) = match q.filter(&names) {
        Ok(filter) => {
            let rows = entries(&st, &user, &filter, "toegangslog controleren").await?;
            (
                StatusCode::OK,
                page_body(&q, None, Some(&filter), &rows, &mut lab),
            )
        }
        Err(e) => {
            if !vangnet_domain::access::may_read_access_log(user.actor.role) {
                // Let the store refuse (and log) as for any other reading.
                entries(
                    &st,
                    &user,
                    &AccessLogFilter::newest(1),
                    "toegangslog controleren",
                )
                .await?;
            }
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page_body(&q, Some(&e), None, &[], &mut lab),
            )
        }
    };
    let title = if status.is_success() {
        "Toegangslog"
    } else {
        "Toegangslog: filter niet geldig"
    };
    Ok((
        status,
        Html(html::page(title, Some(&user), regions, &Nav::AccessLog, body).into_string()),
    )
        .into_response())
}

/// `GET /toegangslog.csv`: exactly the filtered entries, for Dutch Excel.
pub(crate) async fn access_log_csv(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    q: Result<Query<AccessLogQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    export(st, user, q, false).await
}

/// `GET /toegangslog.xlsx`: exactly the filtered entries as a workbook.
pub(crate) async fn access_log_xlsx(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    q: Result<Query<AccessLogQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    export(st, user, q, true).await
}

async fn export(
    st: AppState,
    user: DemoUser,
    q: Result<Query<AccessLogQuery>, QueryRejection>,
    xlsx: bool,
) -> Result<Response, WebError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let names = UserNames::load(&st).await;
    let filter = q
        .filter(&names)
        .map_err(|(field, m)| WebError::invalid(m).field(field).titled("Ongeldig filter"))?;
    let rows = entries(&st, &user, &filter, "toegangslog downloaden").await?;
    let mut lab = Labeler {
        regions: st.store().regions(),
        users: &names,
        orgs: HashMap::new(),
    };
    let table = table(&rows, &mut lab);
    Ok(download("vangnet-toegangslog", &[table], xlsx))
}

/// The entries as a table for CSV/XLSX (times in Dutch time, and as recorded in UTC).
fn table(entries: &[AccessEntry], lab: &mut Labeler<'_>) -> vangnet_tabular::Table {
    let mut columns: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    columns.push("Tijdstip (UTC, zoals vastgelegd)".to_owned());
    vangnet_tabular::Table {
        title: "Toegangslog".to_owned(),
        columns,
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    logged_at(&e.at).into(),
                    lab.users.name(&e.user).unwrap_or(&e.user).to_owned().into(),
                    e.user.clone().into(),
                    role_label(&e.role).to_owned().into(),
                    lab.organisation(&e.organisation).to_owned().into(),
                    e.client.map(|c| c.to_string()).unwrap_or_default().into(),
                    labels::access_action(&e.action).into_owned().into(),
                    e.purpose.clone().into(),
                    if e.allowed { "toegestaan" } else { "geweigerd" }.into(),
                    e.reason.clone().into(),
                    e.session.clone().unwrap_or_default().into(),
                    e.address.clone().unwrap_or_default().into(),
                    e.at.clone().into(),
                ]
            })
            .collect(),
        notes: vec![
            "Bron: Vangnet, toegangslog (NEN 7513); tijden in Nederlandse tijd (Europe/Amsterdam), de laatste kolom zoals vastgelegd in UTC.".to_owned(),
        ],
        ..vangnet_tabular::Table::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_in_both_forms_and_begin_at_dutch_midnight() {
        assert_eq!(parse_day("2026-03-01"), Date::from_ymd(2026, 3, 1));
        assert_eq!(parse_day("01-03-2026"), Date::from_ymd(2026, 3, 1));
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(parse_day("1-3-26"), None);
        // Winter: CET (UTC+1); summer: CEST (UTC+2).
        assert_eq!(
            start_of_dutch_day(Date::from_ymd(2026, 1, 15).unwrap()).as_deref(),
            Some("2026-01-14T23:00:00.000Z")
        );
        assert_eq!(
            start_of_dutch_day(Date::from_ymd(2026, 7, 1).unwrap()).as_deref(),
            Some("2026-06-30T22:00:00.000Z")
        );
    }

    #[test]
    fn escaping_covers_markup() {
        let mut s = String::new();
        esc(&mut s, "<a href=\"x\">&'");
        assert_eq!(s, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
