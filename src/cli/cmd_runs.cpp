#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "store/store.h"

namespace geneft {

void add_runs_command(CLI::App& app) {
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("runs", "list the runs in a store");
  cmd->add_option("db", *db, "results store (SQLite file)")->required();
  cmd->callback([db] {
    Store store = Store::open_read_only(*db);
    const auto runs = store.list_runs();
    auto f = [](double x) {
      if (std::isnan(x)) return std::string("-");
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.3f", x);
      return std::string(buf);
    };
    std::printf("%-16s  %-9s  %-28s  %6s  %9s  %9s  %9s  %6s  %8s\n", "id", "status", "task", "seed", "steps",
                "train_acc", "test_acc", "rqi", "wall_s");
    for (const auto& r : runs)
      std::printf("%-16s  %-9s  %-28.28s  %6lld  %9lld  %9s  %9s  %6s  %8.2f\n", r.id.c_str(), r.status.c_str(),
                  r.task.c_str(), (long long)r.seed, (long long)r.steps_done, f(r.final.train_acc).c_str(),
                  f(r.final.test_acc).c_str(), f(r.final.rqi).c_str(), r.wall_seconds);
    std::fprintf(stderr, "%zu run%s in %s\n", runs.size(), runs.size() == 1 ? "" : "s", db->c_str());
  });
}

}  // namespace geneft
