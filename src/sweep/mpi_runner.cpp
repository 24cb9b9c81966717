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
// no more messages from this rank). Rank 0 -> worker: kAssign (Assignment) or kDone (empty);
// kDismiss (empty) when rank 0 gave up on the worker (silent past --rank-timeout: its runs went
// to others); and when every worker said kBye or was dismissed, kFarewell (one byte: 1 = call
// MPI_Finalize, 0 = a rank is lost, leave without).
// Every message is small (eager) except kResult, which the worker sends without blocking.
enum Tag : int {
  kRequest = 1, kAssign = 2, kDone = 3, kResult = 4, kHeartbeat = 5, kBye = 6, kFarewell = 7, kDismiss = 8
};

struct Assignment {
  uint64_t point;
  char run_id[16];  // run ids are 16 hex digits
};

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Naps between polls, doubling up to 2 ms, and counts the time asked for: a process that was
// paused (SIGSTOP) and resumed has not waited while it slept, so it looks once more before it
// takes the other side for silent.
class Naps {
 public:
  void take() {
    std::this_thread::sleep_for(nap_);
    waited_ += std::chrono::duration<double>(nap_).count();
    nap_ = std::min(nap_ * 2, std::chrono::microseconds(2000));
  }
  double waited() const { return waited_; }

 private:
  std::chrono::microseconds nap_{20};
  double waited_ = 0;
};

// Waits for a message from `source` (with `tag`) without spinning a core (MPI's blocking receive
// busy-waits, and rank 0 shares its cores with its training threads). False after `timeout` seconds.
bool wait_for_message(int source, double timeout, MPI_Status& status, int tag = MPI_ANY_TAG) {
  for (Naps naps;; naps.take()) {
    int flag = 0;
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &status);
    if (flag) return true;
    if (naps.waited() > timeout) return false;
  }
}

bool has_message(int source, int tag) {
  int flag = 0;
  MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
  return flag != 0;
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
    counted_.assign(points_.size(), false);
    progress_.emplace(options_.local.label, int64_t(queue_.size()), options_.local.progress);
    std::vector<std::thread> pool;
    for (int j = 0; j < std::max(1, options_.local.jobs); ++j) pool.emplace_back([this] { train_locally(); });
    try {
      dispatch();
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
    bool dismissed = false, gone = false;  // dismissed: given up on (and told); gone: said kBye
    bool active() const { return !dismissed && !gone; }
  };

  bool stopping() const { return failed_.load() || (options_.local.stop && options_.local.stop->load()); }

  void fail(std::exception_ptr e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = e;
    failed_ = true;
    cv_.notify_all();
  }

  // The next run of the queue that has no result yet (under mutex_).
  std::optional<uint64_t> pop() {
    while (!stopping() && !queue_.empty()) {
      const uint64_t i = queue_.front();
      queue_.pop_front();
      if (!counted_[i]) return i;
    }
    return std::nullopt;
  }
  std::optional<uint64_t> take() {
    std::lock_guard lock(mutex_);
    return pop();
  }

  // A run's first result is counted; a second one (a rank given up on that finished it after
  // all, or rank 0's thread that trained it meanwhile) is not (under mutex_).
  void count(uint64_t point, const std::string& status, int rank) {
    if (counted_[point]) return;
    counted_[point] = true;
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
        const auto next = pop();
        if (!next) {
          if (stopping() || closed_) return;
          continue;
        }
        i = *next;
      }
      try {
        const auto r = execute_run(points_[i].config, store_, background_options(options_.local.stop), classifier_);
        std::lock_guard lock(mutex_);
        if (r) count(i, r->status, 0);
        else if (!counted_[i]) ++report_.skipped;  // trained by another process on this store
      } catch (...) {
        fail(std::current_exception());
        return;
      }
    }
  }

  void dispatch() {
    std::map<int, Peer> peers;
    for (int r = 1; r < job_.size(); ++r) peers[r];
    auto count_peers = [&](auto&& which) {
      size_t n = 0;
      for (const auto& [r, p] : peers) n += which(p);
      return n;
    };
    auto active = [&] { return count_peers([](const Peer& p) { return p.active(); }); };
    auto missing = [&] { return count_peers([](const Peer& p) { return p.dismissed && !p.gone; }); };
    serve(peers, [&] { return active() > 0; });
    // MPI_Finalize waits for every rank: for a paused one until it resumes (it then finds
    // kDismiss and kFarewell and leaves), for a dead one for ever (Open MPI 4.1). Without
    // --enable-recovery a dead rank would have ended the job, so a rank given up on and not heard
    // from since is alive; under it, such a rank gets rank_timeout more to say goodbye, and if it
    // does not, every rank leaves without MPI_Finalize.
    bool finalize = true;
    if (missing() > 0 && recovery_enabled()) {
      const auto t0 = Clock::now();
      serve(peers, [&] { return missing() > 0 && seconds_since(t0) < options_.rank_timeout; });
      finalize = missing() == 0;
    } else if (missing() > 0) {
      std::fprintf(stderr, "mpi sweep: every run is done; waiting for %zu rank(s) given up on to resume and leave\n",
                   missing());
    }
    const uint8_t farewell = finalize;
    for (const auto& [w, peer] : peers) send(&farewell, 1, w, kFarewell);
    if (!finalize) job_.skip_finalize();
  }

  // Open MPI's mpirun --enable-recovery: the job outlives a dead rank.
  static bool recovery_enabled() {
    const char* s = std::getenv("OMPI_MCA_orte_enable_recovery");
    return s && std::string(s) != "0";
  }

  // Answers the workers while keep_going(); gives up on those silent for rank_timeout.
  template <class KeepGoing>
  void serve(std::map<int, Peer>& peers, KeepGoing keep_going) {
    auto last_keepalive = Clock::now();
    while (keep_going()) {
      MPI_Status status;
      if (wait_for_message(MPI_ANY_SOURCE, 0.25, status)) {
        const int w = status.MPI_SOURCE;
        const std::vector<char> bytes = receive(status);
        Peer& peer = peers[w];
        peer.last_heard = Clock::now();
        const auto busy_from = Clock::now();
        if (status.MPI_TAG == kRequest) peer.dismissed ? void(send(kDone, w)) : hand_out(w, peer);
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
    peer.outstanding.erase(m.point);
    {
      std::lock_guard lock(mutex_);
      if (counted_[m.point]) return;  // a second result of a run given to another rank: the same numbers
    }
    // A rank given up on may still deliver a run it finished; it is not told to stop anything else.
    if (peer.dismissed && !is_finished(m.run.result.status)) return;
    const RunConfig& cfg = points_[m.point].config;
    const auto t0 = Clock::now();
    store_.save_run(m.run.id, cfg, m.run.task, m.run.result, m.run.phase, m.run.started_at, m.run.ended_at);
    load_.store_seconds += seconds_since(t0);
    std::lock_guard lock(mutex_);
    count(m.point, m.run.result.status, w);
  }

  // A worker silent for rank_timeout (or unreachable) is given up on: its runs go back to the
  // front of the queue, where rank 0's own threads (and workers still asking) take them, and it is
  // told so (kDismiss), so that if it was only paused it stops training and leaves when it resumes.
  void give_up_on(int w, Peer& peer) {
    std::fprintf(stderr, "mpi sweep: rank %d silent for %.0f s; its %zu runs in flight go to other ranks\n", w,
                 seconds_since(peer.last_heard), peer.outstanding.size());
    peer.dismissed = true;
    send(kDismiss, w);
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
  std::mutex mutex_;  // guards queue_, counted_, closed_, report_, progress_, error_
  std::condition_variable cv_;
  std::deque<uint64_t> queue_;
  std::vector<bool> counted_;  // per point: a result was saved and counted
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
  std::set<int> said_bye_;  // dispatcher thread only
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
  bool stopping() const { return failed_.load() || stop_.load(); }

  void fail(std::exception_ptr e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = e;
    failed_ = true;
    cv_.notify_all();
  }

  // Sends to rank 0 without blocking on it: a result larger than MPI's eager limit waits for
  // rank 0 to receive it, and rank 0 may have moved on (kFarewell: the send is withdrawn, false).
  bool post(const void* data, size_t n, Tag tag) {
    if (n > size_t(INT_MAX)) throw std::runtime_error("mpi sweep: a run's result is larger than 2 GiB");
    MPI_Request request;
    MPI_Isend(data, int(n), MPI_BYTE, 0, tag, MPI_COMM_WORLD, &request);
    for (Naps naps;; naps.take()) {
      int sent = 0;
      MPI_Test(&request, &sent, MPI_STATUS_IGNORE);
      if (sent) return true;
      if (has_message(0, kFarewell) || naps.waited() > options_.rank_timeout) {
        MPI_Cancel(&request);
        MPI_Request_free(&request);
        if (naps.waited() > options_.rank_timeout) throw rank0_silent();
        return false;
      }
    }
  }

  std::runtime_error rank0_silent() const {
    return std::runtime_error("mpi sweep: rank 0 silent for " + std::to_string(int(options_.rank_timeout)) +
                              " s; giving up (rerun the command to finish the sweep)");
  }

  // Rank 0 gave up on this rank (it was silent too long, e.g. paused): its runs went to others.
  void check_dismissed() {
    if (dismissed_ || !has_message(0, kDismiss)) return;
    MPI_Recv(nullptr, 0, MPI_BYTE, 0, kDismiss, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::fprintf(stderr,
                 "mpi sweep: rank %d: rank 0 gave up on this rank (silent past --rank-timeout) and gave its runs to "
                 "others; leaving\n",
                 job_.rank());
    dismissed_ = true;
    stop_ = true;  // the runs in training are abandoned
    std::lock_guard lock(mutex_);
    inbox_.clear();
  }

  void talk_to_rank0(int jobs) {
    const double heartbeat = heartbeat_seconds(options_);
    size_t in_flight = 0;
    bool done = false;
    auto last_sent = Clock::now();
    for (;;) {
      if (options_.local.stop && options_.local.stop->load()) stop_ = true;  // SIGINT: runs end "interrupted"
      check_dismissed();
      if (dismissed_) break;
      while (!done && !stopping() && in_flight < size_t(jobs)) {
        if (!post(nullptr, 0, kRequest)) break;
        MPI_Status status;
        if (!wait_for_message(0, options_.rank_timeout, status)) throw rank0_silent();
        if (status.MPI_TAG == kDismiss) break;  // check_dismissed() takes it
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
      check_dismissed();
      if (dismissed_) break;
      if (in_flight == 0 && (done || stopping())) break;
      std::vector<std::vector<char>> results;
      {  // wakes at least every 0.1 s: SIGINT and a dismissal reach the training threads that fast
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::milliseconds(100), [&] { return !outbox_.empty() || failed_; });
        results.swap(outbox_);
      }
      if (failed_) break;
      check_dismissed();
      if (dismissed_) break;
      for (const auto& r : results) {
        if (!post(r.data(), r.size(), kResult)) break;
        --in_flight;
        last_sent = Clock::now();
      }
      if (seconds_since(last_sent) >= heartbeat) {  // still training: tell rank 0 this rank is alive
        post(nullptr, 0, kHeartbeat);
        last_sent = Clock::now();
      }
    }
    post(nullptr, 0, kBye);
    // Rank 0 sends heartbeats until every worker is through, then kFarewell: 1 = MPI_Finalize,
    // 0 = a rank is lost, leave without (MPI_Finalize would wait for it).
    MPI_Status status;
    while (wait_for_message(0, options_.rank_timeout, status)) {
      const std::vector<char> bytes = receive(status);
      if (status.MPI_TAG != kFarewell) continue;
      if (bytes.size() != 1 || bytes[0] == 0) job_.skip_finalize();
      return;
    }
    job_.skip_finalize();  // rank 0 is gone
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
        std::vector<char> bytes = encode_run_message(train_point(points_, i, classifier_, &stop_));
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
  std::atomic<bool> stop_{false};  // the training threads' stop: SIGINT, or dismissed
  bool dismissed_ = false;         // talking thread only
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
