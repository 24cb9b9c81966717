#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/input_file.h"
#include "tasks/task.h"

namespace geneft {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  for (char c; in.get(c);) {
    if (c == ',' || c == ' ' || c == '\t' || c == ';' || c == '\r') {
      if (!field.empty()) out.push_back(field), field.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty()) out.push_back(field);
  return out;
}

// Reads a relation on n nodes: a CSV of related node pairs "x1,x2", or an n x n 0/1 matrix.
// Lines starting with '#' and blank lines are skipped.
std::vector<uint8_t> read_relation_file(const TaskConfig& task) {
  const int n = task.n;
  std::istringstream in(read_input_file(task.file, "relation file (task.file)", kMaxRelationBytes));
  std::vector<std::pair<int, std::vector<std::string>>> rows;
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    auto fields = split_fields(line);
    if (fields.empty() || fields[0][0] == '#') continue;
    rows.emplace_back(lineno, std::move(fields));
  }
  if (rows.empty()) throw UserError(task.file + ": relation file is empty");
  std::string format = task.file_format;
  if (format == "auto") format = rows[0].second.size() > 2 ? "matrix" : "pairs";

  auto number = [&](const std::string& s, int lineno, int lo, int hi) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi)
      throw UserError(task.file + ":" + std::to_string(lineno) + ": '" + s + "' is not an integer in [" +
                      std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
  };
  std::vector<uint8_t> related(size_t(n) * n, 0);
  if (format == "matrix") {
    if (int(rows.size()) != n)
      throw UserError(task.file + ": a matrix relation needs n = " + std::to_string(n) + " rows (task.n), found " +
                      std::to_string(rows.size()));
    for (int i = 0; i < n; ++i) {
      const auto& [lineno, fields] = rows[i];
      if (int(fields.size()) != n)
        throw UserError(task.file + ":" + std::to_string(lineno) + ": expected " + std::to_string(n) +
                        " entries (task.n), found " + std::to_string(fields.size()));
      for (int j = 0; j < n; ++j) related[size_t(i) * n + j] = uint8_t(number(fields[j], lineno, 0, 1));
    }
  } else {
    for (const auto& [lineno, fields] : rows) {
      if (fields.size() != 2)
        throw UserError(task.file + ":" + std::to_string(lineno) + ": expected a node pair 'x1,x2', found " +
                        std::to_string(fields.size()) + " fields");
      const int x = number(fields[0], lineno, 0, n - 1), y = number(fields[1], lineno, 0, n - 1);
      related[size_t(x) * n + y] = 1;
    }
  }
  return related;
}

}  // namespace

Dataset make_relation_dataset(const TaskConfig& task) {
  const int n = task.n;
  Dataset d;
  d.relation = true;
  d.num_symbols = n;
  d.num_classes = 2;
  std::vector<uint8_t> from_file;
  if (task.kind == "rel_equiv") {
    if (task.k > n) throw UserError("task.k = " + std::to_string(task.k) + " exceeds task.n = " + std::to_string(n));
    d.name = "rel_equiv n=" + std::to_string(n) + " k=" + std::to_string(task.k);
  } else if (task.kind == "rel_greater") {
    d.name = "rel_greater n=" + std::to_string(n);
  } else if (task.kind == "rel_bipartite") {
    if (task.part >= n)
      throw UserError("task.part = " + std::to_string(task.part) + " must be below task.n = " + std::to_string(n));
    d.name = "rel_bipartite n=" + std::to_string(n) + " part=" + std::to_string(task.part);
  } else if (task.kind == "rel_file") {
    from_file = read_relation_file(task);
    d.name = "rel_file " + task.file;
  } else {
    throw UserError("task.kind = \"" + task.kind + "\" is not a relation");
  }
  for (int x = 0; x < n; ++x)
    for (int y = 0; y < n; ++y) {
      bool r = false;
      if (task.kind == "rel_equiv") r = x % task.k == y % task.k;
      else if (task.kind == "rel_greater") r = x > y;
      else if (task.kind == "rel_bipartite") r = (x < task.part) != (y < task.part);
      else r = from_file[size_t(x) * n + y] != 0;
      d.a.push_back(x), d.b.push_back(y), d.label.push_back(r ? 1 : 0);
    }
  return d;
}

}  // namespace geneft
