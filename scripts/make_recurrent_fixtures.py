"""Writes PyTorch golden values for GateScope's recurrent layers.

For each configuration it builds torch.nn.RNN / LSTM / GRU (batch_first, float64) with
seeded weights, runs a batch (ragged lengths through pack_padded_sequence), takes the
loss  L = Σ w_y ⊙ output + Σ_k w_h[k] ⊙ h_n[k] (+ Σ_k w_c[k] ⊙ c_n[k])  with fixed
weights, and stores inputs, parameters (GateScope order: per layer·direction
weight_ih, weight_hh, bias_ih, bias_hh), outputs and every gradient as JSON in
src/ops/fixtures/recurrent/. Tests read the JSON; they never run Python.

The peephole LSTM has no torch module: PEEPHOLE_CONFIGS are computed by `peephole_lstm`
below, the cell written out in torch ops one example and one step at a time (autograd
gives the gradients), with parameters drawn like nn.LSTM's and peephole weights ~ 0.5·N(0, 1)
(stored as weight_peephole_l{k}[_reverse] after each layer·direction's four).

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
# layers, bidirectional, lengths, with_init
PEEPHOLE_CONFIGS = [
    (1, False, [5, 5, 5], False),
    (2, True, [5, 3, 1], True),
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


def peephole_lstm(x, lengths, params, h0, c0, layers, D):
    """Peephole LSTM, batch-first, ragged: per example b, layer l and direction d, over the
    real steps t < lengths[b] (backwards for d = 1), with c = c_{t-1}:
        i = sigmoid(W_ii x + b_ii + W_hi h + b_hi + p_i c),  f = sigmoid(... + p_f c)
        g = tanh(W_ig x + b_ig + W_hg h + b_hg),  c' = f c + i g
        o = sigmoid(W_io x + b_io + W_ho h + b_ho + p_o c'),  h' = o tanh(c')
    params[k] = (w_ih, w_hh, b_ih, b_hh, p) for k = l * D + d. Returns output [B, T, D*H]
    (zero past each length), h_n and c_n [layers * D, B, H]."""
    rows, hn, cn = [], [[None] * B for _ in range(layers * D)], [[None] * B for _ in range(layers * D)]
    for b in range(B):
        L = lengths[b]
        seq = [x[b, t] for t in range(L)]
        for layer in range(layers):
            outs = []
            for d in range(D):
                k = layer * D + d
                w_ih, w_hh, b_ih, b_hh, p = params[k]
                h = h0[k, b] if h0 is not None else torch.zeros(H, dtype=torch.float64)
                c = c0[k, b] if c0 is not None else torch.zeros(H, dtype=torch.float64)
                ys = [None] * L
                for t in (range(L) if d == 0 else reversed(range(L))):
                    z = w_ih @ seq[t] + b_ih + w_hh @ h + b_hh
                    i = torch.sigmoid(z[0:H] + p[0:H] * c)
                    f = torch.sigmoid(z[H:2 * H] + p[H:2 * H] * c)
                    g = torch.tanh(z[2 * H:3 * H])
                    c = f * c + i * g
                    o = torch.sigmoid(z[3 * H:4 * H] + p[2 * H:3 * H] * c)
                    h = o * torch.tanh(c)
                    ys[t] = h
                hn[k][b] = h
                cn[k][b] = c
                outs.append(ys)
            seq = [torch.cat([outs[d][t] for d in range(D)]) for t in range(L)]
        pad = [torch.zeros(D * H, dtype=torch.float64)] * (T - L)
        rows.append(torch.stack(seq + pad))
    return torch.stack(rows), torch.stack([torch.stack(r) for r in hn]), torch.stack([torch.stack(r) for r in cn])


def make_peephole(index, layers, bidirectional, lengths, with_init):
    torch.manual_seed(200 + index)
    D = 2 if bidirectional else 1
    bound = 1 / H ** 0.5
    params, named = [], []
    for layer in range(layers):
        in_size = I if layer == 0 else D * H
        for d in range(D):
            suffix = f"_l{layer}" + ("_reverse" if d == 1 else "")
            shapes = [("weight_ih", (4 * H, in_size)), ("weight_hh", (4 * H, H)), ("bias_ih", (4 * H,)), ("bias_hh", (4 * H,))]
            ps = [torch.empty(s, dtype=torch.float64).uniform_(-bound, bound).requires_grad_() for _, s in shapes]
            ps.append((0.5 * torch.randn(3 * H, dtype=torch.float64)).requires_grad_())
            params.append(tuple(ps))
            named += [(n + suffix, q) for (n, _), q in zip(shapes, ps)] + [("weight_peephole" + suffix, ps[4])]
    x = torch.randn(B, T, I, dtype=torch.float64, requires_grad=True)
    h0 = (0.5 * torch.randn(layers * D, B, H, dtype=torch.float64)).requires_grad_(with_init)
    c0 = (0.5 * torch.randn(layers * D, B, H, dtype=torch.float64)).requires_grad_(with_init)
    out, hn, cn = peephole_lstm(x, lengths, params, h0 if with_init else None, c0 if with_init else None, layers, D)
    w_y = torch.rand(out.shape, dtype=torch.float64) + 0.5
    w_h = torch.rand(hn.shape, dtype=torch.float64) + 0.5
    w_c = torch.rand(cn.shape, dtype=torch.float64) + 0.5
    loss = (w_y * out).sum() + (w_h * hn).sum() + (w_c * cn).sum()
    loss.backward()
    fixture = {
        "cell": "lstm",
        "peephole": True,
        "layers": layers,
        "bidirectional": bidirectional,
        "B": B, "T": T, "I": I, "H": H,
        "lengths": lengths,
        "withInit": with_init,
        "x": flat(x),
        "h0": flat(h0) if with_init else None,
        "c0": flat(c0) if with_init else None,
        "params": [{"name": n, "shape": list(q.shape), "data": flat(q)} for n, q in named],
        "output": flat(out),
        "hN": flat(hn),
        "cN": flat(cn),
        "lossWeights": {"output": flat(w_y), "hN": flat(w_h), "cN": flat(w_c)},
        "loss": float(loss.detach()),
        "grads": {
            "x": flat(x.grad),
            "params": [flat(q.grad) for _, q in named],
            "h0": flat(h0.grad) if with_init else None,
            "c0": flat(c0.grad) if with_init else None,
        },
        "torch": torch.__version__,
    }
    name = f"lstm_peephole_{layers}l_{'bi' if bidirectional else 'uni'}_{'ragged' if len(set(lengths)) > 1 else 'equal'}.json"
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(fixture, f)
    print("wrote", name, "loss", float(loss.detach()))


def main():
    os.makedirs(OUT, exist_ok=True)
    for index, config in enumerate(PEEPHOLE_CONFIGS):
        make_peephole(index, *config)
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
