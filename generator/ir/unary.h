#pragma once
// Element-wise functions of one activation that the accelerator applies as a table on codes
// (a vector engine's LUT op: every input code has one output code, so any function of one
// value costs the same). ONNX Sigmoid, Tanh, LeakyRelu, HardSigmoid, HardSwish, Elu, Selu,
// Celu, Softplus, Softsign, ThresholdedRelu, Gelu, Mish, Erf, Abs, Neg, Exp, Log, Sqrt, Reciprocal
// and Pow by a constant import as one step; a chain of them
// composes into one Unary, and Mul(x, f(x)) (SiLU = x * Sigmoid(x), HardSwish written as
// x * HardSigmoid(x), GELU as x * (erf(x / sqrt2) + 1) with scalar Affine steps) sets
// times_input.
#include <string>
#include <vector>

namespace pimhls::ir {

struct UnaryStep {
  enum class Kind {
    Sigmoid,
    Tanh,
    LeakyRelu,        // alpha: slope below 0
    HardSigmoid,      // max(0, min(1, alpha * x + beta))
    HardSwish,        // x * max(0, min(1, x / 6 + 1 / 2))
    Elu,              // alpha
    Selu,             // alpha, gamma
    Celu,             // alpha
    Softplus,         // log(1 + e^x)
    Softsign,         // x / (1 + |x|)
    ThresholdedRelu,  // alpha: x if x > alpha else 0
    Gelu,             // alpha = 1: the tanh approximation, 0: exact (erf)
    Mish,             // x * tanh(softplus(x))
    Erf,              // the error function (GELU as PyTorch exports it: x/2 * (1 + erf(x/sqrt2)))
    Affine,           // alpha * x + gamma (a scalar Mul/Div/Add/Sub inside a chain)
    Power,            // x^alpha (std::pow, as ONNX Pow: NaN for x < 0 and a fractional alpha)
    Abs,
    Exp,
    Log,  // NaN below 0, -inf at 0 (table entries saturate; NaN is code 0)
  };
  Kind kind = Kind::Sigmoid;
  float alpha = 0;
  float gamma = 0;
};

struct Unary {
  std::vector<UnaryStep> steps;  // applied in order
  bool times_input = false;      // y = x * steps(x)
};

// The float value of the function (the reference the quantized table is made from).
float apply(const Unary& unary, float x);

// "Sigmoid", "x*Sigmoid", "Tanh(Softplus)" ... for messages and reports.
std::string describe(const Unary& unary);

}  // namespace pimhls::ir
