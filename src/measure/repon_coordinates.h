#pragma once
// Repon coordinates of a relation's embeddings (Baek, Liu, Tegmark 2024, arXiv:2402.05916,
// Sec. 4: the repons are the embeddings of the nodes). For nodes in classes (an equivalence
// relation, or the parts of a bipartite one) the two-repon theory's half-separation c of two
// repons of one class is measured by the within-class spread, the RMS distance of an embedding
// from its class centroid; the between-class separation, the RMS distance of the class centroids
// from their mean, is the scale it is compared with (a generalizing network pulls a class together
// while keeping classes apart).
#include <vector>

namespace geneft {

struct ReponCoordinates {
  double within = 0;   // sqrt(sum_i |e_i - ebar_class(i)|^2 / N)
  double between = 0;  // sqrt(sum_c |ebar_c - ebar|^2 / classes)
};

// embeddings: (rows = nodes, cols = dim) row-major; cls[i] in [0, classes).
ReponCoordinates repon_coordinates(const std::vector<float>& embeddings, int rows, int cols, const std::vector<int>& cls);

}  // namespace geneft
