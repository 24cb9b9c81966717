#include "report/html.h"

#include <cctype>
#include <cstring>

namespace geneft {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string plot_text(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    out += std::isalnum(c) || (c && std::strchr(" _.,:;+-=()/%#*<>[]", c)) ? char(c) : '?';
  return out;
}

std::string shell_word(std::string_view s) {
  bool bare = !s.empty();
  for (unsigned char c : s) bare = bare && (std::isalnum(c) || (c && std::strchr("_./=:,+-", c)));
  if (bare) return std::string(s);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool is_hex_id(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace geneft
