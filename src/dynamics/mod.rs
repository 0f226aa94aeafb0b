//! Dynamical systems for the animated-graphs chapter: the Lorenz system, integrated with
//! classical Runge–Kutta from several nearby starts, so their divergence can be watched; and
//! exponentially weighted averages over a noisy series ([`averages`]).

pub mod averages;

/// σ, ρ, β of dx/dt = σ(y − x), dy/dt = x(ρ − z) − y, dz/dt = xy − βz.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lorenz {
    pub sigma: f64,
    pub rho: f64,
    pub beta: f64,
}

impl Default for Lorenz {
    /// Lorenz's own parameters: σ 10, ρ 28, β 8/3.
    fn default() -> Self {
        Lorenz {
            sigma: 10.0,
            rho: 28.0,
            beta: 8.0 / 3.0,
        }
    }
}

impl Lorenz {
    pub fn derivative(&self, [x, y, z]: [f64; 3]) -> [f64; 3] {
        [
            self.sigma * (y - x),
            x * (self.rho - z) - y,
            x * y - self.beta * z,
        ]
    }

    /// One classical fourth-order Runge–Kutta step of `dt`.
    pub fn step(&self, p: [f64; 3], dt: f64) -> [f64; 3] {
        let add =
            |a: [f64; 3], b: [f64; 3], h: f64| [a[0] + h * b[0], a[1] + h * b[1], a[2] + h * b[2]];
        let k1 = self.derivative(p);
        let k2 = self.derivative(add(p, k1, dt / 2.0));
        let k3 = self.derivative(add(p, k2, dt / 2.0));
        let k4 = self.derivative(add(p, k3, dt));
        [0, 1, 2].map(|i| p[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
    }
}

pub mod trail;

pub use trail::Trail;

/// Several trajectories of one system, stepped together.
#[derive(Clone, Debug)]
pub struct Flow {
    pub system: Lorenz,
    pub dt: f64,
    pub starts: Vec<[f64; 3]>,
    /// Every trajectory, start first, the older points thinned (they are stepped together,
    /// so the same steps are kept in each).
    pub paths: Vec<Trail<[f64; 3]>>,
    pub steps: usize,
}

impl Flow {
    pub fn new(system: Lorenz, dt: f64, starts: Vec<[f64; 3]>) -> Self {
        Flow {
            paths: starts.iter().map(|&s| Trail::new(s)).collect(),
            system,
            dt,
            starts,
            steps: 0,
        }
    }

    pub fn restart(&mut self) {
        self.paths = self.starts.iter().map(|&s| Trail::new(s)).collect();
        self.steps = 0;
    }

    pub fn step(&mut self) {
        for p in &mut self.paths {
            if let Some(&last) = p.last() {
                p.push(self.system.step(last, self.dt));
            }
        }
        self.steps += 1;
    }

    /// The largest distance between the trajectories' current points.
    pub fn spread(&self) -> f64 {
        largest_distance(self.paths.iter().filter_map(|p| p.last().copied()))
    }

    /// The largest distance between the trajectories' `k`-th kept points (at step
    /// `paths[0].steps()[k]`).
    pub fn spread_at(&self, k: usize) -> f64 {
        largest_distance(self.paths.iter().filter_map(|p| p.points().get(k).copied()))
    }
}

/// The largest distance between any two of `points`.
fn largest_distance(points: impl Iterator<Item = [f64; 3]>) -> f64 {
    let pts: Vec<[f64; 3]> = points.collect();
    let mut d: f64 = 0.0;
    for (i, a) in pts.iter().enumerate() {
        for b in &pts[i + 1..] {
            d = d.max(
                ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt(),
            );
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rk4_matches_the_analytic_decay_of_a_linear_system() {
        // With ρ = 0 and x = y = 0, z obeys dz/dt = −βz: z(t) = z0·e^(−βt).
        let l = Lorenz {
            sigma: 10.0,
            rho: 0.0,
            beta: 2.0,
        };
        let mut p = [0.0, 0.0, 1.0];
        for _ in 0..100 {
            p = l.step(p, 0.01);
        }
        assert!((p[2] - (-2.0f64).exp()).abs() < 1e-9, "{}", p[2]);
    }

    #[test]
    fn nearby_starts_diverge_on_the_attractor() {
        let mut f = Flow::new(
            Lorenz::default(),
            0.01,
            vec![[0.0, 1.0, 1.05], [0.0, 1.0, 1.06], [0.0, 1.0, 1.07]],
        );
        assert!((f.spread() - 0.02).abs() < 1e-12);
        for _ in 0..3000 {
            f.step();
        }
        assert!(
            f.spread() > 5.0,
            "after 30 time units the starts 0.01 apart are far apart: {}",
            f.spread()
        );
        // And every trajectory stays on the bounded attractor.
        assert!(
            f.paths
                .iter()
                .flat_map(|p| p.points())
                .all(|p| p[0].abs() < 30.0 && p[1].abs() < 40.0 && (0.0..60.0).contains(&p[2]))
        );
    }
}
