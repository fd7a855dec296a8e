"""Runs the Python snippets of PyTorch bundles' READMEs (and of other Markdown files, such
as the main README) inside the unpacked bundles, as a user would paste them.

Every fenced ```python block is executed in a fresh namespace with the bundle folder as
working directory and import path (one Python process for all, so torch loads once). A
block passes when it runs without an exception, ends with a finite `loss`, and its
`model` holds weights that differ from the bundle's: the training steps really ran. A
block that starts a process group (the DDP script) runs in a process of its own, a world
of one process with the gloo backend, and must save a trained model.pt; with --torchrun it
also runs under
`python -m torch.distributed.run --standalone --nproc_per_node=2` (torchrun), where it
must exit 0 and save a trained model.pt.

    python3 scripts/run_python_snippets.py BUNDLE.zip [BUNDLE.zip ...]
        [--check] [--also BUNDLE_NAME=FILE.md ...] [--torchrun BUNDLE_NAME ...] [--json OUT]

--check first runs scripts/check_pytorch_export.py's checks on each bundle in this process.

BUNDLE_NAME is the .zip's file name without the folder. Exit status 1 when any block fails.
"""
import argparse
import json
import math
import multiprocessing
import os
import random
import re
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile

import torch

FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.S | re.M)


def python_blocks(markdown):
    """(first line number, code) of each fenced python block."""
    return [(markdown[: m.start()].count("\n") + 2, m.group(1)) for m in FENCE.finditer(markdown)]


def free_port():
    """A free port below the ephemeral range. A port the system hands out (bind to 0) can be
    handed out again at once to the torchrun that starts alongside: both process groups then
    met on one store and the in-process block waited forever."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 20000-31999")


def original_weights(directory):
    sys.path.insert(0, directory)
    try:
        import gatescope_model

        return gatescope_model.read_safetensors(os.path.join(directory, "model.safetensors"))
    finally:
        sys.path.remove(directory)
        sys.modules.pop("gatescope_model", None)


def changed(state, original):
    """Names of the weights that differ from the bundle's."""
    return [k for k, v in state.items() if k in original and not torch.equal(v.detach().cpu(), original[k])]


DDP_BLOCK_TIMEOUT = 60

# Blocks that start a process group run in processes forked from a server that imported
# torch once and never ran a parallel region (so forking is safe): see run_distributed_block.
DDP_PROCESSES = multiprocessing.get_context("forkserver")
# torch._dynamo: DistributedDataParallel imports it at its first construction (~3.4 s here).
DDP_PROCESSES.set_forkserver_preload(["torch", "torch._dynamo"])


def ddp_child(directory, code, port, result_path):
    """Runs a distributed block as rank 0 of a one-process gloo world; writes its error or None."""
    os.environ.update(RANK="0", LOCAL_RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    sys.path.insert(0, directory)
    os.chdir(directory)
    namespace = {"__name__": "__main__"}
    try:
        exec(compile(code, "<snippet>", "exec"), namespace)
        loss = namespace.get("loss")
        error = None if isinstance(loss, torch.Tensor) and math.isfinite(loss.item()) else f"no finite training loss after the block (loss = {loss!r})"
    except BaseException:
        error = traceback.format_exc(limit=4)
    with open(result_path + ".part", "w", encoding="utf-8") as f:
        json.dump({"error": error}, f)
    os.replace(result_path + ".part", result_path)


def run_distributed_block(directory, code, original):
    """A block that starts a process group (the DDP script) runs in a process of its own, a
    one-process gloo world. Run in this process, process-group state carried over from
    bundle to bundle, and once (one block of 23, in a full test run) a block hung holding
    the interpreter lock, so not even the watchdog could report it. A child that does not
    finish in DDP_BLOCK_TIMEOUT seconds is killed and reported. Rank 0 saves model.pt: it
    must differ from the bundle's weights."""
    saved = os.path.join(directory, "model.pt")
    result_path = os.path.join(directory, "_ddp_result.json")
    for path in (saved, result_path):
        if os.path.exists(path):
            os.remove(path)
    child = DDP_PROCESSES.Process(target=ddp_child, args=(directory, code, free_port(), result_path))
    child.start()
    deadline = time.time() + DDP_BLOCK_TIMEOUT
    # The child reports before it exits; its interpreter's teardown (gloo's threads) can take
    # seconds more, which nothing here needs: after a short grace it is killed.
    while child.is_alive() and not os.path.exists(result_path) and time.time() < deadline:
        child.join(0.05)
    if not os.path.exists(result_path) and child.is_alive():
        child.kill()
        child.join()
        return f"the block did not finish within {DDP_BLOCK_TIMEOUT} s (its process was killed)"
    child.join(1.0)
    if child.is_alive():
        child.kill()
        child.join()
    if not os.path.exists(result_path):
        return f"the block's process ended with exit code {child.exitcode} and reported nothing"
    with open(result_path, encoding="utf-8") as f:
        error = json.load(f)["error"]
    if error:
        return error
    if not os.path.exists(saved):
        return "the block saved no model.pt"
    if not changed(torch.load(saved, weights_only=True), original):
        return "training left every weight as it was"
    return None


def run_block(directory, code, original):
    """Executes one block in the bundle folder; returns None or the reason it failed."""
    if "init_process_group" in code:
        return run_distributed_block(directory, code, original)
    cwd = os.getcwd()
    sys.path.insert(0, directory)
    sys.modules.pop("gatescope_model", None)
    namespace = {"__name__": "__main__"}
    try:
        os.chdir(directory)
        exec(compile(code, "<snippet>", "exec"), namespace)
    except BaseException:
        return traceback.format_exc(limit=4)
    finally:
        os.chdir(cwd)
        sys.path.remove(directory)
        sys.modules.pop("gatescope_model", None)
    loss = namespace.get("loss")
    if not isinstance(loss, torch.Tensor) or not math.isfinite(loss.item()):
        return f"no finite training loss after the block (loss = {loss!r})"
    model = namespace.get("model")
    if model is None:
        return "the block defines no model"
    model = getattr(model, "module", model)
    if not changed(model.state_dict(), original):
        return "training left every weight as it was"
    return None


def run_self_check(directory):
    """`python3 gatescope_model.py .` in the bundle folder, in this process."""
    argv, cwd = sys.argv, os.getcwd()
    sys.argv = ["gatescope_model.py", "."]
    try:
        os.chdir(directory)
        runpy.run_path("gatescope_model.py", run_name="__main__")
        return "gatescope_model.py returned without an exit status"
    except SystemExit as e:
        return None if e.code == 0 else f"gatescope_model.py exited with {e.code}"
    except BaseException:
        return traceback.format_exc(limit=4)
    finally:
        sys.argv = argv
        os.chdir(cwd)


class Torchrun:
    """The README's DDP script of one bundle under torchrun with two gloo processes, started in
    the background (in its own copy of the bundle) while the other blocks run here."""

    def __init__(self, path, timeout):
        self.directory = tempfile.mkdtemp(prefix="gatescope-ddp-")
        self.timeout = timeout
        self.started = time.time()
        self.process = None
        with zipfile.ZipFile(path) as z:
            z.extractall(self.directory)
        readme = open(os.path.join(self.directory, "README.md"), encoding="utf-8").read()
        ddp = [code for _, code in python_blocks(readme) if "init_process_group" in code]
        if not ddp:
            self.error = "the README has no block that starts a process group"
            return
        self.error = None
        with open(os.path.join(self.directory, "train_ddp.py"), "w") as f:
            f.write(ddp[0])
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "train_ddp.py"]
        env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=self.directory)
        self.log = open(os.path.join(self.directory, "torchrun.log"), "w+")
        self.process = subprocess.Popen(command, cwd=self.directory, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def result(self):
        """None, or why the run failed; removes the copy."""
        try:
            if self.error or self.process is None:
                return self.error
            try:
                code = self.process.wait(timeout=max(1.0, self.timeout - (time.time() - self.started)))
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return f"torchrun did not finish within {self.timeout:g} s"
            self.log.seek(0)
            output = self.log.read()
            if code != 0:
                return f"torchrun exited with {code}:\n{output[-4000:]}"
            saved = os.path.join(self.directory, "model.pt")
            if not os.path.exists(saved):
                return "torchrun finished but rank 0 saved no model.pt"
            original = original_weights(self.directory)
            if not changed(torch.load(saved, weights_only=True), original):
                return "the model.pt saved by torchrun has the bundle's weights unchanged"
            return None
        finally:
            if self.process is not None:
                self.log.close()
            shutil.rmtree(self.directory, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundles", nargs="+")
    parser.add_argument("--also", action="append", default=[], metavar="BUNDLE_NAME=FILE.md")
    parser.add_argument("--torchrun", action="append", default=[], metavar="BUNDLE_NAME")
    parser.add_argument("--torchrun-timeout", type=float, default=120)
    parser.add_argument("--block-timeout", type=float, default=90, help="seconds one README block may run")
    parser.add_argument("--check", action="store_true", help="first run check_pytorch_export.py's checks on each bundle")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    also = {}
    for item in args.also:
        name, _, path = item.partition("=")
        also.setdefault(name, []).append(path)
    names = {os.path.basename(p) for p in args.bundles}
    for name in list(also) + args.torchrun:
        if name not in names:
            parser.error(f"{name} is not one of the bundles given")

    results = []

    def report(name, error, started):
        seconds = time.time() - started
        results.append({"name": name, "ok": error is None, "error": error, "seconds": round(seconds, 2)})
        print(f"{'ok  ' if error is None else 'FAIL'}  {name}  ({seconds:.1f} s)", flush=True)
        if error:
            print("      " + error.rstrip().replace("\n", "\n      "), flush=True)

    def finish():
        failed = sum(not r["ok"] for r in results)
        print(f"{len(results) - failed} passed, {failed} failed", flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=1)
        return failed

    def hung(name, started):
        """A block that never returns (a process group waiting for peers) cannot be
        interrupted from Python: report it with the results so far and end the process."""
        report(name, f"the block did not finish within {args.block_timeout:g} s", started)
        for _, run in torchruns:
            if run.process is not None:
                run.process.kill()
        finish()
        os._exit(1)

    by_name = {os.path.basename(p): p for p in args.bundles}
    torchruns = [(name, Torchrun(by_name[name], args.torchrun_timeout)) for name in args.torchrun]

    if args.check:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from check_pytorch_export import check

    for path in args.bundles:
        bundle = os.path.basename(path)
        if args.check:
            started = time.time()
            try:
                diff, _ = check(path, args.tolerance)
                error = None if diff <= args.tolerance else f"max |PyTorch - GateScope| = {diff:.3g} > {args.tolerance:g}"
            except Exception:
                error = traceback.format_exc(limit=3)
            report(f"{bundle}: check_pytorch_export (outputs, parameter names, positional input order, gradients)", error, started)
        with tempfile.TemporaryDirectory() as directory:
            with zipfile.ZipFile(path) as z:
                z.extractall(directory)
            original = original_weights(directory)
            started = time.time()
            report(f"{bundle}: python3 gatescope_model.py . (the README's check)", run_self_check(directory), started)
            sources = [("README.md", open(os.path.join(directory, "README.md"), encoding="utf-8").read())]
            sources += [(md, open(md, encoding="utf-8").read()) for md in also.get(bundle, [])]
            for source, text in sources:
                blocks = python_blocks(text)
                if not blocks:
                    report(f"{bundle}: {source} has no python block", "expected at least one", time.time())
                for line, code in blocks:
                    started = time.time()
                    name = f"{bundle}: {source} python block at line {line}"
                    watchdog = threading.Timer(args.block_timeout, hung, (name, started))
                    watchdog.start()
                    try:
                        error = run_block(directory, code, original)
                    finally:
                        watchdog.cancel()
                    report(name, error, started)

    for name, run in torchruns:
        error = run.result()
        results.append({"name": f"{name}: torchrun --nproc_per_node=2 (gloo) on the README's DDP script", "ok": error is None, "error": error, "seconds": round(time.time() - run.started, 2)})
        print(f"{'ok  ' if error is None else 'FAIL'}  {results[-1]['name']}  ({results[-1]['seconds']:.1f} s since it started)", flush=True)
        if error:
            print("      " + error.rstrip().replace("\n", "\n      "), flush=True)

    sys.exit(1 if finish() else 0)


if __name__ == "__main__":
    main()
