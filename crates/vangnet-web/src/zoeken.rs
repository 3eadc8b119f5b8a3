//! `/zoeken`: finding a person (issue 12) — by BSN (elfproef, exact), by name and birth date
//! (name case- and accent-insensitive, the date exact), or by client number. For the roles
//! that read client records ([`vangnet_domain::access::may_search_clients`], the route's
//! rule): the access team finds its region's clients, a wijkteam its own residents, a
//! provider the clients allocated to it — the store's gate decides per client
//! (`Store::search_clients`). Every search is in the access log with the kind of key in
//! the purpose (never the BSN), also a search without a result. Results: name, birth date
//! (dd-mm-jjjj), region, phase and a link to the dossier; at most [`LIMIT`], and the page
//! says when there were more.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::{Bsn, ClientId, Date};
use vangnet_store::{SearchKey, SearchResult};

use crate::error::Query;
use crate::html::Nav;
use crate::users::{DemoUser, LoggedIn};
use crate::voordeur_pages::render;
use crate::{AppState, WebError, labels};

/// At most this many results are shown.
pub const LIMIT: usize = 50;

/// The query of `/zoeken`: one of the three keys (the first filled one counts, in the
/// order BSN, client number, name + birth date).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ZoekQuery {
    bsn: Option<String>,
    nummer: Option<String>,
    naam: Option<String>,
    geboortedatum: Option<String>,
}

/// A birth date as typed: `dd-mm-jjjj` (what the screens show) or `jjjj-mm-dd` (a date
/// field).
fn parse_birth(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = Date::parse(s) {
        return Some(d);
    }
    let mut parts = s.split(['-', '/', '.']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The key the query asks for; `Ok(None)` for an empty form, a field error otherwise.
fn key_of(q: &ZoekQuery) -> Result<Option<SearchKey>, WebError> {
    fn filled(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    if let Some(b) = filled(&q.bsn) {
        let digits: String = b
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        return Bsn::parse(&digits)
            .map(|b| Some(SearchKey::Bsn(b)))
            .map_err(|_| {
                WebError::invalid_field(
                    "bsn",
                    "dit is geen geldig BSN: negen cijfers die de elfproef doorstaan",
                )
            });
    }
    if let Some(n) = filled(&q.nummer) {
        let n = n.to_uppercase();
        let parsed = ClientId::parse(&n).or_else(|_| ClientId::parse(&format!("P{n}")));
        return parsed.map(|c| Some(SearchKey::Client(c))).map_err(|_| {
            WebError::invalid_field(
                "nummer",
                "dit is geen cliëntnummer (bijvoorbeeld P00000042)",
            )
        });
    }
    match (filled(&q.naam), filled(&q.geboortedatum)) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(WebError::invalid_field(
            "geboortedatum",
            "vul bij zoeken op naam ook de geboortedatum in",
        )),
        (None, Some(_)) => Err(WebError::invalid_field(
            "naam",
            "vul bij zoeken op geboortedatum ook de naam in",
        )),
        (Some(naam), Some(g)) => {
            let born = parse_birth(g).ok_or_else(|| {
                WebError::invalid_field(
                    "geboortedatum",
                    "de geboortedatum is geen datum; schrijf dd-mm-jjjj",
                )
            })?;
            if naam.chars().count() > 200 {
                return Err(WebError::invalid_field("naam", "de naam is te lang"));
            }
            Ok(Some(SearchKey::NameBirth {
                name: naam.to_owned(),
                born,
            }))
        }
    }
}

/// `GET /zoeken?bsn=|nummer=|naam=&geboortedatum=`: the form, and the results of a search.
pub(crate) async fn zoeken(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Query(q): Query<ZoekQuery>,
) -> Result<Response, WebError> {
    let key = match key_of(&q) {
        Ok(k) => k,
        Err(e) => {
            let body = page_body(st.store().regions(), &user, &q, Some(&e), None);
            return Ok(render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Cliënt zoeken",
                &user,
                &Nav::Zoeken,
                body,
            ));
        }
    };
    let found = match key {
        None => None,
        Some(key) => {
            let gate = user.gate(format!("cliënt zoeken {}", key.kind()));
            let kind = key.kind();
            let r = st
                .blocking(move |s| s.search_clients(&gate, &key, LIMIT))
                .await?;
            Some((kind, r))
        }
    };
    let body = page_body(
        st.store().regions(),
        &user,
        &q,
        None,
        found.as_ref().map(|(k, r)| (*k, r)),
    );
    Ok(render(
        &st,
        StatusCode::OK,
        "Cliënt zoeken",
        &user,
        &Nav::Zoeken,
        body,
    ))
}

fn text_field(
    name: &str,
    label: &str,
    value: Option<&str>,
    hint: &str,
    err: Option<&WebError>,
) -> Markup {
    let mine = err.filter(|e| e.field.as_deref() == Some(name));
    let id = format!("zoek-{name}");
    html! {
        div.veld {
            label for=(id) { (label) }
            span.hint id={ (id) "-hint" } { (hint) }
            @if let Some(e) = mine {
                (crate::html::field_message(name, &e.message))
            }
            input id=(id) name=(name) type="text" value=(value.unwrap_or_default())
                autocomplete="off"
                aria-invalid=[mine.map(|_| "true")]
                aria-describedby={ (id) "-hint" @if mine.is_some() { " fout-" (name) } };
        }
    }
}

fn page_body(
    regions: &vangnet_domain::Regions,
    user: &DemoUser,
    q: &ZoekQuery,
    err: Option<&WebError>,
    found: Option<(&str, &SearchResult)>,
) -> Markup {
    let scope = match user.actor.role {
        vangnet_domain::Role::Toegangsmedewerker => "cliënten van uw regio",
        vangnet_domain::Role::Wijkteam => "inwoners van uw gemeente",
        vangnet_domain::Role::Zorgaanbieder => "cliënten die aan uw organisatie zijn toegewezen",
        _ => "cliënten die u mag inzien",
    };
    html! {
        h1 { "Cliënt zoeken" }
        p.inleiding {
            "Zoek op BSN, op cliëntnummer, of op naam en geboortedatum. U vindt alleen " (scope)
            ". Elke zoekopdracht wordt vastgelegd in het toegangslog (zonder het BSN zelf)."
        }
        @if let Some(e) = err {
            (crate::html::error_box(&[(Some(format!("#zoek-{}", e.field.as_deref().unwrap_or("bsn"))), &*e.message)]))
        }
        form.formulier method="get" action="/zoeken" {
            fieldset {
                legend { "Op BSN" }
                (text_field("bsn", "BSN", q.bsn.as_deref(), "Negen cijfers.", err))
            }
            fieldset {
                legend { "Op cliëntnummer" }
                (text_field("nummer", "Cliëntnummer", q.nummer.as_deref(), "Bijvoorbeeld P00000042.", err))
            }
            fieldset {
                legend { "Op naam en geboortedatum" }
                (text_field("naam", "Naam", q.naam.as_deref(), "Voornaam en/of achternaam; hoofdletters en accenten maken niet uit.", err))
                (text_field("geboortedatum", "Geboortedatum", q.geboortedatum.as_deref(), "dd-mm-jjjj, bijvoorbeeld 01-04-1990.", err))
            }
            p.klein { "Vul één manier in; staan er meer ingevuld, dan telt het BSN, dan het cliëntnummer." }
            button.knop type="submit" { "Zoeken" }
        }
        @if let Some((kind, r)) = found {
            section aria-labelledby="kop-resultaten" id="resultaten" {
                h2 id="kop-resultaten" { "Resultaten" }
                @if r.hits.is_empty() {
                    p.melding role="status" id="geen-resultaat" {
                        "Niemand gevonden bij zoeken " (kind) ". "
                        "Controleer wat u invulde, of zoek op een andere manier. "
                        "Cliënten buiten uw bevoegdheid worden niet getoond."
                    }
                } @else {
                    p role="status" {
                        @if r.hits.len() == 1 { "1 cliënt gevonden " } @else { (r.hits.len()) " cliënten gevonden " }
                        (kind) "."
                    }
                    @if r.more {
                        p.melding.waarschuwing {
                            "Er zijn meer dan " (LIMIT) " cliënten gevonden; alleen de eerste " (LIMIT)
                            " worden getoond. Maak de zoekopdracht preciezer."
                        }
                    }
                    div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-resultaten" {
                        table id="zoekresultaten" {
                            thead { tr {
                                th scope="col" { "Naam" }
                                th scope="col" { "Geboortedatum" }
                                th scope="col" { "Regio" }
                                th scope="col" { "Fase" }
                                th scope="col" { "Cliëntnummer" }
                            } }
                            tbody {
                                @for h in &r.hits {
                                    tr {
                                        th scope="row" { a href={ "/clienten/" (h.client) } { (h.voornaam) " " (h.achternaam) } }
                                        td { time datetime=(h.geboortedatum.to_string()) { (labels::date(h.geboortedatum)) } }
                                        td { (regions.get(&h.regio).map_or_else(|| h.regio.to_string(), |p| p.name.clone())) }
                                        td { (h.phase.label()) }
                                        td { a href={ "/clienten/" (h.client) } { (h.client) } }
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

/// The choice after an application whose BSN is known elsewhere or with other data
/// (feat/zoeken; called from `voordeur_pages::duplicate_choice`): under another region —
/// an open case names the region to contact and offers no way forward, a closed one is
/// named and can take the new application into the same dossier; the same BSN with another
/// name or birth date — what is known beside what was entered, and the clerk chooses.
pub(crate) fn duplicate_choice_elsewhere(
    e: &WebError,
    values: &crate::voordeur_pages::Values,
    existing: ClientId,
    open: bool,
) -> Markup {
    let (andere_regio, bekend) = e.elsewhere_detail();
    let mut fields: Vec<(&String, &String)> = values
        .iter()
        .filter(|(k, _)| !["bevestig", "bevestig_gegevens", "csrf"].contains(&k.as_str()))
        .collect();
    fields.sort();
    let entered = |k: &str| values.get(k).map_or("", String::as_str).trim().to_owned();
    let confirm = |label: String, gegevens: bool| {
        html! {
            form method="post" action="/aanmelden" {
                (crate::users::csrf_field())
                @for (k, v) in &fields { input type="hidden" name=(k) value=(v); }
                input type="hidden" name="bevestig" value="1";
                @if gegevens { input type="hidden" name="bevestig_gegevens" value="1"; }
                button.knop type="submit" { (label) }
            }
        }
    };
    html! {
        @if let Some(regio) = andere_regio {
            h1 { "Dit BSN is bekend onder een andere regio" }
            div.melding role="alert" id="andere-regio" {
                p { (e.message) "." }
            }
            h2 { "Wat wilt u doen?" }
            ul.keuzelijst {
                @if open {
                    li { p {
                        "De lopende casus onder " (regio) " moet eerst worden overgedragen of afgesloten. "
                        "Er wordt geen tweede casus geopend."
                    } }
                } @else {
                    li {
                        (confirm(format!("Nieuwe aanmelding vastleggen (dossier {existing})"), false))
                        p.klein {
                            "De eerdere casus onder " (regio) " is afgesloten. MO is landelijk toegankelijk; voor beschermd wonen "
                            "wordt bij het besluit vastgesteld welke gemeente verantwoordelijk is (woonplaatsbeginsel). "
                            "De aanmelding komt in hetzelfde dossier; er wordt niets gekopieerd en geen tweede dossier aangemaakt. "
                            "Daarna ziet uw team het dossier."
                        }
                    }
                }
                li { a href="/aanmelden" { "Terug naar een leeg aanmeldformulier" } }
            }
        } @else if let Some((naam, geboren)) = bekend {
            h1 { "Dit BSN is bekend met andere gegevens" }
            div.melding role="alert" id="andere-gegevens" {
                p { "Het BSN hoort bij dossier " strong { (existing) } ", maar met een andere naam of geboortedatum dan u invulde." }
            }
            table id="bekend-ingevuld" {
                caption { "Bekend en ingevuld" }
                thead { tr { th scope="col" { "" } th scope="col" { "Naam" } th scope="col" { "Geboortedatum" } } }
                tbody {
                    tr { th scope="row" { "Bekend in dossier " (existing) } td { (naam) } td { (labels::date(*geboren)) } }
                    tr {
                        th scope="row" { "Door u ingevuld" }
                        td { (entered("voornaam")) " " (entered("achternaam")) }
                        td { (parse_birth(&entered("geboortedatum")).map_or_else(|| entered("geboortedatum"), labels::date)) }
                    }
                }
            }
            h2 { "Wat wilt u doen?" }
            ul.keuzelijst {
                li { a.knop href={ "/clienten/" (existing) } { "Het bestaande dossier " (existing) " openen" } }
                @if !open {
                    li {
                        (confirm(format!("Dezelfde persoon: nieuwe aanmelding in dossier {existing}"), true))
                        p.klein {
                            "De bekende gegevens blijven staan. Kloppen de nieuwe, corrigeer ze daarna in het dossier ("
                            a href={ "/clienten/" (existing) "/correctie/persoon" } { "naam of geboortedatum corrigeren" } ")."
                        }
                    }
                } @else {
                    li { p { "Deze cliënt heeft een lopende casus; een tweede casus is niet mogelijk. Werk het bestaande dossier bij." } }
                }
                li { p { "Is het BSN verkeerd ingevuld? " a href="/aanmelden" { "Begin opnieuw met het juiste BSN" } "." } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(bsn: &str, nummer: &str, naam: &str, g: &str) -> ZoekQuery {
        let o = |s: &str| Some(s.to_owned());
        ZoekQuery {
            bsn: o(bsn),
            nummer: o(nummer),
            naam: o(naam),
            geboortedatum: o(g),
        }
    }

    #[test]
    fn keys_from_the_form() {
        assert!(matches!(key_of(&q("", "", "", "")), Ok(None)));
        assert_eq!(
            key_of(&q("123456789", "", "", ""))
                .unwrap_err()
                .field
                .as_deref(),
            Some("bsn")
        );
        assert!(matches!(
            key_of(&q("", "P00000042", "", "")),
            Ok(Some(SearchKey::Client(ClientId(42))))
        ));
        assert!(matches!(
            key_of(&q("", "42", "", "")),
            Ok(Some(SearchKey::Client(ClientId(42))))
        ));
        assert_eq!(
            key_of(&q("", "abc", "", "")).unwrap_err().field.as_deref(),
            Some("nummer")
        );
        assert_eq!(
            key_of(&q("", "", "Jan", "")).unwrap_err().field.as_deref(),
            Some("geboortedatum")
        );
        assert_eq!(
            key_of(&q("", "", "Jan", "31-02-1990"))
                .unwrap_err()
                .field
                .as_deref(),
            Some("geboortedatum")
        );
        match key_of(&q("", "", "Jan", "01-04-1990")) {
            Ok(Some(SearchKey::NameBirth { born, .. })) => {
                assert_eq!(born.to_string(), "1990-04-01")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_birth("1990-04-01"), parse_birth("01-04-1990"));
    }
}
