// GFLOP/s of each benchmark model's own matrix products (forward and both backward products of every
// Linear, as geneft's step computes them: per-symbol first layers with V rows), one thread,
// with each library of geneft's kernel layer (src/nn/gemm.h, forced: Eigen, OpenBLAS's
// cblas_?gemm, libxsmm's JIT kernels the way geneft runs them) and with the library geneft's
// rule chose for the product (through LinearKernels, as the model calls it), in float and double.
// Per case it prints the FLOPs of one step's products, the time the best library per product
// takes for them ("the best measured kernel for these shapes" that bench/perf_bench.py compares
// geneft's step with) and the time of geneft's choices.
//
// The transformer's attention (sample by sample and head by head: products of 3 by 32) counts
// as the faster of its six products run one call each with the best library, and geneft's own
// attention_forward and attention_backward, softmax included (nn/attention.h).
//
// usage: gemm_shapes [--csv]      (--csv: one line per case in float, for perf_bench.py)
#include "core/rng.h"
#include "nn/attention.h"
#include "nn/gemm.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace {

// One Linear of a step: inp (B, C), W (OC, C), out (B, OC). Its three products:
// forward out = inp W^T, dinp = dout W, dW += dout^T inp.
struct Layer {
  const char* what;
  int B, C, OC;
};
// Attention read at the last position (nn/attention.h): B samples, T positions, H heads of dh
// (B = 0: none).
struct Attention {
  int B = 0, T, H, dh;
};
struct Case {
  const char* key;  // perf_bench.py's case key
  const char* name;
  std::vector<Layer> layers;
  Attention attention{};
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
      {"W_O", 3831, 128, 128}, {"W_in", 3831, 128, 512}, {"W_out", 3831, 512, 128}, {"W_U", 3831, 128, 113}},
     {3831, 3, 4, 32}},
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

const geneft::GemmBackend kLibraries[] = {geneft::GemmBackend::Eigen, geneft::GemmBackend::OpenBlas,
                                          geneft::GemmBackend::Libxsmm};

geneft::GemmShape product_shape(const Layer& L, Product p) {
  switch (p) {
    case Fwd: return {.M = L.B, .N = L.OC, .K = L.C, .b_transposed = true};  // out = inp W^T
    case DInp: return {.M = L.B, .N = L.C, .K = L.OC};                       // dinp = dout W
    case DW: return {.M = L.OC, .N = L.C, .K = L.B, .a_transposed = true, .accumulate = true};  // dW += dout^T inp
  }
  return {};
}

// Seconds per call of product p with one library (1e30: it has no kernel for the shape).
template <class T>
double library_seconds(const Layer& L, Product p, Operands<T>& o, geneft::GemmBackend library) {
  geneft::Gemm<T> g(product_shape(L, p), library);
  if (g.backend() != library) return 1e30;
  switch (p) {
    case Fwd: return seconds_per_call([&] { g(o.inp.data(), o.W.data(), o.out.data()); });
    case DInp: return seconds_per_call([&] { g(o.dout.data(), o.W.data(), o.dinp.data()); });
    case DW: return seconds_per_call([&] { g(o.dout.data(), o.inp.data(), o.dW.data()); });
  }
  return 0;
}

// Seconds per call of product p as geneft's model runs it, and the library its rule chose.
template <class T>
std::pair<double, geneft::GemmBackend> geneft_seconds(const Layer& L, Product p, Operands<T>& o) {
  geneft::LinearKernels<T> k({.C = L.C, .OC = L.OC}, L.B);
  auto& plan = k.plan(L.B);
  switch (p) {
    case Fwd:
      return {seconds_per_call([&] { k.forward(o.out.data(), o.inp.data(), o.W.data(), L.B); }), plan.fwd.backend()};
    case DInp:
      return {seconds_per_call([&] { k.backward_input(o.dinp.data(), o.dout.data(), o.W.data(), L.B); }),
              plan.dinp.backend()};
    case DW:
      return {seconds_per_call([&] { k.backward_weight(o.dW.data(), o.dout.data(), o.inp.data(), L.B); }),
              plan.dW.backend()};
  }
  return {};
}

// One of the attention's products, made `count` times per step (once per sample and head), each
// C (M, N) = A (M, K) B (K, N) on its own dense operands, or C += with accumulate.
struct Batched {
  const char* what;
  int count, M, N, K;
  bool accumulate;
};

// The six products of the attention per sample and head: scores s (T) = K_h q_h, z_h = att V_h;
// backward d att = V_h dz_h, dV_h += att dz_h^T, dq_h += ds K_h, dK_h += ds q_h^T.
std::vector<Batched> attention_products(const Attention& a) {
  const int n = a.B * a.H;
  return {{"scores K q", n, a.T, 1, a.dh, false}, {"z = att V", n, 1, a.dh, a.T, false},
          {"d att = V dz", n, a.T, 1, a.dh, false}, {"dV += att dz", n, a.T, a.dh, 1, true},
          {"dq += ds K", n, 1, a.dh, a.T, true},    {"dK += ds q", n, a.T, a.dh, 1, true}};
}

template <class T>
struct BatchedOperands {
  std::vector<T> A, B, C;
  explicit BatchedOperands(const Batched& p) {
    auto fill = [](std::vector<T>& v, size_t n) {
      v.resize(n);
      for (size_t i = 0; i < n; ++i) v[i] = T((i * 2654435761u % 1000) / 1000.0 - 0.5);
    };
    fill(A, size_t(p.count) * p.M * p.K), fill(B, size_t(p.count) * p.K * p.N), fill(C, size_t(p.count) * p.M * p.N);
  }
};

// Seconds for all `count` products of p with each library (one Gemm planned for the shape;
// 1e30: no kernel for it).
template <class T>
std::array<double, 3> batched_seconds(const Batched& p) {
  BatchedOperands<T> o(p);
  const size_t a = size_t(p.M) * p.K, b = size_t(p.K) * p.N, c = size_t(p.M) * p.N;
  std::array<double, 3> seconds;
  for (int l = 0; l < 3; ++l) {
    geneft::Gemm<T> k({.M = p.M, .N = p.N, .K = p.K, .accumulate = p.accumulate}, kLibraries[l]);
    seconds[l] = k.backend() != kLibraries[l] ? 1e30 : seconds_per_call([&] {
      for (int i = 0; i < p.count; ++i) k(&o.A[i * a], &o.B[i * b], &o.C[i * c]);
    });
  }
  return seconds;
}

// Seconds per step of geneft's attention_forward + attention_backward on rows of per-(token,
// position) tables (V = 114 tokens, as the transformer's symbol path reads them).
template <class T>
double geneft_attention_seconds(const Attention& a) {
  const int V = 114, HD = a.H * a.dh;
  geneft::Rng rng(1);
  std::vector<T> Qs(size_t(V) * HD), Ks(size_t(a.T) * V * HD), Vs(Ks.size()), dQs(Qs.size()), dKs(Ks.size()),
      dVs(Ks.size()), z(size_t(a.B) * HD), dz(z.size()), att(size_t(a.B) * a.H * a.T), datt(att.size());
  for (auto* v : {&Qs, &Ks, &Vs, &dz})
    for (T& x : *v) x = T(rng.normal() * 0.3);
  std::vector<int32_t> qrow(a.B), kvrow(size_t(a.B) * a.T);
  for (int b = 0; b < a.B; ++b) {
    qrow[b] = V - 1;
    for (int t = 0; t < a.T; ++t) kvrow[b * a.T + t] = t * V + int(rng.below(V));
  }
  return seconds_per_call([&] {
    geneft::attention_forward(z.data(), att.data(), Qs.data(), Ks.data(), Vs.data(), qrow.data(), kvrow.data(), a.B,
                              a.T, a.H, a.dh);
    geneft::attention_backward(dQs.data(), dKs.data(), dVs.data(), datt.data(), dz.data(), att.data(), Qs.data(),
                               Ks.data(), Vs.data(), qrow.data(), kvrow.data(), a.B, a.T, a.H, a.dh);
  });
}

// The attention of a case: prints its products (unless csv) and returns {FLOPs, best seconds,
// geneft's seconds}.
template <class T>
std::array<double, 3> attention(bool csv, const Attention& a) {
  if (a.B == 0) return {0, 0, 0};
  if (!csv) std::printf("| attention | product, calls | M×N×K | Eigen | OpenBLAS | libxsmm (one kernel per shape) | best |\n");
  double flops = 0, products_s = 0;
  for (const Batched& p : attention_products(a)) {
    const auto [te, tb, tx] = batched_seconds<T>(p);
    const double f = 2.0 * p.count * p.M * p.N * p.K, best = std::min({te, tb, tx});
    flops += f, products_s += best;
    auto g = [&](double t) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.1f", f / t / 1e9);
      return t >= 1e30 ? std::string("-") : std::string(buf);
    };
    if (!csv)
      std::printf("| %s | %d calls | %d×%d×%d | %s | %s | %s | %s |\n", p.what, p.count, p.M, p.N, p.K, g(te).c_str(),
                  g(tb).c_str(), g(tx).c_str(), best == te ? "Eigen" : best == tb ? "OpenBLAS" : "libxsmm");
  }
  const double fused = geneft_attention_seconds<T>(a);
  if (!csv)
    std::printf("attention products: %.2f MFLOP, %.1f µs at the best library per product; geneft's attention_forward + "
                "attention_backward (softmax included) %.1f µs\n", flops / 1e6, products_s * 1e6, fused * 1e6);
  return {flops, std::min(products_s, fused), fused};
}

template <class T>
void run(bool csv, const char* dtype) {
  for (const Case& c : kCases) {
    double flops = 0, best_s = 0, eigen_s = 0, geneft_s = 0;
    if (!csv)
      std::printf("\n%s, %s\n| layer | product | M×N×K | Eigen | OpenBLAS | libxsmm | best | geneft (its choice) |\n"
                  "|---|---|---|---|---|---|---|---|\n", c.name, dtype);
    for (const Layer& L : c.layers) {
      Operands<T> o(L);
      for (Product p : {Fwd, DInp, DW}) {
        const double f = 2.0 * L.B * L.C * L.OC;
        std::array<double, 3> t;
        for (int l = 0; l < 3; ++l) t[l] = library_seconds<T>(L, p, o, kLibraries[l]);
        const auto [tg, chosen] = geneft_seconds<T>(L, p, o);
        const int best = int(std::min_element(t.begin(), t.end()) - t.begin());
        flops += f, best_s += t[best], eigen_s += t[0], geneft_s += tg;
        const geneft::GemmShape s = product_shape(L, p);
        auto g = [&](double secs) { return int(f / secs / 1e9 + 0.5); };  // 0: the library is not built
        if (!csv)
          std::printf("| %s | %s | %d×%d×%d | %d | %d | %d | %s | %d (%s) |\n", L.what, kProductName[p], s.M, s.N, s.K,
                      g(t[0]), g(t[1]), g(t[2]), geneft::gemm_backend_name(kLibraries[best]), g(tg),
                      geneft::gemm_backend_name(chosen));
      }
    }
    const auto [att_flops, att_best, att_geneft] = attention<T>(csv, c.attention);
    flops += att_flops, best_s += att_best, geneft_s += att_geneft;
    if (csv)
      std::printf("%s,%s,%.0f,%.3f,%.3f\n", c.key, dtype, flops, best_s * 1e6, eigen_s * 1e6);
    else
      std::printf("step's products: %.2f MFLOP, best kernels %.1f µs = %.0f GFLOP/s; geneft's choices %.1f µs (%.0f%% of "
                  "the best kernels' speed; Eigen alone %.1f µs)\n", flops / 1e6, best_s * 1e6, flops / best_s / 1e9, geneft_s * 1e6,
                  100 * best_s / geneft_s, eigen_s * 1e6);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool csv = argc > 1 && std::string(argv[1]) == "--csv";
  if (csv) std::printf("case,dtype,flops,best_us,eigen_us\n");
  run<float>(csv, "float32");
  if (!csv) run<double>(csv, "float64");  // perf_bench.py compares float steps
  return 0;
}
