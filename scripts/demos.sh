#!/usr/bin/env bash
# The transformer demos of docs/tutorial.md section 5 (after
# scripts/build.sh): the attention classifier on a task that needs
# attention, and gpt on the GPL-3 text with a sample of generated text.
# About 3 minutes of training on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MLC=$ROOT/build/bin/mlc
mkdir -p build/demos
cd build/demos

echo "== attention: does '3 then 7' occur anywhere in 32 tokens?"
/usr/bin/python3 "$ROOT/scripts/attention_data.py" att 16384 1024
"$MLC" compile "$ROOT/examples/attention.dsl" -o attention
./attention train --data tokens=att/train_tokens.npy --data label=att/train_label.npy \
  --save att.safetensors
./attention eval --weights att.safetensors --data tokens=att/test_tokens.npy \
  --data label=att/test_label.npy

echo "== gpt: a character-level language model of the GPL-3 text"
/usr/bin/python3 "$ROOT/scripts/text_data.py" gpl
"$MLC" compile "$ROOT/examples/gpt.dsl" -o gpt
./gpt train --data tokens=gpl/tokens.npy --data targets=gpl/targets.npy --save gpt.safetensors
/usr/bin/python3 "$ROOT/scripts/sample_gpt.py" ./gpt gpt.safetensors \
  "The GNU General Public License " 200 0.5
