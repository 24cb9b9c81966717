#pragma once
// Figures of one run: learning curves, and embedding positions over training.
#include <string>
#include <vector>

#include "core/run_result.h"

namespace geneft {

// Accuracy, loss, weight norms and (if measured) RQI against step, log-step axis.
std::string draw_curves(const std::vector<EvalPoint>& curve, const std::string& title, const std::string& out_dir,
                        const std::string& name);

// Embedding trajectories colored by symbol: value against step for d = 1, the plane for d = 2,
// the plane of the final embedding's two principal components for d > 2.
std::string draw_embeddings(const std::vector<EmbeddingSnapshot>& snapshots, const std::string& title,
                            const std::string& out_dir, const std::string& name);

}  // namespace geneft
