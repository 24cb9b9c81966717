#include "sweep/mpi_runner.h"

#include <mpi.h>

#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/progress.h"
#include "run/execute_run.h"
#include "sweep/run_message.h"

namespace geneft {
namespace {

// Worker -> rank 0: kRequest (empty), kResult (a RunMessage), kHeartbeat (empty), kBye (empty:
// no more messages from this rank). Rank 0 -> worker: kAssign (Assignment) or kDone (empty), and
// after every worker said kBye, kFarewell (one byte: 1 = MPI_Finalize, 0 = a rank died, leave without).
enum Tag : int { kRequest = 1, kAssign = 2, kDone = 3, kResult = 4, kHeartbeat = 5, kBye = 6, kFarewell = 7 };

struct Assignment {
  uint64_t point;
  char run_id[16];  // run ids are 16 hex digits
};

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Waits for a message from `source` without spinning a core (MPI's blocking receive busy-waits,
// and rank 0 shares its cores with its training threads). False after `timeout` seconds.
bool wait_for_message(int source, double timeout, MPI_Status& status) {
  const auto t0 = Clock::now();
  auto nap = std::chrono::microseconds(20);
  for (;;) {
    int flag = 0;
    MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) return true;
    if (seconds_since(t0) > timeout) return false;
    std::this_thread::sleep_for(nap);
    nap = std::min(nap * 2, std::chrono::microseconds(2000));
  }
}

std::vector<char> receive(const MPI_Status& status) {
  int n = 0;
  MPI_Get_count(&status, MPI_BYTE, &n);
  std::vector<char> bytes(size_t(std::max(n, 0)));
  MPI_Recv(bytes.data(), n, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return bytes;
}

bool send(const void* data, size_t n, int dest, Tag tag) {
  if (n > size_t(INT_MAX)) throw std::runtime_error("mpi sweep: a run's result is larger than 2 GiB");
  return MPI_Send(data, int(n), MPI_BYTE, dest, tag, MPI_COMM_WORLD) == MPI_SUCCESS;
}
bool send(Tag tag, int dest) { return send(nullptr, 0, dest, tag); }

// How often a rank that is waiting on another says it is alive.
double heartbeat_seconds(const MpiSweepOptions& options) { return std::max(0.2, options.rank_timeout / 4); }

RunMessage train_point(const std::vector<SweepPoint>& points, uint64_t index, const PhaseClassifier& classifier,
                       const std::atomic<bool>* stop) {
  return {index, train_and_classify(points[index].config, background_options(stop), classifier)};
}

// Rank 0: a queue of runs shared by its own training threads and the workers' requests.
class Coordinator {
 public:
  Coordinator(MpiJob& job, const std::vector<SweepPoint>& points, Store& store, const PhaseClassifier& classifier,
              const MpiSweepOptions& options)
      : job_(job), points_(points), store_(store), classifier_(classifier), options_(options) {}

  SweepReport run() {
    const auto t0 = Clock::now();
    std::set<std::string> seen;
    for (size_t i = 0; i < points_.size(); ++i) {
      const std::string id = points_[i].config.id();
      if (!seen.insert(id).second) continue;
      ++report_.total;
      const auto status = store_.run_status(id);
      if (status && is_finished(*status)) ++report_.skipped;
      else queue_.push_back(i);
    }
    report_.finished_by_rank.assign(size_t(job_.size()), 0);
    progress_.emplace(options_.local.label, int64_t(queue_.size()), options_.local.progress);
    std::vector<std::thread> pool;
    for (int j = 0; j < std::max(1, options_.local.jobs); ++j) pool.emplace_back([this] { train_locally(); });
    try {
      dispatch();
    } catch (...) {
      fail(std::current_exception());
    }
    const uint8_t finalize = dead_ranks_ == 0;
    for (int w : said_bye_) send(&finalize, 1, w, kFarewell);
    if (!finalize) job_.skip_finalize();
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    cv_.notify_all();
    for (auto& t : pool) t.join();
    if (error_) std::rethrow_exception(error_);
    report_.wall_seconds = seconds_since(t0);
    if (load_.results > 0)  // what rank 0 spends per remote run: the numbers behind docs/scale-out.md
      std::fprintf(stderr,
                   "mpi sweep: rank 0 answered %zu messages; %zu results from workers, %.1f KiB each on average; "
                   "%.2f ms of rank 0's time per remote run (hand-out, decode, store), %.2f ms of it in the store\n",
                   load_.messages, load_.results, double(load_.result_bytes) / 1024 / double(load_.results),
                   1e3 * load_.busy_seconds / double(load_.results), 1e3 * load_.store_seconds / double(load_.results));
    progress_->finish(std::to_string(report_.completed) + " completed, " + std::to_string(report_.diverged) +
                      " diverged, " + std::to_string(report_.interrupted) + " interrupted, " +
                      std::to_string(report_.skipped) + " skipped, on " + std::to_string(job_.size()) + " ranks");
    return report_;
  }

 private:
  struct Peer {
    std::set<uint64_t> outstanding;  // handed out, no result yet
    Clock::time_point last_heard = Clock::now();
    bool dead = false, gone = false;  // gone: said kBye
    bool active() const { return !dead && !gone; }
  };

  bool stopping() const { return failed_.load() || (options_.local.stop && options_.local.stop->load()); }

  void fail(std::exception_ptr e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = e;
    failed_ = true;
    cv_.notify_all();
  }

  std::optional<uint64_t> take() {
    std::lock_guard lock(mutex_);
    if (stopping() || queue_.empty()) return std::nullopt;
    const uint64_t i = queue_.front();
    queue_.pop_front();
    return i;
  }

  void count(const std::string& status, int rank) {  // under mutex_
    if (status != "interrupted") ++report_.finished_by_rank[size_t(rank)];
    (status == "completed" ? report_.completed : status == "diverged" ? report_.diverged : report_.interrupted)++;
    progress_->update(int64_t(report_.completed + report_.diverged),
                      std::to_string(report_.diverged) + " diverged, " + std::to_string(report_.skipped) +
                          " already stored, " + std::to_string(job_.size()) + " ranks");
  }

  void train_locally() {
    for (;;) {
      uint64_t i;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stopping() || !queue_.empty() || closed_; });
        if (stopping() || queue_.empty()) return;
        i = queue_.front();
        queue_.pop_front();
      }
      try {
        const RunResult r =
            execute_run(points_[i].config, store_, background_options(options_.local.stop), classifier_);
        std::lock_guard lock(mutex_);
        count(r.status, 0);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
    }
  }

  void dispatch() {
    std::map<int, Peer> peers;
    for (int r = 1; r < job_.size(); ++r) peers[r];
    auto any_active = [&] {
      for (const auto& [r, p] : peers)
        if (p.active()) return true;
      return false;
    };
    auto last_keepalive = Clock::now();
    while (any_active()) {
      MPI_Status status;
      if (wait_for_message(MPI_ANY_SOURCE, 0.25, status)) {
        const int w = status.MPI_SOURCE;
        const std::vector<char> bytes = receive(status);
        Peer& peer = peers[w];
        if (peer.dead) std::fprintf(stderr, "mpi sweep: rank %d is heard from again\n", w);
        peer.dead = false;
        peer.last_heard = Clock::now();
        const auto busy_from = Clock::now();
        if (status.MPI_TAG == kRequest) hand_out(w, peer);
        else if (status.MPI_TAG == kResult) save(w, peer, bytes);
        else if (status.MPI_TAG == kBye) peer.gone = true, said_bye_.insert(w);
        ++load_.messages;
        load_.busy_seconds += seconds_since(busy_from);
        if (status.MPI_TAG == kResult) ++load_.results, load_.result_bytes += bytes.size();
      }
      for (auto& [w, peer] : peers)
        if (peer.active() && seconds_since(peer.last_heard) > options_.rank_timeout) give_up_on(w, peer);
      if (seconds_since(last_keepalive) > heartbeat_seconds(options_)) {  // finished workers wait for kFarewell
        for (int w : said_bye_) send(kHeartbeat, w);
        last_keepalive = Clock::now();
      }
    }
  }

  void hand_out(int w, Peer& peer) {
    const auto i = take();
    if (!i) {
      if (!send(kDone, w)) give_up_on(w, peer);
      return;
    }
    const RunConfig& cfg = points_[*i].config;
    Assignment a{*i, {}};
    const std::string id = cfg.id();
    std::memcpy(a.run_id, id.data(), sizeof a.run_id);
    // In the store as "running" before it leaves: if anything dies now, a rerun trains it.
    // (The task's kind stands in for the dataset's name until the result replaces the row.)
    const auto t0 = Clock::now();
    store_.mark_running(id, cfg, cfg.task.kind, utc_now_iso8601());
    load_.store_seconds += seconds_since(t0);
    peer.outstanding.insert(*i);
    if (!send(&a, sizeof a, w, kAssign)) give_up_on(w, peer);
  }

  void save(int w, Peer& peer, const std::vector<char>& bytes) {
    const RunMessage m = decode_run_message(bytes);
    if (m.point >= points_.size() || points_[m.point].config.id() != m.run.id)
      throw std::runtime_error("mpi sweep: rank " + std::to_string(w) + " sent run " + m.run.id +
                               " for a point this sweep does not have there (ranks read different sweep files?)");
    const RunConfig& cfg = points_[m.point].config;
    const auto t0 = Clock::now();
    store_.save_run(m.run.id, cfg, m.run.task, m.run.result, m.run.phase, m.run.started_at, m.run.ended_at);
    load_.store_seconds += seconds_since(t0);
    peer.outstanding.erase(m.point);
    std::lock_guard lock(mutex_);
    count(m.run.result.status, w);
  }

  // A worker silent for rank_timeout (or unreachable) is taken for dead: its runs go back to
  // the front of the queue, where rank 0's own threads (and workers still asking) take them.
  void give_up_on(int w, Peer& peer) {
    std::fprintf(stderr, "mpi sweep: rank %d silent for %.0f s; its %zu runs in flight go to other ranks\n", w,
                 seconds_since(peer.last_heard), peer.outstanding.size());
    peer.dead = true;
    ++dead_ranks_;
    {
      std::lock_guard lock(mutex_);
      for (auto it = peer.outstanding.rbegin(); it != peer.outstanding.rend(); ++it) queue_.push_front(*it);
    }
    peer.outstanding.clear();
    cv_.notify_all();
  }

  MpiJob& job_;
  const std::vector<SweepPoint>& points_;
  Store& store_;
  const PhaseClassifier& classifier_;
  const MpiSweepOptions& options_;
  std::mutex mutex_;  // guards queue_, closed_, report_, progress_, error_
  std::condition_variable cv_;
  std::deque<uint64_t> queue_;
  bool closed_ = false;  // the dispatcher is done: no run will come back to the queue
  SweepReport report_;
  struct {
    size_t messages = 0, results = 0, result_bytes = 0;
    double busy_seconds = 0;   // handling messages, store writes included
    double store_seconds = 0;  // of which in the store (two transactions per run)
  } load_;  // dispatcher thread only
  std::optional<Progress> progress_;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
  size_t dead_ranks_ = 0;       // taken for dead at some point (even if heard from again)
  std::set<int> said_bye_;      // dispatcher thread only
};

// A worker rank: its main thread talks to rank 0, its --jobs threads train.
class Worker {
 public:
  Worker(MpiJob& job, const std::vector<SweepPoint>& points, const PhaseClassifier& classifier,
         const MpiSweepOptions& options)
      : job_(job), points_(points), classifier_(classifier), options_(options) {}

  void run() {
    std::vector<std::thread> pool;
    const int jobs = std::max(1, options_.local.jobs);
    for (int j = 0; j < jobs; ++j) pool.emplace_back([this] { train(); });
    try {
      talk_to_rank0(jobs);
    } catch (...) {
      fail(std::current_exception());
    }
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    cv_.notify_all();
    for (auto& t : pool) t.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  bool stopping() const { return failed_.load() || (options_.local.stop && options_.local.stop->load()); }

  void fail(std::exception_ptr e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = e;
    failed_ = true;
    cv_.notify_all();
  }

  void talk_to_rank0(int jobs) {
    const double heartbeat = heartbeat_seconds(options_);
    size_t in_flight = 0;
    bool done = false;
    auto last_sent = Clock::now();
    for (;;) {
      while (!done && !stopping() && in_flight < size_t(jobs)) {
        send(kRequest, 0);
        MPI_Status status;
        if (!wait_for_message(0, options_.rank_timeout, status))
          throw std::runtime_error("mpi sweep: rank 0 silent for " + std::to_string(int(options_.rank_timeout)) +
                                   " s; giving up (rerun the command to finish the sweep)");
        const std::vector<char> bytes = receive(status);
        last_sent = Clock::now();
        if (status.MPI_TAG == kDone) {
          done = true;
        } else {
          Assignment a;
          if (bytes.size() != sizeof a) throw std::runtime_error("mpi sweep: malformed hand-out from rank 0");
          std::memcpy(&a, bytes.data(), sizeof a);
          if (a.point >= points_.size() || points_[a.point].config.id() != std::string(a.run_id, sizeof a.run_id))
            throw std::runtime_error("mpi sweep: rank 0 handed out run " + std::string(a.run_id, sizeof a.run_id) +
                                     ", which is not at that point of this rank's sweep (ranks read different sweep files?)");
          std::lock_guard lock(mutex_);
          inbox_.push_back(a.point);
          ++in_flight;
          cv_.notify_all();
        }
      }
      if (in_flight == 0 && (done || stopping())) break;
      std::vector<std::vector<char>> results;
      {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::duration<double>(heartbeat), [&] { return !outbox_.empty() || failed_; });
        results.swap(outbox_);
      }
      if (failed_) break;
      for (const auto& r : results) send(r.data(), r.size(), 0, kResult);
      in_flight -= results.size();
      if (!results.empty()) last_sent = Clock::now();
      if (seconds_since(last_sent) >= heartbeat) {  // still training: tell rank 0 this rank is alive
        send(kHeartbeat, 0);
        last_sent = Clock::now();
      }
    }
    send(kBye, 0);
    for (;;) {  // rank 0 sends heartbeats until every worker is through, then kFarewell
      MPI_Status status;
      if (!wait_for_message(0, options_.rank_timeout, status)) return job_.skip_finalize();
      const std::vector<char> bytes = receive(status);
      if (status.MPI_TAG != kFarewell) continue;
      if (bytes.size() != 1 || bytes[0] == 0) job_.skip_finalize();
      return;
    }
  }

  void train() {
    for (;;) {
      uint64_t i;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return failed_ || !inbox_.empty() || closed_; });
        if (failed_ || inbox_.empty()) return;
        i = inbox_.front();
        inbox_.pop_front();
      }
      try {
        std::vector<char> bytes = encode_run_message(train_point(points_, i, classifier_, options_.local.stop));
        std::lock_guard lock(mutex_);
        outbox_.push_back(std::move(bytes));
        cv_.notify_all();
      } catch (...) {
        fail(std::current_exception());
        return;
      }
    }
  }

  MpiJob& job_;
  const std::vector<SweepPoint>& points_;
  const PhaseClassifier& classifier_;
  const MpiSweepOptions& options_;
  std::mutex mutex_;  // guards inbox_, outbox_, closed_, error_
  std::condition_variable cv_;
  std::deque<uint64_t> inbox_;
  std::vector<std::vector<char>> outbox_;
  bool closed_ = false;
  std::exception_ptr error_;
  std::atomic<bool> failed_{false};
};

}  // namespace

MpiJob::MpiJob() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  // Errors come back as codes, so rank 0 can outlive a dead worker (under mpirun --enable-recovery).
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

MpiJob::~MpiJob() {
  if (finalize_) MPI_Finalize();
}

int MpiJob::first_failed(bool ok) const {
  int mine = ok ? INT_MAX : rank_, lowest = INT_MAX;
  MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return lowest == INT_MAX ? -1 : lowest;
}

void MpiJob::barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

void MpiJob::abort(int status) const {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

SweepReport run_mpi_sweep(MpiJob& job, const std::vector<SweepPoint>& points, Store* store,
                          const PhaseClassifier& classifier, const MpiSweepOptions& options) {
  if (job.rank() == 0) return Coordinator(job, points, *store, classifier, options).run();
  Worker(job, points, classifier, options).run();
  return {};
}

}  // namespace geneft
