#!/usr/bin/env bash
# A worker rank killed (SIGKILL) mid-sweep loses no run and duplicates none:
#  - plain mpirun ends the whole job; the same command again finishes the sweep (also when the
#    rank killed is rank 0, which owns the store);
#  - under mpirun --enable-recovery the job goes on: rank 0 gives the dead rank's runs to others.
#  - a worker paused (SIGSTOP) past --rank-timeout and resumed after the sweep is done learns that
#    rank 0 gave up on it and leaves: mpirun ends at once and exits 0 (plain mpirun); resumed
#    while runs are left, its late result is not counted twice.
# Either way the store ends with every run once, equal bit for bit to an undisturbed sweep.
# usage: mpi_fault.sh GENEFT MPIRUN
set -uo pipefail
geneft=$1
mpirun=("$2" --oversubscribe --allow-run-as-root)
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
source "$(dirname "$0")/sweep_common.sh"
# runs of about 0.5 s each, so that no case's survivors finish the sweep before its kill or
# timeout (at 20000 steps, with the faster kernels, they did: the test raced)
TINY_STEPS=100000 write_tiny_sweep "$work/sweep.toml" fault-test

"$geneft" sweep "$work/sweep.toml" --db "$work/ref.db" --jobs 2 -q > /dev/null 2>&1
check "the reference sweep stores every run" test "$(count_finished "$work/ref.db")" -eq $tiny_total

# signal_rank MPIRUN_PID RANK SIGNAL: send SIGNAL to the process of that rank (a child of mpirun)
signal_rank() {
  local child
  for child in $(ps -o pid= --ppid "$1"); do
    if tr '\0' '\n' < "/proc/$child/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$2"; then
      kill "-$3" "$child" && return 0
    fi
  done
  return 1
}
kill_rank() { signal_rank "$1" "$2" KILL; }
# ends_within SECONDS PID: the process ends in time (else it is killed)
ends_within() {
  for _ in $(seq $(($1 * 10))); do kill -0 "$2" 2> /dev/null || return 0; sleep 0.1; done
  kill -9 "$2" 2> /dev/null
  return 1
}

# 1. plain mpirun: the job ends; rerunning finishes it
"${mpirun[@]}" -np 3 "$geneft" sweep "$work/sweep.toml" --db "$work/killed.db" --jobs 1 -q > /dev/null 2> "$work/killed.err" &
pid=$!
check "some runs finish before the kill" wait_for "$work/killed.db" 3
check "rank 1 found and killed" kill_rank $pid 1
wait $pid
rc=$?
check "the job ends non-zero when a rank is killed" test $rc -ne 0
done_before=$(count_finished "$work/killed.db")
check "the kill left work undone ($done_before of $tiny_total finished)" test "$done_before" -lt $tiny_total
"${mpirun[@]}" -np 3 "$geneft" sweep "$work/sweep.toml" --db "$work/killed.db" --jobs 1 -q > "$work/rerun.out" 2>&1
check "the rerun exits 0" test $? -eq 0
check "the rerun skips what was stored" grep -q "$done_before already stored" "$work/rerun.out"
check "after the rerun: every run present once" test "$(count_rows "$work/killed.db")" -eq $tiny_total
check "after the rerun: every run finished" test "$(count_finished "$work/killed.db")" -eq $tiny_total
check "after the rerun: equal to the undisturbed sweep" same_sweep "$work/ref.db" "$work/killed.db" fault-test

# 2. rank 0, the store's owner, killed: the same command again finishes the sweep
"${mpirun[@]}" -np 3 "$geneft" sweep "$work/sweep.toml" --db "$work/root.db" --jobs 1 -q > /dev/null 2>&1 &
pid=$!
wait_for "$work/root.db" 3
check "rank 0 found and killed" kill_rank $pid 0
wait $pid
check "the killed rank 0 left work undone" test "$(count_finished "$work/root.db")" -lt $tiny_total
"${mpirun[@]}" -np 3 "$geneft" sweep "$work/sweep.toml" --db "$work/root.db" --jobs 1 -q > /dev/null 2>&1
check "after rank 0 was killed and the rerun: every run present once and finished" \
  test "$(count_rows "$work/root.db")" -eq $tiny_total -a "$(count_finished "$work/root.db")" -eq $tiny_total
check "after rank 0 was killed and the rerun: equal to the undisturbed sweep" same_sweep "$work/ref.db" "$work/root.db" fault-test

# 3. mpirun --enable-recovery: rank 0 outlives the dead worker and finishes in one go
"${mpirun[@]}" --enable-recovery -np 3 "$geneft" sweep "$work/sweep.toml" --db "$work/survived.db" --jobs 1 \
  --rank-timeout 2 -q > "$work/survived.out" 2> "$work/survived.err" &
pid=$!
wait_for "$work/survived.db" 3
check "rank 2 found and killed" kill_rank $pid 2
check "mpirun ends within 60 s of the kill" ends_within 60 $pid
wait $pid
rc=$?
check "mpirun --enable-recovery exits 0 (exited $rc)" test $rc -eq 0
check "rank 0 noticed the dead rank" grep -q "rank 2 silent" "$work/survived.err"
check "the sweep finishes without a rerun" test "$(count_finished "$work/survived.db")" -eq $tiny_total
check "rank 0 reports success" grep -q "$tiny_total: .* completed" "$work/survived.out"
check "every run present once" test "$(count_rows "$work/survived.db")" -eq $tiny_total
check "equal to the undisturbed sweep" same_sweep "$work/ref.db" "$work/survived.db" fault-test

# 4. plain mpirun, rank 2 paused past --rank-timeout until every run is stored, then resumed
"${mpirun[@]}" -np 3 "$geneft" sweep "$work/sweep.toml" --db "$work/paused.db" --jobs 1 \
  --rank-timeout 2 -q > "$work/paused.out" 2> "$work/paused.err" &
pid=$!
wait_for "$work/paused.db" 2
check "rank 2 found and paused" signal_rank $pid 2 STOP
check "the others finish every run while rank 2 is paused" wait_for "$work/paused.db" $tiny_total
check "rank 0 gave up on the paused rank" grep -q "rank 2 silent" "$work/paused.err"
check "rank 2 resumed" signal_rank $pid 2 CONT
check "mpirun ends within 15 s of the resume" ends_within 15 $pid
wait $pid
rc=$?
check "mpirun exits 0 (exited $rc)" test $rc -eq 0 || cat "$work/paused.err"
check "the resumed rank learned it was given up on" grep -q "rank 2: rank 0 gave up on this rank" "$work/paused.err"
check "rank 0 reports success" grep -q "$tiny_total: $tiny_total completed" "$work/paused.out"
check "every run present once" test "$(count_rows "$work/paused.db")" -eq $tiny_total
check "equal to the undisturbed sweep" same_sweep "$work/ref.db" "$work/paused.db" fault-test

# 5. the same, resumed once given up on, while runs are left: it may still deliver the run it was training
"${mpirun[@]}" -np 3 "$geneft" sweep "$work/sweep.toml" --db "$work/back.db" --jobs 1 \
  --rank-timeout 2 -q > "$work/back.out" 2> "$work/back.err" &
pid=$!
wait_for "$work/back.db" 2
signal_rank $pid 2 STOP
# resume as soon as rank 0 has given up on it (past the 2 s timeout), while runs are still left
for _ in $(seq 300); do grep -q "rank 2 silent" "$work/back.err" && break; sleep 0.1; done
check "rank 2 paused past the timeout and resumed with runs left" \
  eval 'signal_rank $pid 2 CONT && [ "$(count_finished "$work/back.db")" -lt $tiny_total ]'
check "mpirun ends within 60 s of the resume" ends_within 60 $pid
wait $pid
rc=$?
check "mpirun exits 0 (exited $rc)" test $rc -eq 0 || cat "$work/back.err"
check "each run counted once" grep -q "$tiny_total: $tiny_total completed" "$work/back.out"
check "every run present once" test "$(count_rows "$work/back.db")" -eq $tiny_total
check "equal to the undisturbed sweep" same_sweep "$work/ref.db" "$work/back.db" fault-test

echo "mpi_fault: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
