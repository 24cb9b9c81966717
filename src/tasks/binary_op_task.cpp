#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "tasks/task.h"

namespace geneft {
namespace {

bool is_prime(int p) {
  if (p < 2) return false;
  for (int q = 2; q * q <= p; ++q)
    if (p % q == 0) return false;
  return true;
}

int64_t power_mod(int64_t base, int64_t exp, int64_t mod) {
  int64_t r = 1;
  base %= mod;
  for (; exp > 0; exp >>= 1, base = base * base % mod)
    if (exp & 1) r = r * base % mod;
  return r;
}

// S_n composition: symbols are the n! permutations in lexicographic order; (a∘b)(i) = a(b(i)).
Dataset make_permutation_dataset(int n) {
  if (n > 5) throw UserError("task.n = " + std::to_string(n) + " is too large for perm_compose: at most 5 (120 symbols)");
  std::vector<std::vector<int>> perms;
  std::vector<int> p(n);
  std::iota(p.begin(), p.end(), 0);
  do perms.push_back(p);
  while (std::next_permutation(p.begin(), p.end()));
  Dataset d;
  d.name = "perm_compose n=" + std::to_string(n);
  d.num_symbols = d.num_classes = int(perms.size());
  std::vector<int> composed(n);
  for (int x = 0; x < d.num_symbols; ++x)
    for (int y = 0; y < d.num_symbols; ++y) {
      for (int i = 0; i < n; ++i) composed[i] = perms[x][perms[y][i]];
      const int z = int(std::lower_bound(perms.begin(), perms.end(), composed) - perms.begin());
      d.a.push_back(x), d.b.push_back(y), d.label.push_back(z);
    }
  return d;
}

}  // namespace

Dataset make_binary_op_dataset(const TaskConfig& task) {
  if (task.kind == "perm_compose") return make_permutation_dataset(task.n);
  const int p = task.p;
  Dataset d;
  d.name = task.kind + " p=" + std::to_string(p);
  d.num_symbols = p;
  d.num_classes = p;
  auto add = [&](int x, int y, int64_t z) { d.a.push_back(x), d.b.push_back(y), d.label.push_back(int32_t(z)); };

  if (task.kind == "plain_add") {
    // Liu et al. 2022 toy: a+b for a <= b, so (a,b) and (b,a) are one sample; 2p-1 sums.
    d.num_classes = 2 * p - 1;
    d.plain_addition = true;
    for (int x = 0; x < p; ++x)
      for (int y = x; y < p; ++y) add(x, y, x + y);
    return d;
  }
  if (task.kind == "mod_div" && !is_prime(p))
    throw UserError("task.p = " + std::to_string(p) + " is not prime: mod_div needs a prime modulus");
  d.cyclic = task.kind == "mod_add" || task.kind == "mod_sub";
  for (int64_t x = 0; x < p; ++x)
    for (int64_t y = 0; y < p; ++y) {
      if (task.kind == "mod_add") add(x, y, (x + y) % p);
      else if (task.kind == "mod_sub") add(x, y, ((x - y) % p + p) % p);
      else if (task.kind == "mod_mul") add(x, y, x * y % p);
      else if (task.kind == "mod_quad") add(x, y, (x * x + x * y + y * y) % p);
      else if (task.kind == "mod_div") {
        if (y != 0) add(x, y, x * power_mod(y, p - 2, p) % p);  // Fermat inverse
      } else throw UserError("task.kind = \"" + task.kind + "\" is not a binary operation");
    }
  return d;
}

}  // namespace geneft
