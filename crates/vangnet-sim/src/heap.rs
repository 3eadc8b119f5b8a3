//! The event list: a 4-ary min-heap of `(time, item)` pairs in one preallocated `Vec`.
//!
//! Times are non-negative `f64`s stored as their bit patterns, so ordering is a plain integer
//! comparison. Only the time is compared: equal times leave in an order fixed by the sequence
//! of heap operations, which is itself deterministic, so runs stay reproducible. The heap
//! offers `replace_top`, because most events schedule exactly one follow-up (a service
//! completion starts the next service), which costs one sift instead of two.

/// One scheduled event: the time (as `f64` bits) and what happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    /// `f64::to_bits` of a non-negative time; compares like the time itself.
    pub key: u64,
    /// What happens (see `engine`): a person's service end, an arrival, a capacity change.
    pub item: u32,
}

impl Entry {
    /// An entry at time `t` (must be non-negative and finite).
    pub fn new(t: f64, item: u32) -> Entry {
        debug_assert!(t >= 0.0 && t.is_finite(), "event time {t}");
        // +0.0 for -0.0, so the bit order is the numeric order.
        Entry {
            key: (t + 0.0).to_bits(),
            item,
        }
    }

    /// The time of this entry.
    pub fn time(self) -> f64 {
        f64::from_bits(self.key)
    }
}

/// A 4-ary min-heap of entries: children of `i` are `4i + 1 ..= 4i + 4`. Half the depth of a
/// binary heap; the smallest of four children is picked without branches (the comparisons of a
/// sift are unpredictable, so branches would mostly be mispredicted).
#[derive(Debug, Default)]
pub(crate) struct EventHeap {
    v: Vec<Entry>,
}

/// Index (among `c .. c + 4`, all valid) of the entry with the smallest key; ties go to the
/// lower index.
#[inline(always)]
fn min4(v: &[Entry], c: usize) -> usize {
    let k = &v[c..c + 4];
    let a = c + usize::from(k[1].key < k[0].key);
    let b = c + 2 + usize::from(k[3].key < k[2].key);
    if v[b].key < v[a].key { b } else { a }
}

impl EventHeap {
    /// Empty the heap, keeping its allocation.
    pub fn clear(&mut self) {
        self.v.clear();
    }

    /// Reserve room for `n` more entries.
    pub fn reserve(&mut self, n: usize) {
        self.v.reserve(n);
    }

    /// The earliest entry, if any.
    #[inline]
    pub fn peek(&self) -> Option<Entry> {
        self.v.first().copied()
    }

    /// Index of the smallest child of `i`, or `None` for a leaf (`n` entries).
    #[inline(always)]
    fn min_child(&self, i: usize, n: usize) -> Option<usize> {
        let c = 4 * i + 1;
        if c + 4 <= n {
            Some(min4(&self.v, c))
        } else if c < n {
            let mut m = c;
            for j in c + 1..n {
                if self.v[j].key < self.v[m].key {
                    m = j;
                }
            }
            Some(m)
        } else {
            None
        }
    }

    /// Add an entry.
    #[inline]
    pub fn push(&mut self, e: Entry) {
        self.v.push(e);
        let mut i = self.v.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 4;
            if self.v[parent].key <= e.key {
                break;
            }
            self.v[i] = self.v[parent];
            i = parent;
        }
        self.v[i] = e;
    }

    /// Remove the earliest entry (Floyd's bottom-up variant: walk the hole down to a leaf along
    /// the smallest children, then sift the last entry up from there).
    #[inline]
    pub fn pop(&mut self) {
        let Some(last) = self.v.pop() else { return };
        let n = self.v.len();
        if n == 0 {
            return;
        }
        let mut i = 0;
        while let Some(c) = self.min_child(i, n) {
            self.v[i] = self.v[c];
            i = c;
        }
        while i > 0 {
            let parent = (i - 1) / 4;
            if self.v[parent].key <= last.key {
                break;
            }
            self.v[i] = self.v[parent];
            i = parent;
        }
        self.v[i] = last;
    }

    /// Replace the earliest entry by `e` (one sift instead of a pop and a push).
    #[inline]
    pub fn replace_top(&mut self, e: Entry) {
        let n = self.v.len();
        let mut i = 0;
        while let Some(c) = self.min_child(i, n) {
            if e.key <= self.v[c].key {
                break;
            }
            self.v[i] = self.v[c];
            i = c;
        }
        self.v[i] = e;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vangnet_domain::rng::Rng;

    #[test]
    fn pops_in_time_order() {
        let mut h = EventHeap::default();
        let mut r = Rng::new(3);
        let mut times: Vec<f64> = (0..2000).map(|_| r.f64() * 100.0).collect();
        for (i, t) in times.iter().enumerate() {
            h.push(Entry::new(*t, i as u32));
        }
        // Replace the top a few times, as the engine does.
        for k in 0..500 {
            let top = h.peek().unwrap();
            let t = top.time() + r.f64() * 10.0;
            times.retain(|x| x.to_bits() != top.key);
            times.push(t);
            h.replace_top(Entry::new(t, 10_000 + k));
        }
        times.sort_by(f64::total_cmp);
        let mut out = Vec::new();
        while let Some(e) = h.peek() {
            out.push(e.time());
            h.pop();
        }
        assert_eq!(out, times);
    }
}
