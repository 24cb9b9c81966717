// The machine's single-core float rates that bench/perf_bench.py compares geneft's training
// steps with:
//   gemm_peak        a large float GEMM through Eigen on one thread (1024³), GFLOP/s
//   gemm_peak --fma  the core's fused multiply-add throughput: independent FMAs on registers,
//                    no loads or stores, the widest vectors the build targets. No matrix product
//                    of any library can pass it, so it bounds every speed-up of a step that
//                    computes a given number of FLOPs (the roofline's compute roof).
#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace {

#if defined(__AVX512F__)
constexpr int kLanes = 16;
#elif defined(__AVX__)
constexpr int kLanes = 8;
#else
constexpr int kLanes = 4;
#endif
typedef float Vec __attribute__((vector_size(4 * kLanes)));

// 12 independent chains: enough to cover the FMA latency (4–5 cycles) on two pipes.
// The contraction of a * b + c into one FMA is GCC's default (-ffp-contract=fast) with -march=native.
constexpr int kChains = 12;

double fma_rate(long iterations) {
  Vec acc[kChains], b, c;
  for (int l = 0; l < kLanes; ++l) b[l] = 0.999999f, c[l] = 1e-7f;
  for (int j = 0; j < kChains; ++j)
    for (int l = 0; l < kLanes; ++l) acc[j][l] = 1.0f + 1e-6f * j;
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i) {
#pragma GCC unroll 12
    for (int j = 0; j < kChains; ++j) acc[j] = acc[j] * b + c;
    asm volatile("" : "+x"(b));  // keeps the loop from being folded
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  float sum = 0;
  for (int j = 0; j < kChains; ++j) sum += acc[j][0];
  return 2.0 * kLanes * kChains * iterations / s / 1e9 + 0 * sum;
}

double gemm_rate() {
  const int n = 1024;
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n), c(n, n);
  c.noalias() = a * b;  // warm-up
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    c.noalias() = a * b;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, 2.0 * n * n * n / s / 1e9);
  }
  return best + 0 * c(0, 0);
}

}  // namespace

int main(int argc, char** argv) {
  double best = 0;
  if (argc > 1 && std::strcmp(argv[1], "--fma") == 0) {
    for (int rep = 0; rep < 5; ++rep) best = std::max(best, fma_rate(20'000'000));
  } else {
    best = gemm_rate();
  }
  std::printf("%.2f\n", best);  // GFLOP/s, best of 5
  return 0;
}
