//! A path of any length in bounded memory: the newest points kept at every step, the older
//! ones thinned to every `stride`-th step, the stride doubling whenever the count passes a
//! bound. A 10-million-step race or attractor holds a few tens of thousands of points and
//! steps at a constant speed (it kept every point, and a long race grew to 419 MB).

/// The newest points always kept whole: one more than the longest finite trail drawn.
pub const RECENT: usize = 10_001;
/// Points kept at most; past it the older part is thinned.
pub const MAX: usize = 40_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Trail<T> {
    points: Vec<T>,
    /// The step of each point (0 is the start).
    steps: Vec<usize>,
    /// The older part holds only steps that are a multiple of this.
    stride: usize,
    /// The step of the newest point.
    step: usize,
}

impl<T: Copy> Trail<T> {
    /// A trail at its start (step 0).
    pub fn new(start: T) -> Self {
        Trail {
            points: vec![start],
            steps: vec![0],
            stride: 1,
            step: 0,
        }
    }

    /// The point of the next step.
    pub fn push(&mut self, p: T) {
        self.step += 1;
        self.points.push(p);
        self.steps.push(self.step);
        if self.points.len() > MAX {
            self.thin();
        }
    }

    /// Thins the points before the newest [`RECENT`] to the smallest stride (a power of two,
    /// never smaller than before) that leaves at most half the room for them: only steps on
    /// that stride stay (the start always does).
    fn thin(&mut self) {
        let old = self.points.len() - RECENT;
        let budget = (MAX - RECENT) / 2;
        let count = |stride: usize| {
            self.steps[..old]
                .iter()
                .filter(|s| *s % stride == 0)
                .count()
        };
        let mut stride = self.stride;
        while count(stride) > budget {
            stride *= 2;
        }
        self.stride = stride;
        let keep: Vec<bool> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| i >= old || s % stride == 0)
            .collect();
        let mut k = keep.iter();
        self.points.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        self.steps.retain(|_| *k.next().unwrap_or(&true));
    }

    /// The kept points, oldest first.
    pub fn points(&self) -> &[T] {
        &self.points
    }

    /// The step of each kept point.
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    pub fn last(&self) -> Option<&T> {
        self.points.last()
    }

    /// Kept points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Steps taken since the start.
    pub fn step(&self) -> usize {
        self.step
    }

    /// The last `n` steps' points (and the one before, to draw from), whole: `n` up to
    /// [`RECENT`] − 1; 0 for every kept point.
    pub fn tail(&self, n: usize) -> &[T] {
        if n == 0 {
            return &self.points;
        }
        &self.points[self.points.len().saturating_sub(n + 1)..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_trail_stays_bounded_with_its_newest_steps_whole() {
        let mut t = Trail::new(0usize);
        for s in 1..=1_000_000 {
            t.push(s);
        }
        assert!(t.len() <= MAX, "{} points", t.len());
        assert_eq!(t.step(), 1_000_000);
        // Each point is its own step: the step index is right after thinning.
        assert!(t.points().iter().zip(t.steps()).all(|(p, s)| p == s));
        // The newest RECENT steps are all there, in order.
        let tail = t.tail(RECENT - 1);
        assert_eq!(tail.len(), RECENT);
        assert!(tail.windows(2).all(|w| w[1] == w[0] + 1));
        // The start stays, and the older part is spread over the whole run: it holds at
        // least a quarter of its room (half the room, less a power of two), evenly.
        assert_eq!(t.points()[0], 0);
        let gap = t.steps().windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        assert!(
            gap <= 4 * 1_000_000 / (MAX - RECENT),
            "a gap of {gap} steps"
        );
    }

    #[test]
    fn a_short_trail_keeps_everything() {
        let mut t = Trail::new(0.0f64);
        for i in 1..100 {
            t.push(i as f64);
        }
        assert_eq!(t.len(), 100);
        assert_eq!(t.tail(10).len(), 11);
        assert_eq!(t.tail(0).len(), 100);
    }
}
