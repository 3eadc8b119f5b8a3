//! Tariffs a region entered on screen (issue 13; table `tarief`, migration 0012 in both
//! engines), next to the tariffs of the finance profile (`regions/geld/<regio>.toml`, the
//! model's). Not client data. The rules both engines share live here, the engines only move
//! rows:
//!
//! - who may record ([`decide`]): an analyst of the region or of one of its gemeenten
//!   ([`vangnet_domain::access::may_enter_tariffs_of`], the money pages' rule), or the system
//!   (a command-line job); anyone else is refused with [`StoreError::Denied`] — and
//!   every decision, a refusal too, is one access-log row (action [`ACTION`], no client)
//!   written in the same transaction as the tariff;
//! - the checks: the region exists, the product is one of its products, the amount is
//!   positive, the period starts on the first of a month and does not end before it, hours
//!   per week only (and always) with a tariff per hour, the herkomst's text non-empty and
//!   within the text limits; then the model's validation ([`Tarieven::new`]) of the region's
//!   stored tariffs and the new one together (an overlapping period is refused with the
//!   model's Dutch error). An entered tariff may overlap the finance profile's: it takes
//!   over for its own period ([`all_tariffs`], the rule the CLI, the web and the benchmark
//!   price with);
//! - **a repeated identical submit records nothing** ([`Vastlegging::AlVastgelegd`]): a
//!   double click on the form must not create two rows. The check reads the stored rows
//!   under the engine's writer lock, and a unique index over every column of the tariff
//!   (migration 0012) is the backstop;
//! - append-only: a tariff is never changed or deleted (triggers refuse UPDATE and DELETE);
//!   a new price is a new period.
//!
//! [`story`] is the test every engine runs.

use vangnet_domain::events::Leveringsvorm;
use vangnet_domain::region::Herkomst;
use vangnet_domain::{Date, ProductCode, RegionId, Regions, Role};
use vangnet_money::{Cents, Eenheid, GeldError, Tarief, Tarieven};

use crate::gate::{AccessEntry, AccessGate};
use crate::{StoreError, StoreResult};

/// The access-log action of recording a tariff.
pub const ACTION: &str = "tarief_vastleggen";

/// A tariff as the region entered it, with who and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTarief {
    /// The tariff.
    pub tarief: Tarief,
    /// Login of who recorded it (for a command-line job: the person who started it).
    pub door: String,
    /// When (RFC 3339, UTC), set by the engine from the store's clock.
    pub vastgelegd_op: String,
}

/// What recording in an append-only register did ([`crate::Store::record_tariff`], and the
/// capacity periods and free-place reports of [`crate::plaatsen`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vastlegging {
    /// A new row.
    Nieuw,
    /// The same was already stored (a repeated submit): nothing written but the log row.
    AlVastgelegd,
}

/// The stored columns of a tariff (both engines, same names as the table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariefRow {
    /// Region id.
    pub region: String,
    /// Product code.
    pub product: String,
    /// `ZIN` or `PGB`.
    pub leveringsvorm: String,
    /// [`eenheid_key`].
    pub eenheid: String,
    /// Amount in cents.
    pub bedrag_cent: i64,
    /// First day `JJJJ-MM-DD`.
    pub van: String,
    /// Last day `JJJJ-MM-DD`, inclusive (`None`: open-ended).
    pub tot: Option<String>,
    /// Hours per week × 100 (only for a tariff per hour).
    pub uren_per_week_x100: Option<i64>,
    /// `bron` or `aanname`.
    pub herkomst_soort: String,
    /// The source or the reason.
    pub herkomst_tekst: String,
    /// Login of who recorded it.
    pub user_id: String,
    /// RFC 3339, UTC.
    pub recorded_at: String,
}

/// The stored key of a unit.
pub fn eenheid_key(e: Eenheid) -> &'static str {
    match e {
        Eenheid::Dag => "dag",
        Eenheid::Week => "week",
        Eenheid::Maand => "maand",
        Eenheid::Uur => "uur",
        Eenheid::Nacht => "nacht",
    }
}

/// The unit of a stored key.
pub fn eenheid_of(key: &str) -> Option<Eenheid> {
    [
        Eenheid::Dag,
        Eenheid::Week,
        Eenheid::Maand,
        Eenheid::Uur,
        Eenheid::Nacht,
    ]
    .into_iter()
    .find(|e| eenheid_key(*e) == key)
}

fn leveringsvorm_key(l: Leveringsvorm) -> &'static str {
    match l {
        Leveringsvorm::Zin => "ZIN",
        Leveringsvorm::Pgb => "PGB",
    }
}

impl TariefRow {
    /// The row of `tarief` for `region` (`user_id`, `recorded_at` filled in by the engine).
    pub fn of(region: &RegionId, tarief: &Tarief, user_id: &str, recorded_at: &str) -> TariefRow {
        let (soort, tekst) = match &tarief.herkomst {
            Herkomst::Bron(t) => ("bron", t.clone()),
            Herkomst::Aanname(t) => ("aanname", t.clone()),
        };
        TariefRow {
            region: region.to_string(),
            product: tarief.product.to_string(),
            leveringsvorm: leveringsvorm_key(tarief.leveringsvorm).to_owned(),
            eenheid: eenheid_key(tarief.eenheid).to_owned(),
            bedrag_cent: tarief.bedrag.get(),
            van: tarief.van.to_string(),
            tot: tarief.tot.map(|d| d.to_string()),
            uren_per_week_x100: tarief.uren_per_week_x100.map(i64::from),
            herkomst_soort: soort.to_owned(),
            herkomst_tekst: tekst,
            user_id: user_id.to_owned(),
            recorded_at: recorded_at.to_owned(),
        }
    }

    /// The stored tariff of this row; [`StoreError::Backend`] for a row that does not parse
    /// (never written by [`decide`]d code).
    pub fn stored(&self) -> StoreResult<StoredTarief> {
        let bad = |what: &str| {
            StoreError::Backend(format!(
                "tarief van {} ({}): {what} onleesbaar",
                self.region, self.product
            ))
        };
        let date = |s: &str| Date::parse(s).map_err(|_| bad("datum"));
        let tarief = Tarief {
            product: ProductCode::parse(&self.product).map_err(|_| bad("product"))?,
            leveringsvorm: match self.leveringsvorm.as_str() {
                "ZIN" => Leveringsvorm::Zin,
                "PGB" => Leveringsvorm::Pgb,
                _ => return Err(bad("leveringsvorm")),
            },
            eenheid: eenheid_of(&self.eenheid).ok_or_else(|| bad("eenheid"))?,
            bedrag: Cents(self.bedrag_cent),
            van: date(&self.van)?,
            tot: self.tot.as_deref().map(date).transpose()?,
            uren_per_week_x100: self
                .uren_per_week_x100
                .map(|u| u32::try_from(u).map_err(|_| bad("uren per week")))
                .transpose()?,
            herkomst: match self.herkomst_soort.as_str() {
                "bron" => Herkomst::Bron(self.herkomst_tekst.clone()),
                "aanname" => Herkomst::Aanname(self.herkomst_tekst.clone()),
                _ => return Err(bad("herkomst")),
            },
        };
        Ok(StoredTarief {
            tarief,
            door: self.user_id.clone(),
            vastgelegd_op: self.recorded_at.clone(),
        })
    }
}

/// Whether `gate`'s actor may record tariffs of `region`: the rule of the money pages,
/// [`vangnet_domain::access::may_enter_tariffs_of`] (an analyst of the region or of one of its
/// gemeenten), or the system. An unknown region: no one.
pub fn may_record(gate: &AccessGate, regions: &Regions, region: &RegionId) -> bool {
    let a = gate.actor();
    a.role == Role::Systeem
        || regions
            .get(region)
            .is_some_and(|p| vangnet_domain::access::may_enter_tariffs_of(a, p))
}

/// The checks of one tariff on its own (region, product, amount, period, hours, herkomst).
pub fn check_tarief(regions: &Regions, region: &RegionId, t: &Tarief) -> StoreResult<()> {
    let invalid = |m: String| Err(StoreError::Invalid(m));
    let Some(profile) = regions.get(region) else {
        return invalid(format!("regio: '{region}' bestaat niet"));
    };
    if profile.product(&t.product).is_none() {
        return invalid(format!(
            "product: '{}' is geen product van {}",
            t.product, profile.name
        ));
    }
    if t.bedrag.get() <= 0 {
        return invalid("bedrag: een tarief is groter dan € 0,00".into());
    }
    if t.van.ymd().2 != 1 {
        return invalid(format!(
            "van: een tariefperiode begint op de eerste van een maand, niet op {}",
            t.van
        ));
    }
    if let Some(tot) = t.tot
        && tot < t.van
    {
        return invalid(format!(
            "tot: {tot} ligt vóór het begin van de periode ({})",
            t.van
        ));
    }
    match (t.eenheid, t.uren_per_week_x100) {
        (Eenheid::Uur, None | Some(0)) => {
            return invalid(
                "uren per week: vul bij een uurtarief het aantal uren per week in".into(),
            );
        }
        (Eenheid::Uur, Some(u)) if u > 168 * 100 => {
            return invalid("uren per week: een week heeft 168 uur".into());
        }
        (Eenheid::Uur, Some(_)) => {}
        (_, Some(_)) => {
            return invalid("uren per week: alleen bij een uurtarief".into());
        }
        (_, None) => {}
    }
    let tekst = t.herkomst.tekst();
    if tekst.trim().is_empty() {
        return invalid(
            "herkomst: noem de bron van het tarief of waarom het een aanname is".into(),
        );
    }
    vangnet_domain::limits::check_text(
        "herkomst",
        tekst,
        vangnet_domain::limits::MAX_TEXT_CHARS,
        false,
    )
    .map_err(|e| StoreError::Invalid(format!("herkomst: {}", e.message)))?;
    Ok(())
}

/// The finance profile's tariffs of `region` (the shipped `regions/geld/<regio>.toml`), with
/// their lines; none for a region without one. A shipped profile that does not parse is the
/// model's error.
pub fn profile_tariffs(
    region: &vangnet_domain::region::RegionProfile,
) -> Result<Vec<(Tarief, usize)>, GeldError> {
    match vangnet_money::profiel::builtin_text(&region.id) {
        None => Ok(Vec::new()),
        Some(text) => Ok(vangnet_money::FinanceProfile::parse(text, region)?
            .tarieven
            .items()
            .to_vec()),
    }
}

/// Lines of entered tariffs in the model's messages: after every profile line.
pub const ENTERED_LINE: usize = 10_000;

/// The period `p` without the periods `minus`: the pieces before, between and after them,
/// in order. Periods are whole months (a tariff's start is the 1st, its end a month's last
/// day — the model checks both), so every piece is too.
fn subtract(p: (Date, Option<Date>), minus: &[(Date, Option<Date>)]) -> Vec<(Date, Option<Date>)> {
    let mut pieces = vec![p];
    for &(mv, mt) in minus {
        let mut next = Vec::new();
        for (v, t) in pieces {
            if v < mv {
                let end = mv.add_days(-1);
                next.push((v, Some(t.map_or(end, |t| t.min(end)))));
            }
            if let Some(mt) = mt {
                let start = mt.add_days(1);
                if t.is_none_or(|t| t >= start) {
                    next.push((v.max(start), t));
                }
            }
        }
        pieces = next;
    }
    pieces.sort();
    pieces
}

/// All tariffs of a region as the model prices with them ([`Tarieven::new`]): a tariff the
/// region entered takes over from the finance profile's tariff of the same product and
/// leveringsvorm **for its own period** — the profile's period keeps only the months before
/// and after it — and the entered tariffs follow the profile's, numbered from
/// [`ENTERED_LINE`] in the order they were entered. The same rule as the money pages
/// (`vangnet-web`'s `geld_bron`); what `vangnet geld` and the benchmark price with.
pub fn all_tariffs(
    region: &vangnet_domain::region::RegionProfile,
    profile: &[(Tarief, usize)],
    stored: &[StoredTarief],
) -> Result<Tarieven, GeldError> {
    let mut items: Vec<(Tarief, usize)> = Vec::new();
    for (t, line) in profile {
        let entered: Vec<(Date, Option<Date>)> = stored
            .iter()
            .filter(|s| s.tarief.product == t.product && s.tarief.leveringsvorm == t.leveringsvorm)
            .map(|s| (s.tarief.van, s.tarief.tot))
            .collect();
        for (van, tot) in subtract((t.van, t.tot), &entered) {
            items.push((
                Tarief {
                    van,
                    tot,
                    ..t.clone()
                },
                *line,
            ));
        }
    }
    items.extend(
        stored
            .iter()
            .enumerate()
            .map(|(i, s)| (s.tarief.clone(), ENTERED_LINE + i)),
    );
    Tarieven::new(items, region)
}

/// The model's validation of the tariffs a region entered — the stored ones and `new`
/// together ([`Tarieven::new`] against the region profile): an overlapping period of one
/// product and leveringsvorm, an hourly tariff without hours, a night tariff for a product
/// that is not MO, a period not ending on a month's last day is refused with the model's
/// message. (Overlap with the finance profile is not an error: the entered tariff takes
/// over for its period, [`all_tariffs`].)
pub fn check_together(
    region: &vangnet_domain::region::RegionProfile,
    stored: &[StoredTarief],
    new: &Tarief,
) -> StoreResult<()> {
    let items = stored
        .iter()
        .map(|s| s.tarief.clone())
        .chain(std::iter::once(new.clone()))
        .enumerate()
        .map(|(i, t)| (t, ENTERED_LINE + i))
        .collect();
    Tarieven::new(items, region)
        .map(|_| ())
        .map_err(|e| StoreError::Invalid(e.bericht))
}

/// Decide on recording `tarief` for `region`, given the region's stored tariffs: the
/// access-log row (written by the engine in the same transaction, a refusal's too) and the
/// verdict — [`Vastlegging::Nieuw`] (insert the row), [`Vastlegging::AlVastgelegd`] (the same
/// tariff is stored: insert nothing), or the refusal.
pub fn decide(
    gate: &AccessGate,
    regions: &Regions,
    region: &RegionId,
    tarief: &Tarief,
    stored: &[StoredTarief],
) -> (AccessEntry, StoreResult<Vastlegging>) {
    let what = format!(
        "tarief {} {} {} per {} vanaf {}",
        region,
        tarief.product,
        leveringsvorm_key(tarief.leveringsvorm),
        eenheid_key(tarief.eenheid),
        tarief.van
    );
    if !may_record(gate, regions, region) {
        let reason = format!("alleen een analist van {region} legt tarieven van de regio vast");
        let mut entry = gate.note_refused(ACTION, reason.clone());
        entry.purpose = format!("{}: {what}", entry.purpose);
        return (entry, Err(StoreError::Denied(reason)));
    }
    let verdict = check_tarief(regions, region, tarief).and_then(|()| {
        if stored.iter().any(|s| s.tarief == *tarief) {
            Ok(Vastlegging::AlVastgelegd)
        } else {
            let profile = regions.get(region).expect("checked by check_tarief");
            check_together(profile, stored, tarief).map(|()| Vastlegging::Nieuw)
        }
    });
    let reason = match &verdict {
        Ok(Vastlegging::Nieuw) => "tarief vastgelegd".to_owned(),
        Ok(Vastlegging::AlVastgelegd) => "tarief was al vastgelegd; niets gewijzigd".to_owned(),
        Err(e) => format!("tarief afgewezen: {e}"),
    };
    let mut entry = gate.note(ACTION, reason);
    entry.purpose = format!("{}: {what}", entry.purpose);
    (entry, verdict)
}

/// The story every engine runs: an analyst of the region records a tariff (read back with
/// who and when), a repeated identical submit writes no second row, an overlapping period is
/// refused with the model's error, other roles and another region's analyst are refused and
/// write nothing, a malformed tariff is refused, the system may record, every decision is an
/// access-log row, other regions see none of it, and the table refuses UPDATE and DELETE
/// (`raw` runs SQL on the store's database directly).
pub fn story(store: &dyn crate::Store, raw: &dyn Fn(&str) -> Result<(), String>) {
    use vangnet_domain::{Actor, GemeenteCode, Organisation};
    let cg = RegionId::parse("centraal-gelderland").expect("id");
    let ds = RegionId::parse("drechtsteden").expect("id");
    // The finance profile prices this product (ZIN and PGB), open-ended.
    let product = ProductCode::parse("bw-beschermd-wonen").expect("code");
    let profile = store.regions().get(&cg).expect("built-in region").clone();
    assert!(
        profile_tariffs(&profile)
            .expect("the shipped profile parses")
            .iter()
            .any(|(t, _)| t.product == product && t.tot.is_none()),
        "the story assumes an open-ended profile tariff for {product}"
    );
    let analist = AccessGate::new(
        Actor {
            user: "analist-cg".into(),
            role: Role::Analist,
            organisation: Organisation::Regio(cg.clone()),
        },
        "tarieven beheren",
    );
    let d = |s: &str| Date::parse(s).expect("date");
    let tarief = |bedrag: i64, van: &str, tot: Option<&str>| Tarief {
        product: product.clone(),
        leveringsvorm: Leveringsvorm::Zin,
        eenheid: Eenheid::Dag,
        bedrag: Cents(bedrag),
        van: d(van),
        tot: tot.map(d),
        uren_per_week_x100: None,
        herkomst: Herkomst::Bron("raadsbesluit tarieven 2026 (fictief)".into()),
    };
    let log_rows = |store: &dyn crate::Store| {
        store
            .access_log(&AccessGate::system("test"), 100_000)
            .expect("log")
            .into_iter()
            .filter(|e| e.action == ACTION)
            .count()
    };
    assert_eq!(store.tariffs(&cg).expect("read"), vec![]);
    assert_eq!(log_rows(store), 0);

    let t2025 = tarief(12_345, "2022-01-01", Some("2022-12-31"));
    assert_eq!(
        store
            .record_tariff(&analist, &cg, &t2025)
            .expect("the analyst records"),
        Vastlegging::Nieuw
    );
    // A double click: the same tariff again is accepted and writes no second row.
    assert_eq!(
        store.record_tariff(&analist, &cg, &t2025).expect("again"),
        Vastlegging::AlVastgelegd
    );
    let got = store.tariffs(&cg).expect("read");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].tarief, t2025);
    assert_eq!(got[0].door, "analist-cg");
    assert!(
        got[0]
            .vastgelegd_op
            .parse::<vangnet_domain::clock::Timestamp>()
            .is_ok(),
        "{}",
        got[0].vastgelegd_op
    );
    // The next period; then one overlapping it is refused by the model.
    let t2026 = tarief(12_900, "2023-01-01", Some("2023-12-31"));
    assert_eq!(
        store
            .record_tariff(&analist, &cg, &t2026)
            .expect("next period"),
        Vastlegging::Nieuw
    );
    let overlap = tarief(13_000, "2022-06-01", Some("2022-12-31"));
    match store.record_tariff(&analist, &cg, &overlap) {
        Err(StoreError::Invalid(m)) => {
            let model = check_together(&profile, &store.tariffs(&cg).expect("read"), &overlap)
                .expect_err("the model refuses");
            assert_eq!(
                StoreError::Invalid(m.clone()).to_string(),
                model.to_string()
            );
        }
        other => panic!("overlap must be refused, got {other:?}"),
    }
    // The same period as PGB does not overlap the ZIN one.
    let pgb = Tarief {
        leveringsvorm: Leveringsvorm::Pgb,
        ..tarief(9_000, "2022-01-01", Some("2022-12-31"))
    };
    assert_eq!(
        store.record_tariff(&analist, &cg, &pgb).expect("pgb"),
        Vastlegging::Nieuw
    );
    // Malformed: not the first of a month, unknown product, zero amount, hours without
    // an hourly tariff, empty herkomst.
    let bad = [
        tarief(100, "2021-01-15", Some("2021-12-31")),
        Tarief {
            product: ProductCode::parse("bestaat-niet").expect("code"),
            ..tarief(100, "2021-01-01", Some("2021-12-31"))
        },
        tarief(0, "2021-01-01", Some("2021-12-31")),
        tarief(100, "2021-01-01", Some("2021-12-30")),
        Tarief {
            uren_per_week_x100: Some(400),
            ..tarief(100, "2021-01-01", Some("2021-12-31"))
        },
        Tarief {
            herkomst: Herkomst::Aanname("  ".into()),
            ..tarief(100, "2021-01-01", Some("2021-12-31"))
        },
    ];
    for b in &bad {
        assert!(
            matches!(
                store.record_tariff(&analist, &cg, b),
                Err(StoreError::Invalid(_))
            ),
            "{b:?}"
        );
    }
    // Other actors: refused, nothing written.
    for (who, role, org) in [
        (
            "bm",
            Role::Beleidsmedewerker,
            Organisation::Gemeente(GemeenteCode::parse("GM0202").expect("gm")),
        ),
        (
            "toegang",
            Role::Toegangsmedewerker,
            Organisation::Regio(cg.clone()),
        ),
        ("beheer", Role::Beheerder, Organisation::Vangnet),
        ("analist-ds", Role::Analist, Organisation::Regio(ds.clone())),
        (
            "analist-gm-ds",
            Role::Analist,
            Organisation::Gemeente(GemeenteCode::parse("GM0505").expect("gm")),
        ),
    ] {
        let g = AccessGate::new(
            Actor {
                user: who.into(),
                role,
                organisation: org,
            },
            "tarieven beheren",
        );
        assert!(
            matches!(
                store.record_tariff(&g, &cg, &tarief(100, "2030-01-01", None)),
                Err(StoreError::Denied(_))
            ),
            "{who}"
        );
    }
    // The system (a command-line job in a person's name) may.
    let job = AccessGate::job(
        Actor {
            user: "beheerder-cli".into(),
            role: Role::Beheerder,
            organisation: Organisation::Vangnet,
        },
        "tarief_vastleggen",
    );
    let t2030 = tarief(15_000, "2030-01-01", None);
    // 2030, open-ended: overlaps the finance profile's tariff, which it takes over from.
    assert_eq!(
        store.record_tariff(&job, &cg, &t2030).expect("system"),
        Vastlegging::Nieuw
    );
    let uur = Tarief {
        eenheid: Eenheid::Uur,
        uren_per_week_x100: Some(350),
        leveringsvorm: Leveringsvorm::Pgb,
        ..tarief(6_550, "2021-01-01", Some("2021-12-31"))
    };
    let pgb2030 = Tarief {
        leveringsvorm: Leveringsvorm::Pgb,
        ..tarief(9_300, "2023-01-01", Some("2023-12-31"))
    };
    assert_eq!(
        store.record_tariff(&job, &cg, &pgb2030).expect("system"),
        Vastlegging::Nieuw
    );
    // An analyst of one of the region's gemeenten (Arnhem) may too.
    let analist_arnhem = AccessGate::new(
        Actor {
            user: "analist-arnhem".into(),
            role: Role::Analist,
            organisation: Organisation::Gemeente(GemeenteCode::parse("GM0202").expect("gm")),
        },
        "tarieven beheren",
    );
    assert_eq!(
        store
            .record_tariff(&analist_arnhem, &cg, &uur)
            .expect("gemeente analyst"),
        Vastlegging::Nieuw
    );
    let got = store.tariffs(&cg).expect("read");
    assert_eq!(
        got.iter().map(|s| s.tarief.clone()).collect::<Vec<_>>(),
        vec![
            t2025.clone(),
            t2026.clone(),
            pgb.clone(),
            t2030.clone(),
            pgb2030.clone(),
            uur.clone()
        ]
    );
    assert_eq!(
        got[3].door, "beheerder-cli",
        "a job is stored in the name of who started it"
    );
    assert_eq!(got[5].door, "analist-arnhem");
    // What is priced: the entered tariffs take over from the profile's for their months.
    let priced = all_tariffs(&profile, &profile_tariffs(&profile).expect("profile"), &got)
        .expect("valid together");
    let m = |s: &str| vangnet_domain::Maand::parse(s).expect("month");
    let at = |lv, s: &str| {
        priced
            .zoek(&product, lv, m(s))
            .map(|t| t.bedrag)
            .expect("a tariff")
    };
    let profile_at = |s: &str| {
        profile_tariffs(&profile)
            .expect("profile")
            .into_iter()
            .map(|(t, _)| t)
            .find(|t| {
                t.product == product && t.leveringsvorm == Leveringsvorm::Zin && t.geldt_in(m(s))
            })
            .expect("the profile prices the month")
            .bedrag
    };
    assert_eq!(at(Leveringsvorm::Zin, "2021-12"), profile_at("2021-12"));
    assert_eq!(at(Leveringsvorm::Zin, "2022-05"), Cents(12_345));
    assert_eq!(at(Leveringsvorm::Zin, "2023-12"), Cents(12_900));
    assert_eq!(at(Leveringsvorm::Zin, "2024-05"), profile_at("2024-05"));
    assert_eq!(at(Leveringsvorm::Zin, "2029-12"), profile_at("2029-12"));
    assert_eq!(at(Leveringsvorm::Zin, "2031-01"), Cents(15_000));
    assert_eq!(at(Leveringsvorm::Pgb, "2023-06"), Cents(9_300));
    // Every decision is a log row: 6 new + 1 repeat + 1 overlap + 6 malformed + 5 refused.
    assert_eq!(log_rows(store), 6 + 1 + 1 + 6 + 5);
    let log = store
        .access_log(&AccessGate::system("test"), 100_000)
        .expect("log");
    let refused = log
        .iter()
        .filter(|e| e.action == ACTION && !e.allowed)
        .count();
    assert_eq!(refused, 5);
    assert!(
        log.iter()
            .filter(|e| e.action == ACTION)
            .all(|e| e.client.is_none())
    );
    assert_eq!(store.tariffs(&ds).expect("read"), vec![]);
    // Append-only.
    assert!(raw("UPDATE tarief SET bedrag_cent = 1").is_err());
    assert!(raw("DELETE FROM tarief").is_err());
    // The unique index: the same row twice cannot be inserted behind the check's back.
    assert!(
        raw(&format!(
            "INSERT INTO tarief (region, product, leveringsvorm, eenheid, bedrag_cent, van, tot, uren_per_week_x100, herkomst_soort, herkomst_tekst, user_id, recorded_at) \
             VALUES ('{cg}', '{product}', 'ZIN', 'dag', 12345, '2022-01-01', '2022-12-31', NULL, 'bron', 'raadsbesluit tarieven 2026 (fictief)', 'x', '2026-01-01T00:00:00Z')"
        ))
        .is_err()
    );
    assert_eq!(store.tariffs(&cg).expect("read"), got);
}
