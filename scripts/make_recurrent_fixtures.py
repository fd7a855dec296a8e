"""Writes PyTorch golden values for GateScope's recurrent layers.

For each configuration it builds torch.nn.RNN / LSTM / GRU (batch_first, float64) with
seeded weights, runs a batch (ragged lengths through pack_padded_sequence), takes the
loss  L = Σ w_y ⊙ output + Σ_k w_h[k] ⊙ h_n[k] (+ Σ_k w_c[k] ⊙ c_n[k])  with fixed
weights, and stores inputs, parameters (GateScope order: per layer·direction
weight_ih, weight_hh, bias_ih, bias_hh), outputs and every gradient as JSON in
src/ops/fixtures/recurrent/. Tests read the JSON; they never run Python.

Run: python3 scripts/make_recurrent_fixtures.py   (PyTorch from the local wheel store)
"""
import json
import os

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "ops", "fixtures", "recurrent")

CONFIGS = [
    # cell, layers, bidirectional, lengths, with_init
    ("rnn_tanh", 1, False, [5, 5, 5], False),
    ("rnn_relu", 2, True, [5, 3, 1], True),
    ("lstm", 1, False, [5, 5, 5], False),
    ("lstm", 2, True, [5, 3, 1], True),
    ("gru", 1, False, [5, 5, 5], False),
    ("gru", 2, True, [5, 2, 4], True),
]
B, T, I, H = 3, 5, 4, 3


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def build(cell, layers, bidirectional):
    common = dict(input_size=I, hidden_size=H, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    if cell == "lstm":
        return torch.nn.LSTM(**common)
    if cell == "gru":
        return torch.nn.GRU(**common)
    return torch.nn.RNN(nonlinearity="tanh" if cell == "rnn_tanh" else "relu", **common)


def main():
    os.makedirs(OUT, exist_ok=True)
    for index, (cell, layers, bidirectional, lengths, with_init) in enumerate(CONFIGS):
        torch.manual_seed(100 + index)
        module = build(cell, layers, bidirectional).double()
        D = 2 if bidirectional else 1
        x = torch.randn(B, T, I, dtype=torch.float64, requires_grad=True)
        h0 = (0.5 * torch.randn(layers * D, B, H, dtype=torch.float64)).requires_grad_(with_init)
        c0 = (0.5 * torch.randn(layers * D, B, H, dtype=torch.float64)).requires_grad_(with_init)
        lens = torch.tensor(lengths)
        packed = pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        if cell == "lstm":
            out, (hn, cn) = module(packed, (h0, c0) if with_init else None)
        else:
            out, hn = module(packed, h0 if with_init else None)
            cn = None
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
        w_y = torch.rand(out.shape, dtype=torch.float64) + 0.5
        w_h = torch.rand(hn.shape, dtype=torch.float64) + 0.5
        loss = (w_y * out).sum() + (w_h * hn).sum()
        w_c = None
        if cn is not None:
            w_c = torch.rand(cn.shape, dtype=torch.float64) + 0.5
            loss = loss + (w_c * cn).sum()
        loss.backward()

        params, grads = [], []
        for layer in range(layers):
            for d in range(D):
                suffix = f"_l{layer}" + ("_reverse" if d == 1 else "")
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    p = getattr(module, name + suffix)
                    params.append({"name": name + suffix, "shape": list(p.shape), "data": flat(p)})
                    grads.append(flat(p.grad))
        fixture = {
            "cell": cell,
            "layers": layers,
            "bidirectional": bidirectional,
            "B": B, "T": T, "I": I, "H": H,
            "lengths": lengths,
            "withInit": with_init,
            "x": flat(x),
            "h0": flat(h0) if with_init else None,
            "c0": flat(c0) if (with_init and cell == "lstm") else None,
            "params": params,
            "output": flat(out),
            "hN": flat(hn),
            "cN": flat(cn) if cn is not None else None,
            "lossWeights": {"output": flat(w_y), "hN": flat(w_h), "cN": flat(w_c) if w_c is not None else None},
            "loss": float(loss.detach()),
            "grads": {
                "x": flat(x.grad),
                "params": grads,
                "h0": flat(h0.grad) if with_init else None,
                "c0": flat(c0.grad) if (with_init and cell == "lstm") else None,
            },
            "torch": torch.__version__,
        }
        name = f"{cell}_{layers}l_{'bi' if bidirectional else 'uni'}_{'ragged' if len(set(lengths)) > 1 else 'equal'}.json"
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(fixture, f)
        print("wrote", name, "loss", float(loss))


if __name__ == "__main__":
    main()
