"""Writes torch.optim golden values for GateScope's optimizers (SGD, RMSprop, Adam,
AdamW) into src/optim/fixtures/<name>.json.

Each fixture starts from seeded parameters (a [3] and a [2, 2] tensor) and applies a
few steps with given gradients (seeded, in float64), learning rates that change per
step (as a schedule does), and optionally a gradient scale (the clip factor) and an L1
term — both outside torch.optim, applied to .grad before step() the way GateScope's
kernels apply them:  g = grad · scale + l1 · sign(θ)  (then torch adds weight decay).
A gradient of None leaves that parameter out of the step (torch skips it and its step
count does not advance). The JSON holds the config in GateScope's OptimizerConfig
form, the inputs of every step, the parameters after every step, and the final state
named as GateScope names it ("param<i>.<torch state name>").

It also writes src/optim/fixtures/clip/<name>.json for gradient clipping
(torch.nn.utils.clip_grad_norm_): the gradients (None for a parameter without one),
max_norm, each gradient's 2-norm, the total norm it returns and the clip factor
min(1, max_norm / (total + 1e-6)) it applies. Non-finite numbers are written as the
strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).

And it writes src/optim/fixtures/autograd/adam.json: Adam and AdamW driven by real
gradients instead of given ones, three steps on  loss = Σ θ³ + Σ θ·c  from θ = (0.5, -1, 2),
c = (1, 2, 3), lr 0.1, betas (0.9, 0.99), eps 1e-8, weight decay 0.05 (float64). GateScope
computes the gradients with its own autograd and compares the final θ.

Run: python3 scripts/make_optim_fixtures.py   (PyTorch from the local wheel store)
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "optim", "fixtures")
CLIP_OUT = os.path.join(OUT, "clip")
AUTOGRAD_OUT = os.path.join(OUT, "autograd")
SHAPES = [[3], [2, 2]]
LRS = [0.1, 0.05, 0.1, 0.02]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def make_torch_optimizer(params, c):
    kind = c["kind"]
    wd = c.get("weightDecay")
    if kind == "sgd":
        return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("momentum", 0), dampening=c.get("dampening", 0),
                               nesterov=c.get("nesterov", False), weight_decay=wd or 0)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], alpha=c.get("alpha", 0.99), eps=c.get("eps", 1e-8),
                                   momentum=c.get("momentum", 0), centered=c.get("centered", False),
                                   weight_decay=wd or 0)
    betas = (c.get("beta1", 0.9), c.get("beta2", 0.999))
    if kind == "adam":
        return torch.optim.Adam(params, lr=c["lr"], betas=betas, eps=c.get("eps", 1e-8), weight_decay=wd or 0)
    # AdamW: torch's default weight decay is 0.01.
    return torch.optim.AdamW(params, lr=c["lr"], betas=betas, eps=c.get("eps", 1e-8),
                             weight_decay=0.01 if wd is None else wd)


def fixture(name, config, scales=None, skip=None, seed=0):
    """skip: set of (step, param index) pairs without a gradient."""
    gen = torch.Generator().manual_seed(1000 + seed)
    params = [torch.randn(*s, generator=gen, dtype=torch.float64).requires_grad_(True) for s in SHAPES]
    initial = [flat(p) for p in params]
    opt = make_torch_optimizer(params, config)
    steps = []
    for k, lr in enumerate(LRS):
        for group in opt.param_groups:
            group["lr"] = lr
        scale = scales[k] if scales else None
        grads = []
        for i, p in enumerate(params):
            if skip and (k, i) in skip:
                p.grad = None
                grads.append(None)
                continue
            g = 2.0 * torch.randn(*p.shape, generator=gen, dtype=torch.float64)
            grads.append(flat(g))
            g = g * scale if scale is not None else g.clone()
            if config.get("l1"):
                g = g + config["l1"] * torch.sign(p.detach())
            p.grad = g
        opt.step()
        steps.append({"lr": lr, "scale": scale, "grads": grads, "params": [flat(p) for p in params]})
    state = {}
    for i, p in enumerate(params):
        for key, value in opt.state.get(p, {}).items():
            if key == "step":
                continue
            state[f"param{i}.{key}"] = flat(value)
    return {"name": name, "config": config, "shapes": SHAPES, "initial": initial, "steps": steps, "state": state,
            "torch": torch.__version__}


CASES = [
    ("sgd_plain", {"kind": "sgd", "lr": 0.1}),
    ("sgd_weight_decay", {"kind": "sgd", "lr": 0.1, "weightDecay": 0.1}),
    ("sgd_momentum", {"kind": "sgd", "lr": 0.1, "momentum": 0.9}),
    ("sgd_momentum_dampening", {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ("sgd_nesterov_weight_decay", {"kind": "sgd", "lr": 0.1, "momentum": 0.8, "nesterov": True, "weightDecay": 0.05}),
    ("sgd_l1", {"kind": "sgd", "lr": 0.1, "l1": 0.05}),
    ("rmsprop_plain", {"kind": "rmsprop", "lr": 0.01}),
    ("rmsprop_alpha_eps", {"kind": "rmsprop", "lr": 0.01, "alpha": 0.9, "eps": 1e-4}),
    ("rmsprop_centered", {"kind": "rmsprop", "lr": 0.01, "centered": True}),
    ("rmsprop_momentum", {"kind": "rmsprop", "lr": 0.01, "momentum": 0.9}),
    ("rmsprop_centered_momentum_weight_decay",
     {"kind": "rmsprop", "lr": 0.01, "centered": True, "momentum": 0.5, "weightDecay": 0.1}),
    ("rmsprop_l1", {"kind": "rmsprop", "lr": 0.01, "l1": 0.02}),
    ("adam_plain", {"kind": "adam", "lr": 0.1}),
    ("adam_betas_eps", {"kind": "adam", "lr": 0.1, "beta1": 0.8, "beta2": 0.95, "eps": 1e-6}),
    ("adam_weight_decay", {"kind": "adam", "lr": 0.1, "weightDecay": 0.1}),
    ("adam_l1", {"kind": "adam", "lr": 0.1, "l1": 0.05}),
    ("adamw_default_decay", {"kind": "adamw", "lr": 0.1}),
    ("adamw_weight_decay", {"kind": "adamw", "lr": 0.1, "weightDecay": 0.2, "beta2": 0.99}),
]


def number(v):
    v = float(v)
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def clip_fixture(name, shapes, max_norm, missing=(), poison=None, seed=0):
    """poison: (param index, element, value) written into one gradient (NaN or inf)."""
    gen = torch.Generator().manual_seed(2000 + seed)
    params = [torch.zeros(*s, dtype=torch.float64, requires_grad=True) for s in shapes]
    grads = []
    for i, p in enumerate(params):
        if i in missing:
            grads.append(None)
            continue
        g = 3.0 * torch.randn(*p.shape, generator=gen, dtype=torch.float64)
        if poison and poison[0] == i:
            g.view(-1)[poison[1]] = poison[2]
        p.grad = g.clone()
        grads.append(g)
    norms = [float(torch.linalg.vector_norm(g)) if g is not None else 0.0 for g in grads]
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    factor = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for p, g in zip(params, grads):
        if g is not None and torch.isfinite(g).all() and torch.isfinite(factor):
            assert torch.allclose(p.grad, g * factor), name
    return {"name": name, "shapes": shapes, "maxNorm": max_norm,
            "grads": [[number(v) for v in g.reshape(-1).tolist()] if g is not None else None for g in grads],
            "norms": [number(v) for v in norms], "total": number(total), "factor": number(factor),
            "torch": torch.__version__}


CLIP_CASES = [
    ("clip_active", dict(shapes=[[3], [2, 2], [5]], max_norm=1.0)),
    ("clip_inactive", dict(shapes=[[3], [2, 2], [5]], max_norm=100.0)),
    ("clip_param_without_grad", dict(shapes=[[3], [2, 2], [5]], max_norm=2.0, missing=(1,))),
    ("clip_single_large", dict(shapes=[[64, 33]], max_norm=5.0)),
    ("clip_nan_grad", dict(shapes=[[3], [2, 2], [5]], max_norm=1.0, poison=(1, 2, float("nan")))),
    ("clip_inf_grad", dict(shapes=[[3], [2, 2], [5]], max_norm=1.0, poison=(2, 0, float("inf")))),
]


def autograd_adam_fixture():
    """Final θ after torch.optim.Adam / AdamW steps on loss = Σ θ³ + Σ θ·c (gradients by torch autograd)."""
    initial, c, steps = [0.5, -1.0, 2.0], [1.0, 2.0, 3.0], 3
    config = {"lr": 0.1, "beta1": 0.9, "beta2": 0.99, "eps": 1e-8, "weightDecay": 0.05}
    result = {}
    for kind in ("adam", "adamw"):
        theta = torch.tensor(initial, dtype=torch.float64, requires_grad=True)
        opt = make_torch_optimizer([theta], {"kind": kind, **config})
        for _ in range(steps):
            opt.zero_grad()
            loss = (theta ** 3).sum() + (theta * torch.tensor(c, dtype=torch.float64)).sum()
            loss.backward()
            opt.step()
        result[kind] = flat(theta)
    return {"name": "adam_autograd", "loss": "sum(theta^3) + sum(theta * c)", "config": config, "initial": initial,
            "c": c, "steps": steps, "final": result, "torch": torch.__version__}


def main():
    os.makedirs(AUTOGRAD_OUT, exist_ok=True)
    with open(os.path.join(AUTOGRAD_OUT, "adam.json"), "w") as f:
        json.dump(autograd_adam_fixture(), f)
        f.write("\n")
    print(f"wrote the autograd Adam fixture to {os.path.relpath(AUTOGRAD_OUT)}")
    os.makedirs(CLIP_OUT, exist_ok=True)
    for seed, (name, kwargs) in enumerate(CLIP_CASES):
        with open(os.path.join(CLIP_OUT, f"{name}.json"), "w") as f:
            json.dump(clip_fixture(name, seed=seed, **kwargs), f)
            f.write("\n")
    print(f"wrote {len(CLIP_CASES)} clipping fixtures to {os.path.relpath(CLIP_OUT)}")
    os.makedirs(OUT, exist_ok=True)
    written = []
    for seed, (name, config) in enumerate(CASES):
        written.append((name, fixture(name, config, seed=seed)))
    # Gradient scale (a clip factor) on every step.
    scales = [0.5, 1.0, 0.25, 0.8]
    written.append(("sgd_momentum_grad_scale", fixture("sgd_momentum_grad_scale", {"kind": "sgd", "lr": 0.1, "momentum": 0.9}, scales=scales, seed=50)))
    written.append(("adam_grad_scale", fixture("adam_grad_scale", {"kind": "adam", "lr": 0.1}, scales=scales, seed=51)))
    written.append(("rmsprop_grad_scale", fixture("rmsprop_grad_scale", {"kind": "rmsprop", "lr": 0.01, "centered": True}, scales=scales, seed=52)))
    # Parameters without a gradient in some steps (step counts per parameter).
    skip = {(0, 1), (2, 0)}
    written.append(("adam_skipped_params", fixture("adam_skipped_params", {"kind": "adam", "lr": 0.1}, skip=skip, seed=60)))
    written.append(("sgd_momentum_skipped_params", fixture("sgd_momentum_skipped_params", {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.3}, skip=skip, seed=61)))
    for name, data in written:
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(data, f)
            f.write("\n")
    print(f"wrote {len(written)} fixtures to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
