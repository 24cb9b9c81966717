#pragma once
// Text from a store is data: these make it safe where it is shown (HTML, gnuplot titles, a
// command line to copy) and decide when it may name a file.
#include <string>
#include <string_view>

namespace geneft {

// & < > " ' as character references: safe in element text and in quoted attributes.
std::string html_escape(std::string_view s);
// Only letters, digits and " _.,:;+-=()/%#*<>[]" survive; anything else (quotes, backslashes,
// backquotes, control characters, non-ASCII) becomes '?': safe inside a gnuplot title.
std::string plot_text(std::string_view s);
// A word for a POSIX shell: bare if it is only [A-Za-z0-9_./=:,+-] (and not empty), else single-quoted.
std::string shell_word(std::string_view s);
// True if `s` is a non-empty run of lowercase hex digits (a run id, or a prefix of one).
bool is_hex_id(std::string_view s);

}  // namespace geneft
