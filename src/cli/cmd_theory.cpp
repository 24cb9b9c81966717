// geneft theory: what the effective theories predict, printed and drawn beside the measurements
// (datasize, goldilocks, repons, boundaries, repon-trajectories, parallelograms, lu: computed in src/report/theory_overlay;
// grok-time: src/report/grok_time_overlay; repon-gas: src/report/repon_gas_overlay;
// learning-curves: PAC bounds vs statistical mechanics, cmd_theory_learning_curves.cpp).
#include <cstdio>

#include "cli/commands.h"
#include "core/error.h"
#include "report/open_questions.h"
#include "report/repon_gas_overlay.h"
#include "report/theory_overlay.h"

namespace geneft {
namespace {

// The task and measurement: a config or sweep file, or (--sweep) a sweep in the store.
struct TheorySource {
  std::string file, sweep;
  TheoryInput load(const std::string& db) const {
    if (file.empty() == sweep.empty()) throw UserError("give a CONFIG file or --sweep NAME (a sweep in --db), not both");
    return sweep.empty() ? theory_input_from_file(file) : theory_input_from_store(db, sweep);
  }
};

void print(const TheoryOutput& out) {
  std::fputs(out.text.c_str(), stdout);
  for (const auto& f : out.figures) std::printf("%s\n", f.c_str());
}

// Several sweeps: files, or names of sweeps in the store.
struct TheorySources {
  std::vector<std::string> files, sweeps;
  std::vector<TheoryInput> load(const std::string& db) const {
    if (files.empty() == sweeps.empty()) throw UserError("give sweep files or --sweep NAME..., not both");
    std::vector<TheoryInput> in;
    for (const auto& f : files) in.push_back(theory_input_from_file(f));
    for (const auto& s : sweeps) in.push_back(theory_input_from_store(db, s));
    return in;
  }
};

void add_source(CLI::App* cmd, TheorySource& s, const std::string& config_help) {
  cmd->add_option("config", s.file, config_help);
  cmd->add_option("--sweep", s.sweep, "instead of CONFIG: a sweep in the store (its runs are the measurement)");
}

void add_sources(CLI::App* cmd, TheorySources& s, const std::string& files_help) {
  cmd->add_option("sweeps", s.files, files_help);
  cmd->add_option("--sweep", s.sweeps, "instead of files: sweeps in the store (repeatable)");
}

}  // namespace

void add_theory_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("theory", "what the effective theories predict, beside the measurements");
  cmd->require_subcommand(1);

  struct DataSize {
    TheorySource source;
    DataSizeOptions o;
  };
  auto d = std::make_shared<DataSize>();
  CLI::App* ds = cmd->add_subcommand(
      "datasize", "GenEFT statics: description length b, balls into buckets f(m), critical fraction, f_UB, oracle learner "
                  "(tasks: rel_equiv, rel_greater, rel_bipartite)");
  add_source(ds, d->source, "run config, or a sweep file over task.train_fraction (its runs are the measurement)");
  ds->add_option("--db", d->o.db, "results store with the sweep's runs")->capture_default_str();
  ds->add_option("--alpha", d->o.alpha, "known fraction that defines the critical data size")->capture_default_str();
  ds->add_option("--threshold", d->o.threshold, "a second accuracy at which critical fractions are read (the first is f_UB at m_c)")
      ->capture_default_str();
  ds->add_option("--splits", d->o.splits, "random splits per train fraction for the oracle")->capture_default_str();
  ds->add_option("-o,--out", d->o.out, "output folder for the figure")->capture_default_str();
  ds->add_option("--name", d->o.name, "figure file name (default: the sweep's name)");
  ds->callback([d] { print(datasize_overlay(d->source.load(d->o.db), d->o)); });

  struct Goldilocks {
    TheorySources sources;
    GoldilocksOptions o;
  };
  auto g = std::make_shared<Goldilocks>();
  CLI::App* gz = cmd->add_subcommand("goldilocks", "final test accuracy against decoder complexity (one panel per sweep)");
  add_sources(gz, g->sources, "sweep files over one complexity axis (model.depth, model.width)");
  gz->add_option("--db", g->o.db, "results store")->capture_default_str();
  gz->add_option("--name", g->o.name, "figure file name")->capture_default_str();
  gz->add_option("-o,--out", g->o.out, "output folder for the figure")->capture_default_str();
  gz->callback([g] { print(goldilocks_overlay(g->sources.load(g->o.db), g->o)); });

  struct Repons {
    TheorySource source;
    ReponOptions o;
  };
  auto r = std::make_shared<Repons>();
  CLI::App* rp = cmd->add_subcommand(
      "repons", "GenEFT dynamics: two-repon closed form and many-repon simulation of the encoder/decoder learning-rate "
                "boundary, fitted against a measured sweep (tasks: rel_equiv, rel_bipartite)");
  add_source(rp, r->source, "run config, or a sweep file over optim.encoder_lr x optim.decoder_lr");
  rp->add_option("--db", r->o.db, "results store")->capture_default_str();
  rp->add_option("--sigma-a", r->o.sigma_a, "init std of the decoder weight a (default: from the config)");
  rp->add_option("--sigma-c", r->o.sigma_c, "init std of the half-separation c (default: from the config)");
  rp->add_option("--samples", r->o.samples, "many-repon initial conditions per learning-rate ratio")->capture_default_str();
  rp->add_option("--decoder-rows", r->o.decoder_rows, "rows of the many-repon linear decoder (default: model.width)");
  rp->add_option("-o,--out", r->o.out, "output folder for the figure")->capture_default_str();
  rp->add_option("--name", r->o.name, "figure file name (default: the sweep's name)");
  rp->callback([r] { print(repons_overlay(r->source.load(r->o.db), r->o)); });

  struct Parallelograms {
    TheorySource source;
    ParallelogramOptions o;
  };
  auto p = std::make_shared<Parallelograms>();
  CLI::App* pg = cmd->add_subcommand(
      "parallelograms", "Liu et al. 2022 effective theory: parallelograms, determined representation, predicted test "
                        "accuracy and critical training-set size (task: plain_add)");
  add_source(pg, p->source, "run config, or a sweep file over task.train_count");
  pg->add_option("--db", p->o.db, "results store")->capture_default_str();
  pg->add_option("--sets", p->o.sets, "random training sets per size")->capture_default_str();
  pg->add_option("-o,--out", p->o.out, "output folder for the figure")->capture_default_str();
  pg->add_option("--name", p->o.name, "figure file name (default: the sweep's name)");
  pg->callback([p] { print(parallelograms_overlay(p->source.load(p->o.db), p->o)); });

  struct Boundaries {
    TheorySources sources;
    LrBoundariesOptions o;
  };
  auto b = std::make_shared<Boundaries>();
  CLI::App* bd = cmd->add_subcommand(
      "boundaries", "learning-rate phase boundaries of several sweeps (one per relation, or per repon-gas size): "
                    "measured slope and offset beside the two-repon and many-repon predictions; one table, one figure");
  add_sources(bd, b->sources, "sweep files over optim.decoder_lr (and optim.encoder_lr); other axes split a sweep");
  bd->add_option("--db", b->o.db, "results store")->capture_default_str();
  bd->add_option("--samples", b->o.samples, "many-repon initial conditions (each one's threshold ratio by bisection)")->capture_default_str();
  bd->add_option("--mc-samples", b->o.mc_samples, "two-repon Monte Carlo draws")->capture_default_str();
  bd->add_option("--decoder-rows", b->o.decoder_rows, "rows of the many-repon linear decoder (default: model.width)");
  bd->add_option("--name", b->o.name, "file name of the figure and the CSV")->capture_default_str();
  bd->add_option("-o,--out", b->o.out, "output folder for the figure and the CSV")->capture_default_str();
  bd->callback([b] { print(lr_boundaries_overlay(b->sources.load(b->o.db), b->o)); });

  struct Gas {
    TheorySources sources;
    ReponGasOptions o;
  };
  auto rg = std::make_shared<Gas>();
  CLI::App* gs = cmd->add_subcommand(
      "repon-gas", "overparameterization as a repon gas (GenEFT open question 5): learning-rate boundary offsets at "
                   "several node counts n and embedding dimensions d against the gas's density, beside the many-repon "
                   "simulation and its closed form");
  add_sources(gs, rg->sources, "sweep files over optim.encoder_lr x optim.decoder_lr (other axes, e.g. model.embed_dim, split them)");
  gs->add_option("--db", rg->o.db, "results store")->capture_default_str();
  gs->add_option("--samples", rg->o.samples, "simulated initial conditions per gas (each one's threshold by bisection)")->capture_default_str();
  gs->add_option("--closed-samples", rg->o.closed_samples, "initial conditions of the closed form")->capture_default_str();
  gs->add_option("--decoder-rows", rg->o.decoder_rows, "rows of the many-repon linear decoder (default: model.width)");
  gs->add_option("--name", rg->o.name, "file name of the figure, the CSV and the JSON")->capture_default_str();
  gs->add_option("-o,--out", rg->o.out, "output folder for the figure, the CSV and the JSON")->capture_default_str();
  gs->callback([rg] { print(repon_gas_overlay(rg->sources.load(rg->o.db), rg->o)); });

  struct Trajectories {
    TheorySource source;
    ReponTrajectoryOptions o;
  };
  auto t = std::make_shared<Trajectories>();
  CLI::App* tj = cmd->add_subcommand(
      "repon-trajectories", "do repons move as the theory says? Stored embedding trajectories of a learning-rate sweep "
                            "(rel_equiv) against the repon flows from each run's own init; fitted attraction constants");
  add_source(tj, t->source, "sweep file over optim.encoder_lr x optim.decoder_lr with train.store_embeddings = true");
  tj->add_option("--db", t->o.db, "results store")->capture_default_str();
  tj->add_option("--runs-per-phase", t->o.runs_per_phase, "runs of each phase drawn in the figure")->capture_default_str();
  tj->add_option("--name", t->o.name, "file name of the figure and the CSV (default: SWEEP-repon-trajectories)");
  tj->add_option("-o,--out", t->o.out, "output folder for the figure and the CSV")->capture_default_str();
  tj->callback([t] { print(repon_trajectories_overlay(t->source.load(t->o.db), t->o)); });

  struct Lu {
    TheorySources sources;
    LuOptions o;
  };
  auto l = std::make_shared<Lu>();
  CLI::App* lu = cmd->add_subcommand(
      "lu", "Omnigrok's LU landscape: final (or best) train and test loss and accuracy against the fixed weight norm "
            "of sweeps over model.init_scale with train.fixed_norm (one panel per sweep), w_c = the test-loss minimum");
  add_sources(lu, l->sources, "sweep files over model.init_scale with train.fixed_norm");
  lu->add_option("--db", l->o.db, "results store")->capture_default_str();
  lu->add_option("--value", l->o.value, "last: each run's final value; best: the best over training (the authors' "
                                        "landscape notebooks)")->check(CLI::IsMember({"last", "best"}))->capture_default_str();
  lu->add_option("--name", l->o.name, "figure file name")->capture_default_str();
  lu->add_option("-o,--out", l->o.out, "output folder for the figure")->capture_default_str();
  lu->callback([l] { print(lu_overlay(l->sources.load(l->o.db), l->o)); });

  struct GrokTime {
    TheorySource source;
    GrokTimeOptions o;
    double threshold = 0;
  };
  auto gt = std::make_shared<GrokTime>();
  CLI::App* gtc = cmd->add_subcommand(
      "grok-time", "Omnigrok: grokking delay against weight decay, fitted delay ~ gamma^k, and each run's pure-decay "
                   "predictions from its own weight norms (and from w_c, the LU landscape's test-loss minimum)");
  add_source(gtc, gt->source, "sweep file over the weight decay (its runs are the measurement)");
  gtc->add_option("--db", gt->o.db, "results store")->capture_default_str();
  gtc->add_option("--gamma", gt->o.gamma_key, "config key of the swept weight decay (default: the sweep's first axis)");
  gtc->add_option("--threshold", gt->threshold, "accuracy that defines t_train and t_test (default: the sweep's own)");
  gtc->add_option("--w-c", gt->o.w_c, "norm of the test-loss minimum of the task's LU landscape, for prediction (b)");
  gtc->add_option("--bootstrap", gt->o.bootstrap, "resamples of seeds for the error of k (0: none)")->capture_default_str();
  gtc->add_option("--name", gt->o.name, "figure and CSV file name (default: the sweep's name)");
  gtc->add_option("-o,--out", gt->o.out, "output folder for the figure and the CSV")->capture_default_str();
  gtc->callback([gt, gtc] {
    if (gtc->count("--threshold")) gt->o.threshold = gt->threshold;
    print(grok_time_overlay(gt->source.load(gt->o.db), gt->o));
  });

  struct Stripes {
    TheorySource source;
    StripesOptions o;
  };
  auto st = std::make_shared<Stripes>();
  CLI::App* sp = cmd->add_subcommand(
      "stripes", "stripes in a learning-rate phase diagram (GenEFT open question 6): each seed's diagram, one seed per "
                 "column, per row, per cell, all seeds pooled, line by line against a smooth boundary");
  add_source(sp, st->source, "a sweep file over two log axes (e.g. optim.encoder_lr x optim.decoder_lr)");
  sp->add_option("--db", st->o.db, "results store")->capture_default_str();
  sp->add_option("--alpha", st->o.alpha, "significance of a stripe (Bonferroni over the lines)")->capture_default_str();
  sp->add_option("--floor", st->o.floor, "fitted probabilities are clamped to [floor, 1 - floor]")->capture_default_str();
  sp->add_option("--name", st->o.name, "figure file name (default: SWEEP-stripes)");
  sp->add_option("-o,--out", st->o.out, "output folder for the figure")->capture_default_str();
  sp->callback([st] { print(stripes_overlay(st->source.load(st->o.db), st->o)); });

  struct Gap {
    TheorySources sources;
    InductionGapOptions o;
  };
  auto ig = std::make_shared<Gap>();
  CLI::App* gp = cmd->add_subcommand(
      "induction-gap", "induction gap (network's critical fraction - the oracle's) against decoder size (GenEFT open "
                       "question 3; tasks: rel_equiv, rel_greater, rel_bipartite)");
  add_sources(gp, ig->sources, "data-size sweep files over task.train_fraction and decoder axes");
  gp->add_option("--db", ig->o.db, "results store")->capture_default_str();
  gp->add_option("--level", ig->o.level, "mean test accuracy at which critical fractions are read")->capture_default_str();
  gp->add_option("--splits", ig->o.splits, "random splits per train fraction for the oracle")->capture_default_str();
  gp->add_option("--name", ig->o.name, "figure file name")->capture_default_str();
  gp->add_option("-o,--out", ig->o.out, "output folder for the figure")->capture_default_str();
  gp->callback([ig] { print(induction_gap_overlay(ig->sources.load(ig->o.db), ig->o)); });

  struct Edges {
    TheorySources sources;
    GoldilocksEdgesOptions o;
  };
  auto ge = std::make_shared<Edges>();
  CLI::App* gd = cmd->add_subcommand(
      "goldilocks-edges", "the Goldilocks zone's lower and upper edges in decoder width or depth at several train "
                          "fractions, beside their predictions (GenEFT open question 4)");
  add_sources(gd, ge->sources, "sweep files over task.train_fraction and model.width or model.depth");
  gd->add_option("--db", ge->o.db, "results store")->capture_default_str();
  gd->add_option("--share", ge->o.share, "the zone's level: majority accuracy + share x (peak - majority)")
      ->capture_default_str();
  gd->add_option("--name", ge->o.name, "figure file name")->capture_default_str();
  gd->add_option("-o,--out", ge->o.out, "output folder for the figure")->capture_default_str();
  gd->callback([ge] { print(goldilocks_edges_overlay(ge->sources.load(ge->o.db), ge->o)); });

  add_learning_curves_command(*cmd);
}

}  // namespace geneft
