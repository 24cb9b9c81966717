#!/usr/bin/env bash
# Runs drawn by geneft and by a PyTorch peer that draws them the authors' way, at two cells of
# Liu et al. 2022 Fig. 5a, 30 seeds each: phase frequencies (Fisher's exact test) and t_train
# (Kolmogorov-Smirnov). Prints a markdown table; the store and CSVs go to $WORK (default: a
# temporary folder). Usage: bench/liu2022/draws_bench.sh [path/to/geneft]
set -euo pipefail
cd "$(dirname "$0")/../.."
geneft=${1:-./build/geneft}
work=${WORK:-$(mktemp -d)}
nice -n 19 "$geneft" sweep bench/liu2022/draws.toml --jobs 1 --db "$work/draws.db" -q
"$geneft" export "$work/draws.db" --sweep liu2022-draws -o "$work/geneft.csv"
nice -n 19 /usr/bin/python3 bench/liu2022/draws_peer.py "$work/geneft.csv" --seeds 30 --out "$work/peer.csv"
