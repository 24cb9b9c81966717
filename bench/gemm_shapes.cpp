// GFLOP/s of each benchmark model's own matrix products (forward and both backward products of every
// Linear, as geneft's step computes them: per-symbol first layers with V rows), one thread,
// with Eigen, OpenBLAS (cblas) and libxsmm's JIT kernels, in float and double. Per case it
// prints the FLOPs of one step's products and the time the best library per product takes
// for them: "the best measured kernel for these shapes" that bench/perf_bench.py compares
// geneft's step with.
//
// usage: gemm_shapes [--csv]      (--csv: one line per case in float, for perf_bench.py)
#include <cblas.h>
#include <libxsmm.h>

#include "nn/gemm.h"

#include <Eigen/Core>
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

extern "C" void openblas_set_num_threads(int);

namespace {

template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Map = Eigen::Map<Mat<T>>;

// One Linear of a step: inp (B, C), W (OC, C), out (B, OC). Its three products:
// forward out = inp W^T, dinp = dout W, dW += dout^T inp.
struct Layer {
  const char* what;
  int B, C, OC;
};
struct Case {
  const char* key;  // perf_bench.py's case key
  const char* name;
  std::vector<Layer> layers;
};

// The shapes of bench/perf_bench.py's cases as geneft computes them (the first Linear per symbol:
// V rows instead of B; the transformer's Q, K, V per (token, position); see docs/performance.md).
const std::vector<Case> kCases = {
    {"liu", "Liu toy (B=45, 200-200 tanh, MSE 30)", {{"symbol 1->200", 10, 1, 200}, {"hidden", 45, 200, 200}, {"out", 45, 200, 30}}},
    {"relation", "GenEFT relation (B=270, 3x50)",
     {{"symbol a 2->50", 30, 2, 50}, {"symbol b 2->50", 30, 2, 50}, {"hidden", 270, 50, 50}, {"hidden", 270, 50, 50}, {"out", 270, 50, 1}}},
    {"modadd", "mod-add MLP (B=1740, 2x128)",
     {{"symbol a 32->128", 59, 32, 128}, {"symbol b 32->128", 59, 32, 128}, {"hidden", 1740, 128, 128}, {"out", 1740, 128, 59}}},
    {"large", "p=113 MLP (B=3831, 512 wide)",
     {{"symbol a 128->512", 113, 128, 512}, {"symbol b 128->512", 113, 128, 512}, {"out", 3831, 512, 113}}},
    {"transformer", "transformer (B=3831, d 128, MLP 512)",
     {{"K per (token, pos)", 342, 128, 128}, {"V per (token, pos)", 342, 128, 128}, {"Q per token", 114, 128, 128},
      {"W_O", 3831, 128, 128}, {"W_in", 3831, 128, 512}, {"W_out", 3831, 512, 128}, {"W_U", 3831, 128, 113}}},
};

enum Product { Fwd, DInp, DW };
const char* kProductName[] = {"fwd", "dinp", "dW"};

template <class T>
struct Operands {
  std::vector<T> inp, W, out, dout, dinp, dW;
  Operands(const Layer& L) {
    auto fill = [](std::vector<T>& v, size_t n) {
      v.resize(n);
      for (size_t i = 0; i < n; ++i) v[i] = T((i * 2654435761u % 1000) / 1000.0 - 0.5);
    };
    fill(inp, size_t(L.B) * L.C), fill(W, size_t(L.OC) * L.C);
    fill(out, size_t(L.B) * L.OC), fill(dout, size_t(L.B) * L.OC);
    fill(dinp, size_t(L.B) * L.C), fill(dW, size_t(L.OC) * L.C);
  }
};

// This thread's CPU seconds per call, the least over 15 batches of >= 0.5 ms each: CPU time and
// the minimum, because the machine is shared (what other processes take inflates wall time).
double cpu_now() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
double seconds_per_call(auto&& f) {
  f();
  int reps = 1;
  for (;; reps *= 2) {
    const double t0 = cpu_now();
    for (int r = 0; r < reps; ++r) f();
    if (cpu_now() - t0 >= 5e-4) break;
  }
  double best = 1e30;
  for (int batch = 0; batch < 15; ++batch) {
    const double t0 = cpu_now();
    for (int r = 0; r < reps; ++r) f();
    best = std::min(best, (cpu_now() - t0) / reps);
  }
  return best;
}

template <class T>
double eigen(const Layer& L, Product p, Operands<T>& o) {  // as src/nn/gemm.cpp's fallback computes them
  Map<T> inp(o.inp.data(), L.B, L.C), W(o.W.data(), L.OC, L.C), out(o.out.data(), L.B, L.OC),
      dout(o.dout.data(), L.B, L.OC), dinp(o.dinp.data(), L.B, L.C), dW(o.dW.data(), L.OC, L.C);
  switch (p) {
    case Fwd: return seconds_per_call([&] { out.noalias() = inp * W.transpose(); });
    case DInp: return seconds_per_call([&] { dinp.noalias() = dout * W; });
    case DW: return seconds_per_call([&] { dW.noalias() += dout.transpose() * inp; });
  }
  return 0;
}

template <class T>
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int M, int N, int K, const T* A, int lda, const T* B, int ldb, T beta,
          T* C, int ldc) {
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, 1.f, A, lda, B, ldb, beta, C, ldc);
  else
    cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, 1.0, A, lda, B, ldb, beta, C, ldc);
}

template <class T>
double openblas(const Layer& L, Product p, Operands<T>& o) {
  switch (p) {
    case Fwd:
      return seconds_per_call([&] { gemm<T>(CblasNoTrans, CblasTrans, L.B, L.OC, L.C, o.inp.data(), L.C, o.W.data(), L.C, 0, o.out.data(), L.OC); });
    case DInp:
      return seconds_per_call([&] { gemm<T>(CblasNoTrans, CblasNoTrans, L.B, L.C, L.OC, o.dout.data(), L.OC, o.W.data(), L.C, 0, o.dinp.data(), L.C); });
    case DW:
      return seconds_per_call([&] { gemm<T>(CblasTrans, CblasNoTrans, L.OC, L.C, L.B, o.dout.data(), L.OC, o.inp.data(), L.C, 1, o.dW.data(), L.C); });
  }
  return 0;
}

// libxsmm's JIT kernels as geneft's kernel layer plans them (src/nn/gemm.h): the forward
// through a transposed copy of W (its time included), dW through the TRANS_B kernel in blocks.
template <class T>
double xsmm(const Layer& L, Product p, Operands<T>& o) {
  geneft::LinearKernels<T> k({.C = L.C, .OC = L.OC}, L.B);
  switch (p) {
    case Fwd: return seconds_per_call([&] { k.forward(o.out.data(), o.inp.data(), o.W.data(), L.B); });
    case DInp: return seconds_per_call([&] { k.backward_input(o.dinp.data(), o.dout.data(), o.W.data(), L.B); });
    case DW: return seconds_per_call([&] { k.backward_weight(o.dW.data(), o.dout.data(), o.inp.data(), L.B); });
  }
  return 0;
}

template <class T>
void run(bool csv, const char* dtype) {
  for (const Case& c : kCases) {
    double flops = 0, best_s = 0, eigen_s = 0;
    if (!csv) std::printf("\n%s, %s\n| layer | product | M×N×K | Eigen | OpenBLAS | libxsmm (geneft's kernels) | best |\n|---|---|---|---|---|---|---|\n", c.name, dtype);
    for (const Layer& L : c.layers) {
      Operands<T> o(L);
      for (Product p : {Fwd, DInp, DW}) {
        const double f = 2.0 * L.B * L.C * L.OC;
        const double te = eigen<T>(L, p, o), tb = openblas<T>(L, p, o), tx = xsmm<T>(L, p, o);
        const double best = std::min({te, tb, tx});
        flops += f, best_s += best, eigen_s += te;
        const int M = p == DW ? L.OC : L.B, N = p == Fwd ? L.OC : L.C, K = p == Fwd ? L.C : p == DInp ? L.OC : L.B;
        auto g = [&](double t) { return int(f / t / 1e9 + 0.5); };
        if (!csv)
          std::printf("| %s | %s | %d×%d×%d | %d | %d | %d | %s |\n", L.what, kProductName[p], M, N, K, g(te), g(tb),
                      g(tx), best == te ? "Eigen" : best == tb ? "OpenBLAS" : "libxsmm");
      }
    }
    if (csv)
      std::printf("%s,%s,%.0f,%.3f,%.3f\n", c.key, dtype, flops, best_s * 1e6, eigen_s * 1e6);
    else
      std::printf("step's products: %.2f MFLOP, best kernels %.1f µs = %.0f GFLOP/s (Eigen alone %.1f µs)\n", flops / 1e6,
                  best_s * 1e6, flops / best_s / 1e9, eigen_s * 1e6);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool csv = argc > 1 && std::string(argv[1]) == "--csv";
  openblas_set_num_threads(1);
  libxsmm_init();
  if (csv) std::printf("case,dtype,flops,best_us,eigen_us\n");
  run<float>(csv, "float32");
  if (!csv) run<double>(csv, "float64");  // perf_bench.py compares float steps
  libxsmm_finalize();
  return 0;
}
