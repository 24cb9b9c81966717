#pragma once
// The GenEFT paper's open questions (Baek, Liu, Tegmark 2024, arXiv:2402.05916), each as a
// measurement over stored sweeps beside a prediction (docs/theory.md, "Open questions of GenEFT,
// measured"):
//   stripes          (question 6) stripes in a learning-rate phase diagram, seed by seed
//   induction_gap    (question 3) induction gap against decoder size
//   goldilocks_edges (question 4) the Goldilocks zone's edges against their predictions
#include <string>
#include <vector>

#include "report/theory_overlay.h"

namespace geneft {

struct StripesOptions {
  std::string db = "results.db", out = "fig", name;
  double floor = 0.02, alpha = 0.01;
};
TheoryOutput stripes_overlay(const TheoryInput& in, const StripesOptions& o);

// Sweeps over task.train_fraction and decoder axes (model.width, model.depth, model.combiner):
// for each decoder, the network's critical train fraction (mean test accuracy reaching `level`),
// the oracle learner's, and the induction gap between them, with standard errors; the gap's
// trend against log10(decoder parameters) per relation and combiner.
struct InductionGapOptions {
  std::string db = "results.db", out = "fig", name = "induction-gap";
  double level = 0.9;
  int splits = 100, resamples = 2000;
};
TheoryOutput induction_gap_overlay(const std::vector<TheoryInput>& sweeps, const InductionGapOptions& o);

// Sweeps over task.train_fraction and one decoder axis (model.width or model.depth): at each
// fraction the zone where mean test accuracy stays above half-way (`share`) between the
// majority-label accuracy and the best decoder's, its lower and upper edges with bootstrap
// standard errors, beside the predicted edges (theory/goldilocks_edges.h).
struct GoldilocksEdgesOptions {
  std::string db = "results.db", out = "fig", name = "goldilocks-edges";
  double share = 0.5;
  int resamples = 2000;
};
TheoryOutput goldilocks_edges_overlay(const std::vector<TheoryInput>& sweeps, const GoldilocksEdgesOptions& o);

}  // namespace geneft
