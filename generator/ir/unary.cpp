#include "ir/unary.h"

#include <cmath>

namespace pimhls::ir {
namespace {

double step_value(const UnaryStep& step, double x) {
  using Kind = UnaryStep::Kind;
  const double alpha = step.alpha;
  switch (step.kind) {
    case Kind::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Kind::Tanh: return std::tanh(x);
    case Kind::LeakyRelu: return x >= 0 ? x : alpha * x;
    case Kind::HardSigmoid: return std::fmax(0.0, std::fmin(1.0, alpha * x + step.gamma));
    case Kind::HardSwish: return x * std::fmax(0.0, std::fmin(1.0, x / 6.0 + 0.5));
    case Kind::Elu: return x >= 0 ? x : alpha * (std::exp(x) - 1.0);
    case Kind::Selu: return step.gamma * (x > 0 ? x : alpha * (std::exp(x) - 1.0));
    case Kind::Celu: return std::fmax(0.0, x) + std::fmin(0.0, alpha * (std::exp(x / alpha) - 1.0));
    case Kind::Softplus: return x > 30 ? x : std::log1p(std::exp(x));
    case Kind::Softsign: return x / (1.0 + std::fabs(x));
    case Kind::ThresholdedRelu: return x > alpha ? x : 0.0;
    case Kind::Gelu:
      if (alpha != 0) {
        constexpr double kSqrt2OverPi = 0.7978845608028654;
        return 0.5 * x * (1.0 + std::tanh(kSqrt2OverPi * (x + 0.044715 * x * x * x)));
      }
      return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case Kind::Mish: return x * std::tanh(x > 30 ? x : std::log1p(std::exp(x)));
    case Kind::Erf: return std::erf(x);
    case Kind::Affine: return alpha * x + step.gamma;
    case Kind::Power: return std::pow(x, alpha);
    case Kind::Abs: return std::fabs(x);
    case Kind::Exp: return std::exp(x);
    case Kind::Log: return std::log(x);
  }
  return x;
}

const char* step_name(UnaryStep::Kind kind) {
  using Kind = UnaryStep::Kind;
  switch (kind) {
    case Kind::Sigmoid: return "Sigmoid";
    case Kind::Tanh: return "Tanh";
    case Kind::LeakyRelu: return "LeakyRelu";
    case Kind::HardSigmoid: return "HardSigmoid";
    case Kind::HardSwish: return "HardSwish";
    case Kind::Elu: return "Elu";
    case Kind::Selu: return "Selu";
    case Kind::Celu: return "Celu";
    case Kind::Softplus: return "Softplus";
    case Kind::Softsign: return "Softsign";
    case Kind::ThresholdedRelu: return "ThresholdedRelu";
    case Kind::Gelu: return "Gelu";
    case Kind::Mish: return "Mish";
    case Kind::Erf: return "Erf";
    case Kind::Affine: return "Affine";
    case Kind::Power: return "Power";
    case Kind::Abs: return "Abs";
    case Kind::Exp: return "Exp";
    case Kind::Log: return "Log";
  }
  return "?";
}

}  // namespace

float apply(const Unary& unary, float x) {
  double y = x;
  for (const UnaryStep& step : unary.steps) y = step_value(step, y);
  return static_cast<float>(unary.times_input ? static_cast<double>(x) * y : y);
}

std::string describe(const Unary& unary) {
  std::string text;
  for (const UnaryStep& step : unary.steps)
    text =
        text.empty() ? step_name(step.kind) : std::string(step_name(step.kind)) + "(" + text + ")";
  return unary.times_input ? "x*" + text : text;
}

}  // namespace pimhls::ir
