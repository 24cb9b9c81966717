#!/usr/bin/env bash
# Corrupt and hostile stores through the command line: a clear error (exit status 2) naming the
# store, never a crash; reading works on a read-only folder; a bad shard does not spread and a
# failed merge leaves no empty target.
set -uo pipefail
geneft=$(realpath "$1")
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
failed=0 passed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
# expect_error NAME PATTERN -- COMMAND...: exit status 2 and a message matching PATTERN
expect_error() {
  local name=$1 pattern=$2 out rc
  shift 3
  out=$("$@" 2>&1)
  rc=$?
  if [ $rc -eq 2 ] && grep -q -- "$pattern" <<< "$out"; then passed=$((passed + 1)); else fail "$name (exit $rc, wanted '$pattern'): $out"; fi
}

"$geneft" train examples/liu2022-toy.toml --db "$work/good.db" --set train.steps=20 --set train.eval_every=10 -q \
  > "$work/train.txt" || { echo "setup failed"; exit 1; }
id=$(awk '/^run/ {print $2}' "$work/train.txt")

for v in 0 -1 -1000000 99; do
  cp "$work/good.db" "$work/v.db"
  sqlite3 "$work/v.db" "PRAGMA user_version = $v"
  expect_error "user_version $v: runs" "schema version $v" -- "$geneft" runs "$work/v.db"
  expect_error "user_version $v: train" "schema version $v" -- "$geneft" train examples/liu2022-toy.toml --db "$work/v.db" -q
done

blob_cases=("rows = 100000, cols = 1000" "data = x'00'" "rows = -1" "cols = 0")
for c in "${blob_cases[@]}"; do
  cp "$work/good.db" "$work/bad.db"
  sqlite3 "$work/bad.db" "UPDATE embeddings SET $c"
  expect_error "embeddings with $c" "embedding at step" -- "$geneft" embeddings "$work/bad.db" --run "$id" -o "$work/fig"
  expect_error "export --embeddings with $c" "embedding at step" -- "$geneft" export "$work/bad.db" --run "$id" --format json --embeddings -o "$work/x.json"
  # a bad shard: reported as the source, nothing merged, no empty target left
  expect_error "merge a shard with $c" "$work/bad.db: an embedding" -- "$geneft" merge "$work/new.db" "$work/bad.db"
  [ ! -e "$work/new.db" ] && passed=$((passed + 1)) || fail "a failed merge left $work/new.db"
done

printf 'SQLite format 3\0%05000d' 0 > "$work/garbage.db"
cp "$work/good.db" "$work/target.db"
out=$("$geneft" merge "$work/target.db" "$work/garbage.db" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "$work/garbage.db" <<< "$out" && ! grep -q "target.db" <<< "$out"; } && passed=$((passed + 1)) ||
  fail "a corrupt merge source is named as the source (exit $rc): $out"

# A full disk (here a file-size limit, SIGXFSZ ignored so that the write fails): a store error
# (exit status 4) that says so; what was stored before is intact.
cp "$work/good.db" "$work/full.db"
out=$(trap '' XFSZ; ulimit -f 120; "$geneft" train examples/liu2022-toy.toml --db "$work/full.db" --set train.steps=2000 \
      --set train.eval_every=1 -q 2>&1); rc=$?
{ [ $rc -eq 4 ] && grep -q "full disk" <<< "$out" && "$geneft" runs "$work/full.db" | grep -q "^$id  completed"; } &&
  passed=$((passed + 1)) || fail "full disk (exit $rc): $out"

# Reading works in a folder and on a file the user cannot write (as user nobody: root writes anyway).
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2> /dev/null; then
  mkdir -p "$work/ro" "$work/out"
  cp "$work/good.db" "$work/ro/s.db"
  chmod 444 "$work/ro/s.db" && chmod 555 "$work/ro" && chmod 777 "$work/out" && chmod 755 "$work"
  as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  for cmd in "runs $work/ro/s.db" "export $work/ro/s.db --run $id -o $work/out/c.csv" \
             "curves $work/ro/s.db --run $id -o $work/out/fig" "embeddings $work/ro/s.db --run $id -o $work/out/fig"; do
    # shellcheck disable=SC2086
    out=$("${as_nobody[@]}" "$geneft" $cmd 2>&1) && passed=$((passed + 1)) || fail "read-only: geneft $cmd: $out"
  done
  [ "$(ls "$work/ro")" = s.db ] && passed=$((passed + 1)) || fail "reading wrote into the read-only folder: $(ls "$work/ro")"
else
  echo "skip: read-only cases (setpriv cannot change user)"
fi

echo "hostile_stores: $passed passed, $failed failed"
[ $failed -eq 0 ]
