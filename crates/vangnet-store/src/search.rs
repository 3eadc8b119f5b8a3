//! Finding people (`Store::search_clients`, issue 12), the engine-independent part: the
//! three search keys (BSN, name + birth date, client number), name matching that ignores
//! case and accents, and the gate's decision over the candidates an engine found — only
//! clients the actor may read are listed, each listed client gets its own read row, and the
//! search itself gets one row (action [`SEARCH_ACTION`], the kind of key in the purpose,
//! never the BSN), also when nothing was found.
//!
//! Correcting the person record (name, birth date) is here too ([`PersonCorrection`]): the
//! engines update the `persons` row in the gated write transaction and log it with the
//! reason.

use serde::Serialize;
use vangnet_domain::access::{Action, may_search_clients};
use vangnet_domain::person::Person;
use vangnet_domain::state::{ClientState, Phase};
use vangnet_domain::{Bsn, ClientId, Date, RegionId, Role};

use crate::gate::{AccessEntry, AccessGate};
use crate::{StoreError, StoreResult};

/// The access-log action of a search.
pub const SEARCH_ACTION: &str = "zoeken";

/// The access-log action of a correction of the person record.
pub const PERSON_CORRECTION_ACTION: &str = "persoon_corrigeren";

/// What is searched for.
#[derive(Clone, PartialEq, Eq)]
pub enum SearchKey {
    /// A BSN (elfproef checked by parsing), exact.
    Bsn(Bsn),
    /// A name (words, case- and accent-insensitive) with an exact birth date.
    NameBirth {
        /// The name as typed (one or more words of first and family name).
        name: String,
        /// Date of birth.
        born: Date,
    },
    /// A client number, exact.
    Client(ClientId),
}

impl std::fmt::Debug for SearchKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never a BSN or a name in a debug line.
        write!(f, "SearchKey({})", self.kind())
    }
}

impl SearchKey {
    /// The kind of key in words, for the log's purpose and the page (never the value).
    pub fn kind(&self) -> &'static str {
        match self {
            SearchKey::Bsn(_) => "op BSN",
            SearchKey::NameBirth { .. } => "op naam en geboortedatum",
            SearchKey::Client(_) => "op cliëntnummer",
        }
    }
}

/// One client found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    /// Client number.
    pub client: ClientId,
    /// Given name.
    pub voornaam: String,
    /// Family name.
    pub achternaam: String,
    /// Date of birth.
    pub geboortedatum: Date,
    /// Region of the current case.
    pub regio: RegionId,
    /// Phase of the current case.
    pub phase: Phase,
}

/// What a search found: the hits the actor may see, at most the limit, and whether there
/// were more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchResult {
    /// Hits, by client number.
    pub hits: Vec<SearchHit>,
    /// More permitted hits than the limit.
    pub more: bool,
}

/// Lower case without accents, hyphens and apostrophes as spaces: `"Ömer-d'Hondt"` →
/// `"omer d hondt"`. Covers the Latin letters of Dutch and its neighbours' names.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = c.to_lowercase().next().unwrap_or(c);
        let m: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
            'ĳ' => "ij",
            'ł' | 'ľ' | 'ĺ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'æ' => "ae",
            'ŕ' | 'ř' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ß' => "ss",
            'ť' | 'ţ' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            '-' | '\'' | '’' | '‘' | '`' | '.' | ',' => " ",
            c if c.is_whitespace() => " ",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(m);
    }
    out
}

/// Does the typed `name` match the person's names: every word of it is a word of first
/// name plus family name (case, accents, hyphens and apostrophes ignored), and it has at
/// least one word.
pub fn name_matches(name: &str, voornaam: &str, achternaam: &str) -> bool {
    let have = fold(&format!("{voornaam} {achternaam}"));
    let have: Vec<&str> = have.split_whitespace().collect();
    let want = fold(name);
    let mut words = want.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| have.contains(&w))
}

/// Does the candidate `(person)` match `key` (the engines narrow by index first: the BSN,
/// the client number or the birth date; this is the exact test).
pub fn matches(key: &SearchKey, client: ClientId, person: &Person) -> bool {
    match key {
        SearchKey::Bsn(b) => person.bsn == *b,
        SearchKey::Client(c) => *c == client,
        SearchKey::NameBirth { name, born } => {
            person.geboortedatum == *born
                && name_matches(name, &person.voornaam, &person.achternaam)
        }
    }
}

impl AccessGate {
    /// Decide a search over `candidates` (client state and person, as the engine found them
    /// by `key`): a role that may not search gets one refused row; otherwise every candidate
    /// is decided by the policy ([`vangnet_domain::access::decide`], read), the first
    /// `limit` permitted ones are listed — each with its own read row — and one row records
    /// the search (action [`SEARCH_ACTION`], the number found), also when none.
    pub fn check_search(
        &self,
        key: &SearchKey,
        mut candidates: Vec<(ClientState, Person)>,
        limit: usize,
    ) -> (Vec<AccessEntry>, StoreResult<SearchResult>) {
        let actor = self.actor();
        if !may_search_clients(actor.role) {
            let reason = format!(
                "de rol {} zoekt geen cliënten op",
                if actor.role == Role::Systeem {
                    "systeem"
                } else {
                    actor.role.key()
                }
            );
            let entry = self.note_refused(SEARCH_ACTION, reason.clone());
            return (vec![entry], Err(StoreError::Denied(reason)));
        }
        candidates.sort_by_key(|(s, _)| s.client);
        let mut entries = Vec::new();
        let mut result = SearchResult::default();
        let mut permitted = 0usize;
        for (state, person) in candidates {
            if !matches(key, state.client, &person) {
                continue;
            }
            let (entry, verdict) = self.check(state.client, Action::Read, &self.scope(&state));
            if verdict.is_err() {
                continue;
            }
            permitted += 1;
            if result.hits.len() >= limit {
                result.more = true;
                continue;
            }
            entries.push(entry);
            result.hits.push(SearchHit {
                client: state.client,
                voornaam: person.voornaam,
                achternaam: person.achternaam,
                geboortedatum: person.geboortedatum,
                regio: state.regio.clone(),
                phase: state.phase(),
            });
        }
        let reason = if result.more {
            format!(
                "cliënt zoeken {}: {permitted} gevonden, {} getoond",
                key.kind(),
                result.hits.len()
            )
        } else {
            format!("cliënt zoeken {}: {permitted} gevonden", key.kind())
        };
        entries.insert(0, self.note(SEARCH_ACTION, reason));
        (entries, Ok(result))
    }
}

/// A correction of the person record (name, birth date), with its reason. The BSN is not
/// corrected here (a wrong BSN is a different person).
#[derive(Clone, PartialEq, Eq)]
pub struct PersonCorrection {
    /// Given name.
    pub voornaam: String,
    /// Family name.
    pub achternaam: String,
    /// Date of birth.
    pub geboortedatum: Date,
    /// Why (required; in the access log).
    pub reden: String,
}

impl std::fmt::Debug for PersonCorrection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonCorrection(***)")
    }
}

impl PersonCorrection {
    /// The corrected person (validated like a new one: names, synthetic range) from the
    /// stored one; an empty reason is refused.
    pub fn apply(&self, stored: &Person) -> StoreResult<Person> {
        if self.reden.trim().is_empty() {
            return Err(StoreError::Invalid(
                "reden: geef de reden van de correctie".into(),
            ));
        }
        let p = Person::new(
            stored.bsn,
            &self.voornaam,
            &self.achternaam,
            self.geboortedatum,
            true,
        )?;
        crate::plan::check_person(&p)?;
        vangnet_domain::limits::check_person(&p, crate::time::today())
            .map_err(|e| StoreError::Person(e.to_string()))?;
        Ok(p)
    }
}

impl AccessGate {
    /// Correcting the person record of the client with `state`: decided as a write to the
    /// record ([`vangnet_domain::access::decide`]) — and only the access team of the
    /// client's region or a wijkteam for its own resident (who register people) — logged
    /// as [`PERSON_CORRECTION_ACTION`] with the reason.
    pub fn check_person_correction(
        &self,
        state: &ClientState,
        reden: &str,
    ) -> (AccessEntry, StoreResult<()>) {
        let actor = self.actor();
        let scope = self.scope(state);
        let d = vangnet_domain::access::decide(actor, Action::Write, &scope);
        let registers = matches!(
            actor.role,
            Role::Toegangsmedewerker | Role::Wijkteam | Role::Systeem
        );
        let (allowed, reason) = match (d.allowed(), registers) {
            (true, true) => (true, format!("{}; reden: {}", d.reason(), reden.trim())),
            (true, false) => (
                false,
                "persoonsgegevens corrigeert het toegangsteam of het wijkteam".to_owned(),
            ),
            (false, _) => (false, d.reason().to_owned()),
        };
        let mut entry = if allowed {
            self.note(PERSON_CORRECTION_ACTION, reason.clone())
        } else {
            self.note_refused(PERSON_CORRECTION_ACTION, reason.clone())
        };
        entry.client = Some(state.client);
        let verdict = if allowed {
            Ok(())
        } else {
            Err(StoreError::Denied(reason))
        };
        (entry, verdict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_accents_and_punctuation() {
        assert_eq!(fold("Ömer-d'Hondt"), "omer d hondt");
        assert!(name_matches("de vries", "Jan", "de Vries"));
        assert!(name_matches("JAN", "Jan", "de Vries"));
        assert!(name_matches("zoe bakker", "Zoë", "Bakker"));
        assert!(name_matches("çelik", "Ayşe", "Celik"));
        assert!(name_matches("ayse celik", "Ayşe", "Çelik"));
        assert!(!name_matches("de vriez", "Jan", "de Vries"));
        assert!(!name_matches("", "Jan", "de Vries"));
        assert!(!name_matches("   ", "Jan", "de Vries"));
        assert!(!name_matches("piet de vries", "Jan", "de Vries"));
    }
}
