#!/usr/bin/env python3
"""Random-shape gradient checks of every differentiable mlc op.

For each op, builds small modules with random shapes, broadcasting patterns,
axes and flags; runs `mlc-opt -mlc-autodiff` on each and checks the gradients
of every parameter against central finite differences with the double
precision oracle (`mlc-oracle gradcheck`). The loss is sum(op(...) * c) with
c random data of the result's shape, so every output element has a different
weight. Exits 1 on the first failure, printing the module.

usage: gradcheck_ops.py MLC_OPT MLC_ORACLE [--seed S] [--cases K] [--op NAME]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile


def ttype(shape, dt="f32"):
    return "tensor<" + "".join(("?" if d is None else str(d)) + "x" for d in shape) + dt + ">"


class Module:
    """A tiny module builder: params, data args, a body, a weighted-sum loss."""

    def __init__(self):
        self.params, self.args, self.body, self.n = [], [], [], 0

    def param(self, shape):
        name = f"p{len(self.params)}"
        self.params.append(f'mlc.param @{name} : {ttype(shape)} {{init = "uniform", scale = 1.0 : f64}}')
        return self.op(f"mlc.param_ref @{name} : {ttype(shape)}")

    def data(self, shape, dt="f32"):
        self.args.append(f"%a{len(self.args)}: {ttype(shape, dt)} {{mlc.name = \"a{len(self.args)}\"}}")
        return f"%a{len(self.args) - 1}"

    def op(self, text):
        self.n += 1
        self.body.append(f"%v{self.n} = {text}")
        return f"%v{self.n}"

    def positive(self, shape):
        """A parameter kept away from 0: exp(p)."""
        p = self.param(shape)
        return self.op(f"mlc.exp {p} : {ttype(shape)}")

    def text(self, result, shape):
        if shape != []:
            c = self.data(shape)
            t = ttype(shape)
            w = self.op(f"mlc.mul {result}, {c} : {t}, {t} -> {t}")
            axes = ", ".join(str(i) for i in range(len(shape)))
            result = self.op(f"mlc.sum {w} axes = [{axes}] : {t} -> tensor<f32>")
        lines = self.params + [f"func.func @loss({', '.join(self.args)}) -> (tensor<f32> {{mlc.name = \"loss\"}}) {{"]
        lines += ["  " + b for b in self.body] + [f"  return {result} : tensor<f32>", "}"]
        return "\n".join(lines) + "\n"


def rshape(r, rank=None, lo=1, hi=4, batch=False):
    rank = r.randint(1, 3) if rank is None else rank
    s = [r.randint(lo, hi) for _ in range(rank)]
    if batch and s and r.random() < 0.5:
        s[0] = None
    return s


def broadcast_partner(r, shape):
    """A shape that broadcasts with `shape`: drop leading dims, set some to 1."""
    k = r.randint(0, len(shape) - 1) if len(shape) > 1 else 0
    out = [d for d in shape[k:]]
    for i in range(len(out)):
        if out[i] is not None and r.random() < 0.4:
            out[i] = 1
    if r.random() < 0.5:
        return shape, out
    return out, shape


def bshape(a, b):
    n = max(len(a), len(b))
    a = [1] * (n - len(a)) + a
    b = [1] * (n - len(b)) + b
    return [y if x == 1 else x for x, y in zip(a, b)]


def case_binary(r, m, op):
    s = rshape(r)
    a, b = broadcast_partner(r, s)
    x = m.param(a)
    y = m.positive(b) if op == "div" else m.param(b)
    out = bshape(a, b)
    return m.op(f"mlc.{op} {x}, {y} : {ttype(a)}, {ttype(b)} -> {ttype(out)}"), out


def case_unary(r, m, op):
    s = rshape(r)
    x = m.positive(s) if op in ("log", "sqrt") else m.param(s)
    return m.op(f"mlc.{op} {x} : {ttype(s)}"), s


def case_matmul(r, m, _):
    M, K, P = r.randint(1, 4), r.randint(1, 4), r.randint(1, 4)
    batch = rshape(r, rank=r.randint(0, 2))
    la, lb = broadcast_partner(r, batch) if batch else ([], [])
    if r.random() < 0.3:
        lb = []
    a, b = la + [M, K], lb + [K, P]
    out = bshape(la, lb) + [M, P] if (la or lb) else [M, P]
    x, y = m.param(a), m.param(b)
    return m.op(f"mlc.matmul {x}, {y} : {ttype(a)}, {ttype(b)} -> {ttype(out)}"), out


def case_permute(r, m, _):
    s = rshape(r, rank=r.randint(2, 4))
    perm = list(range(len(s)))
    r.shuffle(perm)
    out = [s[p] for p in perm]
    x = m.param(s)
    return m.op(f"mlc.permute {x} perm = [{', '.join(map(str, perm))}] : {ttype(s)} -> {ttype(out)}"), out


def case_reshape(r, m, _):
    a, b, c = r.randint(1, 4), r.randint(1, 4), r.randint(1, 4)
    s, out = r.choice([([a * b, c], [a, b * c]), ([a, b, c], [a * b * c]), ([a * b * c], [c, b, a])])
    x = m.param(s)
    return m.op(f"mlc.reshape {x} : {ttype(s)} -> {ttype(out)}"), out


def case_reduce(r, m, op):
    s = rshape(r, rank=r.randint(1, 3), lo=2)
    axes = sorted(r.sample(range(len(s)), r.randint(1, len(s))))
    keep = r.random() < 0.5
    out = [1 if i in axes else d for i, d in enumerate(s)] if keep else [d for i, d in enumerate(s) if i not in axes]
    x = m.param(s)
    kd = " keepdim" if keep else ""
    return m.op(f"mlc.{op} {x} axes = [{', '.join(map(str, axes))}]{kd} : {ttype(s)} -> {ttype(out)}"), out


def case_softmax(r, m, op):
    s = rshape(r, lo=2)
    axis = r.randrange(len(s))
    x = m.param(s)
    return m.op(f"mlc.{op} {x} axis = {axis} : {ttype(s)}"), s


def case_linear(r, m, _):
    i, o = r.randint(1, 4), r.randint(1, 4)
    lead = rshape(r, rank=r.randint(0, 2), batch=True)
    s = lead + [i]
    x = m.data(s) if r.random() < 0.3 else m.param([d if d is not None else 2 for d in s])
    if not x.startswith("%a"):
        s = [d if d is not None else 2 for d in s]
    w = m.param([o, i])
    out = s[:-1] + [o]
    if r.random() < 0.7:
        b = m.param([o])
        return m.op(f"mlc.linear {x}, {w}, {b} : {ttype(s)}, {ttype([o, i])}, {ttype([o])} -> {ttype(out)}"), out
    return m.op(f"mlc.linear {x}, {w} : {ttype(s)}, {ttype([o, i])} -> {ttype(out)}"), out


def case_layer_norm(r, m, _):
    s = rshape(r, lo=2)
    x, g, b = m.param(s), m.param([s[-1]]), m.param([s[-1]])
    v = [s[-1]]
    return m.op(f"mlc.layer_norm {x}, {g}, {b} eps = 1.000000e-05 : {ttype(s)}, {ttype(v)}, {ttype(v)} -> {ttype(s)}"), s


def case_embedding(r, m, _):
    V, D = r.randint(2, 6), r.randint(1, 4)
    ids = rshape(r, rank=r.randint(1, 2), batch=True)
    i = m.data(ids, "i64")
    w = m.param([V, D])
    out = ids + [D]
    return m.op(f"mlc.embedding {w}, {i} : {ttype([V, D])}, {ttype(ids, 'i64')} -> {ttype(out)}"), out


def case_causal_mask(r, m, _):
    T = r.randint(2, 4)
    s = rshape(r, rank=r.randint(0, 2)) + [T, T]
    x = m.param(s)
    c = m.op(f"mlc.causal_mask {x} : {ttype(s)}")
    return m.op(f"mlc.softmax {c} axis = {len(s) - 1} : {ttype(s)}"), s


def case_mse(r, m, _):
    s = rshape(r)
    x, y = m.param(s), m.param(s)
    return m.op(f"mlc.mse_loss {x}, {y} : {ttype(s)}, {ttype(s)} -> tensor<f32>"), []


def case_cross_entropy(r, m, _):
    C = r.randint(2, 5)
    lead = [None] + ([r.randint(1, 3)] if r.random() < 0.5 else [])
    z = m.param([3] + lead[1:] + [C])
    y = m.data([3] + lead[1:], "i64")
    s = [3] + lead[1:] + [C]
    return m.op(f"mlc.cross_entropy {z}, {y} : {ttype(s)}, {ttype(s[:-1], 'i64')} -> tensor<f32>"), []


CASES = {
    **{op: case_binary for op in ("add", "sub", "mul", "div")},
    **{op: case_unary for op in ("neg", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "gelu")},
    "matmul": case_matmul, "permute": case_permute, "reshape": case_reshape,
    **{op: case_reduce for op in ("sum", "mean", "max")},
    "softmax": case_softmax, "log_softmax": case_softmax, "linear": case_linear,
    "layer_norm": case_layer_norm, "embedding": case_embedding, "causal_mask": case_causal_mask,
    "mse_loss": case_mse, "cross_entropy": case_cross_entropy,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mlc_opt")
    ap.add_argument("oracle")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--op", default=None)
    a = ap.parse_args()
    r = random.Random(a.seed)
    ops = [a.op] if a.op else sorted(CASES)
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for op in ops:
            for k in range(a.cases):
                m = Module()
                result, shape = CASES[op](r, m, op)
                text = m.text(result, shape)
                src = os.path.join(tmp, f"{op}-{k}.mlir")
                out = os.path.join(tmp, f"{op}-{k}.grad.mlir")
                with open(src, "w") as f:
                    f.write(text)
                steps = [[a.mlc_opt, src, "-mlc-autodiff", "-o", out],
                         [a.oracle, "gradcheck", out, "--seed", str(a.seed + k)]]
                for cmd in steps:
                    p = subprocess.run(cmd, capture_output=True, text=True)
                    if p.returncode != 0:
                        print(f"FAIL {op} case {k}: {' '.join(os.path.basename(c) for c in cmd[:2])}")
                        print(p.stdout + p.stderr)
                        print(text)
                        return 1
                checked += 1
                last = p.stdout.strip().splitlines()
                print(f"ok {op} case {k}: {last[-1] if last else ''}")
    print(f"gradcheck_ops: {checked} modules over {len(ops)} ops passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
