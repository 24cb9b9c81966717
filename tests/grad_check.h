#pragma once
// Central finite differences in double precision against an analytic gradient.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.h"

namespace geneft::testing {

inline std::vector<double> random_vector(size_t n, Rng& rng, double scale = 1.0) {
  std::vector<double> v(n);
  for (auto& x : v) x = rng.normal() * scale;
  return v;
}

// loss() reads `x`; `analytic` is d loss / d x. Checks every coordinate.
template <class Vector>
void expect_gradient(Vector& x, const std::vector<double>& analytic,
                            const std::function<double()>& loss, const std::string& what, double h = 1e-6,
                            double tol = 1e-6) {
  ASSERT_EQ(x.size(), analytic.size()) << what;
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double saved = x[i];
    x[i] = saved + h;
    const double up = loss();
    x[i] = saved - h;
    const double down = loss();
    x[i] = saved;
    const double numeric = (up - down) / (2 * h);
    const double err = std::abs(numeric - analytic[i]) / std::max(1.0, std::abs(numeric));
    worst = std::max(worst, err);
    EXPECT_LT(err, tol) << what << " coordinate " << i << ": numeric " << numeric << " analytic " << analytic[i];
  }
  ::testing::Test::RecordProperty(what, std::to_string(worst));
}

// A whole model's backward at `batch` (B samples) against finite differences of its mean loss:
// the encoder (where it has parameters) and the decoder. Returns the analytic gradients
// (encoder, decoder).
template <class Model, class BatchT>
std::pair<std::vector<double>, std::vector<double>> expect_model_gradient(Model& model, const BatchT& batch, int B,
                                                                          const std::string& what) {
  auto loss = [&] {
    model.forward(batch);
    return model.evaluate(batch).loss_sum / B;
  };
  loss();
  model.zero_grad();
  model.backward(batch);
  std::vector<double> genc(model.genc.begin(), model.genc.end()), gdec(model.gdec.begin(), model.gdec.end());
  if (model.enc.size() > 0) expect_gradient(model.enc, genc, loss, what + " encoder");
  expect_gradient(model.dec, gdec, loss, what + " decoder");
  return {genc, gdec};
}

}  // namespace geneft::testing
