#include "slt/network_target.h"

#include "core/error.h"

namespace geneft {
namespace {

template <class T>
class NetworkWorker : public LossWorker {
 public:
  NetworkWorker(const NetworkTarget& t)
      : t_(t), model_(make_model<T>(t.config(), t.data(), std::max(1, t.samples().size))),
        enc_(model_->encoder()), dec_(model_->decoder()) {
    scale_ = t.config().model.head == "mse" ? 0.5 * t.config().model.target_dim : 1.0;
  }

  double loss(const double* w, const int32_t* idx, int B, double* grad) override {
    for (size_t i = 0; i < enc_.size; ++i) enc_.param[i] = T(w[i]);
    for (size_t i = 0; i < dec_.size; ++i) dec_.param[i] = T(w[enc_.size + i]);
    const SampleSet* s = &t_.samples();
    if (idx) {
      if (minibatch_.size != B) minibatch_.resize(B, s->positions);
      minibatch_.copy_rows(*s, idx);
      s = &minibatch_;
    }
    const Batch<T> batch = s->batch<T>();
    model_->forward(batch);
    const double loss = scale_ * model_->evaluate(batch).loss_sum / B;
    if (grad) {
      model_->zero_grad();
      model_->backward(batch);
      for (size_t i = 0; i < enc_.size; ++i) grad[i] = scale_ * double(enc_.grad[i]);
      for (size_t i = 0; i < dec_.size; ++i) grad[enc_.size + i] = scale_ * double(dec_.grad[i]);
    }
    return loss;
  }

 private:
  const NetworkTarget& t_;
  std::unique_ptr<Model<T>> model_;
  ParamSpan<T> enc_, dec_;
  SampleSet minibatch_;
  double scale_ = 1;
};

}  // namespace

NetworkTarget::NetworkTarget(const RunConfig& cfg, const Dataset& data, const Split& split)
    : cfg_(cfg), data_(data), train_(SampleSet::gather(data, split.train)) {
  if (train_.size < 2) throw UserError("λ̂ needs at least 2 training samples (the run has " +
                                       std::to_string(train_.size) + ")");
  groups_ = parameter_groups(cfg, data);
  enc_size_ = groups_[0].end, dec_size_ = groups_[1].end - groups_[1].begin;  // encoder, decoder come first
}

const ParameterGroup& NetworkTarget::group(const std::string& name) const {
  std::string names;
  for (const auto& g : groups_) {
    if (g.name == name) return g;
    names += (names.empty() ? "" : ", ") + g.name;
  }
  throw UserError("--restrict '" + name + "' is not a parameter group of this model (model.arch = " + cfg_.model.arch +
                  "): must be all, " + names);
}

std::unique_ptr<LossWorker> NetworkTarget::make_worker(int) const {
  if (cfg_.model.dtype == "float64") return std::make_unique<NetworkWorker<double>>(*this);
  return std::make_unique<NetworkWorker<float>>(*this);
}

std::vector<double> NetworkTarget::parameters(const Checkpoint& cp) const {
  if (cp.encoder.size() != enc_size_ || cp.decoder.size() != dec_size_)
    throw UserError("checkpoint at step " + std::to_string(cp.step) + " has " + std::to_string(cp.encoder.size()) +
                    "+" + std::to_string(cp.decoder.size()) + " weights, the run's model " +
                    std::to_string(enc_size_) + "+" + std::to_string(dec_size_));
  std::vector<double> w(cp.encoder);
  w.insert(w.end(), cp.decoder.begin(), cp.decoder.end());
  return w;
}

std::string NetworkTarget::describe() const {
  return data_.name + ", " + cfg_.model.head + " head, " + cfg_.model.dtype + ", d = " + std::to_string(dim()) +
         ", n = " + std::to_string(num_samples());
}

}  // namespace geneft
