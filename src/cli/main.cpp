// geneft: a laboratory for the physics of neural-network generalization.
#include <cstdio>

#include "cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"geneft: train small networks on algorithmic and relational tasks, store and compare them"};
  app.require_subcommand(1);
  geneft::add_train_command(app);
  geneft::add_runs_command(app);
  geneft::add_sweep_command(app);
  geneft::add_phase_command(app);
  geneft::add_curves_command(app);
  geneft::add_embeddings_command(app);
  geneft::add_export_command(app);
  geneft::add_llc_command(app);
  geneft::add_llc_calibrate_command(app);
  geneft::add_degeneracy_command(app);
  geneft::add_bayes_errors_command(app);
  geneft::add_bayes_transition_command(app);
  geneft::add_theory_command(app);
  geneft::add_merge_command(app);
  geneft::add_report_command(app);
#ifdef GENEFT_HAVE_SERVE
  geneft::add_serve_command(app);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {  // --help is 0; every usage error is bad input: 2
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const geneft::ErrorReportedElsewhere&) {
    return 2;
  } catch (const geneft::StoreError& e) {
    std::fprintf(stderr, "geneft: store error: %s\n", e.what());
    return 4;
  } catch (const geneft::UserError& e) {
    std::fprintf(stderr, "geneft: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "geneft: internal error: %s\n", e.what());
    return 3;
  }
  return 0;
}
