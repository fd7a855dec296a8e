"""Writes PyTorch golden values for GateScope's knowledge-distillation loss.

Each case draws student logits, teacher logits and labels (float64, seeded) and computes
    loss = α · T² · KL(softmax(z_t/T) ‖ softmax(z_s/T)) + (1 − α) · CE(z_s, y)
with torch.nn.functional.kl_div(log_softmax(z_s/T), softmax(z_t/T), reduction="batchmean")
and F.cross_entropy, then the gradient with respect to the student logits. Stored as JSON
in src/ops/fixtures/distill.json; src/ops/distill.test.ts reads it (it never runs Python).

Run: .venv/bin/python scripts/make_distill_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "ops", "fixtures", "distill.json")


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, n, c, temperature, alpha, scale):
    zs = (scale * torch.randn(n, c, dtype=torch.float64)).requires_grad_(True)
    zt = scale * torch.randn(n, c, dtype=torch.float64)
    y = torch.randint(0, c, (n,))
    soft = F.kl_div(F.log_softmax(zs / temperature, dim=1), F.softmax(zt / temperature, dim=1), reduction="batchmean")
    loss = alpha * temperature * temperature * soft + (1 - alpha) * F.cross_entropy(zs, y)
    loss.backward()
    return {
        "name": name,
        "temperature": temperature,
        "alpha": alpha,
        "shape": [n, c],
        "student": flat(zs),
        "teacher": flat(zt),
        "labels": [int(v) for v in y.tolist()],
        "loss": float(loss.detach()),
        "grad": flat(zs.grad),
    }


def main():
    torch.manual_seed(11)
    cases = [
        case("T = 1, α = 1 (KL only)", 5, 4, 1.0, 1.0, 2.0),
        case("T = 4, α = 0.9", 6, 7, 4.0, 0.9, 3.0),
        case("T = 2, α = 0.5", 8, 3, 2.0, 0.5, 1.5),
        case("T = 0.5, α = 0 (cross-entropy only)", 4, 5, 0.5, 0.0, 1.0),
    ]
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/make_distill_fixtures.py", "torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
