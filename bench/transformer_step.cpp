// µs per forward+backward of the one-layer transformer (float, one thread) with the Q, K, V
// projections per (token, position) and per sample: what the symbol path buys. CPU time of
// the process (the machine is shared: CPU time is what other processes inflate least).
// usage: transformer_step [p] [train_fraction] [steps] [both|symbol|sample]
//        (symbol: only the per-symbol path, e.g. under perf record; docs/performance.md)
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "nn/models/transformer.h"

using namespace geneft;

static double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

int main(int argc, char** argv) {
  const int p = argc > 1 ? std::atoi(argv[1]) : 113;
  const double fraction = argc > 2 ? std::atof(argv[2]) : 0.3;
  const int steps = argc > 3 ? std::atoi(argv[3]) : 20;
  const std::string which = argc > 4 ? argv[4] : "both";
  const int B = int(fraction * p * p + 0.5);
  const TransformerShape shape{p, 128, 4, 32, 512, p};
  Rng rng(0);
  std::vector<int32_t> tokens(2 * B), y(B);  // position-major: a then b
  for (int i = 0; i < B; ++i) tokens[i] = int(rng.below(p)), tokens[B + i] = int(rng.below(p)), y[i] = (tokens[i] + tokens[B + i]) % p;
  const Batch<float> batch{.size = B, .positions = 2, .tokens = tokens.data(), .labels = y.data()};
  for (bool shortcut : {false, true}) {
    if (which != "both" && which != (shortcut ? "symbol" : "sample")) continue;
    Transformer<float> m(shape, B);
    m.allow_symbol_shortcut = shortcut;
    m.init(0);
    auto step = [&] {
      m.forward(batch);
      m.zero_grad();
      m.backward(batch);
    };
    step();
    const double t0 = cpu_seconds();
    for (int s = 0; s < steps; ++s) step();
    const double us = (cpu_seconds() - t0) / steps * 1e6;
    std::printf("p=%d B=%d %s: %.0f us per forward+backward\n", p, B, shortcut ? "per-symbol projections" : "per-sample projections", us);
  }
}
