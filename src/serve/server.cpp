#include "serve/server.h"

#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "core/error.h"
#include "serve/dashboard_api.h"
#include "store/store.h"

namespace geneft {
namespace {

namespace fs = std::filesystem;

struct Asset {
  std::shared_ptr<const std::string> body;
  std::string type;
};

// Sent as it is. cpp-httplib compresses a body set with set_content whenever the browser accepts
// it, with brotli at its highest quality: for plotly.js (4.8 MB) that took 50 s of CPU on every
// page load here (a loaded 2-core machine). A content provider of known length is never compressed,
// and on loopback compression buys nothing.
void send_body(httplib::Response& res, std::shared_ptr<const std::string> body, const std::string& type) {
  const size_t size = body->size();
  res.set_content_provider(size, type, [body = std::move(body)](size_t offset, size_t length, httplib::DataSink& sink) {
    return sink.write(body->data() + offset, length);
  });
}

std::string content_type(const fs::path& p) {
  const std::string e = p.extension().string();
  if (e == ".html") return "text/html; charset=utf-8";
  if (e == ".js") return "text/javascript; charset=utf-8";
  if (e == ".css") return "text/css; charset=utf-8";
  if (e == ".png") return "image/png";
  return "application/octet-stream";
}

// Every regular file of the assets folder, read once: a request can only name one of these, so
// no path reaches the file system.
std::map<std::string, Asset> load_assets(const std::string& dir) {
  std::map<std::string, Asset> assets;
  if (!fs::is_directory(dir)) throw UserError(dir + ": no dashboard assets (build geneft, or give --assets DIR)");
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    assets[e.path().filename().string()] = {std::make_shared<const std::string>(s.str()), content_type(e.path())};
  }
  for (const char* need : {"index.html", "dashboard.js", "plotly.min.js"})
    if (!assets.count(need))
      throw UserError(dir + ": dashboard asset " + need + " is missing (scripts/setup.sh installs plotly.js into web/)");
  return assets;
}

void send_json(httplib::Response& res, const std::string& body) {
  res.set_header("Cache-Control", "no-store");
  send_body(res, std::make_shared<const std::string>(body), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(message + "\n", "text/plain; charset=utf-8");
}

}  // namespace

std::string default_assets_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("web") : (exe.parent_path() / "web").string();
}

void serve_dashboard(const ServeOptions& o) {
  Store store = Store::open_read_only(o.db);
  const auto assets = load_assets(o.assets);
  httplib::Server server;
  server.set_payload_max_length(64 * 1024);  // the API takes no bodies
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_keep_alive_max_count(100);
  // Every response: no sniffing, no framing, scripts only from the served assets (plotly.js
  // compiles some of its functions, hence 'unsafe-eval'; it draws images from data: URLs and
  // styles inline).
  server.set_default_headers(
      {{"X-Content-Type-Options", "nosniff"},
       {"X-Frame-Options", "DENY"},
       {"Content-Security-Policy",
        "default-src 'self'; script-src 'self' 'unsafe-eval'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"}});

  auto asset = [&assets](const std::string& name, httplib::Response& res) {
    const auto it = assets.find(name);
    if (it == assets.end()) return send_error(res, 404, "not found");
    send_body(res, it->second.body, it->second.type);
  };
  server.Get("/", [&](const httplib::Request&, httplib::Response& res) { asset("index.html", res); });
  server.Get(R"(/assets/([A-Za-z0-9_.-]+))",
             [&](const httplib::Request& req, httplib::Response& res) { asset(req.matches[1], res); });
  // API errors a user can cause (an unknown sweep or run) are 404 with the message.
  auto api = [&store](auto handler) {
    return [&store, handler](const httplib::Request& req, httplib::Response& res) {
      try {
        send_json(res, handler(req));
      } catch (const UserError& e) {
        send_error(res, 404, e.what());
      }
    };
  };
  server.Get("/api/status", api([&](const httplib::Request&) { return api_status(store); }));
  server.Get("/api/sweeps", api([&](const httplib::Request&) { return api_sweeps(store); }));
  server.Get("/api/runs", api([&](const httplib::Request&) { return api_runs(store); }));
  server.Get("/api/sweep", api([&](const httplib::Request& req) {
               if (!req.has_param("name")) throw UserError("missing ?name=");
               return api_sweep(store, req.get_param_value("name"));
             }));
  server.Get("/api/run", api([&](const httplib::Request& req) {
               if (!req.has_param("id")) throw UserError("missing ?id=");
               return api_run(store, req.get_param_value("id"));
             }));
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(std::to_string(res.status) + "\n", "text/plain");
  });
  // Anything else thrown in a handler (a store that is corrupt, say) is a 500, never a crash.
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what += std::string(": ") + e.what();
    } catch (...) {
    }
    send_error(res, 500, what);
  });

  const int port = o.port == 0 ? server.bind_to_any_port(o.bind) : (server.bind_to_port(o.bind, o.port) ? o.port : -1);
  if (port < 0) throw UserError("cannot listen on " + o.bind + ":" + std::to_string(o.port));
  std::printf("serving http://%s:%d/ (store %s, read-only; Ctrl-C stops)\n", o.bind.c_str(), port, o.db.c_str());
  std::fflush(stdout);
  if (!server.listen_after_bind()) throw UserError("the server on " + o.bind + ":" + std::to_string(port) + " stopped");
}

}  // namespace geneft
