//! NumPy's legacy `RandomState`, the generator behind scikit-learn's `random_state=N`: the
//! Mersenne Twister (from `rand_mt`) with NumPy's own ways of turning its words into doubles,
//! Gaussians and shuffles. With it a scenario draws the very points a notebook drew, so the
//! notebook's accuracies can be compared on the same data.

use rand_mt::Mt;

/// `numpy.random.RandomState(seed)`.
pub struct RandomState {
    mt: Mt,
    /// The polar method makes Gaussians in pairs; NumPy hands out the second on the next call.
    spare: Option<f64>,
}

impl RandomState {
    pub fn new(seed: u32) -> Self {
        RandomState {
            mt: Mt::new(seed),
            spare: None,
        }
    }

    /// `random_sample()`: 53 random bits from two 32-bit words.
    pub fn double(&mut self) -> f64 {
        let a = f64::from(self.mt.next_u32() >> 5);
        let b = f64::from(self.mt.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `standard_normal()`: Marsaglia's polar method, as NumPy's `legacy_gauss`.
    pub fn gauss(&mut self) -> f64 {
        if let Some(g) = self.spare.take() {
            return g;
        }
        loop {
            let x1 = 2.0 * self.double() - 1.0;
            let x2 = 2.0 * self.double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.spare = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// A uniform integer in `0..=max`: the smallest covering bit mask, rejecting draws above.
    fn interval(&mut self, max: u32) -> u32 {
        if max == 0 {
            return 0;
        }
        let mask = u32::MAX >> max.leading_zeros();
        loop {
            let v = self.mt.next_u32() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// `shuffle(x)` for a one-dimensional array: Fisher–Yates from the last element down.
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let bound = u32::try_from(i).unwrap_or(u32::MAX);
            let j = self.interval(bound) as usize;
            x.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twister_matches_the_reference_output() {
        // mt19937ar.c seeded with init_genrand(5489): the first output is 3499211612.
        let mut r = RandomState::new(5489);
        assert_eq!(r.mt.next_u32(), 3_499_211_612);
    }

    // The expected values are NumPy 2.4's (`np.random.RandomState(seed)`), printed by repr.
    #[test]
    fn doubles_match_numpy() {
        let mut r = RandomState::new(1);
        assert_eq!(r.double(), 0.417022004702574);
        assert_eq!(r.double(), 0.7203244934421581);
    }

    #[test]
    fn gaussians_match_numpy_including_the_spare() {
        let mut r = RandomState::new(1);
        let g: Vec<f64> = (0..3).map(|_| r.gauss()).collect();
        assert_eq!(
            g,
            [1.6243453636632417, -0.6117564136500754, -0.5281717522634557]
        );
    }

    #[test]
    fn shuffles_match_numpy_permutation() {
        let mut v: Vec<usize> = (0..10).collect();
        RandomState::new(42).shuffle(&mut v);
        assert_eq!(v, [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
        let mut w: Vec<usize> = (0..1000).collect();
        RandomState::new(7).shuffle(&mut w);
        assert_eq!(w[..8], [778, 334, 271, 802, 216, 408, 812, 94]);
    }
}
