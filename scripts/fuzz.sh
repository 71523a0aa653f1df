#!/usr/bin/env bash
# Coverage-guided fuzzing of the frontend (lexer, parser, AST dump, Sema) with
# libFuzzer + ASan + UBSan.
#
#   scripts/fuzz.sh [SECONDS]          build, fuzz SECONDS (default 300), merge
#   scripts/fuzz.sh --build            only (re)build the fuzzer
#   scripts/fuzz.sh --repro FILE...    run the fuzzer binary on FILEs once each
#   scripts/fuzz.sh --minimize FILE    minimise a crashing input (60 s)
#
# The fuzzer is compiled directly with clang (no CMake, no MLIR) into
# $BUILD_DIR (default build-fuzz/). Fuzzing runs one job on a scratch copy of
# fuzz/corpus plus examples/*.dsl and test/**/*.dsl; afterwards inputs that
# add coverage are merged back into fuzz/corpus (-merge=1), which the test
# suite replays (fuzz-corpus-replay). Exits 1 if the run found a crash, hang, leak,
# sanitizer report or out-of-memory, after printing the reproducer's path.
# Save a fixed reproducer under fuzz/corpus/regressions/ so it keeps being
# replayed.
#
# Environment: BUILD_DIR, CXX (default clang++-19), FUZZ_ARGS (extra libFuzzer
# flags, e.g. "-seed=1"), MERGE=0 (skip the merge), MAX_CORPUS (default 300).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-fuzz}
CXX=${CXX:-clang++-19}
FUZZER=$BUILD_DIR/mlc-frontend-fuzzer
CORPUS=$ROOT/fuzz/corpus
DICT=$ROOT/fuzz/dsl.dict
MAX_CORPUS=${MAX_CORPUS:-300}
# -max_len keeps inputs (and the corpus) small; -timeout turns a hang into a
# reported bug; -rss_limit_mb catches runaway memory.
COMMON=(-max_len=4096 -timeout=5 -rss_limit_mb=2048)

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

build() {
  mkdir -p "$BUILD_DIR"
  local sources=("$ROOT"/fuzz/FrontendFuzzer.cpp "$ROOT"/frontend/lib/*.cpp)
  local newer
  # Rebuilt when a source, a header or this script (the flags) changed.
  newer=$(find "${sources[@]}" "$ROOT"/frontend/include "${BASH_SOURCE[0]}" \
            -newer "$FUZZER" -print -quit 2>/dev/null || true)
  if [[ -x $FUZZER && -z $newer ]]; then
    return 0
  fi
  if ! command -v "$CXX" >/dev/null; then
    echo "fuzz.sh: $CXX not found; set CXX to a clang++ with libFuzzer" >&2
    exit 2
  fi
  echo "fuzz.sh: building $FUZZER"
  # FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (the OSS-Fuzz convention) lowers
  # Sema's work limit so that worst cases fit in -timeout under sanitizers.
  "$CXX" -std=c++17 -g -O1 -fno-omit-frame-pointer -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I "$ROOT/frontend/include" "${sources[@]}" -lfmt -o "$FUZZER.tmp"
  mv "$FUZZER.tmp" "$FUZZER"
}

# Sanitizer options: a leak, stack overflow or UB report is a failure.
# (detect_stack_use_after_return would move frames off the stack and hide
# deep recursion, one of the bugs this finds.)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

case "${1:-}" in
-h|--help)
  usage
  exit 0
  ;;
--build)
  build
  exit 0
  ;;
--repro)
  shift
  [[ $# -gt 0 ]] || { usage >&2; exit 2; }
  build
  exec "$FUZZER" "${COMMON[@]}" "$@"
  ;;
--minimize)
  [[ $# -eq 2 ]] || { usage >&2; exit 2; }
  build
  out=$BUILD_DIR/artifacts/minimized-$(basename "$2")
  mkdir -p "$BUILD_DIR/artifacts"
  "$FUZZER" "${COMMON[@]}" -minimize_crash=1 -max_total_time=60 \
    -exact_artifact_path="$out" "$2" || true
  echo "fuzz.sh: minimised reproducer: $out"
  echo "fuzz.sh: once fixed, keep it: cp $out $CORPUS/regressions/<name>.dsl"
  exit 0
  ;;
-*)
  usage >&2
  exit 2
  ;;
esac

SECONDS_TO_RUN=${1:-300}
if ! [[ $SECONDS_TO_RUN =~ ^[0-9]+$ ]] || [[ $SECONDS_TO_RUN -eq 0 ]]; then
  usage >&2
  exit 2
fi

build

STAMP=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$BUILD_DIR/run-$STAMP
ARTIFACTS=$BUILD_DIR/artifacts/
mkdir -p "$RUN_DIR/corpus" "$ARTIFACTS" "$CORPUS"
LOG=$RUN_DIR/fuzz.log

# Scratch corpus: the checked-in corpus (regressions included), examples, and
# the test suite's DSL files, one seed per '# -----' chunk (--split-input-file)
# so that Sema sees valid programs next to each error case.
find "$CORPUS" -type f -exec cp -t "$RUN_DIR/corpus" {} +
cp "$ROOT"/examples/*.dsl "$RUN_DIR/corpus/"
n=0
while IFS= read -r -d '' f; do
  awk -v p="$RUN_DIR/corpus/test$n-" 'BEGIN { i = 0; f = p i ".dsl" }
    /^# -----/ { close(f); i++; f = p i ".dsl"; next }
    { print > f }' "$f"
  n=$((n + 1))
done < <(find "$ROOT/test" -name '*.dsl' -print0 2>/dev/null)
echo "fuzz.sh: fuzzing for ${SECONDS_TO_RUN}s, $(ls "$RUN_DIR/corpus" | wc -l) seed inputs," \
     "log in $LOG"

set +e
# shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
"$FUZZER" "$RUN_DIR/corpus" "${COMMON[@]}" -dict="$DICT" \
  -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS" ${FUZZ_ARGS:-} 2>&1 | tee "$LOG"
fuzz_rc=${PIPESTATUS[0]}
set -e

if [[ ${MERGE:-1} != 0 ]]; then
  # Adds only inputs that reach new edges (-use_counters=0: hit counts do not
  # count), smallest first; regressions/ counts as already there.
  "$FUZZER" -merge=1 -use_counters=0 "${COMMON[@]}" "$CORPUS" "$RUN_DIR/corpus" \
    >"$RUN_DIR/merge.log" 2>&1 || echo "fuzz.sh: merge failed, see $RUN_DIR/merge.log" >&2
  top=$(find "$CORPUS" -maxdepth 1 -type f | wc -l)
  if [[ $top -gt $MAX_CORPUS ]]; then
    # Too big: re-minimise the top level to a small set covering the same
    # edges. regressions/ is kept as it is.
    echo "fuzz.sh: $top inputs in fuzz/corpus, minimising"
    mkdir -p "$RUN_DIR/old" "$RUN_DIR/minimized"
    find "$CORPUS" -maxdepth 1 -type f -exec cp -t "$RUN_DIR/old" {} +
    if [[ -d $CORPUS/regressions ]]; then
      cp -r "$CORPUS/regressions" "$RUN_DIR/minimized/"
    fi
    if "$FUZZER" -set_cover_merge=1 -use_counters=0 "${COMMON[@]}" "$RUN_DIR/minimized" \
         "$RUN_DIR/old" >>"$RUN_DIR/merge.log" 2>&1; then
      find "$CORPUS" -maxdepth 1 -type f -delete
      find "$RUN_DIR/minimized" -maxdepth 1 -type f -exec cp -t "$CORPUS" {} +
    else
      echo "fuzz.sh: minimising failed, see $RUN_DIR/merge.log" >&2
    fi
    top=$(find "$CORPUS" -maxdepth 1 -type f | wc -l)
    if [[ $top -gt $MAX_CORPUS ]]; then
      echo "fuzz.sh: warning: fuzz/corpus still has $top inputs (MAX_CORPUS=$MAX_CORPUS)" >&2
    fi
  fi
  echo "fuzz.sh: fuzz/corpus has $(find "$CORPUS" -type f | wc -l) inputs," \
       "$(du -sb "$CORPUS" | cut -f1) bytes"
fi

if [[ $fuzz_rc -ne 0 ]]; then
  echo "fuzz.sh: FAILED (libFuzzer exit code $fuzz_rc); see $LOG" >&2
  grep -E 'Test unit written to|^SUMMARY' "$LOG" >&2 || true
  for f in $(grep -oE 'Test unit written to \S+' "$LOG" | awk '{print $5}' || true); do
    echo "fuzz.sh: reproduce: $FUZZER $f" >&2
    echo "fuzz.sh: minimise:  $0 --minimize $f" >&2
  done
  exit 1
fi
echo "fuzz.sh: no crash in ${SECONDS_TO_RUN}s"
