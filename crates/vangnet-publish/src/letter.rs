//! The **decision letter** as a pure model: from a client's record, the region profile and
//! its `[brief]` template to the paragraphs a client reads — letterhead, addressee, date,
//! kenmerk, subject, the decision and its reasons in plain words, the woonplaatsbeginsel,
//! the bezwaar clause, contact and signatory. The web crate renders it as HTML and, through
//! [`crate::letter_pdf`], as PDF; the store keeps what was produced, so a letter reads back
//! the same after the template changes.
//!
//! What the letter never shows: seed names, profile lines, the rules engine's advice, CBS
//! codes (gemeenten by name), criteria "onbekend" in the words of the engine, or the clerk's
//! free text. **Decision (feat/brief):** the reasons are the fixed, plain sentences of the
//! criteria as evaluated ([`criterion_sentence`]); for an afwijzing the clerk's `reden`
//! only *chooses* a fixed ground ([`Grond::of_reden`]: Wlz, Zvw, ambulante Wmo or the criteria)
//! and its words are not copied. There is no separate "toelichting voor de cliënt" field: it
//! would need a new fact in the event vocabulary; the casusregie holder (a name, e.g. "wijkteam
//! Arnhem-Oost") is named because the client needs to know who helps them next.

use serde::{Deserialize, Serialize};
use vangnet_domain::frontdoor::{self, Dossier};
use vangnet_domain::region::{LetterTemplate, RegionProfile};
use vangnet_domain::rules::{CriterionKind, Outcome, Test};
use vangnet_domain::state::Besluit;
use vangnet_domain::woonplaats;
use vangnet_domain::{ClientEvent, ClientId, Date, GemeenteCode, Maand};

/// One section of the letter: an optional heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Heading (`None`: the opening paragraphs).
    pub kop: Option<String>,
    /// Paragraphs; a paragraph starting with `• ` is a list item.
    pub alineas: Vec<String>,
}

/// A decision letter, ready to render (HTML or PDF) and to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// Kenmerk (reference): `<prefix>-<year>-<client>-<version>`, stable for one decision.
    pub kenmerk: String,
    /// The decision's date, `JJJJ-MM-DD` (also the letter's date).
    pub datum: String,
    /// The date in words: `3 december 2026`.
    pub datum_voluit: String,
    /// Letterhead: organisation, then postal address lines.
    pub afzender: Vec<String>,
    /// Contact lines (telephone, e-mail, website).
    pub contact: Vec<String>,
    /// Addressee lines: name, then address (or "per adres van de toegang").
    pub geadresseerde: Vec<String>,
    /// Subject line.
    pub onderwerp: String,
    /// Salutation (`Beste …,`).
    pub aanhef: String,
    /// The body.
    pub secties: Vec<Section>,
    /// Closing: greeting, signatory, function, organisation.
    pub afsluiting: Vec<String>,
}

impl Letter {
    /// Every text of the letter in reading order (for checks and plain-text export).
    pub fn all_text(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        out.extend(self.afzender.iter().map(String::as_str));
        out.extend(self.contact.iter().map(String::as_str));
        out.extend(self.geadresseerde.iter().map(String::as_str));
        out.push(&self.kenmerk);
        out.push(&self.datum_voluit);
        out.push(&self.onderwerp);
        out.push(&self.aanhef);
        for s in &self.secties {
            if let Some(k) = &s.kop {
                out.push(k);
            }
            out.extend(s.alineas.iter().map(String::as_str));
        }
        out.extend(self.afsluiting.iter().map(String::as_str));
        out
    }
}

/// Why a letter cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterError {
    /// No decision is recorded for the current application.
    GeenBesluit,
}

impl std::fmt::Display for LetterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LetterError::GeenBesluit => f.write_str(
                "Voor deze cliënt is nog geen besluit vastgelegd; er is dus nog geen besluitbrief.",
            ),
        }
    }
}

/// The decision a letter is about: its version in the stream — the correction's version
/// when the decision was corrected, so a corrected decision gets a new letter — and date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionRef {
    /// Version of the fact (or of its latest correction).
    pub version: u32,
    /// The decision's date.
    pub datum: Date,
}

/// The decision in force for the current application, if any.
pub fn decision_of(d: &Dossier<'_>) -> Option<DecisionRef> {
    let besluit = d.state.besluit.as_ref()?;
    let datum = match besluit {
        Besluit::Toewijzing { datum, .. } | Besluit::Afwijzing { datum, .. } => *datum,
    };
    let (_, original, _) = d.in_force().into_iter().rfind(|(_, _, e)| {
        matches!(
            e,
            ClientEvent::Toewijzing { .. } | ClientEvent::Afwijzing { .. }
        )
    })?;
    // The latest correction of that fact, if any, names the letter.
    let version = d
        .events
        .iter()
        .filter(|e| matches!(&e.event, ClientEvent::Correctie { corrigeert, .. } if *corrigeert == original))
        .map(|e| e.version)
        .max()
        .unwrap_or(original);
    Some(DecisionRef { version, datum })
}

/// The kenmerk of a decision: `<prefix>-<year>-<client>-<version>` (e.g.
/// `SDD-BW-2026-P00000042-7`). Without a template the prefix is `VN`.
pub fn kenmerk(template: Option<&LetterTemplate>, client: ClientId, d: DecisionRef) -> String {
    let prefix = template.map_or("VN", |t| t.kenmerk_prefix.as_str());
    let (y, _, _) = d.datum.ymd();
    format!("{prefix}-{y}-{client}-{}", d.version)
}

/// A date in words: `3 december 2026`.
pub fn date_in_words(d: Date) -> String {
    let (y, _, day) = d.ymd();
    format!("{day} {} {y}", Maand::of(d).maandnaam())
}

/// The fixed ground of an afwijzing, chosen from the clerk's `reden` (whose words are never
/// copied into the letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grond {
    /// Care under the Wet langdurige zorg comes first.
    Wlz,
    /// Treatment under the Zorgverzekeringswet comes first.
    Zvw,
    /// Ordinary ambulant Wmo support suffices.
    AmbulantVolstaat,
    /// The criteria (the ones not met are named).
    Criteria,
}

impl Grond {
    /// The ground a free-text reason names: "Wlz" → Wlz, "Zvw"/"behandeling" → Zvw,
    /// "ambulant" → ambulante Wmo, anything else → the criteria.
    pub fn of_reden(reden: &str) -> Grond {
        let r = reden.to_lowercase();
        if r.contains("wlz") || r.contains("langdurige zorg") {
            Grond::Wlz
        } else if r.contains("zvw") || r.contains("behandeling") {
            Grond::Zvw
        } else if r.contains("ambulant") {
            Grond::AmbulantVolstaat
        } else {
            Grond::Criteria
        }
    }

    fn sentence(self) -> &'static str {
        match self {
            Grond::Wlz => {
                "U kunt zorg krijgen uit de Wet langdurige zorg (Wlz). Die zorg gaat voor beschermd wonen en opvang uit de Wmo."
            }
            Grond::Zvw => {
                "U heeft eerst behandeling nodig die via uw zorgverzekering (Zorgverzekeringswet) wordt betaald. Die behandeling gaat voor."
            }
            Grond::AmbulantVolstaat => {
                "U kunt met begeleiding thuis verder (ambulante ondersteuning uit de Wmo). Daarom is beschermd wonen of opvang niet nodig."
            }
            Grond::Criteria => "U voldoet niet aan alle voorwaarden voor deze voorziening.",
        }
    }
}

/// The plain sentence for one criterion and its outcome, in words a client reads (no rule
/// numbers, no sources, no codes).
pub fn criterion_sentence(test: Test, kind: CriterionKind, outcome: Outcome) -> String {
    let met = outcome == Outcome::Voldaan;
    if outcome == Outcome::Onbekend {
        return match kind {
            CriterionKind::Eis => "Een van de voorwaarden konden wij nog niet vaststellen.",
            CriterionKind::Contra => "Of andere hulp voorgaat, konden wij nog niet vaststellen.",
        }
        .to_owned();
    }
    match test {
        Test::LeeftijdMinimaal(n) if met => format!("U bent {n} jaar of ouder."),
        Test::LeeftijdMinimaal(n) => format!(
            "U bent jonger dan {n} jaar. Hulp voor jongeren loopt via de Jeugdwet."
        ),
        Test::LeeftijdTussen(lo, hi) if met => {
            format!("Uw leeftijd past bij deze voorziening (van {lo} tot en met {hi} jaar).")
        }
        Test::LeeftijdTussen(lo, hi) => format!(
            "Deze voorziening is voor mensen van {lo} tot en met {hi} jaar; uw leeftijd valt daarbuiten."
        ),
        Test::RechtmatigVerblijf if met => {
            "U heeft de Nederlandse nationaliteit of woont hier rechtmatig.".to_owned()
        }
        Test::RechtmatigVerblijf => {
            "U woont niet rechtmatig in Nederland. Daarom kunnen wij u deze voorziening niet geven."
                .to_owned()
        }
        Test::PsychischeProblematiek if met => {
            "U heeft psychische of psychosociale problemen waarvoor u hulp nodig heeft.".to_owned()
        }
        Test::PsychischeProblematiek => "Uit ons onderzoek blijkt niet dat u psychische of psychosociale problemen heeft waarvoor deze voorziening nodig is.".to_owned(),
        Test::ToezichtNodig if met => "U heeft toezicht en begeleiding dichtbij nodig. Met hulp thuis alleen lukt dat niet.".to_owned(),
        Test::ToezichtNodig => "U kunt met begeleiding thuis verder. Toezicht in een beschermde woonvorm is niet nodig.".to_owned(),
        Test::ZrmDomeinen { .. } if met => "Op meerdere levensgebieden, zoals wonen, geld, gezondheid en contact met anderen, heeft u grote problemen.".to_owned(),
        Test::ZrmDomeinen { .. } => "Op te weinig levensgebieden zijn uw problemen zo groot dat deze voorziening nodig is.".to_owned(),
        Test::Dakloos if met => "U heeft geen vaste woonplek of u dreigt die te verliezen.".to_owned(),
        Test::Dakloos => "U heeft een woonplek. Opvang is daarom niet nodig.".to_owned(),
        Test::AcuteCrisis if met => "Er is nu geen acute crisis die eerst andere hulp nodig maakt.".to_owned(),
        Test::AcuteCrisis => "Er is nu een acute crisis. Daarvoor is eerst crisishulp nodig.".to_owned(),
        Test::WlzVoorliggend if met => "Zorg uit de Wet langdurige zorg (Wlz) is voor u niet aan de orde.".to_owned(),
        Test::WlzVoorliggend => Grond::Wlz.sentence().to_owned(),
        Test::ZvwVoorliggend if met => "Behandeling via uw zorgverzekering gaat in uw situatie niet voor.".to_owned(),
        Test::ZvwVoorliggend => Grond::Zvw.sentence().to_owned(),
        Test::WmoAmbulantVoorliggend if met => "Begeleiding thuis alleen is voor u niet genoeg.".to_owned(),
        Test::WmoAmbulantVoorliggend => Grond::AmbulantVolstaat.sentence().to_owned(),
    }
}

/// The reasons as evaluated on the decision date: `(met, sentence)` per criterion, in
/// profile order, then the product's own age band.
fn reasons(
    profile: &RegionProfile,
    d: &Dossier<'_>,
    product: &vangnet_domain::region::Product,
    on: Date,
) -> Vec<(Outcome, String)> {
    let ev = frontdoor::evaluate_record(profile, product, d, on);
    ev.rules
        .iter()
        .map(|r| {
            let test = profile
                .criteria
                .iter()
                .find(|c| c.key == r.key)
                .map(|c| c.test)
                .unwrap_or_else(|| {
                    Test::LeeftijdTussen(
                        product.min_age.unwrap_or(0),
                        product.max_age.unwrap_or(150),
                    )
                });
            (r.outcome, criterion_sentence(test, r.kind, r.outcome))
        })
        .collect()
}

/// Build the letter for the decision in force. `template` is the region's `[brief]` (the
/// fallback without one: the toegang's name, no address or contact lines).
pub fn letter(profile: &RegionProfile, d: &Dossier<'_>) -> Result<Letter, LetterError> {
    let besluit = d.state.besluit.as_ref().ok_or(LetterError::GeenBesluit)?;
    let dref = decision_of(d).ok_or(LetterError::GeenBesluit)?;
    let client = d.state.client;
    let t = profile.brief.as_ref();
    let organisatie = t.map_or_else(|| profile.toegang.clone(), |t| t.organisatie.clone());
    let naam = d
        .person
        .map_or_else(|| format!("cliënt {client}"), |p| p.naam());
    let datum = dref.datum;

    let mut afzender = vec![organisatie.clone()];
    let mut contact = Vec::new();
    if let Some(t) = t {
        afzender.extend(t.postadres.iter().cloned());
        contact.push(format!("Telefoon {}", t.telefoon));
        contact.push(format!("E-mail {}", t.email));
        contact.push(t.website.clone());
    }
    // Vangnet records no postal address of a client: the letter goes through the toegang.
    let geadresseerde = vec![naam.clone(), "per adres van de toegang".to_owned()];

    let toegewezen = matches!(besluit, Besluit::Toewijzing { .. });
    let product = match besluit {
        Besluit::Toewijzing { product, .. } => profile.product(product),
        Besluit::Afwijzing { .. } => frontdoor::focus_product(profile, d.state, None, datum),
    };
    let voorziening = product.map_or_else(
        || "beschermd wonen of opvang".to_owned(),
        |p| p.name.clone(),
    );
    let onderwerp = if toegewezen {
        format!("Besluit op uw aanvraag: u krijgt {voorziening}")
    } else {
        format!("Besluit op uw aanvraag: u krijgt geen {voorziening}")
    };

    let mut secties = vec![Section {
        kop: None,
        alineas: vec![format!(
            "Op {} heeft u zich bij ons gemeld voor beschermd wonen of opvang. Wij hebben uw situatie onderzocht. In deze brief leest u ons besluit en waarom wij zo hebben besloten.",
            date_in_words(d.state.aangemeld)
        )],
    }];

    let reasons = product
        .map(|p| reasons(profile, d, p, datum))
        .unwrap_or_default();
    match besluit {
        Besluit::Toewijzing {
            start,
            einde,
            leveringsvorm,
            aanbieder,
            geplaatst_bij,
            ..
        } => {
            let mut al = vec![format!(
                "U krijgt {voorziening} van {} tot en met {}.",
                date_in_words(*start),
                date_in_words(*einde)
            )];
            al.push(match leveringsvorm {
                vangnet_domain::events::Leveringsvorm::Zin => "U krijgt de zorg van een zorgaanbieder waarmee de gemeente afspraken heeft (zorg in natura).".to_owned(),
                vangnet_domain::events::Leveringsvorm::Pgb => "U krijgt een persoonsgebonden budget (pgb). Daarmee koopt u de zorg zelf in.".to_owned(),
            });
            // The provider named in the decision, else the one the client was placed with.
            if let Some(a) = aanbieder
                .or(*geplaatst_bij)
                .and_then(|a| profile.provider(a))
            {
                al.push(format!("Uw zorgaanbieder is {}.", a.name));
            }
            if let Some(max) = product.and_then(|p| p.max_months) {
                al.push(format!("Deze voorziening duurt maximaal {max} maanden. Wij bespreken ruim op tijd met u wat daarna nodig is."));
            }
            secties.push(Section {
                kop: Some("Ons besluit".into()),
                alineas: al,
            });
            let mut why =
                vec!["Wij hebben gekeken of u aan de voorwaarden voldoet. Dat is zo:".to_owned()];
            why.extend(reasons.iter().map(|(_, s)| format!("• {s}")));
            secties.push(Section {
                kop: Some("Waarom krijgt u deze voorziening?".into()),
                alineas: why,
            });
        }
        Besluit::Afwijzing {
            reden, casusregie, ..
        } => {
            secties.push(Section {
                kop: Some("Ons besluit".into()),
                alineas: vec![format!("U krijgt geen {voorziening}.")],
            });
            let grond = Grond::of_reden(reden);
            let niet: Vec<&String> = reasons
                .iter()
                .filter(|(o, _)| *o == Outcome::NietVoldaan)
                .map(|(_, s)| s)
                .collect();
            let mut why = Vec::new();
            if grond != Grond::Criteria || niet.is_empty() {
                why.push(grond.sentence().to_owned());
            }
            if !niet.is_empty() {
                why.push("Dit zijn de voorwaarden waaraan u niet voldoet:".to_owned());
                why.extend(niet.iter().map(|s| format!("• {s}")));
            }
            secties.push(Section {
                kop: Some("Waarom krijgt u deze voorziening niet?".into()),
                alineas: why,
            });
            secties.push(Section {
                kop: Some("Wie helpt u verder?".into()),
                alineas: vec![format!(
                    "U staat er niet alleen voor. Na dit besluit helpt {} u verder met de volgende stap.",
                    casusregie.trim()
                )],
            });
        }
    }

    secties.push(Section {
        kop: Some("Waarop is dit besluit gebaseerd?".into()),
        alineas: vec![format!(
            "Dit besluit is genomen op grond van de Wet maatschappelijke ondersteuning 2015 (artikel 2.3.5) en de toegangsregels van {}.",
            profile.name
        )],
    });

    let woon = match woonplaats::vastgesteld(d) {
        Some(w) => {
            let gemeente = woonplaats::naam(w.gemeente);
            let mut al = vec![format!(
                "Voor u is {gemeente} de verantwoordelijke gemeente. Die gemeente is verantwoordelijk voor uw ondersteuning."
            )];
            match w.uitleg.as_ref().filter(|u| !u.trim().is_empty()) {
                Some(u) => al.push(without_cbs_codes(u.trim())),
                None if w.afwijkend() => al.push(format!("Na overleg tussen de betrokken gemeenten is {gemeente} vastgesteld als de verantwoordelijke gemeente.")),
                None => al.push("Dat volgt uit het woonplaatsbeginsel: de gemeente waar u woonde voordat u zich meldde, is verantwoordelijk.".to_owned()),
            }
            al.push("Dit staat in de Wet maatschappelijke ondersteuning 2015, artikel 1.2.1, onderdeel b.".to_owned());
            al
        }
        None => vec![format!(
            "Bij dit besluit is nog niet vastgelegd welke gemeente verantwoordelijk is. Neem bij vragen contact op met {organisatie}."
        )],
    };
    secties.push(Section {
        kop: Some("Welke gemeente is verantwoordelijk?".into()),
        alineas: woon,
    });

    let laatste_dag = datum.add_days(42);
    let mut bezwaar = vec![format!(
        "Dan kunt u bezwaar maken. Dat moet binnen zes weken na de datum van deze brief, dus uiterlijk op {}. Dit staat in de Algemene wet bestuursrecht, artikel 6:7.",
        date_in_words(laatste_dag)
    )];
    match t {
        Some(t) => {
            bezwaar.push(format!(
                "Stuur uw bezwaar aan {}, naar dit adres: {}.",
                t.bezwaar_aan,
                t.bezwaar_adres.join(", ")
            ));
        }
        None => bezwaar.push(format!("Stuur uw bezwaar naar {organisatie}.")),
    }
    bezwaar.push(format!(
        "Schrijf in uw brief: uw naam en adres, de datum, het kenmerk {} van deze brief, waarom u het niet eens bent met het besluit, en zet uw handtekening eronder.",
        kenmerk(t, client, dref)
    ));
    bezwaar.push("Hulp nodig bij uw bezwaar? Bel ons gerust. U kunt ook hulp vragen aan een gratis cliëntondersteuner.".to_owned());
    secties.push(Section {
        kop: Some("Bent u het niet eens met dit besluit?".into()),
        alineas: bezwaar,
    });

    let vragen = match t {
        Some(t) => format!(
            "Heeft u vragen over deze brief? Bel ons op {} of mail naar {}. Noem dan het kenmerk {}.",
            t.telefoon,
            t.email,
            kenmerk(Some(t), client, dref)
        ),
        None => format!("Heeft u vragen over deze brief? Neem contact op met {organisatie}."),
    };
    secties.push(Section {
        kop: Some("Vragen?".into()),
        alineas: vec![vragen],
    });

    let mut afsluiting = vec!["Met vriendelijke groet,".to_owned()];
    if let Some(t) = t {
        afsluiting.push(t.ondertekenaar.clone());
        afsluiting.push(capitalised(&t.functie));
    }
    afsluiting.push(organisatie);

    Ok(Letter {
        kenmerk: kenmerk(t, client, dref),
        datum: datum.to_string(),
        datum_voluit: date_in_words(datum),
        afzender,
        contact,
        geadresseerde,
        onderwerp,
        aanhef: format!("Beste {naam},"),
        secties,
        afsluiting,
    })
}

/// `text` with every CBS code gone: `Arnhem (GM0202)` → `Arnhem`, a bare `GM0202` → the
/// gemeente's name (the explanation recorded with a decision names gemeenten with their code).
pub fn without_cbs_codes(text: &str) -> String {
    let b = text.as_bytes();
    let code_at = |i: usize| {
        b.len() >= i + 6 && &b[i..i + 2] == b"GM" && b[i + 2..i + 6].iter().all(u8::is_ascii_digit)
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b" (") && code_at(i + 2) && b.get(i + 8) == Some(&b')') {
            i += 9;
        } else if code_at(i) {
            let name = GemeenteCode::parse(&text[i..i + 6])
                .map_or_else(|_| "de gemeente".to_owned(), woonplaats::naam);
            out.push_str(&name);
            i += 6;
        } else {
            let ch = text[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The decision date as `dd-mm-jjjj` (for lists such as the dossier's "Brieven").
pub fn datum_label(l: &Letter) -> String {
    Date::parse(&l.datum).map_or_else(|_| l.datum.clone(), |d| d.nl().to_string())
}

#[cfg(test)]
mod tests;
