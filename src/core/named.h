#pragma once
// Choosing a component by its name: a table of (name, value) pairs and one lookup.
#include <string>
#include <utility>

#include "core/error.h"

namespace geneft {

template <class E, size_t N>
E lookup_name(const std::pair<const char*, E> (&table)[N], const std::string& name, const char* what) {
  for (const auto& [n, value] : table)
    if (name == n) return value;
  std::string known;
  for (const auto& entry : table) known += std::string(known.empty() ? "" : ", ") + entry.first;
  throw UserError("unknown " + std::string(what) + " \"" + name + "\" (known: " + known + ")");
}

}  // namespace geneft
