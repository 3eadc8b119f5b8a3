//! Vangnet's domain: validated types, the client-event vocabulary, region profiles, the
//! rules an event must satisfy and the access policy.
//!
//! Architecture invariant: this crate does no I/O — no files, no network, no clock, no
//! database. Everything is a function of its inputs, so it can be tested exhaustively and
//! reused by the store, the web layer, the monitor and the simulation alike.

pub mod access;
pub mod acties;
pub mod clock;
pub mod date;
pub mod events;
pub mod frontdoor;
pub mod gemeenten;
pub mod hash;
pub mod ids;
pub mod limits;
pub mod maand;
pub mod matching;
pub mod monitor;
pub mod person;
pub mod plaatsen;
pub mod region;
pub mod retention;
pub mod rng;
pub mod rules;
pub mod state;
pub mod woningafspraken;
pub mod woonplaats;
pub mod worklist;

pub use date::Date;
pub use events::{Actor, ClientEvent, Organisation, RecordedEvent, Role};
pub use ids::{AgbCode, Bsn, ClientId, GemeenteCode, LocationId, ProductCode, RegionId};
pub use maand::Maand;
pub use region::{RegionProfile, Regions};
pub use state::{ClientState, RuleError};
