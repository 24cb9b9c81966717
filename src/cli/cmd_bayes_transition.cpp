// geneft bayes-transition: a Bayesian phase transition in n on a two-layer tanh network, the
// posterior mass of the one-node region against n beside the local free-energy prediction.
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/llc_common.h"
#include "slt/bayes_transition.h"
#include "store/store.h"

namespace geneft {

void add_bayes_transition_command(CLI::App& app) {
  struct Args {
    std::string teacher_a = "1,0.25", teacher_q = "1.5,-1", ns = "100,200,400,800,1600,3200", db = "results.db",
                out = "fig";
    double input_scale = 2;
    int datasets = 4;
    int64_t reference_n = 5000;
    uint64_t seed = 0;
    TemperingSettings pt;
    SgldSettings llc;
  };
  auto a = std::make_shared<Args>();
  a->llc.epsilon = 5e-5, a->llc.gamma = 1, a->llc.chains = 4, a->llc.burn_in = 3000, a->llc.draws = 3000;
  CLI::App* cmd = app.add_subcommand(
      "bayes-transition",
      "Bayesian phase transition in n: posterior mass of one vs two tanh nodes at β = 1 beside the local free energies");
  cmd->set_config("--config", "", "a study file (TOML, the option names as keys: examples/bayes-transition.toml)");
  cmd->add_option("--teacher-a", a->teacher_a, "the teacher's two first-layer weights")->capture_default_str();
  cmd->add_option("--teacher-q", a->teacher_q, "the teacher's two output weights")->capture_default_str();
  cmd->add_option("--input-scale", a->input_scale, "x ~ N(0, s²)")->capture_default_str();
  cmd->add_option("--ns", a->ns, "training-set sizes")->capture_default_str();
  cmd->add_option("--datasets", a->datasets, "independent training sets per n")->capture_default_str();
  cmd->add_option("--reference-n", a->reference_n, "samples of the data set on which the minima and λ̂ are found")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "seed of the data sets and chains")->capture_default_str();
  cmd->add_option("--prior-gamma", a->pt.gamma, "prior precision: w ~ N(0, 1/γ)")->capture_default_str();
  cmd->add_option("--replicas", a->pt.replicas, "parallel-tempering replicas (β from 1 to --beta-min)")->capture_default_str();
  cmd->add_option("--beta-min", a->pt.beta_min, "the hottest replica's β")->capture_default_str();
  cmd->add_option("--chains", a->pt.chains, "independent chains per data set")->capture_default_str();
  cmd->add_option("--burn-in", a->pt.burn_in, "sweeps discarded per chain")->capture_default_str();
  cmd->add_option("--draws", a->pt.draws, "β = 1 draws per chain")->capture_default_str();
  cmd->add_option("--thin", a->pt.thin, "sweeps between draws")->capture_default_str();
  cmd->add_option("--threads", a->pt.threads, "threads (0: one per core, at most one per chain)")->capture_default_str();
  cmd->add_option("--llc-epsilon", a->llc.epsilon, "λ̂ at the minima: SGLD step")->capture_default_str();
  cmd->add_option("--llc-gamma", a->llc.gamma, "λ̂ at the minima: localization γ")->capture_default_str();
  cmd->add_option("--llc-chains", a->llc.chains, "λ̂ at the minima: chains")->capture_default_str();
  cmd->add_option("--llc-burn-in", a->llc.burn_in, "λ̂ at the minima: burn-in steps")->capture_default_str();
  cmd->add_option("--llc-draws", a->llc.draws, "λ̂ at the minima: draws")->capture_default_str();
  cmd->add_option("--db", a->db, "store for the study (tables bayes_transitions, bayes_transition_points)")
      ->capture_default_str();
  cmd->add_option("-o,--out", a->out, "output folder for the CSV table and the figure")->capture_default_str();
  cmd->callback([a] {
    TransitionSettings s;
    s.teacher_a = parse_list<double>(a->teacher_a, "--teacher-a");
    s.teacher_q = parse_list<double>(a->teacher_q, "--teacher-q");
    s.input_scale = a->input_scale, s.datasets = a->datasets, s.reference_n = a->reference_n, s.seed = a->seed;
    s.ns.clear();
    for (double n : parse_list<double>(a->ns, "--ns")) s.ns.push_back(int64_t(n));
    s.sampler = a->pt, s.sampler.seed = a->seed;
    s.llc = a->llc, s.llc.seed = a->seed, s.llc.threads = a->pt.threads;
    validate(s);
    Store store = Store::open(a->db, true);  // before the work: a bad store fails first
    const TransitionStudy study = measure_bayes_transition(s);
    print_bayes_transition(stdout, study);
    std::filesystem::create_directories(a->out);
    const std::string prefix = (std::filesystem::path(a->out) / "bayes-transition").string();
    write_bayes_transition(prefix, study);  // the CSV first: a store that fails now loses nothing
    store.save_bayes_transition(transition_row(study));
    std::printf("stored     %s (study %s)\ntable      %s.csv\nfigure     %s.png, %s.svg\n", a->db.c_str(),
                study.id.c_str(), prefix.c_str(), prefix.c_str(), prefix.c_str());
  });
}

}  // namespace geneft
