#include "slt/llc_over_training.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "slt/network_target.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {

std::string settings_json(const SgldSettings& s, double nbeta, const std::string& group) {
  nlohmann::json j = {{"epsilon", s.epsilon}, {"gamma", s.gamma},         {"nbeta", nbeta},
                            {"chains", s.chains},   {"draws", s.draws},         {"burn_in", s.burn_in},
                            {"thin", s.thin},       {"batch_size", s.batch_size}, {"sampler", s.rmsprop ? "rmsprop" : "sgld"},
                            {"seed", s.seed}};
  if (group != "all") j["group"] = group;  // absent for the whole network, as before
  return j.dump();
}

std::vector<CheckpointLlc> measure_llc_over_training(Store& store, const std::string& run_id,
                                                     const std::vector<int64_t>& steps, const SgldSettings& settings,
                                                     bool progress, const std::string& group) {
  validate(settings);
  const RunRow run = store.get_run(run_id);
  const RunConfig cfg = parse_config(run.config, "run " + run_id + " config");
  const Dataset data = make_dataset(cfg.task);
  const Split split = make_split(data.size(), cfg.task, cfg.seed);
  const NetworkTarget target(cfg, data, split);
  SgldSettings s = settings;
  if (group != "all") {
    const ParameterGroup& g = target.group(group);
    s.active_begin = g.begin, s.active_end = g.end;
  }
  // every checkpoint is read (and checked) before any sampling starts
  std::vector<Checkpoint> cps;
  for (int64_t s : steps) cps.push_back(store.checkpoint(run_id, s));
  std::vector<CheckpointLlc> out;
  for (const auto& cp : cps) {
    const SgldResult r = run_sgld(target, target.parameters(cp), s);
    CheckpointLlc c{cp.step, estimate_llc(r), 0, r.wall_seconds};
    LlcRow row;
    row.run_id = run_id, row.step = cp.step, row.created_at = utc_now_iso8601();
    row.settings = settings_json(settings, r.nbeta, group), row.n = r.n, row.nbeta = r.nbeta;
    const auto& e = c.estimate;
    row.lambda_mean = e.mean, row.lambda_std = e.std, row.loss_at_center = e.loss_at_center;
    row.mala_acceptance = e.mala_acceptance, row.fraction_below_center = e.fraction_below_center;
    row.trend = e.trend, row.diverged_chains = e.diverged_chains, row.wall_seconds = r.wall_seconds;
    for (const auto& w : e.warnings) row.warnings += w + "\n";
    std::vector<std::vector<double>> traces;
    for (const auto& ch : r.chains) traces.push_back(ch.loss);
    c.estimate_id = store.save_llc_estimate(row, traces);
    if (progress)
      std::fprintf(stderr, "step %lld: λ̂ = %.4g ± %.3g (%.1f s)\n", (long long)cp.step, e.mean, e.std, r.wall_seconds);
    out.push_back(std::move(c));
  }
  return out;
}

void plot_llc_over_training(const std::string& prefix, const std::string& title, const std::vector<EvalPoint>& curve,
                            const std::vector<CheckpointLlc>& llc) {
  std::string data = "# step train_loss test_loss\n";
  char buf[200];
  for (const auto& p : curve) {
    std::snprintf(buf, sizeof buf, "%lld %.10g %.10g\n", (long long)p.step, std::isnan(p.train_loss) ? NAN : p.train_loss,
                  p.test_loss);
    data += buf;
  }
  data += "\n\n# step lambda_hat std\n";
  for (const auto& c : llc) {
    std::snprintf(buf, sizeof buf, "%lld %.10g %.10g\n", (long long)c.step, c.estimate.mean, c.estimate.std);
    data += buf;
  }
  const std::string cmds = std::string() +
      "set title '" + title + "' noenhanced\n"
      "set xlabel 'training step'\n"
      "set ylabel 'loss (cross-entropy, log scale)'\n"
      "set logscale y\n"
      "set format y '10^{%L}'\n"
      "set y2label 'local learning coefficient λ̂'\n"
      "set y2tics\n"
      "set ytics nomirror\n"
      "set key outside top center horizontal\n"
      "set grid xtics ytics lc rgb '#dddddd'\n"
      "plot DATAFILE index 0 using 1:2 with lines lw 2 lc rgb '" + kBlue + "' title 'train loss', \\\n"
      "     DATAFILE index 0 using 1:3 with lines lw 2 dt 2 lc rgb '" + kVermillion + "' title 'test loss', \\\n"
      "     DATAFILE index 1 using 1:2:3 axes x1y2 with yerrorlines lw 2 pt 7 ps 0.8 lc rgb '" + kGreen +
      "' title 'λ̂ (mean ± std over chains)'\n";
  render_data_figure(prefix, data, cmds, {900, 560});
}

}  // namespace geneft
