#!/usr/bin/env bash
# geneft degeneracy: spectra at a run's checkpoints (stored), a validation model, bad input.
set -uo pipefail
geneft=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
source "$(dirname "$0")/expect_error.sh"

small=(--set train.steps=200 --set train.eval_every=100 --set train.checkpoint_every=1 -q)
"$geneft" train examples/degeneracy-mlp.toml --db "$work/s.db" "${small[@]}" > "$work/train.txt" || fail "train"
id=$(awk '/^run/ {print $2}' "$work/train.txt")
out=$("$geneft" degeneracy "$work/s.db" --run "$id" --checkpoints all -o "$work/fig" 2>&1) || fail "degeneracy at checkpoints: $out"
grep -q "^step 200 .* 375 " <<< "$out" || fail "no row for step 200 with d = 375: $out"
grep -q "16 ReLU unit rescalings" <<< "$out" || fail "generic symmetries not described: $out"
[ -s "$work/fig/degeneracy-${id:0:8}.png" ] && [ -s "$work/fig/degeneracy-${id:0:8}.csv" ] || fail "figure or table missing"
rows=$(sqlite3 "$work/s.db" "SELECT count(*) FROM degeneracy" 2>/dev/null || echo skip)
[ "$rows" = skip ] || [ "$rows" = 3 ] || fail "expected 3 stored spectra (steps 0, 100, 200), got $rows"

out=$("$geneft" degeneracy --model regular --input 3 --output 2 --chains 2 --burn-in 500 --draws 500 -o "$work/fig" 2>&1) ||
  fail "validation model: $out"
grep -q "^regular 3x2 @w\* *6 *3.00 6/6/6/6 *6/6/6/6" <<< "$out" || fail "regular model: full rank expected: $out"

"$geneft" train examples/degeneracy-mlp.toml --db "$work/s.db" "${small[@]}" --set model.dtype=float32 > "$work/t32.txt"
id32=$(awk '/^run/ {print $2}' "$work/t32.txt")
expect_error float32 "needs float64" -- "$geneft" degeneracy "$work/s.db" --run "$id32" -o "$work/fig"
expect_error modes "exactly one of" -- "$geneft" degeneracy "$work/s.db" --run "$id" --suite
expect_error no_run "needs --run" -- "$geneft" degeneracy "$work/s.db"
expect_error bad_step "no checkpoint at step 150" -- "$geneft" degeneracy "$work/s.db" --run "$id" --checkpoints 150

out=$("$geneft" llc "$work/s.db" --run "$id" --checkpoints last --restrict encoder --chains 2 --draws 20 --burn-in 10 --figure "$work/r" 2>&1) || fail "restricted llc: $out"
grep -q "only the encoder is sampled" <<< "$out" || fail "restricted llc not announced: $out"
groups=$(sqlite3 "$work/s.db" "SELECT count(*) FROM llc_estimates WHERE settings LIKE '%\"group\":\"encoder\"%'" 2>/dev/null || echo skip)
[ "$groups" = skip ] || [ "$groups" = 1 ] || fail "restricted estimate not stored with its group: $groups"
expect_error bad_group "not a parameter group of this model (model.arch = mlp): must be all, encoder, decoder" -- \
  "$geneft" llc "$work/s.db" --run "$id" --checkpoints last --restrict attention --chains 2 --draws 20 --burn-in 10

# one table and figure over training from the store alone: the spectra, λ̂ and the restricted λ̂
out=$("$geneft" degeneracy "$work/s.db" --run "$id" --from-store -o "$work/stored" 2>&1) || fail "from the store: $out"
grep -q "^step 200 .* 375 " <<< "$out" && grep -q "llc encoder" <<< "$out" || fail "stored table lacks step 200 or λ̂ encoder: $out"
[ -s "$work/stored/degeneracy-${id:0:8}.png" ] && grep -q "llc_encoder" "$work/stored/degeneracy-${id:0:8}.csv" ||
  fail "stored figure or table missing"

# Lanczos at a checkpoint: stored (table hessian_lanczos), counts below tolerance from the density
out=$("$geneft" degeneracy "$work/s.db" --run "$id" --checkpoints last --lanczos 20 --probes 2 -o "$work/fig" 2>&1) ||
  fail "lanczos at a checkpoint: $out"
grep -q "tol 1e-02" <<< "$out" && grep -q "stored     1 spectrum in table hessian_lanczos" <<< "$out" ||
  fail "lanczos counts or storage not reported: $out"
rows=$(sqlite3 "$work/s.db" "SELECT count(*) FROM hessian_lanczos WHERE step = 200 AND json_extract(summary, '$.d') = 375" 2>/dev/null || echo skip)
[ "$rows" = skip ] || [ "$rows" = 1 ] || fail "lanczos spectrum not stored: $rows"

[ $failed -eq 0 ] && echo "degeneracy command line: all passed"
exit $failed
