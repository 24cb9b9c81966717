#!/usr/bin/env bash
# Hostile names: sweep names, stored task descriptions, run ids and file names made of shell
# and gnuplot syntax (backquotes, $(...), quotes, newlines, system()) and of paths (../, /abs),
# drawn by every figure command. Nothing may run (no canary file appears) and nothing may be
# written outside the output folder (or, for llc's default figure prefix, the current folder).
set -uo pipefail
geneft=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

setup=$work/setup here=$work/a/b/c
mkdir -p "$setup" "$here"
repo=$PWD
cd "$here" || exit 1

nl=$'\n'
names=(
  'd$(touch pwned-dollar)'
  'd`touch pwned-backquote`'
  "d'; system('touch pwned-single'); x='"
  'd"; system("touch pwned-double"); x="'
  "d\\\"\`touch pwned-escaped\`\\\""
  "d${nl}system('touch pwned-newline')${nl}#"
  '../../../escaped'
  "$work/absolute/x"
  "d@x \$HOME %s %n {} \\"
  "$(printf 'long%.0s' {1..80})"
)
# the same names as TOML basic strings
toml_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "${s//$nl/\\n}"
}

# check_clean WHAT: no canary file anywhere, no file outside $here (except the setup folder)
marker=$work/marker
touch "$marker"
check_clean() {
  local pwned outside
  pwned=$(find "$work" -name 'pwned*' 2> /dev/null)
  outside=$(find "$work" -newer "$marker" -type f ! -path "$here/*" ! -path "$setup/*" ! -path "$marker" 2> /dev/null)
  if [ -n "$pwned$outside" ]; then
    fail "$1: ran a command or wrote outside the output folder: ${pwned}${outside}"
    rm -rf "$work"/pwned* "$here"/pwned* "$work/absolute" "$work/escaped"* "$work/a/escaped"* "$work/a/b/escaped"*
  else
    passed=$((passed + 1))
  fi
}
# figure WHAT -- COMMAND...: the command succeeds, writes a PNG under fig/, and nothing else happens
figure() {
  local what=$1 out rc
  shift 2
  rm -rf "$here/fig"
  out=$("$@" 2>&1)
  rc=$?
  [ $rc -eq 0 ] && [ -n "$(find "$here/fig" -name '*.png' 2> /dev/null)" ] || fail "$what (exit $rc): $out"
  check_clean "$what"
}

steps=(--set train.steps=20 --set train.eval_every=10 -q)
# sweep_file FILE NAME KIND: a tiny sweep of each kind the figures need
sweep_file() {
  local relation='[task]
kind = "rel_equiv"
n = 12
k = 3
train_fraction = 0.5
[model]
width = 8
depth = 1
[train]
steps = 20
eval_every = 10'
  {
    echo "[sweep]"
    echo "name = $(toml_string "$2")"
    case $3 in
      lr) printf '%s\n' '[[sweep.axis]]' 'key = "optim.encoder_lr"' 'values = [1e-3, 1e-2]' \
                        '[[sweep.axis]]' 'key = "optim.decoder_lr"' 'values = [1e-3, 1e-2]' "$relation" ;;
      fraction) printf '%s\n' '[[sweep.axis]]' 'key = "task.train_fraction"' 'values = [0.3, 0.6]' "$relation" ;;
      width) printf '%s\n' '[[sweep.axis]]' 'key = "model.width"' 'values = [4, 8]' "$relation" ;;
      count) printf '%s\n' "base = \"$repo/examples/liu2022-toy.toml\"" '[[sweep.axis]]' \
                           'key = "task.train_count"' 'values = [20, 40]' '[train]' 'steps = 20' 'eval_every = 10' \
                           'store_embeddings = true' ;;
    esac
  } > "$1"
}

# A run with checkpoints whose task description and id are then made hostile in the store.
"$geneft" train "$repo/examples/liu2022-toy.toml" --db "$setup/run.db" "${steps[@]}" --set train.checkpoint_every=10 \
  > "$setup/train.txt" || { echo "setup failed"; exit 1; }
id=$(awk '/^run/ {print $2}' "$setup/train.txt")

for i in "${!names[@]}"; do
  name=${names[$i]}
  label="name #$i"
  sql_name=${name//\'/\'\'}

  # a figure per sweep kind, the sweep named $name
  for kind in lr fraction width count; do
    sweep_file "$setup/$kind.toml" "$name" "$kind"
    "$geneft" sweep "$setup/$kind.toml" --db "$setup/$kind.db" --jobs 2 -q > /dev/null 2>&1 || fail "$label: sweep $kind"
  done
  check_clean "$label: sweep"
  # two of the four runs generalize, so that repons has a boundary to fit and draw
  sqlite3 "$setup/lr.db" "UPDATE curves SET train_acc = 1, test_acc = 1 WHERE run_id IN (SELECT id FROM runs ORDER BY id LIMIT 2)"
  figure "$label: phase" -- "$geneft" phase "$setup/lr.db" --sweep "$name" --metric final_test_acc -o fig
  figure "$label: theory datasize" -- "$geneft" theory datasize "$setup/fraction.toml" --db "$setup/fraction.db" --splits 2 -o fig
  figure "$label: theory goldilocks" -- "$geneft" theory goldilocks "$setup/width.toml" --db "$setup/width.db" -o fig
  figure "$label: theory repons" -- "$geneft" theory repons "$setup/lr.toml" --db "$setup/lr.db" --samples 4 -o fig
  figure "$label: theory parallelograms" -- "$geneft" theory parallelograms "$setup/count.toml" --db "$setup/count.db" --sets 4 -o fig

  # the stored task description and the run id
  cp "$setup/run.db" "$setup/hostile.db"
  sqlite3 "$setup/hostile.db" "UPDATE runs SET task = '$sql_name'" || fail "$label: sqlite3"
  figure "$label: curves (task)" -- "$geneft" curves "$setup/hostile.db" --run "$id" -o fig
  figure "$label: embeddings (task)" -- "$geneft" embeddings "$setup/hostile.db" --run "$id" -o fig
  figure "$label: llc-calibrate (task)" -- "$geneft" llc-calibrate "$setup/hostile.db" --run "$id" --epsilons 1e-4 --nbetas 10 \
    --chains 1 --draws 5 --burn-in 5 --figure fig/cal
  sqlite3 "$setup/hostile.db" "PRAGMA foreign_keys = OFF; UPDATE runs SET id = '$sql_name';
    UPDATE curves SET run_id = '$sql_name'; UPDATE embeddings SET run_id = '$sql_name';
    UPDATE checkpoints SET run_id = '$sql_name'" || fail "$label: sqlite3"
  figure "$label: curves (id)" -- "$geneft" curves "$setup/hostile.db" --run "$name" -o fig
  out=$("$geneft" llc "$setup/hostile.db" --run "$name" --checkpoints last --chains 1 --draws 5 --burn-in 5 2>&1) ||
    fail "$label: llc (id): $out"
  check_clean "$label: llc (id)"
  rm -f "$here"/llc-*

  # a config file and a relation file named $name (where a file name can hold it)
  file=${name//\//_}
  file=${file:0:100}
  printf '0,0\n1,1\n2,2\n0,1\n1,0\n' > "$setup/$file.csv"
  printf '[task]\nkind = "rel_file"\nn = 3\nfile = %s\ntrain_fraction = 0.6\n[train]\nsteps = 20\neval_every = 10\n' \
    "$(toml_string "$setup/$file.csv")" > "$setup/$file.toml"
  rm -f "$setup/file.db"
  out=$("$geneft" train "$setup/$file.toml" --db "$setup/file.db" -q 2>&1) || fail "$label: train on a relation file: $out"
  figure "$label: curves (relation file)" -- "$geneft" curves "$setup/file.db" --run "$("$geneft" runs "$setup/file.db" | awk 'NR == 2 {print $1}')" -o fig
  cp "$repo/examples/geneft-relation.toml" "$setup/$file.toml"
  figure "$label: theory datasize (file name)" -- "$geneft" theory datasize "$setup/$file.toml" --splits 2 -o fig
done

echo "hostile_names: $passed passed, $failed failed"
[ $failed -eq 0 ]
