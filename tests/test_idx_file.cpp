#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "core/error.h"
#include "tasks/idx_file.h"
#include "temp_dir_test.h"

namespace geneft {
namespace {

using IdxFileTest = testing::TempDirTest;

// An IDX header: 0, 0, type, rank, then each size big-endian.
std::string header(uint8_t type, const std::vector<uint32_t>& dims) {
  std::string s(4 + 4 * dims.size(), '\0');
  s[2] = char(type), s[3] = char(dims.size());
  for (size_t i = 0; i < dims.size(); ++i)
    for (int k = 0; k < 4; ++k) s[4 + 4 * i + k] = char(dims[i] >> (24 - 8 * k));
  return s;
}

void write(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
}

// The message of the UserError that reading `path` throws.
std::string error_of(const std::string& path, int rank) {
  try {
    read_idx(path, rank);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kImages = header(0x08, {2, 2, 3}) + std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\xff", 12);

TEST_F(IdxFileTest, ReadsPlainAndGzippedFiles) {
  write(path("a.idx"), kImages);
  write_gz(path("a.idx.gz"), kImages);
  for (const char* name : {"a.idx", "a.idx.gz"}) {
    const IdxArray a = read_idx(path(name), 3);
    EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 2, 3})) << name;
    ASSERT_EQ(a.values.size(), 12u);
    EXPECT_EQ(a.values[0], 1);
    EXPECT_EQ(a.values[11], 255);
  }
}

TEST_F(IdxFileTest, CorruptFilesAreErrorsNamingTheFile) {
  struct Case {
    const char* name;
    std::string bytes;
    int rank;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"magic.idx", "\x01" + kImages.substr(1), 3, "not an IDX file"},
      {"type.idx", header(0x0d, {2, 2, 3}) + std::string(48, '\0'), 3, "element type 0x0d is not supported"},
      {"rank.idx", kImages, 1, "has 3 dimensions, expected 1"},
      {"short.idx", kImages.substr(0, kImages.size() - 1), 3, "truncated: the header promises 12 values, the file has 11"},
      {"header.idx", kImages.substr(0, 9), 3, "truncated: IDX header ends inside the sizes"},
      {"empty.idx", "", 3, "truncated: no IDX header"},
      {"long.idx", kImages + "x", 3, "but the file has more bytes"},
  };
  for (const auto& c : cases) {
    write(path(c.name), c.bytes);
    const std::string msg = error_of(path(c.name), c.rank);
    EXPECT_NE(msg.find(path(c.name)), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.message), std::string::npos) << c.name << ": " << msg;
  }
  write_gz(path("short.idx.gz"), kImages.substr(0, 20));
  EXPECT_NE(error_of(path("short.idx.gz"), 3).find("truncated"), std::string::npos);
  EXPECT_NE(error_of(path("absent.idx"), 3).find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace geneft
