// geneft bayes-errors: singular fluctuation, WAIC, Bayes generalization and training errors and
// the free energy over n on a linear validation model, against Watanabe's predictions.
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/llc_common.h"
#include "cli/sampler_options.h"
#include "slt/bayes_errors.h"

namespace geneft {

void add_bayes_errors_command(CLI::App& app) {
  struct Args {
    ValidationArgs model;
    SamplerOptions sampler;
    std::string ns = "100,300,1000", out = "fig";
    int datasets = 8;
    int64_t test_size = 20000;
    bool no_wbic = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "bayes-errors", "β = 1 posterior on a validation model: V_n, ν, WAIC, G_n, T_n and WBIC over n vs λ/n, (λ−2ν)/n");
  a->model.add_to(cmd);
  a->sampler.add_to(cmd);
  cmd->add_option("--ns", a->ns, "training-set sizes")->capture_default_str();
  cmd->add_option("--datasets", a->datasets, "independent training sets per n")->capture_default_str();
  cmd->add_option("--test-size", a->test_size, "fresh test points per data set (for G_n)")->capture_default_str();
  cmd->add_flag("--no-wbic", a->no_wbic, "skip the free energy (WBIC) runs");
  cmd->add_option("-o,--out", a->out, "output folder for the CSV table and the figure")->capture_default_str();
  cmd->callback([a] {
    if (a->model.model.empty()) throw UserError("geneft bayes-errors needs --model regular, rrr or dln");
    const ValidationSpec spec = a->model.spec();
    BayesErrorSettings s;
    s.ns.clear();
    for (double n : parse_list<double>(a->ns, "--ns")) s.ns.push_back(int64_t(n));
    s.datasets = a->datasets, s.test_size = a->test_size, s.wbic = !a->no_wbic;
    // β = 1 sampling defaults: unit-normal prior, 4 chains, ε = 0.02/n unless given
    SgldSettings d;
    d.gamma = 1, d.chains = 4, d.burn_in = 3000, d.draws = 300, d.thin = 10;
    s.sampler = a->sampler.apply(d);
    if (!a->sampler.epsilon) s.sampler.epsilon = 0;  // 0.02 / n at each n
    const BayesErrorStudy study = measure_bayes_errors(spec, s);
    print_bayes_errors(stdout, study);
    std::filesystem::create_directories(a->out);
    const std::string prefix = (std::filesystem::path(a->out) / ("bayes-errors-" + spec.model)).string();
    write_bayes_errors(prefix, study);
    std::printf("table      %s.csv\nfigure     %s.png, %s.svg\n", prefix.c_str(), prefix.c_str(), prefix.c_str());
  });
}

}  // namespace geneft
