#!/usr/bin/env bash
# Where the transformer's step spends its time, per call site of Transformer::forward and
# ::backward (docs/performance.md, "The transformer"): linux-perf over `transformer_step`
# (per-symbol path) built with frame pointers and without sibling calls, so that a sample in a
# libxsmm JIT kernel (which has no symbols) is charged to the line that called it.
# usage: bench/profile_transformer.sh [steps]     (default 20; builds into build-prof/, the first
#        time all of geneft_lib with debug information: minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-20}
cmake -S . -B build-prof -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  -DCMAKE_CXX_FLAGS="-g -fno-omit-frame-pointer -fno-optimize-sibling-calls" > /dev/null
cmake --build build-prof -j2 --target transformer_step > /dev/null
data=$(mktemp /tmp/transformer-perf.XXXXXX)
trap 'rm -f "$data"' EXIT
perf record -q -F 999 -g -o "$data" build-prof/transformer_step 113 0.3 "$steps" symbol
perf script -i "$data" -F ip,sym,dso 2> /dev/null | python3 bench/perf_fold.py build-prof/transformer_step src/nn/models/transformer.h
