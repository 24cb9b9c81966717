#include "report/report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "plot/phase_diagram.h"
#include "plot/run_figures.h"
#include "report/html.h"
#include "report/open_questions.h"
#include "report/theory_overlay.h"
#include "slt/llc_over_training.h"
#include "store/store.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"

namespace geneft {
namespace {

namespace fs = std::filesystem;

const char* kStyle = R"css(
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.4; }
h1, h2, h3 { font-weight: 600; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption, .cmd { font-size: .85em; color: #555; }
code, pre { background: #f6f6f6; padding: .1em .3em; font-size: .85em; }
pre { padding: .6em; overflow-x: auto; }
table { border-collapse: collapse; margin: .8em 0; font-size: .85em; }
td, th { border: 1px solid #ddd; padding: .25em .5em; text-align: right; }
th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; }
.note { color: #8a5a00; }
)css";

std::string num(double v, const char* fmt = "%.3f") {
  if (!std::isfinite(v)) return "-";
  char b[64];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

// A config key from the store that may go into a figure (gnuplot labels) or a command line.
bool is_plain_key(const std::string& k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return true;
}

class Page {
 public:
  Page(const ReportOptions& o) : o_(o), fig_dir_((fs::path(o.out) / "fig").string()) {}

  void heading(int level, const std::string& text, const std::string& id = "") {
    html_ << "<h" << level << (id.empty() ? "" : " id=\"" + html_escape(id) + "\"") << ">" << html_escape(text) << "</h"
          << level << ">\n";
  }
  void paragraph(const std::string& text, const char* cls = nullptr) {
    html_ << "<p" << (cls ? std::string(" class=\"") + cls + "\"" : "") << ">" << html_escape(text) << "</p>\n";
  }
  // A figure (a PNG under OUT/fig) with its caption and the command that redraws it.
  void figure(const std::string& png, const std::string& caption, const std::string& command) {
    const std::string rel = "fig/" + fs::path(png).filename().string();
    html_ << "<figure><img src=\"" << html_escape(rel) << "\" alt=\"" << html_escape(caption) << "\">\n<figcaption>"
          << html_escape(caption) << "</figcaption>\n<div class=\"cmd\">regenerate: <code>" << html_escape(command)
          << "</code></div></figure>\n";
  }
  void table(const TheoryTable& t) {
    html_ << "<table><caption>" << html_escape(t.title) << "</caption>\n<tr>";
    for (const auto& h : t.header) html_ << "<th>" << html_escape(h) << "</th>";
    html_ << "</tr>\n";
    for (const auto& r : t.rows) {
      html_ << "<tr>";
      for (const auto& c : r) html_ << "<td>" << html_escape(c) << "</td>";
      html_ << "</tr>\n";
    }
    html_ << "</table>\n";
  }
  void details(const std::string& summary, const std::string& text) {
    html_ << "<details><summary>" << html_escape(summary) << "</summary><pre>" << html_escape(text) << "</pre></details>\n";
  }
  void raw(const std::string& s) { html_ << s; }

  const std::string& fig_dir() const { return fig_dir_; }
  std::string db_word() const { return shell_word(o_.db); }
  std::string out_word() const { return shell_word(fig_dir_); }
  std::string str() const { return html_.str(); }

 private:
  const ReportOptions& o_;
  std::string fig_dir_;
  std::ostringstream html_;
};

// One theory on one sweep: its tables, figure and printed numbers; or the error, as a note.
template <class Overlay>
void theory_section(Page& page, const std::string& title, const std::string& command, Overlay overlay) {
  page.heading(3, title);
  try {
    const TheoryOutput out = overlay();
    for (const auto& t : out.tables) page.table(t);
    for (const auto& f : out.figures) page.figure(f, title, command);
    page.details("printed by " + command, out.text);
  } catch (const UserError& e) {
    page.paragraph(std::string("not drawn: ") + e.what(), "note");
  }
}

}  // namespace

std::string phase_diagram_title(const std::string& sweep, double threshold, int64_t delta) {
  char options[80];
  std::snprintf(options, sizeof options, ": phases (threshold %.2g, delta %lld)", threshold, (long long)delta);
  return plot_text(sweep) + options;
}

std::string metric_heatmap_title(const std::string& sweep, const std::string& metric) {
  return plot_text(sweep) + ": " + plot_text(metric);
}

namespace {

// What the open-question sections need of a sweep (one with finished runs and plain axis keys).
struct SweepFacts {
  std::string name, tag;
  StoredSweep stored;
  std::set<std::string> keys;
  RunConfig config;  // its first finished run's
};

std::optional<SweepFacts> sweep_section(Page& page, Store& store, const ReportOptions& o, const std::string& name, int index) {
  const std::string tag = "sweep" + std::to_string(index);  // file names never come from the store
  page.heading(2, "Sweep " + name, tag);
  const auto def = store.sweep_definition(name);
  StoredSweep stored;
  try {
    stored = parse_stored_sweep(*def);
  } catch (const std::exception& e) {
    page.paragraph("its stored definition cannot be read: " + std::string(e.what()), "note");
    return std::nullopt;
  }
  const auto rows = sweep_table(store, name, PhaseClassifier(stored.phase));
  const int64_t total = store.sweep_size(name);
  std::map<std::string, int> phases;
  for (const auto& r : rows) ++phases[phase_name(r.phase.phase)];
  std::string summary = std::to_string(rows.size()) + " of " + std::to_string(total) + " runs finished;";
  for (const auto& [p, n] : phases) summary += " " + p + " " + std::to_string(n);
  std::string axes;
  for (const auto& [k, kind] : stored.axes) axes += (axes.empty() ? "" : " × ") + k;
  page.paragraph(summary + ". Axes: " + axes + ".");
  if (rows.empty()) return std::nullopt;
  for (const auto& [k, kind] : stored.axes)
    if (!is_plain_key(k)) {
      page.paragraph("axis key '" + k + "' is not a config key: no figures", "note");
      return std::nullopt;
    }
  const std::string sweep_word = shell_word(name), db = page.db_word(), out = page.out_word();
  std::set<std::string> keys;
  for (const auto& [k, kind] : stored.axes) keys.insert(k);

  if (stored.axes.size() >= 2) try {
    auto axis = [&](size_t i) {
      return GridAxis{stored.axes[i].first, axis_label(stored.axes[i].first), stored.axes[i].second == AxisKind::LogRange};
    };
    const GridAxis x = axis(0), y = axis(1);
    // Figures are named by position (`geneft phase --name`), never after the sweep.
    const std::string cmd = "geneft phase " + db + " --sweep " + sweep_word + " -o " + out + " --name " + tag;
    const std::string title = phase_diagram_title(name, stored.phase.threshold, stored.phase.delta);
    page.figure(draw_phase_diagram(rows, x, y, title, page.fig_dir(), tag + "-phase"), "phase diagram of " + name, cmd);
    for (const std::string m : {"final_test_acc", "delay"})
      page.figure(draw_metric_heatmap(rows, x, y, m, metric_heatmap_title(name, m), page.fig_dir(), tag + "-" + m),
                  m + " of " + name, cmd + " --metric " + m);
  } catch (const UserError& e) {
    page.paragraph(std::string("no phase diagram: ") + e.what(), "note");
  }

  const RunConfig cfg = parse_config(rows.front().run.config, "store run " + rows.front().run.id);
  const std::string& kind = cfg.task.kind;
  const std::string from_store = " --sweep " + sweep_word + " --db " + db + " -o " + out;
  auto input = [&] { return theory_input_from_store(o.db, name); };
  if ((kind == "rel_equiv" || kind == "rel_greater" || kind == "rel_bipartite") && keys.count("task.train_fraction")) {
    DataSizeOptions d;
    d.db = o.db, d.out = page.fig_dir(), d.name = tag + "-datasize", d.splits = o.oracle_splits;
    theory_section(page, "GenEFT statics: network vs oracle vs f_UB",
                   "geneft theory datasize" + from_store + " --name " + d.name + " --splits " + std::to_string(d.splits),
                   [&] { return datasize_overlay(input(), d); });
  }
  if ((kind == "rel_equiv" || kind == "rel_bipartite") && keys.count("optim.encoder_lr") && keys.count("optim.decoder_lr")) {
    ReponOptions r;
    r.db = o.db, r.out = page.fig_dir(), r.name = tag + "-repons", r.samples = o.repon_samples;
    theory_section(page, "GenEFT dynamics: the repon boundary",
                   "geneft theory repons" + from_store + " --name " + r.name + " --samples " + std::to_string(r.samples),
                   [&] { return repons_overlay(input(), r); });
  }
  if (kind == "plain_add" && keys.count("task.train_count")) {
    ParallelogramOptions p;
    p.db = o.db, p.out = page.fig_dir(), p.name = tag + "-parallelograms", p.sets = o.parallelogram_sets;
    theory_section(page, "Liu et al. 2022 effective theory: parallelograms",
                   "geneft theory parallelograms" + from_store + " --name " + p.name + " --sets " + std::to_string(p.sets),
                   [&] { return parallelograms_overlay(input(), p); });
  }
  if (stored.axes.size() == 1 && (keys.count("model.depth") || keys.count("model.width"))) {
    GoldilocksOptions g;
    g.db = o.db, g.out = page.fig_dir(), g.name = tag + "-goldilocks";
    theory_section(page, "Goldilocks zone", "geneft theory goldilocks" + from_store + " --name " + g.name,
                   [&] { return goldilocks_overlay({input()}, g); });
  }
  if (stored.axes.size() == 1 && keys.count("model.init_scale") && cfg.train.fixed_norm != "none") {
    LuOptions l;
    l.db = o.db, l.out = page.fig_dir(), l.name = tag + "-lu";
    theory_section(page, "Omnigrok: the LU landscape at fixed weight norm",
                   "geneft theory lu" + from_store + " --name " + l.name, [&] { return lu_overlay({input()}, l); });
  }
  if (stored.axes.size() == 1 && (keys.count("optim.decoder_wd") || keys.count("optim.encoder_wd"))) {
    GrokTimeOptions t;
    t.db = o.db, t.out = page.fig_dir(), t.name = tag + "-grok-time";
    theory_section(page, "Omnigrok: grokking time against weight decay",
                   "geneft theory grok-time" + from_store + " --name " + t.name,
                   [&] { return grok_time_overlay(input(), t); });
  }
  return SweepFacts{name, tag, stored, keys, cfg};
}

// The GenEFT paper's open questions (docs/theory.md, "Open questions of GenEFT, measured"), each
// where the store holds the sweeps it needs: questions 1 and 6 per sweep, 2-4 over several.
bool open_questions_part(Page& page, const ReportOptions& o, const std::vector<SweepFacts>& sweeps) {
  std::vector<const SweepFacts*> trajectories, boundaries, gaps, edges, stripes;
  for (const auto& s : sweeps) {
    const auto& k = s.keys;
    const auto& c = s.config;
    const bool relation = c.task.kind == "rel_equiv" || c.task.kind == "rel_greater" || c.task.kind == "rel_bipartite";
    const bool both_lr = k.count("optim.encoder_lr") && k.count("optim.decoder_lr");
    if (c.task.kind == "rel_equiv" && c.model.arch == "mlp" && (c.model.combiner == "concat" || c.model.combiner == "sum") &&
        k.count("optim.decoder_lr") && c.train.store_embeddings)
      trajectories.push_back(&s);
    if (both_lr) boundaries.push_back(&s);
    // over train fraction and decoder size: with the combiner as an axis, data-size sweeps of
    // decoders (question 3); with one decoder axis and nothing else, zone sweeps (question 4)
    if (relation && k.count("task.train_fraction") && (k.count("model.width") || k.count("model.depth"))) {
      if (k.count("model.combiner")) gaps.push_back(&s);
      else if (s.stored.axes.size() == 2) edges.push_back(&s);
    }
    if (s.stored.axes.size() == 2 && s.stored.axes[0].second == AxisKind::LogRange &&
        s.stored.axes[1].second == AxisKind::LogRange)
      stripes.push_back(&s);
  }
  // boundaries of one task are its sweeps' repons sections: this one compares tasks
  std::set<std::string> tasks;
  for (const auto* s : boundaries)
    tasks.insert(s->config.task.kind + " " + std::to_string(s->config.task.n) + " " + std::to_string(s->config.task.k) +
                 " " + std::to_string(s->config.task.part) + " " + std::to_string(s->config.task.p));
  if (tasks.size() < 2) boundaries.clear();
  if (trajectories.empty() && boundaries.empty() && gaps.empty() && edges.empty() && stripes.empty()) return false;
  page.heading(2, "Open questions of GenEFT, measured", "open-questions");
  page.paragraph("Baek, Liu, Tegmark 2024 (arXiv:2402.05916) leave questions open; each section below is the measurement "
                 "that answers one, from the sweeps of this store that it needs (docs/theory.md).");
  const std::string db = page.db_word(), out = page.out_word();
  auto from = [&](const std::vector<const SweepFacts*>& v) {
    std::string s;
    for (const auto* f : v) s += " --sweep " + shell_word(f->name);
    return s + " --db " + db + " -o " + out;
  };
  auto inputs = [&](const std::vector<const SweepFacts*>& v) {
    std::vector<TheoryInput> in;
    for (const auto* f : v) in.push_back(theory_input_from_store(o.db, f->name));
    return in;
  };
  for (const auto* s : trajectories) {
    ReponTrajectoryOptions t;
    t.db = o.db, t.out = page.fig_dir(), t.name = s->tag + "-repon-trajectories";
    theory_section(page, "1. Do repons move as the theory says? Sweep " + s->name,
                   "geneft theory repon-trajectories" + from({s}) + " --name " + t.name,
                   [&] { return repon_trajectories_overlay(inputs({s}).front(), t); });
  }
  if (!boundaries.empty()) {
    LrBoundariesOptions b;
    b.db = o.db, b.out = page.fig_dir(), b.name = "oq2-boundaries", b.samples = o.boundary_samples;
    theory_section(page, "2. How does the slope of the phase boundary depend on the relation?",
                   "geneft theory boundaries" + from(boundaries) + " --name " + b.name + " --samples " +
                       std::to_string(b.samples),
                   [&] { return lr_boundaries_overlay(inputs(boundaries), b); });
  }
  if (!gaps.empty()) {
    InductionGapOptions g;
    g.db = o.db, g.out = page.fig_dir(), g.name = "oq3-induction-gap", g.splits = o.oracle_splits;
    theory_section(page, "3. Does a simpler decoder have a smaller induction gap?",
                   "geneft theory induction-gap" + from(gaps) + " --name " + g.name + " --splits " + std::to_string(g.splits),
                   [&] { return induction_gap_overlay(inputs(gaps), g); });
  }
  if (!edges.empty()) {
    GoldilocksEdgesOptions e;
    e.db = o.db, e.out = page.fig_dir(), e.name = "oq4-goldilocks-edges";
    theory_section(page, "4. What sets the width of the Goldilocks zone?",
                   "geneft theory goldilocks-edges" + from(edges) + " --name " + e.name,
                   [&] { return goldilocks_edges_overlay(inputs(edges), e); });
  }
  for (const auto* s : stripes) {
    StripesOptions st;
    st.db = o.db, st.out = page.fig_dir(), st.name = s->tag + "-stripes";
    theory_section(page, "6. Stripes in the phase diagram of sweep " + s->name,
                   "geneft theory stripes" + from({s}) + " --name " + st.name,
                   [&] { return stripes_overlay(inputs({s}).front(), st); });
  }
  return true;
}

// Runs with λ̂ estimates: λ̂ over training beside the losses.
void llc_section(Page& page, Store& store, const std::vector<RunRow>& runs) {
  bool any = false;
  for (const auto& run : runs) {
    const auto rows = store.llc_estimates(run.id);
    if (rows.empty()) continue;
    if (!any) page.heading(2, "Local learning coefficient over training", "llc");
    any = true;
    if (!is_hex_id(run.id)) {
      page.paragraph("run '" + run.id + "' has an id that is not a hash: no figure", "note");
      continue;
    }
    // The latest estimate at each step.
    std::map<int64_t, CheckpointLlc> by_step;
    for (const auto& r : rows) {
      CheckpointLlc c;
      c.step = r.step, c.estimate_id = r.id, c.wall_seconds = r.wall_seconds;
      c.estimate.mean = r.lambda_mean, c.estimate.std = r.lambda_std, c.estimate.nbeta = r.nbeta;
      c.estimate.loss_at_center = r.loss_at_center, c.estimate.diverged_chains = int(r.diverged_chains);
      by_step[r.step] = c;
    }
    std::vector<CheckpointLlc> llc;
    TheoryTable t{"λ̂ at each checkpoint of run " + run.id.substr(0, 8) + " (mean ± std over chains)",
                  {"step", "λ̂", "L_n(w*)", "train acc", "test acc", "warnings"}, {}};
    const auto curve = store.curve(run.id);
    for (const auto& [step, c] : by_step) {
      llc.push_back(c);
      std::string train = "-", test = "-", warnings;
      for (const auto& e : curve)
        if (e.step == step) train = num(e.train_acc), test = num(e.test_acc);
      for (const auto& r : rows)
        if (r.id == c.estimate_id) warnings = r.warnings;
      t.rows.push_back({std::to_string(step), num(c.estimate.mean) + " ± " + num(c.estimate.std),
                        num(c.estimate.loss_at_center, "%.3g"), train, test, warnings});
    }
    const std::string id8 = run.id.substr(0, 8), prefix = (fs::path(page.fig_dir()) / ("llc-" + id8)).string();
    plot_llc_over_training(prefix, "LLC over training, run " + id8 + " (" + plot_text(run.task) + ")", curve, llc);
    std::string steps;
    for (const auto& [step, c] : by_step) steps += (steps.empty() ? "" : ",") + std::to_string(step);
    page.table(t);
    page.figure(prefix + ".png", "λ̂ over training, run " + id8 + " (" + run.task + ")",
                "geneft llc " + page.db_word() + " --run " + id8 + " --checkpoints " + steps + " --figure " +
                    shell_word(prefix) + "   # samples λ̂ again (and stores it); settings of the stored estimates: " +
                    rows.back().settings);
  }
}

// Runs outside every sweep (single `geneft train` runs): their curves and embeddings.
void single_runs_section(Page& page, Store& store, const std::vector<RunRow>& runs, const std::set<std::string>& in_sweeps,
                         int max_figures) {
  int drawn = 0;
  for (const auto& run : runs) {
    if (in_sweeps.count(run.id) || !is_finished(run.status)) continue;
    if (drawn == 0) page.heading(2, "Single runs", "runs-single");
    if (drawn++ == max_figures) {
      page.paragraph("(more runs outside sweeps: see the table; `geneft curves` draws any of them)");
      break;
    }
    if (!is_hex_id(run.id)) {
      page.paragraph("run '" + run.id + "' has an id that is not a hash: no figure", "note");
      continue;
    }
    const std::string id8 = run.id.substr(0, 8), db = page.db_word(), out = page.out_word();
    const auto curve = store.curve(run.id);
    const auto emb = store.embeddings(run.id);
    page.heading(3, run.task + ", seed " + std::to_string(run.seed) + " (run " + id8 + ", " + run.status + ")");
    page.figure(draw_curves(curve, curves_title(plot_text(run.task), run.seed, run.id, run.status), page.fig_dir(), "curves-" + id8,
                            embedding_spectra(curve, emb)),
                "learning curves, run " + id8, "geneft curves " + db + " --run " + id8 + " -o " + out);
    if (!emb.empty())
      page.figure(draw_embeddings(emb, plot_text(run.task) + ": embeddings (run " + id8 + ")", page.fig_dir(),
                                  "embeddings-" + id8),
                  "embeddings over training, run " + id8, "geneft embeddings " + db + " --run " + id8 + " -o " + out);
  }
}

void runs_table(Page& page, const std::vector<RunRow>& runs) {
  page.heading(2, "Runs", "runs");
  TheoryTable t{std::to_string(runs.size()) + " runs (geneft runs " + page.db_word() + ")",
                {"id", "status", "task", "seed", "steps", "train acc", "test acc", "RQI", "phase", "t_train", "t_test",
                 "wall s"},
                {}};
  auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string("-"); };
  for (const auto& r : runs)
    t.rows.push_back({r.id.substr(0, 8), r.status, r.task, std::to_string(r.seed), std::to_string(r.steps_done),
                      num(r.final.train_acc), num(r.final.test_acc), num(r.final.rqi, "%.2f"), r.phase, opt(r.t_train),
                      opt(r.t_test), num(r.wall_seconds, "%.1f")});
  page.table(t);
}

}  // namespace

std::string write_report(const ReportOptions& o) {
  Store store = Store::open(o.db, false);
  fs::create_directories(fs::path(o.out) / "fig");
  Page page(o);
  const auto runs = store.list_runs();
  const auto sweeps = store.sweep_names();
  std::set<std::string> in_sweeps;
  for (const auto& s : sweeps)
    for (const auto& r : store.sweep_runs(s)) in_sweeps.insert(r.id);

  page.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>geneft report: " +
           html_escape(o.db) + "</title>\n<style>" + kStyle + "</style></head><body>\n");
  page.heading(1, "geneft report: " + o.db);
  page.paragraph("Generated " + utc_now_iso8601() + " from the store alone: " + std::to_string(runs.size()) + " runs, " +
                 std::to_string(sweeps.size()) + " sweeps. Regenerate with: geneft report " + page.db_word() + " -o " +
                 shell_word(o.out));
  page.raw("<ul>");
  for (size_t i = 0; i < sweeps.size(); ++i)
    page.raw("<li><a href=\"#sweep" + std::to_string(i) + "\">sweep " + html_escape(sweeps[i]) + "</a></li>");
  const std::string oq_link = "<!-- open questions -->";  // the link, once we know the part is there
  page.raw(oq_link + "<li><a href=\"#runs\">runs table</a></li></ul>\n");
  std::vector<SweepFacts> facts;
  for (size_t i = 0; i < sweeps.size(); ++i)
    if (auto f = sweep_section(page, store, o, sweeps[i], int(i))) facts.push_back(std::move(*f));
  const bool open_questions = open_questions_part(page, o, facts);
  llc_section(page, store, runs);
  single_runs_section(page, store, runs, in_sweeps, o.max_run_figures);
  runs_table(page, runs);
  page.raw("</body></html>\n");

  const std::string index = (fs::path(o.out) / "index.html").string();
  std::ofstream f(index);
  if (!f) throw UserError(index + ": cannot write");
  std::string html = page.str();
  html.replace(html.find(oq_link), oq_link.size(),
               open_questions ? "<li><a href=\"#open-questions\">open questions of GenEFT, measured</a></li>" : "");
  f << html;
  return index;
}

}  // namespace geneft
