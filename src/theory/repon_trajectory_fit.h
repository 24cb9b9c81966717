#pragma once
// Effective attraction and repulsion constants of a measured repon trajectory (Baek, Liu, Tegmark
// 2024, arXiv:2402.05916, Sec. 4). The two-repon law da/dt = -2 eta_dec c^2 a, dc/dt = -eta_enc a^2 c
// reads, in logs, d ln c/dt = -k_enc a^2 and d ln a/dt = -2 k_dec c^2, with k = eta under gradient
// flow. Between consecutive frames, Delta ln c = -k_enc <a^2> Delta t and Delta ln a =
// -2 k_dec <c^2> Delta t (<.> the two frames' mean): least squares through the origin, standard
// errors from the residuals. k_enc > 0: the decoder pulls a class together (attraction); k_enc < 0:
// it spreads (repulsion). k_dec > 0: the decoder shrinks while the class is spread.
#include <vector>

namespace geneft {

struct ReponConstants {
  double k_enc = 0, k_enc_se = 0, k_dec = 0, k_dec_se = 0;
  int intervals = 0;
};

// t ascending; a, c > 0 at every frame (frames where either is not are skipped).
ReponConstants fit_repon_constants(const std::vector<double>& t, const std::vector<double>& a, const std::vector<double>& c);

}  // namespace geneft
