//! The explained rules engine (DOMAIN.md §5): a region's eligibility criteria and
//! contra-indications come from its profile (`[[criteria]]`), not from code; evaluating a
//! case lists every rule as met / not met / unknown, with the fact it used and the profile
//! line it came from. The decision stays human: this is the advice and its basis.

use serde::{Deserialize, Serialize};

use crate::events::{Woonsituatie, ZRM_DOMAINS};
use crate::region::{Domain, Product, RegionProfile};

/// Which products a criterion applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CriterionDomain {
    /// Beschermd wonen.
    Bw,
    /// Maatschappelijke opvang.
    Mo,
    /// Vrouwenopvang.
    Vo,
    /// Every product.
    Alle,
}

impl CriterionDomain {
    fn covers(self, d: Domain) -> bool {
        matches!(
            (self, d),
            (CriterionDomain::Alle, _)
                | (CriterionDomain::Bw, Domain::Bw)
                | (CriterionDomain::Mo, Domain::Mo)
                | (CriterionDomain::Vo, Domain::Vo)
        )
    }
}

/// An eligibility requirement or a contra-indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CriterionKind {
    /// Eis: must be met.
    Eis,
    /// Contra-indicatie: must be absent.
    Contra,
}

/// The fixed set of tests a profile can use; each reads one fact of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// Age at least `n`.
    LeeftijdMinimaal(u32),
    /// Age between `min` and `max` inclusive (e.g. youth shelter 18–24).
    LeeftijdTussen(u32, u32),
    /// Dutch nationality or lawful residence.
    RechtmatigVerblijf,
    /// Evidence, diagnosis or suspicion of psychiatric problems.
    PsychischeProblematiek,
    /// Need for (24-hour) supervision nearby that ambulant support cannot give.
    ToezichtNodig,
    /// Problems (ZRM score ≤ `drempel`) on at least `n` life domains.
    ZrmDomeinen {
        /// Minimum number of domains.
        n: u32,
        /// Highest score that counts as a problem.
        drempel: u32,
    },
    /// Homeless or about to be.
    Dakloos,
    /// Contra: an acute (crisis) situation.
    AcuteCrisis,
    /// Contra: the Wlz applies (lifelong need).
    WlzVoorliggend,
    /// Contra: treatment under the Zvw applies.
    ZvwVoorliggend,
    /// Contra: ordinary ambulant Wmo support suffices.
    WmoAmbulantVoorliggend,
}

/// Every test name a profile may use, for error messages.
pub const TEST_NAMES: &[&str] = &[
    "leeftijd_minimaal",
    "leeftijd_tussen",
    "rechtmatig_verblijf",
    "psychische_problematiek",
    "toezicht_nodig",
    "zrm_domeinen",
    "dakloos",
    "acute_crisis",
    "wlz_voorliggend",
    "zvw_voorliggend",
    "wmo_ambulant_voorliggend",
];

impl Test {
    /// Parse a test name with its parameters (`waarde`, `drempel`).
    pub fn parse(name: &str, waarde: Option<u32>, drempel: Option<u32>) -> Result<Test, String> {
        let need = |v: Option<u32>, what: &str| {
            v.ok_or_else(|| format!("test '{name}' heeft '{what}' nodig"))
        };
        Ok(match name {
            "leeftijd_minimaal" => Test::LeeftijdMinimaal(need(waarde, "waarde")?),
            "leeftijd_tussen" => {
                let (a, b) = (need(waarde, "waarde")?, need(drempel, "drempel")?);
                if a > b {
                    return Err(format!(
                        "leeftijd_tussen: waarde {a} is groter dan drempel {b}"
                    ));
                }
                Test::LeeftijdTussen(a, b)
            }
            "rechtmatig_verblijf" => Test::RechtmatigVerblijf,
            "psychische_problematiek" => Test::PsychischeProblematiek,
            "toezicht_nodig" => Test::ToezichtNodig,
            "zrm_domeinen" => {
                let (n, d) = (need(waarde, "waarde")?, drempel.unwrap_or(2));
                if n == 0 || n as usize > ZRM_DOMAINS || !(1..=5).contains(&d) {
                    return Err(format!(
                        "zrm_domeinen: waarde 1–{ZRM_DOMAINS} en drempel 1–5 verwacht"
                    ));
                }
                Test::ZrmDomeinen { n, drempel: d }
            }
            "dakloos" => Test::Dakloos,
            "acute_crisis" => Test::AcuteCrisis,
            "wlz_voorliggend" => Test::WlzVoorliggend,
            "zvw_voorliggend" => Test::ZvwVoorliggend,
            "wmo_ambulant_voorliggend" => Test::WmoAmbulantVoorliggend,
            other => {
                return Err(format!(
                    "onbekende test '{other}'; kies uit: {}",
                    TEST_NAMES.join(", ")
                ));
            }
        })
    }
}

/// A criterion from a region profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// Key (recorded in a beoordeling's `criteria`).
    pub key: String,
    /// Dutch label.
    pub label: String,
    /// Products it applies to.
    pub domain: CriterionDomain,
    /// Requirement or contra-indication.
    pub kind: CriterionKind,
    /// What it tests.
    pub test: Test,
    /// Source (seed and section), or "aanname: why" — the display form of `herkomst`.
    pub bron: String,
    /// Where the criterion comes from.
    pub herkomst: crate::region::Herkomst,
    /// Line in the profile file.
    pub line: usize,
}

/// The facts of a case as known so far (`None`: not yet established).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// Age in years on the assessment date.
    pub leeftijd: Option<u32>,
    /// Dutch nationality or lawful residence.
    pub rechtmatig_verblijf: Option<bool>,
    /// Evidence, diagnosis or suspicion of psychiatric problems.
    pub psychische_problematiek: Option<bool>,
    /// Need for 24-hour supervision that ambulant support cannot give.
    pub toezicht_nodig: Option<bool>,
    /// ZRM scores per domain.
    pub zrm: [Option<u8>; ZRM_DOMAINS],
    /// Living situation.
    pub woonsituatie: Option<Woonsituatie>,
    /// An acute crisis now.
    pub acute_crisis: Option<bool>,
    /// The Wlz applies.
    pub wlz_voorliggend: Option<bool>,
    /// Zvw treatment applies.
    pub zvw_voorliggend: Option<bool>,
    /// Ordinary ambulant Wmo support suffices.
    pub wmo_ambulant_voorliggend: Option<bool>,
}

/// Met, not met, or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The requirement holds, or the contra-indication is absent.
    Voldaan,
    /// The requirement fails, or the contra-indication is present.
    NietVoldaan,
    /// The fact is not known yet.
    Onbekend,
}

/// One rule as evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleResult {
    /// Criterion key.
    pub key: String,
    /// Label.
    pub label: String,
    /// Requirement or contra-indication.
    #[serde(skip)]
    pub kind: CriterionKind,
    /// Outcome.
    pub outcome: Outcome,
    /// The fact used, in Dutch ("leeftijd 17").
    pub feit: String,
    /// Source in the seeds.
    pub bron: String,
    /// Profile line.
    pub regel: usize,
}

/// The evaluation of all rules for one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// Every applicable rule.
    pub rules: Vec<RuleResult>,
}

impl Evaluation {
    /// `Some(true)` all met, `Some(false)` any not met, `None` something unknown (and nothing failed).
    pub fn eligible(&self) -> Option<bool> {
        if self.rules.iter().any(|r| r.outcome == Outcome::NietVoldaan) {
            Some(false)
        } else if self.rules.iter().any(|r| r.outcome == Outcome::Onbekend) {
            None
        } else {
            Some(true)
        }
    }

    /// Labels of the rules whose facts are still missing: what blocks a decision.
    pub fn missing(&self) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|r| r.outcome == Outcome::Onbekend)
            .map(|r| r.label.as_str())
            .collect()
    }

    /// A one-line Dutch advice.
    pub fn advice(&self) -> String {
        match self.eligible() {
            Some(true) => "Voldoet aan alle criteria; geen contra-indicaties.".to_owned(),
            Some(false) => format!(
                "Voldoet niet: {}.",
                self.rules
                    .iter()
                    .filter(|r| r.outcome == Outcome::NietVoldaan)
                    .map(|r| r.label.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            None => format!(
                "Nog niet te beoordelen; ontbreekt: {}.",
                self.missing().join("; ")
            ),
        }
    }
}

fn yes_no(v: Option<bool>, yes: &str, no: &str) -> String {
    match v {
        Some(true) => yes.to_owned(),
        Some(false) => no.to_owned(),
        None => "niet vastgesteld".to_owned(),
    }
}

/// Evaluate `criterion` on `facts`.
pub fn evaluate_one(c: &Criterion, f: &CaseFacts) -> RuleResult {
    use Outcome::*;
    let req = |v: Option<bool>| match v {
        Some(true) => Voldaan,
        Some(false) => NietVoldaan,
        None => Onbekend,
    };
    // For contra-indications the fact being present means the rule is not met.
    let contra = |v: Option<bool>| req(v.map(|x| !x));
    let (outcome, feit) = match c.test {
        Test::LeeftijdMinimaal(n) => match f.leeftijd {
            Some(a) => (
                if a >= n { Voldaan } else { NietVoldaan },
                format!("leeftijd {a} jaar"),
            ),
            None => (Onbekend, "leeftijd onbekend".to_owned()),
        },
        Test::LeeftijdTussen(lo, hi) => match f.leeftijd {
            Some(a) => (
                if (lo..=hi).contains(&a) {
                    Voldaan
                } else {
                    NietVoldaan
                },
                format!("leeftijd {a} jaar (vereist {lo}–{hi})"),
            ),
            None => (Onbekend, "leeftijd onbekend".to_owned()),
        },
        Test::RechtmatigVerblijf => (
            req(f.rechtmatig_verblijf),
            yes_no(
                f.rechtmatig_verblijf,
                "rechtmatig verblijf vastgesteld",
                "geen rechtmatig verblijf",
            ),
        ),
        Test::PsychischeProblematiek => (
            req(f.psychische_problematiek),
            yes_no(
                f.psychische_problematiek,
                "(vermoeden van) psychiatrische problematiek",
                "geen psychiatrische problematiek",
            ),
        ),
        Test::ToezichtNodig => (
            req(f.toezicht_nodig),
            yes_no(
                f.toezicht_nodig,
                "toezicht nodig dat ambulant niet kan",
                "ambulante ondersteuning volstaat",
            ),
        ),
        Test::ZrmDomeinen { n, drempel } => {
            let scored = f.zrm.iter().filter(|s| s.is_some()).count() as u32;
            let problems = f
                .zrm
                .iter()
                .filter(|s| s.is_some_and(|v| u32::from(v) <= drempel))
                .count() as u32;
            let unscored = ZRM_DOMAINS as u32 - scored;
            let outcome = if problems >= n {
                Voldaan
            } else if problems + unscored >= n {
                Onbekend
            } else {
                NietVoldaan
            };
            (
                outcome,
                format!(
                    "{problems} ZRM-domeinen met score ≤ {drempel} ({scored} van {ZRM_DOMAINS} gescoord; minstens {n} nodig)"
                ),
            )
        }
        Test::Dakloos => match f.woonsituatie {
            Some(w) => {
                let dak = matches!(w, Woonsituatie::Dakloos | Woonsituatie::DreigendDakloos);
                (
                    if dak { Voldaan } else { NietVoldaan },
                    format!(
                        "woonsituatie: {}",
                        if dak {
                            "(dreigend) dakloos"
                        } else {
                            "niet dakloos"
                        }
                    ),
                )
            }
            None => (Onbekend, "woonsituatie onbekend".to_owned()),
        },
        Test::AcuteCrisis => (
            contra(f.acute_crisis),
            yes_no(f.acute_crisis, "acute crisis", "geen acute crisis"),
        ),
        Test::WlzVoorliggend => (
            contra(f.wlz_voorliggend),
            yes_no(
                f.wlz_voorliggend,
                "Wlz is voorliggend",
                "Wlz niet voorliggend",
            ),
        ),
        Test::ZvwVoorliggend => (
            contra(f.zvw_voorliggend),
            yes_no(
                f.zvw_voorliggend,
                "behandeling (Zvw) is voorliggend",
                "Zvw niet voorliggend",
            ),
        ),
        Test::WmoAmbulantVoorliggend => (
            contra(f.wmo_ambulant_voorliggend),
            yes_no(
                f.wmo_ambulant_voorliggend,
                "ambulante Wmo volstaat",
                "ambulante Wmo volstaat niet",
            ),
        ),
    };
    RuleResult {
        key: c.key.clone(),
        label: c.label.clone(),
        kind: c.kind,
        outcome,
        feit,
        bron: c.bron.clone(),
        regel: c.line,
    }
}

/// Evaluate every criterion of `profile` that applies to `product`'s domain, plus the
/// product's own age limits from the catalogue (e.g. jongerenopvang 18–24).
pub fn evaluate(profile: &RegionProfile, product: &Product, facts: &CaseFacts) -> Evaluation {
    let mut rules: Vec<RuleResult> = profile
        .criteria
        .iter()
        .filter(|c| c.domain.covers(product.domain))
        .map(|c| evaluate_one(c, facts))
        .collect();
    if product.min_age.is_some() || product.max_age.is_some() {
        let (lo, hi) = (product.min_age.unwrap_or(0), product.max_age.unwrap_or(150));
        let c = Criterion {
            key: format!("leeftijd_{}", product.code),
            label: format!("Leeftijd {lo}–{hi} voor {}", product.name),
            domain: CriterionDomain::Alle,
            kind: CriterionKind::Eis,
            test: Test::LeeftijdTussen(lo, hi),
            bron: format!("productcatalogus van de regio ({})", product.herkomst),
            herkomst: product.herkomst.clone(),
            line: 0,
        };
        rules.push(evaluate_one(&c, facts));
    }
    Evaluation { rules }
}

#[cfg(test)]
mod tests;
