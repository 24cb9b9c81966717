#!/usr/bin/env bash
# Data flows one way: a folder of src/ includes only folders below it in this order (and itself).
# usage: check_includes.sh SRC_DIR   (exit 1 and a list of the offending lines if any)
set -uo pipefail
src=${1:-src}
# lowest first; a folder may include only folders listed before it
order=(core tasks nn measure optim theory train store run sweep plot slt cli)
declare -A rank
for i in "${!order[@]}"; do rank[${order[$i]}]=$i; done
bad=0
for dir in "$src"/*/; do
  from=$(basename "$dir")
  if [ -z "${rank[$from]+x}" ]; then echo "src/$from: not in the folder order of $0"; bad=1; continue; fi
  while IFS=: read -r file line text; do
    to=$(sed -E 's|.*#include "([a-z_]+)/.*|\1|' <<< "$text")
    [ "$to" = "$from" ] && continue
    if [ -z "${rank[$to]+x}" ] || [ "${rank[$to]}" -ge "${rank[$from]}" ]; then
      echo "$file:$line: src/$from includes src/$to, which is not below it: $text"
      bad=1
    fi
  done < <(grep -rn --include='*.h' --include='*.cpp' -E '^#include "[a-z_]+/' "$dir")
done
exit $bad
