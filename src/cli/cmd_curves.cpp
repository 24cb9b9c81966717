#include "cli/run_figure_command.h"
#include "plot/run_figures.h"

namespace geneft {

void add_curves_command(CLI::App& app) {
  add_run_figure_command(app, "curves", "learning curves of a run: accuracy, loss, weight norms, RQI, Fourier spectrum",
                         [](Store& store, const std::string& id, const RunRow& run, const std::string& out) {
                           const std::vector<EvalPoint> curve = store.curve(id);
                           return draw_curves(curve, curves_title(run.task, run.seed, id, run.status), out,
                                              "curves-" + id.substr(0, 8), embedding_spectra(curve, store.embeddings(id)));
                         });
}

}  // namespace geneft
