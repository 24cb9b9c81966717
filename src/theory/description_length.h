#pragma once
// Description length b of a relation family: b = log2(number of relations of the family on n
// labelled nodes) (Baek, Liu, Tegmark 2024, arXiv:2402.05916, Sec. 3.1). Exact counts where they
// are countable, beside the paper's approximations.
#include <string>

#include "theory/relation_family.h"

namespace geneft {

struct DescriptionLength {
  double exact_bits = 0;        // log2 of the exact count
  std::string exact_formula;    // e.g. "log2 S(30, 3)"
  double approx_bits = 0;       // the usual approximation (Baek, Liu, Tegmark 2024; Stirling for n!)
  std::string approx_formula;   // e.g. "n log2 k"
  // log2(n! / |Aut(G)|): relabellings of this very relation (the paper's b as summarised in its
  // abstract pages). For mod-k equivalence the classes have fixed sizes, so this is below S(n, k).
  double isomorphic_bits = 0;
  std::string isomorphic_formula;
};

DescriptionLength description_length(const RelationFamilySpec& family);

// log2 of the Stirling number of the second kind S(n, k): partitions of n labelled nodes into
// exactly k non-empty classes, by S(n,k) = k S(n-1,k) + S(n-1,k-1) in log space.
double log2_stirling2(int n, int k);
double log2_factorial(int n);
double log2_binomial(int n, int k);

// Reference sizes: any relation (n^2 bits) and any symmetric relation (n(n+1)/2 bits).
inline double generic_relation_bits(int n) { return double(n) * n; }
inline double symmetric_relation_bits(int n) { return double(n) * (n + 1) / 2; }

}  // namespace geneft
