#!/usr/bin/env python3
"""The compiled executable against the double-precision oracle, step by step.

Compiles a DSL file twice: to an executable (Halide pipelines, the product)
and to `--emit=mlir-train` (what the oracle runs). Both start from the same
random weights (written as safetensors, loaded with --init) and train on the
same full batch (--shuffle off, batch = all samples) for K steps; the
per-step losses and the final weights must agree within a relative
tolerance (f32 pipelines vs f64 oracle).

usage: compiled_vs_oracle.py MLC ORACLE FILE.dsl WORKDIR [--steps K] [--batch N]
       [--int NAME=RANGE]... [--rtol R] [--seed S] [--schedule S]
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys

import numpy as np


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    return p.stdout


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__" or e["dtype"] != "F32":
            continue
        b, end = e["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + b:8 + n + end], dtype="<f4").reshape(e["shape"])
    return out


def shape_of(t):
    dims = t.split("x")[:-1]
    return [None if d == "?" else int(d) for d in dims], t.split("x")[-1]


def random_inputs(text, rng, batch, ranges, work):
    """Random parameters (uniform within each param's init scale) and one batch
    of data (normal floats; integers in [0, ranges[name])) for the
    `--emit=mlir-train` module `text`; the data is saved as WORK/NAME.npy."""
    params = {}
    for name, t, attrs in re.findall(r"mlc\.param @(\S+) : tensor<([^>]+)> \{([^}]*)\}", text):
        shape, _ = shape_of(t)
        scale = float(re.search(r"scale = ([-0-9.e+]+)", attrs).group(1)) or 0.5
        params[name] = rng.uniform(-scale, scale, size=shape).astype(np.float32)
    sig = re.search(r"func\.func @train_step\((.*?)\) ->", text).group(1)
    data = {}
    for t, name in re.findall(r"tensor<([^>]+)> \{mlc\.data = \"(\w+)\"\}", sig):
        shape, dt = shape_of(t)
        shape = [batch if d is None else d for d in shape]
        if dt == "i64":
            data[name] = rng.integers(0, int(ranges[name]), size=shape).astype(np.int64)
        else:
            data[name] = rng.normal(size=shape).astype(np.float32)
        np.save(os.path.join(work, name + ".npy"), data[name])
    return params, data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mlc")
    ap.add_argument("oracle")
    ap.add_argument("dsl")
    ap.add_argument("work")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--int", action="append", default=[])
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--schedule", default="manual", help="mlc compile --schedule")
    ap.add_argument("--target", default="host", help="mlc compile --target")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    exe, mlir = os.path.join(a.work, "model"), os.path.join(a.work, "train.mlir")
    run([a.mlc, "compile", a.dsl, "--schedule", a.schedule, "--target", a.target, "-o", exe])
    run([a.mlc, "compile", a.dsl, "--emit=mlir-train", "-o", mlir])
    text = open(mlir).read()
    rng = np.random.default_rng(a.seed)
    ranges = dict(kv.split("=") for kv in a.int)

    params, data = random_inputs(text, rng, a.batch, ranges, a.work)
    write_safetensors(os.path.join(a.work, "init.safetensors"), params)

    log, final = os.path.join(a.work, "log.csv"), os.path.join(a.work, "final.safetensors")
    cmd = [exe, "train", "--init", os.path.join(a.work, "init.safetensors"), "--steps", str(a.steps),
           "--epochs", str(a.steps), "--batch-size", str(a.batch), "--shuffle", "off",
           "--log", log, "--save", final]
    for name in data:
        cmd += ["--data", f"{name}={os.path.join(a.work, name + '.npy')}"]
    run(cmd)
    rows = [line.split(",") for line in open(log).read().split("\n")[1:] if line]
    compiled = [float(r[2]) for r in rows]

    cmd = [a.oracle, "train", mlir, "--steps", str(a.steps), "--batch", str(a.batch)]
    for name, v in list(params.items()) + list(data.items()):
        cmd += ["--set", f"{name}=" + ",".join(repr(float(x)) if v.dtype != np.int64 else str(int(x))
                                               for x in v.ravel())]
    # Through a response file (LLVM's @file): a 2^16-element weight's values
    # are too long for a command line.
    rsp = os.path.join(a.work, "oracle.rsp")
    with open(rsp, "w") as f:
        f.write("\n".join(cmd[1:]) + "\n")
    out = run([a.oracle, "@" + rsp])
    oracle = [float(l.split()[3]) for l in out.splitlines() if l.startswith("step ")]
    last = {}
    for l in out.splitlines():
        if l.startswith("param "):
            f = l.split()
            last[f[1]] = np.array([float(x) for x in f[2:]])

    worst_loss = max(abs(c - o) / max(abs(o), 1e-12) for c, o in zip(compiled, oracle))
    trained = read_safetensors(final)
    worst_w, worst_w_abs = 0.0, 0.0
    for name, v in last.items():
        got = trained[name].ravel().astype(np.float64)
        d = np.abs(got - v)
        worst_w_abs = max(worst_w_abs, float(d.max()))
        worst_w = max(worst_w, float((d / np.maximum(np.abs(v), 1e-3)).max()))
    for t, (c, o) in enumerate(zip(compiled, oracle), 1):
        print(f"step {t}: compiled {c:.7g}  oracle {o:.7g}")
    ok = len(compiled) == len(oracle) == a.steps and worst_loss <= a.rtol and worst_w <= 10 * a.rtol
    print(f"{os.path.basename(a.dsl)}: {a.steps} steps, max rel loss diff {worst_loss:.2e}, "
          f"weights max abs diff {worst_w_abs:.2e} (rel {worst_w:.2e}): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
