#pragma once
// A sweep over the ranks of an MPI job: `mpirun -np N geneft sweep SWEEP.toml --db study.db`.
//
// Rank 0 owns the store. It hands out runs one at a time from a queue (a worker asks when one of
// its threads is free, rank 0 answers with the index of the next run in the expanded sweep, or
// "done"), marks each handed-out run "running" in the store, and saves each result that comes
// back with Store::save_run. Every rank, rank 0 included, trains on its own --jobs threads, so
// long and short runs balance out. Every rank expands the same sweep file itself, so a hand-out
// is 24 bytes (index and run id, checked on arrival) and a result is the run's numbers in binary.
//
// Faults: a run is "running" in the store from hand-out to result, so killing any rank (Open MPI
// then ends the whole job) and rerunning the same command finishes the sweep, each run stored
// once. Under `mpirun --enable-recovery` the job outlives a dead worker: rank 0 hears from each
// busy worker at least every rank_timeout / 4 seconds (heartbeats), and gives the runs of a
// worker silent for rank_timeout seconds to its own threads. Such a worker is told (it may only
// have been paused): when it resumes it abandons its runs and leaves, so that every rank ends
// with MPI_Finalize and a finished sweep exits 0.
#include <cstdlib>
#include <string>
#include <vector>

#include "measure/phase_classifier.h"
#include "store/store.h"
#include "sweep/scheduler.h"
#include "sweep/sweep_definition.h"

namespace geneft {

// Ranks of the MPI job this process was started in by Open MPI's mpirun (OMPI_COMM_WORLD_SIZE);
// 1 when it was not started by mpirun.
inline int mpi_world_size_from_environment() {
  const char* s = std::getenv("OMPI_COMM_WORLD_SIZE");
  return s ? std::max(1, std::atoi(s)) : 1;
}

#ifdef GENEFT_HAVE_MPI

// MPI_Init on construction, MPI_Finalize on destruction; MPI calls from the constructing thread only.
class MpiJob {
 public:
  MpiJob();
  ~MpiJob();
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Collective: the lowest rank whose `ok` is false, or -1 if every rank's is true.
  int first_failed(bool ok) const;
  void barrier() const;
  // After a rank died, MPI_Finalize waits for it for ever: leave without (under mpirun
  // --enable-recovery the job then ends normally).
  void skip_finalize() { finalize_ = false; }
  // Ends every rank of the job (after an internal error mid-sweep: the others would wait forever).
  [[noreturn]] void abort(int status) const;

 private:
  int rank_ = 0, size_ = 1;
  bool finalize_ = true;
};

struct MpiSweepOptions {
  SchedulerOptions local;    // threads per rank (jobs), progress (rank 0), stop
  double rank_timeout = 60;  // seconds of silence after which a worker is taken for dead
};

// Collective: every rank calls it with the same points. Rank 0 passes the store and gets the
// report; the other ranks pass nullptr and get an empty report.
SweepReport run_mpi_sweep(MpiJob& job, const std::vector<SweepPoint>& points, Store* store,
                          const PhaseClassifier& classifier, const MpiSweepOptions& options);

#endif

}  // namespace geneft
