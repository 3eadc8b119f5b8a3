//! Streaming import validation. Each row is checked against the client's state as it
//! stands after the rows before it (and the stored history), exactly like an append.
//! Engines wrap this in one transaction: in [`ImportMode::AllOrNothing`] a single bad row
//! rolls everything back and every error is reported; in [`ImportMode::SkipBad`] good rows
//! land and bad rows are reported. Never a silent half-import.

use serde::{Deserialize, Serialize};
use vangnet_domain::monitor::Tally;
use vangnet_domain::state::{ClientState, StreamEntry, is_in_order, refold_appended};
use vangnet_domain::{Actor, ClientEvent, ClientId, Date, RecordedEvent, Regions};

use crate::StoreResult;
use crate::projection::{OccupancyKey, occupancy_key};

/// One row of an import file (JSON Lines or CSV).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRow {
    /// Client stream.
    pub client: ClientId,
    /// Expected version in the stream (checked when given).
    #[serde(default)]
    pub version: Option<u32>,
    /// Effective date.
    pub effective: Date,
    /// Who recorded it originally (defaults to the importing system actor).
    #[serde(default)]
    pub actor: Option<Actor>,
    /// Original recording time, an RFC 3339 instant with offset (defaults to now).
    #[serde(
        default,
        with = "vangnet_domain::clock::serde_rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub recorded_at: Option<vangnet_domain::clock::Timestamp>,
    /// The fact.
    pub event: ClientEvent,
    /// Original global sequence number (ignored on import; present in exports).
    #[serde(default)]
    pub seq: Option<u64>,
    /// Line in the source file (set by the reader, for error messages; 0 when unknown).
    #[serde(skip)]
    pub line: u64,
}

impl From<RecordedEvent> for ImportRow {
    fn from(r: RecordedEvent) -> Self {
        ImportRow {
            client: r.client,
            version: Some(r.version),
            effective: r.effective,
            actor: Some(r.actor),
            recorded_at: Some(r.recorded_at),
            event: r.event,
            seq: Some(r.seq),
            line: 0,
        }
    }
}

/// A rejected row: its line (1-based; for CSV the header is line 1) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Line in the file.
    pub line: u64,
    /// What is wrong, naming the field.
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "regel {}: {}", self.line, self.message)
    }
}

/// The longest line an import reads: 64 KiB. A longer line is a row error and is never
/// held in memory whole (issue 11, finding 9: a 400 MB line took 2 GB).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// What [`read_line_bounded`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundedLine {
    /// End of input: nothing was read.
    Eof,
    /// A line (with its `\n`, if it had one) is in the buffer.
    Line,
    /// The line had this many bytes (without `\n`), more than the limit; it was skipped
    /// and the buffer is empty.
    TooLong(u64),
}

/// Read one line through `\n` into `buf` (cleared first), keeping at most `max` bytes:
/// the rest of a longer line is read past in pieces and dropped, so memory stays bounded
/// whatever the input.
pub fn read_line_bounded<R: std::io::BufRead + ?Sized>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<BoundedLine> {
    buf.clear();
    let mut total: u64 = 0;
    let mut newline = false;
    while !newline {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let n = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => {
                newline = true;
                i + 1
            }
            None => chunk.len(),
        };
        let room = (max + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..n.min(room)]);
        total += n as u64;
        reader.consume(n);
    }
    if total == 0 {
        return Ok(BoundedLine::Eof);
    }
    let length = total - u64::from(newline);
    if length > max as u64 {
        buf.clear();
        return Ok(BoundedLine::TooLong(length));
    }
    Ok(BoundedLine::Line)
}

/// What to do with bad rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ImportMode {
    /// Any bad row rejects the whole file.
    AllOrNothing,
    /// Good rows land; bad rows are reported.
    SkipBad,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Rows read.
    pub read: u64,
    /// Rows written.
    pub imported: u64,
    /// Bad rows (all of them; the CLI prints them).
    pub rejected: Vec<RowError>,
    /// Clients touched.
    pub clients: u64,
    /// Whether anything was committed.
    pub committed: bool,
}

/// What the importer tracks per touched client.
#[derive(Debug)]
pub struct Tracked {
    /// Occupancy key before the import (to decrement).
    pub before_occupancy: Option<OccupancyKey>,
    /// Whether the client had a waiting-list row before.
    pub existed: bool,
    /// State now.
    pub state: ClientState,
}

/// The streaming validator.
pub struct Importer<'r> {
    regions: &'r Regions,
    /// Today, for the date limits ([`vangnet_domain::limits`]).
    today: Date,
    clients: vangnet_domain::hash::KeyedHashMap<ClientId, Tracked>,
    monitor: Tally,
}

impl<'r> Importer<'r> {
    /// A fresh importer.
    pub fn new(regions: &'r Regions) -> Importer<'r> {
        Importer {
            regions,
            today: crate::time::today(),
            clients: Default::default(),
            monitor: Tally::new(),
        }
    }

    /// Validate one row. `load_state` gives the stored state of a client not yet touched;
    /// `load_stream` gives a client's full stream (stored plus already-imported rows, as
    /// visible in the import transaction) when a refold is needed. Returns the version
    /// assigned to the row.
    pub fn accept(
        &mut self,
        line: u64,
        row: &ImportRow,
        load_state: &mut dyn FnMut(ClientId) -> StoreResult<Option<ClientState>>,
        load_stream: &mut dyn FnMut(ClientId) -> StoreResult<Vec<RecordedEvent>>,
    ) -> StoreResult<Result<u32, RowError>> {
        let err = |message: String| Ok(Err(RowError { line, message }));
        if let Err(e) = vangnet_domain::limits::check_fact(row.effective, &row.event, self.today) {
            return err(e.to_string());
        }
        if !self.clients.contains_key(&row.client)
            && let Some(s) = load_state(row.client)?
        {
            self.clients.insert(
                row.client,
                Tracked {
                    before_occupancy: occupancy_key(&s),
                    existed: true,
                    state: s,
                },
            );
        }
        let current = self.clients.get(&row.client).map(|t| &t.state);
        let version = current.map_or(0, |s| s.version) + 1;
        if let Some(v) = row.version
            && v != version
        {
            return err(format!(
                "version: verwacht versie {version} voor {}, gevonden {v}",
                row.client
            ));
        }
        let next = match current {
            None => match ClientState::open(
                row.client,
                version,
                row.effective,
                &row.event,
                self.regions,
            ) {
                Ok(s) => {
                    self.monitor
                        .observe(self.regions, None, row.effective, &row.event, &s, 1);
                    s
                }
                Err(e) => return err(e.to_string()),
            },
            Some(s)
                if row.effective <= self.today
                    && s.volgende_gepland.is_none()
                    && is_in_order(s, row.effective, &row.event) =>
            {
                // Fast path: apply in place (apply leaves the state unchanged on error).
                let t = self.clients.get_mut(&row.client).expect("tracked above");
                let (regions, monitor) = (self.regions, &mut self.monitor);
                if let Err(e) = t.state.apply_observed(
                    version,
                    row.effective,
                    &row.event,
                    regions,
                    &mut |b, d, e, a| monitor.observe(regions, b, d, e, a, 1),
                ) {
                    return err(e.to_string());
                }
                return Ok(Ok(version));
            }
            Some(s) => {
                let stored = load_stream(row.client)?;
                let entries: Vec<StreamEntry<'_>> = stored.iter().map(StreamEntry::from).collect();
                match refold_appended(
                    s,
                    &entries,
                    version,
                    row.effective,
                    &row.event,
                    self.regions,
                ) {
                    Ok(s) => {
                        let mut all = entries.clone();
                        all.push(StreamEntry {
                            version,
                            effective: row.effective,
                            event: &row.event,
                        });
                        crate::plan::stream_tally(
                            row.client,
                            &entries,
                            self.regions,
                            -1,
                            &mut self.monitor,
                        );
                        crate::plan::stream_tally(
                            row.client,
                            &all,
                            self.regions,
                            1,
                            &mut self.monitor,
                        );
                        // Planned facts take effect on their date: keep the state of today.
                        crate::plan::state_as_of(s, &all, self.regions, self.today)?
                    }
                    Err(e) => return err(e.to_string()),
                }
            }
        };
        match self.clients.get_mut(&row.client) {
            Some(t) => t.state = next,
            None => {
                self.clients.insert(
                    row.client,
                    Tracked {
                        before_occupancy: None,
                        existed: false,
                        state: next,
                    },
                );
            }
        }
        Ok(Ok(version))
    }

    /// Every touched client, for writing projections at the end, by client id: the
    /// projection tables are keyed by client, so writes in key order append to their
    /// b-trees instead of landing on random pages.
    pub fn into_touched(self) -> impl Iterator<Item = Tracked> {
        let mut touched: Vec<Tracked> = self.clients.into_values().collect();
        touched.sort_unstable_by_key(|t| t.state.client);
        touched.into_iter()
    }

    /// The monitor delta of every accepted row (taken once, before [`Importer::into_touched`]).
    pub fn take_monitor(&mut self) -> Tally {
        std::mem::take(&mut self.monitor)
    }

    /// Number of touched clients.
    pub fn touched(&self) -> usize {
        self.clients.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_longer_than_the_limit_is_skipped_not_read_whole() {
        let mut data = b"kort\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 100));
        data.extend_from_slice(b"\nprecies10!\nlaatste");
        // A reader with a small buffer: the long line arrives in pieces.
        let mut r = std::io::BufReader::with_capacity(7, &data[..]);
        let mut buf = Vec::new();
        let mut next = || {
            let got = read_line_bounded(&mut r, &mut buf, 10).unwrap();
            (got, String::from_utf8(buf.clone()).unwrap())
        };
        assert_eq!(next(), (BoundedLine::Line, "kort\n".into()));
        assert_eq!(next(), (BoundedLine::TooLong(100), String::new()));
        assert_eq!(next(), (BoundedLine::Line, "precies10!\n".into()));
        assert_eq!(next(), (BoundedLine::Line, "laatste".into()));
        assert_eq!(next(), (BoundedLine::Eof, String::new()));
    }
}
