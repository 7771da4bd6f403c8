#include "kernels/fvp.h"

#include <algorithm>
#include <cmath>

#include "kernels/parallel.h"

namespace proximal::kernels {

struct FisherOperator::Part {
  Part(const MlpSpec& spec, std::size_t rows, std::size_t r0, std::size_t r1, std::size_t params)
      : ws(spec, rows), begin(r0), end(r1), grad(params) {}
  MlpWorkspace ws;
  std::size_t begin, end;     // rows of this part
  std::vector<double> grad;   // Σ over this part's rows of Jᵀ M J v (MLP params only)
};

std::size_t policy_param_count(const MlpSpec& spec, PolicyHead head) {
  return spec.param_count() + (head == PolicyHead::kDiagGaussian ? spec.output_size() : 0);
}

unsigned fvp_threads_used(std::size_t batch, unsigned threads, std::size_t block_rows) {
  threads = resolve_threads(threads);
  if (block_rows == 0) block_rows = kMlpBlockRows;
  const std::size_t blocks = (batch + block_rows - 1) / block_rows;
  const std::size_t by_rows = blocks / 2;
  if (threads <= 1 || by_rows <= 1) return 1;
  return by_rows < threads ? static_cast<unsigned>(by_rows) : threads;
}

FisherOperator::FisherOperator(const MlpSpec& spec, PolicyHead head, const float* params, const float* states,
                               std::size_t batch, unsigned threads)
    : spec_(spec),
      head_(head),
      states_(states),
      batch_(batch),
      size_(policy_param_count(spec, head)),
      rows_(mlp_block_rows(spec)),
      parts_(fvp_threads_used(batch, threads, rows_)) {
  mlp_pack(spec_, params, /*transposed=*/true, packed_);
  if (head_ == PolicyHead::kDiagGaussian) {
    const float* log_std = params + spec_.param_count();
    inv_var_.resize(spec_.output_size());
    for (std::size_t j = 0; j < inv_var_.size(); ++j) inv_var_[j] = std::exp(-2.0 * static_cast<double>(log_std[j]));
  }
  // Contiguous runs of whole blocks, one per thread.
  const std::size_t blocks = (batch + rows_ - 1) / rows_;
  for (unsigned i = 0; i < parts_; ++i) {
    const std::size_t r0 = std::min(batch, blocks * i / parts_ * rows_);
    const std::size_t r1 = i + 1 == parts_ ? batch : std::min(batch, blocks * (i + 1) / parts_ * rows_);
    part_.push_back(std::make_unique<Part>(spec_, rows_, r0, r1, spec_.param_count()));
  }
}

FisherOperator::~FisherOperator() = default;

void FisherOperator::apply(const double* v, double damping, double* out) {
  mlp_pack(spec_, v, /*transposed=*/false, direction_);
  const std::size_t in = spec_.input_size(), od = spec_.output_size();
  const std::size_t np = spec_.param_count();
  auto run = [&](Part& part) {
    std::fill(part.grad.begin(), part.grad.end(), 0.0);
    MlpWorkspace& ws = part.ws;
    for (std::size_t r0 = part.begin; r0 < part.end; r0 += rows_) {
      const std::size_t n = std::min(rows_, part.end - r0);
      mlp_block_forward(spec_, packed_, states_ + r0 * in, n, ws);
      mlp_block_jvp(spec_, packed_, direction_, ws);
      double* u = ws.dh.back().data();         // J v [n, od], replaced by M J v
      const double* o = ws.h.back().data();    // logits or means [n, od]
      if (head_ == PolicyHead::kCategorical) {
        for (std::size_t r = 0; r < n; ++r) {
          const double* x = o + r * od;
          double* ur = u + r * od;
          double mx = x[0];
          for (std::size_t j = 1; j < od; ++j) mx = std::max(mx, x[j]);
          double sum = 0;
          for (std::size_t j = 0; j < od; ++j) sum += std::exp(x[j] - mx);
          double pu = 0;
          for (std::size_t j = 0; j < od; ++j) pu += std::exp(x[j] - mx) / sum * ur[j];
          for (std::size_t j = 0; j < od; ++j) ur[j] = std::exp(x[j] - mx) / sum * (ur[j] - pu);
        }
      } else {
        for (std::size_t r = 0; r < n; ++r) {
          double* ur = u + r * od;
          for (std::size_t j = 0; j < od; ++j) ur[j] *= inv_var_[j];
        }
      }
      mlp_block_vjp(spec_, packed_, u, ws, part.grad.data());
    }
  };
  if (parts_ <= 1) {
    run(*part_[0]);
  } else {
    parallel_ranges(parts_, parts_, 1, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) run(*part_[i]);
    });
  }
  const double scale = 1.0 / static_cast<double>(batch_);
  for (std::size_t k = 0; k < np; ++k) {
    double s = part_[0]->grad[k];
    for (unsigned i = 1; i < parts_; ++i) s += part_[i]->grad[k];
    out[k] = s * scale + damping * v[k];
  }
  for (std::size_t k = np; k < size_; ++k) out[k] = 2.0 * v[k] + damping * v[k];
}

void fisher_vector_product(const MlpSpec& spec, PolicyHead head, const float* params, const float* states,
                           std::size_t batch, const float* v, double damping, float* out, unsigned threads) {
  FisherOperator op(spec, head, params, states, batch, threads);
  std::vector<double> vd(v, v + op.size()), res(op.size());
  op.apply(vd.data(), damping, res.data());
  for (std::size_t k = 0; k < res.size(); ++k) out[k] = static_cast<float>(res[k]);
}

}  // namespace proximal::kernels
