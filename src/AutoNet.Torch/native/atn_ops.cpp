// Tensor math: elementwise, broadcasting arithmetic, reductions, comparisons, shapes, indexing.
#include "atn_common.h"

#define ATN_UNARY(name, expr)                                                                      \
    ATN_API ATNTensor ATNTensor_##name(ATNTensor t) { return atn_new([&] { return expr; }); }
#define ATN_UNARY_(name, expr)                                                                     \
    ATN_API int32_t ATNTensor_##name##_(ATNTensor t) { return atn_do([&] { expr; }); }
#define ATN_BINARY(name, expr)                                                                     \
    ATN_API ATNTensor ATNTensor_##name(ATNTensor a, ATNTensor b) { return atn_new([&] { return expr; }); }
#define ATN_BINARY_(name, expr)                                                                    \
    ATN_API int32_t ATNTensor_##name##_(ATNTensor a, ATNTensor b) { return atn_do([&] { expr; }); }
#define ATN_SCALAR(name, expr)                                                                     \
    ATN_API ATNTensor ATNTensor_##name##_scalar(ATNTensor a, ATNScalar s) {                        \
        return atn_new([&] { auto b = atn_scalar(s); return expr; });                              \
    }
#define ATN_SCALAR_(name, expr)                                                                    \
    ATN_API int32_t ATNTensor_##name##_scalar_(ATNTensor a, ATNScalar s) {                         \
        return atn_do([&] { auto b = atn_scalar(s); expr; });                                      \
    }

// ---- elementwise unary ------------------------------------------------------------------------
ATN_UNARY(neg, t->neg())
ATN_UNARY(abs, t->abs())
ATN_UNARY(exp, t->exp())
ATN_UNARY(log, t->log())
ATN_UNARY(sqrt, t->sqrt())
ATN_UNARY(rsqrt, t->rsqrt())
ATN_UNARY(sign, t->sign())
ATN_UNARY(floor, t->floor())
ATN_UNARY(ceil, t->ceil())
ATN_UNARY(round, t->round())
ATN_UNARY(sin, t->sin())
ATN_UNARY(cos, t->cos())
ATN_UNARY(reciprocal, t->reciprocal())
ATN_UNARY(logical_not, t->logical_not())
ATN_UNARY(isnan, t->isnan())
ATN_UNARY(isinf, t->isinf())
ATN_UNARY(isfinite, t->isfinite())
ATN_UNARY_(neg, t->neg_())
ATN_UNARY_(exp, t->exp_())
ATN_UNARY_(sqrt, t->sqrt_())
ATN_UNARY_(zero, t->zero_())

ATN_API ATNTensor ATNTensor_pow_scalar(ATNTensor t, ATNScalar exponent) {
    return atn_new([&] { return t->pow(atn_scalar(exponent)); });
}
ATN_BINARY(pow, a->pow(*b))

ATN_API ATNTensor ATNTensor_clamp(ATNTensor t, double min, double max, int32_t has_min, int32_t has_max) {
    return atn_new([&] {
        return at::clamp(*t, has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                         has_max ? c10::optional<at::Scalar>(max) : c10::nullopt);
    });
}

ATN_API int32_t ATNTensor_clamp_(ATNTensor t, double min, double max, int32_t has_min, int32_t has_max) {
    return atn_do([&] {
        at::clamp_(*t, has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                   has_max ? c10::optional<at::Scalar>(max) : c10::nullopt);
    });
}

ATN_API int32_t ATNTensor_fill_(ATNTensor t, ATNScalar value) { return atn_do([&] { t->fill_(atn_scalar(value)); }); }

// ---- arithmetic with broadcasting -------------------------------------------------------------
ATN_API ATNTensor ATNTensor_add(ATNTensor a, ATNTensor b, ATNScalar alpha) {
    return atn_new([&] { return at::add(*a, *b, atn_scalar(alpha)); });
}
ATN_API int32_t ATNTensor_add_(ATNTensor a, ATNTensor b, ATNScalar alpha) {
    return atn_do([&] { a->add_(*b, atn_scalar(alpha)); });
}
ATN_API ATNTensor ATNTensor_sub(ATNTensor a, ATNTensor b, ATNScalar alpha) {
    return atn_new([&] { return at::sub(*a, *b, atn_scalar(alpha)); });
}
ATN_API int32_t ATNTensor_sub_(ATNTensor a, ATNTensor b, ATNScalar alpha) {
    return atn_do([&] { a->sub_(*b, atn_scalar(alpha)); });
}
ATN_BINARY(mul, at::mul(*a, *b))
ATN_BINARY_(mul, a->mul_(*b))
ATN_BINARY(div, at::div(*a, *b))
ATN_BINARY_(div, a->div_(*b))
ATN_BINARY(remainder, at::remainder(*a, *b))
ATN_BINARY(maximum, at::maximum(*a, *b))
ATN_BINARY(minimum, at::minimum(*a, *b))
ATN_BINARY(matmul, at::matmul(*a, *b))
ATN_BINARY(mm, at::mm(*a, *b))
ATN_BINARY(bmm, at::bmm(*a, *b))
ATN_BINARY(logical_and, at::logical_and(*a, *b))
ATN_BINARY(logical_or, at::logical_or(*a, *b))
ATN_SCALAR(add, at::add(*a, b))
ATN_SCALAR(sub, at::sub(*a, b))
ATN_SCALAR(mul, at::mul(*a, b))
ATN_SCALAR(div, at::div(*a, b))
ATN_SCALAR(remainder, at::remainder(*a, b))
ATN_SCALAR_(add, a->add_(b))
ATN_SCALAR_(sub, a->sub_(b))
ATN_SCALAR_(mul, a->mul_(b))
ATN_SCALAR_(div, a->div_(b))

ATN_API ATNTensor ATNTensor_rsub_scalar(ATNTensor a, ATNScalar s) { return atn_new([&] { return at::rsub(*a, atn_scalar(s)); }); }
// other - alpha * a, as torch.rsub(a, other, alpha=alpha).
ATN_API ATNTensor ATNTensor_rsub(ATNTensor a, ATNTensor other, ATNScalar alpha) {
    return atn_new([&] { return at::rsub(*a, *other, atn_scalar(alpha)); });
}

ATN_API int32_t ATNTensor_addcmul_(ATNTensor t, ATNTensor a, ATNTensor b, ATNScalar value) {
    return atn_do([&] { t->addcmul_(*a, *b, atn_scalar(value)); });
}
ATN_API int32_t ATNTensor_addcdiv_(ATNTensor t, ATNTensor a, ATNTensor b, ATNScalar value) {
    return atn_do([&] { t->addcdiv_(*a, *b, atn_scalar(value)); });
}
ATN_API int32_t ATNTensor_lerp_(ATNTensor t, ATNTensor end, ATNScalar weight) {
    return atn_do([&] { t->lerp_(*end, atn_scalar(weight)); });
}

// ---- comparison -------------------------------------------------------------------------------
ATN_BINARY(eq, at::eq(*a, *b))
ATN_BINARY(ne, at::ne(*a, *b))
ATN_BINARY(lt, at::lt(*a, *b))
ATN_BINARY(le, at::le(*a, *b))
ATN_BINARY(gt, at::gt(*a, *b))
ATN_BINARY(ge, at::ge(*a, *b))
ATN_SCALAR(eq, at::eq(*a, b))
ATN_SCALAR(ne, at::ne(*a, b))
ATN_SCALAR(lt, at::lt(*a, b))
ATN_SCALAR(le, at::le(*a, b))
ATN_SCALAR(gt, at::gt(*a, b))
ATN_SCALAR(ge, at::ge(*a, b))

ATN_API int32_t ATNTensor_allclose(ATNTensor a, ATNTensor b, double rtol, double atol) {
    try {
        return at::allclose(*a, *b, rtol, atol) ? 1 : 0;
    }
    ATN_CATCH(return -1)
}

ATN_API int32_t ATNTensor_equal(ATNTensor a, ATNTensor b) {
    try {
        return at::equal(*a, *b) ? 1 : 0;
    }
    ATN_CATCH(return -1)
}

// ---- reductions (dims == null means over everything) ------------------------------------------
ATN_API ATNTensor ATNTensor_sum(ATNTensor t, const int64_t* dims, int64_t ndims, int32_t keepdim, int32_t dtype) {
    return atn_new([&] {
        c10::optional<at::ScalarType> type =
            dtype < 0 ? c10::nullopt : c10::optional<at::ScalarType>(static_cast<at::ScalarType>(dtype));
        if (dims == nullptr) return at::sum(*t, type);
        return at::sum(*t, atn_ints(dims, ndims), keepdim != 0, type);
    });
}

ATN_API ATNTensor ATNTensor_mean(ATNTensor t, const int64_t* dims, int64_t ndims, int32_t keepdim) {
    return atn_new([&] {
        if (dims == nullptr) return at::mean(*t);
        return at::mean(*t, atn_ints(dims, ndims), keepdim != 0);
    });
}

ATN_API ATNTensor ATNTensor_var(ATNTensor t, const int64_t* dims, int64_t ndims, int32_t unbiased, int32_t keepdim) {
    return atn_new([&] {
        if (dims == nullptr) return at::var(*t, unbiased != 0);
        return at::var(*t, atn_ints(dims, ndims), unbiased != 0, keepdim != 0);
    });
}

ATN_API ATNTensor ATNTensor_std(ATNTensor t, const int64_t* dims, int64_t ndims, int32_t unbiased, int32_t keepdim) {
    return atn_new([&] {
        if (dims == nullptr) return at::std(*t, unbiased != 0);
        return at::std(*t, atn_ints(dims, ndims), unbiased != 0, keepdim != 0);
    });
}

ATN_UNARY(max_all, t->max())
ATN_UNARY(min_all, t->min())
ATN_UNARY(argmax_all, t->argmax())
ATN_UNARY(all, t->all())
ATN_UNARY(any, t->any())

ATN_API ATNTensor ATNTensor_norm(ATNTensor t, double p) { return atn_new([&] { return t->norm(p); }); }
ATN_API ATNTensor ATNTensor_norm_dims(ATNTensor t, double p, const int64_t* dims, int64_t ndims, int32_t keepdim) {
    return atn_new([&] { return at::norm(*t, p, atn_ints(dims, ndims), keepdim != 0); });
}

// Max along a dimension: values and indices.
ATN_API int32_t ATNTensor_max_dim(ATNTensor t, int64_t dim, int32_t keepdim, ATNTensor* values, ATNTensor* indices) {
    return atn_do([&] {
        auto result = at::max(*t, dim, keepdim != 0);
        *values = new at::Tensor(std::get<0>(result));
        *indices = new at::Tensor(std::get<1>(result));
    });
}

ATN_API int32_t ATNTensor_min_dim(ATNTensor t, int64_t dim, int32_t keepdim, ATNTensor* values, ATNTensor* indices) {
    return atn_do([&] {
        auto result = at::min(*t, dim, keepdim != 0);
        *values = new at::Tensor(std::get<0>(result));
        *indices = new at::Tensor(std::get<1>(result));
    });
}

ATN_API ATNTensor ATNTensor_argmax(ATNTensor t, int64_t dim, int32_t keepdim) {
    return atn_new([&] { return at::argmax(*t, dim, keepdim != 0); });
}

ATN_API ATNTensor ATNTensor_argmin(ATNTensor t, int64_t dim, int32_t keepdim) {
    return atn_new([&] { return at::argmin(*t, dim, keepdim != 0); });
}

ATN_API int32_t ATNTensor_topk(ATNTensor t, int64_t k, int64_t dim, int32_t largest, int32_t sorted, ATNTensor* values,
                               ATNTensor* indices) {
    return atn_do([&] {
        auto result = at::topk(*t, k, dim, largest != 0, sorted != 0);
        *values = new at::Tensor(std::get<0>(result));
        *indices = new at::Tensor(std::get<1>(result));
    });
}

ATN_API int32_t ATNTensor_sort(ATNTensor t, int64_t dim, int32_t descending, ATNTensor* values, ATNTensor* indices) {
    return atn_do([&] {
        auto result = at::sort(*t, dim, descending != 0);
        *values = new at::Tensor(std::get<0>(result));
        *indices = new at::Tensor(std::get<1>(result));
    });
}

ATN_API ATNTensor ATNTensor_cumsum(ATNTensor t, int64_t dim) { return atn_new([&] { return at::cumsum(*t, dim); }); }

// ---- shapes -----------------------------------------------------------------------------------
ATN_API ATNTensor ATNTensor_reshape(ATNTensor t, const int64_t* shape, int64_t n) {
    return atn_new([&] { return t->reshape(atn_ints(shape, n)); });
}
ATN_API ATNTensor ATNTensor_view(ATNTensor t, const int64_t* shape, int64_t n) {
    return atn_new([&] { return t->view(atn_ints(shape, n)); });
}
ATN_API ATNTensor ATNTensor_permute(ATNTensor t, const int64_t* dims, int64_t n) {
    return atn_new([&] { return t->permute(atn_ints(dims, n)); });
}
ATN_API ATNTensor ATNTensor_expand(ATNTensor t, const int64_t* shape, int64_t n) {
    return atn_new([&] { return t->expand(atn_ints(shape, n)); });
}
ATN_API ATNTensor ATNTensor_repeat(ATNTensor t, const int64_t* repeats, int64_t n) {
    return atn_new([&] { return t->repeat(atn_ints(repeats, n)); });
}
ATN_API ATNTensor ATNTensor_transpose(ATNTensor t, int64_t dim0, int64_t dim1) {
    return atn_new([&] { return t->transpose(dim0, dim1); });
}
ATN_API ATNTensor ATNTensor_flatten(ATNTensor t, int64_t start, int64_t end) {
    return atn_new([&] { return t->flatten(start, end); });
}
ATN_API ATNTensor ATNTensor_squeeze(ATNTensor t) { return atn_new([&] { return t->squeeze(); }); }
ATN_API ATNTensor ATNTensor_squeeze_dim(ATNTensor t, int64_t dim) { return atn_new([&] { return t->squeeze(dim); }); }
ATN_API ATNTensor ATNTensor_unsqueeze(ATNTensor t, int64_t dim) { return atn_new([&] { return t->unsqueeze(dim); }); }
ATN_API ATNTensor ATNTensor_narrow(ATNTensor t, int64_t dim, int64_t start, int64_t length) {
    return atn_new([&] { return t->narrow(dim, start, length); });
}
ATN_API ATNTensor ATNTensor_select(ATNTensor t, int64_t dim, int64_t index) {
    return atn_new([&] { return t->select(dim, index); });
}
ATN_API ATNTensor ATNTensor_slice(ATNTensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
    return atn_new([&] { return t->slice(dim, start, end, step); });
}
ATN_API ATNTensor ATNTensor_flip(ATNTensor t, const int64_t* dims, int64_t n) {
    return atn_new([&] { return t->flip(atn_ints(dims, n)); });
}
ATN_API ATNTensor ATNTensor_roll(ATNTensor t, const int64_t* shifts, int64_t n_shifts, const int64_t* dims, int64_t n_dims) {
    return atn_new([&] { return t->roll(atn_ints(shifts, n_shifts), atn_ints(dims, n_dims)); });
}
ATN_API ATNTensor ATNTensor_cat(const ATNTensor* tensors, int64_t n, int64_t dim) {
    return atn_new([&] { return at::cat(atn_tensors(tensors, n), dim); });
}
ATN_API ATNTensor ATNTensor_stack(const ATNTensor* tensors, int64_t n, int64_t dim) {
    return atn_new([&] { return at::stack(atn_tensors(tensors, n), dim); });
}
ATN_API int64_t ATNTensor_split(ATNTensor t, int64_t split_size, int64_t dim, ATNTensor** out) {
    return atn_list(out, [&] { return t->split(split_size, dim); });
}
ATN_API int64_t ATNTensor_split_sizes(ATNTensor t, const int64_t* sizes, int64_t n, int64_t dim, ATNTensor** out) {
    return atn_list(out, [&] { return t->split_with_sizes(atn_ints(sizes, n), dim); });
}
ATN_API int64_t ATNTensor_chunk(ATNTensor t, int64_t chunks, int64_t dim, ATNTensor** out) {
    return atn_list(out, [&] { return t->chunk(chunks, dim); });
}
ATN_API int64_t ATNTensor_unbind(ATNTensor t, int64_t dim, ATNTensor** out) {
    return atn_list(out, [&] { return t->unbind(dim); });
}
ATN_API ATNTensor ATNTensor_pad(ATNTensor t, const int64_t* pad, int64_t n, int32_t mode, double value) {
    return atn_new([&] {
        static const char* modes[] = {"constant", "reflect", "replicate", "circular"};
        if (mode < 0 || mode > 3) throw std::invalid_argument("unknown pad mode " + std::to_string(mode));
        return at::pad(*t, atn_ints(pad, n), modes[mode], mode == 0 ? c10::optional<double>(value) : c10::nullopt);
    });
}

// ---- selection and indexing -------------------------------------------------------------------
ATN_API ATNTensor ATNTensor_where(ATNTensor condition, ATNTensor a, ATNTensor b) {
    return atn_new([&] { return at::where(*condition, *a, *b); });
}
ATN_API ATNTensor ATNTensor_masked_fill(ATNTensor t, ATNTensor mask, ATNScalar value) {
    return atn_new([&] { return t->masked_fill(*mask, atn_scalar(value)); });
}
ATN_API int32_t ATNTensor_masked_fill_(ATNTensor t, ATNTensor mask, ATNScalar value) {
    return atn_do([&] { t->masked_fill_(*mask, atn_scalar(value)); });
}
ATN_API ATNTensor ATNTensor_gather(ATNTensor t, int64_t dim, ATNTensor index) {
    return atn_new([&] { return at::gather(*t, dim, *index); });
}
ATN_API ATNTensor ATNTensor_scatter(ATNTensor t, int64_t dim, ATNTensor index, ATNTensor src) {
    return atn_new([&] { return at::scatter(*t, dim, *index, *src); });
}
ATN_API ATNTensor ATNTensor_index_select(ATNTensor t, int64_t dim, ATNTensor index) {
    return atn_new([&] { return at::index_select(*t, dim, *index); });
}
ATN_API ATNTensor ATNTensor_masked_select(ATNTensor t, ATNTensor mask) {
    return atn_new([&] { return at::masked_select(*t, *mask); });
}
ATN_API ATNTensor ATNTensor_one_hot(ATNTensor t, int64_t classes) {
    return atn_new([&] { return at::one_hot(*t, classes); });
}
ATN_API ATNTensor ATNTensor_multinomial(ATNTensor probs, int64_t samples, int32_t replacement) {
    return atn_new([&] { return at::multinomial(*probs, samples, replacement != 0); });
}
ATN_API ATNTensor ATNTensor_bernoulli(ATNTensor probs) { return atn_new([&] { return at::bernoulli(*probs); }); }
ATN_API int32_t ATNTensor_uniform_(ATNTensor t, double from, double to) { return atn_do([&] { t->uniform_(from, to); }); }
ATN_API int32_t ATNTensor_normal_(ATNTensor t, double mean, double std) { return atn_do([&] { t->normal_(mean, std); }); }
ATN_API int32_t ATNTensor_bernoulli_(ATNTensor t, double p) { return atn_do([&] { t->bernoulli_(p); }); }
