#include "slt/deep_linear_network.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "nn/linear.h"
#include "slt/squared_error.h"

namespace geneft {
namespace {

// Forward/backward of W_L ⋯ W_1 x with the Gaussian NLL; the layers are nn/linear.h's Linear
// with a zero bias. Buffers sized once for the full data set.
class DeepLinearWorker : public LossWorker {
 public:
  explicit DeepLinearWorker(const DeepLinearNetwork& net) : net_(net), H_(net.widths()) {
    const size_t n = size_t(net.num_samples());
    const int widest = *std::max_element(H_.begin(), H_.end());
    acts_.resize(H_.size());
    for (size_t l = 0; l < H_.size(); ++l) acts_[l].resize(n * H_[l]);
    yb_.resize(n * H_.back());
    g0_.resize(n * widest), g1_.resize(n * widest);
    zero_bias_.assign(widest, 0.0), dbias_.assign(widest, 0.0);
  }

  double loss(const double* w, const int32_t* idx, int B, double* grad) override {
    const int L = int(H_.size()) - 1, M = H_[0], N = H_[L];
    const double* x = net_.X.data();
    const double* y = net_.Y.data();
    if (idx) {  // gather the batch rows
      for (int i = 0; i < B; ++i) {
        std::copy_n(&net_.X[size_t(idx[i]) * M], M, &acts_[0][size_t(i) * M]);
        std::copy_n(&net_.Y[size_t(idx[i]) * N], N, &yb_[size_t(i) * N]);
      }
      x = acts_[0].data(), y = yb_.data();
    }
    // forward: acts[l+1] (B, H_{l+1}) = acts[l] (B, H_l) W_lᵀ
    const double* h = x;
    size_t off = 0;
    for (int l = 0; l < L; ++l) {
      linear_forward(acts_[l + 1].data(), h, w + off, zero_bias_.data(), B, H_[l], H_[l + 1]);
      h = acts_[l + 1].data();
      off += size_t(H_[l]) * H_[l + 1];
    }
    const double loss = half_squared_error_forward(h, y, B, N);
    if (!grad) return loss;
    // backward
    std::fill(grad, grad + net_.dim(), 0.0);
    half_squared_error_backward(g0_.data(), h, y, B, N);
    double* g = g0_.data();
    double* dinp = g1_.data();
    for (int l = L - 1; l >= 0; --l) {
      off -= size_t(H_[l]) * H_[l + 1];
      const double* inp = l > 0 ? acts_[l].data() : x;
      std::fill(dbias_.begin(), dbias_.end(), 0.0);
      linear_backward(l > 0 ? dinp : nullptr, grad + off, dbias_.data(), g, inp, w + off, B, H_[l], H_[l + 1]);
      std::swap(g, dinp);
    }
    return loss;
  }

 private:
  const DeepLinearNetwork& net_;
  const std::vector<int>& H_;
  std::vector<std::vector<double>> acts_;  // acts[0] holds a gathered batch of x
  std::vector<double> yb_, g0_, g1_, zero_bias_, dbias_;
};

}  // namespace

DeepLinearNetwork::DeepLinearNetwork(std::vector<int> widths, int rank, int64_t n, uint64_t seed)
    : widths_(std::move(widths)), rank_(rank), n_(n) {
  if (widths_.size() < 2 || widths_.size() > 33)
    throw UserError("a deep linear network needs 2 to 33 widths (input, hidden..., output)");
  for (int h : widths_)
    if (h < 1 || h > 4096) throw UserError("width " + std::to_string(h) + " is out of range: allowed [1, 4096]");
  const int narrowest = *std::min_element(widths_.begin(), widths_.end());
  if (rank_ < 0 || rank_ > narrowest)
    throw UserError("--rank " + std::to_string(rank_) + " is out of range: allowed [0, narrowest width] = [0, " +
                    std::to_string(narrowest) + "]");
  if (n_ < 2 || n_ > 10000000) throw UserError("--n = " + std::to_string(n_) + " is out of range: allowed [2, 1e7]");
  for (size_t l = 0; l + 1 < widths_.size(); ++l) dim_ += size_t(widths_[l]) * widths_[l + 1];

  // Truth: W⁰_1 has only its first r rows nonzero, the other layers are dense, so the product
  // has rank r (generically). Entries N(0, 1/fan_in) keep the signal of order 1.
  Rng rng(seed, RngStream::Init);
  truth_.assign(dim_, 0.0);
  size_t off = 0;
  for (size_t l = 0; l + 1 < widths_.size(); ++l) {
    const int in = widths_[l], out = widths_[l + 1];
    for (int i = 0; i < out; ++i)
      for (int j = 0; j < in; ++j)
        truth_[off + size_t(i) * in + j] = (l == 0 && i >= rank_) ? 0.0 : rng.normal() / std::sqrt(double(in));
    off += size_t(in) * out;
  }
  if (rank_ == 0) std::fill(truth_.begin(), truth_.end(), 0.0);
  // Data: x ~ N(0, I), y = W⁰ x + N(0, I)
  const int M = widths_.front(), N = widths_.back();
  Rng data(seed, RngStream::Split);
  X.resize(size_t(n_) * M), Y.assign(size_t(n_) * N, 0.0);
  for (auto& v : X) v = data.normal();
  std::vector<double> h(X), next;  // the noiseless outputs W⁰ x, layer by layer
  off = 0;
  for (size_t l = 0; l + 1 < widths_.size(); ++l) {
    const int in = widths_[l], out = widths_[l + 1];
    next.assign(size_t(n_) * out, 0.0);
    std::vector<double> zb(out, 0.0);
    linear_forward(next.data(), h.data(), &truth_[off], zb.data(), int(n_), in, out);
    h.swap(next);
    off += size_t(in) * out;
  }
  for (size_t i = 0; i < Y.size(); ++i) Y[i] = h[i] + data.normal();
}

std::unique_ptr<LossWorker> DeepLinearNetwork::make_worker(int) const {
  return std::make_unique<DeepLinearWorker>(*this);
}

std::vector<double> DeepLinearNetwork::trained_parameter(int steps, double lr, uint64_t seed) const {
  std::vector<double> w(truth_), g(dim_);
  Rng rng(seed, RngStream::Batches);
  for (auto& x : w) x += 1e-2 * rng.normal();
  DeepLinearWorker worker(*this);
  for (int s = 0; s < steps; ++s) {
    worker.loss(w.data(), nullptr, int(n_), g.data());
    for (size_t i = 0; i < dim_; ++i) w[i] -= lr * g[i];
  }
  return w;
}

std::vector<double> DeepLinearNetwork::product(const double* w) const {
  // P ← W_l P, starting from the identity (H_1, H_1); W_l (H_{l+1}, H_l) row-major
  const int M = widths_.front();
  std::vector<double> P(size_t(M) * M, 0.0), next;
  for (int i = 0; i < M; ++i) P[size_t(i) * M + i] = 1;
  size_t off = 0;
  for (size_t l = 0; l + 1 < widths_.size(); ++l) {
    const int in = widths_[l], out = widths_[l + 1];
    next.assign(size_t(out) * M, 0.0);
    for (int a = 0; a < out; ++a)
      for (int b = 0; b < in; ++b)
        for (int c = 0; c < M; ++c) next[size_t(a) * M + c] += w[off + size_t(a) * in + b] * P[size_t(b) * M + c];
    P.swap(next);
    off += size_t(in) * out;
  }
  return P;
}

std::string DeepLinearNetwork::describe() const {
  std::string s = widths_.size() == 3 ? "reduced-rank regression" : widths_.size() == 2 ? "linear regression (regular)"
                                                                                         : "deep linear network";
  s += ", widths ";
  for (size_t i = 0; i < widths_.size(); ++i) s += (i ? "-" : "") + std::to_string(widths_[i]);
  return s + ", rank " + std::to_string(rank_) + ", n = " + std::to_string(n_) + ", d = " + std::to_string(dim_);
}

double deep_linear_network_lambda(const std::vector<int>& H, int r) {
  if (H.size() < 2) throw UserError("a deep linear network needs at least 2 widths");
  for (int h : H)
    if (h < 1) throw UserError("width " + std::to_string(h) + " is out of range: allowed >= 1");
  const int narrowest = *std::min_element(H.begin(), H.end());
  if (r < 0 || r > narrowest)
    throw UserError("--rank " + std::to_string(r) + " is out of range: allowed [0, " + std::to_string(narrowest) + "]");
  std::vector<long long> M;
  for (int h : H) M.push_back(h - r);
  std::vector<long long> sorted(M);
  std::sort(sorted.begin(), sorted.end());
  const int P = int(M.size());
  // Σ holds the ℓ+1 smallest M (max over Σ < min outside Σ forces that).
  for (int ell = 1; ell < P; ++ell) {
    const long long maxS = sorted[ell];
    const bool has_rest = ell + 1 < P;
    const long long minRest = has_rest ? sorted[ell + 1] : 0;
    long long S = 0, pairs = 0;
    for (int i = 0; i <= ell; ++i) S += sorted[i];
    for (int i = 0; i <= ell; ++i)
      for (int j = i + 1; j <= ell; ++j) pairs += sorted[i] * sorted[j];
    if (has_rest && !(maxS < minRest)) continue;
    if (!(S >= ell * maxS)) continue;
    if (has_rest && !(S < ell * minRest)) continue;
    const long long a = S % ell;
    const double l = ell, Sd = double(S);
    return (-double(r) * r + double(r) * (H.front() + H.back())) / 2.0 + double(a) * (l - a) / (4.0 * l) -
           l * (l - 1) / 4.0 * (Sd / l) * (Sd / l) + 0.5 * double(pairs);
  }
  std::string w;
  for (size_t i = 0; i < H.size(); ++i) w += (i ? "," : "") + std::to_string(H[i]);
  throw UserError("widths " + w + " with rank " + std::to_string(r) +
                  ": Aoyagi's formula has no subset Σ for this shape (ties among the widths at the boundary); "
                  "choose other widths");
}

}  // namespace geneft
