#include "sweep/run_message.h"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace geneft {
namespace {

constexpr uint32_t kMagic = 0x67726D31;  // "grm1": bumped when the layout changes

class Writer {
 public:
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const char* p = reinterpret_cast<const char*>(&v);
    out.insert(out.end(), p, p + sizeof v);
  }
  void put(const std::string& s) {
    put(uint64_t(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  template <class T>
  void put(const std::vector<T>& v) {
    put(uint64_t(v.size()));
    const char* p = reinterpret_cast<const char*>(v.data());
    out.insert(out.end(), p, p + v.size() * sizeof(T));
  }
  void put(const std::optional<int64_t>& v) {
    put(uint8_t(v.has_value()));
    put(v.value_or(0));
  }
  std::vector<char> out;
};

class Reader {
 public:
  explicit Reader(const std::vector<char>& in) : in_(in) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    std::memcpy(&v, take(sizeof v), sizeof v);
    return v;
  }
  std::string string() {
    const auto n = get<uint64_t>();
    const char* p = take(n);
    return std::string(p, n);
  }
  template <class T>
  std::vector<T> vector() {
    const auto n = get<uint64_t>();
    if (n > in_.size()) throw std::runtime_error("run message: corrupt length");
    std::vector<T> v(n);
    std::memcpy(v.data(), take(n * sizeof(T)), n * sizeof(T));
    return v;
  }
  std::optional<int64_t> optional() {
    const bool has = get<uint8_t>() != 0;
    const auto v = get<int64_t>();
    return has ? std::optional<int64_t>(v) : std::nullopt;
  }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  const char* take(size_t n) {
    if (n > in_.size() - pos_) throw std::runtime_error("run message: truncated");
    const char* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  const std::vector<char>& in_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<char> encode_run_message(const RunMessage& m) {
  Writer w;
  const RunResult& r = m.run.result;
  w.put(kMagic);
  w.put(m.point);
  w.put(m.run.id);
  w.put(m.run.task);
  w.put(m.run.started_at);
  w.put(m.run.ended_at);
  w.put(r.status);
  w.put(r.steps_done);
  w.put(r.diverged_step);
  w.put(uint8_t(r.early_stopped));
  w.put(r.train_size);
  w.put(r.test_size);
  w.put(r.wall_seconds);
  static_assert(std::is_trivially_copyable_v<EvalPoint>);
  w.put(r.curve);
  w.put(uint64_t(r.embeddings.size()));
  for (const auto& e : r.embeddings) {
    w.put(e.step);
    w.put(int32_t(e.rows));
    w.put(int32_t(e.cols));
    w.put(e.values);
  }
  w.put(uint64_t(r.checkpoints.size()));
  for (const auto& c : r.checkpoints) {
    w.put(c.step);
    w.put(c.dtype);
    w.put(c.encoder);
    w.put(c.decoder);
  }
  w.put(int32_t(m.run.phase.phase));
  w.put(m.run.phase.t_train);
  w.put(m.run.phase.t_test);
  return std::move(w.out);
}

RunMessage decode_run_message(const std::vector<char>& bytes) {
  Reader rd(bytes);
  if (rd.get<uint32_t>() != kMagic) throw std::runtime_error("run message: wrong format (ranks running different geneft builds?)");
  RunMessage m;
  RunResult& r = m.run.result;
  m.point = rd.get<uint64_t>();
  m.run.id = rd.string();
  m.run.task = rd.string();
  m.run.started_at = rd.string();
  m.run.ended_at = rd.string();
  r.status = rd.string();
  r.steps_done = rd.get<int64_t>();
  r.diverged_step = rd.optional();
  r.early_stopped = rd.get<uint8_t>() != 0;
  r.train_size = rd.get<int64_t>();
  r.test_size = rd.get<int64_t>();
  r.wall_seconds = rd.get<double>();
  r.curve = rd.vector<EvalPoint>();
  const auto embeddings = rd.get<uint64_t>();
  for (uint64_t i = 0; i < embeddings; ++i) {
    EmbeddingSnapshot e;
    e.step = rd.get<int64_t>();
    e.rows = rd.get<int32_t>();
    e.cols = rd.get<int32_t>();
    e.values = rd.vector<float>();
    r.embeddings.push_back(std::move(e));
  }
  const auto checkpoints = rd.get<uint64_t>();
  for (uint64_t i = 0; i < checkpoints; ++i) {
    Checkpoint c;
    c.step = rd.get<int64_t>();
    c.dtype = rd.string();
    c.encoder = rd.vector<double>();
    c.decoder = rd.vector<double>();
    r.checkpoints.push_back(std::move(c));
  }
  const auto phase = rd.get<int32_t>();
  if (phase < 0 || phase >= kNumPhases) throw std::runtime_error("run message: unknown phase");
  m.run.phase.phase = Phase(phase);
  m.run.phase.t_train = rd.optional();
  m.run.phase.t_test = rd.optional();
  if (!rd.at_end()) throw std::runtime_error("run message: trailing bytes");
  return m;
}

}  // namespace geneft
