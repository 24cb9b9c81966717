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

cat > "$work/lr.toml" <<TOML
[sweep]
name = "tiny lr"
base = "$PWD/examples/geneft-relation.toml"
seeds = 1
[[sweep.axis]]
key = "optim.encoder_lr"
log_range = [1e-3, 1e-2, 2]
[[sweep.axis]]
key = "optim.decoder_lr"
log_range = [1e-3, 1e-2, 2]
[train]
steps = 200
TOML
"$geneft" sweep "$work/lr.toml" --db "$db" -q > /dev/null || fail "sweep over two axes"
cat > "$work/lu.toml" <<TOML
[sweep]
name = "tiny-lu"
base = "$PWD/examples/omnigrok-teacher-student.toml"
seeds = 1
[[sweep.axis]]
key = "model.init_scale"
log_range = [0.5, 2.0, 3]
[train]
fixed_norm = "all"
steps = 30
eval_every = 10
TOML
"$geneft" sweep "$work/lu.toml" --db "$db" -q > /dev/null || fail "sweep over the init scale at fixed norm"
# The open questions' sweeps, tiny: a second relation's learning-rate grid (question 2 compares
# boundaries across tasks; greater-than has no classes, so no many-repon simulation to pay for;
# "tiny lr" stores embeddings for question 1 and is question 6's diagram), a data-size sweep of
# decoders (question 3) and a zone sweep (question 4).
sed -e 's/^name = "tiny lr"/name = "tiny lr greater"/' -e 's/^steps = 200/steps = 200\n[task]\nkind = "rel_greater"/' \
  "$work/lr.toml" > "$work/lr2.toml"
cat > "$work/gap.toml" <<TOML
[sweep]
name = "tiny-gap"
base = "$PWD/examples/geneft-relation.toml"
seeds = 1
[[sweep.axis]]
key = "task.train_fraction"
values = [0.3, 0.6]
[[sweep.axis]]
key = "model.combiner"
values = ["concat", "sum"]
[[sweep.axis]]
key = "model.width"
values = [5, 10]
[train]
steps = 200
store_embeddings = false
TOML
cat > "$work/zone.toml" <<TOML
[sweep]
name = "tiny-zone"
base = "$PWD/examples/geneft-relation.toml"
seeds = 1
[[sweep.axis]]
key = "task.train_fraction"
values = [0.3, 0.6]
[[sweep.axis]]
key = "model.width"
values = [2, 8]
[model]
depth = 1
[train]
steps = 200
store_embeddings = false
TOML
for f in lr2 gap zone; do "$geneft" sweep "$work/$f.toml" --db "$db" -q > /dev/null || fail "sweep $f"; done

before=$(sha256sum "$db")
out=$("$geneft" report "$db" -o "$work/report" --splits 5 --samples 5 --boundary-samples 1 2>&1) || fail "report: $out"
[ "$out" = "$work/report/index.html" ] || fail "report prints the page's path: $out"
grep -q "GenEFT statics" "$work/report/index.html" || fail "the data-size theory is in the report"
grep -q "Local learning coefficient over training" "$work/report/index.html" || fail "λ̂ over training is in the report"
grep -q "the LU landscape at fixed weight norm" "$work/report/index.html" || fail "the LU landscape is in the report"
for q in "1. Do repons move as the theory says? Sweep tiny lr<" "2. How does the slope of the phase boundary" \
         "3. Does a simpler decoder have a smaller induction gap" "4. What sets the width of the Goldilocks zone" \
         "6. Stripes in the phase diagram of sweep tiny lr<"; do
  grep -qF "<h3>$q" "$work/report/index.html" || fail "open question section: $q"
done
grep -q "6. Stripes in the phase diagram of sweep tiny lr greater" "$work/report/index.html" || fail "stripes of each 2-d log sweep"
grep -q "Stripes in the phase diagram of sweep tiny-gap" "$work/report/index.html" && fail "stripes of a sweep that is not a 2-d log grid"
grep -q 'href="#open-questions"' "$work/report/index.html" || fail "the open questions are linked from the contents"
grep -q "geneft theory datasize --sweep tiny-datasize --db $db" "$work/report/index.html" || fail "the regenerating command"
[ "$(sha256sum "$db")" = "$before" ] || fail "the report changed the store"

# Every command printed under a figure (but llc's, which samples and stores λ̂ again) redraws that
# figure, under the same name, the same bit for bit (gnuplot script, SVG and PNG).
mv "$work/report/fig" "$work/drawn"
mkdir "$work/report/fig"
grep -o 'regenerate: <code>[^<]*</code>' "$work/report/index.html" | sed -e 's/^regenerate: <code>//' -e 's/<\/code>$//' \
  -e "s/&quot;/\"/g; s/&#39;/'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\\&/g" | grep -v '^geneft llc ' | sort -u > "$work/commands"
grep -q "^geneft phase .* --name sweep[0-9]" "$work/commands" || fail "the phase diagram's command names its files"
[ "$(wc -l < "$work/commands")" -ge 5 ] || fail "commands to run: $(cat "$work/commands")"
for t in repon-trajectories boundaries induction-gap goldilocks-edges stripes; do
  grep -q "^geneft theory $t --sweep .* --name " "$work/commands" || fail "the $t section prints its command"
done
while read -r cmd; do
  out=$(geneft() { "$geneft" "$@"; }; eval "$cmd" 2>&1) || fail "the printed command failed: $cmd: $out"
done < "$work/commands"
for f in "$work/drawn"/*; do
  name=$(basename "$f")
  case $name in llc-*) continue ;; esac  # drawn by geneft llc
  cmp -s "$f" "$work/report/fig/$name" || fail "redrawn by its printed command, $name differs (or is missing)"
done
extra=$(cd "$work/report/fig" && for f in *; do [ -e "$work/drawn/$f" ] || echo "$f"; done)
[ -z "$extra" ] || fail "the printed commands wrote files the report does not have: $extra"
mv "$work/drawn" "$work/report/fig"
out=$("$geneft" report "$work/none.db" -o "$work/r2" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "no such store" <<< "$out" && [ ! -e "$work/none.db" ]; } || fail "report of a missing store (exit $rc): $out"
exit $failed
