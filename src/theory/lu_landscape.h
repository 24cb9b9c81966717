#pragma once
// The LU landscape of Omnigrok (Liu, Michaud, Tegmark 2022, arXiv:2210.01117, Sec. 2, Fig. 1):
// runs trained on the sphere of fixed weight norm (train.fixed_norm) at several init scales α
// (model.init_scale). Against the norm, the training loss is L-shaped (low above some norm) and
// the test loss U-shaped; the norm of the test-loss minimum, w_c, is where generalizing solutions
// live. The grokking delay with weight decay is the time to shrink ‖w‖ from the memorizing
// solution down to w_c (Omnigrok Sec. 3.3).
#include <string>
#include <vector>

#include "core/run_result.h"

namespace geneft {

// Which value of each run the landscape shows. The authors' landscape notebooks keep the best
// value over training (lowest loss, highest accuracy, each on its own); Last is the final value.
enum class LuValue { Last, Best };
LuValue lu_value_named(const std::string& name);  // "last" | "best"; UserError otherwise

struct LuPoint {
  std::string run_id;
  double alpha = kMissing;  // model.init_scale
  double norm = kMissing;   // ‖w‖ on the sphere: the run's total weight norm at step 0
  double train_loss = kMissing, test_loss = kMissing, train_acc = kMissing, test_acc = kMissing;
};

// One run's point from its curve (NaN measurements skipped; UserError if the curve is empty).
LuPoint lu_point(const std::vector<EvalPoint>& curve, LuValue value);

struct LuLandscape {
  std::vector<LuPoint> points;  // sorted by norm
  size_t test_minimum = 0;      // index of the lowest test loss
  double critical_norm = kMissing;  // w_c: the norm there
};

// The landscape of a set of runs: points sorted by norm, the test-loss minimum and w_c
// (UserError if no point has a finite test loss).
LuLandscape lu_landscape(std::vector<LuPoint> points);

}  // namespace geneft
