#pragma once
// Figures that draw a theory's prediction beside the measurement (geneft theory ...).
// Each takes plain numbers; the command that computes them is in src/cli/cmd_theory.cpp.
#include <cstdio>
#include <string>
#include <vector>

#include "theory/lu_landscape.h"

namespace geneft {

struct MeanPoint {  // a mean over seeds (or samples) with its standard error
  double x = 0, mean = 0, std_error = 0;
  int count = 0;
};

// Rows "x mean std_error" for a gnuplot datablock.
inline std::vector<std::string> mean_rows(const std::vector<MeanPoint>& points) {
  std::vector<std::string> rows;
  for (const auto& m : points) {
    char b[96];
    std::snprintf(b, sizeof b, "%.9g %.9g %.9g", m.x, m.mean, m.std_error);
    rows.push_back(b);
  }
  return rows;
}

struct MarkedValue {  // a vertical marker
  std::string label;
  double x = 0;
};

// GenEFT statics: measured test accuracy, the oracle learner and f_UB against train fraction.
struct DataSizeFigure {
  std::string title;
  std::vector<MeanPoint> measured, oracle;
  std::vector<std::pair<double, double>> upper_bound;  // (train fraction, f_UB)
  double base_rate_accuracy = 0;                       // max(p*, 1 - p*)
  double accuracy_threshold = 0;                       // where the critical fractions are read
  std::vector<MarkedValue> critical;                   // bound, oracle, network
};
std::string draw_datasize_figure(const DataSizeFigure& f, const std::string& out_dir, const std::string& name);

// Goldilocks zone: final test (and train) accuracy against a complexity axis, one panel per sweep.
struct GoldilocksPanel {
  std::string axis_label;
  bool log_x = false;
  std::vector<MeanPoint> test, train;
  double optimum = 0;
};
std::string draw_goldilocks_figure(const std::string& title, const std::vector<GoldilocksPanel>& panels,
                                   const std::string& out_dir, const std::string& name);

// The LU landscape (Omnigrok): loss (log-log) and accuracy against the fixed weight norm, one
// column per sweep, the test-loss minimum w_c marked. value_label: "final" or "best over training".
struct LuPanel {
  std::string title, value_label;
  LuLandscape landscape;
};
std::string draw_lu_figure(const std::string& title, const std::vector<LuPanel>& panels, const std::string& out_dir,
                           const std::string& name);

// Learning-rate phase boundary: measured fraction of seeds that generalize on the (eta_enc,
// eta_dec) grid with the fitted and predicted boundary lines log10 eta_dec = slope log10 eta_enc + offset;
// and P(generalize) against log10(eta_dec / eta_enc).
struct BoundaryLine {
  std::string label;
  double slope = 1, offset = 0;
};
struct LrBoundaryFigure {
  std::string title;
  struct Cell {
    double eta_enc, eta_dec, generalized_fraction;
  };
  std::vector<Cell> cells;
  std::vector<BoundaryLine> lines;
  std::vector<MeanPoint> measured_by_ratio;                  // x = log10 ratio
  std::vector<std::pair<double, double>> two_repon, fitted;  // P against x
  std::vector<MeanPoint> many_repon;
};
std::string draw_lr_boundary_figure(const LrBoundaryFigure& f, const std::string& out_dir, const std::string& name);

// Liu et al. 2022: predicted vs measured test accuracy against training-set size.
struct ParallelogramFigure {
  std::string title;
  std::vector<MeanPoint> predicted_accuracy, p_determined, predicted_on_seed_splits, measured;
  double critical_count = 0;  // NaN: not reached
  int total_samples = 0;
};
std::string draw_parallelogram_figure(const ParallelogramFigure& f, const std::string& out_dir, const std::string& name);

// A learning curve: error against the number of examples on log-log axes, measured points with
// asymmetric error bars beside theory curves (geneft theory learning-curves).
struct LearningCurveFigure {
  std::string title, x_label, y_label;
  struct Measured {
    std::string label, color;
    int point_type = 7;
    struct Point {
      double x, y, lo, hi;
    };
    std::vector<Point> points;
  };
  struct Theory {
    std::string label, color;
    int dash = 1;
    std::vector<std::pair<double, double>> curve;
  };
  std::vector<Measured> measured;
  std::vector<Theory> theory;
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;  // the ranges (log axes)
};
std::string draw_learning_curve_figure(const LearningCurveFigure& f, const std::string& out_dir, const std::string& name);

// Omnigrok: grokking delay against weight decay on log-log axes (measured per run, the pure-decay
// predictions, the fitted power law) beside the total weight norm of every run against step.
struct GrokTimeFigure {
  std::string title, gamma_label;
  struct Run {
    double gamma, delay, decay_only, from_wc;  // NaN where not reached or not predicted
  };
  std::vector<Run> runs;
  double fit_k = 0, fit_log_c = 0;  // delay = exp(log_c) gamma^k; NaN: no fit
  struct Trajectory {
    double gamma;
    std::vector<std::pair<double, double>> norm;  // (step, total norm), steps > 0
    double t_test, norm_test;                     // NaN: test never reached the threshold
  };
  std::vector<Trajectory> trajectories;
  double w_c = 0;  // NaN: none
};
std::string draw_grok_time_figure(const GrokTimeFigure& f, const std::string& out_dir, const std::string& name);

}  // namespace geneft
