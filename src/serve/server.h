#pragma once
// geneft serve: a live dashboard of a store over HTTP (cpp-httplib), read-only.
#include <string>

namespace geneft {

struct ServeOptions {
  std::string db, bind = "127.0.0.1", assets;  // assets: the dashboard's files (build/web)
  int port = 8080;                             // 0: any free port
};

// Serves until the process is stopped. Prints "serving http://HOST:PORT/" once listening.
// UserError if the store cannot be opened, the assets are missing or the port cannot be bound.
void serve_dashboard(const ServeOptions& o);

// The folder of the running executable's dashboard assets: <dir of the executable>/web.
std::string default_assets_dir();

}  // namespace geneft
