#!/usr/bin/env bash
# geneft llc / llc-calibrate: λ̂ at a run's checkpoints (stored, with a figure), validation
# models, and bad input (each a clear error, exit status 2).
set -uo pipefail
geneft=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
source "$(dirname "$0")/expect_error.sh"

small=(--set train.steps=40 --set train.eval_every=10 --set model.width=16 -q)
"$geneft" train examples/liu2022-toy.toml --db "$work/s.db" "${small[@]}" --set train.checkpoint_every=2 > "$work/train.txt" || fail "train with checkpoints"
id=$(awk '/^run/ {print $2}' "$work/train.txt")
"$geneft" train examples/liu2022-toy.toml --db "$work/s.db" "${small[@]}" --set seed=1 > "$work/train0.txt" || fail "train without checkpoints"
id0=$(awk '/^run/ {print $2}' "$work/train0.txt")

sampler=(--chains 2 --draws 20 --burn-in 10 --threads 2)
out=$(cd "$work" && "$geneft" llc s.db --run "$id" --checkpoints all "${sampler[@]}" --figure llc 2>&1) || fail "llc over checkpoints: $out"
grep -q "^        40 " <<< "$out" || fail "llc table has no row for step 40: $out"
[ -s "$work/llc.png" ] && [ -s "$work/llc.svg" ] || fail "llc figure missing"
rows=$(sqlite3 "$work/s.db" "SELECT count(*) FROM llc_estimates" 2>/dev/null || echo skip)
[ "$rows" = skip ] || [ "$rows" = 3 ] || fail "expected 3 stored estimates (steps 0, 20, 40), got $rows"

out=$("$geneft" llc --model normal-crossing --k 1 --h 0 --chains 2 --burn-in 1000 --draws 200 --thin 10 2>&1) || fail "validation model: $out"
grep -q "true λ     0.5000" <<< "$out" || fail "normal crossing true λ not printed: $out"
out=$(cd "$work" && "$geneft" llc-calibrate --model rrr --input 3 --hidden 2 --output 3 --rank 1 --epsilons 1e-4,5e-4 \
      --nbetas 100 --chains 2 --draws 50 --burn-in 50 --figure cal 2>&1) || fail "calibrate: $out"
[ -s "$work/cal.png" ] || fail "calibration figure missing"

expect_error no_checkpoints "has no checkpoints" -- "$geneft" llc "$work/s.db" --run "$id0"
expect_error missing_step "no checkpoint at step 30 (checkpoint steps: 0,20,40)" -- "$geneft" llc "$work/s.db" --run "$id" --checkpoints 30
expect_error epsilon "epsilon = 0 is out of range" -- "$geneft" llc --model normal-crossing --k 1 --epsilon 0
expect_error nbeta "nbeta = -5" -- "$geneft" llc --model normal-crossing --k 1 --nbeta -5
expect_error rank "rank 4 is out of range" -- "$geneft" llc --model rrr --input 5 --hidden 3 --output 5 --rank 4
expect_error dln_shape "rank 3 is out of range: allowed \[0, 2\]" -- "$geneft" llc --model dln --widths 4,2,4 --rank 3
expect_error dln_one_width "needs at least 2 widths" -- "$geneft" llc --model dln --widths 4
expect_error h_count "--h has 1 values but --k has 2" -- "$geneft" llc --model normal-crossing --k 1,2 --h 0
expect_error calib_eps "--epsilons value" -- "$geneft" llc-calibrate --model rrr --input 3 --hidden 2 --output 3 --epsilons 0,1e-4
expect_error both "either a store and --run, or --model" -- "$geneft" llc "$work/s.db" --run "$id" --model rrr

[ $failed -eq 0 ] && echo "llc command line: all passed"
exit $failed
