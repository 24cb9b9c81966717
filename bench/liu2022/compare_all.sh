#!/usr/bin/env bash
# Every Liu et al. 2022 figure geneft has in a store, beside the authors' released outcomes
# (docs/data/liu2022/), with bench/liu2022/agreement.py. Figures whose sweep is not in the store
# are skipped. Usage: bench/liu2022/compare_all.sh DB [path/to/geneft]
set -uo pipefail
cd "$(dirname "$0")/../.."
db=$1
geneft=${2:-./build/geneft}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=docs/data/liu2022
compare() {  # compare SWEEP AUTHORS_CSV MODE ARGS...
  local sweep=$1 authors=$2 mode=$3
  shift 3
  "$geneft" export "$db" --sweep "$sweep" -o "$work/$sweep.csv" 2> /dev/null || { echo "## $sweep: not in $db"; echo; return; }
  echo "## $sweep vs $authors ($mode)"
  python3 bench/liu2022/agreement.py "$mode" "$work/$sweep.csv" "$authors" "$@"
  echo
}
compare liu2022-fig3 $data/fig3.csv accuracy --key task.train_count
compare liu2022-fig3 $data/fig4.csv step --key task.train_count  # t_rqi within the Fig. 3 runs' 5000 steps
compare liu2022-fig4 $data/fig4.csv step --key task.train_count
compare liu2022-fig5a $data/fig5a.csv phase --keys optim.encoder_lr,optim.decoder_lr
compare liu2022-fig5a-seeds $data/fig5a.csv phase --keys optim.encoder_lr,optim.decoder_lr  # 21 cells, 3 seeds
compare liu2022-fig5b $data/fig5b.csv phase --keys optim.decoder_lr,optim.decoder_wd
compare liu2022-fig5c $data/fig5c.csv phase --keys optim.decoder_lr,optim.decoder_wd
compare liu2022-fig5c-seeds $data/fig5c.csv phase --keys optim.decoder_lr,optim.decoder_wd  # 30 cells, 3 seeds
compare liu2022-fig5d $data/fig5d.csv phase --keys optim.decoder_lr,optim.decoder_wd
compare liu2022-fig5d-seeds $data/fig5d.csv phase --keys optim.decoder_lr,optim.decoder_wd  # 9 cells, 3 seeds
compare liu2022-fig5d-no-l1 $data/fig5d.csv phase --keys optim.decoder_lr,optim.decoder_wd  # matmul, no penalty
compare liu2022-fig5d-concat $data/fig5d.csv phase --keys optim.decoder_lr,optim.decoder_wd  # concatenated, no penalty
