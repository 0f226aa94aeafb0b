#!/usr/bin/env python3
"""The NumPy chapter's epoch in NumPy, on one thread: the reference `nnbook bench --training`
is compared with (issue 15).

The chapter's network, 2-25-50-50-25-1 with ReLU hidden layers and a sigmoid output, trained by
full-batch gradient descent (lr 0.01) on binary cross-entropy over 900 points of two moons
(noise 0.2), with the test set's 100 points evaluated (loss and accuracy) after every epoch, as
nnbook's run does. Weights and biases start as N(0, 1)·0.1. Layout is batch-major as nnbook's:
a batch is (n, inputs), a layer computes A·W + b with W of shape (inputs, outputs).

Prints ms/epoch, the median of the timed epochs after a warm-up, in float32 and float64.

    python3 benches/numpy_epoch.py [--epochs 501] [--warmup 200] [--dtype float32 float64]

BLAS threads are pinned to one (OMP/OPENBLAS/MKL_NUM_THREADS=1) before NumPy is imported.
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

SIZES = [2, 25, 50, 50, 25, 1]


def moons(n, noise, rng):
    """scikit-learn's make_moons: two interleaved half circles, Gaussian noise."""
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    x = np.vstack(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]),
        ]
    )
    y = np.hstack([np.zeros(n_out), np.ones(n_in)])
    x += rng.normal(scale=noise, size=x.shape)
    return x, y


def init(rng, dtype):
    return [
        (
            (rng.standard_normal((i, o)) * 0.1).astype(dtype),
            (rng.standard_normal(o) * 0.1).astype(dtype),
        )
        for i, o in zip(SIZES[:-1], SIZES[1:])
    ]


def forward(params, x):
    """Pre-activations and activations of every layer; the last activation is P(class 1)."""
    zs, acts = [], [x]
    a = x
    for i, (w, b) in enumerate(params):
        z = a @ w + b
        a = np.maximum(z, 0) if i < len(params) - 1 else 1 / (1 + np.exp(-z))
        zs.append(z)
        acts.append(a)
    return zs, acts


def bce(p, y):
    eps = 1e-7
    p = np.clip(p[:, 0], eps, 1 - eps)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def epoch(params, xtr, ytr, xte, yte, lr):
    zs, acts = forward(params, xtr)
    n = xtr.shape[0]
    loss = bce(acts[-1], ytr)
    acc = np.mean((acts[-1][:, 0] > 0.5) == ytr)
    dz = (acts[-1] - ytr[:, None]) / n
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        w, _ = params[i]
        grads[i] = (acts[i].T @ dz, dz.sum(axis=0))
        if i > 0:
            dz = (dz @ w.T) * (zs[i - 1] > 0)
    for (w, b), (gw, gb) in zip(params, grads):
        w -= lr * gw
        b -= lr * gb
    _, te = forward(params, xte)
    return loss, acc, bce(te[-1], yte), np.mean((te[-1][:, 0] > 0.5) == yte)


def run(dtype, epochs, warmup):
    rng = np.random.default_rng(42)
    x, y = moons(1000, 0.2, rng)
    order = rng.permutation(len(x))
    x, y = x[order].astype(dtype), y[order].astype(dtype)
    xtr, ytr, xte, yte = x[:900], y[:900], x[900:], y[900:]
    params = init(rng, dtype)
    lr = dtype(0.01)
    for _ in range(warmup):
        epoch(params, xtr, ytr, xte, yte, lr)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        last = epoch(params, xtr, ytr, xte, yte, lr)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2], times[0], times[-1], last


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=501)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--dtype", nargs="+", default=["float32", "float64"])
    args = ap.parse_args()
    print(f"NumPy {np.__version__}, one BLAS thread; numpy chapter: 900 points, "
          f"{'-'.join(map(str, SIZES))}, full batch, SGD, per-epoch test on 100")
    for name in args.dtype:
        med, lo, hi, (loss, acc, tl, ta) = run(np.dtype(name).type, args.epochs, args.warmup)
        print(f"  {name}: {med:.3f} ms/epoch (median of {args.epochs} epochs after "
              f"{args.warmup} warm-up; min {lo:.3f}, max {hi:.3f}); last epoch train loss "
              f"{loss:.4f} acc {acc:.3f}, test loss {tl:.4f} acc {ta:.3f}")


if __name__ == "__main__":
    main()
