#include "core/input_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace geneft {

std::string read_input_file(const std::string& path, const std::string& what, size_t max_bytes) {
  namespace fs = std::filesystem;
  if (path.empty()) throw UserError("the " + what + " path is empty");
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) throw UserError(path + ": cannot open " + what + " (no such file)");
  if (fs::is_directory(st)) throw UserError(path + ": is a folder, not a " + what);
  if (!fs::is_regular_file(st)) throw UserError(path + ": is not a regular file (a FIFO or device?); the " + what +
                                                " must be a file");
  const auto size = fs::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw UserError(path + ": is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) +
                    " allowed for a " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(path + ": cannot open " + what);
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), std::streamsize(text.size()));
  text.resize(size_t(in.gcount()));
  if (text.size() > max_bytes) throw UserError(path + ": more than the " + std::to_string(max_bytes) +
                                               " bytes allowed for a " + what);
  return text;
}

void check_toml_nesting(const std::string& text, const std::string& source) {
  // Dots in one run of key segments (bare words, quoted strings, blanks): a float has one, a
  // key one per level. Comments and strings are skipped.
  int line = 1, run = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (quote) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '#') i = std::min(text.find('\n', i), text.size()) - 1;
    else if (c == '.') {
      if (++run > kMaxTomlNesting)
        throw UserError(source + ":" + std::to_string(line) + ": a key nested deeper than " +
                        std::to_string(kMaxTomlNesting) + " levels");
    } else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != ' ' && c != '\t') {
      run = 0;
    }
  }
}

std::string clip_for_message(const std::string& s) {
  if (s.size() <= 120) return s;
  return s.substr(0, 100) + "... (" + std::to_string(s.size()) + " characters)";
}

}  // namespace geneft
