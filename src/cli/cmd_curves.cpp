#include <cmath>

#include "cli/run_figure_command.h"
#include "measure/fourier.h"
#include "plot/run_figures.h"

namespace geneft {
namespace {

// The embedding's Fourier spectrum at every stored snapshot, where the run measured one (Z_p tasks).
std::vector<SpectrumSnapshot> spectra(Store& store, const std::string& id, const std::vector<EvalPoint>& curve) {
  std::vector<SpectrumSnapshot> out;
  if (curve.empty() || !std::isfinite(curve.back().fourier_top_k)) return out;
  for (const auto& e : store.embeddings(id)) {
    FourierSpectrum f = fourier_spectrum(std::vector<double>(e.values.begin(), e.values.end()), e.rows, e.cols, 1);
    double total = 0;
    for (double x : f.power) total += x;
    for (double& x : f.power) x = total > 0 ? x / total : 0.0;
    out.push_back({e.step, std::move(f.power)});
  }
  return out;
}

}  // namespace

void add_curves_command(CLI::App& app) {
  add_run_figure_command(app, "curves", "learning curves of a run: accuracy, loss, weight norms, RQI, Fourier spectrum",
                         [](Store& store, const std::string& id, const RunRow& run, const std::string& out) {
                           const std::vector<EvalPoint> curve = store.curve(id);
                           return draw_curves(curve,
                                              run.task + ", seed " + std::to_string(run.seed) + " (run " +
                                                  id.substr(0, 8) + ", " + run.status + ")",
                                              out, "curves-" + id.substr(0, 8), spectra(store, id, curve));
                         });
}

}  // namespace geneft
