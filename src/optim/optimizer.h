#pragma once
// SGD with momentum, Adam and AdamW with parameter groups, following PyTorch 1.13's
// single-tensor implementations step for step so that runs agree with the peer to rounding.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <string>
#include <vector>

#include "nn/tensor.h"

namespace geneft {

enum class OptimizerKind { Sgd, Adam, AdamW };

struct OptimizerSettings {
  OptimizerKind kind;
  double momentum, beta1, beta2, eps;
};

template <class T>
struct ParamGroup {
  T* param;
  const T* grad;
  size_t n;
  double lr, weight_decay;
  Buffer<T> m, v;  // momentum buffer (sgd) or first/second moments (adam)
};

template <class T>
class Optimizer {
 public:
  explicit Optimizer(OptimizerSettings s) : s_(s) {}

  void add_group(T* param, const T* grad, size_t n, double lr, double weight_decay) {
    groups_.push_back({param, grad, n, lr, weight_decay, Buffer<T>(n, T(0)), Buffer<T>(n, T(0))});
  }

  // One step of every group at its learning rate times lr_scale (a schedule's factor: warm-up).
  void step(double lr_scale = 1.0) {
    ++t_;
    for (auto& g : groups_) s_.kind == OptimizerKind::Sgd ? sgd(g, g.lr * lr_scale) : adam(g, g.lr * lr_scale);
  }

  // Linear warm-up (Nanda et al. 2023, PyTorch's LambdaLR with min(step / warmup, 1)): the factor
  // of step `step` (optimizer steps done before it), 0 at the first.
  static double warmup_factor(int64_t step, int64_t warmup_steps) {
    return warmup_steps > 0 ? std::min(double(step) / double(warmup_steps), 1.0) : 1.0;
  }

 private:
  void sgd(ParamGroup<T>& g, double group_lr) {
    const T lr = T(group_lr), wd = T(g.weight_decay), mu = T(s_.momentum);
    for (size_t i = 0; i < g.n; ++i) {
      T d = g.grad[i];
      if (wd != T(0)) d += wd * g.param[i];
      if (mu != T(0)) {
        g.m[i] = t_ == 1 ? d : mu * g.m[i] + d;  // dampening 0; the first step copies the gradient
        d = g.m[i];
      }
      g.param[i] -= lr * d;
    }
  }

  // Written as Eigen array expressions so that it vectorizes; elementwise, so the rounding is
  // that of the scalar formulas (PyTorch's order of operations), whatever the blocking.
  // AdamW's decoupled decay p *= 1 - lr * wd uses the scheduled lr, as PyTorch's does.
  // One pass over the group in blocks whose parameters, gradient and moments (16 KiB in float)
  // stay in L1 while the decay, the moments and the update each go over them: one trip to
  // memory for the four buffers instead of three.
  void adam(ParamGroup<T>& g, double lr) {
    const T b1 = T(s_.beta1), b2 = T(s_.beta2), eps = T(s_.eps), wd = T(g.weight_decay);
    const double bias1 = 1.0 - std::pow(s_.beta1, double(t_));
    const double bias2 = 1.0 - std::pow(s_.beta2, double(t_));
    const T step_size = T(lr / bias1);
    const T bias2_sqrt = T(std::sqrt(bias2));
    const T decay = T(1.0 - lr * g.weight_decay);
    constexpr size_t kBlock = 1024;  // a multiple of every vector width: blocks start aligned
    for (size_t i = 0; i < g.n; i += kBlock) {
      const auto n = Eigen::Index(std::min(kBlock, g.n - i));
      auto p = VecMap<T>(g.param + i, n).array();
      auto m = VecMap<T>(g.m.data() + i, n).array();
      auto v = VecMap<T>(g.v.data() + i, n).array();
      const auto grad = ConstVecMap<T>(g.grad + i, n).array();
      if (s_.kind == OptimizerKind::AdamW) {
        p *= decay;
        moments(m, v, grad, b1, b2);
      } else {
        moments(m, v, grad + wd * p, b1, b2);  // L2: the gradient of (wd/2)|w|^2 joins before the moments
      }
      p += -step_size * (m / (v.sqrt() / bias2_sqrt + eps));
    }
  }

  template <class A, class G>
  static void moments(A& m, A& v, const G& d, T b1, T b2) {
    m = m * b1 + d * (T(1) - b1);
    v = v * b2 + (T(1) - b2) * d * d;
  }

  OptimizerSettings s_;
  std::vector<ParamGroup<T>> groups_;
  long t_ = 0;
};

}  // namespace geneft
