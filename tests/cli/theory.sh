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

out=$("$geneft" theory grok-time examples/modadd-grokking.toml 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "measures a sweep over weight decay" <<< "$out"; } || fail "grok-time on a run config (exit $rc): $out"

out=$("$geneft" theory grok-time examples/omnigrok-grok-time.toml --db "$work/none.db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "no finished runs of sweep omnigrok-grok-time" <<< "$out"; } || fail "grok-time without a store (exit $rc): $out"

out=$("$geneft" theory grok-time examples/omnigrok-grok-time.toml --w-c -3 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "w-c = -3 is out of range" <<< "$out"; } || fail "grok-time --w-c -3 (exit $rc): $out"

exit $failed
