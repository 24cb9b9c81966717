#!/usr/bin/env bash
# geneft report and the store-side options it relies on: theory --sweep NAME reads a sweep from
# the store, llc --skip-measured measures nothing twice, a report of a store, clear errors.
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=1; }
db=$work/r.db

cat > "$work/sweep.toml" <<TOML
[sweep]
name = "tiny-datasize"
base = "$PWD/examples/geneft-relation.toml"
seeds = 1
[[sweep.axis]]
key = "task.train_fraction"
values = [0.3, 0.6]
[train]
steps = 200
TOML
"$geneft" sweep "$work/sweep.toml" --db "$db" -q > /dev/null || fail "sweep"
out=$("$geneft" theory datasize --sweep tiny-datasize --db "$db" --splits 5 -o "$work/fig" 2>&1) || fail "theory --sweep: $out"
grep -q "network: 2 runs" <<< "$out" || fail "theory --sweep measures the stored runs: $out"
out=$("$geneft" theory datasize --sweep nope --db "$db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "no sweep named 'nope'" <<< "$out"; } || fail "theory --sweep of an unknown sweep (exit $rc): $out"
out=$("$geneft" theory datasize examples/geneft-relation.toml --sweep tiny-datasize --db "$db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "not both" <<< "$out"; } || fail "theory with a file and --sweep (exit $rc): $out"

set_llc=(--set train.steps=400 --set train.checkpoint_every=2 --set train.eval_every=100)
"$geneft" train examples/modadd-grokking-llc.toml "${set_llc[@]}" --db "$db" -q > /dev/null || fail "train with checkpoints"
id=$("$geneft" train examples/modadd-grokking-llc.toml "${set_llc[@]}" --print-config | awk '/^# run /{print $3}')
llc=(--chains 1 --burn-in 20 --draws 20 --figure "$work/llc")
out=$("$geneft" llc "$db" --run "$id" --checkpoints 0,200 --skip-measured "${llc[@]}" 2>&1) || fail "llc: $out"
out=$("$geneft" llc "$db" --run "$id" --checkpoints all --skip-measured "${llc[@]}" 2>&1) || fail "llc again: $out"
grep -q "1 checkpoint," <<< "$out" || fail "--skip-measured measures only step 400: $out"
out=$("$geneft" llc "$db" --run "$id" --skip-measured "${llc[@]}" 2>&1) || fail "llc a third time: $out"
grep -q "every checkpoint asked for has a stored" <<< "$out" || fail "--skip-measured with nothing left: $out"

before=$(sha256sum "$db")
out=$("$geneft" report "$db" -o "$work/report" --splits 5 --samples 5 2>&1) || fail "report: $out"
[ "$out" = "$work/report/index.html" ] || fail "report prints the page's path: $out"
grep -q "GenEFT statics" "$work/report/index.html" || fail "the data-size theory is in the report"
grep -q "Local learning coefficient over training" "$work/report/index.html" || fail "λ̂ over training is in the report"
grep -q "geneft theory datasize --sweep tiny-datasize --db $db" "$work/report/index.html" || fail "the regenerating command"
[ "$(sha256sum "$db")" = "$before" ] || fail "the report changed the store"
out=$("$geneft" report "$work/none.db" -o "$work/r2" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "no such store" <<< "$out" && [ ! -e "$work/none.db" ]; } || fail "report of a missing store (exit $rc): $out"
exit $failed
