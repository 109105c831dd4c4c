// Optimizer steps fused into one native call per parameter group: the arithmetic is PyTorch 1.13's
// (torch/optim/sgd.py and adamw.py, single-tensor path), so results match it bit for bit on CPU.
#include "atn_common.h"

#include <cmath>

// buffers[i] may be null on the first step; a buffer is then created and written back into the array.
ATN_API int32_t ATNOptim_sgd_step(const ATNTensor* params, ATNTensor* buffers, int64_t n, double lr, double momentum,
                                  double dampening, double weight_decay, int32_t nesterov, int32_t maximize) {
    return atn_do([&] {
        at::NoGradGuard no_grad;
        for (int64_t i = 0; i < n; ++i) {
            at::Tensor& param = *params[i];
            const at::Tensor& grad_ref = param.grad();
            if (!grad_ref.defined()) continue;
            at::Tensor d_p = maximize != 0 ? -grad_ref : grad_ref;
            if (weight_decay != 0) d_p = d_p.add(param, weight_decay);
            if (momentum != 0) {
                if (buffers[i] == nullptr) {
                    buffers[i] = new at::Tensor(d_p.clone().detach());
                } else {
                    buffers[i]->mul_(momentum).add_(d_p, 1 - dampening);
                }
                const at::Tensor& buf = *buffers[i];
                d_p = nesterov != 0 ? d_p.add(buf, momentum) : buf;
            }
            param.add_(d_p, -lr);
        }
    });
}

// exp_avg / exp_avg_sq must already exist (zeros like the parameter); step is the new step count (1-based).
ATN_API int32_t ATNOptim_adamw_step(const ATNTensor* params, const ATNTensor* exp_avgs, const ATNTensor* exp_avg_sqs,
                                    int64_t n, int64_t step, double lr, double beta1, double beta2, double eps,
                                    double weight_decay, int32_t maximize) {
    return atn_do([&] {
        at::NoGradGuard no_grad;
        double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(step));
        double bias_correction2 = 1 - std::pow(beta2, static_cast<double>(step));
        double step_size = lr / bias_correction1;
        double bias_correction2_sqrt = std::sqrt(bias_correction2);
        for (int64_t i = 0; i < n; ++i) {
            at::Tensor& param = *params[i];
            const at::Tensor& grad_ref = param.grad();
            if (!grad_ref.defined()) continue;
            at::Tensor grad = maximize != 0 ? -grad_ref : grad_ref;
            param.mul_(1 - lr * weight_decay);
            exp_avgs[i]->mul_(beta1).add_(grad, 1 - beta1);
            exp_avg_sqs[i]->mul_(beta2).addcmul_(grad, grad, 1 - beta2);
            at::Tensor denom = (exp_avg_sqs[i]->sqrt() / bias_correction2_sqrt).add_(eps);
            param.addcdiv_(*exp_avgs[i], denom, -step_size);
        }
    });
}

// torch.nn.utils.clip_grad_norm_: returns the total norm before clipping, or -1 with the error set.
ATN_API double ATNOptim_clip_grad_norm(const ATNTensor* params, int64_t n, double max_norm, double norm_type) {
    try {
        at::NoGradGuard no_grad;
        std::vector<at::Tensor> grads;
        for (int64_t i = 0; i < n; ++i)
            if (params[i]->grad().defined()) grads.push_back(params[i]->grad());
        if (grads.empty()) return 0.0;
        at::Tensor total;
        if (std::isinf(norm_type)) {
            std::vector<at::Tensor> maxes;
            for (auto& g : grads) maxes.push_back(g.detach().abs().max());
            total = at::stack(maxes).max();
        } else {
            std::vector<at::Tensor> norms;
            for (auto& g : grads) norms.push_back(g.detach().norm(norm_type));
            total = at::stack(norms).norm(norm_type);
        }
        at::Tensor coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
        for (auto& g : grads) g.detach().mul_(coef);
        return total.item<double>();
    }
    ATN_CATCH(return -1.0)
}

ATN_API int32_t ATNOptim_clip_grad_value(const ATNTensor* params, int64_t n, double clip) {
    return atn_do([&] {
        at::NoGradGuard no_grad;
        for (int64_t i = 0; i < n; ++i)
            if (params[i]->grad().defined()) params[i]->grad().clamp_(-clip, clip);
    });
}
