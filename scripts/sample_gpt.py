#!/usr/bin/python3
"""Generates text with a trained examples/gpt.dsl executable: repeatedly
runs `GPT predict` on the last 128 characters and appends a character drawn
from the predicted distribution at the last position (temperature T; 0 takes
the most likely one).

usage: sample_gpt.py GPT WEIGHTS PROMPT [CHARS] [TEMPERATURE]
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

exe, weights, prompt = sys.argv[1], sys.argv[2], sys.argv[3]
chars = int(sys.argv[4]) if len(sys.argv) > 4 else 200
temperature = float(sys.argv[5]) if len(sys.argv) > 5 else 0.5


def encode(text):
    return [0 if c == "\n" else ord(c) - 31 if " " <= c <= "~" else 1 for c in text]


def decode(ids):
    return "".join("\n" if i == 0 else chr(i + 31) for i in ids)


rng = np.random.default_rng(0)
ids = encode(prompt)
with tempfile.TemporaryDirectory() as tmp:
    inp, out = os.path.join(tmp, "tokens.npy"), os.path.join(tmp, "logits.npy")
    for _ in range(chars):
        window = ([1] * 128 + ids)[-128:]  # left-padded with spaces
        np.save(inp, np.array([window], np.int64))
        subprocess.run([exe, "predict", "--weights", weights, "--data", f"tokens={inp}",
                        "--out", out], check=True, stdout=subprocess.DEVNULL)
        logits = np.load(out)[0, -1].astype(np.float64)
        if temperature <= 0:
            nxt = int(logits.argmax())
        else:
            p = np.exp((logits - logits.max()) / temperature)
            nxt = int(rng.choice(len(p), p=p / p.sum()))
        ids.append(nxt)
print(decode(ids))
