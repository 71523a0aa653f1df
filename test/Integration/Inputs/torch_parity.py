#!/usr/bin/python3
"""mlc's compiled training against PyTorch, step by step.

PyTorch builds the model (the same module names as the DSL, so its
state_dict names are mlc's), draws the initial weights with its default
initialization and writes them as safetensors; the mlc executable starts from
them (--init) and both train on the same batches in file order (--shuffle
off, the same last partial batch) with the same optimizer for K steps.
Reported: per-step loss relative difference (max over steps 1-20 and over
all steps) and the final weights' max abs / relative difference.
Pass: <= 1e-4 over the first 20 steps, <= 1e-3 over all, final weights
within 1e-4 absolute. (Adam moves a weight by up to ~lr = 1e-3 a step
whatever the gradient's size, so where a gradient is tiny its float32
rounding shows up in the weight at that scale: measured up to 4.6e-5 on the
attention model, 3e-3 relative to max(|w|, 1e-2).)

usage: torch_parity.py MLC MODEL WORKDIR [--steps K]
MODEL: digits_ae, digits_frozen, digits_full, attention, gpt
"""
import argparse
import math
import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compiled_vs_oracle import read_safetensors, run, write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
EXAMPLES = os.path.join(ROOT, "examples")


# --- The models, as the DSL writes them -------------------------------------

def mlp(*widths):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class DigitsAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = mlp(64, 32, 16, 8)
        self.decoder = mlp(8, 16, 32, 64)

    def forward(self, x):
        return self.decoder(self.encoder(x))


class DigitsClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.pretrained = DigitsAutoencoder()
        self.classifier = nn.Linear(8, 10)

    def forward(self, x):
        return self.classifier(self.pretrained.encoder(x))


def split_heads(x, h):
    n, t, d = x.shape
    return x.view(n, t, h, d // h).transpose(1, 2)


def merge_heads(x):
    n, h, t, dh = x.shape
    return x.transpose(1, 2).reshape(n, t, h * dh)


def attend(q, k, v, heads, causal):
    s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if causal:
        t = s.shape[-1]
        s = s.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool, device=s.device), 1), float("-inf"))
    return merge_heads(torch.softmax(s, dim=-1) @ v)


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        h = self.heads
        return self.o(attend(split_heads(self.q(x), h), split_heads(self.k(x), h),
                             split_heads(self.v(x), h), h, causal=False))


class EncoderBlock(nn.Module):
    def __init__(self, d, heads, hidden):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = SelfAttention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, hidden), nn.GELU(), nn.Linear(hidden, d))

    def forward(self, x):
        h = x + self.attn(self.ln1(x))
        return h + self.ffn(self.ln2(h))


class AttentionClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(16, 64)
        self.pos = nn.Embedding(32, 64)
        self.block = EncoderBlock(64, 4, 256)
        self.ln = nn.LayerNorm(64)
        self.head = nn.Linear(64, 2)

    def forward(self, tokens):
        h = self.block(self.embed(tokens) + self.pos(torch.arange(32)))
        return self.head(self.ln(h).mean(dim=1))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        a, h = self.ln1(x), self.heads
        y = attend(split_heads(self.q(a), h), split_heads(self.k(a), h),
                   split_heads(self.v(a), h), h, causal=True)
        x = x + self.o(y)
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(96, 64)
        self.pos = nn.Embedding(128, 64)
        self.blocks = nn.Sequential(Block(64, 4), Block(64, 4))
        self.ln_f = nn.LayerNorm(64)
        self.head = nn.Linear(64, 96)

    def forward(self, tokens):
        return self.head(self.ln_f(self.blocks(self.tok(tokens) + self.pos(torch.arange(128, device=tokens.device)))))


# --- The configurations ------------------------------------------------------

def digits_data(rng, n):
    return {"x": rng.random((n, 64), dtype=np.float32),
            "y": rng.integers(0, 10, size=n).astype(np.int64)}


def ce(logits, y):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


CONFIGS = {
    "digits_ae": dict(dsl="digits/autoencoder.dsl", model=DigitsAutoencoder, batch=64, n=300,
                      data=lambda r: {"x": r.random((300, 64), dtype=np.float32)},
                      loss=lambda m, d: F.mse_loss(m(d["x"]), d["x"]),
                      opt=lambda p: torch.optim.Adam(p, lr=0.003)),
    "digits_frozen": dict(dsl="digits/classifier.dsl", model=DigitsClassifier, batch=64, n=300,
                          data=lambda r: digits_data(r, 300), freeze="pretrained.encoder.",
                          loss=lambda m, d: ce(m(d["x"]), d["y"]),
                          opt=lambda p: torch.optim.Adam(p, lr=0.003)),
    "digits_full": dict(dsl="digits/classifier.dsl", model=DigitsClassifier, batch=64, n=300,
                        data=lambda r: digits_data(r, 300), unfreeze=True,
                        loss=lambda m, d: ce(m(d["x"]), d["y"]),
                        opt=lambda p: torch.optim.Adam(p, lr=0.003)),
    "attention": dict(dsl="attention.dsl", model=AttentionClassifier, batch=32, n=200,
                      data=lambda r: {"tokens": r.integers(0, 16, size=(200, 32)).astype(np.int64),
                                      "label": r.integers(0, 2, size=200).astype(np.int64)},
                      loss=lambda m, d: ce(m(d["tokens"]), d["label"]),
                      opt=lambda p: torch.optim.AdamW(p, lr=0.001, weight_decay=0.01)),
    "gpt": dict(dsl="gpt.dsl", model=GPT, batch=16, n=72,
                data=lambda r: {"tokens": r.integers(0, 96, size=(72, 128)).astype(np.int64),
                                "targets": r.integers(0, 96, size=(72, 128)).astype(np.int64)},
                loss=lambda m, d: ce(m(d["tokens"]), d["targets"]),
                opt=lambda p: torch.optim.AdamW(p, lr=0.001, betas=(0.9, 0.99),
                                                weight_decay=0.01)),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mlc")
    ap.add_argument("model", choices=sorted(CONFIGS))
    ap.add_argument("work")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    cfg = CONFIGS[a.model]
    os.makedirs(a.work, exist_ok=True)

    dsl = os.path.join(EXAMPLES, cfg["dsl"])
    if cfg.get("unfreeze"):  # the example without its `freeze` line
        src = open(dsl).read()
        for line in src.splitlines():
            if re.match(r"\s*import ", line):
                name = line.split('"')[1]
                open(os.path.join(a.work, name), "w").write(
                    open(os.path.join(os.path.dirname(dsl), name)).read())
        dsl = os.path.join(a.work, os.path.basename(dsl))
        open(dsl, "w").write("\n".join(l for l in src.splitlines()
                                       if not re.match(r"\s*freeze ", l)) + "\n")
    exe = os.path.join(a.work, "model")
    run([a.mlc, "compile", dsl, "-o", exe])

    torch.manual_seed(a.seed)
    model = cfg["model"]()
    init = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    write_safetensors(os.path.join(a.work, "init.safetensors"), init)
    data = cfg["data"](np.random.default_rng(a.seed))
    flags = []
    for name, v in data.items():
        np.save(os.path.join(a.work, name + ".npy"), v)
        flags += ["--data", f"{name}={os.path.join(a.work, name + '.npy')}"]

    log, final = os.path.join(a.work, "log.csv"), os.path.join(a.work, "final.safetensors")
    # The DSL's `init ... from` names a file of the workflow; --init replaces it.
    run([exe, "train", "--init", os.path.join(a.work, "init.safetensors"), "--steps",
         str(a.steps), "--epochs", "100000", "--batch-size", str(cfg["batch"]), "--shuffle", "off",
         "--log", log, "--save", final] + flags, cwd=a.work)
    mlc_loss = [float(l.split(",")[2]) for l in open(log).read().splitlines()[1:] if l]

    if "freeze" in cfg:
        for name, p in model.named_parameters():
            p.requires_grad_(not name.startswith(cfg["freeze"]))
    opt = cfg["opt"]([p for p in model.parameters() if p.requires_grad])
    tensors = {k: torch.from_numpy(v) for k, v in data.items()}
    n, b, pos, torch_loss = cfg["n"], cfg["batch"], 0, []
    for _ in range(a.steps):
        batch = {k: v[pos:pos + b] for k, v in tensors.items()}
        pos = pos + b if pos + b < n else 0
        opt.zero_grad()
        loss = cfg["loss"](model, batch)
        loss.backward()
        opt.step()
        torch_loss.append(loss.item())

    rel = [abs(m - t) / max(abs(t), 1e-12) for m, t in zip(mlc_loss, torch_loss)]
    first, all_ = max(rel[:20]), max(rel)
    trained = read_safetensors(final)
    w_abs = w_rel = 0.0
    for name, v in model.state_dict().items():
        d = np.abs(trained[name].astype(np.float64) - v.numpy().astype(np.float64))
        w_abs = max(w_abs, float(d.max()))
        w_rel = max(w_rel, float((d / np.maximum(np.abs(v.numpy()), 1e-2)).max()))
    for s in (0, 1, 2, 19, len(rel) - 1):
        if s < len(rel):
            print(f"step {s + 1}: mlc {mlc_loss[s]:.7g}  torch {torch_loss[s]:.7g}  rel {rel[s]:.1e}")
    ok = (len(mlc_loss) == len(torch_loss) == a.steps and first <= 1e-4 and all_ <= 1e-3
          and w_abs <= 1e-4)
    print(f"{a.model}: {a.steps} steps, max rel loss diff {first:.2e} (steps 1-20) "
          f"{all_:.2e} (all); final weights max abs diff {w_abs:.2e}, rel {w_rel:.2e}: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
