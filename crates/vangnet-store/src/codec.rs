//! Engine-independent decoding of stored rows: every engine stores an event as the same
//! columns (see the engines' `0001_init.sql`), and turns them back into a
//! [`RecordedEvent`] here, so a malformed row is reported the same way whatever the engine.

use vangnet_domain::clock;
use vangnet_domain::{Actor, ClientEvent, ClientId, Date, Organisation, RecordedEvent, Role};

use crate::StoreError;

/// Turn stored event columns back into a recorded event. Any column that does not parse
/// is a [`StoreError::Backend`] naming the event's sequence number and the column.
#[allow(clippy::too_many_arguments)]
pub fn decode_event(
    seq: i64,
    client: i64,
    version: u32,
    eff: &str,
    recorded_at: String,
    user: String,
    role: &str,
    org: &str,
    payload: &str,
) -> Result<RecordedEvent, StoreError> {
    let bad = |what: &str| StoreError::Backend(format!("gebeurtenis {seq}: {what} onleesbaar"));
    Ok(RecordedEvent {
        seq: seq as u64,
        client: ClientId(client as u64),
        version,
        effective: Date::parse(eff).map_err(|_| bad("effective_date"))?,
        recorded_at: clock::parse_stored_instant(&recorded_at).ok_or_else(|| bad("recorded_at"))?,
        actor: Actor {
            user,
            role: Role::parse(role).ok_or_else(|| bad("actor_role"))?,
            organisation: Organisation::parse(org).ok_or_else(|| bad("actor_org"))?,
        },
        event: serde_json::from_str::<ClientEvent>(payload).map_err(|_| bad("payload"))?,
    })
}
