#!/usr/bin/env python3
"""The prepared GPU check (issue 7): see scripts/gpu-check.sh for the usage.

prepare OUT (on a machine with mlc built, no GPU needed): for every model,
  compiles a --target cuda executable into OUT/<model>/, writes its data and
  trains the *CPU* executable (compiled in OUT/cpu/, removed at the end)
  for STEPS steps from the same seed, keeping its loss log as the
  reference. OUT then holds everything the GPU machine needs.
run OUT (on the GPU machine; Python's standard library only, PyTorch with
  CUDA optional): trains each GPU executable the same STEPS steps, compares
  the losses with the CPU's (1e-3 relative) and prints ms/step, next to
  PyTorch CUDA's when it is installed. Writes OUT/results.md.
"""
import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

# name: DSL, batch, data (name -> (dtype, per-sample shape, value limit)),
# the bench/models.py configuration PyTorch times (None: not benchmarked).
MODELS = {
    "digits-autoencoder": ("examples/digits/autoencoder.dsl", 64,
                           {"x": ("f32", (64,), 0)}, None),
    "attention": ("examples/attention.dsl", 32,
                  {"tokens": ("i64", (32,), 16), "label": ("i64", (), 2)}, None),
    "autoencoder-b64": ("examples/autoencoder.dsl", 64, {"x": ("f32", (1000,), 0)},
                        "autoencoder b64"),
    "autoencoder-b256": ("examples/autoencoder.dsl", 256, {"x": ("f32", (1000,), 0)},
                         "autoencoder b256"),
    "mlp-b128": ("bench/models/mlp.dsl", 128, {"x": ("f32", (784,), 0), "y": ("i64", (), 10)},
                 "mlp 784-512-512-10 b128"),
    "block-b32": ("bench/models/block.dsl", 32,
                  {"x": ("f32", (64, 128), 0), "y": ("f32", (64, 128), 0)},
                  "attention block b32"),
    "gpt-b16": ("examples/gpt.dsl", 16,
                {"tokens": ("i64", (128,), 96), "targets": ("i64", (128,), 96)}, "gpt b16"),
    # The fine-tunes start from an autoencoder pretrained here (FINETUNE).
    "finetune-frozen-b64": ("examples/classifier.dsl", 64,
                            {"x": ("f32", (1000,), 0), "y": ("i64", (), 10)},
                            "fine-tune frozen b64"),
    "finetune-full-b64": ("examples/classifier.dsl", 64,
                          {"x": ("f32", (1000,), 0), "y": ("i64", (), 10)},
                          "fine-tune full b64"),
}
# The fine-tunes: the checkpoint their DSL initializes the encoder from
# (`init ... from "ae.safetensors"`, read from the working directory),
# written by the CPU autoencoder; the full one without its `freeze` line.
FINETUNE = {"finetune-frozen-b64": False, "finetune-full-b64": True}  # unfreeze
RTOL = 1e-3


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def write_npy(path, dtype, shape, values):
    """A .npy file without numpy (the GPU machine may not have it)."""
    import struct
    descr = "<f4" if dtype == "f32" else "<i8"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join(f"{d}, " for d in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack(f"<{len(values)}{'f' if dtype == 'f32' else 'q'}", *values))


def finetune_dsl(dsl, tmp, unfreeze):
    """The classifier's DSL, beside a copy of the files it imports; without
    its `freeze` line for the full fine-tune."""
    src = open(dsl).read()
    out = os.path.join(tmp, "full" if unfreeze else "frozen")
    os.makedirs(out, exist_ok=True)
    for line in src.splitlines():
        if line.strip().startswith("import "):
            shutil.copy(os.path.join(os.path.dirname(dsl), line.split('"')[1]), out)
    if unfreeze:
        src = "\n".join(l for l in src.splitlines() if not l.strip().startswith("freeze ")) + "\n"
    path = os.path.join(out, os.path.basename(dsl))
    open(path, "w").write(src)
    return path


def pretrained(mlc, tmp):
    """ae.safetensors: the CPU autoencoder trained 20 steps (once)."""
    ckpt = os.path.join(tmp, "pretrain", "ae.safetensors")
    if os.path.exists(ckpt):
        return ckpt
    work = os.path.dirname(ckpt)
    os.makedirs(work, exist_ok=True)
    run([mlc, "compile", os.path.join(ROOT, "examples", "autoencoder.dsl"), "-o",
         os.path.join(work, "ae")])
    rng = random.Random(1)
    write_npy(os.path.join(work, "x.npy"), "f32", (256, 1000),
              [rng.gauss(0, 1) for _ in range(256 * 1000)])
    run([os.path.join(work, "ae"), "train", "--data", "x=x.npy", "--steps", "20", "--save",
         "ae.safetensors"], cwd=work)
    return ckpt


def prepare(a):
    mlc = os.path.join(ROOT, "build", "bin", "mlc")
    os.makedirs(a.out, exist_ok=True)
    meta = {"steps": a.steps, "target": a.target, "models": {}}
    for name in a.only or MODELS:
        dsl, batch, data, torch_cfg = MODELS[name]
        work = os.path.join(a.out, name)
        cpu = os.path.join(a.out, "cpu", name)
        os.makedirs(work, exist_ok=True)
        os.makedirs(cpu, exist_ok=True)
        dsl = os.path.join(ROOT, dsl)
        if name in FINETUNE:
            dsl = finetune_dsl(dsl, os.path.join(a.out, "cpu"), FINETUNE[name])
            for d in (work, cpu):
                shutil.copy(pretrained(mlc, os.path.join(a.out, "cpu")), d)
        t0 = time.perf_counter()
        run([mlc, "compile", dsl, "--target", a.target, "-o", os.path.join(work, "model")])
        compile_s = time.perf_counter() - t0
        run([mlc, "compile", dsl, "-o", os.path.join(cpu, "model")])
        rng = random.Random(0)
        n = 4 * batch + batch // 2  # a partial last batch too
        flags = []
        for key, (dtype, shape, limit) in data.items():
            count = n
            for d in shape:
                count *= d
            values = ([rng.gauss(0, 1) for _ in range(count)] if dtype == "f32"
                      else [rng.randrange(limit) for _ in range(count)])
            write_npy(os.path.join(work, key + ".npy"), dtype, (n,) + shape, values)
            flags += ["--data", f"{key}={key}.npy"]
        train = ["train", "--steps", str(a.steps), "--epochs", "1000", "--shuffle", "off",
                 "--seed", "1"] + flags
        for key in data:
            shutil.copy(os.path.join(work, key + ".npy"), cpu)
        run([os.path.join(cpu, "model")] + train + ["--log", "cpu.csv"], cwd=cpu)
        shutil.copy(os.path.join(cpu, "cpu.csv"), work)
        meta["models"][name] = {"train": train, "batch": batch, "torch": torch_cfg,
                                "compile_s": round(compile_s, 1)}
        print(f"{name}: compiled for {a.target} in {compile_s:.1f} s, CPU reference "
              f"{a.steps} steps")
    with open(os.path.join(a.out, "check.json"), "w") as f:
        json.dump(meta, f, indent=1)
    shutil.rmtree(os.path.join(a.out, "cpu"))  # the references are in <model>/cpu.csv
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(a.out) for f in fs)
    print(f"prepared {a.out} ({size / 2**20:.1f} MiB): run "
          f"'scripts/gpu-check.sh run {a.out}' on the GPU machine")


def compare(ref, got):
    a = list(csv.DictReader(open(ref)))
    b = list(csv.DictReader(open(got)))
    if len(a) != len(b):
        return float("inf")
    return max(abs(float(x["loss"]) - float(y["loss"])) / max(abs(float(x["loss"])), 1e-6)
               for x, y in zip(a, b))


def torch_ms(cfg, work, steps):
    """PyTorch CUDA ms/step for a bench/models.py configuration, or a reason."""
    code = ("import torch, sys; sys.exit(0 if torch.cuda.is_available() else 3)")
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True)
    if probe.returncode != 0:
        return None, "no PyTorch with CUDA"
    p = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "torch_step.py"), cfg, work,
                        "--device", "cuda", "--steps", str(steps), "--warmup", "5"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "failed"
    return float(p.stdout.split()[0]), ""


def run_check(a):
    meta = json.load(open(os.path.join(a.out, "check.json")))
    rows, ok = [], True
    begin = time.time()
    for name, m in meta["models"].items():
        if a.only and name not in a.only:
            continue
        work = os.path.join(a.out, name)
        cmd = [os.path.join(work, "model")] + m["train"] + ["--log", "gpu.csv"]
        if a.device is not None:
            cmd += ["--device", str(a.device)]
        if a.profile:
            cmd += ["--profile"]
        p = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        if p.returncode != 0:
            msg = (p.stderr.strip() or p.stdout.strip()).splitlines()
            print(f"{name}: FAILED: {' / '.join(msg[:3])}")
            rows.append(f"| {name} | failed | - | - | - |")
            ok = False
            continue
        diff = compare(os.path.join(work, "cpu.csv"), os.path.join(work, "gpu.csv"))
        if a.profile and "kernel time of" in p.stdout:
            print(p.stdout[p.stdout.index("kernel time of"):], end="")
        st = re.search(r"step time: median ([0-9.]+) ms", p.stdout)
        ms = float(st.group(1)) if st else float("nan")
        torch, why = (None, "not a bench model")
        if m["torch"]:
            torch, why = torch_ms(m["torch"], work, 20)
        passed = diff <= RTOL
        ok &= passed
        print(f"{name}: {meta['steps']} steps, loss max rel diff vs CPU {diff:.2e} "
              f"({'PASS' if passed else 'FAIL'}), {ms:.3f} ms/step"
              + (f", PyTorch CUDA {torch:.3f} ms/step" if torch else f" ({why})"))
        rows.append(f"| {name} | {diff:.1e} {'PASS' if passed else 'FAIL'} | {ms:.3f} | "
                    + (f"{torch:.3f} | {torch / ms:.2f}x |" if torch else f"- ({why}) | - |"))
    table = ("| model | loss vs CPU (max rel, tol 1e-3) | mlc ms/step | PyTorch CUDA ms/step "
             "| PyTorch / mlc |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(table)
    print(f"\n{table}\n{'all passed' if ok else 'FAILURES above'} in {time.time() - begin:.0f} s;"
          f" table in {os.path.join(a.out, 'results.md')}")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["prepare", "run"])
    ap.add_argument("out", nargs="?", default=os.path.join(ROOT, "build", "gpu-check"))
    ap.add_argument("--target", default="cuda", help="prepare: cuda (default) or opencl")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--only", nargs="*", choices=list(MODELS), default=[])
    ap.add_argument("--device", type=int, help="run: the GPU to use")
    ap.add_argument("--profile", action="store_true",
                    help="run: print each model's kernel times (every kernel waited for, "
                         "so ms/step is then not the plain step time)")
    a = ap.parse_args()
    a.out = os.path.abspath(a.out)  # the executables run with cwd= their folder
    if a.command == "prepare":
        prepare(a)
        return 0
    return run_check(a)


if __name__ == "__main__":
    sys.exit(main())
