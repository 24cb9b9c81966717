#pragma once
#include <CLI/CLI.hpp>

namespace geneft {

// Each subcommand registers itself on the app and runs from its callback.
void add_train_command(CLI::App& app);
void add_runs_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_phase_command(CLI::App& app);
void add_curves_command(CLI::App& app);
void add_embeddings_command(CLI::App& app);
void add_llc_command(CLI::App& app);
void add_llc_calibrate_command(CLI::App& app);
void add_degeneracy_command(CLI::App& app);
void add_bayes_errors_command(CLI::App& app);
void add_bayes_transition_command(CLI::App& app);
void add_theory_command(CLI::App& app);
// geneft theory learning-curves, registered by add_theory_command
void add_learning_curves_command(CLI::App& theory);
void add_merge_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_serve_command(CLI::App& app);

}  // namespace geneft
