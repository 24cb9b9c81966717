#pragma once
// geneft report: one self-contained static HTML page of a store (index.html, figures beside it
// in fig/): each sweep with its phase diagram, heatmaps and the theory overlays that apply, the
// GenEFT open questions whose sweeps the store holds, the LLC over training of runs with λ̂
// estimates, single runs' curves and embeddings, the runs table.
// Every figure comes with the command that regenerates it; every store string is escaped.
#include <cstdint>
#include <string>

namespace geneft {

struct ReportOptions {
  std::string db, out;
  int oracle_splits = 100;   // geneft theory datasize --splits, induction-gap --splits
  int repon_samples = 60;    // geneft theory repons --samples
  int boundary_samples = 20; // geneft theory boundaries --samples
  int parallelogram_sets = 200;
  int max_run_figures = 12;  // curves and embeddings for at most this many runs outside sweeps
};

// Titles of a sweep's phase diagram and metric heatmaps, the same in `geneft phase` and the
// report (so the report's command redraws its figure exactly); store text made safe for gnuplot.
std::string phase_diagram_title(const std::string& sweep, double threshold, int64_t delta);
std::string metric_heatmap_title(const std::string& sweep, const std::string& metric);

// Writes OUT/index.html (and OUT/fig/*); returns the path of index.html.
std::string write_report(const ReportOptions& o);

}  // namespace geneft
