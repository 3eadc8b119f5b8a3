//! `/clienten/{id}/inzage` and `/clienten/{id}/inzage.csv`: a client's own access overview
//! (AVG art. 15, the right of access; NEN 7513: a client may know who saw the record). The
//! region's access team prints it or downloads it to hand to the client: every access-log
//! row about the client — date and time in Dutch time, organisation, role, the staff
//! member's display name, what was done, why, and whether it was allowed. Only the access
//! team of the client's region may draw it up; the store decides and logs the reading (and
//! every refusal).
//!
//! Not in it: system jobs that read all records at once (export, the forecast, rebuilds)
//! are one row per job without a client in the log; the page says so.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use vangnet_domain::{ClientId, Date, Organisation, Role};
use vangnet_store::AccessEntry;

use crate::AppState;
use crate::error::WebError;
use crate::html::{self, Nav};
use crate::labels;
use crate::pages::download;
use crate::users::{DemoUser, LoggedIn};

/// The last Sunday of month `m` (March or October: 31 days) of year `y`.
fn last_sunday(y: i32, m: u32) -> Date {
    let last = Date::from_ymd(y, m, 31).expect("March and October have 31 days");
    // 1970-01-01 was a Thursday: Monday = 0 … Sunday = 6.
    let weekday = (last.days_since_epoch() + 3).rem_euclid(7);
    last.add_days(-((weekday + 1) % 7))
}

/// An RFC 3339 UTC time (`2026-03-29T01:00:00.000Z`) as Dutch time, `dd-mm-jjjj uu:mm`:
/// CET (UTC+1), and CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday
/// of October 01:00 UTC (the EU rule). `None` when `at` is not such a time.
pub fn dutch_time(at: &str) -> Option<String> {
    let day = Date::parse(at.get(..10)?).ok()?;
    let num = |r: std::ops::Range<usize>| at.get(r)?.parse::<i64>().ok();
    let (h, min) = (num(11..13)?, num(14..16)?);
    if at.get(10..11)? != "T" || h > 23 || min > 59 {
        return None;
    }
    let utc = i64::from(day.days_since_epoch()) * 1440 + h * 60 + min;
    let y = day.year();
    let start = i64::from(last_sunday(y, 3).days_since_epoch()) * 1440 + 60;
    let end = i64::from(last_sunday(y, 10).days_since_epoch()) * 1440 + 60;
    let local = utc + if (start..end).contains(&utc) { 120 } else { 60 };
    let d = Date::from_days_since_epoch(i32::try_from(local.div_euclid(1440)).ok()?);
    let m = local.rem_euclid(1440);
    Some(format!("{} {:02}:{:02}", labels::date(d), m / 60, m % 60))
}

/// The staff member as a person: the display name of a known user, "Vangnet (systeemtaak)"
/// for the system, else the user name as logged (e.g. a command-line operator).
fn staff_name(st: &AppState, e: &AccessEntry) -> String {
    if e.user.starts_with("systeem:") {
        return "Vangnet (systeemtaak)".to_owned();
    }
    st.user(&e.user)
        .map_or_else(|| e.user.clone(), |u| u.naam.clone())
}

/// What was done, in words.
fn action_label(action: &str) -> &str {
    match action {
        "lezen" => "dossier ingezien",
        "lezen_wonen" => "woongegevens ingezien",
        "aanmaken" => "dossier aangemaakt",
        "schrijven" => "gegevens vastgelegd",
        "bulk" => "verwerkt in een import",
        "inzage_toegangslog" => "dit inzageoverzicht opgesteld",
        other => other,
    }
}

fn organisation_label(st: &AppState, e: &AccessEntry) -> String {
    Organisation::parse(&e.organisation).map_or_else(
        || e.organisation.clone(),
        |o| labels::organisation(st.store().regions(), &o),
    )
}

fn role_label(e: &AccessEntry) -> String {
    Role::parse(&e.role).map_or_else(|| e.role.clone(), |r| r.label().to_owned())
}

/// The overview's columns, on the page and in the download.
const COLUMNS: [&str; 7] = [
    "Datum en tijd",
    "Organisatie",
    "Rol",
    "Medewerker",
    "Handeling",
    "Doel",
    "Besluit",
];

/// One row's cells, in [`COLUMNS`] order.
fn cells(st: &AppState, e: &AccessEntry) -> [String; 7] {
    [
        dutch_time(&e.at).unwrap_or_else(|| e.at.clone()),
        organisation_label(st, e),
        role_label(e),
        staff_name(st, e),
        action_label(&e.action).to_owned(),
        e.purpose.clone(),
        if e.allowed { "toegestaan" } else { "geweigerd" }.to_owned(),
    ]
}

/// Parse the id and read the client's rows (the store decides and logs).
async fn rows(
    st: &AppState,
    user: &DemoUser,
    id: &str,
    purpose: &str,
) -> Result<(ClientId, Vec<AccessEntry>), WebError> {
    let Ok(client) = ClientId::parse(id) else {
        return Err(WebError::not_found(format!(
            "'{id}' is geen cliëntnummer (verwacht bijvoorbeeld P00000042)."
        ))
        .titled("Niet gevonden"));
    };
    let gate = user.gate(purpose);
    st.blocking(move |s| s.client_access_log(&gate, client))
        .await
        .map(|rows| (client, rows))
        .map_err(WebError::from)
}

/// `GET /clienten/{id}/inzage`: the printable overview.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Response {
    match rows(&st, &user, &id, "inzage cliënt (AVG art. 15)").await {
        Ok((client, entries)) => {
            let title = format!("Inzage toegangslog {client}");
            let body = body(&st, &user, client, &entries);
            Html(
                html::page(&title, Some(&user), st.store().regions(), &Nav::None, body)
                    .into_string(),
            )
            .into_response()
        }
        Err(e) => e.into_response(),
    }
}

fn body(st: &AppState, user: &DemoUser, client: ClientId, entries: &[AccessEntry]) -> Markup {
    let today = vangnet_store::time::now_rfc3339();
    html! {
        h1 { "Wie heeft uw gegevens ingezien of gewijzigd?" }
        p.inleiding {
            "Overzicht uit het toegangslog van Vangnet voor cliënt " strong { (client) }
            ": elke keer dat een medewerker uw dossier inzag, aanmaakte of er gegevens in vastlegde, "
            "ook pogingen die geweigerd zijn (NEN 7513; uw recht op inzage, AVG artikel 15). "
            "Tijden in Nederlandse tijd."
        }
        p {
            "Opgesteld op " (dutch_time(&today).unwrap_or(today.clone())) " door " (user.naam)
            " (" (labels::organisation(st.store().regions(), &user.actor.organisation)) ")."
        }
        p.niet-afdrukken {
            a href={ "/clienten/" (client) "/inzage.csv" } download { "Download als CSV" }
            " · Afdrukken of bewaren als pdf met de afdrukfunctie van de browser."
        }
        div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-inzage" {
            table id="inzage" {
                caption id="kop-inzage" { "Toegang tot het dossier van " (client) ", oudste eerst" }
                thead { tr { @for c in COLUMNS { th scope="col" { (c) } } } }
                tbody {
                    @if entries.is_empty() {
                        tr { td colspan="7" { "Er is niets vastgelegd." } }
                    }
                    @for e in entries {
                        @let c = cells(st, e);
                        tr {
                            th scope="row" { time datetime=(e.at) { (c[0]) } }
                            @for v in &c[1..] { td { (v) } }
                        }
                    }
                }
            }
        }
        p.klein {
            "Niet per cliënt vastgelegd, en daarom hier niet opgenomen: systeemtaken die alle dossiers tegelijk "
            "verwerken (export, herbouwen, de prognose). Die staan als één regel per taak in het toegangslog, "
            "met de naam van wie de taak startte."
        }
    }
}

/// `GET /clienten/{id}/inzage.csv`: the same rows for Dutch Excel (also logged).
pub(crate) async fn csv(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(id): Path<String>,
) -> Response {
    match rows(&st, &user, &id, "inzage cliënt downloaden (AVG art. 15)").await {
        Ok((client, entries)) => {
            let mut columns: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
            columns.push("Tijdstip (UTC, zoals vastgelegd)".to_owned());
            let table = vangnet_tabular::Table {
                title: format!("Inzage toegangslog {client}"),
                columns,
                rows: entries
                    .iter()
                    .map(|e| {
                        let mut row: Vec<vangnet_tabular::Cell> =
                            cells(&st, e).into_iter().map(Into::into).collect();
                        row.push(e.at.clone().into());
                        row
                    })
                    .collect(),
                notes: vec![
                    "Bron: Vangnet, toegangslog (NEN 7513); tijden in Nederlandse tijd.".to_owned(),
                ],
                ..Default::default()
            };
            download(&format!("vangnet-inzage-{client}"), &[table], false)
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_time_follows_the_eu_rule() {
        // 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
        assert_eq!(last_sunday(2026, 3).to_string(), "2026-03-29");
        assert_eq!(last_sunday(2026, 10).to_string(), "2026-10-25");
        assert_eq!(last_sunday(2024, 3).to_string(), "2024-03-31");
        let t = |s: &str| dutch_time(s).unwrap();
        assert_eq!(t("2026-01-15T12:00:00.000Z"), "15-01-2026 13:00");
        assert_eq!(t("2026-03-29T00:59:59.999Z"), "29-03-2026 01:59");
        assert_eq!(t("2026-03-29T01:00:00.000Z"), "29-03-2026 03:00");
        assert_eq!(t("2026-10-25T00:59:00.000Z"), "25-10-2026 02:59");
        assert_eq!(t("2026-10-25T01:00:00.000Z"), "25-10-2026 02:00");
        assert_eq!(t("2026-06-30T23:30:00.000Z"), "01-07-2026 01:30");
        assert_eq!(t("2026-12-31T23:30:00.000Z"), "01-01-2027 00:30");
        assert_eq!(dutch_time("gisteren"), None);
        assert_eq!(dutch_time("2026-01-15 25:00"), None);
    }
}
