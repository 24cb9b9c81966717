#include "slt/tanh_network.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.h"
#include "core/rng.h"

namespace geneft {
namespace {

// One hidden layer of H tanh units on a scalar input and a linear output, with the Gaussian NLL.
// Per sample, no buffers: forward z_h = a_h x, t_h = tanh z_h, f = Σ q_h t_h, ℓ = ½(f − y)²;
// backward (accumulated after one zero of the whole gradient) dq_h += g t_h, da_h += g q_h (1 − t_h²) x,
// g = (f − y)/B.
class TanhWorker : public LossWorker {
 public:
  explicit TanhWorker(const TanhNetwork& net) : net_(net) {}
  double loss(const double* w, const int32_t* idx, int B, double* grad) override {
    const int H = net_.hidden();
    const double* a = w;
    const double* q = w + H;
    if (grad) std::fill(grad, grad + 2 * H, 0.0);
    double s = 0;
    for (int b = 0; b < B; ++b) {
      const size_t i = idx ? size_t(idx[b]) : size_t(b);
      const double x = net_.X[i];
      double f = 0;
      for (int h = 0; h < H; ++h) f += q[h] * std::tanh(a[h] * x);
      const double r = f - net_.Y[i];
      s += r * r;
      if (!grad) continue;
      const double g = r / B;
      for (int h = 0; h < H; ++h) {
        const double t = std::tanh(a[h] * x);
        grad[H + h] += g * t;
        grad[h] += g * q[h] * (1 - t * t) * x;
      }
    }
    return 0.5 * s / B;
  }

 private:
  const TanhNetwork& net_;
};

}  // namespace

TanhNetwork::TanhNetwork(std::vector<double> teacher_a, std::vector<double> teacher_q, int hidden,
                         double input_scale, int64_t n, uint64_t seed)
    : ta_(std::move(teacher_a)), tq_(std::move(teacher_q)), hidden_(hidden), scale_(input_scale) {
  if (ta_.empty() || ta_.size() != tq_.size())
    throw UserError("the teacher needs as many first-layer weights as output weights (got " +
                    std::to_string(ta_.size()) + " and " + std::to_string(tq_.size()) + ")");
  if (hidden_ < 1 || hidden_ > 64) throw UserError("--hidden " + std::to_string(hidden_) + " is out of range: allowed [1, 64]");
  if (!(input_scale > 0) || !std::isfinite(input_scale)) throw UserError("the input scale must be a positive number");
  if (n < 1 || n > 100000000) throw UserError("n = " + std::to_string(n) + " is out of range: allowed [1, 1e8]");
  Rng rng(splitmix64(seed ^ 0x7A11));
  X.resize(size_t(n)), Y.resize(size_t(n));
  for (int64_t i = 0; i < n; ++i) {
    X[i] = scale_ * rng.normal();
    Y[i] = teacher(X[i]) + rng.normal();
  }
}

double TanhNetwork::output(const double* w, double x) const {
  double f = 0;
  for (int h = 0; h < hidden_; ++h) f += w[hidden_ + h] * std::tanh(w[h] * x);
  return f;
}

double TanhNetwork::teacher(double x) const {
  double f = 0;
  for (size_t h = 0; h < ta_.size(); ++h) f += tq_[h] * std::tanh(ta_[h] * x);
  return f;
}

std::unique_ptr<LossWorker> TanhNetwork::make_worker(int) const { return std::make_unique<TanhWorker>(*this); }

// "1.5·tanh(x) − tanh(0.25x)": signs as operators, unit coefficients left out, numbers by %g
std::string TanhNetwork::describe() const {
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  std::string t;
  for (size_t h = 0; h < ta_.size(); ++h) {
    const double q = tq_[h];
    t += h == 0 ? (q < 0 ? "−" : "") : (q < 0 ? " − " : " + ");
    if (std::fabs(q) != 1) t += num(std::fabs(q)) + "·";
    t += "tanh(" + (ta_[h] == 1 ? std::string() : ta_[h] == -1 ? std::string("−") : num(ta_[h])) + "x)";
  }
  return "tanh network, " + std::to_string(hidden_) + (hidden_ == 1 ? " unit" : " units") + ", teacher " + t + ", x ~ N(0, " + num(scale_) +
         "²), n = " + std::to_string(X.size());
}

std::vector<double> descend(const SamplingTarget& target, std::vector<double> w, int steps, double lr) {
  auto worker = target.make_worker(int(target.num_samples()));
  std::vector<double> g(w.size());
  for (int s = 0; s < steps; ++s) {
    worker->loss(w.data(), nullptr, int(target.num_samples()), g.data());
    for (size_t i = 0; i < w.size(); ++i) w[i] -= lr * g[i];
  }
  return w;
}

}  // namespace geneft
