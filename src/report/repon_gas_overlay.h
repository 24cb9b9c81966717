#pragma once
// GenEFT open question 5 (Baek, Liu, Tegmark 2024, arXiv:2402.05916): overparameterization as a
// repon gas. Learning-rate sweeps of equivalence (or bipartite) relations at several numbers of
// nodes n and embedding dimensions d: each (n, d)'s measured boundary offset (the fits of
// `theory boundaries`, lr_boundary_results) beside the many-repon simulation of the same gas and
// its closed form (theory/repon_gas.h), against the gas's density; the trend of the offset with
// density per d, measured and predicted; at each n, whether d moves the offset at equal density.
// A table, CSV and JSON (`name`.csv, `name`.json) and a figure (`name`.png) in `out`.
#include <cstdint>
#include <string>
#include <vector>

#include "report/theory_overlay.h"

namespace geneft {

struct ReponGasOptions {
  std::string db = "results.db", out = "fig", name = "repon-gas";
  int samples = 3;                  // simulated initial conditions per gas (bisection: up to minutes each at n = 60)
  int64_t closed_samples = 4000;    // initial conditions of the closed form
  int64_t mc_samples = 20'000;      // two-repon Monte Carlo draws (its x0 printed for reference)
  int decoder_rows = -1;            // many-repon decoder rows (default: model.width)
};
TheoryOutput repon_gas_overlay(const std::vector<TheoryInput>& sweeps, const ReponGasOptions& o);

}  // namespace geneft
