// geneft degeneracy: Hessian and model Fisher spectra at w* beside λ̂ — at a stored run's
// checkpoints, on one validation model, or on the docs' suite of validation models.
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/llc_common.h"
#include "cli/sampler_options.h"
#include "core/error.h"
#include "slt/degeneracy_study.h"

namespace geneft {
namespace {

struct DegeneracyArgs {
  std::string db, run, checkpoints = "last", out = "fig";
  ValidationArgs model;
  SamplerOptions sampler;
  bool suite = false, from_store = false;
  int lanczos = 0;  // > 0: Lanczos steps (no dense spectra)
  LanczosOptions lanczos_options;
};

std::vector<int64_t> pick_steps(const std::string& text, const std::vector<int64_t>& available, const std::string& id) {
  if (available.empty())
    throw UserError("run " + id + " has no checkpoints: train it with --set train.checkpoint_every=1 (or k > 0)");
  if (text == "all") return available;
  if (text == "last") return {available.back()};
  std::vector<int64_t> out;
  for (double s : parse_list<double>(text, "--checkpoints")) out.push_back(int64_t(s));
  return out;
}

// --lanczos K: the Hessian's extremes and spectral density from Hessian–vector products.
void run_lanczos(const DegeneracyArgs& a) {
  std::filesystem::create_directories(a.out);
  LanczosOptions o = a.lanczos_options;
  o.steps = a.lanczos, o.seed = a.sampler.seed;
  std::vector<LanczosCase> cases;
  std::string name;
  if (!a.db.empty()) {
    Store store = Store::open(a.db, false);
    const std::string id = store.resolve_id(a.run);
    cases = lanczos_over_training(store, id, pick_steps(a.checkpoints, store.checkpoint_steps(id), id), o);
    name = "hessian-density-" + id.substr(0, 8);
    std::printf("stored     %zu spectr%s in table hessian_lanczos of %s\n", cases.size(), cases.size() == 1 ? "um" : "a",
                a.db.c_str());
  } else {
    cases.push_back(lanczos_of_validation_model(a.model.spec(), o));
    name = "hessian-density-" + a.model.model;
  }
  print_lanczos(stdout, cases);
  const std::string prefix = (std::filesystem::path(a.out) / name).string();
  write_lanczos(prefix, "Hessian spectral density (stochastic Lanczos quadrature)", cases);
  std::printf("table      %s.csv\nfigure     %s.png, %s.svg\n", prefix.c_str(), prefix.c_str(), prefix.c_str());
}

void run(const DegeneracyArgs& a) {
  std::filesystem::create_directories(a.out);
  std::vector<DegeneracyCase> cases;
  std::string name, title;
  if (!a.db.empty()) {
    Store store = Store::open(a.db, false);
    const std::string id = store.resolve_id(a.run);
    if (a.from_store) {
      cases = stored_degeneracy(store, id);
      if (cases.empty())
        throw UserError("run " + id + " has no stored degeneracy: run geneft degeneracy " + a.db + " --run " + id + " first");
    } else {
      cases = degeneracy_over_training(store, id, pick_steps(a.checkpoints, store.checkpoint_steps(id), id));
    }
    name = "degeneracy-" + id.substr(0, 8);
    print_degeneracy_over_training(stdout, cases);
    const std::string prefix = (std::filesystem::path(a.out) / name).string();
    write_degeneracy_csv(prefix + ".csv", cases);
    plot_degeneracy_over_training(prefix, "degeneracy and λ̂ over training, run " + id.substr(0, 8) + " (" +
                                              store.get_run(id).task + ")", cases);
    std::printf("table      %s.csv\nfigure     %s.png, %s.svg\n", prefix.c_str(), prefix.c_str(), prefix.c_str());
    return;
  } else if (a.suite) {
    for (const auto& spec : degeneracy_suite()) {
      cases.push_back(degeneracy_of_validation_model(spec, nullptr));
      std::fprintf(stderr, "%s done\n", cases.back().label.c_str());
    }
    name = "degeneracy-validation", title = "degeneracy at w* and the learning coefficient, validation models";
  } else {
    const ValidationSpec spec = a.model.spec();
    const ValidationModel v = make_validation_model(spec);
    const SgldSettings s = a.sampler.apply(v.defaults);
    cases.push_back(degeneracy_of_validation_model(spec, &s));
    name = "degeneracy-" + spec.model, title = "degeneracy, " + cases.back().label;
  }
  print_degeneracy_table(stdout, cases);
  const std::string prefix = (std::filesystem::path(a.out) / name).string();
  write_degeneracy_csv(prefix + ".csv", cases);
  plot_degeneracy(prefix, title, cases);
  std::printf("table      %s.csv\nfigure     %s.png, %s.svg\n", prefix.c_str(), prefix.c_str(), prefix.c_str());
}

}  // namespace

void add_degeneracy_command(CLI::App& app) {
  auto a = std::make_shared<DegeneracyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "degeneracy", "Hessian and model Fisher spectra at w*, ranks, generic symmetries, beside λ̂ and the true λ");
  cmd->add_option("db", a->db, "results store (with --run)");
  cmd->add_option("--run", a->run, "run id (a unique prefix is enough)");
  cmd->add_option("--checkpoints", a->checkpoints, "all, last, or a comma list of checkpoint steps")
      ->capture_default_str();
  cmd->add_flag("--suite", a->suite, "the validation models of docs/slt.md's table");
  cmd->add_flag("--from-store", a->from_store,
                "with a run: the table and figure from what is stored (degeneracy, λ̂ of the whole network and of "
                "each --restrict group), nothing computed");
  a->model.add_to(cmd);
  a->sampler.add_to(cmd);
  cmd->add_option("--lanczos", a->lanczos,
                  "K > 0: Lanczos steps on Hessian-vector products instead of dense spectra (models beyond a few "
                  "thousand parameters): extreme eigenvalues and the spectral density")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--probes", a->lanczos_options.probes, "random probe vectors of the spectral density (with --lanczos)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("-o,--out", a->out, "output folder for the CSV table and the figure")->capture_default_str();
  cmd->callback([a] {
    const int modes = int(!a->db.empty() || !a->run.empty()) + int(a->suite) + int(!a->model.model.empty());
    if (modes != 1)
      throw UserError("geneft degeneracy: give exactly one of: a store and --run, --suite, or --model");
    if ((!a->db.empty() || !a->run.empty()) && (a->db.empty() || a->run.empty()))
      throw UserError("geneft degeneracy: a store needs --run ID, and --run needs the store");
    if (a->lanczos > 0 && a->suite) throw UserError("geneft degeneracy: --lanczos applies to --model or a run, not --suite");
    if (a->from_store && (a->db.empty() || a->lanczos > 0))
      throw UserError("geneft degeneracy: --from-store reads a run's stored degeneracy (a store and --run, without --lanczos)");
    if (a->lanczos > 0) return run_lanczos(*a);
    run(*a);
  });
}

}  // namespace geneft
