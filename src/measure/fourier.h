#pragma once
// Fourier spectrum of a token embedding over Z_p (Nanda et al. 2023, sec. 4-5: the embedding
// of a grokked network lives on a handful of key frequencies k, as cos/sin(2 pi k a / p)).
#include <vector>

namespace geneft {

struct FourierSpectrum {
  // Squared norm of the embedding in frequency k = 0..p/2: k = 0 is the constant, each k >= 1
  // groups its cos and sin (for even p, k = p/2 has only the cos). They sum to |E|^2.
  std::vector<double> power;
  double top_k_fraction = 0;  // share of |E|^2 in the top_k largest frequencies k >= 1
  double gini = 0;            // Gini coefficient of power[1..] (0: flat, -> 1: one frequency)
};

// E is (rows, d) row-major with rows >= p; row a (a < p) is the embedding of a in Z_p (later
// rows, such as the transformer's "=", are left out).
FourierSpectrum fourier_spectrum(const std::vector<double>& E, int p, int d, int top_k);

}  // namespace geneft
