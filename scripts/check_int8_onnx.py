"""Checks GateScope's int8-weight ONNX exports (written by scripts/make-int8-onnx.mjs).

For each <name>.int8.onnx next to its <name>.f32.onnx and <name>.feeds.json:
- onnx.checker (full check, with shape inference) accepts the model;
- every int8 initializer X.int8 with X.scale is the float32 export's tensor X quantised
  independently here with numpy: per row, scale = max |w| / 127 in float32 (1 for an
  all-zero row), q = clip(round_half_to_even(w / scale), -128, 127) — equal exactly;
- onnxruntime (CPU) runs both models on the feeds; the outputs differ by more than 0 and
  less than 0.1.
Prints one line per model and writes [{name, ok, message}] with --json.
Run: .venv/bin/python scripts/check_int8_onnx.py <folder> [--json results.json]
"""
import glob
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper


def check(base):
    model = onnx.load(base + ".int8.onnx")
    onnx.checker.check_model(model, full_check=True)
    f32 = {t.name: numpy_helper.to_array(t) for t in onnx.load(base + ".f32.onnx").graph.initializer}
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    quantised = [n[: -len(".int8")] for n in inits if n.endswith(".int8")]
    if not quantised:
        raise AssertionError("no int8 initializers")
    for name in quantised:
        q = inits[name + ".int8"]
        scale = inits[name + ".scale"]
        if q.dtype != np.int8:
            raise AssertionError(f"{name}.int8 is {q.dtype}, not int8")
        w = f32[name].astype(np.float32).reshape(q.shape[0], -1)
        m = np.abs(w).max(axis=1)
        s = np.where(m > 0, (m / np.float32(127)).astype(np.float32), np.float32(1))
        if not np.array_equal(s, scale):
            raise AssertionError(f"{name}: scales differ, max |Δ| {np.abs(s - scale).max()}")
        expect = np.clip(np.round((w / s[:, None]).astype(np.float32)), -128, 127).astype(np.int8)
        if not np.array_equal(expect, q.reshape(expect.shape)):
            raise AssertionError(f"{name}: {(expect != q.reshape(expect.shape)).sum()} int8 values differ from numpy's")
    with open(base + ".feeds.json") as f:
        feeds = {k: np.array(v["data"], dtype=np.int32 if v["type"] == "int32" else np.float32).reshape(v["dims"]) for k, v in json.load(f).items()}
    run = lambda path: ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    diff = float(np.abs(run(base + ".int8.onnx") - run(base + ".f32.onnx")).max())
    if not (0 < diff < 0.1):
        raise AssertionError(f"int8 vs float32 output difference {diff} is not in (0, 0.1)")
    return f"{len(quantised)} int8 tensors equal numpy's; int8 vs float32 max |Δ| {diff:.2e}"


def main():
    folder = sys.argv[1]
    out = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    results = []
    for path in sorted(glob.glob(os.path.join(folder, "*.int8.onnx"))):
        base = path[: -len(".int8.onnx")]
        name = os.path.basename(base)
        try:
            results.append({"name": f"int8 ONNX {name}", "ok": True, "message": check(base)})
        except Exception as e:  # reported per model
            results.append({"name": f"int8 ONNX {name}", "ok": False, "message": f"{type(e).__name__}: {e}"})
        r = results[-1]
        print(f"{'ok  ' if r['ok'] else 'FAIL'}  {r['name']}: {r['message']}")
    if out:
        with open(out, "w") as f:
            json.dump(results, f)
    sys.exit(0 if results and all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
