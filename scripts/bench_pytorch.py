"""PyTorch CPU's time per training step of bench/bench.ts's model, for `npm run bench`.

The model and step are GateScope's `gatescope()` in bench/bench.ts:
  x [B, T, I] -> one LSTM or GRU layer (H) -> h_T -> Linear(H, 10) -> softmax cross-entropy -> Adam (lr 1e-3)
with the same input distribution (uniform in [-1, 1]) and 10 classes. Two warm-up steps,
then --steps timed steps; the median is printed per config. torch.set_num_threads(2)
(the thread count is printed); --threads 2,1 measures each count in turn (on a loaded
2-core machine two threads can be many times slower than one: they wait on each other).
Without torch it prints "skipped: no torch" and exits 0.

  .venv/bin/python scripts/bench_pytorch.py [--steps 10] [--threads 2] [--configs JSON]

--configs: a JSON list of {"name", "cell", "B", "T", "I", "H"}; default the canonical
config (B 32, T 32, I 64, H 128) for LSTM and GRU. The last line of output is
"RESULTS <json>" (a list of {"config", "cell", "trainMs", "forwardMs", "threads"}) for
scripts/bench.mjs.
"""

import argparse
import json
import statistics
import sys
import time

CANONICAL = [
    {"name": "canonical", "cell": cell, "B": 32, "T": 32, "I": 64, "H": 128}
    for cell in ("lstm", "gru")
]


def measure(torch, c, steps, threads):
    """Median ms of a training step and of a forward pass of config c."""
    torch.manual_seed(0)
    layer_class = torch.nn.LSTM if c["cell"] == "lstm" else torch.nn.GRU
    rnn = layer_class(c["I"], c["H"], batch_first=True)
    head = torch.nn.Linear(c["H"], 10)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.rand(c["B"], c["T"], c["I"]) * 2 - 1
    y = torch.randint(0, 10, (c["B"],))

    def logits():
        _, h = rnn(x)
        h_last = h[0] if c["cell"] == "lstm" else h
        return head(h_last[-1])

    def train():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(logits(), y)
        loss.backward()
        opt.step()

    def forward():
        with torch.no_grad():
            torch.nn.functional.cross_entropy(logits(), y)

    def median_ms(step):
        for _ in range(2):
            step()
        times = []
        for _ in range(steps):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    train_ms = median_ms(train)
    forward_ms = median_ms(forward)
    print(
        f"{c['name']} {c['cell']} (B {c['B']}, T {c['T']}, I {c['I']}, H {c['H']}), {threads} thread{'' if threads == 1 else 's'}: "
        f"train {train_ms:.2f} ms/step, forward {forward_ms:.2f} ms"
    )
    return {"config": c["name"], "cell": c["cell"], "trainMs": train_ms, "forwardMs": forward_ms, "threads": threads}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--configs", type=str, default=None)
    parser.add_argument("--threads", type=str, default="2")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("skipped: no torch")
        print("RESULTS []")
        return 0

    configs = json.loads(args.configs) if args.configs else CANONICAL
    results = []
    for count in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(count)
        threads = torch.get_num_threads()
        print(f"PyTorch {torch.__version__}, CPU, {threads} thread{'' if threads == 1 else 's'}")
        for c in configs:
            results.append(measure(torch, c, args.steps, threads))
    print("RESULTS " + json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
