#!/usr/bin/env bash
# geneft theory: numbers for the tasks it has a theory for, a clear error (naming the supported
# tasks) for the others, and a figure without a store.
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=1; }

out=$("$geneft" theory datasize examples/geneft-relation.toml --splits 5 -o "$work/fig" 2>&1) || fail "datasize on rel_equiv: $out"
grep -q "log2 S(30, 3)" <<< "$out" || fail "datasize prints the exact Stirling count: $out"
grep -q "critical train fraction m_c/n^2 = 0.11" <<< "$out" || fail "datasize critical fraction: $out"
[ -f "$work/fig/geneft-relation-datasize.png" ] || fail "datasize figure missing"

out=$("$geneft" theory datasize examples/liu2022-toy.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "supports rel_equiv, rel_greater, rel_bipartite" <<< "$out"; } || fail "datasize on plain_add (exit $rc): $out"

out=$("$geneft" theory parallelograms examples/geneft-relation.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "supports plain_add" <<< "$out"; } || fail "parallelograms on rel_equiv (exit $rc): $out"

out=$("$geneft" theory repons examples/modadd-grokking.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "supports rel_equiv and rel_bipartite" <<< "$out"; } || fail "repons on mod_add (exit $rc): $out"

out=$("$geneft" theory parallelograms examples/liu2022-toy.toml --sets 20 -o "$work/fig" 2>&1) || fail "parallelograms: $out"
grep -q "70 parallelograms in all" <<< "$out" || fail "parallelograms count: $out"

out=$("$geneft" theory goldilocks examples/liu2022-toy.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "needs a sweep file" <<< "$out"; } || fail "goldilocks on a run config (exit $rc): $out"

out=$("$geneft" theory repons examples/geneft-datasize-mod3.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "sweep over optim.encoder_lr and optim.decoder_lr" <<< "$out"; } || fail "repons on a data-size sweep (exit $rc): $out"

out=$("$geneft" theory boundaries examples/geneft-datasize-mod3.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "needs sweeps over optim.decoder_lr" <<< "$out"; } || fail "boundaries on a data-size sweep (exit $rc): $out"

# theory only (no store): the toy's two-repon prediction from its own init laws (fan-in 1), no
# many-repon (no classes), a CSV and no figure
out=$("$geneft" theory boundaries examples/geneft-boundary-toy.toml --db "$work/none.db" --mc-samples 20000 -o "$work/fig" 2>&1) \
  || fail "boundaries theory only: $out"
grep -q "two-repon Monte Carlo 0.69" <<< "$out" || fail "boundaries: the toy's two-repon offset: $out"
grep -q "many-repon: none" <<< "$out" || fail "boundaries: no many-repon for plain_add: $out"
grep -q "^\"plain_add (n = 10, d = 1) \[geneft-boundary-toy\]\",0,0,0,0," "$work/fig/lr-boundaries.csv" || fail "boundaries CSV: $(cat "$work/fig/lr-boundaries.csv")"

out=$("$geneft" theory repon-trajectories examples/geneft-boundary-greater.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "supports rel_equiv" <<< "$out"; } || fail "repon-trajectories on rel_greater (exit $rc): $out"
out=$("$geneft" theory repon-trajectories examples/geneft-relation.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "needs a sweep over optim.decoder_lr" <<< "$out"; } || fail "repon-trajectories on a run config (exit $rc): $out"

# a tiny sweep with embeddings: the initial state rebuilt from each run's seed is the stored one
cat > "$work/traj.toml" <<EOF
[sweep]
name = "traj"
base = "$PWD/examples/geneft-relation.toml"
seeds = 1
[[sweep.axis]]
key = "optim.encoder_lr"
values = [1e-2]
[[sweep.axis]]
key = "optim.decoder_lr"
values = [1e-3, 1e-1]
[train]
steps = 300
eval_every = 100
EOF
"$geneft" sweep "$work/traj.toml" --db "$work/traj.db" --jobs 1 -q >/dev/null 2>&1 || fail "tiny trajectory sweep"
out=$("$geneft" theory repon-trajectories "$work/traj.toml" --db "$work/traj.db" -o "$work/fig" 2>&1) || fail "repon-trajectories: $out"
grep -q "match the stored step-0 frame to 0$" <<< "$out" || fail "repon-trajectories: initial state rebuilt from the seed: $out"
[ "$(wc -l < "$work/fig/traj-repon-trajectories.csv")" -eq 3 ] || fail "repon-trajectories CSV: one line per run"

# a sweep over another axis is split by its values, each part with its own prediction
cat > "$work/gas.toml" <<EOF
[sweep]
name = "gas"
base = "$PWD/examples/geneft-relation.toml"
seeds = 1
[[sweep.axis]]
key = "task.n"
values = [6, 9]
[[sweep.axis]]
key = "optim.decoder_lr"
values = [1e-4, 1e-1]
[train]
steps = 100
eval_every = 50
store_embeddings = false
EOF
"$geneft" sweep "$work/gas.toml" --db "$work/gas.db" --jobs 1 -q >/dev/null 2>&1 || fail "tiny repon-gas sweep"
out=$("$geneft" theory boundaries "$work/gas.toml" --db "$work/gas.db" --samples 2 --decoder-rows 2 --mc-samples 1000 -o "$work/fig" 2>&1) \
  || fail "boundaries split by task.n: $out"
{ grep -q "^mod 3 (n = 6, d = 2): 2 runs" <<< "$out" && grep -q "^mod 3 (n = 9, d = 2): 2 runs" <<< "$out"; } || fail "boundaries: one part per task.n: $out"
# the same parts as repon gases (open question 5): density n / 1, both predictions, CSV, JSON, figure
out=$("$geneft" theory repon-gas "$work/gas.toml" --db "$work/gas.db" --samples 2 --closed-samples 50 --decoder-rows 2 -o "$work/fig" 2>&1) \
  || fail "repon-gas: $out"
{ grep -q "^mod 3 (n = 6, d = 2) *6 *2 *6 *2 (" <<< "$out" && grep -q "^2 .* ± " <<< "$out"; } || fail "repon-gas table and trend: $out"
[ "$(wc -l < "$work/fig/repon-gas.csv")" -eq 3 ] || fail "repon-gas CSV: one line per gas: $(cat "$work/fig/repon-gas.csv")"
/usr/bin/python3 -c 'import json,sys; g=json.load(open(sys.argv[1]))["gases"]; assert [x["repons"] for x in g]==[6,9] and g[0]["density"]==6' \
  "$work/fig/repon-gas.json" || fail "repon-gas JSON: $(cat "$work/fig/repon-gas.json")"
[ -f "$work/fig/repon-gas.png" ] || fail "repon-gas figure"
out=$("$geneft" theory repon-gas examples/geneft-boundary-toy.toml --db "$work/none.db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "nodes fall into classes" <<< "$out"; } || fail "repon-gas on the toy (exit $rc): $out"
out=$("$geneft" theory grok-time examples/modadd-grokking.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "measures a sweep over weight decay" <<< "$out"; } || fail "grok-time on a run config (exit $rc): $out"

out=$("$geneft" theory grok-time examples/omnigrok-grok-time.toml --db "$work/none.db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "no finished runs of sweep omnigrok-grok-time" <<< "$out"; } || fail "grok-time without a store (exit $rc): $out"

out=$("$geneft" theory grok-time examples/omnigrok-grok-time.toml --w-c -3 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "w-c = -3 is out of range" <<< "$out"; } || fail "grok-time --w-c -3 (exit $rc): $out"
# The open questions (docs/theory.md): wrong sweeps are clear errors; tiny versions of the example
# sweeps (a few steps each) give numbers and figures from a store.
out=$("$geneft" theory stripes examples/geneft-datasize-mod3.toml --db "$work/none.db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "needs a sweep over two axes" <<< "$out"; } || fail "stripes on a one-axis sweep (exit $rc): $out"
out=$("$geneft" theory induction-gap examples/geneft-lr-phase.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "needs a sweep over task.train_fraction" <<< "$out"; } || fail "induction-gap on an lr sweep (exit $rc): $out"
out=$("$geneft" theory goldilocks-edges examples/geneft-datasize-mod3.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "model.width or model.depth" <<< "$out"; } || fail "goldilocks-edges on a data-size sweep (exit $rc): $out"
out=$("$geneft" theory goldilocks-edges examples/geneft-zone-depth.toml --db "$work/empty.db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "no runs of sweep" <<< "$out"; } || fail "goldilocks-edges without runs (exit $rc): $out"
for s in geneft-stripes geneft-gap-mod3-depth geneft-zone-depth; do
  "$geneft" sweep examples/$s.toml --db "$work/oq.db" --set train.steps=20 --set train.eval_every=10 --jobs 2 -q >/dev/null 2>&1 ||
    fail "tiny sweep $s"
done
out=$("$geneft" theory stripes --sweep geneft-stripes --db "$work/oq.db" -o "$work/fig" 2>&1) || fail "stripes: $out"
{ grep -q "seed per column" <<< "$out" && [ -f "$work/fig/geneft-stripes-stripes.png" ]; } || fail "stripes output: $out"
out=$("$geneft" theory induction-gap --sweep geneft-gap-mod3-depth --db "$work/oq.db" --splits 5 -o "$work/fig" 2>&1) ||
  fail "induction-gap: $out"
{ grep -q "oracle learner, rel_equiv n=30 k=3" <<< "$out" && [ -f "$work/fig/induction-gap.png" ]; } || fail "induction-gap output: $out"
out=$("$geneft" theory goldilocks-edges examples/geneft-zone-depth.toml --db "$work/oq.db" -o "$work/fig" 2>&1) ||
  fail "goldilocks-edges: $out"
{ grep -q "predicted lower edge depth 1" <<< "$out" && [ -f "$work/fig/goldilocks-edges.png" ]; } || fail "goldilocks-edges output: $out"

exit $failed
