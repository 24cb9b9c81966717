// _geneft: the compiled half of the Python package `geneft` (python/geneft/__init__.py builds the
// DataFrames and progress bars). It binds the library functions the command line calls — the
// store, train/sweep, the theory modules and λ̂ — never the command line itself.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <toml++/toml.h>

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <set>
#include <sstream>

#include "core/config.h"
#include "core/error.h"
#include "slt/llc_over_training.h"
#include "slt/validation_model.h"
#include "store/store.h"
#include "sweep/scheduler.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "theory/balls_into_buckets.h"
#include "theory/description_length.h"
#include "theory/generalization_probability.h"
#include "theory/oracle_learner.h"
#include "theory/parallelogram_theory.h"
#include "run/execute_run.h"

namespace py = pybind11;
using namespace geneft;

namespace {

// A UserError raised by the store (missing, not a geneft store, hostile content, unknown run):
// geneft.StoreError in Python; every other UserError is geneft.ConfigError.
struct StoreFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct ErrorBase {};  // the type behind geneft.Error, the base of both

template <class F>
auto in_store(F&& f) {
  try {
    return f();
  } catch (const UserError& e) {
    throw StoreFailure(e.what());
  }
}

// ---- Python values -> TOML ------------------------------------------------------------------

toml::table to_table(const py::dict& d, const std::string& where);

std::unique_ptr<toml::node> to_node(py::handle v, const std::string& where) {  // NOLINT(misc-no-recursion)
  if (py::isinstance<py::bool_>(v)) return std::make_unique<toml::value<bool>>(v.cast<bool>());
  if (py::isinstance<py::int_>(v)) return std::make_unique<toml::value<int64_t>>(v.cast<int64_t>());
  if (py::isinstance<py::float_>(v)) return std::make_unique<toml::value<double>>(v.cast<double>());
  if (py::isinstance<py::str>(v)) return std::make_unique<toml::value<std::string>>(v.cast<std::string>());
  if (py::isinstance<py::dict>(v)) return std::make_unique<toml::table>(to_table(v.cast<py::dict>(), where));
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    auto a = std::make_unique<toml::array>();
    for (py::handle x : v) a->push_back(std::move(*to_node(x, where)));
    return a;
  }
  // numpy scalars and the like: by what they say they are
  if (py::hasattr(v, "dtype") && py::hasattr(v, "item")) return to_node(v.attr("item")(), where);
  throw UserError(where + ": a value of Python type " + std::string(py::str(v.get_type().attr("__name__"))) +
                  " is not a config value (bool, int, float, str, list or dict)");
}

toml::table to_table(const py::dict& d, const std::string& where) {  // NOLINT(misc-no-recursion)
  toml::table t;
  for (const auto& [k, v] : d) {
    const std::string key = py::str(k);
    t.insert(key, std::move(*to_node(v, where.empty() ? key : where + "." + key)));
  }
  return t;
}

std::string toml_text(const toml::table& t) {
  std::ostringstream o;
  o << t;
  return o.str();
}

// keyword overrides -> `--set key=value` texts: optim__decoder_wd=0.5 is optim.decoder_wd = 0.5
std::vector<std::string> override_texts(const py::dict& overrides) {
  std::vector<std::string> out;
  for (const auto& [k, v] : overrides) {
    std::string key = py::str(k);
    for (size_t i; (i = key.find("__")) != std::string::npos;) key.replace(i, 2, ".");
    toml::table one;
    one.insert("v", std::move(*to_node(v, key)));
    const std::string text = toml_text(one);  // "v = <value>"
    out.push_back(key + "=" + text.substr(text.find('=') + 2));
  }
  return out;
}

// A config given as a path (str) or a dict, with overrides.
RunConfig run_config(const py::object& config, const py::dict& overrides) {
  if (py::isinstance<py::dict>(config))
    return parse_config(toml_text(to_table(config, "")), "config (dict)", override_texts(overrides));
  return load_config(config.cast<std::string>(), override_texts(overrides));
}

SweepDefinition sweep_definition(const py::object& sweep, const py::dict& overrides) {
  if (py::isinstance<py::dict>(sweep))  // a `base` file is relative to the working directory
    return parse_sweep(toml_text(to_table(sweep, "")), "sweep (dict)", ".", override_texts(overrides));
  return load_sweep(sweep.cast<std::string>(), override_texts(overrides));
}

// ---- waiting for C++ work ---------------------------------------------------------------------

// Runs `work` on its own thread while the calling (Python) thread waits with the GIL released,
// waking every 0.1 s to call `tick` (the progress display) and to check for Ctrl-C. A
// KeyboardInterrupt — or any exception from `tick` — sets `stop`, lets the work end as after
// Ctrl-C in the command line (in-flight runs stored as "interrupted"), and is raised then.
void wait_interruptibly(const std::function<void()>& work, std::atomic<bool>& stop, const std::function<void()>& tick) {
  std::future<void> done = std::async(std::launch::async, work);
  std::optional<py::error_already_set> raised;
  {
    py::gil_scoped_release release;
    while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      py::gil_scoped_acquire acquire;
      if (raised) continue;
      try {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        tick();
      } catch (py::error_already_set& e) {
        raised.emplace(std::move(e));
        stop = true;
      }
    }
  }
  done.get();  // the work's own exception first
  if (raised) throw std::move(*raised);
  tick();
}

// ---- train and sweep --------------------------------------------------------------------------

std::string train(const py::object& config, const py::dict& overrides, const std::string& db, bool force,
                  const py::object& on_progress) {
  // Everything that can be wrong with the input is checked before the store is touched.
  const RunConfig cfg = run_config(config, overrides);
  const std::string id = cfg.id();
  const Dataset data = make_dataset(cfg.task);
  const Split split = make_split(data.size(), cfg.task, cfg.seed);
  Store store = in_store([&] { return Store::open(db, true); });
  if (const auto status = in_store([&] { return store.run_status(id); }); status && is_finished(*status) && !force)
    return id;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> steps{0};
  TrainOptions options;
  options.progress = false;
  options.label = id.substr(0, 8);
  options.stop = &stop;
  options.steps_done = &steps;
  const PhaseClassifier classifier;
  wait_interruptibly([&] { in_store([&] { return execute_run(cfg, data, split, store, options, classifier); }); },
                     stop, [&] { on_progress(steps.load(), cfg.train.steps); });
  return id;
}

std::string sweep(const py::object& sweep_config, const py::dict& overrides, const std::string& db, int jobs,
                  const py::object& on_progress) {
  const SweepDefinition def = sweep_definition(sweep_config, overrides);
  const std::vector<SweepPoint> points = expand_sweep(def);  // every point validated before any run
  std::vector<std::string> ids;
  for (const auto& p : points) ids.push_back(p.config.id());
  const size_t total = std::set<std::string>(ids.begin(), ids.end()).size();
  if (jobs < 1 || jobs > 1024) throw UserError("jobs = " + std::to_string(jobs) + " is out of range: allowed 1 to 1024");
  Store store = in_store([&] { return Store::open(db, true); });
  in_store([&] { store.save_sweep(def.name, def.to_json(), ids); });
  std::atomic<bool> stop{false};
  std::atomic<size_t> done{0};
  SchedulerOptions options;
  options.jobs = jobs;
  options.progress = false;
  options.stop = &stop;
  options.label = def.name;
  options.runs_done = &done;
  wait_interruptibly([&] { in_store([&] { return run_sweep(points, store, PhaseClassifier(def.phase), options); }); },
                     stop, [&] { on_progress(done.load(), total); });
  return def.name;
}

// ---- the store's tables, as columns ------------------------------------------------------------

py::object value_of(const ConfigValue& v) {
  return std::visit([](const auto& x) -> py::object { return py::cast(x); }, v);
}
py::object optional_int(const std::optional<int64_t>& v) {
  return v ? py::object(py::int_(*v)) : py::object(py::float_(kMissing));
}
py::object json_cell(const nlohmann::json& v) {
  if (v.is_null()) return py::float_(kMissing);
  if (v.is_string()) return py::str(v.get<std::string>());
  if (v.is_boolean()) return py::bool_(v.get<bool>());
  if (v.is_number_integer()) return py::int_(v.get<int64_t>());
  return py::float_(v.get<double>());
}

// Columns (name -> list) in order; the rows' config keys after the named columns.
class Columns {
 public:
  void add(const std::string& name, py::object v) {
    if (!cols_.contains(name.c_str())) cols_[name.c_str()] = py::list();
    cols_[name.c_str()].cast<py::list>().append(std::move(v));
  }
  py::dict done() { return cols_; }

 private:
  py::dict cols_;
};

class PyStore {
 public:
  PyStore(const std::string& path, bool writable)
      : store_(in_store([&] { return writable ? Store::open(path, false) : Store::open_read_only(path); })) {}

  py::dict runs() {
    const auto rows = in_store([&] { return store_.list_runs(); });
    Columns c;
    for (const auto& r : rows) {
      c.add("id", py::str(r.id));
      c.add("status", py::str(r.status));
      c.add("task", py::str(r.task));
      c.add("seed", py::int_(r.seed));
      c.add("phase", py::str(r.phase));
      c.add("steps_done", py::int_(r.steps_done));
      c.add("t_train", optional_int(r.t_train));
      c.add("t_test", optional_int(r.t_test));
      c.add("diverged_step", optional_int(r.diverged_step));
      c.add("early_stopped", py::bool_(r.early_stopped));
      c.add("train_size", py::int_(r.train_size));
      c.add("test_size", py::int_(r.test_size));
      c.add("wall_seconds", py::float_(r.wall_seconds));
      c.add("started_at", py::str(r.started_at));
      c.add("ended_at", py::str(r.ended_at));
      for (const auto& [name, field] : curve_metrics()) c.add(std::string("final_") + name, py::float_(r.final.*field));
      // the canonical config, flattened: one dotted column per key (seed is above)
      const auto values = in_store([&] { return parse_config_values(r.config, store_.path() + ": run " + r.id); });
      for (const auto& [key, v] : values)
        if (key != "seed") c.add(key, value_of(v));
    }
    return c.done();
  }

  py::dict curves(const std::vector<std::string>& ids) {
    Columns c;
    for (const auto& prefix : ids) {
      const std::string id = in_store([&] { return store_.resolve_id(prefix); });
      for (const auto& p : in_store([&] { return store_.curve(id); })) {
        c.add("run_id", py::str(id));
        c.add("step", py::int_(p.step));
        for (const auto& [name, field] : curve_metrics()) c.add(name, py::float_(p.*field));
      }
    }
    return c.done();
  }

  std::vector<std::string> run_ids() {
    std::vector<std::string> out;
    for (const auto& r : in_store([&] { return store_.list_runs(); })) out.push_back(r.id);
    return out;
  }
  std::vector<std::string> sweep_run_ids(const std::string& name) {
    if (!in_store([&] { return store_.sweep_definition(name); }))
      throw StoreFailure(store_.path() + ": no sweep named '" + name + "'");
    std::vector<std::string> out;
    for (const auto& r : in_store([&] { return store_.sweep_runs(name); })) out.push_back(r.id);
    return out;
  }

  py::dict sweeps() {
    Columns c;
    for (const auto& name : in_store([&] { return store_.sweep_names(); })) {
      const std::string definition = in_store([&] { return *store_.sweep_definition(name); });
      const StoredSweep stored = in_store([&] { return parse_stored_sweep(definition); });
      std::string axes;
      for (const auto& [key, kind] : stored.axes) axes += (axes.empty() ? "" : ",") + key;
      c.add("name", py::str(name));
      c.add("axes", py::str(axes));
      c.add("runs", py::int_(in_store([&] { return store_.sweep_runs(name); }).size()));
      c.add("definition", py::str(definition));
    }
    return c.done();
  }

  py::dict sweep(const std::string& name) {
    const SweepExport table = in_store([&] { return sweep_export(store_, name); });
    py::dict out;
    for (const auto& column : table.columns) {
      py::list values;
      for (const auto& r : table.rows) values.append(json_cell(table.cell(r, column)));
      out[column.c_str()] = values;
    }
    return out;
  }

  // step -> (rows, cols) float32 array; the blob's size is checked against rows x cols
  py::dict embeddings(const std::string& prefix) {
    const std::string id = in_store([&] { return store_.resolve_id(prefix); });
    py::dict out;
    for (const auto& s : in_store([&] { return store_.embeddings(id); })) {
      if (s.rows < 0 || s.cols < 0 || size_t(s.rows) * size_t(s.cols) != s.values.size())
        throw StoreFailure(store_.path() + ": run " + id + ": the embedding at step " + std::to_string(s.step) +
                           " has " + std::to_string(s.values.size()) + " values, not rows x cols = " +
                           std::to_string(s.rows) + " x " + std::to_string(s.cols));
      py::array_t<float> a({py::ssize_t(s.rows), py::ssize_t(s.cols)});
      std::copy(s.values.begin(), s.values.end(), a.mutable_data());
      out[py::int_(s.step)] = a;
    }
    return out;
  }

  py::dict checkpoints(const std::string& prefix) {
    const std::string id = in_store([&] { return store_.resolve_id(prefix); });
    Columns c;
    for (int64_t step : in_store([&] { return store_.checkpoint_steps(id); })) {
      const Checkpoint cp = in_store([&] { return store_.checkpoint(id, step); });
      c.add("step", py::int_(step));
      c.add("dtype", py::str(cp.dtype));
      c.add("encoder", py::array_t<double>(py::ssize_t(cp.encoder.size()), cp.encoder.data()));
      c.add("decoder", py::array_t<double>(py::ssize_t(cp.decoder.size()), cp.decoder.data()));
    }
    return c.done();
  }

  py::dict llc(const std::string& prefix) {
    const std::string id = in_store([&] { return store_.resolve_id(prefix); });
    Columns c;
    for (const auto& r : in_store([&] { return store_.llc_estimates(id); })) {
      c.add("estimate_id", py::int_(r.id));
      c.add("step", py::int_(r.step));
      c.add("llc", py::float_(r.lambda_mean));
      c.add("llc_std", py::float_(r.lambda_std));
      c.add("n", py::int_(r.n));
      c.add("nbeta", py::float_(r.nbeta));
      c.add("loss_at_center", py::float_(r.loss_at_center));
      c.add("mala_acceptance", py::float_(r.mala_acceptance));
      c.add("fraction_below_center", py::float_(r.fraction_below_center));
      c.add("trend", py::float_(r.trend));
      c.add("diverged_chains", py::int_(r.diverged_chains));
      c.add("warnings", py::str(r.warnings));
      c.add("wall_seconds", py::float_(r.wall_seconds));
      c.add("created_at", py::str(r.created_at));
      c.add("settings", py::str(r.settings));
    }
    return c.done();
  }

  std::string path() const { return store_.path(); }

 private:
  Store store_;
};

// ---- λ̂ at stored checkpoints ----------------------------------------------------------------

SgldSettings sampler_settings(const py::dict& options) {
  SgldSettings s = network_sampler_defaults();
  for (const auto& [k, v] : options) {
    const std::string key = py::str(k);
    if (key == "epsilon") s.epsilon = v.cast<double>();
    else if (key == "gamma") s.gamma = v.cast<double>();
    else if (key == "nbeta") s.nbeta = v.cast<double>();
    else if (key == "chains") s.chains = v.cast<int>();
    else if (key == "draws") s.draws = v.cast<int>();
    else if (key == "burn_in") s.burn_in = v.cast<int>();
    else if (key == "thin") s.thin = v.cast<int>();
    else if (key == "batch_size") s.batch_size = v.cast<int64_t>();
    else if (key == "threads") s.threads = v.cast<int>();
    else if (key == "seed") s.seed = v.cast<uint64_t>();
    else if (key == "sampler") {
      const std::string name = py::str(v);
      if (name != "sgld" && name != "rmsprop") throw UserError("sampler = '" + name + "': allowed sgld, rmsprop");
      s.rmsprop = name == "rmsprop";
    } else
      throw UserError("unknown sampler option '" + key +
                      "' (known: epsilon, gamma, nbeta, chains, draws, burn_in, thin, batch_size, sampler, seed, threads)");
  }
  if (s.nbeta < 0) throw UserError("nbeta = " + std::to_string(s.nbeta) + " is out of range: allowed > 0");
  validate(s);
  return s;
}

py::dict llc(const std::string& db, const std::string& run, const py::object& checkpoints, const py::dict& sampler) {
  const SgldSettings settings = sampler_settings(sampler);
  Store store = in_store([&] { return Store::open(db, false); });
  const std::string id = in_store([&] { return store.resolve_id(run); });
  const auto available = in_store([&] { return store.checkpoint_steps(id); });
  if (available.empty())
    throw UserError("run " + id + " has no checkpoints: train it with train.checkpoint_every=1 (or k > 0)");
  std::vector<int64_t> steps;
  if (checkpoints.is_none() || (py::isinstance<py::str>(checkpoints) && checkpoints.cast<std::string>() == "all"))
    steps = available;
  else if (py::isinstance<py::str>(checkpoints) && checkpoints.cast<std::string>() == "last")
    steps = {available.back()};
  else if (py::isinstance<py::str>(checkpoints))
    throw UserError("checkpoints = '" + checkpoints.cast<std::string>() + "': expected 'all', 'last' or a list of steps");
  else
    steps = checkpoints.cast<std::vector<int64_t>>();
  for (int64_t s : steps) in_store([&] { store.checkpoint(id, s); });  // a missing step, before sampling
  std::vector<CheckpointLlc> results;
  {
    py::gil_scoped_release release;
    results = in_store([&] { return measure_llc_over_training(store, id, steps, settings, false); });
  }
  Columns c;
  for (const auto& r : results) {
    c.add("step", py::int_(r.step));
    c.add("llc", py::float_(r.estimate.mean));
    c.add("llc_std", py::float_(r.estimate.std));
    c.add("nbeta", py::float_(r.estimate.nbeta));
    c.add("mala_acceptance", py::float_(r.estimate.mala_acceptance));
    c.add("fraction_below_center", py::float_(r.estimate.fraction_below_center));
    c.add("diverged_chains", py::int_(r.estimate.diverged_chains));
    std::string warnings;
    for (const auto& w : r.estimate.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
    c.add("warnings", py::str(warnings));
    c.add("estimate_id", py::int_(r.estimate_id));
  }
  return c.done();
}

// ---- theory -----------------------------------------------------------------------------------

struct RelationInput {
  RunConfig config;
  RelationFamilySpec family;
  Dataset data;
};
RelationInput relation_input(const py::object& config, const py::dict& overrides) {
  RunConfig cfg = run_config(config, overrides);
  RelationFamilySpec family = relation_family_of(cfg.task);
  Dataset data = make_dataset(cfg.task);
  return {std::move(cfg), family, std::move(data)};
}

double bits_of(const DescriptionLength& b, const std::string& which) {
  if (which == "exact") return b.exact_bits;
  if (which == "approx") return b.approx_bits;
  if (which == "graph") return b.isomorphic_bits;
  throw UserError("bits = '" + which + "': allowed exact, approx, graph");
}

}  // namespace

PYBIND11_MODULE(_geneft, m) {
  m.doc() = "geneft's C++ library; use the package `geneft`";
  static py::exception<ErrorBase> error(m, "Error");
  py::register_exception<UserError>(m, "ConfigError", error.ptr());
  py::register_exception<StoreFailure>(m, "StoreError", error.ptr());

  // the one lists of metric columns (store.h, sweep_table.h): the Python side types them as float
  std::vector<std::string> curve_columns;
  for (const auto& [name, field] : curve_metrics()) curve_columns.push_back(name);
  m.attr("curve_columns") = curve_columns;
  m.attr("sweep_metrics") = kSweepMetrics;

  m.def("train", &train, py::arg("config"), py::arg("overrides"), py::arg("db"), py::arg("force"),
        py::arg("on_progress"));
  m.def("sweep", &sweep, py::arg("sweep"), py::arg("overrides"), py::arg("db"), py::arg("jobs"),
        py::arg("on_progress"));
  m.def("config", [](const py::object& config, const py::dict& overrides) {
    const RunConfig cfg = run_config(config, overrides);
    return std::make_pair(cfg.id(), cfg.canonical());
  });

  py::class_<PyStore>(m, "Store")
      .def(py::init<const std::string&, bool>(), py::arg("path"), py::arg("writable"))
      .def("runs", &PyStore::runs)
      .def("curves", &PyStore::curves)
      .def("run_ids", &PyStore::run_ids)
      .def("sweep_run_ids", &PyStore::sweep_run_ids)
      .def("sweeps", &PyStore::sweeps)
      .def("sweep", &PyStore::sweep)
      .def("embeddings", &PyStore::embeddings)
      .def("checkpoints", &PyStore::checkpoints)
      .def("llc", &PyStore::llc)
      .def_property_readonly("path", &PyStore::path);

  m.def("llc", &llc, py::arg("db"), py::arg("run"), py::arg("checkpoints"), py::arg("sampler"));

  // GenEFT statics (Baek, Liu, Tegmark 2024, Sec. 3)
  m.def("description_length", [](const py::object& config, const py::dict& overrides) {
    const RelationInput in = relation_input(config, overrides);
    const DescriptionLength b = description_length(in.family);
    py::dict d;
    d["relation"] = in.family.describe();
    d["exact_bits"] = b.exact_bits, d["exact_formula"] = b.exact_formula;
    d["approx_bits"] = b.approx_bits, d["approx_formula"] = b.approx_formula;
    d["graph_bits"] = b.isomorphic_bits, d["graph_formula"] = b.isomorphic_formula;
    return d;
  });
  m.def("critical_fraction", [](const py::object& config, double alpha, const std::string& bits, const py::dict& overrides) {
    if (!(alpha > 0 && alpha < 1)) throw UserError("alpha = " + std::to_string(alpha) + " is out of range: allowed (0, 1)");
    const RelationInput in = relation_input(config, overrides);
    const double b = bits_of(description_length(in.family), bits);
    return BallsIntoBuckets{b}.critical_samples(alpha) / double(in.data.size());  // m_c / n^2
  });
  m.def("base_rate", [](const py::object& config, const py::dict& overrides) {
    return base_rate(relation_input(config, overrides).data);
  });
  m.def("known_fraction", [](double bits, double samples) { return BallsIntoBuckets{bits}.known_fraction(samples); });
  m.def("f_ub", &accuracy_upper_bound, py::arg("known_fraction"), py::arg("base_rate"));
  m.def("oracle_accuracy", [](const py::object& config, const std::vector<double>& fractions, int splits,
                              const py::dict& overrides) {
    if (splits < 1) throw UserError("splits = " + std::to_string(splits) + " is out of range: allowed >= 1");
    const RelationInput in = relation_input(config, overrides);
    std::vector<OracleCurvePoint> points;
    {
      py::gil_scoped_release release;
      points = oracle_curve(in.family, in.data, in.config.task, fractions, splits);
    }
    Columns c;
    for (const auto& p : points) {
      c.add("train_fraction", py::float_(p.train_fraction));
      c.add("accuracy", py::float_(p.mean));
      c.add("std_error", py::float_(p.std_error));
      c.add("splits", py::int_(p.splits));
    }
    return c.done();
  });
  // GenEFT dynamics (Sec. 4): two-repon closed form
  m.def("repon_p_generalize", [](double eta_enc, double eta_dec, double sigma_a, double sigma_c) {
    return generalization_probability(eta_enc, eta_dec, {sigma_a, sigma_c});
  });
  // Liu et al. 2022 effective theory for addition (Sec. 3.4)
  m.def("parallelogram_p_determined", [](const py::object& config, const std::vector<int>& counts, int sets,
                                         const py::dict& overrides) {
    if (sets < 1) throw UserError("sets = " + std::to_string(sets) + " is out of range: allowed >= 1");
    const RunConfig cfg = run_config(config, overrides);
    std::vector<ParallelogramCurvePoint> points;
    {
      py::gil_scoped_release release;
      points = parallelogram_curve(cfg.task, counts, sets);
    }
    Columns c;
    for (const auto& p : points) {
      c.add("train_count", py::int_(p.train_count));
      c.add("p_determined", py::float_(p.p_determined));
      c.add("p_determined_se", py::float_(p.p_determined_se));
      c.add("accuracy", py::float_(p.accuracy));
      c.add("accuracy_se", py::float_(p.accuracy_se));
      c.add("sets", py::int_(p.sets));
    }
    return c.done();
  });
  m.def("validation_lambda", [](const std::string& model, const std::vector<int>& k, const std::vector<double>& h,
                                int input, int hidden, int output, int rank, const std::vector<int>& widths) {
    ValidationSpec s;
    s.model = model, s.k = k, s.h = h, s.input = input, s.hidden = hidden, s.output = output, s.rank = rank;
    s.widths = widths;
    const ValidationModel v = make_validation_model(s);
    return std::make_pair(v.true_lambda, v.lambda_source);
  });
}
