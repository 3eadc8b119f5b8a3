//! Person records: the only place a client's identity (BSN, name, birth date) lives.
//! Vangnet holds synthetic people only; [`Person::new`] refuses anything else.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::ids::Bsn;
use crate::rng::Rng;

/// A (synthetic) person.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// BSN (elfproef-valid, synthetic range).
    pub bsn: Bsn,
    /// Given name.
    pub voornaam: String,
    /// Family name (with prefix, e.g. "van Dijk").
    pub achternaam: String,
    /// Date of birth.
    pub geboortedatum: Date,
    /// Always true: Vangnet only ever holds generated people.
    pub synthetic: bool,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Person(***)")
    }
}

/// Why a person record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    /// Not marked synthetic, or BSN outside the synthetic range.
    #[error(
        "bsn: Vangnet bevat alleen synthetische personen (BSN in de reeks 9xxxxxxxx, gemarkeerd als synthetisch)"
    )]
    NotSynthetic,
    /// Empty name.
    #[error("{0}: mag niet leeg zijn")]
    Empty(&'static str),
}

impl Person {
    /// A validated person record.
    pub fn new(
        bsn: Bsn,
        voornaam: &str,
        achternaam: &str,
        geboortedatum: Date,
        synthetic: bool,
    ) -> Result<Person, PersonError> {
        if !synthetic || !bsn.is_synthetic_range() {
            return Err(PersonError::NotSynthetic);
        }
        if voornaam.trim().is_empty() {
            return Err(PersonError::Empty("voornaam"));
        }
        if achternaam.trim().is_empty() {
            return Err(PersonError::Empty("achternaam"));
        }
        Ok(Person {
            bsn,
            voornaam: voornaam.trim().to_owned(),
            achternaam: achternaam.trim().to_owned(),
            geboortedatum,
            synthetic,
        })
    }

    /// Age in whole years on `on`.
    pub fn age_on(&self, on: Date) -> i32 {
        let (by, bm, bd) = self.geboortedatum.ymd();
        let (y, m, d) = on.ymd();
        y - by - i32::from((m, d) < (bm, bd))
    }

    /// Full name.
    pub fn naam(&self) -> String {
        format!("{} {}", self.voornaam, self.achternaam)
    }
}

const VOORNAMEN: &[&str] = &[
    "Daan", "Sem", "Lucas", "Milan", "Levi", "Finn", "Noah", "Jesse", "Bram", "Thijs", "Ruben",
    "Lars", "Mohammed", "Youssef", "Kevin", "Dennis", "Mark", "Patrick", "Sander", "Jeroen",
    "Emma", "Julia", "Sophie", "Lotte", "Anna", "Sanne", "Fleur", "Fatima", "Noor", "Eva", "Lisa",
    "Iris", "Linda", "Marieke", "Petra", "Samira", "Chantal", "Anouk", "Ayşe", "Priya",
];
const ACHTERNAMEN: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "El Amrani",
    "Yılmaz",
    "Bouzid",
    "Kaya",
    "Martens",
    "Willems",
    "Verbeek",
    "Koster",
    "Prins",
    "Huisman",
];

/// Generate a synthetic person with the given sequence number (unique per store, < 5 million)
/// and birth date.
/// The BSN comes from the 9xxxxxxxx range with a valid check digit.
pub fn synthetic_person(rng: &mut Rng, seq: u32, born: Date) -> Person {
    // A bijection of `seq` onto 0..5_000_000 spreads nearby clients over unrelated BSNs.
    // Prefix 90_000_000 + x has a valid check digit for 10 of 11 values; when it has none,
    // adding 5_000_000 raises the weighted sum by 8 * 5 = 40 = 7 (mod 11), which always
    // makes it valid, and that range is used by nobody else. So every seq gets its own BSN.
    let x = (u64::from(seq % 5_000_000) * 2_654_435_761 % 5_000_000) as u32;
    let bsn = Bsn::with_check_digit(90_000_000 + x)
        .or_else(|| Bsn::with_check_digit(95_000_000 + x))
        .expect("one of the two prefixes has a check digit");
    Person {
        bsn,
        voornaam: (*rng.pick(VOORNAMEN)).to_owned(),
        achternaam: (*rng.pick(ACHTERNAMEN)).to_owned(),
        geboortedatum: born,
        synthetic: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_synthetic_people_are_accepted() {
        let born = Date::parse("1990-05-01").unwrap();
        assert_eq!(
            Person::new(Bsn::parse("111222333").unwrap(), "A", "B", born, true),
            Err(PersonError::NotSynthetic)
        );
        let syn = Bsn::with_check_digit(91_234_567).unwrap();
        assert_eq!(
            Person::new(syn, "A", "B", born, false),
            Err(PersonError::NotSynthetic)
        );
        assert!(Person::new(syn, "A", "B", born, true).is_ok());
        assert_eq!(
            Person::new(syn, " ", "B", born, true),
            Err(PersonError::Empty("voornaam"))
        );
    }

    #[test]
    fn generated_people_have_valid_distinct_bsns() {
        let mut r = Rng::new(1);
        let born = Date::parse("1990-05-01").unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..50_000 {
            let p = synthetic_person(&mut r, i, born);
            assert!(Bsn::parse(&p.bsn.digits()).is_ok());
            assert!(p.bsn.is_synthetic_range());
            assert!(seen.insert(p.bsn), "duplicate BSN at {i}");
        }
    }

    #[test]
    fn a_person_record_with_a_bad_bsn_is_refused_at_the_edge() {
        let json = |bsn: &str| {
            format!(
                r#"{{"bsn":"{bsn}","voornaam":"A","achternaam":"B","geboortedatum":"1990-01-01","synthetic":true}}"#
            )
        };
        let e = serde_json::from_str::<Person>(&json("912345679"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("BSN ongeldig: voldoet niet aan de elfproef"),
            "{e}"
        );
        let e = serde_json::from_str::<Person>(&json("91234567"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("BSN ongeldig"), "{e}");
        let ok = Bsn::with_check_digit(91_234_567).unwrap().digits();
        assert!(serde_json::from_str::<Person>(&json(&ok)).is_ok());
    }

    #[test]
    fn age_counts_birthdays() {
        let p = Person::new(
            Bsn::with_check_digit(91_234_567).unwrap(),
            "A",
            "B",
            Date::parse("2000-06-15").unwrap(),
            true,
        )
        .unwrap();
        assert_eq!(p.age_on(Date::parse("2018-06-14").unwrap()), 17);
        assert_eq!(p.age_on(Date::parse("2018-06-15").unwrap()), 18);
    }
}
