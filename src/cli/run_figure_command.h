#pragma once
// A subcommand that draws one figure of one stored run: `geneft NAME DB --run ID [-o DIR]`.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "store/store.h"

namespace geneft {

// draw(store, id, run, out_dir) returns the path of the PNG it wrote.
using RunFigure = std::function<std::string(Store&, const std::string&, const RunRow&, const std::string&)>;

inline void add_run_figure_command(CLI::App& app, const std::string& name, const std::string& help, RunFigure draw) {
  struct Args {
    std::string db, run, out = "fig";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->add_option("db", a->db, "results store")->required();
  cmd->add_option("--run", a->run, "run id (a unique prefix is enough)")->required();
  cmd->add_option("-o,--out", a->out, "output folder for PNG and SVG")->capture_default_str();
  cmd->callback([a, draw] {
    Store store = Store::open_read_only(a->db);
    const std::string id = store.resolve_id(a->run);
    std::printf("%s\n", draw(store, id, store.get_run(id), a->out).c_str());
  });
}

}  // namespace geneft
