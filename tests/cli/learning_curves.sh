#!/usr/bin/env bash
# geneft theory learning-curves: a small study writes its figures, CSV and ratio tables; the
# theorems hold on it; bad options are a clear error (exit status 2) that names the option.
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=1; }

out=$("$geneft" theory learning-curves examples/learning-curves.toml --sets 300 --m-max 128 --alphas 1,3 --n 20 --teachers 6 --draws 2 -o "$work/fig" 2>&1) ||
  fail "learning-curves: $out"
grep -q "PAC bound above the measured quantile at every m: yes" <<< "$out" || fail "PAC bound line: $out"
grep -q "every Gibbs draw consistent with its training set: yes" <<< "$out" || fail "Gibbs consistency line: $out"
grep -q "mass p = 0.2500" <<< "$out" || fail "target mass: $out"
for f in learning-curves-rectangles.png learning-curves-rectangles.svg learning-curves-rectangles.csv \
         learning-curves-rectangles-ratios.md learning-curves-perceptron.png learning-curves-perceptron.csv \
         learning-curves-perceptron-ratios.md; do
  [ -s "$work/fig/$f" ] || fail "missing $f"
done
[ "$(wc -l < "$work/fig/learning-curves-rectangles.csv")" -eq 12 ] || fail "rectangles CSV: header + 11 sizes (4..128)"

# same seed, same numbers
"$geneft" theory learning-curves --concept rectangles --sets 300 --m-max 128 -o "$work/again" > /dev/null 2>&1
cmp -s "$work/fig/learning-curves-rectangles.csv" "$work/again/learning-curves-rectangles.csv" || fail "not reproducible"

for bad in "--inputs beta:0,2" "--box 0.7,0.2" "--dim 0" "--alphas 1,x" "--m-min 0"; do
  key=${bad%% *}
  out=$("$geneft" theory learning-curves $bad -o "$work/bad" 2>&1); rc=$?
  { [ $rc -eq 2 ] && grep -q -- "$key" <<< "$out"; } || fail "$bad (exit $rc): $out"
done
printf '[rectangles]\nside = 0.5\n' > "$work/bad.toml"
out=$("$geneft" theory learning-curves "$work/bad.toml" -o "$work/bad" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "bad.toml: unknown key 'rectangles.side'" <<< "$out"; } || fail "unknown key (exit $rc): $out"
printf 'delta = 2\n' > "$work/bad.toml"
out=$("$geneft" theory learning-curves "$work/bad.toml" -o "$work/bad" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "delta 2: allowed" <<< "$out"; } || fail "delta out of range (exit $rc): $out"
[ ! -e "$work/bad" ] || fail "a rejected option wrote output"
exit $failed
