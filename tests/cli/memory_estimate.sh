#!/usr/bin/env bash
# The memory estimate (train/memory_estimate.cpp, summed from what each architecture reports
# through the model registry) against the peak resident memory geneft measures for the same
# run: within a factor of 1.5 either way for an MLP and a transformer, each a few hundred MiB
# so that the process's own ~15 MiB hardly counts. A transformer too large for the limit is
# refused before anything is allocated (under a 1 GiB address-space limit it would otherwise
# die of bad_alloc), with the estimate and the limit named, exit 2.
# usage: memory_estimate.sh GENEFT
set -uo pipefail
geneft=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/sweep_common.sh"  # check, passed, failed

# within_factor NAME CONFIG SETTINGS...: train 2 steps, compare "memory  R MiB peak resident, E MiB estimated"
within_factor() {
  local name=$1 config=$2 out rss est
  shift 2
  out=$("$geneft" train "$config" --db "$work/m.db" --force -q --set train.steps=2 --set train.eval_every=1 "$@")
  read -r rss est < <(sed -nE 's/^memory +([0-9.]+) MiB peak resident, ([0-9.]+) MiB estimated.*/\1 \2/p' <<< "$out")
  check "$name: estimate ${est:-?} MiB within 1.5x of the peak resident ${rss:-?} MiB" \
    python3 -c "import sys; r, e = ${rss:-0}, ${est:-0}; sys.exit(not (e > 100 and r / 1.5 <= e <= r * 1.5))"
  echo "$name: peak resident $rss MiB, estimated $est MiB"
}

mod113=(--set task.p=113 --set task.train_fraction=0.3)
within_factor mlp examples/liu2022-toy.toml "${mod113[@]}" --set model.embed_dim=128 --set model.width=512 \
  --set model.depth=2
within_factor transformer examples/nanda2023-grokking-small.toml "${mod113[@]}"

# p = 1000: 700,000 test samples through the transformer, about 12 GiB
out=$(ulimit -v 1048576; GENEFT_MAX_MEMORY=8G "$geneft" train examples/nanda2023-grokking-small.toml \
  --db "$work/big.db" --set task.p=1000 --set task.train_fraction=0.3 2>&1)
rc=$?
check "a too-large transformer is refused with exit 2 (exit $rc)" test $rc -eq 2
check "the refusal names the estimate and the limit: $out" \
  grep -qE "needs about [0-9.]+ GiB, more than the 8\.0 GiB of memory available" <<< "$out"
check "the refused run leaves no store" test ! -e "$work/big.db"

echo "memory_estimate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
