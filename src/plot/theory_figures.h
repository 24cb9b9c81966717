#pragma once
// Figures that draw a theory's prediction beside the measurement (geneft theory ...).
// Each takes plain numbers; the command that computes them is in src/cli/cmd_theory.cpp.
#include <cmath>
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

// Several learning-rate boundaries in one figure (one per relation, or per size of a repon gas):
// left, each measured boundary line in the (eta_enc, eta_dec) plane over the grid it was fitted
// on, with the many-repon prediction dashed in the same color; right, the measured fraction that
// generalizes against log10(eta_dec / eta_enc) beside the predicted P(generalize) curves.
struct BoundarySeries {
  std::string label;
  double enc_min = 0, enc_max = 0;   // the grid's eta_enc range (equal: a one-axis sweep)
  std::vector<BoundaryLine> lines;   // measured (solid), then predictions (dashed)
  std::vector<MeanPoint> measured;   // x = log10 ratio, fraction of runs that generalize
  std::vector<MeanPoint> predicted;  // many-repon simulation (empty: none for this task)
};
struct LrBoundariesFigure {
  std::string title;
  std::vector<BoundarySeries> series;
  struct Curve {
    std::string label;
    std::vector<std::pair<double, double>> points;  // P against x
  };
  std::vector<Curve> two_repon;  // Monte Carlo over the init laws, one per distinct network init
};
std::string draw_lr_boundaries_figure(const LrBoundariesFigure& f, const std::string& out_dir, const std::string& name);

// Repon trajectories: per run a panel of measured and predicted curves against the step, log y.
struct TrajectoryPanel {
  std::string title;
  struct Series {
    std::string label, color;
    int dash = 1;
    bool points = false;  // measured: points and lines
    std::vector<std::pair<double, double>> xy;
  };
  std::vector<Series> series;
};
std::string draw_trajectory_panels(const std::string& title, const std::string& y_label,
                                   const std::vector<TrajectoryPanel>& panels, int columns, const std::string& out_dir,
                                   const std::string& name);

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
// Panels of measured series with error bars against one axis (log x optional), with vertical
// markers (dashed: predictions; solid: measured values) and horizontal reference lines: the
// induction gap against decoder size, the Goldilocks zone with its edges.
struct SeriesPanel {
  std::string title, x_label, y_label;
  bool log_x = false;
  double y_min = NAN, y_max = NAN;  // NaN: automatic
  struct Series {
    std::string label;
    std::vector<MeanPoint> points;
  };
  std::vector<Series> series;
  struct Marker {
    double x = 0;
    size_t series = 0;  // its color is that series' color
    bool predicted = false;
  };
  std::vector<Marker> markers;
  std::vector<std::pair<std::string, double>> levels;  // horizontal lines
};
std::string draw_series_figure(const std::string& title, const std::vector<SeriesPanel>& panels, const std::string& out_dir,
                               const std::string& name);

// Stripes in a phase diagram (GenEFT open question 6): one heatmap per diagram (the fraction of
// its runs per cell that generalize, stripes marked) above the line-by-line departures z of the
// columns and of the rows from a smooth boundary, with the significance line.
struct StripeDiagram {
  std::string label;
  struct Cell {
    double x, y, generalized_fraction;  // x, y: log10 of the axes
  };
  std::vector<Cell> cells;
  std::vector<std::pair<double, double>> column_z, row_z;  // (line position, z)
  std::vector<double> stripe_columns, stripe_rows;
};
struct StripeFigure {
  std::string title, x_label, y_label;
  std::vector<StripeDiagram> diagrams;
  double z_column = 3, z_row = 3;  // |z| above which a line is a stripe
};
std::string draw_stripe_figure(const StripeFigure& f, const std::string& out_dir, const std::string& name);

}  // namespace geneft
