#!/usr/bin/env bash
# A store written by main at df7f197 (tests/fixtures/store-df7f197: two runs and shard 1 of a
# six-run sweep) is opened, listed and resumed by this binary: the same runs under the same ids,
# nothing stored is trained again, the sweep trains only the three runs it lacks, and λ̂ is
# measured at an old checkpoint.
set -uo pipefail
geneft=$1
fixture=tests/fixtures/store-df7f197
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/sweep_common.sh"  # check, passed, failed, count_rows, count_finished
cp "$fixture"/run.toml "$fixture"/sweep.toml "$work"/
cp "$fixture"/store.db "$work"/old.db

"$geneft" runs "$work/old.db" > "$work/runs.txt" 2>/dev/null
check "the old store lists the runs main listed" diff -u "$fixture/runs.txt" "$work/runs.txt"
"$geneft" export "$work/old.db" --run b34fc9cf --format csv > "$work/before.csv"

"$geneft" train "$work/run.toml" --db "$work/old.db" > "$work/train.out" 2>&1
check "a stored run keeps its id and is not trained again" grep -q "run b34fc9cf17be70d6 is already in" "$work/train.out"

"$geneft" sweep "$work/sweep.toml" --db "$work/old.db" --jobs 2 > "$work/sweep.out" 2>&1
check "the sweep resumes: 3 trained, 3 already stored" grep -q "runs       6: 3 completed, 0 diverged now; 3 already stored" "$work/sweep.out"
check "the store holds the 5 old runs and 3 new ones" test "$(count_finished "$work/old.db")" -eq 8
"$geneft" sweep "$work/sweep.toml" --db "$work/old.db" --jobs 2 > "$work/again.out" 2>&1
check "a second resume trains nothing" grep -q "runs       6: 0 completed, 0 diverged now; 6 already stored" "$work/again.out"
"$geneft" export "$work/old.db" --run b34fc9cf --format csv > "$work/after.csv"
check "the old run's curve is untouched" cmp -s "$work/before.csv" "$work/after.csv"

"$geneft" llc "$work/old.db" --run b34fc9cf --checkpoints last --chains 2 --draws 50 --burn-in 10 --threads 1 \
  > "$work/llc.out" 2>&1
check "the old run's checkpoint loads into the model for λ̂" grep -qE "^ +300 +1.087 +3.495 +[0-9]" "$work/llc.out"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
