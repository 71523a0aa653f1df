#!/usr/bin/python3
"""Character-level language-model data for examples/gpt.dsl from a text file
(default: the GPL-3 text every Debian machine has).

The 96 tokens: 0 is a newline, 1..95 are the printable ASCII characters
' '..'~'; other characters become spaces. Windows of 129 characters, one
every STRIDE characters: tokens = characters t..t+127, targets = t+1..t+128.
Also prints the unigram entropy of the text (the loss of a model that knows
only character frequencies) in nats, the unit of cross_entropy.

usage: text_data.py OUTDIR [TEXT] [STRIDE]
"""
import math
import os
import sys
from collections import Counter

import numpy as np


def encode(text):
    ids = []
    for c in text:
        ids.append(0 if c == "\n" else ord(c) - 31 if " " <= c <= "~" else 1)
    return np.array(ids, np.int64)


out = sys.argv[1] if len(sys.argv) > 1 else "."
path = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/common-licenses/GPL-3"
stride = int(sys.argv[3]) if len(sys.argv) > 3 else 32
os.makedirs(out, exist_ok=True)
ids = encode(open(path, encoding="utf-8", errors="replace").read())
starts = range(0, len(ids) - 129, stride)
np.save(os.path.join(out, "tokens.npy"), np.stack([ids[s:s + 128] for s in starts]))
np.save(os.path.join(out, "targets.npy"), np.stack([ids[s + 1:s + 129] for s in starts]))
counts = Counter(ids.tolist())
entropy = -sum(c / len(ids) * math.log(c / len(ids)) for c in counts.values())
print(f"{path}: {len(ids)} characters, {len(starts)} windows of 128 -> {out}/; "
      f"unigram entropy {entropy:.3f} nats")
