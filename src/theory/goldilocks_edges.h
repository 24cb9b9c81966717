#pragma once
// Predicted edges of the Goldilocks zone (Baek, Liu, Tegmark 2024, arXiv:2402.05916: test
// accuracy against decoder complexity rises, then falls), for the GenEFT open question of what
// sets its width. Two counts, each a prediction made before training:
// - the lower edge: the smallest tanh decoder that can represent the relation at all, given
//   embeddings the encoder may place anywhere (a representability floor, not a trainability claim);
// - the upper edge: the decoder with as many parameters as there are training labels, the count
//   at which a network can in general fit any labelling of its training set (Baum 1988, "On the
//   capabilities of multilayer perceptrons": one hidden layer of ceil(m/d) threshold units
//   memorizes m points in general position in R^d), and so memorize instead of generalize.
#include <string>
#include <utility>
#include <vector>

#include "theory/relation_family.h"

namespace geneft {

struct RepresentingDecoder {
  int depth = 1;  // fewest hidden layers
  int width = 1;  // fewest units of one hidden layer
  std::string why;
};
// For the combiners concat ([E_a, E_b]) and sum (E_a + E_b); UserError for others.
RepresentingDecoder smallest_representing_decoder(const RelationFamilySpec& family, const std::string& combiner);

// The size x at which the decoder's parameter count reaches `labels`, interpolated linearly
// between grid points (x ascending, parameters increasing); NaN if outside the grid.
double memorizing_size(const std::vector<std::pair<double, double>>& size_and_parameters, double labels);

}  // namespace geneft
