// geneft serve DB: a live dashboard of the store (src/serve).
#include "cli/commands.h"
#include "serve/server.h"

namespace geneft {

void add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "a live dashboard of a store over HTTP (read-only)");
  cmd->add_option("db", o->db, "results store")->required();
  cmd->add_option("--port", o->port, "TCP port (0: any free port, printed)")->capture_default_str()->check(CLI::Range(0, 65535));
  cmd->add_option("--bind", o->bind, "address to listen on (0.0.0.0 exposes the store to the network)")->capture_default_str();
  cmd->add_option("--assets", o->assets, "folder of the dashboard's files (default: web/ beside the executable)");
  cmd->callback([o] {
    if (o->assets.empty()) o->assets = default_assets_dir();
    serve_dashboard(*o);
  });
}

}  // namespace geneft
