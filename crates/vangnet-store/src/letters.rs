//! Decision letters as stored (feat/brief, migration 0008): the letter produced for one
//! decision — its content (the letter model as JSON) and its PDF with the PDF's SHA-256 —
//! kept with the decision and read back byte for byte, also after the region's template
//! changed. One letter per (client, decision version): the first one produced stays
//! ([`crate::Store::store_letter`] inserts when absent and returns what is stored). Every
//! read and write goes through the [`crate::AccessGate`] and is access-logged; letters go
//! with the client record when it is deleted.

use serde::Serialize;
use sha2::{Digest, Sha256};
use vangnet_domain::{ClientId, Date};

use crate::{StoreError, StoreResult};

/// A letter to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLetter {
    /// The client.
    pub client: ClientId,
    /// The decision's version in the client's stream (see `vangnet_publish::letter::decision_of`).
    pub version: u32,
    /// The letter's kenmerk.
    pub kenmerk: String,
    /// The decision's date.
    pub datum: Date,
    /// The letter model as JSON.
    pub content: String,
    /// The PDF.
    pub pdf: Vec<u8>,
}

/// A stored letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLetter {
    /// What was stored.
    pub letter: NewLetter,
    /// When it was first produced (RFC 3339, UTC).
    pub created_at: String,
    /// SHA-256 of the PDF, lower-case hex (checked on every read).
    pub sha256: String,
}

/// A letter in the dossier's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterSummary {
    /// The decision's version.
    pub version: u32,
    /// Kenmerk.
    pub kenmerk: String,
    /// The decision's date.
    pub datum: Date,
    /// When it was first produced (RFC 3339, UTC).
    pub created_at: String,
}

/// SHA-256 of `pdf`, lower-case hex.
pub fn pdf_hash(pdf: &[u8]) -> String {
    Sha256::digest(pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The stored row, its hash checked: a PDF whose bytes no longer match its hash is refused
/// (never served).
pub fn checked(letter: NewLetter, created_at: String, sha256: String) -> StoreResult<StoredLetter> {
    if pdf_hash(&letter.pdf) != sha256 {
        return Err(StoreError::Backend(format!(
            "besluitbrief {} van {}: de pdf komt niet overeen met de opgeslagen hash",
            letter.kenmerk, letter.client
        )));
    }
    Ok(StoredLetter {
        letter,
        created_at,
        sha256,
    })
}

/// The letters' conformance story, run by both engines' tests: store, read back identically,
/// the first letter stays, the gate refuses another region's clerk and an unknown client,
/// every read and write is in the client's access log with its purpose, and the letters
/// go when the client's data is deleted.
pub mod conformance {
    use vangnet_domain::events::{Melder, Urgentie, Woonsituatie};
    use vangnet_domain::{
        Actor, ClientEvent, ClientId, Date, GemeenteCode, Organisation, RegionId, Role,
    };

    use super::{NewLetter, pdf_hash};
    use crate::conformance::{clerk, write_new};
    use crate::{AccessGate, Store, StoreError};

    fn gate(purpose: &str) -> AccessGate {
        AccessGate::new(clerk().actor().clone(), purpose)
    }

    fn letter(client: u64, version: u32, pdf: &[u8]) -> NewLetter {
        NewLetter {
            client: ClientId(client),
            version,
            kenmerk: format!("CG-BW-2026-{}-{version}", ClientId(client)),
            datum: Date::parse("2026-02-01").expect("date"),
            content: r#"{"onderwerp":"Besluit op uw aanvraag: u krijgt geen opvang"}"#.into(),
            pdf: pdf.to_vec(),
        }
    }

    /// Run the story on a fresh store.
    pub fn run_all(store: &dyn Store) {
        let c = 8_101;
        write_new(
            store,
            c,
            vec![(
                "2026-01-05",
                ClientEvent::Aanmelding {
                    regio: RegionId::parse("centraal-gelderland").expect("id"),
                    melder: Melder::Wijkteam,
                    herkomst_gemeente: Some(GemeenteCode::parse("GM0202").expect("code")),
                    woonsituatie: Woonsituatie::Dakloos,
                    urgentie: Urgentie::Regulier,
                    voordeur: None,
                },
            )],
        );
        let client = ClientId(c);
        let opstellen = gate("besluitbrief opstellen");
        let inzien = gate("besluitbrief inzien");
        assert_eq!(store.letter(&inzien, client, 3).expect("read"), None);
        assert!(store.letters(&inzien, client).expect("list").is_empty());

        // Bytes above 0x7F and a NUL survive the round trip.
        let pdf = b"%PDF-1.7\n%\x80\x80\x80\x80\n(No\xeblle)\x00 %%EOF".to_vec();
        let first = store
            .store_letter(&opstellen, letter(c, 3, &pdf))
            .expect("store");
        assert_eq!(first.letter, letter(c, 3, &pdf));
        assert_eq!(first.sha256, pdf_hash(&pdf));
        assert_eq!(first.sha256.len(), 64);
        // A second production (say, after the template changed) does not replace it.
        let again = store
            .store_letter(&opstellen, letter(c, 3, b"%PDF-1.7 another template"))
            .expect("store again");
        assert_eq!(again, first);
        let read = store
            .letter(&inzien, client, 3)
            .expect("read")
            .expect("stored");
        assert_eq!(read, first);
        assert_eq!(read.letter.pdf, pdf);
        // A corrected decision (a later version) gets its own letter.
        store
            .store_letter(&opstellen, letter(c, 5, b"%PDF-1.7 corrected"))
            .expect("store v5");
        let list = store.letters(&inzien, client).expect("list");
        assert_eq!(
            list.iter()
                .map(|l| (l.version, l.kenmerk.as_str()))
                .collect::<Vec<_>>(),
            [(3, "CG-BW-2026-P00008101-3"), (5, "CG-BW-2026-P00008101-5")]
        );
        assert_eq!(list[0].created_at, first.created_at);

        // Another region's clerk: refused, for reading and for writing; so is a probe.
        let other = AccessGate::new(
            Actor {
                user: "x.anders".into(),
                role: Role::Toegangsmedewerker,
                organisation: Organisation::Regio(RegionId::parse("drechtsteden").expect("id")),
            },
            "besluitbrief inzien",
        );
        assert!(matches!(
            store.letter(&other, client, 3),
            Err(StoreError::Denied(_))
        ));
        assert!(matches!(
            store.letters(&other, client),
            Err(StoreError::Denied(_))
        ));
        assert!(matches!(
            store.store_letter(&other, letter(c, 7, b"%PDF-")),
            Err(StoreError::Denied(_))
        ));
        assert!(matches!(
            store.letter(&inzien, ClientId(8_999), 1),
            Err(StoreError::Denied(_))
        ));
        assert_eq!(store.letter(&inzien, client, 7).expect("read"), None);

        // Every one of these is in the client's access log, with its purpose.
        let rows = store.client_access_log(&clerk(), client).expect("inzage");
        let of = |purpose: &str, allowed: bool| {
            rows.iter()
                .filter(|e| e.purpose == purpose && e.allowed == allowed)
                .count()
        };
        assert_eq!(of("besluitbrief opstellen", true), 3, "{rows:?}");
        assert_eq!(of("besluitbrief inzien", true), 5, "{rows:?}");
        assert_eq!(of("besluitbrief inzien", false), 3, "{rows:?}");
        assert!(
            rows.iter()
                .filter(|e| e.purpose == "besluitbrief opstellen")
                .all(|e| e.action == "lezen")
        );

        // The letters go with the client record when it is deleted after its retention.
        let old = 8_102;
        write_new(
            store,
            old,
            vec![
                (
                    "2005-03-01",
                    ClientEvent::Aanmelding {
                        regio: RegionId::parse("centraal-gelderland").expect("id"),
                        melder: Melder::Wijkteam,
                        herkomst_gemeente: Some(GemeenteCode::parse("GM0202").expect("code")),
                        woonsituatie: Woonsituatie::Thuis,
                        urgentie: Urgentie::Regulier,
                        voordeur: None,
                    },
                ),
                (
                    "2005-04-01",
                    ClientEvent::Afwijzing {
                        reden: "geen beschermd wonen nodig".into(),
                        casusregie: "wijkteam".into(),
                    },
                ),
            ],
        );
        store
            .store_letter(&opstellen, letter(old, 2, b"%PDF-1.7 old"))
            .expect("store old");
        let job = AccessGate::job(
            Actor {
                user: "b.smit".into(),
                role: Role::Systeem,
                organisation: Organisation::Vangnet,
            },
            "bewaartermijn_clienten",
        );
        store
            .delete_client_data(&job, ClientId(old), "opschonen")
            .expect("past retention");
        let system = AccessGate::system("test");
        assert!(
            store
                .letter(&system, ClientId(old), 2)
                .is_err_and(|e| matches!(e, StoreError::NotFound(_))),
            "the letter went with the record"
        );
        assert_eq!(
            store
                .letter(&system, client, 3)
                .expect("read")
                .map(|l| l.letter.pdf),
            Some(pdf),
            "another client's letter stays"
        );
    }
}
