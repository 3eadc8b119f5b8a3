//! HTML rendering with maud (everything interpolated is escaped). Pure functions from data to
//! markup; the handlers in `pages` fetch the data.

use maud::{DOCTYPE, Markup, html};
use vangnet_domain::clock;
use vangnet_domain::state::{Besluit, ClientState};
use vangnet_domain::{Date, RegionProfile, Regions, Role};
use vangnet_store::{ClientRecord, RegionOverview, WaitlistEntry};

use crate::figures::{self, Figure};
use crate::labels;
use crate::users::DemoUser;

/// Which main navigation item is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Nav {
    Home,
    Region(String),
    AccessLog,
    Prognose,
    Monitor,
    /// The money pages (`/geld/…`, issue 13).
    Geld,
    Aanmelden,
    Werklijst,
    /// `/zoeken` (feat/zoeken).
    Zoeken,
    /// `/wijkteam` (issue 14, feat/toegang).
    Wijkteam,
    /// `/corporatie` (issue 15, feat/corporatie).
    Corporatie,
    Login,
    Beheer,
    None,
}

/// The page frame: skip link, header with the logged-in user, navigation, `<main>`, footer.
pub(crate) fn page(
    title: &str,
    viewer: Option<&DemoUser>,
    regions: &Regions,
    current: &Nav,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="nl" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Vangnet" }
                link rel="icon" href="/static/vangnet.svg" type="image/svg+xml";
                link rel="stylesheet" href="/static/vangnet.css";
            }
            body {
                a.skiplink href="#hoofdinhoud" { "Naar hoofdinhoud" }
                header.kop {
                    div.kop-binnen {
                        a.merk href="/" {
                            span.merk-naam { "Vangnet" }
                            span.merk-sub { "Regionaal coördinatiepunt Beschermd Wonen en Maatschappelijke Opvang" }
                        }
                        div.gebruiker {
                            @if let Some(u) = viewer {
                                p.gebruiker-wie {
                                    "Ingelogd als " strong { (u.naam) }
                                    span.gebruiker-rol { (u.actor.role.label()) ", " (labels::organisation(regions, &u.actor.organisation)) }
                                }
                                form.uitloggen method="post" action="/uitloggen" {
                                    input type="hidden" name="csrf" value=(u.csrf.as_deref().unwrap_or_default());
                                    button.knop.knop-licht type="submit" { "Uitloggen" }
                                }
                            } @else {
                                p.gebruiker-wie { "Niet ingelogd" }
                                @if *current != Nav::Login {
                                    a.knop.knop-licht href="/inloggen" { "Inloggen" }
                                }
                            }
                        }
                    }
                    @if crate::users::page_context().demo_login {
                        p.demo-melding {
                            strong { "Demo-inlog." }
                            " U kiest een voorbeeldgebruiker per rol; alle personen zijn synthetisch. "
                            "Deze demo is alleen op dit apparaat bereikbaar."
                        }
                    }
                }
                nav.hoofdmenu aria-label="Hoofdmenu" {
                    ul {
                        li { a href="/" aria-current=[(*current == Nav::Home).then_some("page")] { "Overzicht" } }
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_view_monitor(u.actor.role)) {
                            @for r in regions.all() {
                                li {
                                    a href={ "/regio/" (r.id) } aria-current=[(*current == Nav::Region(r.id.to_string())).then_some("page")] { (r.name) }
                                }
                            }
                        }
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_view_monitor(u.actor.role)) {
                            li { a href="/monitor" aria-current=[(*current == Nav::Monitor).then_some("page")] { "Monitor" } }
                        }
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_view_money(u.actor.role)) {
                            li { a href="/geld" aria-current=[(*current == Nav::Geld).then_some("page")] { "Geld" } }
                        }
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_forecast(u.actor.role)) {
                            li { a href="/prognose" aria-current=[(*current == Nav::Prognose).then_some("page")] { "Prognose" } }
                        }
                        @if viewer.is_some_and(|u| crate::may_register(&u.actor)) {
                            li { a href="/aanmelden" aria-current=[(*current == Nav::Aanmelden).then_some("page")] { "Aanmelden" } }
                        }
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_search_clients(u.actor.role)) {
                            li { a href="/zoeken" aria-current=[(*current == Nav::Zoeken).then_some("page")] { "Zoeken" } }
                        }
                        @if viewer.is_some_and(|u| u.actor.role == Role::Toegangsmedewerker) {
                            li { a href="/werklijst" aria-current=[(*current == Nav::Werklijst).then_some("page")] { "Werklijst" } }
                        }
                        @if viewer.is_some_and(|u| u.actor.role == Role::Wijkteam) {
                            li { a href="/wijkteam" aria-current=[(*current == Nav::Wijkteam).then_some("page")] { "Wijkteam" } }
                        }
                        @if viewer.is_some_and(|u| u.actor.role == Role::Woningcorporatie) {
                            li { a href="/corporatie" aria-current=[(*current == Nav::Corporatie).then_some("page")] { "Uitstroomkandidaten" } }
                        }
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_read_access_log(u.actor.role)) {
                            li { a href="/toegangslog" aria-current=[(*current == Nav::AccessLog).then_some("page")] { "Toegangslog" } }
                        }
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_manage_accounts(u.actor.role)) {
                            li { a href="/beheer/gebruikers" aria-current=[(*current == Nav::Beheer).then_some("page")] { "Gebruikers" } }
                            li { a href="/beheer/tokens" { "API-tokens" } }
                        }
                    }
                }
                main id="hoofdinhoud" tabindex="-1" {
                    (body)
                }
                footer.voet {
                    p {
                        "Vangnet — informatiesysteem voor de regionale coördinatie van beschermd wonen en maatschappelijke opvang. "
                        "Demonstratieomgeving met synthetische gegevens; aanbieders en locaties zijn fictief. "
                        "Elke inzage in een cliëntdossier wordt vastgelegd (NEN 7513)."
                    }
                }
            }
        }
    }
}

fn figure_td(f: Figure) -> Markup {
    html! {
        @match f {
            Figure::Exact(0) => td.getal.nul { "0" },
            Figure::Exact(_) => td.getal { (f) },
            Figure::Small(t) => td.getal.onderdrukt { abbr title={ "minder dan " (t) ", onderdrukt" } { (f) } },
            Figure::AtLeast(_) => td.getal.onderdrukt { abbr title="ten minste; bevat onderdrukte kleine aantallen" { (f) } },
            Figure::Hidden => td.getal.onderdrukt { abbr title="niet getoond" { (f) } },
        }
    }
}

fn date_el(d: Date) -> Markup {
    html! { time datetime=(d.to_string()) { (labels::date(d)) } }
}

/// Home: the regions with their key figures.
pub(crate) struct RegionCard {
    pub profile: RegionProfile,
    pub in_care: Figure,
    pub waiting: Figure,
    pub suppressed: bool,
}

pub(crate) fn home(viewer: Option<&DemoUser>, cards: &[RegionCard], today: Date) -> Markup {
    html! {
        h1 { "Overzicht van de regio's" }
        p.inleiding {
            "Vangnet is het regionale coördinatiepunt voor beschermd wonen (BW) en maatschappelijke opvang (MO): "
            "één toegang, zicht op capaciteit en wachtlijsten, plaatsing en uitstroom. Peildatum " (date_el(today)) "."
        }
        @if viewer.is_none() {
            p.melding { "U bent niet ingelogd. " a href="/inloggen" { "Kies een demogebruiker" } " om de regio's te bekijken." }
        }
        @if cards.iter().any(|c| c.suppressed) {
            p.toelichting {
                "Kleine aantallen zijn onderdrukt: een aantal onder de drempel staat als \"<5\"; een totaal dat zelf niet klein is, staat er exact."
            }
        }
        @if cards.is_empty() {
            p { "Er zijn geen regio's geladen." }
        }
        ul.kaarten {
            @for c in cards {
                li.kaart {
                    h2 {
                        @if viewer.is_some_and(|u| vangnet_domain::access::may_view_monitor(u.actor.role)) {
                            a href={ "/regio/" (c.profile.id) } { (c.profile.name) }
                        } @else {
                            (c.profile.name)
                        }
                    }
                    p.kaart-sub {
                        "Centrumgemeente " strong { (figures::gemeente_name(&c.profile, &c.profile.centrumgemeente.to_string())) }
                        br;
                        (c.profile.gemeenten.len()) " gemeenten"
                    }
                    dl.kerncijfers {
                        dt { "In zorg" }
                        dd { (c.in_care) }
                        dt { "Op de wachtlijst" }
                        dd { (c.waiting) }
                    }
                }
            }
        }
    }
}

/// The placements recorded as overbezetting with their reasons (issue 12), for the
/// region's own access team (exact figures only): per location and product.
fn overbezettingen(p: &RegionProfile, ov: &RegionOverview) -> Markup {
    let name = |l: &str| {
        vangnet_domain::LocationId::parse(l)
            .ok()
            .and_then(|id| p.location(&id).map(|x| x.name.clone()))
            .unwrap_or_else(|| l.to_owned())
    };
    html! {
        @if !ov.overbezettingen.is_empty() {
            div id="overbezettingen" {
                h3 { "Overbezetting met reden" }
                p { "Plaatsingen boven het aantal plaatsen, vastgelegd met een reden (de regio staat overbezetting toe)." }
                ul {
                    @for (l, pr, reden) in &ov.overbezettingen {
                        li { strong { (name(l)) } " (" (figures::product_name(p, pr)) "): " (reden) }
                    }
                }
            }
        }
    }
}

/// Everything the region page shows.
pub(crate) struct RegionView<'a> {
    pub profile: &'a RegionProfile,
    pub overview: &'a RegionOverview,
    pub threshold: Option<u32>,
    pub waitlist: Option<&'a [WaitlistEntry]>,
    pub today: Date,
    /// feat/plaatsen (issue 14): link to `/regio/{id}/plaatsen` (who may see it).
    pub places_link: bool,
}

pub(crate) fn region(v: &RegionView<'_>) -> Markup {
    let p = v.profile;
    let table = figures::care_table(p, v.overview, v.threshold);
    let (waiting, waiting_total) = figures::waiting(p, v.overview, v.threshold);
    let norm_days = i64::from(p.norms.wachttijd_weken) * 7;
    let toegang = p.toegang_op(v.today);
    html! {
        h1 { (p.name) }
        dl.kenmerken.kenmerken-breed {
            dt { "Centrumgemeente" } dd { (figures::gemeente_name(p, &p.centrumgemeente.to_string())) }
            dt { "Gemeenten" } dd { (p.members_on(v.today).count()) }
            dt { "Toegang" } dd { (toegang.naam) br; (labels::herkomst(&toegang.herkomst)) }
            dt { "Toegangsmodel" } dd { (labels::access_model(toegang.model)) }
            dt { "Wachttijdnorm" } dd { (p.norms.wachttijd_weken) " weken (" (norm_days) " dagen)" br; (labels::herkomst(&p.norms.herkomst.wachttijd)) }
            dt { "Peildatum" } dd { (date_el(v.today)) }
        }
        @if v.places_link {
            p { a href={ "/regio/" (p.id) "/plaatsen" } { "Plaatsen over de tijd: capaciteit, bezetting, reserveringen en vrije plaatsen" } }
            p { a href={ "/regio/" (p.id) "/woningafspraken" } { "Woningafspraken: afgesproken, aangeboden en verhuurd per gemeente en corporatie, en de spreiding" } }
        }
        @if let Some(t) = v.threshold {
            div.melding {
                p {
                    strong { "Gepubliceerde cijfers. " }
                    "Aantallen van 1 tot en met " (t.saturating_sub(1)) " staan als \"<" (t) "\". Totalen die zelf niet klein zijn staan er exact; om terugrekenen te voorkomen is waar nodig ook een ander cijfer verborgen (\"—\"). "
                    "Bezetting staat per product, niet per locatie, en de langste wachttijd ontbreekt bij kleine aantallen. Zo is geen onderdrukt aantal terug te rekenen."
                }
            }
        }

        section aria-labelledby="kop-in-zorg" {
            h2 id="kop-in-zorg" { "Mensen in zorg" }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-in-zorg" {
                table id="in-zorg" {
                    caption { "Mensen in zorg per gemeente van herkomst (woonplaatsbeginsel) en product, op " (labels::date(v.today)) }
                    thead {
                        tr {
                            th scope="col" { "Gemeente van herkomst" }
                            @for c in &table.columns { th scope="col" { (c.name) } }
                            th scope="col" { "Totaal" }
                        }
                    }
                    tbody {
                        @for r in &table.rows {
                            tr {
                                th scope="row" { (r.label) }
                                @for c in &r.cells { (figure_td(*c)) }
                                (figure_td(r.total))
                            }
                        }
                    }
                    tfoot {
                        tr {
                            th scope="row" { "Totaal" }
                            @for c in &table.column_totals { (figure_td(*c)) }
                            (figure_td(table.grand_total))
                        }
                    }
                }
            }
        }

        section aria-labelledby="kop-wachtlijst" {
            h2 id="kop-wachtlijst" { "Wachtlijst per product" }
            @if waiting.is_empty() {
                p { "Niemand staat op de wachtlijst." }
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-wachtlijst" {
                    table id="wachtlijst" {
                        caption { "Wachtenden per product en langste wachttijd, vergeleken met de norm van " (p.norms.wachttijd_weken) " weken" }
                        thead {
                            tr {
                                th scope="col" { "Product" }
                                th.getal scope="col" { "Wachtend" }
                                th.getal scope="col" { "Langste wachttijd (dagen)" }
                                th.getal scope="col" { "Norm (dagen)" }
                                th scope="col" { "Beoordeling" }
                            }
                        }
                        tbody {
                            @for w in &waiting {
                                tr {
                                    th scope="row" { (w.name) }
                                    (figure_td(w.count))
                                    @match w.longest_days {
                                        Some(d) => td.getal { (d) },
                                        None => (figure_td(Figure::Hidden)),
                                    }
                                    td.getal { (w.norm_days) }
                                    @match w.over_norm {
                                        Some(true) => td { span.label.label-fout { "Boven de norm" } },
                                        Some(false) => td { span.label.label-goed { "Binnen de norm" } },
                                        None => td { "Niet getoond (klein aantal)" },
                                    }
                                }
                            }
                        }
                        tfoot {
                            tr {
                                th scope="row" { "Totaal" }
                                (figure_td(waiting_total))
                                td {} td {} td {}
                            }
                        }
                    }
                }
            }
        }

        section aria-labelledby="kop-bezetting" {
            h2 id="kop-bezetting" { "Bezetting" }
            @if v.threshold.is_none() {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-bezetting" {
                    table id="bezetting" {
                        caption { "Bezetting per locatie en product: mensen in zorg ten opzichte van het aantal plaatsen" }
                        thead {
                            tr {
                                th scope="col" { "Locatie" }
                                th scope="col" { "Gemeente" }
                                th scope="col" { "Aanbieder" }
                                th scope="col" { "Product" }
                                th.getal scope="col" { "Bezetting" }
                                th.getal scope="col" { "Percentage" }
                            }
                        }
                        tbody {
                            @for o in figures::occupancy_by_location(p, v.overview) {
                                tr {
                                    th scope="row" { (o.location_name) }
                                    td { (o.gemeente) }
                                    td { (o.provider) }
                                    td { (o.product_name) }
                                    @let over = o.occupied.saturating_sub(u64::from(o.places));
                                    td.getal.vol[over > 0] {
                                        (labels::thousands(o.occupied)) " van " (labels::thousands(u64::from(o.places)))
                                        @if over > 0 { " · " (labels::thousands(over)) " overbezet" }
                                    }
                                    td.getal {
                                        @if o.places > 0 { (o.occupied * 100 / u64::from(o.places)) "%" } @else { "—" }
                                        @if over > 0 { " " span.label.label-fout { "overbezet" } }
                                    }
                                }
                            }
                        }
                    }
                }
                (overbezettingen(p, v.overview))
            } @else {
                div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-bezetting" {
                    table id="bezetting" {
                        caption { "Bezetting per product over alle locaties: mensen in zorg ten opzichte van het aantal plaatsen" }
                        thead {
                            tr {
                                th scope="col" { "Product" }
                                th.getal scope="col" { "Bezetting" }
                                th.getal scope="col" { "Plaatsen" }
                            }
                        }
                        tbody {
                            @for o in figures::occupancy_by_product(p, &table) {
                                tr {
                                    th scope="row" { (o.name) }
                                    (figure_td(o.occupied))
                                    td.getal { (labels::thousands(u64::from(o.places))) }
                                }
                            }
                        }
                    }
                }
            }
        }

        @if let Some(list) = v.waitlist {
            section aria-labelledby="kop-clienten" {
                h2 id="kop-clienten" { "Wachtlijst op cliëntniveau" }
                p {
                    "Gepseudonimiseerd: alleen het cliëntnummer. Alleen het toegangsteam van deze regio ziet deze lijst; "
                    "het tonen ervan is per cliënt vastgelegd in het toegangslog (doel: wachtlijst beheren)."
                }
                @if list.is_empty() {
                    p { "Niemand staat op de wachtlijst." }
                } @else {
                    div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-clienten" {
                        table id="wachtlijst-clienten" {
                            caption { "Wachtlijst van " (p.name) ", op prioriteit en datum (" (list.len()) " cliënten)" }
                            thead {
                                tr {
                                    th scope="col" { "Cliënt" }
                                    th scope="col" { "Product" }
                                    th scope="col" { "Op de wachtlijst sinds" }
                                    th.getal scope="col" { "Dagen wachtend" }
                                    th scope="col" { "Ten opzichte van de norm" }
                                    th scope="col" { "Gemeente van herkomst" }
                                    th scope="col" { "Prioriteit" }
                                }
                            }
                            tbody {
                                @for w in list {
                                    @let days = i64::from(w.since.days_until(v.today));
                                    tr {
                                        th scope="row" { a href={ "/clienten/" (w.client) } { (w.client) } }
                                        td { (figures::product_name(p, &w.product)) }
                                        td { (date_el(w.since)) }
                                        td.getal { (days) }
                                        td {
                                            @if days > norm_days {
                                                span.label.label-fout { (vangnet_domain::date::dagen(days - norm_days)) " boven de norm" }
                                            } @else {
                                                span.label.label-goed { "binnen de norm" }
                                            }
                                        }
                                        td { (figures::gemeente_name(p, w.herkomst.as_deref().unwrap_or(""))) }
                                        td { (labels::prioriteit_badge(w.priority)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        (region_profile(p, v.today, v.threshold.is_none()))
    }
}

/// The region profile with the herkomst of every fact: what a seed says ("Bron: …") and what
/// we assumed (an "aanname" badge with the reason).
///
/// Viewers of published figures (`locations == false`) see the providers but no location
/// list, like the occupancy table above.
fn region_profile(p: &RegionProfile, today: Date, locations: bool) -> Markup {
    use vangnet_domain::region::{Domain, Setting};
    let datum = |d: Option<Date>| d.map_or_else(|| "—".to_owned(), labels::date);
    let duur = |x: &vangnet_domain::region::Product| match x.max_months {
        Some(m) => format!("max. {m} mnd (standaard {})", x.default_months),
        None => format!("standaard {} mnd, geen maximum", x.default_months),
    };
    html! {
        section aria-labelledby="kop-profiel" {
            h2 id="kop-profiel" { "Regioprofiel: bronnen en aannames" }
            p {
                "Elk gegeven hieronder staat met zijn bron (seed en paragraaf) of is gemarkeerd als "
                span.label.label-onbekend { "aanname" } " met de reden. Een aanname is geen regel van de regio."
            }
            h3 { "Toegang" }
            div.tabel-scroll tabindex="0" role="region" aria-label="Toegang" {
                table id="profiel-toegang" {
                    caption { "Toegang en toegangsmodel door de tijd" }
                    thead { tr { th scope="col" { "Vanaf" } th scope="col" { "Toegang" } th scope="col" { "Model" } th scope="col" { "Herkomst" } } }
                    tbody {
                        @for (i, t) in p.toegangen.iter().enumerate() {
                            tr {
                                td { @if i == 0 { "eerste bekende" } @else { (labels::date(t.vanaf)) } }
                                th scope="row" { (t.naam) @if let Some(x) = &t.toelichting { br; span.klein { (labels::source_words(x)) } } }
                                td { (labels::access_model(t.model)) }
                                td { (labels::herkomst(&t.herkomst)) }
                            }
                        }
                    }
                }
            }
            h3 { "Normen en regels" }
            dl.kenmerken.kenmerken-breed {
                dt { "Wachttijdnorm" } dd { (p.norms.wachttijd_weken) " weken " (labels::herkomst(&p.norms.herkomst.wachttijd)) }
                dt { "Beslistermijn" } dd { (p.norms.beslistermijn_weken) " weken " (labels::herkomst(&p.norms.herkomst.beslistermijn)) }
                dt { "Kleine aantallen" } dd { "onder " (p.norms.kleine_aantallen_drempel) " niet gepubliceerd " (labels::herkomst(&p.norms.herkomst.kleine_aantallen)) }
                dt { "Inschrijven als woningzoekende" }
                dd {
                    @if let Some(w) = &p.woningzoekend {
                        "binnen " (w.binnen_dagen) " dagen na de start van de zorg, bij: "
                        (w.producten.iter().map(|c| figures::product_name(p, c.as_str())).collect::<Vec<_>>().join(", "))
                        " " (labels::herkomst(&w.herkomst))
                    } @else {
                        "geen termijn: de bronnen van deze regio noemen er geen"
                    }
                }
                @for (i, (vanaf, regime)) in p.woonplaatsbeginsel.iter().enumerate() {
                    dt { "Woonplaatsbeginsel vanaf " (labels::date(*vanaf)) }
                    dd { (format!("{regime:?}").to_lowercase()) " " @if let Some(h) = p.woonplaatsbeginsel_herkomst.get(i) { (labels::herkomst(h)) } }
                }
            }
            h3 { "Gemeenten" }
            div.tabel-scroll tabindex="0" role="region" aria-label="Gemeenten" {
                table id="profiel-gemeenten" {
                    caption { "Gemeenten van de regio, met de periode van hun lidmaatschap" }
                    thead {
                        tr {
                            th scope="col" { "Gemeente" }
                            th scope="col" { "Sub-regio" }
                            th scope="col" { "Lid vanaf" }
                            th scope="col" { "Nieuwe cliënten tot" }
                            th scope="col" { "Lid tot" }
                            th.getal scope="col" { "Inwoners" }
                            th scope="col" { "Herkomst" }
                        }
                    }
                    tbody {
                        @for g in &p.gemeenten {
                            tr {
                                th scope="row" { (g.name) @if !g.member_on(today) { " " span.label.label-onbekend { "geen lid meer" } } }
                                td { (p.subregio_of(g.code).map_or("—", |s| s.naam.as_str())) }
                                td { (datum(g.valid_from)) }
                                td { (datum(g.nieuw_tot)) }
                                td { (datum(g.valid_to)) }
                                td.getal {
                                    @if let Some(n) = g.inhabitants { (labels::thousands(u64::from(n))) } @else { "—" }
                                    @if let Some(h) = &g.inwoners_herkomst { br; (labels::herkomst(h)) }
                                }
                                td { (labels::herkomst(&g.herkomst)) }
                            }
                        }
                    }
                }
            }
            @if !p.subregios.is_empty() {
                h3 { "Sub-regio's" }
                ul {
                    @for s in &p.subregios {
                        li {
                            strong { (s.naam) } ": "
                            (s.gemeenten.iter().map(|g| figures::gemeente_name(p, &g.to_string())).collect::<Vec<_>>().join(", "))
                            " " (labels::herkomst(&s.herkomst))
                        }
                    }
                }
            }
            h3 { "Producten" }
            div.tabel-scroll tabindex="0" role="region" aria-label="Producten" {
                table id="profiel-producten" {
                    caption { "Productcatalogus: vorm, geldigheid en duur, elk met zijn herkomst" }
                    thead {
                        tr {
                            th scope="col" { "Product" }
                            th scope="col" { "Soort en vorm" }
                            th scope="col" { "Geldig" }
                            th scope="col" { "Duur" }
                            th.getal scope="col" { "Plaatsen" }
                        }
                    }
                    tbody {
                        @for x in &p.products {
                            tr {
                                th scope="row" { (x.name) br; (labels::herkomst(&x.herkomst)) }
                                td {
                                    (x.domain.label()) ", "
                                    (match x.setting { Setting::Intramuraal => "intramuraal", Setting::Extramuraal => "extramuraal (ambulant)" })
                                    @if x.domain == Domain::Mo && x.unit == vangnet_domain::region::Unit::Nacht { ", per nacht" }
                                }
                                td { (labels::date(x.valid_from)) " – " (datum(x.valid_to)) br; (labels::herkomst(&x.geldigheid_herkomst)) }
                                td { (duur(x)) br; (labels::herkomst(&x.duur_herkomst)) }
                                td.getal { (labels::thousands(u64::from(p.capacity(&x.code)))) }
                            }
                        }
                    }
                }
            }
            h3 { "Aanbieders, locaties en plaatsen" }
            @if !locations {
                ul {
                    @for pr in &p.providers {
                        li { (pr.name) " " (labels::herkomst(&pr.herkomst)) }
                    }
                }
            } @else {
            div.tabel-scroll tabindex="0" role="region" aria-label="Locaties" {
                table id="profiel-locaties" {
                    caption { "Locaties en plaatsen per product" }
                    thead { tr { th scope="col" { "Locatie" } th scope="col" { "Aanbieder" } th scope="col" { "Gemeente" } th scope="col" { "Plaatsen" } th scope="col" { "Herkomst" } } }
                    tbody {
                        @for l in &p.locations {
                            tr {
                                th scope="row" { (l.name) }
                                td {
                                    @if let Some(pr) = p.provider(l.provider) { (pr.name) br; (labels::herkomst(&pr.herkomst)) }
                                }
                                td { (figures::gemeente_name(p, &l.gemeente.to_string())) }
                                td { (l.places.iter().map(|(c, n)| format!("{} {n}", figures::product_name(p, c.as_str()))).collect::<Vec<_>>().join(", ")) }
                                td { (labels::herkomst(&l.herkomst)) }
                            }
                        }
                    }
                }
            }
            }
            @if !p.housing_quotas.is_empty() {
                h3 { "Woningafspraken" }
                ul {
                    @for q in &p.housing_quotas {
                        li {
                            (figures::gemeente_name(p, &q.gemeente.to_string())) " " (q.year) ": " (q.homes) " woningen, " (q.kind) " "
                            (labels::herkomst(&q.herkomst))
                        }
                    }
                }
            }
            h3 { "Toegangscriteria" }
            ul {
                @for c in &p.criteria {
                    li { (c.label) " " (labels::herkomst(&c.herkomst)) }
                }
            }
        }
    }
}

fn phase_block(state: &ClientState, profile: Option<&RegionProfile>, today: Date) -> Markup {
    let product = |c: &vangnet_domain::ProductCode| {
        profile
            .and_then(|p| p.product(c))
            .map_or_else(|| c.to_string(), |x| x.name.clone())
    };
    let provider = |a: vangnet_domain::AgbCode| {
        profile
            .and_then(|p| p.provider(a))
            .map_or_else(|| a.to_string(), |x| x.name.clone())
    };
    let location = |l: &vangnet_domain::LocationId| {
        profile
            .and_then(|p| p.location(l))
            .map_or_else(|| l.to_string(), |x| x.name.clone())
    };
    let herkomst = match (state.herkomst, profile) {
        (Some(g), Some(p)) => figures::gemeente_name(p, &g.to_string()),
        (Some(g), None) => g.to_string(),
        (None, _) => "niet ingeschreven".to_owned(),
    };
    html! {
        section aria-labelledby="kop-aanmelding" {
            h2 id="kop-aanmelding" { "Aanmelding" }
            dl.kenmerken {
                dt { "Regio" } dd { (profile.map_or_else(|| state.regio.to_string(), |p| p.name.clone())) }
                dt { "Aangemeld op" } dd { (date_el(state.aangemeld)) }
                dt { "Gemeld door" } dd { (labels::melder(state.melder)) }
                dt { "Gemeente van herkomst" } dd { (herkomst) }
                dt { "Woonsituatie" } dd { (labels::woonsituatie(state.woonsituatie)) }
                dt { "Urgentie" } dd { (labels::urgentie(state.urgentie)) }
                dt { "Beoordeeld op" } dd { @if let Some(d) = state.beoordeeld { (date_el(d)) } @else { "nog niet beoordeeld" } }
            }
        }
        section aria-labelledby="kop-besluit" {
            h2 id="kop-besluit" { "Besluit" }
            @match &state.besluit {
                Some(Besluit::Toewijzing { datum, product: pr, start, einde, leveringsvorm, aanbieder, geplaatst_bij }) => {
                    dl.kenmerken {
                        dt { "Besluit" } dd { "Toewijzing van " (date_el(*datum)) }
                        dt { "Product" } dd { (product(pr)) }
                        dt { "Periode" } dd { (date_el(*start)) " t/m " (date_el(*einde)) }
                        dt { "Leveringsvorm" } dd { (labels::leveringsvorm(*leveringsvorm)) }
                        dt { "Aanbieder" } dd { @if let Some(a) = aanbieder { (provider(*a)) } @else if let Some(a) = geplaatst_bij { (provider(*a)) " (gekozen bij de plaatsing)" } @else { "nog niet gekozen" } }
                    }
                }
                Some(Besluit::Afwijzing { datum, reden, casusregie }) => {
                    dl.kenmerken {
                        dt { "Besluit" } dd { "Afwijzing van " (date_el(*datum)) }
                        dt { "Reden" } dd { (reden) }
                        dt { "Casusregie" } dd { (casusregie) }
                    }
                }
                None => p { "Er is nog geen besluit." },
            }
            @if state.bezwaar_open {
                p.melding { "Er loopt een bezwaar tegen dit besluit." }
            }
        }
        section aria-labelledby="kop-wacht" {
            h2 id="kop-wacht" { "Wachtlijst" }
            @if let Some(w) = &state.wacht {
                dl.kenmerken {
                    dt { "Product" } dd { (product(&w.product)) }
                    dt { "Sinds" } dd { (date_el(w.sinds)) " (" (vangnet_domain::date::dagen(i64::from(w.sinds.days_until(today)))) ")" }
                    dt { "Prioriteit" } dd { (labels::prioriteit_badge(w.prioriteit)) }
                }
            } @else {
                p { "Staat niet op de wachtlijst." }
            }
        }
        section aria-labelledby="kop-zorg" {
            h2 id="kop-zorg" { "Zorg" }
            @if let Some(z) = &state.zorg {
                dl.kenmerken {
                    dt { "Product" } dd { (product(&z.product)) }
                    dt { "Locatie" } dd { (location(&z.locatie)) }
                    dt { "Aanbieder" } dd { (provider(z.aanbieder)) }
                    @if let Some(r) = &z.overbezetting { dt { "Overbezetting" } dd { "Geplaatst boven het aantal plaatsen. Reden: " (r) } }
                    dt { "Sinds" } dd { (date_el(z.sinds)) }
                    dt { "In zorg sinds" } dd { (date_el(z.episode_start)) " (" (vangnet_domain::date::dagen(i64::from(z.episode_start.days_until(today)))) ")" }
                }
            } @else {
                p { "Niet in zorg." }
            }
            @if let Some(u) = &state.uitstroom {
                p { "Laatste uitstroom: " (date_el(u.datum)) ", bestemming " (labels::bestemming(u.bestemming)) "." }
            }
            @if let Some(w) = state.wlz {
                p { "Overgegaan naar de Wlz op " (date_el(w)) "." }
            }
            @if state.mo_nachten > 0 {
                p { "Maatschappelijke opvang: " (state.mo_nachten) " nachten in " (state.mo_verblijven) " verblijven." }
            }
        }
    }
}

/// Planned facts (issue 12): facts in force dated after today, shown as "gepland per
/// <datum>"; the state above them is the state of today.
fn planned_block(rec: &ClientRecord, profile: Option<&RegionProfile>, today: Date) -> Markup {
    let stream: Vec<vangnet_domain::state::StreamEntry<'_>> = rec
        .events
        .iter()
        .map(vangnet_domain::state::StreamEntry::from)
        .collect();
    let planned = vangnet_domain::state::planned_facts(&stream, today);
    html! {
        @if !planned.is_empty() {
            section aria-labelledby="kop-gepland" id="gepland" {
                h2 id="kop-gepland" { "Gepland" }
                p { "Deze feiten zijn vastgelegd en gaan in op hun datum; tot dan telt de situatie van vandaag." }
                ul {
                    @for (d, _, e) in &planned {
                        li { strong { (e.label()) } " — gepland per " (labels::date(*d)) ": " (labels::event_summary(profile, e)) }
                    }
                }
            }
        }
    }
}

/// The client page's record part. `name_of` gives a user's display name (accounts and demo
/// users); a user it does not know is shown as a staff member of the actor's organisation.
pub(crate) fn client(
    rec: &ClientRecord,
    regions: &Regions,
    today: Date,
    name_of: &dyn Fn(&str) -> Option<String>,
) -> Markup {
    let st = &rec.state;
    let profile = regions.get(&st.regio);
    html! {
        h1 { "Dossier " (st.client) }
        p.inleiding {
            "Fase: " span.label { (st.phase().label()) }
            " · Versie " (st.version)
            " · Uw inzage is vastgelegd in het toegangslog (doel: dossier inzien)."
        }
        section aria-labelledby="kop-persoon" {
            h2 id="kop-persoon" { "Persoon" }
            @if let Some(p) = &rec.person {
                dl.kenmerken {
                    dt { "Naam" } dd { (p.naam()) }
                    dt { "BSN" } dd { span.bsn aria-label={ "BSN, alleen de laatste drie cijfers: " (&p.bsn.digits()[6..]) } { (labels::masked_bsn(p.bsn)) } }
                    dt { "Leeftijd" } dd { @if p.age_on(today) >= 0 { (p.age_on(today)) " jaar" } @else { "onbekend: de geboortedatum " (date_el(p.geboortedatum)) " ligt na vandaag" } }
                    dt { "Gegevens" } dd { @if p.synthetic { "synthetisch (demo)" } @else { "echt" } }
                }
            } @else {
                p { "Geen persoonsgegevens vastgelegd." }
            }
        }
        (planned_block(rec, profile, today))
        (phase_block(st, profile, today))
        section aria-labelledby="kop-historie" {
            h2 id="kop-historie" { "Gebeurtenissen" }
            div.tabel-scroll tabindex="0" role="region" aria-labelledby="kop-historie" {
                table id="historie" {
                    caption { "Alle vastgelegde feiten over " (st.client) ", op versie" }
                    thead {
                        tr {
                            th scope="col" { "Versie" }
                            th scope="col" { "Ingangsdatum" }
                            th scope="col" { "Gebeurtenis" }
                            th scope="col" { "Inhoud" }
                            th scope="col" { "Vastgelegd door" }
                            th scope="col" { "Vastgelegd op" }
                        }
                    }
                    tbody {
                        @for e in &rec.events {
                            tr {
                                th scope="row" { (e.version) }
                                td { (date_el(e.effective)) @if e.effective > today { " " span.label.gepland { "gepland" } } }
                                td { (e.event.label()) }
                                td { (labels::event_summary(profile, &e.event)) }
                                td {
                                    (name_of(&e.actor.user).unwrap_or_else(|| format!("medewerker van {}", labels::organisation(regions, &e.actor.organisation))))
                                    br; span.klein { (e.actor.role.label()) }
                                }
                                td { time datetime=(clock::rfc3339(e.recorded_at)) { (clock::amsterdam_label(e.recorded_at)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The error summary at the top of a refused form (the NL Design System / GOV.UK pattern):
/// "Er is een probleem", then every error of the form, each a link to its field
/// (`#<id_prefix>-<field>`; without a prefix to the message at the field, `#fout-<field>`),
/// an error not about a field as plain text, and the facts still missing. It takes the focus
/// when the page opens (`autofocus` on a `tabindex="-1"` box: no script), so a screen reader
/// reads it first and the page does not open scrolled away from it.
pub(crate) fn error_summary(err: Option<&crate::WebError>, id_prefix: Option<&str>) -> Markup {
    let Some(e) = err else { return html! {} };
    let href = |field: &str| match id_prefix {
        Some(p) => format!("#{p}-{field}"),
        None => format!("#fout-{field}"),
    };
    let fields = e.field_errors();
    let items: Vec<(Option<String>, &str)> = if fields.is_empty() {
        vec![(None, &*e.message)]
    } else {
        fields.iter().map(|(f, m)| (Some(href(f)), *m)).collect()
    };
    html! {
        (error_box(&items))
        @if !e.ontbrekend().is_empty() {
            div.fout {
                p { "Nog vast te stellen:" }
                ul { @for m in e.ontbrekend() { li { (m) } } }
            }
        }
    }
}

/// The one error summary box: "Er is een probleem" and each error, a link to its field
/// (`href` `#id`) where it has one; focused when the page opens. Every form uses it, through
/// [`error_summary`] or with its own list of (link, message).
pub(crate) fn error_box(items: &[(Option<String>, &str)]) -> Markup {
    html! {
        @if !items.is_empty() {
            div.fout.foutoverzicht role="alert" aria-labelledby="foutoverzicht-kop" tabindex="-1" autofocus {
                h2 id="foutoverzicht-kop" { "Er is een probleem" }
                ul {
                    @for (href, message) in items {
                        @let message = sentence(message);
                        li {
                            @if let Some(h) = href { a href=(h) { (message) } } @else { (message) }
                        }
                    }
                }
            }
        }
    }
}

/// The error message shown at a field (`id="fout-<id>"`, which the input's
/// `aria-describedby` names), after "Fout:".
pub(crate) fn field_message(id: &str, message: &str) -> Markup {
    html! { p.veldfout id={ "fout-" (id) } { strong { "Fout: " } (message) } }
}

/// `message` as a sentence: its first letter a capital (rule messages are written as
/// fragments, "datum … ligt buiten …").
pub(crate) fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An error page body.
pub(crate) fn error(title: &str, message: &str, logged: bool) -> Markup {
    html! {
        h1 { (title) }
        div.fout role="alert" {
            p { (message) }
            @if logged {
                p { "Deze poging is vastgelegd in het toegangslog." }
            }
        }
        p { a href="/" { "Terug naar het overzicht" } }
    }
}

/// The icon, an SVG (served from `/static/vangnet.svg`).
pub(crate) const ICON: &str = concat!(
    r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="4" fill="#154273"/>"##,
    r##"<path d="M6 10 L16 24 L26 10" stroke="#fff" stroke-width="4" fill="none" stroke-linejoin="round"/></svg>"##
);
