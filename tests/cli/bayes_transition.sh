#!/usr/bin/env bash
# geneft bayes-transition: a small study stored and drawn, the study file, bad input.
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
source "$(dirname "$0")/expect_error.sh"

small=(--ns 100,400 --datasets 1 --chains 2 --replicas 4 --burn-in 200 --draws 100 --thin 2 --reference-n 1000
       --llc-chains 2 --llc-burn-in 300 --llc-draws 300 --threads 2)
out=$("$geneft" bayes-transition "${small[@]}" --db "$work/s.db" -o "$work/fig" 2>&1) || fail "small study: $out"
grep -q "one node" <<< "$out" && grep -q "n_c " <<< "$out" && grep -q "R̂" <<< "$out" || fail "table: $out"
[ -s "$work/fig/bayes-transition.png" ] && [ -s "$work/fig/bayes-transition.csv" ] || fail "figure or table missing"
[ "$(wc -l < "$work/fig/bayes-transition.csv")" = 3 ] || fail "csv rows: $(cat "$work/fig/bayes-transition.csv")"
if command -v sqlite3 > /dev/null; then
  [ "$(sqlite3 "$work/s.db" 'SELECT count(*) FROM bayes_transition_points')" = 2 ] || fail "stored points"
  [ "$(sqlite3 "$work/s.db" 'PRAGMA user_version')" = 8 ] || fail "schema version"
fi
# the same settings again: the same study id, replaced, not added
"$geneft" bayes-transition "${small[@]}" --db "$work/s.db" -o "$work/fig" > /dev/null 2>&1 || fail "second run"
if command -v sqlite3 > /dev/null; then
  [ "$(sqlite3 "$work/s.db" 'SELECT count(*) FROM bayes_transitions')" = 1 ] || fail "study replaced"
fi
# the example study file parses, and an option given beside it wins
"$geneft" bayes-transition --config examples/bayes-transition.toml --ns 5 --db "$work/s.db" > "$work/e.txt" 2>&1
[ $? = 2 ] && grep -q -- "--ns value 5 is out of range" "$work/e.txt" || fail "example file with --ns 5: $(cat "$work/e.txt")"

expect_error teacher "two values each" -- "$geneft" bayes-transition --teacher-a 1 --db "$work/s.db"
expect_error beta_min "beta-min" -- "$geneft" bayes-transition --beta-min 2 --db "$work/s.db"
# one teacher unit twice: the one-node fit is as good as the two-node one, no competing regions
expect_error no_regions "no two competing regions" -- "$geneft" bayes-transition "${small[@]}" --teacher-a 1,1 \
  --teacher-q 1,1 --db "$work/s.db" -o "$work/fig"
expect_error not_a_store "not" -- "$geneft" bayes-transition "${small[@]}" --db "$work/fig/bayes-transition.csv"
echo "bayes-transition: ok"
