#pragma once
// Independent chains on a pool of threads: chain c runs once, in whichever thread takes it next.
// The result of a chain depends only on its index (its own RNG stream), not on the thread.
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace geneft {

// Calls run(c) for c = 0 .. chains-1 on min(chains, threads) threads (threads <= 0: one per core).
template <class Run>
void run_chains(int chains, int threads, Run run) {
  const int hw = std::max(1u, std::thread::hardware_concurrency());
  const int n = std::min(chains, threads > 0 ? threads : hw);
  std::atomic<int> next{0};
  auto work = [&] {
    for (int c; (c = next++) < chains;) run(c);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace geneft
