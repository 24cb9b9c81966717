#!/usr/bin/env bash
# What live curves cost a run: the same run of the Liu toy trained with its eval points stored
# only at the end (--live-seconds -1), once a second (the default, 1) and at every eval step (0),
# each into a fresh store, the three interleaved so that the machine's load falls on all alike.
# Prints the median training time (the run's own wall clock) and process CPU time of each.
# Usage: bench/live_curve.sh [BUILD_DIR] [REPEATS] [STEPS]
set -euo pipefail
build=${1:-build}
repeats=${2:-5}
steps=${3:-10000}
geneft=$build/geneft
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

modes=(-1 1 0)
for ((r = 0; r < repeats; ++r)); do
  for live in "${modes[@]}"; do
    db=$work/run-$r-$live.db
    TIMEFORMAT="%U %S"
    { time "$geneft" train "$root/examples/liu2022-toy.toml" --set train.steps="$steps" --db "$db" -q \
        --live-seconds "$live" > "$work/out" 2> /dev/null; } 2> "$work/time"
    train_s=$(awk '/^steps/ {print $4}' "$work/out")
    cpu_s=$(awk '{print $1 + $2}' "$work/time")
    echo "$live $train_s $cpu_s" >> "$work/results"
  done
done

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
evals=$(( steps / 50 + 1 ))
echo "Liu toy, $steps steps, $evals eval points, $repeats runs per setting (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
printf "%-22s %16s %14s\n" "--live-seconds" "training s (med)" "CPU s (med)"
for live in "${modes[@]}"; do
  t=$(awk -v l="$live" '$1 == l {print $2}' "$work/results" | median)
  c=$(awk -v l="$live" '$1 == l {print $3}' "$work/results" | median)
  label=$live
  [ "$live" = -1 ] && label="-1 (only at the end)"
  [ "$live" = 1 ] && label="1 (default)"
  [ "$live" = 0 ] && label="0 (every eval step)"
  printf "%-22s %16.3f %14.3f\n" "$label" "$t" "$c"
done
