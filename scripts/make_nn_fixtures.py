"""Writes PyTorch golden values for GateScope's convolution, pooling, embedding and
binary cross-entropy and batch normalisation ops.

Each case runs a torch op in float64 on seeded inputs, takes L = Σ w ⊙ output with
fixed weights w (or the loss itself when the output is a scalar), and stores inputs,
output and the gradient of every differentiable input (and, for batch norm in training
mode, the running statistics after the update) as JSON in
src/ops/fixtures/nn.json. Tests read the JSON; they never run Python.

Run: python3 scripts/make_nn_fixtures.py   (PyTorch from the local wheel store)
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "ops", "fixtures", "nn.json")


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor(shape, scale=1.0, grad=True):
    return (scale * torch.randn(*shape, dtype=torch.float64)).requires_grad_(grad)


def finish(name, op, attrs, inputs, output, scalar=False):
    """inputs: list of (name, tensor, dtype); returns the fixture dict."""
    weights = None
    if scalar:
        loss = output
    else:
        weights = torch.rand(output.shape, dtype=torch.float64) + 0.5
        loss = (weights * output).sum()
    loss.backward()
    return {
        "name": name,
        "op": op,
        "attrs": attrs,
        "inputs": [
            {"name": n, "shape": list(t.shape), "dtype": dtype, "data": flat(t)} for n, t, dtype in inputs
        ],
        "output": {"shape": list(output.shape), "data": flat(output)},
        "lossWeights": flat(weights) if weights is not None else None,
        "grads": {n: flat(t.grad) for n, t, _ in inputs if t.requires_grad},
    }


def main():
    torch.manual_seed(7)
    cases = []

    x, w, b = tensor([2, 3, 6, 5]), tensor([4, 3, 3, 3], 0.5), tensor([4], 0.5)
    cases.append(finish("conv2d 3→4, K3, stride 1, pad 1, bias", "conv2d", {"stride": 1, "padding": 1},
                        [("x", x, "f32"), ("w", w, "f32"), ("b", b, "f32")], F.conv2d(x, w, b, stride=1, padding=1)))
    x, w = tensor([2, 2, 7, 8]), tensor([3, 2, 3, 3], 0.5)
    cases.append(finish("conv2d 2→3, K3, stride 2, pad 0, no bias", "conv2d", {"stride": 2, "padding": 0},
                        [("x", x, "f32"), ("w", w, "f32")], F.conv2d(x, w, None, stride=2, padding=0)))
    x, w, b = tensor([1, 2, 9, 9]), tensor([2, 2, 5, 5], 0.3), tensor([2], 0.5)
    cases.append(finish("conv2d 2→2, K5, stride 3, pad 2, bias", "conv2d", {"stride": 3, "padding": 2},
                        [("x", x, "f32"), ("w", w, "f32"), ("b", b, "f32")], F.conv2d(x, w, b, stride=3, padding=2)))

    x = tensor([2, 3, 6, 7])
    cases.append(finish("maxPool2d 2×2 stride 2 (floor)", "maxPool2d", {"size": 2, "stride": 2},
                        [("x", x, "f32")], F.max_pool2d(x, 2, 2)))
    x = tensor([1, 2, 7, 9])
    cases.append(finish("maxPool2d 3×3 stride 2 (overlapping)", "maxPool2d", {"size": 3, "stride": 2},
                        [("x", x, "f32")], F.max_pool2d(x, 3, 2)))
    x = torch.tensor([[[[1.0, 1.0, 0.0, 2.0], [1.0, 1.0, 2.0, 0.0], [3.0, 0.0, 5.0, 4.0], [0.0, 3.0, 5.0, 5.0]]]],
                     dtype=torch.float64, requires_grad=True)
    cases.append(finish("maxPool2d 2×2 with ties", "maxPool2d", {"size": 2, "stride": 2},
                        [("x", x, "f32")], F.max_pool2d(x, 2, 2)))

    x = tensor([3, 4, 5, 6])
    cases.append(finish("globalAvgPool", "globalAvgPool", {}, [("x", x, "f32")],
                        F.adaptive_avg_pool2d(x, 1).flatten(1)))

    table = tensor([7, 5])
    ids = torch.tensor([[3, 0, 3, 5], [1, 3, 0, 2]])
    out = F.embedding(ids, table)
    fixture = finish("embedding [2, 4] into [7, 5]", "embedding", {}, [("table", table, "f32")], out)
    fixture["inputs"].append({"name": "ids", "shape": [2, 4], "dtype": "i32", "data": [int(v) for v in ids.reshape(-1)]})
    cases.append(fixture)

    z = tensor([5, 3], 3.0)
    y = (torch.rand(5, 3) > 0.5).to(torch.float64)
    cases.append(finish("sigmoidCrossEntropy mean", "sigmoidCrossEntropy", {},
                        [("logits", z, "f32"), ("targets", y, "f32")],
                        F.binary_cross_entropy_with_logits(z, y), scalar=True))
    z = tensor([5, 3], 3.0)
    y = (torch.rand(5, 3) > 0.5).to(torch.float64)
    m = torch.tensor([1.0, 0.0, 1.0, 0.5, 1.0], dtype=torch.float64)
    per = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    masked = (per * m[:, None]).sum() / (3 * m.sum())
    cases.append(finish("sigmoidCrossEntropy with row mask", "sigmoidCrossEntropy", {},
                        [("logits", z, "f32"), ("targets", y, "f32"), ("mask", m, "f32")], masked, scalar=True))

    # Batch norm (torch.nn.BatchNorm2d, momentum 0.1, eps 1e-5) in training mode, then the
    # same layer in evaluation mode with its updated running statistics. Added last so
    # the random draws of the cases above stay the same.
    for shape in ([4, 3, 5, 6], [3, 5, 7, 9]):
        C = shape[1]
        x, w, b = tensor(shape, 2.0), tensor([C], 0.5), tensor([C], 0.5)
        with torch.no_grad():
            w += 1.0
            x += torch.arange(C, dtype=torch.float64).reshape(1, C, 1, 1)
        bn = torch.nn.BatchNorm2d(C).double()
        rm0, rv0 = 0.3 * torch.randn(C, dtype=torch.float64), torch.rand(C, dtype=torch.float64) + 0.5
        with torch.no_grad():
            bn.running_mean.copy_(rm0)
            bn.running_var.copy_(rv0)
        rm, rv = bn.running_mean.clone(), bn.running_var.clone()
        y = F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5)
        fixture = finish(f"batchNorm2d training {shape}", "batchNorm2d", {"training": 1},
                         [("x", x, "f32"), ("weight", w, "f32"), ("bias", b, "f32"),
                          ("running_mean", rm0.clone(), "f32"), ("running_var", rv0.clone(), "f32")], y)
        fixture["runningStats"] = {"running_mean": flat(rm), "running_var": flat(rv)}
        cases.append(fixture)
        x2, w2, b2 = x.detach().clone().requires_grad_(True), w.detach().clone().requires_grad_(True), b.detach().clone().requires_grad_(True)
        y2 = F.batch_norm(x2, rm, rv, w2, b2, training=False, eps=1e-5)
        cases.append(finish(f"batchNorm2d evaluation {shape}", "batchNorm2d", {"training": 0},
                            [("x", x2, "f32"), ("weight", w2, "f32"), ("bias", b2, "f32"),
                             ("running_mean", rm.clone(), "f32"), ("running_var", rv.clone(), "f32")], y2))

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
