//! Two-dimensional test functions with analytic gradients, the playgrounds of the optimizer
//! chapters: each knows its default view, a default start and its known minima.

use crate::SeedRng as ChaCha8Rng;
use crate::real::Real;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// The kinds of surface a scenario can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurfaceKind {
    /// ½(x² + κ·y²), a bowl whose condition number κ is a setting.
    Quadratic,
    Rosenbrock,
    Beale,
    Himmelblau,
    Booth,
    Rastrigin,
    /// x² − y².
    Saddle,
    /// x³ − 3xy².
    MonkeySaddle,
    /// MATLAB's `peaks`.
    Peaks,
    /// The MSE of y = sin(b·cos(a·x)) fitted to noisy data, over (a, b).
    CurveFit,
}

impl SurfaceKind {
    pub const ALL: [SurfaceKind; 10] = [
        SurfaceKind::Quadratic,
        SurfaceKind::Rosenbrock,
        SurfaceKind::Beale,
        SurfaceKind::Himmelblau,
        SurfaceKind::Booth,
        SurfaceKind::Rastrigin,
        SurfaceKind::Saddle,
        SurfaceKind::MonkeySaddle,
        SurfaceKind::Peaks,
        SurfaceKind::CurveFit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SurfaceKind::Quadratic => "quadratic",
            SurfaceKind::Rosenbrock => "rosenbrock",
            SurfaceKind::Beale => "beale",
            SurfaceKind::Himmelblau => "himmelblau",
            SurfaceKind::Booth => "booth",
            SurfaceKind::Rastrigin => "rastrigin",
            SurfaceKind::Saddle => "saddle",
            SurfaceKind::MonkeySaddle => "monkey_saddle",
            SurfaceKind::Peaks => "peaks",
            SurfaceKind::CurveFit => "curve_fit",
        }
    }

    /// The surface as titles and panels name it (`name` is the scenario key).
    pub fn label(self) -> &'static str {
        match self {
            SurfaceKind::Quadratic => "a quadratic bowl",
            SurfaceKind::Rosenbrock => "Rosenbrock",
            SurfaceKind::Beale => "Beale",
            SurfaceKind::Himmelblau => "Himmelblau",
            SurfaceKind::Booth => "Booth",
            SurfaceKind::Rastrigin => "Rastrigin",
            SurfaceKind::Saddle => "the saddle x² − y²",
            SurfaceKind::MonkeySaddle => "the monkey saddle x³ − 3xy²",
            SurfaceKind::Peaks => "peaks",
            SurfaceKind::CurveFit => "the curve fit's error over (a, b)",
        }
    }
}

/// The settings a surface is built from (the `[surface]` table less `kind`-independent keys).
#[derive(Clone, Debug, PartialEq)]
pub struct SurfaceParams {
    pub kind: SurfaceKind,
    /// Condition number of the quadratic bowl.
    pub condition: f64,
    /// Curve fit: number of points on [−1, 1], noise σ, true (a, b), and the data seed.
    pub samples: usize,
    pub noise: f64,
    pub truth: [f64; 2],
    pub seed: u64,
}

impl Default for SurfaceParams {
    fn default() -> Self {
        SurfaceParams {
            kind: SurfaceKind::Rosenbrock,
            condition: 10.0,
            samples: 200,
            noise: 0.1,
            truth: [1.2, 2.5],
            seed: 0,
        }
    }
}

/// A rectangle of the plane: `x` and `y` ranges.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

impl View {
    pub fn contains(&self, p: [f64; 2]) -> bool {
        (self.x[0]..=self.x[1]).contains(&p[0]) && (self.y[0]..=self.y[1]).contains(&p[1])
    }
}

/// A surface ready to evaluate.
#[derive(Clone, Debug)]
pub struct Surface {
    pub params: SurfaceParams,
    /// Curve fit data (x, y); empty for the closed-form surfaces.
    data: Vec<(f64, f64)>,
    minima: Vec<[f64; 2]>,
}

impl Surface {
    pub fn new(params: SurfaceParams) -> Self {
        let mut s = Surface {
            data: Vec::new(),
            minima: Vec::new(),
            params,
        };
        if s.params.kind == SurfaceKind::CurveFit {
            s.data = curve_fit_data(&s.params);
        }
        s.minima = s.compute_minima();
        s
    }

    /// The curve fit's data points `(x, y)`; empty for the closed-form surfaces.
    pub fn data(&self) -> &[(f64, f64)] {
        &self.data
    }

    /// The curve fit's model at `x` for parameters `(a, b)`: y = sin(b·cos(a·x)).
    pub fn fitted(a: f64, b: f64, x: f64) -> f64 {
        (b * (a * x).cos()).sin()
    }

    pub fn kind(&self) -> SurfaceKind {
        self.params.kind
    }

    /// f(x, y).
    pub fn value(&self, p: [f64; 2]) -> f64 {
        self.eval(p).0
    }

    /// ∇f(x, y).
    pub fn grad(&self, p: [f64; 2]) -> [f64; 2] {
        self.eval(p).1
    }

    /// f and ∇f together.
    pub fn eval(&self, [x, y]: [f64; 2]) -> (f64, [f64; 2]) {
        match self.params.kind {
            SurfaceKind::Quadratic => {
                let k = self.params.condition;
                (0.5 * (x * x + k * y * y), [x, k * y])
            }
            SurfaceKind::Rosenbrock => {
                // (1 − x)² + 100(y − x²)²
                let t = y - x * x;
                (
                    (1.0 - x).powi(2) + 100.0 * t * t,
                    [-2.0 * (1.0 - x) - 400.0 * x * t, 200.0 * t],
                )
            }
            SurfaceKind::Beale => {
                let t1 = 1.5 - x + x * y;
                let t2 = 2.25 - x + x * y * y;
                let t3 = 2.625 - x + x * y * y * y;
                (
                    t1 * t1 + t2 * t2 + t3 * t3,
                    [
                        2.0 * t1 * (y - 1.0)
                            + 2.0 * t2 * (y * y - 1.0)
                            + 2.0 * t3 * (y * y * y - 1.0),
                        2.0 * t1 * x + 4.0 * t2 * x * y + 6.0 * t3 * x * y * y,
                    ],
                )
            }
            SurfaceKind::Himmelblau => {
                let a = x * x + y - 11.0;
                let b = x + y * y - 7.0;
                (
                    a * a + b * b,
                    [4.0 * a * x + 2.0 * b, 2.0 * a + 4.0 * b * y],
                )
            }
            SurfaceKind::Booth => {
                let a = x + 2.0 * y - 7.0;
                let b = 2.0 * x + y - 5.0;
                (a * a + b * b, [2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b])
            }
            SurfaceKind::Rastrigin => {
                let w = 2.0 * PI;
                (
                    20.0 + x * x - 10.0 * (w * x).cos() + y * y - 10.0 * (w * y).cos(),
                    [
                        2.0 * x + 10.0 * w * (w * x).sin(),
                        2.0 * y + 10.0 * w * (w * y).sin(),
                    ],
                )
            }
            SurfaceKind::Saddle => (x * x - y * y, [2.0 * x, -2.0 * y]),
            SurfaceKind::MonkeySaddle => (
                x * x * x - 3.0 * x * y * y,
                [3.0 * x * x - 3.0 * y * y, -6.0 * x * y],
            ),
            SurfaceKind::Peaks => peaks(x, y),
            SurfaceKind::CurveFit => self.curve_fit(x, y),
        }
    }

    /// The view a scenario opens on unless it sets its own.
    pub fn default_view(&self) -> View {
        let sq = |r: f64| View {
            x: [-r, r],
            y: [-r, r],
        };
        match self.params.kind {
            SurfaceKind::Quadratic => sq(2.0),
            SurfaceKind::Rosenbrock => View {
                x: [-2.5, 2.0],
                y: [-1.0, 3.0],
            },
            SurfaceKind::Beale => sq(4.5),
            SurfaceKind::Himmelblau => sq(5.0),
            SurfaceKind::Booth => sq(10.0),
            SurfaceKind::Rastrigin => sq(5.12),
            SurfaceKind::Saddle | SurfaceKind::MonkeySaddle => sq(1.5),
            SurfaceKind::Peaks => sq(3.0),
            SurfaceKind::CurveFit => sq(5.0),
        }
    }

    /// The start a scenario uses unless it sets its own.
    pub fn default_start(&self) -> [f64; 2] {
        match self.params.kind {
            SurfaceKind::Quadratic => [-1.8, 1.5],
            SurfaceKind::Rosenbrock => [-2.0, 2.0],
            SurfaceKind::Beale => [1.0, 1.5],
            SurfaceKind::Himmelblau => [0.0, 0.0],
            SurfaceKind::Booth => [-8.0, -8.0],
            SurfaceKind::Rastrigin => [3.3, -2.7],
            SurfaceKind::Saddle => [1.0, -0.001],
            SurfaceKind::MonkeySaddle => [1.0, 0.0],
            SurfaceKind::Peaks => [-0.5, -1.0],
            SurfaceKind::CurveFit => [-1.0, -1.5],
        }
    }

    /// Known local minima (global first where there is one). Empty for surfaces unbounded
    /// below (the saddles).
    pub fn minima(&self) -> &[[f64; 2]] {
        &self.minima
    }

    fn compute_minima(&self) -> Vec<[f64; 2]> {
        match self.params.kind {
            SurfaceKind::Quadratic | SurfaceKind::Rastrigin => vec![[0.0, 0.0]],
            SurfaceKind::Rosenbrock => vec![[1.0, 1.0]],
            SurfaceKind::Beale => vec![[3.0, 0.5]],
            SurfaceKind::Himmelblau => vec![
                [3.0, 2.0],
                [-2.805118, 3.131312],
                [-3.779310, -3.283186],
                [3.584428, -1.848126],
            ],
            SurfaceKind::Booth => vec![[1.0, 3.0]],
            SurfaceKind::Saddle | SurfaceKind::MonkeySaddle => vec![],
            // Refined from rough locations read off the surface.
            SurfaceKind::Peaks => vec![self.polish([0.23, -1.63]), self.polish([-1.35, 0.2])],
            // sin(b·cos(a·x)) is even in a, so ±a fit equally well.
            SurfaceKind::CurveFit => {
                let [a, b] = self.params.truth;
                vec![self.polish([a, b]), self.polish([-a, b])]
            }
        }
    }

    /// Newton's method with a finite-difference Hessian of the analytic gradient: turns a
    /// rough location of a minimum into an exact one.
    fn polish(&self, mut p: [f64; 2]) -> [f64; 2] {
        let h = 1e-6;
        for _ in 0..50 {
            let g = self.grad(p);
            let gx = self.grad([p[0] + h, p[1]]);
            let gy = self.grad([p[0], p[1] + h]);
            let (hxx, hxy, hyx, hyy) = (
                (gx[0] - g[0]) / h,
                (gx[1] - g[1]) / h,
                (gy[0] - g[0]) / h,
                (gy[1] - g[1]) / h,
            );
            let det = hxx * hyy - hxy * hyx;
            if det.abs() < 1e-14 {
                break;
            }
            let dx = (hyy * g[0] - hyx * g[1]) / det;
            let dy = (-hxy * g[0] + hxx * g[1]) / det;
            p = [p[0] - dx, p[1] - dy];
            if dx.abs() + dy.abs() < 1e-13 {
                break;
            }
        }
        p
    }

    /// The data of the curve-fit surface, for plotting.
    pub fn curve_data(&self) -> &[(f64, f64)] {
        &self.data
    }

    fn curve_fit(&self, a: f64, b: f64) -> (f64, [f64; 2]) {
        // f(a, b) = mean (sin(b·cos(a·x)) − y)²
        // ∂f/∂a = mean 2r·cos(b·cos(a·x))·b·(−sin(a·x))·x,  ∂f/∂b = mean 2r·cos(b·cos(a·x))·cos(a·x)
        let n = self.data.len().max(1) as f64;
        let (mut f, mut ga, mut gb) = (0.0, 0.0, 0.0);
        for &(x, y) in &self.data {
            let c = (a * x).cos();
            let inner = b * c;
            let r = inner.sin() - y;
            let dc = inner.cos();
            f += r * r;
            ga += 2.0 * r * dc * b * (-(a * x).sin()) * x;
            gb += 2.0 * r * dc * c;
        }
        (f / n, [ga / n, gb / n])
    }

    /// Evaluates f on an `nx`×`ny` grid over `view` (row 0 at the top, i.e. the largest y),
    /// for contour and heatmap drawing.
    pub fn grid<F: Real>(&self, view: &View, nx: usize, ny: usize) -> Vec<F> {
        let mut out = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let y = view.y[1] - (j as f64 + 0.5) / ny as f64 * (view.y[1] - view.y[0]);
            for i in 0..nx {
                let x = view.x[0] + (i as f64 + 0.5) / nx as f64 * (view.x[1] - view.x[0]);
                out.push(F::c(self.value([x, y])));
            }
        }
        out
    }
}

fn peaks(x: f64, y: f64) -> (f64, [f64; 2]) {
    // 3(1−x)²·e^(−x²−(y+1)²) − 10(x/5 − x³ − y⁵)·e^(−x²−y²) − ⅓·e^(−(x+1)²−y²)
    let e1 = (-x * x - (y + 1.0).powi(2)).exp();
    let e2 = (-x * x - y * y).exp();
    let e3 = (-(x + 1.0).powi(2) - y * y).exp();
    let p = x / 5.0 - x.powi(3) - y.powi(5);
    let f = 3.0 * (1.0 - x).powi(2) * e1 - 10.0 * p * e2 - e3 / 3.0;
    let dx = -6.0 * (1.0 - x) * e1 + 3.0 * (1.0 - x).powi(2) * e1 * (-2.0 * x)
        - 10.0 * (0.2 - 3.0 * x * x) * e2
        - 10.0 * p * e2 * (-2.0 * x)
        - e3 / 3.0 * (-2.0 * (x + 1.0));
    let dy = 3.0 * (1.0 - x).powi(2) * e1 * (-2.0 * (y + 1.0))
        - 10.0 * (-5.0 * y.powi(4)) * e2
        - 10.0 * p * e2 * (-2.0 * y)
        - e3 / 3.0 * (-2.0 * y);
    (f, [dx, dy])
}

/// 200 points x on [−1, 1] (evenly spaced), y = sin(b·cos(a·x)) + N(0, σ²) from the seed.
fn curve_fit_data(p: &SurfaceParams) -> Vec<(f64, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let normal = Normal::new(0.0, p.noise.max(0.0)).unwrap_or_else(|_| {
        Normal::new(0.0, 0.0).unwrap_or_else(|_| unreachable!("σ = 0 is a valid normal"))
    });
    let n = p.samples.max(2);
    let [a, b] = p.truth;
    (0..n)
        .map(|i| {
            let x = -1.0 + 2.0 * i as f64 / (n - 1) as f64;
            let y = (b * (a * x).cos()).sin() + normal.sample(&mut rng);
            (x, y)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(kind: SurfaceKind) -> Surface {
        Surface::new(SurfaceParams {
            kind,
            ..SurfaceParams::default()
        })
    }

    /// Central differences of f against the analytic gradient, at points across the view.
    #[test]
    fn gradients_match_finite_differences() {
        for kind in SurfaceKind::ALL {
            let s = surface(kind);
            let v = s.default_view();
            for (u, w) in [(0.13, 0.71), (0.5, 0.5), (0.87, 0.29), (0.31, 0.42)] {
                let p = [
                    v.x[0] + u * (v.x[1] - v.x[0]),
                    v.y[0] + w * (v.y[1] - v.y[0]),
                ];
                let g = s.grad(p);
                let h = 1e-6;
                for d in 0..2 {
                    let mut a = p;
                    let mut b = p;
                    a[d] += h;
                    b[d] -= h;
                    let fd = (s.value(a) - s.value(b)) / (2.0 * h);
                    let tol = 1e-5 * (1.0 + fd.abs());
                    assert!(
                        (fd - g[d]).abs() < tol,
                        "{kind:?} at {p:?}, d{d}: analytic {} vs numeric {fd}",
                        g[d]
                    );
                }
            }
        }
    }

    #[test]
    fn minima_are_stationary_and_in_view() {
        for kind in SurfaceKind::ALL {
            let s = surface(kind);
            for &m in s.minima() {
                let g = s.grad(m);
                assert!(g[0].hypot(g[1]) < 1e-4, "{kind:?} {m:?}: |∇f| = {g:?}");
                assert!(s.default_view().contains(m), "{kind:?} {m:?}");
                assert!(s.default_view().contains(s.default_start()), "{kind:?}");
            }
        }
    }

    #[test]
    fn peaks_global_minimum_is_the_known_one() {
        // MATLAB documents the minimum of peaks as about −6.5511 at (0.228, −1.626).
        let s = surface(SurfaceKind::Peaks);
        let m = s.minima()[0];
        assert!((s.value(m) + 6.5511).abs() < 1e-3, "{}", s.value(m));
        assert!((m[0] - 0.228).abs() < 1e-2 && (m[1] + 1.626).abs() < 1e-2);
    }

    #[test]
    fn curve_fit_minimum_is_near_the_truth() {
        let s = surface(SurfaceKind::CurveFit);
        let m = s.minima()[0];
        assert!(
            (m[0] - 1.2).abs() < 0.1 && (m[1] - 2.5).abs() < 0.1,
            "{m:?}"
        );
        // Noise σ = 0.1 leaves an MSE of about σ² at the fit.
        assert!((s.value(m) - 0.01).abs() < 0.004, "{}", s.value(m));
    }
}
