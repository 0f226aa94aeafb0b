//! The multilayer perceptron: parameters, forward pass, loss and backward pass.

use super::{Activation, Architecture, Init, Loss, Output, Penalty, sigmoid};
use crate::SeedRng;
use crate::real::Real;
use ndarray::{Array1, Array2, ArrayView2, Axis, Zip, linalg::general_mat_mul};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// One fully connected layer and the gradient of the loss with respect to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense<F> {
    /// Weights, `(inputs, outputs)`.
    pub w: Array2<F>,
    /// Biases, `(outputs,)`.
    pub b: Array1<F>,
    pub gw: Array2<F>,
    pub gb: Array1<F>,
}

/// What a network's outputs are compared with: a class per sample, or a real target per
/// sample (a regression, through a one-unit output).
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a, F> {
    Classes(&'a [usize]),
    Values(&'a [F]),
}

impl<F> Targets<'_, F> {
    pub fn len(&self) -> usize {
        match self {
            Targets::Classes(y) => y.len(),
            Targets::Values(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The targets of samples `r`.
    pub fn rows(&self, r: std::ops::Range<usize>) -> Self {
        match self {
            Targets::Classes(y) => Targets::Classes(&y[r]),
            Targets::Values(t) => Targets::Values(&t[r]),
        }
    }
}

impl<'a, F> From<&'a [usize]> for Targets<'a, F> {
    fn from(y: &'a [usize]) -> Self {
        Targets::Classes(y)
    }
}

impl<'a, F> From<&'a Vec<usize>> for Targets<'a, F> {
    fn from(y: &'a Vec<usize>) -> Self {
        Targets::Classes(y)
    }
}

/// The coefficient of determination, `1 − SS_res/SS_tot` (scikit-learn's `r2_score`): 1 for
/// a perfect fit, 0 for predicting the mean, negative for worse. NaN without samples; when
/// every target is equal, 1 for a perfect fit and 0 otherwise, as scikit-learn says.
pub fn r2(pred: &[f64], target: &[f64]) -> f64 {
    let n = target.len();
    if n == 0 || pred.len() != n {
        return f64::NAN;
    }
    let mean = target.iter().sum::<f64>() / n as f64;
    let ss_tot: f64 = target.iter().map(|t| (t - mean) * (t - mean)).sum();
    let ss_res: f64 = pred
        .iter()
        .zip(target)
        .map(|(p, t)| (p - t) * (p - t))
        .sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}

/// A network: its architecture and its layers.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<F> {
    pub arch: Architecture,
    pub layers: Vec<Dense<F>>,
}

/// Buffers for one batch size, reused between calls.
#[derive(Clone, Debug, Default)]
pub struct Workspace<F> {
    /// Pre-activations per layer, `(n, width)`.
    z: Vec<Array2<F>>,
    /// Activations per layer (after dropout for hidden layers); the last is the output.
    a: Vec<Array2<F>>,
    /// Dropout masks per hidden layer: 0 or 1/keep.
    mask: Vec<Array2<F>>,
    /// ∂loss/∂z per layer.
    dz: Vec<Array2<F>>,
    /// P(class) per sample: `(n, 1)` for one-unit outputs, `(n, classes)` for softmax.
    prob: Array2<F>,
    /// Each layer's weight and bias gradient while a backward pass fills them: the layers'
    /// own buffers, moved here for the pass, or a share's (see [`Share`]).
    grads: Vec<(Array2<F>, Array1<F>)>,
}

/// What the second half of a split batch needs of its own (see [`Mlp::backward_split`]): its
/// buffers, and on two cores the thread that trains it.
#[derive(Debug, Default)]
pub struct Share<F> {
    /// The second half: here between batches, with the helper thread while it trains.
    half: Option<Box<Half<F>>>,
    helper: Option<Helper<F>>,
}

impl<F> Share<F> {
    /// The second half's buffers: its outputs after [`Mlp::backward_split`].
    pub fn workspace(&self) -> Option<&Workspace<F>> {
        self.half.as_ref().map(|h| &h.ws)
    }
}

/// The second half of a split batch as the helper thread gets it: its own copy of the
/// weights, of its rows and targets, and its buffers.
#[derive(Debug, Default)]
struct Half<F> {
    net: Option<Mlp<F>>,
    x: Array2<F>,
    classes: Vec<usize>,
    values: Vec<F>,
    regression: bool,
    n_total: usize,
    ws: Workspace<F>,
    loss: Option<F>,
}

impl<F: Real> Half<F> {
    /// Rows `x` and targets `t` of a batch of `n_total` with `net`'s weights, for the thread.
    fn load(&mut self, net: &Mlp<F>, x: ArrayView2<F>, t: Targets<'_, F>, n_total: usize) {
        if self.x.dim() == x.dim() {
            self.x.assign(&x);
        } else {
            self.x = x.to_owned();
        }
        self.classes.clear();
        self.values.clear();
        self.regression = matches!(t, Targets::Values(_));
        match t {
            Targets::Classes(y) => self.classes.extend_from_slice(y),
            Targets::Values(v) => self.values.extend_from_slice(v),
        }
        self.n_total = n_total;
        match &mut self.net {
            Some(mine) => mine.copy_weights_from(net),
            None => self.net = Some(net.clone()),
        }
        self.loss = None;
    }

    /// This half's forward and backward pass (on the helper thread).
    fn train(&mut self) {
        let Some(net) = &self.net else {
            return;
        };
        let targets = if self.regression {
            Targets::Values(&self.values)
        } else {
            Targets::Classes(&self.classes)
        };
        self.loss =
            Some(net.backward_rows(self.x.view(), targets, self.n_total, &mut self.ws, None));
    }
}

/// A thread that trains the second halves of split batches, fed and answered by channels.
#[derive(Debug)]
struct Helper<F> {
    to: std::sync::mpsc::Sender<Box<Half<F>>>,
    from: std::sync::mpsc::Receiver<Box<Half<F>>>,
}

impl<F: Real + Send + 'static> Helper<F> {
    fn start() -> std::io::Result<Self> {
        let (to, jobs) = std::sync::mpsc::channel::<Box<Half<F>>>();
        let (done, from) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("nnbook-half-batch".into())
            .spawn(move || {
                while let Some(mut half) = receive(&jobs) {
                    half.train();
                    if done.send(half).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Helper { to, from })
    }
}

/// How long a thread waiting for its other half spins before it sleeps: waking a sleeping
/// thread took this 2-core virtual machine 0.15–0.3 ms, a third of the NumPy chapter's epoch.
const SPIN: std::time::Duration = std::time::Duration::from_millis(2);

/// The next message, spinning for [`SPIN`] first, then asleep; `None` once the sender is gone.
fn receive<T>(rx: &std::sync::mpsc::Receiver<T>) -> Option<T> {
    use std::sync::mpsc::TryRecvError;
    let t0 = std::time::Instant::now();
    loop {
        match rx.try_recv() {
            Ok(v) => return Some(v),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) if t0.elapsed() < SPIN => std::hint::spin_loop(),
            Err(TryRecvError::Empty) => return rx.recv().ok(),
        }
    }
}

/// A full batch of at least this many rows, trained without dropout, is split into two
/// halves whose gradients are summed ([`Mlp::backward_split`]): the halves can run on two
/// cores. The split depends on the batch alone, never on the cores there are, so a seed
/// trains to the same numbers everywhere.
pub const SPLIT_ROWS: usize = 512;

impl<F: Real> Workspace<F> {
    /// Makes the buffers `(n, width)` for each of `layers`, unless they are already.
    fn fit(&mut self, layers: &[Dense<F>], n: usize) {
        let ok = self.z.len() == layers.len()
            && self
                .z
                .iter()
                .zip(layers)
                .all(|(z, l)| z.dim() == (n, l.w.ncols()));
        if ok {
            return;
        }
        let mk = || {
            layers
                .iter()
                .map(|l| Array2::zeros((n, l.w.ncols())))
                .collect::<Vec<_>>()
        };
        self.z = mk();
        self.a = mk();
        self.mask = mk();
        self.dz = mk();
        self.prob = Array2::zeros((0, 0));
    }

    /// The network's output from the last forward pass.
    pub fn output(&self) -> Option<&Array2<F>> {
        self.a.last()
    }
}

impl<F: Real> Mlp<F> {
    /// A network with freshly initialized weights drawn from `rng`.
    pub fn new(arch: Architecture, rng: &mut SeedRng) -> Self {
        let sizes = arch.sizes();
        let layers = sizes
            .windows(2)
            .map(|io| {
                let (fan_in, fan_out) = (io[0], io[1]);
                let normal = |rng: &mut SeedRng| -> f64 { StandardNormal.sample(rng) };
                let (w, b): (Array2<F>, Array1<F>) = match arch.init {
                    // Weights first, then biases, each row by row, as NumPy's
                    // `np.random.randn(out, in) * 0.1` draws them (transposed here).
                    Init::Normal { scale } => {
                        let wt = Array2::from_shape_simple_fn((fan_out, fan_in), || {
                            F::c(normal(rng) * scale)
                        });
                        let b = Array1::from_shape_simple_fn(fan_out, || F::c(normal(rng) * scale));
                        (wt.t().as_standard_layout().into_owned(), b)
                    }
                    Init::Xavier => {
                        let lim = (6.0 / (fan_in + fan_out) as f64).sqrt();
                        let w = Array2::from_shape_simple_fn((fan_in, fan_out), || {
                            F::c(lim * (2.0 * rng.random::<f64>() - 1.0))
                        });
                        (w, Array1::zeros(fan_out))
                    }
                    Init::He => {
                        let sd = (2.0 / fan_in as f64).sqrt();
                        let w = Array2::from_shape_simple_fn((fan_in, fan_out), || {
                            F::c(sd * normal(rng))
                        });
                        (w, Array1::zeros(fan_out))
                    }
                    Init::Playground => {
                        let w = Array2::from_shape_simple_fn((fan_in, fan_out), || {
                            F::c(rng.random::<f64>() - 0.5)
                        });
                        (w, Array1::from_elem(fan_out, F::c(0.1)))
                    }
                };
                Dense {
                    gw: Array2::zeros(w.dim()),
                    gb: Array1::zeros(b.dim()),
                    w,
                    b,
                }
            })
            .collect();
        Mlp { arch, layers }
    }

    /// Makes this a copy of `other`, reusing this network's arrays where the shapes agree
    /// (the best-so-far copy a run keeps after every improving epoch).
    pub fn copy_from(&mut self, other: &Mlp<F>) {
        self.copy_weights_from(other);
        for (to, from) in self.layers.iter_mut().zip(&other.layers) {
            to.gw.assign(&from.gw);
            to.gb.assign(&from.gb);
        }
    }

    /// This network's weights and biases made `other`'s (gradients left as they are), in
    /// place when the shapes agree.
    pub fn copy_weights_from(&mut self, other: &Mlp<F>) {
        let same = self.layers.len() == other.layers.len()
            && self
                .layers
                .iter()
                .zip(&other.layers)
                .all(|(a, b)| a.w.dim() == b.w.dim() && a.b.dim() == b.b.dim());
        if !same {
            *self = other.clone();
            return;
        }
        self.arch.clone_from(&other.arch);
        for (to, from) in self.layers.iter_mut().zip(&other.layers) {
            to.w.assign(&from.w);
            to.b.assign(&from.b);
        }
    }

    /// Number of weights and biases.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|l| l.w.len() + l.b.len()).sum()
    }

    /// Each tensor with its gradient, for an optimizer step.
    pub fn params_and_grads(&mut self) -> Vec<(&mut [F], &[F])> {
        let mut out = Vec::with_capacity(self.layers.len() * 2);
        for l in &mut self.layers {
            let Dense { w, b, gw, gb } = l;
            out.push((
                w.as_slice_mut().expect("weights are in standard layout"),
                gw.as_slice().expect("gradients are in standard layout") as &[F],
            ));
            out.push((
                b.as_slice_mut().expect("biases are contiguous"),
                gb.as_slice().expect("gradients are contiguous") as &[F],
            ));
        }
        out
    }

    /// Whether every weight and bias is finite.
    pub fn is_finite(&self) -> bool {
        // Without an early exit per element, so that the test vectorizes: it runs after
        // every batch over every parameter.
        let finite =
            |x: &[F]| super::simd::vectorized!(x.iter().fold(true, |ok, v| ok & v.is_finite()));
        self.layers
            .iter()
            .all(|l| match (l.w.as_slice(), l.b.as_slice()) {
                (Some(w), Some(b)) => finite(w) && finite(b),
                _ => l.w.iter().chain(l.b.iter()).all(|v| v.is_finite()),
            })
    }

    /// Forward pass of `x` `(n, inputs)`; with `dropout = Some((rng, rate))` hidden units are
    /// dropped (training), otherwise not (evaluation).
    pub fn forward(
        &self,
        x: ArrayView2<F>,
        ws: &mut Workspace<F>,
        mut dropout: Option<(&mut SeedRng, f64)>,
    ) {
        let n = x.nrows();
        ws.fit(&self.layers, n);
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            {
                let input = if l == 0 { x.view() } else { ws.a[l - 1].view() };
                general_mat_mul(F::one(), &input, &layer.w, F::zero(), &mut ws.z[l]);
            }
            let (z, a) = (&mut ws.z[l], &mut ws.a[l]);
            if l < last {
                // z += b and a = f(z) in one pass.
                bias_activation(z, a, &layer.b, self.arch.activation(l));
                if let Some((rng, rate)) = dropout.as_mut()
                    && *rate > 0.0
                {
                    let keep = 1.0 - *rate;
                    let scale = F::c(1.0 / keep);
                    let mask = &mut ws.mask[l];
                    mask.map_inplace(|m| {
                        *m = if rng.random::<f64>() < keep {
                            scale
                        } else {
                            F::zero()
                        }
                    });
                    ws.a[l] *= &ws.mask[l];
                }
            } else {
                *z += &layer.b;
                let z = &*z;
                match self.arch.output {
                    Output::Sigmoid => Zip::from(a).and(z).for_each(|a, &z| *a = sigmoid(z)),
                    Output::Tanh => Zip::from(a).and(z).for_each(|a, &z| *a = z.tanh()),
                    Output::Linear => a.assign(z),
                    Output::Softmax => {
                        a.assign(z);
                        for mut row in a.rows_mut() {
                            let m = row.fold(F::neg_infinity(), |m, &v| m.max(v));
                            row.mapv_inplace(|v| (v - m).exp());
                            let s = row.sum();
                            row.mapv_inplace(|v| v / s);
                        }
                    }
                }
            }
        }
    }

    /// The training target of output unit `k` for a sample of class `y`.
    #[inline]
    fn target(&self, y: usize, k: usize) -> F {
        match self.arch.output {
            Output::Softmax => F::c(f64::from(u8::from(y == k))),
            Output::Tanh => F::c(if y == 1 { 1.0 } else { -1.0 }),
            Output::Sigmoid | Output::Linear => F::c(y as f64),
        }
    }

    /// The target of output unit `k` for sample `i`: its class's, or its value.
    #[inline]
    fn target_of(&self, targets: Targets<'_, F>, i: usize, k: usize) -> F {
        match targets {
            Targets::Classes(y) => self.target(y[i], k),
            Targets::Values(t) => t[i],
        }
    }

    /// Data loss of the last forward pass against `targets`, summed and divided by `n_total`
    /// (their count, or a whole batch's when they are part of it); with `grad`, also writes
    /// ∂loss/∂z of the output layer (of that mean) into the workspace. Cross-entropies need
    /// classes; a regression's values go through the squared error.
    fn loss(
        &self,
        targets: Targets<'_, F>,
        n_total: usize,
        ws: &mut Workspace<F>,
        grad: bool,
    ) -> F {
        let last = self.layers.len() - 1;
        let n = targets.len();
        let classes = match targets {
            Targets::Classes(y) => y,
            Targets::Values(_) => &[],
        };
        let loss = match targets {
            Targets::Values(_) => Loss::Mse,
            Targets::Classes(_) => self.arch.loss,
        };
        let nf = F::c(n_total.max(1) as f64);
        let (z, o) = (&ws.z[last], &ws.a[last]);
        let dz = &mut ws.dz[last];
        let mut total = F::zero();
        match loss {
            Loss::Bce => {
                let y = classes;
                // −[t·log σ(z) + (1−t)·log(1−σ(z))] = max(z, 0) − z·t + log(1 + e^(−|z|))
                for i in 0..n {
                    let (zi, t) = (z[[i, 0]], self.target(y[i], 0));
                    total += zi.max(F::zero()) - zi * t + (-zi.abs()).exp().ln_1p();
                    if grad {
                        dz[[i, 0]] = (o[[i, 0]] - t) / nf;
                    }
                }
                total / nf
            }
            Loss::Cce => {
                let y = classes;
                // −log softmax(z)_y = logsumexp(z) − z_y
                for (i, zr) in z.rows().into_iter().enumerate() {
                    let m = zr.fold(F::neg_infinity(), |m, &v| m.max(v));
                    let lse = m + zr.iter().map(|&v| (v - m).exp()).sum::<F>().ln();
                    total += lse - zr[y[i]];
                    if grad {
                        for k in 0..zr.len() {
                            dz[[i, k]] = (o[[i, k]] - self.target(y[i], k)) / nf;
                        }
                    }
                }
                total / nf
            }
            Loss::Mse => {
                let k = o.ncols();
                let denom = F::c((n_total.max(1) * k) as f64);
                for i in 0..n {
                    for j in 0..k {
                        let d = o[[i, j]] - self.target_of(targets, i, j);
                        total += d * d;
                        if grad {
                            dz[[i, j]] = F::c(2.0) * d / denom;
                        }
                    }
                }
                if grad {
                    // Chain through the output function: dz = do ⊙ g'(z), or the softmax
                    // Jacobian dz_j = o_j·(do_j − Σ_i do_i·o_i).
                    match self.arch.output {
                        Output::Linear => {}
                        Output::Sigmoid => Zip::from(&mut *dz)
                            .and(o)
                            .for_each(|d, &o| *d *= o * (F::one() - o)),
                        Output::Tanh => Zip::from(&mut *dz)
                            .and(o)
                            .for_each(|d, &o| *d *= F::one() - o * o),
                        Output::Softmax => {
                            for (mut dr, or) in dz.rows_mut().into_iter().zip(o.rows()) {
                                let dot: F = dr.iter().zip(or.iter()).map(|(&d, &o)| d * o).sum();
                                Zip::from(&mut dr)
                                    .and(&or)
                                    .for_each(|d, &o| *d = o * (*d - dot));
                            }
                        }
                    }
                }
                total / denom
            }
        }
    }

    /// The weight penalty λ·Σ|w| or λ·Σw² (biases are not penalized).
    pub fn penalty(&self) -> F {
        let rate = F::c(self.arch.penalty_rate);
        let sum: F = match self.arch.penalty {
            Penalty::None => return F::zero(),
            Penalty::L1 => self
                .layers
                .iter()
                .enumerate()
                .filter(|(i, _)| self.arch.penalizes(*i))
                .map(|(_, l)| l.w.iter().map(|w| w.abs()).sum::<F>())
                .sum(),
            Penalty::L2 => self
                .layers
                .iter()
                .enumerate()
                .filter(|(i, _)| self.arch.penalizes(*i))
                .map(|(_, l)| l.w.iter().map(|&w| w * w).sum::<F>())
                .sum(),
        };
        rate * sum
    }

    /// Forward and backward over one batch: fills every layer's gradient (data loss plus the
    /// weight penalty) and returns the mean data loss.
    pub fn backward<'t>(
        &mut self,
        x: ArrayView2<F>,
        targets: impl Into<Targets<'t, F>>,
        ws: &mut Workspace<F>,
        dropout: Option<(&mut SeedRng, f64)>,
    ) -> F
    where
        F: 't,
    {
        self.lend_gradients(&mut ws.grads);
        let loss = self.backward_rows(x, targets.into(), x.nrows(), ws, dropout);
        self.lend_gradients(&mut ws.grads);
        self.add_penalty_gradient();
        loss
    }

    /// [`Mlp::backward`] over a batch split in two halves of rows, each taken forward and
    /// backward on its own, the second's gradients then added to the first's: on two threads
    /// with `parallel`, one after the other without, to the same numbers either way (the
    /// order of every sum is fixed by the split). Without dropout. Afterwards `ws` holds the
    /// first half's outputs and [`Share::workspace`] the second's.
    pub fn backward_split<'t>(
        &mut self,
        x: ArrayView2<F>,
        targets: impl Into<Targets<'t, F>>,
        ws: &mut Workspace<F>,
        share: &mut Share<F>,
        parallel: bool,
    ) -> F
    where
        F: 't + Send + 'static,
    {
        let targets = targets.into();
        let n = x.nrows();
        let h = n / 2;
        let (xa, xb) = x.split_at(Axis(0), h);
        let (ta, tb) = (targets.rows(0..h), targets.rows(h..n));
        self.lend_gradients(&mut ws.grads);
        let mut half = share.half.take().unwrap_or_default();
        let fits = half.ws.grads.len() == ws.grads.len()
            && half
                .ws
                .grads
                .iter()
                .zip(&ws.grads)
                .all(|(s, g)| s.0.dim() == g.0.dim() && s.1.dim() == g.1.dim());
        if !fits {
            half.ws.grads = ws
                .grads
                .iter()
                .map(|(w, b)| (Array2::zeros(w.raw_dim()), Array1::zeros(b.raw_dim())))
                .collect();
        }
        if parallel && share.helper.is_none() {
            // No thread to be had: the halves one after the other (the same numbers).
            share.helper = Helper::start().ok();
        }
        // The second half goes to the helper thread with its own copy of the weights, rows
        // and targets (a few kilobytes for the NumPy chapter), or stays here.
        let kept = match &share.helper {
            Some(helper) if parallel => {
                half.load(self, xb, tb, n);
                // A thread that has stopped hands the half back: trained here, then.
                helper.to.send(half).err().map(|back| back.0)
            }
            _ => Some(half),
        };
        let la = self.backward_rows(xa, ta, n, ws, None);
        let half = match kept {
            Some(mut half) => {
                half.loss = Some(self.backward_rows(xb, tb, n, &mut half.ws, None));
                half
            }
            None => share
                .helper
                .as_ref()
                .and_then(|helper| receive(&helper.from))
                .unwrap_or_else(|| {
                    panic!("the thread training the second half of a batch stopped")
                }),
        };
        let half = &**share.half.insert(half);
        let lb = half.loss.unwrap_or_else(F::nan);
        for ((gw, gb), (sw, sb)) in ws.grads.iter_mut().zip(&half.ws.grads) {
            *gw += sw;
            *gb += sb;
        }
        self.lend_gradients(&mut ws.grads);
        self.add_penalty_gradient();
        la + lb
    }

    /// Swaps every layer's gradient buffers with `with`'s (made to fit first): a backward
    /// pass borrows them so that it can read the weights while it writes the gradients.
    fn lend_gradients(&mut self, with: &mut Vec<(Array2<F>, Array1<F>)>) {
        if with.len() != self.layers.len() {
            with.resize_with(self.layers.len(), Default::default);
        }
        for (l, g) in self.layers.iter_mut().zip(with.iter_mut()) {
            std::mem::swap(&mut l.gw, &mut g.0);
            std::mem::swap(&mut l.gb, &mut g.1);
        }
    }

    /// The data loss's gradient over rows `x` of a batch of `n_total` (the mean's divisor)
    /// into `ws.grads`, which must have the layers' shapes; returns this part's share of
    /// the mean data loss.
    fn backward_rows(
        &self,
        x: ArrayView2<F>,
        targets: Targets<'_, F>,
        n_total: usize,
        ws: &mut Workspace<F>,
        dropout: Option<(&mut SeedRng, f64)>,
    ) -> F {
        let dropping = dropout.as_ref().is_some_and(|(_, r)| *r > 0.0);
        self.forward(x, ws, dropout);
        let loss = self.loss(targets, n_total, ws, true);
        let last = self.layers.len() - 1;
        for l in (0..self.layers.len()).rev() {
            {
                let input = if l == 0 { x.view() } else { ws.a[l - 1].view() };
                let (gw, gb) = &mut ws.grads[l];
                general_mat_mul(F::one(), &input.t(), &ws.dz[l], F::zero(), gw);
                if l == last {
                    // A hidden layer's bias gradient is summed as its ∂loss/∂z is made.
                    column_sums(&ws.dz[l], gb);
                }
            }
            if l > 0 {
                let (lo, hi) = ws.dz.split_at_mut(l);
                let prev = &mut lo[l - 1];
                general_mat_mul(F::one(), &hi[0], &self.layers[l].w.t(), F::zero(), prev);
                let mask = dropping.then(|| &ws.mask[l - 1]);
                let f = self.arch.activation(l - 1);
                // dz ⊙= mask, dz ⊙= f'(z) and the layer's bias gradient, in one pass.
                derivative_and_bias(prev, mask, &ws.z[l - 1], f, &mut ws.grads[l - 1].1);
            }
        }
        loss
    }

    /// Adds the weight penalty's gradient to each penalized layer's.
    fn add_penalty_gradient(&mut self) {
        let rate = F::c(self.arch.penalty_rate);
        for (l, layer) in self.layers.iter_mut().enumerate() {
            if !self.arch.penalizes(l) {
                continue;
            }
            match self.arch.penalty {
                Penalty::None => {}
                Penalty::L1 => Zip::from(&mut layer.gw).and(&layer.w).for_each(|g, &w| {
                    *g += rate * w.signum() * F::c(f64::from(u8::from(w != F::zero())))
                }),
                Penalty::L2 => Zip::from(&mut layer.gw)
                    .and(&layer.w)
                    .for_each(|g, &w| *g += F::c(2.0) * rate * w),
            }
        }
    }

    /// Mean data loss and score on `(x, targets)`, without dropout: the accuracy, or a
    /// regression's R². NaN for an empty set.
    pub fn evaluate<'t>(
        &self,
        x: ArrayView2<F>,
        targets: impl Into<Targets<'t, F>>,
        ws: &mut Workspace<F>,
    ) -> (F, f64)
    where
        F: 't,
    {
        let targets = targets.into();
        if targets.is_empty() {
            return (F::nan(), f64::NAN);
        }
        self.forward(x, ws, None);
        let loss = self.loss(targets, targets.len(), ws, false);
        let score = match targets {
            Targets::Classes(y) => self.correct(y, ws) as f64 / y.len() as f64,
            Targets::Values(t) => {
                let t: Vec<f64> = t.iter().map(|v| v.f64()).collect();
                r2(&self.values(ws), &t)
            }
        };
        (loss, score)
    }

    /// The one-unit output of the last forward pass, per sample: a regression's predictions.
    pub fn values(&self, ws: &Workspace<F>) -> Vec<f64> {
        let o = &ws.a[ws.a.len() - 1];
        o.column(0).iter().map(|v| v.f64()).collect()
    }

    /// Σ(prediction − target)² of the last forward pass: a regression's residual sum.
    pub fn squared_residuals(&self, t: &[F], ws: &Workspace<F>) -> f64 {
        let o = &ws.a[ws.a.len() - 1];
        o.column(0)
            .iter()
            .zip(t)
            .map(|(p, t)| {
                let d = p.f64() - t.f64();
                d * d
            })
            .sum()
    }

    /// A regression's predicted values at raw points `(x1, x2)` (the features first).
    pub fn values_of_points(&self, points: &[[f64; 2]], ws: &mut Workspace<F>) -> Vec<f64> {
        let x: Array2<F> = super::expand_features(&self.arch.features, points);
        if x.nrows() == 0 {
            return Vec::new();
        }
        self.forward(x.view(), ws, None);
        self.values(ws)
    }

    /// How many samples the last forward pass classified as `y` says.
    pub fn correct(&self, y: &[usize], ws: &Workspace<F>) -> usize {
        self.classify_output(ws)
            .zip(y)
            .filter(|(p, y)| p == *y)
            .count()
    }

    /// The class of each sample of `x`, as the accuracy counts it.
    pub fn classes_of(&self, x: ArrayView2<F>, ws: &mut Workspace<F>) -> Vec<usize> {
        if x.nrows() == 0 {
            return Vec::new();
        }
        self.forward(x, ws, None);
        self.classify_output(ws).collect()
    }

    /// [`classes_of`](Self::classes_of) for raw points `(x1, x2)`: the features first.
    pub fn classes_of_points(&self, points: &[[f64; 2]], ws: &mut Workspace<F>) -> Vec<usize> {
        let x: Array2<F> = super::expand_features(&self.arch.features, points);
        self.classes_of(x.view(), ws)
    }

    fn classify_output<'a>(&self, ws: &'a Workspace<F>) -> impl Iterator<Item = usize> + 'a {
        let o = &ws.a[ws.a.len() - 1];
        let output = self.arch.output;
        o.rows().into_iter().map(move |r| match output {
            Output::Softmax => {
                r.iter()
                    .enumerate()
                    .fold((0, F::neg_infinity()), |(bi, bv), (i, &v)| {
                        if v > bv { (i, v) } else { (bi, bv) }
                    })
                    .0
            }
            Output::Tanh => usize::from(r[0] > F::zero()),
            Output::Sigmoid | Output::Linear => usize::from(r[0] > F::c(0.5)),
        })
    }

    /// Class probabilities of `x`: `(n, 1)` holding P(class 1) for one-unit outputs (tanh and
    /// linear outputs mapped into [0, 1]), `(n, classes)` for softmax.
    pub fn predict<'a>(&self, x: ArrayView2<F>, ws: &'a mut Workspace<F>) -> &'a Array2<F> {
        self.forward(x, ws, None);
        let o = &ws.a[ws.a.len() - 1];
        ws.prob = match self.arch.output {
            Output::Sigmoid | Output::Softmax => o.clone(),
            Output::Tanh => o.mapv(|v| (v + F::one()) * F::c(0.5)),
            Output::Linear => o.mapv(|v| v.max(F::zero()).min(F::one())),
        };
        &ws.prob
    }

    /// [`predict`](Self::predict) for raw points `(x1, x2)`: the features are computed first.
    pub fn predict_points<'a>(
        &self,
        points: &[[f64; 2]],
        ws: &'a mut Workspace<F>,
    ) -> &'a Array2<F> {
        let x: Array2<F> = super::expand_features(&self.arch.features, points);
        self.predict(x.view(), ws)
    }
}

/// `gb[j] = Σ_i dz[i, j]`, summed row after row from zero (the order of ndarray's
/// `sum_axis(Axis(0))`, which this replaces without its allocation).
fn column_sums<F: Real>(dz: &Array2<F>, gb: &mut Array1<F>) {
    gb.fill(F::zero());
    for row in dz.rows() {
        Zip::from(&mut *gb).and(&row).for_each(|g, &d| *g += d);
    }
}

/// Row-major rows of a standard-layout matrix (every buffer of a [`Workspace`] is one).
fn rows_mut<F>(m: &mut Array2<F>) -> std::slice::ChunksExactMut<'_, F> {
    let w = m.ncols().max(1);
    m.as_slice_mut()
        .expect("workspace buffers are in standard layout")
        .chunks_exact_mut(w)
}

fn rows<F>(m: &Array2<F>) -> std::slice::ChunksExact<'_, F> {
    let w = m.ncols().max(1);
    m.as_slice()
        .expect("workspace buffers are in standard layout")
        .chunks_exact(w)
}

/// `z += b`, then `a = f(z)`, row by row in one pass, with `f` fixed for the whole loop.
fn bias_activation<F: Real>(z: &mut Array2<F>, a: &mut Array2<F>, b: &Array1<F>, f: Activation) {
    #[inline(always)]
    fn go<F: Real>(z: &mut Array2<F>, a: &mut Array2<F>, b: &[F], f: impl Fn(F) -> F) {
        for (zr, ar) in rows_mut(z).zip(rows_mut(a)) {
            for ((z, a), &b) in zr.iter_mut().zip(ar.iter_mut()).zip(b) {
                *z += b;
                *a = f(*z);
            }
        }
    }
    let b = b.as_slice().expect("biases are contiguous");
    super::simd::vectorized!(match f {
        Activation::Relu => go(z, a, b, |v| Activation::Relu.apply(v)),
        Activation::Tanh => go(z, a, b, |v| Activation::Tanh.apply(v)),
        Activation::Sigmoid => go(z, a, b, |v| Activation::Sigmoid.apply(v)),
        Activation::LeakyRelu(s) => go(z, a, b, |v| Activation::LeakyRelu(s).apply(v)),
        Activation::Linear => go(z, a, b, |v| Activation::Linear.apply(v)),
    })
}

/// Backpropagation through a hidden layer's function: `dz ⊙= mask` (dropout), `dz ⊙= f'(z)`,
/// and the layer's bias gradient `gb = Σ_rows dz` summed as [`column_sums`] does, in one pass.
fn derivative_and_bias<F: Real>(
    dz: &mut Array2<F>,
    mask: Option<&Array2<F>>,
    z: &Array2<F>,
    f: Activation,
    gb: &mut Array1<F>,
) {
    #[inline(always)]
    fn go<F: Real>(
        dz: &mut Array2<F>,
        mask: Option<&Array2<F>>,
        z: &Array2<F>,
        gb: &mut [F],
        f: impl Fn(F) -> F,
    ) {
        gb.fill(F::zero());
        match mask {
            Some(mask) => {
                for ((dr, mr), zr) in rows_mut(dz).zip(rows(mask)).zip(rows(z)) {
                    for (((d, &m), &z), g) in dr.iter_mut().zip(mr).zip(zr).zip(gb.iter_mut()) {
                        *d *= m;
                        *d *= f(z);
                        *g += *d;
                    }
                }
            }
            None => {
                for (dr, zr) in rows_mut(dz).zip(rows(z)) {
                    for ((d, &z), g) in dr.iter_mut().zip(zr).zip(gb.iter_mut()) {
                        *d *= f(z);
                        *g += *d;
                    }
                }
            }
        }
    }
    let gb = gb.as_slice_mut().expect("bias gradients are contiguous");
    super::simd::vectorized!(match f {
        Activation::Relu => go(dz, mask, z, gb, |v| Activation::Relu.derivative(v)),
        Activation::Tanh => go(dz, mask, z, gb, |v| Activation::Tanh.derivative(v)),
        Activation::Sigmoid => go(dz, mask, z, gb, |v| Activation::Sigmoid.derivative(v)),
        Activation::LeakyRelu(s) => go(dz, mask, z, gb, |v| Activation::LeakyRelu(s).derivative(v)),
        Activation::Linear => go(dz, mask, z, gb, |v| Activation::Linear.derivative(v)),
    })
}

impl<F: Real> Workspace<F> {
    /// What hidden layer `l` (or the output, `l` = hidden layers) computed in the last forward
    /// pass, `(n, width)`: each neuron's activation at each point.
    pub fn layer(&self, l: usize) -> Option<&Array2<F>> {
        self.a.get(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Activation, Architecture};
    use ndarray::array;
    use rand::SeedableRng;

    fn arch(act: Activation, output: Output, loss: Loss, outputs: usize) -> Architecture {
        Architecture {
            features: crate::nn::Feature::plain(),
            hidden: vec![4, 3],
            outputs,
            activations: vec![act; 2],
            output,
            loss,
            init: Init::Normal { scale: 0.8 },
            penalty: Penalty::None,
            penalty_rate: 0.0,
            penalized: Vec::new(),
            dropout: 0.0,
        }
    }

    fn total_loss<'a>(net: &Mlp<f64>, x: &Array2<f64>, y: impl Into<Targets<'a, f64>>) -> f64 {
        let mut ws = Workspace::default();
        net.forward(x.view(), &mut ws, None);
        let y = y.into();
        net.loss(y, y.len(), &mut ws, false) + net.penalty()
    }

    #[test]
    fn a_split_batch_has_the_whole_batchs_gradient_on_one_core_or_two() {
        let mut rng = SeedRng::seed_from_u64(3);
        let mut a = arch(Activation::Tanh, Output::Sigmoid, Loss::Bce, 1);
        a.penalty = Penalty::L2;
        a.penalty_rate = 0.01;
        let n = 601;
        let x = Array2::from_shape_fn((n, 2), |(i, j)| ((i * 7 + j * 3) % 13) as f64 / 6.0 - 1.0);
        let y: Vec<usize> = (0..n).map(|i| (i % 3 == 0) as usize).collect();
        let mut whole = Mlp::<f64>::new(a, &mut rng);
        let mut one = whole.clone();
        let mut two = whole.clone();
        let lw = whole.backward(x.view(), &y, &mut Workspace::default(), None);
        let (mut ws, mut share) = (Workspace::default(), Share::default());
        let l1 = one.backward_split(x.view(), &y, &mut ws, &mut share, false);
        let l2 = two.backward_split(
            x.view(),
            &y,
            &mut Workspace::default(),
            &mut Share::default(),
            true,
        );
        // Two threads or one: the same numbers, bit for bit.
        assert_eq!(l1.to_bits(), l2.to_bits());
        assert_eq!(one.layers, two.layers);
        // And the whole batch's loss and gradient, to rounding.
        assert!((l1 - lw).abs() < 1e-12, "{l1} vs {lw}");
        for (s, w) in one.layers.iter().zip(&whole.layers) {
            for (g, h) in
                s.gw.iter()
                    .chain(s.gb.iter())
                    .zip(w.gw.iter().chain(w.gb.iter()))
            {
                assert!((g - h).abs() < 1e-12, "{g} vs {h}");
            }
        }
        // The outputs of both halves, in order.
        let out = ws.output().expect("an output");
        let rest = share
            .workspace()
            .and_then(|w| w.output())
            .expect("an output");
        assert_eq!(out.nrows() + rest.nrows(), n);
        let mut ws_whole = Workspace::default();
        whole.forward(x.view(), &mut ws_whole, None);
        let all = ws_whole.output().expect("an output");
        assert!((out[[0, 0]] - all[[0, 0]]).abs() < 1e-15);
        assert!((rest[[0, 0]] - all[[n / 2, 0]]).abs() < 1e-15);
    }

    #[test]
    fn a_penalty_on_some_layers_leaves_the_others_alone() {
        let x = array![[0.3, -1.2], [1.1, 0.4], [-0.7, 0.9]];
        let t = [0.25, -0.8, 1.7];
        let grads = |rate: f64, only: Vec<usize>| {
            let mut a = arch(Activation::Tanh, Output::Linear, Loss::Mse, 1);
            a.penalty = Penalty::L2;
            a.penalty_rate = rate;
            a.penalized = only;
            let mut net = Mlp::<f64>::new(a, &mut SeedRng::seed_from_u64(5));
            let mut ws = Workspace::default();
            net.backward(x.view(), Targets::Values(&t), &mut ws, None);
            let p = net.penalty();
            (net, p)
        };
        let (plain, p0) = grads(0.0, vec![]);
        let (some, p1) = grads(0.5, vec![1]);
        assert_eq!(p0, 0.0);
        // Layers 0 and 2 as without a penalty; layer 1 carries 2λw, and only its Σw² counts.
        assert_eq!(some.layers[0].gw, plain.layers[0].gw);
        assert_eq!(some.layers[2].gw, plain.layers[2].gw);
        let want = &plain.layers[1].gw + &(&some.layers[1].w * 1.0);
        assert!((&some.layers[1].gw - &want).iter().all(|d| d.abs() < 1e-12));
        let sq: f64 = some.layers[1].w.iter().map(|w| w * w).sum();
        assert!((p1 - 0.5 * sq).abs() < 1e-12);
    }

    #[test]
    fn regression_gradients_match_finite_differences() {
        // Real targets through each one-unit output, the squared error, with and without a
        // penalty and on features: every weight's and bias's gradient against differences.
        let x = array![
            [0.3, -1.2],
            [1.1, 0.4],
            [-0.7, 0.9],
            [0.05, -0.3],
            [2.0, 1.5]
        ];
        let t = [0.25, -0.8, 1.7, 0.0, -0.35];
        for output in [Output::Linear, Output::Tanh, Output::Sigmoid] {
            // The last: a penalty on the second layer only (Keras' kernel_regularizer on
            // one layer), large enough that a gradient taking it everywhere would fail.
            for (penalty, rate, only) in [
                (Penalty::None, 0.0, vec![]),
                (Penalty::L2, 0.05, vec![]),
                (Penalty::L2, 0.5, vec![1]),
            ] {
                let mut a = arch(Activation::Tanh, output, Loss::Mse, 1);
                a.penalty = penalty;
                a.penalty_rate = rate;
                a.penalized = only;
                let mut net = Mlp::<f64>::new(a, &mut SeedRng::seed_from_u64(5));
                let mut ws = Workspace::default();
                net.backward(x.view(), Targets::Values(&t), &mut ws, None);
                let h = 1e-6;
                let mut checked = 0;
                for l in 0..net.layers.len() {
                    let cols = net.layers[l].w.ncols();
                    for idx in 0..net.layers[l].w.len() + net.layers[l].b.len() {
                        let (mut p, mut m) = (net.clone(), net.clone());
                        let an = if idx < net.layers[l].w.len() {
                            let (r, c) = (idx / cols, idx % cols);
                            p.layers[l].w[[r, c]] += h;
                            m.layers[l].w[[r, c]] -= h;
                            net.layers[l].gw[[r, c]]
                        } else {
                            let j = idx - net.layers[l].w.len();
                            p.layers[l].b[j] += h;
                            m.layers[l].b[j] -= h;
                            net.layers[l].gb[j]
                        };
                        let fd = (total_loss(&p, &x, Targets::Values(&t))
                            - total_loss(&m, &x, Targets::Values(&t)))
                            / (2.0 * h);
                        assert!(
                            (fd - an).abs() < 1e-6 * (1.0 + fd.abs()),
                            "{output:?} {penalty:?} layer {l} parameter {idx}: {an} vs {fd}"
                        );
                        checked += 1;
                    }
                }
                assert_eq!(checked, net.parameter_count());
            }
        }
    }

    #[test]
    fn r2_is_one_minus_residual_over_total_sum_of_squares() {
        // Targets 1, 2, 4 (mean 7/3): SS_tot = 16/9 + 1/9 + 25/9 = 42/9; predictions 1, 2, 3
        // leave SS_res = 1, so R² = 1 − 9/42.
        let r = r2(&[1.0, 2.0, 3.0], &[1.0, 2.0, 4.0]);
        assert!((r - (1.0 - 9.0 / 42.0)).abs() < 1e-12, "{r}");
        // The mean everywhere scores 0, a perfect fit 1, worse than the mean below 0.
        let m = 7.0 / 3.0;
        assert!(r2(&[m, m, m], &[1.0, 2.0, 4.0]).abs() < 1e-12);
        assert_eq!(r2(&[1.0, 2.0, 4.0], &[1.0, 2.0, 4.0]), 1.0);
        assert!(r2(&[4.0, 2.0, 1.0], &[1.0, 2.0, 4.0]) < 0.0);
        assert!(r2(&[], &[]).is_nan());
    }

    #[test]
    fn evaluate_scores_a_regression_by_r2() {
        let x = array![[0.3, -1.2], [1.1, 0.4], [-0.7, 0.9]];
        let t = [0.5, -0.25, 1.0];
        let net = Mlp::<f64>::new(
            arch(Activation::Tanh, Output::Linear, Loss::Mse, 1),
            &mut SeedRng::seed_from_u64(2),
        );
        let mut ws = Workspace::default();
        let (loss, score) = net.evaluate(x.view(), Targets::Values(&t), &mut ws);
        let pred = net.values(&ws);
        let mse = pred
            .iter()
            .zip(&t)
            .map(|(p, t)| (p - t) * (p - t))
            .sum::<f64>()
            / 3.0;
        assert!((loss - mse).abs() < 1e-12, "{loss} vs {mse}");
        assert!((score - r2(&pred, &t)).abs() < 1e-12);
    }

    /// Every weight and bias: the analytic gradient against central differences of the
    /// total loss, for every activation, every output/loss pair and both penalties.
    #[test]
    fn gradients_match_finite_differences() {
        let x = array![
            [0.3, -1.2],
            [1.1, 0.4],
            [-0.7, 0.9],
            [0.05, -0.3],
            [2.0, 1.5]
        ];
        let acts = [
            Activation::Sigmoid,
            Activation::Tanh,
            Activation::Relu,
            Activation::LeakyRelu(0.05),
            Activation::Linear,
        ];
        let heads = [
            (Output::Sigmoid, Loss::Bce, 1, vec![0, 1, 1, 0, 1]),
            (Output::Sigmoid, Loss::Mse, 1, vec![0, 1, 1, 0, 1]),
            (Output::Tanh, Loss::Mse, 1, vec![1, 0, 1, 0, 0]),
            (Output::Linear, Loss::Mse, 1, vec![1, 0, 1, 0, 0]),
            (Output::Softmax, Loss::Cce, 3, vec![0, 2, 1, 2, 0]),
            (Output::Softmax, Loss::Mse, 3, vec![0, 2, 1, 2, 0]),
        ];
        let penalties = [
            (Penalty::None, 0.0),
            (Penalty::L1, 0.03),
            (Penalty::L2, 0.05),
        ];
        for act in acts {
            for (output, loss, k, y) in &heads {
                for (penalty, rate) in penalties {
                    let mut a = arch(act, *output, *loss, *k);
                    a.penalty = penalty;
                    a.penalty_rate = rate;
                    let mut net = Mlp::<f64>::new(a, &mut SeedRng::seed_from_u64(3));
                    let mut ws = Workspace::default();
                    net.backward(x.view(), y, &mut ws, None);
                    let h = 1e-6;
                    for l in 0..net.layers.len() {
                        for idx in 0..net.layers[l].w.len() {
                            let (r, c) =
                                (idx / net.layers[l].w.ncols(), idx % net.layers[l].w.ncols());
                            let mut p = net.clone();
                            p.layers[l].w[[r, c]] += h;
                            let mut m = net.clone();
                            m.layers[l].w[[r, c]] -= h;
                            let fd = (total_loss(&p, &x, y) - total_loss(&m, &x, y)) / (2.0 * h);
                            let an = net.layers[l].gw[[r, c]];
                            assert!(
                                (fd - an).abs() < 1e-6 * (1.0 + fd.abs()),
                                "{act:?} {output:?} {loss:?} {penalty:?} layer {l} w[{r},{c}]: {an} vs {fd}"
                            );
                        }
                        for j in 0..net.layers[l].b.len() {
                            let mut p = net.clone();
                            p.layers[l].b[j] += h;
                            let mut m = net.clone();
                            m.layers[l].b[j] -= h;
                            let fd = (total_loss(&p, &x, y) - total_loss(&m, &x, y)) / (2.0 * h);
                            let an = net.layers[l].gb[j];
                            assert!(
                                (fd - an).abs() < 1e-6 * (1.0 + fd.abs()),
                                "{act:?} {output:?} {loss:?} layer {l} b[{j}]: {an} vs {fd}"
                            );
                        }
                    }
                }
            }
        }
    }

    /// A network with a different activation per hidden layer, on Playground features: its
    /// forward pass equals the layers computed by hand, each with its own function, and its
    /// gradients match central differences.
    #[test]
    fn mixed_activations_on_features_forward_and_gradients() {
        use crate::nn::{Feature, expand_features};
        let raw = [
            [0.3, -1.2],
            [1.1, 0.4],
            [-0.7, 0.9],
            [0.05, -0.3],
            [2.0, 1.5],
        ];
        let features = vec![Feature::X1Squared, Feature::X1TimesX2, Feature::SinX2];
        let x: Array2<f64> = expand_features(&features, &raw);
        let y = vec![0, 1, 1, 0, 1];
        let acts = vec![Activation::Tanh, Activation::Relu, Activation::Sigmoid];
        let a = Architecture {
            features,
            hidden: vec![4, 3, 3],
            outputs: 1,
            activations: acts.clone(),
            output: Output::Sigmoid,
            loss: Loss::Bce,
            init: Init::Normal { scale: 0.8 },
            penalty: Penalty::None,
            penalty_rate: 0.0,
            penalized: Vec::new(),
            dropout: 0.0,
        };
        let mut net = Mlp::<f64>::new(a, &mut SeedRng::seed_from_u64(5));
        assert_eq!(net.layers[0].w.nrows(), 3, "one input per feature");
        // By hand.
        let mut h = x.clone();
        for (l, layer) in net.layers.iter().enumerate() {
            let z = h.dot(&layer.w) + &layer.b;
            h = if l < acts.len() {
                z.mapv(|v| acts[l].apply(v))
            } else {
                z.mapv(super::sigmoid)
            };
        }
        let mut ws = Workspace::default();
        let p = net.predict(x.view(), &mut ws).clone();
        for (a, b) in p.iter().zip(h.iter()) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        // The raw-point entry point computes the same features.
        let q = net.predict_points(&raw, &mut ws).clone();
        assert_eq!(p, q);
        net.backward(x.view(), &y, &mut ws, None);
        let step = 1e-6;
        for l in 0..net.layers.len() {
            for idx in 0..net.layers[l].w.len() {
                let (r, c) = (idx / net.layers[l].w.ncols(), idx % net.layers[l].w.ncols());
                let mut p = net.clone();
                p.layers[l].w[[r, c]] += step;
                let mut m = net.clone();
                m.layers[l].w[[r, c]] -= step;
                let fd = (total_loss(&p, &x, &y) - total_loss(&m, &x, &y)) / (2.0 * step);
                let an = net.layers[l].gw[[r, c]];
                assert!(
                    (fd - an).abs() < 1e-6 * (1.0 + fd.abs()),
                    "layer {l} w[{r},{c}]: {an} vs {fd}"
                );
            }
        }
    }

    #[test]
    fn losses_stay_finite_for_huge_logits() {
        for (output, loss, k) in [
            (Output::Sigmoid, Loss::Bce, 1),
            (Output::Softmax, Loss::Cce, 2),
        ] {
            let mut net = Mlp::<f32>::new(
                arch(Activation::Linear, output, loss, k),
                &mut SeedRng::seed_from_u64(1),
            );
            for l in &mut net.layers {
                l.w.fill(300.0);
            }
            // Confidently wrong on both samples: logits of order 1e8.
            let labels = if k == 2 {
                if let Some(last) = net.layers.last_mut() {
                    last.w.column_mut(1).fill(-300.0);
                }
                [1, 0]
            } else {
                [0, 1]
            };
            let x = array![[1.0f32, 1.0], [-1.0, -1.0]];
            let mut ws = Workspace::default();
            let loss = net.backward(x.view(), &labels[..], &mut ws, None);
            assert!(loss.is_finite() && loss > 1e3, "{output:?}: {loss}");
            assert!(
                net.layers
                    .iter()
                    .all(|l| l.gw.iter().all(|g| g.is_finite()))
            );
            let p = net.predict(x.view(), &mut ws);
            assert!(p.iter().all(|v| v.is_finite()));
        }
    }

    #[test]
    fn dropout_is_off_at_evaluation_and_on_in_training() {
        let mut a = arch(Activation::Relu, Output::Sigmoid, Loss::Bce, 1);
        a.hidden = vec![64];
        a.dropout = 0.5;
        let net = Mlp::<f64>::new(a, &mut SeedRng::seed_from_u64(5));
        let x = array![[0.5, -0.5]];
        let mut ws = Workspace::default();
        let eval = |ws: &mut Workspace<f64>| net.predict(x.view(), ws)[[0, 0]];
        let e1 = eval(&mut ws);
        assert_eq!(e1, eval(&mut ws));
        let mut rng = SeedRng::seed_from_u64(9);
        net.forward(x.view(), &mut ws, Some((&mut rng, 0.5)));
        let dropped = ws.a[0].iter().filter(|&&v| v == 0.0).count();
        net.forward(x.view(), &mut ws, None);
        let dead = ws.a[0].iter().filter(|&&v| v == 0.0).count();
        assert!(
            dropped > dead + 10,
            "dropout zeroed {dropped}, relu alone {dead}"
        );
    }

    #[test]
    fn normal_init_draws_weights_and_biases_at_scale() {
        let mut a = arch(Activation::Relu, Output::Sigmoid, Loss::Bce, 1);
        a.hidden = vec![200, 200];
        a.init = Init::Normal { scale: 0.1 };
        let net = Mlp::<f64>::new(a, &mut SeedRng::seed_from_u64(5));
        let w = &net.layers[1].w;
        let sd = (w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64).sqrt();
        assert!((sd - 0.1).abs() < 0.005, "{sd}");
        assert!(net.layers[1].b.iter().any(|&b| b != 0.0));
    }
}
