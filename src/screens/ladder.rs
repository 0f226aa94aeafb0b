//! Ladders of values that keys step through (learning rates, momenta, widths): one rung up
//! or down per press, values between rungs going to the nearest rung in that direction.

/// Learning rates the `[`/`]` keys step through (Playground's, on a 1–3 ladder).
pub const LR_LADDER: [f64; 13] = [
    1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0,
];
/// Rates per second the `+`/`-` keys step through (epochs or steps); `None` is as fast as
/// the machine goes.
pub const PER_SECOND: [Option<f64>; 11] = [
    Some(1.0),
    Some(2.0),
    Some(5.0),
    Some(10.0),
    Some(20.0),
    Some(50.0),
    Some(100.0),
    Some(200.0),
    Some(500.0),
    Some(1000.0),
    None,
];

/// The next value on a ladder from `v`, up or down; values between rungs go to the nearest
/// rung in that direction.
pub fn ladder<T: PartialOrd + Copy>(rungs: &[T], v: T, up: bool) -> T {
    if up {
        rungs
            .iter()
            .copied()
            .find(|&r| r > v)
            .unwrap_or(rungs[rungs.len() - 1])
    } else {
        rungs
            .iter()
            .rev()
            .copied()
            .find(|&r| r < v)
            .unwrap_or(rungs[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_steps_between_rungs() {
        assert_eq!(ladder(&LR_LADDER, 0.0002, true), 3e-4);
        assert_eq!(ladder(&LR_LADDER, 0.0002, false), 1e-4);
        assert_eq!(ladder(&LR_LADDER, 10.0, true), 10.0);
        assert_eq!(ladder(&LR_LADDER, 1e-5, false), 1e-5);
    }
}
