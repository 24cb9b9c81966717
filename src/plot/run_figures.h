#pragma once
// Figures of one run: learning curves, and embedding positions over training.
#include <string>
#include <vector>

#include "core/run_result.h"

namespace geneft {

// The embedding's Fourier power per frequency k = 0..p/2 at one step, as fractions of |E|^2.
struct SpectrumSnapshot {
  int64_t step = 0;
  std::vector<double> power;
};

// The embedding's Fourier spectrum at every snapshot, where the run measured one (Z_p tasks:
// the curve has the Fourier top-k fraction); empty otherwise.
std::vector<SpectrumSnapshot> embedding_spectra(const std::vector<EvalPoint>& curve,
                                                const std::vector<EmbeddingSnapshot>& embeddings);
// The title of a run's learning curves, the same in `geneft curves` and the report.
std::string curves_title(const std::string& task, int64_t seed, const std::string& id, const std::string& status);

// Accuracy, loss, weight norms (encoder, decoder, total) and, where measured, RQI and the
// Fourier top-k fraction and Gini against step, log-step axis; with `spectra`, the Fourier
// spectrum of the embedding over training as a heatmap (frequency against step) beside them.
std::string draw_curves(const std::vector<EvalPoint>& curve, const std::string& title, const std::string& out_dir,
                        const std::string& name, const std::vector<SpectrumSnapshot>& spectra = {});

// Embedding trajectories colored by symbol: value against step for d = 1, the plane for d = 2,
// the plane of the final embedding's two principal components for d > 2.
std::string draw_embeddings(const std::vector<EmbeddingSnapshot>& snapshots, const std::string& title,
                            const std::string& out_dir, const std::string& name);

}  // namespace geneft
