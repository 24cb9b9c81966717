#include "plot/gnuplot.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace geneft {

std::string gp_quote(const std::string& s) {
  // gnuplot expands neither backquotes nor macros in single-quoted strings, and has no escapes
  // there but '' for a quote; a newline would end the command, so control characters go.
  std::string out = "'";
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) out += ' ';
    else if (c == '\'') out += "''";
    else out += char(c);
  }
  return out + "'";
}

std::string safe_file_name(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 120))
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || (c == '.' && !out.empty()) ? c : '_';
  return out.empty() ? "figure" : out;
}

std::string datablock(const std::string& name, const std::vector<std::string>& rows) {
  std::string out = "$" + name + " << EOD\n";
  for (const auto& r : rows) out += r + "\n";
  return out + "EOD\n";
}

namespace {

// Runs gnuplot on a script, without a shell: the script is its standard input. Returns its exit
// status (127: not found) and what it printed.
int run_gnuplot(const std::string& script, std::string& output) {
  int out[2];
  if (pipe(out) != 0) throw UserError(std::string("cannot run gnuplot: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, script.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  char arg0[] = "gnuplot";
  char* argv[] = {arg0, nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    return 127;
  }
  char buf[512];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) != 0;) {
    if (n > 0) output.append(buf, size_t(n));
    else if (errno != EINTR) break;
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string render_figure(const std::string& out_dir, const std::string& raw_name, const std::string& body,
                          FigureSize size) {
  const std::string name = safe_file_name(raw_name);  // always inside out_dir
  std::filesystem::create_directories(out_dir);
  const auto base = std::filesystem::path(out_dir) / name;
  const std::string png = base.string() + ".png", svg = base.string() + ".svg", script = base.string() + ".gp";
  std::ofstream gp(script);
  if (!gp) throw UserError(script + ": cannot write");
  const std::string sz = std::to_string(size.width) + "," + std::to_string(size.height);
  // The body is drawn once per terminal: replot cannot repeat a multiplot.
  gp << "# geneft figure; render with: gnuplot " << name << ".gp\n"
     << "set encoding utf8\n"
     << "set terminal pngcairo enhanced size " << sz << " font 'Sans,13' linewidth 1.5\n"
     << "set output " << gp_quote(png) << "\n"
     << body << "\nunset multiplot\nreset\n"
     << "set terminal svg enhanced size " << sz << " font 'Sans,13' linewidth 1.5 background '#ffffff'\n"
     << "set output " << gp_quote(svg) << "\n"
     << body << "\nunset multiplot\nset output\n";
  gp.close();
  std::string output;
  const int status = run_gnuplot(script, output);
  if (status != 0 || !std::filesystem::exists(png))
    throw UserError("gnuplot failed on " + script + (status == 127 ? " (is gnuplot installed? scripts/setup.sh)" : "") +
                    ":\n" + output);
  return png;
}

std::string render_data_figure(const std::string& prefix, const std::string& data, const std::string& commands,
                               FigureSize size) {
  std::vector<std::string> rows;
  std::istringstream in(data);
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  std::string body = commands;
  for (size_t p; (p = body.find("DATAFILE")) != std::string::npos;) body.replace(p, 8, "$data");
  const std::filesystem::path path(prefix);
  const std::string dir = path.parent_path().empty() ? "." : path.parent_path().string();
  return render_figure(dir, path.filename().string(), datablock("data", rows) + body, size);
}

}  // namespace geneft
