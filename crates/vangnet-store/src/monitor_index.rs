//! The monitor projection kept **in memory** as well as in the `monitor` table, so that a
//! dashboard view or a standard query costs milliseconds instead of reading a few hundred
//! thousand rows from the database.
//!
//! [`MonitorIndex`] holds, per (region, measure), the non-zero cells of the `monitor` table
//! as one sorted array of compact cells ([`CellN`]: text keys interned to small integers in
//! one [`Dict`] shared by all regions). Both engines own one and use it the same way:
//!
//! - **Loading** is lazy, per (region, measure), from the table (the engine supplies the
//!   reader) the first time a query asks for it.
//! - **Writes in this process** (append, import) apply their monitor delta — the very rows
//!   they add to the table — to the loaded arrays right after their commit
//!   ([`MonitorIndex::after_write`]); a rebuild clears the index ([`MonitorIndex::clear`]).
//! - **Writes by another process** are seen through the log's **high-water mark**
//!   (`max(seq)`, an index lookup — events are never deleted, so it grows with every
//!   write): every query reads it first, and when it differs from the mark the index was
//!   loaded or last updated at, everything is dropped and loaded again.
//!
//! One lock guards the index. A query holds it while it reads the mark and loads; a writer
//! holds it across its commit and the update, so a query can never load a table state that
//! already contains a delta the writer is about to apply. The invariant — for every loaded
//! (region, measure), the cells equal the table's rows with `n <> 0` at the index's mark —
//! is checked by the conformance test on both engines (`monitor` == `snapshot().monitor`).
//!
//! Known limit: a rebuild by *another* process does not change the mark; a running process
//! keeps its (equal, unless the code that computes the figures changed) cells until the
//! next write to the log.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use vangnet_domain::monitor::Measure;

use crate::projection::MonitorDelta;
use crate::{MonitorRow, StoreResult};

/// Interned text keys (product codes, `GMdddd`, location ids; id 0 is the empty string).
#[derive(Debug, Clone)]
pub struct Dict {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Default for Dict {
    fn default() -> Self {
        Dict {
            names: vec![String::new()],
            ids: HashMap::from([(String::new(), 0)]),
        }
    }
}

impl Dict {
    /// The text of an id.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// The id of a text, if interned.
    pub fn id(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// Number of ids (every id is below it).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Only the empty string.
    pub fn is_empty(&self) -> bool {
        self.names.len() <= 1
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }
}

/// One monitor cell of a known region and measure, keys interned in the [`Dict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellN {
    /// `yyyymm` (or `yyyy00`).
    pub maand: u32,
    /// Product id.
    pub product: u32,
    /// Gemeente id.
    pub gemeente: u32,
    /// Location id.
    pub locatie: u32,
    /// Measure-specific number.
    pub extra: u32,
    /// Count (a net flow for stocks); never 0.
    pub n: i64,
}

impl CellN {
    /// The sort key.
    fn key(&self) -> (u32, u32, u32, u32, u32) {
        (
            self.maand,
            self.product,
            self.gemeente,
            self.locatie,
            self.extra,
        )
    }
}

/// The non-zero cells of one region and measure, sorted by (maand, product id, gemeente id,
/// location id, extra).
#[derive(Debug, Clone)]
pub struct MeasureCells {
    /// Region id.
    pub region: Arc<str>,
    /// The measure.
    pub measure: Measure,
    /// The cells.
    pub cells: Vec<CellN>,
}

impl MeasureCells {
    /// The cells with `maand <= until` (a prefix: cells are sorted by month first).
    pub fn until(&self, until: u32) -> &[CellN] {
        let end = self.cells.partition_point(|c| c.maand <= until);
        &self.cells[..end]
    }

    /// Add `delta` (sorted by key, keys unique) to the cells, dropping cells that become 0.
    fn merge(&mut self, delta: &[CellN]) {
        if delta.len() * 16 < self.cells.len() {
            // A few cells (an append): binary search and insert/remove in place.
            for d in delta {
                match self.cells.binary_search_by_key(&d.key(), CellN::key) {
                    Ok(i) => {
                        self.cells[i].n += d.n;
                        if self.cells[i].n == 0 {
                            self.cells.remove(i);
                        }
                    }
                    Err(i) => self.cells.insert(i, *d),
                }
            }
            return;
        }
        let old = std::mem::take(&mut self.cells);
        let mut out = Vec::with_capacity(old.len() + delta.len());
        let (mut a, mut b) = (old.into_iter().peekable(), delta.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(_), None) => a.next().expect("peeked"),
                (None, Some(_)) => *b.next().expect("peeked"),
                (Some(x), Some(y)) => match x.key().cmp(&y.key()) {
                    std::cmp::Ordering::Less => a.next().expect("peeked"),
                    std::cmp::Ordering::Greater => *b.next().expect("peeked"),
                    std::cmp::Ordering::Equal => {
                        let mut c = a.next().expect("peeked");
                        c.n += b.next().expect("peeked").n;
                        c
                    }
                },
            };
            if next.n != 0 {
                out.push(next);
            }
        }
        self.cells = out;
    }
}

/// What a query gets: the cells of the measures asked for (in that order) and the
/// dictionary to read their keys.
#[derive(Debug, Clone)]
pub struct MonitorView {
    /// Interned keys (covers every id in `measures`).
    pub dict: Arc<Dict>,
    /// One entry per measure asked for.
    pub measures: Vec<Arc<MeasureCells>>,
}

impl MonitorView {
    /// The stored rows with `maand <= until`, per measure in the order asked for, each sorted
    /// by (maand, product, gemeente, locatie, extra) as text — the result of
    /// [`crate::Store::monitor`].
    pub fn rows(&self, until: u32) -> Vec<MonitorRow> {
        let mut out = Vec::new();
        for m in &self.measures {
            let start = out.len();
            let key = m.measure.key();
            out.extend(m.until(until).iter().map(|c| MonitorRow {
                region: m.region.to_string(),
                measure: key.to_owned(),
                maand: c.maand,
                product: self.dict.name(c.product).to_owned(),
                gemeente: self.dict.name(c.gemeente).to_owned(),
                locatie: self.dict.name(c.locatie).to_owned(),
                extra: c.extra,
                n: c.n,
            }));
            out[start..].sort_unstable_by(|a, b| {
                (a.maand, &a.product, &a.gemeente, &a.locatie, a.extra).cmp(&(
                    b.maand,
                    &b.product,
                    &b.gemeente,
                    &b.locatie,
                    b.extra,
                ))
            });
        }
        out
    }
}

/// Receives one stored row while loading: (maand, product, gemeente, locatie, extra, n).
pub type RowSink<'a> = dyn FnMut(u32, &str, &str, &str, u32, i64) + 'a;

#[derive(Default)]
struct Inner {
    /// The log's high-water mark the loaded cells reflect (`None`: nothing loaded yet).
    hwm: Option<u64>,
    dict: Arc<Dict>,
    cells: HashMap<(Arc<str>, Measure), Arc<MeasureCells>>,
}

/// The in-memory monitor index of one store (see the module documentation).
#[derive(Default)]
pub struct MonitorIndex {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for MonitorIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonitorIndex").finish_non_exhaustive()
    }
}

/// Held by a writer across its commit and [`WriteGuard::applied`].
pub struct WriteGuard<'a> {
    inner: MutexGuard<'a, Inner>,
}

impl MonitorIndex {
    /// An empty index.
    pub fn new() -> MonitorIndex {
        MonitorIndex::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cells of `measures` in `region`. `hwm` reads the log's high-water mark; `load`
    /// streams one (region, measure)'s stored rows with `n <> 0` into the sink.
    pub fn view(
        &self,
        region: &str,
        measures: &[Measure],
        hwm: &mut dyn FnMut() -> StoreResult<u64>,
        load: &mut dyn FnMut(&str, Measure, &mut RowSink<'_>) -> StoreResult<()>,
    ) -> StoreResult<MonitorView> {
        let mut inner = self.lock();
        let mark = hwm()?;
        if inner.hwm != Some(mark) {
            inner.cells.clear();
            inner.hwm = Some(mark);
        }
        let region: Arc<str> = match inner.cells.keys().find(|(r, _)| &**r == region) {
            Some((r, _)) => Arc::clone(r),
            None => Arc::from(region),
        };
        let mut out = Vec::with_capacity(measures.len());
        for m in measures {
            let key = (Arc::clone(&region), *m);
            if let Some(c) = inner.cells.get(&key) {
                out.push(Arc::clone(c));
                continue;
            }
            let mut cells = Vec::new();
            {
                let dict = Arc::make_mut(&mut inner.dict);
                load(
                    &region,
                    *m,
                    &mut |maand, product, gemeente, locatie, extra, n| {
                        if n != 0 {
                            cells.push(CellN {
                                maand,
                                product: dict.intern(product),
                                gemeente: dict.intern(gemeente),
                                locatie: dict.intern(locatie),
                                extra,
                                n,
                            });
                        }
                    },
                )?;
            }
            cells.sort_unstable_by_key(CellN::key);
            let c = Arc::new(MeasureCells {
                region: Arc::clone(&region),
                measure: *m,
                cells,
            });
            inner.cells.insert(key, Arc::clone(&c));
            out.push(c);
        }
        Ok(MonitorView {
            dict: Arc::clone(&inner.dict),
            measures: out,
        })
    }

    /// Take the lock before committing a write; call [`WriteGuard::applied`] (or
    /// [`WriteGuard::clear`]) after the commit succeeded. Dropping the guard without either
    /// (the write failed) leaves the index as it was.
    pub fn write(&self) -> WriteGuard<'_> {
        WriteGuard { inner: self.lock() }
    }

    /// Drop everything (after a rebuild, or when unsure).
    pub fn clear(&self) {
        self.write().clear();
    }
}

impl WriteGuard<'_> {
    /// A write that moved the log from high-water mark `before` to `after` and added `rows`
    /// to the `monitor` table has committed. If the index reflects exactly `before`, the
    /// rows are added to the loaded cells and the index moves to `after`; otherwise
    /// (another process wrote in between, or nothing was loaded) it is cleared.
    pub fn applied(mut self, before: u64, after: u64, rows: &[MonitorDelta<'_>]) {
        let inner = &mut *self.inner;
        if inner.hwm != Some(before) {
            inner.cells.clear();
            inner.hwm = None;
            return;
        }
        inner.hwm = Some(after);
        if inner.cells.is_empty() {
            return;
        }
        // Group the delta per loaded (region, measure).
        let loaded: std::collections::HashSet<(&str, Measure)> =
            inner.cells.keys().map(|(r, m)| (&**r, *m)).collect();
        let mut groups: HashMap<(&str, Measure), Vec<CellN>> = HashMap::new();
        let dict = Arc::make_mut(&mut inner.dict);
        for r in rows {
            let Some(m) = Measure::parse(r.measure) else {
                continue;
            };
            if r.n == 0 || !loaded.contains(&(r.region, m)) {
                continue;
            }
            groups.entry((r.region, m)).or_default().push(CellN {
                maand: r.maand,
                product: dict.intern(r.product),
                gemeente: dict.intern(r.gemeente.as_str()),
                locatie: dict.intern(r.locatie),
                extra: r.extra,
                n: r.n,
            });
        }
        drop(loaded);
        for ((region, m), mut delta) in groups {
            delta.sort_unstable_by_key(CellN::key);
            // Rows of one write are unique per key; sum anyway, to be safe.
            delta.dedup_by(|b, a| {
                if a.key() == b.key() {
                    a.n += b.n;
                    true
                } else {
                    false
                }
            });
            let key = (Arc::<str>::from(region), m);
            if let Some(c) = inner.cells.get_mut(&key) {
                Arc::make_mut(c).merge(&delta);
            }
        }
    }

    /// The projections were replaced (rebuild): drop everything.
    pub fn clear(mut self) {
        self.inner.cells.clear();
        self.inner.hwm = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(region: &'static str, m: Measure, maand: u32, g: u16, n: i64) -> MonitorDelta<'static> {
        MonitorDelta {
            region,
            measure: m.key(),
            maand,
            product: "p",
            gemeente: crate::projection::GemeenteKey::new(g),
            locatie: "",
            extra: 0,
            n,
        }
    }

    #[test]
    fn loads_applies_and_invalidates_on_the_mark() {
        let idx = MonitorIndex::new();
        let table = std::cell::RefCell::new(vec![
            row("r", Measure::Instroom, 202_401, 202, 2),
            row("r", Measure::Instroom, 202_402, 202, 1),
        ]);
        let loads = std::cell::Cell::new(0);
        let mark = std::cell::Cell::new(10u64);
        let mut load = |region: &str, m: Measure, sink: &mut RowSink<'_>| {
            loads.set(loads.get() + 1);
            for r in table.borrow().iter() {
                if r.region == region && r.measure == m.key() {
                    sink(
                        r.maand,
                        r.product,
                        r.gemeente.as_str(),
                        r.locatie,
                        r.extra,
                        r.n,
                    );
                }
            }
            Ok(())
        };
        let v = idx
            .view("r", &[Measure::Instroom], &mut || Ok(mark.get()), &mut load)
            .unwrap();
        assert_eq!(v.rows(999_912).len(), 2);
        assert_eq!(v.rows(202_401).len(), 1);
        // A write in this process: applied, no reload.
        let delta = vec![
            row("r", Measure::Instroom, 202_401, 202, -2),
            row("r", Measure::Instroom, 202_403, 203, 5),
        ];
        idx.write().applied(10, 12, &delta);
        mark.set(12);
        let v = idx
            .view("r", &[Measure::Instroom], &mut || Ok(mark.get()), &mut load)
            .unwrap();
        assert_eq!(loads.get(), 1);
        let rows = v.rows(999_912);
        assert_eq!(
            rows.iter().map(|r| (r.maand, r.n)).collect::<Vec<_>>(),
            vec![(202_402, 1), (202_403, 5)]
        );
        // Another process wrote: the mark moved without us, so everything is loaded again.
        table
            .borrow_mut()
            .push(row("r", Measure::Instroom, 202_405, 0, 7));
        mark.set(13);
        let v = idx
            .view("r", &[Measure::Instroom], &mut || Ok(mark.get()), &mut load)
            .unwrap();
        assert_eq!(loads.get(), 2);
        assert_eq!(v.rows(999_912).len(), 3);
        // A write whose `before` is not the index's mark clears it.
        idx.write().applied(99, 100, &delta);
        mark.set(100);
        idx.view("r", &[Measure::Instroom], &mut || Ok(mark.get()), &mut load)
            .unwrap();
        assert_eq!(loads.get(), 3);
    }

    #[test]
    fn merge_large_and_small_deltas_agree() {
        let base: Vec<CellN> = (0..100)
            .map(|i| CellN {
                maand: 202_400 + i / 10,
                product: 1,
                gemeente: i % 10,
                locatie: 0,
                extra: 0,
                n: 1,
            })
            .collect();
        let delta: Vec<CellN> = (0..100)
            .step_by(3)
            .map(|i| CellN {
                maand: 202_400 + i / 10,
                product: 1,
                gemeente: i % 10 + (i % 2),
                locatie: 0,
                extra: 0,
                n: -1,
            })
            .collect();
        let mut a = MeasureCells {
            region: Arc::from("r"),
            measure: Measure::Instroom,
            cells: base.clone(),
        };
        a.merge(&delta);
        let mut b = a.clone();
        b.cells = base;
        for d in &delta {
            b.merge(std::slice::from_ref(d));
        }
        // b merged one at a time (with base ≥ 16× delta → in-place path), a at once.
        assert_eq!(a.cells, b.cells);
        assert!(a.cells.iter().all(|c| c.n != 0));
        assert!(a.cells.windows(2).all(|w| w[0].key() < w[1].key()));
    }
}
