#include "tasks/idx_file.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/error.h"

namespace geneft {
namespace {

constexpr int kUnsignedByte = 0x08;
constexpr int64_t kMaxValues = int64_t(1) << 32;  // 4 GiB: far above any IDX file we read

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};

// Reads up to n bytes; fewer only at the end of the data.
size_t read_bytes(gzFile f, const std::string& path, uint8_t* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    const unsigned chunk = unsigned(std::min<size_t>(n - got, 1u << 30));
    const int r = gzread(f, out + got, chunk);
    if (r < 0) {
      int code = 0;
      throw UserError(path + ": cannot read: " + gzerror(f, &code));
    }
    if (r == 0) break;
    got += size_t(r);
  }
  return got;
}

}  // namespace

IdxArray read_idx(const std::string& path, int rank) {
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) throw UserError(path + ": cannot open");
  uint8_t magic[4];
  if (read_bytes(f.get(), path, magic, 4) != 4) throw UserError(path + ": truncated: no IDX header");
  if (magic[0] != 0 || magic[1] != 0)
    throw UserError(path + ": not an IDX file (the magic number must start with two zero bytes)");
  if (magic[2] != kUnsignedByte) {
    char type[8];
    std::snprintf(type, sizeof type, "0x%02x", magic[2]);
    throw UserError(path + ": IDX element type " + type + " is not supported (allowed: 0x08, unsigned byte)");
  }
  if (magic[3] != rank)
    throw UserError(path + ": IDX file has " + std::to_string(magic[3]) + " dimensions, expected " + std::to_string(rank));
  IdxArray a;
  int64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    uint8_t b[4];
    if (read_bytes(f.get(), path, b, 4) != 4) throw UserError(path + ": truncated: IDX header ends inside the sizes");
    const int64_t n = (int64_t(b[0]) << 24) | (int64_t(b[1]) << 16) | (int64_t(b[2]) << 8) | int64_t(b[3]);
    a.dims.push_back(n);
    count *= n;
    if (count > kMaxValues) throw UserError(path + ": IDX sizes are implausibly large");
  }
  a.values.resize(size_t(count));
  const size_t got = read_bytes(f.get(), path, a.values.data(), a.values.size());
  if (got != a.values.size())
    throw UserError(path + ": truncated: the header promises " + std::to_string(count) + " values, the file has " +
                    std::to_string(got));
  uint8_t extra;
  if (read_bytes(f.get(), path, &extra, 1) != 0)
    throw UserError(path + ": " + std::to_string(count) + " values expected, but the file has more bytes");
  return a;
}

}  // namespace geneft
