//! A bounded record of a run's epochs: every epoch of the recent past at full resolution,
//! and the whole run thinned to a fixed budget for the whole-history view.

use super::Record;
use std::collections::VecDeque;

/// Epochs kept at full resolution.
const RECENT: usize = 4096;
/// Records kept for the whole history; past this, every other one is dropped.
const WHOLE: usize = 4096;

#[derive(Clone, Debug, Default)]
pub struct History {
    recent: VecDeque<Record>,
    whole: Vec<Record>,
    /// Keep one record in `stride` in `whole`.
    stride: usize,
}

impl History {
    pub fn push(&mut self, r: Record) {
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(r);
        let stride = self.stride.max(1);
        if r.epoch.is_multiple_of(stride) || self.whole.is_empty() {
            self.whole.push(r);
            if self.whole.len() > WHOLE {
                let mut i = 0;
                self.whole.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                self.stride = stride * 2;
            }
        }
    }

    pub fn last(&self) -> Option<&Record> {
        self.recent.back()
    }

    pub fn len(&self) -> usize {
        self.last().map_or(0, |r| r.epoch)
    }

    pub fn is_empty(&self) -> bool {
        self.recent.is_empty()
    }

    /// The last `n` epochs at full resolution (at most 4096).
    pub fn recent(&self, n: usize) -> impl Iterator<Item = &Record> {
        self.recent.iter().skip(self.recent.len().saturating_sub(n))
    }

    /// The whole run, thinned to at most 4096 records, always ending at the newest.
    pub fn whole(&self) -> Vec<Record> {
        let mut v = self.whole.clone();
        if let Some(last) = self.last()
            && v.last().map(|r| r.epoch) != Some(last.epoch)
        {
            v.push(*last);
        }
        v
    }

    /// The record of a given epoch, if still held.
    pub fn at(&self, epoch: usize) -> Option<&Record> {
        let first = self.recent.front()?.epoch;
        if epoch >= first {
            self.recent.get(epoch - first)
        } else {
            self.whole.iter().find(|r| r.epoch >= epoch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(epoch: usize) -> Record {
        Record {
            epoch,
            train_loss: 1.0 / epoch as f64,
            test_loss: 0.0,
            train_acc: 0.0,
            test_acc: 0.0,
        }
    }

    #[test]
    fn stays_bounded_and_covers_the_whole_run() {
        let mut h = History::default();
        for e in 1..=100_000 {
            h.push(rec(e));
        }
        let w = h.whole();
        assert!(w.len() <= WHOLE + 1, "{}", w.len());
        assert_eq!(w[0].epoch, 1);
        assert_eq!(w.last().map(|r| r.epoch), Some(100_000));
        assert_eq!(h.recent(10).count(), 10);
        assert_eq!(h.at(99_990).map(|r| r.epoch), Some(99_990));
    }
}
