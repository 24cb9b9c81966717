#!/usr/bin/env bash
# The main job: a study in one command, about five minutes on 2 cores (--quick: about a minute,
# for CI). Into one store it trains
#   - the Liu et al. 2022 toy (addition, 1-d embeddings) with its embeddings over training,
#   - a GenEFT data-size sweep of the relation task (theory: description length, oracle, f_UB),
#   - a learning-rate phase diagram of the relation task (theory: the repon boundary),
#   - a grokking run on (a+b) mod 31 with checkpoints, and λ̂ (LLC) at each checkpoint,
# then writes the HTML report and prints where it is. Run again, it reuses the store: runs and
# λ̂ estimates already there are not computed twice (only the report is redrawn).
#   scripts/main.sh [--quick]          store results.db, report in report/ (quick: results-quick.db, report-quick/)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=full
[ "${1:-}" = "--quick" ] && mode=quick
if [ "$mode" = quick ]; then
  db=results-quick.db out=report-quick study=examples/study/quick
  grok=(--set train.steps=2000 --set train.checkpoint_every=5)  # 5 checkpoints
  llc=(--chains 1 --burn-in 150 --draws 150)
  report=(--splits 20 --samples 8 --sets 50)
else
  db=results.db out=report study=examples/study
  grok=(--set train.checkpoint_every=8)                         # 11 checkpoints over 8000 steps
  llc=(--chains 2 --burn-in 500 --draws 500)
  report=()
fi
start=$SECONDS
./scripts/build.sh
geneft=./build/geneft
$geneft train examples/liu2022-toy.toml --db "$db" -q
$geneft sweep "$study/datasize.toml" --db "$db" -q
$geneft sweep "$study/lr-phase.toml" --db "$db" -q
$geneft train examples/modadd-grokking-llc.toml "${grok[@]}" --db "$db" -q
id=$($geneft train examples/modadd-grokking-llc.toml "${grok[@]}" --print-config | awk '/^# run /{print $3}')
mkdir -p "$out/fig"
$geneft llc "$db" --run "$id" --checkpoints all --skip-measured "${llc[@]}" --figure "$out/fig/llc-${id:0:8}"  # the figure the report draws
$geneft report "$db" -o "$out" "${report[@]}"
echo "main: study in $db, $((SECONDS - start)) s"
echo "report: $(realpath "$out/index.html")"
