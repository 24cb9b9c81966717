#!/usr/bin/env bash
# Live curves under a real kill -9: a run in flight has its eval points in the store (status
# "running", a partial curve that is the start of the full one); killed, it keeps them; trained
# again, its stored curve is bit for bit that of a run that never wrote live.
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
source "$(dirname "$0")/sweep_common.sh"  # check, passed, failed

run=(examples/liu2022-toy.toml --set train.steps=6000 --set train.eval_every=50 -q)
id=$("$geneft" train "${run[@]}" --print-config | head -1 | cut -d' ' -f3)
"$geneft" train "${run[@]}" --db "$work/ref.db" --live-seconds -1 > /dev/null
"$geneft" export "$work/ref.db" --run "$id" -o "$work/ref.csv"
check "the reference has 121 eval points" test "$(tail -n +2 "$work/ref.csv" | wc -l)" -eq 121

# every eval step written live; killed once a few points are in
"$geneft" train "${run[@]}" --db "$work/live.db" --live-seconds 0 > /dev/null &
pid=$!
points() { "$geneft" export "$work/live.db" --run "$id" 2> /dev/null | tail -n +2 | wc -l; }
for ((i = 0; i < 600 && $(points) < 3; ++i)); do sleep 0.05; done
kill -9 $pid
wait $pid 2> /dev/null
n=$(points)
check "killed part-way with a partial curve ($n of 121 points)" test "$n" -ge 3 -a "$n" -lt 121
check "the killed run is still 'running'" grep -qE "^$id +running " <("$geneft" runs "$work/live.db" 2> /dev/null)
"$geneft" export "$work/live.db" --run "$id" -o "$work/partial.csv" 2> "$work/note"
check "its partial curve is the start of the full one, bit for bit" cmp -s "$work/partial.csv" <(head -n $((n + 1)) "$work/ref.csv")
check "export says the curve is partial" grep -q "is running: its curve is partial" "$work/note"

# trained again (live, the default): the partial curve is replaced whole
"$geneft" train "${run[@]}" --db "$work/live.db" > /dev/null
check "trained again, it is completed" grep -qE "^$id +completed " <("$geneft" runs "$work/live.db" 2> /dev/null)
"$geneft" export "$work/live.db" --run "$id" -o "$work/final.csv" 2> "$work/note"
check "its stored curve is the reference's, bit for bit" cmp -s "$work/final.csv" "$work/ref.csv"
check "no partial note for a finished run" test ! -s "$work/note"

echo "live_curve: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
