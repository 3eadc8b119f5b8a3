//! The region's agreed actions and their progress: the *qualitative* monitoring next to the
//! numbers (DOMAIN.md §6; seed `000_…` proposal 25: "kwalitatief (genomen acties, uitbreiding
//! activiteiten, voorzieningen en samenwerkingsvormen)").
//!
//! A region lists its actions in one TOML file, `regions/acties/<region-id>.toml`:
//!
//! ```toml
//! [[acties]]
//! id = "SD-20"
//! thema = "5. Inkomen en schuldhulpverlening"
//! titel = "Iedere gemeente zorgt voor een contactpersoon inkomen & schuldhulpverlening"
//! bron = "seed 000_…, appendix A, voorstel 20"
//! verantwoordelijk = "Iedere gemeente"      # optional
//! gemeenten = ["GM0226", "GM0293"]          # optional: only these gemeenten (default: all)
//!
//! [[acties.status]]
//! gemeente = "GM0268"                       # or "regio": about the region as a whole
//! stand = "gereed"                          # gepland | in_uitvoering | gereed | vertraagd | onbekend
//! peildatum = "2021-10-01"                  # when this was observed
//! toelichting = "…"
//! bron = "seed 000_…, thema 5"              # or aanname = "why": where the stand comes from
//! ```
//!
//! Every action and every status carries its herkomst ([`Herkomst`]): `bron` (the source that
//! says it) or `aanname` (why we assumed it), never both, never neither.
//!
//! An action may have several statuses for the same gemeente (a history); the one with the
//! latest peildatum is current ([`Actie::actueel`]). Whatever no status covers is
//! [`Stand::Onbekend`]: Vangnet never guesses progress, the region fills it in.
//!
//! [`parse`] validates a file and reports every error with its line, like region profiles
//! ([`crate::region::RegionProfile::parse`]); [`check_members`] checks the gemeenten against a
//! region. The four built-in regions' files are compiled in ([`builtin`]).

use serde::Deserialize;
use toml::Spanned;

use crate::date::Date;
use crate::gemeenten::Gemeenten;
use crate::ids::GemeenteCode;
use crate::region::{Herkomst, ProfileError, RegionProfile};

/// How far an action has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stand {
    /// Agreed or planned; no sign of execution yet.
    Gepland,
    /// Work has started.
    InUitvoering,
    /// Done.
    Gereed,
    /// Behind what was agreed.
    Vertraagd,
    /// Nothing is known.
    Onbekend,
}

impl Stand {
    /// Every stand, in display order.
    pub const ALL: [Stand; 5] = [
        Stand::Gepland,
        Stand::InUitvoering,
        Stand::Gereed,
        Stand::Vertraagd,
        Stand::Onbekend,
    ];

    /// The key used in files and URLs: `gepland`, `in_uitvoering`, `gereed`, `vertraagd`,
    /// `onbekend`.
    pub fn key(self) -> &'static str {
        match self {
            Stand::Gepland => "gepland",
            Stand::InUitvoering => "in_uitvoering",
            Stand::Gereed => "gereed",
            Stand::Vertraagd => "vertraagd",
            Stand::Onbekend => "onbekend",
        }
    }

    /// The Dutch label.
    pub fn label(self) -> &'static str {
        match self {
            Stand::Gepland => "Gepland",
            Stand::InUitvoering => "In uitvoering",
            Stand::Gereed => "Gereed",
            Stand::Vertraagd => "Vertraagd",
            Stand::Onbekend => "Onbekend",
        }
    }

    /// The stand with this key (see [`Stand::key`]).
    pub fn parse(key: &str) -> Option<Stand> {
        Stand::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Whom a status is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Betreft {
    /// The region as a whole (`gemeente = "regio"`): a statement the source makes about the
    /// region without naming gemeenten.
    Regio,
    /// One gemeente.
    Gemeente(GemeenteCode),
}

/// One observation of an action's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The region or one gemeente.
    pub betreft: Betreft,
    /// How far the action had got.
    pub stand: Stand,
    /// Why: what the source says (Dutch).
    pub toelichting: String,
    /// The date this was observed.
    pub peildatum: Date,
    /// Where the stand comes from.
    pub herkomst: Herkomst,
    /// 1-based line of the status in its file.
    pub line: usize,
}

/// An agreed action of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actie {
    /// Short id, unique in the file (e.g. `SD-03`).
    pub id: String,
    /// Theme, as the source groups the actions.
    pub thema: String,
    /// Title (Dutch, as in the source).
    pub titel: String,
    /// Where the action comes from: document and section (the display form of `herkomst`).
    pub bron: String,
    /// Where the action comes from.
    pub herkomst: Herkomst,
    /// Who is responsible, when the source says so.
    pub verantwoordelijk: Option<String>,
    /// The gemeenten the action concerns; empty means every gemeente of the region.
    pub gemeenten: Vec<GemeenteCode>,
    /// Observations of progress, in file order.
    pub status: Vec<Status>,
    /// 1-based line of the action's `id` in its file.
    pub line: usize,
}

impl Actie {
    /// Whether the action concerns gemeente `g`.
    pub fn geldt_voor(&self, g: GemeenteCode) -> bool {
        self.gemeenten.is_empty() || self.gemeenten.contains(&g)
    }

    /// The current status for `wie`: the one with the latest peildatum.
    pub fn actueel(&self, wie: Betreft) -> Option<&Status> {
        self.status
            .iter()
            .filter(|s| s.betreft == wie)
            .max_by_key(|s| s.peildatum)
    }

    /// The current stand for `wie`, [`Stand::Onbekend`] when nothing is recorded.
    pub fn stand(&self, wie: Betreft) -> Stand {
        self.actueel(wie).map_or(Stand::Onbekend, |s| s.stand)
    }

    /// Every status for `wie`, newest first.
    pub fn historie(&self, wie: Betreft) -> Vec<&Status> {
        let mut v: Vec<&Status> = self.status.iter().filter(|s| s.betreft == wie).collect();
        v.sort_by_key(|s| std::cmp::Reverse(s.peildatum));
        v
    }
}

/// The themes of `acties` in order of first appearance.
pub fn themas(acties: &[Actie]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for a in acties {
        if !out.contains(&a.thema.as_str()) {
            out.push(&a.thema);
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    acties: Vec<RawActie>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActie {
    id: Spanned<String>,
    thema: Spanned<String>,
    titel: Spanned<String>,
    bron: Option<Spanned<String>>,
    aanname: Option<Spanned<String>>,
    verantwoordelijk: Option<String>,
    #[serde(default)]
    gemeenten: Vec<Spanned<String>>,
    #[serde(default)]
    status: Vec<RawStatus>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    gemeente: Spanned<String>,
    stand: Spanned<String>,
    peildatum: Spanned<toml::Value>,
    #[serde(default)]
    toelichting: String,
    bron: Option<Spanned<String>>,
    aanname: Option<Spanned<String>>,
}

fn herkomst_of(
    bron: &Option<Spanned<String>>,
    aanname: &Option<Spanned<String>>,
) -> Result<Herkomst, String> {
    Herkomst::from_fields(
        "",
        bron.as_ref().map(|b| b.get_ref().as_str()),
        aanname.as_ref().map(|a| a.get_ref().as_str()),
    )
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

fn line_of<T>(text: &str, s: &Spanned<T>) -> usize {
    line_at(text, s.span().start)
}

/// A gemeentecode that exists in the national register.
fn gemeente(s: &str) -> Result<GemeenteCode, String> {
    let code = GemeenteCode::parse(s).map_err(|e| e.to_string())?;
    match Gemeenten::national().get(code) {
        Some(_) => Ok(code),
        None => Err(format!("gemeentecode {code} is onbekend")),
    }
}

fn peildatum(v: &toml::Value) -> Result<Date, String> {
    match v {
        toml::Value::String(s) => Date::parse(s).map_err(|_| {
            format!("peildatum '{s}' is geen geldige datum (verwacht JJJJ-MM-DD, bijv. 2026-10-01)")
        }),
        toml::Value::Datetime(d) => match (d.date, d.time) {
            (Some(x), None) => {
                Date::from_ymd(i32::from(x.year), u32::from(x.month), u32::from(x.day))
                    .ok_or_else(|| format!("peildatum {d} is geen geldige datum"))
            }
            _ => Err(format!(
                "peildatum {d}: verwacht een datum zonder tijd, bijv. 2026-10-01"
            )),
        },
        other => Err(format!(
            "peildatum is een {}, geen datum (verwacht JJJJ-MM-DD, bijv. 2026-10-01)",
            other.type_str()
        )),
    }
}

/// Parse and validate an actions file; on failure, every error found with its line.
///
/// Checked: unknown keys (the first one; the TOML reader stops there), empty id, thema or
/// titel, an action or status without `bron`/`aanname` (or with both), duplicate ids, gemeentecodes (form and existence in the national register),
/// unknown stands, peildata, a status for a gemeente outside the action's `gemeenten`, and two
/// statuses for the same gemeente and peildatum.
pub fn parse(text: &str) -> Result<Vec<Actie>, Vec<ProfileError>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        vec![ProfileError {
            line: e.span().map_or(0, |s| line_at(text, s.start)),
            message: e.message().trim().to_owned(),
        }]
    })?;
    let mut errors = Vec::new();
    let mut err = |line: usize, message: String| errors.push(ProfileError { line, message });
    let mut out: Vec<Actie> = Vec::with_capacity(raw.acties.len());
    for ra in raw.acties {
        let id = ra.id.get_ref().trim().to_owned();
        let line = line_of(text, &ra.id);
        if id.is_empty() {
            err(line, "een actie heeft een lege id".into());
        } else if let Some(first) = out.iter().find(|a| a.id == id) {
            err(
                line,
                format!(
                    "actie '{id}' staat twee keer in het bestand (eerder op regel {})",
                    first.line
                ),
            );
        }
        let herkomst = herkomst_of(&ra.bron, &ra.aanname)
            .map_err(|m| err(line, format!("actie '{id}': {m}")))
            .ok();
        for (field, value) in [("thema", &ra.thema), ("titel", &ra.titel)] {
            if value.get_ref().trim().is_empty() {
                err(
                    line_of(text, value),
                    format!("actie '{id}': {field} is leeg"),
                );
            }
        }
        let mut gemeenten = Vec::new();
        for g in &ra.gemeenten {
            match gemeente(g.get_ref()) {
                Ok(code) if gemeenten.contains(&code) => err(
                    line_of(text, g),
                    format!("actie '{id}': gemeente {code} staat twee keer in gemeenten"),
                ),
                Ok(code) => gemeenten.push(code),
                Err(e) => err(line_of(text, g), format!("actie '{id}': {e}")),
            }
        }
        let mut status: Vec<Status> = Vec::new();
        for rs in &ra.status {
            let sline = line_of(text, &rs.gemeente);
            let betreft = match rs.gemeente.get_ref().as_str() {
                "regio" => Some(Betreft::Regio),
                s => match gemeente(s) {
                    Ok(code) if !gemeenten.is_empty() && !gemeenten.contains(&code) => {
                        err(
                            sline,
                            format!(
                                "actie '{id}': status voor {code}, maar de actie geldt alleen voor de gemeenten in 'gemeenten'"
                            ),
                        );
                        None
                    }
                    Ok(code) => Some(Betreft::Gemeente(code)),
                    Err(e) => {
                        err(
                            sline,
                            format!("actie '{id}': {e} (of \"regio\" voor de hele regio)"),
                        );
                        None
                    }
                },
            };
            let stand = Stand::parse(rs.stand.get_ref());
            if stand.is_none() {
                err(
                    line_of(text, &rs.stand),
                    format!(
                        "actie '{id}': onbekende stand '{}' (kies uit: {})",
                        rs.stand.get_ref(),
                        Stand::ALL.map(Stand::key).join(", ")
                    ),
                );
            }
            let date = peildatum(rs.peildatum.get_ref())
                .map_err(|e| err(line_of(text, &rs.peildatum), format!("actie '{id}': {e}")))
                .ok();
            let sherkomst = herkomst_of(&rs.bron, &rs.aanname)
                .map_err(|m| err(sline, format!("actie '{id}', status: {m}")))
                .ok();
            if let (Some(betreft), Some(stand), Some(peildatum), Some(herkomst)) =
                (betreft, stand, date, sherkomst)
            {
                if status
                    .iter()
                    .any(|s| s.betreft == betreft && s.peildatum == peildatum)
                {
                    err(
                        sline,
                        format!(
                            "actie '{id}': twee statussen voor {} op peildatum {peildatum}",
                            wie(betreft)
                        ),
                    );
                }
                status.push(Status {
                    betreft,
                    stand,
                    toelichting: rs.toelichting.trim().to_owned(),
                    peildatum,
                    herkomst,
                    line: sline,
                });
            }
        }
        let herkomst = herkomst.unwrap_or_else(|| Herkomst::Aanname(String::new()));
        out.push(Actie {
            id,
            thema: ra.thema.into_inner().trim().to_owned(),
            titel: ra.titel.into_inner().trim().to_owned(),
            bron: herkomst.to_string(),
            herkomst,
            verantwoordelijk: ra
                .verantwoordelijk
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty()),
            gemeenten,
            status,
            line,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn wie(b: Betreft) -> String {
    match b {
        Betreft::Regio => "de regio".to_owned(),
        Betreft::Gemeente(g) => g.to_string(),
    }
}

/// Errors for gemeenten in `acties` that are not members of `profile`, with their lines.
pub fn check_members(acties: &[Actie], profile: &RegionProfile) -> Vec<ProfileError> {
    let mut errors = Vec::new();
    for a in acties {
        for g in &a.gemeenten {
            if profile.gemeente(*g).is_none() {
                errors.push(ProfileError {
                    line: a.line,
                    message: format!(
                        "actie '{}': gemeente {g} hoort niet bij {}",
                        a.id, profile.name
                    ),
                });
            }
        }
        for s in &a.status {
            if let Betreft::Gemeente(g) = s.betreft
                && profile.gemeente(g).is_none()
            {
                errors.push(ProfileError {
                    line: s.line,
                    message: format!(
                        "actie '{}': gemeente {g} hoort niet bij {}",
                        a.id, profile.name
                    ),
                });
            }
        }
    }
    errors
}

/// Region id and text of each built-in actions file (`regions/acties/*.toml`).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "nijmegen-rivierenland",
        include_str!("../../../regions/acties/nijmegen-rivierenland.toml"),
    ),
    (
        "centraal-gelderland",
        include_str!("../../../regions/acties/centraal-gelderland.toml"),
    ),
    (
        "meierij-bommelerwaard",
        include_str!("../../../regions/acties/meierij-bommelerwaard.toml"),
    ),
    (
        "drechtsteden",
        include_str!("../../../regions/acties/drechtsteden.toml"),
    ),
];

/// The built-in actions of the region with this id; empty for a region without a built-in
/// file.
///
/// # Panics
///
/// When a built-in file is invalid (the tests below rule that out).
pub fn builtin(region_id: &str) -> Vec<Actie> {
    BUILTIN
        .iter()
        .find(|(id, _)| *id == region_id)
        .map(|(id, text)| {
            parse(text).unwrap_or_else(|e| {
                panic!(
                    "built-in actions of {id} are invalid: {}",
                    e.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Stands recorded in the app (issue 12), on top of the file

/// Who coordinates a region's agreed actions and may record their stand in the app: a
/// beleidsmedewerker of the region's **centrumgemeente** (the gemeente that holds the
/// region's BW/MO budget and chairs the regional consultation, DOMAIN.md §1), and the system.
/// Everyone else who sees the monitor reads the actions only. A decision of ours (the seeds
/// name a regiegroep or PFO, not a role in an information system); one predicate, so a region
/// that appoints someone else changes it here.
pub fn may_update(actor: &crate::Actor, profile: &RegionProfile) -> bool {
    use crate::{Organisation, Role};
    match actor.role {
        Role::Systeem => true,
        Role::Beleidsmedewerker => {
            actor.organisation == Organisation::Gemeente(profile.centrumgemeente)
        }
        _ => false,
    }
}

/// Earliest peildatum of a stand recorded in the app: 2015-01-01, when beschermd wonen and
/// maatschappelijke opvang came to the gemeenten (Wmo 2015); no agreed action is older.
pub fn earliest_peildatum() -> Date {
    Date::from_ymd(2015, 1, 1).expect("a date")
}

/// A stand recorded in the app by the region's coordinator (stored in `actie_stand`,
/// migration 0009), with who recorded it and when: the history shown on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vastlegging {
    /// The action's id in the region's file.
    pub actie: String,
    /// The region as a whole or one gemeente.
    pub betreft: Betreft,
    /// The stand.
    pub stand: Stand,
    /// The date the stand applies to.
    pub peildatum: Date,
    /// The coordinator's note (may be empty).
    pub toelichting: String,
    /// Login of who recorded it.
    pub door: String,
    /// Display name of who recorded it.
    pub door_naam: String,
    /// When it was recorded: `dd-mm-jjjj uu:mm` Dutch time (the store keeps the instant).
    pub op: String,
}

/// The key of [`Betreft`] in forms and storage: `regio` or the gemeente code.
pub fn betreft_key(b: Betreft) -> String {
    match b {
        Betreft::Regio => "regio".to_owned(),
        Betreft::Gemeente(g) => g.to_string(),
    }
}

/// One field of an update form that is not valid: the field's name and a Dutch message.
pub type VeldFout = (&'static str, String);

/// Check an update of action `actie_id` as submitted (`betreft`: `regio` or a gemeente code;
/// `stand`: a key of [`Stand`]; `peildatum`: `JJJJ-MM-DD`; `toelichting`: free text) on
/// `today`. Every invalid field is reported, each with a Dutch message.
#[allow(clippy::too_many_arguments)]
pub fn check_update(
    profile: &RegionProfile,
    acties: &[Actie],
    actie_id: &str,
    betreft: &str,
    stand: &str,
    peildatum: &str,
    toelichting: &str,
    today: Date,
) -> Result<(Betreft, Stand, Date, String), Vec<VeldFout>> {
    let mut fouten: Vec<VeldFout> = Vec::new();
    let Some(actie) = acties.iter().find(|a| a.id == actie_id) else {
        return Err(vec![(
            "actie",
            format!("Actie '{actie_id}' bestaat niet in deze regio."),
        )]);
    };
    let wie = match betreft.trim() {
        "regio" => Some(Betreft::Regio),
        s => match crate::ids::GemeenteCode::parse(s) {
            Ok(g) if profile.gemeente(g).is_some() && actie.geldt_voor(g) => {
                Some(Betreft::Gemeente(g))
            }
            Ok(_) => {
                fouten.push((
                    "betreft",
                    "Deze actie geldt niet voor die gemeente.".to_owned(),
                ));
                None
            }
            Err(_) => {
                fouten.push(("betreft", "Kies de regio of een gemeente.".to_owned()));
                None
            }
        },
    };
    let st = Stand::parse(stand.trim());
    if st.is_none() {
        fouten.push((
            "stand",
            format!(
                "Kies een stand: {}.",
                Stand::ALL.map(Stand::label).join(", ").to_lowercase()
            ),
        ));
    }
    let datum = match parse_datum(peildatum.trim()) {
        Ok(d) if d < earliest_peildatum() || d > today => {
            fouten.push((
                "peildatum",
                format!(
                    "De peildatum moet tussen {} en vandaag ({}) liggen.",
                    nl(earliest_peildatum()),
                    nl(today)
                ),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(()) if peildatum.trim().is_empty() => {
            fouten.push(("peildatum", "Vul de peildatum in.".to_owned()));
            None
        }
        Err(()) => {
            fouten.push((
                "peildatum",
                "Vul een geldige datum in, bijvoorbeeld 01-03-2026.".to_owned(),
            ));
            None
        }
    };
    let note = toelichting.trim().to_owned();
    if let Err(e) =
        crate::limits::check_text("toelichting", &note, crate::limits::MAX_TEXT_CHARS, true)
    {
        let msg = match e.code {
            "tekst.te_lang" => format!(
                "De toelichting is {} tekens; ten hoogste {} toegestaan.",
                note.chars().count(),
                crate::limits::MAX_TEXT_CHARS
            ),
            _ => "De toelichting bevat een niet-toegestaan teken (stuurteken of richtingsteken)."
                .to_owned(),
        };
        fouten.push(("toelichting", msg));
    }
    match (wie, st, datum) {
        (Some(w), Some(s), Some(d)) if fouten.is_empty() => Ok((w, s, d, note)),
        _ => Err(fouten),
    }
}

/// `dd-mm-jjjj`.
fn nl(d: Date) -> String {
    let (y, m, dd) = d.ymd();
    format!("{dd:02}-{m:02}-{y}")
}

/// A date as a form sends it: `JJJJ-MM-DD` (a date input) or `dd-mm-jjjj` (typed).
fn parse_datum(s: &str) -> Result<Date, ()> {
    if let Ok(d) = Date::parse(s) {
        return Ok(d);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => {
            let (d, m, y) = (
                d.parse().map_err(|_| ())?,
                m.parse().map_err(|_| ())?,
                y.parse().map_err(|_| ())?,
            );
            Date::from_ymd(y, m, d).ok_or(())
        }
        _ => Err(()),
    }
}

/// The actions with the stands recorded in the app added to their history (each as a
/// [`Status`] whose herkomst names who recorded it and when, line 0). The newest peildatum
/// is current, as for the file; on the same peildatum the later recording wins.
pub fn met_vastleggingen(mut acties: Vec<Actie>, v: &[Vastlegging]) -> Vec<Actie> {
    for x in v {
        if let Some(a) = acties.iter_mut().find(|a| a.id == x.actie) {
            a.status.push(Status {
                betreft: x.betreft,
                stand: x.stand,
                toelichting: x.toelichting.clone(),
                peildatum: x.peildatum,
                herkomst: Herkomst::Bron(format!("vastgelegd door {} op {}", x.door_naam, x.op)),
                line: 0,
            });
        }
    }
    acties
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RegionId;
    use crate::region::Regions;

    fn cg() -> RegionProfile {
        Regions::builtin()
            .get(&RegionId::parse("centraal-gelderland").unwrap())
            .unwrap()
            .clone()
    }

    #[test]
    fn only_a_beleidsmedewerker_of_the_centrumgemeente_coordinates() {
        use crate::{Actor, Organisation, Role};
        let p = cg();
        let a = |role, organisation| Actor {
            user: "x".into(),
            role,
            organisation,
        };
        let centrum = Organisation::Gemeente(p.centrumgemeente);
        assert!(may_update(&a(Role::Beleidsmedewerker, centrum.clone()), &p));
        let duiven = Organisation::Gemeente(GemeenteCode::parse("GM0226").unwrap());
        assert!(!may_update(&a(Role::Beleidsmedewerker, duiven), &p));
        assert!(!may_update(&a(Role::Wijkteam, centrum), &p));
        assert!(!may_update(
            &a(Role::Analist, Organisation::Regio(p.id.clone())),
            &p
        ));
        assert!(!may_update(
            &a(Role::Toegangsmedewerker, Organisation::Regio(p.id.clone())),
            &p
        ));
        assert!(!may_update(&a(Role::Auditor, Organisation::Vangnet), &p));
    }

    #[test]
    fn updates_are_checked_field_by_field_in_dutch() {
        let p = cg();
        let acties = builtin("centraal-gelderland");
        let today = Date::parse("2026-03-01").unwrap();
        let ok = check_update(
            &p,
            &acties,
            "DW-01",
            "GM0226",
            "gereed",
            "2026-02-15",
            " klaar ",
            today,
        )
        .unwrap();
        assert_eq!(
            ok,
            (
                Betreft::Gemeente(GemeenteCode::parse("GM0226").unwrap()),
                Stand::Gereed,
                Date::parse("2026-02-15").unwrap(),
                "klaar".to_owned()
            )
        );
        assert!(
            check_update(
                &p,
                &acties,
                "SAZ-1",
                "regio",
                "vertraagd",
                "15-02-2026",
                "",
                today
            )
            .is_ok()
        );
        let fields = |r: Result<_, Vec<VeldFout>>| -> Vec<&'static str> {
            r.unwrap_err().into_iter().map(|(f, _)| f).collect()
        };
        // Arnhem is not in Duiven and Westervoort's local plan.
        assert_eq!(
            fields(check_update(
                &p,
                &acties,
                "DW-01",
                "GM0202",
                "gereed",
                "2026-02-15",
                "",
                today
            )),
            ["betreft"]
        );
        assert_eq!(
            fields(check_update(
                &p,
                &acties,
                "DW-01",
                "GM0226",
                "klaar",
                "2026-03-02",
                &"x".repeat(2001),
                today
            )),
            ["stand", "peildatum", "toelichting"]
        );
        assert_eq!(
            fields(check_update(
                &p,
                &acties,
                "DW-01",
                "GM0226",
                "gereed",
                "2014-12-31",
                "a\u{202E}b",
                today
            )),
            ["peildatum", "toelichting"]
        );
        assert_eq!(
            fields(check_update(
                &p, &acties, "DW-01", "GM0226", "gereed", "", "", today
            )),
            ["peildatum"]
        );
        assert_eq!(
            fields(check_update(
                &p,
                &acties,
                "XX-9",
                "regio",
                "gereed",
                "2026-01-01",
                "",
                today
            )),
            ["actie"]
        );
        let e = check_update(
            &p,
            &acties,
            "DW-01",
            "GM0226",
            "gereed",
            "2026-03-02",
            "",
            today,
        )
        .unwrap_err();
        assert_eq!(
            e[0].1,
            "De peildatum moet tussen 01-01-2015 en vandaag (01-03-2026) liggen."
        );
    }

    #[test]
    fn recorded_stands_become_the_current_stand_with_who_and_when() {
        let acties = builtin("centraal-gelderland");
        let duiven = Betreft::Gemeente(GemeenteCode::parse("GM0226").unwrap());
        let before = acties
            .iter()
            .find(|a| a.id == "DW-01")
            .unwrap()
            .stand(duiven);
        let v = Vastlegging {
            actie: "DW-01".into(),
            betreft: duiven,
            stand: Stand::Vertraagd,
            peildatum: Date::parse("2026-02-15").unwrap(),
            toelichting: "wacht op de corporatie".into(),
            door: "beleidsmedewerker".into(),
            door_naam: "Mark de Graaf".into(),
            op: "16-02-2026 10:15".into(),
        };
        let after = met_vastleggingen(acties, std::slice::from_ref(&v));
        let a = after.iter().find(|a| a.id == "DW-01").unwrap();
        assert_ne!(before, Stand::Vertraagd);
        assert_eq!(a.stand(duiven), Stand::Vertraagd);
        let s = a.actueel(duiven).unwrap();
        assert_eq!(
            s.herkomst.tekst(),
            "vastgelegd door Mark de Graaf op 16-02-2026 10:15"
        );
        assert_eq!(
            a.historie(duiven).len(),
            2,
            "the file's stand stays in the history"
        );
    }

    #[test]
    fn the_builtin_files_parse_and_name_only_member_gemeenten() {
        let regions = Regions::builtin();
        for (id, text) in BUILTIN {
            let acties = parse(text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            let profile = regions.get(&RegionId::parse(id).unwrap()).unwrap();
            assert_eq!(check_members(&acties, profile), vec![], "{id}");
            assert_eq!(builtin(id), acties);
            for a in &acties {
                assert!(
                    !a.bron.is_empty() && a.bron.contains("seed 00"),
                    "{id} {}",
                    a.id
                );
                assert_eq!(a.bron, a.herkomst.to_string());
                for s in &a.status {
                    assert!(
                        !s.herkomst.tekst().is_empty(),
                        "{id} {} line {}",
                        a.id,
                        s.line
                    );
                }
            }
        }
        assert!(builtin("bestaat-niet").is_empty());
    }

    #[test]
    fn the_25_proposals_of_samen_dichtbij_in_6_themes() {
        let acties = builtin("nijmegen-rivierenland");
        let ids: Vec<&str> = acties.iter().map(|a| a.id.as_str()).collect();
        let expected: Vec<String> = (1..=25).map(|n| format!("SD-{n:02}")).collect();
        assert_eq!(ids, expected);
        assert_eq!(
            themas(&acties),
            [
                "1. Een sluitend netwerk",
                "2. Wonen",
                "3. Werk en dagbesteding",
                "4. Maatschappelijke participatie en sociaal netwerk",
                "5. Inkomen en schuldhulpverlening",
                "6. (Overige) organisatorische onderwerpen",
            ]
        );
        let count = |t: &str| acties.iter().filter(|a| a.thema.starts_with(t)).count();
        assert_eq!(
            [
                count("1."),
                count("2."),
                count("3."),
                count("4."),
                count("5."),
                count("6.")
            ],
            [13, 1, 3, 2, 3, 3]
        );
        for a in &acties {
            let n: u32 = a.id[3..].parse().unwrap();
            assert!(a.bron.contains("000_74878d9276aeb8ca.txt"), "{}", a.id);
            assert!(
                a.bron.contains(&format!("voorstel {n} ")),
                "{}: {}",
                a.id,
                a.bron
            );
        }
        let sd03 = &acties[2];
        assert!(sd03.titel.starts_with("Centraal coördinatiepunt"));
        // Seed 000 describes one central access point for the whole region, not one per
        // sub-regio, and only that "actie is ondernomen": not gereed (issue 10 §4).
        assert_eq!(sd03.stand(Betreft::Regio), Stand::InUitvoering);
        assert_eq!(acties[8].stand(Betreft::Regio), Stand::InUitvoering);
        assert!(acties[8].titel.contains("sub-regio"));
        let nijmegen = GemeenteCode::parse("GM0268").unwrap();
        assert_eq!(sd03.stand(Betreft::Gemeente(nijmegen)), Stand::Onbekend);
        // "Iedere gemeente heeft een of meerdere contactpersonen": all 13, gereed.
        let sd20 = &acties[19];
        let profile = Regions::builtin();
        let p = profile
            .get(&RegionId::parse("nijmegen-rivierenland").unwrap())
            .unwrap();
        for g in &p.gemeenten {
            assert_eq!(sd20.stand(Betreft::Gemeente(g.code)), Stand::Gereed);
        }
    }

    #[test]
    fn local_actions_of_duiven_and_westervoort_and_history() {
        let acties = builtin("centraal-gelderland");
        let duiven = GemeenteCode::parse("GM0226").unwrap();
        let arnhem = GemeenteCode::parse("GM0202").unwrap();
        let dw: Vec<&Actie> = acties.iter().filter(|a| a.id.starts_with("DW-")).collect();
        assert_eq!(dw.len(), 34);
        assert!(
            dw.iter()
                .all(|a| a.geldt_voor(duiven) && !a.geldt_voor(arnhem))
        );
        let saz3 = acties.iter().find(|a| a.id == "SAZ-3").unwrap();
        assert_eq!(saz3.historie(Betreft::Regio).len(), 2);
        assert_eq!(saz3.stand(Betreft::Regio), Stand::InUitvoering);
        assert_eq!(
            saz3.actueel(Betreft::Regio).unwrap().peildatum,
            Date::parse("2024-01-01").unwrap()
        );
    }

    #[test]
    fn every_error_has_its_line() {
        let text = r#"
[[acties]]
id = "A-1"
thema = "Wonen"
titel = "Iets"
bron = "seed"
gemeenten = ["GM0226", "GM12"]

[[acties.status]]
gemeente = "GM0226"
stand = "klaar"
peildatum = "2024-13-01"
bron = "seed"

[[acties.status]]
gemeente = "GM9999"
stand = "gereed"
peildatum = 2024-01-01
bron = "seed"

[[acties.status]]
gemeente = "GM0202"
stand = "gereed"
peildatum = "2024-01-01"
bron = "seed"

[[acties]]
id = "A-1"
thema = ""
titel = "Nog iets"
bron = "seed"

[[acties.status]]
gemeente = "regio"
stand = "gepland"
peildatum = "2024-01-01"
bron = "seed"

[[acties.status]]
gemeente = "regio"
stand = "gereed"
peildatum = 2024-01-01
aanname = "gelezen uit de seed"

[[acties]]
id = "A-2"
thema = "Wonen"
titel = "Zonder herkomst"

[[acties.status]]
gemeente = "regio"
stand = "gepland"
peildatum = "2024-02-01"
bron = "seed"
aanname = "ook"
"#;
        let errs = parse(text).unwrap_err();
        let line_of = |needle: &str, nth: usize| {
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.contains(needle))
                .nth(nth)
                .unwrap()
                .0
                + 1
        };
        let find = |part: &str| {
            errs.iter()
                .find(|e| e.message.contains(part))
                .unwrap_or_else(|| panic!("no error about {part}: {errs:?}"))
        };
        assert_eq!(find("'GM12'").line, line_of("GM12", 0));
        assert_eq!(find("onbekende stand 'klaar'").line, line_of("klaar", 0));
        assert_eq!(find("'2024-13-01'").line, line_of("2024-13-01", 0));
        assert_eq!(find("GM9999 is onbekend").line, line_of("GM9999", 0));
        assert_eq!(find("status voor GM0202").line, line_of("\"GM0202\"", 0));
        assert_eq!(
            find("twee keer in het bestand").line,
            line_of("id = \"A-1\"", 1)
        );
        assert_eq!(find("thema is leeg").line, line_of("thema = \"\"", 0));
        assert_eq!(
            find("twee statussen voor de regio").line,
            line_of("gemeente = \"regio\"", 1)
        );
        assert_eq!(
            find("actie 'A-2': bron of aanname ontbreekt").line,
            line_of("id = \"A-2\"", 0)
        );
        assert_eq!(
            find("actie 'A-2', status: zowel bron als aanname").line,
            line_of("peildatum = \"2024-02-01\"", 0) - 2
        );
        assert_eq!(errs.len(), 10, "{errs:?}");
        assert!(errs.iter().all(|e| e.line > 0));
    }

    #[test]
    fn unknown_keys_and_syntax_errors_have_lines() {
        let text = "[[acties]]\nid = \"A\"\nthema = \"T\"\ntitel = \"X\"\nbron = \"b\"\nkleur = \"blauw\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 6, "{errs:?}");
        assert!(errs[0].message.contains("kleur"), "{errs:?}");
        let text = "[[acties]]\nid = \"A\"\nthema = \"T\"\ntitel = \"X\"\nbron = \"b\"\n\n[[acties.status]]\ngemeente = \"regio\"\nstand = \"gepland\"\npeildatum = \"2024-01-01\"\ndoor = \"iemand\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs[0].line, 11, "{errs:?}");
        assert!(errs[0].message.contains("door"), "{errs:?}");
        let errs = parse("acties = [\n").unwrap_err();
        assert!(errs[0].line > 0, "{errs:?}");
        assert_eq!(parse("acties = []\n").unwrap(), vec![]);
        assert_eq!(parse("# leeg\n").unwrap(), vec![]);
    }

    #[test]
    fn stand_keys_and_labels() {
        for s in Stand::ALL {
            assert_eq!(Stand::parse(s.key()), Some(s));
        }
        assert_eq!(Stand::InUitvoering.label(), "In uitvoering");
        assert_eq!(Stand::parse("klaar"), None);
    }
}
