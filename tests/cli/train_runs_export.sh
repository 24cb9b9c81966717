#!/usr/bin/env bash
# The train -> runs -> export round trip of the README, on a small run.
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi
}
db="$work/r.db"
args=(examples/liu2022-toy.toml --db "$db" --set train.steps=40 --set train.eval_every=10 -q)

"$geneft" train "${args[@]}" > "$work/first" 2>&1
id=$(awk '/^run /{print $2}' "$work/first")
check "train prints a run id" test ${#id} -eq 16
check "train reports status" grep -q "^status     completed" "$work/first"

"$geneft" train "${args[@]}" > "$work/second" 2>&1
check "a complete run is not run again" grep -q "already in" "$work/second"
"$geneft" train "${args[@]}" --force > "$work/third" 2>&1
check "--force runs again" grep -q "^status     completed" "$work/third"

"$geneft" train "${args[@]}" --set seed=1 > /dev/null 2>&1
"$geneft" train "${args[@]}" --set optim.kind=sgd --set optim.encoder_lr=1e30 --set optim.decoder_lr=1e30 > "$work/div" 2>&1
check "divergence is reported" grep -q "^status     diverged at step" "$work/div"

"$geneft" runs "$db" > "$work/runs" 2> /dev/null
check "runs lists three runs" test "$(grep -c '^[0-9a-f]\{16\} ' "$work/runs")" -eq 3
check "runs shows the diverged run" grep -q " diverged " "$work/runs"

"$geneft" export "$db" --run "${id:0:6}" --format csv > "$work/curve.csv"
check "csv header" grep -q "^step,train_loss,test_loss,train_acc,test_acc,encoder_norm,decoder_norm,rqi,fourier_top_k,fourier_gini,weight_norm$" "$work/curve.csv"
check "csv has one row per eval (0,10,20,30,40)" test "$(wc -l < "$work/curve.csv")" -eq 6
"$geneft" export "$db" --run "$id" --format json --embeddings -o "$work/run.json"
check "json is valid and complete" python3 -c "
import json, sys
j = json.load(open('$work/run.json'))
assert j['id'] == '$id' and j['status'] == 'completed'
assert [p['step'] for p in j['curve']] == [0, 10, 20, 30, 40]
assert len(j['embeddings']) == 5 and j['embeddings'][0]['rows'] == 10
assert 'optim.decoder_lr = 1e-04' in j['config']
"
echo "train_runs_export: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
