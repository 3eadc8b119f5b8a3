//! Every SVG chart of the web pages, in one module: the monitor's bar, horizontal-bar and
//! line charts ([`grafiek`] and its [`legenda`], from a section's
//! [`vangnet_publish::monitor::Grafiek`]) and the forecast's fan charts ([`fan_chart`]:
//! baseline and scenario panels on one scale). Inline SVG, no scripts; colours as
//! presentation attributes (allowed by the CSP), text and grid in the same colours
//! ([`TEKST`], [`RASTER`]). Values are drawn as published: a suppressed small number is
//! shaded at a fixed height or drawn in a `<t` zone, never at its real value.
//!
//! Two axis scales remain, on purpose, so the pages look exactly as before the charts were
//! brought together: the monitor's axes have about five grid lines at steps of 1, 2 or 5
//! (`as_schaal`), the fan charts round their maximum up to 1, 2, 2,5 or 5 × 10ⁿ (`nice`) and
//! draw grid lines at quarters of it.

use maud::{Markup, html};
use vangnet_publish::forecast::View;
use vangnet_publish::monitor::{self, Grafiek};
use vangnet_sim::calibrate::{Fan, Metric};

use crate::figures::Figure;
use crate::forecast::fmt as fmt_getal;

/// Text colour of every chart.
const TEKST: &str = "#1b1b1b";
/// Colour of a chart label that is a link (the page's link colour).
const LINK: &str = "#01689b";
/// Grid-line colour of every chart.
const RASTER: &str = "#d0d0d0";

// ---------------------------------------------------------------------------------------
// The monitor's charts: bars (stacked or grouped), horizontal bars and lines

const W: f64 = 760.0;
const SMALL_PX: f64 = 7.0;

fn hoogte(f: Figure) -> f64 {
    match f {
        Figure::Exact(n) | Figure::AtLeast(n) => n as f64,
        _ => 0.0,
    }
}

fn desc_of(g: &Grafiek) -> String {
    match g {
        Grafiek::Staven {
            categorieen,
            reeksen,
            ..
        } => {
            let Some(last) = categorieen.len().checked_sub(1) else {
                return String::new();
            };
            format!(
                "{}: {}.",
                categorieen[last],
                reeksen
                    .iter()
                    .map(|r| format!("{} {}", r.naam, r.waarden[last]))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Grafiek::Liggend {
            categorieen,
            reeksen,
            ..
        } => categorieen
            .iter()
            .enumerate()
            .take(6)
            .map(|(i, c)| {
                format!(
                    "{c}: {}",
                    reeksen
                        .iter()
                        .map(|r| format!("{} {}", r.naam, r.waarden[i]))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Grafiek::Lijnen {
            categorieen,
            lijnen,
            ..
        } => {
            let Some(last) = categorieen.len().checked_sub(1) else {
                return String::new();
            };
            format!(
                "{}: {}.",
                categorieen[last],
                lijnen
                    .iter()
                    .map(|l| format!(
                        "{} {}",
                        l.naam,
                        l.waarden[last].map_or("—".to_owned(), |x| monitor::decimaal(x, 1))
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    }
}

pub(crate) fn grafiek(id: &str, titel: &str, g: &Grafiek, t: Option<u32>) -> Markup {
    let id = format!("grafiek-{id}");
    let inner = match g {
        Grafiek::Staven {
            categorieen,
            reeksen,
            gestapeld,
            eenheid,
        } => staven(&id, categorieen, reeksen, *gestapeld, eenheid, t),
        Grafiek::Liggend {
            categorieen,
            links,
            reeksen,
            exact,
            kleuren,
        } => liggend(&id, categorieen, links, reeksen, kleuren, exact, t),
        Grafiek::Lijnen {
            categorieen,
            lijnen,
            referentie,
            eenheid,
            max,
        } => lijnen_svg(categorieen, lijnen, referentie.as_ref(), eenheid, *max),
    };
    let (vb_w, vb_h) = inner.1;
    // A chart with links (gemeente labels to zoom in to) is a group, not an image: the
    // children of role="img" are presentational, so its links would be unreachable.
    let role = match g {
        Grafiek::Liggend { links, .. } if links.iter().any(Option::is_some) => "group",
        _ => "img",
    };
    html! {
        svg role=(role) aria-labelledby={ (id) "-titel " (id) "-desc" } viewBox={ "0 0 " (vb_w) " " (vb_h) }
            width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="12" class="grafiek-svg" {
            title id={ (id) "-titel" } { (titel) }
            desc id={ (id) "-desc" } { (desc_of(g)) }
            defs {
                pattern id={ (id) "-arcering" } width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                    rect width="6" height="6" fill="#ffffff" {}
                    line x1="0" y1="0" x2="0" y2="6" stroke="#4a4a4a" stroke-width="2.5" {}
                }
            }
            (inner.0)
        }
    }
}

/// The sentence shown instead of a bar chart whose every value is 0 (an empty 0–1 axis says
/// nothing): "In deze periode zijn geen … geteld.", naming what the section counts. `None`
/// when something is to be drawn (or for line charts, which show shares).
pub(crate) fn nul_zin(sleutel: &str, g: &Grafiek) -> Option<String> {
    let alle = |r: &[monitor::Reeks]| {
        r.iter()
            .all(|x| x.waarden.iter().all(|f| *f == Figure::Exact(0)))
    };
    let (leeg, eenheid) = match g {
        Grafiek::Staven {
            reeksen, eenheid, ..
        } => (alle(reeksen), *eenheid),
        Grafiek::Liggend { reeksen, .. } => (alle(reeksen), "mensen"),
        Grafiek::Lijnen { .. } => (false, ""),
    };
    leeg.then(|| match sleutel {
        "mo" => "In deze periode zijn geen mensen in de nachtopvang geteld.".to_owned(),
        "mo-jaar" => "In deze jaren zijn geen mensen in de nachtopvang geteld.".to_owned(),
        _ => format!("In deze periode zijn geen {eenheid} geteld."),
    })
}

fn as_y(plot_top: f64, plot_h: f64, max: f64, v: f64) -> f64 {
    plot_top + plot_h - plot_h * v / max
}

fn categorie_label(x: f64, y: f64, label: &str) -> Markup {
    // Long labels (buckets) on two lines.
    let words: Vec<&str> = label.split(' ').collect();
    if label.chars().count() > 14 && words.len() > 1 {
        let half = words.len().div_ceil(2);
        let (a, b) = words.split_at(half);
        html! {
            text x=(f1(x)) y=(f1(y)) text-anchor="middle" fill=(TEKST) {
                tspan x=(f1(x)) dy="0" { (a.join(" ")) }
                tspan x=(f1(x)) dy="14" { (b.join(" ")) }
            }
        }
    } else {
        html! { text x=(f1(x)) y=(f1(y)) text-anchor="middle" fill=(TEKST) { (label) } }
    }
}

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

/// Axis maximum and tick step for values up to `top`: whole-number steps of 1, 2 or 5 times a
/// power of ten (counts never get a tick like 3,8), at most five intervals.
fn as_schaal(top: f64) -> (f64, f64) {
    let top = top.max(1.0);
    let raw = top / 5.0;
    let p = 10f64.powf(raw.log10().floor()).max(1.0);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p);
    ((top / step).ceil() * step, step)
}

fn y_as(left: f64, right: f64, top: f64, plot_h: f64, max: f64, step: f64) -> Markup {
    let n = (max / step).round() as u32;
    html! {
        @for k in 0..=n {
            @let v = step * f64::from(k);
            @let y = as_y(top, plot_h, max, v);
            line x1=(f1(left)) x2=(f1(right)) y1=(f1(y)) y2=(f1(y)) stroke=(RASTER) stroke-width="1" {}
            text x=(f1(left - 6.0)) y=(f1(y + 4.0)) text-anchor="end" fill=(TEKST) { (getal_as(v)) }
        }
    }
}

fn getal_as(v: f64) -> String {
    if v.fract() == 0.0 {
        crate::labels::thousands(v as u64)
    } else {
        fmt_getal(v)
    }
}

type Svg = (Markup, (f64, f64));

/// One drawn element of a bar chart.
enum Vorm {
    /// A bar (or stack segment); `klein`: a suppressed cell drawn hatched at a fixed height;
    /// `ondergrens`: a lower bound ("≥"), drawn lighter.
    Staaf {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        kleur: &'static str,
        titel: String,
        klein: bool,
        ondergrens: bool,
    },
    /// "At least": a dashed tick above a bar.
    Streep { x: f64, y: f64 },
    /// A text label ("<5"), rotated for narrow bars.
    Label {
        x: f64,
        y: f64,
        tekst: String,
        draai: bool,
    },
    /// A hidden value: a dashed outline over the whole height, marked "—".
    Verborgen { x: f64, w: f64, titel: String },
}

fn staven(
    id: &str,
    cats: &[String],
    reeksen: &[monitor::Reeks],
    gestapeld: bool,
    eenheid: &str,
    t: Option<u32>,
) -> Svg {
    let (left, right, top, bottom) = (58.0, 12.0, 24.0, 48.0);
    let h = 300.0;
    let plot_w = W - left - right;
    let plot_h = h - top - bottom;
    let n = cats.len().max(1);
    let mut top_value = 1.0f64;
    for i in 0..cats.len() {
        if gestapeld {
            top_value = top_value.max(reeksen.iter().map(|r| hoogte(r.waarden[i])).sum());
        } else {
            for r in reeksen {
                top_value = top_value.max(hoogte(r.waarden[i]));
            }
        }
    }
    let (max, tick) = as_schaal(top_value);
    let slot = plot_w / n as f64;
    let step = n.div_ceil(12);
    let small_label = t.map_or_else(|| "<5".to_owned(), |t| format!("<{t}"));
    let base = top + plot_h;
    let mut vormen: Vec<Vorm> = Vec::new();
    for (i, cat) in cats.iter().enumerate() {
        let x0 = left + slot * i as f64;
        if gestapeld {
            let bw = slot * 0.72;
            let x = x0 + (slot - bw) / 2.0;
            let mut y = base;
            let (mut onzeker, mut iets, mut alleen_klein) = (false, false, true);
            for r in reeksen {
                let f = r.waarden[i];
                match f {
                    Figure::Exact(0) => {}
                    Figure::Exact(v) | Figure::AtLeast(v) => {
                        let hh = plot_h * v as f64 / max;
                        y -= hh;
                        iets = true;
                        alleen_klein = false;
                        onzeker |= matches!(f, Figure::AtLeast(_));
                        vormen.push(Vorm::Staaf {
                            x,
                            y,
                            w: bw,
                            h: hh,
                            kleur: r.kleur,
                            titel: format!("{cat}, {}: {f}", r.naam),
                            klein: false,
                            ondergrens: false,
                        });
                    }
                    Figure::Small(_) => {
                        y -= SMALL_PX;
                        iets = true;
                        onzeker = true;
                        vormen.push(Vorm::Staaf {
                            x,
                            y,
                            w: bw,
                            h: SMALL_PX,
                            kleur: r.kleur,
                            titel: format!(
                                "{cat}, {}: {f} (onderdrukt; niet op werkelijke hoogte)",
                                r.naam
                            ),
                            klein: true,
                            ondergrens: false,
                        });
                    }
                    Figure::Hidden => onzeker = true,
                }
            }
            if onzeker && iets && !alleen_klein {
                vormen.push(Vorm::Streep { x: x + bw / 2.0, y });
            }
            if iets && alleen_klein {
                vormen.push(Vorm::Label {
                    x: x + bw / 2.0,
                    y: y - 3.0,
                    tekst: small_label.clone(),
                    draai: bw < 16.0,
                });
            }
        } else {
            let k = reeksen.len().max(1) as f64;
            let bw = (slot * 0.8 / k).max(1.0);
            for (j, r) in reeksen.iter().enumerate() {
                let x = x0 + slot * 0.1 + bw * j as f64;
                let f = r.waarden[i];
                match f {
                    Figure::Exact(0) => {}
                    Figure::Hidden => vormen.push(Vorm::Verborgen {
                        x,
                        w: bw,
                        titel: format!(
                            "{cat}, {}: niet getoond (om terugrekenen te voorkomen)",
                            r.naam
                        ),
                    }),
                    Figure::Exact(v) | Figure::AtLeast(v) => {
                        let hh = plot_h * v as f64 / max;
                        vormen.push(Vorm::Staaf {
                            x,
                            y: base - hh,
                            w: bw,
                            h: hh,
                            kleur: r.kleur,
                            titel: format!("{cat}, {}: {f}", r.naam),
                            klein: false,
                            ondergrens: matches!(f, Figure::AtLeast(_)),
                        });
                        if matches!(f, Figure::AtLeast(_)) {
                            vormen.push(Vorm::Streep {
                                x: x + bw / 2.0,
                                y: base - hh,
                            });
                        }
                    }
                    Figure::Small(_) => {
                        vormen.push(Vorm::Staaf {
                            x,
                            y: base - SMALL_PX,
                            w: bw,
                            h: SMALL_PX,
                            kleur: r.kleur,
                            titel: format!(
                                "{cat}, {}: {f} (onderdrukt; niet op werkelijke hoogte)",
                                r.naam
                            ),
                            klein: true,
                            ondergrens: false,
                        });
                        vormen.push(Vorm::Label {
                            x: x + bw / 2.0,
                            y: base - SMALL_PX - 3.0,
                            tekst: small_label.clone(),
                            draai: bw < 16.0,
                        });
                    }
                }
            }
        }
    }
    let arcering = format!("url(#{id}-arcering)");
    let body = html! {
        (y_as(left, W - right, top, plot_h, max, tick))
        text x=(f1(4.0)) y=(f1(top - 10.0)) fill=(TEKST) font-size="11" { (eenheid) }
        @for v in &vormen {
            @match v {
                Vorm::Staaf { x, y, w, h, kleur, titel, klein, ondergrens } => {
                    @if *klein {
                        rect x=(f1(*x)) y=(f1(*y)) width=(f1(*w)) height=(f1(*h)) fill=(arcering) stroke=(kleur) stroke-width="1.2" { title { (titel) } }
                    } @else if *ondergrens {
                        rect x=(f1(*x)) y=(f1(*y)) width=(f1(*w)) height=(f1(*h)) fill=(kleur) fill-opacity="0.55" stroke=(kleur) stroke-width="1" { title { (titel) } }
                    } @else {
                        rect x=(f1(*x)) y=(f1(*y)) width=(f1(*w)) height=(f1(*h)) fill=(kleur) stroke="#ffffff" stroke-width="0.5" { title { (titel) } }
                    }
                }
                Vorm::Streep { x, y } => {
                    line x1=(f1(*x)) x2=(f1(*x)) y1=(f1(*y)) y2=(f1(*y - 10.0)) stroke=(TEKST) stroke-width="1.2" stroke-dasharray="2 2" {}
                }
                Vorm::Verborgen { x, w, titel } => {
                    rect x=(f1(*x)) y=(f1(top)) width=(f1(*w)) height=(f1(plot_h)) fill="none" stroke="#8a8a8a" stroke-width="1" stroke-dasharray="4 3" { title { (titel) } }
                    text x=(f1(*x + *w / 2.0)) y=(f1(top + 14.0)) text-anchor="middle" fill=(TEKST) font-size="11" { "—" }
                }
                Vorm::Label { x, y, tekst, draai } => {
                    @if *draai {
                        text transform={ "translate(" (f1(*x + 3.0)) " " (f1(*y)) ") rotate(-90)" } fill=(TEKST) font-size="9" { (tekst) }
                    } @else {
                        text x=(f1(*x)) y=(f1(*y)) text-anchor="middle" fill=(TEKST) font-size="10" { (tekst) }
                    }
                }
            }
        }
        @for i in (0..cats.len()).step_by(step) {
            (categorie_label(left + slot * (i as f64 + 0.5), base + 16.0, &cats[i]))
        }
        line x1=(f1(left)) x2=(f1(W - right)) y1=(f1(base)) y2=(f1(base)) stroke=(TEKST) stroke-width="1" {}
    };
    (body, (W, h))
}

/// Horizontal bars, one row per category; a category with a link (a gemeente to zoom in
/// to, the filter kept) has its label as an SVG `<a href>`: focusable with the keyboard,
/// underlined like the page's links.
fn liggend(
    id: &str,
    cats: &[String],
    links: &[Option<String>],
    reeksen: &[monitor::Reeks],
    kleuren: &[Option<&'static str>],
    exact: &[bool],
    t: Option<u32>,
) -> Svg {
    // Room for the longest label, within reason; longer labels are shortened (the full name is
    // in the table and in the bar's tooltip).
    let longest = cats.iter().map(|c| c.chars().count()).max().unwrap_or(10);
    let left = (longest as f64 * 6.4 + 16.0).clamp(120.0, 300.0);
    let max_chars = ((left - 16.0) / 6.4) as usize;
    let (right, top) = (60.0, 12.0);
    let bar = 11.0;
    let gap = 10.0;
    let k = reeksen.len().max(1) as f64;
    let row_h = bar * k + gap;
    let h = top + row_h * cats.len().max(1) as f64 + 28.0;
    let plot_w = W - left - right;
    let mut top_value = 1.0f64;
    for r in reeksen {
        for f in &r.waarden {
            top_value = top_value.max(hoogte(*f));
        }
    }
    let (max, tick) = as_schaal(top_value);
    let x = |v: f64| left + plot_w * v / max;
    let small_label = t.map_or_else(|| "<5".to_owned(), |t| format!("<{t}"));
    let arcering = format!("url(#{id}-arcering)");
    let body = html! {
        @for kk in 0..=((max / tick).round() as u32) {
            @let v = tick * f64::from(kk);
            line x1=(f1(x(v))) x2=(f1(x(v))) y1=(f1(top)) y2=(f1(h - 24.0)) stroke=(RASTER) stroke-width="1" {}
            text x=(f1(x(v))) y=(f1(h - 8.0)) text-anchor="middle" fill=(TEKST) { (getal_as(v)) }
        }
        @for (i, c) in cats.iter().enumerate() {
            @let y0 = top + row_h * i as f64;
            @let link = links.get(i).cloned().flatten();
            @let label = html! {
                text x=(f1(left - 8.0)) y=(f1(y0 + bar * k / 2.0 + 4.0)) text-anchor="end"
                    fill=(if link.is_some() { LINK } else { TEKST })
                    text-decoration=[link.as_ref().map(|_| "underline")] {
                    @if c.chars().count() > max_chars {
                        title { (c) }
                        (c.chars().take(max_chars.saturating_sub(1)).collect::<String>()) "…"
                    } @else {
                        (c)
                    }
                }
            };
            @if let Some(href) = &link {
                a href=(href) class="grafiek-link" aria-label={ "Inzoomen op " (c) } {
                    (label)
                }
            } @else {
                (label)
            }
            @for (j, r) in reeksen.iter().enumerate() {
                @let y = y0 + bar * j as f64;
                @let f = r.waarden[i];
                @let ex = exact.get(j).copied().unwrap_or(false);
                @let kleur = kleuren.get(i).copied().flatten().unwrap_or(r.kleur);
                @match f {
                    Figure::Exact(v) | Figure::AtLeast(v) => {
                        @if v > 0 {
                            rect x=(f1(left)) y=(f1(y)) width=(f1(x(v as f64) - left)) height=(f1(bar - 1.0)) fill=(kleur) {
                                title { (c) ", " (r.naam) ": " (f) }
                            }
                        }
                        text x=(f1(x(v as f64) + 4.0)) y=(f1(y + bar - 2.0)) fill=(TEKST) font-size="10" {
                            @if ex { (crate::labels::thousands(v)) } @else { (f) }
                        }
                    }
                    Figure::Small(_) => {
                        rect x=(f1(left)) y=(f1(y)) width=(f1(SMALL_PX)) height=(f1(bar - 1.0)) fill=(arcering) stroke=(kleur) stroke-width="1.2" {
                            title { (c) ", " (r.naam) ": " (f) " (onderdrukt; niet op werkelijke lengte)" }
                        }
                        text x=(f1(left + SMALL_PX + 4.0)) y=(f1(y + bar - 2.0)) fill=(TEKST) font-size="10" { (small_label) }
                    }
                    Figure::Hidden => {
                        text x=(f1(left + 4.0)) y=(f1(y + bar - 2.0)) fill=(TEKST) font-size="10" { "— (niet getoond)" }
                    }
                }
            }
        }
        line x1=(f1(left)) x2=(f1(left)) y1=(f1(top)) y2=(f1(h - 24.0)) stroke=(TEKST) stroke-width="1" {}
    };
    (body, (W, h))
}

fn lijnen_svg(
    cats: &[String],
    lijnen: &[monitor::Lijn],
    referentie: Option<&(f64, String)>,
    eenheid: &str,
    vast: Option<f64>,
) -> Svg {
    let (left, right, top, bottom) = (58.0, 12.0, 18.0, 48.0);
    let h = 260.0;
    let plot_w = W - left - right;
    let plot_h = h - top - bottom;
    let n = cats.len().max(1);
    let mut top_value = referentie.map_or(1.0, |r| r.0 * 1.1);
    for l in lijnen {
        for v in l.waarden.iter().flatten() {
            top_value = top_value.max(*v);
        }
    }
    let (max, tick) = match vast {
        Some(m) => (m, m / 4.0),
        None => as_schaal(top_value),
    };
    let slot = plot_w / n as f64;
    let x = |i: usize| left + slot * (i as f64 + 0.5);
    let step = n.div_ceil(12);
    let body = html! {
        (y_as(left, W - right, top, plot_h, max, tick))
        text x=(f1(4.0)) y=(f1(top - 8.0)) fill=(TEKST) font-size="11" { (eenheid) }
        @if let Some((v, label)) = referentie {
            @let y = as_y(top, plot_h, max, *v);
            line x1=(f1(left)) x2=(f1(W - right)) y1=(f1(y)) y2=(f1(y)) stroke="#a5191f" stroke-width="1.5" stroke-dasharray="6 4" {}
            text x=(f1(W - right - 4.0)) y=(f1(y - 5.0)) text-anchor="end" fill="#a5191f" font-size="11" { (label) }
        }
        @for l in lijnen {
            @let segments = {
                let mut segs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                for (i, v) in l.waarden.iter().enumerate() {
                    match v {
                        Some(v) => segs.last_mut().expect("one").push((x(i), as_y(top, plot_h, max, *v))),
                        None => segs.push(Vec::new()),
                    }
                }
                segs.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>()
            };
            @for s in &segments {
                @if s.len() > 1 {
                    polyline points=(s.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect::<Vec<_>>().join(" ")) fill="none" stroke=(l.kleur) stroke-width="2.5" {}
                }
            }
            @for (i, v) in l.waarden.iter().enumerate() {
                @if let Some(v) = v {
                    circle cx=(f1(x(i))) cy=(f1(as_y(top, plot_h, max, *v))) r="3.5" fill=(l.kleur) {
                        title { (cats[i]) ", " (l.naam) ": " (monitor::decimaal(*v, 1)) }
                    }
                }
            }
        }
        @for i in (0..cats.len()).step_by(step) {
            (categorie_label(x(i), top + plot_h + 16.0, &cats[i]))
        }
        line x1=(f1(left)) x2=(f1(W - right)) y1=(f1(top + plot_h)) y2=(f1(top + plot_h)) stroke=(TEKST) stroke-width="1" {}
    };
    (body, (W, h))
}

fn swatch(kleur: &str) -> Markup {
    html! {
        svg.swatch width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false" {
            rect width="14" height="14" fill=(kleur) {}
        }
    }
}

pub(crate) fn legenda(g: &Grafiek, t: Option<u32>) -> Markup {
    type Item<'x> = (&'x str, &'x str, Option<&'x String>);
    let (reeksen, lijnen): (Vec<Item<'_>>, bool) = match g {
        Grafiek::Liggend { kleuren, .. } if !kleuren.is_empty() => (
            monitor::GROEPEN
                .iter()
                .map(|(n, k)| (*n, *k, None))
                .collect(),
            false,
        ),
        Grafiek::Staven { reeksen, .. } | Grafiek::Liggend { reeksen, .. } => (
            reeksen
                .iter()
                .map(|r| (r.naam.as_str(), r.kleur, r.link.as_ref()))
                .collect(),
            false,
        ),
        Grafiek::Lijnen { lijnen, .. } => (
            lijnen
                .iter()
                .map(|l| (l.naam.as_str(), l.kleur, None))
                .collect(),
            true,
        ),
    };
    html! {
        ul.legenda {
            @for (naam, kleur, link) in &reeksen {
                li {
                    (swatch(kleur))
                    @if let Some(l) = link { a href=(l) { (naam) } } @else { (naam) }
                }
            }
            @if let (Some(t), false) = (t, lijnen) {
                li {
                    svg.swatch width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false" {
                        rect width="14" height="14" fill="#ffffff" stroke="#4a4a4a" {}
                        path d="M0 14 L14 0 M-3 7 L7 -3 M7 17 L17 7" stroke="#4a4a4a" stroke-width="2" {}
                    }
                    "gearceerd: minder dan " (t) " (niet op werkelijke hoogte)"
                }
                li {
                    svg.swatch width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false" {
                        line x1="7" x2="7" y1="0" y2="14" stroke=(TEKST) stroke-width="1.5" stroke-dasharray="2 2" {}
                    }
                    "stippellijn (en lichte staaf): ten minste, bevat onderdrukte aantallen"
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The forecast's fan charts

const FAN_W: f64 = 300.0;
const FAN_H: f64 = 150.0;
const FAN_LEFT: f64 = 44.0;
const FAN_TOP: f64 = 28.0;
const FAN_GAP: f64 = 36.0;

type Series<'a> = dyn Fn(&Fan, usize) -> [f64; 5] + 'a;
type Places<'a> = dyn Fn(&Fan, usize) -> Option<f64> + 'a;
type Published<'a> = dyn Fn(&Fan, usize, usize) -> Figure + 'a;

/// One SVG: the baseline panel and the scenario panel on the same scale. For a viewer who gets
/// published figures, values are drawn as published: a suppressed small number is drawn in
/// the middle of a shaded `<t` zone (it says no more than the table's `<t`), and a month in
/// which a value is hidden altogether (secondary suppression, or a waiting time that would
/// reveal a suppressed waiting list) is left open: the lines break and a light strip marks it.
pub(crate) fn fan_chart(
    view: &View<'_>,
    id: &str,
    name: &str,
    metric: Metric,
    series: &Series<'_>,
    places: &Places<'_>,
    published: &Published<'_>,
) -> Markup {
    let runs = view.runs();
    let months = view.scen.months;
    let mut small_zone = None;
    let mut hidden_months = 0usize;
    let mut vals: Vec<Vec<Option<[f64; 5]>>> = Vec::new();
    let mut figs: Vec<Vec<[Figure; 5]>> = Vec::new();
    for (_, f) in &runs {
        let mut v = Vec::with_capacity(months);
        let mut g = Vec::with_capacity(months);
        for m in 0..months {
            let raw = series(f, m);
            match view.t {
                None => {
                    v.push(Some(raw));
                    g.push(raw.map(|x| Figure::Exact(x.round().max(0.0) as u64)));
                }
                Some(_) => {
                    let p: [Figure; 5] = std::array::from_fn(|q| published(f, m, q));
                    let mut out = Some([0.0; 5]);
                    for q in 0..5 {
                        match p[q] {
                            Figure::Exact(n) => {
                                if let Some(o) = &mut out {
                                    o[q] = n as f64;
                                }
                            }
                            Figure::Small(t) => {
                                small_zone = Some(t);
                                if let Some(o) = &mut out {
                                    o[q] = f64::from(t) / 2.0;
                                }
                            }
                            Figure::AtLeast(_) | Figure::Hidden => out = None,
                        }
                    }
                    if out.is_none() {
                        hidden_months += 1;
                    }
                    v.push(out);
                    g.push(p);
                }
            }
        }
        vals.push(v);
        figs.push(g);
    }
    let place_vals: Vec<Vec<Option<f64>>> = runs
        .iter()
        .map(|(_, f)| (0..months).map(|m| places(f, m)).collect())
        .collect();
    let mut max = 1.0f64;
    for (v, p) in vals.iter().zip(&place_vals) {
        for m in 0..months {
            if let Some(v) = v[m] {
                max = max.max(v[4]);
            }
            if let Some(p) = p[m] {
                max = max.max(p);
            }
        }
    }
    if let Some(t) = small_zone {
        max = max.max(f64::from(t));
    }
    let max = nice(max);
    let years = view.years();
    let last = view.month_of_year(years);
    let shown = |x: Figure| match x {
        Figure::Exact(n) => fmt_getal(n as f64),
        other => other.to_string(),
    };
    let desc = runs
        .iter()
        .zip(&figs)
        .map(|((label, _), g)| {
            let q = g[last];
            format!(
                "{label} mediaan {} (90 %: {}–{})",
                shown(q[2]),
                shown(q[0]),
                shown(q[4])
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let total_w = FAN_LEFT + runs.len() as f64 * (FAN_W + FAN_GAP) - FAN_GAP + 24.0;
    let has_places = place_vals.iter().flatten().any(Option::is_some);
    let legend_y = FAN_TOP + FAN_H + 38.0;
    let total_h = legend_y + 10.0;
    html! {
        svg role="img" aria-labelledby={ (id) "-titel " (id) "-desc" } viewBox={ "0 0 " (total_w) " " (total_h) }
            width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="11" {
            title id={ (id) "-titel" } { (metric.label()) " " (name) ": basis en scenario, mediaan met 50 %- en 90 %-banden" }
            desc id={ (id) "-desc" } {
                "Na " (years) " jaar (" (view.month_label(last)) "): " (desc) "."
                @if let Some(t) = small_zone { " Kleine aantallen (1 tot en met " (t.saturating_sub(1)) ") staan in de grijze zone <" (t) "." }
                @if hidden_months > 0 { " Maanden waarin een getal niet gepubliceerd wordt (terugrekenen van kleine aantallen), zijn open gelaten." }
            }
            @for (p, (label, _)) in runs.iter().enumerate() {
                @let x0 = FAN_LEFT + p as f64 * (FAN_W + FAN_GAP);
                (panel(x0, label, metric, &vals[p], &place_vals[p], &view.scen.month_keys, max, small_zone))
            }
            (fan_legend(FAN_LEFT, legend_y, has_places, small_zone, hidden_months > 0))
        }
    }
}

/// The legend of a fan chart, one row below the panels: the median, the two bands, and the
/// places line, the `<t` zone and the open months when the chart has them.
fn fan_legend(x0: f64, y: f64, places: bool, small_zone: Option<u32>, hidden: bool) -> Markup {
    let mut items: Vec<(Markup, String)> = vec![
        (
            html! { line x1="0" x2="16" y1="-4" y2="-4" stroke="#0b2f5b" stroke-width="2" {} },
            "mediaan".to_owned(),
        ),
        (
            html! { rect x="0" y="-9" width="16" height="10" fill="#3f7fbf" fill-opacity="0.6" {} },
            "50 % (25–75 %)".to_owned(),
        ),
        (
            html! { rect x="0" y="-9" width="16" height="10" fill="#8fb8de" fill-opacity="0.55" {} },
            "90 % (5–95 %)".to_owned(),
        ),
    ];
    if places {
        items.push((
            html! { line x1="0" x2="16" y1="-4" y2="-4" stroke="#a4343a" stroke-width="1.5" stroke-dasharray="5 3" {} },
            "plaatsen".to_owned(),
        ));
    }
    if let Some(t) = small_zone {
        items.push((
            html! { rect x="0" y="-9" width="16" height="10" fill="#d9d9d9" {} },
            format!("kleiner dan {t}"),
        ));
    }
    if hidden {
        items.push((
            html! { rect x="0" y="-9" width="16" height="10" fill="#eeeeee" stroke="#8a8a8a" stroke-width="0.5" {} },
            "niet gepubliceerd".to_owned(),
        ));
    }
    let mut placed = Vec::with_capacity(items.len());
    let mut x = x0;
    for (swatch, label) in items {
        // Room for the swatch, the text (about 7 units a character) and a gap.
        let w = 30.0 + 7.0 * label.chars().count() as f64;
        placed.push((x, swatch, label));
        x += w;
    }
    html! {
        g.fan-legenda {
            @for (here, swatch, label) in placed {
                g transform={ "translate(" (here) " " (y) ")" } {
                    (swatch)
                    text x="20" y="0" fill=(TEKST) { (label) }
                }
            }
        }
    }
}

fn nice(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    for k in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if k * p >= x {
            return k * p;
        }
    }
    10.0 * p
}

/// The year ticks of a panel: `(month index where the year starts, label)`. With a calendar
/// (month keys `yyyymm`) each January is labelled with its year; without, the years since
/// the start (`1 jr`, …). Every second or fifth year on long horizons.
fn year_ticks(months: usize, keys: &[u32]) -> Vec<(usize, String)> {
    let years = months.div_ceil(12);
    let step = if years > 10 {
        5
    } else if years > 5 {
        2
    } else {
        1
    };
    if keys.len() >= months && months > 0 {
        (0..months)
            .filter(|&m| keys[m] % 100 == 1 && ((keys[m] / 100) as usize).is_multiple_of(step))
            .map(|m| (m, (keys[m] / 100).to_string()))
            .collect()
    } else {
        (0..=years)
            .step_by(step)
            .map(|yr| ((yr * 12).min(months), format!("{yr} jr")))
            .collect()
    }
}

#[allow(clippy::too_many_arguments)]
fn panel(
    x0: f64,
    label: &str,
    metric: Metric,
    vals: &[Option<[f64; 5]>],
    places: &[Option<f64>],
    keys: &[u32],
    max: f64,
    small_zone: Option<u32>,
) -> Markup {
    let months = vals.len();
    let x = |m: usize| x0 + FAN_W * (m + 1) as f64 / months as f64;
    let y = |v: f64| FAN_TOP + FAN_H - FAN_H * v / max;
    // At most about 60 points per line (a panel is 300 units wide), the last month always.
    let step = months.div_ceil(60).max(1);
    let pts: Vec<usize> = (0..months)
        .filter(|m| m % step == 0 || *m + 1 == months)
        .collect();
    // Runs of consecutive shown points; a hidden month breaks the bands and the median.
    let mut segments: Vec<Vec<(usize, [f64; 5])>> = vec![Vec::new()];
    for &m in &pts {
        match vals[m] {
            Some(v) => segments.last_mut().expect("one segment").push((m, v)),
            None => {
                if !segments.last().expect("one segment").is_empty() {
                    segments.push(Vec::new());
                }
            }
        }
    }
    segments.retain(|s| !s.is_empty());
    let band = |seg: &[(usize, [f64; 5])], lo: usize, hi: usize| {
        let mut s = String::new();
        for (m, v) in seg {
            s.push_str(&format!("{:.1},{:.1} ", x(*m), y(v[hi])));
        }
        for (m, v) in seg.iter().rev() {
            s.push_str(&format!("{:.1},{:.1} ", x(*m), y(v[lo])));
        }
        s
    };
    let median = |seg: &[(usize, [f64; 5])]| {
        seg.iter()
            .map(|(m, v)| format!("{:.1},{:.1}", x(*m), y(v[2])))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // Hidden months as runs (first, last), one light strip each.
    let mut hidden: Vec<(usize, usize)> = Vec::new();
    for m in (0..months).filter(|m| vals[*m].is_none()) {
        match hidden.last_mut() {
            Some((_, last)) if *last + 1 == m => *last = m,
            _ => hidden.push((m, m)),
        }
    }
    let month_w = FAN_W / months as f64;
    let place_line = pts
        .iter()
        .filter_map(|&m| places[m].map(|p| format!("{:.1},{:.1}", x(m), y(p))))
        .collect::<Vec<_>>()
        .join(" ");
    let ticks = year_ticks(months, keys);
    html! {
        g {
            text x=(x0) y=(FAN_TOP - 10.0) font-weight="bold" fill=(TEKST) { (metric.label()) " — " (label) }
            rect x=(x0) y=(FAN_TOP) width=(FAN_W) height=(FAN_H) fill="#ffffff" stroke="#8a8a8a" stroke-width="1" {}
            @for t in [0.0, 0.5, 1.0] {
                line x1=(x0) x2=(x0 + FAN_W) y1=(y(t * max)) y2=(y(t * max)) stroke=(RASTER) stroke-width="1" {}
                text x=(x0 - 4.0) y=(y(t * max) + 4.0) text-anchor="end" fill=(TEKST) { (fmt_getal(t * max)) }
            }
            @if let Some(t) = small_zone {
                rect x=(x0) y=(y(f64::from(t))) width=(FAN_W) height=(y(0.0) - y(f64::from(t))) fill="#d9d9d9" {}
                text x=(x0 + FAN_W - 4.0) y=(y(f64::from(t)) - 3.0) text-anchor="end" fill=(TEKST) { "<" (t) }
            }
            @for (first, last) in &hidden {
                rect x=(x(*first) - month_w) y=(FAN_TOP) width=(x(*last) - x(*first) + month_w) height=(FAN_H) fill="#eeeeee" {}
            }
            @for seg in &segments {
                polygon points=(band(seg, 0, 4)) fill="#8fb8de" fill-opacity="0.55" {}
                polygon points=(band(seg, 1, 3)) fill="#3f7fbf" fill-opacity="0.6" {}
            }
            @if !place_line.is_empty() {
                polyline points=(place_line) fill="none" stroke="#a4343a" stroke-width="1.5" stroke-dasharray="5 3" {}
            }
            @for seg in &segments {
                polyline points=(median(seg)) fill="none" stroke="#0b2f5b" stroke-width="2" {}
            }
            @for (m, tick) in &ticks {
                @let xx = x0 + FAN_W * *m as f64 / months as f64;
                line x1=(xx) x2=(xx) y1=(FAN_TOP + FAN_H) y2=(FAN_TOP + FAN_H + 4.0) stroke="#8a8a8a" {}
                text x=(xx) y=(FAN_TOP + FAN_H + 16.0) text-anchor="middle" fill=(TEKST) { (tick) }
            }
        }
    }
}
