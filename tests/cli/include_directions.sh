#!/usr/bin/env bash
# No include runs from a lower folder of src/ to a higher one (tests/check_includes.sh), and the
# check fails when one does.
set -uo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/sweep_common.sh"  # check, passed, failed
checker=tests/check_includes.sh

check "src/ includes only downwards" bash "$checker" src
cp -r src "$work/src"
echo '#include "store/store.h"' >> "$work/src/train/trainer.h"
bash "$checker" "$work/src" > "$work/out" 2>&1
check "an include from src/train into src/store fails the check" grep -q "src/train includes src/store" "$work/out"

echo "$passed passed, $failed failed"
test "$failed" -eq 0
