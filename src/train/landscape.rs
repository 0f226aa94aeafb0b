//! The network's own loss landscape: the weight trajectory projected on its two principal
//! directions (PCA of the weight snapshots), over the training loss on that plane.

use super::Net;
use crate::nn::Workspace;
use ndarray::ArrayView2;

/// All weights and biases of a network, in layer order (weights row-major, then biases).
pub fn flatten(net: &Net) -> Vec<f32> {
    let mut v = Vec::with_capacity(net.parameter_count());
    for l in &net.layers {
        v.extend(l.w.iter());
        v.extend(l.b.iter());
    }
    v
}

/// Writes a flat parameter vector back into a network of the same shape.
pub fn unflatten(net: &mut Net, v: &[f32]) {
    let mut it = v.iter();
    for l in &mut net.layers {
        for w in l.w.iter_mut().chain(l.b.iter_mut()) {
            if let Some(&x) = it.next() {
                *w = x;
            }
        }
    }
}

/// A computed landscape.
#[derive(Clone, Debug)]
pub struct Landscape {
    /// Training loss on an `nx`×`ny` grid, row 0 at the top (largest second coordinate).
    pub loss: Vec<f64>,
    pub nx: usize,
    pub ny: usize,
    /// The plane's coordinate ranges.
    pub a: [f64; 2],
    pub b: [f64; 2],
    /// The trajectory's coordinates on the plane, oldest first.
    pub path: Vec<[f64; 2]>,
    /// Epoch of each trajectory point.
    pub epochs: Vec<usize>,
    /// Share of the trajectory's variance the two directions explain.
    pub explained: f64,
    pub millis: f64,
}

/// Top eigenvector of a symmetric matrix (power iteration), with its eigenvalue.
fn top_eigen(m: &[Vec<f64>], skip: Option<&[f64]>) -> (Vec<f64>, f64) {
    let n = m.len();
    let mut v: Vec<f64> = (0..n).map(|i| 1.0 + (i as f64 * 0.37).sin()).collect();
    let mut lambda = 0.0;
    for _ in 0..300 {
        if let Some(s) = skip {
            let d: f64 = v.iter().zip(s).map(|(a, b)| a * b).sum();
            v.iter_mut().zip(s).for_each(|(a, b)| *a -= d * b);
        }
        let mut w: Vec<f64> = (0..n)
            .map(|i| m[i].iter().zip(&v).map(|(a, b)| a * b).sum())
            .collect();
        if let Some(s) = skip {
            let d: f64 = w.iter().zip(s).map(|(a, b)| a * b).sum();
            w.iter_mut().zip(s).for_each(|(a, b)| *a -= d * b);
        }
        let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm < 1e-300 {
            return (v, 0.0);
        }
        let next: Vec<f64> = w.iter().map(|x| x / norm).collect();
        let change: f64 = next.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
        v = next;
        lambda = norm;
        if change < 1e-12 {
            break;
        }
    }
    (v, lambda)
}

/// PCA of `traj` (one flat weight vector per snapshot), then the training loss of `net`'s
/// architecture over the plane through the mean spanned by the top two directions.
pub fn compute(
    net: &Net,
    traj: &[(usize, Vec<f32>)],
    x: ArrayView2<f32>,
    y: crate::nn::Targets<'_, f32>,
    nx: usize,
    ny: usize,
) -> Option<Landscape> {
    let t0 = std::time::Instant::now();
    let n = traj.len();
    if n < 3 || nx < 2 || ny < 2 {
        return None;
    }
    let p = traj[0].1.len();
    let mean: Vec<f64> = (0..p)
        .map(|j| traj.iter().map(|t| t.1[j] as f64).sum::<f64>() / n as f64)
        .collect();
    let centred: Vec<Vec<f64>> = traj
        .iter()
        .map(|t| t.1.iter().zip(&mean).map(|(&v, m)| v as f64 - m).collect())
        .collect();
    // The n×n Gram matrix: the snapshots are few, the weights many.
    let gram: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum())
                .collect()
        })
        .collect();
    let total: f64 = (0..n).map(|i| gram[i][i]).sum();
    if total <= 0.0 {
        return None;
    }
    let (e1, l1) = top_eigen(&gram, None);
    let (e2, l2) = top_eigen(&gram, Some(&e1));
    let dir = |e: &[f64]| -> Vec<f64> {
        let mut d = vec![0.0; p];
        for (c, &w) in centred.iter().zip(e) {
            d.iter_mut().zip(c).for_each(|(a, b)| *a += w * b);
        }
        let norm = d.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-300);
        d.iter_mut().for_each(|a| *a /= norm);
        d
    };
    let (u, v) = (dir(&e1), dir(&e2));
    let path: Vec<[f64; 2]> = centred
        .iter()
        .map(|c| {
            [
                c.iter().zip(&u).map(|(a, b)| a * b).sum(),
                c.iter().zip(&v).map(|(a, b)| a * b).sum(),
            ]
        })
        .collect();
    let range = |k: usize| {
        let (lo, hi) = path
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), q| {
                (lo.min(q[k]), hi.max(q[k]))
            });
        let pad = ((hi - lo) * 0.25).max(1e-3);
        [lo - pad, hi + pad]
    };
    let (a, b) = (range(0), range(1));
    let mut probe = net.clone();
    let mut ws = Workspace::default();
    let mut flat = vec![0f32; p];
    let mut loss = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        let bj = b[1] - (j as f64 + 0.5) / ny as f64 * (b[1] - b[0]);
        for i in 0..nx {
            let ai = a[0] + (i as f64 + 0.5) / nx as f64 * (a[1] - a[0]);
            for k in 0..p {
                flat[k] = (mean[k] + ai * u[k] + bj * v[k]) as f32;
            }
            unflatten(&mut probe, &flat);
            let (l, _) = probe.evaluate(x, y, &mut ws);
            loss.push(l as f64);
        }
    }
    Some(Landscape {
        loss,
        nx,
        ny,
        a,
        b,
        path,
        epochs: traj.iter().map(|t| t.0).collect(),
        explained: ((l1 + l2) / total).min(1.0),
        millis: t0.elapsed().as_secs_f64() * 1e3,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{self, Body};
    use crate::train::ClassifierRun;

    #[test]
    fn flatten_round_trips() {
        let sc = scenario::load("playground").unwrap();
        let Body::Classifier(c) = sc.body else {
            panic!()
        };
        let run = ClassifierRun::new(c, 1).unwrap();
        let mut net = run.net.clone();
        let v: Vec<f32> = (0..net.parameter_count()).map(|i| i as f32).collect();
        unflatten(&mut net, &v);
        assert_eq!(flatten(&net), v);
    }

    #[test]
    fn a_straight_trajectory_is_one_direction_and_its_loss_is_sampled() {
        let sc = scenario::load("playground").unwrap();
        let Body::Classifier(c) = sc.body else {
            panic!()
        };
        let mut run = ClassifierRun::new(c, 1).unwrap();
        let w0 = flatten(&run.net);
        // Points on a line through weight space: PCA explains it with one direction.
        let traj: Vec<(usize, Vec<f32>)> = (0..10)
            .map(|k| {
                (
                    k,
                    w0.iter()
                        .enumerate()
                        .map(|(i, w)| w + 0.01 * k as f32 * ((i % 3) as f32 - 1.0))
                        .collect(),
                )
            })
            .collect();
        let x = ndarray::Array2::from_shape_fn((run.data.train.len(), 2), |(i, j)| {
            run.data.train.x[i][j] as f32
        });
        let l = compute(&run.net, &traj, x.view(), (&run.data.train.y).into(), 8, 6).unwrap();
        assert!(l.explained > 0.999, "{}", l.explained);
        let spread_b = l.path.iter().map(|q| q[1].abs()).fold(0.0, f64::max);
        assert!(
            spread_b < 1e-4,
            "second coordinate should vanish, got {spread_b}"
        );
        assert_eq!(l.loss.len(), 48);
        assert!(l.loss.iter().all(|v| v.is_finite()));
        // The grid's loss at the path's first point matches the network there.
        unflatten(&mut run.net, &traj[0].1);
        assert!(run.evaluate_train().0.is_finite());
    }
}
