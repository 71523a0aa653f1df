#!/usr/bin/env python3
"""Compares tensors of two safetensors files, read with json + struct only.

usage: compare_checkpoints.py A.safetensors B.safetensors PREFIX_A PREFIX_B
Prints, for every tensor of A named PREFIX_A..., whether B's PREFIX_B...
tensor is bitwise equal, and the largest absolute difference.
"""
import json
import struct
import sys


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        lo, hi = e["data_offsets"]
        out[name] = (e["shape"], struct.unpack(f"<{(hi - lo) // 4}f", data[lo:hi]))
    return out


a, b = load(sys.argv[1]), load(sys.argv[2])
pa, pb = sys.argv[3], sys.argv[4]
for name in sorted(a):
    if not name.startswith(pa):
        continue
    other = pb + name[len(pa):]
    shape, va = a[name]
    vb = b[other][1]
    diff = max(abs(p - q) for p, q in zip(va, vb))
    print(f"{other} {shape} {'same' if va == vb else 'changed'} max|diff| {diff:.3g}")
