//! Learning-rate schedules with `torch.optim.lr_scheduler`'s names and semantics: `StepLR`,
//! `ExponentialLR`, `CosineAnnealingLR` and `CyclicLR` (mode `triangular`).
//!
//! The learning rate after k scheduler steps equals PyTorch's `get_last_lr()` after k calls
//! of `scheduler.step()`. PyTorch computes StepLR, ExponentialLR and CosineAnnealingLR in
//! their *chained* (recursive) form, each step from the learning rate the optimizer holds;
//! so does this file, in the same order of operations, so the values agree to the last bit
//! (`tests/schedule_reference.rs`). The chained cosine agrees with its closed form
//! `eta_min + (base − eta_min)(1 + cos(π k / T_max)) / 2` only up to rounding (about 1e-16
//! relative here); CyclicLR has only a closed form. `CyclicLR` is the one with
//! `cycle_momentum=False`: it moves the learning rate only (PyTorch's default would also
//! cycle SGD's momentum or Adam's β1 between 0.8 and 0.9).
//!
//! A classifier steps its schedule once per epoch, a racer once per optimizer step.

use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// A learning-rate schedule, by PyTorch's names.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Schedule {
    /// `StepLR(step_size, gamma)`: the rate times `gamma` every `step_size` steps.
    Step { step_size: u64, gamma: f64 },
    /// `ExponentialLR(gamma)`: the rate times `gamma` every step.
    Exponential { gamma: f64 },
    /// `CosineAnnealingLR(T_max, eta_min)`: half a cosine from the base rate down to
    /// `eta_min` in `T_max` steps (and back up over the next `T_max`, as PyTorch's does).
    Cosine { t_max: u64, eta_min: f64 },
    /// `CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode="triangular",
    /// cycle_momentum=False)`: up from `base_lr` to `max_lr` in `step_size_up` steps, down
    /// again in `step_size_down`.
    Cyclic {
        base_lr: f64,
        max_lr: f64,
        step_size_up: u64,
        step_size_down: u64,
    },
}

impl Schedule {
    /// The kinds' names, as the scenario's `kind` says them.
    pub const KINDS: [&'static str; 4] = ["step", "exponential", "cosine", "cyclic"];

    pub fn kind(&self) -> &'static str {
        match self {
            Schedule::Step { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
            Schedule::Cosine { .. } => "cosine",
            Schedule::Cyclic { .. } => "cyclic",
        }
    }

    /// The learning rate the optimizer starts with: its own `lr`, except for CyclicLR,
    /// which sets it to `base_lr` when constructed.
    pub fn initial_lr(&self, lr: f64) -> f64 {
        match *self {
            Schedule::Cyclic { base_lr, .. } => base_lr,
            _ => lr,
        }
    }

    /// The rate after step number `k` (k ≥ 1, the scheduler's `last_epoch` after the step),
    /// from the rate `lr` before it and the optimizer's initial rate `base` — PyTorch's
    /// `get_lr()` as `step()` calls it.
    pub fn next(&self, k: u64, lr: f64, base: f64) -> f64 {
        match *self {
            Schedule::Step { step_size, gamma } => {
                if k == 0 || !k.is_multiple_of(step_size) {
                    lr
                } else {
                    lr * gamma
                }
            }
            Schedule::Exponential { gamma } => {
                if k == 0 {
                    lr
                } else {
                    lr * gamma
                }
            }
            Schedule::Cosine { t_max, eta_min } => {
                let (k, t) = (k as f64, t_max as f64);
                if k == 0.0 {
                    lr
                } else if (k as u64 - 1 + t_max).is_multiple_of(2 * t_max) {
                    // torch: (last_epoch - 1 - T_max) % (2 * T_max) == 0, written for u64.
                    lr + (base - eta_min) * (1.0 - (PI / t).cos()) / 2.0
                } else {
                    (1.0 + (PI * k / t).cos()) / (1.0 + (PI * (k - 1.0) / t).cos()) * (lr - eta_min)
                        + eta_min
                }
            }
            Schedule::Cyclic { .. } => self.closed_form(k, base),
        }
    }

    /// The closed form of the rate after `k` steps from the initial rate `base`
    /// (PyTorch's `_get_closed_form_lr`, and CyclicLR's only form).
    pub fn closed_form(&self, k: u64, base: f64) -> f64 {
        match *self {
            Schedule::Step { step_size, gamma } => base * gamma.powi((k / step_size) as i32),
            Schedule::Exponential { gamma } => base * gamma.powi(k as i32),
            Schedule::Cosine { t_max, eta_min } => {
                eta_min + (base - eta_min) * (1.0 + (PI * k as f64 / t_max as f64).cos()) / 2.0
            }
            Schedule::Cyclic {
                base_lr,
                max_lr,
                step_size_up,
                step_size_down,
            } => {
                // torch/optim/lr_scheduler.py, CyclicLR.get_lr, in its order of operations.
                let total = (step_size_up + step_size_down) as f64;
                let ratio = step_size_up as f64 / total;
                let cycle = (1.0 + k as f64 / total).floor();
                let x = 1.0 + k as f64 / total - cycle;
                let scale = if x <= ratio {
                    x / ratio
                } else {
                    (x - 1.0) / (ratio - 1.0)
                };
                let height = (max_lr - base_lr) * scale;
                base_lr + height * 1.0
            }
        }
    }

    /// A short description for the status line: `step ×0.5/10`, `cosine 100`.
    pub fn summary(&self) -> String {
        use super::fmt_num;
        match *self {
            Schedule::Step { step_size, gamma } => format!("step ×{}/{step_size}", fmt_num(gamma)),
            Schedule::Exponential { gamma } => format!("exponential ×{}", fmt_num(gamma)),
            Schedule::Cosine { t_max, eta_min } => {
                format!("cosine T {t_max} min {}", fmt_num(eta_min))
            }
            Schedule::Cyclic {
                base_lr,
                max_lr,
                step_size_up,
                ..
            } => format!(
                "cyclic {}–{} up {step_size_up}",
                fmt_num(base_lr),
                fmt_num(max_lr)
            ),
        }
    }
}

/// A schedule under way: PyTorch's `last_epoch`, the optimizer's initial rate (`base_lrs`)
/// and the rate the schedule has reached (the group's `lr`).
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleState {
    pub schedule: Schedule,
    pub last_epoch: u64,
    pub base: f64,
    pub lr: f64,
}

impl ScheduleState {
    /// A fresh scheduler over an optimizer whose rate is `lr`.
    pub fn new(schedule: Schedule, lr: f64) -> Self {
        let base = schedule.initial_lr(lr);
        ScheduleState {
            schedule,
            last_epoch: 0,
            base,
            lr: base,
        }
    }

    /// `scheduler.step()`: returns the new rate.
    pub fn step(&mut self) -> f64 {
        self.last_epoch += 1;
        self.lr = self.schedule.next(self.last_epoch, self.lr, self.base);
        self.lr
    }
}

/// The first `n` rates a schedule gives, `get_last_lr()` after 0, 1, … n−1 steps.
pub fn first_rates(schedule: Schedule, lr: f64, n: usize) -> Vec<f64> {
    let mut s = ScheduleState::new(schedule, lr);
    let mut out = vec![s.lr];
    while out.len() < n {
        out.push(s.step());
    }
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chained_forms_follow_their_closed_forms() {
        let cases = [
            Schedule::Step {
                step_size: 7,
                gamma: 0.5,
            },
            Schedule::Exponential { gamma: 0.9 },
            Schedule::Cosine {
                t_max: 20,
                eta_min: 0.001,
            },
            Schedule::Cyclic {
                base_lr: 0.01,
                max_lr: 0.1,
                step_size_up: 5,
                step_size_down: 5,
            },
        ];
        for s in cases {
            let lr = first_rates(s, 0.1, 60);
            for (k, &v) in lr.iter().enumerate() {
                let c = s.closed_form(k as u64, s.initial_lr(0.1));
                assert!(
                    (v - c).abs() <= 1e-12 * c.abs().max(1e-3),
                    "{s:?} k {k}: {v} vs {c}"
                );
            }
        }
    }

    #[test]
    fn cosine_reaches_eta_min_at_t_max_and_climbs_back() {
        let s = Schedule::Cosine {
            t_max: 10,
            eta_min: 0.0,
        };
        let lr = first_rates(s, 1.0, 21);
        assert_eq!(lr[10], 0.0);
        assert!(lr[11] > 0.0 && lr[20] > 0.99, "{lr:?}");
    }
}
