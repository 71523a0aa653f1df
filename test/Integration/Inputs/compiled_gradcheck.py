#!/usr/bin/env python3
"""Finite differences of the compiled eval step against the compiled gradients.

Both sides run the real executable (Halide pipelines, float32). The gradient
comes from one SGD step with lr = 1 and no momentum: g = w0 - w1 (the DSL's
optimizer line is replaced by `optimizer = SGD(lr=1)`). The finite
difference of each parameter tensor along a direction d is
(L(w0 + h d) - L(w0 - h d)) / 2h with L from `eval` on the same full batch.
Two unit directions per tensor: along g (the largest signal) and random.
Pass: |fd - g.d| <= rtol * max(|fd|, |g.d|) + atol + noise for every one,
where noise = 3e-7 |L| / h bounds what float32 rounding of the loss (a few
ulps after the reductions) does to the difference quotient.
h is small (1e-3) so that few perturbations cross a kink of relu or max.

usage: compiled_gradcheck.py MLC FILE.dsl WORKDIR [--batch N] [--int NAME=RANGE]...
       [--h H] [--rtol R] [--atol A]
"""
import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compiled_vs_oracle import random_inputs, read_safetensors, run, write_safetensors  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mlc")
    ap.add_argument("dsl")
    ap.add_argument("work")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--int", action="append", default=[])
    ap.add_argument("--h", type=float, default=1e-3)
    ap.add_argument("--rtol", type=float, default=1e-2)
    ap.add_argument("--atol", type=float, default=1e-5)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    src = open(a.dsl).read()
    src, n = re.subn(r"optimizer\s*=\s*\w+\([^)]*\)", "optimizer = SGD(lr=1)", src)
    assert n == 1, "expected one optimizer line"
    dsl = os.path.join(a.work, os.path.basename(a.dsl))
    open(dsl, "w").write(src)
    exe, mlir = os.path.join(a.work, "model"), os.path.join(a.work, "train.mlir")
    run([a.mlc, "compile", dsl, "-o", exe])
    run([a.mlc, "compile", dsl, "--emit=mlir-train", "-o", mlir])
    text = open(mlir).read()
    rng = np.random.default_rng(a.seed)
    ranges = dict(kv.split("=") for kv in a.int)

    params, data = random_inputs(text, rng, a.batch, ranges, a.work)
    w0 = os.path.join(a.work, "w0.safetensors")
    write_safetensors(w0, params)
    flags = []
    for name in data:
        flags += ["--data", f"{name}={os.path.join(a.work, name + '.npy')}"]

    w1 = os.path.join(a.work, "w1.safetensors")
    run([exe, "train", "--init", w0, "--steps", "1", "--batch-size", str(a.batch),
         "--shuffle", "off", "--save", w1] + flags)
    after = read_safetensors(w1)

    def loss(weights):
        path = os.path.join(a.work, "w.safetensors")
        write_safetensors(path, weights)
        out = run([exe, "eval", "--weights", path, "--batch-size", str(a.batch)] + flags)
        return float(re.search(r"^loss (\S+)", out, re.M).group(1))

    l0 = loss(params)
    noise = 3e-7 * abs(l0) / a.h
    worst, checked, ok = 0.0, 0, True
    for name, w in params.items():
        g = w.astype(np.float64) - after[name].astype(np.float64)
        gn = np.linalg.norm(g)
        r = rng.normal(size=w.shape)
        for kind, d in (("along g", g / gn if gn > 0 else r / np.linalg.norm(r)),
                        ("random", r / np.linalg.norm(r))):
            step = (a.h * d).astype(np.float32)
            fd = (loss({**params, name: w + step}) - loss({**params, name: w - step})) / (2 * a.h)
            an = float((g * d).sum())
            err = abs(fd - an)
            bound = a.rtol * max(abs(fd), abs(an)) + a.atol + noise
            worst = max(worst, err / bound)
            checked += 1
            if err > bound:
                ok = False
                print(f"MISMATCH {name} ({kind}): fd {fd:.6g} analytic {an:.6g} |diff| {err:.3g}")
    print(f"{os.path.basename(a.dsl)}: {checked} directional derivatives over {len(params)} "
          f"tensors (loss {l0:.6g}, h {a.h:g}), worst |fd - g.d| / bound {worst:.2f}: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
