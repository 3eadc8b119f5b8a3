//! Event files: JSON Lines (`.jsonl`, one event per line) and CSV (`.csv`, one event per row
//! with the fact as a JSON column). Reading is streaming and never trusts the file: bad
//! encoding, truncated lines and malformed rows become row errors with their line number,
//! and no line longer than [`MAX_LINE_BYTES`] is held in memory (JSON Lines: the line is
//! skipped as a row error; CSV: a row error, after which reading stops).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use vangnet_domain::clock;
use vangnet_domain::{Actor, ClientEvent, ClientId, Date, Organisation, RecordedEvent, Role};
use vangnet_store::import::{BoundedLine, MAX_LINE_BYTES, read_line_bounded};
use vangnet_store::{AccessGate, ImportMode, ImportRow, RowError, Store};

/// File formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines.
    Jsonl,
    /// CSV with header.
    Csv,
}

/// The format from the extension.
pub fn format_of(path: &Path) -> Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("jsonl") | Some("ndjson") | Some("json") => Ok(Format::Jsonl),
        Some("csv") => Ok(Format::Csv),
        _ => bail!(
            "{}: onbekend bestandsformaat; gebruik .jsonl of .csv",
            path.display()
        ),
    }
}

const CSV_HEADER: [&str; 9] = [
    "seq",
    "client",
    "version",
    "effective",
    "recorded_at",
    "actor_user",
    "actor_role",
    "actor_org",
    "event",
];

/// Rows of a JSON Lines file.
pub struct JsonlRows<R> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
    stopped: bool,
}

impl<R: BufRead> JsonlRows<R> {
    /// Read from `reader`.
    pub fn new(reader: R) -> Self {
        JsonlRows {
            reader,
            line: 0,
            buf: Vec::new(),
            stopped: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonlRows<R> {
    type Item = Result<ImportRow, RowError>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.stopped {
                return None;
            }
            self.buf.clear();
            self.line += 1;
            let line = self.line;
            match read_line_bounded(&mut self.reader, &mut self.buf, MAX_LINE_BYTES) {
                Ok(BoundedLine::Eof) => return None,
                Ok(BoundedLine::Line) => {}
                Ok(BoundedLine::TooLong(n)) => {
                    return Some(Err(RowError {
                        line,
                        message: format!(
                            "regel is {n} bytes lang; ten hoogste {} KiB per regel (niet gelezen)",
                            MAX_LINE_BYTES / 1024
                        ),
                    }));
                }
                Err(e) => {
                    self.stopped = true; // an I/O error repeats: report it once and stop
                    return Some(Err(RowError {
                        line,
                        message: format!("lezen mislukt: {e}"),
                    }));
                }
            }
            let complete = self.buf.last() == Some(&b'\n');
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t.trim(),
                Err(e) => {
                    return Some(Err(RowError {
                        line,
                        message: format!(
                            "geen geldige UTF-8 op byte {} (verkeerde tekencodering?)",
                            e.valid_up_to() + 1
                        ),
                    }));
                }
            };
            if text.is_empty() {
                continue;
            }
            return Some(
                serde_json::from_str::<ImportRow>(text)
                    .map(|r| ImportRow { line, ..r })
                    .map_err(|e| RowError {
                        line,
                        message: if !complete && e.is_eof() {
                            format!("regel is afgebroken (bestand onvolledig?): {e}")
                        } else {
                            format!("ongeldige regel: {e}")
                        },
                    }),
            );
        }
    }
}

/// A reader that fails once a physical line grows past [`MAX_LINE_BYTES`], so the CSV
/// reader never holds an overlong field: it reports the I/O error once and stops. The bytes
/// before the overlong part are handed on first; the error comes on the next read.
struct LineLimit<R> {
    inner: R,
    /// Bytes since the last `\n`.
    run: usize,
    /// Physical line (1-based) being read.
    line: u64,
    /// The line that was too long, once found.
    overflow: Option<u64>,
}

impl<R: std::io::Read> std::io::Read for LineLimit<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if let Some(line) = self.overflow {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "regel {line} is langer dan {} KiB (niet gelezen)",
                    MAX_LINE_BYTES / 1024
                ),
            ));
        }
        let n = self.inner.read(out)?;
        for (i, b) in out[..n].iter().enumerate() {
            if *b == b'\n' {
                self.run = 0;
                self.line += 1;
            } else {
                self.run += 1;
                if self.run > MAX_LINE_BYTES {
                    self.overflow = Some(self.line);
                    return Ok(i);
                }
            }
        }
        Ok(n)
    }
}

/// Rows of a CSV file.
pub struct CsvRows<R: std::io::Read> {
    reader: csv::Reader<LineLimit<R>>,
    record: csv::ByteRecord,
    header_checked: bool,
    stopped: bool,
}

impl<R: std::io::Read> CsvRows<R> {
    /// Read from `reader`.
    pub fn new(reader: R) -> Self {
        CsvRows {
            reader: csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(false)
                .from_reader(LineLimit {
                    inner: reader,
                    run: 0,
                    line: 1,
                    overflow: None,
                }),
            record: csv::ByteRecord::new(),
            header_checked: false,
            stopped: false,
        }
    }
}

fn csv_row(line: u64, rec: &csv::ByteRecord) -> Result<ImportRow, RowError> {
    let err = |message: String| RowError { line, message };
    let mut f = Vec::with_capacity(9);
    for (i, b) in rec.iter().enumerate() {
        f.push(std::str::from_utf8(b).map_err(|_| {
            err(format!(
                "kolom {}: geen geldige UTF-8 (verkeerde tekencodering?)",
                CSV_HEADER[i.min(8)]
            ))
        })?);
    }
    let client = ClientId::parse(f[1]).map_err(|e| err(format!("client: {e}")))?;
    let version = if f[2].is_empty() {
        None
    } else {
        Some(
            f[2].parse::<u32>()
                .map_err(|_| err(format!("version: '{}' is geen getal", f[2])))?,
        )
    };
    let effective = Date::parse(f[3]).map_err(|e| err(format!("effective: {e}")))?;
    let actor = if f[5].is_empty() {
        None
    } else {
        Some(Actor {
            user: f[5].to_owned(),
            role: Role::parse(f[6])
                .ok_or_else(|| err(format!("actor_role: onbekende rol '{}'", f[6])))?,
            organisation: Organisation::parse(f[7])
                .ok_or_else(|| err(format!("actor_org: onbekende organisatie '{}'", f[7])))?,
        })
    };
    let event: ClientEvent = serde_json::from_str(f[8]).map_err(|e| err(format!("event: {e}")))?;
    Ok(ImportRow {
        client,
        version,
        effective,
        actor,
        recorded_at: if f[4].is_empty() {
            None
        } else {
            Some(clock::parse_instant(f[4]).map_err(|e| err(format!("recorded_at: {e}")))?)
        },
        event,
        seq: f[0].parse().ok(),
        line,
    })
}

impl<R: std::io::Read> Iterator for CsvRows<R> {
    type Item = Result<ImportRow, RowError>;
    fn next(&mut self) -> Option<Self::Item> {
        if !self.header_checked {
            self.header_checked = true;
            match self.reader.byte_headers() {
                Ok(h) if h.iter().eq(CSV_HEADER.iter().map(|s| s.as_bytes())) => {}
                Ok(h) => {
                    let got: Vec<String> = h
                        .iter()
                        .map(|b| String::from_utf8_lossy(b).into_owned())
                        .collect();
                    return Some(Err(RowError {
                        line: 1,
                        message: format!(
                            "kopregel moet zijn '{}', gevonden '{}'",
                            CSV_HEADER.join(","),
                            got.join(",")
                        ),
                    }));
                }
                Err(e) => {
                    return Some(Err(RowError {
                        line: 1,
                        message: format!("kopregel onleesbaar: {e}"),
                    }));
                }
            }
        }
        if self.stopped {
            return None;
        }
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Some(csv_row(line, &self.record))
            }
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| p.line())
                    .or(self.reader.get_ref().overflow)
                    .unwrap_or(0);
                let message = match e.kind() {
                    csv::ErrorKind::Io(io) if self.reader.get_ref().overflow.is_some() => {
                        io.to_string()
                    }
                    csv::ErrorKind::UnequalLengths { len, .. } => format!(
                        "rij heeft {len} kolommen in plaats van 9 (afgebroken of verschoven?)"
                    ),
                    _ => format!("ongeldige CSV: {e}"),
                };
                // After a hard I/O error the reader cannot go on: report it once and stop.
                self.stopped = matches!(e.kind(), csv::ErrorKind::Io(_));
                Some(Err(RowError { line, message }))
            }
        }
    }
}

/// Open `path` and return its rows, parsed on a thread of their own (in batches) so that
/// parsing and validating/writing use both cores.
pub fn read_rows_threaded(
    path: &Path,
) -> Result<impl Iterator<Item = Result<ImportRow, RowError>>> {
    let rows = read_rows(path)?;
    let (send, recv) = std::sync::mpsc::sync_channel::<Vec<Result<ImportRow, RowError>>>(32);
    std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(2048);
        for r in rows {
            batch.push(r);
            if batch.len() == 2048
                && send
                    .send(std::mem::replace(&mut batch, Vec::with_capacity(2048)))
                    .is_err()
            {
                return; // the importer stopped
            }
        }
        let _ = send.send(batch);
    });
    Ok(recv.into_iter().flatten())
}

/// Open `path` and return its rows.
pub fn read_rows(
    path: &Path,
) -> Result<Box<dyn Iterator<Item = Result<ImportRow, RowError>> + Send>> {
    let file = File::open(path).with_context(|| format!("{} niet leesbaar", path.display()))?;
    let reader = BufReader::with_capacity(1 << 20, file);
    Ok(match format_of(path)? {
        Format::Jsonl => Box::new(JsonlRows::new(reader)),
        Format::Csv => Box::new(CsvRows::new(reader)),
    })
}

/// `vangnet import`.
/// `gate`: the job in the name of who started it ([`AccessGate::job`]).
pub fn import(store: &dyn Store, gate: &AccessGate, path: &Path, mode: ImportMode) -> Result<()> {
    let mut rows = read_rows_threaded(path)?;
    let t = Instant::now();
    let pb = crate::progress(None, "importeren");
    let report = store.import(gate, &mut rows, mode, &|n| pb.set_position(n))?;
    pb.finish_and_clear();
    let secs = t.elapsed().as_secs_f64();
    for e in &report.rejected {
        eprintln!("{}:{e}", path.display());
    }
    if !report.committed {
        bail!(
            "{}: bestand afgewezen — {} foute regel(s) van {}; er is niets geïmporteerd (gebruik --skip-bad om de goede regels wel te laden)",
            path.display(),
            report.rejected.len(),
            report.read
        );
    }
    println!(
        "{} gebeurtenissen geïmporteerd voor {} cliënten in {secs:.1} s ({:.0}/s); {} regel(s) overgeslagen.",
        report.imported,
        report.clients,
        report.imported as f64 / secs.max(1e-9),
        report.rejected.len()
    );
    Ok(())
}

/// Write events to `path` in its format; returns the count.
pub fn write_events(path: &Path, events: impl Iterator<Item = RecordedEvent>) -> Result<u64> {
    let mut sink = EventSink::create(path)?;
    let mut n = 0;
    for e in events {
        sink.write(e).map_err(anyhow::Error::msg)?;
        n += 1;
    }
    sink.finish()?;
    Ok(n)
}

/// A writer for event files.
pub enum EventSink {
    /// JSON Lines.
    Jsonl(BufWriter<File>),
    /// CSV.
    Csv(Box<csv::Writer<BufWriter<File>>>),
}

impl EventSink {
    /// Create `path` (format from the extension).
    pub fn create(path: &Path) -> Result<EventSink> {
        let format = format_of(path)?;
        let file = BufWriter::with_capacity(
            1 << 20,
            File::create(path).with_context(|| format!("{} niet schrijfbaar", path.display()))?,
        );
        Ok(match format {
            Format::Jsonl => EventSink::Jsonl(file),
            Format::Csv => {
                let mut w = csv::Writer::from_writer(file);
                w.write_record(CSV_HEADER)?;
                EventSink::Csv(Box::new(w))
            }
        })
    }

    /// Write one event.
    pub fn write(&mut self, e: RecordedEvent) -> Result<(), String> {
        match self {
            EventSink::Jsonl(w) => {
                serde_json::to_writer(&mut *w, &ImportRow::from(e)).map_err(|e| e.to_string())?;
                w.write_all(b"\n").map_err(|e| e.to_string())
            }
            EventSink::Csv(w) => w
                .write_record([
                    e.seq.to_string(),
                    e.client.to_string(),
                    e.version.to_string(),
                    e.effective.to_string(),
                    clock::rfc3339(e.recorded_at),
                    e.actor.user,
                    e.actor.role.key().to_owned(),
                    e.actor.organisation.to_string(),
                    serde_json::to_string(&e.event).map_err(|e| e.to_string())?,
                ])
                .map_err(|e| e.to_string()),
        }
    }

    /// Flush.
    pub fn finish(self) -> Result<()> {
        match self {
            EventSink::Jsonl(mut w) => w.flush()?,
            EventSink::Csv(mut w) => w.flush()?,
        }
        Ok(())
    }
}

/// `vangnet export`.
/// `gate`: the job in the name of who started it ([`AccessGate::job`]).
pub fn export(store: &dyn Store, gate: &AccessGate, path: &Path) -> Result<()> {
    let t = Instant::now();
    let mut sink = EventSink::create(path)?;
    let n = store.export(gate, &mut |e| sink.write(e))?;
    sink.finish()?;
    println!(
        "{n} gebeurtenissen geëxporteerd naar {} in {:.1} s.",
        path.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"client":"P00000001","effective":"2024-01-01","event":{"type":"aanmelding","regio":"drechtsteden","melder":"zelf","herkomst_gemeente":"GM0505","woonsituatie":"dakloos","urgentie":"regulier"}}"#;

    #[test]
    fn jsonl_reports_bad_encoding_and_truncation_with_line_numbers() {
        let mut data = Vec::new();
        data.extend_from_slice(GOOD.as_bytes());
        data.push(b'\n');
        data.extend_from_slice(b"\n"); // blank lines are skipped
        data.extend_from_slice(&[b'{', 0xff, 0xfe, b'}', b'\n']);
        data.extend_from_slice(&GOOD.as_bytes()[..60]); // truncated last line, no newline
        let rows: Vec<_> = JsonlRows::new(&data[..]).collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].is_ok());
        let e1 = rows[1].as_ref().unwrap_err();
        assert_eq!(e1.line, 3);
        assert!(e1.message.contains("UTF-8"), "{}", e1.message);
        let e2 = rows[2].as_ref().unwrap_err();
        assert_eq!(e2.line, 4);
        assert!(e2.message.contains("afgebroken"), "{}", e2.message);
    }

    #[test]
    fn jsonl_names_the_bad_field() {
        let bad = GOOD.replace("GM0505", "GM505");
        let rows: Vec<_> = JsonlRows::new(bad.as_bytes()).collect();
        let e = rows[0].as_ref().unwrap_err();
        assert!(e.message.contains("gemeentecode"), "{}", e.message);
    }

    #[test]
    fn recorded_at_must_be_an_instant() {
        let with = |at: &str| GOOD.replacen('{', &format!("{{\"recorded_at\":\"{at}\","), 1);
        let rows: Vec<_> = JsonlRows::new(with("2026-03-28T23:30:00+01:00").as_bytes()).collect();
        let row = rows[0].as_ref().unwrap();
        assert_eq!(
            row.recorded_at.map(clock::rfc3339).as_deref(),
            Some("2026-03-28T22:30:00.000Z")
        );
        let rows: Vec<_> = JsonlRows::new(with("28-03-2026 23:30").as_bytes()).collect();
        let e = rows[0].as_ref().unwrap_err();
        assert!(e.message.contains("RFC 3339"), "{}", e.message);
        let csv = format!(
            "{}\n1,P00000001,1,2024-01-01,2024-01-01 10:00,,,,\"{{\"\"type\"\":\"\"wlz_overgang\"\"}}\"\n",
            CSV_HEADER.join(",")
        );
        let rows: Vec<_> = CsvRows::new(csv.as_bytes()).collect();
        let e = rows[0].as_ref().unwrap_err();
        assert!(e.message.starts_with("recorded_at: "), "{}", e.message);
    }

    #[test]
    fn csv_round_trip_and_short_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        let row: ImportRow = serde_json::from_str(GOOD).unwrap();
        let ev = RecordedEvent {
            seq: 1,
            client: row.client,
            version: 1,
            effective: row.effective,
            recorded_at: "2024-01-02T10:00:00.000Z".parse().unwrap(),
            actor: Actor::system("test"),
            event: row.event.clone(),
        };
        write_events(&path, std::iter::once(ev)).unwrap();
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("2,P00000002,1,2024-01-01\n");
        std::fs::write(&path, &text).unwrap();
        let rows: Vec<_> = read_rows(&path).unwrap().collect();
        assert_eq!(rows.len(), 2);
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.event, row.event);
        assert_eq!(first.actor.as_ref().unwrap().role, Role::Systeem);
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("kolommen"), "{}", e.message);
    }

    /// Issue 11, finding 9: a line longer than 64 KiB is a row error, never read whole;
    /// JSON Lines goes on with the next line.
    #[test]
    fn an_overlong_line_is_a_row_error() {
        let huge = GOOD.replace("\"zelf\"", &format!("\"{}\"", "x".repeat(MAX_LINE_BYTES)));
        let data = format!("{GOOD}\n{huge}\n{GOOD}\n");
        let rows: Vec<_> = JsonlRows::new(data.as_bytes()).collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].is_ok() && rows[2].is_ok());
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("64 KiB"), "{}", e.message);
        // CSV: the rows before it are read, then one row error naming the line.
        let event = r#"{"type":"wlz_overgang"}"#.replace('"', "\"\"");
        let row = format!("1,P00000001,,2024-01-01,,,,,\"{event}\"\n");
        let mut csv = format!("{}\n{row}", CSV_HEADER.join(","));
        csv.push_str(&format!(
            "2,P00000001,,2024-01-01,,,,,\"{}\"\n",
            "x".repeat(MAX_LINE_BYTES)
        ));
        csv.push_str(&row);
        let rows: Vec<_> = CsvRows::new(csv.as_bytes()).collect();
        assert!(rows[0].is_ok(), "{:?}", rows[0]);
        let e = rows[1].as_ref().unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("64 KiB"), "{}", e.message);
        assert_eq!(rows.len(), 2, "reading stops after an overlong CSV line");
    }
}
