#pragma once
// Reading what a user (or someone else) hands geneft: config, sweep and relation files, and
// TOML text from a store. Limits are checked before anything is parsed.
#include <cstddef>
#include <string>

namespace geneft {

inline constexpr size_t kMaxConfigBytes = size_t(1) << 20;     // a config or sweep file
inline constexpr size_t kMaxRelationBytes = size_t(16) << 20;  // a relation file (n <= 1000: a 0/1 matrix is 2 MB)
inline constexpr int kMaxTomlNesting = 16;                     // dotted key or table depth

// The bytes of a regular file; UserError naming the path and `what` if the path is empty, a
// folder, not a regular file (a FIFO, a device: reading could block or never end), unreadable
// or larger than max_bytes.
std::string read_input_file(const std::string& path, const std::string& what, size_t max_bytes = kMaxConfigBytes);

// UserError if a key of the TOML text is nested deeper than kMaxTomlNesting (counted by dots
// outside quotes before '=' or in a [table] header): a parser recurses once per level.
void check_toml_nesting(const std::string& text, const std::string& source);

// A string for an error message: at most 120 characters, the length said when cut.
std::string clip_for_message(const std::string& s);

}  // namespace geneft
