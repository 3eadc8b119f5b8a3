//! The NEN 7513 access log as a **hash chain**: the one definition of a row's canonical
//! encoding and hash, the chain's head (where the next row goes), anchors, the verifier
//! that finds the first broken or missing row, and the retention periods per data kind.
//! Pure: the engines read and write the rows, this module only computes.
//!
//! # Canonical encoding (version 1)
//!
//! `hash = SHA-256(encoding)`, stored as 64 lowercase hex digits, where `encoding` is the
//! bytes of the tag `vangnet-toegangslog-v1` followed by these fields, in this order, each
//! as a **field**: a 4-byte big-endian length and then that many bytes of UTF-8, or the
//! length `0xFFFF_FFFF` and nothing for an absent (NULL) value:
//!
//! 1. `seq` — the sequence number, decimal (`"1"`, `"2"`, …);
//! 2. `at` — the time as stored (RFC 3339, UTC);
//! 3. `user`, 4. `role`, 5. `organisation`;
//! 6. `session` (absent until accounts exist), 7. `address` (absent when unknown);
//! 8. `client` — the client id's number, decimal, or absent;
//! 9. `action`, 10. `purpose`;
//! 11. `allowed` — `"1"` or `"0"`;
//! 12. `reason`;
//! 13. `prev_hash` — the previous row's `hash` as 64 hex digits ([`GENESIS`] for row 1).
//!
//! Length prefixes make the encoding unambiguous (no separator can be forged inside a
//! field). [`tests::known_answer`] pins one row's hash; any change of the encoding must
//! change the tag.
//!
//! # Sequence, anchors, retention
//!
//! Rows are numbered 1, 2, 3, … without gaps, assigned under the log's write lock (the
//! engine's writer: SQLite's single writer connection, PostgreSQL's log advisory lock).
//! An **anchor** records the hash at a sequence number: one every [`ANCHOR_EVERY`] rows
//! (written with the row) and on `vangnet audit anchor`. Retention deletes the oldest rows
//! only **up to and including an anchor**, and records that as a chained row
//! ([`RETENTION_ACTION`], reason starting with [`retention_marker`]): the remaining chain
//! starts at `anchor + 1` with `prev_hash` = the anchor's hash, and the verifier accepts a
//! log that starts after row 1 only in that case.
//!
//! What a chain in the same database cannot prove: someone who can write to the database
//! and knows this (public) encoding can append correctly chained rows at the end, or cut
//! off the rows after the last anchor. Anchors written down outside the database (the hash
//! `vangnet audit anchor` prints) detect any later change before them.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::gate::AccessEntry;

/// The `prev_hash` of row 1.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An anchor is written with every row whose sequence number is a multiple of this.
pub const ANCHOR_EVERY: u64 = 1_000;

/// The tag that starts every encoding (its version).
const TAG: &[u8] = b"vangnet-toegangslog-v1";

/// The action of the chained row that records a retention deletion.
pub const RETENTION_ACTION: &str = "toegangslog_opschonen";

fn field(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        Some(s) => {
            let len = u32::try_from(s.len()).unwrap_or(u32::MAX - 1);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&s.as_bytes()[..len as usize]);
        }
        None => out.extend_from_slice(&u32::MAX.to_be_bytes()),
    }
}

/// The canonical encoding of row `seq` holding `e`, chained to `prev_hash` (see the module
/// documentation).
pub fn encode(seq: u64, e: &AccessEntry, prev_hash: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(TAG);
    field(&mut out, Some(&seq.to_string()));
    field(&mut out, Some(&e.at));
    field(&mut out, Some(&e.user));
    field(&mut out, Some(&e.role));
    field(&mut out, Some(&e.organisation));
    field(&mut out, e.session.as_deref());
    field(&mut out, e.address.as_deref());
    field(&mut out, e.client.map(|c| c.0.to_string()).as_deref());
    field(&mut out, Some(&e.action));
    field(&mut out, Some(&e.purpose));
    field(&mut out, Some(if e.allowed { "1" } else { "0" }));
    field(&mut out, Some(&e.reason));
    field(&mut out, Some(prev_hash));
    out
}

/// The hash of row `seq` holding `e` after `prev_hash`: SHA-256 of [`encode`], lowercase hex.
pub fn row_hash(seq: u64, e: &AccessEntry, prev_hash: &str) -> String {
    let digest = Sha256::digest(encode(seq, e, prev_hash));
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    s
}

/// One row ready to be written: its number, the previous hash and its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Sequence number.
    pub seq: u64,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
    /// Whether an anchor is due with this row (`seq` a multiple of [`ANCHOR_EVERY`]).
    pub anchor: bool,
}

/// The chain's head: the last row's number and hash (or the newest anchor's, when retention
/// left no row; or 0 and [`GENESIS`] for an empty log). Read under the log's write lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The last sequence number written (0: none).
    pub seq: u64,
    /// Its hash.
    pub hash: String,
}

impl Head {
    /// The head of an empty log.
    pub fn genesis() -> Head {
        Head {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }

    /// Chain `e` after the head and advance it.
    pub fn link(&mut self, e: &AccessEntry) -> Link {
        let seq = self.seq + 1;
        let hash = row_hash(seq, e, &self.hash);
        let prev_hash = std::mem::replace(&mut self.hash, hash.clone());
        self.seq = seq;
        Link {
            seq,
            prev_hash,
            hash,
            anchor: seq.is_multiple_of(ANCHOR_EVERY),
        }
    }
}

/// An anchor: the hash of row `seq`, kept when older rows are deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Sequence number.
    pub seq: u64,
    /// The hash of that row.
    pub hash: String,
    /// When the anchor was written (RFC 3339).
    pub at: String,
}

/// A row as stored, for verification (hashes may be missing in a damaged log).
#[derive(Debug, Clone)]
pub struct StoredRow {
    /// Sequence number.
    pub seq: u64,
    /// The fields.
    pub entry: AccessEntry,
    /// Stored previous hash.
    pub prev_hash: Option<String>,
    /// Stored hash.
    pub hash: Option<String>,
}

/// The first thing wrong with a chain, in Dutch for the auditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// Row `expected` is missing: after `expected - 1` the next row is `found`.
    Missing {
        /// The number that should have come next.
        expected: u64,
        /// The number that came.
        found: u64,
    },
    /// The log starts at `first` without a retention record and anchor at `first - 1`.
    StartMissing {
        /// The first row present.
        first: u64,
    },
    /// Row `seq` has no hash or previous hash.
    Unchained {
        /// Sequence number.
        seq: u64,
    },
    /// Row `seq`'s stored previous hash is not the hash before it.
    PrevMismatch {
        /// Sequence number.
        seq: u64,
    },
    /// Row `seq`'s contents do not give its stored hash: it was changed (or forged).
    HashMismatch {
        /// Sequence number.
        seq: u64,
    },
    /// Row `seq`'s hash differs from the anchor at `seq`.
    AnchorMismatch {
        /// Sequence number.
        seq: u64,
    },
    /// An anchor at `anchor` lies beyond the last row `last`: rows were cut off at the end.
    TailMissing {
        /// The last row present (0: none).
        last: u64,
        /// The anchor beyond it.
        anchor: u64,
    },
}

impl ChainProblem {
    /// The sequence number of the first broken or missing row.
    pub fn seq(&self) -> u64 {
        match self {
            ChainProblem::Missing { expected, .. } => *expected,
            ChainProblem::StartMissing { .. } => 1,
            ChainProblem::Unchained { seq }
            | ChainProblem::PrevMismatch { seq }
            | ChainProblem::HashMismatch { seq }
            | ChainProblem::AnchorMismatch { seq } => *seq,
            ChainProblem::TailMissing { last, .. } => last + 1,
        }
    }

    /// A stable code for programs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            ChainProblem::Missing { .. } => "ontbreekt",
            ChainProblem::StartMissing { .. } => "begin_ontbreekt",
            ChainProblem::Unchained { .. } => "geen_hash",
            ChainProblem::PrevMismatch { .. } => "vorige_hash",
            ChainProblem::HashMismatch { .. } => "hash",
            ChainProblem::AnchorMismatch { .. } => "anker",
            ChainProblem::TailMissing { .. } => "einde_ontbreekt",
        }
    }
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainProblem::Missing { expected, found } if found > expected => write!(
                f,
                "rij {expected} ontbreekt: na rij {} volgt rij {found} (verwijderd)",
                expected - 1
            ),
            ChainProblem::Missing { expected, found } => write!(
                f,
                "rij {expected} ontbreekt: na rij {} volgt rij {found} (volgorde verstoord of rij ingevoegd)",
                expected - 1
            ),
            ChainProblem::StartMissing { first } => write!(
                f,
                "rijen 1 t/m {} ontbreken: het log begint bij rij {first} zonder geregistreerde opschoning tot een anker",
                first - 1
            ),
            ChainProblem::Unchained { seq } => {
                write!(
                    f,
                    "rij {seq} heeft geen hash (buiten Vangnet om toegevoegd)"
                )
            }
            ChainProblem::PrevMismatch { seq } => write!(
                f,
                "rij {seq}: de vorige-hash klopt niet met rij {} (rij ingevoegd, verwijderd of verplaatst)",
                seq - 1
            ),
            ChainProblem::HashMismatch { seq } => write!(
                f,
                "rij {seq}: de inhoud past niet bij de hash (rij gewijzigd of vervalst)"
            ),
            ChainProblem::AnchorMismatch { seq } => {
                write!(f, "rij {seq}: de hash verschilt van het anker op rij {seq}")
            }
            ChainProblem::TailMissing { last, anchor } => write!(
                f,
                "rijen na rij {last} ontbreken: er is een anker op rij {anchor}"
            ),
        }
    }
}

/// The outcome of verifying the whole log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows checked.
    pub rows: u64,
    /// The first row present (0: none).
    pub first: u64,
    /// The last row checked (0: none).
    pub last: u64,
    /// Its hash (the anchor's or [`GENESIS`] when there is no row).
    pub last_hash: String,
    /// Anchors compared with their rows.
    pub anchors_checked: u64,
    /// The first problem, or `None` when the chain is intact.
    pub problem: Option<ChainProblem>,
}

impl ChainReport {
    /// Whether the chain is intact.
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

impl fmt::Display for ChainReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            None if self.rows == 0 => write!(f, "OK: het toegangslog is leeg"),
            None => {
                write!(
                    f,
                    "OK: {} rijen gecontroleerd (rij {} t/m {}), laatste hash {}",
                    self.rows, self.first, self.last, self.last_hash
                )?;
                if self.first > 1 {
                    write!(
                        f,
                        "; rijen 1 t/m {} zijn volgens de bewaartermijn verwijderd",
                        self.first - 1
                    )?;
                }
                write!(f, "; {} ankers kloppen", self.anchors_checked)
            }
            Some(p) => write!(
                f,
                "GEBROKEN bij rij {}: {p} ({} rijen ervoor in orde)",
                p.seq(),
                self.rows
            ),
        }
    }
}

/// The reason text of a retention row starts with this for deletion up to `upto`.
pub fn retention_marker(upto: u64) -> String {
    format!("rijen t/m {upto} verwijderd")
}

/// The reason of the chained row that records a retention deletion of `rows` rows up to
/// and including the anchor at `anchor`, written before `cutoff`.
pub fn retention_reason(anchor: u64, rows: u64, cutoff: &str) -> String {
    format!(
        "{} ({rows} rijen geschreven vóór {cutoff}; bewaartermijn verstreken, tot het anker op rij {anchor})",
        retention_marker(anchor)
    )
}

/// Verifies a log fed row by row in sequence order: the first problem stops it.
#[derive(Debug)]
pub struct Verifier {
    anchors: Vec<Anchor>,
    next_anchor: usize,
    expected: Option<u64>,
    prev: String,
    first: u64,
    rows: u64,
    anchors_checked: u64,
    problem: Option<ChainProblem>,
    /// The log starts after row 1 here (checked at the end for a retention row).
    start_after: Option<u64>,
    retention_seen: bool,
}

impl Verifier {
    /// A verifier with every anchor (any order).
    pub fn new(mut anchors: Vec<Anchor>) -> Verifier {
        anchors.sort_by_key(|a| a.seq);
        Verifier {
            anchors,
            next_anchor: 0,
            expected: None,
            prev: GENESIS.to_owned(),
            first: 0,
            rows: 0,
            anchors_checked: 0,
            problem: None,
            start_after: None,
            retention_seen: false,
        }
    }

    /// Check the next row; `false` once a problem was found (stop feeding).
    pub fn push(&mut self, row: &StoredRow) -> bool {
        if self.problem.is_some() {
            return false;
        }
        match self.expected {
            None => {
                self.first = row.seq;
                if row.seq > 1 {
                    // Only after a retention deletion up to an anchor at seq - 1.
                    match self.anchors.iter().find(|a| a.seq == row.seq - 1) {
                        Some(a) => {
                            self.prev = a.hash.clone();
                            self.start_after = Some(a.seq);
                        }
                        None => {
                            self.problem = Some(ChainProblem::StartMissing { first: row.seq });
                            return false;
                        }
                    }
                }
            }
            Some(expected) if row.seq != expected => {
                self.problem = Some(ChainProblem::Missing {
                    expected,
                    found: row.seq,
                });
                return false;
            }
            Some(_) => {}
        }
        while self
            .anchors
            .get(self.next_anchor)
            .is_some_and(|a| a.seq < row.seq)
        {
            self.next_anchor += 1;
        }
        let (Some(prev_hash), Some(hash)) = (&row.prev_hash, &row.hash) else {
            self.problem = Some(ChainProblem::Unchained { seq: row.seq });
            return false;
        };
        if *prev_hash != self.prev {
            self.problem = Some(ChainProblem::PrevMismatch { seq: row.seq });
            return false;
        }
        if row_hash(row.seq, &row.entry, prev_hash) != *hash {
            self.problem = Some(ChainProblem::HashMismatch { seq: row.seq });
            return false;
        }
        if let Some(a) = self.anchors.get(self.next_anchor)
            && a.seq == row.seq
        {
            if a.hash != *hash {
                self.problem = Some(ChainProblem::AnchorMismatch { seq: row.seq });
                return false;
            }
            self.anchors_checked += 1;
            self.next_anchor += 1;
        }
        if let Some(upto) = self.start_after
            && row.entry.action == RETENTION_ACTION
            && row.entry.reason.starts_with(&retention_marker(upto))
        {
            self.retention_seen = true;
        }
        self.prev = hash.clone();
        self.expected = Some(row.seq + 1);
        self.rows += 1;
        true
    }

    /// The report after the last row.
    pub fn finish(mut self) -> ChainReport {
        let last = self.expected.map_or(0, |e| e - 1);
        if self.problem.is_none() {
            if self.start_after.is_some() && !self.retention_seen {
                self.problem = Some(ChainProblem::StartMissing { first: self.first });
            } else if let Some(a) = self.anchors.iter().rev().find(|a| a.seq > last)
                && (self.rows > 0 || a.seq > 0)
            {
                // An anchor beyond the last row: the end was cut off. (Retention keeps
                // the row after its anchor, so a log never legitimately ends before one.)
                self.problem = Some(ChainProblem::TailMissing {
                    last,
                    anchor: a.seq,
                });
            }
        }
        ChainReport {
            rows: self.rows,
            first: self.first,
            last,
            last_hash: self.prev,
            anchors_checked: self.anchors_checked,
            problem: self.problem,
        }
    }
}

/// The retention periods per data kind live in the pure domain
/// ([`vangnet_domain::retention`]); re-exported here where the log's retention uses them.
pub use vangnet_domain::retention::{RETENTION, RetentionRule, retention};

/// What a retention run of the access log found (and did, when executed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionReport {
    /// Rows written before this moment (RFC 3339) are past their period.
    pub cutoff: String,
    /// The first row present before the run (0: none).
    pub first: u64,
    /// The newest row past its period, if any.
    pub due_until: Option<u64>,
    /// The anchor the deletion stops at (rows `first..=anchor` go), if one fits.
    pub anchor: Option<u64>,
    /// Rows deleted (0 when not executed or nothing fits).
    pub deleted: u64,
    /// Rows that would be (or were) deleted.
    pub deletable: u64,
    /// Whether it was executed.
    pub executed: bool,
}

impl RetentionReport {
    /// The plan of a retention run, before anything is deleted: `first`/`last` are the
    /// log's first and last row ids (0 for an empty log), `young` the first row not yet past
    /// `cutoff` (`None`: every row is), `anchors` the anchored sequence numbers. Both engines
    /// read those four and call this.
    pub fn plan(
        cutoff: &str,
        execute: bool,
        first: u64,
        last: u64,
        young: Option<u64>,
        anchors: &[u64],
    ) -> RetentionReport {
        let first_young = young.unwrap_or(last + 1);
        let anchor = retention_anchor(anchors, first, first_young);
        RetentionReport {
            cutoff: cutoff.to_owned(),
            first,
            due_until: (first > 0 && first_young > first).then(|| first_young - 1),
            anchor,
            deleted: 0,
            deletable: anchor.map_or(0, |a| a + 1 - first),
            executed: execute,
        }
    }
}

/// The anchor a retention run may delete up to: the newest anchor before `first_young`
/// (the first row not yet past its period) and not before `first` (the first row present).
pub fn retention_anchor(anchors: &[u64], first: u64, first_young: u64) -> Option<u64> {
    anchors
        .iter()
        .copied()
        .filter(|a| *a >= first && *a < first_young)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::ClientId;

    pub(super) fn entry(i: u64) -> AccessEntry {
        AccessEntry {
            at: format!("2026-01-0{}T10:00:00.000Z", 1 + i % 9),
            user: "t.jansen".into(),
            role: "toegangsmedewerker".into(),
            organisation: "regio:centraal-gelderland".into(),
            session: None,
            address: None,
            client: Some(ClientId(i)),
            action: "lezen".into(),
            purpose: "dossier inzien".into(),
            allowed: true,
            reason: "eigen regio".into(),
        }
    }

    #[test]
    fn known_answer() {
        // The encoding of row 1 (fields as documented) and its SHA-256, computed outside Rust:
        //   printf 'vangnet-toegangslog-v1\x00\x00\x00\x011\x00\x00\x00\x182026-01-07T10:00:00.000Z
        //   \x00\x00\x00\x08t.jansen\x00\x00\x00\x12toegangsmedewerker\x00\x00\x00\x19regio:centraal-gelderland
        //   \xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x0242\x00\x00\x00\x05lezen\x00\x00\x00\x0edossier inzien
        //   \x00\x00\x00\x011\x00\x00\x00\x0beigen regio\x00\x00\x00\x40<64 zeros>' | sha256sum
        // (one line); pinned so the encoding can never change unnoticed.
        let e = entry(42);
        let enc = encode(1, &e, GENESIS);
        assert!(
            enc.starts_with(b"vangnet-toegangslog-v1\0\0\0\x011\0\0\0\x182026-01-07T10:00:00.000Z")
        );
        // session and address are absent: two 0xFFFFFFFF lengths after the organisation.
        let org = b"regio:centraal-gelderland";
        let pos = enc.windows(org.len()).position(|w| w == org).unwrap() + org.len();
        assert_eq!(&enc[pos..pos + 8], &[0xff; 8]);
        assert_eq!(&enc[pos + 8..pos + 14], b"\0\0\0\x0242");
        assert_eq!(
            row_hash(1, &e, GENESIS),
            "9d5529d7da2e42da39160c0570d69cd2c59e09db94ad98a8c3d2cb0b37242619"
        );
    }

    #[test]
    fn sha256_is_sha256() {
        // FIPS 180-2 test vector, so `row_hash` is plain SHA-256 of the encoding.
        let d = Sha256::digest(b"abc");
        assert_eq!(
            d.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn every_field_is_in_the_hash() {
        let base = entry(1);
        let h = row_hash(5, &base, GENESIS);
        let mut variants: Vec<AccessEntry> = Vec::new();
        let mut v = base.clone();
        v.at.push('x');
        variants.push(v);
        for f in [
            |e: &mut AccessEntry| e.user.push('x'),
            |e: &mut AccessEntry| e.role.push('x'),
            |e: &mut AccessEntry| e.organisation.push('x'),
            |e: &mut AccessEntry| e.session = Some(String::new()),
            |e: &mut AccessEntry| e.address = Some("127.0.0.1".into()),
            |e: &mut AccessEntry| e.client = None,
            |e: &mut AccessEntry| e.action.push('x'),
            |e: &mut AccessEntry| e.purpose.push('x'),
            |e: &mut AccessEntry| e.allowed = false,
            |e: &mut AccessEntry| e.reason.push('x'),
        ] {
            let mut v = base.clone();
            f(&mut v);
            variants.push(v);
        }
        for v in &variants {
            assert_ne!(row_hash(5, v, GENESIS), h, "{v:?}");
        }
        assert_ne!(row_hash(6, &base, GENESIS), h);
        assert_ne!(row_hash(5, &base, &"1".repeat(64)), h);
        // Moving text between fields changes the hash (length prefixes).
        let mut a = base.clone();
        a.user = "t.jansentoegangsmedewerker".into();
        a.role = String::new();
        assert_ne!(row_hash(5, &a, GENESIS), h);
    }

    fn chain(n: u64) -> (Vec<StoredRow>, Vec<Anchor>) {
        let mut head = Head::genesis();
        let mut rows = Vec::new();
        let mut anchors = Vec::new();
        for i in 1..=n {
            let e = entry(i);
            let l = head.link(&e);
            if i.is_multiple_of(4) {
                anchors.push(Anchor {
                    seq: l.seq,
                    hash: l.hash.clone(),
                    at: e.at.clone(),
                });
            }
            rows.push(StoredRow {
                seq: l.seq,
                entry: e,
                prev_hash: Some(l.prev_hash),
                hash: Some(l.hash),
            });
        }
        (rows, anchors)
    }

    fn verify(rows: &[StoredRow], anchors: &[Anchor]) -> ChainReport {
        let mut v = Verifier::new(anchors.to_vec());
        for r in rows {
            if !v.push(r) {
                break;
            }
        }
        v.finish()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (rows, anchors) = chain(10);
        let r = verify(&rows, &anchors);
        assert!(r.ok(), "{r}");
        assert_eq!((r.rows, r.first, r.last, r.anchors_checked), (10, 1, 10, 2));
        assert_eq!(Some(&r.last_hash), rows[9].hash.as_ref());
        assert!(verify(&[], &[]).ok());
    }

    #[test]
    fn a_changed_row_is_named() {
        let (mut rows, anchors) = chain(10);
        rows[6].entry.purpose = "iets anders".into();
        let r = verify(&rows, &anchors);
        assert_eq!(r.problem, Some(ChainProblem::HashMismatch { seq: 7 }));
        assert_eq!(r.rows, 6);
        assert!(r.to_string().contains("GEBROKEN bij rij 7"), "{r}");
    }

    #[test]
    fn a_deleted_row_is_named() {
        let (mut rows, anchors) = chain(10);
        rows.remove(2);
        let r = verify(&rows, &anchors);
        assert_eq!(
            r.problem,
            Some(ChainProblem::Missing {
                expected: 3,
                found: 4
            })
        );
        assert!(r.to_string().contains("rij 3 ontbreekt"), "{r}");
    }

    #[test]
    fn an_inserted_row_is_named() {
        let (mut rows, anchors) = chain(10);
        // Appended with the right previous hash but a made-up hash.
        let mut forged = rows[9].clone();
        forged.seq = 11;
        forged.prev_hash = rows[9].hash.clone();
        forged.hash = Some("ab".repeat(32));
        rows.push(forged.clone());
        assert_eq!(
            verify(&rows, &anchors).problem,
            Some(ChainProblem::HashMismatch { seq: 11 })
        );
        // Rows renumbered to make room in the middle: the hashes cover the number.
        let (mut rows, _) = chain(10);
        for r in rows.iter_mut().skip(4) {
            r.seq += 1;
        }
        let mut mid = forged;
        mid.seq = 5;
        mid.prev_hash = rows[3].hash.clone();
        rows.insert(4, mid);
        assert_eq!(
            verify(&rows, &[]).problem,
            Some(ChainProblem::HashMismatch { seq: 5 })
        );
    }

    #[test]
    fn cut_ends_and_starts_are_named() {
        let (rows, anchors) = chain(10);
        // The end cut off behind an anchor.
        assert_eq!(
            verify(&rows[..6], &anchors).problem,
            Some(ChainProblem::TailMissing { last: 6, anchor: 8 })
        );
        // The start cut off without an anchor, or at an anchor without a retention row.
        assert_eq!(
            verify(&rows[2..], &anchors).problem,
            Some(ChainProblem::StartMissing { first: 3 })
        );
        assert_eq!(
            verify(&rows[4..], &anchors).problem,
            Some(ChainProblem::StartMissing { first: 5 })
        );
        let (mut rows, anchors) = chain(10);
        rows[3].hash = None;
        assert_eq!(
            verify(&rows, &anchors).problem,
            Some(ChainProblem::Unchained { seq: 4 })
        );
    }

    #[test]
    fn retention_up_to_an_anchor_verifies() {
        let mut head = Head::genesis();
        let mut rows = Vec::new();
        let mut anchors = Vec::new();
        for i in 1..=10 {
            let mut e = entry(i);
            if i == 9 {
                e.action = RETENTION_ACTION.into();
                e.reason = format!("{} (4 rijen ouder dan …)", retention_marker(4));
            }
            let l = head.link(&e);
            if i == 4 {
                anchors.push(Anchor {
                    seq: 4,
                    hash: l.hash.clone(),
                    at: e.at.clone(),
                });
            }
            rows.push(StoredRow {
                seq: l.seq,
                entry: e,
                prev_hash: Some(l.prev_hash),
                hash: Some(l.hash),
            });
        }
        let r = verify(&rows[4..], &anchors);
        assert!(r.ok(), "{r}");
        assert_eq!((r.first, r.rows, r.anchors_checked), (5, 6, 0));
        assert!(
            r.to_string()
                .contains("rijen 1 t/m 4 zijn volgens de bewaartermijn verwijderd")
        );
        assert_eq!(retention_anchor(&[4, 8], 1, 7), Some(4));
        assert_eq!(retention_anchor(&[4, 8], 5, 7), None);
        assert_eq!(retention_anchor(&[4, 8], 1, 4), None);
        assert_eq!(retention_anchor(&[4, 8], 1, 100), Some(8));
    }
}
