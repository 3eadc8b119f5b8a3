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
//! whose task is the access log (DOMAIN.md §2); the auditor gets the Dutch 403 page.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vangnet_domain::acties::{self, Actie, Betreft, Stand, Status};
use vangnet_domain::region::MemberGemeente;
use vangnet_domain::{GemeenteCode, RegionProfile};

use crate::AppState;
use crate::WebError;
use crate::error::Query;
use crate::html::{self, Nav};
use crate::labels;
use crate::pages::region;
use crate::users::LoggedIn;

// Roles that may see the agreed actions: the monitor's audience (one predicate).

/// Query of `GET /monitor/{regio}/acties` (empty values mean "no filter").
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FilterQuery {
    gemeente: Option<String>,
    stand: Option<String>,
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

/// `/monitor/{regio}/acties`.
pub(crate) async fn page(
    State(st): State<AppState>,
    LoggedIn(user): LoggedIn,
    Path(regio): Path<String>,
    Query(q): Query<FilterQuery>,
) -> Result<Response, WebError> {
    let profile = region(&st, &regio)?;
    let filter = parse_filter(&profile, q)
        .map_err(|msg| WebError::invalid(msg).titled("Invoer niet geldig"))?;
    let acties = acties::builtin(profile.id.as_str());
    let body = render(&profile, &acties, &filter);
    let title = format!("Afgesproken acties — {}", profile.name);
    Ok((
        StatusCode::OK,
        Html(
            html::page(
                &title,
                Some(&user),
                st.store().regions(),
                &Nav::Region(profile.id.to_string()),
                body,
            )
            .into_string(),
        ),
    )
        .into_response())
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
                @if s.herkomst.is_aanname() { br; abbr.label.label-onbekend title=(labels::herkomst_tekst(&s.herkomst)) { "aanname" } }
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

fn render(profile: &RegionProfile, acties: &[Actie], f: &Filter) -> Markup {
    let id = profile.id.to_string();
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
                    (thema_section(profile, ti, thema, &rows, &wie))
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
                                th scope="row" { (a.id) }
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
                                            @if !s.toelichting.is_empty() { " — " (s.toelichting) }
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
    fn slugs_are_ids() {
        assert_eq!(
            slug("6. (Overige) organisatorische onderwerpen"),
            "6-overige-organisatorische-onderwerpen"
        );
    }
}
