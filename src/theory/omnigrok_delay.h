#pragma once
// Grokking time against weight decay (Liu, Michaud, Tegmark 2022, "Omnigrok: Grokking Beyond
// Algorithmic Data", arXiv:2210.01117): a memorizing solution of large weight norm is reached
// first and weight decay drifts the network towards the small-norm generalizing one, so the
// delay t_test - t_train scales like 1/gamma.
//
// With decoupled weight decay (AdamW; plain SGD with L2 decay acts the same way on the norm) a
// step without gradient multiplies a group's weights by (1 - eta_t gamma), so pure decay shrinks
// ln||w|| by -ln(1 - eta_t gamma) per step; over a warm-up eta_t grows linearly. "Delay ~ 1/gamma"
// is the gradient-flow form of this. Two per-run predictions:
//   (a) decay-only check: the steps pure decay takes from ||w(t_train)|| to ||w(t_test)||. The
//       norm at t_test is the outcome, so this only checks the decay rate: measured / predicted
//       says how far the gradient steps (Adam's) slow the decay down.
//   (b) prediction from what is known before grokking: t_test = t_train + the steps pure decay
//       takes from ||w(t_train)|| down to w_c, the norm at the test-loss minimum of the LU
//       landscape of the same task (Omnigrok Sec. 2, Fig. 1); ~ ln(||w(t_train)|| / w_c) / (eta gamma).
// Groups with different rates decay separately; the total norm is sqrt(sum of group norms^2).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/run_result.h"
#include "measure/phase_classifier.h"

namespace geneft {

struct DecayGroup {  // one parameter group's learning rate and decoupled weight decay
  double lr = 0, wd = 0;
};

// The optimizer settings that set pure decay: encoder and decoder groups, linear warm-up
// (step t, from 0, uses lr * min(t / warmup_steps, 1)).
struct DecaySchedule {
  DecayGroup encoder, decoder;
  int64_t warmup_steps = 0;
  // Steps after eval step `from` for pure decay to bring the total norm sqrt(e^2 + d^2), starting
  // from the group norms (e, d) at `from`, down to `target` (fractional: decay is continuous in
  // between). 0 if already there; NaN if it never gets there (a group without decay holds more,
  // or some eta gamma >= 1).
  double steps_to_norm(int64_t from, double encoder_norm, double decoder_norm, double target) const;
};

// The total weight norm at an eval point, from the group norms.
double total_norm(const EvalPoint& p);

// One run of a weight-decay sweep.
struct GrokTimeRun {
  std::string id;
  uint64_t seed = 0;
  double gamma = 0;  // the swept weight decay
  DecaySchedule schedule;
  std::vector<EvalPoint> curve;
  bool diverged = false;
};

struct GrokTimeResult {
  PhaseResult phase;              // t_train, t_test (measure/phase_classifier)
  double delay = kMissing;        // t_test - t_train
  double norm_train = kMissing;   // total norm at t_train and at t_test
  double norm_test = kMissing;
  double decay_only = kMissing;   // (a): steps of pure decay from norm_train to norm_test
  double from_wc = kMissing;      // (b): steps of pure decay from norm_train to w_c
  double ratio_decay_only() const { return delay / decay_only; }  // measured / predicted
  double ratio_from_wc() const { return delay / from_wc; }
};

// (a) and (b) for one run; w_c NaN: no prediction (b). A run that never reaches the threshold
// has NaN delay and predictions.
GrokTimeResult grok_time(const GrokTimeRun& run, const PhaseClassifier& classifier, double w_c);

// ln y = ln c + k ln x by ordinary least squares over the points with x, y > 0 and finite.
struct PowerLawFit {
  double k = kMissing, k_se = kMissing;  // exponent and its standard error (from the residuals)
  double log_c = kMissing;
  double k_boot_se = kMissing;           // bootstrap over seeds (fit_power_law_by_seed)
  int points = 0;
  double at(double x) const;             // c x^k
};
PowerLawFit fit_power_law(const std::vector<double>& x, const std::vector<double>& y);

// The fit over all points, and the spread of k when whole seeds are resampled with replacement
// (`resamples` draws from `rng_seed`; resamples with fewer than two distinct x are skipped):
// the seeds are the independent units, the gamma values of one seed share its split and init.
PowerLawFit fit_power_law_by_seed(const std::vector<double>& x, const std::vector<double>& y,
                                  const std::vector<uint64_t>& seed, int resamples, uint64_t rng_seed);

}  // namespace geneft
