"""Writes tests/data/lr-schedules.json: the first 50 learning rates of each case, as
torch.optim.lr_scheduler gives them (get_last_lr() after 0, 1, ..., 49 calls of step()).

    python tests/data/lr_schedules.py > tests/data/lr-schedules.json

The test (tests/schedule_reference.rs) reads the JSON; it needs no PyTorch.
"""
import json

import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

CASES = [
    ("step", {"step_size": 7, "gamma": 0.5}, 0.1),
    ("step", {"step_size": 1, "gamma": 0.9}, 0.3),
    ("exponential", {"gamma": 0.9}, 0.1),
    ("exponential", {"gamma": 0.99}, 0.05),
    ("cosine", {"T_max": 20, "eta_min": 0.001}, 0.1),
    ("cosine", {"T_max": 7, "eta_min": 0.0}, 0.3),
    ("cyclic", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5}, None),
    ("cyclic", {"base_lr": 0.001, "max_lr": 0.006, "step_size_up": 4, "step_size_down": 9}, None),
]


def make(kind, params, opt):
    if kind == "step":
        return S.StepLR(opt, **params)
    if kind == "exponential":
        return S.ExponentialLR(opt, **params)
    if kind == "cosine":
        return S.CosineAnnealingLR(opt, **params)
    return S.CyclicLR(opt, mode="triangular", cycle_momentum=False, **params)


out = []
for kind, params, lr in CASES:
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = SGD([p], lr=lr if lr is not None else 0.5)
    sched = make(kind, params, opt)
    rates = [sched.get_last_lr()[0]]
    while len(rates) < 50:
        opt.step()
        sched.step()
        rates.append(sched.get_last_lr()[0])
    out.append({"kind": kind, "params": params, "lr": lr, "rates": rates})
lines = ",\n".join("  " + json.dumps(c) for c in out)
print('{"torch": "%s", "cases": [\n%s\n]}' % (torch.__version__, lines))
