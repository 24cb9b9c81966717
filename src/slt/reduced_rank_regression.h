#pragma once
// Reduced-rank regression: y = B A x + noise, A (H, M), B (N, H), true rank r; the deep linear
// network with widths {M, H, N} (deep_linear_network.h).
// True learning coefficient (Aoyagi & Watanabe 2005, "Stochastic complexities of reduced rank
// regression in Bayesian estimation", Neural Networks 18, Main Theorem):
//   if N+r ≤ M+H, M+r ≤ N+H, H+r ≤ M+N:
//       λ = [2(H+r)(M+N) − (M−N)² − (H+r)² + δ]/8,  δ = 1 if M+H+N+r is odd else 0
//   if M+H < N+r:  λ = (HM − Hr + Nr)/2
//   if N+H < M+r:  λ = (HN − Hr + Mr)/2
//   if M+N < H+r:  λ = MN/2
// UserError for a shape outside these cases (r > min(M, H, N) or a non-positive width).
namespace geneft {

double reduced_rank_regression_lambda(int M, int H, int N, int r);

}  // namespace geneft
