#include "theory/goldilocks_edges.h"

#include <cmath>

#include "core/error.h"

namespace geneft {

RepresentingDecoder smallest_representing_decoder(const RelationFamilySpec& f, const std::string& combiner) {
  if (combiner != "concat" && combiner != "sum")
    throw UserError("no representability count for model.combiner = \"" + combiner + "\" (concat and sum have one)");
  const bool concat = combiner == "concat";
  switch (f.family) {
    case RelationFamily::TotalOrder:
      if (concat) return {0, 0, "x > y is linear in E_a - E_b once the nodes lie in order on a line: a linear decoder"};
      return {1, 1, "E_a + E_b is symmetric, an order is not: no decoder of the sum can represent it"};
    case RelationFamily::Equivalence:
      if (concat || f.k <= 2)
        return {1, 2, "the classes on distinct points of a line; 'same class' is the strip |w.(E_a - E_b)| < t "
                      "(concat) or the two ends of E_a + E_b (k = 2): two tanh units; a linear decoder cannot, the "
                      "positive pairs have the centroid of all pairs"};
      return {1, 3, "sums 2c_i (positives) are the corners of a triangle whose edge midpoints c_i + c_j are the "
                    "negatives: one unit cuts off each corner"};
    case RelationFamily::CompleteBipartite:
      return {1, 2, "the parts at -1 and +1 on a line; 'different parts' is |E_a - E_b| large (concat) or E_a + E_b "
                    "near 0 (sum): a strip, two tanh units"};
  }
  throw UserError("unknown relation family");
}

double memorizing_size(const std::vector<std::pair<double, double>>& grid, double labels) {
  for (size_t i = 1; i < grid.size(); ++i) {
    const auto [x0, p0] = grid[i - 1];
    const auto [x1, p1] = grid[i];
    if (!(x1 > x0) || !(p1 > p0)) throw UserError("memorizing size: sizes and parameter counts must increase");
    if (labels >= p0 && labels <= p1) return x0 + (x1 - x0) * (labels - p0) / (p1 - p0);
  }
  return std::nan("");
}

}  // namespace geneft
