"""Checks GateScope's PyTorch bundles: loads each .zip in PyTorch and compares the model's
outputs on the bundled sample inputs with the outputs GateScope computed for them.

For every bundle it also checks that the module's parameter names and shapes are the ones
config.json lists, that the pure-Python safetensors reader gives the same tensors as the
safetensors package, and that one training step yields gradients for the weights.

For a multi-task bundle (samples hold "task_output.<task>"), forward(..., return_tasks=True)
must give the same primary output and every auxiliary head's output within the tolerance.

It also checks that a positional call in the order config.json lists the inputs (the
ONNX graph's) gives the same output as the keyword call. `npm test` runs these checks
through scripts/test-python.mjs (scripts/run_python_snippets.py --check). By hand:
    node scripts/make-pytorch-bundles.mjs dist/pytorch-bundles
    python3 -m pip install torch safetensors      # from the machine's local wheel store
    python3 scripts/check_pytorch_export.py dist/pytorch-bundles/*.zip
Exit status 1 when any bundle differs by more than the tolerance (default 1e-4).
"""
import argparse
import importlib.util
import json
import os
import sys
import tempfile
import zipfile

import torch


def load_module(directory, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(directory, "gatescope_model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(path, tolerance):
    with tempfile.TemporaryDirectory() as directory:
        with zipfile.ZipFile(path) as z:
            z.extractall(directory)
        module = load_module(directory, "gatescope_model_" + os.path.basename(path).replace(".", "_"))
        config = json.load(open(os.path.join(directory, "config.json")))
        model = module.load_model(directory)

        # Parameter names and shapes are GateScope's.
        params = {k: list(v.shape) for k, v in model.state_dict().items()}
        listed = {p["name"]: p["shape"] for p in config["parameters"]}
        if params != listed:
            raise AssertionError(f"parameters differ from config.json: {sorted(set(params) ^ set(listed))}")

        # The pure-Python reader agrees with the safetensors package.
        weights = os.path.join(directory, "model.safetensors")
        fallback = module._read_safetensors_python(weights)
        try:
            from safetensors.torch import load_file

            reference = load_file(weights)
            for k, v in reference.items():
                if not torch.equal(v, fallback[k]):
                    raise AssertionError(f"pure-Python reader differs on {k}")
            reader = "safetensors + fallback agree"
        except ImportError:
            reader = "fallback reader only"

        samples = module.read_safetensors(os.path.join(directory, "samples.safetensors"))
        inputs = {k[len("input."):]: v for k, v in samples.items() if k.startswith("input.")}
        (out_name,) = [k for k in samples if k.startswith("output.")]
        expected = samples[out_name]
        with torch.no_grad():
            got = model(**inputs)
        if got.shape != expected.shape:
            raise AssertionError(f"output shape {tuple(got.shape)} != GateScope's {tuple(expected.shape)}")
        diff = (got - expected).abs().max().item()

        # Multi-task models: forward(..., return_tasks=True) gives the same primary output
        # and every auxiliary head's, compared with GateScope's ("task_output.<task>").
        task_names = sorted(k[len("task_output."):] for k in samples if k.startswith("task_output."))
        if task_names:
            with torch.no_grad():
                primary, tasks = model(**inputs, return_tasks=True)
            if not torch.equal(primary, got):
                raise AssertionError("return_tasks=True changed the primary output")
            if sorted(tasks) != task_names:
                raise AssertionError(f"the module's tasks {sorted(tasks)} differ from the samples' {task_names}")
            for name in task_names:
                want = samples["task_output." + name]
                if tasks[name].shape != want.shape:
                    raise AssertionError(f"task {name}: output shape {tuple(tasks[name].shape)} != GateScope's {tuple(want.shape)}")
                diff = max(diff, (tasks[name] - want).abs().max().item())

        # forward takes the inputs positionally in the ONNX order config.json lists.
        order = [i["name"] for i in config["inputs"]]
        if sorted(order) != sorted(inputs):
            raise AssertionError(f"config.json lists inputs {order}, the samples hold {sorted(inputs)}")
        with torch.no_grad():
            positional = model(*[inputs[name] for name in order])
        if not torch.equal(positional, got):
            raise AssertionError(f"a positional call in the order {order} differs from the keyword call")

        # One training step: gradients reach the weights.
        model.train()
        model.zero_grad()
        if task_names:
            y, tasks = model(**inputs, return_tasks=True)
            (y.float().pow(2).mean() + sum(t.float().pow(2).mean() for t in tasks.values())).backward()
        else:
            model(**inputs).float().pow(2).mean().backward()
        without = [n for n, p in model.named_parameters() if p.grad is None and "missing" not in n]
        if without:
            raise AssertionError(f"no gradient for {without}")
        return diff, reader


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundles", nargs="+")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    print(f"torch {torch.__version__}")
    worst = 0.0
    failed = 0
    for path in args.bundles:
        try:
            diff, reader = check(path, args.tolerance)
        except Exception as e:  # report and go on with the next bundle
            print(f"FAIL  {os.path.basename(path)}: {type(e).__name__}: {e}")
            failed += 1
            continue
        worst = max(worst, diff)
        status = "ok  " if diff <= args.tolerance else "FAIL"
        failed += diff > args.tolerance
        print(f"{status}  {os.path.basename(path):55s} max |PyTorch - GateScope| = {diff:.3g}  ({reader})")
    print(f"{len(args.bundles) - failed} passed, {failed} failed; largest difference {worst:.3g}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
