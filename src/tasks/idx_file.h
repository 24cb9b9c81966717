#pragma once
// The IDX format of the (Fashion-)MNIST files (LeCun et al.; Xiao, Rasul, Vollgraf 2017): a
// big-endian header -- two zero bytes, a type byte, the number of dimensions, then each size as a
// 32-bit integer -- and the values row-major. Read plain or gzipped (as Debian installs them).
#include <cstdint>
#include <string>
#include <vector>

namespace geneft {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> values;  // row-major, product of dims
};

// Reads an unsigned-byte IDX file with `rank` dimensions. UserError naming the file for a bad
// magic number, another element type or rank, a size that does not match the data (truncated
// or trailing bytes), or a damaged gzip stream.
IdxArray read_idx(const std::string& path, int rank);

}  // namespace geneft
