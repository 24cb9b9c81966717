#pragma once
// Degeneracy beside the learning coefficient, side by side: d/2, rank(H)/2, rank(I)/2,
// (d − #generic)/2, λ̂ and the true λ where known — on validation models, and at the stored
// checkpoints of a run (table `degeneracy`, with the λ̂ already stored for that checkpoint).
#include <cstdio>
#include <string>
#include <vector>

#include "slt/degeneracy.h"
#include "slt/lanczos.h"
#include "slt/local_learning_coefficient.h"
#include "slt/validation_model.h"
#include "store/store.h"

namespace geneft {

// λ̂ restricted to one parameter group (geneft llc --restrict), as stored.
struct GroupLlc {
  std::string group;
  double mean = NAN, std = NAN, mala = NAN;
  size_t warnings = 0;
};

struct DegeneracyCase {
  std::string label;
  int64_t step = -1;            // checkpoint step (runs)
  DegeneracyReport report;
  double true_lambda = NAN;     // validation models
  double llc = NAN, llc_std = NAN, mala = NAN;
  std::vector<std::string> warnings;
  // runs: the curve at the step, and the latest stored λ̂ of each restricted group at the step
  double train_loss = NAN, test_loss = NAN, test_acc = NAN;
  std::vector<GroupLlc> restricted;
};

// The report at the model's w*, and λ̂ with the model's own sampler settings (overridden by
// `sampler_override` when given).
DegeneracyCase degeneracy_of_validation_model(const ValidationSpec& spec, const SgldSettings* sampler_override);

// The validation cases of the docs' table: normal crossing u²v⁴ and u², reduced-rank and deep
// linear regression, linear regression (regular).
std::vector<ValidationSpec> degeneracy_suite();

// The report at each checkpoint step of a run, saved in the store; λ̂ from the latest stored
// estimate at that step (NaN when none: run geneft llc first).
std::vector<DegeneracyCase> degeneracy_over_training(Store& store, const std::string& run_id,
                                                     const std::vector<int64_t>& steps);
// What is stored for a run, nothing computed: the degeneracy rows with the λ̂ estimates (whole
// network and each restricted group) and the curve at their steps.
std::vector<DegeneracyCase> stored_degeneracy(Store& store, const std::string& run_id);

void print_degeneracy_table(std::FILE* out, const std::vector<DegeneracyCase>& cases);
// A run over training, in one table: step, train loss, test accuracy, ranks, d/2, rank(H)/2,
// rank(F)/2, (d − #generic)/2, λ̂ ± std over chains and λ̂ of each restricted group, with the
// lowest MALA acceptance and the number of sampler warnings as diagnostics.
void print_degeneracy_over_training(std::FILE* out, const std::vector<DegeneracyCase>& cases);
// PREFIX.png/.svg: the same quantities against step (log scale), test accuracy on the right axis.
void plot_degeneracy_over_training(const std::string& prefix, const std::string& title,
                                   const std::vector<DegeneracyCase>& cases);
// One row per case; the columns of the table (why CSV: validation models belong to no run).
void write_degeneracy_csv(const std::string& path, const std::vector<DegeneracyCase>& cases);
// PREFIX.png/.svg: the quantities of each case side by side (log scale), λ̂ with its std.
void plot_degeneracy(const std::string& prefix, const std::string& title, const std::vector<DegeneracyCase>& cases);

// Models beyond a few thousand parameters: the Hessian's extreme eigenvalues and spectral density by
// Lanczos on Hessian–vector products (lanczos.h); beside the dense spectrum up to kDenseLanczosCheck.
inline constexpr size_t kDenseLanczosCheck = 2000;
struct LanczosOptions {
  int steps = 60, probes = 4;
  uint64_t seed = 0;
};
struct LanczosCase {
  std::string label;
  int64_t step = -1;  // checkpoint step (runs)
  size_t d = 0;
  int64_t n = 0;
  SpectralDensity density;
  std::vector<SpectralCount> below;  // eigenvalues below each of kRankTolerances, from the density
  Eigen::VectorXd dense;  // ascending dense eigenvalues (empty when d > kDenseLanczosCheck)
};
LanczosCase lanczos_of_validation_model(const ValidationSpec& spec, const LanczosOptions& options);
// At each checkpoint step of a run, saved in the store (table hessian_lanczos).
std::vector<LanczosCase> lanczos_over_training(Store& store, const std::string& run_id,
                                               const std::vector<int64_t>& steps, const LanczosOptions& options);
// The spectra stored for a run (no dense spectrum), the density drawn again from the stored nodes.
std::vector<LanczosCase> stored_lanczos(Store& store, const std::string& run_id);
void print_lanczos(std::FILE* out, const std::vector<LanczosCase>& cases);
// PREFIX.csv (case, eigenvalue, density) and PREFIX.png/.svg (the densities, log scale)
void write_lanczos(const std::string& prefix, const std::string& title, const std::vector<LanczosCase>& cases);

}  // namespace geneft
