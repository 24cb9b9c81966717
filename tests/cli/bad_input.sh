#!/usr/bin/env bash
# Bad input: each case must exit non-zero with a message naming the problem, and leave the
# store exactly as it was.
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

small=(--set train.steps=5 --set train.eval_every=5 -q)
"$geneft" train examples/liu2022-toy.toml --db "$work/store.db" "${small[@]}" > /dev/null || { echo "setup failed"; exit 1; }
before=$(sha256sum "$work/store.db")

# expect_error NAME PATTERN -- COMMAND...
expect_error() {
  local name=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ $rc -eq 2 ] && grep -q -- "$pattern" <<< "$out" && [ "$(sha256sum "$work/store.db")" = "$before" ] &&
     [ ${#out} -lt 2000 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name (exit $rc, wanted a message matching '$pattern'):"
    echo "$out" | sed 's/^/    /'
  fi
}

printf '[task\nkind = "mod_add"\n' > "$work/malformed.toml"
printf '[optim]\nlearning_rate = 0.1\n' > "$work/unknown.toml"
printf '[task]\nkind = "rel_file"\nn = 4\nfile = "%s"\n' "$work/missing.csv" > "$work/nofile.toml"
printf '0,1\n1,9\n' > "$work/bad_relation.csv"
printf '[task]\nkind = "rel_file"\nn = 4\nfile = "%s"\n' "$work/bad_relation.csv" > "$work/badfile.toml"
echo "not a database" > "$work/notes.txt"
cp "$work/notes.txt" "$work/notes.orig"

db=(--db "$work/store.db")
expect_error malformed_toml "malformed.toml:1" -- "$geneft" train "$work/malformed.toml" "${db[@]}"
expect_error unknown_key "unknown key 'optim.learning_rate'" -- "$geneft" train "$work/unknown.toml" "${db[@]}"
expect_error negative_lr "optim.encoder_lr' = -0.1 is out of range" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set optim.encoder_lr=-0.1
expect_error fraction_zero "task.train_fraction' = 0 is out of range: allowed (0, 1]" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.train_fraction=0
expect_error fraction_big "task.train_fraction' = 1.5 is out of range" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.train_fraction=1.5
expect_error p_too_large "task.p' = 5000 is out of range: allowed \[2, 1000\]" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.p=5000
expect_error perm_too_large "too large for perm_compose" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.kind=perm_compose --set task.n=7
expect_error div_not_prime "not prime" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.kind=mod_div --set task.p=12
expect_error missing_relation_file "missing.csv: cannot open relation file" -- "$geneft" train "$work/nofile.toml" "${db[@]}"
expect_error malformed_relation_file "bad_relation.csv:2: '9' is not an integer in \[0, 3\]" -- "$geneft" train "$work/badfile.toml" "${db[@]}"
expect_error missing_config "cannot open config file" -- "$geneft" train "$work/nope.toml" "${db[@]}"
expect_error not_a_store "not a geneft store" -- "$geneft" train examples/liu2022-toy.toml --db "$work/notes.txt" "${small[@]}"
expect_error not_a_store_runs "not a geneft store" -- "$geneft" runs "$work/notes.txt"
expect_error no_store "no such store" -- "$geneft" runs "$work/absent.db"
expect_error unknown_run "no run with id 'ffff'" -- "$geneft" export "$work/store.db" --run ffff

# Careless input: each an error before any training (exit 2, quickly: `timeout` turns a hang into a failure).
t=(timeout 10)
sweep_head='[sweep]\nname = "s"\n[[sweep.axis]]\nkey = "optim.encoder_lr"\nvalues = [1e-3]\n'
bad_sweep() { printf "$sweep_head%b" "$2" > "$work/$1.toml"; echo "$work/$1.toml"; }
expect_error empty_db "store path is empty" -- "${t[@]}" "$geneft" train examples/liu2022-toy.toml --db "" -q
expect_error empty_db_sweep "store path is empty" -- "${t[@]}" "$geneft" sweep "$(bad_sweep ok '')" --db "" -q
expect_error config_is_folder "is a folder" -- "${t[@]}" "$geneft" train "$work/" "${db[@]}"
expect_error empty_config_path "config path is empty" -- "${t[@]}" "$geneft" train "" "${db[@]}"
printf '[sweep]\nname = "s"\nbase = "."\n' > "$work/base_dot.toml"
expect_error base_is_folder "is a folder" -- "${t[@]}" "$geneft" sweep "$work/base_dot.toml" "${db[@]}"
printf '[sweep]\nname = "s"\nbase = 5\n' > "$work/base5.toml"
expect_error base_number "sweep.base = 5 must be a string" -- "${t[@]}" "$geneft" sweep "$work/base5.toml" "${db[@]}"
printf '[sweep]\nname = "s"\nmode = 1\n' > "$work/mode1.toml"
expect_error mode_number "sweep.mode = 1 must be a string" -- "${t[@]}" "$geneft" sweep "$work/mode1.toml" "${db[@]}"
printf '[sweep]\nname = "s"\naxis = 5\n' > "$work/axis5.toml"
expect_error axis_number "sweep.axis = 5 must be an array of tables" -- "${t[@]}" "$geneft" sweep "$work/axis5.toml" "${db[@]}"
printf '[sweep]\nname = "s"\nsamples = "many"\n' > "$work/samples.toml"
expect_error samples_string "sweep.samples = 'many' must be an integer" -- "${t[@]}" "$geneft" sweep "$work/samples.toml" "${db[@]}"
for phase in "threshold = nan" "threshold = -0.5" "threshold = 1.5" "delta = -5" "budget = -1" "threshold = inf"; do
  printf '[sweep]\nname = "s"\n[sweep.phase]\n%s\n' "$phase" > "$work/phase.toml"
  expect_error "phase $phase" "sweep.phase.${phase%% *} = .* is out of range" -- "${t[@]}" "$geneft" sweep "$work/phase.toml" "${db[@]}"
done
for grid in 'log_range = [1e-3, 1e-1, 1000000000]' 'range = [0.1, 0.9, 1000000000]'; do
  printf '[sweep]\nname = "s"\n[[sweep.axis]]\nkey = "optim.encoder_lr"\n%s\n' "$grid" > "$work/grid.toml"
  expect_error "huge axis: $grid" "count = 1000000000 is out of range" -- timeout 2 "$geneft" sweep "$work/grid.toml" "${db[@]}"
done
printf '[sweep]\nname = "s"\nseeds = 1000000000\n' > "$work/seeds.toml"
expect_error huge_seeds "sweep.seeds = 1000000000 is out of range" -- timeout 2 "$geneft" sweep "$work/seeds.toml" "${db[@]}"
printf '[sweep]\nname = "s"\nmode = "random"\nsamples = 1000000000\n[[sweep.axis]]\nkey = "optim.encoder_lr"\nvalues = [1e-3]\n' > "$work/samples.toml"
expect_error huge_samples "sweep.samples = 1000000000 is out of range" -- timeout 2 "$geneft" sweep "$work/samples.toml" "${db[@]}"
printf '[sweep]\nname = "s"\nseeds = 1000\n[[sweep.axis]]\nkey = "optim.encoder_lr"\nlog_range = [1e-3, 1e-1, 1000]\n[[sweep.axis]]\nkey = "optim.decoder_lr"\nlog_range = [1e-3, 1e-1, 1000]\n' > "$work/product.toml"
expect_error huge_product "1000000000 runs, more than" -- timeout 2 "$geneft" sweep "$work/product.toml" "${db[@]}"
mkfifo "$work/fifo.toml"
expect_error fifo_config "is not a regular file" -- "${t[@]}" "$geneft" train "$work/fifo.toml" "${db[@]}"
expect_error fifo_relation "is not a regular file" -- "${t[@]}" "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.kind=rel_file --set task.n=4 --set "task.file=$work/fifo.toml"
expect_error dev_zero_relation "is not a regular file" -- "${t[@]}" "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.kind=rel_file --set task.n=4 --set task.file=/dev/zero
head -c 20000000 /dev/zero | tr '\0' '0' > "$work/big.csv"
expect_error big_relation "more than" -- "${t[@]}" "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.kind=rel_file --set task.n=4 --set "task.file=$work/big.csv"
python3 -c 'print("a." * 100000 + "b = 1")' > "$work/deep.toml"
expect_error deep_key "nested deeper than" -- "${t[@]}" "$geneft" train "$work/deep.toml" "${db[@]}"
python3 -c 'print("k" * 200000 + " = 1")' > "$work/long.toml"
expect_error long_key "unknown key 'kkkkkkkk.*(200000 characters)" -- "${t[@]}" "$geneft" train "$work/long.toml" "${db[@]}"
expect_error long_set_key "unknown key 'kkkkkkkk.*(100000 characters)" -- "${t[@]}" "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set "$(head -c 100000 /dev/zero | tr '\0' k)=1"
expect_error int_garbage "task.p' = -5 is out of range" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.p=-5
expect_error int_exponent "task.p' = 100000 is out of range: allowed \[2, 1000\]" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set task.p=100000
expect_error adam_float32 "float32" -- "$geneft" train examples/liu2022-toy.toml "${db[@]}" --set model.dtype=float32 --set optim.kind=adam --set optim.beta2=0.99999999
out=$("$geneft" train examples/liu2022-toy.toml --print-config --set optim.encoder_lr=9223372036854775807 2>&1)
grep -q "optim.encoder_lr = 9223372036854775808.0" <<< "$out" && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL huge integer for a float key: $out"; }

# Sizes: refused before allocating (estimate and limit named); a bad_alloc is recorded as failed.
huge=(--set task.p=1000 --set model.width=1024 --set model.depth=2 --set model.embed_dim=128)
expect_error memory_estimate "needs about 14.3 GiB, more than the 8.0 GiB" -- env GENEFT_MAX_MEMORY=8G "$geneft" train examples/liu2022-toy.toml "${db[@]}" "${huge[@]}"
write_sweep() { printf '[sweep]\nname = "m"\nbase = "%s"\n[[sweep.axis]]\nkey = "model.width"\nvalues = [16, 1024]\n' "$PWD/examples/liu2022-toy.toml" > "$work/m.toml"; }
write_sweep
expect_error memory_sweep "the sweep's largest run needs about .* 2 at once" -- env GENEFT_MAX_MEMORY=1M "$geneft" sweep "$work/m.toml" "${db[@]}" --jobs 2
expect_error memory_limit_value "GENEFT_MAX_MEMORY = 'lots'" -- env GENEFT_MAX_MEMORY=lots "$geneft" train examples/liu2022-toy.toml "${db[@]}"
out=$(ulimit -v 1500000; GENEFT_MAX_MEMORY=100G timeout 60 "$geneft" train examples/liu2022-toy.toml --db "$work/oom.db" -q "${huge[@]}" 2>&1); rc=$?
if [ $rc -eq 2 ] && grep -q "ran out of memory" <<< "$out" && "$geneft" runs "$work/oom.db" | grep -q " failed "; then passed=$((passed + 1));
else failed=$((failed + 1)); echo "FAIL bad_alloc is recorded as failed (exit $rc): $out"; fi

if cmp -s "$work/notes.txt" "$work/notes.orig"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL notes.txt was modified"; fi
[ ! -e "$work/absent.db" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL runs created a store"; }

echo "bad_input: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
