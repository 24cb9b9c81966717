#!/usr/bin/env bash
# A real Slurm job array over `geneft sweep --shard auto`: Debian's munged, slurmctld and slurmd
# started by hand on this one machine (no systemd, nothing outside a temporary folder), a
# 3-task array (`sbatch --array=0-2`) trains the shards of a sweep into one store each, and
# `geneft merge` of the shards equals the same sweep run locally: the same run ids, every curve and
# final metric bit for bit. Everything started here is stopped at the end, also on failure.
# Exits 77 (skipped) without the Slurm and munge binaries (scripts/setup.sh installs them).
# usage: slurm_array.sh GENEFT
set -uo pipefail
geneft=$(realpath "$1")
for b in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
  command -v $b > /dev/null || { echo "SKIP: $b not found (Debian packages munge slurmctld slurmd slurm-client)"; exit 77; }
done
work=$(mktemp -d /tmp/geneft-slurm.XXXXXX)
daemons=()
teardown() {
  local pid
  for pid in "${daemons[@]}"; do kill "$pid" 2> /dev/null; done
  for pid in "${daemons[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null
  done
  [ "${KEEP_SLURM_WORK:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap teardown EXIT
source "$(dirname "$0")/sweep_common.sh"
write_tiny_sweep "$work/sweep.toml" slurm-test
shards=3

# free TCP ports for slurmctld and slurmd (other test runs may hold the default 6817/6818)
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
node=$(hostname -s)
cpus=$(nproc)
mkdir -p "$work/state" "$work/spool" "$work/shards"
chmod 700 "$work"

# munge: a key of our own, its socket in $work (--force: the log and seed files are unusual places)
mungekey --create --keyfile="$work/munge.key" 2> "$work/mungekey.err" || { cat "$work/mungekey.err"; exit 1; }
munged -F --force --key-file="$work/munge.key" --socket="$work/munge.sock" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed" > /dev/null 2>&1 &
daemons+=($!)

export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" << CONF
ClusterName=geneft-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=10 State=UP
CONF

for _ in $(seq 50); do [ -S "$work/munge.sock" ] && break; sleep 0.1; done
check "munged is up" test -S "$work/munge.sock" || { cat "$work/munged.log"; exit 1; }
slurmctld -D -i -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D -N "$node" -f "$SLURM_CONF" > "$work/slurmd.out" 2>&1 &
daemons+=($!)
up=0
for _ in $(seq 300); do  # at most 30 s for the node to be idle
  sinfo_state=$(scontrol show node "$node" 2> /dev/null | grep -o 'State=[A-Z+_]*' | head -1)
  case $sinfo_state in State=IDLE*) up=1; break ;; esac
  sleep 0.1
done
check "slurmctld and slurmd are up, the node idle ($sinfo_state)" test $up -eq 1 ||
  { tail -20 "$work/slurmctld.log" "$work/slurmd.log" "$work/slurmctld.out" "$work/slurmd.out"; exit 1; }

# the reference: the same sweep on this machine without Slurm
"$geneft" sweep "$work/sweep.toml" --db "$work/local.db" --jobs 2 -q > /dev/null 2>&1
check "the local sweep stores every run" test "$(count_finished "$work/local.db")" -eq $tiny_total

# the batch script of docs/scale-out.md, one shard store per array task
cat > "$work/sweep.sbatch" << 'SBATCH'
#!/bin/bash
#SBATCH --job-name=geneft-slurm-test
#SBATCH --cpus-per-task=1
#SBATCH --output=logs/%x-%a.out
srun "$GENEFT" sweep sweep.toml --shard auto --jobs "$SLURM_CPUS_PER_TASK" --db "shards/shard-$SLURM_ARRAY_TASK_ID.db"
SBATCH
mkdir -p "$work/logs"
t0=$(date +%s.%N)
job=$(cd "$work" && GENEFT=$geneft sbatch --parsable --array=0-$((shards - 1)) sweep.sbatch 2> "$work/sbatch.err")
check "sbatch --array=0-$((shards - 1)) accepted (job $job)" test -n "$job" || cat "$work/sbatch.err"
for _ in $(seq 1200); do  # at most 120 s
  [ -z "$(squeue -h -j "$job" 2> /dev/null)" ] && break
  sleep 0.1
done
wall=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')")
check "the array ends within 120 s ($wall s)" test -z "$(squeue -h -j "$job" 2> /dev/null)"
# every task completed with exit code 0 (slurmctld keeps finished jobs for MinJobAge, 300 s)
states=$(scontrol show job "$job" 2> /dev/null | grep -oE 'JobState=[A-Z]+|ExitCode=[0-9:]+' | sort | uniq -c | tr -s ' ')
check "all $shards tasks COMPLETED with exit code 0:0 ($states)" \
  test "$(scontrol show job "$job" | grep -c 'JobState=COMPLETED')" -eq $shards -a \
  "$(scontrol show job "$job" | grep -c 'ExitCode=0:0')" -eq $shards

covered=0
for i in $(seq 0 $((shards - 1))); do
  out="$work/logs/geneft-slurm-test-$i.out"
  n=$(cd "$work" && "$geneft" sweep sweep.toml --shard $((i + 1))/$shards --dry-run 2> /dev/null | wc -l)
  check "task $i trained shard $((i + 1))/$shards" grep -q "(shard $((i + 1))/$shards of $tiny_total)" "$out" || cat "$out"
  check "shard store $i holds its $n runs" test "$(count_finished "$work/shards/shard-$i.db")" -eq "$n"
  covered=$((covered + n))
done
check "the shards cover the sweep ($covered runs)" test $covered -eq $tiny_total

"$geneft" merge "$work/merged.db" "$work"/shards/shard-*.db > "$work/merge.out" 2>&1
check "geneft merge of the shards exits 0" test $? -eq 0 || cat "$work/merge.out"
check "merged: every run present once and finished" \
  test "$(count_rows "$work/merged.db")" -eq $tiny_total -a "$(count_finished "$work/merged.db")" -eq $tiny_total
check "merged: the same run ids as the local sweep" \
  diff <("$geneft" runs "$work/local.db" 2> /dev/null | grep -oE '^[0-9a-f]{16}' | sort) \
  <("$geneft" runs "$work/merged.db" 2> /dev/null | grep -oE '^[0-9a-f]{16}' | sort)
check "merged: equal to the local sweep, bit for bit" same_sweep "$work/local.db" "$work/merged.db" slurm-test

echo "slurm_array: $shards array tasks in $wall s (sbatch to last task done); $passed passed, $failed failed"
[ "$failed" -eq 0 ]
