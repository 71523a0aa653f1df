"""The benchmark configurations: the DSL file mlc compiles, the same model in
PyTorch (module names as in the DSL, so state_dicts match), its data, loss,
optimizer and batch size. The example models' PyTorch versions are the
parity test's (test/Integration/Inputs/torch_parity.py)."""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "test", "Integration", "Inputs"))
from torch_parity import GPT, attend, mlp, split_heads  # noqa: E402


class Autoencoder(nn.Module):  # examples/autoencoder.dsl
    def __init__(self):
        super().__init__()
        w = [1000, 256, 128, 64, 32, 16, 8, 4, 2]
        self.encoder = mlp(*w)
        self.decoder = mlp(*reversed(w))

    def forward(self, x):
        return self.decoder(self.encoder(x))


class Classifier(nn.Module):  # examples/classifier.dsl
    def __init__(self):
        super().__init__()
        self.pretrained = Autoencoder()
        self.classifier = nn.Linear(2, 10)

    def forward(self, x):
        return self.classifier(self.pretrained.encoder(x))


class MLP(nn.Module):  # bench/models/mlp.dsl
    def __init__(self):
        super().__init__()
        self.body = mlp(784, 512, 512, 10)

    def forward(self, x):
        return self.body(x)


class Block(nn.Module):  # bench/models/block.dsl
    def __init__(self):
        super().__init__()
        d = 128
        self.ln1 = nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 512), nn.GELU(), nn.Linear(512, d))

    def forward(self, x):
        a = self.ln1(x)
        y = attend(split_heads(self.q(a), 4), split_heads(self.k(a), 4),
                   split_heads(self.v(a), 4), 4, causal=False)
        h = x + self.o(y)
        return h + self.ffn(self.ln2(h))


def ce(logits, y):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


def adam(lr):
    return lambda p: torch.optim.Adam(p, lr=lr)


def linear_flops(widths, batch, frozen_prefix=0):
    """Multiply-adds x 2 of a training step of an MLP: forward, input
    gradient (not for the first layer) and weight gradient (not for frozen
    layers)."""
    f = 0
    for i in range(len(widths) - 1):
        mac = batch * widths[i] * widths[i + 1]
        trainable = i >= frozen_prefix
        f += 2 * mac * (1 + (1 if i > 0 and trainable else 0) + (1 if trainable else 0))
    return f


def transformer_flops(batch, T, d, ffn, blocks, vocab=0):
    """Multiply-adds x 2 of a training step of pre-LN transformer blocks
    (and a vocabulary head): per position the q, k, v, o and FFN products,
    per sequence the scores (T x T x d) and their product with V; each
    product once forward and twice backward (both operands of every
    product need a gradient: the first ones read a layer norm's output)."""
    per_seq = blocks * (T * (4 * d * d + 2 * d * ffn) + 2 * T * T * d) + T * d * vocab
    return 2 * 3 * batch * per_seq


AE = [1000, 256, 128, 64, 32, 16, 8, 4, 2]
# repeat: the small models time `repeat` x --steps steps (cycling over the
# same --steps + 7 batches), so that one repetition lasts long enough
# (0.3-1 s of mlc) to ride out the machine's phases; the others --steps.
CONFIGS = {
    "autoencoder b64": dict(dsl="examples/autoencoder.dsl", model=Autoencoder, batch=64,
                            data={"x": ("f32", (1000,))}, loss=lambda m, d: F.mse_loss(m(d["x"]), d["x"]),
                            opt=adam(0.001), flops=linear_flops(AE + AE[-2::-1], 64), repeat=5),
    "autoencoder b256": dict(dsl="examples/autoencoder.dsl", model=Autoencoder, batch=256,
                             data={"x": ("f32", (1000,))}, loss=lambda m, d: F.mse_loss(m(d["x"]), d["x"]),
                             opt=adam(0.001), flops=linear_flops(AE + AE[-2::-1], 256), repeat=2),
    "mlp 784-512-512-10 b128": dict(dsl="bench/models/mlp.dsl", model=MLP, batch=128,
                                    data={"x": ("f32", (784,)), "y": ("i64", (), 10)},
                                    loss=lambda m, d: ce(m(d["x"]), d["y"]), opt=adam(0.001),
                                    flops=linear_flops([784, 512, 512, 10], 128), repeat=3),
    "fine-tune frozen b64": dict(dsl="examples/classifier.dsl", model=Classifier, batch=64,
                                 data={"x": ("f32", (1000,)), "y": ("i64", (), 10)},
                                 freeze="pretrained.encoder.", repeat=20,
                                 loss=lambda m, d: ce(m(d["x"]), d["y"]), opt=adam(0.001)),
    "fine-tune full b64": dict(dsl="examples/classifier.dsl", model=Classifier, batch=64,
                               data={"x": ("f32", (1000,)), "y": ("i64", (), 10)}, unfreeze=True,
                               repeat=5, loss=lambda m, d: ce(m(d["x"]), d["y"]), opt=adam(0.001)),
    "attention block b32": dict(dsl="bench/models/block.dsl", model=Block, batch=32,
                                data={"x": ("f32", (64, 128)), "y": ("f32", (64, 128))},
                                loss=lambda m, d: F.mse_loss(m(d["x"]), d["y"]), opt=adam(0.001),
                                flops=transformer_flops(32, 64, 128, 512, 1)),
    "gpt b16": dict(dsl="examples/gpt.dsl", model=GPT, batch=16,
                    data={"tokens": ("i64", (128,), 96), "targets": ("i64", (128,), 96)},
                    loss=lambda m, d: ce(m(d["tokens"]), d["targets"]),
                    opt=lambda p: torch.optim.AdamW(p, lr=0.001, betas=(0.9, 0.99),
                                                    weight_decay=0.01),
                    flops=transformer_flops(16, 128, 64, 256, 2, vocab=96)),
}
