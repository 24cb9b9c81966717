#include "measure/repon_coordinates.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace geneft {

ReponCoordinates repon_coordinates(const std::vector<float>& e, int rows, int cols, const std::vector<int>& cls) {
  if (rows < 1 || cols < 1 || e.size() != size_t(rows) * cols || cls.size() != size_t(rows))
    throw UserError("repon coordinates: embedding of " + std::to_string(e.size()) + " values is not " +
                    std::to_string(rows) + " nodes x " + std::to_string(cols) + " with a class each");
  const int classes = *std::max_element(cls.begin(), cls.end()) + 1;
  std::vector<double> centroid(size_t(classes) * cols, 0), all(cols, 0);
  std::vector<int> count(classes, 0);
  for (int i = 0; i < rows; ++i) {
    ++count[cls[i]];
    for (int j = 0; j < cols; ++j) centroid[size_t(cls[i]) * cols + j] += e[size_t(i) * cols + j];
  }
  int used = 0;
  for (int c = 0; c < classes; ++c) {
    if (!count[c]) continue;
    ++used;
    for (int j = 0; j < cols; ++j) centroid[size_t(c) * cols + j] /= count[c], all[j] += centroid[size_t(c) * cols + j];
  }
  for (int j = 0; j < cols; ++j) all[j] /= used;
  ReponCoordinates r;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const double d = e[size_t(i) * cols + j] - centroid[size_t(cls[i]) * cols + j];
      r.within += d * d;
    }
  for (int c = 0; c < classes; ++c)
    for (int j = 0; count[c] && j < cols; ++j) {
      const double d = centroid[size_t(c) * cols + j] - all[j];
      r.between += d * d;
    }
  r.within = std::sqrt(r.within / rows), r.between = std::sqrt(r.between / used);
  return r;
}

}  // namespace geneft
