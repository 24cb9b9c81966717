#!/usr/bin/env bash
# SIGINT reaches a large run quickly: the Liu toy at p = 500 (125,205 test samples, ~290 MiB,
# one evaluation ~13 s here: the MSE head compares each output with 999 targets) stops within 3 s
# of the signal, during the first evaluation; at p = 300 after a few evaluations, the run is
# stored as interrupted with every evaluation it finished (an interrupted run is trained again by the next `train` or `sweep`). Before, the
# parallelograms of RQI took ~40 s to list before the first step, deaf to the signal, and an
# evaluation ran to its end.
# usage: interrupt_large.sh GENEFT
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2> /dev/null; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
source "$(dirname "$0")/sweep_common.sh"  # check, passed, failed
small=(--set model.width=32 --set model.depth=1 --set model.embed_dim=8 --set train.steps=2000 --set train.eval_every=1)

# interrupt NAME SECONDS SETTINGS...: start the run, SIGINT after SECONDS, check it ends within 3 s
interrupt() {
  local name=$1 after=$2
  shift 2
  "$geneft" train examples/liu2022-toy.toml --db "$work/$name.db" "${small[@]}" "$@" > "$work/$name.out" 2>&1 &
  local pid=$! t0 waited
  sleep "$after"
  t0=$(date +%s.%N)
  kill -INT $pid
  for _ in $(seq 100); do kill -0 $pid 2> /dev/null || break; sleep 0.05; done  # at most 5 s
  waited=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.2f}')")
  check "$name: the run stops within 3 s of SIGINT (${waited} s)" python3 -c "import sys; sys.exit($waited > 3)"
  kill -9 $pid 2> /dev/null
  wait $pid
  check "$name: the run is stored as interrupted" stored_as_interrupted "$work/$name.db"
}
stored_as_interrupted() { "$geneft" runs "$1" 2> /dev/null | grep -qE "^[0-9a-f]{16} +interrupted "; }

interrupt early 1.5 --set task.p=500  # during the first evaluation (about 13 s here)
interrupt later 6 --set task.p=300 --set model.target_dim=4  # after some evaluations (1-2 s each): they are kept
id=$("$geneft" runs "$work/later.db" 2> /dev/null | grep -oE '^[0-9a-f]{16}')
stored=$("$geneft" export "$work/later.db" --run "$id" 2> /dev/null | tail -n +2 | wc -l)
check "the evaluations before the signal are stored ($stored)" test "$stored" -ge 1
check "the summary says where it stopped" grep -q "interrupted at step" "$work/later.out"

echo "interrupt_large: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
