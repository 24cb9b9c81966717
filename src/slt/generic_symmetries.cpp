// Continuous symmetries every parameter of the architecture has: directions along which the
// function computed (hence L_n, for any data) stays constant. Counted as the dimension of the
// group's orbit at a generic point; the counts of different groups are added, which assumes their
// tangent spaces are independent there (true at a generic point for the groups below).
// Discrete symmetries (permutations of hidden units, tanh sign flips) add no direction.
#include <algorithm>

#include "slt/degeneracy.h"
#include "slt/deep_linear_network.h"
#include "slt/network_target.h"
#include "nn/models/encoder_decoder.h"

namespace geneft {

GenericSymmetries generic_symmetries(const SamplingTarget& target) {
  GenericSymmetries g;
  if (auto* net = dynamic_cast<const DeepLinearNetwork*>(&target)) {
    // W_{l+1} W_l = (W_{l+1} A⁻¹)(A W_l), A ∈ GL(H_l) per hidden width H_l. At full-rank factors
    // the stabilizer {B : B W_l = 0, W_{l+1} B = 0} has dimension (H_l − r_in)(H_l − r_out) with
    // r_in = min(H_l, H_{l−1}), r_out = min(H_l, H_{l+1}), so the orbit has H_l² minus that.
    const auto& H = net->widths();
    for (size_t l = 1; l + 1 < H.size(); ++l)
      g.count += H[l] * H[l] - (H[l] - std::min(H[l], H[l - 1])) * (H[l] - std::min(H[l], H[l + 1]));
    g.what = H.size() > 2 ? "GL(H_l) per hidden layer, orbit dimension at full-rank factors" : "none (regular)";
    return g;
  }
  auto* nt = dynamic_cast<const NetworkTarget*>(&target);
  if (!nt || nt->config().model.arch != "mlp") {  // counted for the encoder-decoder MLP only
    g.what = nt ? "not counted for model.arch = " + nt->config().model.arch : "none";
    return g;
  }
  const ModelShape s = mlp_shape(nt->config().model, nt->data());
  const int d = s.embed_dim;
  std::string what;
  auto add = [&](int k, const std::string& why) {
    g.count += k;
    what += (what.empty() ? "" : " + ") + std::to_string(k) + " " + why;
  };
  // The embedding enters only through the first Linear layer (W x + b).
  switch (s.combiner) {
    case Combiner::Sum:
    case Combiner::Concat:  // E → E A + 1cᵀ, absorbed by W → W A⁻¹ (blockwise for concat), b → b − W A⁻¹ c·(1 or 2)
      add(d * d + d, "embedding affine GL(d)⋉R^d");
      break;
    case Combiner::Diff:  // E_a − E_b: translations cancel; E → E A, W → W A⁻¹
      add(d * d + d, "embedding GL(d) + translations");
      break;
    case Combiner::SqDiff:  // (E_a − E_b)²: translations; per coordinate E_j → a E_j, W_j → W_j / a²
      add(2 * d, "embedding translations + per-coordinate scaling");
      break;
    case Combiner::MatMul:  // E_a E_b: E → c G E G⁻¹ gives c² G X G⁻¹, linear in X, absorbed by W
      add(d, "embedding conjugation GL(k)/scalars + scaling");
      break;
  }
  // ReLU(a z) = a ReLU(z), a > 0: incoming weights and bias × a, outgoing weights ÷ a
  if (s.activation == Activation::Relu && s.depth > 0) add(s.width * s.depth, "ReLU unit rescalings");
  // softmax(z + c(x)·1) = softmax(z) for c(x) = vᵀh + c: output rows all shifted by v, biases by c
  if (s.head == Head::CrossEntropy) add((s.depth > 0 ? s.width : s.in_dim()) + 1, "softmax logit shifts");
  g.what = what.empty() ? "none" : what;
  return g;
}

}  // namespace geneft
