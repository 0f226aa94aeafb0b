//! A bounded record of a run's epochs: every epoch of the recent past at full resolution,
//! and the whole run thinned to a fixed budget for the whole-history view.

use super::Record;
pub use crate::scenario::Smoothing;
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

/// The charts' smoothing ([`Smoothing`], a scenario value) applied to a series.
impl Smoothing {
    /// The smoothed series of `points` (epoch, value).
    pub fn apply(&self, points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        match *self {
            Smoothing::Ema(w) => ema(points, w),
            Smoothing::Trailing(n) => trailing_mean_over(points, n as f64),
        }
    }
}

/// The trailing mean of `(x, y)` points over a window of `width` in x: each point's value is
/// the mean of the finite values at x in `(x − width, x]`, so a thinned series (a point every 8
/// epochs) averages the same stretch of epochs as the full one. Non-finite values are passed
/// over, as [`ema`] does.
pub fn trailing_mean_over(points: &[(f64, f64)], width: f64) -> Vec<(f64, f64)> {
    let width = width.max(1.0);
    let finite: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.1.is_finite()).collect();
    let (mut start, mut sum) = (0usize, 0.0f64);
    let mut out = Vec::with_capacity(finite.len());
    for (i, &(x, y)) in finite.iter().enumerate() {
        sum += y;
        while finite[start].0 <= x - width {
            sum -= finite[start].1;
            start += 1;
        }
        out.push((x, sum / (i + 1 - start) as f64));
    }
    out
}

/// An exponential moving average of a series of `(x, y)` points, TensorBoard's "smoothing":
/// each point keeps `weight` (0 ≤ weight < 1) of the average so far per unit of `x`, so a
/// thinned series (a point every 8 epochs) is smoothed as the full one would be, and the
/// average is debiased so that it starts at the first value rather than at 0.
/// Non-finite values are passed over (they keep the average as it was).
pub fn ema(points: &[(f64, f64)], weight: f64) -> Vec<(f64, f64)> {
    let weight = weight.clamp(0.0, 0.999_999);
    let (mut num, mut den) = (0.0f64, 0.0f64);
    let mut last_x: Option<f64> = None;
    let mut out = Vec::with_capacity(points.len());
    for &(x, y) in points {
        if !y.is_finite() {
            continue;
        }
        let dx = last_x.map_or(1.0, |l| (x - l).max(0.0));
        let keep = weight.powf(dx);
        num = keep * num + (1.0 - keep) * y;
        den = keep * den + (1.0 - keep);
        last_x = Some(x);
        out.push((x, if den > 0.0 { num / den } else { y }));
    }
    out
}

/// The trailing moving average over the last `n` points (fewer at the start), point by point:
/// `out[i]` is the mean of `values[i + 1 - n ..= i]`. Non-finite values are left out of the
/// windows they fall in (a window of only those gives NaN).
pub fn trailing_mean(values: &[f64], n: usize) -> Vec<f64> {
    let n = n.max(1);
    let (mut sum, mut count) = (0.0f64, 0usize);
    let mut out = Vec::with_capacity(values.len());
    for (i, &v) in values.iter().enumerate() {
        if v.is_finite() {
            sum += v;
            count += 1;
        }
        if i >= n {
            let old = values[i - n];
            if old.is_finite() {
                sum -= old;
                count -= 1;
            }
        }
        out.push(if count > 0 {
            sum / count as f64
        } else {
            f64::NAN
        });
    }
    out
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

    #[test]
    fn ema_starts_at_the_first_value_and_follows_tensorboard() {
        // TensorBoard's debiased EMA with weight 0.5 over 1, 3, 3:
        // num 0.5, 0.5·0.5 + 0.5·3 = 1.75, 0.875 + 1.5 = 2.375; den 0.5, 0.75, 0.875.
        let s = ema(&[(1.0, 1.0), (2.0, 3.0), (3.0, 3.0)], 0.5);
        let ys: Vec<f64> = s.iter().map(|p| p.1).collect();
        assert_eq!(ys[0], 1.0);
        assert!((ys[1] - 1.75 / 0.75).abs() < 1e-12, "{ys:?}");
        assert!((ys[2] - 2.375 / 0.875).abs() < 1e-12, "{ys:?}");
        // Weight 0 is the raw series; a constant stays constant.
        assert_eq!(
            ema(&[(1.0, 4.0), (2.0, 7.0)], 0.0),
            vec![(1.0, 4.0), (2.0, 7.0)]
        );
        let flat = ema(&[(1.0, 2.0), (2.0, 2.0), (9.0, 2.0)], 0.9);
        assert!(flat.iter().all(|p| (p.1 - 2.0).abs() < 1e-12));
    }

    #[test]
    fn ema_of_a_thinned_series_matches_the_full_one_at_its_points() {
        // A step from 0 to 1 at x = 10: every x, and every 4th x.
        let full: Vec<(f64, f64)> = (1..=40).map(|x| (x as f64, f64::from(x >= 10))).collect();
        let thin: Vec<(f64, f64)> = full
            .iter()
            .copied()
            .filter(|p| p.0 as i32 % 4 == 0)
            .collect();
        let a = ema(&full, 0.8);
        let b = ema(&thin, 0.8);
        // Far from the start (where the thinned series has not seen the first value) the two
        // agree to within the step the thinning hides.
        let at = |s: &[(f64, f64)], x: f64| s.iter().find(|p| p.0 == x).map(|p| p.1);
        let (fa, fb) = (at(&a, 40.0).unwrap_or(0.0), at(&b, 40.0).unwrap_or(1.0));
        assert!((fa - fb).abs() < 0.01, "{fa} {fb}");
        // Noise is damped: the smoothed series of alternating 0, 1 stays near 0.5.
        let noisy: Vec<(f64, f64)> = (0..200).map(|x| (x as f64, (x % 2) as f64)).collect();
        let s = ema(&noisy, 0.9);
        assert!(
            s[100..].iter().all(|p| (p.1 - 0.5).abs() < 0.06),
            "{:?}",
            &s[100..104]
        );
    }

    #[test]
    fn ema_passes_over_non_finite_values() {
        let s = ema(&[(1.0, 1.0), (2.0, f64::NAN), (3.0, 1.0)], 0.5);
        assert_eq!(s.len(), 2);
        assert!(s.iter().all(|p| p.1 == 1.0));
    }

    #[test]
    fn trailing_mean_over_epochs_matches_the_point_by_point_mean() {
        // Every epoch: the same as the notebook's 10-epoch rolling mean.
        let v: Vec<f64> = (1..=40).map(|e| ((e * 7) % 11) as f64).collect();
        let pts: Vec<(f64, f64)> = v
            .iter()
            .enumerate()
            .map(|(i, &y)| ((i + 1) as f64, y))
            .collect();
        let a = trailing_mean_over(&pts, 10.0);
        let b = trailing_mean(&v, 10);
        for (p, q) in a.iter().zip(&b) {
            assert!((p.1 - q).abs() < 1e-12, "{p:?} {q}");
        }
        // Thinned to every 5th epoch, the window still spans 10 epochs: two points.
        let thin: Vec<(f64, f64)> = pts
            .iter()
            .copied()
            .filter(|p| p.0 as i32 % 5 == 0)
            .collect();
        let t = trailing_mean_over(&thin, 10.0);
        assert_eq!(t[3].1, (thin[2].1 + thin[3].1) / 2.0);
        assert_eq!(Smoothing::Trailing(10).label(), "10-epoch mean");
        assert_eq!(Smoothing::Ema(0.9).apply(&pts), ema(&pts, 0.9));
    }

    #[test]
    fn trailing_mean_averages_the_last_n() {
        let m = trailing_mean(&[1.0, 2.0, 3.0, 4.0, 5.0], 3);
        assert_eq!(m, vec![1.0, 1.5, 2.0, 3.0, 4.0]);
        // A 10-epoch trailing mean of a constant is the constant.
        assert!(trailing_mean(&[0.25; 30], 10).iter().all(|&v| v == 0.25));
        let m = trailing_mean(&[1.0, f64::NAN, 3.0], 2);
        assert_eq!(m[0], 1.0);
        assert_eq!(m[1], 1.0);
        assert_eq!(m[2], 3.0);
    }
}
