#!/usr/bin/python3
"""mlc against PyTorch on the benchmark models, side by side, in one run.

For every configuration of bench/models.py: `mlc compile` (timed), then,
repeated --reps times, the mlc executable and PyTorch eager train the same
model on the same batches from the same initial weights; each reports the
median step time over --steps steps after warm-up (mlc: `train` prints
median/min/max over its full batches after the first step). PyTorch runs
with 1 and with 2 threads and keeps the faster, with OMP_WAIT_POLICY=passive
and OPENBLAS_CORETYPE unset (the thread count is PyTorch's own: OpenBLAS's
pthread build keeps one thread per core for its products either way). Also
measured: peak RSS of both, the machine's float32 GEMM ceiling (the best of
OpenBLAS through torch.mm on 1024^3 and 2048^3, 1 or 2 threads), so step
times of the MLP-like models are also a percentage of it, and the float32
FMA peak (bench/fma_peak.c: FMAs on registers only, one core and all).

usage: /usr/bin/python3 bench/run.py [--reps 5] [--steps 60] [--warmup 5]
       [--only SUBSTRING] [--out docs/performance.md]
"""
import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "test", "Integration", "Inputs"))
from compiled_vs_oracle import write_safetensors  # noqa: E402
from models import CONFIGS  # noqa: E402

MLC = os.path.join(ROOT, "build", "bin", "mlc")


def env_for_torch():
    env = dict(os.environ, OMP_WAIT_POLICY="passive")
    env.pop("OPENBLAS_CORETYPE", None)
    return env


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    return p


def gemm_ceiling():
    code = ("import torch, time\n"
            "best = 0\n"
            "for t in (1, 2):\n"
            "  torch.set_num_threads(t)\n"
            "  for n in (1024, 2048):\n"
            "    a, b = torch.randn(n, n), torch.randn(n, n)\n"
            "    torch.mm(a, b)\n"
            "    for _ in range(3):\n"
            "      t0 = time.perf_counter(); torch.mm(a, b); dt = time.perf_counter() - t0\n"
            "      best = max(best, 2 * n ** 3 / dt / 1e9)\n"
            "print(best)\n")
    return float(run([sys.executable, "-c", code], env=env_for_torch()).stdout)


def fma_peak():
    """(one core, all cores) GFLOP/s of bench/fma_peak.c, or None where it
    does not build (no AVX2/FMA)."""
    exe = os.path.join(ROOT, "build", "bench", "fma_peak")
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    p = subprocess.run(["cc", "-O2", "-mavx2", "-mfma", "-pthread", "-o", exe,
                        os.path.join(HERE, "fma_peak.c")], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    one, all_ = run([exe, str(os.cpu_count())]).stdout.split()
    return float(one), float(all_)


def blas():
    code = "import torch; print(torch.__config__.show())"
    out = run([sys.executable, "-c", code]).stdout
    alt = subprocess.run(["update-alternatives", "--query", "libblas.so.3-x86_64-linux-gnu"],
                         capture_output=True, text=True).stdout
    value = re.search(r"^Value: (.*)$", alt, re.M)
    return f"torch {torch.__version__}, libblas.so.3 -> {value.group(1) if value else '?'}"


def prepare(name, cfg, work, n):
    os.makedirs(work, exist_ok=True)
    dsl = os.path.join(ROOT, cfg["dsl"])
    if cfg.get("unfreeze"):
        src = open(dsl).read()
        for line in src.splitlines():
            if line.strip().startswith("import "):
                shutil.copy(os.path.join(os.path.dirname(dsl), line.split('"')[1]), work)
        dsl = os.path.join(work, os.path.basename(dsl))
        open(dsl, "w").write("\n".join(l for l in src.splitlines()
                                       if not l.strip().startswith("freeze ")) + "\n")
    exe = os.path.join(work, "model")
    t0 = time.perf_counter()
    run([MLC, "compile", dsl, "-o", exe])
    compile_s = time.perf_counter() - t0
    torch.manual_seed(0)
    model = cfg["model"]()
    write_safetensors(os.path.join(work, "init.safetensors"),
                      {k: v.detach().numpy() for k, v in model.state_dict().items()})
    rng = np.random.default_rng(0)
    flags = []
    for key, spec in cfg["data"].items():
        shape = (n,) + spec[1]
        v = (rng.standard_normal(shape, dtype=np.float32) if spec[0] == "f32"
             else rng.integers(0, spec[2], size=shape).astype(np.int64))
        np.save(os.path.join(work, key + ".npy"), v)
        flags += ["--data", f"{key}={os.path.join(work, key + '.npy')}"]
    return exe, compile_s, flags


def run_mlc(exe, work, flags, cfg, steps):
    p = run(["/usr/bin/time", "-f", "RSS %M", exe, "train", "--init",
             os.path.join(work, "init.safetensors"), "--steps", str(steps), "--epochs", "1000000",
             "--batch-size", str(cfg["batch"]), "--shuffle", "off"] + flags, cwd=work)
    m = re.search(r"step time: median ([0-9.]+) ms, min ([0-9.]+), max ([0-9.]+)", p.stdout)
    rss = int(re.search(r"RSS (\d+)", p.stderr).group(1))
    return float(m.group(1)), float(m.group(2)), float(m.group(3)), rss


def run_torch(name, work, threads, steps, warmup):
    p = run([sys.executable, os.path.join(HERE, "torch_step.py"), name, work, "--threads",
             str(threads), "--steps", str(steps), "--warmup", str(warmup)], env=env_for_torch())
    med, lo, hi, rss = p.stdout.split()
    return float(med), float(lo), float(hi), int(rss)


def fmt3(values):
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    ceiling = gemm_ceiling()
    print(f"float32 GEMM ceiling (OpenBLAS via torch.mm, best of 1/2 threads): {ceiling:.1f} GFLOP/s",
          flush=True)
    peak = fma_peak()
    peak_text = (f"float32 FMA peak {peak[0]:.1f} GFLOP/s on one core, {peak[1]:.1f} on "
                 f"{os.cpu_count()} (bench/fma_peak.c)" if peak else "FMA peak: not measured")
    print(peak_text, flush=True)
    rows = []
    for name, cfg in CONFIGS.items():
        if a.only not in name:
            continue
        work = os.path.join(ROOT, "build", "bench", re.sub(r"[^a-z0-9]+", "_", name))
        n = cfg["batch"] * (a.warmup + a.steps + 2)
        exe, compile_s, flags = prepare(name, cfg, work, n)
        mlc_med, torch_med, torch_threads, mlc_rss, torch_rss = [], [], [], [], []
        for _ in range(a.reps):
            steps = a.steps * cfg.get("repeat", 1)
            med, _, _, rss = run_mlc(exe, work, flags, cfg, a.warmup + steps)
            mlc_med.append(med)
            mlc_rss.append(rss)
            best = None
            for threads in (1, 2):
                r = run_torch(name, work, threads, steps, a.warmup)
                if best is None or r[0] < best[0][0]:
                    best = (r, threads)
            torch_med.append(best[0][0])
            torch_rss.append(best[0][3])
            torch_threads.append(best[1])
        speedup = statistics.median(torch_med) / statistics.median(mlc_med)
        flops = cfg.get("flops")
        def share(ms):
            return f"{100 * flops / (ms * 1e-3) / 1e9 / ceiling:.0f} %"
        pct = (f"{share(statistics.median(mlc_med))} / {share(statistics.median(torch_med))}"
               if flops else "-")
        row = (f"| {name} | {compile_s:.1f} | {fmt3(mlc_med)} | {fmt3(torch_med)} "
               f"({max(set(torch_threads), key=torch_threads.count)} thr) | {speedup:.2f}x | {pct} | "
               f"{max(mlc_rss) / 1024:.0f} / {max(torch_rss) / 1024:.0f} |")
        print(row, flush=True)
        rows.append(row)
    table = ("| model | mlc compile (s) | mlc ms/step min / median / max | PyTorch eager ms/step "
             "min / median / max (threads) | PyTorch / mlc | % of GEMM ceiling mlc / PyTorch | peak RSS "
             "MiB mlc / PyTorch |\n|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    header = (f"Measured {datetime.date.today()} on {os.uname().nodename} ({os.cpu_count()} cores); "
              f"{blas()}; float32 GEMM ceiling {ceiling:.1f} GFLOP/s; {peak_text}; {a.reps} repetitions of "
              f"{a.steps} steps after {a.warmup} warm-up steps (the small models {a.steps} x their "
              f"`repeat` in bench/models.py, over the same data); torch.compile: "
              f"{'available' if hasattr(torch, 'compile') else 'not in this PyTorch (1.13)'}.\n")
    print(header)
    if a.out:
        text = open(a.out).read() if os.path.exists(a.out) else ""
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        block = f"{begin}\n{header}\n{table}{end}"
        if begin in text:
            text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
        else:
            text += "\n" + block + "\n"
        open(a.out, "w").write(text)


if __name__ == "__main__":
    main()
