#!/usr/bin/env python3
"""Three optimizer steps through the compiler vs PyTorch's published formulas.

Builds a one-parameter module whose gradient changes from step to step,
loss = mean(x * w * w) over a [2, 3] batch, so dL/dw_i = 2 w_i sum_n x_ni / 6,
runs `mlc-opt -mlc-autodiff -mlc-optimizer`, executes three @train_step
calls with the double-precision oracle (`mlc-oracle train`), and compares
every parameter value with an independent implementation of the update rules
of torch.optim.SGD / Adam / AdamW (as documented for PyTorch 2.x).

usage: optimizer_steps.py MLC_OPT MLC_ORACLE {adam,adamw,sgd}
"""
import math
import os
import subprocess
import sys
import tempfile

W0 = [0.5, -1.0, 2.0]
X = [1.0, 2.0, 3.0, -0.5, 0.25, 4.0]  # [2, 3], row-major
STEPS = 3
CONFIGS = {
    # kind, hyper-parameters as the DSL would pass them
    "adam": ("Adam", dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
    "adamw": ("AdamW", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    "sgd": ("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
}


def grad(w):
    col = [X[i] + X[3 + i] for i in range(3)]
    return [2 * w[i] * col[i] / 6 for i in range(3)]


def reference(kind, h):
    """The update formulas of torch.optim, step t counted from 1."""
    w = list(W0)
    m, v, buf = [0.0] * 3, [0.0] * 3, None
    out = []
    for t in range(1, STEPS + 1):
        g = grad(w)
        if kind == "SGD":
            g = [g[i] + h["weight_decay"] * w[i] for i in range(3)]
            if h["momentum"] != 0:
                buf = list(g) if buf is None else [h["momentum"] * buf[i] + g[i] for i in range(3)]
                g = buf
            w = [w[i] - h["lr"] * g[i] for i in range(3)]
        else:
            b1, b2 = h["betas"]
            if kind == "AdamW":
                w = [w[i] * (1 - h["lr"] * h["weight_decay"]) for i in range(3)]
            else:
                g = [g[i] + h["weight_decay"] * w[i] for i in range(3)]
            m = [b1 * m[i] + (1 - b1) * g[i] for i in range(3)]
            v = [b2 * v[i] + (1 - b2) * g[i] * g[i] for i in range(3)]
            bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
            step = h["lr"] / bc1
            denom = [math.sqrt(v[i]) / math.sqrt(bc2) + h["eps"] for i in range(3)]
            w = [w[i] - step * m[i] / denom[i] for i in range(3)]
        out.append(list(w))
    return out


def module(kind, h):
    attrs = [f'kind = "{kind}"', f"lr = {h['lr']:e} : f64", f"weight_decay = {h['weight_decay']:e} : f64"]
    if kind == "SGD":
        attrs.append(f"momentum = {h['momentum']:e} : f64")
    else:
        attrs += [f"betas = [{h['betas'][0]:e} : f64, {h['betas'][1]:e} : f64]", f"eps = {h['eps']:e} : f64"]
    return f"""module attributes {{mlc.optimizer = {{{', '.join(attrs)}}}}} {{
  mlc.param @w : tensor<3xf32> {{init = "zeros", scale = 0.0 : f64}}
  func.func @loss(%x: tensor<?x3xf32> {{mlc.name = "x"}}) -> (tensor<f32> {{mlc.name = "loss"}}) {{
    %w = mlc.param_ref @w : tensor<3xf32>
    %a = mlc.mul %x, %w : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
    %b = mlc.mul %a, %w : tensor<?x3xf32>, tensor<3xf32> -> tensor<?x3xf32>
    %l = mlc.mean %b axes = [0, 1] : tensor<?x3xf32> -> tensor<f32>
    return %l : tensor<f32>
  }}
}}
"""


def main():
    mlc_opt, oracle, which = sys.argv[1:4]
    kind, h = CONFIGS[which]
    with tempfile.TemporaryDirectory() as tmp:
        src, out = os.path.join(tmp, "m.mlir"), os.path.join(tmp, "t.mlir")
        open(src, "w").write(module(kind, h))
        subprocess.run([mlc_opt, src, "-mlc-autodiff", "-mlc-optimizer", "-o", out], check=True)
        run = subprocess.run([oracle, "train", out, "--steps", str(STEPS),
                              "--set", "w=" + ",".join(map(repr, W0)),
                              "--set", "x=" + ",".join(map(repr, X))],
                             check=True, capture_output=True, text=True)
    got = [list(map(float, line.split()[2:])) for line in run.stdout.splitlines()
           if line.startswith("param w ")]
    want = reference(kind, h)
    if len(got) != STEPS:
        print(f"expected {STEPS} 'param w' lines, got:\n{run.stdout}")
        return 1
    worst = 0.0
    for t, (g, w) in enumerate(zip(got, want), 1):
        for a, b in zip(g, w):
            err = abs(a - b) / max(abs(b), 1e-12)
            worst = max(worst, err)
        print(f"step {t}: mlc {g}  reference {w}")
    # The oracle prints 9 significant digits.
    ok = worst <= 1e-7
    print(f"{kind}: max relative difference {worst:.2e} over {STEPS} steps: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
