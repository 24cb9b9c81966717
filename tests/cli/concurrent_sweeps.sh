#!/usr/bin/env bash
# Two `geneft sweep` processes on one store at once share the work: every run is trained once
# (the trainings the two report add up to the grid), every run ends finished, none is left
# "running" and none trained twice; a completed run is never reverted.
set -uo pipefail
geneft=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/sweep_common.sh"

TINY_STEPS=1500 write_tiny_sweep "$work/tiny.toml" concurrent
"$geneft" sweep "$work/tiny.toml" --db "$work/s.db" --jobs 1 -q > "$work/a.txt" 2> "$work/a.err" &
a=$!
"$geneft" sweep "$work/tiny.toml" --db "$work/s.db" --jobs 1 -q > "$work/b.txt" 2> "$work/b.err" &
b=$!
wait $a; rc_a=$?
wait $b; rc_b=$?
check "both sweeps exit 0 ($rc_a, $rc_b: $(cat "$work/a.err" "$work/b.err"))" [ $rc_a -eq 0 -a $rc_b -eq 0 ]
trained() { awk '/^runs/ {print $3 + $5}' "$1"; }
total=$(($(trained "$work/a.txt") + $(trained "$work/b.txt")))
check "trainings add up to the grid: $total of $tiny_total ($(trained "$work/a.txt") + $(trained "$work/b.txt"))" [ "$total" -eq $tiny_total ]
check "every run finished once" [ "$(count_finished "$work/s.db")" -eq $tiny_total ]
check "both did work" [ "$(trained "$work/a.txt")" -gt 0 -a "$(trained "$work/b.txt")" -gt 0 ]
check "no claim left" [ "$(sqlite3 "$work/s.db" 'SELECT count(*) FROM run_claims')" = 0 ]

# A run is not trained while another live process holds it: claim every run for a live process
# (a sleeping shell), then a sweep with the claims lapsing when that process ends.
rm -f "$work/c.db"
"$geneft" sweep "$work/tiny.toml" --db "$work/c.db" --dry-run > "$work/ids.txt" 2> /dev/null
sleep 3 &
holder=$!
start=$(awk '{print $22}' /proc/$holder/stat)
"$geneft" train examples/liu2022-toy.toml --db "$work/c.db" --set train.steps=1 --set train.eval_every=1 -q > /dev/null
for id in $(cut -c1-16 "$work/ids.txt"); do
  sqlite3 "$work/c.db" "INSERT OR REPLACE INTO run_claims VALUES ('$id', '$(hostname)', $holder, '$start', 'x')"
done
t0=$(date +%s.%N)
"$geneft" sweep "$work/tiny.toml" --db "$work/c.db" --jobs 2 -q > "$work/c.txt" 2>&1
t1=$(date +%s.%N)
check "a sweep waits for runs a live process holds, then trains them ($(cat "$work/c.txt" | head -3))" \
  [ "$(count_finished "$work/c.db")" -eq $((tiny_total + 1)) ]
check "it waited for the holder ($(echo "$t1 - $t0" | bc) s)" [ "$(echo "$t1 - $t0 > 1.5" | bc)" = 1 ]

cat "$work/a.txt" "$work/b.txt" | grep ^runs
echo "concurrent_sweeps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
