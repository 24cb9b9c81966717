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
out=$("$geneft" theory grok-time examples/modadd-grokking.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "measures a sweep over weight decay" <<< "$out"; } || fail "grok-time on a run config (exit $rc): $out"

out=$("$geneft" theory grok-time examples/omnigrok-grok-time.toml --db "$work/none.db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "no finished runs of sweep omnigrok-grok-time" <<< "$out"; } || fail "grok-time without a store (exit $rc): $out"

out=$("$geneft" theory grok-time examples/omnigrok-grok-time.toml --w-c -3 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "w-c = -3 is out of range" <<< "$out"; } || fail "grok-time --w-c -3 (exit $rc): $out"

exit $failed
