#!/usr/bin/python3
"""One benchmark configuration in PyTorch eager, in its own process (so its
peak RSS is its own): trains STEPS steps on the data bench/run.py wrote and
prints `median_ms min_ms max_ms peak_rss_kib` over the steps after WARMUP.

usage: torch_step.py CONFIG WORKDIR --threads T --steps S --warmup W [--device cuda]
"""
import argparse
import os
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import CONFIGS  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("work")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--device", default="cpu", help="cpu, or cuda (scripts/gpu-check.sh)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = CONFIGS[a.config]
    torch.manual_seed(0)
    model = cfg["model"]().to(a.device)
    if "freeze" in cfg:
        for name, p in model.named_parameters():
            p.requires_grad_(not name.startswith(cfg["freeze"]))
    opt = cfg["opt"]([p for p in model.parameters() if p.requires_grad])
    data = {k: torch.from_numpy(np.load(os.path.join(a.work, k + ".npy"))).to(a.device)
            for k in cfg["data"]}
    sync = torch.cuda.synchronize if a.device.startswith("cuda") else (lambda: None)
    b, n = cfg["batch"], next(iter(data.values())).shape[0]
    times, pos = [], 0
    for step in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        batch = {k: v[pos:pos + b] for k, v in data.items()}
        opt.zero_grad()
        loss = cfg["loss"](model, batch)
        loss.backward()
        opt.step()
        sync()  # a step's time includes its GPU work
        if step >= a.warmup:
            times.append(time.perf_counter() - t0)
        pos = pos + b if pos + 2 * b <= n else 0
    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{1e3 * times[len(times) // 2]:.4f} {1e3 * times[0]:.4f} {1e3 * times[-1]:.4f} {rss}")


if __name__ == "__main__":
    main()
