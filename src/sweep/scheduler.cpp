#include "sweep/scheduler.h"

#include <chrono>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "core/progress.h"
#include "run/execute_run.h"

namespace geneft {

SweepReport run_sweep(const std::vector<SweepPoint>& points, Store& store, const PhaseClassifier& classifier,
                      const SchedulerOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  SweepReport report;
  std::vector<const RunConfig*> todo;
  std::set<std::string> seen;
  for (const auto& p : points) {
    const std::string id = p.config.id();
    if (!seen.insert(id).second) continue;
    ++report.total;
    const auto status = store.run_status(id);
    if (status && is_finished(*status)) ++report.skipped;
    else todo.push_back(&p.config);
  }

  std::mutex mutex;  // guards report, progress and the first error
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  std::atomic<size_t> next{0};
  Progress progress(options.label, int64_t(todo.size()), options.progress);
  auto stopping = [&] { return failed.load() || (options.stop && options.stop->load()); };

  auto worker = [&] {
    for (size_t i; !stopping() && (i = next.fetch_add(1)) < todo.size();) {
      try {
        const RunResult r = execute_run(*todo[i], store, background_options(options.stop), classifier);
        std::lock_guard lock(mutex);
        (r.status == "completed" ? report.completed : r.status == "diverged" ? report.diverged : report.interrupted)++;
        const size_t done = report.completed + report.diverged;
        progress.update(int64_t(done), std::to_string(report.diverged) + " diverged, " +
                                           std::to_string(report.skipped) + " already stored");
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, options.jobs); ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  progress.finish(std::to_string(report.completed) + " completed, " + std::to_string(report.diverged) + " diverged, " +
                  std::to_string(report.interrupted) + " interrupted, " + std::to_string(report.skipped) + " skipped");
  return report;
}

}  // namespace geneft
