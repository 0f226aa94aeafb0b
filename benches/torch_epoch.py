#!/usr/bin/env python3
"""Issue 15's two workloads in PyTorch, float32 on one thread: the reference
`nnbook bench --training` is compared with. Needs PyTorch (`pip install torch`); CI does not
run it.

* numpy: the NumPy chapter's network, 2-25-50-50-25-1 (ReLU hidden layers, sigmoid output),
  full-batch gradient descent (SGD, lr 0.01) on binary cross-entropy over 900 points of two
  moons (noise 0.2); weights and biases N(0, 1)·0.1.
* deep: the overfitting chapter's deep run, 2-8-32-128-256-256-128-64-16-1 (ReLU, sigmoid
  output), Adam (lr 0.001, PyTorch's defaults otherwise) on binary cross-entropy, mini-batches
  of 32 over 1600 points of two moons (noise 0.4), shuffled every epoch; Xavier-uniform weights,
  zero biases.

Each epoch also evaluates the test set (100 and 400 points: loss and accuracy, no gradient),
as nnbook's run does. Prints ms/epoch, the median of the timed epochs after a warm-up.

    python3 benches/torch_epoch.py [--workload numpy deep] [--epochs N] [--warmup N]
"""

import os

for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

WORKLOADS = {
    # name: (sizes, train points, test points, noise, batch (0 = full), optimizer, epochs, warmup)
    "numpy": ([2, 25, 50, 50, 25, 1], 900, 100, 0.2, 0, "sgd", 501, 200),
    "deep": ([2, 8, 32, 128, 256, 256, 128, 64, 16, 1], 1600, 400, 0.4, 32, "adam", 11, 3),
}


def moons(n, noise, gen):
    """scikit-learn's make_moons: two interleaved half circles, Gaussian noise; shuffled."""
    n_out = n // 2
    n_in = n - n_out
    t_out = torch.linspace(0, math.pi, n_out, dtype=torch.float64)
    t_in = torch.linspace(0, math.pi, n_in, dtype=torch.float64)
    x = torch.cat(
        [
            torch.stack([torch.cos(t_out), torch.sin(t_out)], 1),
            torch.stack([1 - torch.cos(t_in), 1 - torch.sin(t_in) - 0.5], 1),
        ]
    )
    y = torch.cat([torch.zeros(n_out), torch.ones(n_in)]).double()
    x += torch.randn(x.shape, generator=gen, dtype=torch.float64) * noise
    order = torch.randperm(n, generator=gen)
    return x[order].float(), y[order].float()


def network(sizes, kind):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = nn.Linear(a, b)
        with torch.no_grad():
            if kind == "numpy":
                lin.weight.normal_(0, 0.1)
                lin.bias.normal_(0, 0.1)
            else:
                nn.init.xavier_uniform_(lin.weight)
                lin.bias.zero_()
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def run(name, epochs, warmup):
    sizes, ntr, nte, noise, batch, opt, default_epochs, default_warmup = WORKLOADS[name]
    epochs = epochs or default_epochs
    warmup = default_warmup if warmup is None else warmup
    gen = torch.Generator().manual_seed(42)
    x, y = moons(ntr + nte, noise, gen)
    xtr, ytr, xte, yte = x[:ntr], y[:ntr, None], x[ntr:], y[ntr:, None]
    torch.manual_seed(42)
    net = network(sizes, name)
    loss_fn = nn.BCEWithLogitsLoss()
    if opt == "sgd":
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    else:
        optimizer = torch.optim.Adam(net.parameters(), lr=0.001)

    def epoch():
        net.train()
        if batch == 0:
            batches = [(xtr, ytr)]
        else:
            order = torch.randperm(ntr)
            batches = [
                (xtr[order[i : i + batch]], ytr[order[i : i + batch]])
                for i in range(0, ntr, batch)
            ]
        total, correct = 0.0, 0
        for xb, yb in batches:
            optimizer.zero_grad(set_to_none=True)
            logits = net(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
            correct += ((logits > 0).float() == yb).sum().item()
        net.eval()
        with torch.no_grad():
            logits = net(xte)
            test_loss = loss_fn(logits, yte).item()
            test_acc = ((logits > 0).float() == yte).float().mean().item()
        return total / ntr, correct / ntr, test_loss, test_acc

    for _ in range(warmup):
        epoch()
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        last = epoch()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return sizes, batch, opt, epochs, warmup, times, last


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workload", nargs="+", default=["numpy", "deep"], choices=WORKLOADS)
    ap.add_argument("--epochs", type=int, default=None, help="timed epochs (default per workload)")
    ap.add_argument("--warmup", type=int, default=None)
    args = ap.parse_args()
    print(f"PyTorch {torch.__version__}, float32, {torch.get_num_threads()} thread")
    for name in args.workload:
        sizes, batch, opt, epochs, warmup, times, (loss, acc, tl, ta) = run(
            name, args.epochs, args.warmup
        )
        print(
            f"  {name} ({'-'.join(map(str, sizes))}, {'full batch' if batch == 0 else f'batch {batch}'}, "
            f"{opt}): {times[len(times) // 2]:.3f} ms/epoch (median of {epochs} epochs after "
            f"{warmup} warm-up; min {times[0]:.3f}, max {times[-1]:.3f}); last epoch train loss "
            f"{loss:.4f} acc {acc:.3f}, test loss {tl:.4f} acc {ta:.3f}"
        )


if __name__ == "__main__":
    main()
