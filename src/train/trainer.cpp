#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>

#include "core/progress.h"
#include "core/rng.h"
#include "measure/fourier.h"
#include "measure/rqi.h"
#include "nn/models/registry.h"
#include "optim/fixed_norm.h"
#include "optim/l1_penalty.h"
#include "optim/optimizer.h"
#include "train/eval_schedule.h"
#include "train/init_dump.h"
#include "train/samples.h"

namespace geneft {
namespace {

template <class T>
std::vector<double> copy_of(const ParamSpan<T>& p) {
  return std::vector<double>(p.param, p.param + p.size);
}

OptimizerSettings optimizer_settings(const OptimConfig& o) {
  const OptimizerKind kind = o.kind == "sgd" ? OptimizerKind::Sgd : o.kind == "adam" ? OptimizerKind::Adam : OptimizerKind::AdamW;
  return {kind, o.momentum, o.beta1, o.beta2, o.eps};
}

std::string status_line(const EvalPoint& p) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "loss %.3g/%.3g acc %.3f/%.3f", p.train_loss, p.test_loss, p.train_acc, p.test_acc);
  return buf;
}

template <class T>
RunResult train_typed(const RunConfig& cfg, const Dataset& data, const Split& split, const TrainOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  const SampleSet train = SampleSet::gather(data, split.train), test = SampleSet::gather(data, split.test);
  const int64_t batch = cfg.optim.batch_size > 0 ? std::min<int64_t>(cfg.optim.batch_size, train.size) : train.size;
  const bool full_batch = batch == train.size;
  const int max_batch = std::max({train.size, test.size, 1});

  const std::unique_ptr<Model<T>> owner = make_model<T>(cfg, data, max_batch);
  Model<T>& model = *owner;
  if (!opt.dump_init_path.empty()) write_init_dump(opt.dump_init_path, cfg, data, split, model);
  const ParamSpan<T> enc = model.encoder(), dec = model.decoder();

  Optimizer<T> optimizer(optimizer_settings(cfg.optim));
  optimizer.add_group(enc.param, enc.grad, enc.size, cfg.optim.encoder_lr, cfg.optim.encoder_wd);
  optimizer.add_group(dec.param, dec.grad, dec.size, cfg.optim.decoder_lr, cfg.optim.decoder_wd);
  // train.fixed_norm: the groups kept on the sphere of their initial norm
  std::vector<typename NormProjection<T>::Span> sphere;
  if (cfg.train.fixed_norm == "all" || cfg.train.fixed_norm == "encoder") sphere.push_back({enc.param, enc.size});
  if (cfg.train.fixed_norm == "all" || cfg.train.fixed_norm == "decoder") sphere.push_back({dec.param, dec.size});
  NormProjection<T> projection(std::move(sphere));

  const std::vector<Parallelogram> parallelograms =
      data.plain_addition ? addition_parallelograms(data.num_symbols) : std::vector<Parallelogram>{};
  const std::vector<int64_t> schedule = eval_steps(cfg.train);
  const int64_t fourier_top_k = std::get<int64_t>(cfg.values.at("train.fourier_top_k"));
  const double encoder_l1 = std::get<double>(cfg.values.at("optim.encoder_l1"));

  RunResult result;
  result.status = "completed";
  result.train_size = train.size;
  result.test_size = test.size;

  // A set larger than kEvalChunk samples is evaluated in chunks, the stop checked between them,
  // so that SIGINT reaches a long evaluation (the Liu toy at p = 500 has 125,205 test samples:
  // about 13 s here). A set of at most one chunk is evaluated whole, as before, bit for bit.
  constexpr int kEvalChunk = 4096;
  SampleSet chunk;
  if (max_batch > kEvalChunk) chunk.resize(kEvalChunk, train.positions, train.features);
  auto stopped = [&] { return opt.stop && opt.stop->load(std::memory_order_relaxed); };
  auto measure = [&](const SampleSet& s, double& loss, double& acc) {  // false: stopped part-way
    if (s.size == 0) return true;
    HeadStats sum;
    for (int first = 0; first < s.size; first += kEvalChunk) {
      if (first > 0 && stopped()) return false;
      const SampleSet* part = &s;
      if (s.size > kEvalChunk) chunk.copy_range(s, first, std::min(kEvalChunk, s.size - first)), part = &chunk;
      const Batch<T> b = part->batch<T>();
      model.forward(b);
      const HeadStats h = model.evaluate(b);
      sum.loss_sum += h.loss_sum, sum.correct += h.correct;
    }
    loss = sum.loss_sum / s.size;
    acc = double(sum.correct) / s.size;
    return true;
  };
  auto evaluate = [&](int64_t step) -> std::optional<EvalPoint> {
    EvalPoint p;
    p.step = step;
    if (!measure(train, p.train_loss, p.train_acc) || !measure(test, p.test_loss, p.test_acc)) return std::nullopt;
    const double e2 = squared_norm(enc.param, enc.size), d2 = squared_norm(dec.param, dec.size);
    p.encoder_norm = std::sqrt(e2);
    p.decoder_norm = std::sqrt(d2);
    p.weight_norm = std::sqrt(e2 + d2);
    const EmbeddingView<T> e = model.embedding();
    const std::vector<double> E(e.data, e.data + size_t(e.rows) * e.cols);
    if (data.plain_addition) p.rqi = representation_quality(E, e.rows, e.cols, parallelograms);
    if (data.cyclic) {
      const FourierSpectrum f = fourier_spectrum(E, data.num_symbols, e.cols, int(fourier_top_k));
      p.fourier_top_k = f.top_k_fraction, p.fourier_gini = f.gini;
    }
    return p;
  };
  auto checkpoint = [&](int64_t step) { return Checkpoint{step, cfg.model.dtype, copy_of(enc), copy_of(dec)}; };
  auto snapshot = [&](int64_t step) {
    const EmbeddingView<T> e = model.embedding();
    return EmbeddingSnapshot{step, e.rows, e.cols, std::vector<float>(e.data, e.data + size_t(e.rows) * e.cols)};
  };

  SampleSet mb;  // minibatch buffers, reused every step
  mb.resize(int(batch), train.positions, train.features, train.target_dim);
  std::vector<int32_t> pool(split.train.size());
  Rng batch_rng(cfg.seed, RngStream::Batches);

  Progress progress(opt.label, cfg.train.steps, opt.progress);
  size_t next_eval = 0;
  int64_t held = 0;
  for (int64_t step = 0;; ++step) {
    if (next_eval < schedule.size() && schedule[next_eval] == step) {
      ++next_eval;
      const std::optional<EvalPoint> measured = evaluate(step);
      if (!measured) {  // SIGINT during the evaluation: the point is not kept
        result.status = "interrupted";
        break;
      }
      const EvalPoint& p = *measured;
      if (!std::isfinite(p.train_loss) || (test.size > 0 && !std::isfinite(p.test_loss))) {
        result.status = "diverged", result.diverged_step = step;
        break;
      }
      result.curve.push_back(p);
      if (opt.on_eval) opt.on_eval(p);
      if (cfg.train.checkpoint_every > 0 && (next_eval - 1) % cfg.train.checkpoint_every == 0)
        result.checkpoints.push_back(checkpoint(step));
      if (cfg.train.store_embeddings && model.embedding().rows > 0) result.embeddings.push_back(snapshot(step));
      progress.update(step, status_line(p));
      const bool above = p.train_acc >= cfg.train.early_stop_threshold &&
                         (test.size == 0 || p.test_acc >= cfg.train.early_stop_threshold);
      held = above ? held + 1 : 0;
      if (cfg.train.early_stop && held >= cfg.train.early_stop_patience && step < cfg.train.steps) {
        result.early_stopped = true;
        break;
      }
    }
    if (step == cfg.train.steps) break;
    if (stopped()) {
      result.status = "interrupted";
      break;
    }

    const SampleSet* s = &train;
    if (!full_batch) {  // draw `batch` distinct training samples (partial Fisher-Yates)
      std::iota(pool.begin(), pool.end(), 0);
      for (int64_t i = 0; i < batch; ++i) std::swap(pool[i], pool[i + batch_rng.below(pool.size() - i)]);
      mb.copy_rows(train, pool.data());
      s = &mb;
    }
    const Batch<T> b = s->batch<T>();
    model.forward(b);
    if (!std::isfinite(model.loss_sum(b))) {  // accuracy only at evaluations
      result.status = "diverged", result.diverged_step = step;
      break;
    }
    model.zero_grad();
    model.backward(b);
    if (encoder_l1 > 0) l1_penalty_backward(enc.grad, enc.param, enc.size, encoder_l1);
    optimizer.step(Optimizer<T>::warmup_factor(step, cfg.optim.warmup_steps));
    projection.apply();
    result.steps_done = step + 1;
    if (opt.steps_done) opt.steps_done->store(result.steps_done, std::memory_order_relaxed);
  }
  // the last evaluation always has a checkpoint (unless the run diverged)
  if (cfg.train.checkpoint_every > 0 && result.status == "completed" && !result.curve.empty() &&
      (result.checkpoints.empty() || result.checkpoints.back().step != result.curve.back().step))
    result.checkpoints.push_back(checkpoint(result.curve.back().step));
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  progress.finish(result.status == "diverged" ? "diverged at step " + std::to_string(*result.diverged_step)
                  : result.status == "interrupted" ? "interrupted at step " + std::to_string(result.steps_done)
                                                   : status_line(result.curve.back()));
  return result;
}

}  // namespace

RunResult train_run(const RunConfig& cfg, const Dataset& data, const Split& split, const TrainOptions& options) {
  return cfg.model.dtype == "float64" ? train_typed<double>(cfg, data, split, options)
                                      : train_typed<float>(cfg, data, split, options);
}

}  // namespace geneft
